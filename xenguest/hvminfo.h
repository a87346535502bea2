/*
 * hvminfo.h - the hvm_info table hvmloader reads: how many vCPUs the guest
 * has, which are online at boot, and whether to build APIC tables.
 *
 * Contract:
 *  - libxenguest (4.17, alloc_magic_pages_hvm) writes the table at
 *    HVM_INFO_PFN + HVM_INFO_OFFSET with its memory fields and placeholder
 *    defaults (1 vCPU, all online, APIC on). After xc_dom_boot_image(),
 *    xg_hvm_info_write() maps the page and sets what XenServer's xenguest
 *    and libxl set (hvm_build_set_params): apic_mode from platform/apic,
 *    nr_vcpus from platform/vcpu/number, the online bitmap from
 *    platform/vcpu/current (the first `online` vCPUs), then the checksum
 *    that makes the table's bytes sum to 0. The memory fields are left as
 *    libxenguest wrote them (they follow dom->lowmem_end/highmem_end).
 *  - xg_hvm_info_fill() is the pure part, on a table in memory.
 *  - Errors: -EINVAL when nr_vcpus is 0 or above HVM_MAX_VCPUS (128, the
 *    size of the table's bitmap), online above nr_vcpus, or the table's
 *    signature/length is not libxenguest's; -errno when the page cannot be
 *    mapped. Step "hvm-info".
 */
#ifndef XG_HVMINFO_H
#define XG_HVMINFO_H

#include <stdbool.h>
#include <stdint.h>

#include <xenctrl.h>
#include <xenguest.h>
#include <xen/hvm/hvm_info_table.h>

#include "error.h"

struct xg_hvm_info_cfg {
    bool apic;                  /* platform/apic */
    unsigned int nr_vcpus;      /* platform/vcpu/number */
    unsigned int online;        /* platform/vcpu/current */
};

int xg_hvm_info_fill(struct hvm_info_table *t,
                     const struct xg_hvm_info_cfg *cfg,
                     struct meminit_error *e);

/* The byte sum of the table's first t->length bytes (0 when valid). */
uint8_t xg_hvm_info_sum(const struct hvm_info_table *t);

/* Through libxenguest's own mapping of the guest (xc_dom_pfn_to_ptr). */
int xg_hvm_info_write(struct xc_dom_image *dom,
                      const struct xg_hvm_info_cfg *cfg,
                      struct meminit_error *e);

#endif /* XG_HVMINFO_H */
