/*
 * bench.h - xenguest-bench: our meminit against libxenguest's stock meminit.
 *
 * Contract:
 *  - One source set, two binaries. Everything here is shared; exactly one
 *    backend file is linked into each binary and defines `bench_backend`:
 *    backend_sim.c (build/xenguest-bench, the simulated host, linked with
 *    -lxcsim ahead of libxenctrl) or backend_xen.c (build/xenguest-bench-xen,
 *    real Xen, real libraries only).
 *  - A case is one guest on one preferred node. For a case the runner
 *    alternates builders (ours, stock, ours, stock, ...) on a fresh scratch
 *    domain each time, keeps every run's wall time and the full breakdown of
 *    each builder's median run. --builder ours|stock runs one alone; the
 *    other side is then "not run" (ran false, skipped: the reason).
 *  - Figures are measured the same way for both builders: populate time and
 *    extents by the probe (probe.c, which interposes the libxenctrl calls),
 *    placement and hypercall counts by the backend (the simulator's own
 *    counters, or on real Xen the probe's counters and free-memory deltas).
 *  - Only main.c prints to stderr or exits; everything else returns 0 or
 *    -errno and records the reason in the caller's struct meminit_error
 *    (meminit/error.h: the first failure wins).
 */
#ifndef BENCH_H
#define BENCH_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "meminit.h"

#define BENCH_MAX_NODES 64
#define BENCH_ANY       BENCH_MAX_NODES     /* row: node not known */
#define BENCH_ROWS      (BENCH_MAX_NODES + 1)
#define BENCH_NR_SIZES  MEMINIT_NR_SIZES    /* 4K, 2M, 1G, in that order */
#define BENCH_MAX_RUNS  20
#define BENCH_ERR_LEN   384
#define BENCH_NAME_LEN  64
#define BENCH_DOMID     1

#define BENCH_PAGES_1G  (1ull << 18)
#define BENCH_PAGES_2M  (1ull << 9)
#define BENCH_PAGES_MIB (1ull << 8)

enum bench_guest { BENCH_HVM, BENCH_PV };
enum bench_builder { BENCH_OURS, BENCH_STOCK, BENCH_NR_BUILDERS };
enum bench_claim_abi { BENCH_ABI_UPSTREAM, BENCH_ABI_NODE, BENCH_ABI_SET };

/* The libxenctrl calls counted per function (the simulator's list). */
enum bench_fn {
    BENCH_FN_PHYSINFO,
    BENCH_FN_NUMAINFO,
    BENCH_FN_GETINFOLIST,
    BENCH_FN_CLAIM_PAGES,
    BENCH_FN_CLAIM_PAGES_NODE,
    BENCH_FN_CLAIM_MEMORY,
    BENCH_FN_POPULATE,
    BENCH_FN_POPULATE_EXACT,
    BENCH_FN_SET_POD_TARGET,
    BENCH_FN_SETMAXMEM,
    BENCH_FN_NODE_GETAFFINITY,
    BENCH_FN_NR,
};

/* The host as the benchmark sees it, at the start of a case. */
struct bench_topo {
    char name[BENCH_NAME_LEN];
    unsigned int nr_nodes;
    uint64_t pages[BENCH_MAX_NODES];        /* node memory, 0: memoryless */
    uint64_t free[BENCH_MAX_NODES];         /* free pages */
    uint64_t free_1g[BENCH_MAX_NODES];      /* free 1 GiB blocks */
    uint64_t free_2m[BENCH_MAX_NODES];      /* free 2 MiB blocks, outside */
    uint32_t distance[BENCH_MAX_NODES][BENCH_MAX_NODES];
    bool blocks_known;                      /* free_1g/free_2m are real */
    enum bench_claim_abi claim_abi;         /* simulator only */
};

