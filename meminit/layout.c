/*
 * layout.c - guest frame ranges for PV and HVM guests.
 *
 * The HVM map follows libxenguest's: RAM below the MMIO hole up to
 * lowmem_end, RAM from 4 GiB up to highmem_end, and with a device model the
 * legacy VGA window 0xa0000-0xbffff left empty for the emulator. Ranges are
 * cut around the holes here, once, so the populate loop only has to keep a
 * superpage inside its range.
 */
#include <errno.h>
#include <stdio.h>

#include "layout.h"

#define GIB4_GFN    (1ull << 20)
#define STEP        "layout"

struct hole {
    xen_pfn_t start;
    xen_pfn_t end;
};

static int add_range(struct mi_layout *l, xen_pfn_t start, xen_pfn_t end,
                     unsigned int pnode, unsigned int max_order)
{
    if ( start >= end )
        return 0;
    if ( l->nr == MI_MAX_RANGES )
        return -E2BIG;
    l->r[l->nr++] = (struct mi_range){ start, end, pnode, max_order };
    l->pages += end - start;
    if ( end > l->p2m_size )
        l->p2m_size = end;
    return 0;
}

/* Add [start, end) minus the holes (sorted, disjoint). */
static int add_cut(struct mi_layout *l, xen_pfn_t start, xen_pfn_t end,
                   unsigned int pnode, unsigned int max_order,
                   const struct hole *holes, unsigned int nr_holes)
{
    unsigned int i;
    int rc;

    for ( i = 0; i < nr_holes && start < end; i++ )
    {
        if ( holes[i].end <= start || holes[i].start >= end )
            continue;
        rc = add_range(l, start, holes[i].start > start ? holes[i].start
                                                       : start,
                       pnode, max_order);
        if ( rc )
            return rc;
        start = holes[i].end;
    }
    return add_range(l, start, end, pnode, max_order);
}

static int check_vnuma(const struct meminit_vnuma *v,
                       struct meminit_error *err)
{
    unsigned int i, j;

    if ( !v->ranges || !v->vnode_to_pnode || !v->nr_vnodes )
        return meminit_error_set(err, STEP, EINVAL,
                                 "vNUMA: ranges without a vnode map");
    for ( i = 0; i < v->nr_ranges; i++ )
    {
        const xen_vmemrange_t *r = &v->ranges[i];

        if ( r->start >= r->end || ((r->start | r->end) & 0xfff) )
            return meminit_error_set(err, STEP, EINVAL, "vNUMA range %u: "
                                     "[%#llx, %#llx) is empty or not page "
                                     "aligned", i,
                                     (unsigned long long)r->start,
                                     (unsigned long long)r->end);
        if ( r->nid >= v->nr_vnodes )
            return meminit_error_set(err, STEP, EINVAL,
                                     "vNUMA range %u: vnode %u of %u",
                                     i, r->nid, v->nr_vnodes);
        for ( j = 0; j < i; j++ )
            if ( r->start < v->ranges[j].end && v->ranges[j].start < r->end )
                return meminit_error_set(err, STEP, EINVAL,
                                         "vNUMA ranges %u and %u overlap",
                                         j, i);
    }
    return 0;
}

static unsigned int vnode_pnode(const struct meminit_vnuma *v,
                                unsigned int vnode)
{
    unsigned int p = v->vnode_to_pnode[vnode];

    return p == XC_NUMA_NO_NODE ? MEMINIT_NO_NODE : p;
}

/* The caller's ranges must add up to total_pages, as libxenguest insists. */
static int check_total(const struct meminit_request *req, uint64_t sum,
                       struct meminit_error *err)
{
    if ( sum == req->total_pages )
        return 0;
    return meminit_error_set(err, STEP, EINVAL, "memory ranges cover %llu "
                             "pages, the guest has %llu",
                             (unsigned long long)sum,
                             (unsigned long long)req->total_pages);
}

static int layout_vnuma(const struct meminit_request *req, struct mi_layout *l,
                        const struct hole *holes, unsigned int nr_holes,
                        unsigned int max_order, struct meminit_error *err)
{
    const struct meminit_vnuma *v = &req->vnuma;
    uint64_t sum = 0;
    unsigned int i;
    int rc = check_vnuma(v, err);

    for ( i = 0; !rc && i < v->nr_ranges; i++ )
    {
        sum += (v->ranges[i].end - v->ranges[i].start) >> XC_PAGE_SHIFT;
        rc = add_cut(l, v->ranges[i].start >> XC_PAGE_SHIFT,
                     v->ranges[i].end >> XC_PAGE_SHIFT,
                     vnode_pnode(v, v->ranges[i].nid), max_order,
                     holes, nr_holes);
    }
    if ( rc == -E2BIG )
        return meminit_error_set(err, STEP, EINVAL,
                                 "vNUMA: more than %u ranges", MI_MAX_RANGES);
    return rc ? rc : check_total(req, sum, err);
}

static int hvm_holes(const struct meminit_request *req, struct hole *holes,
                     struct meminit_error *err)
{
    const struct meminit_hvm_layout *h = &req->hvm;
    unsigned int n = 0;

