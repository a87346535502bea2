/*
 * test_cli.c - build/xenguest run as xenopsd runs it: control fds first,
 * single-dash options, stdin/stdout/stderr on /dev/null. Whatever the bad
 * input, exactly one error line on the control fd and a non-zero exit.
 * There is no Xen here, so a well-formed build stops at xen-init: that is
 * the path that shows the error line for a failure after option parsing.
 * The queries are run as a toolstack asks them, without control fds:
 * -supports answers exactly "true" or "false" on stdout and exits 0, for
 * every feature a toolstack may ask about and for one it may not; --version
 * names the version, the Xen built against and the claim ABIs.
 * A control fd that cannot be written (closed, read-only) must not lose the
 * error: it is on stderr, once, and the exit status is 3. Standalone, the
 * error is on stderr once (not also as a log line).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "cmt.h"

#define MAX_ARGS 40

struct cli_case {
    const char *name;
    const char *args[MAX_ARGS];     /* after -controloutfd N -controlinfd N */
    int status;                     /* exit status */
    const char *line;               /* the whole control-fd output */
};

static char xenguest[4096];

/*
 * Run xenguest and return what it wrote: with_fd, the control fd is a pipe
 * and that is the output (stdout on /dev/null); without, stdout is.
 */
static int run(const char *const *args, bool with_fd, char *out, size_t len,
               int *status)
{
    const char *argv[MAX_ARGS + 8];
    char *cargv[MAX_ARGS + 8];
    char fdarg[16];
    int pfd[2], n = 0, i, dn;
    ssize_t got;
    size_t used = 0;
    pid_t pid;

    assert_int_equal(pipe(pfd), 0);
    snprintf(fdarg, sizeof(fdarg), "%d", pfd[1]);
    argv[n++] = xenguest;
    if ( with_fd )
    {
        argv[n++] = "-controloutfd";
        argv[n++] = fdarg;
        argv[n++] = "-controlinfd";
        argv[n++] = "0";
    }
    for ( i = 0; args[i]; i++ )
        argv[n++] = args[i];
    argv[n] = NULL;
    pid = fork();
    assert_true(pid >= 0);
    if ( pid == 0 )
    {
        dn = open("/dev/null", O_RDWR);
        dup2(dn, 0);
        dup2(with_fd ? dn : pfd[1], 1);
        dup2(dn, 2);
        close(pfd[0]);
        for ( i = 0; i < n; i++ )
            cargv[i] = strdup(argv[i]);
        cargv[n] = NULL;
        execv(xenguest, cargv);
        _exit(127);
    }
    close(pfd[1]);
    while ( used + 1 < len &&
            (got = read(pfd[0], out + used, len - used - 1)) > 0 )
        used += (size_t)got;
    out[used] = '\0';
    close(pfd[0]);
    assert_int_equal(waitpid(pid, status, 0), pid);
    return 0;
}

/* How fd 7 is set up for a run_fd7() child. */
enum fd7 {
    FD7_NONE,           /* standalone: no -controloutfd */
    FD7_CLOSED,         /* -controloutfd 7, fd 7 closed */
    FD7_RDONLY,         /* -controloutfd 7, fd 7 open read-only */
    FD7_NO_READER,      /* -controloutfd 7, a pipe whose reader has gone */
};

/* The write end of a pipe whose read end is closed, as fd 7 (or -1). */
static int pipe_no_reader(void)
{
    int p[2];

    if ( pipe(p) )
        return -1;
    close(p[0]);
    if ( p[1] != 7 && (dup2(p[1], 7) != 7 || close(p[1])) )
        return -1;
    return 7;
}

static void child_fd7(enum fd7 how, int out, int err)
{
    int dn = open("/dev/null", O_RDWR);

    dup2(dn, 0);
    dup2(out, 1);
    dup2(err, 2);
    close(7);
    if ( how == FD7_RDONLY && open("/dev/null", O_RDONLY) != 7 )
        _exit(126);
    if ( how == FD7_NO_READER && pipe_no_reader() != 7 )
        _exit(126);
}

static void slurp(int fd, char *buf, size_t len)
{
    size_t used = 0;
    ssize_t got;

    while ( used + 1 < len && (got = read(fd, buf + used, len - used - 1)) > 0 )
        used += (size_t)got;
    buf[used] = '\0';
    close(fd);
}

/*
 * Run xenguest with fd 7 set up as `how` (and "-controloutfd 7" unless
 * FD7_NONE); stdout and stderr come back separately. Outputs are small:
 * the child cannot fill a pipe before it exits.
 */
