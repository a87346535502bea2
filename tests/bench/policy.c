/*
 * policy.c - --policy: ours under each NUMA memory policy against stock.
 *
 * Contract: policy_opt() parses --policy (a mode, or "all"); policy_of()
 * is the meminit policy of a case (the preferred node only for preferred
 * and strict); policy_print() prints, per case, the locality (share of the
 * guest on the target: the preferred node, or interleave's node set), the
 * mean distance from the target's nodes (averaged over them: the vCPUs of
 * an interleaved guest run on any node of the set) and the balance (each
 * set node's share of the guest, and the spread: largest less smallest)
 * for ours and for stock, which has no policy (no node flags). Placement
 * is the backend's measurement (pages_on), the same for both builders.
 */
#include <errno.h>
#include <string.h>

#include "bench.h"

int policy_opt(const char *val, struct bench_opts *o,
               struct meminit_error *err)
{
    enum meminit_policy_mode m;

    if ( !strcmp(val, "all") )
        o->policies = (1u << (MEMINIT_POLICY_OFF + 1)) - 1;
    else if ( !meminit_policy_lookup(val, &m) )
        o->policies |= 1u << m;
    else
        return meminit_error_set(err, "options", EINVAL, "--policy '%s': "
                                 "want preferred, strict, interleave, off "
                                 "or all", val);
    return 0;
}

struct meminit_policy policy_of(const struct bench *b,
                                const struct bench_case *c)
{
    bool placed = c->policy == MEMINIT_POLICY_PREFERRED ||
                  c->policy == MEMINIT_POLICY_STRICT;

    return (struct meminit_policy){
        .mode = c->policy, .nodes = b->opts.policy_nodes,
        .pnode = placed ? c->pnode : MEMINIT_NO_NODE };
}

/* The set's nodes with memory (every node with memory when none given). */
static uint64_t set_nodes(const struct bench *b, const struct bench_case *c)
{
    uint64_t set = 0;
    unsigned int n;

    for ( n = 0; n < c->topo.nr_nodes; n++ )
        if ( c->topo.pages[n] && (!b->opts.policy_nodes ||
                                  (b->opts.policy_nodes & (1ull << n))) )
            set |= 1ull << n;
    return set;
}

uint64_t policy_target(const struct bench *b, const struct bench_case *c)
{
    return c->policy == MEMINIT_POLICY_INTERLEAVE ? set_nodes(b, c)
                                                  : 1ull << c->pnode;
}

double policy_locality(const struct bench_run *r, uint64_t target)
{
    uint64_t on = 0, total = run_placed(r);
    unsigned int n;

    for ( n = 0; n < BENCH_MAX_NODES; n++ )
        if ( target & (1ull << n) )
            on += r->pages_on[n];
    return total ? (double)on / (double)total : 0.0;
}

double policy_distance(const struct bench_run *r, const struct bench_topo *t,
                       uint64_t target)
{
    double sum = 0.0;
    unsigned int n, k = 0;

    for ( n = 0; n < t->nr_nodes; n++ )
        if ( target & (1ull << n) )
        {
            sum += run_mean_distance(r, t, n);
            k++;
        }
    return k ? sum / k : 0.0;
}

/* "1:50.0 3:50.0" and the spread, in percent of the guest. */
static double balance(char *buf, size_t len, const struct bench_run *r,
                      uint64_t set)
{
    uint64_t total = run_placed(r);
    double most = 0.0, least = 100.0, s;
    size_t used = 0;
    unsigned int n;

    buf[0] = '\0';
    for ( n = 0; n < BENCH_MAX_NODES && used < len; n++ )
    {
        if ( !(set & (1ull << n)) )
            continue;
        s = total ? 100.0 * (double)r->pages_on[n] / (double)total : 0.0;
        most = s > most ? s : most;
        least = s < least ? s : least;
        used += (size_t)snprintf(buf + used, len - used, "%s%u:%.1f",
                                 used ? " " : "", n, s);
    }
    return most >= least ? most - least : 0.0;
}

static void side_line(FILE *f, const struct bench *b,
                      const struct bench_case *c, enum bench_builder who)
{
    const struct bench_side *s = &c->side[who];
    uint64_t target = policy_target(b, c);
    char bal[BENCH_MAX_NODES * 12];
    double spread;

    fprintf(f, "  %-10s  %-5s ", who == BENCH_OURS
            ? meminit_policy_name(c->policy) : "", bench_builder_name(who));
    if ( !s->ran || s->med.rc )
    {
        if ( !s->ran )
            fprintf(f, " not run%s%s\n", s->skipped ? ": " : "",
                    s->skipped ? s->skipped : "");
        else
            fprintf(f, " %s\n", s->med.err.msg);
        return;
    }
    spread = balance(bal, sizeof(bal), &s->med, set_nodes(b, c));
    fprintf(f, "%8.1f%%  %9.1f  %6.1f%%  %s\n",
            100.0 * policy_locality(&s->med, target),
            policy_distance(&s->med, &c->topo, target), spread, bal);
}

void policy_print(FILE *f, const struct bench *b)
{
    char set[MEMINIT_NODESET_MAX];
    unsigned int i;

    if ( !b->opts.policies || !b->nr_cases )
        return;
    meminit_nodeset_format(set, sizeof(set), set_nodes(b, &b->cases[0]));
    fprintf(f, "\n== policies: node set %s, preferred node %u ==\n"
            "locality: share of the guest on the target (the preferred "
            "node; interleave: the set); mean distance from the target's "
            "nodes;\nbalance: each set node's share of the guest, spread = "
            "largest - smallest. Stock has no policy (no node flags).\n"
            "  policy      build  locality  mean dist  spread  balance "
            "(node:%%)\n", set, b->cases[0].pnode);
    for ( i = 0; i < b->nr_cases; i++ )
    {
        side_line(f, b, &b->cases[i], BENCH_OURS);
        side_line(f, b, &b->cases[i], BENCH_STOCK);
    }
}
