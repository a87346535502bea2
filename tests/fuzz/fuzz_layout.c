/*
 * fuzz_layout.c - meminit's pure planning code on requests and topologies
 * made from the input: layout_build() (guest type, sizes, PoD target, HVM
 * holes, vNUMA ranges), then topology_order(), topology_best_fit() and
 * topology_distribute() on a host of up to 64 nodes, also as interleave's
 * shares over a node set.
 *
 * Contract: the input is read front to back (struct fz_in: short inputs
 * read as zeros). Sizes come as page counts scaled by a shift byte, with an
 * optional misalignment, so that both realistic layouts and absurd ones
 * occur. vNUMA arrays are allocated at exactly their stated length.
 * A layout that is accepted must cover no hole, no frame twice, populate
 * something, add up to what the request says and keep each range's page
 * order cap; a rejected one must say why. The topology functions are
 * checked against the rules in topology.h: the preferred node first, then
 * by distance, ties by more free memory, memoryless nodes never; best fit
 * is the least free node that fits, else the most free.
 */
#include <errno.h>
#include <string.h>

#include "fuzz.h"
#include "layout.h"
#include "topology.h"

#define PFN_4G      (1ull << 20)

/* A size in bytes: pages << shift, plus a misalignment now and then. */
static uint64_t fz_size(struct fz_in *in)
{
    uint8_t mode = fz_u8(in);
    uint64_t v = (uint64_t)fz_u32(in) << ((mode >> 1) % 24);

    v <<= 12;
    if ( mode & 1 )
        v += fz_u16(in) & 0xfff;
    return mode == 0xff ? fz_u64(in) : v;
}

struct vnuma_buf {
    xen_vmemrange_t *ranges;
    unsigned int *v2p;
};

static void fill_vnuma(struct fz_in *in, struct meminit_request *req,
                       struct vnuma_buf *vb)
{
    unsigned int nr = fz_u8(in) % 200, nv = fz_u8(in) % 9, i;

    if ( !nr )
        return;
    vb->ranges = malloc(nr * sizeof(*vb->ranges));
    vb->v2p = nv ? malloc(nv * sizeof(*vb->v2p)) : NULL;
    if ( !vb->ranges || (nv && !vb->v2p) )
        return;
    for ( i = 0; i < nv; i++ )
        vb->v2p[i] = fz_u8(in) == 0xff ? XC_NUMA_NO_NODE : fz_u8(in) % 70;
    for ( i = 0; i < nr; i++ )
    {
        vb->ranges[i].start = fz_size(in);
        vb->ranges[i].end = vb->ranges[i].start + fz_size(in);
        vb->ranges[i].flags = 0;
        vb->ranges[i].nid = fz_u8(in) % (nv + 2);
    }
    req->vnuma = (struct meminit_vnuma){ nr, vb->ranges, nv, vb->v2p };
}

static void fill_request(struct fz_in *in, struct meminit_request *req,
                         struct vnuma_buf *vb)
{
    uint8_t flags = fz_u8(in);

    memset(req, 0, sizeof(*req));
    req->guest = flags & 1 ? MEMINIT_GUEST_HVM : MEMINIT_GUEST_PV;
    req->hvm.device_model = flags & 2;
    req->total_pages = fz_size(in) >> 12;
    req->target_pages = flags & 4 ? fz_size(in) >> 12 : 0;
    req->max_order = flags & 8 ? fz_u8(in) % 32 : 0;
    req->hvm.lowmem_end = fz_size(in);
    req->hvm.highmem_end = fz_size(in);
    req->hvm.mmio_start = fz_size(in);
    req->hvm.mmio_size = fz_size(in);
    req->policy.pnode = MEMINIT_NO_NODE;
    if ( flags & 16 )
        fill_vnuma(in, req, vb);
}

/* [a, b) and [c, d) overlap. */
static bool overlap(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    return a < d && c < b;
}

static void check_holes(const struct meminit_request *req,
                        const struct mi_range *r)
{
    const struct meminit_hvm_layout *h = &req->hvm;
    /* In 128 bits: a hole whose end wraps must still be seen whole. */
    unsigned __int128 mmio_end = (unsigned __int128)h->mmio_start +
                                 h->mmio_size;
    uint64_t hole_end = (uint64_t)(mmio_end >> 12);

    if ( req->guest != MEMINIT_GUEST_HVM )
        return;
    if ( h->device_model )
        FZ_CHECK(!overlap(r->start, r->end, MI_VGA_START, MI_VGA_END));
    if ( h->mmio_size )
        FZ_CHECK(!overlap(r->start, r->end, h->mmio_start >> 12, hole_end));
    if ( !req->vnuma.nr_ranges )
        FZ_CHECK(r->end <= h->lowmem_end >> 12 ||
                 (r->start >= PFN_4G && r->end <= h->highmem_end >> 12));
}

