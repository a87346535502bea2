/*
 * populate.c - the populate loop.
 *
 * Order of preference, on purpose: locality beats page size. A guest whose
 * memory is on its own node in 2 MiB pages is faster than one in 1 GiB pages
 * spread over the far socket, so all three page sizes are tried on the
 * preferred node before any neighbour is asked.
 *
 * Xen answers a populate request with the number of extents it could
 * allocate; a short count is not an error. What it means is decided here,
 * on figures read after the short count, never on the ones read before
 * populating started (other builders allocate and claim meanwhile):
 *  - claims keep the order from us: 4.17 refuses a request when all
 *    outstanding claims plus the request exceed free memory, unless the
 *    domain's own claim covers it (alloc_heap_pages()). Only then is it a
 *    claim limit: cap the order for the rest of the build. A claim of ours
 *    that is used up is NOT a limit on a host with memory to spare: a short
 *    toolstack claim must not cost the guest its superpages;
 *  - otherwise the node has no block of that order: remember it for the
 *    node, and step down; or, when the node has less than 2 MiB left, it
 *    is exhausted (see nearly_empty());
 *  - at 4 KiB the node is exhausted: move to the next node by distance.
 *
 * PV guests: the p2m (gfn -> mfn, libxenguest's dom->pv_p2m) is written
 * once per frame. 4 KiB frames are passed in place (Xen writes the mfn
 * over the gfn); a superpage's frames are written once, from the mfn Xen
 * returns for the extent. Nothing else walks the p2m.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "affinity.h"
#include "claim.h"
#include "policy.h"
#include "populate.h"
#include "topology.h"

#define BATCH_SUPER     2048u       /* extents per call, 2 MiB and 1 GiB */
#define BATCH_4K        65536u      /* pages per call, 4 KiB */

#define NODE_EMPTY      (-1)        /* node_max_order[]: nothing left there */

/* Where one range is being populated from. */
struct cursor {
    const struct mi_range *r;
    xen_pfn_t gfn;              /* next frame to populate */
    const unsigned int *nodes;  /* candidate nodes, best first */
    unsigned int nr_nodes;
    unsigned int ni;            /* index of the current node */
    bool spread;                /* interleave over nodes (policy.c) */
};

static enum meminit_size size_of(unsigned int order)
{
    return order >= MEMINIT_ORDER_1G ? MEMINIT_1G
           : order >= MEMINIT_ORDER_2M ? MEMINIT_2M : MEMINIT_4K;
}

/* The largest order worth asking of a node; the last slot is "any node". */
static int *cap_slot(struct populate *p, unsigned int node)
{
    return &p->node_max_order[node == MI_ANY_NODE ? MEMINIT_MAX_NODES : node];
}

static int node_cap(const struct populate *p, unsigned int node)
{
    return p->node_max_order[node == MI_ANY_NODE ? MEMINIT_MAX_NODES : node];
}

/* Largest order allowed at gfn: aligned, inside the range, under the caps. */
static unsigned int pick_order(const struct populate *p,
                               const struct cursor *k, int cap)
{
    int i;

    if ( p->claim_cap < cap )
        cap = p->claim_cap;
    for ( i = MEMINIT_NR_SIZES - 1; i > 0; i-- )
    {
        unsigned int o = meminit_size_order((enum meminit_size)i);

        if ( (int)o <= cap && (int)o <= (int)k->r->max_order &&
             !(k->gfn & ((1ull << o) - 1)) && k->gfn + (1ull << o) <= k->r->end )
            return o;
    }
    return MEMINIT_ORDER_4K;
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
        unsigned int up = meminit_size_order((enum meminit_size)i);
        xen_pfn_t next;

        if ( up <= order || (int)up > cap || up > k->r->max_order )
            continue;
        next = (k->gfn | ((1ull << up) - 1)) + 1;
        if ( next < limit )
            limit = next;
        break;
    }
    n = (unsigned long)((limit - k->gfn) >> order);
    return n < batch ? n : batch;
}

