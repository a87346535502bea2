/*
 * fault_sweep.c - every libxenctrl call meminit makes, failed once, at every
 * position, with each errno that call can plausibly return.
 *
 * Contract: for each case (PV, HVM and HVM with PoD; each claim ABI; a guest
 * that fits on one node and one that must spill; a claim staked by the
 * toolstack beforehand or not) a normal build first counts the simulator's
 * calls per function. Then for every function f, every
 * k <= count(f) and every errno of f's list, a fresh host fails the k-th call
 * of f once and meminit_build() runs again. Each build must end in either
 * success with every page populated, or -errno with the error record's
 * step and message set (and nothing populated when it failed before the
 * populate step); always with no claim on the domain or the host,
 * stats.claim_left 0, the stats matching the domain's pages node by node,
 * and the host's books balanced (free + held per node unchanged).
 *
 * Output: "ok - CASE: ..." / "not ok - CASE" per case, "# VIOLATION" lines
 * naming the function, k and errno that broke a rule (the reproducer), and
 * one totals line. -q runs a reduced set (for valgrind), -v adds the outcome
 * of every (function, errno) pair. Exit status 0 iff no rule was broken.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "robust.h"

#define NEIGHBOUR       3u          /* a domain already running on node 0 */
#define GUEST           7u
#define MAX_ERRS        8
#define MAX_RCS         4
#define MAX_REPORTED    8           /* violations printed per case */

static const char *const step_names[] = {
    "layout", "topology", "domain", "placement", "claim", "pod-target",
    "populate", "meminit", NULL,
};

/* Steps that come before any memory is taken. */
static bool before_populate(const char *step)
{
    return !strcmp(step, "layout") || !strcmp(step, "topology") ||
           !strcmp(step, "domain") || !strcmp(step, "placement") ||
           !strcmp(step, "claim");
}

struct errs {
    unsigned int nr;
    int err[MAX_ERRS];
};

/* What each call can plausibly fail with. */
static const struct errs fn_errs_full[SIM_FN_NR] = {
    [SIM_FN_PHYSINFO]        = { 4, { EFAULT, EIO, ENOMEM, EPERM } },
    [SIM_FN_NUMAINFO]        = { 5, { EFAULT, EIO, ENOMEM, EPERM, ENOBUFS } },
    [SIM_FN_GETINFOLIST]     = { 4, { EFAULT, EIO, EPERM, ESRCH } },
    [SIM_FN_CLAIM_PAGES]     = { 8, { EFAULT, EIO, ENOMEM, EBUSY, EPERM,
                                      ESRCH, EINVAL, ENOSYS } },
    [SIM_FN_CLAIM_PAGES_NODE] = { 8, { EFAULT, EIO, ENOMEM, EBUSY, EPERM,
                                       ESRCH, EINVAL, ENOSYS } },
    [SIM_FN_CLAIM_MEMORY]    = { 8, { EFAULT, EIO, ENOMEM, EBUSY, EPERM,
                                      ESRCH, EINVAL, ENOSYS } },
    [SIM_FN_POPULATE]        = { 6, { EFAULT, EIO, ENOMEM, EBUSY, EPERM,
                                      ESRCH } },
    [SIM_FN_POPULATE_EXACT]  = { 6, { EFAULT, EIO, ENOMEM, EBUSY, EPERM,
                                      ESRCH } },
    [SIM_FN_SET_POD_TARGET]  = { 5, { EFAULT, EIO, ENOMEM, EPERM, ESRCH } },
    [SIM_FN_SETMAXMEM]       = { 4, { EFAULT, EIO, EPERM, ESRCH } },
    [SIM_FN_NODE_GETAFFINITY] = { 4, { EFAULT, EIO, EPERM, ESRCH } },
};

/* The reduced set: one fatal, one "out of memory", one "no such domain". */
static const struct errs errs_quick = { 3, { EIO, ENOMEM, ESRCH } };

static const struct errs *errs_of(bool quick, unsigned int fn)
{
    return quick ? &errs_quick : &fn_errs_full[fn];
}

