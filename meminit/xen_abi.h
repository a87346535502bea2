/*
 * xen_abi.h - the per-node claim calls that Xen 4.17's xenctrl.h lacks.
 *
 * Contract: the one definition of these provisional ABIs in this project:
 * XenServer's single-node claim, and the claim sets proposed upstream in
 * 2026 (see docs/design.md). meminit refers to both weakly (claim.c): a
 * NULL address means the linked libxenctrl does not have the call. The
 * simulated hypervisor (tests/sim) defines them.
 */
#ifndef MEMINIT_XEN_ABI_H
#define MEMINIT_XEN_ABI_H

#include <stdint.h>
#include <xenctrl.h>

#define XC_CLAIM_NODE_GLOBAL (~0u)

typedef struct xc_claim_entry {
    uint64_t pages;
    uint32_t node;          /* a node, or XC_CLAIM_NODE_GLOBAL */
    uint32_t pad;
} xc_claim_entry_t;

int xc_domain_claim_pages_node(xc_interface *xch, uint32_t domid,
                               unsigned int node, unsigned long nr_pages);
int xc_domain_claim_memory(xc_interface *xch, uint32_t domid,
                           unsigned int nr, const xc_claim_entry_t *claims);

#endif /* MEMINIT_XEN_ABI_H */
