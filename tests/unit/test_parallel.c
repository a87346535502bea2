/*
 * test_parallel.c - meminit's parallel populate (meminit/parallel.c) on the
 * simulated host: on every host of tests/bench/hosts/, for 1, 2, 4 and 8
 * threads, the same pages per node, page sizes and fallbacks as the serial
 * loop, the claim left at 0; the Xen-version gate; a failure in one thread
 * (an injected fault) ends the build with one clean error and no claim; the
 * stop flag stops every thread.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

#include "fixture.h"
#include "cmt.h"

/* A host of tests/bench/hosts/, as its file describes it. */
struct host_desc {
    unsigned int nodes;
    uint64_t gib;                       /* per node */
    uint64_t used_gib[4];               /* held by others, nodes 0..3 */
    uint64_t free_1g[4], free_2m[4];    /* when frag; free_2m 0: no limit */
    bool frag;
};

static const struct host_desc host_2socket = {
    .nodes = 2, .gib = 128, .used_gib = { 8 } };
static const struct host_desc host_4node = { .nodes = 4, .gib = 64 };
static const struct host_desc host_8node = { .nodes = 8, .gib = 160 };
static const struct host_desc host_frag = {
    .nodes = 4, .gib = 64, .used_gib = { 16, 16, 16, 16 },
    .free_1g = { 2, 4, 4, 4 }, .free_2m = { 256 }, .frag = true };
static const struct host_desc host_frag2m = {
    .nodes = 4, .gib = 64, .used_gib = { 16, 16, 16, 16 },
    .free_1g = { 2, 2, 2, 2 }, .frag = true };

/* The distances of tests/bench/hosts/4-node.host and 8-node.host. */
static void distances(struct fx *f, const struct host_desc *h)
{
    static const uint32_t four[4][4] = {
        { 10, 11, 21, 21 }, { 11, 10, 21, 21 },
        { 21, 21, 10, 11 }, { 21, 21, 11, 10 } };
    static const uint32_t hops[5] = { 10, 16, 22, 28, 28 };
    unsigned int a, b, d;

    for ( a = 0; a < h->nodes; a++ )
        for ( b = 0; b < h->nodes; b++ )
        {
            d = a > b ? a - b : b - a;
            d = d > h->nodes / 2 ? h->nodes - d : d;
            f->cfg.distance[a][b] = h->nodes == 4 ? four[a][b]
                                  : h->nodes == 8 ? hops[d]
                                  : (a == b ? 10 : 21);
        }
}

static void host_config(struct fx *f, const struct host_desc *h,
                        enum sim_claim_abi abi)
{
    struct sim_node_config *n;
    unsigned int i;

    fx_config(f, h->nodes, h->gib, abi);
    distances(f, h);
    for ( i = 0; i < h->nodes && i < 4; i++ )
    {
        n = &f->cfg.node[i];
        n->free_1g = (h->gib - h->used_gib[i]);
        n->free_2m = n->free_4k = 0;
        if ( h->frag )
            sim_config_fragment(&f->cfg, i, h->free_1g[i],
                                h->free_2m[i] ? h->free_2m[i] : UINT64_MAX);
    }
}

struct par_case {
    const char *name;
    const struct host_desc *host;
    enum meminit_guest guest;
    uint64_t mib;
    unsigned int pnode;                 /* MEMINIT_NO_NODE: placement off */
    enum sim_claim_abi abi;
    enum meminit_threads_reason want;   /* with 2+ threads asked */
    bool exact;                         /* false: a node runs out of 2 MiB
                                           blocks while it has 1 GiB ones */
};

#define PAR     MEMINIT_THREADS_PARALLEL

