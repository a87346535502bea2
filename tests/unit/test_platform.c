/*
 * test_platform.c - xenstore platform keys through a fake store: defaults,
 * a full xapi set, every key's bad values with the exact message, and the
 * write-backs.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cmt.h"

#include "platform.h"

#define DOMID   7
#define D(key)  "/local/domain/7/" key
#define MAX_KV  80

/* A fake xenstore: a table of full path -> value, and what was written. */
struct kv_pair {
    const char *path;
    const char *value;
};

struct fake_store {
    const struct kv_pair *kv;
    unsigned int nr_written;
    struct xg_writeback written[XG_WRITEBACK_MAX];
    unsigned int fail_write_at;     /* 1-based; 0: never */
    int fail_rc;
};

static char *fake_read(void *opaque, const char *path)
{
    const struct fake_store *fs = opaque;
    const struct kv_pair *p;

    /* Every read is absolute, under the domain or /mh/limits. */
    if ( strncmp(path, D(""), strlen(D(""))) &&
         strncmp(path, "/mh/limits/", strlen("/mh/limits/")) )
        fail_msg("read of unexpected path %s", path);

    for ( p = fs->kv; p && p->path; p++ )
        if ( !strcmp(p->path, path) )
        {
            char *v = strdup(p->value);

            assert_non_null(v);
            return v;
        }

    return NULL;
}

static int fake_write(void *opaque, const char *path, const char *value)
{
    struct fake_store *fs = opaque;
    struct xg_writeback *w;

    if ( fs->fail_write_at && fs->nr_written + 1 == fs->fail_write_at )
        return fs->fail_rc;
    assert_true(fs->nr_written < XG_WRITEBACK_MAX);
    w = &fs->written[fs->nr_written++];
    snprintf(w->path, sizeof(w->path), "%s", path);
    snprintf(w->value, sizeof(w->value), "%s", value);

    return 0;
}

struct plat_case {
    const char *name;
    struct kv_pair kv[MAX_KV];
    bool hvm;
    int rc;
    const char *err;
    void (*check)(const struct xg_platform *p);
};

#define VCPUS4 { D("platform/vcpu/number"), "4" }

static void check_defaults(const struct xg_platform *p)
{
    unsigned int i;

    assert_int_equal(p->vcpus, 4);
    assert_int_equal(p->vcpus_current, 4);
    assert_false(p->has_weight);
    assert_false(p->has_cap);
    assert_int_equal(p->nr_affinity, 0);
    for ( i = 0; i < XG_MAX_VCPUS; i++ )
        assert_null(p->affinity[i]);
    assert_true(p->nx);
    assert_true(p->pae);
    assert_true(p->apic);
    assert_true(p->acpi);
    assert_true(p->acpi_s3);
    assert_true(p->acpi_s4);
    assert_true(p->hpet);
    assert_false(p->viridian);
    for ( i = 0; i < XG_VIRIDIAN_NR; i++ )
        assert_int_equal(p->viridian_feature[i], XG_ABSENT);
    assert_int_equal(p->tsc_mode, 0);
    assert_false(p->has_timeoffset);
    assert_false(p->nomigrate);
    assert_false(p->nested_virt);
    assert_int_equal(p->cores_per_socket, 0);
    assert_int_equal(p->nr_featureset, 0);
    assert_int_equal(p->x87_fip_width, 0);
    assert_int_equal(p->bios, XG_BIOS_DEFAULT);
    assert_int_equal(p->kernel_max_size, 0);
    assert_int_equal(p->ramdisk_max_size, 0);
    assert_int_equal(p->acpi_fixup, 0);
}

