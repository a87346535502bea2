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

#include "policy.h"
#include "topology.h"

/* The reads below record a failure in `err` (NULL: a refresh, which goes
 * on with the old figures and records nothing). */
static int read_physinfo(struct mi_ctx *c, unsigned int *nr_nodes,
                         struct meminit_error *err)
{
    xc_physinfo_t pi = { 0 };
    uint64_t t0 = mi_call_begin();
    int rc = xc_physinfo(c->req->xch, &pi);

    mi_call_end(c, t0, rc);
    if ( rc < 0 )
        return meminit_error_set(err, "topology", mi_errno(),
                                 "xc_physinfo: %s", strerror(mi_errno()));
    if ( pi.max_node_id >= MEMINIT_MAX_NODES )
        return meminit_error_set(err, "topology", E2BIG, "host has %u "
                                 "nodes, at most %u supported",
                                 pi.max_node_id + 1, MEMINIT_MAX_NODES);
    *nr_nodes = pi.max_node_id + 1;
    c->topo.host_free = pi.free_pages;
    c->topo.host_claimed = pi.outstanding_pages;
    return 0;
}

static int read_numainfo(struct mi_ctx *c, unsigned int nr,
                         struct meminit_error *err)
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
        rc = meminit_error_set(err, "topology",
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
    int rc = read_physinfo(c, &nr, c->err);

    if ( !rc )
        rc = read_numainfo(c, nr, c->err);
    if ( !rc )
        c->st->nr_nodes = c->topo.nr_nodes;
    return rc;
}

/*
 * Free figures are a snapshot: other builders allocate and claim while we
 * work. Re-read them (host and nodes) before deciding on them again. A
 * failed read keeps the old figures; the caller goes on with those.
 */
int topology_refresh_nodes(struct mi_ctx *c)
{
    struct mi_topology saved = c->topo;
    int rc = read_numainfo(c, c->topo.nr_nodes, NULL);

    if ( rc )
        c->topo = saved;
    return rc;
}

int topology_refresh(struct mi_ctx *c)
{
    struct mi_topology saved = c->topo;
    unsigned int nr = 0;
    int rc = read_physinfo(c, &nr, NULL);

    /* physinfo's max_node_id is MAX_NUMNODES - 1 on Xen 4.17 (sysctl.c),
     * an upper bound: numainfo says how many nodes there are. */
    if ( !rc && nr >= saved.nr_nodes )
        rc = read_numainfo(c, nr, NULL);
    if ( rc || nr < saved.nr_nodes || c->topo.nr_nodes != saved.nr_nodes )
    {
        c->topo = saved;
        return rc ? rc : -EPROTO;
    }
    return 0;
}

/*
 * Which of a and b to ask first: a node of the domain's node affinity
 * before any other (Xen's own allocator exhausts the affinity mask before
 * it leaves it, and the toolstack set that mask for a reason); then nearer;
 * at equal distance, more free memory.
 */
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

