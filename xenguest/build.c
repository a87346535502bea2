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
#include <xen/hvm/e820.h>
#include <xen/hvm/params.h>

#define MMIO_HOLE_SIZE  HVM_BELOW_4G_MMIO_LENGTH
#define VGA_HOLE_PAGES  0x20

/* A libxenguest call failed: its errno, or EIO if it left none. */
static int fail_xc(const struct xg_build *b, const char *step,
                   const char *what)
{
    int err = errno ? errno : EIO;

    return meminit_error_set(b->err, step, err, "%s: %s", what,
                             strerror(err));
}

void xg_build_request(const struct xg_options *o, struct xg_log *log,
                      xc_interface *xch, struct meminit_request *req)
{
    memset(req, 0, sizeof(*req));
    req->xch = xch;
    req->domid = o->domid;
    req->pnode = o->pnode;
    req->placement_off = o->placement_off;
    req->claim = o->claim;
    req->log = xg_log_meminit;
    req->log_opaque = log;
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
 * The guest's memory geometry, shared by the build and --plan. HVM and PVH:
 * RAM up to the MMIO hole below 4 GiB, the rest above 4 GiB; with a device
 * model (HVM) the VGA window is a hole too. PV: -mem_start_mib is what the
 * guest boots with (it balloons up to -mem_max_mib later).
 */
int xg_build_geometry(const struct xg_options *o, struct meminit_request *req,
                      struct meminit_error *err)
{
    uint64_t mem = o->mem_max_mib << 20;
    uint64_t mmio_start = (1ull << 32) - MMIO_HOLE_SIZE;

    if ( o->mode == XG_MODE_PV )
    {
        req->guest = MEMINIT_GUEST_PV;
        req->total_pages = o->mem_start_mib << 8;
        return 0;
    }
    if ( o->mode == XG_MODE_PVH && o->mem_start_mib < o->mem_max_mib )
        return meminit_error_set(err, "memory", EINVAL, "PVH guests cannot "
                                 "start below their maximum memory (%llu < "
                                 "%llu MiB): no populate-on-demand",
                                 (unsigned long long)o->mem_start_mib,
                                 (unsigned long long)o->mem_max_mib);
    req->guest = MEMINIT_GUEST_HVM;
    req->total_pages = o->mem_max_mib << 8;
    req->target_pages = o->mem_start_mib << 8;
    req->hvm = (struct meminit_hvm_layout){
        .lowmem_end = mem < mmio_start ? mem : mmio_start,
        .highmem_end = mem > mmio_start ? (1ull << 32) + mem - mmio_start : 0,
        .mmio_start = mmio_start,
        .mmio_size = MMIO_HOLE_SIZE,
        .device_model = o->mode == XG_MODE_HVM,
    };
    return 0;
}

static int hvm_layout(struct xg_build *b, struct xc_dom_image *dom)
{
    struct meminit_request req = { 0 };
    int rc = xg_build_geometry(b->opt, &req, b->err);

    if ( rc )
        return rc;
    dom->mmio_size = req.hvm.mmio_size;
    dom->mmio_start = req.hvm.mmio_start;
    dom->lowmem_end = req.hvm.lowmem_end;
    dom->highmem_end = req.hvm.highmem_end;
    dom->target_pages = req.target_pages;
    dom->device_model = req.hvm.device_model;
    dom->vga_hole_size = dom->device_model ? VGA_HOLE_PAGES : 0;
    dom->max_vcpus = b->plat->vcpus;
    b->mmio_hole_size = req.hvm.mmio_size;
    return 0;
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
    xg_build_request(o, b->log, b->xch, &tmpl);
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

static int viridian_flags(const struct xg_platform *p, uint64_t *flags)
{
    static const uint64_t bit[XG_VIRIDIAN_NR] = {
        [XG_VIRIDIAN_TIME_REF_COUNT] = HVMPV_time_ref_count,
        [XG_VIRIDIAN_REFERENCE_TSC] = HVMPV_reference_tsc,
        [XG_VIRIDIAN_HCALL_REMOTE_TLB_FLUSH] = HVMPV_hcall_remote_tlb_flush,
        [XG_VIRIDIAN_APIC_ASSIST] = HVMPV_apic_assist,
        [XG_VIRIDIAN_CRASH_CTL] = HVMPV_crash_ctl,
        [XG_VIRIDIAN_STIMER] = HVMPV_stimer,
        [XG_VIRIDIAN_HCALL_IPI] = HVMPV_hcall_ipi,
    };
    unsigned int i;

    *flags = HVMPV_base_freq;
    for ( i = 0; i < XG_VIRIDIAN_NR; i++ )
        if ( p->viridian_feature[i] == 1 )
            *flags |= bit[i];
    return p->viridian;
}

/* Platform settings that are hypervisor state rather than guest memory. */
static int platform(struct xg_build *b)
{
    const struct xg_platform *p = b->plat;
    uint32_t domid = b->opt->domid;
    uint64_t vflags;

    errno = 0;
    if ( xc_domain_set_tsc_info(b->xch, domid, p->tsc_mode, 0, 0, 0) )
        return fail_xc(b, "platform", "tsc_mode");
    if ( p->has_timeoffset &&
         xc_domain_set_time_offset(b->xch, domid, p->timeoffset) )
        return fail_xc(b, "platform", "timeoffset");
    if ( b->opt->mode != XG_MODE_HVM )
        return 0;
    if ( xc_hvm_param_set(b->xch, domid, HVM_PARAM_HPET_ENABLED, p->hpet) )
        return fail_xc(b, "platform", "hpet");
    if ( p->nested_virt &&
         xc_hvm_param_set(b->xch, domid, HVM_PARAM_NESTEDHVM, 1) )
        return fail_xc(b, "platform", "nested-virt");
    if ( viridian_flags(p, &vflags) &&
         xc_hvm_param_set(b->xch, domid, HVM_PARAM_VIRIDIAN, vflags) )
        return fail_xc(b, "platform", "viridian");
    return 0;
}

static int finish(struct xg_build *b, struct xc_dom_image *dom)
{
    errno = 0;
    if ( xc_dom_build_image(dom) )
        return fail_xc(b, "build-image", "xc_dom_build_image");
    if ( xc_dom_boot_image(dom) )
        return fail_xc(b, "boot-image", "xc_dom_boot_image");
    if ( xc_dom_gnttab_init(dom) )
        return fail_xc(b, "gnttab", "xc_dom_gnttab_init");
    if ( b->opt->mode == XG_MODE_PV )
    {
        b->store_frame = xc_dom_p2m(dom, dom->xenstore_pfn);
        b->console_frame = xc_dom_p2m(dom, dom->console_pfn);
        b->protocol = strcmp(dom->guest_type, "xen-3.0-x86_64")
                      ? "x86_32-abi" : "x86_64-abi";
    }
    else
    {
        b->store_frame = dom->xenstore_pfn;
        b->console_frame = dom->console_pfn;
    }
    return 0;
}

static int sequence(struct xg_build *b, struct xc_dom_image *dom,
                    struct meminit_hook *hook)
{
    int rc = load_images(b, dom);

    if ( !rc && dom->container_type == XC_DOM_HVM_CONTAINER )
        rc = hvm_layout(b, dom);
    if ( rc )
        return rc;
    errno = 0;
    if ( xc_dom_boot_xen_init(dom, b->xch, b->opt->domid) )
        return fail_xc(b, "xen-init", "xc_dom_boot_xen_init");
    if ( xc_dom_parse_image(dom) )
        return fail_xc(b, "parse", b->opt->image);
    rc = platform(b);
    if ( !rc )
        rc = memory(b, dom, hook);
    return rc ? rc : finish(b, dom);
}

int xg_build_run(struct xg_build *b)
{
    struct meminit_hook hook;
    struct xc_dom_image *dom = allocate(b);
    int rc;

    if ( !dom )
        return -EIO;
    rc = sequence(b, dom, &hook);
    xc_dom_release(dom);
    return rc;
}
