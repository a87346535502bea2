/*
 * platform.c - strict parsing of the xenstore keys a build depends on.
 *
 * The old xenguest read every key through one helper that turned anything
 * it could not parse into 0: a typo in platform/vcpu/weight silently meant
 * "no weight", "maybe" in platform/nx meant "no NX", and a missing
 * vcpu/number meant zero vCPUs. Here each key has a type and a range, a
 * value outside them stops the build with the key and the value in the
 * message, and only absence (or emptiness) selects a default.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mask.h"
#include "meminit.h"
#include "parse.h"
#include "platform.h"

#define STEP "platform"     /* of every failure recorded by a read */

/* One read: the store, the domain, where a failure is recorded. */
struct reader {
    const struct xg_kv *kv;
    uint32_t domid;
    struct meminit_error *err;
};

static const char *const viridian_names[XG_VIRIDIAN_NR] = {
    [XG_VIRIDIAN_TIME_REF_COUNT] = "viridian_time_ref_count",
    [XG_VIRIDIAN_REFERENCE_TSC] = "viridian_reference_tsc",
    [XG_VIRIDIAN_HCALL_REMOTE_TLB_FLUSH] = "viridian_hcall_remote_tlb_flush",
    [XG_VIRIDIAN_APIC_ASSIST] = "viridian_apic_assist",
    [XG_VIRIDIAN_CRASH_CTL] = "viridian_crash_ctl",
    [XG_VIRIDIAN_STIMER] = "viridian_stimer",
    [XG_VIRIDIAN_HCALL_IPI] = "viridian_hcall_ipi",
};

/* tsc_mode by name, index = XEN_TSC_MODE_* value. */
static const char *const tsc_names[] = {
    "default", "always_emulate", "native", "native_paravirt",
};

static const char *const bios_names[] = {
    [XG_BIOS_DEFAULT] = "default",
    [XG_BIOS_ROMBIOS] = "rombios",
    [XG_BIOS_SEABIOS] = "seabios",
    [XG_BIOS_OVMF] = "ovmf",
};

const char *xg_viridian_name(enum xg_viridian v)
{
    return v < XG_VIRIDIAN_NR ? viridian_names[v] : "viridian_?";
}

const char *xg_bios_name(enum xg_bios bios)
{
    return bios <= XG_BIOS_OVMF ? bios_names[bios] : "?";
}

/* Absolute keys as they are; relative ones under the domain's path. */
static int full_path(uint32_t domid, const char *key, char *buf, size_t len)
{
    int n = key[0] == '/' ? snprintf(buf, len, "%s", key)
                          : snprintf(buf, len, "/local/domain/%u/%s",
                                     domid, key);

    return (n < 0 || (size_t)n >= len) ? -ENAMETOOLONG : 0;
}

/* The raw value (malloc'd), or NULL when absent. */
static char *get_raw(struct reader *r, const char *key)
{
    char path[XG_KV_PATH_MAX];

    if ( full_path(r->domid, key, path, sizeof(path)) )
        return NULL;

    return r->kv->read(r->kv->opaque, path);
}

/* The value, or NULL when absent or empty. */
static char *get(struct reader *r, const char *key)
{
    char *v = get_raw(r, key);

    if ( v && !*v )
    {
        free(v);
        v = NULL;
    }

    return v;
}

/* Parse v as an unsigned integer of key within [min, max]. */
static int parse_uint(struct reader *r, const char *key, const char *v,
                      uint64_t min, uint64_t max, uint64_t *out)
{
    uint64_t n = 0;

    if ( xg_parse_u64(v, &n) )
        return meminit_error_set(r->err, STEP, EINVAL, "%s: \"%s\" is not "
                                 "an integer (%" PRIu64 "-%" PRIu64 ")",
                                 key, v, min, max);
    if ( n < min || n > max )
        return meminit_error_set(r->err, STEP, EINVAL, "%s: %" PRIu64 " is "
                                 "out of range (%" PRIu64 "-%" PRIu64 ")",
                                 key, n, min, max);

    *out = n;
    return 0;
}

/* An unsigned integer key within [min, max]; *present says if given. */
static int get_uint(struct reader *r, const char *key, uint64_t min,
                    uint64_t max, uint64_t *out, bool *present)
{
    char *v = get(r, key);
    int rc = 0;

    *present = v != NULL;
    if ( v )
        rc = parse_uint(r, key, v, min, max, out);

    free(v);
    return rc;
}

