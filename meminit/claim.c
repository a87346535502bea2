/*
 * claim.c - claims, best ABI first.
 *
 * Why claim at all: populating takes many hypercalls, and on a busy host
 * another domain can take the memory in between. A claim is checked once,
 * atomically, against free memory minus everybody's claims, so a build that
 * cannot finish fails before it has populated anything, and one that can is
 * guaranteed its pages. Xen 4.17 only knows a host-wide claim, which does not
 * keep a node's memory for us; the per-node ABIs do, where they exist.
 *
 * Xen allows one claim per domain: a second non-zero claim gets EINVAL. So a
 * claim the toolstack made before exec'ing us is honoured as it is.
 *
 * Which per-node calls exist, and in which form, is a build-time and a
 * run-time matter at once (docs/design.md, "Claim ABIs"):
 *  - XenServer 9's xc_domain_claim_pages_node() has a stable prototype
 *    (xen_abi.h), referenced weakly: present or NULL at run time.
 *  - Upstream's claim-set call changed signature between postings, so it is
 *    compiled only in the form the installed <xenctrl.h> declares
 *    (MEMINIT_CLAIM_SET_ABI from scripts/claim-abi), and referenced weakly.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "claim.h"
#include "claim_abi.h"
#include "topology.h"
#include "xen_abi.h"

#pragma weak xc_domain_claim_pages_node

#define MiB(pages)  ((unsigned long long)(pages) >> 8)

/* What a claim call's failure means for the next step. */
enum claim_verdict {
    CLAIM_DONE,                 /* staked */
    CLAIM_NOT_HERE,             /* this ABI cannot be used on this host */
    CLAIM_SHORT,                /* ENOMEM: not enough unclaimed memory */
};

/* One entry of a per-node plan: pages on a node, or host-wide. */
struct claim_entry {
    uint64_t pages;
    unsigned int node;          /* MEMINIT_NO_NODE: host-wide */
};

#if MEMINIT_CLAIM_SET_ABI == 7
#pragma weak xc_domain_claim_memory
/* v7: SET replaces the domain's claims; host-wide is a special target. */
static int set_call(const struct mi_ctx *c, const struct claim_entry *e,
                    unsigned int n)
{
    xen_memory_claim_t set[MEMINIT_MAX_NODES + 1];
    uint32_t nr = n;
    unsigned int i;

    for ( i = 0; i < n; i++ )
        set[i] = (xen_memory_claim_t){
            .pages = e[i].pages, .cmd = 0,
            .target = e[i].node == MEMINIT_NO_NODE
                      ? XEN_DOMCTL_CLAIM_MEMORY_HOST : e[i].node };
    return xc_domain_claim_memory(c->req->xch, c->req->domid,
                                  XEN_DOMCTL_CLAIM_MEMORY_SET, &nr, set);
}
#define HAVE_SET_CALL() (xc_domain_claim_memory != NULL)
#elif MEMINIT_CLAIM_SET_ABI == 5
#pragma weak xc_domain_claim_memory
/* v5: the set replaces the domain's claims; host-wide is GLOBAL. */
static int set_call(const struct mi_ctx *c, const struct claim_entry *e,
                    unsigned int n)
{
    memory_claim_t set[MEMINIT_MAX_NODES + 1];
    unsigned int i;

    for ( i = 0; i < n; i++ )
        set[i] = (memory_claim_t){
            .pages = e[i].pages, .pad = 0,
            .node = e[i].node == MEMINIT_NO_NODE
                    ? XEN_DOMCTL_CLAIM_MEMORY_GLOBAL : e[i].node };
    return xc_domain_claim_memory(c->req->xch, c->req->domid, n, set);
}
#define HAVE_SET_CALL() (xc_domain_claim_memory != NULL)
#else
/* The installed headers declare no claim-set call we know: none. */
static int set_call(const struct mi_ctx *c, const struct claim_entry *e,
                    unsigned int n)
{
    (void)c, (void)e, (void)n;
    errno = ENOSYS;
    return -1;
}
#define HAVE_SET_CALL() false
#endif

/*
 * meminit_claim_abis (meminit.h) lives here, beside the bindings it
 * reports: the set call counts as built only when claim_abi.h compiled one.
 */
unsigned int meminit_claim_abis(unsigned int *linked)
{
    unsigned int built = MEMINIT_ABI_HOST | MEMINIT_ABI_NODE;
    unsigned int have = MEMINIT_ABI_HOST;

    if ( MEMINIT_CLAIM_SET_ABI )
        built |= MEMINIT_ABI_SET;
    if ( xc_domain_claim_pages_node )
        have |= MEMINIT_ABI_NODE;
    if ( HAVE_SET_CALL() )
        have |= MEMINIT_ABI_SET;
    if ( linked )
        *linked = have;
    return built;
}

static int dom_info(struct mi_ctx *c, xc_domaininfo_t *info)
{
    uint64_t t0 = mi_call_begin();
    int rc = xc_domain_getinfolist(c->req->xch, c->req->domid, 1, info);

    mi_call_end(c, t0, rc);
    if ( rc < 0 )
        return -mi_errno();
    return rc == 1 && info->domain == c->req->domid ? 0 : -ESRCH;
}

