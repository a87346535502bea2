/*
 * names.c - names of meminit's enumerations and small pure helpers over
 * its public types.
 *
 * Everything here depends on meminit.h alone and calls nothing else in the
 * library, so any module may use it without a file-level cycle: the build
 * steps (claim.c, populate.c) use these names in their log lines, and
 * meminit.c drives those steps.
 */
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
