/*
 * test_memmap.c - the MMIO hole and e820 of HVM and PVH guests (pure), and
 * the passthrough devices' BARs read from a fake sysfs tree.
 *
 * Each case gives the guest (size, -vgpu, devices with their BAR totals,
 * MxGPU flag and reserved ranges, PVH ACPI ranges) and the exact layout and
 * e820 expected, worked out by hand from XenServer's rules (memmap.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "cmt.h"

#include "memmap.h"
#include "pci.h"

#define MiB(x)  ((uint64_t)(x) << 20)
#define GiB(x)  ((uint64_t)(x) << 30)
#define RAM(a, s)  { (a), (s), E820_RAM }
#define RSV(a, s)  { (a), (s), E820_RESERVED }
#define ACPI(a, s) { (a), (s), E820_ACPI }

struct map_case {
    const char *name;
    uint64_t mib;
    bool pvh, vgpu;
    unsigned int nr_dev;
    struct xg_pt_dev dev[2];
    /* expected */
    int rc;
    uint64_t lowmem_end, highmem_end, mmio_start, mmio_size;
    unsigned int nr;
    struct e820entry e820[6];
    const char *err;
};

#define NODEV { { .bar_bytes = 0 } }
#define DEV(bars, mx) { .bar_bytes = (bars), .mxgpu = (mx) }
#define DEV_RDM(start, size) \
    { .sbdf = { 0, 3, 0, 0 }, .nr_rdm = 1, .rdm = { { (start), (size) } } }