struct sweep_case {
    enum meminit_guest guest;
    bool pod;
    enum sim_claim_abi abi;
    bool spill;
    bool staked;            /* the toolstack staked a claim before us */
};

/* Outcomes per (function, errno), for the -v table and docs/robustness.md. */
struct outcome {
    unsigned long injected, succeeded, failed, broken;
    unsigned int steps;             /* bit i: step_names[i] seen */
    unsigned int nr_rcs;
    int rcs[MAX_RCS];
};

struct sweep {
    bool quick, verbose;
    unsigned long faults;           /* injected */
    unsigned long builds;           /* run with faults armed */
    unsigned long failed;           /* failed, every rule kept */
    unsigned long succeeded;        /* succeeded, every rule kept */
    unsigned long violations;       /* broke a rule */
    unsigned int cases_ok, cases_bad;
    struct outcome out[SIM_FN_NR][MAX_ERRS];
};

/* One host with a neighbour domain and the guest's domain on it. */
struct world {
    struct sim_host *host;
    struct rb_ledger ledger;
    struct rb_build b;
};

/*
 * 3 nodes of 2 GiB. Node 0 is fragmented (one 1 GiB block, 512 MiB in
 * 2 MiB blocks, the rest single pages) and a neighbour holds 256 MiB of its
 * pages; node 1 is nearer to node 0 than node 2 is. A 1.5 GiB guest fits on
 * node 0 (best fit) and steps down page sizes there; a 3.5 GiB guest starts
 * on node 1 (most free) and spills to node 0, then node 2.
 */
static void sweep_config(struct sim_config *cfg, enum sim_claim_abi abi)
{
    sim_config_uniform(cfg, 3, 2 * RB_GIB_PAGES);
    sim_config_fragment(cfg, 0, 1, 256);
    cfg->distance[0][1] = cfg->distance[1][0] = 15;
    cfg->distance[1][2] = cfg->distance[2][1] = 30;
    cfg->claim_abi = abi;
}

static int neighbour_start(struct sim_host *host)
{
    unsigned long nr = 256 * RB_MIB_PAGES, i;
    xen_pfn_t *gfns = calloc(nr, sizeof(*gfns));
    int rc = gfns ? sim_domain_create(host, NEIGHBOUR, nr, true) : -ENOMEM;

    for ( i = 0; !rc && i < nr; i++ )
        gfns[i] = i;
    if ( !rc && xc_domain_populate_physmap(sim_xch(host), NEIGHBOUR, nr, 0,
                                           XENMEMF_exact_node(0), gfns) !=
                (int)nr )
        rc = -EIO;
    free(gfns);
    return rc;
}

static void guest_of(const struct sweep_case *sc, struct rb_guest *g)
{
    g->type = sc->guest;
    g->mib = sc->spill ? 3584 : 1536;
    g->target_mib = sc->pod ? 1024 : 0;
    g->pnode = sc->staked ? 0 : MEMINIT_NO_NODE;
}

/*
 * What xenopsd does before exec'ing a builder with -mem_pnode: stake a
 * claim for the whole guest, on the node where the ABI has node claims and
 * the guest fits there, host-wide otherwise.
 */
static int stake(const struct world *w, const struct sweep_case *sc)
{
    xc_interface *xch = sim_xch(w->host);

    if ( sc->abi != SIM_CLAIM_UPSTREAM && !sc->spill )
        return xc_domain_claim_pages_node(xch, GUEST, 0, w->b.resident)
               ? -errno : 0;
    return xc_domain_claim_pages(xch, GUEST, w->b.resident) ? -errno : 0;
}

static int world_open(struct world *w, const struct sweep_case *sc)
{
    struct sim_config cfg;
    struct rb_guest g;
    int rc;

    memset(w, 0, sizeof(*w));
    sweep_config(&cfg, sc->abi);
    guest_of(sc, &g);
    rc = sim_host_create(&cfg, &w->host);
    if ( !rc )
        rc = rb_ledger_open(w->host, &w->ledger);
    if ( !rc )
        rc = neighbour_start(w->host);
    if ( !rc )
        rc = rb_guest_start(&w->b, w->host, GUEST, &g);
    if ( !rc && sc->staked )
        rc = stake(w, sc);
    return rc;
}

