/*
 * populate.h - fill the layout's ranges with memory, nearest first.
 *
 * Contract: populate_all() populates every range of c->layout. Per range:
 * the largest order that is aligned and fits, on the first node of the
 * fallback order that still has blocks of it; a short count steps the order
 * down on the same node (remembered per node, so a node without 1 GiB blocks
 * is not asked again), and only a node with no 4 KiB page left sends the
 * rest to the next node by distance. vNUMA-pinned ranges never leave their
 * node. Interleave (policy.h): each call one superpage (or a run of 4 KiB
 * pages) on the node of the set furthest below its share, in an order no
 * larger than that shortfall; a node out of blocks or memory is skipped
 * as above, and the set is never left. Every shortfall is recorded in stats->fallback with its cause.
 * For PV, c->req->p2m receives the mfn of every frame. Returns 0 or -errno.
 *
 * populate_pod_target() sets the PoD target of a populate-on-demand guest,
 * which allocates its PoD cache: node by node as planned, each share under
 * a node affinity of that node alone (stats->node[n].pod_cache), when
 * meminit placed the guest. Returns 0 or -errno (step "pod-target").
 */
#ifndef MEMINIT_POPULATE_H
#define MEMINIT_POPULATE_H

#include "ctx.h"

int populate_all(struct mi_ctx *c);
int populate_pod_target(struct mi_ctx *c);

#endif /* MEMINIT_POPULATE_H */
