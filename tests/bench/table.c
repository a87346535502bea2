/*
 * table.c - the readable report: one block per case, ours beside stock.
 *
 * Contract: table_print() writes to f and never fails (stdio errors are
 * main's to notice). Per case: pages, MiB, time and GiB/s per node and page
 * size; the placement per node with its distance from the preferred node;
 * the summary (time, hypercalls, locality, page sizes, ratios); meminit's
 * own account (preferred node, claim, fallbacks and their causes, own CPU
 * time); then the goals as PASS / MISS / N/A lines.
 */
#include <string.h>

#include "bench.h"

#define DASH "-"

static double to_mib(uint64_t pages)
{
    return (double)pages / BENCH_PAGES_MIB;
}

static const char *size_text(uint64_t pages, char *buf, size_t len)
{
    if ( pages % BENCH_PAGES_1G )
        snprintf(buf, len, "%.0f MiB", to_mib(pages));
    else
        snprintf(buf, len, "%llu GiB",
                 (unsigned long long)(pages / BENCH_PAGES_1G));
    return buf;
}

static const char *builders_text(const struct bench_opts *o)
{
    if ( !opts_wants(o, BENCH_STOCK) )
        return "ours only (--builder ours)";
    if ( !opts_wants(o, BENCH_OURS) )
        return "stock only (--builder stock)";
    return "alternating ours/stock";
}

static void header(FILE *f, const struct bench *b)
{
    const struct bench_topo *t = &b->topo;
    char size[32];
    uint64_t total = 0;
    unsigned int i;

    for ( i = 0; i < t->nr_nodes; i++ )
        total += t->pages[i];
    fprintf(f, "xenguest-bench: host \"%s\" (%s): %u node(s), %.0f GiB",
            b->opts.name ? b->opts.name : t->name,
            strcmp(b->ops->name, "sim") ? "real Xen" : "simulated",
            t->nr_nodes, (double)total / BENCH_PAGES_1G);
    if ( !strcmp(b->ops->name, "sim") )
        fprintf(f, ", claim ABI %s", bench_claim_abi_name(t->claim_abi));
    fprintf(f, "\nguest: %s, %s; %u run(s) per builder, %s; the median "
            "run is shown\n"
            "ours: meminit_build() with -mem_pnode; stock: libxenguest's "
            "meminit hook, which names no node (the hypervisor's fallback "
            "places it)\nnote: %s\n", b->guest.type == BENCH_HVM ? "HVM"
            : "PV", size_text(b->guest.pages, size, sizeof(size)),
            b->opts.runs, builders_text(&b->opts), b->ops->timing_note);
}

static bool cell_used(const struct bench_case *c, unsigned int row,
                      unsigned int size)
{
    unsigned int who;

    for ( who = 0; who < BENCH_NR_BUILDERS; who++ )
    {
        const struct bench_cell *cell = &c->side[who].med.cell[row][size];

        if ( c->side[who].ran && (cell->extents || cell->calls) )
            return true;
    }
    return false;
}

static void cell_cols(FILE *f, const struct bench_side *s, uint64_t extents,
                      unsigned int order, uint64_t ns)
{
    uint64_t pages = extents << order;

    if ( !s->ran )
    {
        fprintf(f, " %10s %10s %10s %9s |", DASH, DASH, DASH, DASH);
        return;
    }
    fprintf(f, " %10llu %10.1f %10.3f %9.4g |", (unsigned long long)pages,
            to_mib(pages), ns / 1e6, bench_gibps(pages, ns));
}

static void row_name(FILE *f, unsigned int row, unsigned int size)
{
    if ( row == BENCH_ANY )
        fprintf(f, "  any   %s |", bench_size_name(size));
    else
        fprintf(f, " %4u   %s |", row, bench_size_name(size));
}