static struct par_case par_cases[] = {
    { "2-socket: hvm 64 GiB on node 0", &host_2socket, MEMINIT_GUEST_HVM,
      64 << 10, 0, SIM_CLAIM_UPSTREAM, PAR, true },
    { "2-socket: hvm 160 GiB on node 0, spills", &host_2socket,
      MEMINIT_GUEST_HVM, 160 << 10, 0, SIM_CLAIM_UPSTREAM, PAR, true },
    { "4-node: hvm 96 GiB on node 2, spills near", &host_4node,
      MEMINIT_GUEST_HVM, 96 << 10, 2, SIM_CLAIM_UPSTREAM, PAR, true },
    { "4-node: hvm 96 GiB on node 2, claim set", &host_4node,
      MEMINIT_GUEST_HVM, 96 << 10, 2, SIM_CLAIM_SET, PAR, true },
    { "4-node: pv 8 GiB on node 1", &host_4node, MEMINIT_GUEST_PV,
      8 << 10, 1, SIM_CLAIM_NODE, PAR, true },
    { "4-node: hvm 32 GiB, placement off: serial", &host_4node,
      MEMINIT_GUEST_HVM, 32 << 10, MEMINIT_NO_NODE, SIM_CLAIM_UPSTREAM,
      MEMINIT_THREADS_NO_NODE, true },
    { "8-node: hvm 200 GiB on node 0, spills", &host_8node,
      MEMINIT_GUEST_HVM, 200 << 10, 0, SIM_CLAIM_UPSTREAM, PAR, true },
    { "fragmented: hvm 8 GiB on node 1", &host_frag, MEMINIT_GUEST_HVM,
      8 << 10, 1, SIM_CLAIM_UPSTREAM, PAR, true },
    /* Node 0 has 256 free 2 MiB blocks and 2 of 1 GiB: serial splits a
     * 1 GiB block for the 2 MiB extents below 1 GiB, threads may not. */
    { "fragmented: hvm 40 GiB on node 0", &host_frag, MEMINIT_GUEST_HVM,
      40 << 10, 0, SIM_CLAIM_UPSTREAM, PAR, false },
    { "fragmented-2m: hvm 40 GiB on node 1", &host_frag2m, MEMINIT_GUEST_HVM,
      40 << 10, 1, SIM_CLAIM_UPSTREAM, PAR, true },
    { "fragmented-2m: pv 4 GiB on node 3", &host_frag2m, MEMINIT_GUEST_PV,
      4 << 10, 3, SIM_CLAIM_UPSTREAM, PAR, true },
};

/* What one build left: per node pages and extents, the fallbacks. */
struct outcome {
    struct sim_domain_info di;
    struct meminit_stats st;
};

/* Every populate call takes a while, as a real one does: the threads
 * interleave instead of the first one taking every slice. */
static void slow_populate(void *opaque, enum sim_fn fn)
{
    (void)opaque;
    if ( fn == SIM_FN_POPULATE || fn == SIM_FN_POPULATE_EXACT )
        usleep(100);
}

static void build(const struct par_case *pc, unsigned int threads,
                  struct outcome *out)
{
    struct fx f;

    host_config(&f, pc->host, pc->abi);
    fx_start(&f);
    sim_set_call_hook(f.host, slow_populate, NULL);
    fx_domain(&f, pc->guest, pc->mib);
    f.req.policy.pnode = pc->pnode;
    if ( pc->pnode == MEMINIT_NO_NODE )
        f.req.policy.mode = MEMINIT_POLICY_OFF;
    f.req.populate_threads = threads;
    assert_int_equal(fx_build(&f), 0);
    out->di = fx_info(&f);
    out->st = f.st;
    assert_int_equal(out->di.outstanding, 0);
    assert_int_equal(f.st.claim_left, 0);
    assert_int_equal(out->di.tot_pages, f.populated);
    fx_done(&f);
}

/* Is fallback (node, order, cause) among the outcome's? */
static bool has_fallback(const struct meminit_stats *st,
                         const struct meminit_fallback *fb)
{
    uint32_t i;

    for ( i = 0; i < st->nr_fallbacks && i < MEMINIT_MAX_FALLBACKS; i++ )
        if ( st->fallback[i].node == fb->node &&
             st->fallback[i].order == fb->order &&
             st->fallback[i].cause == fb->cause )
            return true;
    return false;
}

/* Every fallback of a is one of b's (node, order, cause). */
static void same_fallbacks(const struct meminit_stats *a,
                           const struct meminit_stats *b)
{
    uint32_t i;

    for ( i = 0; i < a->nr_fallbacks && i < MEMINIT_MAX_FALLBACKS; i++ )
        assert_true(has_fallback(b, &a->fallback[i]));
}

/* Pages of a node in superpages, 2 MiB and 1 GiB. */
static uint64_t super(const struct sim_domain_info *di, unsigned int n)
{
    return (di->extents[n][1] << 9) + (di->extents[n][2] << 18);
}

static void same_outcome(const struct outcome *ser, const struct outcome *par,
                         unsigned int nodes, bool exact)
{
    unsigned int n, s;

    for ( n = 0; n < nodes; n++ )
    {
        assert_int_equal(par->di.pages_on[n], ser->di.pages_on[n]);
        assert_int_equal(par->di.extents[n][0], ser->di.extents[n][0]);
        assert_int_equal(super(&par->di, n), super(&ser->di, n));
        for ( s = 1; exact && s < 3; s++ )
            assert_int_equal(par->di.extents[n][s], ser->di.extents[n][s]);
        for ( s = 0; exact && s < MEMINIT_NR_SIZES; s++ )
            assert_int_equal(par->st.node[n].extents[s],
                             ser->st.node[n].extents[s]);
    }
    for ( s = 0; s < MEMINIT_NR_SIZES; s++ )
        assert_int_equal(par->st.anynode.extents[s],
                         ser->st.anynode.extents[s]);
    same_fallbacks(&ser->st, &par->st);
    same_fallbacks(&par->st, &ser->st);
    assert_true(par->st.nr_fallbacks >= ser->st.nr_fallbacks);
}

