/*
 * acpi.c - the ACPI tables of a PVH guest (see acpi.h for the contract).
 *
 * Why by hand: Debian's Xen packages do not ship libacpi, and the tables a
 * PVH guest needs are few and fixed. The one piece of AML, the DSDT, is
 * compiled by iasl from xenguest/acpi/dsdt_pvh.asl at build time. Fields are
 * written at their ACPI 5.0 byte offsets, little-endian, so nothing depends
 * on struct packing or the host's byte order.
 *
 * The DSDT is the same for every guest: it declares a processor Device for
 * each of the XG_MAX_VCPUS possible vCPUs, and each one's _STA reads the
 * vCPU count and the online bitmap from the info page. This is what libxl
 * does too (one DSDT built with mk_dsdt --maxcpu any, _STA reading the info
 * page and the MADT), and it keeps every byte of AML coming from iasl
 * rather than from an AML encoder written here. The cost is a DSDT of about
 * 22 KiB and 512 _STA evaluations at guest boot.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "acpi.h"
#include "acpi/dsdt_pvh.h"

#define STEP "acpi"

/* The common table header (ACPI 5.0 5.2.6). */
#define HDR_LEN             36
#define HDR_LENGTH          4
#define HDR_REVISION        8
#define HDR_CHECKSUM        9

/* libacpi's identity (acpi2_0.h ACPI_OEM_ID, ACPI_OEM_TABLE_ID, ...). */
#define OEM_ID              "Xen"
#define OEM_TABLE_ID        "HVM"
#define CREATOR_ID          "HVML"

/* RSDP (ACPI 5.0 5.2.5.3). */
#define RSDP_CHECKSUM       8
#define RSDP_OEM_ID         9
#define RSDP_REVISION       15
#define RSDP_RSDT           16
#define RSDP_LENGTH         20
#define RSDP_XSDT           24
#define RSDP_EXT_CHECKSUM   32
#define RSDP_V1_LEN         20
#define RSDP_V2_LEN         36

/* FACS (ACPI 5.0 5.2.10), 64 bytes aligned on 64, version 1 as libacpi. */
#define FACS_LEN            64
#define FACS_VERSION        32

/* FADT (ACPI 5.0 5.2.9), the layout of libacpi's struct acpi_fadt. */
#define FADT_FIRMWARE_CTRL  36
#define FADT_DSDT           40
#define FADT_SCI_INT        46
#define FADT_PM1A_EVT_BLK   56
#define FADT_PM1A_CNT_BLK   64
#define FADT_GPE0_BLK       80
#define FADT_PM1_EVT_LEN    88
#define FADT_PM1_CNT_LEN    89
#define FADT_GPE0_BLK_LEN   92
#define FADT_P_LVL2_LAT     96
#define FADT_P_LVL3_LAT     98
#define FADT_IAPC_BOOT_ARCH 109
#define FADT_FLAGS          112
#define FADT_RESET_REG      116
#define FADT_RESET_VALUE    128
#define FADT_X_FIRMWARE_CTRL 132
#define FADT_X_DSDT         140
#define FADT_X_PM1A_EVT_BLK 148
#define FADT_X_PM1A_CNT_BLK 172
#define FADT_X_GPE1_END     244     /* end of the last fixed-hardware GAS */
#define FADT_LEN            268     /* revision 5, with the sleep registers */
#define FADT10_LEN          116     /* revision 1, up to Flags */

#define FADT_F_WBINVD       (1u << 0)
#define FADT_F_PROC_C1      (1u << 2)
#define FADT_F_PWR_BUTTON   (1u << 4)
#define FADT_F_SLP_BUTTON   (1u << 5)
#define FADT_F_FIX_RTC      (1u << 6)
#define FADT_F_TMR_VAL_EXT  (1u << 8)
#define FADT_F_PLATFORM_CLOCK (1u << 15)
#define FADT_F_HW_REDUCED   (1u << 20)
/* libacpi's Fadt.flags, plus both buttons absent (no ACPI_HAS_BUTTONS). */
#define FADT_F_PVH          (FADT_F_WBINVD | FADT_F_PROC_C1 | \
                             FADT_F_PWR_BUTTON | FADT_F_SLP_BUTTON | \
                             FADT_F_FIX_RTC | FADT_F_TMR_VAL_EXT | \
                             FADT_F_PLATFORM_CLOCK)
