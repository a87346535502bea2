/*
 * parse.c - strict number parsing.
 *
 * strtoull() accepts leading blanks, a sign (and negates "-1" into a huge
 * value), "0x" with base 0, and stops silently at garbage. The old xenguest
 * trusted it and atoi(); these helpers accept exactly the digits and nothing
 * else, so that "12x", " 5", "-1" and "" are errors rather than numbers.
 */
#include <errno.h>
#include <stdbool.h>

#include "parse.h"

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int xg_parse_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0;

    if ( !s || !is_digit(*s) )
        return -EINVAL;

    for ( ; *s; s++ )
    {
        unsigned int d;

        if ( !is_digit(*s) )
            return -EINVAL;
        d = (unsigned int)(*s - '0');
        if ( v > (UINT64_MAX - d) / 10 )
        {
            /* Keep scanning: garbage after an overflow is still garbage. */
            for ( ; *s; s++ )
                if ( !is_digit(*s) )
                    return -EINVAL;
            return -ERANGE;
        }
        v = v * 10 + d;
    }

    *out = v;
    return 0;
}

int xg_parse_s64(const char *s, int64_t *out)
{
    bool neg = false;
    uint64_t v = 0;
    int rc;

    if ( s && *s == '-' )
    {
        neg = true;
        s++;
    }

    rc = xg_parse_u64(s, &v);
    if ( rc )
        return rc;

    if ( neg )
    {
        if ( v > (uint64_t)INT64_MAX + 1 )
            return -ERANGE;
        *out = (v == (uint64_t)INT64_MAX + 1) ? INT64_MIN : -(int64_t)v;
    }
    else
    {
        if ( v > INT64_MAX )
            return -ERANGE;
        *out = (int64_t)v;
    }

    return 0;
}

int xg_parse_u64_range(const char *s, uint64_t min, uint64_t max,
                       uint64_t *out)
{
    uint64_t v = 0;
    int rc = xg_parse_u64(s, &v);

    if ( rc )
        return rc;
    if ( v < min || v > max )
        return -ERANGE;

    *out = v;
    return 0;
}

static int hex_value(char c)
{
    if ( c >= '0' && c <= '9' )
        return c - '0';
    if ( c >= 'a' && c <= 'f' )
        return c - 'a' + 10;
    if ( c >= 'A' && c <= 'F' )
        return c - 'A' + 10;
    return -1;
}

int xg_parse_hex32(const char *s, size_t len, uint32_t *out)
{
    uint32_t v = 0;
    size_t i;

    if ( !s || len == 0 )
        return -EINVAL;
    for ( i = 0; i < len; i++ )
        if ( hex_value(s[i]) < 0 )
            return -EINVAL;
    if ( len > 8 )
        return -ERANGE;

    for ( i = 0; i < len; i++ )
        v = (v << 4) | (uint32_t)hex_value(s[i]);

    *out = v;
    return 0;
}
