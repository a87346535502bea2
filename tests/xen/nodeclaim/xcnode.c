/*
 * tests/xen/nodeclaim/xcnode.c: xc_domain_claim_pages_node() for Xen 4.17
 * (node-claim TEST FIXTURE; see xcnode.h for the contract).
 *
 * Built as libxcnode.so and preloaded (LD_PRELOAD) into the shipped
 * build/xenguest: meminit refers to xc_domain_claim_pages_node weakly
 * (meminit/claim.c), so the dynamic linker binds that reference to this
 * definition, as it would to XenServer 9's libxenctrl. libxenctrl 4.17 has
 * no public way to issue XENMEM_claim_pages with mem_flags, so the call goes
 * through libxencall (privcmd) with a hypercall-safe buffer of its own.
 */
#include <errno.h>
#include <string.h>

#include <xencall.h>
#include <xenctrl.h>

#include "xcnode.h"

int xcnode_claim_raw(uint32_t domid, unsigned int mem_flags,
                     unsigned long nr_pages)
{
    xencall_handle *xcall = xencall_open(NULL, 0);
    struct xen_memory_reservation *r;
    int rc, err;

    if ( !xcall )
        return -1;
    r = xencall_alloc_buffer(xcall, sizeof(*r));
    if ( !r )
    {
        err = errno;
        xencall_close(xcall);
        errno = err;
        return -1;
    }
    memset(r, 0, sizeof(*r));               /* extent_start: NULL */
    r->nr_extents = nr_pages;
    r->extent_order = 0;
    r->mem_flags = mem_flags;
    r->domid = domid;
    rc = xencall2(xcall, __HYPERVISOR_memory_op, XENMEM_claim_pages,
                  (uint64_t)(uintptr_t)r);
    err = errno;
    xencall_free_buffer(xcall, r);
    xencall_close(xcall);
    errno = err;
    return rc < 0 ? -1 : 0;
}

int xc_domain_claim_pages_node(xc_interface *xch, uint32_t domid,
                               unsigned int node, unsigned long nr_pages)
{
    if ( node == XC_CLAIM_NODE_GLOBAL )
        return xc_domain_claim_pages(xch, domid, nr_pages);
    if ( node >= 0xFF )
    {
        errno = ERANGE;
        return -1;
    }
    return xcnode_claim_raw(domid, XENMEMF_exact_node(node), nr_pages);
}