#define FADT_BOOT_NO_VGA    (1u << 2)
#define FADT_BOOT_NO_CMOS_RTC (1u << 5)

/* MADT (ACPI 5.0 5.2.12). */
#define MADT_LAPIC_ADDR     36
#define MADT_FLAGS          40
#define MADT_HDR_LEN        44
#define MADT_PCAT_COMPAT    1u
#define MADT_LAPIC          0       /* Processor Local APIC, 8 bytes */
#define MADT_LAPIC_LEN      8
#define MADT_X2APIC         9       /* Processor Local x2APIC, 16 bytes */
#define MADT_X2APIC_LEN     16
#define MADT_ENABLED        1u

/* libacpi's struct acpi_info, at the start of the info page. */
#define INFO_NR_CPUS        2
#define INFO_MADT_CSUM      12
#define INFO_MADT_LAPIC0    16

/* Xen 4.17 public/hvm/ioreq.h, the _V1 ACPI register block locations. */
#define PM1A_EVT_BLK        0xb000u
#define PM1A_CNT_BLK        0xb004u
#define GPE0_BLK            0xafe0u
#define GPE0_BLK_LEN        4
#define GAS_SYSTEM_IO       1

/* A page-bounded area of guest memory being filled, as libxl's allocator. */
struct area {
    uint8_t *buf;
    uint32_t used;          /* bytes */
    uint32_t cap;           /* bytes */
    uint64_t gaddr;         /* guest address of buf[0] */
};

/* One build: the config, the areas and where each table went (0: none). */
struct build {
    const struct xg_acpi_config *cfg;
    struct area tables;
    uint8_t *info;
    uint8_t *rsdp;
    uint64_t facs, dsdt, fadt10, fadt, madt, xsdt, rsdt;
    struct meminit_error *e;
};

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = v & 0xff;
    p[1] = v >> 8;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v & 0xffff);
    put16(p + 2, v >> 16);
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, v & 0xffffffffu);
    put32(p + 4, v >> 32);
}

/* Set the byte at csum so that the len bytes at t sum to 0. */
static void checksum(uint8_t *t, uint32_t len, uint32_t csum)
{
    uint8_t sum = 0;
    uint32_t i;

    t[csum] = 0;
    for ( i = 0; i < len; i++ )
        sum += t[i];
    t[csum] = -sum;
}

/* A fixed-width, NUL-padded ACPI string field. */
static void put_str(uint8_t *p, const char *s, size_t width)
{
    size_t n = strlen(s);

    memset(p, 0, width);
    memcpy(p, s, n < width ? n : width);
}

static void put_header(uint8_t *p, const char *sig, uint32_t len, uint8_t rev)
{
    memcpy(p, sig, 4);
    put32(p + HDR_LENGTH, len);
    p[HDR_REVISION] = rev;
    put_str(p + 10, OEM_ID, 6);
    put_str(p + 16, OEM_TABLE_ID, 8);
    put32(p + 24, 0);                   /* OEM revision */
    memcpy(p + 28, CREATOR_ID, 4);
    put32(p + 32, 0);                   /* creator revision */
}

/* A Generic Address Structure (ACPI 5.0 5.2.3.2). */
static void put_gas(uint8_t *p, uint8_t space, uint8_t bits, uint64_t addr)
{
    p[0] = space;
    p[1] = bits;
    p[2] = 0;                           /* bit offset */
    p[3] = 0;                           /* access size: undefined */
    put64(p + 4, addr);
}

/* Reserve size bytes aligned on align (at least 16, as libxl) in a. */
static uint8_t *area_alloc(struct build *b, uint32_t size, uint32_t align,
                           uint64_t *gaddr)
{
    struct area *a = &b->tables;
    uint32_t start;

    if ( align < 16 )
        align = 16;
    start = (a->used + align - 1) & ~(align - 1);
    if ( start > a->cap || size > a->cap - start )
    {
        meminit_error_set(b->e, STEP, E2BIG,
                          "the ACPI tables do not fit in %u page(s) at "
                          "%#llx: %u bytes used, %u more wanted",
                          a->cap / XG_ACPI_PAGE_SIZE,
                          (unsigned long long)a->gaddr, a->used, size);
        return NULL;
    }
    a->used = start + size;
    *gaddr = a->gaddr + start;
    return a->buf + start;
}

