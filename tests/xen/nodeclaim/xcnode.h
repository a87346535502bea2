/*
 * tests/xen/nodeclaim/xcnode.h: XenServer 9's single-node claim call for
 * Debian's Xen 4.17 libxenctrl, which lacks it (node-claim TEST FIXTURE,
 * not part of the product).
 *
 * Contract: xc_domain_claim_pages_node() is declared in meminit/xen_abi.h
 * (the project's one prototype); libxcnode.so defines it as XenServer 9's
 * libxenctrl does: XENMEM_claim_pages with mem_flags =
 * XENMEMF_exact_node(node); node XC_CLAIM_NODE_GLOBAL is the host-wide
 * xc_domain_claim_pages(); node >= 0xFF fails with ERANGE before any
 * hypercall (XENMEMF_node() cannot encode it). Returns 0, or -1 with errno
 * as the hypervisor answered (ENOMEM, ENOENT, EINVAL, ...). nr_pages is the
 * domain's total as with xc_domain_claim_pages(): 0 cancels.
 */
#ifndef XCNODE_H
#define XCNODE_H

#include <stdint.h>

#include "xen_abi.h"

/* XENMEM_claim_pages with these mem_flags, exactly: the hypervisor's own
 * answer for any flags (bad-node checks). 0 or -1 with errno. */
int xcnode_claim_raw(uint32_t domid, unsigned int mem_flags,
                     unsigned long nr_pages);

#endif /* XCNODE_H */
