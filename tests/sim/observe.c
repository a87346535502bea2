/*
 * observe.c - reporting populates to an observer (tests, the benchmark).
 *
 * The observer runs after the host lock is dropped, so it may call back into
 * the simulator. It needs the gfns as the caller passed them, but a PV
 * populate overwrites them with mfns under the lock: they are copied first.
 * A batch whose extents came from several nodes is reported as one call per
 * run of extents from the same node.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"

static void sim_observe_free(struct sim_observation *obs)
{
    free(obs->gfns);
    free(obs->node_of);
    obs->gfns = NULL;
    obs->node_of = NULL;
}

int sim_observe_begin(struct sim_host *host, struct sim_populate *req,
                      struct sim_observation *obs)
{
    memset(obs, 0, sizeof(*obs));
    if ( !host->observer || !req->nr )
        return 0;
    obs->gfns = calloc(req->nr, sizeof(*obs->gfns));
    obs->node_of = calloc(req->nr, sizeof(*obs->node_of));
    if ( !obs->gfns || !obs->node_of )
    {
        sim_observe_free(obs);
        return -ENOMEM;
    }
    memcpy(obs->gfns, req->extents, req->nr * sizeof(*obs->gfns));
    obs->fn = host->observer;
    obs->opaque = host->observer_opaque;
    req->node_of = obs->node_of;
    return 0;
}

static void sim_observe_runs(const struct sim_observation *obs,
                             const struct sim_populate *req,
                             unsigned long done)
{
    unsigned long start = 0, i;

    for ( i = 1; i <= done; i++ )
    {
        if ( i < done && obs->node_of[i] == obs->node_of[start] )
            continue;
        obs->fn(obs->opaque, req->domid, obs->gfns + start, i - start,
                req->order, obs->node_of[start], false);
        start = i;
    }
}

void sim_observe_end(struct sim_observation *obs,
                     const struct sim_populate *req, long done)
{
    int saved = errno;

    if ( obs->fn && done > 0 )
    {
        if ( req->memflags & SIM_MEMF_POD )
            obs->fn(obs->opaque, req->domid, obs->gfns, (unsigned long)done,
                    req->order, SIM_NO_NODE, true);
        else
            sim_observe_runs(obs, req, (unsigned long)done);
    }
    sim_observe_free(obs);
    errno = saved;
}
