/*
 * test_protocol.c - the control-fd lines: their exact form, one final line
 * at most, text that cannot break xenopsd's parser, and write failures.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <cmocka.h>

#include "cmt.h"

#include "protocol.h"

/* A pipe whose read end collects what the protocol wrote. */
struct chan {
    int rd, wr;
    struct xg_proto p;
    char got[8192];
    size_t len;
};

static int chan_setup(void **state)
{
    struct chan *c = calloc(1, sizeof(*c));
    int fds[2];

    assert_non_null(c);
    assert_int_equal(pipe(fds), 0);
    c->rd = fds[0];
    c->wr = fds[1];
    xg_proto_init(&c->p, c->wr);
    *state = c;

    return 0;
}

static int chan_teardown(void **state)
{
    struct chan *c = *state;

    if ( c->rd >= 0 )
        close(c->rd);
    if ( c->wr >= 0 )
        close(c->wr);
    free(c);

    return 0;
}

/* Close the write end and read everything written. */
static const char *chan_read(struct chan *c)
{
    ssize_t n;

    close(c->wr);
    c->wr = -1;
    while ( (n = read(c->rd, c->got + c->len,
                      sizeof(c->got) - 1 - c->len)) > 0 )
        c->len += (size_t)n;
    c->got[c->len] = '\0';

    return c->got;
}

/* Exact lines for each kind. */
struct line_case {
    const char *name;
    int (*emit)(struct xg_proto *p);
    const char *want;
};

static int emit_info(struct xg_proto *p)
{
    return xg_proto_info(p, "populating %u pages on node %d", 512u, 1);
}

static int emit_hvm(struct xg_proto *p)
{
    return xg_proto_result_hvm(p, 0xfeffc, 0xfeffb);
}

static int emit_pv(struct xg_proto *p)
{
    return xg_proto_result_pv(p, 18446744073709551615ull, 0,
                              "x86_64-abi");
}

static int emit_pv_noproto(struct xg_proto *p)
{
    return xg_proto_result_pv(p, 1, 2, NULL);
}

static int emit_error(struct xg_proto *p)
{
    return xg_proto_error(p, "xc_dom_boot_mem_init", "claim of 262144 "
                          "pages on node 1 failed: Out of memory");
}

static int emit_error_nostep(struct xg_proto *p)
{
    return xg_proto_error(p, "", "bad option");
}

static int emit_error_noreason(struct xg_proto *p)
{
    return xg_proto_error(p, NULL, NULL);
}

static int emit_errorf(struct xg_proto *p)
{
    return xg_proto_errorf(p, "options", "option -domid: \"%s\" is not a "
                           "number", "12x");
}

static int emit_newlines(struct xg_proto *p)
{
    return xg_proto_info(p, "two\nlines\r\tand a bell\a and DEL\x7f.");
}

static int emit_error_newlines(struct xg_proto *p)
{
    return xg_proto_error(p, "st\nep", "libxc said:\nline 2\n");
}

static int emit_utf8(struct xg_proto *p)
{
    return xg_proto_info(p, "n\xc5\x93ud \xe2\x86\x92 1");
}

static struct line_case lines[] = {
    { "info line", emit_info, "info:populating 512 pages on node 1\n" },
    { "hvm result: frames in decimal", emit_hvm, "result:1044476 1044475\n" },
    { "pv result with protocol", emit_pv,
      "result:18446744073709551615 0 x86_64-abi\n" },
    { "pv result without protocol", emit_pv_noproto, "result:1 2\n" },
    { "error line", emit_error,
      "error:xenguest: xc_dom_boot_mem_init: claim of 262144 pages on "
      "node 1 failed: Out of memory\n" },
    { "error without a step", emit_error_nostep,
      "error:xenguest: bad option\n" },
    { "error without step or reason", emit_error_noreason,
      "error:xenguest: unknown error\n" },
    { "formatted error", emit_errorf,
      "error:xenguest: options: option -domid: \"12x\" is not a number\n" },
    { "newlines and control characters replaced", emit_newlines,
      "info:two lines  and a bell  and DEL .\n" },
    { "newlines in an error replaced", emit_error_newlines,
      "error:xenguest: st ep: libxc said: line 2 \n" },
    { "UTF-8 passes through", emit_utf8,
      "info:n\xc5\x93ud \xe2\x86\x92 1\n" },
};

