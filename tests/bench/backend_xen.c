/*
 * backend_xen.c - scratch domains on the real Xen this dom0 runs on.
 *
 * Contract: needs root in dom0 (libxenctrl). Each run creates its own empty
 * domain as a toolstack would before exec'ing a builder (an HVM container
 * with HAP, or a PV one; one vCPU; max memory; for HVM the HAP pool sized
 * as libxl sizes it), lets the builder populate it, and destroys it again,
 * whatever happened. Before a case it refuses a guest the host cannot hold
 * (xc_physinfo free minus outstanding claims), with the figures.
 *
 * Xen has no call that says where a domain's memory is, so the placement is
 * the drop in each node's free memory (xc_numainfo) across the build, read
 * again until two reads agree; other activity in dom0 adds a few pages of
 * noise. Hypercalls are the probe's per-function counts of the builder's
 * libxenctrl calls (for stock PV, plus one XEN_DOMCTL_set_address_size that
 * libxenguest issues without going through an exported libxenctrl call).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "probe.h"

#define SLACK_PAGES     2048    /* max memory above the guest: 8 MiB */
#define SETTLE_READS    20
#define SETTLE_NS       20000000ull     /* 20 ms between reads */
#define RETURN_WAIT_NS  5000000000ull   /* memory back after destroy: 5 s */

struct xen_be {
    xc_interface *xch;
    unsigned int nr_nodes;
    uint64_t node_before[BENCH_MAX_NODES];
    uint64_t host_before;           /* free pages before the domain */
    uint32_t domid;
    bool have_domain;
    unsigned int pause_ms;          /* --pause-ms */
};

static void pause_ns(uint64_t ns)
{
    struct timespec ts = { (time_t)(ns / 1000000000ull),
                           (long)(ns % 1000000000ull) };

    nanosleep(&ts, NULL);
}

static int xen_fail(struct meminit_error *err, const char *what)
{
    int e = errno ? errno : EIO;

    return meminit_error_set(err, "xen", e, "%s: %s", what, strerror(e));
}

static int xen_be_open(void **be, const struct bench_opts *o,
                       struct meminit_error *err)
{
    struct xen_be *x;

    if ( geteuid() != 0 )
        return meminit_error_set(err, "xen", EPERM, "--xen creates domains: "
                                 "run it as root in dom0");
    x = calloc(1, sizeof(*x));
    if ( !x )
        return meminit_error_set(err, "xen", ENOMEM, "out of memory");
    x->pause_ms = o->pause_ms;
    x->xch = xc_interface_open(NULL, NULL, 0);
    if ( !x->xch )
    {
        free(x);
        return xen_fail(err, "xc_interface_open (is this dom0 of a "
                        "Xen host?)");
    }
    *be = x;
    return 0;
}

/* Free pages per node, and the distances when asked for. */
static int read_nodes(struct xen_be *x, uint64_t *free_pages,
                      struct bench_topo *t, struct meminit_error *err)
{
    xc_meminfo_t mem[BENCH_MAX_NODES];
    uint32_t dist[BENCH_MAX_NODES * BENCH_MAX_NODES];
    unsigned int n = BENCH_MAX_NODES, i, j;
    bool on;

    if ( xc_numainfo(x->xch, &n, mem, dist) )
        return xen_fail(err, "xc_numainfo");
    x->nr_nodes = n < BENCH_MAX_NODES ? n : BENCH_MAX_NODES;
    for ( i = 0; i < x->nr_nodes; i++ )
    {
        on = mem[i].memsize != XEN_INVALID_MEM_SZ;
        free_pages[i] = on ? mem[i].memfree >> XC_PAGE_SHIFT : 0;
        if ( !t )
            continue;
        t->pages[i] = on ? mem[i].memsize >> XC_PAGE_SHIFT : 0;
        for ( j = 0; j < x->nr_nodes; j++ )
            t->distance[i][j] = dist[i * n + j];
    }
    return 0;
}

static int xen_be_topology(void *be, struct bench_topo *t,
                           struct meminit_error *err)
{
    struct xen_be *x = be;
    int rc;

    memset(t, 0, sizeof(*t));
    snprintf(t->name, sizeof(t->name), "xen");
    rc = read_nodes(x, t->free, t, err);
    t->nr_nodes = x->nr_nodes;
    return rc;
}

/* libxl's sizing: 4 KiB * (256 per vCPU + 2 per MiB of guest), in MiB. */
static unsigned int paging_mib(const struct bench_guest_spec *g)
{
    uint64_t kib = 4 * (256 + 2 * (g->pages / BENCH_PAGES_MIB));

    return (unsigned int)((kib + 1023) / 1024);
}

static int xen_be_check(void *be, const struct bench_guest_spec *g,
                        struct meminit_error *err)
{
    struct xen_be *x = be;
    xc_physinfo_t pi = { 0 };
    uint64_t need, have;

    if ( xc_physinfo(x->xch, &pi) )
        return xen_fail(err, "xc_physinfo");
    need = g->pages + SLACK_PAGES +
           (g->type == BENCH_HVM ? paging_mib(g) * BENCH_PAGES_MIB : 0);
    have = pi.free_pages > pi.outstanding_pages
           ? pi.free_pages - pi.outstanding_pages : 0;
    if ( have >= need )
        return 0;
    return meminit_error_set(err, "xen", ENOMEM, "the host has %llu MiB free "
                             "(%llu MiB of it claimed by other domains); a "
                             "%llu MiB guest needs %llu MiB with its "
                             "overheads: give a smaller --mib",
                             (unsigned long long)(pi.free_pages /
                                                  BENCH_PAGES_MIB),
                             (unsigned long long)(pi.outstanding_pages /
                                                  BENCH_PAGES_MIB),
                             (unsigned long long)(g->pages / BENCH_PAGES_MIB),
                             (unsigned long long)(need / BENCH_PAGES_MIB));
}

