/*
 * sim.h - a simulated Xen host standing in for libxenctrl.
 *
 * Contract:
 *  - libxcsim.so exports the libxenctrl calls that meminit and libxenguest's
 *    stock meminit make (xcsim.map lists them), under libxenctrl's own symbol
 *    version VERS_4.17.0, so a binary linked with -lxcsim ahead of
 *    -lxenguest -lxenctrl sends every such call here. The xc_interface
 *    handle they take is one returned by sim_xch().
 *  - The host is a set of NUMA nodes, each with free memory split into free
 *    1 GiB blocks, free 2 MiB blocks and free 4 KiB pages (fragmentation),
 *    a distance matrix, and domains with Xen 4.17's memory and claim rules:
 *    max_pages, one claim per domain, claims consumed by allocation, the
 *    host-wide claim check, exact-node requests failing rather than
 *    spilling, non-exact ones falling back in numeric node order, order
 *    limit 18. The per-node claim ABIs are selectable (sim_config.claim_abi).
 *  - State lives in one shared mapping (a file when sim_config.path is set)
 *    guarded by a process-shared robust mutex: several processes that attach
 *    the same file see one host (boot storms).
 *  - Frame numbers are unique for the life of the host and encode the node:
 *    sim_mfn_node(mfn) is the node a frame belongs to.
 *  - Fault injection: sim_fault() makes the k-th next call of a named
 *    function fail with a given errno, once.
 *  - Nothing here prints; errors come back as -errno (sim_*) or -1 + errno
 *    (the xc_* stand-ins, as libxenctrl does).
 */
#ifndef SIM_H
#define SIM_H

#include <stdbool.h>
#include <stdint.h>
#include <xenctrl.h>

#define SIM_MAX_NODES   64
#define SIM_MAX_DOMAINS 256
#define SIM_NO_NODE     (~0u)
#define SIM_XEN_4_17    0x40011u    /* sim_config.xen_version's default */

/* 1 GiB, 2 MiB and 4 KiB in 4 KiB pages. */
#define SIM_PAGES_1G    (1ull << 18)
#define SIM_PAGES_2M    (1ull << 9)

/* Which claim hypercalls the simulated Xen implements. */
enum sim_claim_abi {
    SIM_CLAIM_UPSTREAM,     /* 4.17: host-wide claim only */
    SIM_CLAIM_NODE,         /* + xc_domain_claim_pages_node (XenServer) */
    SIM_CLAIM_SET,          /* + node + xc_domain_claim_memory (claim sets) */
    SIM_CLAIM_NONE,         /* claims answer ENOSYS (4.17 libxc swallows it) */
};

struct sim_node_config {
    uint64_t pages;         /* memory of the node, 4 KiB pages; 0 = memoryless */
    uint64_t free_1g;       /* free 1 GiB blocks */
    uint64_t free_2m;       /* free 2 MiB blocks, outside the 1 GiB ones */
    uint64_t free_4k;       /* free single pages, outside both */
};

struct sim_config {
    unsigned int nr_nodes;                       /* 1..SIM_MAX_NODES */
    struct sim_node_config node[SIM_MAX_NODES];
    uint32_t distance[SIM_MAX_NODES][SIM_MAX_NODES]; /* 0: 10 self, 20 others */
    enum sim_claim_abi claim_abi;
    unsigned int xen_version;   /* xc_version's: major << 16 | minor, 0: 4.17 */
    const char *path;       /* shared state file, NULL: anonymous mapping */
};

/* One call counter per stand-in function, for hypercall counts. */
enum sim_fn {
    SIM_FN_PHYSINFO,
    SIM_FN_NUMAINFO,
    SIM_FN_GETINFOLIST,
    SIM_FN_CLAIM_PAGES,
    SIM_FN_CLAIM_PAGES_NODE,
    SIM_FN_CLAIM_MEMORY,
    SIM_FN_POPULATE,
    SIM_FN_POPULATE_EXACT,
    SIM_FN_SET_POD_TARGET,
    SIM_FN_SETMAXMEM,
    SIM_FN_NODE_GETAFFINITY,
    SIM_FN_NODE_SETAFFINITY,
    SIM_FN_VERSION,
    SIM_FN_NR,
};

struct sim_host;

/* Lifetime. */
int sim_host_create(const struct sim_config *cfg, struct sim_host **out);
/* An existing state file; -EINVAL if it holds no simulated host. */
int sim_host_attach(const char *path, struct sim_host **out);
void sim_host_close(struct sim_host *host);  /* the file stays; unlink it yourself */
xc_interface *sim_xch(struct sim_host *host);
struct sim_host *sim_from_xch(xc_interface *xch);

/* Config helpers: n nodes of `pages` each, all free as 1 GiB blocks where
 * the size allows (rest 2 MiB, then 4 KiB), distances 10 / 20. Resets the
 * whole config first (claim_abi SIM_CLAIM_UPSTREAM, path NULL). */