static void check_full(const struct xg_platform *p)
{
    assert_int_equal(p->vcpus, 4);
    assert_int_equal(p->vcpus_current, 2);
    assert_true(p->has_weight);
    assert_int_equal(p->weight, 256);
    assert_true(p->has_cap);
    assert_int_equal(p->cap, 0);
    assert_int_equal(p->nr_affinity, 2);
    assert_string_equal(p->affinity[0], "11000000");
    assert_null(p->affinity[1]);
    assert_string_equal(p->affinity[2], "00110000");
    assert_null(p->affinity[3]);
    assert_true(p->nx);
    assert_true(p->pae);
    assert_false(p->apic);
    assert_true(p->acpi);
    assert_false(p->acpi_s3);
    assert_false(p->acpi_s4);
    assert_true(p->hpet);
    assert_true(p->viridian);
    assert_int_equal(p->viridian_feature[XG_VIRIDIAN_REFERENCE_TSC], 1);
    assert_int_equal(p->viridian_feature[XG_VIRIDIAN_STIMER], 0);
    assert_int_equal(p->viridian_feature[XG_VIRIDIAN_TIME_REF_COUNT],
                     XG_ABSENT);
    assert_int_equal(p->viridian_feature[XG_VIRIDIAN_HCALL_IPI], 1);
    assert_int_equal(p->tsc_mode, 2);
    assert_true(p->has_timeoffset);
    assert_int_equal(p->timeoffset, -3600);
    assert_false(p->nomigrate);
    assert_true(p->nested_virt);
    assert_int_equal(p->cores_per_socket, 2);
    assert_int_equal(p->nr_featureset, 3);
    assert_int_equal(p->featureset[0], 0x1fabfbff);
    assert_int_equal(p->featureset[1], 0xb7ba2203);
    assert_int_equal(p->featureset[2], 0);
    assert_int_equal(p->x87_fip_width, 8);
    assert_int_equal(p->bios, XG_BIOS_SEABIOS);
    assert_int_equal(p->kernel_max_size, 67108864);
    assert_int_equal(p->ramdisk_max_size, 134217728);
    assert_int_equal(p->acpi_fixup, 0);
}

static void check_exp_nested(const struct xg_platform *p)
{
    assert_true(p->nested_virt);
}

static void check_nested_wins(const struct xg_platform *p)
{
    assert_false(p->nested_virt);
}

static void check_tsc_number(const struct xg_platform *p)
{
    assert_int_equal(p->tsc_mode, 3);
}

static void check_tsc_name(const struct xg_platform *p)
{
    assert_int_equal(p->tsc_mode, 1);
}

static void check_dashes(const struct xg_platform *p)
{
    assert_int_equal(p->nr_featureset, 3);
    assert_int_equal(p->featureset[0], 0xaa);
    assert_int_equal(p->featureset[1], 0xbb);
    assert_int_equal(p->featureset[2], 0xcc);
}

static void check_bool_forms(const struct xg_platform *p)
{
    assert_true(p->nx);
    assert_false(p->pae);
    assert_true(p->apic);
    assert_true(p->hpet);
    assert_true(p->nomigrate);
}

static void check_pv_cps(const struct xg_platform *p)
{
    assert_int_equal(p->cores_per_socket, 0);
}

static void check_fixup(const struct xg_platform *p)
{
    assert_true(p->acpi);
    assert_true(p->acpi_s3);
    assert_false(p->acpi_s4);
    assert_int_equal(p->acpi_fixup,
                     XG_FIXUP_ACPI | XG_FIXUP_ACPI_S3 | XG_FIXUP_ACPI_S4);
}

static void check_empty_absent(const struct xg_platform *p)
{
    assert_false(p->has_weight);
    assert_false(p->has_cap);
    assert_false(p->has_timeoffset);
    assert_int_equal(p->nr_featureset, 0);
    assert_int_equal(p->bios, XG_BIOS_DEFAULT);
    assert_int_equal(p->viridian_feature[XG_VIRIDIAN_CRASH_CTL], XG_ABSENT);
    assert_int_equal(p->cores_per_socket, 0);
}

static void check_one_vcpu(const struct xg_platform *p)
{
    assert_int_equal(p->vcpus, 1);
    assert_int_equal(p->nr_affinity, 1);
    assert_string_equal(p->affinity[0], "01");
}

static void check_max_vcpus(const struct xg_platform *p)
{
    assert_int_equal(p->vcpus, XG_MAX_VCPUS);
    assert_int_equal(p->cap, 100 * XG_MAX_VCPUS);
    assert_int_equal(p->timeoffset, INT32_MIN);
}

