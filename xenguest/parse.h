/*
 * parse.h - strict, bounded number parsing shared by the front-end modules.
 *
 * Contract:
 *  - Decimal only: no sign (except where stated), no leading or trailing
 *    blanks, no "0x", no empty string, no trailing garbage. Overflow of the
 *    64-bit result is detected, never wrapped.
 *  - Returns 0 and sets *out, or -EINVAL (not a number) / -ERANGE (does not
 *    fit); *out is untouched on error.
 *  - Pure: no allocation, no errno side effects, no printing.
 */
#ifndef XG_PARSE_H
#define XG_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* An unsigned decimal integer: "0" .. "18446744073709551615". */
int xg_parse_u64(const char *s, uint64_t *out);

/* A signed decimal integer: an optional '-' then digits, INT64 range. */
int xg_parse_s64(const char *s, int64_t *out);

/* An unsigned decimal integer within [min, max] (-ERANGE outside). */
int xg_parse_u64_range(const char *s, uint64_t min, uint64_t max,
                       uint64_t *out);

/* One hex word of exactly len chars (1-8 digits, no "0x") into 32 bits. */
int xg_parse_hex32(const char *s, size_t len, uint32_t *out);

#endif /* XG_PARSE_H */
