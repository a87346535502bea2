/*
 * policy.c - the per-VM NUMA memory policy.
 *
 * preferred is the placement this library always had; a node set only
 * narrows where our own placement looks first. strict and interleave never
 * name a node outside the set (c->allowed): Xen's exact-node populate does
 * not spill, so the set is a hard bound. interleave has no preferred node:
 * each superpage goes to the node of the set furthest below its share, so
 * that consecutive superpages alternate between the nodes and every node
 * ends within one page of the largest size used (the last pages step down
 * in size rather than overshoot one node's share).
 */
#include <errno.h>

#include "policy.h"

static uint64_t memory_nodes(const struct mi_topology *t)
{
    uint64_t all = 0;
    unsigned int i;

    for ( i = 0; i < t->nr_nodes; i++ )
        if ( t->size[i] )
            all |= 1ull << i;
    return all;
}

/* The set the request names, checked against the host. */
static int check_set(struct mi_ctx *c, uint64_t set)
{
    const struct mi_topology *t = &c->topo;
    uint64_t host = t->nr_nodes >= 64 ? ~0ull : (1ull << t->nr_nodes) - 1;
    char text[MEMINIT_NODESET_MAX];

    meminit_nodeset_format(text, sizeof(text), set);
    if ( set & ~host )
        return meminit_error_set(c->err, "placement", EINVAL, "node set %s "
                                 "names a node this host does not have "
                                 "(nodes 0-%u)", text, t->nr_nodes - 1);
    if ( !(set & memory_nodes(t)) )
        return meminit_error_set(c->err, "placement", EINVAL, "node set %s "
                                 "has no node with memory on this host",
                                 text);
    return 0;
}

int policy_prepare(struct mi_ctx *c)
{
    const struct meminit_policy *pol = &c->req->policy;
    uint64_t set = pol->nodes ? pol->nodes : memory_nodes(&c->topo);
    char text[MEMINIT_NODESET_MAX];
    int rc;

    c->st->policy = pol->mode;
    rc = pol->nodes ? check_set(c, pol->nodes) : 0;
    if ( rc )
        return rc;
    c->set = set & memory_nodes(&c->topo);
    c->allowed = mi_mode(c, MEMINIT_POLICY_STRICT) ||
                 mi_mode(c, MEMINIT_POLICY_INTERLEAVE) ? c->set : ~0ull;
    c->st->policy_nodes = mi_mode(c, MEMINIT_POLICY_OFF) ? 0 : c->set;
    if ( mi_mode(c, MEMINIT_POLICY_OFF) && pol->pnode != MEMINIT_NO_NODE )
        mi_log(c, MEMINIT_LOG_INFO, "policy off: preferred node %u ignored",
               pol->pnode);
    /* A node beyond the host is the placement's to refuse (check_node). */
    if ( pol->pnode >= MEMINIT_MAX_NODES || !pol->nodes ||
         mi_mode(c, MEMINIT_POLICY_OFF) || (pol->nodes & (1ull << pol->pnode)) )
        return 0;
    meminit_nodeset_format(text, sizeof(text), pol->nodes);
    return meminit_error_set(c->err, "placement", EINVAL, "preferred node "
                             "%u is outside the node set %s (policy %s)",
                             pol->pnode, text, meminit_policy_name(pol->mode));
}

/*
 * Pages the set's nodes give when each gives up to `level` (what it has
 * free if less); more than `cap` counts as cap + 1 (no overflow).
 */
static uint64_t fill_to(const struct mi_ctx *c, uint64_t level, uint64_t cap)
{
    uint64_t sum = 0, give;
    unsigned int n;

    for ( n = 0; n < c->topo.nr_nodes && sum <= cap; n++ )
    {
        if ( !(c->set & (1ull << n)) )
            continue;
        give = c->topo.free[n] < level ? c->topo.free[n] : level;
        sum = give > cap - sum ? cap + 1 : sum + give;
    }
    return sum;
}

/*
 * Water-filling: the highest level every node of the set can be filled to
 * (or emptied, when it has less free) within `pages`, by bisection; the
 * pages left then go one each to the nodes above that level, lowest node
 * first. So the nodes below their free memory differ by at most one page.
 */
uint64_t policy_shares(const struct mi_ctx *c, uint64_t pages,
                       uint64_t *per_node)
{
    uint64_t lo = 0, hi = pages, mid, rest;
    unsigned int n;

    while ( lo < hi )
    {
        mid = lo + (hi - lo) / 2 + 1;      /* lo < mid <= hi */
        if ( fill_to(c, mid, pages) <= pages )
            lo = mid;
        else
            hi = mid - 1;
    }
    rest = pages - fill_to(c, lo, pages);
    for ( n = 0; n < c->topo.nr_nodes; n++ )
    {
        if ( !(c->set & (1ull << n)) )
            continue;
        per_node[n] += c->topo.free[n] < lo ? c->topo.free[n] : lo;
        if ( rest && c->topo.free[n] > lo )
        {
            per_node[n]++;
            rest--;
        }
    }
    return rest;
}

/* How far below its share the node is (negative: above it). */
static int64_t shortfall(const struct mi_ctx *c, unsigned int node)
{
    return (int64_t)c->share[node] -
           (int64_t)meminit_node_pages(&c->st->node[node]);
}

unsigned int policy_next(const struct mi_ctx *c, const unsigned int *nodes,
                         unsigned int nr, const int *caps)
{
    unsigned int i, best = nr;

    if ( !mi_mode(c, MEMINIT_POLICY_INTERLEAVE) )
        return 0;
    for ( i = 0; i < nr; i++ )
        if ( caps[nodes[i]] >= 0 &&
             (best == nr || shortfall(c, nodes[i]) > shortfall(c, nodes[best])) )
            best = i;
    return best;
}

int policy_cap(const struct mi_ctx *c, unsigned int node, int cap)
{
    int64_t d;

    if ( !mi_mode(c, MEMINIT_POLICY_INTERLEAVE) || node >= MEMINIT_MAX_NODES )
        return cap;
    d = shortfall(c, node);
    if ( cap >= MEMINIT_ORDER_1G && d >= (1ll << MEMINIT_ORDER_1G) )
        return MEMINIT_ORDER_1G;
    if ( cap >= MEMINIT_ORDER_2M && d >= (1ll << MEMINIT_ORDER_2M) )
        return MEMINIT_ORDER_2M;
    return cap < 0 ? cap : MEMINIT_ORDER_4K;
}

unsigned long policy_extents(const struct mi_ctx *c, unsigned int node,
                             unsigned int order, unsigned long n)
{
    int64_t d;

    if ( !mi_mode(c, MEMINIT_POLICY_INTERLEAVE) || node >= MEMINIT_MAX_NODES )
        return n;
    if ( order )
        return 1;
    d = shortfall(c, node);
    return d > 0 && (uint64_t)d < n ? (unsigned long)d : n;
}