static bool vcpu_online(const struct xg_acpi_config *cfg, unsigned int i)
{
    if ( !cfg->online )
        return i < cfg->nr_online;
    return cfg->online[i / 8] & (1u << (i % 8));
}

/* The bitmap: vCPU 0 set, nothing at or past nr_vcpus. */
static int check_bitmap(const struct xg_acpi_config *cfg,
                        struct meminit_error *e)
{
    unsigned int i, bytes = (cfg->nr_vcpus + 7) / 8;

    if ( !(cfg->online[0] & 1) )
        return meminit_error_set(e, STEP, EINVAL,
                                 "vCPU 0 is not in the online set");
    for ( i = cfg->nr_vcpus; i < bytes * 8; i++ )
        if ( cfg->online[i / 8] & (1u << (i % 8)) )
            return meminit_error_set(e, STEP, EINVAL,
                                     "vCPU %u is online but only %u exist",
                                     i, cfg->nr_vcpus);
    return 0;
}

static int check_config(const struct xg_acpi_config *cfg,
                        struct meminit_error *e)
{
    if ( cfg->nr_vcpus < 1 || cfg->nr_vcpus > XG_MAX_VCPUS ||
         cfg->nr_vcpus > xg_dsdt_pvh_cpus )
        return meminit_error_set(e, STEP, EINVAL,
                                 "%u vCPUs: the tables describe 1 to %u",
                                 cfg->nr_vcpus, XG_MAX_VCPUS);
    if ( cfg->table_pages > XG_ACPI_TABLE_PAGES )
        return meminit_error_set(e, STEP, EINVAL,
                                 "%u pages for the ACPI tables: at most %u",
                                 cfg->table_pages, XG_ACPI_TABLE_PAGES);
    if ( cfg->online )
        return check_bitmap(cfg, e);
    if ( cfg->nr_online < 1 || cfg->nr_online > cfg->nr_vcpus )
        return meminit_error_set(e, STEP, EINVAL,
                                 "%u vCPUs online at boot: want 1 to %u",
                                 cfg->nr_online, cfg->nr_vcpus);
    return 0;
}

static int build_facs(struct build *b)
{
    uint8_t *p = area_alloc(b, FACS_LEN, 64, &b->facs);

    if ( !p )
        return -E2BIG;
    memcpy(p, "FACS", 4);
    put32(p + 4, FACS_LEN);
    p[FACS_VERSION] = 1;
    return 0;
}

/* Copied as iasl built it: header, checksum and all. */
static int build_dsdt(struct build *b)
{
    uint8_t *p = area_alloc(b, xg_dsdt_pvh_len, 16, &b->dsdt);

    if ( !p )
        return -E2BIG;
    memcpy(p, xg_dsdt_pvh, xg_dsdt_pvh_len);
    return 0;
}

/*
 * The fields of libacpi's static Fadt that PVH keeps: the PM1a and GPE0
 * blocks, SCI 9, no C2/C3 (latencies 0xfff), the reset register 0xcf9 = 6
 * (not advertised), no PM timer (no ACPI_HAS_PMTIMER), fixed power and
 * sleep buttons absent (no ACPI_HAS_BUTTONS), no VGA, no CMOS RTC.
 */
