/*
 * sim_internal.h - the simulator's shared state and the helpers between its
 * files. Not for users of the simulator: they include sim.h.
 *
 * Contract:
 *  - struct sim_state is the whole host. It lives in one MAP_SHARED mapping
 *    and holds no pointers (other processes map it at other addresses), only
 *    counts and indices. Every field after `lock` is read and written with
 *    `lock` held (sim_lock()/sim_unlock()).
 *  - Aggregates are kept in step by the helpers that change them:
 *    st->free_pages = sum of sim_node_free(); st->outstanding = sum of every
 *    domain's outstanding; node->claimed = sum of claim_node[] on that node;
 *    dom->outstanding = claim_global + sum of claim_node[].
 *  - struct sim_host is per process (malloc'd): the mapping, the fault table,
 *    the observer and the xc_interface handle given to libxenguest.
 *  - Functions named sim_op_* run with the lock held and return a count or
 *    0 on success, -errno on failure. They never touch errno themselves.
 */
#ifndef SIM_INTERNAL_H
#define SIM_INTERNAL_H

#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>

#include "sim.h"

#define SIM_STATE_MAGIC     0x4d49534358454e58ull   /* "XNEXCSIM" */
#define SIM_STATE_VERSION   3u
#define SIM_XCH_MAGIC       0x7863696du             /* "xcim" */
#define SIM_MAX_FAULTS      16
#define SIM_DOMID_LIMIT     0x7ff0u                 /* DOMID_FIRST_RESERVED */

/* Page orders the simulator models, and their index in extents[][]. */
#define SIM_ORDER_4K        0u
#define SIM_ORDER_2M        9u
#define SIM_ORDER_1G        18u
enum sim_size_idx {
    SIM_IDX_4K,
    SIM_IDX_2M,
    SIM_IDX_1G,
    SIM_IDX_NR,
};

/* memflags of XENMEM_populate_physmap, as in xen/memory.h. */
#define SIM_MEMF_POD        (1u << 16)
#define SIM_MEMF_EXACT      (1u << 17)
#define SIM_MEMF_NODE(f)    (((f) >> 8) & 0xffu)    /* 0: none, else node+1 */

/* claim_node[]'s neighbour in sim_claim_add(): the host-wide part. */
#define SIM_CLAIM_HOST      (~0u)

struct sim_node_state {
    uint64_t pages;             /* memory of the node */
    uint64_t free_1g;           /* free blocks of each size */
    uint64_t free_2m;
    uint64_t free_4k;
    uint64_t cursor;            /* next frame offset on the node, monotonic */
    uint64_t claimed;           /* sum of every domain's claim_node here */
    uint32_t distance[SIM_MAX_NODES];
};

struct sim_dom_state {
    bool used;
    bool hvm;
    uint32_t domid;
    uint64_t max_pages;
    uint64_t tot_pages;
    uint64_t pod_target;
    uint64_t pod_entries;
    uint64_t pod_cache;         /* pages allocated by set_pod_target */
    uint64_t affinity;          /* node mask, 0 = all nodes (Xen's auto) */
    uint32_t last_alloc_node;   /* node of the last allocation, as Xen's */
    uint64_t claim_global;
    uint64_t outstanding;       /* claim_global + sum of claim_node */
    uint64_t claim_node[SIM_MAX_NODES];
    bool claim_set;             /* staked through a claim set (v7) */
    uint64_t pages_on[SIM_MAX_NODES];
    uint64_t extents[SIM_MAX_NODES][SIM_IDX_NR];
};

struct sim_state {
    uint64_t magic;             /* written last by create: ready to attach */
    uint32_t version;
    uint32_t pad;
    uint64_t size;              /* bytes of the mapping */
    pthread_mutex_t lock;       /* process-shared, robust */
    uint32_t nr_nodes;
    uint32_t claim_abi;         /* enum sim_claim_abi */
    uint32_t xen_version;       /* major << 16 | minor */
    uint32_t pad2;
    uint64_t total_pages;
    uint64_t free_pages;
    uint64_t outstanding;
    uint64_t calls[SIM_FN_NR];
    uint64_t calls_failed[SIM_FN_NR];
    struct sim_node_state node[SIM_MAX_NODES];
    struct sim_dom_state dom[SIM_MAX_DOMAINS];
};

/*
 * libxenctrl's handle, opaque in xenctrl.h: ours points back at the host.
 * libxenguest reads a few fields of the (private) libxenctrl handle itself:
 * xc_dom_printf() checks xch->dombuild_logger (offset 0x18 in 4.17),
 * xc_dom_panic_func() passes xch->error_handler (0x8). The leading fields
 * mirror libxenctrl 4.17's layout (flags, then four logger pointers) and stay
 * NULL so libxenguest's own logging is silent instead of dereferencing
 * garbage. The zeroed shadow covers the rest of libxenctrl's struct (about
 * 1.1 KiB in 4.17), so that a real libxenctrl function handed our handle by
 * mistake reads NULLs, and fails plainly, rather than our own fields.
 */
