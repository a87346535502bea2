/*
 * json.c - the whole invocation as one JSON document, for scripts.
 *
 * Contract: json_write() emits one object (schema in docs/benchmarks.md):
 * the host, the guest, and per case both builders' median run in full
 * (per node and page size, placement, per-function calls, meminit's own
 * account), every run's time, the ratios and the goals. Numbers that do not
 * exist (a ratio over zero, a builder that did not run) are null. Strings
 * are escaped; the output must parse with `python3 -m json.tool`.
 * Returns 0, or -EIO when the stream failed.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "bench.h"

#define JSON_DEPTH 16     /* the document nests at most 7 deep */

struct json {
    FILE *f;
    unsigned int depth;
    bool first[JSON_DEPTH];
};

static void j_sep(struct json *j, const char *key)
{
    if ( !j->first[j->depth] )
        fputc(',', j->f);
    j->first[j->depth] = false;
    fputc('\n', j->f);
    fprintf(j->f, "%*s", (int)(2 * j->depth), "");
    if ( key )
        fprintf(j->f, "\"%s\": ", key);
}

static void j_open(struct json *j, const char *key, char brace)
{
    j_sep(j, key);
    fputc(brace, j->f);
    j->depth++;
    j->first[j->depth] = true;
}

static void j_close(struct json *j, char brace)
{
    bool empty = j->first[j->depth];

    j->depth--;
    if ( !empty )
        fprintf(j->f, "\n%*s", (int)(2 * j->depth), "");
    fputc(brace, j->f);
}

static void j_str(struct json *j, const char *key, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    j_sep(j, key);
    if ( !s )
    {
        fputs("null", j->f);
        return;
    }
    fputc('"', j->f);
    for ( ; *p; p++ )
    {
        if ( *p == '"' || *p == '\\' )
            fprintf(j->f, "\\%c", *p);
        else if ( *p < 0x20 )
            fprintf(j->f, "\\u%04x", *p);
        else
            fputc(*p, j->f);
    }
    fputc('"', j->f);
}

static void j_u64(struct json *j, const char *key, uint64_t v)
{
    j_sep(j, key);
    fprintf(j->f, "%llu", (unsigned long long)v);
}

static void j_num(struct json *j, const char *key, double v)
{
    j_sep(j, key);
    if ( isfinite(v) )
        fprintf(j->f, "%.6g", v);
    else
        fputs("null", j->f);
}

static void j_bool(struct json *j, const char *key, bool v)
{
    j_sep(j, key);
    fputs(v ? "true" : "false", j->f);
}

static void j_null(struct json *j, const char *key)
{
    j_sep(j, key);
    fputs("null", j->f);
}

static double ratio(double a, double b)
{
    return b > 0 ? a / b : NAN;
}

static double to_mib(uint64_t pages)
{
    return (double)pages / BENCH_PAGES_MIB;
}

static void host_json(struct json *j, const struct bench *b)
{
    const struct bench_topo *t = &b->topo;
    unsigned int i, k;

    j_open(j, "host", '{');
    j_str(j, "name", b->opts.name ? b->opts.name : t->name);
    j_str(j, "backend", b->ops->name);
    j_u64(j, "nodes", t->nr_nodes);
    if ( !strcmp(b->ops->name, "sim") )
        j_str(j, "claim_abi", bench_claim_abi_name(t->claim_abi));
    j_bool(j, "fragmented", topo_fragmented(t));
    j_open(j, "node", '[');
    for ( i = 0; i < t->nr_nodes; i++ )
    {
        j_open(j, NULL, '{');
        j_u64(j, "node", i);
        j_num(j, "mib", to_mib(t->pages[i]));
        j_num(j, "free_mib", to_mib(t->free[i]));
        if ( t->blocks_known )
        {
            j_u64(j, "free_1g_blocks", t->free_1g[i]);
            j_u64(j, "free_2m_blocks", t->free_2m[i]);
        }
        j_open(j, "distance", '[');
        for ( k = 0; k < t->nr_nodes; k++ )
            j_u64(j, NULL, t->distance[i][k]);
        j_close(j, ']');
        j_close(j, '}');
    }
    j_close(j, ']');
    j_close(j, '}');
}

