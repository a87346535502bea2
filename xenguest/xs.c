/*
 * xs.c - libxenstore adapter.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <xenstore.h>

#include "report.h"
#include "xs.h"

static char *xs_kv_read(void *opaque, const char *path)
{
    struct xg_xs *xs = opaque;
    unsigned int len;

    return xs_read(xs->xsh, XBT_NULL, path, &len);
}

static int xs_kv_write(void *opaque, const char *path, const char *value)
{
    struct xg_xs *xs = opaque;

    if ( !xs_write(xs->xsh, XBT_NULL, path, value, strlen(value)) )
        return -(errno ? errno : EIO);
    return 0;
}

int xg_xs_open(struct xg_xs *xs)
{
    xs->xsh = xs_open(0);
    if ( !xs->xsh )
        return -(errno ? errno : EIO);
    xs->kv = (struct xg_kv){ xs_kv_read, xs_kv_write, xs };
    return 0;
}

void xg_xs_close(struct xg_xs *xs)
{
    if ( xs->xsh )
        xs_close(xs->xsh);
    xs->xsh = NULL;
}

static bool put(struct xg_xs *xs, xs_transaction_t t, uint32_t domid,
                const char *key, const char *value)
{
    struct xs_permissions perms[2] = {
        { .id = 0, .perms = XS_PERM_NONE },         /* owner: dom0 */
        { .id = domid, .perms = XS_PERM_READ },     /* the guest reads */
    };
    char path[96];

    snprintf(path, sizeof(path), "/local/domain/%u/numa/%s", domid, key);
    return xs_write(xs->xsh, t, path, value, strlen(value)) &&
           xs_set_permissions(xs->xsh, t, path, perms, 2);
}

int xg_xs_write_placement(struct xg_xs *xs, uint32_t domid,
                          const struct meminit_stats *st)
{
    char node[16], nodes[MEMINIT_MAX_NODES * 24], set[MEMINIT_NODESET_MAX];
    xs_transaction_t t;
    bool ok;

    snprintf(node, sizeof(node), "%d",
             st->pnode == MEMINIT_NO_NODE ? -1 : (int)st->pnode);
    xg_report_nodes(nodes, sizeof(nodes), st);
    meminit_nodeset_format(set, sizeof(set), st->policy_nodes);
    for ( ;; )
    {
        t = xs_transaction_start(xs->xsh);
        if ( t == XBT_NULL )
            return -(errno ? errno : EIO);
        ok = put(xs, t, domid, "node", node) &&
             put(xs, t, domid, "reason",
                 meminit_pnode_reason_name(st->pnode_reason)) &&
             put(xs, t, domid, "placement", nodes) &&
             put(xs, t, domid, "policy", meminit_policy_name(st->policy)) &&
             put(xs, t, domid, "nodes", set);
        if ( !ok )
        {
            int err = errno ? errno : EIO;

            xs_transaction_end(xs->xsh, t, true);
            return -err;
        }
        if ( xs_transaction_end(xs->xsh, t, false) )
            return 0;
        if ( errno != EAGAIN )
            return -(errno ? errno : EIO);
    }
}
