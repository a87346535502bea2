/*
 * xc_stubs.c - the libxenctrl calls, answered by the simulated host.
 *
 * Each stand-in has libxenctrl 4.17's signature and is exported under its
 * symbol version (xcsim.map), so libxenguest's own meminit calls land here
 * too. Each one is the same bracket: sim_call_begin (lock, count, injected
 * fault), one sim_op_* on the state, sim_call_end (unlock, -1 + errno).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sim_internal.h"

int xc_physinfo(xc_interface *xch, xc_physinfo_t *info)
{
    struct sim_host *host = sim_call_begin(xch, SIM_FN_PHYSINFO);
    long rc = -EFAULT;

    if ( !host )
        return -1;
    if ( info )
        rc = sim_op_physinfo(host->st, info);
    return (int)sim_call_end(host, SIM_FN_PHYSINFO, rc);
}

int xc_numainfo(xc_interface *xch, unsigned *max_nodes,
                xc_meminfo_t *meminfo, uint32_t *distance)
{
    struct sim_host *host = sim_call_begin(xch, SIM_FN_NUMAINFO);
    long rc;

    if ( !host )
        return -1;
    rc = sim_op_numainfo(host->st, max_nodes, meminfo, distance);
    return (int)sim_call_end(host, SIM_FN_NUMAINFO, rc);
}

int xc_domain_getinfolist(xc_interface *xch, uint32_t first_domain,
                          unsigned int max_domains, xc_domaininfo_t *info)
{
    struct sim_host *host = sim_call_begin(xch, SIM_FN_GETINFOLIST);
    long rc = -EFAULT;

    if ( !host )
        return -1;
    if ( info || !max_domains )
        rc = sim_op_dom_getinfo(host->st, first_domain, max_domains, info);
    return (int)sim_call_end(host, SIM_FN_GETINFOLIST, rc);
}

int xc_domain_claim_pages(xc_interface *xch, uint32_t domid,
                          unsigned long nr_pages)
{
    struct sim_host *host = sim_call_begin(xch, SIM_FN_CLAIM_PAGES);
    long rc;

    if ( !host )
        return -1;
    rc = sim_op_claim_pages(host->st, domid, nr_pages);
    return (int)sim_call_end(host, SIM_FN_CLAIM_PAGES, rc);
}

int xc_domain_claim_pages_node(xc_interface *xch, uint32_t domid,
                               unsigned int node, unsigned long nr_pages)
{
    struct sim_host *host = sim_call_begin(xch, SIM_FN_CLAIM_PAGES_NODE);
    long rc;

    if ( !host )
        return -1;
    rc = sim_op_claim_node(host->st, domid, node, nr_pages);
    return (int)sim_call_end(host, SIM_FN_CLAIM_PAGES_NODE, rc);
}

/* The claim-set call as the v7 series declares it (claimset/xenctrl.h). */
int xc_domain_claim_memory(xc_interface *xch, uint32_t domid, uint32_t mode,
                           uint32_t *nr_entries, xen_memory_claim_t *claim_set)
{
    struct sim_host *host = sim_call_begin(xch, SIM_FN_CLAIM_MEMORY);
    long rc;

    if ( !host )
        return -1;
    rc = sim_op_claim_memory(host->st, domid, mode, nr_entries, claim_set);
    return (int)sim_call_end(host, SIM_FN_CLAIM_MEMORY, rc);
}

/* Both populate calls: the count done, or for _exact 0 / EBUSY. */
static int sim_populate_call(xc_interface *xch, enum sim_fn fn,
                             struct sim_populate *req)
{
    struct sim_host *host = sim_call_begin(xch, fn);
    struct sim_observation obs;
    long rc, done = 0;