static void cell_json(struct json *j, const char *key,
                      const struct bench_cell *c, unsigned int order)
{
    uint64_t pages = c->extents << order;

    j_open(j, key, '{');
    j_u64(j, "extents", c->extents);
    j_u64(j, "pages", pages);
    j_num(j, "mib", to_mib(pages));
    j_u64(j, "ns", c->ns);
    j_u64(j, "calls", c->calls);
    j_num(j, "gib_per_s", bench_gibps(pages, c->ns));
    j_close(j, '}');
}

static bool row_used(const struct bench_run *r, unsigned int row)
{
    unsigned int s;

    for ( s = 0; s < BENCH_NR_SIZES; s++ )
        if ( r->cell[row][s].extents || r->cell[row][s].calls )
            return true;
    return row < BENCH_MAX_NODES && r->pages_on[row];
}

static void nodes_json(struct json *j, const struct bench_run *r)
{
    static const unsigned int order[BENCH_NR_SIZES] = { 0, 9, 18 };
    unsigned int row, s;

    j_open(j, "nodes", '[');
    for ( row = 0; row < BENCH_ROWS; row++ )
    {
        if ( !row_used(r, row) )
            continue;
        j_open(j, NULL, '{');
        if ( row == BENCH_ANY )
            j_str(j, "node", "any");
        else
            j_u64(j, "node", row);
        if ( row < BENCH_MAX_NODES )
            j_num(j, "placed_mib", to_mib(r->pages_on[row]));
        for ( s = 0; s < BENCH_NR_SIZES; s++ )
            cell_json(j, bench_size_name(s), &r->cell[row][s], order[s]);
        j_close(j, '}');
    }
    j_close(j, ']');
}

static void calls_json(struct json *j, const struct bench_run *r)
{
    unsigned int i;

    j_open(j, "by_function", '{');
    for ( i = 0; i < BENCH_FN_NR; i++ )
    {
        if ( !r->fn_calls[i] )
            continue;
        j_open(j, bench_fn_name((enum bench_fn)i), '{');
        j_u64(j, "calls", r->fn_calls[i]);
        j_u64(j, "failed", r->fn_failed[i]);
        j_close(j, '}');
    }
    j_close(j, '}');
}

static void fallback_json(struct json *j, const struct meminit_fallback *fb)
{
    j_open(j, NULL, '{');
    j_u64(j, "node", fb->node);
    if ( fb->next_node == MEMINIT_NO_NODE )
        j_null(j, "next_node");
    else
        j_u64(j, "next_node", fb->next_node);
    j_u64(j, "order", fb->order);
    j_u64(j, "next_order", fb->next_order);
    j_str(j, "cause", meminit_cause_name(fb->cause));
    j_u64(j, "errno", (uint64_t)(fb->err < 0 ? -fb->err : fb->err));
    j_u64(j, "gfn", fb->gfn);
    j_close(j, '}');
}

static void meminit_json(struct json *j, const struct meminit_stats *st)
{
    unsigned int i, kept = st->nr_fallbacks < MEMINIT_MAX_FALLBACKS
                           ? st->nr_fallbacks : MEMINIT_MAX_FALLBACKS;

    j_open(j, "meminit", '{');
    if ( st->pnode == MEMINIT_NO_NODE )
        j_null(j, "pnode");
    else
        j_u64(j, "pnode", st->pnode);
    j_str(j, "pnode_reason", meminit_pnode_reason_name(st->pnode_reason));
    j_str(j, "claim", meminit_claim_name(st->claim_kind));
    j_u64(j, "claim_pages", st->claim_pages);
    j_u64(j, "claim_left", st->claim_left);
    j_u64(j, "hypercalls", st->hypercalls);
    j_u64(j, "populate_calls", st->populate_calls);
    j_u64(j, "ns_total", st->ns_total);
    j_u64(j, "ns_calls", st->ns_calls);
    j_u64(j, "ns_self", st->ns_total - st->ns_calls);
    j_u64(j, "fallbacks", st->nr_fallbacks);
    j_open(j, "fallback_list", '[');
    for ( i = 0; i < kept; i++ )
        fallback_json(j, &st->fallback[i]);
    j_close(j, ']');
    j_close(j, '}');
}

