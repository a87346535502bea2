/*
 * signals.c - stopping a build: the stop flag meminit polls between populate
 * calls, and real signals sent to a builder process.
 *
 * Contract:
 *  - flag: the populate observer sets req.stop after the N-th batch, for
 *    every N a normal build has: meminit_build() returns -EINTR with step
 *    "populate" (0 after the very last batch, when nothing is left to stop),
 *    no claim is left, and the domain holds exactly the pages observed and
 *    reported by the stats.
 *  - catch: a child builds on a shared simulated host with xenguest's own
 *    stop flag and handler (xenguest/signals.c, linked from the front-end
 *    library: SIGTERM, SIGINT, SIGHUP set the flag, SIGPIPE is ignored; the
 *    build stops; xg_signals_reraise() then kills the child with the
 *    signal). The parent signals it while it is populating (held in the
 *    observer until the signal comes) and checks it died of that signal,
 *    left no claim, ignored SIGPIPE and holds what it reported.
 *  - timing: the same with SIGTERM sent after a random delay into a slow
 *    build (4 KiB pages only), no holding: whenever it lands, no claim.
 *  - kill: SIGKILL cannot be caught: the claim stays on the domain until the
 *    toolstack cancels it (a claim of 0 pages) or destroys the domain. The
 *    test shows exactly that.
 * Output: "ok - ..." per case and one totals line; exit 0 iff all held.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "robust.h"
#include "signals.h"

#define DOMID           9u
#define NEVER           (~0u)

/* Observer state: count batches, act after the n-th. */
struct watch {
    unsigned int batches;
    unsigned int stop_after;            /* NEVER: just count */
    uint64_t pages;                     /* populated, as observed */
    volatile sig_atomic_t *flag;        /* set after stop_after batches */
    int notify_fd;                      /* >= 0: tell the parent, then hold */
    sigset_t unblocked;                 /* mask to wait for the signal in */
};

/* What a child leaves for the parent. */
struct child_report {
    int rc;
    int sig;                            /* xg_signals_caught() at the end */
    bool pipe_ignored;                  /* SIGPIPE's action was SIG_IGN */
    uint64_t pages;                     /* populated, per the stats */
    uint32_t batches;
    char step[16];
};

struct totals {
    unsigned int ok, bad;
    unsigned long stops, signals;
};

static void observe(void *opaque, uint32_t domid, const xen_pfn_t *gfns,
                    unsigned long nr, unsigned int order, unsigned int node,
                    bool pod)
{
    struct watch *w = opaque;

    (void)domid;
    (void)gfns;
    (void)node;
    (void)pod;
    w->pages += (uint64_t)nr << order;
    if ( ++w->batches != w->stop_after )
        return;
    if ( w->flag )
        *w->flag = 1;
    if ( w->notify_fd < 0 )
        return;
    if ( write(w->notify_fd, "p", 1) != 1 )
        return;
    /*
     * Hold the build here, the host unlocked, until the signal lands: one
     * wait, so that a handler that failed to set the flag shows as a build
     * that was not stopped, not as a test that hangs.
     */
    if ( !xg_signals_caught() )
        sigsuspend(&w->unblocked);
}

/* 2 nodes of 4 GiB; node 0 has single pages only, so a build makes many
 * populate calls (65536 pages each) there. */
static int small_host(enum sim_claim_abi abi, const char *path,
                      struct sim_host **host)
{
    struct sim_config cfg;

    sim_config_uniform(&cfg, 2, 4 * RB_GIB_PAGES);
    sim_config_fragment(&cfg, 0, 0, 0);
    cfg.claim_abi = abi;
    cfg.path = path;
    return sim_host_create(&cfg, host);
}

static void guest_on_node0(struct rb_guest *g, enum meminit_guest type,
                           uint64_t mib)
{
    g->type = type;
    g->mib = mib;
    g->target_mib = 0;
    g->pnode = 0;
}

