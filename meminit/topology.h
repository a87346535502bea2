/*
 * topology.h - the host's NUMA nodes, and where a guest should go.
 *
 * Contract:
 *  - topology_read() fills c->topo from xc_physinfo and xc_numainfo (pages,
 *    not bytes). Offline and memoryless nodes have size 0.
 *  - topology_place() picks the preferred node (stats->pnode and the reason)
 *    and the fallback order: the preferred node, then the others by distance
 *    from it, ties broken by more free memory, memoryless nodes skipped.
 *  - topology_distribute() is the plan: pages per node if every node gave
 *    what it has free, in fallback order. Pure.
 */
#ifndef MEMINIT_TOPOLOGY_H
#define MEMINIT_TOPOLOGY_H

#include "ctx.h"

int topology_read(struct mi_ctx *c);
int topology_place(struct mi_ctx *c);
void topology_order(const struct mi_topology *t, unsigned int pnode,
                    unsigned int *order, unsigned int *nr);
unsigned int topology_best_fit(const struct mi_topology *t, uint64_t pages,
                               uint64_t node_mask, bool *fits);
/* Returns the pages left over that no node can take. */
uint64_t topology_distribute(const struct mi_ctx *c, uint64_t pages,
                             uint64_t *per_node);

#endif /* MEMINIT_TOPOLOGY_H */
