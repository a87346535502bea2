/*
 * test_cli.c - build/xenguest run as xenopsd runs it: control fds first,
 * single-dash options, stdin/stdout/stderr on /dev/null. Whatever the bad
 * input, exactly one error line on the control fd and a non-zero exit.
 * There is no Xen here, so a well-formed build stops at xen-init: that is
 * the path that shows the error line for a failure after option parsing.
 * The queries are run as a toolstack asks them, without control fds:
 * -supports answers exactly "true" or "false" on stdout and exits 0, for
 * every feature a toolstack may ask about and for one it may not.
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
    char out[4096];
    int status;

    (void)state;
    run(help, false, out, sizeof(out), &status);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(strncmp(out, "usage: ", 7), 0);
    assert_non_null(strstr(out, "-supports FEATURE"));
}

int main(int argc, char **argv)
{
    static const struct CMUnitTest extra[] = {
        cmocka_unit_test(test_supports),
        cmocka_unit_test(test_help),
    };
    struct CMUnitTest tests[CMT_SIZE(cases) + CMT_SIZE(extra)];
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
    CMT_TESTS(next, extra);
    return CMT_RUN("cli", tests, next);
}