static int grow_buf(struct populate *p, size_t n)
{
    xen_pfn_t *buf;

    if ( n <= p->buf_len )
        return 0;
    buf = realloc(p->buf, n * sizeof(*buf));
    if ( !buf )
        return meminit_error_set(p->c->err, "populate", ENOMEM,
                                 "no memory for %zu extents", n);
    p->buf = buf;
    p->buf_len = n;
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

/* The p2m entries of `n` extents of `order` from the mfns Xen returned:
 * each frame written once. */
static void expand(xen_pfn_t *restrict p2m, const xen_pfn_t *restrict ext,
                   unsigned long n, unsigned int order)
{
    unsigned long i, k, len = 1ul << order;

    for ( i = 0; i < n; i++, p2m += len )
        for ( k = 0; k < len; k++ )
            p2m[k] = ext[i] + k;
}

/*
 * One populate call. PV 4 KiB frames are passed in place in the p2m, which
 * Xen overwrites with mfns; superpage extents go through p->buf and their
 * frames are written into the p2m afterwards. Returns extents done, or
 * -errno.
 */
static long issue(struct populate *p, const struct cursor *k,
                  unsigned int node, unsigned int order, unsigned long n)
{
    struct mi_ctx *c = p->c;
    struct meminit_node_stats *ns = node_stats(c, node);
    xen_pfn_t *p2m = c->req->guest == MEMINIT_GUEST_PV ? c->req->p2m : NULL;
    xen_pfn_t *ext = p2m && order == 0 ? &p2m[k->gfn] : p->buf;
    unsigned long i;
    uint64_t t0;
    long done;

    for ( i = 0; i < n; i++ )
        ext[i] = k->gfn + (i << order);
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
        expand(&p2m[k->gfn], ext, (unsigned long)done, order);
    return done;
}

static void account(struct populate *p, unsigned int node,
                    unsigned int order, unsigned long done)
{
    struct mi_ctx *c = p->c;
    uint64_t pages = (uint64_t)done << order;

    if ( c->layout.pod )
        c->st->pod_pages += pages;
    else
        node_stats(c, node)->extents[size_of(order)] += done;
    p->claim_left = p->claim_left > pages ? p->claim_left - pages : 0;
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
                                    .gfn = k->gfn, .next_node = node };
    mi_log(c, MEMINIT_LOG_INFO, "node %u: order %u short at gfn %#llx: %s",
           node, order, (unsigned long long)k->gfn, meminit_cause_name(cause));
}

/* Fill in where the last recorded fallback went, now that we know. */
static void record_next(struct populate *p, const struct cursor *k)
{
    struct meminit_stats *st = p->c->st;
    struct meminit_fallback *f;

    if ( !st->nr_fallbacks || st->nr_fallbacks > MEMINIT_MAX_FALLBACKS )
        return;
    f = &st->fallback[st->nr_fallbacks - 1];
    f->next_node = k->ni < k->nr_nodes ? k->nodes[k->ni] : MEMINIT_NO_NODE;
    f->next_order = (uint8_t)pick_order(p, k, k->ni < k->nr_nodes
                                        ? node_cap(p, k->nodes[k->ni]) : 0);
}

/* The next smaller superpage order meminit uses (2 MiB, then 4 KiB). */
static unsigned int lower(unsigned int order)
{
    return order >= MEMINIT_ORDER_1G ? MEMINIT_ORDER_2M : MEMINIT_ORDER_4K;
}

/*
 * Do claims keep a request of this order from the domain? 4.17 refuses it
 * when all outstanding claims plus the request exceed free memory and the
 * domain's own claim does not cover it. While our claim covers the extent
 * it cannot be the reason, and nothing is read; else the host's figures
 * and our own claim are read now. A failed read answers "no".
 */
static bool claims_block(struct populate *p, unsigned int order)
{
    struct mi_ctx *c = p->c;
    uint64_t size = 1ull << order, own = 0;

    if ( c->st->claim_kind != MEMINIT_CLAIMED_NONE && p->claim_left >= size )
        return false;
    if ( topology_refresh(c) || claim_own_outstanding(c, &own) )
        return false;
    p->claim_left = own;
    return c->topo.host_claimed + size > c->topo.host_free && own < size;
}

/*
 * A node that falls short of a superpage with less than one 2 MiB block
 * left is exhausted, not fragmented. Taking its last few pages would
 * misalign the rest of the guest and cost every node after it a 1 GiB
 * page; less than 2 MiB of locality is the cheaper loss. Only when there
 * is another node to go to (a vNUMA range has not). What the node has left
 * is read now: the figures from before populating know nothing of what
 * other builders took since.
 */