static void run_fd7(const char *const *args, enum fd7 how, char *out,
                    char *err, size_t len, int *status)
{
    char *argv[MAX_ARGS + 4];
    int po[2], pe[2], n = 0, i;
    pid_t pid;

    assert_int_equal(pipe(po), 0);
    assert_int_equal(pipe(pe), 0);
    argv[n++] = strdup(xenguest);
    if ( how != FD7_NONE )
    {
        argv[n++] = strdup("-controloutfd");
        argv[n++] = strdup("7");
    }
    for ( i = 0; args[i]; i++ )
        argv[n++] = strdup(args[i]);
    argv[n] = NULL;
    pid = fork();
    assert_true(pid >= 0);
    if ( pid == 0 )
    {
        child_fd7(how, po[1], pe[1]);
        execv(xenguest, argv);
        _exit(127);
    }
    close(po[1]);
    close(pe[1]);
    slurp(po[0], out, len);
    slurp(pe[0], err, len);
    assert_int_equal(waitpid(pid, status, 0), pid);
    for ( i = 0; i < n; i++ )
        free(argv[i]);
}

/* How many lines of text start with prefix. */
static unsigned int lines_starting(const char *text, const char *prefix)
{
    unsigned int n = 0;
    const char *l;

    for ( l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL )
        n += !strncmp(l, prefix, strlen(prefix));
    return n;
}

struct fd_case {
    const char *name;
    enum fd7 how;
    const char *args[MAX_ARGS];
    int status;
    const char *err_line;       /* the first line of stderr */
};

#define BUILD_ARGS "-mode", "hvm_build", "-image", "/nonexistent", \
    "-domid", "5", "-store_port", "1", "-console_port", "2", \
    "-mem_max_mib", "256", "-mem_start_mib", "256"

static const struct fd_case fd_cases[] = {
    { "control fd closed: the error on stderr, exit 3", FD7_CLOSED,
      { BUILD_ARGS, NULL }, 3,
      "error:xenguest: control-fd: control fd 7: Bad file descriptor" },
    { "control fd read-only: the error on stderr, exit 3", FD7_RDONLY,
      { BUILD_ARGS, NULL }, 3,
      "error:xenguest: control-fd: control fd 7: Bad file descriptor" },
    { "control fd with its reader gone: the error on stderr, exit 3",
      FD7_NO_READER, { BUILD_ARGS, NULL }, 3,
      "error:xenguest: control-fd: control fd 7: Broken pipe" },
    { "standalone: a control character in a value stays on one line",
      FD7_NONE, { "-mode", "hvm\nresult:1 2", NULL }, 2,
      "error:xenguest: options: option -mode: \"hvm result:1 2\" is not "
      "one of hvm_build, linux_build, pv_build, pvh_build" },
    { "control fd closed, bad command line: both said, exit 3", FD7_CLOSED,
      { "-mode", "hvm_build", NULL }, 3,
      "error:xenguest: options: -mode hvm_build needs -domid (not written "
      "to control fd 7: Bad file descriptor)" },
    { "standalone: the error once on stderr", FD7_NONE,
      { "-mode", "hvm_build", "-domid", "5", "-mem_max_mib", "256",
        "-image", "/nonexistent", NULL }, 1, NULL },
    { "--plan without -domid gets past the options", FD7_NONE,
      { "--plan", "--mode", "hvm_build", "--mem_max_mib", "4096", NULL }, 1,
      NULL },
};

static void test_fd_case(void **state)
{
    const struct fd_case *c = *state;
    char out[4096], err[4096], *nl;
    int status;

    run_fd7(c->args, c->how, out, err, sizeof(out), &status);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), c->status);
    assert_string_equal(out, "");
    /* Exactly one error line, and no log line repeating it. */
    assert_int_equal(lines_starting(err, "error:xenguest: "), 1);
    assert_int_equal(lines_starting(err, "warning: "), 0);
    if ( !c->err_line )
    {
        /* No hypervisor here: the build or plan stops opening Xen. */
        assert_non_null(strstr(err, "error:xenguest: xen-init: "));
        return;
    }
    nl = strchr(err, '\n');
    assert_non_null(nl);
    *nl = '\0';
    assert_string_equal(err, c->err_line);
}

