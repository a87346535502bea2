/*
 * test_nodeclaim.c - the real-Xen node-claim scenarios
 * (tests/xen/nodeclaim/scenarios/) replayed on the simulated host with its
 * single-node claim ABI (SIM_CLAIM_NODE), so that docs/nodeclaim.md can set
 * the simulator's outcomes beside the patched hypervisor's: pages per node,
 * errnos, claims left.
 *
 * The host mirrors the harness's machine: 4 nodes of 3 GiB, distances
 * 10 + 10 * |i - j|. Guests are PV, as in the real scenarios; sizes are the
 * real ones relative to a node's free memory. Each test names its scenario.
 */
#include <errno.h>
#include <stdio.h>

#include "fixture.h"

#define NODES       4
#define NODE_GIB    3
#define OTHER       9u              /* the competing / other domain */
#define SCRATCH     11u

static void nc_host(struct fx *f)
{
    unsigned int i, j;

    fx_config(f, NODES, NODE_GIB, SIM_CLAIM_NODE);
    for ( i = 0; i < NODES; i++ )
        for ( j = i + 1; j < NODES; j++ )
            fx_dist(f, i, j, 10 + 10 * (j - i));
    fx_start(f);
}

static uint64_t node_free(struct fx *f, unsigned int node)
{
    struct sim_host_info hi;

    assert_int_equal(sim_host_info(f->host, &hi), 0);
    return hi.node_free[node];
}

static struct sim_domain_info dom_info(struct fx *f, uint32_t domid)
{
    struct sim_domain_info di;

    assert_int_equal(sim_domain_info(f->host, domid, &di), 0);
    return di;
}

/* populate DOMID with nr extents of 2^order at gfn; the count done. */
static int populate(struct fx *f, uint32_t domid, xen_pfn_t gfn,
                    unsigned long nr, unsigned int order, unsigned int flags)
{
    xen_pfn_t *gfns = calloc(nr, sizeof(*gfns));
    unsigned long i;
    int rc;

    assert_non_null(gfns);
    for ( i = 0; i < nr; i++ )
        gfns[i] = gfn + (i << order);
    rc = xc_domain_populate_physmap(sim_xch(f->host), domid, nr, order,
                                    flags, gfns);
    free(gfns);
    return rc;
}

static int claim_node(struct fx *f, uint32_t domid, unsigned int node,
                      uint64_t pages)
{
    int rc = xc_domain_claim_pages_node(sim_xch(f->host), domid, node, pages);

    return rc ? -errno : 0;
}

/* The guest holds every page it has on node, none elsewhere. */
static void assert_all_on(struct fx *f, unsigned int node)
{
    struct sim_domain_info di = fx_info(f);
    unsigned int n;

    assert_int_equal(di.pages_on[node], f->populated);
    for ( n = 0; n < NODES; n++ )
        if ( n != node )
            assert_int_equal(di.pages_on[n], 0);
}

static void assert_no_claims(struct fx *f)
{
    struct sim_host_info hi;

    assert_int_equal(fx_info(f).outstanding, 0);
    assert_int_equal(f->st.claim_left, 0);
    assert_int_equal(sim_host_info(f->host, &hi), 0);
    assert_int_equal(hi.outstanding, 0);
}

/* ---- nodeclaim-basic --------------------------------------------------- */

static void basic(enum meminit_guest guest)
{
    struct fx f;

    nc_host(&f);
    fx_domain(&f, guest, 1024);
    f.req.policy.pnode = 1;
    assert_int_equal(fx_build(&f), 0);
    assert_int_equal(f.st.claim_kind, MEMINIT_CLAIMED_NODE);
    assert_int_equal(f.st.claim_pages, f.populated);
    assert_all_on(&f, 1);
    assert_no_claims(&f);
    printf("  sim basic %s: claim node %llu pages, node 1 %llu of %llu "
           "pages, left %llu\n", guest == MEMINIT_GUEST_PV ? "pv" : "hvm",
           (unsigned long long)f.st.claim_pages,
           (unsigned long long)fx_info(&f).pages_on[1],
           (unsigned long long)f.populated,
           (unsigned long long)f.st.claim_left);
    fx_done(&f);
}

static void test_basic(void **state)
{
    (void)state;
    basic(MEMINIT_GUEST_PV);
    basic(MEMINIT_GUEST_HVM);
}

