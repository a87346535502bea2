/*
 * parallel.h - populate one domain from several threads.
 *
 * Contract: parallel_populate() is the populate step of meminit_build().
 * It splits the layout into disjoint slices that end on 1 GiB frame
 * boundaries (the largest page size, so every slice gets the page sizes
 * the serial loop would), and hands out, in frame order, the slices that
 * the first node of their range has the free memory for, read now. Those
 * are populated by up to N threads, each running the serial loop
 * (populate_span()) on its slices; everything after them (the node
 * boundary, the spill) is populated serially from where the threads
 * stopped, with what they learnt about the nodes. The result:
 *  - the same frames on the same nodes in the same page sizes as serial,
 *    the same claim (never touched here; meminit_build() cancels it once),
 *    stats per node summed over the threads, per thread in stats->thread;
 *    one exception, on a fragmented node: when it runs out of free blocks
 *    of a smaller size while it still has larger ones, Xen splits a larger
 *    block for the smaller extent, and which extents get the larger
 *    blocks then depends on the order of the calls (serial splits a 1 GiB
 *    block for the 2 MiB extents below the first 1 GiB frame; threads may
 *    give it to a 1 GiB extent instead). Pages per node, 4 KiB pages and
 *    memory in superpages stayed the same in every simulated case
 *    (tests/unit/test_parallel.c);
 *  - fallbacks in frame order; a slice that falls short stops handing out
 *    more, and when several threads fall short at once on the same node
 *    each records the fallback (count may exceed serial's; the causes,
 *    nodes and orders are the same);
 *  - a failure in one thread stops the others before their next call; the
 *    first failure is recorded in c->err as the serial loop words it;
 *    req->stop stops every thread with -EINTR.
 * One thread (the serial loop, populate_all()) unless all of these hold,
 * with the reason in stats->threads_reason: req->populate_threads asks
 * for more than one (MEMINIT_THREADS_AUTO: dom0's online CPUs this process
 * may run on, up to MEMINIT_DEFAULT_THREADS; one-cpu when that is one);
 * the guest is not PoD (PoD entries take no memory); the policy is not
 * interleave (its per-node shares are counted as the
 * serial loop goes, policy.c);
 * placement names a node (Xen 4.17 spreads node-less requests round-robin
 * in call order, d->last_alloc_node, so threads would move pages between
 * nodes); claims cannot refuse our requests (our claim covers the guest,
 * or the others' claims leave room for it: else a claim limit is judged
 * on the host figures in order, as serial); the slices that fit span two
 * 1 GiB frame windows or more (a hole such as HVM's VGA hole cuts a window
 * into two slices, still one window's work); and Xen is
 * 4.17 to 4.21 (xc_version). Xen 4.22 made scrubbing inside
 * XENMEM_populate_physmap preemptible with ONE stashed page per domain,
 * designed for a single-threaded builder: concurrent populate calls for
 * one domain trash the stash and slow the build down (xen-project/xen
 * commit 83a784a15b47, "xen/mm: allow deferred scrub of physmap populate
 * allocated pages", first in 4.22.0-rc1). 4.17 to 4.21 scrub inside
 * alloc_heap_pages() after dropping the heap lock, on the calling CPU,
 * with no per-domain state, so calls for disjoint frames run side by
 * side. Older than 4.17 is not verified: serial. Returns 0 or -errno.
 *
 * The threads share req->xch: libxenctrl is re-entrant by default
 * (xenctrl.h, XC_OPENFLAG_NON_REENTRANT is the opt-out) and the only state
 * xc_domain_populate_physmap() touches in the handle is xencall's
 * hypercall-buffer cache, under a process-wide mutex
 * (tools/libs/call/buffer.c, 4.17); its error text (xc_get_last_error) is
 * written only when bouncing a buffer fails, and meminit reads errno,
 * which is per thread.
 */
#ifndef MEMINIT_PARALLEL_H
#define MEMINIT_PARALLEL_H

#include "ctx.h"

int parallel_populate(struct mi_ctx *c);

#endif /* MEMINIT_PARALLEL_H */