/* ---- the stop flag, in process ------------------------------------------ */

/*
 * One build that stops after n batches (NEVER: a normal build) of the
 * `last` a normal build makes; 0 if every rule held.
 */
static int flag_once(enum meminit_guest type, enum sim_claim_abi abi,
                     unsigned int n, unsigned int last,
                     unsigned int *batches, struct meminit_error *why)
{
    static const uint32_t domids[] = { DOMID };
    volatile sig_atomic_t flag = 0;
    struct watch w = { .stop_after = n, .flag = &flag, .notify_fd = -1 };
    struct sim_host *host = NULL;
    struct sim_domain_info di;
    struct rb_ledger l;
    struct rb_build b = { 0 };
    struct rb_guest g;
    int rc = small_host(abi, NULL, &host), built;

    guest_on_node0(&g, type, 2048);
    if ( !rc )
        rc = rb_ledger_open(host, &l);
    if ( !rc )
        rc = rb_guest_start(&b, host, DOMID, &g);
    if ( rc )
        goto out;
    sim_set_observer(host, observe, &w);
    b.req.stop = &flag;
    built = meminit_build(&b.req, &b.st, &b.err);
    *batches = w.batches;
    rc = sim_domain_info(host, DOMID, &di);
    if ( rc )
        goto out;
    if ( n == NEVER || n == last ? built != 0 : built != -EINTR )
        rc = meminit_error_set(why, RB_STEP, EPROTO, "stop after batch %u of "
                               "%u: returned %d", n, last, built);
    else if ( built && (!b.err.step || strcmp(b.err.step, "populate") ||
                        !strstr(b.err.msg, "interrupted")) )
        rc = meminit_error_set(why, RB_STEP, EPROTO, "stopped with step "
                               "\"%s\": %s", b.err.step ? b.err.step : "",
                               b.err.msg);
    else if ( di.tot_pages != w.pages || b.st.claim_left )
        rc = meminit_error_set(why, RB_STEP, EPROTO, "holds %llu pages, %llu "
                               "were observed; claim_left %llu",
                               (unsigned long long)di.tot_pages,
                               (unsigned long long)w.pages,
                               (unsigned long long)b.st.claim_left);
    if ( !rc )
        rc = rb_stats_honest(host, &b, why);
    if ( !rc )
        rc = rb_ledger_check(host, &l, domids, 1, why);
 out:
    if ( rc && !why->step )
        meminit_error_set(why, RB_STEP, EPROTO, "setting up: %s",
                          strerror(-rc));
    rb_guest_done(&b);
    sim_host_close(host);
    return rc;
}

static void flag_case(struct totals *t, enum meminit_guest type,
                      enum sim_claim_abi abi)
{
    struct meminit_error why = { 0 };
    unsigned int n, batches = 0, seen;
    int rc = flag_once(type, abi, NEVER, NEVER, &batches, &why);

    for ( n = 1; !rc && n <= batches; n++ )
    {
        rc = flag_once(type, abi, n, batches, &seen, &why);
        t->stops++;
    }
    if ( rc )
        printf("# %s/%s: %s\n", rb_guest_name(type), rb_abi_name(abi),
               why.msg);
    rc ? t->bad++ : t->ok++;
    rb_result(!rc, "stop flag %s/%s: stopped after each of %u batches: "
              "-EINTR at \"populate\", no claim, honest pages",
              rb_guest_name(type), rb_abi_name(abi), batches);
}

/* ---- real signals, in a child process ----------------------------------- */

struct proc {
    char path[64];
    struct sim_host *host;              /* the parent's handle */
    struct rb_ledger ledger;
    struct child_report *report;        /* shared with the child */
    int sig;                            /* what the parent sends */
    bool hold;                          /* child waits in the observer */
    unsigned int hold_after;            /* batch to hold after */
    uint64_t mib;
    int pipe[2];                        /* child -> parent: populating */
};

