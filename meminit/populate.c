/*
 * populate.c - the populate loop.
 *
 * Order of preference, on purpose: locality beats page size. A guest whose
 * memory is on its own node in 2 MiB pages is faster than one in 1 GiB pages
 * spread over the far socket, so all three page sizes are tried on the
 * preferred node before any neighbour is asked.
 *
 * Xen answers a populate request with the number of extents it could
 * allocate; a short count is not an error. What it means is decided here:
 *  - the remaining claim is smaller than the extent: Xen refuses orders the
 *    claim cannot cover on a tight host, so cap the order and go on;
 *  - otherwise the node has no block of that order: remember it for the
 *    node, and step down;
 *  - at 4 KiB the node is exhausted: move to the next node by distance.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "populate.h"

#define BATCH_SUPER     2048u       /* extents per call, 2 MiB and 1 GiB */
#define BATCH_4K        65536u      /* pages per call, 4 KiB */

static const unsigned int orders[MEMINIT_NR_SIZES] = { 0, 9, 18 };

/* Where one range is being populated from. */
struct cursor {
    const struct mi_range *r;
    xen_pfn_t pfn;              /* next frame to populate */
    const unsigned int *nodes;  /* candidate nodes, best first */
    unsigned int nr_nodes;
    unsigned int ni;            /* index of the current node */
};

static enum meminit_size size_of(unsigned int order)
{
    return order >= 18 ? MEMINIT_1G : order >= 9 ? MEMINIT_2M : MEMINIT_4K;
}

/* The largest order worth asking of a node; the last slot is "any node". */
static int *cap_slot(struct mi_ctx *c, unsigned int node)
{
    return &c->node_max_order[node == MI_ANY_NODE ? MEMINIT_MAX_NODES : node];
}

static int node_cap(const struct mi_ctx *c, unsigned int node)
{
    return c->node_max_order[node == MI_ANY_NODE ? MEMINIT_MAX_NODES : node];
}

/* Largest order allowed at pfn: aligned, inside the range, under the caps. */
static unsigned int pick_order(const struct mi_ctx *c, const struct cursor *k,
                               int cap)
{
    int i;

    if ( c->claim_cap < cap )
        cap = c->claim_cap;
    for ( i = MEMINIT_NR_SIZES - 1; i > 0; i-- )
    {
        unsigned int o = orders[i];

        if ( (int)o <= cap && (int)o <= (int)k->r->max_order &&
             !(k->pfn & ((1ull << o) - 1)) && k->pfn + (1ull << o) <= k->r->end )
            return o;
    }
    return 0;
}

/*
 * Extents of `order` to ask for at once: up to the next boundary where a
 * larger order could start (so that it is tried there), the range end, and
 * the batch limit.
 */
static unsigned long run_length(const struct cursor *k, unsigned int order,
                                int cap)
{
    xen_pfn_t limit = k->r->end;
    unsigned long n, batch = order ? BATCH_SUPER : BATCH_4K;
    int i;

    for ( i = 0; i < MEMINIT_NR_SIZES; i++ )
    {
        unsigned int up = orders[i];
        xen_pfn_t next;

        if ( up <= order || (int)up > cap || up > k->r->max_order )
            continue;
        next = (k->pfn | ((1ull << up) - 1)) + 1;
        if ( next < limit )
            limit = next;
        break;
    }
    n = (unsigned long)((limit - k->pfn) >> order);
    return n < batch ? n : batch;
}

static int grow_buf(struct mi_ctx *c, size_t n)
{
    xen_pfn_t *p;

    if ( n <= c->buf_len )
        return 0;
    p = realloc(c->buf, n * sizeof(*p));
    if ( !p )
        return mi_fail(c, "populate", ENOMEM, "no memory for %zu extents", n);
    c->buf = p;
    c->buf_len = n;
    return 0;
}

static unsigned int memflags(const struct mi_ctx *c, unsigned int node)
{
    unsigned int f = c->layout.pod ? XENMEMF_populate_on_demand : 0;

    return node == MI_ANY_NODE ? f : f | XENMEMF_exact_node(node);
}

