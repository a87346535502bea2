/*
 * topology.c - host NUMA topology, placement and fallback order.
 *
 * Xen falls back across nodes in numeric order, which on a 4-socket host can
 * send a guest's overflow to the farthest socket. We therefore never let Xen
 * choose: every request names a node (exact), and the order in which nodes
 * are asked is decided here, by distance from the preferred node.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "topology.h"

static int read_physinfo(struct mi_ctx *c, unsigned int *nr_nodes)
{
    xc_physinfo_t pi = { 0 };
    uint64_t t0 = mi_call_begin();
    int rc = xc_physinfo(c->req->xch, &pi);

    mi_call_end(c, t0, rc);
    if ( rc < 0 )
        return meminit_error_set(c->err, "topology", mi_errno(),
                                 "xc_physinfo: %s", strerror(mi_errno()));
    if ( pi.max_node_id >= MEMINIT_MAX_NODES )
        return meminit_error_set(c->err, "topology", E2BIG, "host has %u "
                                 "nodes, at most %u supported",
                                 pi.max_node_id + 1, MEMINIT_MAX_NODES);
    *nr_nodes = pi.max_node_id + 1;
    c->topo.host_free = pi.free_pages;
    c->topo.host_claimed = pi.outstanding_pages;
    return 0;
}

static int read_numainfo(struct mi_ctx *c, unsigned int nr)
{
    xc_meminfo_t *mem = calloc(nr, sizeof(*mem));
    uint32_t *dist = calloc((size_t)nr * nr, sizeof(*dist));
    unsigned int n = nr, i, j;
    uint64_t t0;
    int rc = -ENOMEM;

    if ( !mem || !dist )
        goto out;
    t0 = mi_call_begin();
    rc = xc_numainfo(c->req->xch, &n, mem, dist);
    mi_call_end(c, t0, rc);
    if ( rc < 0 || n > nr )
    {
        rc = meminit_error_set(c->err, "topology",
                               rc < 0 ? mi_errno() : EPROTO,
                               "xc_numainfo: %s", rc < 0 ? strerror(mi_errno())
                               : "more nodes than xc_physinfo said");
        goto out;
    }
    c->topo.nr_nodes = n;
    for ( i = 0; i < n; i++ )
    {
        bool online = mem[i].memsize != XEN_INVALID_MEM_SZ;

        c->topo.size[i] = online ? mem[i].memsize >> XC_PAGE_SHIFT : 0;
        c->topo.free[i] = online ? mem[i].memfree >> XC_PAGE_SHIFT : 0;
        for ( j = 0; j < n; j++ )
            c->topo.dist[i][j] = dist[i * n + j];
    }
 out:
    free(mem);
    free(dist);
    return rc;
}

int topology_read(struct mi_ctx *c)
{
    unsigned int nr = 0;
    int rc = read_physinfo(c, &nr);

    if ( !rc )
        rc = read_numainfo(c, nr);
    if ( !rc )
        c->st->nr_nodes = c->topo.nr_nodes;
    return rc;
}

/* Nearer first; at equal distance, more free memory first. */
static bool nearer(const struct mi_topology *t, unsigned int from,
                   unsigned int a, unsigned int b)
{
    if ( t->dist[from][a] != t->dist[from][b] )
        return t->dist[from][a] < t->dist[from][b];
    if ( t->free[a] != t->free[b] )
        return t->free[a] > t->free[b];
    return a < b;
}

void topology_order(const struct mi_topology *t, unsigned int pnode,
                    unsigned int *order, unsigned int *nr)
{
    unsigned int i, j, n = 0;

    order[n++] = pnode;
    for ( i = 0; i < t->nr_nodes; i++ )
    {
        if ( i == pnode || t->size[i] == 0 )
            continue;
        /* Insertion sort: at most MEMINIT_MAX_NODES entries. */
        for ( j = n; j > 1 && nearer(t, pnode, i, order[j - 1]); j-- )
            order[j] = order[j - 1];
        order[j] = i;
        n++;
    }
    *nr = n;
}

unsigned int topology_best_fit(const struct mi_topology *t, uint64_t pages,
                               uint64_t node_mask, bool *fits)
{
    unsigned int i, best = MEMINIT_NO_NODE, most = MEMINIT_NO_NODE;

    for ( i = 0; i < t->nr_nodes; i++ )
    {
        if ( t->size[i] == 0 || !(node_mask & (1ull << i)) )
            continue;
        if ( most == MEMINIT_NO_NODE || t->free[i] > t->free[most] )
            most = i;
        if ( t->free[i] >= pages &&
             (best == MEMINIT_NO_NODE || t->free[i] < t->free[best]) )
            best = i;
    }
    *fits = best != MEMINIT_NO_NODE;
    return *fits ? best : most;
}

