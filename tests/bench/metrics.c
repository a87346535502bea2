/*
 * metrics.c - figures derived from the runs, and the goals they are held to.
 *
 * Contract: pure functions of the runs and the host as it was before the
 * case. The goals are figures to read, not timed tests: goals_judge() says
 * PASS or MISS (or N/A when a builder did not run or failed) with the
 * numbers behind it, and nothing here decides the exit status.
 *
 *  - locality: all of the guest on the preferred node when the node had the
 *    memory; otherwise the node filled first, then no node used while a
 *    nearer one (by distance from the preferred node) still had memory.
 *  - hypercalls: ours at most a quarter of stock's.
 *  - superpages: our share of memory in 2 MiB and 1 GiB pages at least
 *    stock's, and more than stock's on a fragmented host.
 *  - CPU: our own time (meminit's wall time outside libxenctrl calls) under
 *    1% of meminit's wall time.
 */
#include <stdarg.h>
#include <string.h>

#include "bench.h"

/*
 * A node counts as full when less than 2 MiB of it is left: meminit leaves
 * such a remnant on a node it spills from, so the rest of the guest stays
 * 2 MiB-aligned (see meminit/populate.c, nearly_empty()).
 */
#define SPILL_REMNANT   511

static const unsigned int size_order[BENCH_NR_SIZES] = { 0, 9, 18 };

uint64_t run_size_pages(const struct bench_run *r, unsigned int size)
{
    uint64_t pages = 0;
    unsigned int row;

    for ( row = 0; row < BENCH_ROWS; row++ )
        pages += r->cell[row][size].extents << size_order[size];
    return pages;
}

uint64_t run_superpages(const struct bench_run *r)
{
    return run_size_pages(r, MEMINIT_2M) + run_size_pages(r, MEMINIT_1G);
}

uint64_t run_placed(const struct bench_run *r)
{
    uint64_t total = 0;
    unsigned int i;

    for ( i = 0; i < BENCH_MAX_NODES; i++ )
        total += r->pages_on[i];
    return total;
}

double run_locality(const struct bench_run *r, unsigned int pnode)
{
    uint64_t total = run_placed(r);

    return total ? (double)r->pages_on[pnode] / (double)total : 0.0;
}

/* Distance from the preferred node, averaged over the guest's pages. */
double run_mean_distance(const struct bench_run *r, const struct bench_topo *t,
                         unsigned int pnode)
{
    uint64_t total = run_placed(r);
    double sum = 0.0;
    unsigned int i;

    for ( i = 0; i < t->nr_nodes; i++ )
        sum += (double)r->pages_on[i] * t->distance[pnode][i];
    return total ? sum / (double)total : 0.0;
}

double side_median_ns(const struct bench_side *s)
{
    return (double)s->med.ns;
}

double bench_gibps(uint64_t pages, uint64_t ns)
{
    if ( !ns )
        return 0.0;
    return ((double)pages / BENCH_PAGES_1G) / ((double)ns / 1e9);
}

/* More than 1 GiB of some node's free memory lies outside 1 GiB blocks. */
bool topo_fragmented(const struct bench_topo *t)
{
    unsigned int i;

    if ( !t->blocks_known )
        return false;
    for ( i = 0; i < t->nr_nodes; i++ )
    {
        if ( t->free[i] - t->free_1g[i] * BENCH_PAGES_1G > BENCH_PAGES_1G )
            return true;
    }
    return false;
}

