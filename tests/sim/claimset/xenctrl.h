/*
 * claimset/xenctrl.h - <xenctrl.h> as a Xen with upstream's claim-set
 * series (v7) would install it: the system's header, plus the claim-set
 * call and its types.
 *
 * Contract: for the simulated host and everything built against it (the
 * unit tests, the simulator's variant of libmeminit, the simulated
 * benchmark), -Itests/sim/claimset puts this file ahead of the system's
 * <xenctrl.h>. The declarations below are the ABI of the v7 posting
 * ("xen/mm: Introduce NUMA-aware memory claim sets", xen-devel, 8 May
 * 2026; XEN_DOMCTL_claim_memory, domctl 91), which upstream has not merged:
 * the simulator implements exactly this signature, and meminit's claim-set
 * call is compiled only when scripts/claim-abi finds the call declared in
 * the <xenctrl.h> in use (see docs/design.md, "Claim ABIs"). A real
 * header that declares it wins: then nothing here is declared again.
 */
#ifndef MEMINIT_SIM_CLAIMSET_XENCTRL_H
#define MEMINIT_SIM_CLAIMSET_XENCTRL_H

#include_next <xenctrl.h>

#ifndef XEN_DOMCTL_CLAIM_MEMORY_HOST

/* One entry of a claim set: pages on a node, or host-wide. */
struct xen_memory_claim {
    uint64_aligned_t pages;     /* pages to claim (not counting tot_pages) */
    uint32_t target;            /* a node, or one of the targets below */
    uint32_t cmd;               /* reserved: 0 */
};
typedef struct xen_memory_claim xen_memory_claim_t;

#define XEN_DOMCTL_CLAIM_MEMORY_HOST    0x80000000U /* from any node */
#define XEN_DOMCTL_CLAIM_MEMORY_LEGACY  0x40000000U /* XENMEM_claim_pages */

/* mode: replace the domain's claims with the set, or read them back. */
#define XEN_DOMCTL_CLAIM_MEMORY_SET     0U
#define XEN_DOMCTL_CLAIM_MEMORY_GET     1U

int xc_domain_claim_memory(xc_interface *xch, uint32_t domid, uint32_t mode,
                           uint32_t *nr_entries,
                           xen_memory_claim_t *claim_set);

#endif /* XEN_DOMCTL_CLAIM_MEMORY_HOST */
#endif /* MEMINIT_SIM_CLAIMSET_XENCTRL_H */