static void world_close(struct world *w)
{
    rb_guest_done(&w->b);
    sim_host_close(w->host);
    w->host = NULL;
}

/* PV: the p2m holds frames of the nodes the domain's pages are on. */
static int check_p2m(const struct world *w, const struct sim_domain_info *di,
                     struct meminit_error *why)
{
    uint64_t per_node[SIM_MAX_NODES] = { 0 };
    const struct rb_build *b = &w->b;
    unsigned int n, nr_nodes = w->ledger.nr_nodes;
    uint64_t pfn;

    if ( b->req.guest != MEMINIT_GUEST_PV )
        return 0;
    for ( pfn = 0; pfn < b->req.total_pages; pfn++ )
    {
        n = sim_mfn_node(b->p2m[pfn]);
        if ( n >= nr_nodes )
            return meminit_error_set(why, RB_STEP, EPROTO, "p2m[%#llx] = "
                                     "%#llx is no frame",
                                     (unsigned long long)pfn,
                                     (unsigned long long)b->p2m[pfn]);
        per_node[n]++;
    }
    for ( n = 0; n < nr_nodes; n++ )
        if ( per_node[n] != di->pages_on[n] )
            return meminit_error_set(why, RB_STEP, EPROTO, "p2m has %llu "
                                     "frames of node %u, the domain %llu",
                                     (unsigned long long)per_node[n], n,
                                     (unsigned long long)di->pages_on[n]);
    return 0;
}

static int check_success(const struct world *w,
                         const struct sim_domain_info *di,
                         struct meminit_error *why)
{
    const struct rb_build *b = &w->b;

    if ( b->err.step )
        return meminit_error_set(why, RB_STEP, EPROTO, "success with step "
                                 "\"%s\"", b->err.step);
    if ( di->tot_pages != b->resident )
        return meminit_error_set(why, RB_STEP, EPROTO, "success with %llu of "
                                 "%llu pages",
                                 (unsigned long long)di->tot_pages,
                                 (unsigned long long)b->resident);
    if ( b->req.target_pages && di->pod_entries != b->populated )
        return meminit_error_set(why, RB_STEP, EPROTO, "success with %llu of "
                                 "%llu PoD entries",
                                 (unsigned long long)di->pod_entries,
                                 (unsigned long long)b->populated);
    return check_p2m(w, di, why);
}

static int check_failure(const struct world *w, int rc,
                         const struct sim_domain_info *di,
                         struct meminit_error *why)
{
    const struct meminit_stats *st = &w->b.st;
    const struct meminit_error *e = &w->b.err;

    if ( rc >= 0 || rc < -4095 )
        return meminit_error_set(why, RB_STEP, EPROTO, "returned %d, not "
                                 "-errno", rc);
    if ( !e->step || !e->msg[0] || e->err != -rc )
        return meminit_error_set(why, RB_STEP, EPROTO, "failed (%d) without "
                                 "step or reason, or with errno %d recorded",
                                 rc, e->err);
    if ( before_populate(e->step) &&
         (di->tot_pages || st->populate_calls) )
        return meminit_error_set(why, RB_STEP, EPROTO, "failed at \"%s\" with "
                                 "%llu pages and %u populate calls", e->step,
                                 (unsigned long long)di->tot_pages,
                                 st->populate_calls);
    return 0;
}

/* Every rule a build must keep, whatever was injected. */
static int check_build(struct world *w, int rc, struct meminit_error *why)
{
    static const uint32_t domids[] = { NEIGHBOUR, GUEST };
    struct sim_domain_info di;
    int err = sim_domain_info(w->host, GUEST, &di);

    if ( err )
        return meminit_error_set(why, RB_STEP, EPROTO, "sim_domain_info: %d",
                                 err), err;
    err = rc ? check_failure(w, rc, &di, why)
             : check_success(w, &di, why);
    if ( !err && w->b.st.claim_left )
        err = meminit_error_set(why, RB_STEP, EPROTO, "stats.claim_left = "
                                "%llu",
                                (unsigned long long)w->b.st.claim_left);
    if ( !err )
        err = rb_stats_honest(w->host, &w->b, why);
    if ( !err )
        err = rb_ledger_check(w->host, &w->ledger, domids, 2, why);
    return err;
}

