/*
 * memmap.c - the MMIO hole and the e820 of HVM and PVH guests.
 *
 * The order of the steps is XenServer's and it matters: the hole is sized
 * first (from the devices' BARs and -vgpu), RAM is split around it, then
 * reserved device memory pulls lowmem_end down (and the hole with it), and
 * only then is the VRAM window looked for, among everything already placed.
 */
#include <errno.h>
#include <stdlib.h>

#include "memmap.h"

#define MiB(x)      ((uint64_t)(x) << 20)
#define GiB4        (1ull << 32)
#define PAGE_MASK4K (~0xfffull)

static int too_many(struct meminit_error *e)
{
    return meminit_error_set(e, "memmap", EINVAL, "more than %u e820 "
                             "entries", E820MAX);
}

static int add(struct xg_memmap *m, uint64_t addr, uint64_t size,
               uint32_t type, struct meminit_error *e)
{
    if ( !size )
        return 0;
    if ( m->nr == E820MAX )
        return too_many(e);
    m->e820[m->nr++] = (struct e820entry){ .addr = addr, .size = size,
                                           .type = type };
    return 0;
}

uint64_t xg_memmap_hole_size(const struct xg_memmap_req *req)
{
    uint64_t size = XG_MMIO_HOLE_MIN, total = XG_MMIO_HOLE_MIN;
    bool mxgpu = false;
    unsigned int i;

    if ( req->pvh )
        return size;
    for ( i = 0; i < req->nr_dev; i++ )
    {
        total += req->dev[i].bar_bytes;
        mxgpu |= req->dev[i].mxgpu;
    }
    if ( req->vgpu )
    {
        /* NVIDIA's drivers want 32-bit BARs: room for them first. */
        total += size;
        size <<= 1;
    }
    while ( size < total && size < XG_MMIO_HOLE_MAX )
        size <<= 1;
    /* MxGPU S7150x2 bridges misbehave unless no RAM is below 2 GiB... */
    if ( mxgpu && size < XG_MMIO_HOLE_MAX )
        size = XG_MMIO_HOLE_MAX;
    return size;
}

/* RAM below and above 4 GiB around a hole of mmio_size bytes. */
static void split(const struct xg_memmap_req *req, struct xg_memmap *m)
{
    uint64_t mem = MiB(req->mem_mib);

    m->mmio_start = GiB4 - m->mmio_size;
    m->lowmem_end = mem;
    m->highmem_end = 0;
    if ( mem > m->mmio_start )
    {
        m->lowmem_end = m->mmio_start;
        m->highmem_end = GiB4 + mem - m->mmio_start;
    }
}

/* One reserved device memory range: list it; below lowmem_end, cut. */
static int rdm_one(struct xg_memmap *m, const struct xg_pt_dev *d,
                   const struct xg_range *r, uint64_t *moved,
                   struct meminit_error *e)
{
    uint64_t end = r->start + r->size;

    if ( r->start < MiB(1) && end > MiB(1) )
        return meminit_error_set(e, "memmap", EINVAL, "reserved memory "
                                 "[%#llx, %#llx) of %04x:%02x:%02x.%x "
                                 "straddles 1 MiB",
                                 (unsigned long long)r->start,
                                 (unsigned long long)end, d->sbdf.seg,
                                 d->sbdf.bus, d->sbdf.dev, d->sbdf.func);
    if ( r->start >= MiB(1) && r->start < m->lowmem_end )
    {
        *moved += m->lowmem_end - r->start;
        m->lowmem_end = r->start;
    }
    return add(m, r->start, r->size, E820_RESERVED, e);
}

/* Reserved ranges above 4 GiB must not overlap the RAM there. */
static int rdm_check_high(const struct xg_memmap *m, unsigned int from,
                          struct meminit_error *e)
{
    unsigned int i;

    for ( i = from; i < m->nr; i++ )
    {
        const struct e820entry *r = &m->e820[i];

        if ( r->addr < m->highmem_end && r->addr + r->size > GiB4 )
            return meminit_error_set(e, "memmap", EINVAL, "reserved memory "
                                     "[%#llx, %#llx) overlaps guest RAM "
                                     "above 4 GiB (up to %#llx)",
                                     (unsigned long long)r->addr,
                                     (unsigned long long)(r->addr + r->size),
                                     (unsigned long long)m->highmem_end);
    }
    return 0;
}

static int rdm_all(const struct xg_memmap_req *req, struct xg_memmap *m,
                   struct meminit_error *e)
{
    unsigned int i, j, first = m->nr;
    uint64_t moved = 0;
    int rc = 0;

