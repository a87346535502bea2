/*
 * backend_sim.c - scratch domains on the simulated host (tests/sim).
 *
 * Contract: every run gets a fresh simulated host built from the same
 * description, so both builders start from the same free blocks (the
 * simulator does not coalesce freed memory: reusing one host would fragment
 * it a little more with every run). Placement is read from the simulator
 * (sim_domain_info().pages_on[]), hypercalls from its per-function counters
 * (sim_host_info().calls / calls_failed), the same way for both builders;
 * its populate observer tells the probe which node each extent came from.
 * Times are the simulator's: in-process function calls, not hypercalls.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"
#include "sim.h"

struct sim_be {
    struct bench_topo topo;
    struct sim_config cfg;
    struct sim_host *host;              /* of the run in progress */
    struct sim_host_info before;
    enum sim_fn fn_of[BENCH_FN_NR];     /* bench function -> simulator's */
};

static int sim_be_host(struct sim_be *s, const struct bench_opts *o,
                       struct meminit_error *err)
{
    if ( o->host_file )
        return hostfile_load(o->host_file, &s->topo, err);
    return hostfile_uniform(o->nodes ? o->nodes : 2,
                            o->nodes ? o->node_gib : 64, o->dist_file,
                            &s->topo, err);
}

static void sim_be_config(struct sim_be *s)
{
    static const enum sim_claim_abi abi[] = {
        [BENCH_ABI_UPSTREAM] = SIM_CLAIM_UPSTREAM,
        [BENCH_ABI_NODE] = SIM_CLAIM_NODE,
        [BENCH_ABI_SET] = SIM_CLAIM_SET,
    };
    const struct bench_topo *t = &s->topo;
    struct sim_node_config *n;
    unsigned int i, j;

    memset(&s->cfg, 0, sizeof(s->cfg));
    s->cfg.nr_nodes = t->nr_nodes;
    s->cfg.claim_abi = abi[t->claim_abi];
    for ( i = 0; i < t->nr_nodes; i++ )
    {
        n = &s->cfg.node[i];
        n->pages = t->pages[i];
        n->free_1g = t->free_1g[i];
        n->free_2m = t->free_2m[i];
        n->free_4k = t->free[i] - t->free_1g[i] * BENCH_PAGES_1G -
                     t->free_2m[i] * BENCH_PAGES_2M;
        for ( j = 0; j < t->nr_nodes; j++ )
            s->cfg.distance[i][j] = t->distance[i][j];
    }
}

static int sim_be_open(void **be, const struct bench_opts *o,
                       struct meminit_error *err)
{
    struct sim_be *s = calloc(1, sizeof(*s));
    struct sim_host *probe_host;
    unsigned int i;
    int rc;

    if ( !s )
        return meminit_error_set(err, "sim", ENOMEM, "out of memory");
    rc = sim_be_host(s, o, err);
    if ( !rc && o->claim_abi_given )
        s->topo.claim_abi = o->claim_abi;
    for ( i = 0; !rc && i < BENCH_FN_NR; i++ )
        rc = sim_fn_lookup(bench_fn_name((enum bench_fn)i), &s->fn_of[i]);
    if ( !rc )
    {
        sim_be_config(s);
        /* Check the description once, up front, with the simulator's rules. */
        rc = sim_host_create(&s->cfg, &probe_host);
        if ( rc )
            meminit_error_set(err, "sim", -rc, "the simulator refuses this "
                              "host: %s", strerror(-rc));
        else
            sim_host_close(probe_host);
    }
    if ( rc )
    {
        free(s);
        return rc;
    }
    *be = s;
    return 0;
}

static int sim_be_topology(void *be, struct bench_topo *t,
                           struct meminit_error *err)
{
    (void)err;
    *t = ((struct sim_be *)be)->topo;
    return 0;
}

/* The simulator has no memory to lack: a guest too big fails its claim. */
static int sim_be_check(void *be, const struct bench_guest_spec *g,
                        struct meminit_error *err)
{
    (void)be;
    (void)g;
    (void)err;
    return 0;
}

static void sim_be_observe(void *opaque, uint32_t domid, const xen_pfn_t *gfns,
                           unsigned long nr, unsigned int order,
                           unsigned int node, bool pod)
{
    (void)domid;
    (void)gfns;
    if ( !pod )
        probe_observe(opaque, node, order, nr);
}

static int sim_be_run_begin(void *be, const struct bench_guest_spec *g,
                            struct bench_probe *probe, xc_interface **xch,
                            uint32_t *domid, struct meminit_error *err)
{
    struct sim_be *s = be;
    int rc = sim_host_create(&s->cfg, &s->host);

    if ( rc )
        return meminit_error_set(err, "sim", -rc, "sim_host_create: %s",
                                 strerror(-rc));
    /* Room for the guest and what a toolstack adds on top (as the tests). */
    rc = sim_domain_create(s->host, BENCH_DOMID, g->pages + 1024,
                           g->type == BENCH_HVM);
    if ( !rc )
        rc = sim_host_info(s->host, &s->before);
    if ( rc )
    {
        meminit_error_set(err, "sim", -rc, "scratch domain: %s",
                          strerror(-rc));
        sim_host_close(s->host);
        s->host = NULL;
        return rc;
    }
    sim_set_observer(s->host, sim_be_observe, probe);
    *xch = sim_xch(s->host);
    *domid = BENCH_DOMID;
    return 0;
}

static int sim_be_run_end(void *be, struct bench_run *run,
                          struct meminit_error *err)
{
    struct sim_be *s = be;
    struct sim_domain_info di;
    struct sim_host_info after;
    unsigned int i;
    enum sim_fn fn;
    int rc = sim_domain_info(s->host, BENCH_DOMID, &di);

    if ( !rc )
        rc = sim_host_info(s->host, &after);
    for ( i = 0; !rc && i < BENCH_MAX_NODES && i < SIM_MAX_NODES; i++ )
        run->pages_on[i] = di.pages_on[i];
    for ( i = 0; !rc && i < BENCH_FN_NR; i++ )
    {
        fn = s->fn_of[i];
        run->fn_calls[i] = after.calls[fn] - s->before.calls[fn];
        run->fn_failed[i] = after.calls_failed[fn] -
                            s->before.calls_failed[fn];
        run->calls += run->fn_calls[i];
        run->failed += run->fn_failed[i];
    }
    if ( rc )
        meminit_error_set(err, "sim", -rc, "reading the simulated host: %s",
                          strerror(-rc));
    sim_host_close(s->host);
    s->host = NULL;
    return rc;
}

static void sim_be_close(void *be)
{
    free(be);
}

const struct bench_backend_ops bench_backend = {
    .name = "sim",
    .sibling = "xenguest-bench-xen",
    .stock_pv = false,
    .noise_pages = 0,
    .timing_note = "the simulator's times are its own (in-process function "
                   "calls, not hypercalls): only call counts, page sizes and "
                   "locality are meaningful here",
    .open = sim_be_open,
    .topology = sim_be_topology,
    .check = sim_be_check,
    .run_begin = sim_be_run_begin,
    .run_end = sim_be_run_end,
    .close = sim_be_close,
};