int claim_read_domain(struct mi_ctx *c)
{
    xc_domaininfo_t info = { 0 };
    int rc = dom_info(c, &info);

    if ( rc == -ESRCH )
        return meminit_error_set(c->err, "domain", ESRCH,
                                 "domain %u does not exist", c->req->domid);
    if ( rc )
        return meminit_error_set(c->err, "domain", -rc, "domain %u: %s",
                                 c->req->domid, strerror(-rc));
    c->dom_read = true;
    c->dom_pages = info.tot_pages;
    c->dom_max_pages = info.max_pages;
    c->dom_claim = info.outstanding_pages;
    return 0;
}

int claim_own_outstanding(struct mi_ctx *c, uint64_t *pages)
{
    xc_domaininfo_t info = { 0 };
    int rc = dom_info(c, &info);

    if ( !rc )
        *pages = info.outstanding_pages;
    return rc;
}

/*
 * max_pages is the domain's ceiling: a claim beyond it is EINVAL and a
 * populate beyond it comes back short, neither of which says why. Xen
 * checks tot_pages + the request against it (assign_pages()).
 */
int claim_check_room(struct mi_ctx *c)
{
    uint64_t need = mi_need(c);

    if ( c->dom_pages + need <= c->dom_max_pages )
        return 0;
    return meminit_error_set(c->err, "domain", EINVAL, "max_pages of domain "
                             "%u is %llu pages (%llu MiB), the guest needs "
                             "%llu (%llu MiB) on top of the %llu it has: the "
                             "toolstack must raise max_pages before the build",
                             c->req->domid,
                             (unsigned long long)c->dom_max_pages,
                             MiB(c->dom_max_pages), (unsigned long long)need,
                             MiB(need), (unsigned long long)c->dom_pages);
}

static int claimed(struct mi_ctx *c, enum meminit_claim_kind kind,
                   uint64_t pages)
{
    c->st->claim_kind = kind;
    c->st->claim_pages = pages;
    mi_log(c, MEMINIT_LOG_INFO, "claim: %s, %llu MiB",
           meminit_claim_name(kind), MiB(pages));
    return 0;
}

/*
 * A per-node call failed. Not usable here: the call is absent (ENOSYS),
 * refused as a whole (EOPNOTSUPP; EINVAL where upstream rejects the node
 * flags; ENOENT for a node that is offline; ERANGE, E2BIG for what this
 * ABI cannot express). ENOMEM: the node lacks unclaimed memory. Anything
 * else is a failure of the build.
 */
static int judge(struct mi_ctx *c, const char *what, int err)
{
    mi_log(c, MEMINIT_LOG_INFO, "claim: %s not usable: %s", what,
           strerror(err));
    if ( err == ENOMEM )
        return CLAIM_SHORT;
    if ( err == ENOSYS || err == EOPNOTSUPP || err == EINVAL ||
         err == ENOENT || err == ERANGE || err == E2BIG )
        return CLAIM_NOT_HERE;
    return meminit_error_set(c->err, "claim", err, "%s: %s", what,
                             strerror(err));
}

static int try_set(struct mi_ctx *c, uint64_t need)
{
    struct claim_entry e[MEMINIT_MAX_NODES + 1];
    uint64_t per_node[MEMINIT_MAX_NODES] = { 0 };
    uint64_t rest, t0;
    unsigned int i, n = 0;
    int rc;

    if ( !HAVE_SET_CALL() )
        return CLAIM_NOT_HERE;
    rest = topology_distribute(c, need, per_node);
    for ( i = 0; i < c->nr_order; i++ )
        if ( per_node[c->order[i]] )
            e[n++] = (struct claim_entry){ per_node[c->order[i]],
                                           c->order[i] };
    if ( rest )
        e[n++] = (struct claim_entry){ rest, MEMINIT_NO_NODE };
    t0 = mi_call_begin();
    rc = set_call(c, e, n);
    mi_call_end(c, t0, rc);
    if ( rc == 0 )
        return claimed(c, MEMINIT_CLAIMED_SET, need);
    return judge(c, "claim set", mi_errno());
}

static int try_node(struct mi_ctx *c, uint64_t need)
{
    unsigned int node = c->st->pnode;
    uint64_t t0;
    int rc;

    if ( !xc_domain_claim_pages_node || node == MEMINIT_NO_NODE ||
         c->topo.free[node] < need )
        return CLAIM_NOT_HERE;
    t0 = mi_call_begin();
    rc = xc_domain_claim_pages_node(c->req->xch, c->req->domid, node,
                                    c->dom_pages + need);
    mi_call_end(c, t0, rc);
    if ( rc == 0 )
        return claimed(c, MEMINIT_CLAIMED_NODE, need);
    return judge(c, "node claim", mi_errno());
}

/*
 * Claim on the preferred node (a claim set, else a node claim). When that
 * node's memory is claimed by other builders (ENOMEM) and the node was our
 * own choice, the next node that fits is tried before giving up on
 * per-node claims: a host-wide claim would split the guest over nodes
 * while a whole node was free. Returns 0 (staked), 1 (use the host-wide
 * claim) or -errno.
 */