/* The threads' rows add up to what they populated; the rest is serial. */
static void thread_rows(const struct outcome *o, uint64_t populated)
{
    uint64_t pages = 0;
    unsigned int i;

    for ( i = 0; i < o->st.populate_threads; i++ )
        pages += o->st.thread[i].pages;
    assert_int_equal(pages, o->st.threads_reason == MEMINIT_THREADS_PARALLEL
                            ? o->st.parallel_pages : populated);
}

static void test_same_as_serial(void **state)
{
    const struct par_case *pc = *state;
    static const unsigned int threads[] = { 1, 2, 4, 8 };
    struct outcome *ser = calloc(2, sizeof(*ser)), *par = ser + 1;
    unsigned int i;

    assert_non_null(ser);
    build(pc, 0, ser);
    assert_int_equal(ser->st.populate_threads, 1);
    assert_int_equal(ser->st.threads_reason, MEMINIT_THREADS_ASKED);
    for ( i = 0; i < CMT_SIZE(threads); i++ )
    {
        build(pc, threads[i], par);
        same_outcome(ser, par, pc->host->nodes, pc->exact);
        thread_rows(par, par->di.tot_pages);
        if ( threads[i] == 1 )
            continue;
        assert_int_equal(par->st.threads_reason, pc->want);
        if ( pc->want != MEMINIT_THREADS_PARALLEL )
            continue;
        assert_true(par->st.populate_threads >= 2);
        assert_true(par->st.populate_threads <= threads[i]);
        assert_int_equal(par->st.xen_version, SIM_XEN_4_17);
    }
    free(ser);
}

/* ---- the gate: Xen's version, PoD, others' claims ---- */

struct gate_case {
    const char *name;
    unsigned int xen_version;           /* sim_config.xen_version */
    bool version_fails;                 /* xc_version answers EPERM */
    bool pod;
    uint64_t other_claim;               /* GiB another domain claimed */
    bool claim_off;                     /* --claim=off: no claim of ours */
    enum meminit_policy_mode mode;
    enum meminit_threads_reason want;
    unsigned int threads;               /* used */
    int rc;
};

#define PREF    MEMINIT_POLICY_PREFERRED

static struct gate_case gate_cases[] = {
    { "gate: Xen 4.17 parallel", 0x40011, false, false, 0, false, PREF,
      PAR, 4, 0 },
    { "gate: Xen 4.21 parallel", 0x40015, false, false, 0, false, PREF,
      PAR, 4, 0 },
    { "gate: Xen 4.22 serial (one scrub stash per domain)", 0x40016, false,
      false, 0, false, PREF, MEMINIT_THREADS_XEN, 1, 0 },
    { "gate: Xen 4.16 serial (not verified)", 0x40010, false, false, 0,
      false, PREF, MEMINIT_THREADS_XEN, 1, 0 },
    { "gate: xc_version fails: serial", 0x40011, true, false, 0, false,
      PREF, MEMINIT_THREADS_XEN_UNKNOWN, 1, 0 },
    { "gate: PoD serial", 0x40011, false, true, 0, false, PREF,
      MEMINIT_THREADS_POD, 1, 0 },
    { "gate: others' claims, ours covers the guest: parallel", 0x40011,
      false, false, 40, false, PREF, PAR, 4, 0 },
    { "gate: others' claims, no claim of ours, no room: serial", 0x40011,
      false, false, 60, true, PREF, MEMINIT_THREADS_CLAIMS, 1, -ENOMEM },
    { "gate: policy interleave: serial", 0x40011, false, false, 0, false,
      MEMINIT_POLICY_INTERLEAVE, MEMINIT_THREADS_INTERLEAVE, 1, 0 },
};

