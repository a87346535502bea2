/*
 * topo.c - what the host says about itself: XEN_SYSCTL_physinfo and
 * XEN_SYSCTL_numainfo as libxenctrl returns them.
 *
 * Free memory is reported as Xen does: claims are NOT subtracted from a
 * node's memfree (a builder that wants the unclaimed amount must subtract
 * physinfo's outstanding_pages itself, and cannot do it per node).
 */
#include <errno.h>
#include <string.h>

#include "sim_internal.h"

#define SIM_CPU_KHZ         2000000u
#define SIM_CPUS_PER_NODE   2u

static uint32_t sim_physcaps(void)
{
    uint32_t caps = 0;

#ifdef XEN_SYSCTL_PHYSCAP_hvm
    caps |= XEN_SYSCTL_PHYSCAP_hvm;
#endif
#ifdef XEN_SYSCTL_PHYSCAP_pv
    caps |= XEN_SYSCTL_PHYSCAP_pv;
#endif
    return caps;
}

int sim_op_physinfo(const struct sim_state *st, xc_physinfo_t *info)
{
    memset(info, 0, sizeof(*info));
    info->threads_per_core = 1;
    info->cores_per_socket = SIM_CPUS_PER_NODE;
    info->nr_cpus = SIM_CPUS_PER_NODE * st->nr_nodes;
    info->max_cpu_id = info->nr_cpus - 1;
    info->nr_nodes = st->nr_nodes;
    /* As Xen 4.17 (sysctl.c): MAX_NUMNODES - 1, whatever is online; the
     * node count is numainfo's. */
    info->max_node_id = SIM_MAX_NODES - 1;
    info->cpu_khz = SIM_CPU_KHZ;
    info->capabilities = sim_physcaps();
    info->total_pages = st->total_pages;
    info->free_pages = st->free_pages;
    info->scrub_pages = 0;
    info->outstanding_pages = st->outstanding;
    info->max_mfn = ((uint64_t)st->nr_nodes << 40) - 1;
    return 0;
}

static void sim_numa_fill(const struct sim_state *st, xc_meminfo_t *meminfo,
                          uint32_t *distance)
{
    unsigned int i, j, n = st->nr_nodes;

    for ( i = 0; i < n; i++ )
    {
        if ( meminfo )
        {
            meminfo[i].memsize = st->node[i].pages * XC_PAGE_SIZE;
            meminfo[i].memfree = sim_node_free(&st->node[i]) * XC_PAGE_SIZE;
        }
        for ( j = 0; distance && j < n; j++ )
            distance[i * n + j] = st->node[i].distance[j];
    }
}

int sim_op_numainfo(const struct sim_state *st, unsigned int *max_nodes,
                    xc_meminfo_t *meminfo, uint32_t *distance)
{
    unsigned int room;

    if ( !max_nodes )
        return -EFAULT;
    room = *max_nodes;
    *max_nodes = st->nr_nodes;
    if ( !meminfo && !distance )
        return 0;
    if ( room < st->nr_nodes )
        return -ENOBUFS;
    sim_numa_fill(st, meminfo, distance);
    return 0;
}
