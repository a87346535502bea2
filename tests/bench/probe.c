/*
 * probe.c - the libxenctrl calls of both builders, timed and counted.
 *
 * libxenguest calls xc_domain_populate_physmap() (and the rest) with no
 * pointer of ours, so the only way to see the stock builder's individual
 * calls is to be the function it calls: these definitions in the executable
 * interpose on libxcsim.so's (simulator) or libxenctrl.so's (real Xen), the
 * way libxcsim.so itself interposes on libxenctrl. Each passes the call on
 * to the next definition in lookup order.
 *
 * That forces two pieces of file-scope state, both set only from main's
 * thread: the table of next definitions (resolved once, before any build)
 * and the probe in force (attached around one builder call). Everything
 * else lives in struct bench_probe.
 *
 * libxenctrl's own xc_domain_populate_physmap_exact() calls
 * xc_domain_populate_physmap() through its PLT, which lands here again:
 * only the outermost call is counted and timed (probe->depth).
 *
 * xc_domain_claim_pages_node and xc_domain_claim_memory are NOT defined
 * here: meminit refers to them weakly to learn whether the hypervisor has
 * them, and a definition here would make them look present on 4.17.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "probe.h"

#define PROBE_XC_VERSION "VERS_4.17.0"

typedef int physinfo_fn(xc_interface *, xc_physinfo_t *);
typedef int numainfo_fn(xc_interface *, unsigned *, xc_meminfo_t *,
                        uint32_t *);
typedef int getinfolist_fn(xc_interface *, uint32_t, unsigned int,
                           xc_domaininfo_t *);
typedef int claim_fn(xc_interface *, uint32_t, unsigned long);
typedef int populate_fn(xc_interface *, uint32_t, unsigned long,
                        unsigned int, unsigned int, xen_pfn_t *);
typedef int pod_fn(xc_interface *, uint32_t, uint64_t, uint64_t *,
                   uint64_t *, uint64_t *);
typedef int setmaxmem_fn(xc_interface *, uint32_t, uint64_t);
typedef int getaffinity_fn(xc_interface *, uint32_t, xc_nodemap_t);

static struct {
    physinfo_fn *physinfo;
    numainfo_fn *numainfo;
    getinfolist_fn *getinfolist;
    claim_fn *claim_pages;
    populate_fn *populate;
    populate_fn *populate_exact;
    pod_fn *set_pod_target;
    setmaxmem_fn *setmaxmem;
    getaffinity_fn *node_getaffinity;
} next;

static struct bench_probe *active;

uint64_t bench_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void *probe_next(const char *name)
{
    void *fn = dlvsym(RTLD_NEXT, name, PROBE_XC_VERSION);

    return fn ? fn : dlsym(RTLD_NEXT, name);
}

#define PROBE_RESOLVE(field, name)                                          \
    do {                                                                    \
        next.field = (__typeof__(next.field))probe_next(name);             \
        if ( !next.field )                                                  \
            missing = name;                                                 \
    } while ( 0 )

int probe_init(struct meminit_error *err)
{
    const char *missing = NULL;

    PROBE_RESOLVE(physinfo, "xc_physinfo");
    PROBE_RESOLVE(numainfo, "xc_numainfo");
    PROBE_RESOLVE(getinfolist, "xc_domain_getinfolist");
    PROBE_RESOLVE(claim_pages, "xc_domain_claim_pages");
    PROBE_RESOLVE(populate, "xc_domain_populate_physmap");
    PROBE_RESOLVE(populate_exact, "xc_domain_populate_physmap_exact");
    PROBE_RESOLVE(set_pod_target, "xc_domain_set_pod_target");
    PROBE_RESOLVE(setmaxmem, "xc_domain_setmaxmem");
    PROBE_RESOLVE(node_getaffinity, "xc_domain_node_getaffinity");
    if ( missing )
        return meminit_error_set(err, "probe", ENOSYS, "no definition of %s "
                                 "to pass calls on to", missing);
    return 0;
}

void probe_attach(struct bench_probe *p, struct bench_run *run)
{
    memset(p, 0, sizeof(*p));
    p->run = run;
    active = p;
}

void probe_detach(void)
{
    active = NULL;
}

static int size_of_order(unsigned int order)
{
    switch ( order )
    {
    case 0:
        return MEMINIT_4K;
    case 9:
        return MEMINIT_2M;
    case 18:
        return MEMINIT_1G;
    default:
        return -1;
    }
}

void probe_observe(struct bench_probe *p, unsigned int node,
                   unsigned int order, unsigned long nr)
{
    unsigned int row = node < BENCH_MAX_NODES ? node : BENCH_ANY;

    (void)order;    /* the call's own order is used: one order per call */
    p->pending[row] += nr;
    p->pending_total += nr;
}

/* The probe to account this call to: none when detached or nested. */
static struct bench_probe *probe_enter(void)
{
    struct bench_probe *p = active;

    if ( !p || p->depth )
        return NULL;
    p->depth++;
    return p;
}

static void probe_leave(struct bench_probe *p)
{
    p->depth--;
}

static void probe_count(struct bench_probe *p, enum bench_fn fn, int rc)
{
    p->run->fn_calls[fn]++;
    if ( rc < 0 )
        p->run->fn_failed[fn]++;
}

/* The call's time, shared between the nodes its extents came from. */
static void probe_spread(struct bench_probe *p, int size, uint64_t ns)
{
    uint64_t left = ns, seen = 0, share;
    struct bench_cell *cell;
    unsigned int row;

    for ( row = 0; row < BENCH_ROWS && seen < p->pending_total; row++ )
    {
        if ( !p->pending[row] )
            continue;
        seen += p->pending[row];
        share = seen == p->pending_total ? left :
                (uint64_t)((double)ns * p->pending[row] / p->pending_total);
        left -= share < left ? share : left;
        cell = &p->run->cell[row][size];
        cell->extents += p->pending[row];
        cell->ns += share;
        cell->calls++;
    }
}

