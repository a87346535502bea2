/*
 * meminit-measure - meminit's own cost on the simulated host.
 *
 * Prints, for a 1 TiB HVM guest and a 1 TiB PV guest on an 8-node host,
 * meminit's wall time outside libxenctrl calls (its own CPU work: planning,
 * bookkeeping, extent lists, and for PV the p2m), and for a 64 GiB HVM
 * guest that fits on one node, the number of hypercalls. Figures, not a
 * pass/fail test: run it and read.
 *
 * The PV p2m (2 GiB for 1 TiB: one 8-byte mfn per 4 KiB frame, which
 * libxenguest needs whole) is measured two ways: as libxenguest hands it
 * over (fresh memory: the first write of each page faults it in, which
 * meminit pays), and already touched (meminit's own work alone). The floor
 * printed beside them is a memset() of the same, touched, p2m: no
 * implementation that fills the p2m once can go below it.
 *
 *   build/tools/meminit-measure [--json] [--runs N] [--pv-runs N]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "meminit.h"
#include "sim.h"

#define GiB_PAGES   (1ull << 18)
#define DOMID       1

struct run {
    uint64_t self_ns;
    uint64_t total_ns;
    uint32_t hypercalls;
    uint64_t on_pnode;
    uint64_t pages;
};

/* What both guests ask: GIB GiB on node 0, the best claim, domain DOMID. */
static void base_request(struct meminit_request *req, xc_interface *xch,
                         enum meminit_guest guest, uint64_t gib)
{
    memset(req, 0, sizeof(*req));
    req->xch = xch;
    req->domid = DOMID;
    req->guest = guest;
    req->total_pages = gib * GiB_PAGES;
    req->policy.pnode = 0;
    req->claim = MEMINIT_CLAIM_AUTO;
}

static void hvm_request(struct meminit_request *req, xc_interface *xch,
                        uint64_t gib)
{
    base_request(req, xch, MEMINIT_GUEST_HVM, gib);
    req->hvm.device_model = true;
    req->hvm.lowmem_end = 3ull << 30;
    req->hvm.mmio_start = 3ull << 30;
    req->hvm.mmio_size = 1ull << 30;
    req->hvm.highmem_end = (gib + 1) << 30;
}

static void eight_nodes(struct sim_config *cfg)
{
    unsigned int i, j;

    sim_config_uniform(cfg, 8, 160 * GiB_PAGES);
    for ( i = 0; i < 8; i++ )
        for ( j = 0; j < 8; j++ )
            cfg->distance[i][j] = i == j ? 10 : 10 + 5 * (i > j ? i - j : j - i);
}

/* The PV guest of the same size: one range, the p2m given (or NULL). */
static void pv_request(struct meminit_request *req, xc_interface *xch,
                       uint64_t gib, xen_pfn_t *p2m)
{
    base_request(req, xch, MEMINIT_GUEST_PV, gib);
    req->p2m = p2m;
}

static int one(const struct sim_config *cfg, uint64_t gib, xen_pfn_t *p2m,
               struct run *out)
{
    struct sim_host *host;
    struct meminit_request req;
    struct meminit_stats *st = calloc(1, sizeof(*st));
    struct sim_domain_info di;
    struct meminit_error err = { 0 };
    int rc = st ? sim_host_create(cfg, &host) : -ENOMEM;

    if ( rc )
        goto out;
    rc = sim_domain_create(host, DOMID, (gib + 1) * GiB_PAGES, !p2m);
    if ( p2m )
        pv_request(&req, sim_xch(host), gib, p2m);
    else
        hvm_request(&req, sim_xch(host), gib);
    if ( !rc )
        rc = meminit_build(&req, st, &err);
    if ( !rc )
        rc = sim_domain_info(host, DOMID, &di);
    if ( !rc )
        *out = (struct run){ st->ns_total - st->ns_calls, st->ns_total,
                             st->hypercalls, di.pages_on[0], di.tot_pages };
    else
        fprintf(stderr, "meminit-measure: %s: %s\n",
                err.step ? err.step : "sim", err.step ? err.msg
                                                      : strerror(-rc));
    sim_host_close(host);
 out:
    free(st);
    return rc;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

struct pv_figures {
    uint64_t fresh[64];         /* self ns, p2m as libxenguest gives it */
    uint64_t touched[64];       /* self ns, p2m written before */
    uint64_t memset_ns;         /* memset of the touched p2m: the floor */
    uint32_t hypercalls;
};

/* 1 TiB PV, `runs` times each way. A fresh p2m is fresh memory each time
 * (malloc of 2 GiB is an mmap, given back by free). */
static int pv_runs(const struct sim_config *cfg, unsigned int runs,
                   struct pv_figures *pv)
{
    size_t bytes = 1024 * GiB_PAGES * sizeof(xen_pfn_t);
    xen_pfn_t *p2m;
    struct run r;
    unsigned int i;
    uint64_t t0;