    if ( h->lowmem_end == 0 || h->lowmem_end > (GIB4_GFN << XC_PAGE_SHIFT) ||
         (h->lowmem_end & 0xfff) || (h->highmem_end & 0xfff) ||
         (h->mmio_start & 0xfff) || (h->mmio_size & 0xfff) )
        return meminit_error_set(err, STEP, EINVAL, "HVM layout: lowmem_end "
                                 "%#llx, highmem_end %#llx, MMIO %#llx+%#llx "
                                 "is not a valid map",
                                 (unsigned long long)h->lowmem_end,
                                 (unsigned long long)h->highmem_end,
                                 (unsigned long long)h->mmio_start,
                                 (unsigned long long)h->mmio_size);
    /* The MMIO hole lies between the legacy first MiB and 4 GiB: the hole
     * list must stay sorted, and a hole at 0 would swallow the guest. */
    if ( h->mmio_size &&
         (h->mmio_start < (1ull << 20) || h->mmio_start + h->mmio_size <
          h->mmio_start || h->mmio_start + h->mmio_size > (1ull << 32)) )
        return meminit_error_set(err, STEP, EINVAL, "HVM layout: MMIO hole "
                                 "%#llx+%#llx is not between 1 MiB and 4 GiB",
                                 (unsigned long long)h->mmio_start,
                                 (unsigned long long)h->mmio_size);
    if ( h->device_model )
        holes[n++] = (struct hole){ MI_VGA_START, MI_VGA_END };
    if ( h->mmio_size )
        holes[n++] = (struct hole){ h->mmio_start >> XC_PAGE_SHIFT,
                                    (h->mmio_start + h->mmio_size)
                                    >> XC_PAGE_SHIFT };
    return (int)n;
}

static int layout_hvm(const struct meminit_request *req, struct mi_layout *l,
                      struct meminit_error *err)
{
    const struct meminit_hvm_layout *h = &req->hvm;
    struct hole holes[2];
    uint64_t low = h->lowmem_end >> XC_PAGE_SHIFT;
    uint64_t high = h->highmem_end >> XC_PAGE_SHIFT;
    unsigned int max_order = req->max_order ? req->max_order
                                            : MEMINIT_ORDER_1G;
    int nr_holes = hvm_holes(req, holes, err);
    int rc;

    if ( nr_holes < 0 )
        return nr_holes;
    if ( req->vnuma.nr_ranges )
        return layout_vnuma(req, l, holes, (unsigned int)nr_holes, max_order,
                            err);
    rc = add_cut(l, 0, low, MEMINIT_NO_NODE, max_order, holes,
                 (unsigned int)nr_holes);
    if ( !rc && high > GIB4_GFN )
        rc = add_cut(l, GIB4_GFN, high, MEMINIT_NO_NODE, max_order, holes,
                     (unsigned int)nr_holes);
    if ( rc )
        return rc;
    return check_total(req, low + (high > GIB4_GFN ? high - GIB4_GFN : 0),
                       err);
}

static int layout_pv(const struct meminit_request *req, struct mi_layout *l,
                     struct meminit_error *err)
{
    unsigned int max_order = req->max_order &&
                             req->max_order < MEMINIT_ORDER_2M
                             ? req->max_order : MEMINIT_ORDER_2M;

    if ( req->vnuma.nr_ranges )
        return layout_vnuma(req, l, NULL, 0, max_order, err);
    return add_range(l, 0, req->total_pages, MEMINIT_NO_NODE, max_order);
}

static int check_pod(const struct meminit_request *req, struct mi_layout *l,
                     struct meminit_error *err)
{
    uint64_t target = req->target_pages ? req->target_pages
                                        : req->total_pages;
    uint64_t hole = req->hvm.device_model ? MI_VGA_END - MI_VGA_START : 0;

    if ( target > req->total_pages || target <= hole )
        return meminit_error_set(err, STEP, EINVAL, "target of %llu pages is "
                                 "outside (%llu, %llu]",
                                 (unsigned long long)target,
                                 (unsigned long long)hole,
                                 (unsigned long long)req->total_pages);
    if ( target == req->total_pages )
        return 0;
    if ( req->guest != MEMINIT_GUEST_HVM || req->vnuma.nr_ranges )
        return meminit_error_set(err, STEP, EINVAL, "populate-on-demand "
                                 "needs an HVM guest without vNUMA");
    l->pod = true;
    l->pod_target = target - hole;
    return 0;
}

int layout_build(const struct meminit_request *req, struct mi_layout *l,
                 struct meminit_error *err)
{
    int rc;

    *l = (struct mi_layout){ 0 };
    if ( req->total_pages == 0 )
        return meminit_error_set(err, STEP, EINVAL,
                                 "the guest has no memory");
    rc = check_pod(req, l, err);
    if ( rc )
        return rc;
    rc = req->guest == MEMINIT_GUEST_HVM ? layout_hvm(req, l, err)
                                         : layout_pv(req, l, err);
    if ( rc == -E2BIG )
        return meminit_error_set(err, STEP, EINVAL,
                                 "more than %u memory ranges", MI_MAX_RANGES);
    if ( !rc && l->pages == 0 )
        return meminit_error_set(err, STEP, EINVAL,
                                 "the holes leave nothing to populate");
    return rc;
}
