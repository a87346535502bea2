/*
 * abi.c - which claim calls this libmeminit was built to make, and which
 * of them the libxenctrl of the running process provides.
 *
 * The host-wide claim is Xen 4.17's own and always linked. The per-node
 * calls are referred to weakly (claim.c, xen_abi.h): they are compiled in
 * everywhere, and present only where the hypervisor's libxenctrl has them
 * (XenServer's single-node claim; the claim sets proposed upstream). A
 * NULL address is the answer "not in this libxenctrl". This file reads the
 * same weak references and must follow claim.c when its binding changes.
 */
#include "meminit.h"
#include "xen_abi.h"

#pragma weak xc_domain_claim_pages_node
#pragma weak xc_domain_claim_memory

unsigned int meminit_claim_abis(unsigned int *linked)
{
    unsigned int have = MEMINIT_ABI_HOST;

    if ( xc_domain_claim_pages_node )
        have |= MEMINIT_ABI_NODE;
    if ( xc_domain_claim_memory )
        have |= MEMINIT_ABI_SET;
    if ( linked )
        *linked = have;
    return MEMINIT_ABI_HOST | MEMINIT_ABI_NODE | MEMINIT_ABI_SET;
}