/* The vNUMA range a layout range came from, and its node. */
static void check_vnuma(const struct meminit_request *req,
                        const struct mi_range *r)
{
    const struct meminit_vnuma *v = &req->vnuma;
    unsigned int i, p;

    for ( i = 0; i < v->nr_ranges; i++ )
    {
        if ( r->start < v->ranges[i].start >> 12 ||
             r->end > v->ranges[i].end >> 12 )
            continue;
        p = v->vnode_to_pnode[v->ranges[i].nid];
        FZ_CHECK(r->pnode == (p == XC_NUMA_NO_NODE ? MEMINIT_NO_NODE : p));
        return;
    }
    FZ_CHECK(!"layout range outside every vNUMA range");
}

static unsigned int want_order(const struct meminit_request *req)
{
    if ( req->guest == MEMINIT_GUEST_HVM )
        return req->max_order ? req->max_order : 18;
    return req->max_order && req->max_order < 9 ? req->max_order : 9;
}

static void check_layout(const struct meminit_request *req,
                         const struct mi_layout *l)
{
    uint64_t pages = 0, p2m = 0;
    unsigned int i, j;

    FZ_CHECK(l->nr <= MI_MAX_RANGES);
    for ( i = 0; i < l->nr; i++ )
    {
        const struct mi_range *r = &l->r[i];

        FZ_CHECK(r->start < r->end);
        FZ_CHECK(r->max_order == want_order(req));
        pages += r->end - r->start;
        p2m = r->end > p2m ? r->end : p2m;
        for ( j = 0; j < i; j++ )
            FZ_CHECK(!overlap(r->start, r->end, l->r[j].start, l->r[j].end));
        check_holes(req, r);
        if ( req->vnuma.nr_ranges )
            check_vnuma(req, r);
        else
            FZ_CHECK(r->pnode == MEMINIT_NO_NODE);
    }
    FZ_CHECK(pages == l->pages && p2m == l->p2m_size);
    FZ_CHECK(l->pages <= req->total_pages);
    /* A guest whose RAM all falls in holes is a bad request, not a build
     * of nothing. */
    FZ_CHECK(l->pages > 0);
    if ( req->guest == MEMINIT_GUEST_PV )
        FZ_CHECK(l->pages == req->total_pages);
    FZ_CHECK(!l->pod || (req->guest == MEMINIT_GUEST_HVM &&
                         !req->vnuma.nr_ranges && req->target_pages &&
                         req->target_pages < req->total_pages &&
                         l->pod_target <= req->target_pages));
}

/* The ranges the caller gave add up to total_pages, as layout.h says. */
static void check_total(const struct meminit_request *req)
{
    const struct meminit_hvm_layout *h = &req->hvm;
    uint64_t sum = 0;
    unsigned int i;

    if ( req->vnuma.nr_ranges )
        for ( i = 0; i < req->vnuma.nr_ranges; i++ )
            sum += (req->vnuma.ranges[i].end - req->vnuma.ranges[i].start) >>
                   12;
    else if ( req->guest == MEMINIT_GUEST_HVM )
        sum = (h->lowmem_end >> 12) + (h->highmem_end >> 12 > PFN_4G
                                       ? (h->highmem_end >> 12) - PFN_4G : 0);
    else
        sum = req->total_pages;
    FZ_CHECK(sum == req->total_pages);
}

static void fuzz_layout(struct fz_in *in)
{
    struct meminit_request req;
    struct vnuma_buf vb = { NULL, NULL };
    struct mi_layout *l = malloc(sizeof(*l));
    struct meminit_error err = { 0 };
    int rc;

    fill_request(in, &req, &vb);
    if ( l && (!req.vnuma.nr_ranges || (vb.ranges &&
                                        (vb.v2p || !req.vnuma.nr_vnodes))) )
    {
        rc = layout_build(&req, l, &err);
        if ( rc )
            FZ_CHECK(rc == -EINVAL && err.err == EINVAL && err.msg[0] &&
                     err.step && !strcmp(err.step, "layout"));
        else
            FZ_CHECK(!err.step);
        if ( !rc )
        {
            check_layout(&req, l);
            check_total(&req);
        }
    }
    free(l);
    free(vb.ranges);
    free(vb.v2p);
}

/* ---- topology ----------------------------------------------------------- */

static void fill_topology(struct fz_in *in, struct mi_topology *t)
{
    unsigned int i, j;

    memset(t, 0, sizeof(*t));
    t->nr_nodes = 1 + fz_u8(in) % MEMINIT_MAX_NODES;
    for ( i = 0; i < t->nr_nodes; i++ )
    {
        uint8_t b = fz_u8(in);

        t->size[i] = b < 32 ? 0 : (uint64_t)b << (fz_u8(in) % 40);
        t->free[i] = t->size[i] ? fz_u64(in) % (t->size[i] + 1) : 0;
        for ( j = 0; j < t->nr_nodes; j++ )
            t->dist[i][j] = i == j ? 10 : 10 + fz_u8(in) % 4 * 10;
    }
}

/* a sorts before b in the fallback order from `from`: the node affinity
 * mask first, then by distance, then by free memory. */