static struct map_case cases[] = {
    { "hvm 1 GiB: all RAM low, default 256 MiB hole",
      1024, false, false, 0, NODEV,
      0, GiB(1), 0, 0xF0000000, MiB(256),
      1, { RAM(MiB(1), GiB(1) - MiB(1)) }, NULL },
    { "hvm 3.75 GiB: RAM ends exactly at the hole",
      3840, false, false, 0, NODEV,
      0, 0xF0000000, 0, 0xF0000000, MiB(256),
      1, { RAM(MiB(1), 0xF0000000 - MiB(1)) }, NULL },
    { "hvm 3.75 GiB + 1 MiB: 1 MiB above 4 GiB",
      3841, false, false, 0, NODEV,
      0, 0xF0000000, GiB(4) + MiB(1), 0xF0000000, MiB(256),
      2, { RAM(MiB(1), 0xF0000000 - MiB(1)), RAM(GiB(4), MiB(1)) }, NULL },
    { "hvm 4 GiB: the hole's 256 MiB go above 4 GiB",
      4096, false, false, 0, NODEV,
      0, 0xF0000000, GiB(4) + MiB(256), 0xF0000000, MiB(256),
      2, { RAM(MiB(1), 0xF0000000 - MiB(1)), RAM(GiB(4), MiB(256)) }, NULL },
    { "passthrough 300 MiB of BARs: hole doubles to 1 GiB",
      4096, false, false, 1, { DEV(MiB(300), false) },
      0, GiB(3), GiB(5), GiB(3), GiB(1),
      2, { RAM(MiB(1), GiB(3) - MiB(1)), RAM(GiB(4), GiB(1)) }, NULL },
    { "passthrough 256 MiB of BARs: 512 MiB covers 512 MiB exactly",
      4096, false, false, 1, { DEV(MiB(256), false) },
      0, 0xE0000000, GiB(4) + MiB(512), 0xE0000000, MiB(512),
      2, { RAM(MiB(1), 0xE0000000 - MiB(1)), RAM(GiB(4), MiB(512)) }, NULL },
    { "passthrough 3 GiB of BARs: the hole stops at 2 GiB",
      4096, false, false, 2, { DEV(GiB(2), false), DEV(GiB(1), false) },
      0, GiB(2), GiB(6), GiB(2), GiB(2),
      2, { RAM(MiB(1), GiB(2) - MiB(1)), RAM(GiB(4), GiB(2)) }, NULL },
    { "MxGPU: at least 2 GiB whatever its BARs",
      2048, false, false, 1, { DEV(MiB(16), true) },
      0, GiB(2), 0, GiB(2), GiB(2),
      1, { RAM(MiB(1), GiB(2) - MiB(1)) }, NULL },
    { "vGPU: hole doubled, VRAM at 0xfb000000",
      4096, false, true, 0, NODEV,
      0, 0xE0000000, GiB(4) + MiB(512), 0xE0000000, MiB(512),
      3, { RAM(MiB(1), 0xE0000000 - MiB(1)), RSV(0xfb000000, MiB(16)),
           RAM(GiB(4), MiB(512)) }, NULL },
    { "vGPU + 300 MiB of BARs: 812 MiB needs 1 GiB",
      4096, false, true, 1, { DEV(MiB(300), false) },
      0, GiB(3), GiB(5), GiB(3), GiB(1),
      3, { RAM(MiB(1), GiB(3) - MiB(1)), RSV(0xfb000000, MiB(16)),
           RAM(GiB(4), GiB(1)) }, NULL },
    { "RMRR below lowmem_end: RAM above it moves over 4 GiB",
      4096, false, false, 1, { DEV_RDM(0xAD000000, MiB(16)) },
      0, 0xAD000000, GiB(4) + MiB(256) + 0x43000000, 0xAD000000,
      MiB(256) + 0x43000000,
      3, { RAM(MiB(1), 0xAD000000 - MiB(1)), RSV(0xAD000000, MiB(16)),
           RAM(GiB(4), MiB(256) + 0x43000000) }, NULL },
    { "RMRR below lowmem_end of a small guest: high RAM appears",
      1024, false, false, 1, { DEV_RDM(MiB(512), MiB(1)) },
      0, MiB(512), GiB(4) + MiB(512), 0xF0000000 - MiB(512), MiB(768),
      3, { RAM(MiB(1), MiB(511)), RSV(MiB(512), MiB(1)),
           RAM(GiB(4), MiB(512)) }, NULL },
    { "RMRR inside the hole: listed, nothing moves",
      4096, false, false, 1, { DEV_RDM(0xF8000000, MiB(1)) },
      0, 0xF0000000, GiB(4) + MiB(256), 0xF0000000, MiB(256),
      3, { RAM(MiB(1), 0xF0000000 - MiB(1)), RSV(0xF8000000, MiB(1)),
           RAM(GiB(4), MiB(256)) }, NULL },
    { "RMRR below 1 MiB: listed, RAM stays",
      1024, false, false, 1, { DEV_RDM(0xE0000, 0x10000) },
      0, GiB(1), 0, 0xF0000000, MiB(256),
      2, { RSV(0xE0000, 0x10000), RAM(MiB(1), GiB(1) - MiB(1)) }, NULL },
    { "RMRR straddling 1 MiB: refused",
      1024, false, false, 1, { DEV_RDM(0xF0000, 0x20000) },
      -EINVAL, 0, 0, 0, 0, 0, { { .addr = 0 } },
      "reserved memory [0xf0000, 0x110000) of 0000:03:00.0 straddles 1 MiB" },
    { "RMRR over RAM above 4 GiB: refused",
      8192, false, false, 1, { DEV_RDM(GiB(5), MiB(2)) },
      -EINVAL, 0, 0, 0, 0, 0, { { .addr = 0 } },
      "reserved memory [0x140000000, 0x140200000) overlaps guest RAM above "
      "4 GiB (up to 0x210000000)" },
    { "RMRR leaving less than 2 MiB low: refused",
      1024, false, false, 1, { DEV_RDM(0x180000, MiB(1)) },
      -EINVAL, 0, 0, 0, 0, 0, { { .addr = 0 } },
      "1536 KiB of RAM below 4 GiB: hvmloader needs 2 MiB" },
    { "hvm 1 MiB guest: refused",
      1, false, false, 0, NODEV,
      -EINVAL, 0, 0, 0, 0, 0, { { .addr = 0 } },
      "1024 KiB of RAM below 4 GiB: hvmloader needs 2 MiB" },
    { "pvh 1 GiB: RAM from 0, RSDP page and tables as ACPI",
      1024, true, false, 0, NODEV,
      0, GiB(1), 0, 0xF0000000, MiB(256),
      4, { RAM(0, 0xFF000), ACPI(0xFF000, 0x1000),
           RAM(MiB(1), GiB(1) - MiB(1)), ACPI(0xFC000000, 0x3000) }, NULL },
    { "pvh 4 GiB: high RAM after the ACPI tables",
      4096, true, false, 0, NODEV,
      0, 0xF0000000, GiB(4) + MiB(256), 0xF0000000, MiB(256),
      5, { RAM(0, 0xFF000), ACPI(0xFF000, 0x1000),
           RAM(MiB(1), 0xF0000000 - MiB(1)), ACPI(0xFC000000, 0x3000),
           RAM(GiB(4), MiB(256)) }, NULL },
};

