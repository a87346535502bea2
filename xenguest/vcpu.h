/*
 * vcpu.h - vCPU settings from the platform keys, and soft affinity that
 * follows the memory.
 *
 * Contract:
 *  - xg_vcpu_apply(): hard affinity only for the vCPUs whose
 *    platform/vcpu/<n>/affinity key exists, and never an all-ones mask
 *    (that would undo the toolstack's own NUMA pinning), then
 *    the scheduler weight and cap where given (credit and credit2).
 *  - xg_vcpu_follow_memory(): when xenguest chose the node itself (or
 *    the interleave policy's node set), set every vCPU's SOFT affinity to
 *    the pCPUs of node_set (bit per node), unless the toolstack
 *    already restricted vCPU 0's hard or soft affinity (then *applied is
 *    false and nothing changes).
 *  - Both return 0 or -errno, recorded in *err with step "vcpu"
 *    (xg_vcpu_apply) or "vcpu-affinity" (xg_vcpu_follow_memory); nothing
 *    is printed.
 */
#ifndef XG_VCPU_H
#define XG_VCPU_H

#include <stdbool.h>
#include <stddef.h>
#include <xenctrl.h>

#include "error.h"
#include "platform.h"

struct xg_vcpu_ctx {
    xc_interface *xch;
    uint32_t domid;
    const struct xg_platform *plat;
};

int xg_vcpu_apply(const struct xg_vcpu_ctx *v, struct meminit_error *err);
int xg_vcpu_follow_memory(const struct xg_vcpu_ctx *v, uint64_t node_set,
                          bool *applied, unsigned int *nr_pcpus,
                          struct meminit_error *err);

#endif /* XG_VCPU_H */