static void fadt_fixed_hw(uint8_t *p)
{
    put16(p + FADT_SCI_INT, 9);
    put32(p + FADT_PM1A_EVT_BLK, PM1A_EVT_BLK);
    put32(p + FADT_PM1A_CNT_BLK, PM1A_CNT_BLK);
    put32(p + FADT_GPE0_BLK, GPE0_BLK);
    p[FADT_PM1_EVT_LEN] = 4;
    p[FADT_PM1_CNT_LEN] = 2;
    p[FADT_GPE0_BLK_LEN] = GPE0_BLK_LEN;
    put16(p + FADT_P_LVL2_LAT, 0x0fff);
    put16(p + FADT_P_LVL3_LAT, 0x0fff);
    put16(p + FADT_IAPC_BOOT_ARCH, FADT_BOOT_NO_VGA | FADT_BOOT_NO_CMOS_RTC);
    put32(p + FADT_FLAGS, FADT_F_PVH);
    put_gas(p + FADT_RESET_REG, GAS_SYSTEM_IO, 8, 0xcf9);
    p[FADT_RESET_VALUE] = 6;
    put_gas(p + FADT_X_PM1A_EVT_BLK, GAS_SYSTEM_IO, 32, PM1A_EVT_BLK);
    put_gas(p + FADT_X_PM1A_CNT_BLK, GAS_SYSTEM_IO, 16, PM1A_CNT_BLK);
}

/* Hardware-reduced: what OSPM ignores is zeroed, the flag set. */
static void fadt_hw_reduced(uint8_t *p)
{
    memset(p + FADT_SCI_INT, 0, FADT_IAPC_BOOT_ARCH - FADT_SCI_INT);
    memset(p + FADT_X_PM1A_EVT_BLK, 0, FADT_X_GPE1_END - FADT_X_PM1A_EVT_BLK);
    put32(p + FADT_FLAGS, FADT_F_PVH | FADT_F_HW_REDUCED);
}

/*
 * The FADT (revision 5, in the XSDT) and its ACPI 1.0 copy (its first 116
 * bytes, revision 1, in the RSDT). The copy keeps the fixed hardware even
 * when the FADT is hardware-reduced: ACPI 1.0 has no such mode and requires
 * the PM1a blocks.
 */
static int build_fadts(struct build *b)
{
    uint8_t *f10 = area_alloc(b, FADT10_LEN, 16, &b->fadt10);
    uint8_t *f = f10 ? area_alloc(b, FADT_LEN, 16, &b->fadt) : NULL;

    if ( !f )
        return -E2BIG;
    put_header(f, "FACP", FADT_LEN, 5);
    fadt_fixed_hw(f);
    put32(f + FADT_FIRMWARE_CTRL, b->facs);
    put32(f + FADT_DSDT, b->dsdt);
    put64(f + FADT_X_FIRMWARE_CTRL, b->facs);
    put64(f + FADT_X_DSDT, b->dsdt);

    memcpy(f10, f, FADT10_LEN);
    put32(f10 + HDR_LENGTH, FADT10_LEN);
    f10[HDR_REVISION] = 1;
    checksum(f10, FADT10_LEN, HDR_CHECKSUM);

    if ( b->cfg->hw_reduced )
        fadt_hw_reduced(f);
    checksum(f, FADT_LEN, HDR_CHECKSUM);
    return 0;
}

/* APIC id 2 * vCPU: Xen 4.17 vlapic_reset() and CPUID leaves 1 and 0xb. */
static uint32_t apic_id(unsigned int vcpu)
{
    return vcpu * 2;
}

/* One MADT entry for vcpu at p; returns its length. */
static uint32_t madt_entry(uint8_t *p, unsigned int vcpu, bool online)
{
    uint32_t flags = online ? MADT_ENABLED : 0;

    if ( apic_id(vcpu) < 255 )
    {
        p[0] = MADT_LAPIC;
        p[1] = MADT_LAPIC_LEN;
        p[2] = vcpu;                    /* ACPI processor id = _UID */
        p[3] = apic_id(vcpu);
        put32(p + 4, flags);
        return MADT_LAPIC_LEN;
    }
    p[0] = MADT_X2APIC;
    p[1] = MADT_X2APIC_LEN;
    put16(p + 2, 0);
    put32(p + 4, apic_id(vcpu));
    put32(p + 8, flags);
    put32(p + 12, vcpu);                /* ACPI processor UID = _UID */
    return MADT_X2APIC_LEN;
}

static uint32_t madt_len(unsigned int nr_vcpus)
{
    uint32_t len = MADT_HDR_LEN;
    unsigned int i;

    for ( i = 0; i < nr_vcpus; i++ )
        len += apic_id(i) < 255 ? MADT_LAPIC_LEN : MADT_X2APIC_LEN;
    return len;
}