/* The control: Xen 4.17's ABI (no node claim) gives the host-wide claim. */
static void test_basic_control(void **state)
{
    struct fx f;

    (void)state;
    fx_config(&f, NODES, NODE_GIB, SIM_CLAIM_UPSTREAM);
    fx_start(&f);
    fx_domain(&f, MEMINIT_GUEST_PV, 256);
    f.req.policy.pnode = 1;
    assert_int_equal(fx_build(&f), 0);
    assert_int_equal(f.st.claim_kind, MEMINIT_CLAIMED_HOST);
    assert_all_on(&f, 1);
    assert_no_claims(&f);
    fx_done(&f);
}

/* ---- nodeclaim-contention ---------------------------------------------- */

/*
 * A competitor acting once, between the guest's node claim and its first
 * populate (the call hook), where the real scenario stops xenguest
 * (libxcstop.so, XCSTOP=after-claim).
 */
struct rival {
    struct fx *f;
    unsigned int node;
    bool claimed, done;
    uint64_t held, room;        /* guest's claim, node's unclaimed pages */
    int want, got, any;
    uint64_t on_before, on_after;
};

static void rival_act(void *opaque, enum sim_fn fn)
{
    struct rival *r = opaque;
    struct sim_host_info hi;

    if ( fn == SIM_FN_CLAIM_PAGES_NODE )
        r->claimed = true;
    if ( r->done || !r->claimed || fn != SIM_FN_POPULATE )
        return;
    r->done = true;
    assert_int_equal(sim_host_info(r->f->host, &hi), 0);
    r->held = dom_info(r->f, FX_DOMID).claim_node[r->node];
    r->room = hi.node_free[r->node] - r->held;
    r->want = hi.node_free[r->node] / SIM_PAGES_2M;
    r->got = populate(r->f, OTHER, 0, r->want, 9,
                      XENMEMF_exact_node(r->node));
    r->on_before = dom_info(r->f, OTHER).pages_on[r->node];
    r->any = populate(r->f, OTHER, 0x100000, 64, 9, 0);
    r->on_after = dom_info(r->f, OTHER).pages_on[r->node];
}

static void test_contention(void **state)
{
    struct fx f;
    struct rival r = { .f = &f, .node = 2 };
    uint64_t mib;

    (void)state;
    nc_host(&f);
    mib = node_free(&f, 2) / MiB_PAGES - 256;
    assert_int_equal(sim_domain_create(f.host, OTHER, 4096 * MiB_PAGES,
                                       false), 0);
    fx_domain(&f, MEMINIT_GUEST_PV, mib);
    f.req.policy.pnode = 2;
    sim_set_call_hook(f.host, rival_act, &r);
    assert_int_equal(fx_build(&f), 0);
    assert_true(r.done);
    assert_int_equal(r.held, mib * MiB_PAGES);
    assert_true(r.got >= 0 && r.got < r.want);
    assert_int_equal((uint64_t)r.got * SIM_PAGES_2M, r.room);
    assert_int_equal(r.any, 64);
    assert_int_equal(r.on_after, r.on_before);
    assert_int_equal(f.st.claim_kind, MEMINIT_CLAIMED_NODE);
    assert_all_on(&f, 2);
    assert_no_claims(&f);
    printf("  sim contention: guest %llu MiB, claim held %llu, competitor "
           "exact %d of %d x 2 MiB (unclaimed %llu pages), node-less %d, "
           "node 2 %llu -> %llu\n", (unsigned long long)mib,
           (unsigned long long)r.held, r.got, r.want,
           (unsigned long long)r.room, r.any,
           (unsigned long long)r.on_before, (unsigned long long)r.on_after);
    fx_done(&f);
}

/* ---- nodeclaim-fallback ------------------------------------------------ */

static void log_enomem(void *opaque, enum meminit_log_level level,
                       const char *msg)
{
    bool *seen = opaque;

    (void)level;
    if ( strstr(msg, "node claim not usable") &&
         strstr(msg, strerror(ENOMEM)) )
        *seen = true;
}

/* (a) another domain's node claim leaves node 0 short: ENOMEM, host claim,
 * node 0's unclaimed part, the rest on node 1 (nearest). */
