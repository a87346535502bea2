/*
 * memmap.h - the guest physical memory map of an HVM or PVH guest: the MMIO
 * hole below 4 GiB, where RAM goes, and the e820 handed to Xen with
 * xc_domain_set_memory_map(), which hvmloader and Linux's PVH entry read
 * back through XENMEM_memory_map.
 *
 * Contract:
 *  - xg_memmap_build() is pure: it takes what the build gathered (guest
 *    size, -vgpu, every -pci_passthrough device's BAR total, MxGPU flag and
 *    reserved device memory ranges, PVH ACPI ranges) and computes the
 *    layout. It never calls Xen, never prints, keeps no state.
 *  - Units: bytes throughout; every output is page aligned; the RAM
 *    entries add up to exactly -mem_max_mib MiB. highmem_end is 0 when
 *    there is no RAM above 4 GiB, as libxl passes it: hvmloader reads
 *    hvm_info's high_mem_pgend as "RAM above 4 GiB ends here" and, given
 *    4 GiB (what XenServer passes), lists an empty RAM entry at 4 GiB and
 *    would take pages below 4 GiB for high RAM if it ran out of room.
 *  - Source: XenServer's xenguest (hvm_build_setup_mem, pvh_setup_mem,
 *    pvh_setup_e820, XS 8.3, Xen 4.17): a 256 MiB hole (Xen's
 *    HVM_BELOW_4G_MMIO_LENGTH) plus every passthrough BAR; with -vgpu the
 *    hole is doubled first and its old size added to what it must cover;
 *    then it doubles until it covers everything, at most 2 GiB; an AMD
 *    MxGPU (1002:692f) makes it at least 2 GiB. RAM runs from 1 MiB (HVM:
 *    hvmloader owns the first MiB) or 0 (PVH) to lowmem_end, the rest from
 *    4 GiB. Reserved device memory (RMRR) below lowmem_end moves the RAM
 *    above it to above 4 GiB and widens the hole to match. -vgpu reserves a
 *    16 MiB VRAM window, the highest free 16 MiB step at or below
 *    0xfb000000 inside the hole.
 *  - Where XenServer would build a broken map we refuse instead, with
 *    -EINVAL and a message: an RMRR overlapping RAM above 4 GiB, more
 *    entries than E820MAX, no room for the VRAM window. An RMRR below
 *    1 MiB is listed as reserved but does not move RAM (hvmloader builds
 *    the first MiB itself).
 *  - The map is sorted by address and has no overlaps (PVH's RSDP page,
 *    inside low RAM, is cut out of the RAM entry rather than overlapping
 *    it: the guest sees the same after Linux sanitises XenServer's map).
 */
#ifndef XG_MEMMAP_H
#define XG_MEMMAP_H

#include <stdbool.h>
#include <stdint.h>

#include <xenctrl.h>

#include "error.h"
#include "options.h"

#define XG_MMIO_HOLE_MIN      (256ull << 20)  /* HVM_BELOW_4G_MMIO_LENGTH */
#define XG_MMIO_HOLE_MAX      (2ull << 30)
#define XG_VRAM_TOP           0xfb000000ull
#define XG_VRAM_SIZE          (16ull << 20)
#define XG_MAX_RDM            32      /* reserved ranges per device */
#define XG_MAX_ACPI_RANGES    4

/* A range of guest physical memory, in bytes. */
struct xg_range {
    uint64_t start;
    uint64_t size;
};

/* What the build learnt about one -pci_passthrough device. */
struct xg_pt_dev {
    struct xg_pci_sbdf sbdf;
    uint64_t bar_bytes;             /* sum of its BAR sizes (sysfs) */
    bool mxgpu;                     /* AMD 1002:692f */
    unsigned int nr_rdm;
    struct xg_range rdm[XG_MAX_RDM];    /* reserved device memory */
};

struct xg_memmap_req {
    uint64_t mem_mib;               /* -mem_max_mib */
    bool pvh;                       /* RAM from 0, fixed hole, ACPI */
    bool vgpu;
    unsigned int nr_dev;
    const struct xg_pt_dev *dev;
    unsigned int nr_acpi;           /* PVH: where the ACPI tables go */
    struct xg_range acpi[XG_MAX_ACPI_RANGES];
};

struct xg_memmap {
    uint64_t lowmem_end;            /* RAM below 4 GiB ends here */
    uint64_t highmem_end;           /* RAM above 4 GiB ends here; 0: none */
    uint64_t mmio_start;
    uint64_t mmio_size;
    uint64_t vram_addr;             /* -vgpu: the VRAM window; else 0 */
    uint64_t vram_size;
    unsigned int nr;
    struct e820entry e820[E820MAX];
};

/* Compute the map. 0, or -EINVAL with the reason in e (step "memmap"). */
int xg_memmap_build(const struct xg_memmap_req *req, struct xg_memmap *map,
                    struct meminit_error *e);

/*
 * The MMIO hole alone, in bytes, as XenServer sizes it (see above): for
 * the tests and for --plan.
 */
uint64_t xg_memmap_hole_size(const struct xg_memmap_req *req);

#endif /* XG_MEMMAP_H */
