/*
 * test_meminit.c - meminit_build() on the simulated host: where the pages
 * land, in which sizes, which claim was used, and that no claim is left.
 */
#include <errno.h>
#include <stdio.h>

#include "fixture.h"
#include "cmt.h"

/* Every build must leave the domain without a claim, as the stats say. */
static void assert_no_claim(struct fx *f)
{
    struct sim_domain_info di = fx_info(f);
    struct sim_host_info hi;

    assert_int_equal(di.outstanding, 0);
    assert_int_equal(f->st.claim_left, 0);
    assert_int_equal(sim_host_info(f->host, &hi), 0);
    assert_int_equal(hi.outstanding, 0);
}

/* The domain holds exactly what the stats say, node by node. */
static void assert_stats_match(struct fx *f)
{
    struct sim_domain_info di = fx_info(f);
    unsigned int n;

    for ( n = 0; n < f->cfg.nr_nodes; n++ )
    {
        assert_int_equal(di.pages_on[n], meminit_node_pages(&f->st.node[n]));
        assert_int_equal(di.extents[n][2], f->st.node[n].extents[MEMINIT_1G]);
        assert_int_equal(di.extents[n][1], f->st.node[n].extents[MEMINIT_2M]);
    }
}

/* ---- placement outcomes, table-driven ---- */

struct place_case {
    const char *name;
    enum meminit_guest guest;
    uint64_t mib;
    unsigned int pnode;
    uint64_t want_1g;           /* 1 GiB extents on the preferred node */
    uint64_t want_2m;
};

static struct place_case place_cases[] = {
    /* [0xc0, 2M) as 4K, [2M, 1G) as 2M, [1G, 3G) and [4G, 9G) as 1G. */
    { "hvm 8 GiB on node 2", MEMINIT_GUEST_HVM, 8192, 2, 7, 511 },
    { "hvm 8 GiB on node 0", MEMINIT_GUEST_HVM, 8192, 0, 7, 511 },
    { "hvm 2 GiB on node 3", MEMINIT_GUEST_HVM, 2048, 3, 1, 511 },
    /* PV never gets 1 GiB pages: 4 GiB is 2048 x 2 MiB. */
    { "pv 4 GiB on node 1", MEMINIT_GUEST_PV, 4096, 1, 0, 2048 },
    { "pv 1 GiB + 1 MiB on node 0", MEMINIT_GUEST_PV, 1025, 0, 0, 512 },
};

static void test_fits_on_preferred(void **state)
{
    const struct place_case *pc = *state;
    struct fx f;
    unsigned int n;

    fx_host(&f, 4, 16, SIM_CLAIM_UPSTREAM);
    fx_domain(&f, pc->guest, pc->mib);
    f.req.policy.pnode = pc->pnode;
    assert_int_equal(fx_build(&f), 0);
    for ( n = 0; n < 4; n++ )
        assert_int_equal(fx_info(&f).pages_on[n],
                         n == pc->pnode ? f.populated : 0);
    assert_int_equal(f.st.node[pc->pnode].extents[MEMINIT_1G], pc->want_1g);
    assert_int_equal(f.st.node[pc->pnode].extents[MEMINIT_2M], pc->want_2m);
    assert_int_equal(f.st.pnode, pc->pnode);
    assert_int_equal(f.st.pnode_reason, MEMINIT_PNODE_GIVEN);
    assert_int_equal(f.st.nr_fallbacks, 0);
    assert_int_equal(f.st.claim_kind, MEMINIT_CLAIMED_HOST);
    assert_stats_match(&f);
    assert_no_claim(&f);
    fx_done(&f);
}

/* PV: every p2m entry holds an mfn of the preferred node, contiguous
 * within each 2 MiB extent. */
static void test_pv_p2m(void **state)
{
    struct fx f;
    xen_pfn_t pfn;

    (void)state;
    fx_host(&f, 2, 8, SIM_CLAIM_UPSTREAM);
    fx_domain(&f, MEMINIT_GUEST_PV, 1031);
    f.req.policy.pnode = 1;
    assert_int_equal(meminit_p2m_size(&f.req), f.req.total_pages);
    assert_int_equal(fx_build(&f), 0);
    for ( pfn = 0; pfn < f.req.total_pages; pfn++ )
    {
        assert_int_equal(sim_mfn_node(f.p2m[pfn]), 1);
        if ( (pfn & 511) && pfn < (1031ull * 256 & ~511ull) )
            assert_int_equal(f.p2m[pfn], f.p2m[pfn - 1] + 1);
    }
    assert_int_equal(f.st.node[1].extents[MEMINIT_2M], 515);
    assert_int_equal(f.st.node[1].extents[MEMINIT_4K], 256);
    fx_done(&f);
}

