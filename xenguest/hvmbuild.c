/*
 * hvmbuild.c - the HVM and PVH steps around meminit.
 *
 * The map is computed before meminit runs because meminit populates
 * exactly the RAM the map describes (lowmem_end, the hole, highmem_end),
 * and handed to Xen after it, as XenServer's xenguest does; both happen
 * before the guest can run, which is all hvmloader and Linux's PVH entry
 * need (they read it with XENMEM_memory_map at their first instructions).
 */
#include <errno.h>
#include <string.h>

#include "hvmbuild.h"
#include "hvminfo.h"
#include "hvmparam.h"
#include "pci.h"

#define VGA_HOLE_PAGES  0x20    /* 0xa0000-0xbffff, left to the emulator */

static int refuse(struct meminit_error *e, const char *what)
{
    return meminit_error_set(e, "safety", EINVAL, "%s (--force builds it "
                             "anyway)", what);
}

int xg_hvm_check(const struct xg_options *o, const struct xg_platform *p,
                 bool hap, struct meminit_error *e)
{
    bool pod = o->mem_start_mib < o->mem_max_mib;

    if ( p->vcpus > HVM_MAX_VCPUS )
        return meminit_error_set(e, "platform", EINVAL, "platform/vcpu/"
                                 "number: %u vCPUs, an HVM or PVH guest has "
                                 "at most %u (HVM_MAX_VCPUS)", p->vcpus,
                                 HVM_MAX_VCPUS);
    if ( o->mode == XG_MODE_PVH && o->nr_pci )
        return meminit_error_set(e, "safety", EINVAL, "PCI passthrough is "
                                 "not supported for PVH guests");
    if ( o->force )
        return 0;
    if ( pod && p->nested_virt )
        return refuse(e, "populate-on-demand (-mem_start_mib below "
                      "-mem_max_mib) and nested virtualisation are mutually "
                      "exclusive");
    if ( pod && o->nr_pci )
        return refuse(e, "populate-on-demand (-mem_start_mib below "
                      "-mem_max_mib) and PCI passthrough are mutually "
                      "exclusive");
    if ( p->nested_virt && !hap )
        return refuse(e, "nested virtualisation needs HAP; the domain uses "
                      "shadow paging");
    return 0;
}

static int read_devices(struct xg_hvm_build *h, struct meminit_error *e)
{
    unsigned int i;
    int rc = 0;

    h->nr_dev = h->opt->nr_pci;
    for ( i = 0; !rc && i < h->nr_dev; i++ )
    {
        h->dev[i] = (struct xg_pt_dev){ .sbdf = h->opt->pci_dev[i] };
        rc = xg_pci_read_sysfs(h->opt->sysfs_root, &h->dev[i], e);
        if ( !rc )
            rc = xg_pci_read_rdm(h->xch, &h->dev[i], e);
    }
    return rc;
}

static int pvh_acpi(struct xg_hvm_build *h, struct xg_memmap_req *req,
                    struct meminit_error *e)
{
    struct xg_acpi_config cfg;
    unsigned int i;
    int rc;

    xg_acpi_config_pvh(h->plat, &cfg);
    rc = xg_acpi_build(&cfg, &h->acpi, e);
    for ( i = 0; !rc && i < h->acpi.nr; i++ )
        req->acpi[req->nr_acpi++] = (struct xg_range){
            .start = h->acpi.blob[i].guest_addr,
            .size = h->acpi.blob[i].length };
    return rc;
}

int xg_hvm_layout(struct xg_hvm_build *h, struct meminit_error *e)
{
    const struct xg_options *o = h->opt;
    struct xg_memmap_req req = { .mem_mib = o->mem_max_mib,
                                 .pvh = o->mode == XG_MODE_PVH,
                                 .vgpu = o->vgpu, .dev = h->dev };
    int rc = req.pvh ? pvh_acpi(h, &req, e) : read_devices(h, e);

    req.nr_dev = h->nr_dev;
    return rc ? rc : xg_memmap_build(&req, &h->map, e);
}

int xg_hvm_dom_setup(struct xg_hvm_build *h, struct xc_dom_image *dom,
                     struct meminit_error *e)
{
    const struct xg_options *o = h->opt;
    const struct xg_firmware_paths paths = { o->seabios, o->ovmf, o->ipxe };
    bool hvm = o->mode == XG_MODE_HVM;
    int rc;

    dom->lowmem_end = h->map.lowmem_end;
    dom->highmem_end = h->map.highmem_end;
    dom->mmio_start = h->map.mmio_start;
    dom->mmio_size = h->map.mmio_size;
    dom->target_pages = o->mem_start_mib << (20 - XC_PAGE_SHIFT);
    dom->device_model = hvm;
    dom->vga_hole_size = hvm ? VGA_HOLE_PAGES : 0;
    dom->max_vcpus = h->plat->vcpus;
    if ( !hvm )
        return xg_acpi_dom_modules(&h->acpi, dom, e);
    rc = xg_firmware_choose(h->plat->bios, h->plat->ovmf_override,
                            &paths, &h->fw, e);
    return rc ? rc : xg_firmware_load(&h->fw, dom, e);
}

int xg_hvm_set_map(struct xg_hvm_build *h, struct meminit_error *e)
{
    errno = 0;
    if ( xc_domain_set_memory_map(h->xch, h->opt->domid, h->map.e820,
                                  h->map.nr) )
        return meminit_error_set(e, "memmap", errno, "xc_domain_set_memory_"
                                 "map (%u entries): %s", h->map.nr,
                                 strerror(errno ?: EIO));
    return 0;
}

int xg_hvm_finish(struct xg_hvm_build *h, struct xc_dom_image *dom,
                  struct meminit_error *e)
{
    const struct xg_platform *p = h->plat;
    struct xg_hvm_info_cfg info = { .apic = p->apic, .nr_vcpus = p->vcpus,
                                    .online = p->vcpus_current };
    int rc = 0;

    if ( h->opt->mode == XG_MODE_HVM )
        rc = xg_hvm_info_write(dom, &info, e);
    return rc ? rc : xg_hvm_params_apply(h->xch, h->opt->domid, p,
                                         h->opt->vgpu, e);
}

void xg_hvm_release(struct xg_hvm_build *h)
{
    xg_acpi_free(&h->acpi);
    xg_firmware_release(&h->fw);
}
