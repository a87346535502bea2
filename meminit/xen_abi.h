/*
 * xen_abi.h - XenServer's single-node claim, which Xen 4.17's xenctrl.h
 * lacks.
 *
 * Contract: the one declaration of this call in the project. XenServer 9's
 * libxenctrl exports it with exactly this prototype (a stable, shipping
 * ABI: xenserver-next/xen, branch 4.20-scm-claim-pages, tools/include/
 * xenctrl.h): XENMEM_claim_pages with mem_flags = XENMEMF_exact_node(node),
 * node ~0U meaning host-wide. meminit refers to it weakly (claim.c): a NULL
 * address means the linked libxenctrl does not have it. A header that
 * declares it too must declare the same prototype, or the build fails,
 * which is the point.
 *
 * The claim-set call (xc_domain_claim_memory) is NOT declared here: its
 * prototype changed between postings, so meminit uses it only as the
 * installed <xenctrl.h> declares it (scripts/claim-abi, claim_abi.h).
 */
#ifndef MEMINIT_XEN_ABI_H
#define MEMINIT_XEN_ABI_H

#include <xenctrl.h>

#define XC_CLAIM_NODE_GLOBAL  (~0u)   /* node argument: host-wide claim */

int xc_domain_claim_pages_node(xc_interface *xch, uint32_t domid,
                               unsigned int node, unsigned long nr_pages);

#endif /* MEMINIT_XEN_ABI_H */
