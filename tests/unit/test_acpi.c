/*
 * test_acpi.c - the PVH ACPI tables (xenguest/acpi.c), parsed back.
 *
 * For 1 to 512 vCPUs and several online sets: the RSDP (signature, both
 * checksums, revision, RSDT and XSDT pointers), the XSDT and RSDT entries,
 * every table's checksum, the FADT (flags, DSDT and FACS pointers, the
 * fixed-hardware blocks), the MADT (entry count, types, APIC ids, UIDs,
 * enabled flags), the info page the DSDT reads, the e820 entries and the
 * libxenguest modules. Then acpica-tools judge the bytes: `iasl -d` must
 * disassemble every table without a checksum or structure complaint and
 * show what we meant, and acpiexec runs the DSDT's _STA of all 512
 * processors against the info page we built.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "acpi.h"
#include "acpi/dsdt_pvh.h"

#define PAGE            4096u
#define FADT_F_PVH      0x8175u         /* libacpi's flags + both buttons */
#define FADT_F_HW_RED   (1u << 20)

struct acpi_case {
    const char *name;
    unsigned int nr_vcpus;
    unsigned int nr_online;     /* vCPUs 0 .. nr_online - 1, if stride 0 */
    unsigned int stride;        /* else a bitmap: i online iff i % stride = 0 */
    bool apic;
    bool hw_reduced;
    bool tools;                 /* also judged by iasl -d and acpiexec */
};

static struct acpi_case cases[] = {
    { "1 vCPU", 1, 1, 0, true, false, true },
    { "1 vCPU, platform/apic=false: no MADT", 1, 1, 0, false, false, true },
    { "2 vCPUs", 2, 2, 0, true, false, false },
    { "2 vCPUs, apic=false still gets a MADT", 2, 2, 0, false, false, false },
    { "2 vCPUs, 1 online", 2, 1, 0, true, false, true },
    { "7 vCPUs, 3 online", 7, 3, 0, true, false, true },
    { "64 vCPUs", 64, 64, 0, true, false, false },
    { "64 vCPUs, every 3rd online (bitmap)", 64, 0, 3, true, false, true },
    { "128 vCPUs: APIC id 254, the last Local APIC", 128, 128, 0, true,
      false, false },
    { "129 vCPUs, 100 online: the first x2APIC", 129, 100, 0, true, false,
      true },
    { "255 vCPUs, 200 online", 255, 200, 0, true, false, false },
    { "512 vCPUs", 512, 512, 0, true, false, true },
    { "512 vCPUs, 1 online", 512, 1, 0, true, false, false },
    { "512 vCPUs, every 5th online (bitmap)", 512, 0, 5, true, false, true },
    { "2 vCPUs, hardware-reduced FADT", 2, 2, 0, true, true, true },
    { "512 vCPUs, hardware-reduced FADT", 512, 512, 0, true, true, false },
};

/* One build and what parsing it found (guest addresses). */
struct built {
    const struct acpi_case *c;
    uint8_t bitmap[XG_MAX_VCPUS / 8];
    struct xg_acpi_config cfg;
    struct xg_acpi_tables t;
    uint64_t rsdt, xsdt, fadt, fadt10, facs, dsdt, madt;
};

static uint16_t rd16(const uint8_t *p)
{
    return p[0] | (p[1] << 8);
}

static uint32_t rd32(const uint8_t *p)
{
    return rd16(p) | ((uint32_t)rd16(p + 2) << 16);
}

static uint64_t rd64(const uint8_t *p)
{
    return rd32(p) | ((uint64_t)rd32(p + 4) << 32);
}

static uint8_t sum(const uint8_t *p, uint32_t len)
{
    uint8_t s = 0;

    while ( len-- )
        s += *p++;
    return s;
}

static bool expect_online(const struct acpi_case *c, unsigned int i)
{
    if ( i >= c->nr_vcpus )
        return false;
    return c->stride ? i % c->stride == 0 : i < c->nr_online;
}

static unsigned int expect_nr_online(const struct acpi_case *c)
{
    unsigned int i, n = 0;

    for ( i = 0; i < c->nr_vcpus; i++ )
        n += expect_online(c, i);
    return n;
}

static bool expect_madt(const struct acpi_case *c)
{
    return c->nr_vcpus > 1 || c->apic;
}

/* The blob bytes at guest address gaddr, len of them in one blob. */
static const uint8_t *gptr(const struct xg_acpi_tables *t, uint64_t gaddr,
                           uint32_t len)
{
    unsigned int i;

    for ( i = 0; i < t->nr; i++ )
    {
        const struct xg_acpi_blob *b = &t->blob[i];

        if ( gaddr >= b->guest_addr && len <= b->length &&
             gaddr - b->guest_addr <= b->length - len )
            return b->data + (gaddr - b->guest_addr);
    }
    fail_msg("%u bytes at %#llx are in no blob", len,
             (unsigned long long)gaddr);
    return NULL;
}