static int parse_bool(const char *v, bool *out)
{
    uint64_t n = 0;

    if ( !strcasecmp(v, "true") )
        *out = true;
    else if ( !strcasecmp(v, "false") )
        *out = false;
    else if ( !xg_parse_u64(v, &n) )
        *out = n != 0;
    else
        return -EINVAL;

    return 0;
}

/* Parse v (the raw value, NULL if absent) of a boolean key. */
static int bool_value(struct reader *r, const char *key, const char *v,
                      bool def, bool *out)
{
    if ( !v || !*v )
        *out = def;
    else if ( parse_bool(v, out) )
        return meminit_error_set(r->err, STEP, EINVAL, "%s: \"%s\" is not a "
                                 "boolean (true, false or an integer)", key,
                                 v);

    return 0;
}

/*
 * A boolean key, def when absent or empty. *canonical (if not NULL) says
 * whether the raw value was absent or exactly "0" or "1", which is all
 * hvmloader understands when it reads the key itself.
 */
static int get_bool(struct reader *r, const char *key, bool def, bool *out,
                    bool *canonical)
{
    char *v = get_raw(r, key);
    int rc = bool_value(r, key, v, def, out);

    if ( canonical )
        *canonical = !v || !strcmp(v, "0") || !strcmp(v, "1");

    free(v);
    return rc;
}

/* platform/vcpu/number (required), current, weight and cap. */
static int read_vcpus(struct reader *r, struct xg_platform *p)
{
    const char *key = "platform/vcpu/number";
    char *v = get_raw(r, key);
    uint64_t n = 0;
    bool present;
    int rc;

    if ( !v )
        return meminit_error_set(r->err, STEP, ENOENT, "%s is missing", key);
    rc = parse_uint(r, key, v, 1, XG_MAX_VCPUS, &n);
    free(v);
    if ( rc )
        return rc;
    p->vcpus = p->vcpus_current = (unsigned int)n;

    rc = get_uint(r, "platform/vcpu/current", 1, p->vcpus, &n, &present);
    if ( rc )
        return rc;
    if ( present )
        p->vcpus_current = (unsigned int)n;

    rc = get_uint(r, "platform/vcpu/weight", 1, 65535, &n, &p->has_weight);
    if ( rc )
        return rc;
    if ( p->has_weight )
        p->weight = (unsigned int)n;

    rc = get_uint(r, "platform/vcpu/cap", 0, 100ull * p->vcpus, &n,
                  &p->has_cap);
    if ( !rc && p->has_cap )
        p->cap = (unsigned int)n;

    return rc;
}

/* platform/vcpu/<n>/affinity: validated here, kept as the string. */
static int read_affinity(struct reader *r, struct xg_platform *p)
{
    uint8_t map[XG_MASK_BYTES(XG_MASK_MAX_CPUS)];
    char key[64];
    const struct xg_mask_report report = { r->err, STEP, key };
    unsigned int i, nr;

    for ( i = 0; i < p->vcpus; i++ )
    {
        char *v;
        int rc;

        snprintf(key, sizeof(key), "platform/vcpu/%u/affinity", i);
        v = get_raw(r, key);
        if ( !v )
            continue;
        rc = xg_mask_parse(v, map, sizeof(map), &nr, &report);
        if ( rc )
        {
            free(v);
            return rc;
        }
        p->affinity[i] = v;
        p->nr_affinity++;
    }

    return 0;
}

static int read_bools(struct reader *r, struct xg_platform *p)
{
    const struct {
        const char *key;
        bool *field;
        unsigned int fixup;     /* hvmloader reads it too */
    } keys[] = {
        { "platform/nx", &p->nx, 0 },
        { "platform/pae", &p->pae, 0 },
        { "platform/apic", &p->apic, 0 },
        { "platform/acpi", &p->acpi, XG_FIXUP_ACPI },
        { "platform/acpi_s3", &p->acpi_s3, XG_FIXUP_ACPI_S3 },
        { "platform/acpi_s4", &p->acpi_s4, XG_FIXUP_ACPI_S4 },
        { "platform/hpet", &p->hpet, 0 },
    };
    unsigned int i;

    for ( i = 0; i < sizeof(keys) / sizeof(keys[0]); i++ )
    {
        bool canonical;
        int rc = get_bool(r, keys[i].key, true, keys[i].field, &canonical);

        if ( rc )
            return rc;
        if ( !canonical )
            p->acpi_fixup |= keys[i].fixup;
    }

    return 0;
}