/*
 * Node 0 has 4 GiB; the guest needs 6. Node 2 is nearest to node 0
 * (distance 20), node 3 next (30), node 1 farthest (40): the overflow must
 * go to node 2, not to node 1, which Xen's numeric fallback would pick.
 */
static void test_spill_by_distance(void **state)
{
    struct fx f;
    const struct meminit_fallback *fb;

    (void)state;
    fx_config(&f, 4, 16, SIM_CLAIM_UPSTREAM);
    sim_config_fragment(&f.cfg, 0, 4, 0);
    f.cfg.node[0].free_4k = 0;
    fx_dist(&f, 0, 1, 40);
    fx_dist(&f, 0, 2, 20);
    fx_dist(&f, 0, 3, 30);
    fx_start(&f);
    fx_domain(&f, MEMINIT_GUEST_HVM, 6144);
    f.req.policy.pnode = 0;
    assert_int_equal(fx_build(&f), 0);
    assert_true(fx_info(&f).pages_on[0] > 4 * GiB_PAGES - 512);
    assert_int_equal(fx_info(&f).pages_on[2],
                     f.populated - fx_info(&f).pages_on[0]);
    /* The overflow kept its alignment: no 4 KiB page on node 2. */
    assert_int_equal(f.st.node[2].extents[MEMINIT_4K], 0);
    assert_int_equal(fx_info(&f).pages_on[1], 0);
    assert_int_equal(fx_info(&f).pages_on[3], 0);
    assert_true(f.st.nr_fallbacks >= 1);
    fb = &f.st.fallback[f.st.nr_fallbacks - 1];
    assert_int_equal(fb->node, 0);
    assert_int_equal(fb->next_node, 2);
    assert_int_equal(fb->cause, MEMINIT_CAUSE_EXHAUSTED);
    assert_stats_match(&f);
    assert_no_claim(&f);
    fx_done(&f);
}

/* A node without 1 GiB blocks: 2 MiB pages on the same node, and the node
 * is asked for 1 GiB only once. */
static void test_fragmented_steps_down(void **state)
{
    struct fx f;
    unsigned int i, asked_1g = 0;

    (void)state;
    fx_config(&f, 2, 16, SIM_CLAIM_UPSTREAM);
    sim_config_fragment(&f.cfg, 0, 0, 8192);
    fx_start(&f);
    fx_domain(&f, MEMINIT_GUEST_HVM, 8192);
    f.req.policy.pnode = 0;
    assert_int_equal(fx_build(&f), 0);
    assert_int_equal(fx_info(&f).pages_on[0], f.populated);
    assert_int_equal(f.st.node[0].extents[MEMINIT_1G], 0);
    assert_int_equal(f.st.node[0].extents[MEMINIT_2M], 4096 - 1);
    for ( i = 0; i < f.st.nr_fallbacks; i++ )
    {
        assert_int_equal(f.st.fallback[i].cause, MEMINIT_CAUSE_NO_BLOCK);
        assert_int_equal(f.st.fallback[i].next_node, 0);
        asked_1g += f.st.fallback[i].order == 18;
    }
    assert_int_equal(asked_1g, 1);
    assert_no_claim(&f);
    fx_done(&f);
}

/* Not enough memory on the host: fail at the claim, nothing populated. */
static void test_not_enough_memory(void **state)
{
    struct fx f;

    (void)state;
    fx_host(&f, 2, 4, SIM_CLAIM_UPSTREAM);
    fx_domain(&f, MEMINIT_GUEST_HVM, 16384);
    assert_int_equal(fx_build(&f), -ENOMEM);
    assert_string_equal(f.err.step, "claim");
    assert_non_null(strstr(f.err.msg, "need 16383 MiB, host has 8192 MiB "
                                       "free of which 0 MiB are claimed"));
    assert_int_equal(fx_info(&f).tot_pages, 0);
    assert_int_equal(f.st.populate_calls, 0);
    assert_no_claim(&f);
    fx_done(&f);
}

