/*
 * claim.h - stake the domain's memory claim before populating, and always
 * cancel it afterwards.
 *
 * Contract:
 *  - claim_stake(): a claim already on the domain (the toolstack's) is kept.
 *    Otherwise, best first: a claim set over the planned nodes, a
 *    single-node claim when the guest fits on the preferred node, the
 *    host-wide claim. An ABI that is absent (weak symbol NULL) or answers
 *    ENOSYS/EOPNOTSUPP/EINVAL is skipped; a per-node ENOMEM falls back to the
 *    host-wide claim; a host-wide ENOMEM fails with the figures, before any
 *    page is populated.
 *  - claim_release() cancels whatever claim the domain has and reads the
 *    outstanding claim back into stats->claim_left. It is called on every
 *    return path of meminit_build(), success or not.
 */
#ifndef MEMINIT_CLAIM_H
#define MEMINIT_CLAIM_H

#include "ctx.h"

int claim_read_domain(struct mi_ctx *c);
int claim_stake(struct mi_ctx *c);
void claim_release(struct mi_ctx *c);

#endif /* MEMINIT_CLAIM_H */