static void check_map(const struct map_case *c, const struct xg_memmap *m)
{
    unsigned int i;
    uint64_t ram = 0;

    assert_int_equal(m->lowmem_end, c->lowmem_end);
    assert_int_equal(m->highmem_end, c->highmem_end);
    assert_int_equal(m->mmio_start, c->mmio_start);
    assert_int_equal(m->mmio_size, c->mmio_size);
    assert_int_equal(m->nr, c->nr);
    for ( i = 0; i < c->nr; i++ )
    {
        assert_int_equal(m->e820[i].addr, c->e820[i].addr);
        assert_int_equal(m->e820[i].size, c->e820[i].size);
        assert_int_equal(m->e820[i].type, c->e820[i].type);
        if ( m->e820[i].type == E820_RAM )
            ram += m->e820[i].size;
    }
    /* RAM adds up to the guest, minus what hvmloader keeps below 1 MiB. */
    assert_int_equal(ram + (c->pvh ? 0x1000 : MiB(1)), MiB(c->mib));
}

static void test_case(void **state)
{
    const struct map_case *c = *state;
    struct xg_memmap_req req = { .mem_mib = c->mib, .pvh = c->pvh,
                                 .vgpu = c->vgpu, .nr_dev = c->nr_dev,
                                 .dev = c->dev };
    struct meminit_error e = { 0 };
    struct xg_memmap m;
    int rc;

    if ( c->pvh )
    {
        req.nr_acpi = 2;
        req.acpi[0] = (struct xg_range){ 0xFFFC0, 64 };
        req.acpi[1] = (struct xg_range){ 0xFC000000, 0x2100 };
    }
    rc = xg_memmap_build(&req, &m, &e);
    assert_int_equal(rc, c->rc);
    if ( rc )
    {
        assert_string_equal(e.step, "memmap");
        assert_string_equal(e.msg, c->err);
        return;
    }
    assert_null(e.step);
    check_map(c, &m);
}

/* A fake sysfs: <root>/bus/pci/devices/<sbdf>/{resource,vendor,device}. */
struct fake_dev {
    const char *sbdf;
    const char *resource;
    const char *vendor;
    const char *device;
};

static void put(const char *dir, const char *name, const char *text)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    assert_non_null(f = fopen(path, "w"));
    fputs(text, f);
    fclose(f);
}

static void make_tree(char *root, const struct fake_dev *d, unsigned int n)
{
    char dir[512];
    unsigned int i;

    strcpy(root, "/tmp/xg-sysfs-XXXXXX");
    assert_non_null(mkdtemp(root));
    snprintf(dir, sizeof(dir), "%s/bus", root);
    mkdir(dir, 0755);
    snprintf(dir, sizeof(dir), "%s/bus/pci", root);
    mkdir(dir, 0755);
    snprintf(dir, sizeof(dir), "%s/bus/pci/devices", root);
    mkdir(dir, 0755);
    for ( i = 0; i < n; i++ )
    {
        snprintf(dir, sizeof(dir), "%s/bus/pci/devices/%s", root, d[i].sbdf);
        assert_int_equal(mkdir(dir, 0755), 0);
        put(dir, "resource", d[i].resource);
        put(dir, "vendor", d[i].vendor);
        put(dir, "device", d[i].device);
    }
}

static void remove_tree(const char *root)
{
    char cmd[600];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
    assert_int_equal(system(cmd), 0);
}

/* 6 BARs and the ROM count; the SR-IOV lines after them do not. */
#define NIC_RESOURCE \
    "0x00000000f0000000 0x00000000f7ffffff 0x0000000000140204\n" \
    "0x0000000000000000 0x0000000000000000 0x0000000000000000\n" \
    "0x00000000f8000000 0x00000000f8003fff 0x0000000000140204\n" \
    "0x000000000000e000 0x000000000000e01f 0x0000000000040101\n" \
    "0x0000000000000000 0x0000000000000000 0x0000000000000000\n" \
    "0x0000000000000000 0x0000000000000000 0x0000000000000000\n" \
    "0x00000000fb000000 0x00000000fb07ffff 0x0000000000046200\n" \
    "0x00000000c0000000 0x00000000cfffffff 0x0000000000140204\n"

