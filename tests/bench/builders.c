/*
 * builders.c - the two memory initialisers, each on an empty scratch domain.
 *
 * Contract: builder_ours() and builder_stock() populate the domain the
 * backend just created, with the probe attached for exactly the call that
 * populates (so both are timed and counted over the same span), and record
 * the wall time, the result and any error in *run. They return run->rc.
 *
 * Ours is meminit_build() with the preferred node given (-mem_pnode).
 * Stock is libxenguest's own x86 hook, selected by xc_dom_set_arch_hooks()
 * and called as xc_dom_boot_mem_init() would: dom->arch_hooks->meminit(dom).
 * It names no node, so Xen's fallback decides where the memory comes from;
 * that is the comparison. Both get the same guest: HVM laid out as libxl
 * does (MMIO hole [3 GiB, 4 GiB), a device model, so the VGA hole is left
 * empty), or 64-bit PV as one range. Both claim before populating.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"

#define LOWMEM_END      (3ull << 30)
#define MMIO_END        (4ull << 30)
#define VGA_HOLE_PAGES  0x20

static void hvm_layout(uint64_t pages, struct meminit_hvm_layout *l)
{
    uint64_t bytes = pages << XC_PAGE_SHIFT;

    l->device_model = true;
    l->mmio_start = LOWMEM_END;
    l->mmio_size = MMIO_END - LOWMEM_END;
    l->lowmem_end = bytes < LOWMEM_END ? bytes : LOWMEM_END;
    l->highmem_end = bytes > LOWMEM_END ? bytes + l->mmio_size : 0;
}

static void ours_request(struct meminit_request *req, xc_interface *xch,
                         uint32_t domid, const struct bench_guest_spec *g,
                         const struct meminit_policy *pol)
{
    memset(req, 0, sizeof(*req));
    req->xch = xch;
    req->domid = domid;
    req->total_pages = g->pages;
    req->policy = *pol;
    req->claim = MEMINIT_CLAIM_AUTO;
    if ( g->type == BENCH_HVM )
    {
        req->guest = MEMINIT_GUEST_HVM;
        hvm_layout(g->pages, &req->hvm);
    }
    else
        req->guest = MEMINIT_GUEST_PV;
}

int builder_ours(xc_interface *xch, uint32_t domid,
                 const struct bench_guest_spec *g,
                 const struct meminit_policy *pol,
                 const volatile sig_atomic_t *stop, struct bench_probe *probe,
                 struct bench_run *run)
{
    struct meminit_request req;
    xen_pfn_t *p2m = NULL;
    uint64_t t0;

    ours_request(&req, xch, domid, g, pol);
    req.stop = stop;
    if ( g->type == BENCH_PV )
    {
        p2m = calloc(meminit_p2m_size(&req), sizeof(*p2m));
        if ( !p2m )
            return run->rc = meminit_error_set(&run->err, "bench", ENOMEM,
                                               "no memory for the PV p2m");
        req.p2m = p2m;
    }
    probe_attach(probe, run);
    t0 = bench_now_ns();
    run->rc = meminit_build(&req, &run->st, &run->err);
    run->ns = bench_now_ns() - t0;
    probe_detach();
    run->have_stats = true;
    free(p2m);
    return run->rc;
}

static void stock_image(struct xc_dom_image *dom, uint32_t domid,
                        const struct bench_guest_spec *g)
{
    struct meminit_hvm_layout l;

    dom->guest_domid = domid;
    dom->total_pages = g->pages;
    dom->claim_enabled = 1;
    if ( g->type != BENCH_HVM )
        return;
    hvm_layout(g->pages, &l);
    dom->target_pages = g->pages;
    dom->lowmem_end = l.lowmem_end;
    dom->highmem_end = l.highmem_end;
    dom->mmio_start = l.mmio_start;
    dom->mmio_size = l.mmio_size;
    dom->device_model = l.device_model;
    dom->vga_hole_size = VGA_HOLE_PAGES;
}

int builder_stock(xc_interface *xch, uint32_t domid,
                  const struct bench_guest_spec *g, struct bench_probe *probe,
                  struct bench_run *run)
{
    struct xc_dom_image *dom = xc_dom_allocate(xch, NULL, NULL);
    bool hvm = g->type == BENCH_HVM;
    uint64_t t0;
    int rc;

    if ( !dom )
        return run->rc = meminit_error_set(&run->err, "bench", ENOMEM,
                                           "xc_dom_allocate failed");
    dom->guest_type = hvm ? "hvm-3.0-x86_32" : "xen-3.0-x86_64";
    dom->container_type = hvm ? XC_DOM_HVM_CONTAINER : XC_DOM_PV_CONTAINER;
    if ( xc_dom_set_arch_hooks(dom) || !dom->arch_hooks->meminit )
    {
        xc_dom_release(dom);
        return run->rc = meminit_error_set(&run->err, "bench", ENOSYS,
                                           "no stock meminit hook for %s",
                                           hvm ? "HVM" : "PV");
    }
    stock_image(dom, domid, g);
    probe_attach(probe, run);
    t0 = bench_now_ns();
    errno = 0;
    rc = dom->arch_hooks->meminit(dom);
    run->ns = bench_now_ns() - t0;
    probe_detach();
    if ( rc )
        run->rc = meminit_error_set(&run->err, "stock meminit", errno,
                                    "%s", strerror(errno ? errno : EIO));
    xc_dom_release(dom);
    return run->rc;
}

const char *bench_builder_name(enum bench_builder b)
{
    return b == BENCH_OURS ? "ours" : "stock";
}
