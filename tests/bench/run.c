/*
 * run.c - the cases, each a series of alternating runs.
 *
 * Contract: bench_run_cases() fills b->cases, one per preferred node, or
 * returns -errno with a reason when the backend itself fails (a builder
 * failing is a result, recorded in the case, not an error here). Within a
 * case the builders alternate, ours first, so that drift (caches, the
 * hypervisor's heap, a noisy neighbour) hits both alike; each run gets a
 * scratch domain of its own. A builder that fails is not run again in that
 * case. --builder ours|stock runs one builder alone; the other side is
 * then not run, with the reason, as stock is for PV on the simulator.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"

#define SKIP_PV_SIM "the stock PV meminit issues XEN_DOMCTL_set_address_size " \
                    "through the real libxencall, which the simulated host "  \
                    "cannot answer: PV is ours only here"
#define SKIP_OURS   "--builder stock"
#define SKIP_STOCK  "--builder ours"

struct case_runs {
    struct bench_run run[BENCH_NR_BUILDERS][BENCH_MAX_RUNS];
    unsigned int nr[BENCH_NR_BUILDERS];
    bool failed[BENCH_NR_BUILDERS];
};

/* One builder on a fresh scratch domain; -errno only if the backend fails. */
static int run_once(struct bench *b, enum bench_builder who,
                    const struct bench_case *c, struct bench_run *run,
                    struct meminit_error *err)
{
    struct meminit_policy pol = policy_of(b, c);
    const struct bench_backend_ops *ops = b->ops;
    struct bench_probe probe;
    xc_interface *xch;
    uint32_t domid;
    int rc;

    memset(run, 0, sizeof(*run));
    rc = ops->run_begin(b->be, &b->guest, &probe, &xch, &domid, err);
    if ( rc )
        return rc;
    if ( who == BENCH_OURS )
        builder_ours(xch, domid, &b->guest, &pol, b->stop, &probe, run);
    else
        builder_stock(xch, domid, &b->guest, &probe, run);
    return ops->run_end(b->be, run, err);
}

static bool stock_runs(const struct bench *b)
{
    return b->guest.type == BENCH_HVM || b->ops->stock_pv;
}

/* Why builder who does not run here, or NULL when it does. */
static const char *skip_reason(const struct bench *b, enum bench_builder who)
{
    if ( !opts_wants(&b->opts, who) )
        return who == BENCH_OURS ? SKIP_OURS : SKIP_STOCK;
    if ( who == BENCH_STOCK && !stock_runs(b) )
        return SKIP_PV_SIM;
    return NULL;
}

bool bench_any_runs(const struct bench *b)
{
    return !skip_reason(b, BENCH_OURS) || !skip_reason(b, BENCH_STOCK);
}

static int runs_all(struct bench *b, const struct bench_case *c,
                    struct case_runs *cr, struct meminit_error *err)
{
    unsigned int i, who;
    struct bench_run *run;
    int rc;

    for ( i = 0; i < b->opts.runs; i++ )
    {
        for ( who = 0; who < BENCH_NR_BUILDERS; who++ )
        {
            if ( *b->stop )
                return meminit_error_set(err, "run", EINTR, "interrupted");
            if ( cr->failed[who] || skip_reason(b, (enum bench_builder)who) )
                continue;
            run = &cr->run[who][cr->nr[who]++];
            rc = run_once(b, (enum bench_builder)who, c, run, err);
            if ( rc )
                return rc;
            cr->failed[who] = run->rc != 0;
        }
    }
    return 0;
}

/* The run with the median wall time (the lower one of an even count). */
static unsigned int median_index(const struct bench_run *run, unsigned int n)
{
    unsigned int i, j, below, equal;

    for ( i = 0; i < n; i++ )
    {
        below = equal = 0;
        for ( j = 0; j < n; j++ )
        {
            below += run[j].ns < run[i].ns;
            equal += j != i && run[j].ns == run[i].ns && j < i;
        }
        if ( below + equal == (n - 1) / 2 )
            return i;
    }
    return 0;
}

static void side_fill(struct bench_side *s, const struct bench_run *run,
                      unsigned int n, bool failed)
{
    unsigned int i;

    s->ran = n > 0;
    s->nr_runs = n;
    for ( i = 0; i < n; i++ )
        s->ns[i] = run[i].ns;
    if ( n == 0 )
        return;
    /* A failure is the result to show, whatever the other runs did. */
    s->med = failed ? run[n - 1] : run[median_index(run, n)];
}

static int run_case(struct bench *b, struct bench_case *c,
                    struct meminit_error *err)
{
    struct case_runs *cr = calloc(1, sizeof(*cr));
    unsigned int who;
    int rc;

    if ( !cr )
        return meminit_error_set(err, "run", ENOMEM, "out of memory");
    rc = b->ops->topology(b->be, &c->topo, err);
    if ( !rc )
        rc = b->ops->check(b->be, &b->guest, err);
    if ( !rc )
        rc = runs_all(b, c, cr, err);
    for ( who = 0; !rc && who < BENCH_NR_BUILDERS; who++ )
        side_fill(&c->side[who], cr->run[who], cr->nr[who], cr->failed[who]);
    for ( who = 0; who < BENCH_NR_BUILDERS; who++ )
        c->side[who].skipped = skip_reason(b, (enum bench_builder)who);
    if ( !rc )
        goals_judge(b, c);
    free(cr);
    return rc;
}

/* --policy: one case per mode asked for, on the one preferred node. */
static int case_policies(struct bench *b, struct meminit_error *err)
{
    unsigned int m;

    b->cases = calloc(MEMINIT_POLICY_OFF + 1, sizeof(*b->cases));
    if ( !b->cases )
        return meminit_error_set(err, "run", ENOMEM, "out of memory");
    for ( m = 0; m <= MEMINIT_POLICY_OFF; m++ )
        if ( b->opts.policies & (1u << m) )
            b->cases[b->nr_cases++] = (struct bench_case){
                .pnode = b->opts.pnode,
                .policy = (enum meminit_policy_mode)m };
    return 0;
}

/* Preferred nodes: the one asked for, or every node with memory. */
static int case_nodes(struct bench *b, struct meminit_error *err)
{
    unsigned int i, n = 0;

    if ( !b->opts.pnode_each && b->opts.pnode >= b->topo.nr_nodes )
        return meminit_error_set(err, "run", EINVAL, "--pnode %u: the host "
                                 "has %u node(s)", b->opts.pnode,
                                 b->topo.nr_nodes);
    if ( b->opts.policies )
        return case_policies(b, err);
    b->cases = calloc(b->topo.nr_nodes, sizeof(*b->cases));
    if ( !b->cases )
        return meminit_error_set(err, "run", ENOMEM, "out of memory");
    for ( i = 0; i < b->topo.nr_nodes; i++ )
    {
        if ( b->opts.pnode_each ? b->topo.pages[i] != 0 : i == b->opts.pnode )
            b->cases[n++].pnode = i;
    }
    b->nr_cases = n;
    return 0;
}

/* On failure, b->nr_cases is the number of cases completed. */
int bench_run_cases(struct bench *b, struct meminit_error *err)
{
    unsigned int i;
    int rc = case_nodes(b, err);

    for ( i = 0; !rc && i < b->nr_cases; i++ )
    {
        rc = run_case(b, &b->cases[i], err);
        if ( rc )
            b->nr_cases = i;
    }
    return rc;
}
