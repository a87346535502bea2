/*
 * report.c - placement report formatting.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

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

void xg_report_lines(const struct meminit_stats *st, xg_report_line_fn *emit,
                     void *opaque)
{
    char line[200], fb[160];
    unsigned int n, i;

    snprintf(line, sizeof(line), "claim: %s, %.1f MiB staked, %.1f MiB left",
             meminit_claim_name(st->claim_kind), MiB_OF(st->claim_pages),
             MiB_OF(st->claim_left));
    emit(opaque, line);
    for ( n = 0; n < st->nr_nodes; n++ )
    {
        const struct meminit_node_stats *ns = &st->node[n];

        if ( !ns->calls )
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
}

static void plan_text(FILE *out, const struct xg_report_ctx *r)
{
    unsigned int n;

    fprintf(out, "plan (from current free memory):\n");
    for ( n = 0; n < r->st->nr_nodes; n++ )
        if ( r->plan[n] )
            fprintf(out, "  node %u: %.1f MiB\n", n, MiB_OF(r->plan[n]));
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

    fprintf(out, "domain %u, %s\n", r->domid, r->mode);
    if ( st->pnode == MEMINIT_NO_NODE )
        fprintf(out, "preferred node: none (%s)\n",
                meminit_pnode_reason_name(st->pnode_reason));
    else
        fprintf(out, "preferred node: %u (%s)\n", st->pnode,
                meminit_pnode_reason_name(st->pnode_reason));
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

static void json_node(FILE *out, const struct meminit_node_stats *ns)
{
    fprintf(out, "{\"pages_4k\":%" PRIu64 ",\"pages_2m\":%" PRIu64
            ",\"pages_1g\":%" PRIu64 ",\"mib\":%.1f,\"ns\":%" PRIu64
            ",\"calls\":%u}", ns->extents[MEMINIT_4K],
            ns->extents[MEMINIT_2M], ns->extents[MEMINIT_1G],
            MiB_OF(meminit_node_pages(ns)), ns->ns, ns->calls);
}

static void json_fallbacks(FILE *out, const struct meminit_stats *st)
{
    unsigned int i, kept = kept_fallbacks(st);

    fprintf(out, "\"nr_fallbacks\":%u,\"fallbacks\":[", st->nr_fallbacks);
    for ( i = 0; i < kept; i++ )
    {
        const struct meminit_fallback *f = &st->fallback[i];

        fprintf(out, "%s{\"gfn\":%" PRIu64 ",\"node\":%u,\"order\":%u,"
                "\"next_node\":%d,\"next_order\":%u,\"cause\":\"%s\","
                "\"errno\":%d}", i ? "," : "", (uint64_t)f->gfn, f->node,
                f->order, f->next_node == MEMINIT_NO_NODE
                ? -1 : (int)f->next_node, f->next_order,
                meminit_cause_name(f->cause), f->err);
    }
    fputs("]", out);
}

static void json_plan(FILE *out, const struct xg_report_ctx *r)
{
    unsigned int n;

    fputs("\"plan_pages\":[", out);
    for ( n = 0; n < r->st->nr_nodes; n++ )
        fprintf(out, "%s%" PRIu64, n ? "," : "", r->plan[n]);
    fputs("]}\n", out);
}

int xg_report_json(FILE *out, const struct xg_report_ctx *r)
{
    const struct meminit_stats *st = r->st;
    unsigned int n;

    fprintf(out, "{\"domid\":%u,\"mode\":\"%s\",\"pnode\":%d,"
            "\"pnode_reason\":\"%s\",", r->domid, r->mode,
            st->pnode == MEMINIT_NO_NODE ? -1 : (int)st->pnode,
            meminit_pnode_reason_name(st->pnode_reason));
    if ( r->plan )
    {
        json_plan(out, r);
        return ferror(out) ? -EIO : 0;
    }
    if ( r->has_result )
        fprintf(out, "\"result\":{\"store\":%" PRIu64 ",\"console\":%"
                PRIu64 ",\"protocol\":\"%s\"},", r->store_frame,
                r->console_frame, r->protocol ? r->protocol : "");
    fprintf(out, "\"claim\":\"%s\",\"claim_pages\":%" PRIu64
            ",\"claim_left\":%" PRIu64 ",\"nodes\":[",
            meminit_claim_name(st->claim_kind), st->claim_pages,
            st->claim_left);
    for ( n = 0; n < st->nr_nodes; n++ )
    {
        fputs(n ? "," : "", out);
        json_node(out, &st->node[n]);
    }
    fputs("],\"any\":", out);
    json_node(out, &st->anynode);
    fprintf(out, ",\"pod_pages\":%" PRIu64 ",", st->pod_pages);
    json_fallbacks(out, st);
    fprintf(out, ",\"hypercalls\":%u,\"hypercalls_failed\":%u,"
            "\"populate_calls\":%u,\"ns_total\":%" PRIu64 ",\"ns_calls\":%"
            PRIu64 "}\n", st->hypercalls, st->hypercalls_failed,
            st->populate_calls, st->ns_total, st->ns_calls);
    return ferror(out) ? -EIO : 0;
}

void xg_report_summary(char *buf, size_t len, const struct meminit_stats *st)
{
    uint64_t all = total_pages(st);
    uint64_t on = st->pnode == MEMINIT_NO_NODE
                  ? 0 : meminit_node_pages(&st->node[st->pnode]);

    if ( st->pnode == MEMINIT_NO_NODE )
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