static void test_line(void **state)
{
    struct chan c = { .len = 0 };
    const struct line_case *lc = *state;
    int fds[2];

    assert_int_equal(pipe(fds), 0);
    c.rd = fds[0];
    c.wr = fds[1];
    xg_proto_init(&c.p, c.wr);
    assert_int_equal(lc->emit(&c.p), 0);
    assert_int_equal(c.p.err, 0);
    assert_string_equal(chan_read(&c), lc->want);
    close(c.rd);
}

/* Exactly one final line: a second is refused and writes nothing. */
static void test_one_final_line(void **state)
{
    struct chan *c = *state;

    assert_false(c->p.done);
    assert_int_equal(xg_proto_info(&c->p, "a"), 0);
    assert_false(c->p.done);
    assert_int_equal(xg_proto_result_hvm(&c->p, 1, 2), 0);
    assert_true(c->p.done);
    assert_int_equal(xg_proto_error(&c->p, "late", "too late"), -EALREADY);
    assert_int_equal(xg_proto_result_hvm(&c->p, 3, 4), -EALREADY);
    assert_int_equal(xg_proto_result_pv(&c->p, 3, 4, "x"), -EALREADY);
    assert_int_equal(xg_proto_errorf(&c->p, "s", "%d", 1), -EALREADY);
    assert_int_equal(xg_proto_info(&c->p, "after"), -EALREADY);
    assert_string_equal(chan_read(c), "info:a\nresult:1 2\n");
}

static void test_error_then_result(void **state)
{
    struct chan *c = *state;

    assert_int_equal(xg_proto_error(&c->p, "step", "failed"), 0);
    assert_int_equal(xg_proto_result_hvm(&c->p, 1, 2), -EALREADY);
    assert_string_equal(chan_read(c), "error:xenguest: step: failed\n");
}

/* A long text is cut to XG_PROTO_LINE_MAX bytes, '\n' included. */
static void test_long_line_cut(void **state)
{
    struct chan *c = *state;
    char big[5000];
    const char *got;
    size_t len;

    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    big[2000] = '\n';
    assert_int_equal(xg_proto_error(&c->p, "step", big), 0);
    got = chan_read(c);
    len = strlen(got);
    assert_int_equal(len, XG_PROTO_LINE_MAX);
    assert_ptr_equal(strchr(got, '\n'), got + len - 1);
    assert_memory_equal(got + len - 4, "...\n", 4);
    assert_memory_equal(got, "error:xenguest: step: xxx", 25);
}

/* Cutting never leaves half a UTF-8 sequence before the "...". */
static void test_long_line_utf8(void **state)
{
    struct chan *c = *state;
    char big[3001];
    const char *got;
    size_t len, i;

    /* "info:" is 5 bytes: 3-byte characters end the kept text mid-way. */
    for ( i = 0; i + 3 <= sizeof(big) - 1; i += 3 )
        memcpy(big + i, "\xe2\x86\x92", 3);
    big[i] = '\0';
    assert_int_equal(xg_proto_info(&c->p, "%s", big), 0);
    got = chan_read(c);
    len = strlen(got);
    assert_true(len <= XG_PROTO_LINE_MAX);
    assert_memory_equal(got + len - 4, "...\n", 4);
    /* Text after "info:" is whole characters: a multiple of 3 bytes. */
    assert_int_equal((len - 4 - 5) % 3, 0);
    assert_int_equal((unsigned char)got[len - 5], 0x92);
}

