/*
 * opts.c - the command line of xenguest-bench, one table, bounded numbers.
 *
 * Contract: opts_parse() fills struct bench_opts from argv (the backend is
 * `own`, this binary's, unless --sim or --xen says otherwise) or returns
 * -EINVAL with a one-line reason recorded in err (main prints it as
 * `error:` and exits 2).
 * Every number goes through parse_u64(): decimal digits only, no sign, no
 * trailing text, within the option's bounds. Options that belong to the
 * other backend are refused here, not ignored later.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define MAX_GUEST_MIB   (64ull << 20)   /* 64 TiB */
#define MAX_NODE_GIB    65536ull        /* 64 TiB per node */
#define STEP            "options"       /* of every error recorded here */

enum opt_id {
    OPT_SIM = 256,
    OPT_XEN,
    OPT_TYPE,
    OPT_GIB,
    OPT_MIB,
    OPT_PNODE,
    OPT_RUNS,
    OPT_HOST,
    OPT_NODES,
    OPT_NODE_GIB,
    OPT_DIST_FILE,
    OPT_CLAIM_ABI,
    OPT_JSON,
    OPT_PLOT,
    OPT_NAME,
    OPT_PAUSE,
    OPT_POLICY,
    OPT_POLICY_NODES,
    OPT_BUILDER,
    OPT_HELP = 'h',
};

static const struct option longopts[] = {
    { "sim",       no_argument,       NULL, OPT_SIM },
    { "xen",       no_argument,       NULL, OPT_XEN },
    { "type",      required_argument, NULL, OPT_TYPE },
    { "gib",       required_argument, NULL, OPT_GIB },
    { "mib",       required_argument, NULL, OPT_MIB },
    { "pnode",     required_argument, NULL, OPT_PNODE },
    { "runs",      required_argument, NULL, OPT_RUNS },
    { "host",      required_argument, NULL, OPT_HOST },
    { "nodes",     required_argument, NULL, OPT_NODES },
    { "node-gib",  required_argument, NULL, OPT_NODE_GIB },
    { "dist-file", required_argument, NULL, OPT_DIST_FILE },
    { "claim-abi", required_argument, NULL, OPT_CLAIM_ABI },
    { "json",      optional_argument, NULL, OPT_JSON },
    { "plot",      required_argument, NULL, OPT_PLOT },
    { "name",      required_argument, NULL, OPT_NAME },
    { "pause-ms",  required_argument, NULL, OPT_PAUSE },
    { "policy",    required_argument, NULL, OPT_POLICY },
    { "policy-nodes", required_argument, NULL, OPT_POLICY_NODES },
    { "builder",   required_argument, NULL, OPT_BUILDER },
    { "help",      no_argument,       NULL, OPT_HELP },
    { NULL, 0, NULL, 0 },
};

/* The option lines of --help, after the synopsis. */
static void usage_options(FILE *f)
{
    fprintf(f,
"  --sim            the simulated host (build/xenguest-bench, the default)\n"
"  --xen            real Xen, in dom0 as root (build/xenguest-bench-xen)\n"
"  --type T         guest layout: hvm (default) or pv (simulator: ours only)\n"
"  --gib G, --mib M guest memory (default 4 GiB)\n"
"  --pnode N|each   preferred node, or every node with memory in turn (0)\n"
"  --runs N         runs per builder and case, 1..%u (default 3)\n"
"  --pause-ms MS    real Xen: wait before each run so the hypervisor's idle\n"
"                   scrubber can clean the memory the last run freed\n"
"                   (0..60000, default 0)\n"
"  --host FILE      host topology file (see docs/benchmarks.md)\n"
"  --nodes N        uniform host of N nodes (1..%u) ...\n"
"  --node-gib G     ... of G GiB each (default: 2 x 64 GiB)\n"
"  --dist-file F    distance matrix, one row per line (default 10/20)\n"
"  --claim-abi A    claim calls the simulated Xen offers (default upstream)\n"
"  --json[=FILE]    JSON instead of the table; with FILE, JSON there too\n"
"  --plot FILE.svg  bar chart of populate time per node and page size\n"
"  --name NAME      label for the output (default: the host's name)\n"
"  --policy P       ours under NUMA memory policy P (preferred, strict,\n"
"                   interleave, off, or all: one case each, on --pnode),\n"
"                   with locality, mean distance and per-node balance\n"
"                   against stock\n"
"  --policy-nodes S the policy's node set, e.g. 0-1,3 (default: all)\n"
"  --builder B      run only ours or only stock (default both, alternating)\n"
"  -h, --help       this text\n"
"\n"
"Exit status: 0 every run succeeded, 1 a run or the host failed, 2 usage.\n",
            BENCH_MAX_RUNS, BENCH_MAX_NODES);
}

