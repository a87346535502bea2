/*
 * report.c - placement report formatting: text for people, one JSON
 * object (json-c) for scripts.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <json.h>

#include "report.h"

#define MiB_OF(pages)   ((double)(pages) / 256.0)

static uint64_t total_pages(const struct meminit_stats *st)
{
    uint64_t pages = meminit_node_pages(&st->anynode);
    unsigned int n;

    for ( n = 0; n < st->nr_nodes; n++ )
        pages += meminit_node_pages(&st->node[n]);
    return pages;
}

static double share(uint64_t part, uint64_t whole)
{
    return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

static void node_line(FILE *out, const char *name,
                      const struct meminit_node_stats *ns, uint64_t all)
{
    uint64_t pages = meminit_node_pages(ns);

    fprintf(out, "  %-6s %10.1f %8.1f %8.1f %8.1f %6.1f%% %9.3f %6u\n",
            name, MiB_OF(ns->extents[MEMINIT_1G] << MEMINIT_ORDER_1G),
            MiB_OF(ns->extents[MEMINIT_2M] << MEMINIT_ORDER_2M),
            MiB_OF(ns->extents[MEMINIT_4K]), MiB_OF(pages),
            share(pages, all), (double)ns->ns / 1e6, ns->calls);
}

static unsigned int kept_fallbacks(const struct meminit_stats *st)
{
    return st->nr_fallbacks < MEMINIT_MAX_FALLBACKS ? st->nr_fallbacks
                                                    : MEMINIT_MAX_FALLBACKS;
}

/* "gfn 0x40000: node 2 order 18 -> node 2 order 9: no block of that order" */
static void fallback_line(char *buf, size_t len,
                          const struct meminit_fallback *f)
{
    char next[32] = "none";

    if ( f->next_node != MEMINIT_NO_NODE )
        snprintf(next, sizeof(next), "node %u order %u", f->next_node,
                 f->next_order);
    snprintf(buf, len, "gfn %#" PRIx64 ": node %u order %u -> %s: %s%s%s%s",
             (uint64_t)f->gfn, f->node, f->order, next,
             meminit_cause_name(f->cause), f->err ? " (" : "",
             f->err ? strerror(f->err) : "", f->err ? ")" : "");
}

static void fallbacks_text(FILE *out, const struct meminit_stats *st)
{
    unsigned int i, kept = kept_fallbacks(st);
    char line[160];

    fprintf(out, "fallbacks: %u\n", st->nr_fallbacks);
    for ( i = 0; i < kept; i++ )
    {
        fallback_line(line, sizeof(line), &st->fallback[i]);
        fprintf(out, "  %s\n", line);
    }
    if ( kept < st->nr_fallbacks )
        fprintf(out, "  ... %u more not kept\n", st->nr_fallbacks - kept);
}

/* "node affinity: nodes 1 3" when meminit set it, else nothing. */
static void affinity_line(const struct meminit_stats *st,
                          xg_report_line_fn *emit, void *opaque)
{
    char line[200] = "node affinity: nodes";
    size_t used = strlen(line);
    unsigned int n;

    for ( n = 0; n < MEMINIT_MAX_NODES && used < sizeof(line); n++ )
        if ( st->node_affinity & (1ull << n) )
            used += (size_t)snprintf(line + used, sizeof(line) - used, " %u",
                                     n);
    if ( st->node_affinity )
        emit(opaque, line);
}

/* "populate: 2 threads (parallel), Xen 4.17, 2048.0 MiB by the threads,
 * 812.345 ms", then a line per thread when there were several. */