void sim_config_uniform(struct sim_config *cfg, unsigned int nr_nodes,
                        uint64_t pages_per_node);
/* Re-split a node's free memory: at most n1g 1 GiB and n2m 2 MiB blocks. */
void sim_config_fragment(struct sim_config *cfg, unsigned int node,
                         uint64_t n1g, uint64_t n2m);

/* Domains (what xenopsd does before exec'ing the builder). */
/* hvm: translated guest (populate does not write mfns back). */
int sim_domain_create(struct sim_host *host, uint32_t domid, uint64_t max_pages,
                      bool hvm);
int sim_domain_destroy(struct sim_host *host, uint32_t domid);  /* frees all */
/* Node affinity of the domain; empty mask (0) means all nodes. The same
 * as xc_domain_node_setaffinity() (which a builder calls) without a call
 * counted. */
int sim_domain_set_node_affinity(struct sim_host *host, uint32_t domid,
                                 uint64_t node_mask);

/* Observations for assertions. */
struct sim_domain_info {
    bool exists;
    uint64_t max_pages;
    uint64_t tot_pages;
    uint64_t pod_entries;                    /* gfns marked PoD */
    uint64_t pod_target;
    uint64_t claim_global;                   /* outstanding, host-wide part */
    uint64_t claim_node[SIM_MAX_NODES];      /* outstanding, per node */
    uint64_t outstanding;                    /* sum of the two above */
    uint64_t pages_on[SIM_MAX_NODES];        /* 4 KiB pages held per node */
    uint64_t extents[SIM_MAX_NODES][3];      /* per node: 4K, 2M, 1G extents */
    uint64_t node_affinity;                  /* 0: all nodes (auto) */
    uint64_t pod_cache;                      /* pages in the PoD cache */
};
/* An unknown domid is not an error: 0 with out->exists false. */
int sim_domain_info(struct sim_host *host, uint32_t domid,
                    struct sim_domain_info *out);

struct sim_host_info {
    unsigned int nr_nodes;
    uint64_t total_pages;
    uint64_t free_pages;                     /* all nodes */
    uint64_t outstanding;                    /* all claims, all domains */
    uint64_t node_free[SIM_MAX_NODES];
    uint64_t node_free_1g[SIM_MAX_NODES];    /* free 1 GiB blocks */
    uint64_t node_free_2m[SIM_MAX_NODES];    /* free 2 MiB blocks */
    uint64_t calls[SIM_FN_NR];               /* calls since create/reset */
    uint64_t calls_failed[SIM_FN_NR];
};
int sim_host_info(struct sim_host *host, struct sim_host_info *out);
void sim_reset_counters(struct sim_host *host);

/* Frames encode their node. */
unsigned int sim_mfn_node(xen_pfn_t mfn);

/* Fault injection: the nth (1 = next) call of fn fails with err, once.
 * Faults are per sim_host handle (per process), not shared. */
int sim_fault(struct sim_host *host, enum sim_fn fn, unsigned int nth, int err);
void sim_fault_clear(struct sim_host *host);
const char *sim_fn_name(enum sim_fn fn);
int sim_fn_lookup(const char *name, enum sim_fn *out);

/* Optional observer of every successful populate: one call per extent
 * batch, with the gfns as passed in (before mfns overwrite them for PV).
 * A batch whose extents came from several nodes is reported as one call per
 * run of same-node extents; a short count reports the extents done (also
 * for _exact's EBUSY); PoD reports node SIM_NO_NODE and pod true. Called
 * with the host unlocked, so it may call the simulator. Per handle. */
typedef void sim_populate_fn(void *opaque, uint32_t domid,
                             const xen_pfn_t *gfns, unsigned long nr,
                             unsigned int order, unsigned int node,
                             bool pod);
void sim_set_observer(struct sim_host *host, sim_populate_fn *fn,
                      void *opaque);

/* Optional hook run at the start of every stand-in call, with the host
 * unlocked (so it may call the simulator; it sees its own calls too): a
 * test acts at a chosen point of a build, e.g. between the claim and the
 * first populate, as the real-Xen fixture does by stopping xenguest there.
 * Per handle. */
typedef void sim_call_fn(void *opaque, enum sim_fn fn);
void sim_set_call_hook(struct sim_host *host, sim_call_fn *fn, void *opaque);

/* The per-node claim ABIs that are not in 4.17's xenctrl.h, defined here:
 * XenServer's single-node claim, declared in meminit/xen_abi.h, and the
 * claim-set call of upstream's v7 posting, declared in claimset/xenctrl.h
 * (which -Itests/sim/claimset puts in place of <xenctrl.h>). */
#include "xen_abi.h"

#endif /* SIM_H */