static unsigned int step_bit(const char *step)
{
    unsigned int i;

    for ( i = 0; step && step_names[i]; i++ )
        if ( !strcmp(step, step_names[i]) )
            return 1u << i;
    return step ? 1u << i : 0;
}

static void note(struct outcome *o, int rc, const char *step)
{
    unsigned int i;

    o->injected++;
    if ( !rc )
    {
        o->succeeded++;
        return;
    }
    o->failed++;
    o->steps |= step_bit(step);
    for ( i = 0; i < o->nr_rcs && o->rcs[i] != rc; i++ )
        ;
    if ( i == o->nr_rcs && i < MAX_RCS )
        o->rcs[o->nr_rcs++] = rc;
}

/* Count one build that ran with `faults` faults armed. */
static void tally(struct sweep *s, unsigned int faults, int built,
                  bool broken)
{
    s->faults += faults;
    s->builds++;
    if ( broken )
        s->violations++;
    else if ( built )
        s->failed++;
    else
        s->succeeded++;
}

/* Fail the k-th call of fn with err on a fresh host; 0 if the rules held. */
static int one_fault(struct sweep *s, const struct sweep_case *sc,
                     enum sim_fn fn, unsigned int k, unsigned int ei,
                     struct meminit_error *why)
{
    const struct errs *errs = errs_of(s->quick, fn);
    struct world w;
    int rc = world_open(&w, sc), built;

    if ( !rc )
        rc = sim_fault(w.host, fn, k, errs->err[ei]);
    if ( rc )
    {
        meminit_error_set(why, RB_STEP, EPROTO, "setting up: %s",
                          strerror(-rc));
        world_close(&w);
        return rc;
    }
    built = meminit_build(&w.b.req, &w.b.st, &w.b.err);
    sim_fault_clear(w.host);
    note(&s->out[fn][ei], built, w.b.err.step);
    rc = check_build(&w, built, why);
    tally(s, 1, built, rc != 0);
    world_close(&w);
    return rc;
}

/* The calls of a normal build, per function. */
static int baseline(const struct sweep_case *sc, uint64_t *calls,
                    struct meminit_error *why)
{
    struct sim_host_info hi;
    struct world w;
    int rc = world_open(&w, sc);

    if ( !rc )
    {
        sim_reset_counters(w.host);
        rc = meminit_build(&w.b.req, &w.b.st, &w.b.err);
        if ( rc )
            meminit_error_set(why, RB_STEP, EPROTO, "normal build failed: %s: "
                              "%.160s", w.b.err.step ? w.b.err.step : "?",
                              w.b.err.msg);
    }
    if ( !rc )
        rc = check_build(&w, 0, why);
    if ( !rc )
        rc = sim_host_info(w.host, &hi);
    if ( !rc )
        memcpy(calls, hi.calls, sizeof(hi.calls));
    world_close(&w);
    return rc;
}

static void case_name(const struct sweep_case *sc, char *buf, size_t len)
{
    snprintf(buf, len, "%s%s/%s/%s%s", rb_guest_name(sc->guest),
             sc->pod ? "-pod" : "", rb_abi_name(sc->abi),
             sc->spill ? "spills" : "fits",
             sc->staked ? "/claim staked by the toolstack" : "");
}

