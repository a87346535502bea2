/*
 * domain.c - the domain table: what the toolstack creates before it execs a
 * builder, and what tests read back afterwards.
 *
 * A domain is a slot in a fixed table, found by domid. Destroying one gives
 * its memory back to the nodes and drops its claims, as Xen does when the
 * last reference to a dying domain goes.
 */
#include <errno.h>
#include <string.h>

#include "sim_internal.h"

struct sim_dom_state *sim_dom_find(struct sim_state *st, uint32_t domid)
{
    unsigned int i;

    for ( i = 0; i < SIM_MAX_DOMAINS; i++ )
    {
        if ( st->dom[i].used && st->dom[i].domid == domid )
            return &st->dom[i];
    }
    return NULL;
}

static struct sim_dom_state *sim_dom_free_slot(struct sim_state *st)
{
    unsigned int i;

    for ( i = 0; i < SIM_MAX_DOMAINS; i++ )
    {
        if ( !st->dom[i].used )
            return &st->dom[i];
    }
    return NULL;
}

static int sim_op_dom_create(struct sim_state *st, uint32_t domid,
                             uint64_t max_pages, bool hvm)
{
    struct sim_dom_state *dom;

    if ( sim_dom_find(st, domid) )
        return -EEXIST;
    dom = sim_dom_free_slot(st);
    if ( !dom )
        return -ENOSPC;
    memset(dom, 0, sizeof(*dom));
    dom->used = true;
    dom->domid = domid;
    dom->max_pages = max_pages;
    dom->hvm = hvm;
    return 0;
}

int sim_domain_create(struct sim_host *host, uint32_t domid, uint64_t max_pages,
                      bool hvm)
{
    int rc;

    if ( !host || domid >= SIM_DOMID_LIMIT )
        return -EINVAL;
    rc = sim_lock(host);
    if ( rc )
        return rc;
    rc = sim_op_dom_create(host->st, domid, max_pages, hvm);
    sim_unlock(host);
    return rc;
}

static int sim_op_dom_destroy(struct sim_state *st, uint32_t domid)
{
    struct sim_dom_state *dom = sim_dom_find(st, domid);

    if ( !dom )
        return -ESRCH;
    sim_claim_drop(st, dom);
    sim_dom_free_all(st, dom);
    memset(dom, 0, sizeof(*dom));
    return 0;
}

int sim_domain_destroy(struct sim_host *host, uint32_t domid)
{
    int rc;

    if ( !host )
        return -EINVAL;
    rc = sim_lock(host);
    if ( rc )
        return rc;
    rc = sim_op_dom_destroy(host->st, domid);
    sim_unlock(host);
    return rc;
}

static uint64_t sim_all_nodes(const struct sim_state *st)
{
    return st->nr_nodes >= 64 ? ~0ull : (1ull << st->nr_nodes) - 1;
}

static int sim_op_dom_affinity(struct sim_state *st, uint32_t domid,
                               uint64_t mask)
{
    struct sim_dom_state *dom = sim_dom_find(st, domid);

    if ( !dom )
        return -ESRCH;
    if ( mask & ~sim_all_nodes(st) )
        return -EINVAL;
    dom->affinity = mask;
    return 0;
}

int sim_domain_set_node_affinity(struct sim_host *host, uint32_t domid,
                                 uint64_t node_mask)
{
    int rc;

    if ( !host )
        return -EINVAL;
    rc = sim_lock(host);
    if ( rc )
        return rc;
    rc = sim_op_dom_affinity(host->st, domid, node_mask);
    sim_unlock(host);
    return rc;
}

static void sim_dom_fill(const struct sim_dom_state *dom,
                         struct sim_domain_info *out)
{
    out->exists = true;
    out->max_pages = dom->max_pages;
    out->tot_pages = dom->tot_pages;
    out->pod_entries = dom->pod_entries;
    out->pod_target = dom->pod_target;
    out->claim_global = dom->claim_global;
    out->outstanding = dom->outstanding;
    memcpy(out->claim_node, dom->claim_node, sizeof(out->claim_node));
    memcpy(out->pages_on, dom->pages_on, sizeof(out->pages_on));
    memcpy(out->extents, dom->extents, sizeof(out->extents));
    out->node_affinity = dom->affinity;
    out->pod_cache = dom->pod_cache;
}

int sim_domain_info(struct sim_host *host, uint32_t domid,
                    struct sim_domain_info *out)
{
    const struct sim_dom_state *dom;
    int rc;

    if ( !host || !out )
        return -EINVAL;
    memset(out, 0, sizeof(*out));
    rc = sim_lock(host);
    if ( rc )
        return rc;
    dom = sim_dom_find(host->st, domid);
    if ( dom )
        sim_dom_fill(dom, out);
    sim_unlock(host);
    return 0;
}

/* The existing domain with the smallest domid >= from, or NULL. */
static const struct sim_dom_state *sim_dom_next(const struct sim_state *st,
                                                uint32_t from)
{
    const struct sim_dom_state *best = NULL;
    unsigned int i;

    for ( i = 0; i < SIM_MAX_DOMAINS; i++ )
    {
        const struct sim_dom_state *d = &st->dom[i];

        if ( d->used && d->domid >= from && (!best || d->domid < best->domid) )
            best = d;
    }
    return best;
}

static void sim_dom_getinfo(const struct sim_dom_state *dom,
                            xc_domaininfo_t *info)
{
    memset(info, 0, sizeof(*info));
    info->domain = (domid_t)dom->domid;
    info->flags = dom->hvm ? XEN_DOMINF_hvm_guest : 0;
    info->tot_pages = dom->tot_pages;
    info->max_pages = dom->max_pages;
    info->outstanding_pages = dom->outstanding;
}

int sim_op_dom_getinfo(struct sim_state *st, uint32_t first, unsigned int max,
                       xc_domaininfo_t *info)
{
    const struct sim_dom_state *dom;
    unsigned int n = 0;

    while ( n < max && (dom = sim_dom_next(st, first)) != NULL )
    {
        sim_dom_getinfo(dom, &info[n++]);
        first = dom->domid + 1;
    }
    return (int)n;
}
