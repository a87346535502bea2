/*
 * meminit.c - one build, in the order that matters.
 *
 *   layout -> topology -> domain (and its node affinity) -> placement ->
 *   room under max_pages -> claim -> PoD target -> populate -> node
 *   affinity, then cancel the claim whatever happened.
 *
 * max_pages is checked before claiming because both a claim and a populate
 * beyond it fail without saying why. The claim comes before the PoD target
 * and before any populate call because both allocate: a claim staked after
 * memory was taken protects nothing. The node affinity is set to the nodes
 * that hold the guest once they are known, and for a PoD guest node by node
 * while the PoD target allocates the cache, so that what Xen and
 * libxenguest allocate afterwards without naming a node lands there too.
 * The cancel runs on every return path because a claim left on a
 * half-built domain keeps memory from every other domain until it dies.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "affinity.h"
#include "claim.h"
#include "layout.h"
#include "parallel.h"
#include "populate.h"
#include "topology.h"

static void stats_init(struct meminit_stats *st)
{
    memset(st, 0, sizeof(*st));
    st->pnode = MEMINIT_NO_NODE;
}

/* A plan for DOMID_INVALID reads no domain: no claim, no node affinity. */
static int prepare(struct mi_ctx *c, bool domain)
{
    int rc = layout_build(c->req, &c->layout, c->err);

    if ( !rc )
        rc = topology_read(c);
    if ( !rc && domain )
        rc = claim_read_domain(c);
    if ( !rc && domain )
        affinity_read(c);
    if ( !rc )
        rc = topology_place(c);
    return rc;
}

int meminit_build(const struct meminit_request *req,
                  struct meminit_stats *st, struct meminit_error *err)
{
    struct mi_ctx *c = calloc(1, sizeof(*c));
    uint64_t t0 = mi_now_ns();
    int rc;

    stats_init(st);
    if ( !c )
        return meminit_error_set(err, "meminit", ENOMEM, "out of memory");
    c->req = req;
    c->st = st;
    c->err = err;
    rc = prepare(c, true);
    if ( !rc )
        rc = claim_check_room(c);
    if ( !rc )
        rc = claim_stake(c);
    if ( !rc )
        rc = populate_pod_target(c);
    if ( !rc )
        rc = parallel_populate(c);
    if ( !rc )
        rc = affinity_settle(c);
    claim_release(c);
    st->ns_total = mi_now_ns() - t0;
    free(c);
    return rc;
}

uint64_t meminit_p2m_size(const struct meminit_request *req)
{
    struct mi_layout *l = malloc(sizeof(*l));
    uint64_t size = 0;

    /* A bad layout is meminit_build()'s to report: 0 here. */
    if ( l && !layout_build(req, l, NULL) )
        size = l->p2m_size;
    free(l);
    return size;
}

/* A plan whose nodes cannot hold the guest says so, as the claim would. */
static int plan_rest(struct mi_ctx *c, uint64_t unplaced)
{
    if ( !unplaced )
        return 0;
    return meminit_error_set(c->err, "plan", ENOMEM, "the nodes' free "
                             "memory cannot hold the guest: %llu of %llu "
                             "MiB would have no node (policy %s)",
                             (unsigned long long)(unplaced >> 8),
                             (unsigned long long)(mi_need(c) >> 8),
                             meminit_policy_name(c->req->policy.mode));
}

int meminit_plan(const struct meminit_request *req,
                 struct meminit_stats *st, uint64_t *pages,
                 struct meminit_error *err)
{
    struct mi_ctx *c = calloc(1, sizeof(*c));
    uint64_t rest, pinned;
    unsigned int i;
    int rc;

    stats_init(st);
    if ( !c )
        return meminit_error_set(err, "meminit", ENOMEM, "out of memory");
    c->req = req;
    c->st = st;
    c->err = err;
    rc = prepare(c, req->domid != DOMID_INVALID);
    rest = mi_need(c);
    memset(pages, 0, MEMINIT_MAX_NODES * sizeof(*pages));
    for ( i = 0; !rc && i < c->layout.nr; i++ )
        if ( c->layout.r[i].pnode != MEMINIT_NO_NODE )
        {
            pinned = c->layout.r[i].end - c->layout.r[i].start;
            pages[c->layout.r[i].pnode] += pinned;
            rest -= pinned;
        }
    if ( !rc && c->nr_order )
        rc = plan_rest(c, topology_distribute(c, rest, pages));
    free(c);
    return rc;
}
