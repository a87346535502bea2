/*
 * meminit.h - NUMA-aware memory initialisation for Xen domain builders.
 *
 * Contract:
 *  - meminit_build() populates the RAM of an existing, empty domain: it reads
 *    the host topology, lays the guest frames out, stakes a claim (or keeps
 *    the one the toolstack already staked), populates largest page first from
 *    the preferred node and falls back to other nodes by distance only as far
 *    as needed (or as req->policy says: strict, interleave, off), and
 *    reports what came from where in *stats.
 *  - It returns 0 or -errno. It never exits, never prints and never touches
 *    stdio: progress goes to the optional log callback, the reason for a
 *    failure to the caller's error record (error.h: step and message, the
 *    first failure wins; NULL: not recorded).
 *  - On EVERY return the domain's claim is cancelled (stats->claim_left is
 *    the outstanding claim read back afterwards, 0 unless cancelling failed).
 *  - Failing before populating: when the host lacks the memory the call
 *    fails at the claim step and no page is populated.
 *  - The hook entry point (meminit_hook_install) plugs the same engine into
 *    libxenguest as dom->arch_hooks->meminit.
 *  - req->stop, when set, is polled between populate calls: a signal
 *    handler that sets it makes the build stop with -EINTR (claim
 *    cancelled as on any other failure).
 *  - Not thread-safe for one domain; distinct domains may be built in
 *    parallel, from threads or processes. meminit_build() itself may
 *    populate one domain from several threads (req->populate_threads,
 *    parallel.h), sharing req->xch: libxenctrl handles are re-entrant
 *    unless opened with XC_OPENFLAG_NON_REENTRANT, which such a handle
 *    must not be when populate_threads is not 1.
 */
#ifndef MEMINIT_H
#define MEMINIT_H

#include <signal.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <xenctrl.h>
#include <xenguest.h>

#include "error.h"

#define MEMINIT_MAX_NODES     64
#define MEMINIT_NO_NODE       (~0u)
#define MEMINIT_MAX_FALLBACKS 32
#define MEMINIT_MAX_THREADS   32    /* populate threads, at most */
#define MEMINIT_DEFAULT_THREADS 8   /* default cap on dom0's online CPUs */
#define MEMINIT_THREADS_AUTO  (~0u) /* populate_threads: from the CPUs */

/*
 * The page orders meminit populates with, in 4 KiB frames: Xen's
 * PAGE_ORDER_4K, PAGE_ORDER_2M and PAGE_ORDER_1G (x86).
 */
#define MEMINIT_ORDER_4K    0
#define MEMINIT_ORDER_2M    9
#define MEMINIT_ORDER_1G    18

/* Page sizes meminit uses, as indices into per-size arrays. */
enum meminit_size {
    MEMINIT_4K,
    MEMINIT_2M,
    MEMINIT_1G,
    MEMINIT_NR_SIZES,
};

enum meminit_guest {
    MEMINIT_GUEST_PV,       /* 64-bit PV: one range, p2m filled with mfns */
    MEMINIT_GUEST_HVM,      /* HVM and PVH: holes, 1 GiB pages */
};

/* How the claim is made. */
enum meminit_claim_mode {
    MEMINIT_CLAIM_AUTO,     /* best ABI the hypervisor offers */
    MEMINIT_CLAIM_HOST,     /* host-wide claim only (upstream 4.17) */
    MEMINIT_CLAIM_OFF,      /* no claim (an existing one is still cancelled) */
};

/* Which claim was in force while populating. */
enum meminit_claim_kind {
    MEMINIT_CLAIMED_NONE,
    MEMINIT_CLAIMED_EXISTING,   /* staked by the toolstack before us */
    MEMINIT_CLAIMED_SET,        /* xc_domain_claim_memory (proposed ABI) */
    MEMINIT_CLAIMED_NODE,       /* xc_domain_claim_pages_node (XenServer) */
    MEMINIT_CLAIMED_HOST,       /* xc_domain_claim_pages */
};

/* Why this node is the preferred one. */
enum meminit_pnode_reason {
    MEMINIT_PNODE_GIVEN,        /* the caller named it (-mem_pnode) */
    MEMINIT_PNODE_AFFINITY,     /* the domain's node affinity names it */
    MEMINIT_PNODE_BEST_FIT,     /* our placement: least free node that fits */
    MEMINIT_PNODE_MOST_FREE,    /* our placement: nothing fits, most free */
    MEMINIT_PNODE_VNUMA,        /* caller-given vNUMA ranges decide */
    MEMINIT_PNODE_OFF,          /* placement off: no node flags at all */
    MEMINIT_PNODE_INTERLEAVE,   /* interleave policy: the set, no one node */
    MEMINIT_PNODE_STOCK,        /* libxenguest's own hook ran (32-bit PV) */
};