/* A table with signature sig at gaddr: whole inside a blob, summing to 0. */
static const uint8_t *table(const struct xg_acpi_tables *t, uint64_t gaddr,
                            const char *sig)
{
    const uint8_t *p = gptr(t, gaddr, 36);
    uint32_t len = rd32(p + 4);

    assert_memory_equal(p, sig, 4);
    assert_true(len >= 36);
    p = gptr(t, gaddr, len);
    assert_int_equal(sum(p, len), 0);
    return p;
}

/* libacpi's identity in a table header. */
static void check_ids(const uint8_t *p, uint8_t revision)
{
    assert_int_equal(p[8], revision);
    assert_memory_equal(p + 10, "Xen\0\0\0", 6);
    assert_memory_equal(p + 16, "HVM\0\0\0\0\0", 8);
    assert_int_equal(rd32(p + 24), 0);
    assert_memory_equal(p + 28, "HVML", 4);
    assert_int_equal(rd32(p + 32), 0);
}

static int setup(void **state)
{
    struct built *b = calloc(1, sizeof(*b));
    const struct acpi_case *c = *state;
    unsigned int i;

    assert_non_null(b);
    b->c = c;
    b->cfg.nr_vcpus = c->nr_vcpus;
    b->cfg.apic = c->apic;
    b->cfg.hw_reduced = c->hw_reduced;
    if ( c->stride )
    {
        for ( i = 0; i < c->nr_vcpus; i++ )
            if ( expect_online(c, i) )
                b->bitmap[i / 8] |= 1u << (i % 8);
        b->cfg.online = b->bitmap;
    }
    else
        b->cfg.nr_online = c->nr_online;
    *state = b;
    return 0;
}

static int teardown(void **state)
{
    struct built *b = *state;

    xg_acpi_free(&b->t);
    free(b);
    return 0;
}

static void build(struct built *b)
{
    struct meminit_error e = { 0 };
    int rc = xg_acpi_build(&b->cfg, &b->t, &e);

    if ( rc )
        fail_msg("%s: rc %d: %s", b->c->name, rc, e.msg);
    assert_false(meminit_error_isset(&e));
    assert_int_equal(b->t.nr, XG_ACPI_NR_BLOBS);
}

/* Where libxl and XenServer put them, and the 16-page bound. */
static void check_blobs(const struct built *b)
{
    const struct xg_acpi_blob *bl = b->t.blob;

    assert_int_equal(bl[XG_ACPI_BLOB_RSDP].guest_addr, 0xFFFC0);
    assert_int_equal(bl[XG_ACPI_BLOB_RSDP].length, 64);
    assert_int_equal(bl[XG_ACPI_BLOB_INFO].guest_addr, 0xFC000000);
    assert_int_equal(bl[XG_ACPI_BLOB_INFO].length, PAGE);
    assert_int_equal(bl[XG_ACPI_BLOB_TABLES].guest_addr, 0xFC001000);
    assert_int_equal(bl[XG_ACPI_BLOB_TABLES].length % PAGE, 0);
    assert_in_range(bl[XG_ACPI_BLOB_TABLES].length, PAGE, 16 * PAGE);
}

static void check_rsdp(struct built *b)
{
    const uint8_t *p = b->t.blob[XG_ACPI_BLOB_RSDP].data;
    static const uint8_t zero[28];

    assert_memory_equal(p, "RSD PTR ", 8);
    assert_int_equal(sum(p, 20), 0);            /* ACPI 1.0 checksum */
    assert_int_equal(sum(p, 36), 0);            /* extended checksum */
    assert_memory_equal(p + 9, "Xen\0\0\0", 6);
    assert_int_equal(p[15], 2);                 /* revision: ACPI 2.0+ */
    assert_int_equal(rd32(p + 20), 36);
    assert_memory_equal(p + 36, zero, sizeof(zero));
    b->rsdt = rd32(p + 16);
    b->xsdt = rd64(p + 24);
}

/* XSDT: the FADT, then the MADT if any; the RSDT: FADT 1.0, same MADT. */
static void check_sdts(struct built *b)
{
    const uint8_t *x = table(&b->t, b->xsdt, "XSDT");
    const uint8_t *r = table(&b->t, b->rsdt, "RSDT");
    unsigned int n = expect_madt(b->c) ? 2 : 1;

    check_ids(x, 1);
    check_ids(r, 1);
    assert_int_equal(rd32(x + 4), 36 + 8 * n);
    assert_int_equal(rd32(r + 4), 36 + 4 * n);
    b->fadt = rd64(x + 36);
    b->fadt10 = rd32(r + 36);
    b->madt = n > 1 ? rd64(x + 44) : 0;
    if ( n > 1 )
        assert_int_equal(rd32(r + 40), b->madt);
    assert_true(b->fadt != b->fadt10);
}

