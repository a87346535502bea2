/*
 * fixture.h - a simulated host, a domain on it and a meminit request, for
 * the unit tests. Header-only: each test binary includes it once.
 *
 * Contract: fx_host() makes a host of n nodes of `gib` GiB, every node's
 * memory free as 1 GiB blocks, distances 10/20 (fx_dist() changes them);
 * fx_domain() creates domain FX_DOMID and fills f->req for a PV or HVM guest
 * of `mib` MiB laid out as libxl would (HVM: MMIO hole [3 GiB, 4 GiB),
 * device model present); fx_build() runs meminit_build(). fx_done() frees.
 */
#ifndef TEST_FIXTURE_H
#define TEST_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "meminit.h"
#include "sim.h"

#define FX_DOMID    7
#define GiB_PAGES   (1ull << 18)
#define MiB_PAGES   (1ull << 8)
#define FX_LOWMEM   (3ull << 30)

struct fx {
    struct sim_config cfg;
    struct sim_host *host;
    struct meminit_request req;
    struct meminit_stats st;
    struct meminit_error err;   /* fx_build()'s, cleared before each */
    xen_pfn_t *p2m;
    uint64_t populated;         /* frames meminit must populate */
};

static inline void fx_config(struct fx *f, unsigned int nodes, uint64_t gib,
                             enum sim_claim_abi abi)
{
    memset(f, 0, sizeof(*f));
    sim_config_uniform(&f->cfg, nodes, gib * GiB_PAGES);
    f->cfg.claim_abi = abi;
}

static inline void fx_dist(struct fx *f, unsigned int a, unsigned int b,
                           uint32_t d)
{
    f->cfg.distance[a][b] = d;
    f->cfg.distance[b][a] = d;
}

static inline void fx_start(struct fx *f)
{
    assert_int_equal(sim_host_create(&f->cfg, &f->host), 0);
}

static inline void fx_host(struct fx *f, unsigned int nodes, uint64_t gib,
                           enum sim_claim_abi abi)
{
    fx_config(f, nodes, gib, abi);
    fx_start(f);
}

static inline void fx_hvm_layout(struct meminit_request *req, uint64_t mib)
{
    uint64_t bytes = mib << 20;

    req->guest = MEMINIT_GUEST_HVM;
    req->hvm.device_model = true;
    req->hvm.mmio_start = FX_LOWMEM;
    req->hvm.mmio_size = (4ull << 30) - FX_LOWMEM;
    req->hvm.lowmem_end = bytes < FX_LOWMEM ? bytes : FX_LOWMEM;
    req->hvm.highmem_end = bytes > FX_LOWMEM ? bytes + req->hvm.mmio_size : 0;
}

static inline void fx_domain(struct fx *f, enum meminit_guest guest,
                             uint64_t mib)
{
    struct meminit_request *req = &f->req;

    memset(req, 0, sizeof(*req));
    assert_int_equal(sim_domain_create(f->host, FX_DOMID,
                                       mib * MiB_PAGES + 1024,
                                       guest == MEMINIT_GUEST_HVM), 0);
    req->xch = sim_xch(f->host);
    req->domid = FX_DOMID;
    req->total_pages = mib * MiB_PAGES;
    req->policy.pnode = MEMINIT_NO_NODE;
    req->claim = MEMINIT_CLAIM_AUTO;
    f->populated = req->total_pages;
    if ( guest == MEMINIT_GUEST_HVM )
    {
        fx_hvm_layout(req, mib);
        f->populated -= 0x20;
        return;
    }
    req->guest = MEMINIT_GUEST_PV;
    free(f->p2m);
    f->p2m = calloc(req->total_pages, sizeof(*f->p2m));
    assert_non_null(f->p2m);
    req->p2m = f->p2m;
}

static inline int fx_build(struct fx *f)
{
    meminit_error_clear(&f->err);
    return meminit_build(&f->req, &f->st, &f->err);
}

static inline struct sim_domain_info fx_info(struct fx *f)
{
    struct sim_domain_info di;

    assert_int_equal(sim_domain_info(f->host, FX_DOMID, &di), 0);
    return di;
}

static inline void fx_redo_domain(struct fx *f)
{
    uint64_t mib = f->req.total_pages / MiB_PAGES;
    struct meminit_request saved = f->req;

    assert_int_equal(sim_domain_destroy(f->host, FX_DOMID), 0);
    fx_domain(f, saved.guest, mib);
    saved.p2m = f->req.p2m;
    f->req = saved;
}

static inline void fx_done(struct fx *f)
{
    if ( f->host )
        sim_host_close(f->host);
    free(f->p2m);
    memset(f, 0, sizeof(*f));
}

#endif /* TEST_FIXTURE_H */
