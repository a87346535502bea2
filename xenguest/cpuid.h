/*
 * cpuid.h - the guest's CPUID policy from platform/featureset and the
 * platform flags, applied through libxenguest's policy calls.
 *
 * Contract:
 *  - The featureset is platform/featureset when given, else Xen's default
 *    featureset for the guest type (XEN_SYSCTL_cpu_featureset_hvm or _pv).
 *    Then, as XenServer's xenguest (construct_cpuid_policy, XS 8.3 with
 *    XCP-ng's nested-virt fix): nx=0 clears NX, pae=0 clears PAE,
 *    nomigrate on a host with ITSC sets ITSC, nested-virt sets VMX and SVM
 *    (Xen keeps the one the host has). The result goes to
 *    xc_cpuid_apply_policy(), the call xl makes too, which adds the
 *    topology leaves (APIC id = 2 x vCPU) and drops features whose
 *    dependencies were cleared.
 *  - A featureset longer than the host's is accepted only when the extra
 *    words are 0 (a pool's common featureset, zero-extended). Every bit
 *    asked for must be in Xen's maximum featureset for the guest type
 *    (XEN_SYSCTL_cpu_featureset_{hvm,pv}_max), except the VMX/SVM pair that
 *    nested-virt sets: otherwise -EINVAL naming the first features, e.g.
 *    "platform/featureset: this host cannot give an HVM guest avx512f".
 *    This is checked by xg_cpuid_prepare(), which changes nothing, so that
 *    the build can refuse before it touches the domain.
 *  - cores-per-socket (HVM and PVH; it must divide the vCPU count, which
 *    platform.c checks) reshapes the topology leaves after the policy is
 *    applied: with APIC ids 2 x vCPU, a socket spans the next power of two
 *    of 2 x cps ids: leaf 1 EBX[23:16], Intel leaf 4 EAX[31:26], AMD leaf
 *    0x80000008 ECX (NC and ApicIdCoreSize). XenServer does this inside its
 *    patched libxenguest (xc_cpuid_apply_policy's extra cps argument, not
 *    in upstream 4.17); this is our reading of the same convention.
 *  - Errors: -EINVAL as above; -errno of a libxenctrl/libxenguest call,
 *    with the call named. Step "cpuid".
 */
#ifndef XG_CPUID_H
#define XG_CPUID_H

#include <stdbool.h>
#include <stdint.h>

#include <xenctrl.h>
#include <xenguest.h>

#include "error.h"

#define XG_CPUID_WORDS  64      /* featureset words we handle */

struct xg_cpuid_req {
    bool hvm;                       /* HVM container (HVM, PVH) */
    const uint32_t *featureset;     /* platform/featureset; NULL: default */
    unsigned int nr_featureset;
    bool nx, pae, nomigrate, nested_virt;
    unsigned int cores_per_socket;  /* 0: leave the topology alone */
};

/* What Xen reports; nr is the host's featureset length in words. */
struct xg_featuresets {
    unsigned int nr;
    uint32_t host[XG_CPUID_WORDS];
    uint32_t def[XG_CPUID_WORDS];   /* default for the guest type */
    uint32_t max[XG_CPUID_WORDS];   /* maximum for the guest type */
};

/* Pure: the featureset to apply (fs->nr words into out). 0 or -EINVAL. */
int xg_cpuid_compose(const struct xg_cpuid_req *r,
                     const struct xg_featuresets *fs, uint32_t *out,
                     struct meminit_error *e);

/*
 * Pure: reshape serialised leaves for cores-per-socket (see above).
 * Leaves not present are left alone.
 */
void xg_cpuid_topology(xen_cpuid_leaf_t *leaves, unsigned int nr,
                       unsigned int cores_per_socket);

/* "avx2", "nx", ... for a featureset bit; NULL when Xen names none. */
const char *xg_cpuid_feature_name(unsigned int bit);

/* The featureset to apply, composed and checked, not yet applied. */
struct xg_cpuid_plan {
    unsigned int nr;                /* words */
    uint32_t featureset[XG_CPUID_WORDS];
    bool itsc;                      /* nomigrate on a host with ITSC */
};

/* Read Xen's featuresets and compose: nothing changes yet. 0 or -errno. */
int xg_cpuid_prepare(xc_interface *xch, const struct xg_cpuid_req *r,
                     struct xg_cpuid_plan *plan, struct meminit_error *e);

/* Apply the plan to domid, then reshape the topology. 0 or -errno. */
int xg_cpuid_set(xc_interface *xch, uint32_t domid,
                 const struct xg_cpuid_req *r,
                 const struct xg_cpuid_plan *plan, struct meminit_error *e);

#endif /* XG_CPUID_H */
