/*
 * log.c - syslog, -debuglog and stderr.
 */
#include <errno.h>
#include <stdarg.h>
#include <syslog.h>

#include "log.h"

static const char *const level_name[] = { "debug", "info", "warning" };

int xg_log_open(struct xg_log *log, uint32_t domid, const char *debuglog,
                bool to_stderr)
{
    int rc = 0;

    snprintf(log->ident, sizeof(log->ident), "xenguest-%u-build", domid);
    log->to_stderr = to_stderr;
    log->to_syslog = true;
    log->debug = NULL;
    openlog(log->ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
    if ( debuglog && !(log->debug = fopen(debuglog, "ae")) )
        rc = -errno;
    return rc;
}

void xg_log_close(struct xg_log *log)
{
    if ( log->debug )
        fclose(log->debug);
    log->debug = NULL;
    if ( log->to_syslog )
        closelog();
    log->to_syslog = false;
}

static void emit(struct xg_log *log, enum meminit_log_level level,
                 const char *msg)
{
    static const int prio[] = { LOG_DEBUG, LOG_INFO, LOG_WARNING };

    if ( log->to_syslog && level != MEMINIT_LOG_DEBUG )
        syslog(prio[level], "%s", msg);
    if ( log->debug )
    {
        fprintf(log->debug, "%s: %s: %s\n", log->ident, level_name[level],
                msg);
        fflush(log->debug);
    }
    if ( log->to_stderr && level != MEMINIT_LOG_DEBUG )
        fprintf(stderr, "%s: %s\n", level_name[level], msg);
}

void xg_log(struct xg_log *log, enum meminit_log_level level,
            const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    emit(log, level, msg);
}

void xg_log_meminit(void *opaque, enum meminit_log_level level,
                    const char *msg)
{
    emit(opaque, level, msg);
}
