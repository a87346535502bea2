/*
 * protocol.h - the lines xenguest writes to xenopsd's control fd.
 *
 * Contract (reference/xenopsd-contract.md):
 *  - One line per call: "info:<text>", "result:<store> <console>" (HVM,
 *    PVH: guest frames), "result:<store> <console> <protocol>" (PV: machine
 *    frames), "error:xenguest: <step>: <reason>". xenopsd stops at the first
 *    result or error line, so exactly one such final line is ever written:
 *    a second one, or an info line after it, is refused with -EALREADY and
 *    writes nothing.
 *  - Text is made safe for xenopsd's line parser: newlines and other control
 *    characters become spaces, and a line is at most XG_PROTO_LINE_MAX bytes
 *    including its '\n' (longer text is cut on a UTF-8 boundary and ends in
 *    "...").
 *  - Every write is checked; short writes and EINTR are retried. A closed
 *    reader gives -EPIPE (the caller must ignore SIGPIPE; nothing here
 *    touches signals). Other failures give -errno.
 *  - fd < 0 is standalone mode: nothing is written and calls return 0, but
 *    `done` is still tracked so the caller can report on stdout itself.
 *  - `done` is set as soon as a final line is attempted, even if the write
 *    fails: there is no second chance on a broken fd. The caller must then
 *    say what it could not deliver some other way (stderr, syslog):
 *    xenopsd will see no line at all.
 *  - xg_proto_check() tells before the build whether the fd can be written
 *    at all (open, and not read-only), so that nothing is built whose
 *    result could not be delivered.
 *  - No globals, no printing, no allocation.
 */
#ifndef XG_PROTOCOL_H
#define XG_PROTOCOL_H

#include <stdbool.h>
#include <stdint.h>

#define XG_PROTO_LINE_MAX 1024

struct xg_proto {
    int fd;         /* controloutfd, -1 in standalone mode */
    bool done;      /* a final (result or error) line was attempted */
    int err;        /* first write failure (-errno), 0 if none */
};

/* Start a protocol on fd (may be -1). */
void xg_proto_init(struct xg_proto *p, int fd);

/*
 * Can the control fd be written? 0, or -EBADF when it is not an open fd or
 * is open read-only (F_GETFL), -EPIPE when it is a pipe or socket whose
 * reader has gone (poll(): POLLERR/POLLHUP). Standalone (fd < 0): 0.
 */
int xg_proto_check(const struct xg_proto *p);

/* "info:<text>\n". */
int xg_proto_info(struct xg_proto *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* "result:<store_pfn> <console_pfn>\n" (HVM and PVH). */
int xg_proto_result_hvm(struct xg_proto *p, uint64_t store_pfn,
                        uint64_t console_pfn);

/* "result:<store_mfn> <console_mfn> <protocol>\n" (PV). */
int xg_proto_result_pv(struct xg_proto *p, uint64_t store_mfn,
                       uint64_t console_mfn, const char *protocol);

/* "error:xenguest: <step>: <reason>\n" (no "<step>: " if step is empty). */
int xg_proto_error(struct xg_proto *p, const char *step, const char *reason);

/*
 * Control characters in s (a NUL-terminated line about to go elsewhere:
 * stderr, syslog) made spaces in place, as every line written here is.
 */
void xg_proto_clean(char *s);

/* xg_proto_error() with a formatted reason. */
int xg_proto_errorf(struct xg_proto *p, const char *step,
                    const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* XG_PROTOCOL_H */