static struct meminit_node_stats *node_stats(struct mi_ctx *c,
                                             unsigned int node)
{
    return node == MI_ANY_NODE ? &c->st->anynode : &c->st->node[node];
}

/*
 * One populate call. PV 4 KiB frames are passed in place in the p2m, which
 * Xen overwrites with mfns; superpage extents go through c->buf and are
 * expanded into the p2m afterwards. Returns extents done, or -errno.
 */
static long issue(struct mi_ctx *c, const struct cursor *k,
                  unsigned int node, unsigned int order, unsigned long n)
{
    struct meminit_node_stats *ns = node_stats(c, node);
    xen_pfn_t *p2m = c->req->guest == MEMINIT_GUEST_PV ? c->req->p2m : NULL;
    xen_pfn_t *ext = c->buf;
    unsigned long i;
    uint64_t t0;
    long done;

    if ( p2m && order == 0 )
        ext = &p2m[k->pfn];
    else
        for ( i = 0; i < n; i++ )
            ext[i] = k->pfn + (i << order);
    t0 = mi_call_begin();
    done = xc_domain_populate_physmap(c->req->xch, c->req->domid, n, order,
                                      memflags(c, node), ext);
    ns->ns += mi_call_end(c, t0, done < 0 ? -1 : 0);
    ns->calls++;
    c->st->populate_calls++;
    if ( done < 0 )
        return -mi_errno();
    if ( (unsigned long)done > n )
        return -EPROTO;
    if ( p2m && order )
        for ( i = 0; i < (unsigned long)done << order; i++ )
            p2m[k->pfn + i] = ext[i >> order] + (i & ((1ul << order) - 1));
    return done;
}

static void account(struct mi_ctx *c, unsigned int node, unsigned int order,
                    unsigned long done)
{
    uint64_t pages = (uint64_t)done << order;

    if ( c->layout.pod )
        c->st->pod_pages += pages;
    else
        node_stats(c, node)->extents[size_of(order)] += done;
    c->claim_left = c->claim_left > pages ? c->claim_left - pages : 0;
}

static void record(struct mi_ctx *c, const struct cursor *k,
                   unsigned int order, enum meminit_cause cause, int err)
{
    struct meminit_stats *st = c->st;
    unsigned int node = k->nodes[k->ni];
    struct meminit_fallback *f;

    if ( st->nr_fallbacks++ >= MEMINIT_MAX_FALLBACKS )
        return;
    f = &st->fallback[st->nr_fallbacks - 1];
    *f = (struct meminit_fallback){ .node = node, .order = (uint8_t)order,
                                    .cause = cause, .err = err,
                                    .gfn = k->pfn, .next_node = node };
    mi_log(c, MEMINIT_LOG_INFO, "node %u: order %u short at gfn %#llx: %s",
           node, order, (unsigned long long)k->pfn, meminit_cause_name(cause));
}

/* Fill in where the last recorded fallback went, now that we know. */
static void record_next(struct mi_ctx *c, const struct cursor *k)
{
    struct meminit_stats *st = c->st;
    struct meminit_fallback *f;

    if ( !st->nr_fallbacks || st->nr_fallbacks > MEMINIT_MAX_FALLBACKS )
        return;
    f = &st->fallback[st->nr_fallbacks - 1];
    f->next_node = k->ni < k->nr_nodes ? k->nodes[k->ni] : MEMINIT_NO_NODE;
    f->next_order = (uint8_t)pick_order(c, k, k->ni < k->nr_nodes
                                        ? node_cap(c, k->nodes[k->ni]) : 0);
}

static unsigned int lower(unsigned int order)
{
    return order >= 18 ? 9 : 0;
}

/* Pages a node should still have: its free memory at start, less ours. */
static uint64_t node_left(const struct mi_ctx *c, unsigned int node)
{
    uint64_t taken = meminit_node_pages(&c->st->node[node]);

    return c->topo.free[node] > taken ? c->topo.free[node] - taken : 0;
}