static int read_viridian(struct reader *r, struct xg_platform *p)
{
    char key[64];
    unsigned int i;
    int rc = get_bool(r, "platform/viridian", false, &p->viridian, NULL);

    for ( i = 0; !rc && i < XG_VIRIDIAN_NR; i++ )
    {
        char *v;
        bool on;

        snprintf(key, sizeof(key), "platform/%s", viridian_names[i]);
        v = get(r, key);
        p->viridian_feature[i] = XG_ABSENT;
        if ( !v )
            continue;
        if ( parse_bool(v, &on) )
            rc = meminit_error_set(r->err, STEP, EINVAL, "%s: \"%s\" is not a "
                                   "boolean (true, false or an integer)", key,
                                   v);
        else
            p->viridian_feature[i] = on;
        free(v);
    }

    return rc;
}

static int read_tsc_mode(struct reader *r, struct xg_platform *p)
{
    const char *key = "platform/tsc_mode";
    char *v = get(r, key);
    unsigned int i, n = sizeof(tsc_names) / sizeof(tsc_names[0]);
    uint64_t mode = 0;
    int rc = 0;

    p->tsc_mode = 0;
    if ( !v )
        return 0;

    for ( i = 0; i < n && strcmp(v, tsc_names[i]); i++ )
        ;
    if ( i < n )
        p->tsc_mode = i;
    else if ( !xg_parse_u64(v, &mode) && mode < n )
        p->tsc_mode = (unsigned int)mode;
    else
        rc = meminit_error_set(r->err, STEP, EINVAL, "%s: \"%s\" is not a TSC "
                               "mode (0-3, default, always_emulate, native, "
                               "native_paravirt)", key, v);

    free(v);
    return rc;
}

static int read_timeoffset(struct reader *r, struct xg_platform *p)
{
    const char *key = "platform/timeoffset";
    char *v = get(r, key);
    int64_t t = 0;
    int rc = 0;

    p->has_timeoffset = v != NULL;
    if ( !v )
        return 0;

    if ( xg_parse_s64(v, &t) || t < INT32_MIN || t > INT32_MAX )
        rc = meminit_error_set(r->err, STEP, EINVAL, "%s: \"%s\" is not an "
                               "integer (seconds, %" PRId32 " to %" PRId32
                               ")", key, v, INT32_MIN, INT32_MAX);
    else
        p->timeoffset = (int32_t)t;

    free(v);
    return rc;
}

/* nested-virt, or the older exp-nested-hvm when it is absent. */
static int read_nested(struct reader *r, struct xg_platform *p)
{
    const char *key = "platform/nested-virt";
    char *v = get(r, key);
    int rc;

    if ( !v )
        return get_bool(r, "platform/exp-nested-hvm", false, &p->nested_virt,
                        NULL);

    rc = bool_value(r, key, v, false, &p->nested_virt);
    free(v);
    return rc;
}

static int read_cores_per_socket(struct reader *r, struct xg_platform *p)
{
    uint64_t n = 0;
    bool present;
    int rc = get_uint(r, "platform/cores-per-socket", 0, XG_MAX_VCPUS, &n,
                      &present);

    /* 0, like an absent key, leaves the topology to the default. */
    if ( rc || !present || !n )
        return rc;
    if ( p->vcpus % n )
        return meminit_error_set(r->err, STEP, EINVAL,
                                 "platform/cores-per-socket: %" PRIu64
                                 " does not divide platform/vcpu/number %u",
                                 n, p->vcpus);
    p->cores_per_socket = (unsigned int)n;

    return 0;
}

/* The words of v, hex, separated by ':' (or '-', as older toolstacks
 * wrote them), into p->featureset; the count only when all are good. */
static int parse_featureset(struct reader *r, const char *key, const char *v,
                            struct xg_platform *p)
{
    const char *s = v;
    unsigned int n;

    for ( n = 0; ; n++ )
    {
        size_t len = strcspn(s, ":-");

        if ( n >= XG_FEATURESET_MAX )
            return meminit_error_set(r->err, STEP, EINVAL, "%s: more than "
                                     "%u words", key, XG_FEATURESET_MAX);
        if ( xg_parse_hex32(s, len, &p->featureset[n]) )
            return meminit_error_set(r->err, STEP, EINVAL, "%s: \"%s\": "
                                     "word %u is not 1-8 hex digits", key, v,
                                     n);
        if ( !s[len] )
            break;
        s += len + 1;
    }
    p->nr_featureset = n + 1;
    return 0;
}

