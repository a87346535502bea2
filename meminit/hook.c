/*
 * hook.c - meminit as libxenguest's dom->arch_hooks->meminit.
 *
 * libxenguest selects its x86 hooks in xc_dom_mem_init() and later calls
 * dom->arch_hooks->meminit(dom) with nothing but dom. The hook therefore
 * carries a copy of the stock hooks with our meminit in it, and finds its
 * own context from the arch_hooks pointer, which points into it.
 *
 * 32-bit PV guests go to the stock hook (stock_only()). It claims only when
 * dom->claim_enabled is set, which nothing else in the build sets, so it is
 * set here unless the domain already holds a claim (a second claim is
 * EINVAL) or claims are off; the stock hook cancels its claim on success
 * only, so the claim is cancelled here on every path, and the stats say
 * what happened: the stock hook, its claim, no node chosen.
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

/* The domain's claim now, or -errno. */
static int outstanding(const struct xc_dom_image *dom, uint64_t *pages)
{
    xc_domaininfo_t info = { 0 };
    int rc = xc_domain_getinfolist(dom->xch, dom->guest_domid, 1, &info);

    if ( rc != 1 || info.domain != dom->guest_domid )
        return rc < 0 ? -(errno ? errno : EIO) : -ESRCH;
    *pages = info.outstanding_pages;
    return 0;
}

/* libxenguest's own meminit, with its claim switched on and cancelled. */
static int hook_stock(struct meminit_hook *hook, struct xc_dom_image *dom)
{
    struct meminit_stats *st = hook->stats;
    uint64_t found = 0;
    int err, rc = outstanding(dom, &found);

    memset(st, 0, sizeof(*st));
    st->pnode = MEMINIT_NO_NODE;
    st->pnode_reason = MEMINIT_PNODE_STOCK;
    if ( rc )
        return hook->rc = meminit_error_set(hook->err, "domain", -rc,
                                            "domain %u: %s", dom->guest_domid,
                                            strerror(-rc));
    dom->claim_enabled = !found && hook->tmpl.claim != MEMINIT_CLAIM_OFF;
    st->claim_kind = found ? MEMINIT_CLAIMED_EXISTING : dom->claim_enabled
                     ? MEMINIT_CLAIMED_HOST : MEMINIT_CLAIMED_NONE;
    st->claim_pages = found ? found : dom->claim_enabled ? dom->total_pages
                                                         : 0;
    errno = 0;
    rc = hook->stock->meminit(dom);
    err = errno ? errno : EIO;
    if ( rc )
        meminit_error_set(hook->err, "meminit", err, "libxenguest's meminit "
                          "(32-bit PV): %s", strerror(err));
    xc_domain_claim_pages(dom->xch, dom->guest_domid, 0);
    if ( outstanding(dom, &st->claim_left) )
        st->claim_left = st->claim_pages;
    return hook->rc = rc ? -err : 0;
}

static int hook_meminit(struct xc_dom_image *dom)
{
    struct meminit_hook *hook = hook_of(dom->arch_hooks);
    struct meminit_request req = hook->tmpl;
    uint64_t size;

    if ( stock_only(dom) )
        return hook_stock(hook, dom);
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