/* A reader that went away: -EPIPE, not a SIGPIPE death. */
static void test_epipe(void **state)
{
    struct chan *c = *state;
    void (*old)(int) = signal(SIGPIPE, SIG_IGN);

    close(c->rd);
    c->rd = -1;
    assert_int_equal(xg_proto_info(&c->p, "hello"), -EPIPE);
    assert_int_equal(c->p.err, -EPIPE);
    assert_false(c->p.done);
    assert_int_equal(xg_proto_result_hvm(&c->p, 1, 2), -EPIPE);
    assert_true(c->p.done);
    assert_int_equal(xg_proto_error(&c->p, "s", "r"), -EALREADY);
    signal(SIGPIPE, old);
}

static void test_bad_fd(void **state)
{
    struct xg_proto p;
    int fds[2];

    (void)state;
    assert_int_equal(pipe(fds), 0);
    close(fds[0]);
    close(fds[1]);
    xg_proto_init(&p, fds[1]);
    assert_int_equal(xg_proto_error(&p, "s", "r"), -EBADF);
    assert_int_equal(p.err, -EBADF);
    assert_true(p.done);
}

/*
 * xg_proto_check() before a build: an fd that can be written passes; a
 * closed one, a read-only one and a pipe or socket whose reader has gone
 * do not.
 */
static void test_check(void **state)
{
    struct xg_proto p;
    int fds[2], sv[2];

    (void)state;
    assert_int_equal(pipe(fds), 0);
    xg_proto_init(&p, fds[1]);
    assert_int_equal(xg_proto_check(&p), 0);
    xg_proto_init(&p, fds[0]);
    assert_int_equal(xg_proto_check(&p), -EBADF);
    close(fds[0]);
    xg_proto_init(&p, fds[1]);
    assert_int_equal(xg_proto_check(&p), -EPIPE);
    close(fds[1]);
    assert_int_equal(xg_proto_check(&p), -EBADF);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    xg_proto_init(&p, sv[0]);
    assert_int_equal(xg_proto_check(&p), 0);
    close(sv[1]);
    assert_int_equal(xg_proto_check(&p), -EPIPE);
    close(sv[0]);
    xg_proto_init(&p, -1);
    assert_int_equal(xg_proto_check(&p), 0);
}

/* Standalone: nothing written, 0 returned, `done` still tracked. */
static void test_standalone(void **state)
{
    struct xg_proto p;

    (void)state;
    xg_proto_init(&p, -1);
    assert_int_equal(xg_proto_info(&p, "x"), 0);
    assert_false(p.done);
    assert_int_equal(xg_proto_result_pv(&p, 1, 2, "x86_64-abi"), 0);
    assert_true(p.done);
    assert_int_equal(xg_proto_error(&p, "s", "r"), -EALREADY);
    assert_int_equal(p.err, 0);
}

/* Drains a full pipe after a pause, so that the writer has to wait. */
struct drain {
    int fd;
    size_t total;
    char last[XG_PROTO_LINE_MAX + 1];
};

static void *drain_later(void *arg)
{
    struct drain *d = arg;
    char buf[4096];
    ssize_t n;

    usleep(100 * 1000);
    while ( (n = read(d->fd, buf, sizeof(buf))) > 0 )
    {
        size_t keep = (size_t)n < sizeof(d->last) - 1 ? (size_t)n
                                                       : sizeof(d->last) - 1;

        d->total += (size_t)n;
        memcpy(d->last, buf + (size_t)n - keep, keep);
        d->last[keep] = '\0';
    }

    return NULL;
}

/* Fill a pipe to `room` bytes short of full. */
static size_t fill_pipe(int wr, size_t room)
{
    size_t cap = (size_t)fcntl(wr, F_GETPIPE_SZ), left;
    char buf[4096];

    memset(buf, 'f', sizeof(buf));
    assert_true(cap > room);
    for ( left = cap - room; left; )
    {
        size_t n = left < sizeof(buf) ? left : sizeof(buf);

        assert_int_equal(write(wr, buf, n), (ssize_t)n);
        left -= n;
    }

    return cap - room;
}

