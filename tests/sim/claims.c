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
    if ( nid == SIM_CLAIM_HOST )
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
    dom->claim_set = false;
}

static void sim_claim_take(struct sim_state *st, struct sim_dom_state *dom,
                           unsigned int nid, uint64_t pages)
{
    dom->claim_node[nid] -= pages;
    st->node[nid].claimed -= pages;
    dom->outstanding -= pages;
    st->outstanding -= pages;
}

/*
 * Redeem `pages` allocated on node nid: that node's claim first, then the
 * host-wide part. A claim set (v7) then recalls other nodes' claims, lowest
 * node first, for what is still unredeemed (Xen keeps the host's claims
 * within its free memory that way); XenServer's single-node claim is not
 * consumed by allocations on other nodes.
 */
void sim_claim_consume(struct sim_state *st, struct sim_dom_state *dom,
                       unsigned int nid, uint64_t pages)
{
    uint64_t left = sim_min(dom->outstanding, pages);
    uint64_t take = sim_min(dom->claim_node[nid], left);
    unsigned int i;

    sim_claim_take(st, dom, nid, take);
    left -= take;
    take = sim_min(dom->claim_global, left);
    dom->claim_global -= take;
    dom->outstanding -= take;
    st->outstanding -= take;
    left -= take;
    for ( i = 0; dom->claim_set && left && i < st->nr_nodes; i++ )
    {
        take = sim_min(dom->claim_node[i], left);
        sim_claim_take(st, dom, i, take);
        left -= take;
    }
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
        sim_claim_add(st, dom, SIM_CLAIM_HOST, claim);
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

    if ( node == SIM_CLAIM_HOST )
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

/*
 * Claim sets, as posted upstream in v7 (xen-devel, May 2026: "xen/mm:
 * Introduce NUMA-aware memory claim sets"), XEN_DOMCTL_claim_memory through
 * xc_domain_claim_memory(xch, domid, mode, &nr_entries, set). A SET
 * replaces whatever the domain had, atomically, after checking every entry:
 * cmd must be 0 (EINVAL); one host-wide entry at most (EINVAL); a node must
 * exist (ENOENT) and appear once (EINVAL) and its request fit the node's
 * free memory less other domains' claims there (ENOMEM); with the LEGACY
 * target the entry behaves as XENMEM_claim_pages (no node entries, no
 * existing claim, pages beyond tot_pages); the sum with tot_pages must fit
 * max_pages (EINVAL) and the sum the host's unclaimed free memory plus the
 * domain's own claims (ENOMEM). Entries that are all 0 release the claims.
 */
struct sim_set_sum {
    uint64_t host;              /* the host-wide (or legacy) entry */
    uint64_t nodes;             /* the node entries together */
    bool legacy;
};

static int sim_set_entry(const struct sim_state *st,
                         const struct sim_dom_state *dom,
                         const xen_memory_claim_t *e, uint64_t *seen,
                         bool *host_seen, struct sim_set_sum *sum)
{
    if ( e->cmd )
        return -EINVAL;
    if ( e->target == XEN_DOMCTL_CLAIM_MEMORY_HOST ||
         e->target == XEN_DOMCTL_CLAIM_MEMORY_LEGACY )
    {
        if ( *host_seen )
            return -EINVAL;
        *host_seen = true;
        sum->legacy = e->target == XEN_DOMCTL_CLAIM_MEMORY_LEGACY;
        sum->host = e->pages;
        return 0;
    }
    if ( e->target >= st->nr_nodes )
        return -ENOENT;
    if ( *seen & (1ull << e->target) )
        return -EINVAL;
    *seen |= 1ull << e->target;
    if ( e->pages > sim_node_avail(st, e->target, dom) )
        return -ENOMEM;
    sum->nodes += e->pages;
    return 0;
}

/* 0 to install, 1 to release only, or -errno. */
static int sim_set_check(const struct sim_state *st,
                         const struct sim_dom_state *dom, uint32_t nr,
                         const xen_memory_claim_t *set, struct sim_set_sum *sum)
{
    uint64_t seen = 0;
    bool host_seen = false;
    uint32_t i;
    int rc;

    *sum = (struct sim_set_sum){ 0 };
    for ( i = 0; i < nr; i++ )
        if ( (rc = sim_set_entry(st, dom, &set[i], &seen, &host_seen, sum)) )
            return rc;
    if ( sum->legacy )
    {
        if ( sum->nodes )
            return -EINVAL;
        if ( !sum->host )
            return 1;
        if ( dom->outstanding || sum->host <= dom->tot_pages )
            return -EINVAL;
        sum->host -= dom->tot_pages;
    }
    else if ( !sum->host && !sum->nodes )
        return 1;
    if ( sum->host > dom->max_pages || sum->nodes > dom->max_pages - sum->host ||
         sum->nodes + sum->host + dom->tot_pages > dom->max_pages )
        return -EINVAL;
    return sum->nodes + sum->host > sim_host_avail(st, dom) ? -ENOMEM : 0;
}

static int sim_set_install(struct sim_state *st, struct sim_dom_state *dom,
                           uint32_t nr, const xen_memory_claim_t *set)
{
    struct sim_set_sum sum;
    uint32_t i;
    int rc = sim_set_check(st, dom, nr, set, &sum);

    if ( rc < 0 )
        return rc;
    /* Checked in full above: the swap below cannot fail half way. */
    sim_claim_drop(st, dom);
    if ( rc == 1 )
        return 0;
    dom->claim_set = true;
    sim_claim_add(st, dom, SIM_CLAIM_HOST, sum.host);
    for ( i = 0; i < nr; i++ )
        if ( set[i].target < st->nr_nodes )
            sim_claim_add(st, dom, set[i].target, set[i].pages);
    return 0;
}

/* GET: the host-wide part first, then one entry per node with a claim. */
static int sim_set_get(const struct sim_state *st,
                       const struct sim_dom_state *dom, uint32_t *nr,
                       xen_memory_claim_t *set)
{
    uint32_t room = *nr, need = 1, i;

    if ( room && !set )
        return -EFAULT;
    if ( room )
        set[0] = (xen_memory_claim_t){ .pages = dom->claim_global,
                                       .target = XEN_DOMCTL_CLAIM_MEMORY_HOST };
    for ( i = 0; i < st->nr_nodes; i++ )
    {
        if ( !dom->claim_node[i] )
            continue;
        if ( need < room )
            set[need] = (xen_memory_claim_t){ .pages = dom->claim_node[i],
                                              .target = i };
        need++;
    }
    *nr = need;
    return need <= room ? 0 : -ERANGE;
}

int sim_op_claim_memory(struct sim_state *st, uint32_t domid, uint32_t mode,
                        uint32_t *nr, xen_memory_claim_t *set)
{
    struct sim_dom_state *dom;

    if ( st->claim_abi != SIM_CLAIM_SET )
        return -ENOSYS;
    if ( !nr )
        return -EFAULT;
    dom = sim_dom_find(st, domid);
    if ( !dom )
        return -ESRCH;
    if ( mode == XEN_DOMCTL_CLAIM_MEMORY_GET )
    {
        if ( *nr > SIM_MAX_NODES + 1 )
            *nr = SIM_MAX_NODES + 1;
        return sim_set_get(st, dom, nr, set);
    }
    if ( mode != XEN_DOMCTL_CLAIM_MEMORY_SET )
        return -EOPNOTSUPP;
    if ( !*nr )
        return -EINVAL;
    if ( *nr > SIM_MAX_NODES + 1 )
        return -E2BIG;
    if ( !set )
        return -EFAULT;
    return sim_set_install(st, dom, *nr, set);
}
