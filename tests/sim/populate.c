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
 *     not need. Candidates: the named node alone when the request is exact;
 *     else the named node then the others in NUMERIC order (upstream does
 *     not look at distances; choosing by distance is the builder's job);
 *     with no node named, the domain's node affinity first.
 * An allocated extent retires the domain's claim (claims.c).
 */
#include <errno.h>
#include <limits.h>

#include "sim_internal.h"

struct sim_cands {
    unsigned int nr;
    unsigned int node[SIM_MAX_NODES];
};

static void sim_cands_add(struct sim_cands *c, uint64_t *seen,
                          unsigned int nid)
{
    if ( *seen & (1ull << nid) )
        return;
    *seen |= 1ull << nid;
    c->node[c->nr++] = nid;
}

static void sim_cands_add_mask(struct sim_cands *c, uint64_t *seen,
                               unsigned int nr_nodes, uint64_t mask)
{
    unsigned int i;

    for ( i = 0; i < nr_nodes; i++ )
    {
        if ( mask & (1ull << i) )
            sim_cands_add(c, seen, i);
    }
}

/* Node order for a request; nid is SIM_NO_NODE when memflags name none. */
static void sim_cands_build(const struct sim_state *st,
                            const struct sim_dom_state *dom, unsigned int nid,
                            bool exact, struct sim_cands *c)
{
    uint64_t seen = 0;

    c->nr = 0;
    if ( nid != SIM_NO_NODE )
    {
        sim_cands_add(c, &seen, nid);
        if ( exact )
            return;
    }
    else if ( dom->affinity )
        sim_cands_add_mask(c, &seen, st->nr_nodes, dom->affinity);
    sim_cands_add_mask(c, &seen, st->nr_nodes, ~0ull);
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

/* One extent through the gates: the node it came from, or -1 to stop. */
static int sim_extent(struct sim_state *st, struct sim_dom_state *dom,
                      const struct sim_cands *c, unsigned int order,
                      xen_pfn_t *mfn)
{
    uint64_t size = 1ull << order;
    unsigned int i, nid;

    if ( dom->tot_pages + size > dom->max_pages )
        return -1;
    if ( !sim_claims_allow(st, dom, size) )
        return -1;
    for ( i = 0; i < c->nr; i++ )
    {
        nid = c->node[i];
        if ( !sim_node_usable(st, dom, nid, order) )
            continue;
        *mfn = sim_block_alloc(st, dom, nid, order);
        sim_claim_consume(st, dom, nid, size);
        return (int)nid;
    }
    return -1;
}

static long sim_populate_extents(struct sim_state *st,
                                 struct sim_dom_state *dom,
                                 const struct sim_populate *req,
                                 const struct sim_cands *c)
{
    unsigned long i;
    xen_pfn_t mfn;
    int nid;

    for ( i = 0; i < req->nr; i++ )
    {
        nid = sim_extent(st, dom, c, req->order, &mfn);
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
    struct sim_cands c;
    unsigned int nid;
    bool exact = req->memflags & SIM_MEMF_EXACT;

    if ( !dom )
        return -ESRCH;
    if ( sim_order_idx(req->order) < 0 || req->nr > INT_MAX )
        return -EINVAL;
    if ( sim_memflags_node(st, req->memflags, &nid) )
        return -EINVAL;
    if ( req->memflags & SIM_MEMF_POD )
    {
        dom->pod_entries += (uint64_t)req->nr << req->order;
        return (long)req->nr;
    }
    sim_cands_build(st, dom, nid, exact, &c);
    return sim_populate_extents(st, dom, req, &c);
}

/* Allocate `need` pages for the PoD cache: 2 MiB blocks, then 4 KiB. */
static int sim_pod_fill(struct sim_state *st, struct sim_dom_state *dom,
                        uint64_t need)
{
    struct sim_cands c;
    xen_pfn_t mfn;

    sim_cands_build(st, dom, SIM_NO_NODE, false, &c);
    while ( need >= SIM_PAGES_2M &&
            sim_extent(st, dom, &c, SIM_ORDER_2M, &mfn) >= 0 )
    {
        need -= SIM_PAGES_2M;
        dom->pod_cache += SIM_PAGES_2M;
    }
    while ( need )
    {
        if ( sim_extent(st, dom, &c, SIM_ORDER_4K, &mfn) < 0 )
            return -ENOMEM;
        need--;
        dom->pod_cache++;
    }
    return 0;
}

int sim_op_set_pod_target(struct sim_state *st, uint32_t domid,
                          uint64_t target, uint64_t out[3])
{
    struct sim_dom_state *dom = sim_dom_find(st, domid);
    int rc = 0;

    if ( !dom )
        return -ESRCH;
    dom->pod_target = target;
    if ( target > dom->tot_pages )
        rc = sim_pod_fill(st, dom, target - dom->tot_pages);
    out[0] = dom->tot_pages;
    out[1] = dom->pod_cache;
    out[2] = dom->pod_entries;
    return rc;
}