static struct plat_case cases[] = {
    { "only vcpu/number: every default", { VCPUS4 }, true, 0, NULL,
      check_defaults },
    { "a full xapi set", {
        VCPUS4,
        { D("platform/vcpu/current"), "2" },
        { D("platform/vcpu/weight"), "256" },
        { D("platform/vcpu/cap"), "0" },
        { D("platform/vcpu/0/affinity"), "11000000" },
        { D("platform/vcpu/2/affinity"), "00110000" },
        { D("platform/nx"), "true" },
        { D("platform/pae"), "1" },
        { D("platform/apic"), "false" },
        { D("platform/acpi"), "1" },
        { D("platform/acpi_s3"), "0" },
        { D("platform/acpi_s4"), "0" },
        { D("platform/hpet"), "" },
        { D("platform/viridian"), "true" },
        { D("platform/viridian_reference_tsc"), "1" },
        { D("platform/viridian_stimer"), "false" },
        { D("platform/viridian_hcall_ipi"), "true" },
        { D("platform/tsc_mode"), "native" },
        { D("platform/timeoffset"), "-3600" },
        { D("platform/nomigrate"), "0" },
        { D("platform/nested-virt"), "true" },
        { D("platform/cores-per-socket"), "2" },
        { D("platform/featureset"), "1fabfbff:b7ba2203:0" },
        { D("platform/x87-fip-width"), "8" },
        { D("hvmloader/bios"), "seabios" },
        { "/mh/limits/pv-kernel-max_size", "67108864" },
        { "/mh/limits/pv-ramdisk-max_size", "134217728" } },
      true, 0, NULL, check_full },
    { "exp-nested-hvm when nested-virt is absent",
      { VCPUS4, { D("platform/exp-nested-hvm"), "1" } }, true, 0, NULL,
      check_exp_nested },
    { "nested-virt wins over exp-nested-hvm",
      { VCPUS4, { D("platform/exp-nested-hvm"), "1" },
        { D("platform/nested-virt"), "false" } }, true, 0, NULL,
      check_nested_wins },
    { "tsc_mode as a number",
      { VCPUS4, { D("platform/tsc_mode"), "3" } }, true, 0, NULL,
      check_tsc_number },
    { "tsc_mode as a name",
      { VCPUS4, { D("platform/tsc_mode"), "always_emulate" } }, true, 0, NULL,
      check_tsc_name },
    { "featureset words separated by dashes",
      { VCPUS4, { D("platform/featureset"), "aa-bb-cc" } }, true, 0, NULL,
      check_dashes },
    { "booleans: any case, any integer",
      { VCPUS4, { D("platform/nx"), "TRUE" }, { D("platform/pae"), "False" },
        { D("platform/apic"), "2" }, { D("platform/hpet"), "" },
        { D("platform/nomigrate"), "1" } }, true, 0, NULL, check_bool_forms },
    { "PV ignores cores-per-socket",
      { VCPUS4, { D("platform/cores-per-socket"), "3" } }, false, 0, NULL,
      check_pv_cps },
    { "cores-per-socket 0 means not set",
      { VCPUS4, { D("platform/cores-per-socket"), "0" } }, true, 0, NULL,
      check_pv_cps },
    { "acpi keys hvmloader would misread are flagged",
      { VCPUS4, { D("platform/acpi"), "true" }, { D("platform/acpi_s3"), "" },
        { D("platform/acpi_s4"), "00" } }, true, 0, NULL, check_fixup },
    { "empty values are absent",
      { VCPUS4, { D("platform/vcpu/weight"), "" },
        { D("platform/vcpu/cap"), "" }, { D("platform/timeoffset"), "" },
        { D("platform/featureset"), "" }, { D("hvmloader/bios"), "" },
        { D("platform/viridian_crash_ctl"), "" },
        { D("platform/cores-per-socket"), "" } }, true, 0, NULL,
      check_empty_absent },
    { "affinity beyond vcpu/number is not read",
      { { D("platform/vcpu/number"), "1" },
        { D("platform/vcpu/0/affinity"), "01" },
        { D("platform/vcpu/1/affinity"), "garbage" } }, true, 0, NULL,
      check_one_vcpu },
    { "upper bounds are inclusive",
      { { D("platform/vcpu/number"), "512" },
        { D("platform/vcpu/cap"), "51200" },
        { D("platform/timeoffset"), "-2147483648" } }, true, 0, NULL,
      check_max_vcpus },