static void run_json(struct json *j, const struct bench_run *r,
                     const struct bench_case *c)
{
    unsigned int pnode = c->pnode;
    char error[sizeof(r->err.msg) + 32];

    snprintf(error, sizeof(error), "%s: %s",
             r->err.step ? r->err.step : "?", r->err.msg);
    j_bool(j, "ok", r->rc == 0);
    j_str(j, "error", r->rc ? error : NULL);
    j_u64(j, "ns", r->ns);
    j_u64(j, "pages", r->pages);
    j_num(j, "mib", to_mib(r->pages));
    j_num(j, "gib_per_s", bench_gibps(r->pages, r->ns));
    j_u64(j, "hypercalls", r->calls);
    j_u64(j, "hypercalls_failed", r->failed);
    j_u64(j, "populate_calls", r->populate_calls);
    j_u64(j, "short_calls", r->short_calls);
    j_num(j, "locality", run_locality(r, pnode));
    j_num(j, "mean_distance", run_mean_distance(r, &c->topo, pnode));
    j_num(j, "superpage_share", r->pages ? (double)run_superpages(r) /
          r->pages : NAN);
    j_num(j, "share_1g", r->pages ? (double)run_size_pages(r, MEMINIT_1G) /
          r->pages : NAN);
    calls_json(j, r);
    nodes_json(j, r);
    if ( r->have_stats )
        meminit_json(j, &r->st);
}

static void side_json(struct json *j, const char *key,
                      const struct bench_side *s, const struct bench_case *c)
{
    unsigned int i;

    if ( !s->ran )
    {
        j_open(j, key, '{');
        j_bool(j, "ran", false);
        j_str(j, "skipped", s->skipped);
        j_close(j, '}');
        return;
    }
    j_open(j, key, '{');
    j_bool(j, "ran", true);
    j_open(j, "runs_ns", '[');
    for ( i = 0; i < s->nr_runs; i++ )
        j_u64(j, NULL, s->ns[i]);
    j_close(j, ']');
    run_json(j, &s->med, c);
    j_close(j, '}');
}

static void ratios_json(struct json *j, const struct bench_case *c)
{
    const struct bench_run *o = &c->side[BENCH_OURS].med;
    const struct bench_run *s = &c->side[BENCH_STOCK].med;
    bool both = c->side[BENCH_OURS].ran && c->side[BENCH_STOCK].ran &&
                !o->rc && !s->rc;

    j_open(j, "ours_over_stock", '{');
    j_num(j, "time", both ? ratio(o->ns, s->ns) : NAN);
    j_num(j, "hypercalls", both ? ratio(o->calls, s->calls) : NAN);
    j_num(j, "locality", both ? ratio(run_locality(o, c->pnode),
          run_locality(s, c->pnode)) : NAN);
    j_num(j, "mean_distance", both ? ratio(run_mean_distance(o, &c->topo,
          c->pnode), run_mean_distance(s, &c->topo, c->pnode)) : NAN);
    j_close(j, '}');
}

static void case_json(struct json *j, const struct bench_case *c)
{
    unsigned int i;

    j_open(j, NULL, '{');
    j_u64(j, "pnode", c->pnode);
    j_str(j, "policy", meminit_policy_name(c->policy));
    side_json(j, "ours", &c->side[BENCH_OURS], c);
    side_json(j, "stock", &c->side[BENCH_STOCK], c);
    ratios_json(j, c);
    j_open(j, "goals", '[');
    for ( i = 0; i < BENCH_NR_GOALS; i++ )
    {
        j_open(j, NULL, '{');
        j_str(j, "goal", bench_goal_name((enum bench_goal)i));
        j_str(j, "verdict", bench_verdict_name(c->goal[i].verdict));
        j_str(j, "detail", c->goal[i].detail);
        j_close(j, '}');
    }
    j_close(j, ']');
    j_close(j, '}');
}

int json_write(FILE *f, const struct bench *b)
{
    struct json j = { .f = f, .depth = 0, .first = { true } };
    unsigned int i;

    fputc('{', f);
    j.first[0] = true;
    j_str(&j, "tool", "xenguest-bench");
    j_u64(&j, "format", 1);
    host_json(&j, b);
    j_open(&j, "guest", '{');
    j_str(&j, "type", b->guest.type == BENCH_HVM ? "hvm" : "pv");
    j_u64(&j, "pages", b->guest.pages);
    j_num(&j, "mib", to_mib(b->guest.pages));
    j_close(&j, '}');
    j_u64(&j, "runs", b->opts.runs);
    j_str(&j, "timing_note", b->ops->timing_note);
    j_open(&j, "cases", '[');
    for ( i = 0; i < b->nr_cases; i++ )
        case_json(&j, &b->cases[i]);
    j_close(&j, ']');
    fputs("\n}\n", f);
    return ferror(f) ? -EIO : 0;
}