static int read_featureset(struct reader *r, struct xg_platform *p)
{
    const char *key = "platform/featureset";
    char *v = get(r, key);
    int rc = 0;

    p->nr_featureset = 0;
    if ( v )
        rc = parse_featureset(r, key, v, p);
    free(v);
    return rc;
}

static int read_fip_width(struct reader *r, struct xg_platform *p)
{
    uint64_t n = 0;
    bool present;
    int rc = get_uint(r, "platform/x87-fip-width", 0, 8, &n, &present);

    if ( rc )
        return rc;
    if ( n != 0 && n != 4 && n != 8 )
        return meminit_error_set(r->err, STEP, EINVAL,
                                 "platform/x87-fip-width: %" PRIu64
                                 " is not 0, 4 or 8", n);
    p->x87_fip_width = (unsigned int)n;

    return 0;
}

static int read_bios(struct reader *r, struct xg_platform *p)
{
    char *v = get(r, "hvmloader/bios");
    unsigned int i;
    int rc = 0;

    p->bios = XG_BIOS_DEFAULT;
    if ( !v )
        return 0;

    for ( i = XG_BIOS_ROMBIOS; i <= XG_BIOS_OVMF; i++ )
        if ( !strcmp(v, bios_names[i]) )
            p->bios = (enum xg_bios)i;
    if ( p->bios == XG_BIOS_DEFAULT )
        rc = meminit_error_set(r->err, STEP, EINVAL, "hvmloader/bios: \"%s\" "
                               "is not rombios, seabios or ovmf", v);

    free(v);
    return rc;
}

/*
 * platform/ovmf-override: another OVMF file in OVMF's own directory, a
 * name and never a path (XenServer's get_ovmf_path); firmware.c checks it.
 */
static int read_ovmf_override(struct reader *r, struct xg_platform *p)
{
    p->ovmf_override = get(r, "platform/ovmf-override");
    return 0;
}

static int read_limits(struct reader *r, struct xg_platform *p)
{
    bool present;
    int rc = get_uint(r, "/mh/limits/pv-kernel-max_size", 0, UINT64_MAX,
                      &p->kernel_max_size, &present);

    if ( !rc )
        rc = get_uint(r, "/mh/limits/pv-ramdisk-max_size", 0, UINT64_MAX,
                      &p->ramdisk_max_size, &present);

    return rc;
}

/*
 * platform/numa-memory (a policy name) and platform/numa-nodes (a node
 * set, "0-1,3"), the per-VM NUMA memory policy. Absent or empty: not set.
 */
static int read_numa(struct reader *r, struct xg_platform *p)
{
    const char *mkey = "platform/numa-memory", *nkey = "platform/numa-nodes";
    enum meminit_policy_mode mode;
    char *v = get(r, mkey);
    int rc = 0;

    p->numa_memory = XG_ABSENT;
    p->numa_nodes = 0;
    if ( v && meminit_policy_lookup(v, &mode) )
        rc = meminit_error_set(r->err, STEP, EINVAL, "%s: \"%s\" is not a "
                               "policy (preferred, strict, interleave, off)",
                               mkey, v);
    else if ( v )
        p->numa_memory = (int)mode;
    free(v);
    v = rc ? NULL : get(r, nkey);
    if ( v && meminit_nodeset_parse(v, &p->numa_nodes) )
        rc = meminit_error_set(r->err, STEP, EINVAL, "%s: \"%s\" is not a "
                               "node set (e.g. 0-1,3; nodes 0-%u)", nkey, v,
                               MEMINIT_MAX_NODES - 1);
    free(v);
    return rc;
}

static int read_all(struct reader *r, bool hvm, struct xg_platform *p)
{
    int rc = read_vcpus(r, p);

    if ( !rc )
        rc = read_affinity(r, p);
    if ( !rc )
        rc = read_bools(r, p);
    if ( !rc )
        rc = read_viridian(r, p);
    if ( !rc )
        rc = read_tsc_mode(r, p);
    if ( !rc )
        rc = read_timeoffset(r, p);
    if ( !rc )
        rc = get_bool(r, "platform/nomigrate", false, &p->nomigrate, NULL);
    if ( !rc )
        rc = read_nested(r, p);
    if ( !rc && hvm )
        rc = read_cores_per_socket(r, p);
    if ( !rc )
        rc = read_featureset(r, p);
    if ( !rc )
        rc = read_fip_width(r, p);
    if ( !rc )
        rc = read_bios(r, p);
    if ( !rc )
        rc = read_ovmf_override(r, p);
    if ( !rc )
        rc = read_limits(r, p);
    if ( !rc )
        rc = read_numa(r, p);

    return rc;
}

