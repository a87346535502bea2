/*
 * robust.c - guests, ledgers and result lines for the robustness programs.
 *
 * The ledger is the point of this file: a build that fails half way, a
 * builder killed by a signal and sixteen builders racing for one host must
 * all leave the host's books balanced. The simulator keeps per-node free
 * counts and per-domain per-node page counts independently, so comparing
 * their sums with a snapshot catches a page lost, a page given twice and a
 * claim left behind.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "robust.h"

static void hvm_layout(struct meminit_request *req, uint64_t mib)
{
    uint64_t bytes = mib << 20;

    req->guest = MEMINIT_GUEST_HVM;
    req->hvm.device_model = true;
    req->hvm.mmio_start = RB_LOWMEM;
    req->hvm.mmio_size = (4ull << 30) - RB_LOWMEM;
    req->hvm.lowmem_end = bytes < RB_LOWMEM ? bytes : RB_LOWMEM;
    req->hvm.highmem_end = bytes > RB_LOWMEM ? bytes + req->hvm.mmio_size : 0;
}

static int fill_request(struct rb_build *b, const struct rb_guest *g)
{
    struct meminit_request *req = &b->req;

    req->xch = sim_xch(b->host);
    req->domid = b->domid;
    req->total_pages = g->mib * RB_MIB_PAGES;
    req->policy.pnode = g->pnode;
    req->claim = MEMINIT_CLAIM_AUTO;
    b->populated = req->total_pages;
    b->resident = req->total_pages;
    if ( g->type == MEMINIT_GUEST_HVM )
    {
        hvm_layout(req, g->mib);
        b->populated -= RB_VGA_PAGES;
        b->resident = b->populated;
        if ( g->target_mib )
        {
            req->target_pages = g->target_mib * RB_MIB_PAGES;
            b->resident = req->target_pages - RB_VGA_PAGES;
        }
        return 0;
    }
    req->guest = MEMINIT_GUEST_PV;
    b->p2m = calloc(req->total_pages, sizeof(*b->p2m));
    if ( !b->p2m )
        return -ENOMEM;
    req->p2m = b->p2m;
    return 0;
}

int rb_guest_start(struct rb_build *b, struct sim_host *host, uint32_t domid,
                   const struct rb_guest *g)
{
    int rc;

    memset(b, 0, sizeof(*b));
    b->host = host;
    b->domid = domid;
    rc = sim_domain_create(host, domid, g->mib * RB_MIB_PAGES + 1024,
                           g->type == MEMINIT_GUEST_HVM);
    if ( rc )
        return rc;
    rc = fill_request(b, g);
    if ( rc )
        rb_guest_done(b);
    return rc;
}

void rb_guest_done(struct rb_build *b)
{
    free(b->p2m);
    b->p2m = NULL;
    b->req.p2m = NULL;
}

int rb_ledger_open(struct sim_host *host, struct rb_ledger *l)
{
    struct sim_host_info hi;
    unsigned int n;
    int rc = sim_host_info(host, &hi);

    if ( rc )
        return rc;
    memset(l, 0, sizeof(*l));
    l->nr_nodes = hi.nr_nodes;
    l->total_free = hi.free_pages;
    for ( n = 0; n < hi.nr_nodes; n++ )
        l->node_free[n] = hi.node_free[n];
    return 0;
}

/* Add the listed domains' pages per node; fail on a claim left behind. */
static int sum_domains(struct sim_host *host, const uint32_t *domids,
                       unsigned int nr, uint64_t *per_node, uint64_t *total,
                       struct meminit_error *why)
{
    struct sim_domain_info di;
    unsigned int i, n;
    int rc;

    for ( i = 0; i < nr; i++ )
    {
        rc = sim_domain_info(host, domids[i], &di);
        if ( rc )
            return rc;
        if ( di.outstanding )
            return meminit_error_set(why, RB_STEP, EPROTO, "domain %u still "
                                     "has a claim of %llu pages", domids[i],
                                     (unsigned long long)di.outstanding);
        *total += di.tot_pages;
        for ( n = 0; n < SIM_MAX_NODES; n++ )
            per_node[n] += di.pages_on[n];
    }
    return 0;
}