void topology_order(const struct mi_topology *t, unsigned int pnode,
                    uint64_t mask, unsigned int *order, unsigned int *nr)
{
    unsigned int i, j, n = 0;

    order[n++] = pnode;
    for ( i = 0; i < t->nr_nodes; i++ )
    {
        if ( i == pnode || t->size[i] == 0 )
            continue;
        /* Insertion sort: at most MEMINIT_MAX_NODES entries. */
        for ( j = n; j > 1 && before(t, pnode, mask, i, order[j - 1]); j-- )
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

/*
 * Where our own placement looks: the domain's node affinity within the
 * policy's set when they meet, else the set (every node with memory when
 * the policy names none). `affinity` says which it was.
 */
static uint64_t place_mask(const struct mi_ctx *c, bool *affinity)
{
    uint64_t both = c->affinity & c->set;

    *affinity = both != 0;
    return both ? both : c->set;
}

static void choose(struct mi_ctx *c)
{
    struct meminit_stats *st = c->st;
    bool fits, aff;
    uint64_t mask = place_mask(c, &aff);

    st->pnode = topology_best_fit(&c->topo, mi_need(c), mask, &fits);
    if ( aff )
        st->pnode_reason = MEMINIT_PNODE_AFFINITY;
    else
        st->pnode_reason = fits ? MEMINIT_PNODE_BEST_FIT
                                : MEMINIT_PNODE_MOST_FREE;
}

/*
 * The fallback order from pnode: the nodes our placement looks at first,
 * then the others by distance; for strict and interleave only the set's.
 */
static void order_from(struct mi_ctx *c, unsigned int pnode)
{
    bool aff;
    uint64_t first = c->req->policy.nodes || c->affinity
                     ? place_mask(c, &aff) : 0;
    unsigned int i, n = 0;

    topology_order(&c->topo, pnode, first, c->order, &c->nr_order);
    for ( i = 0; i < c->nr_order; i++ )
        if ( c->allowed & (1ull << c->order[i]) )
            c->order[n++] = c->order[i];
    c->nr_order = n;
}

/* Interleave: the set's nodes in numeric order, no preferred node. */
static void interleave(struct mi_ctx *c)
{
    unsigned int i;

    c->st->pnode_reason = MEMINIT_PNODE_INTERLEAVE;
    c->nr_order = 0;
    for ( i = 0; i < c->topo.nr_nodes; i++ )
        if ( c->set & (1ull << i) )
            c->order[c->nr_order++] = i;
    policy_shares(c, mi_need(c), c->share);
}

int topology_place(struct mi_ctx *c)
{
    const struct meminit_policy *pol = &c->req->policy;
    struct meminit_stats *st = c->st;
    bool pinned;
    int rc = check_vnuma_nodes(c, &pinned);

    st->pnode = MEMINIT_NO_NODE;
    rc = rc ? rc : policy_prepare(c);
    if ( rc )
        return rc;
    if ( pol->mode == MEMINIT_POLICY_OFF )
        st->pnode_reason = MEMINIT_PNODE_OFF;
    else if ( pol->mode == MEMINIT_POLICY_INTERLEAVE && !pinned )
        interleave(c);
    else if ( pol->pnode != MEMINIT_NO_NODE )
    {
        rc = check_node(c, pol->pnode, "node");
        st->pnode = pol->pnode;
        st->pnode_reason = MEMINIT_PNODE_GIVEN;
    }
    else if ( pinned )
        st->pnode_reason = MEMINIT_PNODE_VNUMA;
    else
        choose(c);
    if ( !rc && st->pnode != MEMINIT_NO_NODE )
        order_from(c, st->pnode);
    return rc;
}

/* Our own choices may move; the caller's (-mem_pnode, vNUMA) may not. */
bool topology_ours(const struct mi_ctx *c)
{
    enum meminit_pnode_reason r = c->st->pnode_reason;

    return r == MEMINIT_PNODE_BEST_FIT || r == MEMINIT_PNODE_MOST_FREE ||
           r == MEMINIT_PNODE_AFFINITY;
}

/*
 * The preferred node turned out to be claimed by other domains: move to
 * the next node that fits by fresh figures, skipping every node found so,
 * within the domain's node affinity if it names a subset. Returns 0 when
 * moved, 1 when no node fits any more.
 */
int topology_replace(struct mi_ctx *c)
{
    struct meminit_stats *st = c->st;
    bool aff;
    uint64_t mask = place_mask(c, &aff) & ~c->claimed_elsewhere;
    unsigned int from = st->pnode, node;
    bool fits;

    topology_refresh(c);
    node = topology_best_fit(&c->topo, mi_need(c), mask, &fits);
    if ( !fits )
        return 1;
    mi_log(c, MEMINIT_LOG_INFO, "placement: node %u is claimed by other "
           "domains, node %u fits", from, node);
    st->pnode = node;
    order_from(c, node);
    return 0;
}

uint64_t topology_distribute(const struct mi_ctx *c, uint64_t pages,
                             uint64_t *per_node)
{
    unsigned int i;

    if ( mi_mode(c, MEMINIT_POLICY_INTERLEAVE) )
        return policy_shares(c, pages, per_node);
    for ( i = 0; i < c->nr_order && pages; i++ )
    {
        unsigned int n = c->order[i];
        uint64_t take = c->topo.free[n] < pages ? c->topo.free[n] : pages;

        per_node[n] += take;
        pages -= take;
    }
    return pages;
}