/* ---- claim ABIs, table-driven ---- */

struct claim_case {
    const char *name;
    enum sim_claim_abi abi;
    uint64_t mib;               /* 12 GiB does not fit one 8 GiB node */
    enum meminit_claim_kind want;
};

static struct claim_case claim_cases[] = {
    { "upstream 4.17: host-wide", SIM_CLAIM_UPSTREAM, 4096,
      MEMINIT_CLAIMED_HOST },
    { "single-node ABI, fits", SIM_CLAIM_NODE, 4096, MEMINIT_CLAIMED_NODE },
    { "single-node ABI, spills: host-wide", SIM_CLAIM_NODE, 12288,
      MEMINIT_CLAIMED_HOST },
    { "claim sets, fits", SIM_CLAIM_SET, 4096, MEMINIT_CLAIMED_SET },
    { "claim sets, spills", SIM_CLAIM_SET, 12288, MEMINIT_CLAIMED_SET },
    { "claims unimplemented (ENOSYS swallowed)", SIM_CLAIM_NONE, 4096,
      MEMINIT_CLAIMED_HOST },
};

static void test_claim_abi(void **state)
{
    const struct claim_case *cc = *state;
    struct fx f;
    uint64_t total = 0;
    unsigned int n;

    fx_host(&f, 2, 8, cc->abi);
    fx_domain(&f, MEMINIT_GUEST_HVM, cc->mib);
    f.req.policy.pnode = 1;
    assert_int_equal(fx_build(&f), 0);
    assert_int_equal(f.st.claim_kind, cc->want);
    assert_int_equal(f.st.claim_pages, f.populated);
    for ( n = 0; n < 2; n++ )
        total += fx_info(&f).pages_on[n];
    assert_int_equal(total, f.populated);
    /* All of node 1 but, when spilling, less than 2 MiB left there so the
     * rest stays 2 MiB-aligned. */
    if ( f.populated < 8 * GiB_PAGES )
        assert_int_equal(fx_info(&f).pages_on[1], f.populated);
    else
        assert_true(fx_info(&f).pages_on[1] > 8 * GiB_PAGES - 512);
    assert_no_claim(&f);
    fx_done(&f);
}

/* A node claim protects the node: another domain cannot take its memory
 * between our claim and our populate (checked by the simulator's rules). */
static void test_claim_host_only_mode(void **state)
{
    struct fx f;

    (void)state;
    fx_host(&f, 2, 8, SIM_CLAIM_SET);
    fx_domain(&f, MEMINIT_GUEST_HVM, 4096);
    f.req.claim = MEMINIT_CLAIM_HOST;
    assert_int_equal(fx_build(&f), 0);
    assert_int_equal(f.st.claim_kind, MEMINIT_CLAIMED_HOST);
    assert_no_claim(&f);
    fx_done(&f);
}

/* The toolstack staked a claim before exec'ing us: keep it, use it, and
 * leave nothing behind. */
static void test_existing_claim(void **state)
{
    struct fx f;

    (void)state;
    fx_host(&f, 2, 8, SIM_CLAIM_UPSTREAM);
    fx_domain(&f, MEMINIT_GUEST_HVM, 4096);
    assert_int_equal(xc_domain_claim_pages(f.req.xch, FX_DOMID,
                                           f.populated), 0);
    f.req.policy.pnode = 0;
    assert_int_equal(fx_build(&f), 0);
    assert_int_equal(f.st.claim_kind, MEMINIT_CLAIMED_EXISTING);
    assert_int_equal(f.st.claim_pages, f.populated);
    assert_int_equal(fx_info(&f).pages_on[0], f.populated);
    assert_no_claim(&f);
    fx_done(&f);
}

/* ---- holes ---- */

struct seen {
    uint8_t *map;               /* one byte per frame: times populated */
    uint64_t frames;
};

static void observe(void *opaque, uint32_t domid, const xen_pfn_t *gfns,
                    unsigned long nr, unsigned int order, unsigned int node,
                    bool pod)
{
    struct seen *s = opaque;
    unsigned long i;
    uint64_t j;

    (void)domid;
    (void)node;
    (void)pod;
    for ( i = 0; i < nr; i++ )
        for ( j = 0; j < (1ull << order); j++ )
        {
            assert_true(gfns[i] + j < s->frames);
            s->map[gfns[i] + j]++;
        }
}

