/*
 * claims.c - claims: upstream 4.17's host-wide one, XenServer's single-node
 * one and the proposed claim sets.
 *
 * A claim stakes memory for a domain before it is populated, so that a
 * builder learns "not enough memory" up front rather than half way through.
 * Xen 4.17 keeps one number per domain and one sum for the host; the
 * allocator refuses any request that would eat into other domains' stakes
 * (see sim_claims_allow in populate.c). Allocations retire the claim as they
 * go; memory freed later does not refill it.
 *
 * Per-node claims add a stake on one node that other domains cannot
 * allocate from. Allocating on a node retires that node's claim first, then
 * the host-wide part: the order matters, because retiring the host-wide part
 * first would leave the node stake pinning memory the domain no longer needs.
 *
 * Every claim_node[] change goes through here, so node->claimed,
 * dom->outstanding and st->outstanding stay equal to their sums.
 */
#include <errno.h>

#include "sim_internal.h"

static uint64_t sim_sub0(uint64_t a, uint64_t b)
{
    return a > b ? a - b : 0;
}

static uint64_t sim_min(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

/* Free memory on the host not staked by any claim but dom's own. */
static uint64_t sim_host_avail(const struct sim_state *st,
                               const struct sim_dom_state *dom)
{
    uint64_t others = st->outstanding - (dom ? dom->outstanding : 0);

    return sim_sub0(st->free_pages, others);
}

/* Free memory on the node not staked there by another domain. */
static uint64_t sim_node_avail(const struct sim_state *st, unsigned int nid,
                               const struct sim_dom_state *dom)
{
    const struct sim_node_state *node = &st->node[nid];
    uint64_t others = node->claimed - (dom ? dom->claim_node[nid] : 0);

    return sim_sub0(sim_node_free(node), others);
}

static void sim_claim_add(struct sim_state *st, struct sim_dom_state *dom,
                          unsigned int nid, uint64_t pages)
{
    if ( nid == XC_CLAIM_NODE_GLOBAL )
        dom->claim_global += pages;
    else
    {
        dom->claim_node[nid] += pages;
        st->node[nid].claimed += pages;
    }
    dom->outstanding += pages;
    st->outstanding += pages;
}

void sim_claim_drop(struct sim_state *st, struct sim_dom_state *dom)
{
    unsigned int i;

    for ( i = 0; i < st->nr_nodes; i++ )
    {
        st->node[i].claimed -= dom->claim_node[i];
        dom->claim_node[i] = 0;
    }
    st->outstanding -= dom->outstanding;
    dom->claim_global = 0;
    dom->outstanding = 0;
}

void sim_claim_consume(struct sim_state *st, struct sim_dom_state *dom,
                       unsigned int nid, uint64_t pages)
{
    uint64_t on_node = sim_min(dom->claim_node[nid], pages);
    uint64_t global = sim_min(dom->claim_global, pages - on_node);

    dom->claim_node[nid] -= on_node;
    st->node[nid].claimed -= on_node;
    dom->claim_global -= global;
    dom->outstanding -= on_node + global;
    st->outstanding -= on_node + global;
}

/* XENMEM_claim_pages' rules; *claim is the amount to stake. */
static int sim_claim_check(const struct sim_state *st,
                           const struct sim_dom_state *dom, uint64_t pages,
                           uint64_t *claim)
{
    if ( dom->outstanding )
        return -EINVAL;
    if ( pages <= dom->tot_pages || pages > dom->max_pages )
        return -EINVAL;
    *claim = pages - dom->tot_pages;
    if ( *claim > sim_host_avail(st, NULL) )
        return -ENOMEM;
    return 0;
}

int sim_op_claim_pages(struct sim_state *st, uint32_t domid, uint64_t pages)
{
    struct sim_dom_state *dom;
    uint64_t claim;
    int rc;

    if ( st->claim_abi == SIM_CLAIM_NONE )
        return 0;                   /* ENOSYS, swallowed by 4.17's libxc */
    dom = sim_dom_find(st, domid);
    if ( !dom )
        return -ESRCH;
    if ( !pages )
    {
        sim_claim_drop(st, dom);
        return 0;
    }
    rc = sim_claim_check(st, dom, pages, &claim);
    if ( !rc )
        sim_claim_add(st, dom, XC_CLAIM_NODE_GLOBAL, claim);
    return rc;
}

static int sim_claim_abi_node(const struct sim_state *st)
{
    switch ( st->claim_abi )
    {
    case SIM_CLAIM_UPSTREAM:
        return -EINVAL;             /* 4.17 rejects non-zero mem_flags */
    case SIM_CLAIM_NONE:
        return -ENOSYS;
    default:
        return 0;
    }
}

/*
 * XenServer 9's single-node claim, as the node-claim fixture's patched Xen
 * 4.17 answers it (tests/xen/nodeclaim, docs/nodeclaim.md): node >= 0xFF is
 * ERANGE (libxenctrl: XENMEMF_node() cannot encode it); claiming 0 cancels
 * whatever the node; else a node that does not exist or has no memory is
 * ENOENT, checked before the claim rules.
 */
int sim_op_claim_node(struct sim_state *st, uint32_t domid, unsigned int node,
                      uint64_t pages)
{
    struct sim_dom_state *dom;
    uint64_t claim;
    int rc;

    if ( node == XC_CLAIM_NODE_GLOBAL )
        return sim_op_claim_pages(st, domid, pages);
    if ( node >= 0xFF )
        return -ERANGE;
    rc = sim_claim_abi_node(st);
    if ( rc )
        return rc;
    dom = sim_dom_find(st, domid);
    if ( !dom )
        return -ESRCH;
    if ( !pages )
    {
        sim_claim_drop(st, dom);
        return 0;
    }
    if ( node >= st->nr_nodes || !st->node[node].pages )
        return -ENOENT;
    rc = sim_claim_check(st, dom, pages, &claim);
    if ( !rc && claim > sim_node_avail(st, node, NULL) )
        rc = -ENOMEM;
    if ( !rc )
        sim_claim_add(st, dom, node, claim);
    return rc;
}

/* A claim-set target: a node of the host or GLOBAL, each at most once. */
static int sim_claims_target(const struct sim_state *st, uint32_t node,
                             uint64_t *seen, bool *global)
{
    uint64_t bit;

    if ( node == XC_CLAIM_NODE_GLOBAL )
    {
        if ( *global )
            return -EINVAL;
        *global = true;
        return 0;
    }
    if ( node >= st->nr_nodes )
        return -EINVAL;
    bit = 1ull << node;
    if ( *seen & bit )
        return -EINVAL;
    *seen |= bit;
    return 0;
}

/* Claim-set shape: known, distinct targets, not beyond max_pages. */
static int sim_claims_valid(const struct sim_state *st,
                            const struct sim_dom_state *dom, unsigned int nr,
                            const xc_claim_entry_t *claims, uint64_t *sum)
{
    uint64_t seen = 0;
    bool global = false;
    unsigned int i;

    *sum = 0;
    for ( i = 0; i < nr; i++ )
    {
        if ( sim_claims_target(st, claims[i].node, &seen, &global) )
            return -EINVAL;
        if ( claims[i].pages > UINT64_MAX - *sum )
            return -EINVAL;
        *sum += claims[i].pages;
    }
    if ( dom->tot_pages > dom->max_pages ||
         *sum > dom->max_pages - dom->tot_pages )
        return -EINVAL;
    return 0;
}

/* Claim-set room: each node stake on its node, the sum on the host. */
static int sim_claims_fit(const struct sim_state *st,
                          const struct sim_dom_state *dom, unsigned int nr,
                          const xc_claim_entry_t *claims, uint64_t sum)
{
    unsigned int i;

    for ( i = 0; i < nr; i++ )
    {
        if ( claims[i].node != XC_CLAIM_NODE_GLOBAL &&
             claims[i].pages > sim_node_avail(st, claims[i].node, dom) )
            return -ENOMEM;
    }
    if ( sum > sim_host_avail(st, dom) )
        return -ENOMEM;
    return 0;
}

int sim_op_claim_memory(struct sim_state *st, uint32_t domid, unsigned int nr,
                        const xc_claim_entry_t *claims)
{
    struct sim_dom_state *dom;
    unsigned int i;
    uint64_t sum;
    int rc;

    if ( st->claim_abi != SIM_CLAIM_SET )
        return -ENOSYS;
    dom = sim_dom_find(st, domid);
    if ( !dom )
        return -ESRCH;
    if ( !nr )
    {
        sim_claim_drop(st, dom);
        return 0;
    }
    if ( nr > SIM_MAX_NODES + 1 || !claims )
        return -EINVAL;
    rc = sim_claims_valid(st, dom, nr, claims, &sum);
    if ( !rc )
        rc = sim_claims_fit(st, dom, nr, claims, sum);
    if ( rc )
        return rc;
    /* Checked in full above: the swap below cannot fail half way. */
    sim_claim_drop(st, dom);
    for ( i = 0; i < nr; i++ )
        sim_claim_add(st, dom, claims[i].node, claims[i].pages);
    return 0;
}
