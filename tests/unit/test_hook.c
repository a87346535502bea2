/*
 * test_hook.c - meminit plugged into libxenguest as the arch meminit hook,
 * with libxenguest's own (stock) hook run against the same simulated host
 * for comparison.
 */
#include <errno.h>

#include "fixture.h"
#include "cmt.h"

struct hook_fx {
    struct fx f;
    struct xc_dom_image *dom;
};

static void dom_setup(struct hook_fx *h, const char *guest_type,
                      uint64_t mib)
{
    struct xc_dom_image *dom;
    enum meminit_guest g = strcmp(guest_type, "xen-3.0-x86_64")
                           ? MEMINIT_GUEST_HVM : MEMINIT_GUEST_PV;

    fx_host(&h->f, 2, 8, SIM_CLAIM_UPSTREAM);
    fx_domain(&h->f, g, mib);
    dom = xc_dom_allocate(h->f.req.xch, NULL, NULL);
    assert_non_null(dom);
    dom->guest_type = guest_type;
    dom->container_type = g == MEMINIT_GUEST_HVM ? XC_DOM_HVM_CONTAINER
                                                 : XC_DOM_PV_CONTAINER;
    assert_int_equal(xc_dom_set_arch_hooks(dom), 0);
    dom->guest_domid = FX_DOMID;
    dom->total_pages = h->f.req.total_pages;
    dom->claim_enabled = 1;
    if ( g == MEMINIT_GUEST_HVM )
    {
        dom->target_pages = dom->total_pages;
        dom->lowmem_end = h->f.req.hvm.lowmem_end;
        dom->highmem_end = h->f.req.hvm.highmem_end;
        dom->mmio_start = h->f.req.hvm.mmio_start;
        dom->mmio_size = h->f.req.hvm.mmio_size;
        dom->device_model = true;
        dom->vga_hole_size = 0x20;
    }
    h->dom = dom;
}

static void dom_done(struct hook_fx *h)
{
    xc_dom_release(h->dom);
    fx_done(&h->f);
}

static void test_hook_hvm(void **state)
{
    struct hook_fx h;
    struct meminit_hook hook;
    struct meminit_request tmpl = { .policy.pnode = 1, .claim = MEMINIT_CLAIM_AUTO };
    struct meminit_stats st;
    struct meminit_error err = { 0 };

    (void)state;
    dom_setup(&h, "hvm-3.0-x86_32", 5120);
    assert_int_equal(meminit_hook_install(&hook, h.dom, &tmpl, &st, &err), 0);
    assert_ptr_equal(h.dom->arch_hooks, &hook.arch);
    assert_int_equal(h.dom->arch_hooks->meminit(h.dom), 0);
    assert_int_equal(fx_info(&h.f).pages_on[1], h.f.populated);
    assert_int_equal(h.dom->p2m_size, (5120ull + 1024) << 8);
    assert_int_equal(st.node[1].extents[MEMINIT_1G], 4);
    assert_int_equal(fx_info(&h.f).outstanding, 0);
    dom_done(&h);
}

static void test_hook_pv(void **state)
{
    struct hook_fx h;
    struct meminit_hook hook;
    struct meminit_request tmpl = { .policy.pnode = 0, .claim = MEMINIT_CLAIM_AUTO };
    struct meminit_stats st;
    struct meminit_error err = { 0 };
    xen_pfn_t gfn;

    (void)state;
    dom_setup(&h, "xen-3.0-x86_64", 1024);
    assert_int_equal(meminit_hook_install(&hook, h.dom, &tmpl, &st, &err), 0);
    assert_int_equal(h.dom->arch_hooks->meminit(h.dom), 0);
    assert_int_equal(h.dom->p2m_size, 1024ull << 8);
    assert_non_null(h.dom->pv_p2m);
    for ( gfn = 0; gfn < h.dom->p2m_size; gfn++ )
        assert_int_equal(sim_mfn_node(h.dom->pv_p2m[gfn]), 0);
    assert_int_equal(fx_info(&h.f).pages_on[0], 1024ull << 8);
    assert_int_equal(fx_info(&h.f).outstanding, 0);
    dom_done(&h);
}

