/*
 * mask.c - affinity masks between xenstore strings and xc_cpumap_t bitmaps.
 *
 * The old xenguest treated every character that was not '1' as '0' and
 * silently dropped positions beyond the host's cpumap: a corrupted key
 * became a different affinity. Here a mask either means exactly what it
 * says or is refused with the position of the offending character.
 */
#include <errno.h>
#include <string.h>

#include "mask.h"

bool xg_mask_test(const uint8_t *map, unsigned int cpu)
{
    return map[cpu / 8] & (1u << (cpu % 8));
}

void xg_mask_set(uint8_t *map, unsigned int cpu)
{
    map[cpu / 8] |= (uint8_t)(1u << (cpu % 8));
}

/* The message of a refusal, "what: " first when the report names it. */
#define REFUSE(rep, rc, fmt, ...)                                           \
    meminit_error_set((rep) ? (rep)->err : NULL,                            \
                      (rep) ? (rep)->step : NULL, (rc), "%s%s" fmt,         \
                      (rep) && (rep)->what ? (rep)->what : "",              \
                      (rep) && (rep)->what ? ": " : "", __VA_ARGS__)

/* Positions, the '0'/'1' rule and the map bound; the count of '1's. */
static int scan(const char *str, uint8_t *map, size_t limit,
                const struct xg_mask_report *rep)
{
    unsigned int i, set = 0;

    for ( i = 0; str[i]; i++ )
    {
        if ( i >= XG_MASK_MAX_CPUS )
            return REFUSE(rep, EINVAL, "mask longer than %u pCPUs",
                          XG_MASK_MAX_CPUS);
        if ( str[i] == '0' )
            continue;
        if ( str[i] != '1' )
            return REFUSE(rep, EINVAL, "bad character at position %u "
                          "(0x%02x): want '0' or '1'", i,
                          (unsigned char)str[i]);
        if ( i >= limit )
            return REFUSE(rep, ERANGE, "pCPU %u is beyond the %u the map "
                          "holds", i, (unsigned int)limit);
        xg_mask_set(map, i);
        set++;
    }
    if ( !set )
        return REFUSE(rep, EINVAL, "no pCPU set in the mask (%u positions)",
                      i);
    return (int)set;
}

int xg_mask_parse(const char *str, uint8_t *map, size_t map_bytes,
                  unsigned int *nr_cpus, const struct xg_mask_report *report)
{
    int rc;

    if ( map_bytes )
        memset(map, 0, map_bytes);
    if ( !str || !*str )
        return REFUSE(report, EINVAL, "%s", "empty mask");
    rc = scan(str, map, map_bytes * 8, report);
    if ( rc < 0 )
        return rc;
    *nr_cpus = (unsigned int)strlen(str);
    return 0;
}

int xg_mask_format(const uint8_t *map, unsigned int nr_cpus,
                   char *buf, size_t buflen)
{
    unsigned int i;

    if ( !buflen )
        return -ENOSPC;
    if ( (size_t)nr_cpus >= buflen )
    {
        buf[0] = '\0';
        return -ENOSPC;
    }

    for ( i = 0; i < nr_cpus; i++ )
        buf[i] = xg_mask_test(map, i) ? '1' : '0';
    buf[nr_cpus] = '\0';

    return 0;
}

int xg_mask_from_node(const uint32_t *cpu_to_node, unsigned int nr_cpus,
                      unsigned int node, uint8_t *map, size_t map_bytes)
{
    if ( node >= 64 )
        return -EINVAL;
    return xg_mask_from_nodes(cpu_to_node, nr_cpus, 1ull << node, map,
                              map_bytes);
}

int xg_mask_from_nodes(const uint32_t *cpu_to_node, unsigned int nr_cpus,
                       uint64_t nodes, uint8_t *map, size_t map_bytes)
{
    unsigned int i;
    int count = 0;

    if ( !nodes || nr_cpus > XG_MASK_MAX_CPUS ||
         XG_MASK_BYTES(nr_cpus) > map_bytes )
        return -EINVAL;

    memset(map, 0, map_bytes);
    for ( i = 0; i < nr_cpus; i++ )
    {
        if ( cpu_to_node[i] >= 64 || !(nodes & (1ull << cpu_to_node[i])) )
            continue;
        xg_mask_set(map, i);
        count++;
    }

    return count ? count : -ENOENT;
}

bool xg_mask_is_full(const uint8_t *map, unsigned int nr_cpus)
{
    unsigned int i;

    for ( i = 0; i < nr_cpus; i++ )
        if ( !xg_mask_test(map, i) )
            return false;

    return true;
}

unsigned int xg_mask_weight(const uint8_t *map, unsigned int nr_cpus)
{
    unsigned int i, n = 0;

    for ( i = 0; i < nr_cpus; i++ )
        n += xg_mask_test(map, i);

    return n;
}