/*
 * A node that falls short of a superpage with less than one 2 MiB block
 * left by our count is exhausted, not fragmented. Taking its last few
 * pages would misalign the rest of the guest and cost every node after it
 * a 1 GiB page; less than 2 MiB of locality is the cheaper loss. Only when
 * there is another node to go to (a vNUMA range has not).
 */
static bool nearly_empty(const struct mi_ctx *c, const struct cursor *k,
                         unsigned int order)
{
    unsigned int node = k->nodes[k->ni];

    return order && node != MI_ANY_NODE && k->ni + 1 < k->nr_nodes &&
           node_left(c, node) < (1u << 9);
}

/* A request came back short (or failed with ENOMEM): decide what next. */
static void shortfall(struct mi_ctx *c, struct cursor *k, unsigned int order,
                      int err)
{
    unsigned int node = k->nodes[k->ni];
    enum meminit_cause cause;

    if ( err )
        cause = MEMINIT_CAUSE_CALL_FAILED;
    else if ( c->st->claim_kind != MEMINIT_CLAIMED_NONE && order &&
              c->claim_left < (1ull << order) )
        cause = MEMINIT_CAUSE_CLAIM_LIMIT;
    else if ( !order )
        cause = MEMINIT_CAUSE_EXHAUSTED;
    else if ( nearly_empty(c, k, order) )
    {
        cause = MEMINIT_CAUSE_EXHAUSTED;
        c->remnant[node] = true;
    }
    else
        cause = MEMINIT_CAUSE_NO_BLOCK;
    c->last_err = err;
    record(c, k, order, cause, err);

    if ( cause == MEMINIT_CAUSE_CLAIM_LIMIT )
        c->claim_cap = (int)lower(order);
    else if ( cause == MEMINIT_CAUSE_EXHAUSTED || !order )
        *cap_slot(c, node) = MI_NODE_EMPTY;
    else
        *cap_slot(c, node) = (int)lower(order);
    while ( k->ni < k->nr_nodes && node_cap(c, k->nodes[k->ni]) < 0 )
        k->ni++;
    record_next(c, k);
}

/*
 * Every node was tried. The remnants left on spill nodes (nearly_empty())
 * were a preference, not a reservation: the claim counted them, and on a
 * tight host the guest needs them. Reopen those nodes for 4 KiB pages.
 */
static bool reopen_remnants(struct mi_ctx *c, struct cursor *k)
{
    unsigned int i, first = k->nr_nodes;

    for ( i = 0; i < k->nr_nodes; i++ )
    {
        unsigned int n = k->nodes[i];

        if ( n == MI_ANY_NODE || !c->remnant[n] )
            continue;
        c->remnant[n] = false;
        *cap_slot(c, n) = 0;
        first = first < i ? first : i;
    }
    if ( first == k->nr_nodes )
        return false;
    k->ni = first;
    mi_log(c, MEMINIT_LOG_INFO, "gfn %#llx: taking the pages left on spill "
           "nodes, from node %u", (unsigned long long)k->pfn, k->nodes[first]);
    return true;
}

static int out_of_memory(struct mi_ctx *c, const struct cursor *k)
{
    if ( c->last_err )
        return mi_fail(c, "populate", c->last_err, "gfn %#llx: %s, and no "
                       "other node to try", (unsigned long long)k->pfn,
                       strerror(c->last_err));
    return mi_fail(c, "populate", ENOMEM, "out of memory at gfn %#llx: "
                   "%llu pages of this range left and %s",
                   (unsigned long long)k->pfn,
                   (unsigned long long)(k->r->end - k->pfn),
                   k->r->pnode != MEMINIT_NO_NODE
                   ? "its vNUMA node is full" : "every node is full");
}

