/*
 * vcpu.c - hard affinity, scheduler parameters, soft affinity.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mask.h"
#include "vcpu.h"

struct maps {
    int bytes;
    uint8_t *hard;
    uint8_t *soft;
};

static int maps_alloc(const struct xg_vcpu_ctx *v, struct maps *m)
{
    m->bytes = xc_get_cpumap_size(v->xch);
    if ( m->bytes <= 0 )
        return -(errno ? errno : EIO);
    m->hard = calloc(1, (size_t)m->bytes);
    m->soft = calloc(1, (size_t)m->bytes);
    return m->hard && m->soft ? 0 : -ENOMEM;
}

static void maps_free(struct maps *m)
{
    free(m->hard);
    free(m->soft);
}

#define STEP        "vcpu"              /* xg_vcpu_apply() */
#define STEP_SOFT   "vcpu-affinity"     /* xg_vcpu_follow_memory() */

static int set_hard(const struct xg_vcpu_ctx *v, struct maps *m,
                    unsigned int vcpu, struct meminit_error *err)
{
    const struct xg_mask_report report = { err, STEP, NULL };
    unsigned int nr;
    int rc = xg_mask_parse(v->plat->affinity[vcpu], m->hard,
                           (size_t)m->bytes, &nr, &report);

    if ( rc )
        return rc;
    /* All ones is "anywhere": writing it would only undo a pinning the
     * toolstack made itself (it pins vCPUs directly nowadays). */
    if ( xg_mask_weight(m->hard, nr) == nr )
        return 0;
    if ( xc_vcpu_setaffinity(v->xch, v->domid, (int)vcpu, m->hard, m->soft,
                             XEN_VCPUAFFINITY_HARD) )
        return meminit_error_set(err, STEP, errno, "vcpu %u hard affinity: "
                                 "%s", vcpu, strerror(errno));
    return 0;
}

static int sched(const struct xg_vcpu_ctx *v, struct meminit_error *err)
{
    const struct xg_platform *p = v->plat;
    int id, rc = 0;

    if ( !p->has_weight && !p->has_cap )
        return 0;
    if ( xc_sched_id(v->xch, &id) )
        return meminit_error_set(err, STEP, errno, "scheduler: %s",
                                 strerror(errno));
    if ( id == XEN_SCHEDULER_CREDIT )
    {
        struct xen_domctl_sched_credit c;

        rc = xc_sched_credit_domain_get(v->xch, v->domid, &c);
        c.weight = p->has_weight ? p->weight : c.weight;
        c.cap = p->has_cap ? p->cap : c.cap;
        rc = rc ? rc : xc_sched_credit_domain_set(v->xch, v->domid, &c);
    }
    else if ( id == XEN_SCHEDULER_CREDIT2 )
    {
        struct xen_domctl_sched_credit2 c;

        rc = xc_sched_credit2_domain_get(v->xch, v->domid, &c);
        c.weight = p->has_weight ? p->weight : c.weight;
        c.cap = p->has_cap ? p->cap : c.cap;
        rc = rc ? rc : xc_sched_credit2_domain_set(v->xch, v->domid, &c);
    }
    if ( rc )
        return meminit_error_set(err, STEP, errno, "weight/cap: %s",
                                 strerror(errno));
    return 0;
}

int xg_vcpu_apply(const struct xg_vcpu_ctx *v, struct meminit_error *err)
{
    struct maps m = { 0 };
    unsigned int i;
    int rc = v->plat->nr_affinity ? maps_alloc(v, &m) : 0;

    if ( rc )
        meminit_error_set(err, STEP, rc, "cpumap: %s", strerror(-rc));
    for ( i = 0; !rc && i < v->plat->vcpus; i++ )
        if ( v->plat->affinity[i] )
            rc = set_hard(v, &m, i, err);
    maps_free(&m);
    return rc ? rc : sched(v, err);
}

/* cpu -> node for every pCPU; *nr gets the count. */
static int cpu_nodes(xc_interface *xch, uint32_t **out, unsigned int *nr)
{
    xc_cputopo_t *topo;
    unsigned int i, n = 0;
    int rc = -EIO;

    if ( xc_cputopoinfo(xch, &n, NULL) || n == 0 )
        return -(errno ? errno : EIO);
    topo = calloc(n, sizeof(*topo));
    *out = calloc(n, sizeof(**out));
    if ( topo && *out && !xc_cputopoinfo(xch, &n, topo) )
    {
        for ( i = 0; i < n; i++ )
            (*out)[i] = topo[i].node;
        *nr = n;
        rc = 0;
    }
    free(topo);
    return rc;
}

/* vCPU 0's affinity restricted by someone already? */
static int restricted(const struct xg_vcpu_ctx *v, struct maps *m,
                      unsigned int nr_cpus, bool *yes)
{
    if ( xc_vcpu_getaffinity(v->xch, v->domid, 0, m->hard, m->soft,
                             XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT) )
        return -(errno ? errno : EIO);
    if ( nr_cpus > (unsigned int)m->bytes * 8 )
        nr_cpus = (unsigned int)m->bytes * 8;   /* a CPU hotplugged since */
    *yes = !xg_mask_is_full(m->hard, nr_cpus) ||
           !xg_mask_is_full(m->soft, nr_cpus);
    return 0;
}

static int nr_vcpus(const struct xg_vcpu_ctx *v, unsigned int *nr)
{
    xc_domaininfo_t info;

    if ( xc_domain_getinfolist(v->xch, v->domid, 1, &info) != 1 ||
         info.domain != v->domid )
        return -(errno ? errno : ESRCH);
    *nr = info.max_vcpu_id + 1;
    return 0;
}

int xg_vcpu_follow_memory(const struct xg_vcpu_ctx *v, uint64_t node_set,
                          bool *applied, unsigned int *nr_pcpus,
                          struct meminit_error *err)
{
    struct maps m = { 0 };
    uint32_t *nodes = NULL;
    unsigned int nr_cpus = 0, vcpus = 0, i;
    bool busy = false;
    int rc = maps_alloc(v, &m);

    *applied = false;
    rc = rc ? rc : cpu_nodes(v->xch, &nodes, &nr_cpus);
    rc = rc ? rc : restricted(v, &m, nr_cpus, &busy);
    rc = rc ? rc : nr_vcpus(v, &vcpus);
    if ( !rc && !busy )
    {
        rc = xg_mask_from_nodes(nodes, nr_cpus, node_set, m.soft,
                                (size_t)m.bytes);
        *nr_pcpus = rc > 0 ? (unsigned int)rc : 0;
        rc = rc > 0 ? 0 : rc;
        for ( i = 0; !rc && i < vcpus; i++ )
            if ( xc_vcpu_setaffinity(v->xch, v->domid, (int)i, m.hard, m.soft,
                                     XEN_VCPUAFFINITY_SOFT) )
                rc = -(errno ? errno : EIO);
        *applied = !rc;
    }
    if ( rc )
        meminit_error_set(err, STEP_SOFT, rc, "soft affinity to nodes "
                          "%#llx: %s", (unsigned long long)node_set,
                          strerror(-rc));
    free(nodes);
    maps_free(&m);
    return rc;
}