static void cells_table(FILE *f, const struct bench_case *c)
{
    static const unsigned int order[BENCH_NR_SIZES] = { 0, 9, 18 };
    unsigned int row, size, who;
    int sz;

    fprintf(f, "           |%s|%s|\n",
            "            ours (meminit)                  ",
            "           stock (libxenguest)              ");
    fprintf(f, " node size |%s|%s|\n",
            "      pages        MiB    time ms     GiB/s ",
            "      pages        MiB    time ms     GiB/s ");
    for ( row = 0; row < BENCH_ROWS; row++ )
    {
        for ( sz = BENCH_NR_SIZES - 1; sz >= 0; sz-- )
        {
            size = (unsigned int)sz;
            if ( !cell_used(c, row, size) )
                continue;
            row_name(f, row, size);
            for ( who = 0; who < BENCH_NR_BUILDERS; who++ )
            {
                const struct bench_cell *cell =
                    &c->side[who].med.cell[row][size];

                cell_cols(f, &c->side[who], cell->extents, order[size],
                          cell->ns);
            }
            fputc('\n', f);
        }
    }
    fprintf(f, "  total    |");
    for ( who = 0; who < BENCH_NR_BUILDERS; who++ )
        cell_cols(f, &c->side[who], c->side[who].med.pages, 0,
                  c->side[who].med.ns);
    fprintf(f, "\n (rows: time in populate calls; total: the builder's wall "
            "time, its own work included)\n");
}

/* " %11.1f" MiB of a builder's pages, or DASH when it did not run. */
static void mib_col(FILE *f, const struct bench_side *s, uint64_t pages)
{
    if ( s->ran )
        fprintf(f, " %11.1f", to_mib(pages));
    else
        fprintf(f, " %11s", DASH);
}

static void placement_table(FILE *f, const struct bench_case *c)
{
    const struct bench_topo *t = &c->topo;
    const struct bench_side *os = &c->side[BENCH_OURS];
    const struct bench_side *ss = &c->side[BENCH_STOCK];
    unsigned int i;

    fprintf(f, "\nplacement (MiB, measured by the backend), distance from "
            "node %u:\n node dist  free before        ours       stock\n",
            c->pnode);
    for ( i = 0; i < t->nr_nodes; i++ )
    {
        if ( i != c->pnode && !(os->ran && os->med.pages_on[i]) &&
             !(ss->ran && ss->med.pages_on[i]) )
            continue;
        fprintf(f, " %4u %4u %12.1f", i, t->distance[c->pnode][i],
                to_mib(t->free[i]));
        mib_col(f, os, os->med.pages_on[i]);
        mib_col(f, ss, ss->med.pages_on[i]);
        fputc('\n', f);
    }
}

static void ratio_col(FILE *f, double ours, double stock)
{
    if ( stock > 0 )
        fprintf(f, " %12.3f\n", ours / stock);
    else
        fprintf(f, " %12s\n", DASH);
}

/* How a summary row prints its two figures: "%.*f" then the unit. */
struct row_fmt {
    int prec;
    const char *unit;
    bool ratio;                 /* a third column, ours/stock */
};

/* One summary row: ours, stock (DASH for a builder that did not run), and
 * the ratio when asked for and both ran. */
static void summary_row(FILE *f, const struct bench_case *c,
                        const char *what, struct row_fmt fmt, double o,
                        double k)
{
    const double v[BENCH_NR_BUILDERS] = { o, k };
    char buf[48];
    unsigned int who;

    fprintf(f, " %-22s", what);
    for ( who = 0; who < BENCH_NR_BUILDERS; who++ )
    {
        snprintf(buf, sizeof(buf), "%.*f%s", fmt.prec, v[who], fmt.unit);
        fprintf(f, " %12s", c->side[who].ran ? buf : DASH);
    }
    if ( fmt.ratio && c->side[BENCH_OURS].ran && c->side[BENCH_STOCK].ran )
        ratio_col(f, o, k);
    else
        fputc('\n', f);
}

static uint64_t side_min(const struct bench_side *s)
{
    uint64_t v = UINT64_MAX;
    unsigned int i;

    for ( i = 0; i < s->nr_runs; i++ )
        v = s->ns[i] < v ? s->ns[i] : v;
    return s->nr_runs ? v : 0;
}

static uint64_t side_max(const struct bench_side *s)
{
    uint64_t v = 0;
    unsigned int i;

    for ( i = 0; i < s->nr_runs; i++ )
        v = s->ns[i] > v ? s->ns[i] : v;
    return v;
}

static double share(uint64_t part, uint64_t whole)
{
    return whole ? (double)part / (double)whole : 0.0;
}

