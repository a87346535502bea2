/*
 * populate.c - XENMEM_populate_physmap and the PoD target, with 4.17's rules.
 *
 * Each extent passes three gates, in this order, and the first extent that
 * fails any of them ends the call with the count done so far (a short count,
 * not an error, exactly as Xen reports it):
 *  1. max_pages: the domain may not grow beyond it.
 *  2. the host claim check: when the request would eat into memory staked by
 *     claims, only a domain whose own claim covers the request may proceed.
 *     So near the end of a claim a 1 GiB request fails where 2 MiB works.
 *  3. a node with a block of the order that other domains' node claims do
 *     not need. Candidates as 4.17's get_free_buddy() orders them
 *     (sim_cands_build): the named node alone when the request is exact;
 *     else the named node, or with none named the next node of the
 *     domain's node affinity after its last allocation (round-robin), then
 *     the rest of the affinity, then the other nodes in NUMERIC order
 *     (upstream does not look at distances; that is the builder's job).
 * An allocated extent retires the domain's claim (claims.c).
 */
#include <errno.h>
#include <limits.h>

#include "sim_internal.h"

struct sim_cands {
    unsigned int nr;
    unsigned int node[SIM_MAX_NODES];
};

static uint64_t sim_online(const struct sim_state *st)
{
    return st->nr_nodes >= 64 ? ~0ull : (1ull << st->nr_nodes) - 1;
}

/* Xen's next_node(), wrapping to first_node(): cycle_node(). */
static unsigned int sim_cycle_node(unsigned int from, uint64_t mask)
{
    unsigned int i;

    for ( i = from + 1; i < SIM_MAX_NODES; i++ )
        if ( mask & (1ull << i) )
            return i;
    for ( i = 0; i < SIM_MAX_NODES; i++ )
        if ( mask & (1ull << i) )
            return i;
    return SIM_NO_NODE;
}

/* The nodes of mask once each, cyclically after `from` when it is in the
 * mask, else from the lowest: how get_free_buddy() walks a node mask. */
static void sim_cands_walk(struct sim_cands *c, uint64_t mask,
                           unsigned int from)
{
    bool inside = from < SIM_MAX_NODES && (mask & (1ull << from));
    unsigned int n;

    if ( inside )
        mask &= ~(1ull << from);
    n = sim_cycle_node(inside ? from : SIM_MAX_NODES - 1, mask);
    while ( n != SIM_NO_NODE )
    {
        c->node[c->nr++] = n;
        mask &= ~(1ull << n);
        n = sim_cycle_node(n, mask);
    }
}

/*
 * The nodes Xen 4.17's get_free_buddy() tries for one allocation, in order.
 * The domain's node affinity (clamped to the online nodes) is "the mask".
 * The first node is the one memflags name, else the next node of the mask
 * after the domain's last allocation (d->last_alloc_node: round-robin).
 * An exact request stops there. Otherwise the rest of the mask follows,
 * cyclically after the first node (all of the mask, lowest first, when the
 * first node was outside it), then the other online nodes, lowest first.
 */
static void sim_cands_build(const struct sim_state *st,
                            const struct sim_dom_state *dom, unsigned int nid,
                            bool exact, struct sim_cands *c)
{
    uint64_t online = sim_online(st);
    uint64_t mask = dom->affinity & online ? dom->affinity & online : online;
    unsigned int first = nid;

    c->nr = 0;
    if ( first == SIM_NO_NODE )
        first = sim_cycle_node(dom->last_alloc_node, mask);
    c->node[c->nr++] = first;
    if ( nid != SIM_NO_NODE && exact )
        return;
    sim_cands_walk(c, mask, first);
    sim_cands_walk(c, online & ~mask & ~(1ull << first), SIM_NO_NODE);
}

/* The node named by memflags, SIM_NO_NODE, or -EINVAL in *nid's place. */
static int sim_memflags_node(const struct sim_state *st, unsigned int memflags,
                             unsigned int *nid)
{
    unsigned int field = SIM_MEMF_NODE(memflags);

    *nid = SIM_NO_NODE;
    if ( !field )
        return 0;
    if ( field - 1 >= st->nr_nodes )
        return -EINVAL;
    *nid = field - 1;
    return 0;
}

/* Gate 2: 4.17's alloc_heap_pages claim check. */
static bool sim_claims_allow(const struct sim_state *st,
                             const struct sim_dom_state *dom, uint64_t size)
{
    if ( st->outstanding + size <= st->free_pages )
        return true;
    return dom->outstanding >= size;
}

/* Gate 3 for one node: a block, and not needed by other domains' claims. */
static bool sim_node_usable(const struct sim_state *st,
                            const struct sim_dom_state *dom, unsigned int nid,
                            unsigned int order)
{
    const struct sim_node_state *node = &st->node[nid];
    uint64_t others = node->claimed - dom->claim_node[nid];

    if ( !sim_node_has_block(node, order) )
        return false;
    return sim_node_free(node) >= others + (1ull << order);
}

/* Where one request's extents may come from: the node memflags name (or
 * SIM_NO_NODE) and whether it is exact. */
