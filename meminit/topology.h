/*
 * topology.h - the host's NUMA nodes, and where a guest should go.
 *
 * Contract:
 *  - topology_read() fills c->topo from xc_physinfo and xc_numainfo (pages,
 *    not bytes). Offline and memoryless nodes have size 0.
 *  - topology_refresh() re-reads the host's and the nodes' free figures
 *    (they go stale as others allocate); topology_refresh_nodes() the
 *    nodes' only (one call). On failure the old figures stay.
 *  - topology_place() checks the request's policy (policy_prepare()) and
 *    picks the preferred node (stats->pnode and the reason) for the pages
 *    allocated now (mi_need(): the PoD cache for a PoD guest) and the
 *    fallback order: the preferred node, then the nodes of the domain's
 *    node affinity within the policy's node set (when it names a subset;
 *    else the set) by distance, then the others by distance, ties broken by
 *    more free memory, memoryless nodes skipped; for strict only the set's
 *    nodes. Interleave has no preferred node (reason "interleave"): the
 *    order is the set's nodes and c->share their shares. Off names none.
 *  - topology_replace() moves a preferred node of our own choosing to the
 *    next best fit by fresh figures, skipping c->claimed_elsewhere: 0 when
 *    moved, 1 when nothing fits.
 *  - topology_distribute() is the plan: pages per node if every node gave
 *    what it has free, in fallback order; interleave's shares. Pure.
 */
#ifndef MEMINIT_TOPOLOGY_H
#define MEMINIT_TOPOLOGY_H

#include "ctx.h"

int topology_read(struct mi_ctx *c);
int topology_refresh(struct mi_ctx *c);
int topology_refresh_nodes(struct mi_ctx *c);
int topology_place(struct mi_ctx *c);
bool topology_ours(const struct mi_ctx *c);
int topology_replace(struct mi_ctx *c);
void topology_order(const struct mi_topology *t, unsigned int pnode,
                    uint64_t mask, unsigned int *order, unsigned int *nr);
unsigned int topology_best_fit(const struct mi_topology *t, uint64_t pages,
                               uint64_t node_mask, bool *fits);
/* Returns the pages left over that no node can take. */
uint64_t topology_distribute(const struct mi_ctx *c, uint64_t pages,
                             uint64_t *per_node);

#endif /* MEMINIT_TOPOLOGY_H */
