/*
 * policy.h - the per-VM NUMA memory policy (struct meminit_policy) turned
 * into what placement, claim and populate act on.
 *
 * Contract:
 *  - policy_prepare() (after topology_read()) checks the request's policy
 *    against the host and fills c->set (the set's nodes with memory; all
 *    nodes with memory when it names none), c->allowed (the set for strict
 *    and interleave, else every node) and stats->policy/policy_nodes.
 *    -EINVAL, step "placement": a set naming a node the host does not
 *    have, a set without a node with memory, a preferred node outside the
 *    set. Off ignores a preferred node (logged): upstream names none.
 *  - policy_shares(): interleave's per-node shares of `pages`, added to
 *    per_node[]: even over the set, a node with less free memory than its
 *    share gives what it has and the others take the rest (water-filling:
 *    the nodes below their free memory differ by one page at most, the
 *    lowest nodes taking the odd pages). Returns the pages no node of the
 *    set can take. Pure.
 *  - policy_next(), policy_cap(), policy_extents(): interleave's choice
 *    per populate call (populate.c): the usable node furthest below its
 *    share, an order no larger than that shortfall (so that every node
 *    ends within one page of the largest size used), one superpage per
 *    call. For the other modes they return what they were given.
 * Source: libvirt <numatune> modes, Linux MPOL_INTERLEAVE (round-robin per
 * allocation unit); Xen 4.17 exact-node populate (XENMEMF_exact_node).
 */
#ifndef MEMINIT_POLICY_H
#define MEMINIT_POLICY_H

#include "ctx.h"

int policy_prepare(struct mi_ctx *c);
uint64_t policy_shares(const struct mi_ctx *c, uint64_t pages,
                       uint64_t *per_node);
/* Index into nodes[] of the next node (caps[node] >= 0: usable), nr if
 * none is usable; 0 unless interleave. */
unsigned int policy_next(const struct mi_ctx *c, const unsigned int *nodes,
                         unsigned int nr, const int *caps);
/* The order cap for the next extent on node: cap, lowered for interleave
 * to the largest order that fits the node's shortfall. */
int policy_cap(const struct mi_ctx *c, unsigned int node, int cap);
/* Extents of order to ask for at once: n, or for interleave one superpage
 * (4 KiB: at most the node's shortfall, at least one). */
unsigned long policy_extents(const struct mi_ctx *c, unsigned int node,
                             unsigned int order, unsigned long n);

#endif /* MEMINIT_POLICY_H */