    for ( i = 0; !rc && i < req->nr_dev; i++ )
        for ( j = 0; !rc && j < req->dev[i].nr_rdm; j++ )
            rc = rdm_one(m, &req->dev[i], &req->dev[i].rdm[j], &moved, e);
    if ( rc )
        return rc;
    if ( m->lowmem_end < MiB(2) )
        return meminit_error_set(e, "memmap", EINVAL, "%llu KiB of RAM "
                                 "below 4 GiB: hvmloader needs 2 MiB",
                                 (unsigned long long)m->lowmem_end >> 10);
    if ( moved )
        m->highmem_end = (m->highmem_end ? m->highmem_end : GiB4) + moved;
    m->mmio_size += moved;
    m->mmio_start -= moved;
    return rdm_check_high(m, first, e);
}

static bool overlaps(const struct xg_memmap *m, uint64_t addr, uint64_t size)
{
    unsigned int i;

    for ( i = 0; i < m->nr; i++ )
        if ( addr < m->e820[i].addr + m->e820[i].size &&
             m->e820[i].addr < addr + size )
            return true;
    return false;
}

/* vGPU: 16 MiB for the VRAM, stepping down from 0xfb000000 in the hole. */
static int vram(struct xg_memmap *m, struct meminit_error *e)
{
    uint64_t addr = XG_VRAM_TOP;

    while ( addr >= m->mmio_start && overlaps(m, addr, XG_VRAM_SIZE) )
        addr -= XG_VRAM_SIZE;
    if ( addr < m->mmio_start )
        return meminit_error_set(e, "memmap", EINVAL, "no free 16 MiB for "
                                 "the vGPU VRAM in the MMIO hole %#llx+%#llx",
                                 (unsigned long long)m->mmio_start,
                                 (unsigned long long)m->mmio_size);
    m->vram_addr = addr;
    m->vram_size = XG_VRAM_SIZE;
    return add(m, addr, XG_VRAM_SIZE, E820_RESERVED, e);
}

/* The page-aligned span of an ACPI range. */
static struct xg_range acpi_span(const struct xg_range *r)
{
    uint64_t start = r->start & PAGE_MASK4K;
    uint64_t end = (r->start + r->size + 0xfff) & PAGE_MASK4K;

    return (struct xg_range){ start, end - start };
}

/* PVH: RAM [0, lowmem_end) with the ACPI pages cut out, and the ACPI. */
static int pvh_low(const struct xg_memmap_req *req, struct xg_memmap *m,
                   struct meminit_error *e)
{
    uint64_t at = 0;
    unsigned int i;
    int rc = 0;

    for ( i = 0; !rc && i < req->nr_acpi; i++ )
    {
        struct xg_range a = acpi_span(&req->acpi[i]);

        if ( a.start >= at && a.start < m->lowmem_end )
        {
            rc = add(m, at, a.start - at, E820_RAM, e);
            at = a.start + a.size;
        }
        if ( !rc )
            rc = add(m, a.start, a.size, E820_ACPI, e);
    }
    if ( !rc && at < m->lowmem_end )
        rc = add(m, at, m->lowmem_end - at, E820_RAM, e);
    return rc;
}

static int by_addr(const void *a, const void *b)
{
    const struct e820entry *x = a, *y = b;

    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int finish(struct xg_memmap *m, struct meminit_error *e)
{
    unsigned int i;

    qsort(m->e820, m->nr, sizeof(m->e820[0]), by_addr);
    for ( i = 1; i < m->nr; i++ )
        if ( m->e820[i].addr < m->e820[i - 1].addr + m->e820[i - 1].size )
            return meminit_error_set(e, "memmap", EINVAL, "e820 entries "
                                     "[%#llx, +%#llx) and [%#llx, +%#llx) "
                                     "overlap",
                                     (unsigned long long)m->e820[i - 1].addr,
                                     (unsigned long long)m->e820[i - 1].size,
                                     (unsigned long long)m->e820[i].addr,
                                     (unsigned long long)m->e820[i].size);
    return 0;
}

int xg_memmap_build(const struct xg_memmap_req *req, struct xg_memmap *m,
                    struct meminit_error *e)
{
    int rc;

    *m = (struct xg_memmap){ .mmio_size = xg_memmap_hole_size(req) };
    if ( !req->mem_mib )
        return meminit_error_set(e, "memmap", EINVAL, "the guest has no "
                                 "memory");
    split(req, m);
    if ( req->pvh )
        rc = pvh_low(req, m, e);
    else
        rc = rdm_all(req, m, e);
    if ( !rc && !req->pvh )
        rc = add(m, MiB(1), m->lowmem_end - MiB(1), E820_RAM, e);
    if ( !rc && m->highmem_end )
        rc = add(m, GiB4, m->highmem_end - GiB4, E820_RAM, e);
    if ( !rc && req->vgpu )
        rc = vram(m, e);
    return rc ? rc : finish(m, e);
}