    /* vcpu/number. */
    { "no vcpu/number", { { NULL, NULL } }, true, -ENOENT,
      "platform/vcpu/number is missing", NULL },
    { "empty vcpu/number", { { D("platform/vcpu/number"), "" } }, true,
      -EINVAL, "platform/vcpu/number: \"\" is not an integer (1-512)", NULL },
    { "zero vCPUs", { { D("platform/vcpu/number"), "0" } }, true, -EINVAL,
      "platform/vcpu/number: 0 is out of range (1-512)", NULL },
    { "too many vCPUs", { { D("platform/vcpu/number"), "513" } }, true,
      -EINVAL, "platform/vcpu/number: 513 is out of range (1-512)", NULL },
    { "vcpu/number with garbage", { { D("platform/vcpu/number"), "4 " } },
      true, -EINVAL, "platform/vcpu/number: \"4 \" is not an integer (1-512)",
      NULL },

    /* The other vcpu keys. */
    { "more current than vCPUs",
      { VCPUS4, { D("platform/vcpu/current"), "5" } }, true, -EINVAL,
      "platform/vcpu/current: 5 is out of range (1-4)", NULL },
    { "a weight that is not a number",
      { VCPUS4, { D("platform/vcpu/weight"), "abc" } }, true, -EINVAL,
      "platform/vcpu/weight: \"abc\" is not an integer (1-65535)", NULL },
    { "a weight of 0",
      { VCPUS4, { D("platform/vcpu/weight"), "0" } }, true, -EINVAL,
      "platform/vcpu/weight: 0 is out of range (1-65535)", NULL },
    { "a weight beyond 65535",
      { VCPUS4, { D("platform/vcpu/weight"), "65536" } }, true, -EINVAL,
      "platform/vcpu/weight: 65536 is out of range (1-65535)", NULL },
    { "a cap beyond 100 per vCPU",
      { VCPUS4, { D("platform/vcpu/cap"), "401" } }, true, -EINVAL,
      "platform/vcpu/cap: 401 is out of range (0-400)", NULL },
    { "a negative cap",
      { VCPUS4, { D("platform/vcpu/cap"), "-1" } }, true, -EINVAL,
      "platform/vcpu/cap: \"-1\" is not an integer (0-400)", NULL },
    { "an affinity with a bad character",
      { VCPUS4, { D("platform/vcpu/1/affinity"), "1201" } }, true, -EINVAL,
      "platform/vcpu/1/affinity: bad character at position 1 (0x32): want "
      "'0' or '1'", NULL },
    { "an all-zero affinity",
      { VCPUS4, { D("platform/vcpu/0/affinity"), "0000" } }, true, -EINVAL,
      "platform/vcpu/0/affinity: no pCPU set in the mask (4 positions)",
      NULL },
    { "an empty affinity",
      { VCPUS4, { D("platform/vcpu/3/affinity"), "" } }, true, -EINVAL,
      "platform/vcpu/3/affinity: empty mask", NULL },
    { "a bad affinity after good ones frees them",
      { VCPUS4, { D("platform/vcpu/0/affinity"), "1" },
        { D("platform/vcpu/1/affinity"), "1" },
        { D("platform/vcpu/2/affinity"), "x" } }, true, -EINVAL,
      "platform/vcpu/2/affinity: bad character at position 0 (0x78): want "
      "'0' or '1'", NULL },

