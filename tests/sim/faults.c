/*
 * faults.c - call accounting and fault injection, the bracket every xc_*
 * stand-in runs in.
 *
 * sim_call_begin() takes the host lock, counts the call, and consults this
 * process's fault table: an armed fault whose count runs out makes the call
 * fail there and then, with nothing done. sim_call_end() counts a failure,
 * drops the lock and turns -errno into libxenctrl's -1 + errno. The fault
 * table is per handle (per process) but guarded by the host lock, which
 * every caller already holds.
 */
#include <errno.h>
#include <string.h>

#include "sim_internal.h"

static const char *const sim_fn_names[SIM_FN_NR] = {
    [SIM_FN_PHYSINFO]          = "xc_physinfo",
    [SIM_FN_NUMAINFO]          = "xc_numainfo",
    [SIM_FN_GETINFOLIST]       = "xc_domain_getinfolist",
    [SIM_FN_CLAIM_PAGES]       = "xc_domain_claim_pages",
    [SIM_FN_CLAIM_PAGES_NODE]  = "xc_domain_claim_pages_node",
    [SIM_FN_CLAIM_MEMORY]      = "xc_domain_claim_memory",
    [SIM_FN_POPULATE]          = "xc_domain_populate_physmap",
    [SIM_FN_POPULATE_EXACT]    = "xc_domain_populate_physmap_exact",
    [SIM_FN_SET_POD_TARGET]    = "xc_domain_set_pod_target",
    [SIM_FN_SETMAXMEM]         = "xc_domain_setmaxmem",
    [SIM_FN_NODE_GETAFFINITY]  = "xc_domain_node_getaffinity",
    [SIM_FN_NODE_SETAFFINITY]  = "xc_domain_node_setaffinity",
    [SIM_FN_VERSION]           = "xc_version",
};

const char *sim_fn_name(enum sim_fn fn)
{
    if ( (unsigned int)fn >= SIM_FN_NR )
        return NULL;
    return sim_fn_names[fn];
}

int sim_fn_lookup(const char *name, enum sim_fn *out)
{
    unsigned int i;

    if ( !name || !out )
        return -EINVAL;
    for ( i = 0; i < SIM_FN_NR; i++ )
    {
        if ( !strcmp(name, sim_fn_names[i]) )
        {
            *out = (enum sim_fn)i;
            return 0;
        }
    }
    return -ENOENT;
}

static struct sim_fault_slot *sim_fault_slot(struct sim_host *host)
{
    unsigned int i;

    for ( i = 0; i < SIM_MAX_FAULTS; i++ )
    {
        if ( !host->fault[i].armed )
            return &host->fault[i];
    }
    return NULL;
}

int sim_fault(struct sim_host *host, enum sim_fn fn, unsigned int nth, int err)
{
    struct sim_fault_slot *slot;
    int rc;

    if ( !host || (unsigned int)fn >= SIM_FN_NR || !nth || err <= 0 )
        return -EINVAL;
    rc = sim_lock(host);
    if ( rc )
        return rc;
    slot = sim_fault_slot(host);
    if ( slot )
    {
        slot->armed = true;
        slot->fn = fn;
        slot->left = nth;
        slot->err = err;
    }
    sim_unlock(host);
    return slot ? 0 : -ENOSPC;
}

void sim_fault_clear(struct sim_host *host)
{
    if ( !host || sim_lock(host) )
        return;
    memset(host->fault, 0, sizeof(host->fault));
    sim_unlock(host);
}

/* Count this call down on every fault armed for fn; the errno to fail with. */
static int sim_fault_fire(struct sim_host *host, enum sim_fn fn)
{
    struct sim_fault_slot *slot;
    unsigned int i;
    int err = 0;

    for ( i = 0; i < SIM_MAX_FAULTS; i++ )
    {
        slot = &host->fault[i];
        if ( !slot->armed || slot->fn != fn || --slot->left )
            continue;
        slot->armed = false;
        if ( !err )
            err = slot->err;
    }
    return err;
}

struct sim_host *sim_call_begin(xc_interface *xch, enum sim_fn fn)
{
    struct sim_host *host = sim_from_xch(xch);
    int rc, err;

    if ( !host )
    {
        errno = EBADF;
        return NULL;
    }
    if ( host->call_hook )
        host->call_hook(host->call_hook_opaque, fn);
    rc = sim_lock(host);
    if ( rc )
    {
        errno = -rc;
        return NULL;
    }
    host->st->calls[fn]++;
    err = sim_fault_fire(host, fn);
    if ( !err )
        return host;
    host->st->calls_failed[fn]++;
    sim_unlock(host);
    errno = err;
    return NULL;
}

long sim_call_end(struct sim_host *host, enum sim_fn fn, long rc)
{
    if ( rc < 0 )
        host->st->calls_failed[fn]++;
    sim_unlock(host);
    if ( rc >= 0 )
        return rc;
    errno = (int)-rc;
    return -1;
}