static void populate_lines(const struct meminit_stats *st,
                           xg_report_line_fn *emit, void *opaque)
{
    const struct meminit_thread_stats *t;
    char line[200], xen[24] = "not read";
    unsigned int i;

    if ( st->xen_version )
        snprintf(xen, sizeof(xen), "%u.%u", st->xen_version >> 16,
                 st->xen_version & 0xffff);
    snprintf(line, sizeof(line), "populate: %u thread%s (%s), Xen %s, "
             "%.1f MiB by the threads, %.3f ms", st->populate_threads,
             st->populate_threads == 1 ? "" : "s",
             meminit_threads_reason_name(st->threads_reason), xen,
             MiB_OF(st->parallel_pages), (double)st->ns_populate / 1e6);
    emit(opaque, line);
    for ( i = 0; st->populate_threads > 1 && i < st->populate_threads &&
                 i < MEMINIT_MAX_THREADS; i++ )
    {
        t = &st->thread[i];
        snprintf(line, sizeof(line), "populate thread %u: %.1f MiB, %u "
                 "slices, %u calls, %.3f ms", i, MiB_OF(t->pages), t->slices,
                 t->calls, (double)t->ns / 1e6);
        emit(opaque, line);
    }
}

/* "policy: interleave, nodes 1,3, imbalance 2.0 MiB". */
static void policy_text(char *buf, size_t len, const struct meminit_stats *st,
                        bool built)
{
    char set[MEMINIT_NODESET_MAX];

    meminit_nodeset_format(set, sizeof(set), st->policy_nodes);
    if ( st->policy == MEMINIT_POLICY_INTERLEAVE && built )
        snprintf(buf, len, "policy: interleave, nodes %s, imbalance %.1f MiB",
                 set, MiB_OF(meminit_policy_imbalance(st)));
    else
        snprintf(buf, len, "policy: %s, nodes %s",
                 meminit_policy_name(st->policy), *set ? set : "none");
}

void xg_report_lines(const struct meminit_stats *st, xg_report_line_fn *emit,
                     void *opaque)
{
    char line[MEMINIT_NODESET_MAX + 64], fb[160];
    unsigned int n, i;

    policy_text(line, sizeof(line), st, true);
    emit(opaque, line);
    snprintf(line, sizeof(line), "claim: %s, %.1f MiB staked, %.1f MiB left",
             meminit_claim_name(st->claim_kind), MiB_OF(st->claim_pages),
             MiB_OF(st->claim_left));
    emit(opaque, line);
    affinity_line(st, emit, opaque);
    for ( n = 0; n < st->nr_nodes; n++ )
    {
        const struct meminit_node_stats *ns = &st->node[n];

        if ( !ns->calls && !ns->pod_cache )
            continue;
        snprintf(line, sizeof(line), "node %u: %.1f MiB (1G x%" PRIu64
                 ", 2M x%" PRIu64 ", 4K x%" PRIu64 "), %.3f ms, %u calls", n,
                 MiB_OF(meminit_node_pages(ns)), ns->extents[MEMINIT_1G],
                 ns->extents[MEMINIT_2M], ns->extents[MEMINIT_4K],
                 (double)ns->ns / 1e6, ns->calls);
        emit(opaque, line);
    }
    for ( i = 0; i < kept_fallbacks(st); i++ )
    {
        fallback_line(fb, sizeof(fb), &st->fallback[i]);
        snprintf(line, sizeof(line), "fallback: %s", fb);
        emit(opaque, line);
    }
    populate_lines(st, emit, opaque);
}

static void plan_text(FILE *out, const struct xg_report_ctx *r)
{
    uint64_t all = 0;
    unsigned int n;

    for ( n = 0; n < r->st->nr_nodes; n++ )
        all += r->plan[n];
    fprintf(out, "plan (from current free memory):\n");
    if ( !all )
        fprintf(out, "  no node named (policy off): Xen's allocator "
                "chooses\n");
    for ( n = 0; n < r->st->nr_nodes; n++ )
        if ( r->plan[n] )
            fprintf(out, "  node %u: %.1f MiB (%.1f%%)\n", n,
                    MiB_OF(r->plan[n]), share(r->plan[n], all));
}

