/*
 * affinity.h - the domain's node affinity: Xen's second preference for
 * every allocation that names no node.
 *
 * Contract:
 *  - affinity_read() sets c->affinity to the domain's node affinity when it
 *    is a proper subset of the nodes with memory (the toolstack, or Xen's
 *    auto mode from vCPU affinity, narrowed it), else 0. Unreadable: 0,
 *    with a warning.
 *  - affinity_set() makes the domain's node affinity exactly `mask` (a bit
 *    per node) with xc_domain_node_setaffinity, and records it in
 *    stats->node_affinity. It is a preference, not a correctness matter: a
 *    failed call is logged as a warning and the build goes on (0).
 *  - affinity_settle() sets it to the nodes that hold the guest (every node
 *    the stats give pages or PoD cache), when meminit placed the guest.
 * Source: Xen 4.17 get_free_buddy() (xen/common/page_alloc.c): a request
 * without a node goes to the domain's node_affinity, round-robin from the
 * node after its last allocation, then to the other nodes in numeric
 * order; domain_set_node_affinity() (xen/common/domain.c) turns
 * auto_node_affinity off for any mask short of all MAX_NUMNODES bits, which
 * a libxenctrl map (one bit per host node) never is on a host below 64
 * nodes. So once set, it stays until someone sets it again: vCPU affinity
 * changes no longer move it. docs/design.md says when meminit sets it.
 */
#ifndef MEMINIT_AFFINITY_H
#define MEMINIT_AFFINITY_H

#include "ctx.h"

void affinity_read(struct mi_ctx *c);
int affinity_set(struct mi_ctx *c, uint64_t mask);
int affinity_settle(struct mi_ctx *c);

#endif /* MEMINIT_AFFINITY_H */
