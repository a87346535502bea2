/*
 * error.c - the error record: the first failure wins.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

int meminit_error_vset(struct meminit_error *e, const char *step, int err,
                       const char *fmt, va_list ap)
{
    if ( err < 0 )
        err = -err;
    if ( !err )
        err = EIO;
    if ( !e || e->step )
        return -err;
    e->step = step;
    e->err = err;
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    return -err;
}

int meminit_error_set(struct meminit_error *e, const char *step, int err,
                      const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = meminit_error_vset(e, step, err, fmt, ap);
    va_end(ap);
    return rc;
}

bool meminit_error_isset(const struct meminit_error *e)
{
    return e && e->step;
}

void meminit_error_clear(struct meminit_error *e)
{
    memset(e, 0, sizeof(*e));
}