/* The claim, then one line per node and page size, with their time. */
static void nodes_text(FILE *out, const struct meminit_stats *st)
{
    uint64_t all = total_pages(st);
    char name[16];
    unsigned int n;

    fprintf(out, "claim: %s, %.1f MiB staked, %.1f MiB left at exit\n",
            meminit_claim_name(st->claim_kind), MiB_OF(st->claim_pages),
            MiB_OF(st->claim_left));
    fprintf(out, "  %-6s %10s %8s %8s %8s %7s %9s %6s\n", "node",
            "1G MiB", "2M MiB", "4K MiB", "MiB", "share", "time ms",
            "calls");
    for ( n = 0; n < st->nr_nodes; n++ )
    {
        snprintf(name, sizeof(name), "%u", n);
        node_line(out, name, &st->node[n], all);
    }
    if ( st->anynode.calls )
        node_line(out, "any", &st->anynode, all);
}

int xg_report_text(FILE *out, const struct xg_report_ctx *r)
{
    const struct meminit_stats *st = r->st;
    char line[MEMINIT_NODESET_MAX + 64];

    if ( r->domid == DOMID_INVALID )
        fprintf(out, "no domain (a plan from the host alone), %s\n", r->mode);
    else
        fprintf(out, "domain %u, %s\n", r->domid, r->mode);
    if ( st->pnode == MEMINIT_NO_NODE )
        fprintf(out, "preferred node: none (%s)\n",
                meminit_pnode_reason_name(st->pnode_reason));
    else
        fprintf(out, "preferred node: %u (%s)\n", st->pnode,
                meminit_pnode_reason_name(st->pnode_reason));
    policy_text(line, sizeof(line), st, !r->plan);
    fprintf(out, "%s\n", line);
    if ( r->plan )
    {
        plan_text(out, r);
        return ferror(out) ? -EIO : 0;
    }
    nodes_text(out, st);
    if ( st->pod_pages )
        fprintf(out, "populate-on-demand entries: %.1f MiB\n",
                MiB_OF(st->pod_pages));
    fallbacks_text(out, st);
    fprintf(out, "hypercalls: %u (%u failed), %u populate; "
            "time %.3f ms, %.3f ms of it in Xen\n", st->hypercalls,
            st->hypercalls_failed, st->populate_calls,
            (double)st->ns_total / 1e6, (double)st->ns_calls / 1e6);
    return ferror(out) ? -EIO : 0;
}

/*
 * The JSON report, built with json-c so that every string (the mode, the
 * reasons, whatever a future key carries from xenstore or an error) is
 * escaped by a maintained library, not by hand. One object on one line;
 * docs/report.schema.json describes it and XG_REPORT_SCHEMA_VERSION
 * changes when a key changes meaning or goes away.
 */
static void put(struct json_object *o, const char *key, struct json_object *v)
{
    json_object_object_add(o, key, v);
}

static struct json_object *j_u64(uint64_t v)
{
    return json_object_new_int64(v > INT64_MAX ? INT64_MAX : (int64_t)v);
}

/* MiB with one decimal, written as such ("511.9", not 511.89999999999998). */
static struct json_object *j_mib(uint64_t pages)
{
    char text[32];

    snprintf(text, sizeof(text), "%.1f", MiB_OF(pages));
    return json_object_new_double_s(MiB_OF(pages), text);
}

static struct json_object *j_node(int node)
{
    return json_object_new_int(node);
}

static struct json_object *json_node(const struct meminit_node_stats *ns)
{
    struct json_object *o = json_object_new_object();

    put(o, "pages_4k", j_u64(ns->extents[MEMINIT_4K]));
    put(o, "pages_2m", j_u64(ns->extents[MEMINIT_2M]));
    put(o, "pages_1g", j_u64(ns->extents[MEMINIT_1G]));
    put(o, "mib", j_mib(meminit_node_pages(ns)));
    put(o, "ns", j_u64(ns->ns));
    put(o, "calls", j_u64(ns->calls));
    return o;
}

static struct json_object *json_fallback(const struct meminit_fallback *f)
{
    struct json_object *o = json_object_new_object();

    put(o, "gfn", j_u64(f->gfn));
    put(o, "node", j_node((int)f->node));
    put(o, "order", j_node(f->order));
    put(o, "next_node", j_node(f->next_node == MEMINIT_NO_NODE
                               ? -1 : (int)f->next_node));
    put(o, "next_order", j_node(f->next_order));
    put(o, "cause", json_object_new_string(meminit_cause_name(f->cause)));
    put(o, "errno", j_node(f->err));
    return o;
}

