/*
 * test_layout.c - guest frame ranges (pure: no hypervisor involved).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cmt.h"

#include "layout.h"

#define MiB(x)  ((uint64_t)(x) << 20)
#define GiB(x)  ((uint64_t)(x) << 30)

struct layout_case {
    const char *name;
    struct meminit_request req;
    int rc;
    unsigned int nr;
    struct mi_range r[4];
    uint64_t pages;
    const char *err;
};

#define HVM(total_mib, low, high, mstart, msize, dm) \
    { .guest = MEMINIT_GUEST_HVM, .total_pages = (total_mib) << 8, \
      .hvm = { low, high, mstart, msize, dm } }
#define R(s, e, o) { s, e, MEMINIT_NO_NODE, o }

static struct layout_case cases[] = {
    { "pv: one range, 2 MiB pages at most",
      { .guest = MEMINIT_GUEST_PV, .total_pages = 1000 },
      0, 1, { R(0, 1000, 9) }, 1000, NULL },
    { "hvm with device model: VGA hole cut",
      HVM(2048ull, GiB(2), 0, GiB(3), GiB(1), true),
      0, 2, { R(0, 0xa0, 18), R(0xc0, 0x80000, 18) }, 0x80000 - 0x20, NULL },
    { "hvm without device model (PVH): no VGA hole",
      HVM(2048ull, GiB(2), 0, GiB(3), GiB(1), false),
      0, 1, { R(0, 0x80000, 18) }, 0x80000, NULL },
    { "hvm with high memory above 4 GiB",
      HVM(6144ull, GiB(3), GiB(7), GiB(3), GiB(1), true),
      0, 3, { R(0, 0xa0, 18), R(0xc0, 0xc0000, 18),
              R(0x100000, 0x1c0000, 18) }, 0x180000 - 0x20, NULL },
    { "hvm with MMIO hole inside low memory: cut",
      HVM(2048ull, GiB(2), 0, GiB(1), MiB(512), false),
      0, 2, { R(0, 0x40000, 18), R(0x60000, 0x80000, 18) }, 0x60000, NULL },
    { "hvm: ranges do not add up",
      HVM(4096ull, GiB(2), 0, GiB(3), GiB(1), true),
      -EINVAL, 0, { { 0 } }, 0,
      "memory ranges cover 524288 pages, the guest has 1048576" },
    { "hvm: lowmem above 4 GiB",
      HVM(8192ull, GiB(5), 0, GiB(3), GiB(1), true),
      -EINVAL, 0, { { 0 } }, 0, NULL },
    { "hvm: MMIO hole at 0 refused (found by fuzzing)",
      HVM(3072ull, GiB(3), 0, 0, GiB(4), false),
      -EINVAL, 0, { { 0 } }, 0,
      "HVM layout: MMIO hole 0+0x100000000 is not between 1 MiB and 4 GiB" },
    { "no memory",
      { .guest = MEMINIT_GUEST_PV, .total_pages = 0 },
      -EINVAL, 0, { { 0 } }, 0, "the guest has no memory" },
    { "pod target above total",
      { .guest = MEMINIT_GUEST_HVM, .total_pages = 1024, .target_pages = 2048,
        .hvm = { 1024 << 12, 0, GiB(3), GiB(1), false } },
      -EINVAL, 0, { { 0 } }, 0,
      "target of 2048 pages is outside (0, 1024]" },
    { "pod for pv refused",
      { .guest = MEMINIT_GUEST_PV, .total_pages = 1024, .target_pages = 512 },
      -EINVAL, 0, { { 0 } }, 0,
      "populate-on-demand needs an HVM guest without vNUMA" },
};

static void test_case(void **state)
{
    const struct layout_case *lc = *state;
    struct mi_layout l;
    struct meminit_error err = { 0 };
    unsigned int i;

    assert_int_equal(layout_build(&lc->req, &l, &err), lc->rc);
    if ( lc->err )
    {
        assert_string_equal(err.step, "layout");
        assert_int_equal(err.err, -lc->rc);
        assert_string_equal(err.msg, lc->err);
    }
    if ( lc->rc )
        return;
    assert_null(err.step);
    assert_int_equal(l.nr, lc->nr);
    assert_int_equal(l.pages, lc->pages);
    for ( i = 0; i < lc->nr; i++ )
    {
        assert_int_equal(l.r[i].start, lc->r[i].start);
        assert_int_equal(l.r[i].end, lc->r[i].end);
        assert_int_equal(l.r[i].max_order, lc->r[i].max_order);
    }
}

/* Overlapping vNUMA ranges and out-of-range vnodes are refused. */
static void test_vnuma_checks(void **state)
{
    static const xen_vmemrange_t overlap[] = {
        { 0, GiB(1), 0, 0 }, { MiB(512), GiB(2), 0, 0 },
    };
    static const xen_vmemrange_t badnid[] = { { 0, GiB(1), 0, 3 } };
    static const unsigned int v2p[] = { 0 };
    struct meminit_request req = { .guest = MEMINIT_GUEST_PV,
                                   .total_pages = 1ull << 18 };
    struct mi_layout l;
    struct meminit_error err = { 0 };

    (void)state;
    req.vnuma = (struct meminit_vnuma){ 2, overlap, 1, v2p };
    assert_int_equal(layout_build(&req, &l, &err), -EINVAL);
    assert_string_equal(err.msg, "vNUMA ranges 0 and 1 overlap");
    meminit_error_clear(&err);
    req.vnuma = (struct meminit_vnuma){ 1, badnid, 1, v2p };
    assert_int_equal(layout_build(&req, &l, &err), -EINVAL);
    assert_string_equal(err.msg, "vNUMA range 0: vnode 3 of 1");
    /* The first failure wins: a second one leaves the record alone. */
    req.vnuma = (struct meminit_vnuma){ 2, overlap, 1, v2p };
    assert_int_equal(layout_build(&req, &l, &err), -EINVAL);
    assert_string_equal(err.msg, "vNUMA range 0: vnode 3 of 1");
}

int main(void)
{
    static const struct CMUnitTest extra[] = {
        cmocka_unit_test(test_vnuma_checks),
    };
    struct CMUnitTest tests[CMT_SIZE(cases) + CMT_SIZE(extra)];
    struct CMUnitTest *next = tests;

    CMT_CASES(next, cases, test_case);
    CMT_TESTS(next, extra);
    return CMT_RUN("layout", tests, next);
}