/* A failing build through the hook reports -errno and leaves no claim. */
static void test_hook_failure(void **state)
{
    struct hook_fx h;
    struct meminit_hook hook;
    struct meminit_request tmpl = { .policy.pnode = 0, .claim = MEMINIT_CLAIM_AUTO };
    struct meminit_stats st;
    struct meminit_error err = { 0 };

    (void)state;
    dom_setup(&h, "hvm-3.0-x86_32", 2048);
    assert_int_equal(meminit_hook_install(&hook, h.dom, &tmpl, &st, &err), 0);
    assert_int_equal(sim_fault(h.f.host, SIM_FN_POPULATE, 2, EFAULT), 0);
    assert_int_equal(h.dom->arch_hooks->meminit(h.dom), -EFAULT);
    assert_int_equal(hook.rc, -EFAULT);
    assert_string_equal(err.step, "populate");
    assert_int_equal(err.err, EFAULT);
    assert_non_null(strstr(err.msg, "Bad address"));
    assert_int_equal(fx_info(&h.f).outstanding, 0);
    dom_done(&h);
}

/* Installing without stats is refused, in the caller's record. */
static void test_hook_install_refused(void **state)
{
    struct hook_fx h;
    struct meminit_hook hook;
    struct meminit_request tmpl = { .policy.pnode = 0 };
    struct meminit_error err = { 0 };

    (void)state;
    dom_setup(&h, "hvm-3.0-x86_32", 1024);
    assert_int_equal(meminit_hook_install(&hook, h.dom, &tmpl, NULL, &err),
                     -EINVAL);
    assert_string_equal(err.step, "meminit");
    assert_string_equal(err.msg, "cannot install the meminit hook: no stats");
    assert_ptr_not_equal(h.dom->arch_hooks, &hook.arch);
    dom_done(&h);
}

/* The stock libxenguest hook runs against the simulated host too: this is
 * what the benchmark compares with. Without node flags, Xen takes the
 * domain's node affinity (all nodes) round-robin, one allocation at a
 * time: the guest is spread over both nodes. */
static void test_stock_hvm_on_sim(void **state)
{
    struct hook_fx h;
    struct sim_host_info hi;

    (void)state;
    dom_setup(&h, "hvm-3.0-x86_32", 5120);
    sim_reset_counters(h.f.host);
    assert_int_equal(h.dom->arch_hooks->meminit(h.dom), 0);
    assert_int_equal(sim_host_info(h.f.host, &hi), 0);
    assert_int_equal(hi.calls[SIM_FN_CLAIM_PAGES], 2);
    assert_true(hi.calls[SIM_FN_POPULATE] > 0);
    assert_int_equal(fx_info(&h.f).tot_pages, h.f.populated);
    assert_int_equal(fx_info(&h.f).pages_on[0] + fx_info(&h.f).pages_on[1],
                     h.f.populated);
    assert_true(fx_info(&h.f).pages_on[0] >= 2 * GiB_PAGES);
    assert_true(fx_info(&h.f).pages_on[1] >= 2 * GiB_PAGES);
    assert_int_equal(fx_info(&h.f).outstanding, 0);
    dom_done(&h);
}

int main(void)
{
    static const struct CMUnitTest extra[] = {
        cmocka_unit_test(test_hook_hvm),
        cmocka_unit_test(test_hook_pv),
        cmocka_unit_test(test_hook_failure),
        cmocka_unit_test(test_hook_install_refused),
        cmocka_unit_test(test_stock_hvm_on_sim),
    };
    struct CMUnitTest tests[CMT_SIZE(extra)];
    struct CMUnitTest *next = tests;

    CMT_TESTS(next, extra);
    return CMT_RUN("hook", tests, next);
}
