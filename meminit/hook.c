/*
 * hook.c - meminit as libxenguest's dom->arch_hooks->meminit.
 *
 * libxenguest selects its x86 hooks in xc_dom_mem_init() and later calls
 * dom->arch_hooks->meminit(dom) with nothing but dom. The hook therefore
 * carries a copy of the stock hooks with our meminit in it, and finds its
 * own context from the arch_hooks pointer, which points into it.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "meminit.h"

#define hook_of(a) \
    ((struct meminit_hook *)((char *)(a) - offsetof(struct meminit_hook, arch)))

/* 32-bit PV needs XEN_DOMCTL_set_address_size, which only the stock hook
 * can issue in 4.17: leave such guests to it. */
static bool stock_only(const struct xc_dom_image *dom)
{
    return dom->container_type == XC_DOM_PV_CONTAINER &&
           strcmp(dom->guest_type, "xen-3.0-x86_64") != 0;
}

static void request_from_dom(struct meminit_request *req,
                             const struct xc_dom_image *dom)
{
    req->xch = dom->xch;
    req->domid = dom->guest_domid;
    req->total_pages = dom->total_pages;
    req->vnuma = (struct meminit_vnuma){
        .nr_ranges = dom->nr_vmemranges, .ranges = dom->vmemranges,
        .nr_vnodes = dom->nr_vnodes, .vnode_to_pnode = dom->vnode_to_pnode,
    };
    if ( dom->container_type == XC_DOM_HVM_CONTAINER )
    {
        req->guest = MEMINIT_GUEST_HVM;
        req->target_pages = dom->target_pages;
        req->hvm = (struct meminit_hvm_layout){
            .lowmem_end = dom->lowmem_end, .highmem_end = dom->highmem_end,
            .mmio_start = dom->mmio_start, .mmio_size = dom->mmio_size,
            .device_model = dom->device_model,
        };
    }
    else
        req->guest = MEMINIT_GUEST_PV;
}

static int hook_meminit(struct xc_dom_image *dom)
{
    struct meminit_hook *hook = hook_of(dom->arch_hooks);
    struct meminit_request req = hook->tmpl;
    uint64_t size;

    if ( stock_only(dom) )
        return hook->stock->meminit(dom);
    request_from_dom(&req, dom);
    size = meminit_p2m_size(&req);
    dom->p2m_size = size;
    if ( req.guest == MEMINIT_GUEST_PV && size )
    {
        dom->pv_p2m = xc_dom_malloc(dom, size * sizeof(*dom->pv_p2m));
        if ( !dom->pv_p2m )
            return hook->rc = meminit_error_set(hook->err, "meminit", ENOMEM,
                                                "no memory for a p2m of %llu "
                                                "frames",
                                                (unsigned long long)size);
        req.p2m = dom->pv_p2m;
    }
    hook->rc = meminit_build(&req, hook->stats, hook->err);
    if ( hook->rc )
        errno = -hook->rc;
    return hook->rc;
}

int meminit_hook_install(struct meminit_hook *hook, struct xc_dom_image *dom,
                         const struct meminit_request *tmpl,
                         struct meminit_stats *stats,
                         struct meminit_error *err)
{
    if ( !dom->arch_hooks || !dom->arch_hooks->meminit || !stats )
        return meminit_error_set(err, "meminit", EINVAL, "cannot install the "
                                 "meminit hook: %s", !stats ? "no stats"
                                 : "libxenguest selected no arch hooks");
    memset(hook, 0, sizeof(*hook));
    hook->stock = dom->arch_hooks;
    hook->arch = *dom->arch_hooks;
    hook->arch.meminit = hook_meminit;
    hook->tmpl = *tmpl;
    hook->stats = stats;
    hook->err = err;
    dom->arch_hooks = &hook->arch;
    return 0;
}
