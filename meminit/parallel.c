/*
 * parallel.c - populate one domain from several threads (parallel.h).
 *
 * Why: with memory freshly freed by a destroyed guest, Xen scrubs each
 * dirty page inside the populate call that takes it, on the calling CPU.
 * One builder thread scrubs a whole guest on one dom0 vCPU; N threads
 * populating disjoint frames scrub on N. The heap lock is not held while
 * scrubbing, so the calls do not serialise on it.
 *
 * How: plan() walks the layout slice by slice (1 GiB frame boundaries) and
 * keeps going while the first node of the slice's range has the free
 * memory for it: those slices are where serial would populate without a
 * single fallback, and they are handed out to the threads in frame order
 * (take()). Each thread runs the serial loop on its own mi_ctx copy (own
 * stats, error record and topology figures) with the claim serial would
 * have left at the slice's start. What the plan left (and what a slice
 * that fell short stopped) is populated by serial_rest() on the caller's
 * thread, knowing what the threads learnt. Stats are summed afterwards.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "claim.h"
#include "parallel.h"
#include "populate.h"
#include "topology.h"

#define SLICE_ORDER     MEMINIT_ORDER_1G    /* slices end on 1 GiB frames */
#define XEN_FIRST_SAFE  0x40011             /* 4.17: the oldest we know */
#define XEN_STASH       0x40016             /* 4.22: one stash per domain */

/* A place in the layout: range ri, frame gfn. */
struct spot {
    unsigned int ri;
    xen_pfn_t gfn;
};

/* What the threads share: every field under lock, but halt. */
struct par {
    struct mi_ctx *c;           /* the build's own context */
    pthread_mutex_t lock;       /* the fields below, and the log callback */
    struct spot next;           /* first frame not handed out */
    struct spot end;            /* where the plan stops handing out */
    uint64_t handed;            /* pages handed out before next */
    bool fell_short;            /* a slice fell short: hand out no more */
    atomic_int halt;            /* a thread failed: the others stop */
    int rc;                     /* the first failure's -errno */
    struct meminit_error err;   /* and its record */
};

/* One thread and its own view of the build. */
struct worker {
    struct par *par;
    pthread_t tid;
    struct mi_ctx c;            /* copy of the build's, pointing below */
    struct meminit_request req; /* copy: the log goes through par->lock */
    struct meminit_stats st;
    struct meminit_error err;
    struct populate p;
    uint64_t ns;
    uint32_t slices;
};

const char *meminit_threads_reason_name(enum meminit_threads_reason reason)
{
    switch ( reason )
    {
    case MEMINIT_THREADS_PARALLEL:      return "parallel";
    case MEMINIT_THREADS_ASKED:         return "asked";
    case MEMINIT_THREADS_XEN:           return "xen-version";
    case MEMINIT_THREADS_XEN_UNKNOWN:   return "xen-version-unknown";
    case MEMINIT_THREADS_POD:           return "pod";
    case MEMINIT_THREADS_ONE_SLICE:     return "one-slice";
    case MEMINIT_THREADS_CLAIMS:        return "others-claims";
    case MEMINIT_THREADS_NO_THREAD:     return "no-thread";
    case MEMINIT_THREADS_NO_NODE:       return "no-node";
    case MEMINIT_THREADS_NO_FIGURES:    return "figures-unread";
    case MEMINIT_THREADS_INTERLEAVE:    return "interleave";
    case MEMINIT_THREADS_ONE_CPU:       return "one-cpu";
    }
    return "?";
}

static bool before(struct spot a, struct spot b)
{
    return a.ri < b.ri || (a.ri == b.ri && a.gfn < b.gfn);
}

/* One past the last frame of the slice that starts at gfn in r. */
static xen_pfn_t slice_end(const struct mi_range *r, xen_pfn_t gfn)
{
    xen_pfn_t next = (gfn | ((1ull << SLICE_ORDER) - 1)) + 1;

    return next < r->end ? next : r->end;
}