static void test_holes_never_populated(void **state)
{
    struct fx f;
    struct seen s;
    xen_pfn_t pfn, mmio = FX_LOWMEM >> 12, high = 1ull << 20;

    (void)state;
    fx_host(&f, 2, 8, SIM_CLAIM_UPSTREAM);
    fx_domain(&f, MEMINIT_GUEST_HVM, 5120);
    s.frames = f.req.hvm.highmem_end >> 12;
    s.map = calloc(s.frames, 1);
    assert_non_null(s.map);
    sim_set_observer(f.host, observe, &s);
    assert_int_equal(fx_build(&f), 0);
    for ( pfn = 0; pfn < s.frames; pfn++ )
    {
        bool hole = (pfn >= 0xa0 && pfn < 0xc0) || (pfn >= mmio && pfn < high);

        assert_int_equal(s.map[pfn], hole ? 0 : 1);
    }
    free(s.map);
    fx_done(&f);
}

/* An MMIO hole that is not 1 GiB aligned: no superpage may cross it. */
static void test_unaligned_mmio_hole(void **state)
{
    struct fx f;
    struct seen s;
    xen_pfn_t pfn, mmio = 0xb0000, high = 1ull << 20;

    (void)state;
    fx_host(&f, 1, 8, SIM_CLAIM_UPSTREAM);
    fx_domain(&f, MEMINIT_GUEST_HVM, 4096);
    f.req.hvm.mmio_start = (uint64_t)mmio << 12;
    f.req.hvm.mmio_size = (4ull << 30) - f.req.hvm.mmio_start;
    f.req.hvm.lowmem_end = f.req.hvm.mmio_start;
    f.req.hvm.highmem_end = (4ull << 30) + (4096ull << 20) -
                            f.req.hvm.lowmem_end;
    s.frames = f.req.hvm.highmem_end >> 12;
    s.map = calloc(s.frames, 1);
    assert_non_null(s.map);
    sim_set_observer(f.host, observe, &s);
    assert_int_equal(fx_build(&f), 0);
    for ( pfn = mmio; pfn < high; pfn++ )
        assert_int_equal(s.map[pfn], 0);
    assert_int_equal(s.map[mmio - 1], 1);
    assert_int_equal(fx_info(&f).pages_on[0], f.populated);
    free(s.map);
    fx_done(&f);
}

/* ---- populate-on-demand ---- */

static void test_pod(void **state)
{
    struct fx f;
    struct sim_domain_info di;

    (void)state;
    fx_host(&f, 2, 8, SIM_CLAIM_SET);
    fx_domain(&f, MEMINIT_GUEST_HVM, 4096);
    f.req.target_pages = 2048 * MiB_PAGES;
    f.req.policy.pnode = 1;
    assert_int_equal(fx_build(&f), 0);
    di = fx_info(&f);
    assert_int_equal(f.st.pnode, 1);
    assert_int_equal(f.st.pnode_reason, MEMINIT_PNODE_GIVEN);
    /* The claim covers the target, staked on node 1 before the PoD cache
     * was filled there; every frame became a PoD entry. */
    assert_int_equal(f.st.claim_kind, MEMINIT_CLAIMED_SET);
    assert_int_equal(f.st.claim_pages, 2048 * MiB_PAGES - 0x20);
    assert_int_equal(di.tot_pages, 2048 * MiB_PAGES - 0x20);
    assert_int_equal(di.pages_on[1], 2048 * MiB_PAGES - 0x20);
    assert_int_equal(di.node_affinity, 1u << 1);
    assert_int_equal(di.pod_entries, f.populated);
    assert_int_equal(f.st.pod_pages, f.populated);
    assert_no_claim(&f);
    fx_done(&f);
}

