/*
 * claimset-v5/xenctrl.h - <xenctrl.h> as a Xen with the v5 posting of the
 * claim-set series would install it (xen-devel, March 2026; the same form
 * as xenserver-next/xen branch node-claims-v5, tools/include/xenctrl.h).
 *
 * Contract: used only by tests/tools/claim-abi-check, which shows that
 * scripts/claim-abi tells this form from v7 and that meminit's binding of
 * it compiles. The simulator implements v7 only (one symbol, one
 * signature), so this form is compiled, not run.
 */
#ifndef MEMINIT_SIM_CLAIMSET_V5_XENCTRL_H
#define MEMINIT_SIM_CLAIMSET_V5_XENCTRL_H

#include_next <xenctrl.h>

#ifndef XEN_DOMCTL_CLAIM_MEMORY_GLOBAL

struct xen_memory_claim {
    uint64_aligned_t pages;     /* pages to claim */
    uint32_t node;              /* a node, or one of the values below */
    uint32_t pad;               /* 0 */
};
typedef struct xen_memory_claim memory_claim_t;

#define XEN_DOMCTL_CLAIM_MEMORY_LEGACY  0x40000000U
#define XEN_DOMCTL_CLAIM_MEMORY_GLOBAL  0x80000000U

int xc_domain_claim_memory(xc_interface *xch, uint32_t domid,
                           uint32_t nr_claims, memory_claim_t *claims);

#endif /* XEN_DOMCTL_CLAIM_MEMORY_GLOBAL */
#endif /* MEMINIT_SIM_CLAIMSET_V5_XENCTRL_H */
