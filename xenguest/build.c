/*
 * build.c - libxenguest's build sequence, with meminit as the memory hook.
 *
 * Memory comes before the image is loaded into the guest: xc_dom_mem_init()
 * only sizes the guest and selects libxenguest's x86 hooks; meminit is
 * swapped in right after, so that xc_dom_boot_mem_init() runs it, and every
 * later step (page tables, magic pages, start info) sits in memory meminit
 * placed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "build.h"

#include <xenguest.h>

#include "cpuid.h"
#include "hvmparam.h"

/* A libxenguest call failed: its errno, or EIO if it left none. */
static int fail_xc(const struct xg_build *b, const char *step,
                   const char *what)
{
    int err = errno ? errno : EIO;

    return meminit_error_set(b->err, step, err, "%s: %s", what,
                             strerror(err));
}

void xg_build_request(const struct xg_build *b, struct meminit_request *req)
{
    memset(req, 0, sizeof(*req));
    req->xch = b->xch;
    req->domid = b->opt->domid;
    req->policy = b->policy;
    req->claim = b->opt->claim;
    req->populate_threads = b->opt->populate_threads;
    req->log = xg_log_meminit;
    req->log_opaque = b->log;
}

static int load_images(struct xg_build *b, struct xc_dom_image *dom)
{
    const struct xg_options *o = b->opt;
    unsigned int i;

    if ( b->plat->kernel_max_size )
        xc_dom_kernel_max_size(dom, b->plat->kernel_max_size);
    if ( b->plat->ramdisk_max_size )
        xc_dom_module_max_size(dom, b->plat->ramdisk_max_size);
    errno = 0;
    if ( xc_dom_kernel_file(dom, o->image) )
        return fail_xc(b, "kernel", o->image);
    if ( o->mode == XG_MODE_PV && o->ramdisk && o->ramdisk[0] &&
         xc_dom_module_file(dom, o->ramdisk, NULL) )
        return fail_xc(b, "ramdisk", o->ramdisk);
    if ( o->nr_modules > XG_MAX_MODULES )
        return meminit_error_set(b->err, "module", E2BIG, "%u modules, "
                                 "libxenguest takes %u", o->nr_modules,
                                 XG_MAX_MODULES);
    for ( i = 0; i < o->nr_modules; i++ )
        if ( xc_dom_module_file(dom, o->modules[i].path,
                                o->modules[i].cmdline) )
            return fail_xc(b, "module", o->modules[i].path);
    return 0;
}

/*
 * What meminit is asked for. PV: -mem_start_mib is what the guest boots
 * with (it balloons up to -mem_max_mib later). HVM and PVH: -mem_max_mib
 * laid out by the memory map, -mem_start_mib as the PoD target.
 */
static void geometry(const struct xg_build *b, struct meminit_request *req)
{
    const struct xg_options *o = b->opt;
    const struct xg_memmap *m = &b->hvm.map;

    if ( o->mode == XG_MODE_PV )
    {
        req->guest = MEMINIT_GUEST_PV;
        req->total_pages = o->mem_start_mib << 8;
        return;
    }
    req->guest = MEMINIT_GUEST_HVM;
    req->total_pages = o->mem_max_mib << 8;
    req->target_pages = o->mem_start_mib << 8;
    req->hvm = (struct meminit_hvm_layout){
        .lowmem_end = m->lowmem_end, .highmem_end = m->highmem_end,
        .mmio_start = m->mmio_start, .mmio_size = m->mmio_size,
        .device_model = o->mode == XG_MODE_HVM,
    };
}

int xg_build_plan_request(struct xg_build *b, struct meminit_request *req)
{
    int rc = 0;

    xg_build_request(b, req);
    b->hvm = (struct xg_hvm_build){ .opt = b->opt, .plat = b->plat,
                                    .xch = b->xch };
    if ( b->opt->mode != XG_MODE_PV )
        rc = xg_hvm_layout(&b->hvm, b->err);
    if ( !rc )
        geometry(b, req);
    xg_hvm_release(&b->hvm);
    return rc;
}

static struct xc_dom_image *allocate(struct xg_build *b)
{
    const struct xg_options *o = b->opt;
    struct xc_dom_image *dom;

    errno = 0;
    dom = xc_dom_allocate(b->xch, o->mode == XG_MODE_HVM ? NULL : o->cmdline,
                          o->mode == XG_MODE_PV ? o->features : NULL);
    if ( !dom )
    {
        fail_xc(b, "allocate", "xc_dom_allocate");
        return NULL;
    }
    dom->container_type = o->mode == XG_MODE_PV ? XC_DOM_PV_CONTAINER
                                                : XC_DOM_HVM_CONTAINER;
    dom->flags = o->flags;
    dom->console_evtchn = o->console_port;
    dom->console_domid = o->console_domid;
    dom->xenstore_evtchn = o->store_port;
    dom->xenstore_domid = o->store_domid;
    return dom;
}

/* xc_dom_mem_init() sizes the guest and selects the x86 hooks; then ours. */
static int memory(struct xg_build *b, struct xc_dom_image *dom,
                  struct meminit_hook *hook)
{
    const struct xg_options *o = b->opt;
    struct meminit_request tmpl;
    uint64_t mib = o->mode == XG_MODE_PV ? o->mem_start_mib : o->mem_max_mib;
    int rc;