void opts_usage(FILE *f, const char *prog)
{
    fprintf(f,
"usage: %s [--sim | --xen] [--type hvm|pv] [--gib G | --mib M]\n"
"          [--pnode N|each] [--runs N] [--json[=FILE]] [--plot FILE.svg]\n"
"          [--name NAME] [--policy P [--policy-nodes S]]\n"
"          [--builder ours|stock|both]\n"
"          simulated host: [--host FILE | --nodes N --node-gib G "
"[--dist-file F]]\n"
"                          [--claim-abi upstream|node|set]\n"
"\n"
"Populates a scratch domain with our meminit and with libxenguest's stock\n"
"meminit, alternating (ours, stock, ours, ...), and compares them per node\n"
"and page size: pages, MiB, time, GiB/s, hypercalls, locality, fallbacks.\n"
"\n", prog);
    usage_options(f);
}

int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    unsigned long long v;
    char *end;

    if ( !s || *s < '0' || *s > '9' )
        return -EINVAL;
    errno = 0;
    v = strtoull(s, &end, 10);
    if ( errno == ERANGE || *end != '\0' )
        return -ERANGE;
    if ( v < min || v > max )
        return -ERANGE;
    *out = v;
    return 0;
}

static int bad_value(const char *opt, const char *val, const char *why,
                     struct meminit_error *err)
{
    return meminit_error_set(err, STEP, EINVAL, "--%s '%s': %s", opt, val,
                             why);
}

static int opt_number(const char *opt, const char *val, uint64_t min,
                      uint64_t max, uint64_t *out, struct meminit_error *err)
{
    char why[80];

    if ( !parse_u64(val, min, max, out) )
        return 0;
    snprintf(why, sizeof(why), "want a whole number from %llu to %llu",
             (unsigned long long)min, (unsigned long long)max);
    return bad_value(opt, val, why, err);
}

static int opt_claim_abi(const char *val, struct bench_opts *o,
                         struct meminit_error *err)
{
    if ( !strcmp(val, "upstream") )
        o->claim_abi = BENCH_ABI_UPSTREAM;
    else if ( !strcmp(val, "node") )
        o->claim_abi = BENCH_ABI_NODE;
    else if ( !strcmp(val, "set") )
        o->claim_abi = BENCH_ABI_SET;
    else
        return bad_value("claim-abi", val, "want upstream, node or set",
                         err);
    o->claim_abi_given = true;
    return 0;
}

static int opt_pnode(const char *val, struct bench_opts *o,
                     struct meminit_error *err)
{
    uint64_t v;

    if ( !strcmp(val, "each") )
    {
        o->pnode_each = true;
        return 0;
    }
    if ( opt_number("pnode", val, 0, BENCH_MAX_NODES - 1, &v, err) )
        return -EINVAL;
    o->pnode_each = false;
    o->pnode = (unsigned int)v;
    return 0;
}

static int opt_builder(const char *val, struct bench_opts *o,
                       struct meminit_error *err)
{
    if ( !strcmp(val, "ours") )
        o->builders = 1u << BENCH_OURS;
    else if ( !strcmp(val, "stock") )
        o->builders = 1u << BENCH_STOCK;
    else if ( !strcmp(val, "both") )
        o->builders = (1u << BENCH_NR_BUILDERS) - 1;
    else
        return bad_value("builder", val, "want ours, stock or both", err);
    return 0;
}

bool opts_wants(const struct bench_opts *o, enum bench_builder who)
{
    return (o->builders & (1u << who)) != 0;
}

static int opt_type(const char *val, struct bench_opts *o,
                    struct meminit_error *err)
{
    if ( !strcmp(val, "hvm") )
        o->guest = BENCH_HVM;
    else if ( !strcmp(val, "pv") )
        o->guest = BENCH_PV;
    else
        return bad_value("type", val, "want hvm or pv", err);
    return 0;
}