int rb_ledger_check(struct sim_host *host, const struct rb_ledger *l,
                    const uint32_t *domids, unsigned int nr,
                    struct meminit_error *why)
{
    uint64_t per_node[SIM_MAX_NODES] = { 0 }, total = 0;
    struct sim_host_info hi;
    unsigned int n;
    int rc = sim_host_info(host, &hi);

    if ( !rc )
        rc = sum_domains(host, domids, nr, per_node, &total, why);
    if ( rc )
        return rc;
    if ( hi.outstanding )
        return meminit_error_set(why, RB_STEP, EPROTO, "the host still has "
                                 "%llu pages claimed",
                                 (unsigned long long)hi.outstanding);
    for ( n = 0; n < l->nr_nodes; n++ )
        if ( hi.node_free[n] + per_node[n] != l->node_free[n] )
            return meminit_error_set(why, RB_STEP, EPROTO, "node %u: %llu "
                                     "free + %llu held != %llu at the start",
                                     n, (unsigned long long)hi.node_free[n],
                                     (unsigned long long)per_node[n],
                                     (unsigned long long)l->node_free[n]);
    if ( hi.free_pages + total != l->total_free )
        return meminit_error_set(why, RB_STEP, EPROTO, "host: %llu free + "
                                 "%llu held != %llu at the start",
                                 (unsigned long long)hi.free_pages,
                                 (unsigned long long)total,
                                 (unsigned long long)l->total_free);
    return 0;
}

uint64_t rb_stats_pages(const struct meminit_stats *st)
{
    uint64_t pages = meminit_node_pages(&st->anynode);
    unsigned int n;

    for ( n = 0; n < MEMINIT_MAX_NODES; n++ )
        pages += meminit_node_pages(&st->node[n]);
    return pages;
}

int rb_stats_honest(struct sim_host *host, const struct rb_build *b,
                    struct meminit_error *why)
{
    struct sim_domain_info di;
    unsigned int n;
    int rc = sim_domain_info(host, b->domid, &di);

    /* PoD: the stats count entries, the domain holds the cache. */
    if ( rc || b->req.target_pages )
        return rc;
    if ( rb_stats_pages(&b->st) != di.tot_pages )
        return meminit_error_set(why, RB_STEP, EPROTO, "stats say %llu pages, "
                                 "the domain has %llu",
                                 (unsigned long long)rb_stats_pages(&b->st),
                                 (unsigned long long)di.tot_pages);
    if ( meminit_node_pages(&b->st.anynode) )
        return 0;
    for ( n = 0; n < SIM_MAX_NODES && n < MEMINIT_MAX_NODES; n++ )
    {
        uint64_t said = meminit_node_pages(&b->st.node[n]);

        if ( di.pages_on[n] != said )
            return meminit_error_set(why, RB_STEP, EPROTO, "node %u: stats "
                                     "say %llu pages, the domain has %llu", n,
                                     (unsigned long long)said,
                                     (unsigned long long)di.pages_on[n]);
    }
    return 0;
}

void rb_result(bool ok, const char *fmt, ...)
{
    va_list ap;

    printf("%s - ", ok ? "ok" : "not ok");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
}

const char *rb_abi_name(enum sim_claim_abi abi)
{
    switch ( abi )
    {
    case SIM_CLAIM_UPSTREAM:    return "upstream";
    case SIM_CLAIM_NODE:        return "node";
    case SIM_CLAIM_SET:         return "set";
    case SIM_CLAIM_NONE:        return "none";
    }
    return "?";
}

const char *rb_guest_name(enum meminit_guest type)
{
    return type == MEMINIT_GUEST_HVM ? "hvm" : "pv";
}

/* xorshift64*: enough to vary orders and delays, reproducible by seed. */
uint32_t rb_rand(uint64_t *state)
{
    uint64_t x = *state ? *state : 0x9e3779b97f4a7c15ull;

    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return (uint32_t)((x * 0x2545f4914f6cdd1dull) >> 32);
}
