/*
 * names.c - names of meminit's enumerations and small pure helpers over
 * its public types.
 *
 * Everything here depends on meminit.h alone and calls nothing else in the
 * library, so any module may use it without a file-level cycle: the build
 * steps (claim.c, populate.c) use these names in their log lines, and
 * meminit.c drives those steps.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "meminit.h"

const char *meminit_cause_name(enum meminit_cause cause)
{
    switch ( cause )
    {
    case MEMINIT_CAUSE_NO_BLOCK:    return "no block of that order";
    case MEMINIT_CAUSE_EXHAUSTED:   return "node exhausted";
    case MEMINIT_CAUSE_CLAIM_LIMIT: return "claim limit";
    case MEMINIT_CAUSE_CALL_FAILED: return "call failed";
    }
    return "?";
}

const char *meminit_claim_name(enum meminit_claim_kind kind)
{
    switch ( kind )
    {
    case MEMINIT_CLAIMED_NONE:      return "none";
    case MEMINIT_CLAIMED_EXISTING:  return "existing";
    case MEMINIT_CLAIMED_SET:       return "claim-set";
    case MEMINIT_CLAIMED_NODE:      return "node";
    case MEMINIT_CLAIMED_HOST:      return "host";
    }
    return "?";
}

const char *meminit_pnode_reason_name(enum meminit_pnode_reason reason)
{
    switch ( reason )
    {
    case MEMINIT_PNODE_GIVEN:       return "given";
    case MEMINIT_PNODE_AFFINITY:    return "affinity";
    case MEMINIT_PNODE_BEST_FIT:    return "best-fit";
    case MEMINIT_PNODE_MOST_FREE:   return "most-free";
    case MEMINIT_PNODE_VNUMA:       return "vnuma";
    case MEMINIT_PNODE_OFF:         return "off";
    case MEMINIT_PNODE_INTERLEAVE:  return "interleave";
    case MEMINIT_PNODE_STOCK:       return "stock";
    }
    return "?";
}

unsigned int meminit_size_order(enum meminit_size size)
{
    return size == MEMINIT_1G ? MEMINIT_ORDER_1G
           : size == MEMINIT_2M ? MEMINIT_ORDER_2M : MEMINIT_ORDER_4K;
}

uint64_t meminit_node_pages(const struct meminit_node_stats *ns)
{
    uint64_t pages = ns->pod_cache;
    unsigned int s;

    for ( s = 0; s < MEMINIT_NR_SIZES; s++ )
        pages += ns->extents[s] << meminit_size_order(s);
    return pages;
}

static const char *const policy_names[] = {
    [MEMINIT_POLICY_PREFERRED] = "preferred",
    [MEMINIT_POLICY_STRICT] = "strict",
    [MEMINIT_POLICY_INTERLEAVE] = "interleave",
    [MEMINIT_POLICY_OFF] = "off",
};

const char *meminit_policy_name(enum meminit_policy_mode mode)
{
    return mode <= MEMINIT_POLICY_OFF ? policy_names[mode] : "?";
}

int meminit_policy_lookup(const char *name, enum meminit_policy_mode *mode)
{
    unsigned int i;

    for ( i = 0; name && i <= MEMINIT_POLICY_OFF; i++ )
        if ( !strcmp(name, policy_names[i]) )
        {
            *mode = (enum meminit_policy_mode)i;
            return 0;
        }
    return -EINVAL;
}

uint64_t meminit_policy_imbalance(const struct meminit_stats *st)
{
    uint64_t most = 0, least = UINT64_MAX, pages;
    unsigned int n;

    if ( st->policy != MEMINIT_POLICY_INTERLEAVE )
        return 0;
    for ( n = 0; n < st->nr_nodes && n < MEMINIT_MAX_NODES; n++ )
    {
        if ( !(st->policy_nodes & (1ull << n)) )
            continue;
        pages = meminit_node_pages(&st->node[n]);
        most = pages > most ? pages : most;
        least = pages < least ? pages : least;
    }
    return least == UINT64_MAX ? 0 : most - least;
}

/* One decimal node number at *s, advancing it. */
static int node_number(const char **s, unsigned int *node)
{
    unsigned int n = 0, digits = 0;

    while ( **s >= '0' && **s <= '9' && digits < 3 )
    {
        n = n * 10 + (unsigned int)(**s - '0');
        (*s)++;
        digits++;
    }
    if ( !digits || n >= MEMINIT_MAX_NODES )
        return -EINVAL;
    *node = n;
    return 0;
}

int meminit_nodeset_parse(const char *text, uint64_t *set)
{
    const char *s = text;
    uint64_t out = 0;
    unsigned int a, b, i;

    if ( !s || !*s )
        return -EINVAL;
    for ( ;; )
    {
        if ( node_number(&s, &a) )
            return -EINVAL;
        b = a;
        if ( *s == '-' && (s++, node_number(&s, &b) || b < a) )
            return -EINVAL;
        for ( i = a; i <= b; i++ )
            out |= 1ull << i;
        if ( !*s )
            break;
        if ( *s++ != ',' )
            return -EINVAL;
    }
    *set = out;
    return 0;
}

void meminit_nodeset_format(char *buf, size_t len, uint64_t set)
{
    size_t used = 0;
    unsigned int a = 0, b;
    int w;

    if ( len )
        buf[0] = '\0';
    while ( a < MEMINIT_MAX_NODES && used < len )
    {
        if ( !(set & (1ull << a)) )
        {
            a++;
            continue;
        }
        for ( b = a; b + 1 < MEMINIT_MAX_NODES && (set & (1ull << (b + 1)));
              b++ )
            continue;
        w = b == a ? snprintf(buf + used, len - used, "%s%u", used ? "," : "",
                              a)
                   : snprintf(buf + used, len - used, "%s%u-%u",
                              used ? "," : "", a, b);
        if ( w < 0 )
            break;
        used += (size_t)w;
        a = b + 1;
    }
}