static void domain_config(struct xen_domctl_createdomain *cfg, bool hvm)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->max_vcpus = 1;
    cfg->max_evtchn_port = 1023;
    cfg->max_grant_frames = 64;
    cfg->max_maptrack_frames = 1024;
    cfg->grant_opts = XEN_DOMCTL_GRANT_version(1);
    if ( hvm )
    {
        cfg->flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
        /* vPCI is for the hardware domain only. */
        cfg->arch.emulation_flags = XEN_X86_EMU_ALL & ~XEN_X86_EMU_VPCI;
    }
}

static int domain_limits(struct xen_be *x, const struct bench_guest_spec *g,
                         struct meminit_error *err)
{
    unsigned int mb = paging_mib(g);

    if ( xc_domain_max_vcpus(x->xch, x->domid, 1) )
        return xen_fail(err, "xc_domain_max_vcpus");
    /* Max memory first: a claim or populate beyond it is refused. */
    if ( xc_domain_setmaxmem(x->xch, x->domid,
                             (g->pages + SLACK_PAGES) * (XC_PAGE_SIZE / 1024)) )
        return xen_fail(err, "xc_domain_setmaxmem");
    if ( g->type == BENCH_HVM &&
         xc_shadow_control(x->xch, x->domid,
                           XEN_DOMCTL_SHADOW_OP_SET_ALLOCATION, &mb, 0) )
        return xen_fail(err, "HAP pool (xc_shadow_control)");
    return 0;
}

static void domain_destroy(struct xen_be *x)
{
    xc_physinfo_t pi = { 0 };
    uint64_t t0 = bench_now_ns();

    if ( !x->have_domain )
        return;
    xc_domain_destroy(x->xch, x->domid);
    x->have_domain = false;
    /* Wait (briefly) for the memory to be back, for the next run. */
    while ( !xc_physinfo(x->xch, &pi) && pi.free_pages + 1024 < x->host_before
            && bench_now_ns() - t0 < RETURN_WAIT_NS )
        pause_ns(SETTLE_NS);
}

static int xen_be_run_begin(void *be, const struct bench_guest_spec *g,
                            struct bench_probe *probe, xc_interface **xch,
                            uint32_t *domid, struct meminit_error *err)
{
    struct xen_be *x = be;
    struct xen_domctl_createdomain cfg;
    xc_physinfo_t pi = { 0 };
    int rc;

    (void)probe;    /* real Xen does not say where extents came from */
    /*
     * Memory the last run freed is dirty until Xen's idle loop scrubs it;
     * an exact-node request that finds only dirty memory on its node
     * scrubs it synchronously, a request free to use any node can find
     * clean memory elsewhere. --pause-ms gives the scrubber time.
     */
    pause_ns((uint64_t)x->pause_ms * 1000000ull);
    if ( xc_physinfo(x->xch, &pi) )
        return xen_fail(err, "xc_physinfo");
    x->host_before = pi.free_pages;
    domain_config(&cfg, g->type == BENCH_HVM);
    x->domid = 0;
    if ( xc_domain_create(x->xch, &x->domid, &cfg) )
        return xen_fail(err, "xc_domain_create");
    x->have_domain = true;
    rc = domain_limits(x, g, err);
    if ( !rc )
        rc = read_nodes(x, x->node_before, NULL, err);
    if ( rc )
    {
        domain_destroy(x);
        return rc;
    }
    *xch = x->xch;
    *domid = x->domid;
    return 0;
}

/* Free memory per node once it has stopped moving (or after a while). */
static int settled_nodes(struct xen_be *x, uint64_t *now,
                         struct meminit_error *err)
{
    uint64_t prev[BENCH_MAX_NODES];
    unsigned int i;
    int rc = read_nodes(x, now, NULL, err);

    for ( i = 0; !rc && i < SETTLE_READS; i++ )
    {
        memcpy(prev, now, sizeof(prev));
        pause_ns(SETTLE_NS);
        rc = read_nodes(x, now, NULL, err);
        if ( !rc && !memcmp(prev, now, sizeof(prev)) )
            break;
    }
    return rc;
}

static int xen_be_run_end(void *be, struct bench_run *run,
                          struct meminit_error *err)
{
    struct xen_be *x = be;
    uint64_t after[BENCH_MAX_NODES] = { 0 };
    unsigned int i;
    int rc = settled_nodes(x, after, err);

    for ( i = 0; !rc && i < x->nr_nodes; i++ )
        run->pages_on[i] = x->node_before[i] > after[i]
                           ? x->node_before[i] - after[i] : 0;
    for ( i = 0; i < BENCH_FN_NR; i++ )
    {
        run->calls += run->fn_calls[i];
        run->failed += run->fn_failed[i];
    }
    domain_destroy(x);
    return rc;
}

static void xen_be_close(void *be)
{
    struct xen_be *x = be;

    domain_destroy(x);
    xc_interface_close(x->xch);
    free(x);
}

const struct bench_backend_ops bench_backend = {
    .name = "xen",
    .sibling = "xenguest-bench",
    .stock_pv = true,
    .noise_pages = 1024,
    .timing_note = "real Xen: times are hypercalls into this host's Xen; "
                   "under QEMU TCG they are emulated, compare them only with "
                   "each other; placement is per-node free-memory deltas "
                   "(a few pages of noise)",
    .open = xen_be_open,
    .topology = xen_be_topology,
    .check = xen_be_check,
    .run_begin = xen_be_run_begin,
    .run_end = xen_be_run_end,
    .close = xen_be_close,
};