static const struct fake_dev devs[] = {
    { "0000:03:00.0", NIC_RESOURCE, "0x8086\n", "0x10fb\n" },
    { "0000:81:00.0",
      "0x00000000e0000000 0x00000000efffffff 0x0000000000140204\n",
      "0x1002\n", "0x692f\n" },
    { "0000:05:00.0", "0xf0000000 0xf00fffff\n", "0x8086\n", "0x1\n" },
};

static void test_sysfs(void **state)
{
    struct xg_pt_dev nic = { .sbdf = { 0, 3, 0, 0 } };
    struct xg_pt_dev mx = { .sbdf = { 0, 0x81, 0, 0 } };
    struct meminit_error e = { 0 };
    char root[64];

    (void)state;
    make_tree(root, devs, 3);
    assert_int_equal(xg_pci_read_sysfs(root, &nic, &e), 0);
    /* 128 MiB + 16 KiB + 32 B of I/O + 512 KiB of ROM, not the IOV BAR. */
    assert_int_equal(nic.bar_bytes, MiB(128) + 0x4000 + 0x20 + 0x80000);
    assert_false(nic.mxgpu);
    assert_int_equal(xg_pci_read_sysfs(root, &mx, &e), 0);
    assert_int_equal(mx.bar_bytes, MiB(256));
    assert_true(mx.mxgpu);
    assert_null(e.step);
    remove_tree(root);
}

static void test_sysfs_errors(void **state)
{
    struct xg_pt_dev missing = { .sbdf = { 0, 9, 0x1f, 7 } };
    struct xg_pt_dev bad = { .sbdf = { 0, 5, 0, 0 } };
    struct meminit_error e = { 0 };
    char root[64], want[256];

    (void)state;
    make_tree(root, devs, 3);
    assert_int_equal(xg_pci_read_sysfs(root, &missing, &e), -ENOENT);
    snprintf(want, sizeof(want), "0000:09:1f.7: no such device (%s/bus/pci/"
             "devices/0000:09:1f.7/resource)", root);
    assert_string_equal(e.step, "passthrough");
    assert_string_equal(e.msg, want);
    meminit_error_clear(&e);
    assert_int_equal(xg_pci_read_sysfs(root, &bad, &e), -EINVAL);
    snprintf(want, sizeof(want), "%s/bus/pci/devices/0000:05:00.0/resource "
             "line 1: \"0xf0000000 0xf00fffff\" is not a resource range",
             root);
    assert_string_equal(e.msg, want);
    remove_tree(root);
}

/* From sysfs to the hole: the NIC and the MxGPU together. */
static void test_sysfs_to_hole(void **state)
{
    struct xg_pt_dev dev[2] = { { .sbdf = { 0, 3, 0, 0 } },
                                { .sbdf = { 0, 0x81, 0, 0 } } };
    struct xg_memmap_req req = { .mem_mib = 8192, .nr_dev = 1, .dev = dev };
    struct meminit_error e = { 0 };
    char root[64];

    (void)state;
    make_tree(root, devs, 2);
    assert_int_equal(xg_pci_read_sysfs(root, &dev[0], &e), 0);
    assert_int_equal(xg_pci_read_sysfs(root, &dev[1], &e), 0);
    /* 256 MiB + the NIC's ~129 MiB: 512 MiB. */
    assert_int_equal(xg_memmap_hole_size(&req), MiB(512));
    req.nr_dev = 2;
    assert_int_equal(xg_memmap_hole_size(&req), GiB(2));
    remove_tree(root);
}

int main(void)
{
    static const struct CMUnitTest extra[] = {
        cmocka_unit_test(test_sysfs),
        cmocka_unit_test(test_sysfs_errors),
        cmocka_unit_test(test_sysfs_to_hole),
    };
    struct CMUnitTest tests[CMT_SIZE(cases) + CMT_SIZE(extra)];
    struct CMUnitTest *next = tests;

    CMT_CASES(next, cases, test_case);
    CMT_TESTS(next, extra);
    return CMT_RUN("memmap", tests, next);
}
