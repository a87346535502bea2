/*
 * numapolicy.h - the per-VM NUMA memory policy from the command line and
 * the xenstore platform keys, into meminit's struct meminit_policy.
 *
 * Contract: xg_numa_policy() decides each part of the policy, an explicit
 * flag over the key over the default:
 *  - mode: --numa-memory (or --numa-placement: on is preferred, off is
 *    off), else platform/numa-memory, else preferred;
 *  - node set: --numa-nodes, else platform/numa-nodes, else every node;
 *  - preferred node: -mem_pnode (xenopsd's choice), else none.
 * off ignores the node set and -mem_pnode (upstream names no node: the key
 * is the escape hatch, whatever xenopsd passes). For the other modes a
 * -mem_pnode outside the key's node set is -EINVAL, step "platform", the
 * key and its value named (outside --numa-nodes, options.c refuses it).
 * The platform keys must have been read (xg_platform_read()), which
 * happens before anything is claimed or populated. Nothing is printed.
 */
#ifndef XG_NUMAPOLICY_H
#define XG_NUMAPOLICY_H

#include "meminit.h"
#include "options.h"
#include "platform.h"

int xg_numa_policy(const struct xg_options *o, const struct xg_platform *p,
                   struct meminit_policy *out, struct meminit_error *err);

#endif /* XG_NUMAPOLICY_H */