/* Move s to frame gfn of its range, or to the next range's start. */
static void advance(const struct mi_ctx *c, struct spot *s, xen_pfn_t gfn)
{
    s->gfn = gfn;
    if ( gfn < c->layout.r[s->ri].end )
        return;
    if ( ++s->ri < c->layout.nr )
        s->gfn = c->layout.r[s->ri].start;
}

/* The node the serial loop asks first for r (populate_span()). */
static unsigned int first_node(const struct mi_ctx *c,
                               const struct mi_range *r)
{
    if ( r->pnode != MEMINIT_NO_NODE )
        return r->pnode;
    if ( c->nr_order && !c->layout.pod )
        return c->order[0];
    return MI_ANY_NODE;
}

/*
 * Where the threads stop: after the last slice, in frame order, that the
 * first node of its range has the free memory for (c->topo, read just
 * before). Returns the number of 1 GiB frame windows those slices touch,
 * not of slices: a hole (HVM's VGA hole) cuts one window into two slices,
 * and one window's work is not worth a second thread.
 */
static unsigned long plan(struct par *par)
{
    const struct mi_ctx *c = par->c;
    uint64_t budget[MEMINIT_MAX_NODES], *b;
    struct spot s = { 0, c->layout.nr ? c->layout.r[0].start : 0 };
    unsigned long n = 0;
    unsigned int node;
    xen_pfn_t e, window = ~(xen_pfn_t)0;

    memcpy(budget, c->topo.free, sizeof(c->topo.free));
    while ( s.ri < c->layout.nr )
    {
        node = first_node(c, &c->layout.r[s.ri]);
        if ( node == MI_ANY_NODE )
            break;
        b = &budget[node];
        e = slice_end(&c->layout.r[s.ri], s.gfn);
        if ( e - s.gfn > *b )
            break;
        *b -= e - s.gfn;
        if ( s.gfn >> SLICE_ORDER != window )
            n++;
        window = s.gfn >> SLICE_ORDER;
        advance(c, &s, e);
    }
    par->end = s;
    return n;
}

/* Xen's version, major << 16 | minor, or -errno. */
static int xen_version(struct mi_ctx *c)
{
    uint64_t t0 = mi_call_begin();
    int v = xc_version(c->req->xch, XENVER_version, NULL);

    mi_call_end(c, t0, v);
    return v < 0 ? -mi_errno() : v;
}

/*
 * Threads asked for: MEMINIT_THREADS_AUTO is dom0's online CPUs that this
 * process may run on (its affinity; all online ones when that cannot be
 * read, e.g. more CPUs than a cpu_set_t holds).
 */
static unsigned int wanted(const struct meminit_request *req)
{
    cpu_set_t set;
    long cpus;

    if ( req->populate_threads != MEMINIT_THREADS_AUTO )
        return req->populate_threads < MEMINIT_MAX_THREADS
               ? req->populate_threads : MEMINIT_MAX_THREADS;
    if ( sched_getaffinity(0, sizeof(set), &set) == 0 )
        cpus = CPU_COUNT(&set);
    else
        cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if ( cpus < 1 )
        return 1;
    return cpus < MEMINIT_DEFAULT_THREADS ? (unsigned int)cpus
                                          : MEMINIT_DEFAULT_THREADS;
}

/*
 * Could claims refuse one of our requests? Not while our own claim covers
 * all we populate (4.17 lets a domain's claim cover its request,
 * alloc_heap_pages()): the claim just staked or found, nothing populated
 * since. Nor while the others' claims leave the host room for all of it;
 * else the serial loop judges each shortfall on the host figures, in
 * order. Returns the reason to stay serial, or PARALLEL.
 */
static enum meminit_threads_reason claims_may_block(struct mi_ctx *c)
{
    uint64_t own = 0, others, need = mi_need(c);