static void test_pod_needs_no_vnuma(void **state)
{
    static const xen_vmemrange_t r[] = { { 0, 2ull << 30, 0, 0 } };
    static const unsigned int v2p[] = { 0 };
    struct fx f;

    (void)state;
    fx_host(&f, 2, 8, SIM_CLAIM_UPSTREAM);
    fx_domain(&f, MEMINIT_GUEST_HVM, 2048);
    f.req.target_pages = 1024 * MiB_PAGES;
    f.req.vnuma = (struct meminit_vnuma){ 1, r, 1, v2p };
    assert_int_equal(fx_build(&f), -EINVAL);
    assert_string_equal(f.err.step, "layout");
    assert_int_equal(fx_info(&f).tot_pages, 0);
    fx_done(&f);
}

/* ---- vNUMA ---- */

static void test_vnuma(void **state)
{
    static const xen_vmemrange_t r[] = {
        { 0, 2ull << 30, 0, 0 },
        { 2ull << 30, 3ull << 30, 0, 1 },
        { 4ull << 30, 5ull << 30, 0, 1 },
    };
    static const unsigned int v2p[] = { 1, 3 };
    struct fx f;

    (void)state;
    fx_host(&f, 4, 8, SIM_CLAIM_UPSTREAM);
    fx_domain(&f, MEMINIT_GUEST_HVM, 4096);
    f.req.vnuma = (struct meminit_vnuma){ 3, r, 2, v2p };
    assert_int_equal(fx_build(&f), 0);
    assert_int_equal(f.st.pnode_reason, MEMINIT_PNODE_VNUMA);
    assert_int_equal(fx_info(&f).pages_on[1], 2 * GiB_PAGES - 0x20);
    assert_int_equal(fx_info(&f).pages_on[3], 2 * GiB_PAGES);
    assert_int_equal(fx_info(&f).pages_on[0] + fx_info(&f).pages_on[2], 0);
    assert_no_claim(&f);
    fx_done(&f);
}

static void test_vnuma_bad_node(void **state)
{
    static const xen_vmemrange_t r[] = { { 0, 1ull << 30, 0, 0 } };
    static const unsigned int v2p[] = { 9 };
    struct fx f;

    (void)state;
    fx_host(&f, 4, 8, SIM_CLAIM_UPSTREAM);
    fx_domain(&f, MEMINIT_GUEST_PV, 1024);
    f.req.vnuma = (struct meminit_vnuma){ 1, r, 1, v2p };
    assert_int_equal(fx_build(&f), -EINVAL);
    assert_string_equal(f.err.step, "placement");
    assert_string_equal(f.err.msg, "vNUMA node 9 is not a node with memory "
                                    "on this host (nodes 0-3)");
    assert_no_claim(&f);
    fx_done(&f);
}

/* ---- placement of our own ---- */

static void test_best_fit(void **state)
{
    struct fx f;

    (void)state;
    fx_config(&f, 4, 16, SIM_CLAIM_UPSTREAM);
    sim_config_fragment(&f.cfg, 1, 6, 0);   /* node 1: 6 GiB free */
    f.cfg.node[1].free_4k = 0;
    sim_config_fragment(&f.cfg, 3, 9, 0);   /* node 3: 9 GiB free */
    f.cfg.node[3].free_4k = 0;
    fx_start(&f);
    fx_domain(&f, MEMINIT_GUEST_HVM, 5120);
    assert_int_equal(fx_build(&f), 0);
    assert_int_equal(f.st.pnode, 1);
    assert_int_equal(f.st.pnode_reason, MEMINIT_PNODE_BEST_FIT);
    assert_int_equal(fx_info(&f).pages_on[1], f.populated);
    fx_done(&f);
}

static void test_affinity(void **state)
{
    struct fx f;

    (void)state;
    fx_host(&f, 4, 16, SIM_CLAIM_UPSTREAM);
    fx_domain(&f, MEMINIT_GUEST_HVM, 2048);
    assert_int_equal(sim_domain_set_node_affinity(f.host, FX_DOMID, 1u << 2),
                     0);
    assert_int_equal(fx_build(&f), 0);
    assert_int_equal(f.st.pnode, 2);
    assert_int_equal(f.st.pnode_reason, MEMINIT_PNODE_AFFINITY);
    assert_int_equal(fx_info(&f).pages_on[2], f.populated);
    fx_done(&f);
}