static void test_gate(void **state)
{
    const struct gate_case *gc = *state;
    struct fx f;

    fx_config(&f, 4, 16, SIM_CLAIM_UPSTREAM);
    f.cfg.xen_version = gc->xen_version;
    fx_start(&f);
    fx_domain(&f, MEMINIT_GUEST_HVM, 8192);
    f.req.policy.pnode = 2;
    f.req.policy.mode = gc->mode;
    f.req.populate_threads = 4;
    if ( gc->pod )
        f.req.target_pages = 4096 * MiB_PAGES;
    if ( gc->version_fails )
        assert_int_equal(sim_fault(f.host, SIM_FN_VERSION, 1, EPERM), 0);
    if ( gc->claim_off )
        f.req.claim = MEMINIT_CLAIM_OFF;
    if ( gc->other_claim )
    {
        assert_int_equal(sim_domain_create(f.host, 8, 64 * GiB_PAGES, true),
                         0);
        assert_int_equal(xc_domain_claim_pages(f.req.xch, 8,
                                               gc->other_claim * GiB_PAGES),
                         0);
    }
    assert_int_equal(fx_build(&f), gc->rc);
    assert_int_equal(f.st.threads_reason, gc->want);
    assert_int_equal(f.st.populate_threads, gc->threads);
    if ( !gc->rc && gc->mode == MEMINIT_POLICY_INTERLEAVE )
        assert_int_equal(fx_info(&f).tot_pages, f.populated);
    else if ( !gc->rc )
        assert_int_equal(fx_info(&f).pages_on[2],
                         gc->pod ? 4096 * MiB_PAGES - 0x20 : f.populated);
    assert_int_equal(fx_info(&f).outstanding, 0);
    assert_int_equal(f.st.claim_left, 0);
    fx_done(&f);
}

/*
 * Build a GUEST of MIB on node 2 of a 4 x 16 GiB Xen 4.17 host, asking for
 * THREADS: WANT threads used, for reason WHY, every page on node 2, no
 * claim left.
 */
static void threads_build(enum meminit_guest guest, uint64_t mib,
                          unsigned int threads, unsigned int want,
                          enum meminit_threads_reason why)
{
    struct fx f;

    fx_config(&f, 4, 16, SIM_CLAIM_UPSTREAM);
    f.cfg.xen_version = 0x40011;
    fx_start(&f);
    fx_domain(&f, guest, mib);
    f.req.policy.pnode = 2;
    f.req.populate_threads = threads;
    assert_int_equal(fx_build(&f), 0);
    assert_int_equal(f.st.threads_reason, why);
    assert_int_equal(f.st.populate_threads, want);
    assert_int_equal(fx_info(&f).pages_on[2], f.populated);
    assert_int_equal(fx_info(&f).outstanding, 0);
    assert_int_equal(f.st.claim_left, 0);
    fx_done(&f);
}

/*
 * MEMINIT_THREADS_AUTO (xenguest's default): as many threads as dom0 has
 * online CPUs this process may run on, at most MEMINIT_DEFAULT_THREADS;
 * pinned to one CPU, serial, and the reason says so (not "asked").
 */
static void test_auto_threads(void **state)
{
    cpu_set_t all, one;
    unsigned int cpus;

    (void)state;
    assert_string_equal(meminit_threads_reason_name(MEMINIT_THREADS_ONE_CPU),
                        "one-cpu");
    assert_int_equal(sched_getaffinity(0, sizeof(all), &all), 0);
    cpus = (unsigned int)CPU_COUNT(&all);
    if ( cpus > MEMINIT_DEFAULT_THREADS )
        cpus = MEMINIT_DEFAULT_THREADS;
    threads_build(MEMINIT_GUEST_HVM, 12288, MEMINIT_THREADS_AUTO, cpus,
                  cpus > 1 ? MEMINIT_THREADS_PARALLEL : MEMINIT_THREADS_ONE_CPU);
    CPU_ZERO(&one);
    for ( cpus = 0; !CPU_ISSET(cpus, &all); cpus++ )
        ;
    CPU_SET(cpus, &one);
    assert_int_equal(sched_setaffinity(0, sizeof(one), &one), 0);
    threads_build(MEMINIT_GUEST_HVM, 12288, MEMINIT_THREADS_AUTO, 1,
                  MEMINIT_THREADS_ONE_CPU);
    assert_int_equal(sched_setaffinity(0, sizeof(all), &all), 0);
}

/*
 * Threads only for a guest whose slices span two 1 GiB frame windows or
 * more: an HVM guest's VGA hole cuts its first window into two slices,
 * which alone must not start a second thread.
 */
struct window_case {
    const char *name;
    enum meminit_guest guest;
    uint64_t mib;
    enum meminit_threads_reason want;
    unsigned int threads;
};