static void verdict(struct bench_goal_result *g, enum bench_verdict v,
                    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void verdict(struct bench_goal_result *g, enum bench_verdict v,
                    const char *fmt, ...)
{
    va_list ap;

    g->verdict = v;
    va_start(ap, fmt);
    vsnprintf(g->detail, sizeof(g->detail), fmt, ap);
    va_end(ap);
}

static double mib(uint64_t pages)
{
    return (double)pages / BENCH_PAGES_MIB;
}

/* A node used while a nearer one had memory left, or -1. */
static int spill_out_of_order(const struct bench_topo *t, unsigned int p,
                              const struct bench_run *r, uint64_t noise,
                              unsigned int *nearer)
{
    unsigned int u, v;

    for ( u = 0; u < t->nr_nodes; u++ )
    {
        if ( u == p || r->pages_on[u] <= noise )
            continue;
        for ( v = 0; v < t->nr_nodes; v++ )
        {
            if ( v == p || v == u || t->distance[p][v] >= t->distance[p][u] )
                continue;
            if ( r->pages_on[v] + noise + SPILL_REMNANT < t->free[v] )
            {
                *nearer = v;
                return (int)u;
            }
        }
    }
    return -1;
}

static void goal_locality(const struct bench *b, struct bench_case *c)
{
    const struct bench_run *r = &c->side[BENCH_OURS].med;
    const struct bench_topo *t = &c->topo;
    struct bench_goal_result *g = &c->goal[BENCH_GOAL_LOCALITY];
    unsigned int p = c->pnode, nearer = 0;
    uint64_t noise = b->ops->noise_pages, placed = run_placed(r);
    int far;

    if ( t->free[p] >= placed )
    {
        verdict(g, placed - r->pages_on[p] <= noise ? BENCH_PASS : BENCH_MISS,
                "%.1f%% on node %u, which had the memory (%.0f MiB free, "
                "guest %.0f MiB)", 100.0 * run_locality(r, p), p,
                mib(t->free[p]), mib(placed));
        return;
    }
    if ( r->pages_on[p] + noise + SPILL_REMNANT < t->free[p] )
    {
        verdict(g, BENCH_MISS, "node %u not filled first: %.0f of %.0f MiB "
                "free there", p, mib(r->pages_on[p]), mib(t->free[p]));
        return;
    }
    far = spill_out_of_order(t, p, r, noise, &nearer);
    if ( far >= 0 )
        verdict(g, BENCH_MISS, "node %d (distance %u) used while node %u "
                "(distance %u) kept %.0f MiB", far, t->distance[p][far],
                nearer, t->distance[p][nearer],
                mib(t->free[nearer] - r->pages_on[nearer]));
    else
        verdict(g, BENCH_PASS, "node %u full (%.1f%% of the guest), the "
                "rest on the nearest nodes by distance", p,
                100.0 * run_locality(r, p));
}

/* N/A unless both builders ran and succeeded. */
static bool both_ok(const struct bench_case *c, struct bench_goal_result *g)
{
    const struct bench_side *s = &c->side[BENCH_STOCK];

    if ( !s->ran )
        verdict(g, BENCH_NA, "stock not run: %s",
                s->skipped ? s->skipped : "no run");
    else if ( s->med.rc || c->side[BENCH_OURS].med.rc )
        verdict(g, BENCH_NA, "a builder failed");
    else
        return true;
    return false;
}

static void goal_hypercalls(struct bench_case *c)
{
    const struct bench_run *o = &c->side[BENCH_OURS].med;
    const struct bench_run *s = &c->side[BENCH_STOCK].med;
    struct bench_goal_result *g = &c->goal[BENCH_GOAL_HYPERCALLS];

    if ( !both_ok(c, g) )
        return;
    verdict(g, o->calls * 4 <= s->calls ? BENCH_PASS : BENCH_MISS,
            "%llu vs stock %llu (ratio %.3f, goal <= 0.25)",
            (unsigned long long)o->calls, (unsigned long long)s->calls,
            s->calls ? (double)o->calls / (double)s->calls : 0.0);
}

static void goal_superpages(struct bench_case *c)
{
    const struct bench_run *o = &c->side[BENCH_OURS].med;
    const struct bench_run *s = &c->side[BENCH_STOCK].med;
    struct bench_goal_result *g = &c->goal[BENCH_GOAL_SUPERPAGES];
    bool frag = topo_fragmented(&c->topo);
    unsigned __int128 ours, stock;
    bool ok;

    if ( !both_ok(c, g) )
        return;
    ours = (unsigned __int128)run_superpages(o) * (s->pages ? s->pages : 1);
    stock = (unsigned __int128)run_superpages(s) * (o->pages ? o->pages : 1);
    ok = frag ? ours > stock : ours >= stock;
    verdict(g, ok ? BENCH_PASS : BENCH_MISS,
            "%.4f%% vs stock %.4f%%, 4 KiB pages %llu vs %llu (%s host: "
            "goal %s)",
            o->pages ? 100.0 * run_superpages(o) / o->pages : 0.0,
            s->pages ? 100.0 * run_superpages(s) / s->pages : 0.0,
            (unsigned long long)run_size_pages(o, MEMINIT_4K),
            (unsigned long long)run_size_pages(s, MEMINIT_4K),
            frag ? "fragmented" : "unfragmented",
            frag ? "more than stock" : "at least stock");
}

static void goal_cpu(const struct bench *b, struct bench_case *c)
{
    const struct bench_run *o = &c->side[BENCH_OURS].med;
    struct bench_goal_result *g = &c->goal[BENCH_GOAL_CPU];
    uint64_t self = o->st.ns_total - o->st.ns_calls;
    double share = o->st.ns_total ? (double)self / o->st.ns_total : 0.0;
    bool sim = !strcmp(b->ops->name, "sim");

    verdict(g, share < 0.01 ? BENCH_PASS : BENCH_MISS,
            "%.3f ms of %.3f ms (%.2f%%, goal < 1%%)%s", self / 1e6,
            o->st.ns_total / 1e6, 100.0 * share,
            sim ? "; simulator: its hypercalls are in-process function "
                  "calls, so this goal means something only on real Xen"
                : "");
}

void goals_judge(const struct bench *b, struct bench_case *c)
{
    const struct bench_side *o = &c->side[BENCH_OURS];
    unsigned int i;

    for ( i = 0; i < BENCH_NR_GOALS && !o->ran; i++ )
        verdict(&c->goal[i], BENCH_NA, "ours not run: %s",
                o->skipped ? o->skipped : "no run");
    for ( i = 0; i < BENCH_NR_GOALS && o->ran && o->med.rc; i++ )
        verdict(&c->goal[i], BENCH_NA, "our meminit failed");
    if ( !o->ran || o->med.rc )
        return;
    goal_locality(b, c);
    goal_hypercalls(c);
    goal_superpages(c);
    goal_cpu(b, c);
}

const char *bench_verdict_name(enum bench_verdict v)
{
    return v == BENCH_PASS ? "PASS" : v == BENCH_MISS ? "MISS" : "N/A";
}

const char *bench_goal_name(enum bench_goal g)
{
    static const char *const names[BENCH_NR_GOALS] = {
        [BENCH_GOAL_LOCALITY] = "locality",
        [BENCH_GOAL_HYPERCALLS] = "hypercalls",
        [BENCH_GOAL_SUPERPAGES] = "superpages",
        [BENCH_GOAL_CPU] = "own-cpu",
    };

    return (unsigned int)g < BENCH_NR_GOALS ? names[g] : "?";
}

const char *bench_size_name(unsigned int size)
{
    static const char *const names[BENCH_NR_SIZES] = { "4K", "2M", "1G" };

    return size < BENCH_NR_SIZES ? names[size] : "?";
}

const char *bench_fn_name(enum bench_fn fn)
{
    static const char *const names[BENCH_FN_NR] = {
        [BENCH_FN_PHYSINFO] = "xc_physinfo",
        [BENCH_FN_NUMAINFO] = "xc_numainfo",
        [BENCH_FN_GETINFOLIST] = "xc_domain_getinfolist",
        [BENCH_FN_CLAIM_PAGES] = "xc_domain_claim_pages",
        [BENCH_FN_CLAIM_PAGES_NODE] = "xc_domain_claim_pages_node",
        [BENCH_FN_CLAIM_MEMORY] = "xc_domain_claim_memory",
        [BENCH_FN_POPULATE] = "xc_domain_populate_physmap",
        [BENCH_FN_POPULATE_EXACT] = "xc_domain_populate_physmap_exact",
        [BENCH_FN_SET_POD_TARGET] = "xc_domain_set_pod_target",
        [BENCH_FN_SETMAXMEM] = "xc_domain_setmaxmem",
        [BENCH_FN_NODE_GETAFFINITY] = "xc_domain_node_getaffinity",
    };

    return (unsigned int)fn < BENCH_FN_NR ? names[fn] : "?";
}