struct sim_where {
    unsigned int nid;
    bool exact;
};

/*
 * One extent through the gates: the node it came from, or -1 to stop. The
 * candidate nodes are worked out per extent when no node is named, because
 * the round-robin start moves with every allocation (last_alloc_node, which
 * Xen updates after every allocation for the domain, exact or not).
 */
static int sim_extent(struct sim_state *st, struct sim_dom_state *dom,
                      const struct sim_where *w, unsigned int order,
                      xen_pfn_t *mfn)
{
    uint64_t size = 1ull << order;
    struct sim_cands c;
    unsigned int i, nid;

    if ( dom->tot_pages + size > dom->max_pages )
        return -1;
    if ( !sim_claims_allow(st, dom, size) )
        return -1;
    sim_cands_build(st, dom, w->nid, w->exact, &c);
    for ( i = 0; i < c.nr; i++ )
    {
        nid = c.node[i];
        if ( !sim_node_usable(st, dom, nid, order) )
            continue;
        *mfn = sim_block_alloc(st, dom, nid, order);
        sim_claim_consume(st, dom, nid, size);
        dom->last_alloc_node = nid;
        return (int)nid;
    }
    return -1;
}

static long sim_populate_extents(struct sim_state *st,
                                 struct sim_dom_state *dom,
                                 const struct sim_populate *req,
                                 const struct sim_where *w)
{
    unsigned long i;
    xen_pfn_t mfn;
    int nid;

    for ( i = 0; i < req->nr; i++ )
    {
        nid = sim_extent(st, dom, w, req->order, &mfn);
        if ( nid < 0 )
            break;
        /* Only non-translated (PV) guests learn their frames. */
        if ( !dom->hvm )
            req->extents[i] = mfn;
        if ( req->node_of )
            req->node_of[i] = (unsigned int)nid;
    }
    return (long)i;
}

long sim_op_populate(struct sim_state *st, const struct sim_populate *req)
{
    struct sim_dom_state *dom = sim_dom_find(st, req->domid);
    struct sim_where w = { .exact = req->memflags & SIM_MEMF_EXACT };

    if ( !dom )
        return -ESRCH;
    if ( sim_order_idx(req->order) < 0 || req->nr > INT_MAX )
        return -EINVAL;
    if ( sim_memflags_node(st, req->memflags, &w.nid) )
        return -EINVAL;
    if ( req->memflags & SIM_MEMF_POD )
    {
        dom->pod_entries += (uint64_t)req->nr << req->order;
        return (long)req->nr;
    }
    return sim_populate_extents(st, dom, req, &w);
}

/*
 * Grow the PoD cache to `target` pages as 4.17's p2m_pod_set_cache_target()
 * does: one allocation at a time without a node (so from the domain's node
 * affinity, round-robin), 2 MiB while at least that much is missing, a
 * failed 2 MiB retried as 4 KiB, a failed 4 KiB ending the call (ENOMEM).
 */
static int sim_pod_fill(struct sim_state *st, struct sim_dom_state *dom,
                        uint64_t target)
{
    const struct sim_where any = { .nid = SIM_NO_NODE };
    unsigned int order;
    xen_pfn_t mfn;

    while ( dom->pod_cache < target )
    {
        order = target - dom->pod_cache >= SIM_PAGES_2M ? SIM_ORDER_2M
                                                        : SIM_ORDER_4K;
        if ( sim_extent(st, dom, &any, order, &mfn) < 0 )
        {
            if ( order == SIM_ORDER_4K )
                return -ENOMEM;
            order = SIM_ORDER_4K;
            if ( sim_extent(st, dom, &any, order, &mfn) < 0 )
                return -ENOMEM;
        }
        dom->pod_cache += 1ull << order;
    }
    return 0;
}

/*
 * XEN_DOMCTL / XENMEM_set_pod_target as 4.17's p2m_pod_set_mem_target():
 * "populated" is the domain's pages outside the cache. Once the guest has
 * populated memory and no PoD entry is left, or when the target is below
 * what the domain has, nothing changes. Otherwise the cache grows to the
 * target less the populated pages (at most the outstanding entries once
 * something is populated). The cache is never shrunk here (the balloon
 * driver's job in Xen too).
 */
int sim_op_set_pod_target(struct sim_state *st, uint32_t domid,
                          uint64_t target, uint64_t out[3])
{
    struct sim_dom_state *dom = sim_dom_find(st, domid);
    uint64_t populated, cache;
    int rc = 0;

    if ( !dom )
        return -ESRCH;
    dom->pod_target = target;
    populated = dom->tot_pages - dom->pod_cache;
    if ( !(populated && !dom->pod_entries) && target >= dom->tot_pages )
    {
        cache = target - populated;
        if ( populated && cache > dom->pod_entries )
            cache = dom->pod_entries;
        if ( cache > dom->pod_cache )
            rc = sim_pod_fill(st, dom, cache);
    }
    out[0] = dom->tot_pages;
    out[1] = dom->pod_cache;
    out[2] = dom->pod_entries;
    return rc;
}