#define SIM_XCH_SHADOW      4096
struct xc_interface_core {
    int flags;
    void *error_handler;
    void *error_handler_tofree;
    void *dombuild_logger;
    void *dombuild_logger_tofree;
    unsigned char shadow[SIM_XCH_SHADOW];   /* always zero */
    uint32_t magic;
    struct sim_host *host;
};

struct sim_fault_slot {
    bool armed;
    enum sim_fn fn;
    unsigned int left;          /* calls to go, this one included */
    int err;
};

struct sim_host {
    struct xc_interface_core xch;
    struct sim_state *st;
    size_t map_len;
    struct sim_fault_slot fault[SIM_MAX_FAULTS];    /* under st->lock */
    sim_populate_fn *observer;
    void *observer_opaque;
    sim_call_fn *call_hook;     /* before every stand-in call, unlocked */
    void *call_hook_opaque;
};

/*
 * The helpers below are shared between the simulator's files only: hidden,
 * so that xcsim.map's sim_* pattern does not export them.
 */
#pragma GCC visibility push(hidden)

/* host.c: the lock. */
int sim_lock(struct sim_host *host);
void sim_unlock(struct sim_host *host);

/* config.c: check a config and lay it into fresh state. */
int sim_config_check(const struct sim_config *cfg);
void sim_config_apply(struct sim_state *st, const struct sim_config *cfg);

/* domain.c */
struct sim_dom_state *sim_dom_find(struct sim_state *st, uint32_t domid);
int sim_op_dom_getinfo(struct sim_state *st, uint32_t first, unsigned int max,
                       xc_domaininfo_t *info);

/* topo.c */
int sim_op_physinfo(const struct sim_state *st, xc_physinfo_t *info);
int sim_op_numainfo(const struct sim_state *st, unsigned int *max_nodes,
                    xc_meminfo_t *meminfo, uint32_t *distance);

/* alloc.c: blocks and frames. */
uint64_t sim_node_free(const struct sim_node_state *node);
int sim_order_idx(unsigned int order);
bool sim_node_has_block(const struct sim_node_state *node, unsigned int order);
xen_pfn_t sim_block_alloc(struct sim_state *st, struct sim_dom_state *dom,
                          unsigned int nid, unsigned int order);
void sim_dom_free_all(struct sim_state *st, struct sim_dom_state *dom);

/* populate.c */
struct sim_populate {
    uint32_t domid;
    unsigned long nr;
    unsigned int order;
    unsigned int memflags;
    xen_pfn_t *extents;
    unsigned int *node_of;      /* per extent, NULL if nobody observes */
};
long sim_op_populate(struct sim_state *st, const struct sim_populate *req);
int sim_op_set_pod_target(struct sim_state *st, uint32_t domid,
                          uint64_t target, uint64_t out[3]);

/* observe.c: the populate observer, called with the lock dropped. */
struct sim_observation {
    sim_populate_fn *fn;        /* NULL: nobody observes */
    void *opaque;
    xen_pfn_t *gfns;            /* copy of the extents as passed in */
    unsigned int *node_of;      /* node of each extent done */
};
int sim_observe_begin(struct sim_host *host, struct sim_populate *req,
                      struct sim_observation *obs);
void sim_observe_end(struct sim_observation *obs,
                     const struct sim_populate *req, long done);

/* claims.c */
void sim_claim_drop(struct sim_state *st, struct sim_dom_state *dom);
void sim_claim_consume(struct sim_state *st, struct sim_dom_state *dom,
                       unsigned int node, uint64_t pages);
int sim_op_claim_pages(struct sim_state *st, uint32_t domid, uint64_t pages);
int sim_op_claim_node(struct sim_state *st, uint32_t domid, unsigned int node,
                      uint64_t pages);
int sim_op_claim_memory(struct sim_state *st, uint32_t domid, uint32_t mode,
                        uint32_t *nr, xen_memory_claim_t *set);

/* faults.c: the bracket around every stand-in. */
struct sim_host *sim_call_begin(xc_interface *xch, enum sim_fn fn);
long sim_call_end(struct sim_host *host, enum sim_fn fn, long rc);

#pragma GCC visibility pop

/*
 * libxenctrl's logging entry points (xc_private.h, not in xenctrl.h) that
 * libxenguest calls; the simulator's versions are quiet no-ops.
 */
void xc_report_error(xc_interface *xch, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void xc_reportv(xc_interface *xch, xentoollog_logger *lg,
                xentoollog_level level, int code, const char *fmt,
                va_list args)
    __attribute__((format(printf, 5, 0)));
void xc_report(xc_interface *xch, xentoollog_logger *lg,
               xentoollog_level level, int code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void xc_report_progress_single(xc_interface *xch, const char *doing);
void xc_report_progress_step(xc_interface *xch, unsigned long done,
                             unsigned long total);

#endif /* SIM_INTERNAL_H */