/* --plan: pages per node (all nodes), and the nodes that supply a share. */
static void json_plan(struct json_object *o, const struct xg_report_ctx *r)
{
    struct json_object *pages = json_object_new_array();
    struct json_object *shares = json_object_new_array();
    uint64_t all = 0;
    unsigned int n;

    for ( n = 0; n < r->st->nr_nodes; n++ )
        all += r->plan[n];
    for ( n = 0; n < r->st->nr_nodes; n++ )
    {
        struct json_object *s;

        json_object_array_add(pages, j_u64(r->plan[n]));
        if ( !r->plan[n] )
            continue;
        s = json_object_new_object();
        put(s, "node", j_node((int)n));
        put(s, "pages", j_u64(r->plan[n]));
        put(s, "mib", j_mib(r->plan[n]));
        put(s, "share", json_object_new_double(share(r->plan[n], all)));
        json_object_array_add(shares, s);
    }
    put(o, "plan_pages", pages);
    put(o, "plan_nodes", shares);
}

static void json_result(struct json_object *o, const struct xg_report_ctx *r)
{
    struct json_object *res = json_object_new_object();

    put(res, "store", j_u64(r->store_frame));
    put(res, "console", j_u64(r->console_frame));
    put(res, "protocol", r->protocol ? json_object_new_string(r->protocol)
                                     : NULL);
    put(o, "result", res);
}

/* "4.17", or NULL when xc_version was not read. */
static struct json_object *j_xen_version(uint32_t v)
{
    char buf[24];

    if ( !v )
        return NULL;
    snprintf(buf, sizeof(buf), "%u.%u", v >> 16, v & 0xffff);
    return json_object_new_string(buf);
}

/* Threads and why; a row per thread (parallel.h). */
static struct json_object *json_populate(const struct meminit_stats *st)
{
    struct json_object *p = json_object_new_object();
    struct json_object *rows = json_object_new_array();
    unsigned int i, n = st->populate_threads ? st->populate_threads : 1;

    put(p, "threads", j_u64(n));
    put(p, "reason", json_object_new_string(
            meminit_threads_reason_name(st->threads_reason)));
    put(p, "xen_version", j_xen_version(st->xen_version));
    put(p, "parallel_pages", j_u64(st->parallel_pages));
    put(p, "ns", j_u64(st->ns_populate));
    for ( i = 0; i < n && i < MEMINIT_MAX_THREADS; i++ )
    {
        struct json_object *t = json_object_new_object();

        put(t, "pages", j_u64(st->thread[i].pages));
        put(t, "ns", j_u64(st->thread[i].ns));
        put(t, "calls", j_u64(st->thread[i].calls));
        put(t, "slices", j_u64(st->thread[i].slices));
        json_object_array_add(rows, t);
    }
    put(p, "per_thread", rows);
    return p;
}

/* The policy, its node set as used, and interleave's imbalance. */
static void json_policy(struct json_object *o, const struct xg_report_ctx *r)
{
    const struct meminit_stats *st = r->st;
    struct json_object *set = json_object_new_array();
    unsigned int n;

    put(o, "policy", json_object_new_string(meminit_policy_name(st->policy)));
    for ( n = 0; n < MEMINIT_MAX_NODES; n++ )
        if ( st->policy_nodes & (1ull << n) )
            json_object_array_add(set, j_node((int)n));
    put(o, "policy_nodes", set);
    put(o, "imbalance_pages", st->policy == MEMINIT_POLICY_INTERLEAVE &&
        !r->plan ? j_u64(meminit_policy_imbalance(st)) : NULL);
}