/* What the user asked for (opts.c). */
struct bench_opts {
    const char *backend;            /* "sim" or "xen": the one wanted */
    enum bench_guest guest;
    uint64_t guest_mib;
    bool pnode_each;
    unsigned int pnode;
    unsigned int runs;
    unsigned int pause_ms;          /* real Xen: before each run */
    const char *host_file;          /* simulator: --host */
    unsigned int nodes;             /* simulator: --nodes, 0: not given */
    uint64_t node_gib;
    const char *dist_file;
    bool claim_abi_given;
    enum bench_claim_abi claim_abi;
    bool json;                      /* --json: JSON instead of the table */
    const char *json_file;          /* --json=FILE: JSON there, table too */
    const char *plot_file;
    const char *name;               /* label, default: the host's name */
    unsigned int policies;          /* --policy: bit per meminit policy
                                       mode, one case each; 0: not given */
    uint64_t policy_nodes;          /* --policy-nodes; 0: every node */
    unsigned int builders;          /* --builder: bit per enum
                                       bench_builder (default: both) */
};

/* Figures for one node (or BENCH_ANY) and one page size. */
struct bench_cell {
    uint64_t extents;
    uint64_t ns;                    /* in populate calls */
    uint32_t calls;                 /* populate calls that touched it */
};

/* One builder, one run. */
struct bench_run {
    int rc;                                 /* 0 or -errno */
    struct meminit_error err;               /* why, when rc is not 0 */
    uint64_t ns;                            /* wall time of the builder */
    uint64_t pages;                         /* populated, all sizes */
    struct bench_cell cell[BENCH_ROWS][BENCH_NR_SIZES];
    uint64_t pages_on[BENCH_MAX_NODES];     /* placement, measured */
    uint64_t fn_calls[BENCH_FN_NR];
    uint64_t fn_failed[BENCH_FN_NR];
    uint64_t calls, failed;                 /* hypercalls, all functions */
    uint64_t populate_calls;
    uint64_t short_calls;                   /* fewer extents than asked */
    bool have_stats;                        /* st is filled (ours) */
    struct meminit_stats st;
};

/* One builder in one case: every run's time, the median run in full. */
struct bench_side {
    bool ran;
    const char *skipped;                    /* why not, when !ran */
    unsigned int nr_runs;
    uint64_t ns[BENCH_MAX_RUNS];
    struct bench_run med;
};

enum bench_verdict { BENCH_PASS, BENCH_MISS, BENCH_NA };
enum bench_goal {
    BENCH_GOAL_LOCALITY,
    BENCH_GOAL_HYPERCALLS,
    BENCH_GOAL_SUPERPAGES,
    BENCH_GOAL_CPU,
    BENCH_NR_GOALS,
};

struct bench_goal_result {
    enum bench_verdict verdict;
    char detail[BENCH_ERR_LEN];
};

struct bench_case {
    unsigned int pnode;
    enum meminit_policy_mode policy;        /* ours: --policy (preferred) */
    struct bench_topo topo;                 /* the host before the case */
    struct bench_side side[BENCH_NR_BUILDERS];
    struct bench_goal_result goal[BENCH_NR_GOALS];
};

/* The guest as the builders are given it. */
struct bench_guest_spec {
    enum bench_guest type;
    uint64_t pages;                 /* guest RAM in 4 KiB pages */
};

struct bench_probe;

/*
 * A backend: where the scratch domains live. run_begin() gives a scratch
 * domain (and arms the backend's own counters), run_end() measures the
 * placement and counters into *run and destroys the domain.
 */
struct bench_backend_ops {
    const char *name;               /* "sim" or "xen" */
    const char *sibling;            /* the other binary, next to this one */
    bool stock_pv;                  /* the stock PV hook can run here */
    uint64_t noise_pages;           /* placement measurement noise */
    const char *timing_note;
    int (*open)(void **be, const struct bench_opts *o,
         struct meminit_error *err);
    int (*topology)(void *be, struct bench_topo *t, struct meminit_error *err);
    int (*check)(void *be, const struct bench_guest_spec *g,
         struct meminit_error *err);
    int (*run_begin)(void *be, const struct bench_guest_spec *g,
                     struct bench_probe *probe, xc_interface **xch,
                     uint32_t *domid, struct meminit_error *err);
    int (*run_end)(void *be, struct bench_run *run, struct meminit_error *err);
    void (*close)(void *be);
};

