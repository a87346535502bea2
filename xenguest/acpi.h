/*
 * acpi.h - the ACPI tables of a PVH guest, built by xenguest itself (Debian
 * ships no libacpi), laid out and handed to libxenguest as libxl and
 * XenServer's xenguest do with libacpi (Xen 4.17).
 *
 * Contract:
 *  - Pure: no hypercall, no xenstore, no printing. xg_acpi_build() returns
 *    three blobs in malloc'd memory, each with the guest physical address
 *    it belongs at:
 *      RSDP    64 bytes at 0xFFFC0, the last 64 bytes below 1 MiB (where
 *              XenServer's xenguest always puts it, and libxl for Linux
 *              guests without XENFEAT_linux_rsdp_unrestricted);
 *      info    one page at 0xFC000000 (libxl's ACPI_INFO_PHYSICAL_ADDRESS),
 *              read by the DSDT: libacpi's struct acpi_info in bytes 0-39,
 *              our vCPU online bitmap in bytes 64-127;
 *      tables  whole pages from 0xFC001000, at most 16 (libxl's
 *              NUM_ACPI_PAGES): FACS, DSDT, FADT 1.0, FADT, MADT, XSDT,
 *              RSDT in libacpi's order.
 *  - The tables are the ones libacpi builds for PVH (libxl_x86_acpi.c,
 *    acpi_build_tables() with no table_flags): ACPI revision 5, OEM "Xen"
 *    "HVM", creator "HVML"; the MADT has no I/O APIC and one Local APIC
 *    entry per vCPU with APIC id 2 * vCPU (what Xen 4.17's vlapic and CPUID
 *    give HVM/PVH vCPUs), ACPI processor id = vCPU, enabled only for the
 *    vCPUs online at boot. An APIC id of 255 or more (vCPU 128 on, beyond
 *    Xen 4.17's HVM_MAX_VCPUS) gets a Local x2APIC entry, UID = vCPU, and
 *    the MADT revision 3. The MADT exists when nr_vcpus > 1 or apic is set,
 *    as in libacpi. Every table's bytes sum to 0.
 *  - The blobs must outlive xc_dom_build_image(), which copies them into
 *    the guest (xc_dom_load_acpi()): free them with xg_acpi_free() after.
 *  - Errors (struct meminit_error, step "acpi"): -EINVAL for a bad config,
 *    -E2BIG when the tables do not fit their pages, -ENOMEM; on error *out
 *    holds nothing to free.
 */
#ifndef XG_ACPI_H
#define XG_ACPI_H

#include <stdbool.h>
#include <stdint.h>

#include <xenctrl.h>
#include <xenguest.h>

#include "error.h"
#include "platform.h"

#define XG_ACPI_PAGE_SIZE       4096u
#define XG_ACPI_RSDP_GADDR      0xFFFC0ull      /* 1 MiB - 64 */
#define XG_ACPI_RSDP_LEN        64u             /* bytes, as libxl's */
#define XG_ACPI_INFO_GADDR      0xFC000000ull   /* ACPI_INFO_PHYSICAL_ADDRESS */
#define XG_ACPI_TABLES_GADDR    (XG_ACPI_INFO_GADDR + XG_ACPI_PAGE_SIZE)
#define XG_ACPI_TABLE_PAGES     16u             /* libxl's NUM_ACPI_PAGES */
#define XG_ACPI_LAPIC_BASE      0xFEE00000u     /* LAPIC_BASE_ADDRESS */
#define XG_ACPI_INFO_ONLINE     64u             /* info page: online bitmap */

/* The blobs, in the order libxl fills dom->acpi_modules[]. */
enum xg_acpi_blob_index {
    XG_ACPI_BLOB_RSDP,      /* module 0: libxenguest's start_info rsdp_paddr */
    XG_ACPI_BLOB_INFO,
    XG_ACPI_BLOB_TABLES,
    XG_ACPI_NR_BLOBS,
};