static int build_madt(struct build *b)
{
    unsigned int i, n = b->cfg->nr_vcpus;
    uint32_t len = madt_len(n), off = MADT_HDR_LEN;
    uint8_t *p;

    if ( n < 2 && !b->cfg->apic )
        return 0;                       /* as libacpi: no MADT */
    p = area_alloc(b, len, 16, &b->madt);
    if ( !p )
        return -E2BIG;
    put_header(p, "APIC", len, apic_id(n - 1) < 255 ? 2 : 3);
    put32(p + MADT_LAPIC_ADDR, XG_ACPI_LAPIC_BASE);
    put32(p + MADT_FLAGS, MADT_PCAT_COMPAT);
    for ( i = 0; i < n; i++ )
        off += madt_entry(p + off, i, vcpu_online(b->cfg, i));
    checksum(p, len, HDR_CHECKSUM);

    put32(b->info + INFO_MADT_CSUM, b->madt + HDR_CHECKSUM);
    put32(b->info + INFO_MADT_LAPIC0, b->madt + MADT_HDR_LEN);
    return 0;
}

/* An XSDT (8-byte entries) or RSDT (4-byte entries): the FADT, the MADT. */
static int build_sdt(struct build *b, const char *sig, unsigned int width,
                     uint64_t fadt, uint64_t *where)
{
    unsigned int n = b->madt ? 2 : 1;
    uint32_t len = HDR_LEN + n * width;
    uint8_t *p = area_alloc(b, len, 16, where);

    if ( !p )
        return -E2BIG;
    put_header(p, sig, len, 1);
    if ( width == 8 )
    {
        put64(p + HDR_LEN, fadt);
        if ( b->madt )
            put64(p + HDR_LEN + 8, b->madt);
    }
    else
    {
        put32(p + HDR_LEN, fadt);
        if ( b->madt )
            put32(p + HDR_LEN + 4, b->madt);
    }
    checksum(p, len, HDR_CHECKSUM);
    return 0;
}

static void build_rsdp(struct build *b)
{
    uint8_t *p = b->rsdp;

    memcpy(p, "RSD PTR ", 8);
    put_str(p + RSDP_OEM_ID, OEM_ID, 6);
    p[RSDP_REVISION] = 2;
    put32(p + RSDP_RSDT, b->rsdt);
    put32(p + RSDP_LENGTH, RSDP_V2_LEN);
    put64(p + RSDP_XSDT, b->xsdt);
    checksum(p, RSDP_V1_LEN, RSDP_CHECKSUM);
    checksum(p, RSDP_V2_LEN, RSDP_EXT_CHECKSUM);
}

/* The info page: the vCPU count (libacpi's nr_cpus) and our bitmap. */
static void build_info(struct build *b)
{
    unsigned int i;

    put16(b->info + INFO_NR_CPUS, b->cfg->nr_vcpus);
    for ( i = 0; i < b->cfg->nr_vcpus; i++ )
        if ( vcpu_online(b->cfg, i) )
            b->info[XG_ACPI_INFO_ONLINE + i / 8] |= 1u << (i % 8);
}

/* The tables in libacpi's order; then the RSDP that points at them. */
static int build_all(struct build *b)
{
    int rc;

    build_info(b);
    if ( (rc = build_facs(b)) || (rc = build_dsdt(b)) ||
         (rc = build_fadts(b)) || (rc = build_madt(b)) ||
         (rc = build_sdt(b, "XSDT", 8, b->fadt, &b->xsdt)) ||
         (rc = build_sdt(b, "RSDT", 4, b->fadt10, &b->rsdt)) )
        return rc;
    build_rsdp(b);
    return 0;
}

static void set_blob(struct xg_acpi_blob *blob, uint8_t *data, uint32_t len,
                     uint64_t gaddr)
{
    blob->data = data;
    blob->length = len;
    blob->guest_addr = gaddr;
}

void xg_acpi_config_pvh(const struct xg_platform *p,
                        struct xg_acpi_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->nr_vcpus = p->vcpus;
    cfg->nr_online = p->vcpus_current;
    cfg->apic = p->apic;
}

