/*
 * affinity.c - the domain's node affinity.
 *
 * meminit names a node in every request it makes, so the node affinity
 * does not steer meminit itself. It steers everything else that allocates
 * for the domain without naming a node: the PoD cache (allocated by the
 * PoD target call), libxenguest's special pages, ACPI tables and magic
 * frames after meminit returns, the device model's video RAM, and the
 * guest's own balloon-up later. Left at "all nodes", Xen spreads those
 * round-robin from the node after the last one it used, which after a
 * build on node N is node N+1. So once meminit knows which nodes hold the
 * guest, it says so, and leaves it so.
 */
#include <errno.h>
#include <string.h>

#include "affinity.h"

/* Nodes with memory on this host, as a mask. */
static uint64_t nodes_with_memory(const struct mi_ctx *c)
{
    uint64_t all = 0;
    unsigned int i;

    for ( i = 0; i < c->topo.nr_nodes; i++ )
        if ( c->topo.size[i] )
            all |= 1ull << i;
    return all;
}

void affinity_read(struct mi_ctx *c)
{
    uint8_t map[MEMINIT_MAX_NODES / 8] = { 0 };
    uint64_t mask = 0, all = nodes_with_memory(c), t0 = mi_call_begin();
    unsigned int i;
    int rc = xc_domain_node_getaffinity(c->req->xch, c->req->domid, map);

    mi_call_end(c, t0, rc);
    c->affinity = 0;
    if ( rc < 0 )
    {
        mi_log(c, MEMINIT_LOG_WARN, "node affinity unknown: %s",
               strerror(mi_errno()));
        return;
    }
    for ( i = 0; i < c->topo.nr_nodes; i++ )
        if ( map[i / 8] & (1u << (i % 8)) )
            mask |= 1ull << i;
    mask &= all;
    c->affinity = mask == all ? 0 : mask;
}

int affinity_set(struct mi_ctx *c, uint64_t mask)
{
    uint8_t map[MEMINIT_MAX_NODES / 8] = { 0 };
    unsigned int i;
    uint64_t t0;
    int rc;

    if ( !mask || mask == c->st->node_affinity )
        return 0;
    for ( i = 0; i < MEMINIT_MAX_NODES; i++ )
        if ( mask & (1ull << i) )
            map[i / 8] |= (uint8_t)(1u << (i % 8));
    t0 = mi_call_begin();
    rc = xc_domain_node_setaffinity(c->req->xch, c->req->domid, map);
    mi_call_end(c, t0, rc);
    if ( rc < 0 )
    {
        mi_log(c, MEMINIT_LOG_WARN, "setting the node affinity to %#llx "
               "failed: %s", (unsigned long long)mask, strerror(mi_errno()));
        return 0;
    }
    c->st->node_affinity = mask;
    mi_log(c, MEMINIT_LOG_INFO, "node affinity: %#llx",
           (unsigned long long)mask);
    return 0;
}

int affinity_settle(struct mi_ctx *c)
{
    uint64_t mask = 0;
    unsigned int i;

    if ( mi_mode(c, MEMINIT_POLICY_OFF) )
        return 0;
    if ( mi_mode(c, MEMINIT_POLICY_INTERLEAVE) && c->nr_order )
        return affinity_set(c, c->set);     /* the whole set */
    for ( i = 0; i < c->topo.nr_nodes; i++ )
        if ( meminit_node_pages(&c->st->node[i]) )
            mask |= 1ull << i;
    return affinity_set(c, mask);
}
