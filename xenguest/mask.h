/*
 * mask.h - pCPU affinity masks: the '0'/'1' string xenopsd writes to
 * platform/vcpu/<n>/affinity, and the byte bitmap libxenctrl takes
 * (xc_cpumap_t: pCPU i is bit i % 8 of byte i / 8).
 *
 * Contract:
 *  - Strings have one character per pCPU, '0' or '1', at most
 *    XG_MASK_MAX_CPUS of them. Anything else is an error that names the
 *    position. A mask with no '1' at all is an error: Xen would refuse it,
 *    and applying "nothing" must be said by leaving the key out.
 *  - A hard mask of all ones is never written by the caller (it would
 *    replace the toolstack's NUMA choice with "anywhere"):
 *    xg_mask_is_full() says when that is the case.
 *  - Functions return 0 (or a count) / -errno and never write outside the
 *    map size they are given. No allocation, no printing, no globals.
 */
#ifndef XG_MASK_H
#define XG_MASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define XG_MASK_MAX_CPUS     4096
#define XG_MASK_BYTES(nr)    (((size_t)(nr) + 7) / 8)
#define XG_MASK_INVALID_NODE (~0u)  /* XEN_INVALID_NODE_ID: cpu offline */

/*
 * Where xg_mask_parse() records why it refused a mask: straight into the
 * caller's record, under the caller's step, the message prefixed with
 * "what: " (the xenstore key the mask came from) when what is not NULL.
 */
struct xg_mask_report {
    struct meminit_error *err;      /* NULL: not recorded */
    const char *step;               /* "platform", "vcpu" */
    const char *what;               /* "platform/vcpu/3/affinity", NULL */
};

/*
 * Parse str into map (cleared first, map_bytes long). *nr_cpus gets the
 * number of positions in str. A '1' beyond map_bytes * 8 is -ERANGE.
 * -EINVAL for an empty string, a bad character or an all-zero mask;
 * recorded as *report says (report may be NULL).
 */
int xg_mask_parse(const char *str, uint8_t *map, size_t map_bytes,
                  unsigned int *nr_cpus, const struct xg_mask_report *report);

/* Write nr_cpus characters and a NUL into buf; -ENOSPC if it cannot fit. */
int xg_mask_format(const uint8_t *map, unsigned int nr_cpus,
                   char *buf, size_t buflen);

/*
 * The mask of node's pCPUs from a cpu -> node array (xc_cputopo_t.node
 * per cpu, XG_MASK_INVALID_NODE for offline cpus). Returns the number of
 * pCPUs set, -ENOENT if the node has none, -EINVAL for a bad node or a map
 * too small for nr_cpus.
 */
int xg_mask_from_node(const uint32_t *cpu_to_node, unsigned int nr_cpus,
                      unsigned int node, uint8_t *map, size_t map_bytes);
/* The same for the pCPUs of a set of nodes (bit per node, 0-63): -ENOENT
 * if none has a pCPU, -EINVAL for an empty set or a map too small. */
int xg_mask_from_nodes(const uint32_t *cpu_to_node, unsigned int nr_cpus,
                       uint64_t nodes, uint8_t *map, size_t map_bytes);

/* True if pCPUs 0 .. nr_cpus - 1 are all set (vacuously true for 0). */
bool xg_mask_is_full(const uint8_t *map, unsigned int nr_cpus);

/* Number of pCPUs set among the first nr_cpus. */
unsigned int xg_mask_weight(const uint8_t *map, unsigned int nr_cpus);

/* One bit. cpu must be below map_bytes * 8 (the caller's bound). */
bool xg_mask_test(const uint8_t *map, unsigned int cpu);
void xg_mask_set(uint8_t *map, unsigned int cpu);

#endif /* XG_MASK_H */