static void test_placement_off(void **state)
{
    struct fx f;

    (void)state;
    fx_host(&f, 2, 8, SIM_CLAIM_UPSTREAM);
    fx_domain(&f, MEMINIT_GUEST_HVM, 2048);
    f.req.policy.mode = MEMINIT_POLICY_OFF;
    assert_int_equal(fx_build(&f), 0);
    assert_int_equal(f.st.pnode, MEMINIT_NO_NODE);
    assert_int_equal(f.st.pnode_reason, MEMINIT_PNODE_OFF);
    /* Xen's own choice without node flags: round-robin over all nodes,
     * one allocation at a time; and the node affinity is left alone. */
    assert_int_equal(fx_info(&f).pages_on[0] + fx_info(&f).pages_on[1],
                     f.populated);
    assert_true(fx_info(&f).pages_on[0] > 0);
    assert_true(fx_info(&f).pages_on[1] > 0);
    assert_int_equal(f.st.anynode.extents[MEMINIT_1G], 1);
    assert_int_equal(f.st.node_affinity, 0);
    assert_int_equal(fx_info(&f).node_affinity, 0);
    fx_done(&f);
}

static void test_bad_pnode(void **state)
{
    struct fx f;

    (void)state;
    fx_host(&f, 2, 8, SIM_CLAIM_UPSTREAM);
    fx_domain(&f, MEMINIT_GUEST_HVM, 2048);
    f.req.policy.pnode = 5;
    assert_int_equal(fx_build(&f), -EINVAL);
    assert_string_equal(f.err.step, "placement");
    assert_string_equal(f.err.msg, "node 5 is not a node with memory on "
                                    "this host (nodes 0-1)");
    assert_int_equal(fx_info(&f).tot_pages, 0);
    assert_no_claim(&f);
    fx_done(&f);
}

static void test_no_domain(void **state)
{
    struct fx f;
    struct meminit_request req = { 0 };

    (void)state;
    fx_host(&f, 2, 8, SIM_CLAIM_UPSTREAM);
    fx_hvm_layout(&req, 1024);
    req.xch = sim_xch(f.host);
    req.domid = 42;
    req.total_pages = 1024 * MiB_PAGES;
    req.policy.pnode = MEMINIT_NO_NODE;
    assert_int_equal(meminit_build(&req, &f.st, &f.err), -ESRCH);
    assert_string_equal(f.err.step, "domain");
    assert_string_equal(f.err.msg, "domain 42 does not exist");
    fx_done(&f);
}

/* ---- hypercall budget ---- */

static void test_64g_hypercalls(void **state)
{
    struct fx f;
    struct sim_host_info hi;
    uint64_t calls = 0;
    unsigned int i;

    (void)state;
    fx_host(&f, 2, 96, SIM_CLAIM_UPSTREAM);
    fx_domain(&f, MEMINIT_GUEST_HVM, 65536);
    sim_reset_counters(f.host);
    f.req.policy.pnode = 0;
    assert_int_equal(fx_build(&f), 0);
    assert_int_equal(sim_host_info(f.host, &hi), 0);
    for ( i = 0; i < SIM_FN_NR; i++ )
        calls += hi.calls[i];
    assert_int_equal(calls, f.st.hypercalls);
    assert_true(f.st.hypercalls <= 32);
    assert_int_equal(fx_info(&f).pages_on[0], f.populated);
    fx_done(&f);
}

/* A signal handler's flag stops populating; the claim still goes. */
static void test_stop_flag(void **state)
{
    static volatile sig_atomic_t stop = 1;
    struct fx f;

    (void)state;
    fx_host(&f, 2, 8, SIM_CLAIM_UPSTREAM);
    fx_domain(&f, MEMINIT_GUEST_HVM, 2048);
    f.req.stop = &stop;
    assert_int_equal(fx_build(&f), -EINTR);
    assert_string_equal(f.err.step, "populate");
    assert_int_equal(f.st.claim_kind, MEMINIT_CLAIMED_HOST);
    assert_int_equal(fx_info(&f).tot_pages, 0);
    assert_no_claim(&f);
    fx_done(&f);
}

/* ---- faults ---- */