static struct cli_case cases[] = {
    { "no arguments but the fds",
      { NULL }, 2,
      "error:xenguest: options: no -mode given (hvm_build, linux_build, "
      "pvh_build)\n" },
    { "bad integer",
      { "-mode", "hvm_build", "-domid", "12x", NULL }, 2,
      "error:xenguest: options: option -domid: \"12x\" is not a number\n" },
    { "missing value at the end",
      { "-mode", "hvm_build", "-domid", NULL }, 2, NULL },
    { "unknown option",
      { "-mode", "hvm_build", "-frobnicate", NULL }, 2, NULL },
    { "too many modules",
      { "-mode", "pvh_build", "-domid", "5", "-module", "a", "-module", "b",
        "-module", "c", "-module", "d", "-module", "e", "-module", "f",
        "-module", "g", "-module", "h", "-module", "i", "-module", "j",
        "-module", "k", "-module", "l", "-module", "m", "-module", "n",
        "-module", "o", "-module", "p", "-module", "q", NULL }, 2, NULL },
    { "well-formed, no hypervisor: fails at xen-init",
      { "-mode", "hvm_build", "-image", "/nonexistent", "-domid", "5",
        "-store_port", "1", "-store_domid", "0", "-console_port", "2",
        "-console_domid", "0", "-mem_max_mib", "256", "-mem_start_mib",
        "256", "-mem_pnode", "1", NULL }, 1, NULL },
};

static void test_case(void **state)
{
    const struct cli_case *c = *state;
    char out[4096];
    int status;

    run(c->args, true, out, sizeof(out), &status);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), c->status);
    /* One line, an error line, newline-terminated, nothing after it. */
    assert_int_equal(strncmp(out, "error:xenguest: ", 16), 0);
    assert_non_null(strchr(out, '\n'));
    assert_int_equal(strchr(out, '\n')[1], '\0');
    if ( c->line )
        assert_string_equal(out, c->line);
}

/* -supports FEATURE: "true\n" or "false\n" on stdout, exit 0. */
static void supports(const char *feature, const char *answer)
{
    const char *const args[] = { "-supports", feature, NULL };
    char out[64];
    int status;

    run(args, false, out, sizeof(out), &status);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_string_equal(out, answer);
}

static void test_supports(void **state)
{
    (void)state;
    supports("mem_pnode", "true\n");
    supports("numa_placement", "true\n");
    supports("numa_report", "true\n");
    supports("claim", "true\n");
    supports("--supports=claim", "false\n");
    supports("vgpu", "false\n");
    supports("", "false\n");
    supports("claimx", "false\n");
}

static void test_help(void **state)
{
    static const char *const help[] = { "--help", NULL };
    static char out[16384];         /* the whole option table */
    int status;

    (void)state;
    run(help, false, out, sizeof(out), &status);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(strncmp(out, "usage: ", 7), 0);
    assert_non_null(strstr(out, "-supports FEATURE"));
}

/* --version: the version, the Xen built against, each claim ABI; exit 0. */
static void test_version(void **state)
{
    static const char *const args[] = { "--version", NULL };
    char out[4096], err[4096];
    int status;

    (void)state;
    run_fd7(args, FD7_NONE, out, err, sizeof(out), &status);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_string_equal(err, "");
    assert_int_equal(strncmp(out, "xenguest-numa ", 14), 0);
    assert_null(strstr(out, "xenguest-numa unknown"));
    assert_non_null(strstr(out, "\nbuilt against Xen 4.17"));
    assert_non_null(strstr(out, "\nclaim ABI host (xc_domain_claim_pages, "
                                "Xen 4.17): compiled in, linked\n"));
    assert_non_null(strstr(out, "\nclaim ABI node ("));
    assert_non_null(strstr(out, "\nclaim ABI claim-set ("));
}

int main(int argc, char **argv)
{
    static const struct CMUnitTest extra[] = {
        cmocka_unit_test(test_supports),
        cmocka_unit_test(test_help),
        cmocka_unit_test(test_version),
    };
    struct CMUnitTest tests[CMT_SIZE(cases) + CMT_SIZE(fd_cases) +
                            CMT_SIZE(extra)];
    struct CMUnitTest *next = tests;
    char *slash;

    (void)argc;
    /* build/tests/test_cli -> build/xenguest */
    snprintf(xenguest, sizeof(xenguest), "%s", argv[0]);
    slash = strrchr(xenguest, '/');
    snprintf(slash ? slash + 1 : xenguest,
             sizeof(xenguest) - (size_t)(slash ? slash + 1 - xenguest : 0),
             "../xenguest");
    CMT_CASES(next, cases, test_case);
    CMT_CASES(next, fd_cases, test_fd_case);
    CMT_TESTS(next, extra);
    return CMT_RUN("cli", tests, next);
}