static bool nearly_empty(struct mi_ctx *c, const struct cursor *k,
                         unsigned int order)
{
    unsigned int node = k->nodes[k->ni];

    if ( !order || node == MI_ANY_NODE || k->ni + 1 >= k->nr_nodes )
        return false;
    topology_refresh_nodes(c);
    return c->topo.free[node] < (1u << MEMINIT_ORDER_2M);
}

/* Why a request came back short (or failed with ENOMEM). */
static enum meminit_cause judge(struct populate *p, const struct cursor *k,
                                unsigned int order, int err)
{
    struct mi_ctx *c = p->c;

    if ( err )
        return MEMINIT_CAUSE_CALL_FAILED;
    if ( claims_block(p, order) )
        return MEMINIT_CAUSE_CLAIM_LIMIT;
    if ( !order )
        return MEMINIT_CAUSE_EXHAUSTED;
    if ( nearly_empty(c, k, order) )
    {
        p->remnant[k->nodes[k->ni]] = true;
        return MEMINIT_CAUSE_EXHAUSTED;
    }
    return MEMINIT_CAUSE_NO_BLOCK;
}

/* Claims hold what is left: no node can give a 4 KiB page. */
static int claims_hold(struct populate *p, const struct cursor *k)
{
    const struct mi_topology *t = &p->c->topo;

    return meminit_error_set(p->c->err, "populate", ENOMEM, "out of memory "
                             "at gfn %#llx: %llu pages of this range left, "
                             "the host has %llu MiB free and %llu MiB of it "
                             "is claimed by other domains",
                             (unsigned long long)k->gfn,
                             (unsigned long long)(k->r->end - k->gfn),
                             (unsigned long long)t->host_free >> 8,
                             (unsigned long long)t->host_claimed >> 8);
}

/* A request came back short (or failed with ENOMEM): decide what next. */
static int shortfall(struct populate *p, struct cursor *k,
                     unsigned int order, int err)
{
    unsigned int node = k->nodes[k->ni];
    enum meminit_cause cause = judge(p, k, order, err);

    p->last_err = err;
    record(p->c, k, order, cause, err);
    if ( cause == MEMINIT_CAUSE_CLAIM_LIMIT && !order )
        return claims_hold(p, k);
    if ( cause == MEMINIT_CAUSE_CLAIM_LIMIT )
        p->claim_cap = (int)lower(order);
    else if ( cause == MEMINIT_CAUSE_EXHAUSTED || !order )
        *cap_slot(p, node) = NODE_EMPTY;
    else
        *cap_slot(p, node) = (int)lower(order);
    while ( k->ni < k->nr_nodes && node_cap(p, k->nodes[k->ni]) < 0 )
        k->ni++;
    record_next(p, k);
    return 0;
}

/*
 * Every node was tried. The remnants left on spill nodes (nearly_empty())
 * were a preference, not a reservation: the claim counted them, and on a
 * tight host the guest needs them. Reopen those nodes for 4 KiB pages.
 */
static bool reopen_remnants(struct populate *p, struct cursor *k)
{
    unsigned int i, first = k->nr_nodes;

    for ( i = 0; i < k->nr_nodes; i++ )
    {
        unsigned int n = k->nodes[i];

        if ( n == MI_ANY_NODE || !p->remnant[n] )
            continue;
        p->remnant[n] = false;
        *cap_slot(p, n) = MEMINIT_ORDER_4K;
        first = first < i ? first : i;
    }
    if ( first == k->nr_nodes )
        return false;
    k->ni = first;
    mi_log(p->c, MEMINIT_LOG_INFO, "gfn %#llx: taking the pages left on "
           "spill nodes, from node %u", (unsigned long long)k->gfn,
           k->nodes[first]);
    return true;
}

static int out_of_memory(struct populate *p, const struct cursor *k)
{
    if ( p->last_err )
        return meminit_error_set(p->c->err, "populate", p->last_err,
                                 "gfn %#llx: %s, and no other node to try",
                                 (unsigned long long)k->gfn,
                                 strerror(p->last_err));
    return meminit_error_set(p->c->err, "populate", ENOMEM, "out of memory "
                             "at gfn %#llx: %llu pages of this range left "
                             "and %s", (unsigned long long)k->gfn,
                             (unsigned long long)(k->r->end - k->gfn),
                             k->r->pnode != MEMINIT_NO_NODE
                             ? "its vNUMA node is full"
                             : "every node is full");
}