    if ( !host )
        return -1;
    memset(&obs, 0, sizeof(obs));
    rc = req->nr && !req->extents ? -EFAULT : 0;
    if ( !rc )
        rc = sim_observe_begin(host, req, &obs);
    if ( !rc )
        rc = done = sim_op_populate(host->st, req);
    /*
     * libxc's _exact: 0 when every extent was done, else EBUSY; the extents
     * done stay allocated.
     */
    if ( fn == SIM_FN_POPULATE_EXACT && rc >= 0 )
        rc = (unsigned long)rc == req->nr ? 0 : -EBUSY;
    rc = sim_call_end(host, fn, rc);
    sim_observe_end(&obs, req, done);
    return (int)rc;
}

int xc_domain_populate_physmap(xc_interface *xch, uint32_t domid,
                               unsigned long nr_extents,
                               unsigned int extent_order,
                               unsigned int mem_flags,
                               xen_pfn_t *extent_start)
{
    struct sim_populate req = {
        .domid = domid, .nr = nr_extents, .order = extent_order,
        .memflags = mem_flags, .extents = extent_start,
    };

    return sim_populate_call(xch, SIM_FN_POPULATE, &req);
}

int xc_domain_populate_physmap_exact(xc_interface *xch, uint32_t domid,
                                     unsigned long nr_extents,
                                     unsigned int extent_order,
                                     unsigned int mem_flags,
                                     xen_pfn_t *extent_start)
{
    struct sim_populate req = {
        .domid = domid, .nr = nr_extents, .order = extent_order,
        .memflags = mem_flags, .extents = extent_start,
    };

    return sim_populate_call(xch, SIM_FN_POPULATE_EXACT, &req);
}

static void sim_put(uint64_t *dst, uint64_t val)
{
    if ( dst )
        *dst = val;
}

int xc_domain_set_pod_target(xc_interface *xch, uint32_t domid,
                             uint64_t target_pages, uint64_t *tot_pages,
                             uint64_t *pod_cache_pages, uint64_t *pod_entries)
{
    struct sim_host *host = sim_call_begin(xch, SIM_FN_SET_POD_TARGET);
    uint64_t out[3];
    long rc;

    if ( !host )
        return -1;
    rc = sim_op_set_pod_target(host->st, domid, target_pages, out);
    rc = sim_call_end(host, SIM_FN_SET_POD_TARGET, rc);
    /* As libxc: the outputs are written on success only. */
    if ( rc == 0 )
    {
        sim_put(tot_pages, out[0]);
        sim_put(pod_cache_pages, out[1]);
        sim_put(pod_entries, out[2]);
    }
    return (int)rc;
}

static long sim_op_setmaxmem(struct sim_state *st, uint32_t domid,
                             uint64_t max_memkb)
{
    struct sim_dom_state *dom = sim_dom_find(st, domid);

    if ( !dom )
        return -ESRCH;
    dom->max_pages = max_memkb / (XC_PAGE_SIZE / 1024);
    return 0;
}

int xc_domain_setmaxmem(xc_interface *xch, uint32_t domid, uint64_t max_memkb)
{
    struct sim_host *host = sim_call_begin(xch, SIM_FN_SETMAXMEM);
    long rc;

    if ( !host )
        return -1;
    rc = sim_op_setmaxmem(host->st, domid, max_memkb);
    return (int)sim_call_end(host, SIM_FN_SETMAXMEM, rc);
}

static long sim_op_getaffinity(struct sim_state *st, uint32_t domid,
                               xc_nodemap_t nodemap)
{
    const struct sim_dom_state *dom = sim_dom_find(st, domid);
    unsigned int i;

    if ( !dom )
        return -ESRCH;
    if ( !nodemap )
        return -EFAULT;
    memset(nodemap, 0, (st->nr_nodes + 7) / 8);
    for ( i = 0; i < st->nr_nodes; i++ )
    {
        if ( !dom->affinity || (dom->affinity & (1ull << i)) )
            nodemap[i / 8] |= (uint8_t)(1u << (i % 8));
    }
    return 0;
}