/* Nothing observed: the node the flags name, else "any". */
static void probe_by_flags(struct bench_probe *p, int size,
                           unsigned int flags, uint64_t done, uint64_t ns)
{
    unsigned int field = (flags >> 8) & 0xffu;
    unsigned int row = field && field - 1 < BENCH_MAX_NODES ? field - 1
                                                              : BENCH_ANY;
    struct bench_cell *cell = &p->run->cell[row][size];

    cell->extents += done;
    cell->ns += ns;
    cell->calls++;
}

static void probe_populated(struct bench_probe *p, enum bench_fn fn,
                            unsigned int order, unsigned int flags,
                            unsigned long nr, uint64_t done, int rc,
                            uint64_t ns)
{
    int size = size_of_order(order);

    probe_count(p, fn, rc);
    p->run->populate_calls++;
    if ( done < nr )
        p->run->short_calls++;
    if ( size >= 0 && !(flags & XENMEMF_populate_on_demand) )
    {
        if ( p->pending_total )
            probe_spread(p, size, ns);
        else
            probe_by_flags(p, size, flags, done, ns);
        p->run->pages += (p->pending_total ? p->pending_total : done)
                         << order;
    }
    memset(p->pending, 0, sizeof(p->pending));
    p->pending_total = 0;
    probe_leave(p);
}

int xc_domain_populate_physmap(xc_interface *xch, uint32_t domid,
                               unsigned long nr_extents,
                               unsigned int extent_order,
                               unsigned int mem_flags,
                               xen_pfn_t *extent_start)
{
    struct bench_probe *p = probe_enter();
    uint64_t t0;
    int rc, err;

    if ( !p )
        return next.populate(xch, domid, nr_extents, extent_order, mem_flags,
                             extent_start);
    t0 = bench_now_ns();
    rc = next.populate(xch, domid, nr_extents, extent_order, mem_flags,
                       extent_start);
    err = errno;
    probe_populated(p, BENCH_FN_POPULATE, extent_order, mem_flags,
                    nr_extents, rc > 0 ? (uint64_t)rc : 0, rc,
                    bench_now_ns() - t0);
    errno = err;
    return rc;
}

/* _exact: 0 means every extent; on failure the count done is not known
 * unless the backend observed it. */
int xc_domain_populate_physmap_exact(xc_interface *xch, uint32_t domid,
                                     unsigned long nr_extents,
                                     unsigned int extent_order,
                                     unsigned int mem_flags,
                                     xen_pfn_t *extent_start)
{
    struct bench_probe *p = probe_enter();
    uint64_t t0;
    int rc, err;

    if ( !p )
        return next.populate_exact(xch, domid, nr_extents, extent_order,
                                   mem_flags, extent_start);
    t0 = bench_now_ns();
    rc = next.populate_exact(xch, domid, nr_extents, extent_order, mem_flags,
                             extent_start);
    err = errno;
    probe_populated(p, BENCH_FN_POPULATE_EXACT, extent_order, mem_flags,
                    nr_extents, rc == 0 ? nr_extents : 0, rc,
                    bench_now_ns() - t0);
    errno = err;
    return rc;
}

/* The other calls are counted only. */
#define PROBE_PASS(fn, call)                                                \
    do {                                                                    \
        struct bench_probe *p_ = probe_enter();                             \
        int rc_ = (call), err_ = errno;                                     \
                                                                            \
        if ( p_ )                                                           \
        {                                                                   \
            probe_count(p_, fn, rc_);                                       \
            probe_leave(p_);                                                \
        }                                                                   \
        errno = err_;                                                       \
        return rc_;                                                         \
    } while ( 0 )

int xc_physinfo(xc_interface *xch, xc_physinfo_t *info)
{
    PROBE_PASS(BENCH_FN_PHYSINFO, next.physinfo(xch, info));
}

int xc_numainfo(xc_interface *xch, unsigned *max_nodes,
                xc_meminfo_t *meminfo, uint32_t *distance)
{
    PROBE_PASS(BENCH_FN_NUMAINFO,
               next.numainfo(xch, max_nodes, meminfo, distance));
}

int xc_domain_getinfolist(xc_interface *xch, uint32_t first_domain,
                          unsigned int max_domains, xc_domaininfo_t *info)
{
    PROBE_PASS(BENCH_FN_GETINFOLIST,
               next.getinfolist(xch, first_domain, max_domains, info));
}

int xc_domain_claim_pages(xc_interface *xch, uint32_t domid,
                          unsigned long nr_pages)
{
    PROBE_PASS(BENCH_FN_CLAIM_PAGES, next.claim_pages(xch, domid, nr_pages));
}

int xc_domain_set_pod_target(xc_interface *xch, uint32_t domid,
                             uint64_t target_pages, uint64_t *tot_pages,
                             uint64_t *pod_cache_pages, uint64_t *pod_entries)
{
    PROBE_PASS(BENCH_FN_SET_POD_TARGET,
               next.set_pod_target(xch, domid, target_pages, tot_pages,
                                   pod_cache_pages, pod_entries));
}

int xc_domain_setmaxmem(xc_interface *xch, uint32_t domid, uint64_t max_memkb)
{
    PROBE_PASS(BENCH_FN_SETMAXMEM, next.setmaxmem(xch, domid, max_memkb));
}

int xc_domain_node_getaffinity(xc_interface *xch, uint32_t domind,
                               xc_nodemap_t nodemap)
{
    PROBE_PASS(BENCH_FN_NODE_GETAFFINITY,
               next.node_getaffinity(xch, domind, nodemap));
}
