/*
 * log.h - where xenguest's own messages go.
 *
 * Contract: syslog with ident "xenguest-<domid>-build" (as xenopsd expects),
 * plus the -debuglog file when given, plus stderr in standalone mode.
 * Never the control fd. A log that cannot be opened is reported once by
 * xg_log_open() (-errno) and the rest still works.
 */
#ifndef XG_LOG_H
#define XG_LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "meminit.h"

struct xg_log {
    char ident[40];
    FILE *debug;            /* -debuglog FILE, or NULL */
    bool to_stderr;
    bool to_syslog;
};

int xg_log_open(struct xg_log *log, uint32_t domid, const char *debuglog,
                bool to_stderr);
void xg_log_close(struct xg_log *log);
void xg_log(struct xg_log *log, enum meminit_log_level level,
            const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* meminit_log_fn adapter: opaque is the struct xg_log. */
void xg_log_meminit(void *opaque, enum meminit_log_level level,
                    const char *msg);

#endif /* XG_LOG_H */
