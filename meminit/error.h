/*
 * error.h - the error record shared by libmeminit and its callers.
 *
 * Contract:
 *  - One struct meminit_error per operation (a build, a plan, a parse). A
 *    function that fails records the step and the reason in it with
 *    meminit_error_set() and returns the -errno that the setter returns.
 *  - The FIRST failure wins: once a step is recorded, later calls (say, the
 *    cleanup that fails after the real failure) leave the record alone, so
 *    the message names the cause, not its consequences.
 *  - The step is a static string naming the stage ("claim", "populate",
 *    "platform", "options"); the message is one line, with figures, without
 *    the step and without a trailing newline. err is a positive errno.
 *    A message longer than MEMINIT_ERROR_MSG_LEN - 1 bytes is cut on a
 *    UTF-8 character boundary and ends in "...".
 *  - Nothing here prints: the front end turns the record into the control
 *    fd's single "error:xenguest: <step>: <msg>" line.
 */
#ifndef MEMINIT_ERROR_H
#define MEMINIT_ERROR_H

#include <stdarg.h>
#include <stdbool.h>

#define MEMINIT_ERROR_MSG_LEN 384

struct meminit_error {
    const char *step;               /* NULL while nothing has failed */
    int err;                        /* positive errno; 0 while none */
    char msg[MEMINIT_ERROR_MSG_LEN];
};

/*
 * Record a failure of `step` with errno `err` (0 is taken as EIO, a
 * negative value as its absolute value) unless one is already recorded.
 * Returns -err, so that `return meminit_error_set(...)` propagates it.
 * e may be NULL (nothing recorded, the return value is unchanged).
 */
int meminit_error_set(struct meminit_error *e, const char *step, int err,
                      const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
int meminit_error_vset(struct meminit_error *e, const char *step, int err,
                       const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

/* Has a failure been recorded? */
bool meminit_error_isset(const struct meminit_error *e);

/* Forget the record (before reusing it for another operation). */
void meminit_error_clear(struct meminit_error *e);

#endif /* MEMINIT_ERROR_H */
