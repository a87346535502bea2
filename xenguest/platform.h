/*
 * platform.h - the xenstore keys a build reads (platform/..., hvmloader/bios,
 * /mh/limits/...) and the keys it writes back, through an abstract store.
 *
 * Contract (reference/xenopsd-contract.md, "Xenstore keys read"):
 *  - Keys are read through struct xg_kv: read() returns a malloc'd string,
 *    or NULL when the key is absent; this module frees what it does not
 *    keep. Relative keys live under /local/domain/<domid>/.
 *  - Every value is parsed strictly. A bad one fails the whole read with
 *    -EINVAL and a message naming the key and the value, e.g.
 *    platform/vcpu/weight: "abc" is not an integer (1-65535).
 *    platform/vcpu/number is required (-ENOENT when absent).
 *  - An empty value counts as absent, except for vcpu/number and the
 *    affinity masks, where it is an error.
 *  - platform/numa-memory is preferred, strict, interleave or off;
 *    platform/numa-nodes a node set ("0-1,3", nodes 0-63): anything else
 *    is -EINVAL naming the key and the value (numapolicy.h combines them
 *    with the flags).
 *  - nx, pae, apic, acpi, acpi_s3, acpi_s4 and hpet default to true when
 *    absent or empty. Booleans are "true"/"false" (any case) or decimal
 *    integers (non-zero is true).
 *  - Per-vCPU hard affinity is kept only where the key exists: a NULL entry
 *    means "apply nothing", which is not the same as any mask.
 *  - Write-backs are computed, not written: xg_platform_writebacks() lists
 *    (path, value) pairs and xg_platform_apply() hands each to kv->write.
 *  - No globals, no printing; xg_platform_free() releases the masks and
 *    the ovmf-override string.
 */
#ifndef XG_PLATFORM_H
#define XG_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define XG_MAX_VCPUS        512
#define XG_FEATURESET_MAX   64      /* 32-bit words in platform/featureset */
#define XG_KV_PATH_MAX      128
#define XG_KV_VALUE_MAX     32
#define XG_WRITEBACK_MAX    8

/* A key-value store: xenstore in the binary, a table in the tests. */
struct xg_kv {
    char *(*read)(void *opaque, const char *path);  /* malloc'd or NULL */
    int (*write)(void *opaque, const char *path, const char *value);
    void *opaque;
};

enum xg_bios {
    XG_BIOS_DEFAULT,        /* key absent or empty */
    XG_BIOS_ROMBIOS,
    XG_BIOS_SEABIOS,
    XG_BIOS_OVMF,
};

/* platform/viridian_<name>: optional enlightenments beyond the base set. */
enum xg_viridian {
    XG_VIRIDIAN_TIME_REF_COUNT,
    XG_VIRIDIAN_REFERENCE_TSC,
    XG_VIRIDIAN_HCALL_REMOTE_TLB_FLUSH,
    XG_VIRIDIAN_APIC_ASSIST,
    XG_VIRIDIAN_CRASH_CTL,
    XG_VIRIDIAN_STIMER,
    XG_VIRIDIAN_HCALL_IPI,
    XG_VIRIDIAN_NR,
};

/* Values of a key that may be absent. */
#define XG_ABSENT (-1)

/* Bits of xg_platform.acpi_fixup: keys hvmloader would misread. */
#define XG_FIXUP_ACPI       (1u << 0)
#define XG_FIXUP_ACPI_S3    (1u << 1)
#define XG_FIXUP_ACPI_S4    (1u << 2)

struct xg_platform {
    unsigned int vcpus;             /* vcpu/number, 1 .. XG_MAX_VCPUS */
    unsigned int vcpus_current;     /* vcpu/current, default vcpus */
    bool has_weight;
    unsigned int weight;            /* vcpu/weight, 1 .. 65535 */
    bool has_cap;
    unsigned int cap;               /* vcpu/cap, 0 .. 100 * vcpus */
    char *affinity[XG_MAX_VCPUS];   /* vcpu/<n>/affinity; NULL: absent */
    unsigned int nr_affinity;       /* how many are present */

    bool nx, pae, apic, acpi, acpi_s3, acpi_s4, hpet;   /* default true */
    bool viridian;
    int viridian_feature[XG_VIRIDIAN_NR];   /* XG_ABSENT, 0 or 1 */
    unsigned int tsc_mode;          /* 0 .. 3 (XEN_TSC_MODE_*), default 0 */
    bool has_timeoffset;
    int32_t timeoffset;             /* seconds */
    bool nomigrate;
    bool nested_virt;               /* nested-virt, else exp-nested-hvm */
    unsigned int cores_per_socket;  /* 0: not set (always 0 for PV) */
    unsigned int nr_featureset;     /* 0: not given, use the host's */
    uint32_t featureset[XG_FEATURESET_MAX];
    unsigned int x87_fip_width;     /* 0 (auto), 4 or 8 */
    enum xg_bios bios;              /* hvmloader/bios */
    char *ovmf_override;            /* platform/ovmf-override; NULL: absent */
    uint64_t kernel_max_size;       /* bytes; 0: not set */
    uint64_t ramdisk_max_size;      /* bytes; 0: not set */
    unsigned int acpi_fixup;        /* XG_FIXUP_*: value not "0"/"1" */
    int numa_memory;                /* platform/numa-memory: XG_ABSENT or
                                       an enum meminit_policy_mode */
    uint64_t numa_nodes;            /* platform/numa-nodes; 0: absent */
};

/*
 * Read and parse the keys of domid. hvm: an HVM or PVH container
 * (cores-per-socket is only read for those). On error *p holds nothing
 * that needs freeing, and the reason is recorded in *err (step
 * "platform"; err may be NULL).
 */
int xg_platform_read(const struct xg_kv *kv, uint32_t domid, bool hvm,
                     struct xg_platform *p, struct meminit_error *err);

/* Free the affinity strings; *p may be read again afterwards. */
void xg_platform_free(struct xg_platform *p);

/* "viridian_time_ref_count", ... */
const char *xg_viridian_name(enum xg_viridian v);

/* "rombios", "seabios", "ovmf" or "default". */
const char *xg_bios_name(enum xg_bios bios);

/* What an HVM (hvmloader) build writes back, decided by the build. */
struct xg_hvm_writeback {
    uint64_t mmio_hole_size;        /* bytes, vm-data/mmio-hole-size */
    bool vram_reserved;             /* vGPU: vm-data/vram-reserved-* */
    uint64_t vram_addr;
    uint64_t vram_size;
};

struct xg_writeback {
    char path[XG_KV_PATH_MAX];
    char value[XG_KV_VALUE_MAX];
};

struct xg_writebacks {
    unsigned int nr;
    struct xg_writeback wb[XG_WRITEBACK_MAX];
};

/*
 * The pairs to write back for domid: for an HVM build (hvm != NULL) the
 * MMIO hole, the vGPU VRAM region if any, and "1"/"0" for each acpi key
 * whose value hvmloader would misread ("true", "", ...). Nothing for PV
 * and PVH (hvm == NULL). Returns 0 or -ENOSPC.
 */
int xg_platform_writebacks(const struct xg_platform *p, uint32_t domid,
                           const struct xg_hvm_writeback *hvm,
                           struct xg_writebacks *out);

/*
 * kv->write() each pair in order; stops at the first failure (-errno,
 * recorded in *err with step "xenstore").
 */
int xg_platform_apply(const struct xg_kv *kv, const struct xg_writebacks *wb,
                      struct meminit_error *err);

#endif /* XG_PLATFORM_H */