/* xenguest's handler, then the caught signals blocked (for holding). */
static bool catch_signals(sigset_t *old)
{
    struct sigaction pipe_sa;
    sigset_t block;

    xg_signals_catch();
    xg_signals_set(&block);
    sigprocmask(SIG_BLOCK, &block, old);
    return !sigaction(SIGPIPE, NULL, &pipe_sa) &&
           pipe_sa.sa_handler == SIG_IGN;
}

static int child_build(struct proc *p)
{
    struct watch w = { .stop_after = p->hold ? p->hold_after : NEVER,
                       .notify_fd = p->hold ? p->pipe[1] : -1 };
    struct sim_host *host = NULL;
    struct rb_build b = { 0 };
    struct rb_guest g;
    sigset_t old;
    bool pipe_ignored;
    int rc;

    pipe_ignored = catch_signals(&old);
    w.unblocked = old;
    /* Holding: signals arrive in the observer. Timing: at any moment. */
    if ( !p->hold )
        sigprocmask(SIG_SETMASK, &old, NULL);
    guest_on_node0(&g, MEMINIT_GUEST_HVM, p->mib);
    rc = sim_host_attach(p->path, &host);
    if ( !rc )
        rc = rb_guest_start(&b, host, DOMID, &g);
    if ( rc )
    {
        sim_host_close(host);
        return 1;
    }
    sim_set_observer(host, observe, &w);
    b.req.stop = xg_signals_flag();
    if ( !p->hold && write(p->pipe[1], "s", 1) != 1 )
        return 1;
    rc = meminit_build(&b.req, &b.st, &b.err);
    *p->report = (struct child_report){ .rc = rc, .sig = xg_signals_caught(),
                                        .pipe_ignored = pipe_ignored,
                                        .pages = rb_stats_pages(&b.st),
                                        .batches = w.batches };
    snprintf(p->report->step, sizeof(p->report->step), "%s",
             b.err.step ? b.err.step : "");
    rb_guest_done(&b);
    sim_host_close(host);
    sigprocmask(SIG_SETMASK, &old, NULL);
    xg_signals_reraise();
    return rc ? 1 : 0;
}

static int proc_start(struct proc *p, pid_t *pid)
{
    const char *dir = getenv("TMPDIR");
    int fd;

    if ( !dir || !*dir || strlen(dir) > 40 )
        dir = "/tmp";
    snprintf(p->path, sizeof(p->path), "%s/xg-signal-XXXXXX", dir);
    fd = mkstemp(p->path);
    if ( fd < 0 )
        return -errno;
    close(fd);
    if ( small_host(SIM_CLAIM_UPSTREAM, p->path, &p->host) ||
         rb_ledger_open(p->host, &p->ledger) || pipe(p->pipe) )
        return -EIO;
    memset(p->report, 0, sizeof(*p->report));
    fflush(stdout);
    *pid = fork();
    if ( *pid < 0 )
        return -errno;
    if ( *pid == 0 )
        _exit(child_build(p));
    close(p->pipe[1]);
    return 0;
}

/* Wait for the child to say it is populating, then signal it. */
static int proc_signal(struct proc *p, pid_t pid, long delay_us)
{
    char c;

    if ( read(p->pipe[0], &c, 1) != 1 )
        return -EPIPE;
    if ( delay_us )
        usleep((useconds_t)delay_us);
    return kill(pid, p->sig) ? -errno : 0;
}

