/*
 * xs.h - xenstore for the binary: the struct xg_kv the platform parser
 * reads through, and the placement written back.
 *
 * Contract: xg_xs_open() opens libxenstore (-errno if it cannot); the kv's
 * read returns a malloc'd NUL-terminated string or NULL when the key is
 * absent; write returns 0 or -errno. xg_xs_write_placement() writes
 * /local/domain/<domid>/numa/{node,reason,placement,policy,nodes} (see
 * docs/xenguest.1),
 * owned by dom0 and readable by the guest, in one transaction.
 */
#ifndef XG_XS_H
#define XG_XS_H

#include <stdint.h>

#include "meminit.h"
#include "platform.h"

struct xs_handle;

struct xg_xs {
    struct xs_handle *xsh;
    struct xg_kv kv;
};

int xg_xs_open(struct xg_xs *xs);
void xg_xs_close(struct xg_xs *xs);
int xg_xs_write_placement(struct xg_xs *xs, uint32_t domid,
                          const struct meminit_stats *st);

#endif /* XG_XS_H */