/*
 * The per-VM NUMA memory policy (xenstore platform/numa-memory and
 * platform/numa-nodes, or xenguest's flags): libvirt's numatune modes and
 * Linux's MPOL_PREFERRED / MPOL_BIND / MPOL_INTERLEAVE, for guest RAM.
 */
enum meminit_policy_mode {
    MEMINIT_POLICY_PREFERRED,   /* one node, then by distance (default) */
    MEMINIT_POLICY_STRICT,      /* only the set's nodes, else fail at claim */
    MEMINIT_POLICY_INTERLEAVE,  /* evenly over the set, per superpage */
    MEMINIT_POLICY_OFF,         /* no node flags at all: upstream */
};

struct meminit_policy {
    enum meminit_policy_mode mode;
    uint64_t nodes;             /* node set, bit per node; 0: every node */
    unsigned int pnode;         /* preferred node, MEMINIT_NO_NODE: choose
                                   (inside the set) */
};

/* Why a populate request did not get what it asked for. */
enum meminit_cause {
    MEMINIT_CAUSE_NO_BLOCK,     /* node has no free block of that order */
    MEMINIT_CAUSE_EXHAUSTED,    /* node has no free memory at all */
    MEMINIT_CAUSE_CLAIM_LIMIT,  /* claims keep this order from the domain:
                                   others' claims + the request exceed free
                                   memory and ours does not cover it */
    MEMINIT_CAUSE_CALL_FAILED,  /* the hypercall failed (errno recorded) */
};

struct meminit_fallback {
    unsigned int node;          /* where the request failed */
    unsigned int next_node;     /* where meminit went next */
    uint8_t order;              /* order that fell short */
    uint8_t next_order;
    enum meminit_cause cause;
    int err;                    /* errno for CALL_FAILED, else 0 */
    xen_pfn_t gfn;              /* first frame not obtained */
};

struct meminit_node_stats {
    uint64_t extents[MEMINIT_NR_SIZES];     /* populated, per page size */
    uint64_t pod_cache;     /* PoD cache pages asked of this node (Xen
                               filled them while the domain's node affinity
                               was this node alone) */
    uint64_t ns;                            /* wall time in populate calls */
    uint32_t calls;                         /* populate calls aimed here */
};

/* Why populate ran from as many threads as it did (parallel.h). */
enum meminit_threads_reason {
    MEMINIT_THREADS_PARALLEL,   /* several threads populated */
    MEMINIT_THREADS_ASKED,      /* the caller asked for one */
    MEMINIT_THREADS_XEN,        /* Xen 4.22 or later, or older than 4.17:
                                   one builder thread per domain only */
    MEMINIT_THREADS_XEN_UNKNOWN,    /* xc_version failed */
    MEMINIT_THREADS_POD,        /* PoD entries: no memory to scrub */
    MEMINIT_THREADS_ONE_SLICE,  /* the slices that fit the first node lie
                                   in one 1 GiB frame window, or none fit */
    MEMINIT_THREADS_CLAIMS,     /* other domains' claims could refuse our
                                   requests (ours does not cover them):
                                   serial, to judge a claim limit as
                                   serial does */
    MEMINIT_THREADS_NO_THREAD,  /* pthread_create failed */
    MEMINIT_THREADS_NO_NODE,    /* placement off: node-less requests land
                                   round-robin in call order (Xen 4.17's
                                   d->last_alloc_node), so threads would
                                   change where pages go */
    MEMINIT_THREADS_NO_FIGURES, /* the host's figures or the domain's claim
                                   could not be read back */
    MEMINIT_THREADS_INTERLEAVE, /* policy interleave: each node's share is
                                   counted as the serial loop goes */
    MEMINIT_THREADS_ONE_CPU,    /* MEMINIT_THREADS_AUTO, and this process
                                   may run on one online CPU only */
};

/* One populate thread's share; thread 0 is the caller's in serial mode. */
struct meminit_thread_stats {
    uint64_t pages;             /* 4 KiB pages it populated (PoD: entries) */
    uint64_t ns;                /* its wall time */
    uint32_t calls;             /* its populate calls */
    uint32_t slices;            /* slices it took (serial: 1) */
};

struct meminit_stats {
    unsigned int pnode;                 /* MEMINIT_NO_NODE if none */
    enum meminit_pnode_reason pnode_reason;
    enum meminit_policy_mode policy;    /* the request's policy */
    uint64_t policy_nodes;              /* its node set as used: the nodes
                                           with memory in it (all of them
                                           when the request named none);
                                           0 for off */
    unsigned int nr_nodes;
    struct meminit_node_stats node[MEMINIT_MAX_NODES];
    struct meminit_node_stats anynode;  /* populated without node flags */
    uint64_t pod_pages;                 /* PoD entries (no memory yet) */
    uint64_t node_affinity;             /* the domain's node affinity as
                                           meminit left it (bit per node);
                                           0: meminit did not set it */