/* ENOMEM from a populate call: recorded as a fallback, build goes on. */
static void test_populate_enomem_falls_back(void **state)
{
    struct fx f;

    (void)state;
    fx_host(&f, 2, 8, SIM_CLAIM_UPSTREAM);
    fx_domain(&f, MEMINIT_GUEST_HVM, 4096);
    f.req.policy.pnode = 0;
    assert_int_equal(sim_fault(f.host, SIM_FN_POPULATE, 3, ENOMEM), 0);
    assert_int_equal(fx_build(&f), 0);
    assert_int_equal(f.st.fallback[0].cause, MEMINIT_CAUSE_CALL_FAILED);
    assert_int_equal(f.st.fallback[0].err, ENOMEM);
    assert_int_equal(fx_info(&f).tot_pages, f.populated);
    assert_no_claim(&f);
    fx_done(&f);
}

/*
 * Fail the k-th call of each function for every k a normal build makes:
 * either the build still completes, or it fails with a step and a message;
 * either way no claim is left.
 */
static void sweep(enum meminit_guest guest, enum sim_claim_abi abi)
{
    struct fx f;
    struct sim_host_info hi;
    uint64_t normal[SIM_FN_NR];
    unsigned int fn, k, faults = 0, failed = 0;
    int rc;

    fx_host(&f, 2, 8, abi);
    fx_domain(&f, guest, 3072);
    sim_reset_counters(f.host);
    assert_int_equal(fx_build(&f), 0);
    assert_int_equal(sim_host_info(f.host, &hi), 0);
    memcpy(normal, hi.calls, sizeof(normal));
    for ( fn = 0; fn < SIM_FN_NR; fn++ )
        for ( k = 1; k <= normal[fn]; k++ )
        {
            fx_redo_domain(&f);
            sim_fault_clear(f.host);
            assert_int_equal(sim_fault(f.host, fn, k, EFAULT), 0);
            rc = fx_build(&f);
            faults++;
            if ( rc )
            {
                failed++;
                assert_int_equal(rc, -EFAULT);
                assert_non_null(f.err.step);
                assert_true(f.err.msg[0] != '\0');
            }
            else
                assert_int_equal(fx_info(&f).tot_pages, f.populated);
            assert_no_claim(&f);
        }
    assert_true(faults > 5);
    assert_true(failed > 0);
    fx_done(&f);
}

static void test_fault_sweep_hvm(void **state)
{
    (void)state;
    sweep(MEMINIT_GUEST_HVM, SIM_CLAIM_UPSTREAM);
    sweep(MEMINIT_GUEST_HVM, SIM_CLAIM_SET);
}

static void test_fault_sweep_pv(void **state)
{
    (void)state;
    sweep(MEMINIT_GUEST_PV, SIM_CLAIM_UPSTREAM);
    sweep(MEMINIT_GUEST_PV, SIM_CLAIM_NODE);
}

int main(void)
{
    static const struct CMUnitTest rest[] = {
        cmocka_unit_test(test_pv_p2m),
        cmocka_unit_test(test_spill_by_distance),
        cmocka_unit_test(test_fragmented_steps_down),
        cmocka_unit_test(test_not_enough_memory),
        cmocka_unit_test(test_claim_host_only_mode),
        cmocka_unit_test(test_existing_claim),
        cmocka_unit_test(test_holes_never_populated),
        cmocka_unit_test(test_unaligned_mmio_hole),
        cmocka_unit_test(test_pod),
        cmocka_unit_test(test_pod_needs_no_vnuma),
        cmocka_unit_test(test_vnuma),
        cmocka_unit_test(test_vnuma_bad_node),
        cmocka_unit_test(test_best_fit),
        cmocka_unit_test(test_affinity),
        cmocka_unit_test(test_placement_off),
        cmocka_unit_test(test_bad_pnode),
        cmocka_unit_test(test_no_domain),
        cmocka_unit_test(test_64g_hypercalls),
        cmocka_unit_test(test_stop_flag),
        cmocka_unit_test(test_populate_enomem_falls_back),
        cmocka_unit_test(test_fault_sweep_hvm),
        cmocka_unit_test(test_fault_sweep_pv),
    };
    struct CMUnitTest tests[CMT_SIZE(place_cases) + CMT_SIZE(claim_cases) +
                            CMT_SIZE(rest)];
    struct CMUnitTest *next = tests;

    CMT_CASES(next, place_cases, test_fits_on_preferred);
    CMT_CASES(next, claim_cases, test_claim_abi);
    CMT_TESTS(next, rest);
    return CMT_RUN("meminit", tests, next);
}
