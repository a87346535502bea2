/*
 * storm.c - a boot storm: sixteen builder processes race for one simulated
 * host that has room for only some of them.
 *
 * Contract: the host is 4 nodes of 8 GiB in a shared state file; each of
 * 16 forked children attaches it, creates its own domain, waits at a start
 * barrier, then runs meminit_build() for a 3 GiB guest (PV or HVM, drawn per
 * round) on node child % 4 (or, every third round, wherever meminit places
 * it). About ten fit. A child exits 0 when its build succeeded, 3 when it
 * failed cleanly with ENOMEM before populating, 4 when it failed with ENOMEM
 * part-populated, 1 otherwise, and leaves its figures in a shared array.
 *
 * The parent then checks: every success holds its whole guest, every
 * failure holds nothing and made no populate call (with claims off, ABI
 * "none", a failure may hold pages, but exactly those its stats report);
 * no claim is left on any domain or the host; per node, free plus every
 * domain's pages equals the node's memory (no page lost or given twice);
 * no machine frame of the PV guests appears twice. Each claim ABI runs
 * -r rounds (default 5) with different seeds.
 *
 * Output: "ok - storm ..." per round, one totals line; exit 0 iff all held.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "robust.h"

#define NR_CHILDREN     16u
#define NR_NODES        4u
#define NODE_GIB        8u
#define GUEST_MIB       3072u
#define DOMID_BASE      20u
#define MAX_RUNS        4096u

#define EXIT_BUILT      0
#define EXIT_OTHER      1
#define EXIT_CLEAN      3
#define EXIT_PARTIAL    4

/* A run of consecutive machine frames. */
struct mfn_run {
    xen_pfn_t start;
    uint64_t len;
};

/* What a child leaves for the parent (shared mapping). */
struct child_result {
    int rc;
    enum meminit_guest guest;
    uint32_t populate_calls;
    uint64_t pages;                 /* populated, per the stats */
    uint64_t resident;              /* what a full build holds */
    enum meminit_claim_kind claim_kind;
    uint64_t t_start, t_end;        /* CLOCK_MONOTONIC ns around the build */
    char step[16];
    char error[96];
    unsigned int nr_runs;           /* PV success only; > MAX_RUNS: overflow */
    struct mfn_run runs[MAX_RUNS];
};

struct storm {
    char path[64];
    enum sim_claim_abi abi;
    unsigned int round;
    uint64_t seed;
    struct child_result *res;       /* NR_CHILDREN, shared */
    int ready[2];                   /* children -> parent: domain created */
    int go[2];                      /* parent closes: start */
    pid_t pid[NR_CHILDREN];
};

struct totals {
    unsigned long raced, built, clean, partial, bad_rounds, ok_rounds;
    unsigned long frames;           /* PV frames checked for uniqueness */
    unsigned int overlap;           /* most builds in flight at once */
};

/* ---- the child ---------------------------------------------------------- */

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp_run(const void *a, const void *b)
{
    const struct mfn_run *x = a, *y = b;

    return x->start < y->start ? -1 : x->start > y->start;
}

/* The p2m as runs of consecutive frames, sorted. */
static void collect_runs(const struct rb_build *b, struct child_result *r)
{
    uint64_t pfn;

    r->nr_runs = 0;
    for ( pfn = 0; pfn < b->req.total_pages; pfn++ )
    {
        struct mfn_run *last = r->nr_runs ? &r->runs[r->nr_runs - 1] : NULL;

        if ( last && last->start + last->len == b->p2m[pfn] )
        {
            last->len++;
            continue;
        }
        if ( r->nr_runs++ >= MAX_RUNS )
            return;
        r->runs[r->nr_runs - 1] = (struct mfn_run){ b->p2m[pfn], 1 };
    }
    qsort(r->runs, r->nr_runs, sizeof(r->runs[0]), cmp_run);
}

static void child_guest(const struct storm *s, unsigned int i,
                        struct rb_guest *g)
{
    uint64_t seed = s->seed * 31 + i + 1;

    g->type = rb_rand(&seed) & 1 ? MEMINIT_GUEST_HVM : MEMINIT_GUEST_PV;
    g->mib = GUEST_MIB;
    g->target_mib = 0;
    g->pnode = s->round % 3 == 2 ? MEMINIT_NO_NODE : i % NR_NODES;
}

