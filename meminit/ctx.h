/*
 * ctx.h - the state of one meminit_build() call, shared by its modules.
 *
 * Contract: one struct mi_ctx per call, zeroed then filled step by step in
 * the order of the build (layout, topology, domain, placement, claim,
 * populate). Every libxenctrl call goes through mi_call_begin()/_end() so
 * that stats count and time it. A failure is recorded in c->err, the
 * caller's record, with meminit_error_set() (the first failure wins).
 */
#ifndef MEMINIT_CTX_H
#define MEMINIT_CTX_H

#include <stdatomic.h>
#include <stdint.h>
#include "meminit.h"

#define MI_MAX_RANGES   160     /* vNUMA ranges split by the holes */
#define MI_ANY_NODE     (~1u)   /* populate without node flags */
#define MI_INVALID_MFN  (~(xen_pfn_t)0)  /* p2m entry of a hole */

struct mi_range {
    xen_pfn_t start;            /* first frame */
    xen_pfn_t end;              /* one past the last frame */
    unsigned int pnode;         /* vNUMA-pinned node, or MEMINIT_NO_NODE */
    unsigned int max_order;     /* MEMINIT_ORDER_2M (PV), _1G (HVM) */
};

struct mi_layout {
    unsigned int nr;
    struct mi_range r[MI_MAX_RANGES];
    uint64_t pages;             /* frames to populate, holes excluded */
    xen_pfn_t p2m_size;         /* largest range end */
    bool pod;                   /* HVM populate-on-demand */
    uint64_t pod_target;        /* pages backing the PoD cache */
};

/*
 * What the host said about itself, in pages. Read before placing; the free
 * figures go stale as soon as anybody allocates, so the claim and populate
 * steps re-read them (topology_refresh()) before deciding anything on them
 * once populating has started, and before quoting them in a message.
 */
struct mi_topology {
    unsigned int nr_nodes;
    uint64_t size[MEMINIT_MAX_NODES];       /* pages, 0: memoryless */
    uint64_t free[MEMINIT_MAX_NODES];       /* pages */
    uint32_t dist[MEMINIT_MAX_NODES][MEMINIT_MAX_NODES];
    uint64_t host_free;
    uint64_t host_claimed;                  /* all domains' claims */
};

struct mi_ctx {
    const struct meminit_request *req;
    struct meminit_stats *st;
    struct meminit_error *err;  /* the caller's; NULL: not recorded */
    struct mi_layout layout;
    struct mi_topology topo;

    uint64_t dom_pages;         /* the domain's tot_pages before we start */
    uint64_t dom_max_pages;     /* and its max_pages */
    uint64_t dom_claim;         /* claim found on the domain */
    bool dom_read;              /* the domain exists and was read */
    uint64_t affinity;          /* its node affinity when a proper subset of
                                   the nodes with memory, else 0 */

    unsigned int nr_order;      /* fallback order, preferred node first */
    unsigned int order[MEMINIT_MAX_NODES];
    uint64_t claimed_elsewhere; /* nodes a per-node claim found taken by
                                   other domains' claims (placement skips) */
    const atomic_int *halt;     /* populate threads: non-zero once a sibling
                                   failed (parallel.c); NULL: serial */
    uint64_t set;               /* the policy's node set: its nodes with
                                   memory (every such node when it names
                                   none); policy.c */
    uint64_t allowed;           /* nodes a request may name: the set for
                                   strict and interleave, else all */
    uint64_t share[MEMINIT_MAX_NODES];  /* interleave: pages per node */
};

/* Pages this build allocates now: the PoD target (the PoD cache) for a
 * populate-on-demand guest, else every frame of the layout. */
static inline uint64_t mi_need(const struct mi_ctx *c)
{
    return c->layout.pod ? c->layout.pod_target : c->layout.pages;
}

static inline bool mi_mode(const struct mi_ctx *c,
                           enum meminit_policy_mode mode)
{
    return c->req->policy.mode == mode;
}

uint64_t mi_now_ns(void);
uint64_t mi_call_begin(void);
/* Count and time one call; returns its duration in ns. */
uint64_t mi_call_end(struct mi_ctx *c, uint64_t t0, int rc);

void mi_log(struct mi_ctx *c, enum meminit_log_level level,
            const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* errno of a failed libxenctrl call, never 0. */
int mi_errno(void);

#endif /* MEMINIT_CTX_H */