static void run_case(struct sweep *s, const struct sweep_case *sc)
{
    const struct errs *errs;
    uint64_t calls[SIM_FN_NR];
    unsigned long builds = s->builds, failed = s->failed, bad = 0;
    char name[64];
    struct meminit_error why = { 0 };
    unsigned int fn, k, ei;

    case_name(sc, name, sizeof(name));
    if ( baseline(sc, calls, &why) )
    {
        printf("# %s: %s\n", name, why.msg);
        rb_result(false, "fault sweep %s", name);
        s->cases_bad++;
        return;
    }
    for ( fn = 0; fn < SIM_FN_NR; fn++ )
    {
        errs = errs_of(s->quick, fn);
        for ( k = 1; k <= calls[fn]; k++ )
            for ( ei = 0; ei < errs->nr; ei++ )
            {
                meminit_error_clear(&why);
                if ( !one_fault(s, sc, (enum sim_fn)fn, k, ei, &why) )
                    continue;
                if ( bad++ < MAX_REPORTED )
                    printf("# VIOLATION %s: %s call %u fails with %s: %s\n",
                           name, sim_fn_name((enum sim_fn)fn), k,
                           strerrorname_np(errs->err[ei]), why.msg);
                s->out[fn][ei].broken++;
            }
    }
    bad ? s->cases_bad++ : s->cases_ok++;
    rb_result(!bad, "fault sweep %s: %lu faults, %lu failed cleanly, %lu "
              "succeeded, %lu broke a rule", name, s->builds - builds,
              s->failed - failed, s->builds - builds - (s->failed - failed) -
              bad, bad);
}

/* Which call of xc_domain_claim_pages is the cancel: after a host claim,
 * the second. */
static unsigned int cancel_call(const struct sweep_case *sc)
{
    struct world w;
    unsigned int k = 0;

    if ( !world_open(&w, sc) && !meminit_build(&w.b.req, &w.b.st, &w.b.err) )
        k = w.b.st.claim_kind == MEMINIT_CLAIMED_HOST ? 2 : 1;
    world_close(&w);
    return k;
}

/*
 * A populate call fails half way, leaving part of the claim outstanding,
 * and the cancel that follows fails too: once with `err` (the retry must
 * clear the claim), or on every try (the claim stays, and claim_left must
 * say how much, so that the caller knows to cancel it again; a later cancel
 * by the toolstack then clears it). *built gets meminit_build()'s result.
 */
static int cancel_fault(const struct sweep_case *sc, int err, bool every,
                        int *built, struct meminit_error *why)
{
    static const uint32_t domids[] = { NEIGHBOUR, GUEST };
    struct sim_domain_info di = { 0 };
    unsigned int k, first = cancel_call(sc);
    struct world w = { 0 };
    int rc = first ? world_open(&w, sc) : -EIO;

    if ( !rc )
        rc = sim_fault(w.host, SIM_FN_POPULATE, 2, EIO);
    for ( k = first; !rc && k < first + (every ? 3 : 1); k++ )
        rc = sim_fault(w.host, SIM_FN_CLAIM_PAGES, k, err);
    *built = rc ? rc : meminit_build(&w.b.req, &w.b.st, &w.b.err);
    sim_fault_clear(w.host);
    if ( !rc )
        rc = sim_domain_info(w.host, GUEST, &di);
    if ( rc )
        rc = meminit_error_set(why, RB_STEP, EPROTO, "setting up: %s",
                               strerror(-rc));
    else if ( *built != -EIO )
        rc = meminit_error_set(why, RB_STEP, EPROTO, "build returned %d, want "
                               "-EIO", *built);
    else if ( w.b.st.claim_left != di.outstanding )
        rc = meminit_error_set(why, RB_STEP, EPROTO, "claim_left %llu but "
                               "%llu pages are still claimed",
                               (unsigned long long)w.b.st.claim_left,
                               (unsigned long long)di.outstanding);
    else if ( !every && di.outstanding )
        rc = meminit_error_set(why, RB_STEP, EPROTO, "one failed cancel left "
                               "%llu pages claimed",
                               (unsigned long long)di.outstanding);
    else if ( xc_domain_claim_pages(sim_xch(w.host), GUEST, 0) ||
              sim_domain_info(w.host, GUEST, &di) || di.outstanding )
        rc = meminit_error_set(why, RB_STEP, EPROTO, "the toolstack's cancel "
                               "did not clear it");
    if ( !rc )
        rc = rb_ledger_check(w.host, &w.ledger, domids, 2, why);
    world_close(&w);
    return rc;
}