static void json_build(struct json_object *o, const struct xg_report_ctx *r)
{
    const struct meminit_stats *st = r->st;
    struct json_object *nodes = json_object_new_array();
    struct json_object *fb = json_object_new_array();
    unsigned int n;

    put(o, "claim", json_object_new_string(meminit_claim_name(st->claim_kind)));
    put(o, "claim_pages", j_u64(st->claim_pages));
    put(o, "claim_left", j_u64(st->claim_left));
    for ( n = 0; n < st->nr_nodes; n++ )
        json_object_array_add(nodes, json_node(&st->node[n]));
    put(o, "nodes", nodes);
    put(o, "any", json_node(&st->anynode));
    put(o, "pod_pages", j_u64(st->pod_pages));
    put(o, "nr_fallbacks", j_u64(st->nr_fallbacks));
    for ( n = 0; n < kept_fallbacks(st); n++ )
        json_object_array_add(fb, json_fallback(&st->fallback[n]));
    put(o, "fallbacks", fb);
    put(o, "hypercalls", j_u64(st->hypercalls));
    put(o, "hypercalls_failed", j_u64(st->hypercalls_failed));
    put(o, "populate_calls", j_u64(st->populate_calls));
    put(o, "ns_total", j_u64(st->ns_total));
    put(o, "ns_calls", j_u64(st->ns_calls));
    put(o, "populate", json_populate(st));
}

int xg_report_json(FILE *out, const struct xg_report_ctx *r)
{
    const struct meminit_stats *st = r->st;
    struct json_object *o = json_object_new_object();
    const char *text;
    int rc = -ENOMEM;

    if ( !o )
        return rc;
    put(o, "schema_version", json_object_new_int(XG_REPORT_SCHEMA_VERSION));
    put(o, "domid", r->domid == DOMID_INVALID ? NULL : j_u64(r->domid));
    put(o, "mode", json_object_new_string(r->mode));
    put(o, "pnode", j_node(st->pnode == MEMINIT_NO_NODE ? -1
                                                       : (int)st->pnode));
    put(o, "pnode_reason", json_object_new_string(
            meminit_pnode_reason_name(st->pnode_reason)));
    json_policy(o, r);
    if ( r->plan )
        json_plan(o, r);
    else if ( r->has_result )
        json_result(o, r);
    if ( !r->plan )
        json_build(o, r);
    text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
    if ( text )
        rc = fprintf(out, "%s\n", text) < 0 || ferror(out) ? -EIO : 0;
    json_object_put(o);
    return rc;
}

void xg_report_summary(char *buf, size_t len, const struct meminit_stats *st)
{
    uint64_t all = total_pages(st);
    uint64_t on = st->pnode == MEMINIT_NO_NODE
                  ? 0 : meminit_node_pages(&st->node[st->pnode]);

    if ( st->pnode_reason == MEMINIT_PNODE_STOCK )
        snprintf(buf, len, "placement: none: libxenguest's own meminit "
                 "built this 32-bit PV guest, nodes and page sizes not "
                 "known, claim %s of %.1f MiB",
                 meminit_claim_name(st->claim_kind), MiB_OF(st->claim_pages));
    else if ( st->pnode == MEMINIT_NO_NODE )
        snprintf(buf, len, "placement: no preferred node (%s), %.1f MiB, "
                 "%u fallbacks, claim %s",
                 meminit_pnode_reason_name(st->pnode_reason), MiB_OF(all),
                 st->nr_fallbacks, meminit_claim_name(st->claim_kind));
    else
        snprintf(buf, len, "placement: node %u (%s), %.1f of %.1f MiB there "
                 "(%.1f%%), %u fallbacks, claim %s", st->pnode,
                 meminit_pnode_reason_name(st->pnode_reason), MiB_OF(on),
                 MiB_OF(all), share(on, all), st->nr_fallbacks,
                 meminit_claim_name(st->claim_kind));
}

void xg_report_nodes(char *buf, size_t len, const struct meminit_stats *st)
{
    size_t used = 0;
    unsigned int n;
    int w;

    buf[0] = '\0';
    for ( n = 0; n < st->nr_nodes && used < len; n++ )
    {
        w = snprintf(buf + used, len - used, "%s%u:%" PRIu64, n ? " " : "",
                     n, meminit_node_pages(&st->node[n]) >> 8);
        if ( w < 0 )
            break;
        used += (size_t)w;
    }
}
