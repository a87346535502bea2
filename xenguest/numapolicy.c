/*
 * numapolicy.c - flag over key over default, for the NUMA memory policy.
 *
 * xenopsd copies a VM's platform map into /local/domain/N/platform/, so
 * `xe vm-param-set platform:numa-memory=strict` reaches the builder with no
 * toolstack change; a person at a shell passes flags, which win.
 */
#include <errno.h>

#include "numapolicy.h"

static enum meminit_policy_mode mode_of(const struct xg_options *o,
                                        const struct xg_platform *p)
{
    if ( xg_options_given(o, XG_OPT_NUMA_MEMORY) ||
         xg_options_given(o, XG_OPT_NUMA_PLACEMENT) )
        return o->numa_memory;
    if ( p->numa_memory != XG_ABSENT )
        return (enum meminit_policy_mode)p->numa_memory;
    return MEMINIT_POLICY_PREFERRED;
}

int xg_numa_policy(const struct xg_options *o, const struct xg_platform *p,
                   struct meminit_policy *out, struct meminit_error *err)
{
    char text[MEMINIT_NODESET_MAX];

    out->mode = mode_of(o, p);
    out->nodes = o->numa_nodes ? o->numa_nodes : p->numa_nodes;
    out->pnode = o->pnode;
    if ( out->mode == MEMINIT_POLICY_OFF )
    {
        out->nodes = 0;
        out->pnode = MEMINIT_NO_NODE;
        return 0;
    }
    if ( out->pnode == MEMINIT_NO_NODE || !out->nodes ||
         (out->nodes & (1ull << out->pnode)) )
        return 0;
    meminit_nodeset_format(text, sizeof(text), out->nodes);
    return meminit_error_set(err, "platform", EINVAL, "platform/numa-nodes: "
                             "\"%s\" does not contain -mem_pnode %u (policy "
                             "%s)", text, out->pnode,
                             meminit_policy_name(out->mode));
}
