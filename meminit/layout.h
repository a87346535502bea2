/*
 * layout.h - which guest frames to populate, as ranges. Pure: no hypercalls.
 *
 * Contract: layout_build() turns a request into ranges of frames that never
 * cover a hole (VGA hole with a device model, MMIO hole), so no superpage can
 * cross one. PV: the caller's vmemranges or [0, total_pages). HVM: the
 * caller's vmemranges or [0, lowmem_end) and [4 GiB, highmem_end). As in
 * libxenguest, the ranges must add up to total_pages (holes inside a range
 * are part of total_pages but are not populated). Returns 0 or -EINVAL,
 * recorded in *err (step "layout"; err may be NULL).
 */
#ifndef MEMINIT_LAYOUT_H
#define MEMINIT_LAYOUT_H

#include "ctx.h"

#define MI_VGA_START    0xa0
#define MI_VGA_END      0xc0

int layout_build(const struct meminit_request *req, struct mi_layout *l,
                 struct meminit_error *err);

#endif /* MEMINIT_LAYOUT_H */