int xc_domain_node_getaffinity(xc_interface *xch, uint32_t domind,
                               xc_nodemap_t nodemap)
{
    struct sim_host *host = sim_call_begin(xch, SIM_FN_NODE_GETAFFINITY);
    long rc;

    if ( !host )
        return -1;
    rc = sim_op_getaffinity(host->st, domind, nodemap);
    return (int)sim_call_end(host, SIM_FN_NODE_GETAFFINITY, rc);
}

/*
 * XEN_DOMCTL_setnodeaffinity as libxenctrl 4.17 sends it and Xen applies
 * it: the map is xc_get_nodemap_size() bytes (one bit per node of this
 * host); a map with no online node is EINVAL; a full map turns Xen's
 * auto_node_affinity back on only when it covers all of MAX_NUMNODES (64)
 * bits, which a map of this size does only on a 64-node host. Otherwise
 * the mask is kept as given; allocations clamp it to the online nodes.
 */
static long sim_op_setaffinity(struct sim_state *st, uint32_t domid,
                               const uint8_t *nodemap)
{
    struct sim_dom_state *dom = sim_dom_find(st, domid);
    uint64_t mask = 0, online;
    unsigned int i, bytes = (st->nr_nodes + 7) / 8;

    if ( !dom )
        return -ESRCH;
    if ( !nodemap )
        return -EFAULT;
    for ( i = 0; i < bytes * 8 && i < 64; i++ )
        if ( nodemap[i / 8] & (1u << (i % 8)) )
            mask |= 1ull << i;
    online = st->nr_nodes >= 64 ? ~0ull : (1ull << st->nr_nodes) - 1;
    if ( !(mask & online) )
        return -EINVAL;
    dom->affinity = mask == ~0ull ? 0 : mask;
    return 0;
}

int xc_domain_node_setaffinity(xc_interface *xch, uint32_t domind,
                               xc_nodemap_t nodemap)
{
    struct sim_host *host = sim_call_begin(xch, SIM_FN_NODE_SETAFFINITY);
    long rc;

    if ( !host )
        return -1;
    rc = sim_op_setaffinity(host->st, domind, nodemap);
    return (int)sim_call_end(host, SIM_FN_NODE_SETAFFINITY, rc);
}

/* Not counted: no hypercall behind it once libxc has cached the answer. */
int xc_get_max_nodes(xc_interface *xch)
{
    struct sim_host *host = sim_from_xch(xch);

    if ( !host )
    {
        errno = EBADF;
        return -1;
    }
    return (int)host->st->nr_nodes;
}

/*
 * XENVER_version (major << 16 | minor, sim_config.xen_version), and the two
 * strings libxenguest reads (XENVER_extraversion, XENVER_capabilities: an
 * x86-64 host with HVM). Anything else: ENOSYS.
 */
static long sim_op_version(const struct sim_state *st, int cmd, void *arg)
{
    static const char caps[] = "xen-3.0-x86_64 hvm-3.0-x86_32 "
                               "hvm-3.0-x86_32p hvm-3.0-x86_64";

    switch ( cmd )
    {
    case XENVER_version:
        return (long)st->xen_version;
    case XENVER_extraversion:
        if ( !arg )
            return -EFAULT;
        snprintf(arg, sizeof(xen_extraversion_t), ".0");
        return 0;
    case XENVER_capabilities:
        if ( !arg )
            return -EFAULT;
        snprintf(arg, sizeof(xen_capabilities_info_t), "%s", caps);
        return 0;
    }
    return -ENOSYS;
}

int xc_version(xc_interface *xch, int cmd, void *arg)
{
    struct sim_host *host = sim_call_begin(xch, SIM_FN_VERSION);
    long rc;

    if ( !host )
        return -1;
    rc = sim_op_version(host->st, cmd, arg);
    return (int)sim_call_end(host, SIM_FN_VERSION, rc);
}