/*
 * The domain's node affinity as a mask, 0 if it is all nodes or unknown,
 * or if there is no domain (a plan for DOMID_INVALID).
 */
static uint64_t affinity_mask(struct mi_ctx *c)
{
    uint8_t map[MEMINIT_MAX_NODES / 8] = { 0 };
    uint64_t mask = 0, all = 0, t0;
    unsigned int i;
    int rc;

    if ( !c->dom_read )
        return 0;
    t0 = mi_call_begin();
    rc = xc_domain_node_getaffinity(c->req->xch, c->req->domid, map);

    mi_call_end(c, t0, rc);
    if ( rc < 0 )
    {
        mi_log(c, MEMINIT_LOG_WARN, "node affinity unknown: %s",
               strerror(mi_errno()));
        return 0;
    }
    for ( i = 0; i < c->topo.nr_nodes; i++ )
    {
        if ( c->topo.size[i] == 0 )
            continue;
        all |= 1ull << i;
        if ( map[i / 8] & (1u << (i % 8)) )
            mask |= 1ull << i;
    }
    return (mask & all) == all ? 0 : mask & all;
}

static int check_node(struct mi_ctx *c, unsigned int node, const char *what)
{
    if ( node < c->topo.nr_nodes && c->topo.size[node] )
        return 0;
    return meminit_error_set(c->err, "placement", EINVAL, "%s %u is not a "
                             "node with memory on this host (nodes 0-%u)",
                             what, node, c->topo.nr_nodes - 1);
}

/* vNUMA-pinned ranges must name real nodes; true if every range is pinned. */
static int check_vnuma_nodes(struct mi_ctx *c, bool *all_pinned)
{
    unsigned int i;
    int rc;

    *all_pinned = c->layout.nr > 0;
    for ( i = 0; i < c->layout.nr; i++ )
    {
        if ( c->layout.r[i].pnode == MEMINIT_NO_NODE )
        {
            *all_pinned = false;
            continue;
        }
        rc = check_node(c, c->layout.r[i].pnode, "vNUMA node");
        if ( rc )
            return rc;
    }
    return 0;
}

static void choose(struct mi_ctx *c)
{
    struct meminit_stats *st = c->st;
    uint64_t mask = affinity_mask(c);
    bool fits;

    st->pnode = topology_best_fit(&c->topo, c->layout.pages,
                                  mask ? mask : ~0ull, &fits);
    if ( mask )
        st->pnode_reason = MEMINIT_PNODE_AFFINITY;
    else
        st->pnode_reason = fits ? MEMINIT_PNODE_BEST_FIT
                                : MEMINIT_PNODE_MOST_FREE;
}

int topology_place(struct mi_ctx *c)
{
    const struct meminit_request *req = c->req;
    struct meminit_stats *st = c->st;
    bool pinned;
    int rc = check_vnuma_nodes(c, &pinned);

    st->pnode = MEMINIT_NO_NODE;
    if ( rc )
        return rc;
    if ( c->layout.pod )
        st->pnode_reason = MEMINIT_PNODE_POD;
    else if ( req->pnode != MEMINIT_NO_NODE )
    {
        rc = check_node(c, req->pnode, "node");
        st->pnode = req->pnode;
        st->pnode_reason = MEMINIT_PNODE_GIVEN;
    }
    else if ( req->placement_off )
        st->pnode_reason = MEMINIT_PNODE_OFF;
    else if ( pinned )
        st->pnode_reason = MEMINIT_PNODE_VNUMA;
    else
        choose(c);
    if ( !rc && st->pnode != MEMINIT_NO_NODE )
        topology_order(&c->topo, st->pnode, c->order, &c->nr_order);
    return rc;
}

uint64_t topology_distribute(const struct mi_ctx *c, uint64_t pages,
                             uint64_t *per_node)
{
    unsigned int i;

    for ( i = 0; i < c->nr_order && pages; i++ )
    {
        unsigned int n = c->order[i];
        uint64_t take = c->topo.free[n] < pages ? c->topo.free[n] : pages;

        per_node[n] += take;
        pages -= take;
    }
    return pages;
}