static void test_fallback_claimed(void **state)
{
    struct fx f;
    uint64_t x, room;
    bool enomem = false;

    (void)state;
    nc_host(&f);
    assert_int_equal(sim_domain_create(f.host, OTHER, 3072 * MiB_PAGES,
                                       false), 0);
    x = node_free(&f, 0) - 1024 * MiB_PAGES + 128 * MiB_PAGES;
    assert_int_equal(claim_node(&f, OTHER, 0, x), 0);
    room = node_free(&f, 0) - x;
    fx_domain(&f, MEMINIT_GUEST_PV, 1024);
    f.req.policy.pnode = 0;
    f.req.log = log_enomem;
    f.req.log_opaque = &enomem;
    assert_int_equal(fx_build(&f), 0);
    assert_true(enomem);
    assert_int_equal(f.st.claim_kind, MEMINIT_CLAIMED_HOST);
    assert_int_equal(fx_info(&f).pages_on[0], room);
    assert_int_equal(fx_info(&f).pages_on[1], f.populated - room);
    assert_true(f.st.nr_fallbacks >= 1);
    assert_int_equal(f.st.fallback[f.st.nr_fallbacks - 1].node, 0);
    assert_int_equal(f.st.fallback[f.st.nr_fallbacks - 1].next_node, 1);
    assert_int_equal(dom_info(&f, OTHER).claim_node[0], x);
    assert_int_equal(fx_info(&f).outstanding, 0);
    printf("  sim fallback (a): other claims %llu on node 0; guest node 0 "
           "%llu (unclaimed %llu), node 1 %llu\n", (unsigned long long)x,
           (unsigned long long)fx_info(&f).pages_on[0],
           (unsigned long long)room,
           (unsigned long long)fx_info(&f).pages_on[1]);
    fx_done(&f);
}

/* (b) bigger than node 0's free memory: no node claim tried, host claim,
 * spill to node 1. */
static void test_fallback_too_big(void **state)
{
    struct fx f;
    struct sim_host_info hi;

    (void)state;
    nc_host(&f);
    fx_domain(&f, MEMINIT_GUEST_PV, node_free(&f, 0) / MiB_PAGES + 256);
    f.req.policy.pnode = 0;
    assert_int_equal(fx_build(&f), 0);
    assert_int_equal(sim_host_info(f.host, &hi), 0);
    assert_int_equal(hi.calls[SIM_FN_CLAIM_PAGES_NODE], 0);
    assert_int_equal(f.st.claim_kind, MEMINIT_CLAIMED_HOST);
    assert_int_equal(fx_info(&f).pages_on[0] + fx_info(&f).pages_on[1],
                     f.populated);
    assert_int_equal(fx_info(&f).pages_on[1], 256 * MiB_PAGES);
    assert_no_claims(&f);
    fx_done(&f);
}

/* ---- nodeclaim-existing ------------------------------------------------ */

/* A node claim and allocations: elsewhere no change, on its node one for
 * one, 0 cancels. */
static void test_existing_consumption(void **state)
{
    struct fx f;

    (void)state;
    nc_host(&f);
    assert_int_equal(sim_domain_create(f.host, SCRATCH, 512 * MiB_PAGES,
                                       false), 0);
    assert_int_equal(claim_node(&f, SCRATCH, 2, 65536), 0);
    assert_int_equal(populate(&f, SCRATCH, 0, 64, 9, XENMEMF_exact_node(1)),
                     64);
    assert_int_equal(dom_info(&f, SCRATCH).outstanding, 65536);
    assert_int_equal(populate(&f, SCRATCH, 0x10000, 32, 9,
                              XENMEMF_exact_node(2)), 32);
    assert_int_equal(dom_info(&f, SCRATCH).claim_node[2], 49152);
    assert_int_equal(claim_node(&f, SCRATCH, 2, 0), 0);
    assert_int_equal(dom_info(&f, SCRATCH).outstanding, 0);
    fx_done(&f);
}

/*
 * xenopsd stakes more than the builder populates (its build_claim_pages):
 * after the populate, before xenguest's cancel (where the real scenario
 * stops xenguest: XCSTOP=before-cancel), the claim has shrunk by exactly
 * the guest's pages on the node.
 */
struct before_cancel {
    struct fx *f;
    bool seen;
    uint64_t claim, on;
};

static void look_before_cancel(void *opaque, enum sim_fn fn)
{
    struct before_cancel *b = opaque;
    struct sim_domain_info di;

    if ( b->seen || fn != SIM_FN_CLAIM_PAGES )
        return;
    di = dom_info(b->f, FX_DOMID);
    b->seen = true;
    b->claim = di.claim_node[2];
    b->on = di.pages_on[2];
}