/* Block until the parent closes the go pipe. */
static void child_wait(const struct storm *s)
{
    char c;

    if ( write(s->ready[1], "r", 1) != 1 )
        return;
    while ( read(s->go[0], &c, 1) < 0 && errno == EINTR )
        ;
}

static void child_record(const struct rb_build *b, int rc,
                         struct child_result *r)
{
    r->rc = rc;
    r->guest = b->req.guest;
    r->populate_calls = b->st.populate_calls;
    r->pages = rb_stats_pages(&b->st);
    r->resident = b->resident;
    r->claim_kind = b->st.claim_kind;
    snprintf(r->step, sizeof(r->step), "%s", b->err.step ? b->err.step : "");
    snprintf(r->error, sizeof(r->error), "%.95s", b->err.msg);
    if ( !rc && b->req.guest == MEMINIT_GUEST_PV )
        collect_runs(b, r);
}

static int child_main(struct storm *s, unsigned int i)
{
    struct child_result *r = &s->res[i];
    struct sim_host *host = NULL;
    struct rb_build b;
    struct rb_guest g;
    uint64_t seed = s->seed ^ (i * 0x9e37u);
    int rc;

    close(s->ready[0]);
    close(s->go[1]);
    child_guest(s, i, &g);
    rc = sim_host_attach(s->path, &host);
    if ( !rc )
        rc = rb_guest_start(&b, host, DOMID_BASE + i, &g);
    if ( rc )
    {
        r->rc = rc;
        snprintf(r->step, sizeof(r->step), "setup");
        sim_host_close(host);
        return EXIT_OTHER;
    }
    child_wait(s);
    usleep(rb_rand(&seed) % 2000);
    r->t_start = now_ns();
    rc = meminit_build(&b.req, &b.st, &b.err);
    r->t_end = now_ns();
    child_record(&b, rc, r);
    rb_guest_done(&b);
    sim_host_close(host);
    if ( !rc )
        return EXIT_BUILT;
    if ( rc != -ENOMEM )
        return EXIT_OTHER;
    return r->pages || r->populate_calls ? EXIT_PARTIAL : EXIT_CLEAN;
}

/* ---- the parent --------------------------------------------------------- */

static int storm_host(struct storm *s, struct sim_host **host)
{
    const char *dir = getenv("TMPDIR");
    struct sim_config cfg;
    unsigned int n;
    int fd;

    if ( !dir || !*dir || strlen(dir) > 40 )
        dir = "/tmp";
    snprintf(s->path, sizeof(s->path), "%s/xg-storm-XXXXXX", dir);
    fd = mkstemp(s->path);
    if ( fd < 0 )
        return -errno;
    close(fd);
    sim_config_uniform(&cfg, NR_NODES, NODE_GIB * RB_GIB_PAGES);
    /* Half of each node in 1 GiB blocks, a quarter in 2 MiB blocks, a
     * quarter in pages: builds step down, make more calls, interleave. */
    for ( n = 0; n < NR_NODES; n++ )
        sim_config_fragment(&cfg, n, NODE_GIB / 2, NODE_GIB * 128);
    cfg.claim_abi = s->abi;
    cfg.path = s->path;
    return sim_host_create(&cfg, host);
}

static int spawn(struct storm *s)
{
    unsigned int i;

    if ( pipe(s->ready) || pipe(s->go) )
        return -errno;
    fflush(stdout);
    for ( i = 0; i < NR_CHILDREN; i++ )
    {
        s->pid[i] = fork();
        if ( s->pid[i] < 0 )
            return -errno;
        if ( s->pid[i] == 0 )
            _exit(child_main(s, i));
    }
    close(s->ready[1]);
    close(s->go[0]);
    return 0;
}

/* Wait until every child has its domain, then let them all go at once. */
static int release(struct storm *s)
{
    unsigned int n = 0;
    char c;

    while ( n < NR_CHILDREN && read(s->ready[0], &c, 1) == 1 )
        n++;
    close(s->ready[0]);
    close(s->go[1]);
    return n == NR_CHILDREN ? 0 : -EPIPE;
}