    enum meminit_claim_kind claim_kind;
    uint64_t claim_pages;               /* staked or found, in pages */
    uint64_t claim_left;                /* outstanding at return: want 0 */

    uint32_t hypercalls;                /* every libxenctrl call made */
    uint32_t hypercalls_failed;
    uint32_t populate_calls;
    uint32_t nr_fallbacks;              /* all, even those not kept below */
    struct meminit_fallback fallback[MEMINIT_MAX_FALLBACKS];

    uint64_t ns_total;                  /* wall time of meminit_build() */
    uint64_t ns_calls;                  /* of which inside libxenctrl;
                                           summed over populate threads */

    unsigned int populate_threads;      /* threads that populated; 1: serial */
    enum meminit_threads_reason threads_reason;
    uint32_t xen_version;               /* xc_version: major << 16 | minor,
                                           0: not read or failed */
    uint64_t parallel_pages;            /* pages populated by the threads;
                                           the rest came after, serially */
    uint64_t ns_populate;               /* wall time of the populate step */
    struct meminit_thread_stats thread[MEMINIT_MAX_THREADS];
};

/* HVM guest-physical layout, in bytes, as libxenguest's xc_dom_image has it. */
struct meminit_hvm_layout {
    uint64_t lowmem_end;
    uint64_t highmem_end;       /* 0 or <= 4 GiB: no high memory */
    uint64_t mmio_start;
    uint64_t mmio_size;
    bool device_model;          /* leaves the VGA hole 0xa0-0xbf empty */
};

/* Caller-given virtual NUMA: every range goes to its vnode's pnode. */
struct meminit_vnuma {
    unsigned int nr_ranges;
    const xen_vmemrange_t *ranges;
    unsigned int nr_vnodes;
    const unsigned int *vnode_to_pnode;     /* XC_NUMA_NO_NODE: any */
};

enum meminit_log_level { MEMINIT_LOG_DEBUG, MEMINIT_LOG_INFO, MEMINIT_LOG_WARN };
typedef void meminit_log_fn(void *opaque, enum meminit_log_level level,
                            const char *msg);

struct meminit_request {
    xc_interface *xch;
    uint32_t domid;
    enum meminit_guest guest;
    uint64_t total_pages;       /* guest RAM in 4 KiB pages, holes excluded */
    uint64_t target_pages;      /* HVM: below total_pages means PoD; 0 = total */
    struct meminit_hvm_layout hvm;
    struct meminit_vnuma vnuma;
    struct meminit_policy policy;   /* mode, node set, preferred node */
    enum meminit_claim_mode claim;
    unsigned int max_order;     /* cap on page order, 0 = no cap */
    xen_pfn_t *p2m;             /* PV only: meminit_p2m_size() entries;
                                   meminit may advise the kernel to back
                                   it with huge pages (madvise) */
    const volatile sig_atomic_t *stop;  /* non-zero: stop populating */
    meminit_log_fn *log;        /* may be called from populate threads,
                                   never two calls at once */
    void *log_opaque;
    unsigned int populate_threads;  /* 0 or 1: serial (as before);
                                   MEMINIT_THREADS_AUTO: dom0's online
                                   CPUs this process may run on, at most
                                   MEMINIT_DEFAULT_THREADS;
                                   else at most MEMINIT_MAX_THREADS */
};

/*
 * Populate the domain's memory. See the contract at the top. A failure is
 * recorded in *err with its step: "layout", "topology", "domain" (also
 * when max_pages leaves no room for the guest: -EINVAL), "placement",
 * "claim", "pod-target", "populate" or "meminit".
 * When meminit chose or was given a node, it leaves the domain's node
 * affinity on the nodes that hold the guest (stats->node_affinity; for a
 * PoD guest it is set node by node while the PoD cache is allocated), so
 * that later allocations naming no node (libxenguest's special pages, the
 * device model, balloon-up) land there too; --numa-placement=off leaves
 * it alone.
 * req->policy (docs/design.md, "Policy"): preferred places and spills as
 * above, the node set first; strict never asks a node outside the set and,
 * when the set's free memory cannot hold what the build allocates, fails at
 * step "claim" (-ENOMEM, the figures in the message) before any populate;
 * interleave spreads the guest evenly over the set, one superpage per node
 * in turn (the node affinity is then the whole set), within the set like
 * strict; off names no node. A set with no node with memory on this host,
 * or a preferred node outside it, is -EINVAL at step "placement".
 */
int meminit_build(const struct meminit_request *req,
                  struct meminit_stats *stats, struct meminit_error *err);

/* Frames a PV p2m must cover for this request (largest range end). */
uint64_t meminit_p2m_size(const struct meminit_request *req);

