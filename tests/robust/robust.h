/*
 * robust.h - what the robustness programs (fault sweep, boot storm, signal
 * tests) share: a guest on a simulated domain, the ledger of a host's
 * memory, and the one-line results the runner (tests/robust/run) counts.
 *
 * Contract:
 *  - rb_guest_start() creates domain `domid` on the host (max_pages a little
 *    above the guest, as xenopsd sets it) and fills a meminit request for a
 *    PV or HVM guest laid out as libxl would (HVM: MMIO hole [3 GiB, 4 GiB),
 *    device model present). rb_guest_done() frees what it allocated; it
 *    does not destroy the domain.
 *  - rb_ledger_open() takes the host's free memory per node while no domain
 *    of interest holds any; rb_ledger_check() then proves that no page was
 *    lost or handed out twice (per node: free + every listed domain's pages
 *    equals the snapshot; the host totals likewise) and that no claim is
 *    left, on the listed domains or anywhere on the host. A broken rule is
 *    one sentence in *why (meminit/error.h; step RB_STEP, -EPROTO).
 *  - rb_result() prints "ok - NAME" or "not ok - NAME": the runner counts
 *    those lines for its closing "robust: N passed, M failed".
 *  - Nothing here exits; every function returns 0 or -errno.
 */
#ifndef ROBUST_H
#define ROBUST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "meminit.h"
#include "sim.h"

#define RB_GIB_PAGES    (1ull << 18)
#define RB_MIB_PAGES    (1ull << 8)
#define RB_LOWMEM       (3ull << 30)
#define RB_VGA_PAGES    0x20ull
/* The step of a broken rule in a struct meminit_error (-EPROTO). */
#define RB_STEP         "rule"

struct rb_guest {
    enum meminit_guest type;
    uint64_t mib;               /* RAM */
    uint64_t target_mib;        /* HVM PoD target, 0: none */
    unsigned int pnode;         /* MEMINIT_NO_NODE: meminit places it */
};

struct rb_build {
    struct sim_host *host;
    uint32_t domid;
    struct meminit_request req;
    struct meminit_stats st;
    struct meminit_error err;   /* the last build's */
    xen_pfn_t *p2m;             /* PV only */
    uint64_t populated;         /* frames a full build populates */
    uint64_t resident;          /* tot_pages after a full build */
};

struct rb_ledger {
    unsigned int nr_nodes;
    uint64_t total_free;
    uint64_t node_free[SIM_MAX_NODES];
};

int rb_guest_start(struct rb_build *b, struct sim_host *host, uint32_t domid,
                   const struct rb_guest *g);
void rb_guest_done(struct rb_build *b);

int rb_ledger_open(struct sim_host *host, struct rb_ledger *l);
int rb_ledger_check(struct sim_host *host, const struct rb_ledger *l,
                    const uint32_t *domids, unsigned int nr,
                    struct meminit_error *why);

/* Write the reason into why (len bytes) and return -EPROTO. */
/* Pages the stats say were populated with memory (all nodes, all sizes). */
uint64_t rb_stats_pages(const struct meminit_stats *st);

/* The domain's pages, node by node, are what the stats say. */
int rb_stats_honest(struct sim_host *host, const struct rb_build *b,
                    struct meminit_error *why);

void rb_result(bool ok, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

const char *rb_abi_name(enum sim_claim_abi abi);
const char *rb_guest_name(enum meminit_guest type);

/* A small deterministic generator: each program seeds its own. */
uint32_t rb_rand(uint64_t *state);

#endif /* ROBUST_H */