static bool before(const struct mi_topology *t, unsigned int from,
                   uint64_t mask, unsigned int a, unsigned int b)
{
    bool in_a = mask & (1ull << a), in_b = mask & (1ull << b);

    if ( in_a != in_b )
        return in_a;
    if ( t->dist[from][a] != t->dist[from][b] )
        return t->dist[from][a] < t->dist[from][b];
    if ( t->free[a] != t->free[b] )
        return t->free[a] > t->free[b];
    return a < b;
}

static void check_order(const struct mi_topology *t, unsigned int pnode,
                        uint64_t mask, const unsigned int *order,
                        unsigned int nr)
{
    uint64_t seen = 0;
    unsigned int i, want = 1;

    for ( i = 0; i < t->nr_nodes; i++ )
        want += i != pnode && t->size[i];
    FZ_CHECK(nr == want && order[0] == pnode);
    for ( i = 0; i < nr; i++ )
    {
        FZ_CHECK(order[i] < t->nr_nodes && !(seen & (1ull << order[i])));
        seen |= 1ull << order[i];
        FZ_CHECK(i == 0 || t->size[order[i]]);
        FZ_CHECK(i < 2 || before(t, pnode, mask, order[i - 1], order[i]));
    }
}

static void check_best_fit(const struct mi_topology *t, uint64_t pages,
                           uint64_t mask)
{
    unsigned int i, best = MEMINIT_NO_NODE, most = MEMINIT_NO_NODE, got;
    bool fits = true;

    for ( i = 0; i < t->nr_nodes; i++ )
    {
        if ( !t->size[i] || !(mask & (1ull << i)) )
            continue;
        if ( most == MEMINIT_NO_NODE || t->free[i] > t->free[most] )
            most = i;
        if ( t->free[i] >= pages &&
             (best == MEMINIT_NO_NODE || t->free[i] < t->free[best]) )
            best = i;
    }
    got = topology_best_fit(t, pages, mask, &fits);
    FZ_CHECK(fits == (best != MEMINIT_NO_NODE));
    FZ_CHECK(got == (fits ? best : most));
}

/*
 * Interleave's shares (water-filling): only the set's nodes; a node below
 * its free memory has at least the share of any other node less one page;
 * pages are left over only when every node of the set is full.
 */
static void check_shares(const struct mi_ctx *c, const uint64_t *per_node,
                         uint64_t rest)
{
    unsigned int a, b;

    for ( a = 0; a < MEMINIT_MAX_NODES; a++ )
    {
        if ( !(c->set & (1ull << a)) )
        {
            FZ_CHECK(per_node[a] == 0);
            continue;
        }
        FZ_CHECK(!rest || per_node[a] == c->topo.free[a]);
        for ( b = 0; per_node[a] < c->topo.free[a] && b < MEMINIT_MAX_NODES;
              b++ )
            FZ_CHECK(!(c->set & (1ull << b)) ||
                     per_node[b] <= per_node[a] + 1);
    }
}

static void check_distribute(struct mi_ctx *c, uint64_t pages)
{
    uint64_t per_node[MEMINIT_MAX_NODES] = { 0 }, sum = 0, rest;
    unsigned int i;

    rest = topology_distribute(c, pages, per_node);
    for ( i = 0; i < MEMINIT_MAX_NODES; i++ )
    {
        FZ_CHECK(per_node[i] <= c->topo.free[i]);
        sum += per_node[i];
    }
    FZ_CHECK(sum + rest == pages);
    if ( c->req->policy.mode == MEMINIT_POLICY_INTERLEAVE )
        return check_shares(c, per_node, rest);
    /* Greedy in order: a node gives only once those before it are empty. */
    for ( i = 1; i < c->nr_order; i++ )
        FZ_CHECK(!per_node[c->order[i]] ||
                 per_node[c->order[i - 1]] == c->topo.free[c->order[i - 1]]);
}

static void fuzz_topology(struct fz_in *in)
{
    struct mi_ctx *c = calloc(1, sizeof(*c));
    struct meminit_request req = { .policy.pnode = MEMINIT_NO_NODE };
    unsigned int pnode;
    uint64_t pages, mask;

    if ( !c )
        return;
    c->req = &req;
    fill_topology(in, &c->topo);
    pages = fz_u64(in);
    pages >>= fz_u8(in) % 64;
    check_best_fit(&c->topo, pages, fz_u64(in));
    check_best_fit(&c->topo, pages, ~0ull);
    pnode = fz_u8(in) % c->topo.nr_nodes;
    mask = fz_u8(in) & 1 ? fz_u64(in) : 0;
    if ( c->topo.size[pnode] )
    {
        topology_order(&c->topo, pnode, mask, c->order, &c->nr_order);
        check_order(&c->topo, pnode, mask, c->order, c->nr_order);
        check_distribute(c, pages);
        /* The same pages interleaved over a set (policy.c's shares). */
        req.policy.mode = MEMINIT_POLICY_INTERLEAVE;
        c->set = fz_u64(in);
        check_distribute(c, pages);
    }
    free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_in in = { data, size };

    fuzz_layout(&in);
    fuzz_topology(&in);
    return 0;
}