    if ( c->st->claim_kind != MEMINIT_CLAIMED_NONE &&
         c->st->claim_pages >= need )
        return MEMINIT_THREADS_PARALLEL;
    if ( topology_refresh(c) || claim_own_outstanding(c, &own) )
        return MEMINIT_THREADS_NO_FIGURES;
    others = c->topo.host_claimed > own ? c->topo.host_claimed - own : 0;
    mi_log(c, MEMINIT_LOG_INFO, "populate: claims: ours %llu pages, others' "
           "%llu, %llu free, %llu needed", (unsigned long long)own,
           (unsigned long long)others,
           (unsigned long long)c->topo.host_free, (unsigned long long)need);
    return own < need && others + need > c->topo.host_free
           ? MEMINIT_THREADS_CLAIMS : MEMINIT_THREADS_PARALLEL;
}

/* How many threads, and why (parallel.h). Plans the threads' share. */
static unsigned int decide(struct par *par, enum meminit_threads_reason *why)
{
    struct mi_ctx *c = par->c;
    unsigned int n = wanted(c->req);
    unsigned long windows;
    int v;

    *why = c->req->populate_threads == MEMINIT_THREADS_AUTO
           ? MEMINIT_THREADS_ONE_CPU : MEMINIT_THREADS_ASKED;
    if ( n < 2 )
        return 1;
    *why = MEMINIT_THREADS_POD;
    if ( c->layout.pod )
        return 1;
    *why = MEMINIT_THREADS_INTERLEAVE;
    if ( mi_mode(c, MEMINIT_POLICY_INTERLEAVE) )
        return 1;
    *why = MEMINIT_THREADS_NO_NODE;
    if ( c->layout.nr && first_node(c, &c->layout.r[0]) == MI_ANY_NODE )
        return 1;
    *why = claims_may_block(c);
    if ( *why != MEMINIT_THREADS_PARALLEL )
        return 1;
    *why = MEMINIT_THREADS_ONE_SLICE;
    windows = plan(par);
    if ( windows < 2 )
        return 1;
    v = xen_version(c);
    c->st->xen_version = v > 0 ? (uint32_t)v : 0;
    *why = v < 0 ? MEMINIT_THREADS_XEN_UNKNOWN : MEMINIT_THREADS_XEN;
    if ( v < XEN_FIRST_SAFE || v >= XEN_STASH )
        return 1;
    *why = MEMINIT_THREADS_PARALLEL;
    return windows < n ? (unsigned int)windows : n;
}

static uint64_t claim_after(const struct mi_ctx *c, uint64_t pages)
{
    return c->st->claim_pages > pages ? c->st->claim_pages - pages : 0;
}

/*
 * The next slice for a thread, into *out, and the claim the serial loop
 * would have left at its start. false: nothing more to hand out.
 */
static bool take(struct par *par, struct mi_range *out, uint64_t *claim)
{
    const struct mi_ctx *c = par->c;
    bool got = false;

    pthread_mutex_lock(&par->lock);
    if ( !par->fell_short && !atomic_load(&par->halt) &&
         before(par->next, par->end) )
    {
        *out = c->layout.r[par->next.ri];
        out->start = par->next.gfn;
        out->end = slice_end(out, out->start);
        *claim = claim_after(c, par->handed);
        par->handed += out->end - out->start;
        advance(c, &par->next, out->end);
        got = true;
    }
    pthread_mutex_unlock(&par->lock);
    return got;
}

static void fell_short(struct par *par)
{
    pthread_mutex_lock(&par->lock);
    par->fell_short = true;
    pthread_mutex_unlock(&par->lock);
}

/* A thread failed: the first failure is kept, every thread stops. */
static void fail(struct par *par, const struct meminit_error *err, int rc)
{
    pthread_mutex_lock(&par->lock);
    if ( !par->rc )
    {
        par->rc = rc;
        par->err = *err;
    }
    atomic_store(&par->halt, 1);
    pthread_mutex_unlock(&par->lock);
}

static void *work(void *arg)
{
    struct worker *w = arg;
    struct mi_range slice;
    uint64_t t0 = mi_now_ns(), claim;
    uint32_t falls;
    int rc = 0;

    populate_init(&w->p, &w->c);
    while ( !rc && take(w->par, &slice, &claim) )
    {
        falls = w->st.nr_fallbacks;
        w->p.claim_left = claim;
        w->slices++;
        rc = populate_span(&w->p, &slice);
        if ( w->st.nr_fallbacks != falls )
            fell_short(w->par);
    }
    if ( rc && rc != -ECANCELED )
        fail(w->par, &w->err, rc);
    w->ns = mi_now_ns() - t0;
    return NULL;
}

