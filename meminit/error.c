/*
 * error.c - the error record: the first failure wins.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

/*
 * A message that did not fit ends in "..." so that a reader knows: the
 * marker goes after the last whole UTF-8 character that leaves room for it.
 */
static void mark_cut(char *msg, size_t size)
{
    size_t end = size - 4;          /* room for "..." and the NUL */

    while ( end > 0 && ((unsigned char)msg[end] & 0xc0) == 0x80 )
        end--;                      /* msg[end] starts a character */
    memcpy(msg + end, "...", 4);
}

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
    if ( vsnprintf(e->msg, sizeof(e->msg), fmt, ap) >= (int)sizeof(e->msg) )
        mark_cut(e->msg, sizeof(e->msg));
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