static void summary_range(FILE *f, const struct bench_side *os,
                          const struct bench_side *ss)
{
    char buf[2][48];
    const struct bench_side *side[2] = { os, ss };
    unsigned int i;

    for ( i = 0; i < 2; i++ )
    {
        if ( side[i]->ran )
            snprintf(buf[i], sizeof(buf[i]), "%.3f..%.3f",
                     side_min(side[i]) / 1e6, side_max(side[i]) / 1e6);
        else
            snprintf(buf[i], sizeof(buf[i]), DASH);
    }
    fprintf(f, " %-22s %12s %12s\n", "time, min..max (ms)", buf[0], buf[1]);
}

static void summary(FILE *f, const struct bench_case *c)
{
    static const struct row_fmt ms = { 3, "", true }, n = { 0, "", true },
        n_only = { 0, "", false }, pct = { 3, "%", true },
        pct_only = { 3, "%", false }, dist = { 2, "", true };
    const struct bench_run *o = &c->side[BENCH_OURS].med;
    const struct bench_run *s = &c->side[BENCH_STOCK].med;
    char loc[32];

    fprintf(f, "\n %-22s %12s %12s %12s\n", "", "ours", "stock",
            "ours/stock");
    summary_row(f, c, "time, median (ms)", ms, o->ns / 1e6, s->ns / 1e6);
    summary_range(f, &c->side[BENCH_OURS], &c->side[BENCH_STOCK]);
    summary_row(f, c, "hypercalls", n, o->calls, s->calls);
    summary_row(f, c, "hypercalls failed", n_only, o->failed, s->failed);
    summary_row(f, c, "populate calls", n, o->populate_calls,
                s->populate_calls);
    summary_row(f, c, "short populate calls", n_only, o->short_calls,
                s->short_calls);
    snprintf(loc, sizeof(loc), "locality (node %u)", c->pnode);
    summary_row(f, c, loc, pct, 100.0 * run_locality(o, c->pnode),
                100.0 * run_locality(s, c->pnode));
    summary_row(f, c, "mean distance", dist,
                run_mean_distance(o, &c->topo, c->pnode),
                run_mean_distance(s, &c->topo, c->pnode));
    summary_row(f, c, "superpage share", pct_only,
                100.0 * share(run_superpages(o), o->pages),
                100.0 * share(run_superpages(s), s->pages));
    summary_row(f, c, "1 GiB share", pct_only,
                100.0 * share(run_size_pages(o, MEMINIT_1G), o->pages),
                100.0 * share(run_size_pages(s, MEMINIT_1G), s->pages));
}

static void fallbacks(FILE *f, const struct meminit_stats *st)
{
    unsigned int count[MEMINIT_CAUSE_CALL_FAILED + 1] = { 0 };
    unsigned int i, kept = st->nr_fallbacks < MEMINIT_MAX_FALLBACKS
                           ? st->nr_fallbacks : MEMINIT_MAX_FALLBACKS;
    const char *sep = ": ";

    fprintf(f, " ours: %u fallback(s)", st->nr_fallbacks);
    for ( i = 0; i < kept; i++ )
        if ( (unsigned int)st->fallback[i].cause <= MEMINIT_CAUSE_CALL_FAILED )
            count[st->fallback[i].cause]++;
    for ( i = 0; i <= MEMINIT_CAUSE_CALL_FAILED; i++ )
    {
        if ( !count[i] )
            continue;
        fprintf(f, "%s%u %s", sep, count[i],
                meminit_cause_name((enum meminit_cause)i));
        sep = ", ";
    }
    if ( kept < st->nr_fallbacks )
        fprintf(f, " (causes of the first %u)", kept);
    fprintf(f, "\n");
}

static void ours_account(FILE *f, const struct bench_case *c)
{
    const struct bench_run *o = &c->side[BENCH_OURS].med;
    const struct meminit_stats *st = &o->st;

    if ( !o->have_stats )
        return;
    fprintf(f, "\n ours: preferred node %d (%s), claim %s of %llu pages, "
            "%llu left at exit\n", st->pnode == MEMINIT_NO_NODE ? -1
            : (int)st->pnode, meminit_pnode_reason_name(st->pnode_reason),
            meminit_claim_name(st->claim_kind),
            (unsigned long long)st->claim_pages,
            (unsigned long long)st->claim_left);
    fallbacks(f, st);
    fprintf(f, " ours: own CPU time %.3f ms of %.3f ms in meminit_build\n",
            (st->ns_total - st->ns_calls) / 1e6, st->ns_total / 1e6);
}