/* One step: one call at the current node and best order. */
static int step(struct mi_ctx *c, struct cursor *k)
{
    unsigned int node = k->nodes[k->ni];
    int cap = node_cap(c, node);
    unsigned int order = pick_order(c, k, cap);
    unsigned long n = run_length(k, order, cap < c->claim_cap ? cap
                                                             : c->claim_cap);
    bool in_place = order == 0 && c->req->guest == MEMINIT_GUEST_PV;
    long done;
    int rc = grow_buf(c, in_place ? 0 : n);

    if ( rc )
        return rc;
    done = issue(c, k, node, order, n);
    if ( done == -ENOMEM || done == -EBUSY )
    {
        shortfall(c, k, order, (int)-done);
        return 0;
    }
    if ( done < 0 )
        return mi_fail(c, "populate", (int)-done, "gfn %#llx, %lu x order "
                       "%u on node %d: %s", (unsigned long long)k->pfn, n,
                       order, node == MI_ANY_NODE ? -1 : (int)node,
                       strerror((int)-done));
    account(c, node, order, (unsigned long)done);
    k->pfn += (xen_pfn_t)done << order;
    if ( (unsigned long)done < n )
        shortfall(c, k, order, 0);
    return 0;
}

static int populate_range(struct mi_ctx *c, const struct mi_range *r)
{
    static const unsigned int any = MI_ANY_NODE;
    struct cursor k = { .r = r, .pfn = r->start };
    int rc = 0;

    if ( r->pnode != MEMINIT_NO_NODE )
        k.nodes = &r->pnode, k.nr_nodes = 1;
    else if ( c->nr_order && !c->layout.pod )
        k.nodes = c->order, k.nr_nodes = c->nr_order;
    else
        k.nodes = &any, k.nr_nodes = 1;
    while ( k.ni < k.nr_nodes && node_cap(c, k.nodes[k.ni]) < 0 )
        k.ni++;
    while ( !rc && k.pfn < r->end )
    {
        if ( c->req->stop && *c->req->stop )
            return mi_fail(c, "populate", EINTR, "interrupted at gfn %#llx",
                           (unsigned long long)k.pfn);
        if ( k.ni < k.nr_nodes || reopen_remnants(c, &k) )
            rc = step(c, &k);
        else
            rc = out_of_memory(c, &k);
    }
    return rc;
}

static void fill_identity(struct mi_ctx *c)
{
    xen_pfn_t *p2m = c->req->p2m;
    unsigned int i;
    xen_pfn_t pfn;

    for ( pfn = 0; pfn < c->layout.p2m_size; pfn++ )
        p2m[pfn] = MI_INVALID_PFN;
    for ( i = 0; i < c->layout.nr; i++ )
        for ( pfn = c->layout.r[i].start; pfn < c->layout.r[i].end; pfn++ )
            p2m[pfn] = pfn;
}

int populate_all(struct mi_ctx *c)
{
    unsigned int i;
    int rc = 0;

    if ( c->req->guest == MEMINIT_GUEST_PV )
    {
        if ( !c->req->p2m )
            return mi_fail(c, "populate", EINVAL, "PV guest without a p2m");
        fill_identity(c);
    }
    for ( i = 0; i <= MEMINIT_MAX_NODES; i++ )
        c->node_max_order[i] = 18;
    c->claim_cap = 18;
    for ( i = 0; !rc && i < c->layout.nr; i++ )
        rc = populate_range(c, &c->layout.r[i]);
    free(c->buf);
    c->buf = NULL;
    c->buf_len = 0;
    return rc;
}

/* PoD: the target is backed by the PoD cache, allocated by this call. */
int populate_pod_target(struct mi_ctx *c)
{
    uint64_t t0;
    int rc;

    if ( !c->layout.pod )
        return 0;
    t0 = mi_call_begin();
    rc = xc_domain_set_pod_target(c->req->xch, c->req->domid,
                                  c->layout.pod_target, NULL, NULL, NULL);
    mi_call_end(c, t0, rc);
    if ( rc < 0 )
        return mi_fail(c, "pod-target", mi_errno(), "PoD target of %llu "
                       "pages: %s", (unsigned long long)c->layout.pod_target,
                       strerror(mi_errno()));
    c->claim_left = 0;
    return 0;
}
