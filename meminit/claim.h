/*
 * claim.h - stake the domain's memory claim before populating, and always
 * cancel it afterwards.
 *
 * Contract:
 *  - claim_read_domain() reads the domain's tot_pages, max_pages and claim.
 *  - claim_check_room(): max_pages must leave room for what the build
 *    allocates (mi_need()), else -EINVAL, step "domain", with both figures,
 *    before anything is claimed or populated.
 *  - claim_stake(): strict and interleave first check, by free figures
 *    read now, that the policy's node set can hold what the build
 *    allocates: else -ENOMEM, step "claim", with the set's figures node by
 *    node, before anything is claimed or populated. A claim already on the
 *    domain (the toolstack's) is kept.
 *    Otherwise, best first: a claim set over the planned nodes (strict:
 *    the set's only; interleave: the shares) (only where
 *    the installed <xenctrl.h> declares one, claim_abi.h), a single-node
 *    claim when the guest fits on the preferred node, the host-wide claim.
 *    An ABI that is absent (weak symbol NULL) or answers ENOSYS, EOPNOTSUPP,
 *    EINVAL, ENOENT, ERANGE or E2BIG is skipped. A per-node ENOMEM on a node
 *    of our own choosing moves the preferred node to the next node that
 *    fits (fresh figures) and tries there; on a node the caller chose, or
 *    when none fits, the host-wide claim follows. A host-wide ENOMEM fails
 *    with the figures read after it, before any page is populated.
 *  - claim_own_outstanding(): the domain's claim now (0 or -errno).
 *  - claim_release() cancels whatever claim the domain has and reads the
 *    outstanding claim back into stats->claim_left. It is called on every
 *    return path of meminit_build(), success or not.
 */
#ifndef MEMINIT_CLAIM_H
#define MEMINIT_CLAIM_H

#include "ctx.h"

int claim_read_domain(struct mi_ctx *c);
int claim_check_room(struct mi_ctx *c);
int claim_stake(struct mi_ctx *c);
int claim_own_outstanding(struct mi_ctx *c, uint64_t *pages);
void claim_release(struct mi_ctx *c);

#endif /* MEMINIT_CLAIM_H */
