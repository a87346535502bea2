/*
 * meminit-measure - meminit's own cost on the simulated host.
 *
 * Prints, for a 1 TiB HVM guest on an 8-node host, meminit's wall time
 * outside libxenctrl calls (its own CPU work: planning, bookkeeping,
 * extent lists), and for a 64 GiB HVM guest that fits on one node, the
 * number of hypercalls. Figures, not a pass/fail test: run it and read.
 *
 *   build/tools/meminit-measure [--json] [--runs N]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static void hvm_request(struct meminit_request *req, xc_interface *xch,
                        uint64_t gib)
{
    memset(req, 0, sizeof(*req));
    req->xch = xch;
    req->domid = DOMID;
    req->guest = MEMINIT_GUEST_HVM;
    req->total_pages = gib * GiB_PAGES;
    req->pnode = 0;
    req->claim = MEMINIT_CLAIM_AUTO;
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

static int one(const struct sim_config *cfg, uint64_t gib, struct run *out)
{
    struct sim_host *host;
    struct meminit_request req;
    struct meminit_stats *st = calloc(1, sizeof(*st));
    struct sim_domain_info di;
    struct meminit_error err = { 0 };
    int rc = st ? sim_host_create(cfg, &host) : -ENOMEM;

    if ( rc )
        goto out;
    rc = sim_domain_create(host, DOMID, (gib + 1) * GiB_PAGES, true);
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

int main(int argc, char **argv)
{
    struct sim_config *cfg = calloc(1, sizeof(*cfg));
    struct run big, small;
    uint64_t self[64];
    unsigned int i, runs = 9;
    bool json = false;

    for ( i = 1; i < (unsigned int)argc; i++ )
    {
        if ( !strcmp(argv[i], "--json") )
            json = true;
        else if ( !strcmp(argv[i], "--runs") && i + 1 < (unsigned int)argc )
            runs = (unsigned int)strtoul(argv[++i], NULL, 10);
        else
        {
            fprintf(stderr, "usage: %s [--json] [--runs N]\n", argv[0]);
            return 2;
        }
    }
    if ( !cfg || runs == 0 || runs > 64 )
        return 2;
    eight_nodes(cfg);
    for ( i = 0; i < runs; i++ )
    {
        if ( one(cfg, 1024, &big) )
            return 1;
        self[i] = big.self_ns;
    }
    qsort(self, runs, sizeof(self[0]), cmp_u64);
    sim_config_uniform(cfg, 2, 96 * GiB_PAGES);
    if ( one(cfg, 64, &small) )
        return 1;
    if ( json )
        printf("{\"tib_guest\":{\"nodes\":8,\"runs\":%u,\"self_ns_min\":%llu,"
               "\"self_ns_median\":%llu,\"hypercalls\":%u,\"pages\":%llu},"
               "\"guest_64g\":{\"hypercalls\":%u,\"on_pnode\":%llu,"
               "\"pages\":%llu}}\n", runs,
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
    free(cfg);
    return 0;
}