/* The child's end as the parent sees it. */
static int proc_judge(struct proc *p, int status, struct meminit_error *why)
{
    static const uint32_t domids[] = { DOMID };
    const struct child_report *r = p->report;
    struct sim_domain_info di;
    bool died = WIFSIGNALED(status) && WTERMSIG(status) == p->sig;
    bool built = WIFEXITED(status) && WEXITSTATUS(status) == 0 && !r->rc;
    int rc = sim_domain_info(p->host, DOMID, &di);

    if ( rc )
        return rc;
    if ( !died && !(built && !p->hold) )
        return meminit_error_set(why, RB_STEP, EPROTO, "child status %#x (rc "
                                 "%d): want death by signal %d", status, r->rc,
                                 p->sig);
    /* A build that finished may be signalled after its report. */
    if ( died && r->rc && r->sig != p->sig )
        return meminit_error_set(why, RB_STEP, EPROTO, "child died of %d but "
                                 "saw %d", p->sig, r->sig);
    if ( !r->pipe_ignored )
        return meminit_error_set(why, RB_STEP, EPROTO, "SIGPIPE is not "
                                 "ignored after xg_signals_catch()");
    if ( r->rc && (r->rc != -EINTR || strcmp(r->step, "populate")) )
        return meminit_error_set(why, RB_STEP, EPROTO, "build returned %d at "
                                 "\"%s\", want -EINTR at \"populate\"", r->rc,
                                 r->step);
    if ( di.tot_pages != r->pages )
        return meminit_error_set(why, RB_STEP, EPROTO, "holds %llu pages, "
                                 "reported %llu",
                                 (unsigned long long)di.tot_pages,
                                 (unsigned long long)r->pages);
    return rb_ledger_check(p->host, &p->ledger, domids, 1, why);
}

static void proc_end(struct proc *p)
{
    close(p->pipe[0]);
    sim_host_close(p->host);
    p->host = NULL;
    unlink(p->path);
}

/* One child, one signal; 0 if the rules held. */
static int proc_once(struct proc *p, long delay_us, struct meminit_error *why)
{
    pid_t pid = -1;
    int status = 0, rc = proc_start(p, &pid);

    if ( !rc )
        rc = proc_signal(p, pid, delay_us);
    if ( pid > 0 && waitpid(pid, &status, 0) != pid )
        rc = rc ? rc : -ECHILD;
    if ( rc )
        meminit_error_set(why, RB_STEP, EPROTO, "running the child: %s",
                          strerror(-rc));
    else
        rc = proc_judge(p, status, why);
    proc_end(p);
    return rc;
}

static void catch_case(struct totals *t, struct proc *p, int sig)
{
    struct meminit_error why = { 0 };
    int rc;

    p->sig = sig;
    p->hold = true;
    p->hold_after = 3;
    p->mib = 2048;
    rc = proc_once(p, 0, &why);
    t->signals++;
    if ( rc )
        printf("# %s: %s\n", strsignal(sig), why.msg);
    rc ? t->bad++ : t->ok++;
    rb_result(!rc, "SIG%s while populating (batch %u of a 2 GiB guest): died "
              "of it, no claim, %llu pages held as reported",
              sigabbrev_np(sig), p->hold_after,
              (unsigned long long)p->report->pages);
}

/* How long a normal build of `mib` takes here, in microseconds. */
static long build_us(uint64_t mib)
{
    struct sim_host *host = NULL;
    struct rb_build b = { 0 };
    struct rb_guest g;
    struct timespec t0, t1;
    long us = 0;

    guest_on_node0(&g, MEMINIT_GUEST_HVM, mib);
    if ( !small_host(SIM_CLAIM_UPSTREAM, NULL, &host) &&
         !rb_guest_start(&b, host, DOMID, &g) )
    {
        clock_gettime(CLOCK_MONOTONIC, &t0);
        meminit_build(&b.req, &b.st, &b.err);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        us = (t1.tv_sec - t0.tv_sec) * 1000000l +
             (t1.tv_nsec - t0.tv_nsec) / 1000;
    }
    rb_guest_done(&b);
    sim_host_close(host);
    return us > 0 ? us : 1;
}