    /* Booleans and enumerations. */
    { "a boolean that is neither",
      { VCPUS4, { D("platform/nx"), "maybe" } }, true, -EINVAL,
      "platform/nx: \"maybe\" is not a boolean (true, false or an integer)",
      NULL },
    { "a negative boolean",
      { VCPUS4, { D("platform/hpet"), "-1" } }, true, -EINVAL,
      "platform/hpet: \"-1\" is not a boolean (true, false or an integer)",
      NULL },
    { "a bad viridian",
      { VCPUS4, { D("platform/viridian"), "on" } }, true, -EINVAL,
      "platform/viridian: \"on\" is not a boolean (true, false or an "
      "integer)", NULL },
    { "a bad viridian feature",
      { VCPUS4, { D("platform/viridian_stimer"), "yes" } }, true, -EINVAL,
      "platform/viridian_stimer: \"yes\" is not a boolean (true, false or "
      "an integer)", NULL },
    { "a bad nested-virt",
      { VCPUS4, { D("platform/nested-virt"), "y" } }, true, -EINVAL,
      "platform/nested-virt: \"y\" is not a boolean (true, false or an "
      "integer)", NULL },
    { "a bad exp-nested-hvm",
      { VCPUS4, { D("platform/exp-nested-hvm"), "y" } }, true, -EINVAL,
      "platform/exp-nested-hvm: \"y\" is not a boolean (true, false or an "
      "integer)", NULL },
    { "a tsc_mode beyond 3",
      { VCPUS4, { D("platform/tsc_mode"), "4" } }, true, -EINVAL,
      "platform/tsc_mode: \"4\" is not a TSC mode (0-3, default, "
      "always_emulate, native, native_paravirt)", NULL },
    { "an unknown tsc_mode",
      { VCPUS4, { D("platform/tsc_mode"), "fast" } }, true, -EINVAL,
      "platform/tsc_mode: \"fast\" is not a TSC mode (0-3, default, "
      "always_emulate, native, native_paravirt)", NULL },
    { "a fractional timeoffset",
      { VCPUS4, { D("platform/timeoffset"), "1.5" } }, true, -EINVAL,
      "platform/timeoffset: \"1.5\" is not an integer (seconds, -2147483648 "
      "to 2147483647)", NULL },
    { "a timeoffset beyond 32 bits",
      { VCPUS4, { D("platform/timeoffset"), "2147483648" } }, true, -EINVAL,
      "platform/timeoffset: \"2147483648\" is not an integer (seconds, "
      "-2147483648 to 2147483647)", NULL },
    { "cores-per-socket that does not divide",
      { VCPUS4, { D("platform/cores-per-socket"), "3" } }, true, -EINVAL,
      "platform/cores-per-socket: 3 does not divide platform/vcpu/number 4",
      NULL },
    { "a featureset word that is not hex",
      { VCPUS4, { D("platform/featureset"), "xyz" } }, true, -EINVAL,
      "platform/featureset: \"xyz\": word 0 is not 1-8 hex digits", NULL },
    { "an empty featureset word",
      { VCPUS4, { D("platform/featureset"), "1::2" } }, true, -EINVAL,
      "platform/featureset: \"1::2\": word 1 is not 1-8 hex digits", NULL },
    { "a featureset word beyond 32 bits",
      { VCPUS4, { D("platform/featureset"), "1:123456789" } }, true, -EINVAL,
      "platform/featureset: \"1:123456789\": word 1 is not 1-8 hex digits",
      NULL },
    { "a featureset with 0x",
      { VCPUS4, { D("platform/featureset"), "0x1" } }, true, -EINVAL,
      "platform/featureset: \"0x1\": word 0 is not 1-8 hex digits", NULL },
    { "too many featureset words",
      { VCPUS4, { D("platform/featureset"),
        "0:1:2:3:4:5:6:7:8:9:0:1:2:3:4:5:6:7:8:9:0:1:2:3:4:5:6:7:8:9:0:1:"
        "0:1:2:3:4:5:6:7:8:9:0:1:2:3:4:5:6:7:8:9:0:1:2:3:4:5:6:7:8:9:0:1:"
        "2" } }, true, -EINVAL, "platform/featureset: more than 64 words",
      NULL },
    { "an x87 FIP width of 2",
      { VCPUS4, { D("platform/x87-fip-width"), "2" } }, true, -EINVAL,
      "platform/x87-fip-width: 2 is not 0, 4 or 8", NULL },
    { "an x87 FIP width of 16",
      { VCPUS4, { D("platform/x87-fip-width"), "16" } }, true, -EINVAL,
      "platform/x87-fip-width: 16 is out of range (0-8)", NULL },
    { "an unknown bios",
      { VCPUS4, { D("hvmloader/bios"), "grub" } }, true, -EINVAL,
      "hvmloader/bios: \"grub\" is not rombios, seabios or ovmf", NULL },
    { "a kernel size limit with a unit",
      { VCPUS4, { "/mh/limits/pv-kernel-max_size", "1G" } }, true, -EINVAL,
      "/mh/limits/pv-kernel-max_size: \"1G\" is not an integer "
      "(0-18446744073709551615)", NULL },
    { "a ramdisk size limit that overflows",
      { VCPUS4, { "/mh/limits/pv-ramdisk-max_size",
                  "18446744073709551616" } }, true, -EINVAL,
      "/mh/limits/pv-ramdisk-max_size: \"18446744073709551616\" is not an "
      "integer (0-18446744073709551615)", NULL },
};