static void failures(FILE *f, const struct bench_case *c)
{
    unsigned int who;

    for ( who = 0; who < BENCH_NR_BUILDERS; who++ )
    {
        const struct bench_side *s = &c->side[who];

        if ( !s->ran && s->skipped )
            fprintf(f, " %s: not run: %s\n",
                    bench_builder_name((enum bench_builder)who), s->skipped);
        else if ( s->ran && s->med.rc )
            fprintf(f, " %s: FAILED: %s: %s\n",
                    bench_builder_name((enum bench_builder)who),
                    s->med.err.step ? s->med.err.step : "?",
                    s->med.err.msg);
    }
}

static void goals(FILE *f, const struct bench_case *c)
{
    unsigned int i;

    fprintf(f, "\ngoals (figures to read, not timed tests):\n");
    for ( i = 0; i < BENCH_NR_GOALS; i++ )
        fprintf(f, "%-4s %s: %s\n", bench_verdict_name(c->goal[i].verdict),
                bench_goal_name((enum bench_goal)i), c->goal[i].detail);
}

/* "ours stock" for one figure of the overview, DASH for one not run. */
static void pair(FILE *f, const struct bench_case *c, double o, double k,
                 int width, int prec, const char *unit)
{
    const double v[BENCH_NR_BUILDERS] = { o, k };
    char buf[32];
    unsigned int who;

    for ( who = 0; who < BENCH_NR_BUILDERS; who++ )
    {
        snprintf(buf, sizeof(buf), "%.*f%s", prec, v[who], unit);
        fprintf(f, " %*s", width, c->side[who].ran ? buf : DASH);
    }
}

static void overview_line(FILE *f, const struct bench_case *c)
{
    const struct bench_run *o = &c->side[BENCH_OURS].med;
    const struct bench_run *s = &c->side[BENCH_STOCK].med;
    unsigned int i;

    fprintf(f, " %5u", c->pnode);
    pair(f, c, 100.0 * run_locality(o, c->pnode),
         100.0 * run_locality(s, c->pnode), 8, 2, "%");
    pair(f, c, run_mean_distance(o, &c->topo, c->pnode),
         run_mean_distance(s, &c->topo, c->pnode), 6, 2, "");
    pair(f, c, (double)o->calls, (double)s->calls, 6, 0, "");
    pair(f, c, 100.0 * share(run_superpages(o), o->pages),
         100.0 * share(run_superpages(s), s->pages), 9, 3, "%");
    fprintf(f, " ");
    for ( i = 0; i < BENCH_NR_GOALS; i++ )
        fprintf(f, " %-4s", bench_verdict_name(c->goal[i].verdict));
    fprintf(f, "\n");
}

/* One line per case, when there are several. */
static void overview(FILE *f, const struct bench *b)
{
    unsigned int i;

    fprintf(f, "\n== all cases ==\n"
            "         locality          distance     hypercalls  "
            "superpage share       goals\n"
            " pnode     ours    stock   ours  stock   ours  stock"
            "      ours     stock   loc  hyp  sp   cpu\n");
    for ( i = 0; i < b->nr_cases; i++ )
        overview_line(f, &b->cases[i]);
}

void table_print(FILE *f, const struct bench *b)
{
    unsigned int i;

    header(f, b);
    for ( i = 0; i < b->nr_cases; i++ )
    {
        const struct bench_case *c = &b->cases[i];

        fprintf(f, "\n== preferred node %u%s%s ==\n", c->pnode,
                b->opts.policies ? ", policy " : "",
                b->opts.policies ? meminit_policy_name(c->policy) : "");
        failures(f, c);
        cells_table(f, c);
        placement_table(f, c);
        summary(f, c);
        ours_account(f, c);
        goals(f, c);
    }
    if ( b->nr_cases > 1 )
        overview(f, b);
    policy_print(f, b);
}
