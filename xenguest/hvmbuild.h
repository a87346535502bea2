/*
 * hvmbuild.h - what an HVM or PVH build does besides memory: the safety
 * checks, the passthrough devices, the ACPI tables (PVH), the memory map,
 * the firmware (HVM), and after the image the hvm_info table (HVM) and
 * the HVM parameters.
 *
 * Contract: one struct xg_hvm_build per build, zeroed, with the inputs set.
 * build.c calls, in this order (XenServer's stub_xc_hvm_build):
 *   xg_hvm_check()       before anything touches the domain;
 *   xg_hvm_layout()      devices (sysfs + Xen's reserved memory), PVH ACPI
 *                        tables, then the map (memmap.h); also --plan;
 *   xg_hvm_dom_setup()   the map's figures into the xc_dom_image, the
 *                        firmware (HVM) or ACPI modules (PVH);
 *   (meminit runs)
 *   xg_hvm_set_map()     xc_domain_set_memory_map();
 *   (build_image, boot_image, gnttab_init)
 *   xg_hvm_finish()      hvm_info (HVM), HVM parameters;
 *   xg_hvm_release()     after xc_dom_release(), on every path.
 * Every function returns 0 or -errno with the reason in the error record.
 * Nothing here prints or exits.
 */
#ifndef XG_HVMBUILD_H
#define XG_HVMBUILD_H

#include <stdbool.h>

#include <xenctrl.h>
#include <xenguest.h>

#include "acpi.h"
#include "error.h"
#include "firmware.h"
#include "memmap.h"
#include "options.h"
#include "platform.h"

struct xg_hvm_build {
    /* in */
    const struct xg_options *opt;
    const struct xg_platform *plat;
    xc_interface *xch;
    /* state */
    unsigned int nr_dev;
    struct xg_pt_dev dev[XG_MAX_PCI];
    struct xg_memmap map;
    struct xg_acpi_tables acpi;
    struct xg_firmware fw;
};

/*
 * XenServer's hvm_safety_check, refused unless --force: populate-on-demand
 * (start < max) with nested virtualisation or with PCI passthrough, and
 * nested virtualisation without HAP (hap: the domain's XEN_DOMINF_hap).
 * Also refused whatever --force says: -pci_passthrough for PVH (XenServer's
 * pvh_setup_mem). -EINVAL, step "safety". And first, so that it fails
 * before memory is populated rather than at hvm_info: more vCPUs
 * (platform/vcpu/number) than Xen 4.17 gives an HVM or PVH domain,
 * HVM_MAX_VCPUS (128). -EINVAL, step "platform".
 */
int xg_hvm_check(const struct xg_options *o, const struct xg_platform *p,
                 bool hap, struct meminit_error *e);

int xg_hvm_layout(struct xg_hvm_build *h, struct meminit_error *e);

int xg_hvm_dom_setup(struct xg_hvm_build *h, struct xc_dom_image *dom,
                     struct meminit_error *e);

int xg_hvm_set_map(struct xg_hvm_build *h, struct meminit_error *e);

int xg_hvm_finish(struct xg_hvm_build *h, struct xc_dom_image *dom,
                  struct meminit_error *e);

void xg_hvm_release(struct xg_hvm_build *h);

#endif /* XG_HVMBUILD_H */