/*
 * Plan only: the preferred node and the pages each node would supply, from
 * the host's current free memory, without touching the domain.
 * pages[] has MEMINIT_MAX_NODES entries. Fails as meminit_build() does up
 * to the placement (steps "layout" to "placement"), and with -ENOMEM, step
 * "plan", when the nodes the policy allows cannot hold the guest (pages[]
 * then has what they could give). Policy off names no node: pages[] all 0.
 * req->domid may be
 * DOMID_INVALID: a plan for a guest not created yet, from the host alone
 * (no domain is read: no existing claim, no node affinity).
 */
int meminit_plan(const struct meminit_request *req,
                 struct meminit_stats *stats, uint64_t *pages,
                 struct meminit_error *err);

/*
 * Claim ABIs, as bits: the host-wide claim (xc_domain_claim_pages, Xen
 * 4.17), XenServer's single-node claim (xc_domain_claim_pages_node) and the
 * claim sets proposed upstream (xc_domain_claim_memory). Returns those this
 * library was built to use; *linked (may be NULL) gets those the running
 * process's libxenctrl provides. Whether the hypervisor accepts them is
 * only known when a claim is made (stats->claim_kind says which one held).
 */
#define MEMINIT_ABI_HOST    (1u << 0)
#define MEMINIT_ABI_NODE    (1u << 1)
#define MEMINIT_ABI_SET     (1u << 2)
unsigned int meminit_claim_abis(unsigned int *linked);

const char *meminit_cause_name(enum meminit_cause cause);
const char *meminit_claim_name(enum meminit_claim_kind kind);
const char *meminit_pnode_reason_name(enum meminit_pnode_reason reason);
const char *meminit_threads_reason_name(enum meminit_threads_reason reason);
/* "preferred", "strict", "interleave", "off". */
const char *meminit_policy_name(enum meminit_policy_mode mode);
/* The mode named so (case-sensitive), or -EINVAL. */
int meminit_policy_lookup(const char *name, enum meminit_policy_mode *mode);
/*
 * Interleave imbalance, in 4 KiB pages: the most a node of the policy's
 * set holds less the least (meminit_node_pages()). 0 for other modes.
 */
uint64_t meminit_policy_imbalance(const struct meminit_stats *st);
/*
 * Node sets as text, xl's cpus= / libvirt's nodeset syntax: "0-1,3".
 * meminit_nodeset_parse(): comma-separated nodes and ranges A-B (A <= B),
 * decimal, nodes 0 to MEMINIT_MAX_NODES - 1, no blanks, not empty; 0 or
 * -EINVAL. meminit_nodeset_format() writes the shortest such form ("" for
 * the empty set), truncated to len (MEMINIT_NODESET_MAX always suffices).
 */
#define MEMINIT_NODESET_MAX 192
int meminit_nodeset_parse(const char *text, uint64_t *set);
void meminit_nodeset_format(char *buf, size_t len, uint64_t set);
unsigned int meminit_size_order(enum meminit_size size);
/* 4 KiB pages a node's stats account for: every page size, and the PoD
 * cache asked of it. */
uint64_t meminit_node_pages(const struct meminit_node_stats *ns);

/*
 * The libxenguest hook. libxenguest calls dom->arch_hooks->meminit(dom) with
 * no user pointer, so the hook carries its own copy of the arch hooks and
 * finds its context from dom->arch_hooks (container_of): no globals.
 */
struct meminit_hook {
    struct xc_dom_arch arch;            /* what dom->arch_hooks points at */
    const struct xc_dom_arch *stock;    /* libxenguest's own hooks */
    struct meminit_request tmpl;
    struct meminit_stats *stats;
    struct meminit_error *err;          /* meminit_build() records here */
    int rc;                             /* meminit_build()'s -errno */
};

/*
 * Replace dom->arch_hooks (selected by xc_dom_mem_init()) with a copy whose
 * meminit is ours, built from *tmpl (xch/domid/guest/sizes are taken from
 * dom when meminit runs). *hook must outlive the build. 32-bit PV guests are
 * handed to libxenguest's own hook, with dom->claim_enabled set (unless the
 * domain holds a claim already or tmpl->claim is OFF) and the claim
 * cancelled afterwards; *stats then say so: pnode MEMINIT_NO_NODE, reason
 * MEMINIT_PNODE_STOCK, its claim, no per-node figures. meminit_build()
 * records a failure in *err (which must outlive the build too), and so
 * does this call: -EINVAL, step "meminit", when dom has no hooks yet or
 * stats is NULL.
 */
int meminit_hook_install(struct meminit_hook *hook, struct xc_dom_image *dom,
                         const struct meminit_request *tmpl,
                         struct meminit_stats *stats,
                         struct meminit_error *err);

#endif /* MEMINIT_H */
