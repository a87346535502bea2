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

/*
 * The populate loop's state for one series of spans: what it learnt about
 * each node while populating, and its running estimate of the claim.
 * Only populate.c and parallel.c (which runs one per thread) use it.
 */
struct populate {
    struct mi_ctx *c;
    int node_max_order[MEMINIT_MAX_NODES + 1];  /* + 1: MI_ANY_NODE */
    bool remnant[MEMINIT_MAX_NODES];    /* left with < 2 MiB untaken */
    int last_err;               /* errno of the last failed populate call */
    uint64_t claim_left;        /* our claim not yet used: what we staked or
                                   found, less what we populated since */
    int claim_cap;              /* order cap while claims block larger */
    xen_pfn_t *buf;             /* extent list for one populate call */
    size_t buf_len;
};

/* The serial build: populate_prepare(), then every range in order. */
int populate_all(struct mi_ctx *c);

/*
 * The pieces populate_all() is made of, for parallel.c:
 * populate_prepare() checks and readies a PV p2m (-EINVAL without one);
 * populate_init() starts a loop state with nothing learnt and the whole
 * claim; populate_span() populates r's frames [r->start, r->end), a whole
 * range or a slice of one, as the serial loop does (0, -errno recorded in
 * c->err, or -ECANCELED unrecorded once *c->halt is set);
 * populate_learn() takes what one state learnt about the nodes into
 * another; populate_fini() frees the state's buffer.
 */
int populate_prepare(struct mi_ctx *c);
void populate_init(struct populate *p, struct mi_ctx *c);
int populate_span(struct populate *p, const struct mi_range *r);
void populate_learn(struct populate *into, const struct populate *from);
void populate_fini(struct populate *p);
int populate_pod_target(struct mi_ctx *c);

#endif /* MEMINIT_POPULATE_H */