static void test_case(void **state)
{
    const struct plat_case *c = *state;
    struct fake_store fs = { .kv = c->kv };
    struct xg_kv kv = { fake_read, fake_write, &fs };
    struct xg_platform p;
    struct meminit_error err = { 0 };
    unsigned int i;
    int rc;

    rc = xg_platform_read(&kv, DOMID, c->hvm, &p, &err);
    if ( rc != c->rc )
        fail_msg("rc %d, want %d; err \"%.200s\"", rc, c->rc, err.msg);
    if ( c->err )
    {
        assert_string_equal(err.step, "platform");
        assert_int_equal(err.err, -c->rc);
        assert_string_equal(err.msg, c->err);
    }
    if ( rc )
    {
        /* Nothing is left to free after a failure. */
        for ( i = 0; i < XG_MAX_VCPUS; i++ )
            assert_null(p.affinity[i]);
        return;
    }
    assert_null(err.step);
    if ( c->check )
        c->check(&p);
    xg_platform_free(&p);
    xg_platform_free(&p);       /* twice is harmless */
}

static void test_no_store(void **state)
{
    struct xg_kv kv = { NULL, NULL, NULL };
    struct xg_platform p;
    struct meminit_error err = { 0 };

    (void)state;
    assert_int_equal(xg_platform_read(NULL, DOMID, true, &p, &err), -EINVAL);
    assert_string_equal(err.msg, "no key-value store to read from");
    assert_int_equal(xg_platform_read(&kv, DOMID, true, &p, NULL), -EINVAL);
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(xg_viridian_name(XG_VIRIDIAN_TIME_REF_COUNT),
                        "viridian_time_ref_count");
    assert_string_equal(xg_viridian_name(XG_VIRIDIAN_HCALL_IPI),
                        "viridian_hcall_ipi");
    assert_string_equal(xg_bios_name(XG_BIOS_OVMF), "ovmf");
    assert_string_equal(xg_bios_name(XG_BIOS_DEFAULT), "default");
}

/* Read a store, compute the write-backs. */
static void read_store(const struct kv_pair *kv, struct xg_platform *p)
{
    struct fake_store fs = { .kv = kv };
    struct xg_kv x = { fake_read, fake_write, &fs };

    assert_int_equal(xg_platform_read(&x, DOMID, true, p, NULL), 0);
}

static void test_writebacks_hvm(void **state)
{
    static const struct kv_pair kv[] = { VCPUS4, { NULL, NULL } };
    struct xg_hvm_writeback hvm = { .mmio_hole_size = 0x10000000 };
    struct xg_platform p;
    struct xg_writebacks wb;

    (void)state;
    read_store(kv, &p);
    assert_int_equal(xg_platform_writebacks(&p, DOMID, &hvm, &wb), 0);
    assert_int_equal(wb.nr, 1);
    assert_string_equal(wb.wb[0].path, D("vm-data/mmio-hole-size"));
    assert_string_equal(wb.wb[0].value, "268435456");

    /* PV and PVH write nothing back. */
    assert_int_equal(xg_platform_writebacks(&p, DOMID, NULL, &wb), 0);
    assert_int_equal(wb.nr, 0);
    xg_platform_free(&p);
}