/* One child's outcome against the domain it left behind. */
static int judge_child(struct storm *s, struct sim_host *host, unsigned int i,
                       int status, struct totals *t, struct meminit_error *why)
{
    const struct child_result *r = &s->res[i];
    struct sim_domain_info di;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    int rc = sim_domain_info(host, DOMID_BASE + i, &di);

    if ( rc )
        return meminit_error_set(why, RB_STEP, EPROTO, "child %u: "
                                 "sim_domain_info: %d", i, rc);
    if ( code == EXIT_BUILT && di.tot_pages == r->resident )
    {
        t->built++;
        return 0;
    }
    if ( code == EXIT_CLEAN && !di.tot_pages && !r->populate_calls &&
         !strcmp(r->step, "claim") )
    {
        t->clean++;
        return 0;
    }
    if ( code == EXIT_PARTIAL && s->abi == SIM_CLAIM_NONE &&
         di.tot_pages == r->pages && !strcmp(r->step, "populate") )
    {
        t->partial++;
        return 0;
    }
    return meminit_error_set(why, RB_STEP, EPROTO, "child %u (%s, pnode %u): "
                             "exit %d, rc %d, step \"%s\": %s; holds %llu of "
                             "%llu pages after %u populate calls", i,
                             rb_guest_name(r->guest), i % NR_NODES, code,
                             r->rc, r->step, r->error,
                             (unsigned long long)di.tot_pages,
                             (unsigned long long)r->resident,
                             r->populate_calls);
}

/* The most builds that were running at one instant. */
static unsigned int overlap(const struct storm *s)
{
    unsigned int i, j, most = 0, n;

    for ( i = 0; i < NR_CHILDREN; i++ )
    {
        for ( j = 0, n = 0; j < NR_CHILDREN; j++ )
            n += s->res[j].t_start <= s->res[i].t_start &&
                 s->res[i].t_start < s->res[j].t_end;
        most = n > most ? n : most;
    }
    return most;
}

/* No machine frame of any PV guest appears twice. */
static int check_mfns(const struct storm *s, struct totals *t,
                      struct meminit_error *why)
{
    struct mfn_run *all = NULL;
    size_t n = 0, i, cap = 0;
    int rc = 0;

    for ( i = 0; i < NR_CHILDREN; i++ )
        cap += s->res[i].rc ? 0 : s->res[i].nr_runs;
    all = calloc(cap ? cap : 1, sizeof(*all));
    if ( !all )
        return -ENOMEM;
    for ( i = 0; i < NR_CHILDREN && !rc; i++ )
    {
        if ( s->res[i].rc || !s->res[i].nr_runs )
            continue;
        if ( s->res[i].nr_runs > MAX_RUNS )
            rc = meminit_error_set(why, RB_STEP, EPROTO, "child %zu: too many "
                                   "frame runs", i);
        else
            memcpy(all + n, s->res[i].runs,
                   s->res[i].nr_runs * sizeof(*all));
        n += s->res[i].nr_runs;
    }
    if ( !rc )
        qsort(all, n, sizeof(*all), cmp_run);
    for ( i = 0; !rc && i < n; i++ )
        t->frames += all[i].len;
    for ( i = 1; !rc && i < n; i++ )
        if ( all[i - 1].start + all[i - 1].len > all[i].start )
            rc = meminit_error_set(why, RB_STEP, EPROTO, "frame %#llx handed "
                                   "out twice",
                                   (unsigned long long)all[i].start);
    free(all);
    return rc;
}

static int reap(struct storm *s, struct sim_host *host, struct totals *t,
                struct meminit_error *why)
{
    unsigned int i;
    int status, rc = 0, err;

    for ( i = 0; i < NR_CHILDREN; i++ )
    {
        if ( s->pid[i] <= 0 || waitpid(s->pid[i], &status, 0) != s->pid[i] )
            status = -1;
        err = judge_child(s, host, i, status, t, why);
        rc = rc ? rc : err;
    }
    return rc;
}

static int destroy_all(struct sim_host *host, const struct rb_ledger *l,
                       struct meminit_error *why)
{
    struct sim_host_info hi;
    unsigned int i;

