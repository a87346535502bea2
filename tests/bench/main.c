/*
 * main.c - xenguest-bench: the only file that prints to stderr or exits.
 *
 * Contract: parse the command line (exit 2 on a usage error, with an
 * `error:` line), hand over to the sibling binary when the other backend is
 * asked for (--xen from build/xenguest-bench runs build/xenguest-bench-xen
 * with the same arguments, and --sim the other way), run the cases, print
 * the table (or JSON), write --json=FILE and --plot files. Exit 0 when every
 * run succeeded, 1 when a run, the host or an output failed.
 *
 * SIGINT/SIGTERM/SIGHUP set a flag: our meminit stops between populate
 * calls, no further run starts, and the scratch domain is destroyed as on
 * any other path; what was measured so far is still printed.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe.h"

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void catch_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

/* The other backend lives in the binary next to this one. */
static int exec_sibling(const char *sibling, char **argv)
{
    char self[PATH_MAX], path[PATH_MAX + 64];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

    if ( n <= 0 )
    {
        fprintf(stderr, "error: cannot find this binary: %s\n",
                strerror(errno));
        return 1;
    }
    self[n] = '\0';
    snprintf(path, sizeof(path), "%s/%s", dirname(self), sibling);
    execv(path, argv);
    fprintf(stderr, "error: %s: %s (build it with `make %s`)\n", path,
            strerror(errno), sibling);
    return 1;
}

static bool any_failed(const struct bench *b)
{
    unsigned int i, who;

    for ( i = 0; i < b->nr_cases; i++ )
        for ( who = 0; who < BENCH_NR_BUILDERS; who++ )
            if ( b->cases[i].side[who].ran && b->cases[i].side[who].med.rc )
                return true;
    return false;
}

static int write_json_file(const struct bench *b, const char *path)
{
    FILE *f = fopen(path, "w");
    int rc;

    if ( !f )
    {
        fprintf(stderr, "error: %s: %s\n", path, strerror(errno));
        return 1;
    }
    rc = json_write(f, b);
    if ( fclose(f) || rc )
    {
        fprintf(stderr, "error: %s: write failed\n", path);
        return 1;
    }
    return 0;
}

static int outputs(const struct bench *b)
{
    struct meminit_error err = { 0 };
    int rc = 0;

    if ( b->opts.json )
        rc |= json_write(stdout, b) ? 1 : 0;
    else
        table_print(stdout, b);
    if ( b->opts.json_file )
        rc |= write_json_file(b, b->opts.json_file);
    if ( b->opts.plot_file && svg_write(b->opts.plot_file, b, &err) )
    {
        fprintf(stderr, "error: %s\n", err.msg);
        rc = 1;
    }
    if ( fflush(stdout) )
        rc = 1;
    return rc;
}

/* The host and the guest; input errors are usage errors (2). */
static int prepare(struct bench *b, struct meminit_error *err)
{
    int rc = b->ops->open(&b->be, &b->opts, err);

    if ( rc )
        return rc == -EINVAL ? 2 : 1;
    rc = b->ops->topology(b->be, &b->topo, err);
    if ( rc )
        return 1;
    if ( !b->opts.pnode_each && b->opts.pnode >= b->topo.nr_nodes )
    {
        meminit_error_set(err, "bench", EINVAL, "--pnode %u: the host has "
                          "node(s) 0 to %u", b->opts.pnode,
                          b->topo.nr_nodes - 1);
        return 2;
    }
    if ( !b->opts.pnode_each && !b->topo.pages[b->opts.pnode] )
    {
        meminit_error_set(err, "bench", EINVAL, "--pnode %u: that node has "
                          "no memory", b->opts.pnode);
        return 2;
    }
    b->guest.type = b->opts.guest;
    b->guest.pages = b->opts.guest_mib * BENCH_PAGES_MIB;
    if ( !bench_any_runs(b) )
    {
        meminit_error_set(err, "bench", EINVAL, "--builder stock --type pv: "
                          "nothing to run, the stock PV meminit cannot run "
                          "on the simulated host (use xenguest-bench-xen)");
        return 2;
    }
    return 0;
}

static int bench_main(struct bench *b, char **argv)
{
    struct meminit_error err = { 0 };
    int rc, out;

    if ( strcmp(b->opts.backend, bench_backend.name) )
        return exec_sibling(bench_backend.sibling, argv);
    b->ops = &bench_backend;
    b->stop = &stop_flag;
    if ( probe_init(&err) )
    {
        fprintf(stderr, "error: %s\n", err.msg);
        return 1;
    }
    rc = prepare(b, &err);
    if ( rc )
    {
        fprintf(stderr, "error: %s\n", err.msg);
        if ( b->be )
            b->ops->close(b->be);
        return rc;
    }
    catch_signals();
    rc = bench_run_cases(b, &err);
    out = outputs(b);
    b->ops->close(b->be);
    if ( rc )
        fprintf(stderr, "error: %s\n", err.msg);
    return rc || out || any_failed(b) ? 1 : 0;
}

int main(int argc, char **argv)
{
    struct bench *b = calloc(1, sizeof(*b));
    struct meminit_error err = { 0 };
    const char *prog = argc > 0 ? argv[0] : "xenguest-bench";
    int rc;

    if ( !b )
    {
        fprintf(stderr, "error: out of memory\n");
        return 1;
    }
    rc = opts_parse(argc, argv, bench_backend.name, &b->opts, &err);
    if ( rc == 1 )
    {
        opts_usage(stdout, prog);
        rc = 0;
    }
    else if ( rc )
    {
        fprintf(stderr, "error: %s\nusage: %s --help\n", err.msg, prog);
        rc = 2;
    }
    else
        rc = bench_main(b, argv);
    free(b->cases);
    free(b);
    return rc;
}
