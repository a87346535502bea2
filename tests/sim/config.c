/*
 * config.c - building and checking a host description.
 *
 * A node's free memory is three counts: free 1 GiB blocks, free 2 MiB blocks
 * (outside the 1 GiB ones) and free 4 KiB pages (outside both). A fresh node
 * is as unfragmented as its size allows; sim_config_fragment() re-splits the
 * same amount of free memory into smaller blocks, which is how tests model a
 * host whose 1 GiB (or 2 MiB) blocks are gone.
 */
#include <errno.h>
#include <string.h>

#include "sim_internal.h"

#define SIM_DIST_LOCAL  10u
#define SIM_DIST_REMOTE 20u

static uint64_t sim_cfg_free(const struct sim_node_config *n)
{
    return n->free_1g * SIM_PAGES_1G + n->free_2m * SIM_PAGES_2M + n->free_4k;
}

/* Split `pages` free pages: at most n1g 1 GiB and n2m 2 MiB blocks. */
static void sim_split(struct sim_node_config *n, uint64_t pages,
                      uint64_t n1g, uint64_t n2m)
{
    uint64_t max1g = pages / SIM_PAGES_1G;
    uint64_t max2m;

    n->free_1g = n1g < max1g ? n1g : max1g;
    pages -= n->free_1g * SIM_PAGES_1G;
    max2m = pages / SIM_PAGES_2M;
    n->free_2m = n2m < max2m ? n2m : max2m;
    n->free_4k = pages - n->free_2m * SIM_PAGES_2M;
}

void sim_config_uniform(struct sim_config *cfg, unsigned int nr_nodes,
                        uint64_t pages_per_node)
{
    unsigned int i, j;

    memset(cfg, 0, sizeof(*cfg));
    cfg->nr_nodes = nr_nodes;
    cfg->claim_abi = SIM_CLAIM_UPSTREAM;
    for ( i = 0; i < nr_nodes && i < SIM_MAX_NODES; i++ )
    {
        cfg->node[i].pages = pages_per_node;
        sim_split(&cfg->node[i], pages_per_node, UINT64_MAX, UINT64_MAX);
        for ( j = 0; j < nr_nodes && j < SIM_MAX_NODES; j++ )
            cfg->distance[i][j] = i == j ? SIM_DIST_LOCAL : SIM_DIST_REMOTE;
    }
}

void sim_config_fragment(struct sim_config *cfg, unsigned int node,
                         uint64_t n1g, uint64_t n2m)
{
    struct sim_node_config *n;

    if ( !cfg || node >= SIM_MAX_NODES )
        return;
    n = &cfg->node[node];
    sim_split(n, sim_cfg_free(n), n1g, n2m);
}

static int sim_node_check(const struct sim_node_config *n)
{
    /* Bound each count first so that the sum cannot wrap. */
    if ( n->free_1g > n->pages / SIM_PAGES_1G ||
         n->free_2m > n->pages / SIM_PAGES_2M || n->free_4k > n->pages )
        return -EINVAL;
    if ( n->pages >= (1ull << 40) || sim_cfg_free(n) > n->pages )
        return -EINVAL;
    return 0;
}

int sim_config_check(const struct sim_config *cfg)
{
    unsigned int i;
    int rc;

    if ( cfg->nr_nodes < 1 || cfg->nr_nodes > SIM_MAX_NODES )
        return -EINVAL;
    if ( cfg->claim_abi > SIM_CLAIM_NONE )
        return -EINVAL;
    for ( i = 0; i < cfg->nr_nodes; i++ )
    {
        rc = sim_node_check(&cfg->node[i]);
        if ( rc )
            return rc;
    }
    return 0;
}

static uint32_t sim_distance(const struct sim_config *cfg, unsigned int i,
                             unsigned int j)
{
    if ( cfg->distance[i][j] )
        return cfg->distance[i][j];
    return i == j ? SIM_DIST_LOCAL : SIM_DIST_REMOTE;
}

void sim_config_apply(struct sim_state *st, const struct sim_config *cfg)
{
    unsigned int i, j;
    struct sim_node_state *n;

    st->nr_nodes = cfg->nr_nodes;
    st->claim_abi = cfg->claim_abi;
    st->xen_version = cfg->xen_version ? cfg->xen_version : SIM_XEN_4_17;
    for ( i = 0; i < cfg->nr_nodes; i++ )
    {
        n = &st->node[i];
        n->pages = cfg->node[i].pages;
        n->free_1g = cfg->node[i].free_1g;
        n->free_2m = cfg->node[i].free_2m;
        n->free_4k = cfg->node[i].free_4k;
        for ( j = 0; j < cfg->nr_nodes; j++ )
            n->distance[j] = sim_distance(cfg, i, j);
        st->total_pages += n->pages;
        st->free_pages += sim_node_free(n);
    }
}