struct xg_acpi_config {
    unsigned int nr_vcpus;      /* platform/vcpu/number, 1 .. XG_MAX_VCPUS */
    /*
     * The vCPUs online at boot: a bitmap of (nr_vcpus + 7) / 8 bytes, bit
     * (i % 8) of byte i / 8 for vCPU i (hvm_info's vcpu_online), vCPU 0 set;
     * or NULL, and then vCPUs 0 .. nr_online - 1 (platform/vcpu/current,
     * 1 .. nr_vcpus), as XenServer's hvm_init_info_table() does.
     */
    const uint8_t *online;
    unsigned int nr_online;
    bool apic;                  /* platform/apic: a MADT even for 1 vCPU */
    /*
     * Set HW_REDUCED_ACPI in the FADT and zero the fixed-hardware fields
     * (ACPI 5.0 5.2.9: offsets 46-108 and 148-243). Off by default: Xen
     * 4.17's libacpi (static_tables.c, build.c) gives PVH guests a FADT
     * that is NOT hardware-reduced, with PM1a blocks at 0xb000/0xb004,
     * GPE0 at 0xafe0 and SCI 9, although nothing backs them in PVH.
     */
    bool hw_reduced;
    unsigned int table_pages;   /* pages for the tables; 0: 16 (at most 16) */
};

struct xg_acpi_blob {
    uint8_t *data;              /* malloc'd, length bytes */
    uint32_t length;            /* bytes */
    uint64_t guest_addr;        /* guest physical address, bytes */
};

struct xg_acpi_tables {
    struct xg_acpi_blob blob[XG_ACPI_NR_BLOBS];
    unsigned int nr;            /* XG_ACPI_NR_BLOBS once built, else 0 */
};

/* The config XenServer's xenguest derives from the platform keys. */
void xg_acpi_config_pvh(const struct xg_platform *p,
                        struct xg_acpi_config *cfg);

/*
 * Build the RSDP, the info page and the tables for cfg into *out (the
 * caller's struct; nothing is read from it). Errors: -EINVAL (nr_vcpus
 * outside 1 .. XG_MAX_VCPUS, online set empty, without vCPU 0 or with bits
 * at or past nr_vcpus, table_pages > 16), -E2BIG (tables larger than
 * table_pages), -ENOMEM. Source: libacpi acpi_build_tables() as called by
 * libxl__dom_load_acpi() (Xen 4.17), XenServer's xenguest_dom_load_acpi().
 */
int xg_acpi_build(const struct xg_acpi_config *cfg, struct xg_acpi_tables *out,
                  struct meminit_error *e);

/* Free the blobs; *t is then empty (nr 0). NULL and empty are fine. */
void xg_acpi_free(struct xg_acpi_tables *t);

/*
 * Point dom->acpi_modules[0..2] at the blobs (data, length in bytes,
 * guest_addr_out), RSDP first, as libxl__dom_load_acpi() does; the rest
 * stay zero. xc_dom_build_image() then populates those guest pages and
 * copies the blobs in (xg_dom_core.c xc_dom_load_acpi(), which stops at
 * the first empty module), and a PVH start_info gets rsdp_paddr from
 * module 0 (xg_dom_x86.c bootlate_hvm()). Call it before
 * xc_dom_build_image(); dom keeps pointers into t. Errors: -EINVAL (t not
 * built), -EEXIST (a module slot already in use).
 */
int xg_acpi_dom_modules(const struct xg_acpi_tables *t,
                        struct xc_dom_image *dom, struct meminit_error *e);

/*
 * The E820_ACPI entries the guest's memory map must carry for the blobs,
 * one per blob in blob order, computed as libxl's domain_construct_memmap()
 * and XenServer's pvh_setup_e820() do: addr = guest_addr rounded down to a
 * page, size = length + (guest_addr % page) bytes. So the RSDP gives
 * [0xFF000, 0x100000), inside the low RAM entry [0, lowmem_end) that both
 * also write (Linux keeps the ACPI type where they overlap). Returns the
 * number written, -EINVAL (t not built) or -ENOSPC (max too small).
 */
int xg_acpi_e820(const struct xg_acpi_tables *t, struct e820entry *map,
                 unsigned int max, struct meminit_error *e);

#endif /* XG_ACPI_H */