/* The PM blocks of libacpi's FADT; len: 116 (1.0) or 268 (with the GAS). */
static void check_fixed_hw(const uint8_t *f, uint32_t len, bool hw_reduced)
{
    static const uint8_t zero[244 - 46];

    if ( hw_reduced )
    {
        assert_memory_equal(f + 46, zero, 109 - 46);
        assert_memory_equal(f + 148, zero, 244 - 148);
        return;
    }
    assert_int_equal(rd16(f + 46), 9);                  /* SCI */
    assert_int_equal(rd32(f + 56), 0xb000);             /* PM1a_EVT_BLK */
    assert_int_equal(rd32(f + 64), 0xb004);             /* PM1a_CNT_BLK */
    assert_int_equal(rd32(f + 76), 0);                  /* no PM timer */
    assert_int_equal(rd32(f + 80), 0xafe0);             /* GPE0_BLK */
    assert_int_equal(f[88], 4);
    assert_int_equal(f[89], 2);
    assert_int_equal(f[91], 0);
    assert_int_equal(f[92], 4);
    assert_int_equal(rd16(f + 96), 0x0fff);             /* no C2 */
    assert_int_equal(rd16(f + 98), 0x0fff);             /* no C3 */
    if ( len < 268 )
        return;
    assert_memory_equal(f + 148, "\x01\x20\x00\x00\x00\xb0\0\0\0\0\0\0", 12);
    assert_memory_equal(f + 172, "\x01\x10\x00\x00\x04\xb0\0\0\0\0\0\0", 12);
    assert_memory_equal(f + 208, zero, 12);             /* X_PM_TMR_BLK */
}

static void check_fadt(struct built *b)
{
    const uint8_t *f = table(&b->t, b->fadt, "FACP");
    const uint8_t *f10 = table(&b->t, b->fadt10, "FACP");
    uint32_t flags = FADT_F_PVH | (b->c->hw_reduced ? FADT_F_HW_RED : 0);

    check_ids(f, 5);
    assert_int_equal(rd32(f + 4), 268);
    b->facs = rd32(f + 36);
    b->dsdt = rd32(f + 40);
    assert_int_equal(rd64(f + 132), b->facs);           /* X_FIRMWARE_CTRL */
    assert_int_equal(rd64(f + 140), b->dsdt);           /* X_DSDT */
    assert_int_equal(rd32(f + 112), flags);
    assert_int_equal(rd16(f + 109), 0x24);              /* no VGA, no RTC */
    assert_memory_equal(f + 116, "\x01\x08\x00\x00\xf9\x0c\0\0\0\0\0\0", 12);
    assert_int_equal(f[128], 6);                        /* reset value */
    check_fixed_hw(f, 268, b->c->hw_reduced);

    /* The 1.0 copy: the same up to Flags, never hardware-reduced. */
    check_ids(f10, 1);
    assert_int_equal(rd32(f10 + 4), 116);
    assert_memory_equal(f10 + 36, f + 36, 46 - 36);
    assert_int_equal(rd16(f10 + 109), 0x24);
    assert_int_equal(rd32(f10 + 112), FADT_F_PVH);
    check_fixed_hw(f10, 116, false);
}

static void check_facs_dsdt(struct built *b)
{
    const uint8_t *facs = gptr(&b->t, b->facs, 64);
    const uint8_t *d = table(&b->t, b->dsdt, "DSDT");

    assert_int_equal(b->facs % 64, 0);
    assert_memory_equal(facs, "FACS", 4);
    assert_int_equal(rd32(facs + 4), 64);
    assert_int_equal(facs[32], 1);                      /* version */

    assert_int_equal(d[8], 5);
    assert_memory_equal(d + 10, "Xen\0\0\0", 6);
    assert_memory_equal(d + 16, "HVM\0\0\0\0\0", 8);
    assert_int_equal(rd32(d + 4), xg_dsdt_pvh_len);
    assert_memory_equal(d, xg_dsdt_pvh, xg_dsdt_pvh_len);
    assert_true(xg_dsdt_pvh_cpus >= XG_MAX_VCPUS);
}