static void timing_case(struct totals *t, struct proc *p, unsigned int runs)
{
    struct meminit_error why = { 0 };
    uint64_t seed = 42;
    unsigned int i, stopped = 0;
    long span;
    int rc = 0;

    p->sig = SIGTERM;
    p->hold = false;
    p->mib = 3072;
    span = build_us(p->mib);
    for ( i = 0; !rc && i < runs; i++ )
    {
        /* Anywhere in the build, or after it. */
        rc = proc_once(p, (long)(rb_rand(&seed) % (uint32_t)(2 * span)),
                       &why);
        stopped += p->report->rc == -EINTR;
        t->signals++;
    }
    if ( rc )
        printf("# SIGTERM after a random delay, run %u: %s\n", i, why.msg);
    rc ? t->bad++ : t->ok++;
    rb_result(!rc, "SIGTERM at a random moment of a 3 GiB 4K-page build "
              "(%ld us), %u runs (%u stopped populating, %u finished "
              "first): no claim", span, runs, stopped, i - stopped);
}

/* SIGKILL: the claim stays; the toolstack's cancel or destroy clears it. */
static void kill_case(struct totals *t, struct proc *p)
{
    static const uint32_t domids[] = { DOMID };
    struct meminit_error why = { 0 };
    struct sim_domain_info di = { 0 };
    pid_t pid = -1;
    int status = 0, rc;

    p->sig = SIGKILL;
    p->hold = true;
    p->hold_after = 3;
    p->mib = 2048;
    rc = proc_start(p, &pid);
    if ( !rc )
        rc = proc_signal(p, pid, 0);
    if ( pid > 0 && waitpid(pid, &status, 0) != pid )
        rc = rc ? rc : -ECHILD;
    if ( !rc )
        rc = sim_domain_info(p->host, DOMID, &di);
    printf("# SIGKILL: child status %#x, %llu pages held, %llu still "
           "claimed\n", status, (unsigned long long)di.tot_pages,
           (unsigned long long)di.outstanding);
    if ( !rc && (!WIFSIGNALED(status) || !di.outstanding) )
        rc = meminit_error_set(&why, RB_STEP, EPROTO, "expected a claim left "
                               "behind");
    if ( !rc && xc_domain_claim_pages(sim_xch(p->host), DOMID, 0) )
        rc = meminit_error_set(&why, RB_STEP, EPROTO, "cancel: %s",
                               strerror(errno));
    if ( !rc )
        rc = rb_ledger_check(p->host, &p->ledger, domids, 1, &why);
    if ( !rc && (sim_domain_destroy(p->host, DOMID) ||
                 rb_ledger_check(p->host, &p->ledger, NULL, 0, &why)) )
        rc = rc ? rc : -EPROTO;
    proc_end(p);
    t->signals++;
    rc ? t->bad++ : t->ok++;
    rb_result(!rc, "SIGKILL while populating: the claim stays until the "
              "toolstack cancels it (claim of 0 pages) or destroys the "
              "domain");
}

int main(void)
{
    static const enum sim_claim_abi abis[] = {
        SIM_CLAIM_UPSTREAM, SIM_CLAIM_SET,
    };
    struct totals t = { 0 };
    struct proc p = { 0 };
    unsigned int a;

    for ( a = 0; a < 2; a++ )
    {
        flag_case(&t, MEMINIT_GUEST_PV, abis[a]);
        flag_case(&t, MEMINIT_GUEST_HVM, abis[a]);
    }
    p.report = mmap(NULL, sizeof(*p.report), PROT_READ | PROT_WRITE,
                    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if ( p.report == MAP_FAILED )
        return 1;
    catch_case(&t, &p, SIGTERM);
    catch_case(&t, &p, SIGINT);
    catch_case(&t, &p, SIGHUP);
    timing_case(&t, &p, 12);
    kill_case(&t, &p);
    munmap(p.report, sizeof(*p.report));
    printf("signals: %lu builds stopped by the flag, %lu signals sent to "
           "builders, %u of %u cases broke a rule\n", t.stops, t.signals,
           t.bad, t.ok + t.bad);
    return t.bad ? 1 : 0;
}
