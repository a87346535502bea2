/*
 * fuzz.h - what the libFuzzer targets share: the entry point's prototype, a
 * reader that turns the fuzzer's bytes into bounded values, and the check
 * that turns a broken invariant into a crash libFuzzer records.
 *
 * Contract: a struct fz_in reads from the input front to back; past the end
 * every read returns 0 (so short inputs are still valid requests).
 * FZ_CHECK(cond) aborts with the condition's text when cond is false.
 * Header-only: each target includes it once.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_CHECK(cond)                                                  \
    do {                                                                \
        if ( !(cond) )                                                  \
        {                                                               \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__,  \
                    __LINE__, #cond);                                   \
            abort();                                                    \
        }                                                               \
    } while ( 0 )

struct fz_in {
    const uint8_t *p;
    size_t left;
};

static inline uint8_t fz_u8(struct fz_in *in)
{
    if ( !in->left )
        return 0;
    in->left--;
    return *in->p++;
}

static inline uint64_t fz_bytes(struct fz_in *in, unsigned int n)
{
    uint64_t v = 0;
    unsigned int i;

    for ( i = 0; i < n; i++ )
        v |= (uint64_t)fz_u8(in) << (8 * i);
    return v;
}

static inline uint16_t fz_u16(struct fz_in *in)
{
    return (uint16_t)fz_bytes(in, 2);
}

static inline uint32_t fz_u32(struct fz_in *in)
{
    return (uint32_t)fz_bytes(in, 4);
}

static inline uint64_t fz_u64(struct fz_in *in)
{
    return fz_bytes(in, 8);
}

static inline bool fz_bool(struct fz_in *in)
{
    return fz_u8(in) & 1;
}

/* The rest of the input as a NUL-terminated string (malloc'd). */
static inline char *fz_rest_string(struct fz_in *in)
{
    char *s = malloc(in->left + 1);
    size_t i;

    if ( !s )
        return NULL;
    for ( i = 0; i < in->left; i++ )
        s[i] = (char)in->p[i];
    s[in->left] = '\0';
    in->p += in->left;
    in->left = 0;
    return s;
}

#endif /* FUZZ_H */