int xg_platform_read(const struct xg_kv *kv, uint32_t domid, bool hvm,
                     struct xg_platform *p, struct meminit_error *err)
{
    struct reader r = { kv, domid, err };
    int rc;

    memset(p, 0, sizeof(*p));
    if ( !kv || !kv->read )
        return meminit_error_set(r.err, STEP, EINVAL, "no key-value store to "
                                 "read from");

    rc = read_all(&r, hvm, p);
    if ( rc )
        xg_platform_free(p);

    return rc;
}

void xg_platform_free(struct xg_platform *p)
{
    unsigned int i;

    for ( i = 0; i < XG_MAX_VCPUS; i++ )
    {
        free(p->affinity[i]);
        p->affinity[i] = NULL;
    }
    p->nr_affinity = 0;
    free(p->ovmf_override);
    p->ovmf_override = NULL;
}

static int add_wb(struct xg_writebacks *out, uint32_t domid, const char *key,
                  const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int add_wb(struct xg_writebacks *out, uint32_t domid, const char *key,
                  const char *fmt, ...)
{
    struct xg_writeback *wb;
    va_list ap;
    int n;

    if ( out->nr >= XG_WRITEBACK_MAX )
        return -ENOSPC;
    wb = &out->wb[out->nr];
    if ( full_path(domid, key, wb->path, sizeof(wb->path)) )
        return -ENOSPC;

    va_start(ap, fmt);
    n = vsnprintf(wb->value, sizeof(wb->value), fmt, ap);
    va_end(ap);
    if ( n < 0 || (size_t)n >= sizeof(wb->value) )
        return -ENOSPC;

    out->nr++;
    return 0;
}

static int add_acpi_fixups(const struct xg_platform *p, uint32_t domid,
                           struct xg_writebacks *out)
{
    int rc = 0;

    if ( p->acpi_fixup & XG_FIXUP_ACPI )
        rc = add_wb(out, domid, "platform/acpi", "%d", p->acpi);
    if ( !rc && (p->acpi_fixup & XG_FIXUP_ACPI_S3) )
        rc = add_wb(out, domid, "platform/acpi_s3", "%d", p->acpi_s3);
    if ( !rc && (p->acpi_fixup & XG_FIXUP_ACPI_S4) )
        rc = add_wb(out, domid, "platform/acpi_s4", "%d", p->acpi_s4);

    return rc;
}

int xg_platform_writebacks(const struct xg_platform *p, uint32_t domid,
                           const struct xg_hvm_writeback *hvm,
                           struct xg_writebacks *out)
{
    int rc;

    out->nr = 0;
    if ( !hvm )
        return 0;

    /* Decimal bytes: read back by the device model's wrapper. */
    rc = add_wb(out, domid, "vm-data/mmio-hole-size", "%" PRIu64,
                hvm->mmio_hole_size);
    /* Address in hex without "0x", size in decimal, as DEMU reads them. */
    if ( !rc && hvm->vram_reserved )
        rc = add_wb(out, domid, "vm-data/vram-reserved-addr", "%" PRIx64,
                    hvm->vram_addr);
    if ( !rc && hvm->vram_reserved )
        rc = add_wb(out, domid, "vm-data/vram-reserved-size", "%" PRIu64,
                    hvm->vram_size);
    if ( !rc )
        rc = add_acpi_fixups(p, domid, out);

    return rc;
}

int xg_platform_apply(const struct xg_kv *kv, const struct xg_writebacks *wb,
                      struct meminit_error *err)
{
    unsigned int i;

    if ( !kv || !kv->write )
        return meminit_error_set(err, "xenstore", EINVAL,
                                 "no key-value store to write to");

    for ( i = 0; i < wb->nr; i++ )
    {
        int rc = kv->write(kv->opaque, wb->wb[i].path, wb->wb[i].value);

        if ( rc )
            return meminit_error_set(err, "xenstore", rc < 0 ? rc : EIO,
                                     "writing %s = \"%s\": %s",
                                     wb->wb[i].path, wb->wb[i].value,
                                     strerror(rc < 0 ? -rc : EIO));
    }

    return 0;
}