static void run_cancel_faults(struct sweep *s)
{
    static const enum sim_claim_abi abis[] = {
        SIM_CLAIM_UPSTREAM, SIM_CLAIM_NODE, SIM_CLAIM_SET,
    };
    const struct errs *errs = &fn_errs_full[SIM_FN_CLAIM_PAGES];
    struct sweep_case sc = { MEMINIT_GUEST_HVM, false, 0, true, false };
    struct meminit_error why = { 0 };
    unsigned int a, ei, bad = 0, n = 0;
    int built, rc;

    for ( a = 0; a < 3; a++ )
        for ( ei = 0; ei <= errs->nr; ei++ )
        {
            bool every = ei == errs->nr;
            int err = every ? EIO : errs->err[ei];

            sc.abi = abis[a];
            n++;
            meminit_error_clear(&why);
            rc = cancel_fault(&sc, err, every, &built, &why);
            tally(s, every ? 4 : 2, built, rc != 0);
            if ( !rc )
                continue;
            bad++;
            printf("# VIOLATION hvm/%s/spills: populate call 2 fails with "
                   "EIO, then %s cancel fails with %s: %s\n",
                   rb_abi_name(abis[a]), every ? "every" : "the first",
                   strerrorname_np(err), why.msg);
        }
    bad ? s->cases_bad++ : s->cases_ok++;
    rb_result(!bad, "fault sweep: populate fails then the claim's cancel "
              "fails (%u double faults): no claim left, or claim_left says "
              "what is left%s", n, bad ? ", rules broken" : "");
}

static void print_table(const struct sweep *s)
{
    const struct errs *errs;
    const struct outcome *o;
    unsigned int fn, ei, i;

    for ( fn = 0; fn < SIM_FN_NR; fn++ )
    {
        errs = errs_of(s->quick, fn);
        for ( ei = 0; ei < errs->nr; ei++ )
        {
            o = &s->out[fn][ei];
            if ( !o->injected )
                continue;
            printf("# outcome %s %s: %lu injected, %lu succeeded, %lu "
                   "failed", sim_fn_name((enum sim_fn)fn),
                   strerrorname_np(errs->err[ei]),
                   o->injected, o->succeeded, o->failed);
            for ( i = 0; step_names[i]; i++ )
                if ( o->steps & (1u << i) )
                    printf(" %s", step_names[i]);
            for ( i = 0; i < o->nr_rcs; i++ )
                printf(" %s", strerrorname_np(-o->rcs[i]));
            printf(", %lu broke a rule\n", o->broken);
        }
    }
}

/*
 * meminit_plan() (xenguest --plan) under the same faults: it answers or
 * fails with a step and a reason, and never touches the domain.
 */
static int plan_fault(const struct sweep_case *sc, enum sim_fn fn,
                      unsigned int k, int err, int *result,
                      struct meminit_error *why)
{
    static const uint32_t domids[] = { NEIGHBOUR, GUEST };
    uint64_t pages[MEMINIT_MAX_NODES], sum = 0;
    struct sim_domain_info di = { 0 };
    struct world w;
    unsigned int n;
    int rc = world_open(&w, sc), planned = 0;

    if ( !rc && k )
        rc = sim_fault(w.host, fn, k, err);
    if ( !rc )
        planned = meminit_plan(&w.b.req, &w.b.st, pages, &w.b.err);
    *result = rc ? rc : planned;
    sim_fault_clear(w.host);
    for ( n = 0; !rc && !planned && n < MEMINIT_MAX_NODES; n++ )
        sum += pages[n];
    if ( !rc )
        rc = sim_domain_info(w.host, GUEST, &di);
    if ( rc )
        rc = meminit_error_set(why, RB_STEP, EPROTO, "setting up: %s",
                               strerror(-rc));
    else if ( planned && (planned > 0 || !w.b.err.step || !w.b.err.msg[0]) )
        rc = meminit_error_set(why, RB_STEP, EPROTO, "plan failed (%d) "
                               "without step or reason", planned);
    else if ( !planned && sum != w.b.populated )
        rc = meminit_error_set(why, RB_STEP, EPROTO, "plan places %llu of "
                               "%llu pages", (unsigned long long)sum,
                               (unsigned long long)w.b.populated);
    else if ( di.tot_pages || di.outstanding )
        rc = meminit_error_set(why, RB_STEP, EPROTO, "the plan touched the "
                               "domain");
    if ( !rc )
        rc = rb_ledger_check(w.host, &w.ledger, domids, 2, why);
    world_close(&w);
    return rc;
}