/* The caller's log callback, one call at a time. */
static void log_locked(void *opaque, enum meminit_log_level level,
                       const char *msg)
{
    struct par *par = opaque;
    const struct meminit_request *req = par->c->req;

    pthread_mutex_lock(&par->lock);
    req->log(req->log_opaque, level, msg);
    pthread_mutex_unlock(&par->lock);
}

static void worker_init(struct worker *w, struct par *par)
{
    const struct mi_ctx *c = par->c;

    w->par = par;
    w->req = *c->req;
    if ( w->req.log )
    {
        w->req.log = log_locked;
        w->req.log_opaque = par;
    }
    w->c = *c;
    w->c.req = &w->req;
    w->c.st = &w->st;
    w->c.err = &w->err;
    w->c.halt = &par->halt;
    w->st.claim_kind = c->st->claim_kind;
    w->st.claim_pages = c->st->claim_pages;
}

/* 4 KiB pages a stats record accounts for as populated (or PoD). */
static uint64_t stats_pages(const struct meminit_stats *st)
{
    uint64_t pages = st->pod_pages;
    unsigned int n, s;

    for ( s = 0; s < MEMINIT_NR_SIZES; s++ )
    {
        unsigned int o = meminit_size_order((enum meminit_size)s);

        for ( n = 0; n < MEMINIT_MAX_NODES; n++ )
            pages += st->node[n].extents[s] << o;
        pages += st->anynode.extents[s] << o;
    }
    return pages;
}

static void add_node(struct meminit_node_stats *to,
                     const struct meminit_node_stats *from)
{
    unsigned int s;

    for ( s = 0; s < MEMINIT_NR_SIZES; s++ )
        to->extents[s] += from->extents[s];
    to->ns += from->ns;
    to->calls += from->calls;
}

static int by_gfn(const void *a, const void *b)
{
    const struct meminit_fallback *x = a, *y = b;

    return x->gfn < y->gfn ? -1 : x->gfn > y->gfn;
}

/* A thread's fallbacks after the build's (kept ones only). */
static void add_fallbacks(struct meminit_stats *st,
                          const struct meminit_stats *ws)
{
    uint32_t i, kept = st->nr_fallbacks < MEMINIT_MAX_FALLBACKS
                       ? st->nr_fallbacks : MEMINIT_MAX_FALLBACKS;

    for ( i = 0; i < ws->nr_fallbacks && i < MEMINIT_MAX_FALLBACKS &&
                 kept < MEMINIT_MAX_FALLBACKS; i++ )
        st->fallback[kept++] = ws->fallback[i];
    st->nr_fallbacks += ws->nr_fallbacks;
}

/* A thread's figures into the build's; its row in stats->thread[i]. */
static void merge(struct meminit_stats *st, const struct worker *w,
                  unsigned int i)
{
    const struct meminit_stats *ws = &w->st;
    unsigned int n;

    for ( n = 0; n < MEMINIT_MAX_NODES; n++ )
        add_node(&st->node[n], &ws->node[n]);
    add_node(&st->anynode, &ws->anynode);
    st->pod_pages += ws->pod_pages;
    st->hypercalls += ws->hypercalls;
    st->hypercalls_failed += ws->hypercalls_failed;
    st->populate_calls += ws->populate_calls;
    st->ns_calls += ws->ns_calls;
    add_fallbacks(st, ws);
    st->thread[i] = (struct meminit_thread_stats){
        .pages = stats_pages(ws), .ns = w->ns,
        .calls = ws->populate_calls, .slices = w->slices };
    st->parallel_pages += st->thread[i].pages;
}