static int claim_on_nodes(struct mi_ctx *c, uint64_t need)
{
    bool set_here = true;
    int rc;

    for ( ;; )
    {
        bool short_seen;

        rc = set_here ? try_set(c, need) : CLAIM_NOT_HERE;
        if ( rc <= CLAIM_DONE )
            return rc;
        set_here = rc != CLAIM_NOT_HERE;
        short_seen = rc == CLAIM_SHORT;
        rc = try_node(c, need);
        if ( rc <= CLAIM_DONE )
            return rc;
        short_seen |= rc == CLAIM_SHORT;
        if ( !short_seen || !topology_ours(c) ||
             c->st->pnode == MEMINIT_NO_NODE )
            return 1;
        c->claimed_elsewhere |= 1ull << c->st->pnode;
        if ( topology_replace(c) )
            return 1;
    }
}

/* Out of memory: say so with figures read now, not before the claim. */
static int host_short(struct mi_ctx *c, uint64_t need)
{
    topology_refresh(c);
    return meminit_error_set(c->err, "claim", ENOMEM, "not enough memory: "
                             "need %llu MiB, host has %llu MiB free of which "
                             "%llu MiB are claimed by other domains",
                             MiB(need), MiB(c->topo.host_free),
                             MiB(c->topo.host_claimed));
}

static int try_host(struct mi_ctx *c, uint64_t need)
{
    uint64_t t0 = mi_call_begin();
    int rc = xc_domain_claim_pages(c->req->xch, c->req->domid,
                                   c->dom_pages + need);
    int err;

    mi_call_end(c, t0, rc);
    if ( rc == 0 )
        return claimed(c, MEMINIT_CLAIMED_HOST, need);
    err = mi_errno();
    if ( err == ENOMEM )
        return host_short(c, need);
    return meminit_error_set(c->err, "claim", err, "claim of %llu MiB: %s",
                             MiB(need), strerror(err));
}

/*
 * strict and interleave: the set must hold what the build allocates, by
 * free figures read now; else fail here, before any claim or populate,
 * with the set's figures node by node.
 */
static int set_room(struct mi_ctx *c, uint64_t need)
{
    char text[MEMINIT_NODESET_MAX], nodes[MEMINIT_MAX_NODES * 24] = "";
    uint64_t have = 0;
    size_t used = 0;
    unsigned int i;

    if ( c->allowed == ~0ull )
        return 0;
    topology_refresh(c);
    for ( i = 0; i < c->topo.nr_nodes; i++ )
        if ( c->set & (1ull << i) )
        {
            have += c->topo.free[i];
            used += (size_t)snprintf(nodes + used, sizeof(nodes) - used,
                                     "%snode %u: %llu MiB", used ? ", " : "",
                                     i, MiB(c->topo.free[i]));
        }
    if ( have >= need )
        return 0;
    meminit_nodeset_format(text, sizeof(text), c->req->policy.nodes);
    return meminit_error_set(c->err, "claim", ENOMEM, "node set %s cannot "
                             "hold the guest (policy %s): need %llu MiB, the "
                             "set has %llu MiB free (%s)", *text ? text
                             : "(all)", meminit_policy_name(c->st->policy),
                             MiB(need), MiB(have), nodes);
}

int claim_stake(struct mi_ctx *c)
{
    uint64_t need = mi_need(c);
    int rc = set_room(c, need);

    if ( rc )
        return rc;
    if ( c->dom_claim )
        return claimed(c, MEMINIT_CLAIMED_EXISTING, c->dom_claim);
    if ( c->req->claim == MEMINIT_CLAIM_OFF )
        return 0;
    if ( c->req->claim == MEMINIT_CLAIM_AUTO && c->nr_order )
    {
        rc = claim_on_nodes(c, need);
        if ( rc <= 0 )
            return rc;
    }
    return try_host(c, need);
}

/*
 * Cancelling cannot be skipped: a claim left behind keeps memory from every
 * other domain until this one dies. A failed call is retried; what is left
 * is read back for the report.
 */
#define CANCEL_TRIES 3

void claim_release(struct mi_ctx *c)
{
    xc_domaininfo_t info = { 0 };
    unsigned int i;
    uint64_t t0;
    int rc = -1;

    for ( i = 0; i < CANCEL_TRIES && rc < 0; i++ )
    {
        t0 = mi_call_begin();
        rc = xc_domain_claim_pages(c->req->xch, c->req->domid, 0);
        mi_call_end(c, t0, rc);
        /* ESRCH before the domain was ever read: there is none to cancel.
         * After it was read, ESRCH is a failure like any other. */
        if ( rc < 0 && !c->dom_read && errno == ESRCH )
            return;
    }
    if ( rc < 0 )
        mi_log(c, MEMINIT_LOG_WARN, "cancelling the claim failed: %s",
               strerror(mi_errno()));
    for ( i = 0, rc = -1; i < CANCEL_TRIES && rc; i++ )
        rc = dom_info(c, &info);
    c->st->claim_left = rc ? c->st->claim_pages : info.outstanding_pages;
}
