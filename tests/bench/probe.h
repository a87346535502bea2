/*
 * probe.h - timing and counting every libxenctrl call a builder makes.
 *
 * Contract:
 *  - probe.c defines the libxenctrl functions both builders call
 *    (xc_domain_populate_physmap and friends). The executable's definitions
 *    come first in symbol lookup, so libxenguest's stock meminit and our
 *    libmeminit.a both call them; each passes the call on to the next
 *    definition (libxcsim.so's or libxenctrl.so's), found once by
 *    probe_init().
 *  - Between probe_attach() and probe_detach() every call is counted per
 *    function into the run, and every populate call is timed and its
 *    extents attributed to a node and page size: to the nodes the backend
 *    reports through probe_observe() during the call (the simulator knows
 *    where each extent came from), else to the node the memflags name, else
 *    to BENCH_ANY.
 *  - Outside that window the functions only pass calls on.
 *  - Not for threads: one builder runs at a time.
 */
#ifndef BENCH_PROBE_H
#define BENCH_PROBE_H

#include "bench.h"

struct bench_probe {
    struct bench_run *run;              /* where the figures go */
    uint64_t pending[BENCH_ROWS];       /* extents seen during the call */
    uint64_t pending_total;
    unsigned int depth;                 /* calls in flight: count outermost */
};

/* Find the real functions; -ENOSYS with the name of one that is missing. */
int probe_init(struct meminit_error *err);

void probe_attach(struct bench_probe *p, struct bench_run *run);
void probe_detach(void);

/* A backend saw `nr` extents of `order` come from `node` in this call. */
void probe_observe(struct bench_probe *p, unsigned int node,
                   unsigned int order, unsigned long nr);

uint64_t bench_now_ns(void);

#endif /* BENCH_PROBE_H */