    for ( i = 0; i < runs; i++ )
    {
        p2m = malloc(bytes);
        if ( !p2m || one(cfg, 1024, p2m, &r) )
            return 1;
        pv->fresh[i] = r.self_ns;
        if ( one(cfg, 1024, p2m, &r) )
            return 1;
        pv->touched[i] = r.self_ns;
        pv->hypercalls = r.hypercalls;
        t0 = now_ns();
        memset(p2m, i + 1, bytes);
        pv->memset_ns = now_ns() - t0;
        free(p2m);
    }
    qsort(pv->fresh, runs, sizeof(pv->fresh[0]), cmp_u64);
    qsort(pv->touched, runs, sizeof(pv->touched[0]), cmp_u64);
    return 0;
}

static void print_pv(const struct pv_figures *pv, unsigned int runs,
                     bool json)
{
    if ( json )
    {
        printf("\"pv_tib_guest\":{\"runs\":%u,\"self_ns_fresh_min\":%llu,"
               "\"self_ns_fresh_median\":%llu,\"self_ns_touched_min\":%llu,"
               "\"self_ns_touched_median\":%llu,\"memset_ns\":%llu,"
               "\"hypercalls\":%u}", runs,
               (unsigned long long)pv->fresh[0],
               (unsigned long long)pv->fresh[runs / 2],
               (unsigned long long)pv->touched[0],
               (unsigned long long)pv->touched[runs / 2],
               (unsigned long long)pv->memset_ns, pv->hypercalls);
        return;
    }
    printf("1 TiB PV guest, 8-node simulated host, %u runs:\n"
           "  meminit's own time, p2m fresh (as libxenguest gives it): "
           "min %.3f ms, median %.3f ms\n"
           "  meminit's own time, p2m already touched: min %.3f ms, "
           "median %.3f ms\n"
           "  floor: memset() of the touched 2 GiB p2m: %.3f ms\n"
           "  hypercalls: %u\n", runs, pv->fresh[0] / 1e6,
           pv->fresh[runs / 2] / 1e6, pv->touched[0] / 1e6,
           pv->touched[runs / 2] / 1e6, pv->memset_ns / 1e6,
           pv->hypercalls);
}

/* A run count, 1 to 64; 0 (said on stderr) when VALUE is not one. */
static unsigned int count_arg(const char *opt, const char *value)
{
    char *end;
    unsigned long n;

    errno = 0;
    n = strtoul(value, &end, 10);
    if ( errno || end == value || *end || value[0] == '-' || n < 1 ||
         n > 64 )
    {
        fprintf(stderr, "meminit-measure: %s \"%s\" is not a count from 1 "
                "to 64\n", opt, value);
        return 0;
    }
    return (unsigned int)n;
}

int main(int argc, char **argv)
{
    struct sim_config *cfg = calloc(1, sizeof(*cfg));
    struct pv_figures *pv = calloc(1, sizeof(*pv));
    struct run big, small;
    uint64_t self[64];
    unsigned int i, runs = 9, pv_runs_n = 3;
    bool json = false;

    for ( i = 1; i < (unsigned int)argc; i++ )
    {
        if ( !strcmp(argv[i], "--json") )
            json = true;
        else if ( !strcmp(argv[i], "--runs") && i + 1 < (unsigned int)argc )
            runs = count_arg(argv[i], argv[i + 1]), i++;
        else if ( !strcmp(argv[i], "--pv-runs") &&
                  i + 1 < (unsigned int)argc )
            pv_runs_n = count_arg(argv[i], argv[i + 1]), i++;
        else
            runs = 0;
        if ( !runs || !pv_runs_n )
        {
            fprintf(stderr, "usage: %s [--json] [--runs N] [--pv-runs N] "
                    "(N: 1 to 64)\n", argv[0]);
            return 2;
        }
    }
    if ( !cfg || !pv )
        return 1;
    eight_nodes(cfg);
    for ( i = 0; i < runs; i++ )
    {
        if ( one(cfg, 1024, NULL, &big) )
            return 1;
        self[i] = big.self_ns;
    }
    qsort(self, runs, sizeof(self[0]), cmp_u64);
    if ( pv_runs(cfg, pv_runs_n, pv) )
        return 1;
    sim_config_uniform(cfg, 2, 96 * GiB_PAGES);
    if ( one(cfg, 64, NULL, &small) )
        return 1;
    if ( json )
        printf("{\"tib_guest\":{\"nodes\":8,\"runs\":%u,\"self_ns_min\":%llu,"
               "\"self_ns_median\":%llu,\"hypercalls\":%u,\"pages\":%llu},"
               "\"guest_64g\":{\"hypercalls\":%u,\"on_pnode\":%llu,"
               "\"pages\":%llu},", runs,
               (unsigned long long)self[0],
               (unsigned long long)self[runs / 2], big.hypercalls,
               (unsigned long long)big.pages, small.hypercalls,
               (unsigned long long)small.on_pnode,
               (unsigned long long)small.pages);
    else
        printf("1 TiB HVM guest, 8-node simulated host, %u runs:\n"
               "  meminit's own time (outside libxenctrl): min %.3f ms, "
               "median %.3f ms\n  hypercalls: %u\n"
               "64 GiB HVM guest that fits on node 0:\n"
               "  hypercalls: %u, pages on node 0: %llu of %llu\n",
               runs, self[0] / 1e6, self[runs / 2] / 1e6, big.hypercalls,
               small.hypercalls, (unsigned long long)small.on_pnode,
               (unsigned long long)small.pages);
    print_pv(pv, pv_runs_n, json);
    printf("%s", json ? "}\n" : "");
    free(pv);
    free(cfg);
    return 0;
}