/* The rest, serially, from where the threads stopped. */
static int serial_rest(struct par *par, const struct worker *w,
                       unsigned int n)
{
    struct mi_ctx *c = par->c;
    struct spot s = par->next;
    struct populate p;
    struct mi_range r;
    unsigned int i;
    int rc = 0;

    populate_init(&p, c);
    for ( i = 0; i < n; i++ )
        populate_learn(&p, &w[i].p);
    p.claim_left = claim_after(c, par->handed);
    while ( !rc && s.ri < c->layout.nr )
    {
        r = c->layout.r[s.ri];
        r.start = s.gfn;
        rc = populate_span(&p, &r);
        advance(c, &s, r.end);
    }
    populate_fini(&p);
    return rc;
}

/*
 * Start n threads, wait for them; how many ran. The threads start with
 * every signal blocked: the caller's handlers (which may raise req->stop)
 * run on its own thread, as they did before there were threads.
 */
static unsigned int run_threads(struct par *par, struct worker *w,
                                unsigned int n)
{
    unsigned int i, started;
    sigset_t all, old;

    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    for ( started = 0; started < n; started++ )
    {
        worker_init(&w[started], par);
        if ( pthread_create(&w[started].tid, NULL, work, &w[started]) )
            break;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    for ( i = 0; i < started; i++ )
        pthread_join(w[i].tid, NULL);
    return started;
}

/* The threads' figures and failure into the build's, then the rest. */
static int finish(struct par *par, struct worker *w, unsigned int n)
{
    struct meminit_stats *st = par->c->st;
    unsigned int i;
    int rc = par->rc;

    for ( i = 0; i < n; i++ )
        merge(st, &w[i], i);
    if ( st->nr_fallbacks )
        qsort(st->fallback, st->nr_fallbacks < MEMINIT_MAX_FALLBACKS
              ? st->nr_fallbacks : MEMINIT_MAX_FALLBACKS,
              sizeof(st->fallback[0]), by_gfn);
    if ( rc )
        return meminit_error_set(par->c->err, par->err.step ?: "populate",
                                 par->err.err ?: -rc, "%s", par->err.msg);
    return serial_rest(par, w, n);
}

static int run_parallel(struct par *par, unsigned int n)
{
    struct worker *w = calloc(n, sizeof(*w));
    struct mi_ctx *c = par->c;
    unsigned int i, ran = 0;
    int rc;

    if ( w )
        ran = run_threads(par, w, n);
    if ( !ran )
        c->st->threads_reason = MEMINIT_THREADS_NO_THREAD;
    c->st->populate_threads = ran ? ran : 1;
    mi_log(c, MEMINIT_LOG_INFO, "populate: %u threads, %llu MiB of the "
           "guest in slices before the first node boundary", ran,
           (unsigned long long)par->handed >> 8);
    rc = finish(par, w, ran);
    for ( i = 0; w && i < ran; i++ )
        populate_fini(&w[i].p);
    free(w);
    return rc;
}

/* Serial: the loop as it always was; its figures are thread 0's. */
static int run_serial(struct mi_ctx *c)
{
    uint64_t t0 = mi_now_ns();
    int rc = populate_all(c);

    c->st->populate_threads = 1;
    c->st->thread[0] = (struct meminit_thread_stats){
        .pages = stats_pages(c->st), .ns = mi_now_ns() - t0,
        .calls = c->st->populate_calls, .slices = 1 };
    return rc;
}

int parallel_populate(struct mi_ctx *c)
{
    struct par par = { .c = c };
    enum meminit_threads_reason why;
    uint64_t t0 = mi_now_ns();
    unsigned int n = decide(&par, &why);
    int rc = 0;

    c->st->threads_reason = why;
    mi_log(c, MEMINIT_LOG_INFO, "populate: %u thread(s) asked, %u used: %s",
           wanted(c->req), n, meminit_threads_reason_name(why));
    if ( n < 2 )
        rc = run_serial(c);
    else if ( !(rc = populate_prepare(c)) )
    {
        pthread_mutex_init(&par.lock, NULL);
        par.next = (struct spot){ 0, c->layout.r[0].start };
        rc = run_parallel(&par, n);
        pthread_mutex_destroy(&par.lock);
    }
    c->st->ns_populate = mi_now_ns() - t0;
    return rc;
}