static void test_writebacks_vgpu_and_fixups(void **state)
{
    static const struct kv_pair kv[] = {
        VCPUS4, { D("platform/acpi"), "true" },
        { D("platform/acpi_s4"), "False" }, { NULL, NULL },
    };
    struct xg_hvm_writeback hvm = {
        .mmio_hole_size = 0x80000000ull, .vram_reserved = true,
        .vram_addr = 0xfb000000ull, .vram_size = 0x1000000,
    };
    struct xg_platform p;
    struct xg_writebacks wb;

    (void)state;
    read_store(kv, &p);
    assert_int_equal(xg_platform_writebacks(&p, DOMID, &hvm, &wb), 0);
    assert_int_equal(wb.nr, 5);
    assert_string_equal(wb.wb[0].path, D("vm-data/mmio-hole-size"));
    assert_string_equal(wb.wb[0].value, "2147483648");
    assert_string_equal(wb.wb[1].path, D("vm-data/vram-reserved-addr"));
    assert_string_equal(wb.wb[1].value, "fb000000");
    assert_string_equal(wb.wb[2].path, D("vm-data/vram-reserved-size"));
    assert_string_equal(wb.wb[2].value, "16777216");
    assert_string_equal(wb.wb[3].path, D("platform/acpi"));
    assert_string_equal(wb.wb[3].value, "1");
    assert_string_equal(wb.wb[4].path, D("platform/acpi_s4"));
    assert_string_equal(wb.wb[4].value, "0");
    xg_platform_free(&p);
}

static void test_apply(void **state)
{
    struct fake_store fs = { .kv = NULL };
    struct xg_kv kv = { fake_read, fake_write, &fs };
    struct xg_writebacks wb = {
        .nr = 2,
        .wb = { { D("vm-data/mmio-hole-size"), "268435456" },
                { D("platform/acpi"), "1" } },
    };
    struct meminit_error err = { 0 };

    (void)state;
    assert_int_equal(xg_platform_apply(&kv, &wb, &err), 0);
    assert_null(err.step);
    assert_int_equal(fs.nr_written, 2);
    assert_string_equal(fs.written[0].path, D("vm-data/mmio-hole-size"));
    assert_string_equal(fs.written[0].value, "268435456");
    assert_string_equal(fs.written[1].path, D("platform/acpi"));

    /* The second write fails: stop there, say which. */
    fs.nr_written = 0;
    fs.fail_write_at = 2;
    fs.fail_rc = -EACCES;
    assert_int_equal(xg_platform_apply(&kv, &wb, &err), -EACCES);
    assert_int_equal(fs.nr_written, 1);
    assert_string_equal(err.step, "xenstore");
    assert_int_equal(err.err, EACCES);
    assert_string_equal(err.msg, "writing /local/domain/7/platform/acpi = "
                        "\"1\": Permission denied");

    /* A writer that returns a positive value still fails cleanly. */
    fs.nr_written = 0;
    fs.fail_write_at = 1;
    fs.fail_rc = 1;
    meminit_error_clear(&err);
    assert_int_equal(xg_platform_apply(&kv, &wb, &err), -EIO);
    assert_int_equal(err.err, EIO);

    meminit_error_clear(&err);
    kv.write = NULL;
    assert_int_equal(xg_platform_apply(&kv, &wb, &err), -EINVAL);
    assert_string_equal(err.msg, "no key-value store to write to");
}

int main(void)
{
    static const struct CMUnitTest extra[] = {
        cmocka_unit_test(test_no_store),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_writebacks_hvm),
        cmocka_unit_test(test_writebacks_vgpu_and_fixups),
        cmocka_unit_test(test_apply),
    };
    struct CMUnitTest tests[CMT_SIZE(cases) + CMT_SIZE(extra)];
    struct CMUnitTest *next = tests;

    CMT_CASES(next, cases, test_case);
    CMT_TESTS(next, extra);
    return CMT_RUN("platform", tests, next);
}