/* One MADT entry: Local APIC below APIC id 255, else Local x2APIC. */
static uint32_t check_madt_entry(const struct built *b, const uint8_t *p,
                                 unsigned int i)
{
    uint32_t flags = expect_online(b->c, i) ? 1 : 0;

    if ( 2 * i < 255 )
    {
        assert_int_equal(p[0], 0);
        assert_int_equal(p[1], 8);
        assert_int_equal(p[2], i);                      /* processor id */
        assert_int_equal(p[3], 2 * i);                  /* APIC id */
        assert_int_equal(rd32(p + 4), flags);
        return 8;
    }
    assert_int_equal(p[0], 9);
    assert_int_equal(p[1], 16);
    assert_int_equal(rd16(p + 2), 0);
    assert_int_equal(rd32(p + 4), 2 * i);               /* x2APIC id */
    assert_int_equal(rd32(p + 8), flags);
    assert_int_equal(rd32(p + 12), i);                  /* UID */
    return 16;
}

static void check_madt(struct built *b)
{
    const uint8_t *m;
    uint32_t off = 44;
    unsigned int i, n = b->c->nr_vcpus;

    if ( !expect_madt(b->c) )
    {
        assert_int_equal(b->madt, 0);
        return;
    }
    m = table(&b->t, b->madt, "APIC");
    check_ids(m, n > 128 ? 3 : 2);
    assert_int_equal(rd32(m + 36), 0xFEE00000);
    assert_int_equal(rd32(m + 40), 1);                  /* PCAT_COMPAT */
    for ( i = 0; i < n; i++ )
    {
        assert_true(off + 2 <= rd32(m + 4));
        off += check_madt_entry(b, m + off, i);
    }
    assert_int_equal(off, rd32(m + 4));                 /* nothing else */
}

/* libacpi's acpi_info, then our bitmap, then zeros. */
static void check_info(const struct built *b)
{
    const uint8_t *p = b->t.blob[XG_ACPI_BLOB_INFO].data;
    unsigned int i;

    assert_int_equal(p[0], 0);                          /* no COM, LPT, HPET */
    assert_int_equal(rd16(p + 2), b->c->nr_vcpus);
    assert_int_equal(rd32(p + 12), b->madt ? b->madt + 9 : 0);
    assert_int_equal(rd32(p + 16), b->madt ? b->madt + 44 : 0);
    for ( i = 0; i < XG_MAX_VCPUS; i++ )
        assert_int_equal(!!(p[64 + i / 8] & (1u << (i % 8))),
                         expect_online(b->c, i));
    for ( i = 4; i < PAGE; i++ )
        if ( i < 12 || (i >= 20 && i < 64) || i >= 128 )
            assert_int_equal(p[i], 0);
}

static void parse_all(struct built *b)
{
    build(b);
    check_blobs(b);
    check_rsdp(b);
    check_sdts(b);
    check_fadt(b);
    check_facs_dsdt(b);
    check_madt(b);
    check_info(b);
}

static void test_tables(void **state)
{
    parse_all(*state);
}

/* E820_ACPI per blob as libxl's domain_construct_memmap(); the modules. */
static void test_e820_modules(void **state)
{
    struct built *b = *state;
    struct e820entry map[4];
    struct xc_dom_image dom;
    struct meminit_error e = { 0 };
    unsigned int i;

    build(b);
    assert_int_equal(xg_acpi_e820(&b->t, map, 4, &e), 3);
    assert_int_equal(map[0].addr, 0xFF000);
    assert_int_equal(map[0].size, 0x1000);
    assert_int_equal(map[1].addr, 0xFC000000);
    assert_int_equal(map[1].size, 0x1000);
    assert_int_equal(map[2].addr, 0xFC001000);
    assert_int_equal(map[2].size, b->t.blob[XG_ACPI_BLOB_TABLES].length);
    for ( i = 0; i < 3; i++ )
        assert_int_equal(map[i].type, E820_ACPI);

    memset(&dom, 0, sizeof(dom));
    assert_int_equal(xg_acpi_dom_modules(&b->t, &dom, &e), 0);
    for ( i = 0; i < XG_ACPI_NR_BLOBS; i++ )
    {
        assert_ptr_equal(dom.acpi_modules[i].data, b->t.blob[i].data);
        assert_int_equal(dom.acpi_modules[i].length, b->t.blob[i].length);
        assert_int_equal(dom.acpi_modules[i].guest_addr_out,
                         b->t.blob[i].guest_addr);
    }
    assert_int_equal(dom.acpi_modules[3].length, 0);
    assert_null(dom.acpi_modules[3].data);
    assert_false(meminit_error_isset(&e));
}

/* ---- acpica-tools: iasl -d and acpiexec ---- */