    errno = 0;
    if ( xc_dom_mem_init(dom, (unsigned int)mib) )
        return fail_xc(b, "mem-init", "xc_dom_mem_init");
    xg_build_request(b, &tmpl);
    tmpl.stop = b->stop;
    rc = meminit_hook_install(hook, dom, &tmpl, &b->stats, b->err);
    if ( rc )
        return rc;
    errno = 0;
    if ( xc_dom_boot_mem_init(dom) )
    {
        /* meminit's own failure, recorded first, names the cause. */
        rc = fail_xc(b, "boot-mem-init", "xc_dom_boot_mem_init");
        return hook->rc ? hook->rc : rc;
    }
    return 0;
}

static void cpuid_req(const struct xg_build *b, struct xg_cpuid_req *r)
{
    const struct xg_platform *p = b->plat;

    *r = (struct xg_cpuid_req){
        .hvm = b->opt->mode != XG_MODE_PV,
        .featureset = p->nr_featureset ? p->featureset : NULL,
        .nr_featureset = p->nr_featureset,
        .nx = p->nx, .pae = p->pae, .nested_virt = p->nested_virt,
        /* Nested virtualisation cannot migrate: as if nomigrate. */
        .nomigrate = p->nomigrate || p->nested_virt,
        .cores_per_socket = p->cores_per_socket,
    };
}

/* What must hold, checked without touching the domain. */
static int check(struct xg_build *b, struct xg_cpuid_plan *plan)
{
    struct xg_cpuid_req r;
    int rc = 0;

    cpuid_req(b, &r);
    if ( b->opt->mode != XG_MODE_PV )
        rc = xg_hvm_check(b->opt, b->plat, b->hap, b->err);
    return rc ? rc : xg_cpuid_prepare(b->xch, &r, plan, b->err);
}

/* The first changes to the domain: its CPUID policy and TSC mode. */
static int configure(struct xg_build *b, const struct xg_cpuid_plan *plan)
{
    struct xg_cpuid_req r;
    int rc;

    cpuid_req(b, &r);
    rc = xg_cpuid_set(b->xch, b->opt->domid, &r, plan, b->err);
    return rc ? rc : xg_tsc_apply(b->xch, b->opt->domid, b->plat, b->err);
}

/* HVM and PVH: the memory map and what goes with it, into dom. */
static int hvm_setup(struct xg_build *b, struct xc_dom_image *dom)
{
    int rc;

    b->hvm = (struct xg_hvm_build){ .opt = b->opt, .plat = b->plat,
                                    .xch = b->xch };
    rc = xg_hvm_layout(&b->hvm, b->err);
    return rc ? rc : xg_hvm_dom_setup(&b->hvm, dom, b->err);
}

/* HVM/PVH: guest frames; PV: machine frames and the protocol. */
static void result_frames(struct xg_build *b, struct xc_dom_image *dom)
{
    if ( b->opt->mode != XG_MODE_PV )
    {
        b->store_frame = dom->xenstore_pfn;
        b->console_frame = dom->console_pfn;
        return;
    }
    b->store_frame = xc_dom_p2m(dom, dom->xenstore_pfn);
    b->console_frame = xc_dom_p2m(dom, dom->console_pfn);
    b->protocol = strcmp(dom->guest_type, "xen-3.0-x86_64")
                  ? "x86_32-abi" : "x86_64-abi";
}

static int finish(struct xg_build *b, struct xc_dom_image *dom)
{
    int rc = 0;

    errno = 0;
    if ( xc_dom_build_image(dom) )
        return fail_xc(b, "build-image", "xc_dom_build_image");
    if ( xc_dom_boot_image(dom) )
        return fail_xc(b, "boot-image", "xc_dom_boot_image");
    if ( xc_dom_gnttab_init(dom) )
        return fail_xc(b, "gnttab", "xc_dom_gnttab_init");
    if ( b->opt->mode != XG_MODE_PV )
        rc = xg_hvm_finish(&b->hvm, dom, b->err);
    if ( !rc )
        result_frames(b, dom);
    return rc;
}

/*
 * Files, sysfs and the map come before the first change to the domain, so
 * that bad input (a missing firmware file, an unknown device) leaves it
 * as the toolstack created it.
 */
static int sequence(struct xg_build *b, struct xc_dom_image *dom,
                    struct meminit_hook *hook,
                    const struct xg_cpuid_plan *plan)
{
    bool hvm = b->opt->mode != XG_MODE_PV;
    int rc = load_images(b, dom);

    if ( !rc && hvm )
        rc = hvm_setup(b, dom);
    if ( !rc )
        rc = configure(b, plan);
    if ( rc )
        return rc;
    errno = 0;
    if ( xc_dom_boot_xen_init(dom, b->xch, b->opt->domid) )
        return fail_xc(b, "xen-init", "xc_dom_boot_xen_init");
    if ( xc_dom_parse_image(dom) )
        return fail_xc(b, "parse", b->opt->image);
    rc = memory(b, dom, hook);
    if ( !rc && hvm )
        rc = xg_hvm_set_map(&b->hvm, b->err);
    return rc ? rc : finish(b, dom);
}

int xg_build_run(struct xg_build *b)
{
    struct xg_cpuid_plan plan;
    struct meminit_hook hook;
    struct xc_dom_image *dom;
    int rc = check(b, &plan);

    if ( rc )
        return rc;
    dom = allocate(b);
    if ( !dom )
        return -EIO;
    rc = sequence(b, dom, &hook, &plan);
    xc_dom_release(dom);
    xg_hvm_release(&b->hvm);
    return rc;
}