static void test_existing_build(void **state)
{
    struct fx f;
    struct before_cancel b = { .f = &f };
    uint64_t staked = 1088 * MiB_PAGES;

    (void)state;
    nc_host(&f);
    fx_domain(&f, MEMINIT_GUEST_PV, 1024);
    assert_int_equal(xc_domain_setmaxmem(sim_xch(f.host), FX_DOMID,
                                         1088 << 10), 0);
    assert_int_equal(claim_node(&f, FX_DOMID, 2, staked), 0);
    f.req.policy.pnode = 2;
    sim_set_call_hook(f.host, look_before_cancel, &b);
    assert_int_equal(fx_build(&f), 0);
    assert_int_equal(f.st.claim_kind, MEMINIT_CLAIMED_EXISTING);
    assert_int_equal(f.st.claim_pages, staked);
    assert_true(b.seen);
    assert_int_equal(b.on, f.populated);
    assert_int_equal(b.claim + b.on, staked);
    assert_all_on(&f, 2);
    assert_no_claims(&f);
    fx_done(&f);
}

/* ---- nodeclaim-bad-node ------------------------------------------------ */

static void test_bad_node(void **state)
{
    struct fx f;
    uint64_t big, avail;
    struct sim_host_info hi;

    (void)state;
    nc_host(&f);
    assert_int_equal(sim_domain_create(f.host, SCRATCH, 2048 * MiB_PAGES,
                                       false), 0);
    assert_int_equal(sim_domain_create(f.host, OTHER, 64 * GiB_PAGES,
                                       false), 0);
    assert_int_equal(claim_node(&f, SCRATCH, 255, 65536), -ERANGE);
    assert_int_equal(claim_node(&f, SCRATCH, 300, 65536), -ERANGE);
    assert_int_equal(claim_node(&f, SCRATCH, NODES, 65536), -ENOENT);
    assert_int_equal(claim_node(&f, SCRATCH, 63, 65536), -ENOENT);
    assert_int_equal(claim_node(&f, SCRATCH, 254, 65536), -ENOENT);
    big = node_free(&f, 1) + 256 * MiB_PAGES;
    assert_int_equal(claim_node(&f, OTHER, 1, big), -ENOMEM);
    assert_int_equal(claim_node(&f, OTHER, XC_CLAIM_NODE_GLOBAL, big), 0);
    assert_int_equal(claim_node(&f, OTHER, XC_CLAIM_NODE_GLOBAL, 0), 0);
    assert_int_equal(claim_node(&f, SCRATCH, 1, 65536), 0);
    assert_int_equal(claim_node(&f, SCRATCH, 2, 65536), -EINVAL);
    assert_int_equal(claim_node(&f, SCRATCH, XC_CLAIM_NODE_GLOBAL, 65536),
                     -EINVAL);
    assert_int_equal(sim_host_info(f.host, &hi), 0);
    avail = hi.free_pages - hi.outstanding;
    assert_int_equal(claim_node(&f, OTHER, XC_CLAIM_NODE_GLOBAL,
                                avail + 256), -ENOMEM);
    assert_int_equal(claim_node(&f, OTHER, XC_CLAIM_NODE_GLOBAL,
                                avail - 256), 0);
    assert_int_equal(claim_node(&f, OTHER, XC_CLAIM_NODE_GLOBAL, 0), 0);
    assert_int_equal(claim_node(&f, SCRATCH, 1, 0), 0);
    assert_int_equal(sim_host_info(f.host, &hi), 0);
    assert_int_equal(hi.outstanding, 0);
    fx_done(&f);
}

/* A memoryless node: ENOENT, as on Xen (not online / no heap). */
static void test_bad_node_memoryless(void **state)
{
    struct fx f;

    (void)state;
    fx_config(&f, 2, 1, SIM_CLAIM_NODE);
    f.cfg.node[1] = (struct sim_node_config){ 0 };
    fx_start(&f);
    assert_int_equal(sim_domain_create(f.host, SCRATCH, 1024, false), 0);
    assert_int_equal(claim_node(&f, SCRATCH, 1, 512), -ENOENT);
    assert_int_equal(claim_node(&f, SCRATCH, 0, 512), 0);
    /* Claiming 0 cancels, whatever node it names (as the fixture's Xen). */
    assert_int_equal(claim_node(&f, SCRATCH, 7, 0), 0);
    assert_int_equal(dom_info(&f, SCRATCH).outstanding, 0);
    fx_done(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_basic_control),
        cmocka_unit_test(test_contention),
        cmocka_unit_test(test_fallback_claimed),
        cmocka_unit_test(test_fallback_too_big),
        cmocka_unit_test(test_existing_consumption),
        cmocka_unit_test(test_existing_build),
        cmocka_unit_test(test_bad_node),
        cmocka_unit_test(test_bad_node_memoryless),
    };

    return cmocka_run_group_tests_name("nodeclaim (sim)", tests, NULL, NULL);
}