static void run_plan_faults(struct sweep *s)
{
    static const struct sweep_case sc = { MEMINIT_GUEST_HVM, false,
                                          SIM_CLAIM_SET, true, false };
    static const enum sim_fn fns[] = {
        SIM_FN_PHYSINFO, SIM_FN_NUMAINFO, SIM_FN_GETINFOLIST,
        SIM_FN_NODE_GETAFFINITY,
    };
    struct meminit_error why = { 0 };
    unsigned int f, ei, bad = 0, n = 0;
    int planned, rc;

    bad += plan_fault(&sc, SIM_FN_PHYSINFO, 0, 0, &planned, &why) != 0;
    for ( f = 0; !bad && f < sizeof(fns) / sizeof(fns[0]); f++ )
        for ( ei = 0; ei < fn_errs_full[fns[f]].nr; ei++, n++ )
        {
            meminit_error_clear(&why);
            rc = plan_fault(&sc, fns[f], 1, fn_errs_full[fns[f]].err[ei],
                            &planned, &why);
            tally(s, 1, planned, rc != 0);
            if ( !rc )
                continue;
            bad++;
            printf("# VIOLATION plan: %s fails with %s: %s\n",
                   sim_fn_name(fns[f]),
                   strerrorname_np(fn_errs_full[fns[f]].err[ei]), why.msg);
        }
    if ( bad && !n )
        printf("# plan without faults: %s\n", why.msg);
    bad ? s->cases_bad++ : s->cases_ok++;
    rb_result(!bad, "fault sweep: meminit_plan() under %u faults answers or "
              "fails with a reason, and never touches the domain", n);
}

static void run_all(struct sweep *s)
{
    static const enum sim_claim_abi abis[] = {
        SIM_CLAIM_UPSTREAM, SIM_CLAIM_NODE, SIM_CLAIM_SET, SIM_CLAIM_NONE,
    };
    struct sweep_case sc;
    unsigned int a, g, spill;

    for ( a = 0; a < 4; a++ )
    {
        if ( s->quick && (abis[a] == SIM_CLAIM_NODE ||
                          abis[a] == SIM_CLAIM_NONE) )
            continue;
        for ( g = 0; g < 3; g++ )
            for ( spill = 0; spill < 2; spill++ )
            {
                /* PoD is placed by Xen: no node to fit or spill from. */
                if ( (g == 2 && spill) || (s->quick && (!spill || g == 2)) )
                    continue;
                sc = (struct sweep_case){ g ? MEMINIT_GUEST_HVM
                                            : MEMINIT_GUEST_PV,
                                          g == 2, abis[a], spill, false };
                run_case(s, &sc);
                if ( g == 2 || s->quick || abis[a] == SIM_CLAIM_SET ||
                     abis[a] == SIM_CLAIM_NONE )
                    continue;
                sc.staked = true;
                run_case(s, &sc);
            }
    }
}

int main(int argc, char **argv)
{
    struct sweep *s = calloc(1, sizeof(*s));
    int opt;

    if ( !s )
        return 1;
    while ( (opt = getopt(argc, argv, "qv")) != -1 )
    {
        if ( opt == 'q' )
            s->quick = true;
        else if ( opt == 'v' )
            s->verbose = true;
        else
        {
            fprintf(stderr, "usage: %s [-q] [-v]\n", argv[0]);
            free(s);
            return 2;
        }
    }
    run_all(s);
    if ( !s->quick )
    {
        run_cancel_faults(s);
        run_plan_faults(s);
    }
    if ( s->verbose )
        print_table(s);
    printf("fault-sweep: %lu faults injected into %lu builds: %lu failed "
           "cleanly, %lu still succeeded, %lu broke a rule\n", s->faults,
           s->builds, s->failed, s->succeeded, s->violations);
    opt = s->cases_bad ? 1 : 0;
    free(s);
    return opt;
}