/* One option with its value; sizes count how often the guest was sized. */
static int opt_one(int c, const char *val, struct bench_opts *o,
                   unsigned int *sized, struct meminit_error *err)
{
    uint64_t v;
    int rc = 0;

    switch ( c )
    {
    case OPT_SIM:       o->backend = "sim"; break;
    case OPT_XEN:       o->backend = "xen"; break;
    case OPT_TYPE:      return opt_type(val, o, err);
    case OPT_PNODE:     return opt_pnode(val, o, err);
    case OPT_CLAIM_ABI: return opt_claim_abi(val, o, err);
    case OPT_HOST:      o->host_file = val; break;
    case OPT_DIST_FILE: o->dist_file = val; break;
    case OPT_JSON:      o->json = !val; o->json_file = val; break;
    case OPT_PLOT:      o->plot_file = val; break;
    case OPT_NAME:      o->name = val; break;
    case OPT_POLICY:    return policy_opt(val, o, err);
    case OPT_BUILDER:   return opt_builder(val, o, err);
    case OPT_POLICY_NODES:
        if ( meminit_nodeset_parse(val, &o->policy_nodes) )
            return bad_value("policy-nodes", val, "want a node set such as "
                             "0-1,3", err);
        break;
    case OPT_GIB:
        rc = opt_number("gib", val, 1, MAX_GUEST_MIB >> 10, &v, err);
        o->guest_mib = v << 10;
        (*sized)++;
        break;
    case OPT_MIB:
        rc = opt_number("mib", val, 16, MAX_GUEST_MIB, &v, err);
        o->guest_mib = v;
        (*sized)++;
        break;
    case OPT_RUNS:
        rc = opt_number("runs", val, 1, BENCH_MAX_RUNS, &v, err);
        o->runs = (unsigned int)v;
        break;
    case OPT_PAUSE:
        rc = opt_number("pause-ms", val, 0, 60000, &v, err);
        o->pause_ms = (unsigned int)v;
        break;
    case OPT_NODES:
        rc = opt_number("nodes", val, 1, BENCH_MAX_NODES, &v, err);
        o->nodes = (unsigned int)v;
        break;
    case OPT_NODE_GIB:
        rc = opt_number("node-gib", val, 1, MAX_NODE_GIB, &v, err);
        o->node_gib = v;
        break;
    default:
        return meminit_error_set(err, STEP, EINVAL,
                                 "unknown option (see --help)");
    }
    return rc;
}

/* Combinations that cannot mean anything. */
static int opts_check(const struct bench_opts *o, unsigned int sized,
                      struct meminit_error *err)
{
    bool uniform = o->nodes || o->node_gib || o->dist_file;
    bool sim_only = o->host_file || uniform || o->claim_abi_given;

    if ( sized > 1 )
        return meminit_error_set(err, STEP, EINVAL, "give the guest size "
                                 "once (--gib or --mib)");
    if ( o->policies && o->pnode_each )
        return meminit_error_set(err, STEP, EINVAL, "--policy compares the "
                                 "modes on one preferred node: give --pnode "
                                 "N, not each");
    if ( o->policies && !opts_wants(o, BENCH_OURS) )
        return meminit_error_set(err, STEP, EINVAL, "--policy is our "
                                 "builder's: not with --builder stock");
    if ( o->policy_nodes && !o->policies )
        return meminit_error_set(err, STEP, EINVAL, "--policy-nodes needs "
                                 "--policy");
    if ( o->host_file && uniform )
        return meminit_error_set(err, STEP, EINVAL, "--host and "
                                 "--nodes/--node-gib/--dist-file both "
                                 "describe the host: give one");
    if ( uniform && (!o->nodes || !o->node_gib) )
        return meminit_error_set(err, STEP, EINVAL, "a uniform host needs "
                                 "both --nodes and --node-gib");
    if ( sim_only && !strcmp(o->backend, "xen") )
        return meminit_error_set(err, STEP, EINVAL, "--host, --nodes, "
                                 "--node-gib, --dist-file and --claim-abi "
                                 "describe the simulated host; --xen "
                                 "measures the real one");
    return 0;
}

int opts_parse(int argc, char **argv, const char *own, struct bench_opts *o,
               struct meminit_error *err)
{
    unsigned int sized = 0;
    int c, rc;

    memset(o, 0, sizeof(*o));
    o->backend = own;
    o->guest = BENCH_HVM;
    o->guest_mib = 4096;
    o->runs = 3;
    o->builders = (1u << BENCH_NR_BUILDERS) - 1;
    optind = 1;
    opterr = 0;
    while ( (c = getopt_long(argc, argv, "h", longopts, NULL)) != -1 )
    {
        if ( c == OPT_HELP )
            return 1;
        if ( c == '?' || c == ':' )
            return meminit_error_set(err, STEP, EINVAL, "bad option '%s' "
                                     "(see --help)", argv[optind - 1]);
        rc = opt_one(c, optarg, o, &sized, err);
        if ( rc )
            return rc;
    }
    if ( optind < argc )
        return meminit_error_set(err, STEP, EINVAL, "unexpected argument "
                                 "'%s'", argv[optind]);
    return opts_check(o, sized, err);
}