    for ( i = 0; i < NR_CHILDREN; i++ )
        sim_domain_destroy(host, DOMID_BASE + i);
    if ( sim_host_info(host, &hi) )
        return -EIO;
    if ( hi.free_pages != l->total_free || hi.outstanding )
        return meminit_error_set(why, RB_STEP, EPROTO, "after destroying "
                                 "every domain: %llu free of %llu, %llu "
                                 "claimed", (unsigned long long)hi.free_pages,
                                 (unsigned long long)l->total_free,
                                 (unsigned long long)hi.outstanding);
    return 0;
}

static int storm_run(struct storm *s, struct totals *t,
                     struct meminit_error *why)
{
    uint32_t domids[NR_CHILDREN];
    struct sim_host *host = NULL;
    struct rb_ledger l;
    unsigned int i;
    int rc = storm_host(s, &host);

    for ( i = 0; i < NR_CHILDREN; i++ )
        domids[i] = DOMID_BASE + i;
    if ( !rc )
        rc = rb_ledger_open(host, &l);
    if ( !rc )
        rc = spawn(s);
    if ( !rc )
        rc = release(s);
    if ( rc )
        meminit_error_set(why, RB_STEP, EPROTO, "starting the storm: %s",
                          strerror(-rc));
    t->raced += NR_CHILDREN;
    rc = reap(s, host, t, why) ? -EPROTO : rc;
    if ( !rc )
        rc = rb_ledger_check(host, &l, domids, NR_CHILDREN, why);
    if ( !rc )
        rc = check_mfns(s, t, why);
    if ( !rc )
        rc = destroy_all(host, &l, why);
    sim_host_close(host);
    unlink(s->path);
    return rc;
}

static void storm_round(struct storm *s, struct totals *t)
{
    struct totals before = *t;
    struct meminit_error why = { 0 };
    int rc;

    memset(s->res, 0, NR_CHILDREN * sizeof(*s->res));
    rc = storm_run(s, t, &why);
    if ( overlap(s) > t->overlap )
        t->overlap = overlap(s);
    if ( rc )
        printf("# storm %s round %u (seed %llu): %s\n", rb_abi_name(s->abi),
               s->round, (unsigned long long)s->seed, why.msg);
    rc ? t->bad_rounds++ : t->ok_rounds++;
    rb_result(!rc, "storm claims=%s round %u%s: %u raced (up to %u at "
              "once), %lu built, %lu failed cleanly before populating, %lu "
              "failed part-populated", rb_abi_name(s->abi), s->round,
              s->round % 3 == 2 ? " (meminit places)" : "", NR_CHILDREN,
              overlap(s), t->built - before.built, t->clean - before.clean,
              t->partial - before.partial);
}

int main(int argc, char **argv)
{
    static const enum sim_claim_abi abis[] = {
        SIM_CLAIM_UPSTREAM, SIM_CLAIM_NODE, SIM_CLAIM_SET, SIM_CLAIM_NONE,
    };
    struct storm s = { 0 };
    struct totals t = { 0 };
    unsigned int rounds = 5, a;
    int opt;

    while ( (opt = getopt(argc, argv, "r:")) != -1 )
    {
        if ( opt != 'r' || atoi(optarg) < 1 || atoi(optarg) > 100 )
        {
            fprintf(stderr, "usage: %s [-r ROUNDS (1-100)]\n", argv[0]);
            return 2;
        }
        rounds = (unsigned int)atoi(optarg);
    }
    s.res = mmap(NULL, NR_CHILDREN * sizeof(*s.res), PROT_READ | PROT_WRITE,
                 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if ( s.res == MAP_FAILED )
        return 1;
    for ( a = 0; a < 4; a++ )
        for ( s.round = 0; s.round < rounds; s.round++ )
        {
            s.abi = abis[a];
            s.seed = 1000u * a + s.round + 1;
            storm_round(&s, &t);
        }
    munmap(s.res, NR_CHILDREN * sizeof(*s.res));
    printf("storm: %lu builds raced (up to %u at once), %lu succeeded, %lu "
           "failed cleanly before populating, %lu failed part-populated "
           "(claims off), %lu PV frames unique, %lu of %lu rounds broke a "
           "rule\n", t.raced, t.overlap, t.built, t.clean, t.partial,
           t.frames, t.bad_rounds, t.bad_rounds + t.ok_rounds);
    return t.bad_rounds ? 1 : 0;
}
