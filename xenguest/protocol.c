/*
 * protocol.c - the control-fd writer.
 *
 * xenopsd reads the control fd line by line and splits each at the first
 * ':'. The old xenguest wrote its result with one unchecked write() and let
 * library messages with embedded newlines through, which xenopsd then read
 * as lines of an unknown kind. Here a line is assembled in full (prefix,
 * cleaned text, '\n') in a bounded buffer and then written completely or
 * not at all as far as the caller can tell.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "protocol.h"

/* Room for the text; the last byte of a line is always its '\n'. */
#define LINE_TEXT_MAX (XG_PROTO_LINE_MAX - 1)
#define CUT_MARK      "..."

struct line {
    char buf[XG_PROTO_LINE_MAX];
    size_t len;
    bool cut;
};

void xg_proto_init(struct xg_proto *p, int fd)
{
    p->fd = fd;
    p->done = false;
    p->err = 0;
}

/*
 * A pipe or socket whose reading end is closed: poll() reports POLLERR
 * (pipes) or POLLHUP (a socket whose peer has closed both directions; a
 * peer that only stopped writing to us does not count) for the writer,
 * without blocking. A regular file never does.
 */
static bool reader_gone(int fd)
{
    struct pollfd pfd = { .fd = fd, .events = POLLOUT };

    if ( poll(&pfd, 1, 0) <= 0 )
        return false;
    return pfd.revents & (POLLERR | POLLHUP);
}

int xg_proto_check(const struct xg_proto *p)
{
    int flags;

    if ( p->fd < 0 )
        return 0;
    flags = fcntl(p->fd, F_GETFL);
    if ( flags < 0 )
        return -errno;
    if ( (flags & O_ACCMODE) == O_RDONLY )
        return -EBADF;
    return reader_gone(p->fd) ? -EPIPE : 0;
}

static char clean_char(char c)
{
    unsigned char u = (unsigned char)c;

    return (u < 0x20 || u == 0x7f) ? ' ' : c;
}

void xg_proto_clean(char *s)
{
    for ( ; *s; s++ )
        *s = clean_char(*s);
}

/* Append s, cleaned; remember if it did not fit. */
static void line_add(struct line *l, const char *s)
{
    for ( ; s && *s; s++ )
    {
        if ( l->len >= LINE_TEXT_MAX )
        {
            l->cut = true;
            return;
        }
        l->buf[l->len++] = clean_char(*s);
    }
}

/* Mark a cut line with "..." without splitting a UTF-8 sequence. */
static void line_finish(struct line *l)
{
    if ( l->cut )
    {
        l->len = LINE_TEXT_MAX - strlen(CUT_MARK);
        while ( l->len && ((unsigned char)l->buf[l->len] & 0xc0) == 0x80 )
            l->len--;
        memcpy(l->buf + l->len, CUT_MARK, strlen(CUT_MARK));
        l->len += strlen(CUT_MARK);
    }
    l->buf[l->len++] = '\n';
}

static int wait_writable(int fd)
{
    struct pollfd pfd = { .fd = fd, .events = POLLOUT };

    while ( poll(&pfd, 1, -1) < 0 )
        if ( errno != EINTR )
            return -errno;

    return 0;
}

static int write_all(int fd, const char *buf, size_t len)
{
    while ( len )
    {
        ssize_t n = write(fd, buf, len);
        int rc;

        if ( n > 0 )
        {
            buf += n;
            len -= (size_t)n;
            continue;
        }
        if ( n == 0 )
            return -EIO;
        if ( errno == EINTR )
            continue;
        if ( errno != EAGAIN && errno != EWOULDBLOCK )
            return -errno;
        rc = wait_writable(fd);
        if ( rc )
            return rc;
    }

    return 0;
}

static int emit(struct xg_proto *p, struct line *l, bool final)
{
    int rc;

    if ( p->done )
        return -EALREADY;
    if ( final )
        p->done = true;

    line_finish(l);
    if ( p->fd < 0 )
        return 0;

    rc = write_all(p->fd, l->buf, l->len);
    if ( rc && !p->err )
        p->err = rc;

    return rc;
}

int xg_proto_info(struct xg_proto *p, const char *fmt, ...)
{
    struct line l = { .len = 0 };
    char text[XG_PROTO_LINE_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);

    line_add(&l, "info:");
    line_add(&l, text);

    return emit(p, &l, false);
}

int xg_proto_result_hvm(struct xg_proto *p, uint64_t store_pfn,
                        uint64_t console_pfn)
{
    struct line l = { .len = 0 };
    char text[64];

    snprintf(text, sizeof(text), "%" PRIu64 " %" PRIu64,
             store_pfn, console_pfn);
    line_add(&l, "result:");
    line_add(&l, text);

    return emit(p, &l, true);
}

int xg_proto_result_pv(struct xg_proto *p, uint64_t store_mfn,
                       uint64_t console_mfn, const char *protocol)
{
    struct line l = { .len = 0 };
    char text[64];

    snprintf(text, sizeof(text), "%" PRIu64 " %" PRIu64,
             store_mfn, console_mfn);
    line_add(&l, "result:");
    line_add(&l, text);
    if ( protocol && *protocol )
    {
        line_add(&l, " ");
        line_add(&l, protocol);
    }

    return emit(p, &l, true);
}

int xg_proto_error(struct xg_proto *p, const char *step, const char *reason)
{
    struct line l = { .len = 0 };

    line_add(&l, "error:xenguest: ");
    if ( step && *step )
    {
        line_add(&l, step);
        line_add(&l, ": ");
    }
    line_add(&l, (reason && *reason) ? reason : "unknown error");

    return emit(p, &l, true);
}

int xg_proto_errorf(struct xg_proto *p, const char *step,
                    const char *fmt, ...)
{
    char text[XG_PROTO_LINE_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);

    return xg_proto_error(p, step, text);
}