static struct window_case window_cases[] = {
    { "windows: HVM 256 MiB, one window", MEMINIT_GUEST_HVM, 256,
      MEMINIT_THREADS_ONE_SLICE, 1 },
    { "windows: HVM 1024 MiB, one window", MEMINIT_GUEST_HVM, 1024,
      MEMINIT_THREADS_ONE_SLICE, 1 },
    { "windows: PV 1024 MiB, one window", MEMINIT_GUEST_PV, 1024,
      MEMINIT_THREADS_ONE_SLICE, 1 },
    { "windows: HVM 1100 MiB, two windows", MEMINIT_GUEST_HVM, 1100,
      MEMINIT_THREADS_PARALLEL, 2 },
    { "windows: PV 3072 MiB, three windows", MEMINIT_GUEST_PV, 3072,
      MEMINIT_THREADS_PARALLEL, 3 },
};

static void test_windows(void **state)
{
    const struct window_case *wc = *state;

    threads_build(wc->guest, wc->mib, 4, wc->threads, wc->want);
}

/* ---- a failure in one thread ---- */

/*
 * The k-th populate call fails with EIO, for k = 1 .. 12, with 4 threads
 * on 16 GiB (16 slices): whichever thread makes it, the build fails once,
 * step "populate", the message of the serial loop, no claim left, and the
 * other threads stopped (fewer calls than a whole build makes).
 */
static void test_fault_in_one_thread(void **state)
{
    struct sim_host_info hi;
    unsigned int k;
    struct fx f;

    (void)state;
    for ( k = 1; k <= 12; k++ )
    {
        fx_host(&f, 2, 32, SIM_CLAIM_UPSTREAM);
        sim_set_call_hook(f.host, slow_populate, NULL);
        fx_domain(&f, MEMINIT_GUEST_HVM, 16384);
        f.req.policy.pnode = 1;
        f.req.populate_threads = 4;
        assert_int_equal(sim_fault(f.host, SIM_FN_POPULATE, k, EIO), 0);
        assert_int_equal(fx_build(&f), -EIO);
        assert_string_equal(f.err.step, "populate");
        assert_non_null(strstr(f.err.msg, "on node 1: Input/output error"));
        assert_int_equal(f.st.threads_reason, MEMINIT_THREADS_PARALLEL);
        assert_int_equal(f.st.populate_threads, 4);
        assert_int_equal(sim_host_info(f.host, &hi), 0);
        assert_int_equal(hi.calls_failed[SIM_FN_POPULATE], 1);
        assert_true(fx_info(&f).tot_pages < f.populated);
        assert_int_equal(fx_info(&f).outstanding, 0);
        assert_int_equal(f.st.claim_left, 0);
        fx_done(&f);
    }
}

/* The stop flag, raised after the 3rd populate call, stops every thread. */
struct stopper {
    atomic_int calls;
    volatile sig_atomic_t stop;
};

static void stop_after_3(void *opaque, enum sim_fn fn)
{
    struct stopper *s = opaque;

    if ( fn == SIM_FN_POPULATE && atomic_fetch_add(&s->calls, 1) == 2 )
        __atomic_store_n(&s->stop, 1, __ATOMIC_RELAXED);
    slow_populate(NULL, fn);
}

static void test_stop_flag(void **state)
{
    static struct stopper s;
    struct fx f;

    (void)state;
    atomic_store(&s.calls, 0);
    s.stop = 0;
    fx_host(&f, 2, 32, SIM_CLAIM_UPSTREAM);
    sim_set_call_hook(f.host, stop_after_3, &s);
    fx_domain(&f, MEMINIT_GUEST_HVM, 16384);
    f.req.populate_threads = 4;
    f.req.stop = &s.stop;
    assert_int_equal(fx_build(&f), -EINTR);
    assert_string_equal(f.err.step, "populate");
    assert_int_equal(f.st.populate_threads, 4);
    /* At most one call per thread after the flag was raised. */
    assert_true(f.st.populate_calls <= 3 + 4);
    assert_int_equal(fx_info(&f).outstanding, 0);
    assert_int_equal(f.st.claim_left, 0);
    fx_done(&f);
}

int main(void)
{
    static const struct CMUnitTest rest[] = {
        cmocka_unit_test(test_auto_threads),
        cmocka_unit_test(test_fault_in_one_thread),
        cmocka_unit_test(test_stop_flag),
    };
    struct CMUnitTest tests[CMT_SIZE(par_cases) + CMT_SIZE(gate_cases) +
                            CMT_SIZE(window_cases) + CMT_SIZE(rest)];
    struct CMUnitTest *next = tests;

    CMT_CASES(next, par_cases, test_same_as_serial);
    CMT_CASES(next, gate_cases, test_gate);
    CMT_CASES(next, window_cases, test_windows);
    CMT_TESTS(next, rest);
    return CMT_RUN("parallel", tests, next);
}