/* Non-blocking fd: a short write, then EAGAIN, then the rest. */
static void test_short_write_nonblocking(void **state)
{
    struct chan *c = *state;
    struct drain d = { .fd = c->rd };
    char msg[900];
    size_t filled;
    pthread_t t;

    memset(msg, 'm', sizeof(msg) - 1);
    msg[sizeof(msg) - 1] = '\0';
    filled = fill_pipe(c->wr, 10);
    assert_int_equal(fcntl(c->wr, F_SETFL, O_NONBLOCK), 0);
    assert_int_equal(pthread_create(&t, NULL, drain_later, &d), 0);
    assert_int_equal(xg_proto_info(&c->p, "%s", msg), 0);
    close(c->wr);
    c->wr = -1;
    pthread_join(t, NULL);
    assert_int_equal(d.total, filled + 5 + strlen(msg) + 1);
    assert_memory_equal(d.last + strlen(d.last) - 4, "mmm\n", 4);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
    (void)sig;
    alarms++;
}

/* Blocking fd interrupted by a signal (no SA_RESTART): retried. */
static void test_eintr_retried(void **state)
{
    struct chan *c = *state;
    struct drain d = { .fd = c->rd };
    struct sigaction sa = { .sa_handler = on_alarm }, old;
    struct itimerval it = { .it_value = { 0, 20 * 1000 } };
    sigset_t alrm, prev;
    size_t filled;
    pthread_t t;

    sigemptyset(&sa.sa_mask);
    assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
    filled = fill_pipe(c->wr, 0);
    /* The drain thread inherits SIGALRM blocked: the writer gets it. */
    sigemptyset(&alrm);
    sigaddset(&alrm, SIGALRM);
    pthread_sigmask(SIG_BLOCK, &alrm, &prev);
    assert_int_equal(pthread_create(&t, NULL, drain_later, &d), 0);
    pthread_sigmask(SIG_SETMASK, &prev, NULL);
    alarms = 0;
    assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
    assert_int_equal(xg_proto_result_hvm(&c->p, 7, 8), 0);
    close(c->wr);
    c->wr = -1;
    pthread_join(t, NULL);
    sigaction(SIGALRM, &old, NULL);
    assert_int_equal(alarms, 1);
    assert_int_equal(d.total, filled + strlen("result:7 8\n"));
    assert_string_equal(d.last + strlen(d.last) - strlen("result:7 8\n"),
                        "result:7 8\n");
}

int main(void)
{
    static const struct CMUnitTest extra[] = {
        cmocka_unit_test_setup_teardown(test_one_final_line, chan_setup,
                                        chan_teardown),
        cmocka_unit_test_setup_teardown(test_error_then_result, chan_setup,
                                        chan_teardown),
        cmocka_unit_test_setup_teardown(test_long_line_cut, chan_setup,
                                        chan_teardown),
        cmocka_unit_test_setup_teardown(test_long_line_utf8, chan_setup,
                                        chan_teardown),
        cmocka_unit_test_setup_teardown(test_epipe, chan_setup,
                                        chan_teardown),
        cmocka_unit_test(test_bad_fd),
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_standalone),
        cmocka_unit_test_setup_teardown(test_short_write_nonblocking,
                                        chan_setup, chan_teardown),
        cmocka_unit_test_setup_teardown(test_eintr_retried, chan_setup,
                                        chan_teardown),
    };
    struct CMUnitTest tests[CMT_SIZE(lines) + CMT_SIZE(extra)];
    struct CMUnitTest *next = tests;

    CMT_CASES(next, lines, test_line);
    CMT_TESTS(next, extra);
    return CMT_RUN("protocol", tests, next);
}