/* One step: one call at the current node and best order. */
static int step(struct populate *p, struct cursor *k)
{
    unsigned int node = k->nodes[k->ni];
    int cap = k->spread ? policy_cap(p->c, node, node_cap(p, node))
                        : node_cap(p, node);
    unsigned int order = pick_order(p, k, cap);
    unsigned long n = run_length(k, order, cap < p->claim_cap ? cap
                                                             : p->claim_cap);
    bool in_place = order == 0 && p->c->req->guest == MEMINIT_GUEST_PV;
    long done;
    int rc = grow_buf(p, in_place ? 0 : n);

    if ( rc )
        return rc;
    if ( k->spread )
        n = policy_extents(p->c, node, order, n);
    done = issue(p, k, node, order, n);
    if ( done == -ENOMEM || done == -EBUSY )
        return shortfall(p, k, order, (int)-done);
    if ( done < 0 )
        return meminit_error_set(p->c->err, "populate", (int)-done,
                                 "gfn %#llx, %lu x order %u on node %d: %s",
                                 (unsigned long long)k->gfn, n, order,
                                 node == MI_ANY_NODE ? -1 : (int)node,
                                 strerror((int)-done));
    account(p, node, order, (unsigned long)done);
    k->gfn += (xen_pfn_t)done << order;
    if ( (unsigned long)done < n )
        return shortfall(p, k, order, 0);
    return 0;
}

int populate_span(struct populate *p, const struct mi_range *r)
{
    static const unsigned int any = MI_ANY_NODE;
    const struct mi_ctx *c = p->c;
    struct cursor k = { .r = r, .gfn = r->start };
    int rc = 0;

    if ( r->pnode != MEMINIT_NO_NODE )
        k.nodes = &r->pnode, k.nr_nodes = 1;
    else if ( c->nr_order && !c->layout.pod )
        k.nodes = c->order, k.nr_nodes = c->nr_order,
        k.spread = mi_mode(c, MEMINIT_POLICY_INTERLEAVE);
    else
        k.nodes = &any, k.nr_nodes = 1;
    while ( k.ni < k.nr_nodes && node_cap(p, k.nodes[k.ni]) < 0 )
        k.ni++;
    while ( !rc && k.gfn < r->end )
    {
        if ( c->halt && atomic_load(c->halt) )
            return -ECANCELED;
        /* Atomic: a signal handler, or another thread, raises it. */
        if ( c->req->stop && __atomic_load_n(c->req->stop, __ATOMIC_RELAXED) )
            return meminit_error_set(c->err, "populate", EINTR,
                                     "interrupted at gfn %#llx",
                                     (unsigned long long)k.gfn);
        if ( k.spread )
            k.ni = policy_next(c, k.nodes, k.nr_nodes, p->node_max_order);
        if ( k.ni < k.nr_nodes || reopen_remnants(p, &k) )
            rc = step(p, &k);
        else
            rc = out_of_memory(p, &k);
    }
    return rc;
}

#define HUGE_BYTES  (2ul << 20)

/*
 * PV: the p2m is 8 bytes per frame (2 GiB for a 1 TiB guest), and most of
 * the cost of writing it is the first touch of fresh memory. Where the
 * kernel has transparent huge pages, asking for them cuts the page faults
 * 512-fold: a hint on the 2 MiB-aligned interior, ignored where THP is off
 * (a Xen PV dom0 has none) or the memory is not anonymous.
 */
static void p2m_hint(const struct mi_ctx *c)
{
    uintptr_t start = (uintptr_t)c->req->p2m;
    uintptr_t end = (uintptr_t)(c->req->p2m + c->layout.p2m_size);

    start = (start + HUGE_BYTES - 1) & ~(HUGE_BYTES - 1);
    end &= ~(HUGE_BYTES - 1);
    if ( end > start + HUGE_BYTES )
        madvise((void *)start, end - start, MADV_HUGEPAGE);
}

/*
 * PV: frames outside every range (between vNUMA ranges) have no mfn. The
 * frames of the ranges are written by the populate calls themselves, once
 * each (issue()), so the whole p2m is walked only when there are holes.
 */