/* Run a command (NULL-terminated words) in dir, output to dir/log. */
static int run_in(const char *dir, const char *log, ...)
{
    char *argv[8];
    const char *w;
    unsigned int n = 0;
    va_list ap;
    int st;
    pid_t pid;

    va_start(ap, log);
    while ( (w = va_arg(ap, const char *)) && n < 7 )
        assert_non_null(argv[n++] = strdup(w));
    va_end(ap);
    argv[n] = NULL;
    pid = fork();
    assert_true(pid >= 0);
    if ( pid == 0 )
    {
        int fd, in = open("/dev/null", O_RDONLY);

        if ( chdir(dir) || in < 0 ||
             (fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0 )
            _exit(126);
        dup2(in, 0);
        dup2(fd, 1);
        dup2(fd, 2);
        execvp(argv[0], argv);
        _exit(127);
    }
    while ( n )
        free(argv[--n]);
    assert_int_equal(waitpid(pid, &st, 0), pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *path_in(const char *dir, const char *name)
{
    char *p;

    assert_true(asprintf(&p, "%s/%s", dir, name) > 0);
    return p;
}

static void write_file(const char *dir, const char *name, const void *data,
                       size_t len)
{
    char *p = path_in(dir, name);
    FILE *f = fopen(p, "wb");

    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    free(p);
}

static char *read_file(const char *dir, const char *name)
{
    char *p = path_in(dir, name), *buf;
    FILE *f = fopen(p, "rb");
    long len;

    if ( !f )
        fail_msg("%s was not written", p);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    len = ftell(f);
    rewind(f);
    buf = calloc(1, len + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, len, f), (size_t)len);
    fclose(f);
    free(p);
    return buf;
}

static unsigned int count(const char *hay, const char *needle)
{
    unsigned int n = 0;

    while ( (hay = strstr(hay, needle)) )
    {
        n++;
        hay += strlen(needle);
    }
    return n;
}

/*
 * iasl -d NAME.dat -> NAME.dsl, which must show no complaint. iasl
 * 20200925 notes "terminates in the middle of a data structure" for every
 * 268-byte (revision 5) FADT, QEMU's included, because it looks for the
 * ACPI 6.0 hypervisor id: that note alone is allowed for the FADT.
 */
static char *disassemble(const char *dir, const char *name,
                         const uint8_t *tbl, bool fadt5)
{
    char dat[32], dsl[32], log[32];
    char *out, *msg;

    snprintf(dat, sizeof(dat), "%s.dat", name);
    snprintf(dsl, sizeof(dsl), "%s.dsl", name);
    snprintf(log, sizeof(log), "%s.log", name);
    write_file(dir, dat, tbl, rd32(tbl + 4));
    if ( run_in(dir, log, "iasl", "-d", dat, NULL) != 0 )
        fail_msg("iasl -d %s failed: %s", dat, msg = read_file(dir, log));
    msg = read_file(dir, log);
    assert_null(strstr(msg, "Warning"));
    assert_null(strstr(msg, "Error"));
    free(msg);
    out = read_file(dir, dsl);
    assert_null(strstr(out, "Incorrect checksum"));
    assert_int_equal(count(out, "terminates"),
                     fadt5 ? count(out, "table terminates in the middle") : 0);
    return out;
}

static void iasl_madt(const struct built *b, const char *dir)
{
    unsigned int n = b->c->nr_vcpus, lapics = n < 128 ? n : 128;
    char *s = disassemble(dir, "apic", table(&b->t, b->madt, "APIC"), false);

    assert_int_equal(count(s, "[Processor Local APIC]"), lapics);
    assert_int_equal(count(s, "[Processor Local x2APIC]"), n - lapics);
    assert_int_equal(count(s, "Processor Enabled : 1"), expect_nr_online(b->c));
    assert_int_equal(count(s, "Subtable Type"), n);
    assert_non_null(strstr(s, "Local Apic Address : FEE00000"));
    free(s);
}

static void iasl_fadt(const struct built *b, const char *dir)
{
    char *s = disassemble(dir, "facp", table(&b->t, b->fadt, "FACP"), true);
    char want[64];

    assert_non_null(strstr(s, "Revision : 05"));
    assert_non_null(strstr(s, b->c->hw_reduced ? "Hardware Reduced (V5) : 1" :
                                                 "Hardware Reduced (V5) : 0"));
    assert_non_null(strstr(s, "CMOS RTC Not Present (V5) : 1"));
    snprintf(want, sizeof(want), "DSDT Address : %016llX",
             (unsigned long long)b->dsdt);
    assert_non_null(strstr(s, want));
    snprintf(want, sizeof(want), "FACS Address : %016llX",
             (unsigned long long)b->facs);
    assert_non_null(strstr(s, want));
    free(s);
    free(disassemble(dir, "fadt10", table(&b->t, b->fadt10, "FACP"), false));
}

static void iasl_rest(const struct built *b, const char *dir)
{
    unsigned int n = expect_madt(b->c) ? 2 : 1;
    char *s;

    s = disassemble(dir, "xsdt", table(&b->t, b->xsdt, "XSDT"), false);
    assert_int_equal(count(s, "ACPI Table Address"), n);
    free(s);
    s = disassemble(dir, "rsdt", table(&b->t, b->rsdt, "RSDT"), false);
    assert_int_equal(count(s, "ACPI Table Address"), n);
    free(s);
    s = disassemble(dir, "facs", gptr(&b->t, b->facs, 64), false);
    assert_non_null(strstr(s, "Version : 01"));
    free(s);
}

/* The DSDT: the regions at the C side's addresses, 512 processors. */
static void iasl_dsdt(const struct built *b, const char *dir)
{
    char *s = disassemble(dir, "dsdt", table(&b->t, b->dsdt, "DSDT"), false);
    char want[96];

    snprintf(want, sizeof(want), "OperationRegion (BIOS, SystemMemory, "
             "0x%08llX, 0x28)", XG_ACPI_INFO_GADDR);
    assert_non_null(strstr(s, want));
    snprintf(want, sizeof(want), "OperationRegion (ONLR, SystemMemory, "
             "0x%08llX, 0x40)", XG_ACPI_INFO_GADDR + XG_ACPI_INFO_ONLINE);
    assert_non_null(strstr(s, want));
    assert_int_equal(count(s, "Device ("), XG_MAX_VCPUS);
    assert_int_equal(count(s, "Name (_HID, \"ACPI0007\""), XG_MAX_VCPUS);
    assert_int_equal(count(s, "Name (_UID, "), XG_MAX_VCPUS);
    assert_non_null(strstr(s, "Device (PR00)"));
    assert_non_null(strstr(s, "Device (PRFF)"));
    assert_non_null(strstr(s, "Device (P100)"));
    assert_non_null(strstr(s, "Device (P1FF)"));
    assert_non_null(strstr(s, "Name (_UID, 0x01FF)"));
    assert_null(strstr(s, "Processor ("));
    free(s);
}

static void cpu_name(char *buf, size_t len, unsigned int i)
{
    snprintf(buf, len, i < 256 ? "PR%02X" : "P%03X", i);
}

/*
 * An SSDT for acpiexec: TSET copies the first 128 bytes of our info page
 * into the memory the DSDT reads; TALL returns every processor's _STA.
 */
static void write_harness(const struct built *b, const char *dir)
{
    const uint8_t *info = b->t.blob[XG_ACPI_BLOB_INFO].data;
    char *p = path_in(dir, "harness.asl"), name[8];
    FILE *f = fopen(p, "w");
    unsigned int i;

    assert_non_null(f);
    fprintf(f, "DefinitionBlock (\"\", \"SSDT\", 2, \"XGTEST\", \"HARNESS\", "
            "0)\n{\n");
    for ( i = 0; i < XG_MAX_VCPUS; i++ )
    {
        cpu_name(name, sizeof(name), i);
        fprintf(f, "External (\\_SB.%s._STA, MethodObj)\n", name);
    }
    fprintf(f, "OperationRegion (INFR, SystemMemory, 0x%llX, 128)\n"
            "Field (INFR, ByteAcc, NoLock, Preserve) { IRAW, 1024 }\n"
            "Method (TSET, 0, NotSerialized)\n{\nIRAW = Buffer () {",
            XG_ACPI_INFO_GADDR);
    for ( i = 0; i < 128; i++ )
        fprintf(f, "%s0x%02x", i ? ", " : "", info[i]);
    fprintf(f, "}\n}\nMethod (TALL, 0, NotSerialized)\n{\n"
            "Local0 = Buffer (%u) {}\n", XG_MAX_VCPUS);
    for ( i = 0; i < XG_MAX_VCPUS; i++ )
    {
        cpu_name(name, sizeof(name), i);
        fprintf(f, "Local0 [%u] = \\_SB.%s._STA ()\n", i, name);
    }
    fprintf(f, "Return (Local0)\n}\n}\n");
    assert_int_equal(fclose(f), 0);
    free(p);
}

/* The bytes of TALL's buffer in acpiexec's dump ("  0000: 0F 00 ..."). */
static void parse_tall(const char *out, uint8_t *sta, unsigned int n)
{
    const char *p = strstr(out, "Evaluation of \\TALL returned");
    unsigned int got = 0, off, v[16];
    int k;

    assert_non_null(p);
    while ( got < n && (p = strchr(p, '\n')) )
    {
        p++;
        k = sscanf(p, " %4x: %2x %2x %2x %2x %2x %2x %2x %2x %2x %2x %2x %2x "
                   "%2x %2x %2x %2x", &off, &v[0], &v[1], &v[2], &v[3], &v[4],
                   &v[5], &v[6], &v[7], &v[8], &v[9], &v[10], &v[11], &v[12],
                   &v[13], &v[14], &v[15]);
        if ( k < 2 )
            continue;
        assert_int_equal(off, got);
        for ( k = 0; k < 16 && got < n; k++ )
            sta[got++] = v[k];
    }
    assert_int_equal(got, n);
}

static void acpiexec_sta(const struct built *b, const char *dir)
{
    uint8_t sta[XG_MAX_VCPUS];
    char *out;
    unsigned int i;

    write_harness(b, dir);
    if ( run_in(dir, "harness.log", "iasl", "-vs", "harness.asl", NULL) )
        fail_msg("iasl harness.asl: %s", read_file(dir, "harness.log"));
    if ( run_in(dir, "acpiexec.log", "acpiexec", "-b",
                "execute TSET; execute TALL", "dsdt.dat", "harness.aml", NULL) )
        fail_msg("acpiexec: %s", read_file(dir, "acpiexec.log"));
    out = read_file(dir, "acpiexec.log");
    parse_tall(out, sta, XG_MAX_VCPUS);
    for ( i = 0; i < XG_MAX_VCPUS; i++ )
        if ( sta[i] != (expect_online(b->c, i) ? 0x0F : 0) )
            fail_msg("vCPU %u: _STA %#x", i, sta[i]);
    free(out);
}

/* The temporary directory and the files the tools wrote in it. */
static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char *p;

    assert_non_null(d);
    while ( (de = readdir(d)) )
    {
        if ( de->d_name[0] == '.' )
            continue;
        p = path_in(dir, de->d_name);
        assert_int_equal(unlink(p), 0);
        free(p);
    }
    closedir(d);
    assert_int_equal(rmdir(dir), 0);
}

static void test_acpica(void **state)
{
    struct built *b = *state;
    char dir[] = "/tmp/test_acpi.XXXXXX";

    parse_all(b);
    assert_non_null(mkdtemp(dir));
    if ( b->madt )
        iasl_madt(b, dir);
    iasl_fadt(b, dir);
    iasl_rest(b, dir);
    iasl_dsdt(b, dir);
    acpiexec_sta(b, dir);
    remove_dir(dir);
}

/* ---- errors ---- */

struct err_case {
    const char *name;
    unsigned int nr_vcpus, nr_online, table_pages;
    int bitmap;                 /* -1: none; else byte 0 of the bitmap */
    int rc;
    const char *msg;
};

static struct err_case errs[] = {
    { "no vCPU", 0, 1, 0, -1, -EINVAL,
      "0 vCPUs: the tables describe 1 to 512" },
    { "513 vCPUs", 513, 1, 0, -1, -EINVAL,
      "513 vCPUs: the tables describe 1 to 512" },
    { "none online", 4, 0, 0, -1, -EINVAL,
      "0 vCPUs online at boot: want 1 to 4" },
    { "more online than exist", 4, 5, 0, -1, -EINVAL,
      "5 vCPUs online at boot: want 1 to 4" },
    { "bitmap without vCPU 0", 4, 0, 0, 0x06, -EINVAL,
      "vCPU 0 is not in the online set" },
    { "bitmap past nr_vcpus", 4, 0, 0, 0x11, -EINVAL,
      "vCPU 4 is online but only 4 exist" },
    { "17 pages", 4, 4, 17, -1, -EINVAL,
      "17 pages for the ACPI tables: at most 16" },
    { "1 page", 1, 1, 1, -1, -E2BIG,
      "the ACPI tables do not fit in 1 page(s) at 0xfc001000: 64 bytes "
      "used, 22678 more wanted" },
};

static void test_errors(void **state)
{
    const struct err_case *c = *state;
    uint8_t bitmap[64] = { 0 };
    struct xg_acpi_config cfg = {
        .nr_vcpus = c->nr_vcpus, .nr_online = c->nr_online,
        .table_pages = c->table_pages, .apic = true,
    };
    struct xg_acpi_tables t;
    struct meminit_error e = { 0 };

    if ( c->bitmap >= 0 )
    {
        bitmap[0] = c->bitmap;
        cfg.online = bitmap;
    }
    memset(&t, 0xa5, sizeof(t));
    assert_int_equal(xg_acpi_build(&cfg, &t, &e), c->rc);
    assert_string_equal(e.step, "acpi");
    assert_int_equal(e.err, -c->rc);
    assert_string_equal(e.msg, c->msg);
    assert_int_equal(t.nr, 0);
    assert_null(t.blob[0].data);
    xg_acpi_free(&t);
}

/* table_pages at the exact size fits; one page less is -E2BIG. */
static void test_page_bound(void **state)
{
    struct xg_acpi_config cfg = { .nr_vcpus = 512, .nr_online = 512 };
    struct xg_acpi_tables t;
    struct meminit_error e = { 0 };
    unsigned int pages;

    (void)state;
    assert_int_equal(xg_acpi_build(&cfg, &t, &e), 0);
    pages = t.blob[XG_ACPI_BLOB_TABLES].length / PAGE;
    xg_acpi_free(&t);
    cfg.table_pages = pages;
    assert_int_equal(xg_acpi_build(&cfg, &t, &e), 0);
    assert_int_equal(t.blob[XG_ACPI_BLOB_TABLES].length, pages * PAGE);
    xg_acpi_free(&t);
    cfg.table_pages = pages - 1;
    assert_int_equal(xg_acpi_build(&cfg, &t, &e), -E2BIG);
    assert_non_null(strstr(e.msg, "do not fit in"));
}

static void test_handover_errors(void **state)
{
    struct xg_acpi_config cfg = { .nr_vcpus = 2, .nr_online = 2 };
    struct xg_acpi_tables t = { .nr = 0 };
    struct xc_dom_image dom;
    struct e820entry map[2];
    struct meminit_error e = { 0 };

    (void)state;
    memset(&dom, 0, sizeof(dom));
    assert_int_equal(xg_acpi_dom_modules(&t, &dom, &e), -EINVAL);
    assert_string_equal(e.msg, "no ACPI tables built");
    meminit_error_clear(&e);
    assert_int_equal(xg_acpi_e820(&t, map, 2, &e), -EINVAL);
    meminit_error_clear(&e);

    assert_int_equal(xg_acpi_build(&cfg, &t, &e), 0);
    assert_int_equal(xg_acpi_e820(&t, map, 2, &e), -ENOSPC);
    assert_string_equal(e.msg,
                        "2 e820 entries for the ACPI tables: they need 3");
    meminit_error_clear(&e);
    dom.acpi_modules[3].length = 1;
    assert_int_equal(xg_acpi_dom_modules(&t, &dom, &e), -EEXIST);
    assert_string_equal(e.msg, "ACPI module 3 is already in use");
    assert_null(dom.acpi_modules[0].data);
    xg_acpi_free(&t);
    xg_acpi_free(&t);                   /* twice is fine */
}

/* What XenServer's xenguest takes from the platform keys. */
static void test_config_pvh(void **state)
{
    struct xg_platform p;
    struct xg_acpi_config cfg;

    (void)state;
    memset(&p, 0, sizeof(p));
    p.vcpus = 6;
    p.vcpus_current = 4;
    p.apic = false;
    memset(&cfg, 0xff, sizeof(cfg));
    xg_acpi_config_pvh(&p, &cfg);
    assert_int_equal(cfg.nr_vcpus, 6);
    assert_int_equal(cfg.nr_online, 4);
    assert_null(cfg.online);
    assert_false(cfg.apic);
    assert_false(cfg.hw_reduced);
    assert_int_equal(cfg.table_pages, 0);
}

int main(void)
{
    static const struct CMUnitTest extra[] = {
        cmocka_unit_test_prestate_setup_teardown(test_e820_modules, setup,
                                                 teardown, &cases[5]),
        cmocka_unit_test(test_page_bound),
        cmocka_unit_test(test_handover_errors),
        cmocka_unit_test(test_config_pvh),
    };
    enum { NC = sizeof(cases) / sizeof(cases[0]),
           NR = sizeof(errs) / sizeof(errs[0]),
           NE = sizeof(extra) / sizeof(extra[0]) };
    static char names[NC][96];
    struct CMUnitTest tests[2 * NC + NR + NE];
    size_t i, n = 0;

    for ( i = 0; i < NC; i++, n++ )
    {
        tests[n] = (struct CMUnitTest)
            cmocka_unit_test_prestate_setup_teardown(test_tables, setup,
                                                     teardown, &cases[i]);
        tests[n].name = cases[i].name;
    }
    for ( i = 0; i < NC; i++ )
    {
        if ( !cases[i].tools )
            continue;
        snprintf(names[i], sizeof(names[i]), "iasl -d, acpiexec: %s",
                 cases[i].name);
        tests[n] = (struct CMUnitTest)
            cmocka_unit_test_prestate_setup_teardown(test_acpica, setup,
                                                     teardown, &cases[i]);
        tests[n++].name = names[i];
    }
    for ( i = 0; i < NR; i++, n++ )
    {
        tests[n] = (struct CMUnitTest)
            cmocka_unit_test_prestate(test_errors, &errs[i]);
        tests[n].name = errs[i].name;
    }
    for ( i = 0; i < NE; i++, n++ )
        tests[n] = extra[i];

    return _cmocka_run_group_tests("acpi", tests, n, NULL, NULL);
}