int xg_acpi_build(const struct xg_acpi_config *cfg, struct xg_acpi_tables *out,
                  struct meminit_error *e)
{
    struct build b = { .cfg = cfg, .e = e };
    uint32_t pages = cfg->table_pages ? cfg->table_pages : XG_ACPI_TABLE_PAGES;
    int rc;

    memset(out, 0, sizeof(*out));
    if ( (rc = check_config(cfg, e)) )
        return rc;
    b.tables.cap = pages * XG_ACPI_PAGE_SIZE;
    b.tables.gaddr = XG_ACPI_TABLES_GADDR;
    b.tables.buf = calloc(1, b.tables.cap);
    b.info = calloc(1, XG_ACPI_PAGE_SIZE);
    b.rsdp = calloc(1, XG_ACPI_RSDP_LEN);
    rc = (b.tables.buf && b.info && b.rsdp) ? build_all(&b) :
         meminit_error_set(e, STEP, ENOMEM, "no memory for the ACPI tables");
    if ( rc )
    {
        free(b.tables.buf);
        free(b.info);
        free(b.rsdp);
        return rc;
    }
    set_blob(&out->blob[XG_ACPI_BLOB_RSDP], b.rsdp, XG_ACPI_RSDP_LEN,
             XG_ACPI_RSDP_GADDR);
    set_blob(&out->blob[XG_ACPI_BLOB_INFO], b.info, XG_ACPI_PAGE_SIZE,
             XG_ACPI_INFO_GADDR);
    set_blob(&out->blob[XG_ACPI_BLOB_TABLES], b.tables.buf,
             (b.tables.used + XG_ACPI_PAGE_SIZE - 1) & ~(XG_ACPI_PAGE_SIZE - 1),
             XG_ACPI_TABLES_GADDR);
    out->nr = XG_ACPI_NR_BLOBS;
    return 0;
}

void xg_acpi_free(struct xg_acpi_tables *t)
{
    unsigned int i;

    if ( !t )
        return;
    for ( i = 0; i < XG_ACPI_NR_BLOBS; i++ )
        free(t->blob[i].data);
    memset(t, 0, sizeof(*t));
}

int xg_acpi_dom_modules(const struct xg_acpi_tables *t,
                        struct xc_dom_image *dom, struct meminit_error *e)
{
    unsigned int i;

    _Static_assert(XG_ACPI_NR_BLOBS <= MAX_ACPI_MODULES,
                   "libxenguest holds fewer ACPI modules than we build");
    if ( t->nr != XG_ACPI_NR_BLOBS )
        return meminit_error_set(e, STEP, EINVAL, "no ACPI tables built");
    for ( i = 0; i < MAX_ACPI_MODULES; i++ )
        if ( dom->acpi_modules[i].length || dom->acpi_modules[i].data )
            return meminit_error_set(e, STEP, EEXIST,
                                     "ACPI module %u is already in use", i);
    for ( i = 0; i < t->nr; i++ )
    {
        dom->acpi_modules[i].data = t->blob[i].data;
        dom->acpi_modules[i].length = t->blob[i].length;
        dom->acpi_modules[i].guest_addr_out = t->blob[i].guest_addr;
    }
    return 0;
}

int xg_acpi_e820(const struct xg_acpi_tables *t, struct e820entry *map,
                 unsigned int max, struct meminit_error *e)
{
    unsigned int i;

    if ( t->nr != XG_ACPI_NR_BLOBS )
        return meminit_error_set(e, STEP, EINVAL, "no ACPI tables built");
    if ( max < t->nr )
        return meminit_error_set(e, STEP, ENOSPC,
                                 "%u e820 entries for the ACPI tables: "
                                 "they need %u", max, t->nr);
    for ( i = 0; i < t->nr; i++ )
    {
        uint64_t off = t->blob[i].guest_addr & (XG_ACPI_PAGE_SIZE - 1);

        map[i].addr = t->blob[i].guest_addr - off;
        map[i].size = t->blob[i].length + off;
        map[i].type = E820_ACPI;
    }
    return t->nr;
}