extern const struct bench_backend_ops bench_backend;

/* Everything one invocation does and finds. */
struct bench {
    struct bench_opts opts;
    const struct bench_backend_ops *ops;
    void *be;
    struct bench_topo topo;
    struct bench_guest_spec guest;
    unsigned int nr_cases;
    struct bench_case *cases;
    const volatile sig_atomic_t *stop;  /* set by a signal: stop early */
};

/* opts.c: 0, 1 for --help (printed), or -EINVAL with the reason in err. */
int opts_parse(int argc, char **argv, const char *own, struct bench_opts *o,
               struct meminit_error *err);
void opts_usage(FILE *f, const char *prog);
int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/* hostfile.c: the simulated host from a file or the command line. */
int hostfile_load(const char *path, struct bench_topo *t,
                  struct meminit_error *err);
int hostfile_uniform(unsigned int nodes, uint64_t node_gib,
                     const char *dist_file, struct bench_topo *t,
                     struct meminit_error *err);
const char *bench_claim_abi_name(enum bench_claim_abi abi);

/* builders.c: one populate of a scratch domain, timed. */
int builder_ours(xc_interface *xch, uint32_t domid,
                 const struct bench_guest_spec *g,
                 const struct meminit_policy *pol,
                 const volatile sig_atomic_t *stop, struct bench_probe *probe,
                 struct bench_run *run);
int builder_stock(xc_interface *xch, uint32_t domid,
                  const struct bench_guest_spec *g, struct bench_probe *probe,
                  struct bench_run *run);
const char *bench_builder_name(enum bench_builder b);
/* Whether --builder asked for builder who (opts.c). */
bool opts_wants(const struct bench_opts *o, enum bench_builder who);

/* run.c: every case, alternating builders. */
int bench_run_cases(struct bench *b, struct meminit_error *err);
/* Whether either builder runs for b's options, guest and backend (not:
 * --builder stock for PV where the backend cannot run the stock PV hook). */
bool bench_any_runs(const struct bench *b);

/* metrics.c: figures derived from a run, and the goals. */
/* Pages the run put on any node (4 KiB pages). */
uint64_t run_placed(const struct bench_run *r);
uint64_t run_size_pages(const struct bench_run *r, unsigned int size);
uint64_t run_superpages(const struct bench_run *r);
double run_locality(const struct bench_run *r, unsigned int pnode);
double run_mean_distance(const struct bench_run *r, const struct bench_topo *t,
                         unsigned int pnode);
double side_median_ns(const struct bench_side *s);
double bench_gibps(uint64_t pages, uint64_t ns);
bool topo_fragmented(const struct bench_topo *t);
void goals_judge(const struct bench *b, struct bench_case *c);
const char *bench_verdict_name(enum bench_verdict v);
const char *bench_goal_name(enum bench_goal g);
const char *bench_size_name(unsigned int size);
const char *bench_fn_name(enum bench_fn fn);

/* policy.c: --policy, what each mode gives against stock. */
int policy_opt(const char *val, struct bench_opts *o,
               struct meminit_error *err);
struct meminit_policy policy_of(const struct bench *b,
                                const struct bench_case *c);
/* Target nodes of a case: the preferred node; interleave: the set. */
uint64_t policy_target(const struct bench *b, const struct bench_case *c);
double policy_locality(const struct bench_run *r, uint64_t target);
double policy_distance(const struct bench_run *r, const struct bench_topo *t,
                       uint64_t target);
void policy_print(FILE *f, const struct bench *b);

/* table.c, json.c, svg.c: the outputs. */
void table_print(FILE *f, const struct bench *b);
int json_write(FILE *f, const struct bench *b);
int svg_write(const char *path, const struct bench *b,
              struct meminit_error *err);

#endif /* BENCH_H */