static void fill_holes(struct mi_ctx *c)
{
    xen_pfn_t *p2m = c->req->p2m;
    xen_pfn_t gfn;

    if ( c->layout.pages == c->layout.p2m_size )
        return;
    for ( gfn = 0; gfn < c->layout.p2m_size; gfn++ )
        p2m[gfn] = MI_INVALID_MFN;
}

/*
 * The claim this build holds while populating: none left after a PoD
 * target, which the PoD cache took whole (populate_pod_target()).
 */
void populate_init(struct populate *p, struct mi_ctx *c)
{
    unsigned int i;

    *p = (struct populate){ .c = c, .claim_cap = MEMINIT_ORDER_1G,
                            .claim_left = c->layout.pod ? 0
                                          : c->st->claim_pages };
    for ( i = 0; i <= MEMINIT_MAX_NODES; i++ )
        p->node_max_order[i] = MEMINIT_ORDER_1G;
}

int populate_prepare(struct mi_ctx *c)
{
    if ( c->req->guest != MEMINIT_GUEST_PV )
        return 0;
    if ( !c->req->p2m )
        return meminit_error_set(c->err, "populate", EINVAL,
                                 "PV guest without a p2m");
    p2m_hint(c);
    fill_holes(c);
    return 0;
}

void populate_fini(struct populate *p)
{
    free(p->buf);
    p->buf = NULL;
    p->buf_len = 0;
}

/* What one loop learnt about the nodes, taken into another's (parallel.c
 * hands the serial rest what its threads learnt): the lower cap wins. */
void populate_learn(struct populate *into, const struct populate *from)
{
    unsigned int i;

    for ( i = 0; i <= MEMINIT_MAX_NODES; i++ )
        if ( from->node_max_order[i] < into->node_max_order[i] )
            into->node_max_order[i] = from->node_max_order[i];
    for ( i = 0; i < MEMINIT_MAX_NODES; i++ )
        into->remnant[i] = into->remnant[i] || from->remnant[i];
    if ( from->claim_cap < into->claim_cap )
        into->claim_cap = from->claim_cap;
    if ( from->last_err )
        into->last_err = from->last_err;
}

int populate_all(struct mi_ctx *c)
{
    struct populate p;
    unsigned int i;
    int rc = populate_prepare(c);

    if ( rc )
        return rc;
    populate_init(&p, c);
    for ( i = 0; !rc && i < c->layout.nr; i++ )
        rc = populate_span(&p, &c->layout.r[i]);
    populate_fini(&p);
    return rc;
}

static int pod_target_call(struct mi_ctx *c, uint64_t target)
{
    uint64_t t0 = mi_call_begin();
    int rc = xc_domain_set_pod_target(c->req->xch, c->req->domid, target,
                                      NULL, NULL, NULL);

    mi_call_end(c, t0, rc);
    if ( rc < 0 )
        return meminit_error_set(c->err, "pod-target", mi_errno(),
                                 "PoD target of %llu pages: %s",
                                 (unsigned long long)target,
                                 strerror(mi_errno()));
    return 0;
}

/*
 * PoD: the target is backed by the PoD cache, which setting the target
 * allocates, naming no node: from the domain's node affinity. With a
 * placement the cache is built node by node as planned: the node affinity
 * is set to one node, the target raised by that node's share, and so on
 * (Xen grows the cache by the difference, p2m_pod_set_mem_target()). What
 * the plan could not place comes last, under all the nodes used so far.
 */
int populate_pod_target(struct mi_ctx *c)
{
    uint64_t per_node[MEMINIT_MAX_NODES] = { 0 }, target = 0, rest;
    unsigned int i, n;
    int rc = 0;

    if ( !c->layout.pod )
        return 0;
    if ( !c->nr_order )
        return pod_target_call(c, c->layout.pod_target);
    rest = topology_distribute(c, c->layout.pod_target, per_node);
    for ( i = 0; !rc && i < c->nr_order; i++ )
    {
        n = c->order[i];
        if ( !per_node[n] )
            continue;
        affinity_set(c, 1ull << n);
        target += per_node[n];
        rc = pod_target_call(c, target);
        if ( !rc )
            c->st->node[n].pod_cache += per_node[n];
    }
    if ( !rc && rest )
    {
        affinity_settle(c);
        rc = pod_target_call(c, c->layout.pod_target);
    }
    return rc;
}
