/*
 * ctx.c - accounting and logging for one build.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "ctx.h"

uint64_t mi_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t mi_call_begin(void)
{
    errno = 0;
    return mi_now_ns();
}

uint64_t mi_call_end(struct mi_ctx *c, uint64_t t0, int rc)
{
    int saved = errno;
    uint64_t ns = mi_now_ns() - t0;

    c->st->ns_calls += ns;
    c->st->hypercalls++;
    if ( rc < 0 )
        c->st->hypercalls_failed++;
    errno = saved;
    return ns;
}

int mi_errno(void)
{
    return errno ? errno : EIO;
}

void mi_log(struct mi_ctx *c, enum meminit_log_level level,
            const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    if ( !c->req->log )
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    c->req->log(c->req->log_opaque, level, msg);
}
