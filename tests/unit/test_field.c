/*
 * test_field.c - meminit against the field reports of issue 11, on the
 * simulated host.
 *
 * Each report was a KIND of fault; each kind has a table here, named after
 * it, whose rows are the reported input and its neighbours. Every row runs
 * a real meminit_build() (or the hook, or the option geometry) against the
 * simulated Xen 4.17 host and asserts what the host says afterwards: pages
 * per node and per page size, the domain's node affinity, the claim left
 * (always 0) and, for a failure, the exact error.
 *
 *   pod_keeps_pnode                 PoD cache on the preferred node (1)
 *   later_allocations_follow_guest  node affinity set to the guest's nodes (2)
 *   affinity_mask_spill             the affinity mask before other nodes (3)
 *   short_toolstack_claim_...       claims judged on fresh figures (4)
 *   race_lost_message_figures       figures re-read for the message (5)
 *   placement_skips_claimed_node    next fitting node before a host claim (6)
 *   stale_free_figures              no trust in old free figures (6)
 *   max_pages_too_small             max_pages checked first, and named (7)
 *   size_limit_16tib                what libxenguest cannot represent (8)
 *   stock_hook_claims               32-bit PV: the stock hook claims (9)
 *   claim_abi_answers               every claim ABI answer handled (10)
 * Item 11 (the PV p2m's cost) is measured by tests/tools/meminit-measure;
 * its correctness is pv_p2m_written_once below.
 */
#include <errno.h>
#include <stdio.h>

#include "build.h"
#include "fixture.h"
#include "report.h"
#include "cmt.h"

#define OTHER       8           /* another builder's domain */
#define NR(a)       ((int)(sizeof(a) / sizeof((a)[0])))

/* Every build leaves no claim behind: ours, per the stats and the host. */
static void assert_no_claim(struct fx *f)
{
    assert_int_equal(fx_info(f).outstanding, 0);
    assert_int_equal(f->st.claim_left, 0);
}

static void assert_nothing_populated(struct fx *f)
{
    assert_int_equal(fx_info(f).tot_pages, 0);
    assert_int_equal(f->st.populate_calls, 0);
}

/* Another domain with plenty of room, as another builder's would be. */
static void other_domain(struct fx *f)
{
    assert_int_equal(sim_domain_create(f->host, OTHER, 1ull << 40, true), 0);
}

/* Fill `pages` of node n for domain OTHER, largest blocks first. */
static void take(struct fx *f, unsigned int n, uint64_t pages)
{
    xen_pfn_t gfn = 0;
    unsigned int order;

    for ( order = 18; pages; order = order == 18 ? 9 : 0 )
        while ( pages >= (1ull << order) &&
                xc_domain_populate_physmap(f->req.xch, OTHER, 1, order,
                                           XENMEMF_exact_node(n), &gfn) == 1 )
            pages -= 1ull << order;
}

/* A log callback that keeps every line, for the lines a row expects. */
struct log_buf {
    char text[8192];
    size_t len;
};

static void log_keep(void *opaque, enum meminit_log_level level,
                     const char *msg)
{
    struct log_buf *b = opaque;
    int w;

    (void)level;
    w = snprintf(b->text + b->len, sizeof(b->text) - b->len, "%s\n", msg);
    if ( w > 0 && (size_t)w < sizeof(b->text) - b->len )
        b->len += (size_t)w;
}

/* A sim call hook that runs an action once, at the n-th call of a function
 * (the moment another builder acts in the report). */
struct act {
    struct fx *f;
    enum sim_fn fn;
    unsigned int nth;
    void (*run)(struct fx *f);
    bool busy;
};

static void act_hook(void *opaque, enum sim_fn fn)
{
    struct act *a = opaque;

    if ( a->busy || fn != a->fn || !a->nth || --a->nth )
        return;
    a->busy = true;
    a->run(a->f);
    a->busy = false;
}

/* ------------------------------------------------------------------------
 * 1. pod_keeps_pnode: a guest below its maximum (populate-on-demand) keeps
 * its preferred node: the PoD cache is allocated there, node by node when
 * it does not fit one, and --plan shows where.
 */
struct pod_case {
    const char *name;
    unsigned int pnode;         /* MEMINIT_NO_NODE: our placement */
    uint64_t node1_free_gib;    /* node 1's free memory, of 8 */
    enum meminit_pnode_reason reason;
    unsigned int want_pnode;
    uint64_t want[2];           /* PoD cache per node, pages */
    uint64_t want_affinity;
};

/* The cache is the target (2 GiB) less the VGA hole (0x20 pages). */
#define POD_2G      (2048 * MiB_PAGES - 0x20)
#define POD_1G      (1024 * MiB_PAGES)

static struct pod_case pod_cases[] = {
    { "pod_keeps_pnode: -mem_pnode 1", 1, 8, MEMINIT_PNODE_GIVEN, 1,
      { 0, POD_2G }, 0x2 },
    { "pod_keeps_pnode: best fit chooses the fuller node", MEMINIT_NO_NODE,
      3, MEMINIT_PNODE_BEST_FIT, 1, { 0, POD_2G }, 0x2 },
    { "pod_keeps_pnode: cache larger than the node, rest on the next", 1, 1,
      MEMINIT_PNODE_GIVEN, 1, { POD_2G - POD_1G, POD_1G }, 0x3 },
};

static void test_pod(void **state)
{
    const struct pod_case *pc = *state;
    uint64_t plan[MEMINIT_MAX_NODES];
    struct meminit_stats pst;
    struct fx f;
    unsigned int n;

    fx_config(&f, 2, 8, SIM_CLAIM_UPSTREAM);
    sim_config_fragment(&f.cfg, 1, pc->node1_free_gib, 0);
    f.cfg.node[1].free_4k = 0;
    fx_start(&f);
    fx_domain(&f, MEMINIT_GUEST_HVM, 4096);
    f.req.target_pages = 2048 * MiB_PAGES;
    f.req.policy.pnode = pc->pnode;
    assert_int_equal(meminit_plan(&f.req, &pst, plan, &f.err), 0);
    assert_int_equal(fx_build(&f), 0);
    assert_int_equal(f.st.pnode, pc->want_pnode);
    assert_int_equal(f.st.pnode_reason, pc->reason);
    for ( n = 0; n < 2; n++ )
    {
        assert_int_equal(fx_info(&f).pages_on[n], pc->want[n]);
        assert_int_equal(meminit_node_pages(&f.st.node[n]), pc->want[n]);
        assert_int_equal(plan[n], pc->want[n]);
    }
    assert_int_equal(fx_info(&f).pod_entries, f.populated);
    assert_int_equal(fx_info(&f).node_affinity, pc->want_affinity);
    assert_int_equal(f.st.node_affinity, pc->want_affinity);
    assert_int_equal(f.st.claim_kind, MEMINIT_CLAIMED_HOST);
    assert_no_claim(&f);
    fx_done(&f);
}

/* ------------------------------------------------------------------------
 * 2. later_allocations_follow_guest: what libxenguest and Xen allocate for
 * the domain after meminit without naming a node (special pages, grant
 * frames, the device model's video RAM, balloon-up) lands on the guest's
 * nodes, because meminit leaves the node affinity there. Without it, Xen's
 * round-robin puts them on the node after the last one used.
 */
struct later_case {
    const char *name;
    unsigned int pnode;
    bool placement_off;
    uint64_t mib;               /* node 2 has 4 GiB free */
    uint64_t want_affinity;
    unsigned int want_node;     /* where the 16 later pages go */
    const char *want_line;      /* xenguest's report line, or NULL */
};

static struct later_case later_cases[] = {
    { "later_allocations_follow_guest: guest on node 2", 2, false, 2048,
      0x4, 2, "node affinity: nodes 2" },
    { "later_allocations_follow_guest: spilled guest, its two nodes", 2,
      false, 6144, 0x5, 2, "node affinity: nodes 0 2" },
    { "later_allocations_follow_guest: placement off, Xen's round-robin",
      MEMINIT_NO_NODE, true, 2048, 0, 2, NULL },
};

/* xenguest's report lines, kept for the rows that name one. */
static void keep_line(void *opaque, const char *line)
{
    struct log_buf *b = opaque;

    log_keep(b, MEMINIT_LOG_INFO, line);
}

static void test_later(void **state)
{
    const struct later_case *lc = *state;
    struct log_buf lines = { .len = 0 };
    xen_pfn_t gfns[16];
    struct sim_domain_info before, after;
    unsigned int i, n;
    struct fx f;

    fx_config(&f, 4, 16, SIM_CLAIM_UPSTREAM);
    sim_config_fragment(&f.cfg, 2, 4, 0);
    f.cfg.node[2].free_4k = 0;
    fx_start(&f);
    fx_domain(&f, MEMINIT_GUEST_HVM, lc->mib);
    f.req.policy.pnode = lc->pnode;
    f.req.policy.mode = lc->placement_off ? MEMINIT_POLICY_OFF
                                          : MEMINIT_POLICY_PREFERRED;
    assert_int_equal(fx_build(&f), 0);
    assert_int_equal(fx_info(&f).node_affinity, lc->want_affinity);
    before = fx_info(&f);
    /* libxenguest's special pages: 4 KiB each, no node named. */
    for ( i = 0; i < 16; i++ )
        gfns[i] = 0xfeff0 + i;
    assert_int_equal(xc_domain_populate_physmap_exact(f.req.xch, FX_DOMID, 16,
                                                      0, 0, gfns), 0);
    after = fx_info(&f);
    for ( n = 0; n < 4; n++ )
    {
        uint64_t got = after.pages_on[n] - before.pages_on[n];

        if ( lc->want_affinity )
            assert_true(got == 0 || (lc->want_affinity & (1u << n)));
        else if ( n == lc->want_node )
            assert_true(got > 0 && got < 16);
    }
    if ( lc->want_affinity == 0x4 )
        assert_int_equal(after.pages_on[2] - before.pages_on[2], 16);
    xg_report_lines(&f.st, keep_line, &lines);
    if ( lc->want_line )
        assert_non_null(strstr(lines.text, lc->want_line));
    else
        assert_null(strstr(lines.text, "node affinity"));
    assert_no_claim(&f);
    fx_done(&f);
}

/* ------------------------------------------------------------------------
 * 3. affinity_mask_spill: with a node affinity that is a proper subset of
 * the nodes, the spill exhausts the subset before it leaves it, as Xen's
 * own allocator does, even when a node outside it is nearer.
 * Distances from node 0: node 2 at 20, node 3 at 30, node 1 at 40.
 */
struct mask_case {
    const char *name;
    uint64_t mask;
    unsigned int pnode;
    uint64_t node_free_gib[4];
    uint64_t want_gib[4];       /* whole GiB per node (4 KiB start aside) */
};

static struct mask_case mask_cases[] = {
    { "affinity_mask_spill: {0, 1}, node 1 before the nearer node 2", 0x3, 0,
      { 2, 16, 16, 16 }, { 2, 4, 0, 0 } },
    { "affinity_mask_spill: {0, 1} both short, then node 2 by distance", 0x3,
      0, { 2, 1, 16, 16 }, { 2, 1, 3, 0 } },
    { "affinity_mask_spill: no mask, by distance", 0, 0, { 2, 16, 16, 16 },
      { 2, 0, 4, 0 } },
};

static void test_mask(void **state)
{
    const struct mask_case *mc = *state;
    struct fx f;
    unsigned int n;

    fx_config(&f, 4, 16, SIM_CLAIM_UPSTREAM);
    fx_dist(&f, 0, 1, 40);
    fx_dist(&f, 0, 2, 20);
    fx_dist(&f, 0, 3, 30);
    for ( n = 0; n < 4; n++ )
    {
        sim_config_fragment(&f.cfg, n, mc->node_free_gib[n], 0);
        f.cfg.node[n].free_4k = 0;
    }
    fx_start(&f);
    fx_domain(&f, MEMINIT_GUEST_PV, 6144);
    if ( mc->mask )
        assert_int_equal(sim_domain_set_node_affinity(f.host, FX_DOMID,
                                                      mc->mask), 0);
    f.req.policy.pnode = mc->pnode;
    assert_int_equal(fx_build(&f), 0);
    for ( n = 0; n < 4; n++ )
    {
        assert_int_equal(fx_info(&f).pages_on[n],
                         mc->want_gib[n] * GiB_PAGES);
        assert_int_equal(f.st.node[n].extents[MEMINIT_4K], 0);
    }
    assert_no_claim(&f);
    fx_done(&f);
}

/* ------------------------------------------------------------------------
 * 4. short_toolstack_claim_keeps_superpages: a claim the toolstack staked
 * that is smaller than the guest is used up before the end; on a host with
 * memory to spare Xen still grants every order, so when the preferred node
 * runs out later, the next node still gives 1 GiB pages: the short count
 * there means "node exhausted", not "claim limit". Only when other
 * domains' claims really hold the memory is a short superpage count a
 * claim limit.
 */
struct short_case {
    const char *name;
    uint64_t claim_short_mib;   /* toolstack claim: guest less this */
    bool staked;                /* a toolstack claim at all */
    bool tight;                 /* one node: the guest, others' 1 GiB claim
                                   and 256 MiB; else node 0 with 6 GiB free
                                   and node 1 with 16 */
    uint64_t want_1g[2], want_2m[2];
    enum meminit_claim_kind want_kind;
    uint32_t want_claim_limits; /* fallbacks with cause "claim limit" */
};

static struct short_case short_cases[] = {
    /* 8 GiB HVM: [0, 2M) 4K but the VGA hole (480 pages), [2M, 1G) 2M,
     * [1G, 3G) and [4G, 9G) 1G; node 0 holds 6 GiB of it. */
    { "short_toolstack_claim_keeps_superpages: no toolstack claim", 0,
      false, false, { 5, 2 }, { 511, 0 }, MEMINIT_CLAIMED_HOST, 0 },
    { "short_toolstack_claim_keeps_superpages: 64 MiB short", 64, true,
      false, { 5, 2 }, { 511, 0 }, MEMINIT_CLAIMED_EXISTING, 0 },
    { "short_toolstack_claim_keeps_superpages: used up before the spill",
      1536, true, false, { 5, 2 }, { 511, 0 }, MEMINIT_CLAIMED_EXISTING, 0 },
    { "short_toolstack_claim_keeps_superpages: 6 GiB short", 6144, true,
      false, { 5, 2 }, { 511, 0 }, MEMINIT_CLAIMED_EXISTING, 0 },
    /* Others' claims do hold the memory: at the last 1 GiB extent our
     * claim has 512 MiB left, and all claims + 1 GiB exceed what is free,
     * so Xen refuses it; 2 MiB extents fit, and the guest completes. */
    { "short_toolstack_claim_keeps_superpages: others' claims do block",
      512, true, true, { 6, 0 }, { 1023, 0 }, MEMINIT_CLAIMED_EXISTING, 1 },
};

static void short_host(struct fx *f, bool tight)
{
    struct sim_node_config *n = &f->cfg.node[0];

    fx_config(f, 2, 16, SIM_CLAIM_UPSTREAM);
    if ( !tight )
    {
        sim_config_fragment(&f->cfg, 0, 6, 0);
        n->free_4k = 0;
        return;
    }
    /* Exactly the guest (8 GiB less the VGA hole) + 1 GiB + 256 MiB. */
    *n = (struct sim_node_config){ .free_1g = 9, .free_2m = 127,
                                   .free_4k = 512 - 0x20 };
    n->pages = n->free_1g * GiB_PAGES + n->free_2m * 512 + n->free_4k;
    f->cfg.node[1] = (struct sim_node_config){ 0 };
}

static void test_short_claim(void **state)
{
    const struct short_case *sc = *state;
    uint32_t i, limits = 0;
    unsigned int n;
    struct fx f;

    short_host(&f, sc->tight);
    fx_start(&f);
    fx_domain(&f, MEMINIT_GUEST_HVM, 8192);
    if ( sc->tight )
    {
        other_domain(&f);
        assert_int_equal(xc_domain_claim_pages(f.req.xch, OTHER, GiB_PAGES),
                         0);
    }
    if ( sc->staked )
        assert_int_equal(xc_domain_claim_pages(f.req.xch, FX_DOMID,
                                               f.populated -
                                               sc->claim_short_mib *
                                               MiB_PAGES), 0);
    f.req.policy.pnode = 0;
    assert_int_equal(fx_build(&f), 0);
    assert_int_equal(f.st.claim_kind, sc->want_kind);
    for ( n = 0; n < 2; n++ )
    {
        assert_int_equal(f.st.node[n].extents[MEMINIT_1G], sc->want_1g[n]);
        assert_int_equal(f.st.node[n].extents[MEMINIT_2M], sc->want_2m[n]);
        assert_int_equal(f.st.node[n].extents[MEMINIT_4K], n ? 0 : 480);
    }
    assert_int_equal(fx_info(&f).tot_pages, f.populated);
    for ( i = 0; i < f.st.nr_fallbacks && i < MEMINIT_MAX_FALLBACKS; i++ )
        limits += f.st.fallback[i].cause == MEMINIT_CAUSE_CLAIM_LIMIT;
    assert_int_equal(limits, sc->want_claim_limits);
    assert_no_claim(&f);
    fx_done(&f);
}

/*
 * When other domains' claims hold all the free memory that is left, not
 * even a 4 KiB page can be had: the build stops there and says so, rather
 * than trying every node and calling them all full. Another domain claims
 * 3 GiB of a 4 GiB host; a 2 GiB PV guest built without a claim gets the
 * first 1 GiB.
 */
static void test_claims_hold(void **state)
{
    struct fx f;

    (void)state;
    fx_host(&f, 1, 4, SIM_CLAIM_UPSTREAM);
    fx_domain(&f, MEMINIT_GUEST_PV, 2048);
    other_domain(&f);
    assert_int_equal(xc_domain_claim_pages(f.req.xch, OTHER, 3 * GiB_PAGES),
                     0);
    f.req.claim = MEMINIT_CLAIM_OFF;
    f.req.policy.pnode = 0;
    assert_int_equal(fx_build(&f), -ENOMEM);
    assert_string_equal(f.err.step, "populate");
    assert_string_equal(f.err.msg, "out of memory at gfn 0x40000: 262144 "
                        "pages of this range left, the host has 3072 MiB "
                        "free and 3072 MiB of it is claimed by other "
                        "domains");
    assert_int_equal(fx_info(&f).tot_pages, GiB_PAGES);
    assert_int_equal(f.st.fallback[0].cause, MEMINIT_CAUSE_CLAIM_LIMIT);
    assert_no_claim(&f);
    fx_done(&f);
}

/* ------------------------------------------------------------------------
 * 5. race_lost_message_figures: another builder acts between our reading
 * the host and our claim; the claim fails, and the message quotes the
 * figures as they are after the claim failed, not as they were before.
 */
static void other_claims_5g(struct fx *f)
{
    other_domain(f);
    assert_int_equal(xc_domain_claim_pages(f->req.xch, OTHER,
                                           5 * GiB_PAGES), 0);
}

static void other_takes_3g(struct fx *f)
{
    other_domain(f);
    take(f, 0, 3 * GiB_PAGES);
}

struct race_case {
    const char *name;
    void (*other)(struct fx *f);
    const char *msg;
};

static struct race_case race_cases[] = {
    { "race_lost_message_figures: the other builder claims 5 GiB",
      other_claims_5g, "not enough memory: need 6144 MiB, host has 8192 MiB "
      "free of which 5120 MiB are claimed by other domains" },
    { "race_lost_message_figures: the other builder takes 3 GiB",
      other_takes_3g, "not enough memory: need 6144 MiB, host has 5120 MiB "
      "free of which 0 MiB are claimed by other domains" },
};

static void test_race(void **state)
{
    const struct race_case *rc = *state;
    struct fx f;
    struct act a = { .f = &f, .fn = SIM_FN_CLAIM_PAGES, .nth = 1,
                     .run = rc->other };

    fx_host(&f, 2, 4, SIM_CLAIM_UPSTREAM);
    fx_domain(&f, MEMINIT_GUEST_PV, 6144);
    sim_set_call_hook(f.host, act_hook, &a);
    assert_int_equal(fx_build(&f), -ENOMEM);
    sim_set_call_hook(f.host, NULL, NULL);
    assert_string_equal(f.err.step, "claim");
    assert_string_equal(f.err.msg, rc->msg);
    assert_nothing_populated(&f);
    assert_no_claim(&f);
    fx_done(&f);
}

/* ------------------------------------------------------------------------
 * 6a. placement_skips_claimed_node: our best fit was a node whose memory
 * another builder had claimed per node; its claim fails with ENOMEM, and
 * the next node that fits is tried before a host-wide claim, which would
 * split the guest over two nodes while a whole node was free.
 */
static void other_claims_node1(struct fx *f)
{
    xen_memory_claim_t set[1] = { { .pages = 4 * GiB_PAGES, .target = 1 } };
    uint32_t nr = 1;

    other_domain(f);
    if ( f->cfg.claim_abi == SIM_CLAIM_SET )
        assert_int_equal(xc_domain_claim_memory(f->req.xch, OTHER,
                                                XEN_DOMCTL_CLAIM_MEMORY_SET,
                                                &nr, set), 0);
    else
        assert_int_equal(xc_domain_claim_pages_node(f->req.xch, OTHER, 1,
                                                    4 * GiB_PAGES), 0);
}

struct skip_case {
    const char *name;
    enum sim_claim_abi abi;
    unsigned int pnode;         /* given, or MEMINIT_NO_NODE */
    unsigned int want_pnode;
    enum meminit_claim_kind want_kind;
    uint64_t want_gib[3];
    const char *want_log;
};

static struct skip_case skip_cases[] = {
    { "placement_skips_claimed_node: node claims", SIM_CLAIM_NODE,
      MEMINIT_NO_NODE, 0, MEMINIT_CLAIMED_NODE, { 6, 0, 0 },
      "placement: node 1 is claimed by other domains, node 0 fits" },
    { "placement_skips_claimed_node: claim sets", SIM_CLAIM_SET,
      MEMINIT_NO_NODE, 0, MEMINIT_CLAIMED_SET, { 6, 0, 0 },
      "placement: node 1 is claimed by other domains, node 0 fits" },
    /* The caller's node is not ours to move: host-wide claim, and the
     * guest gets what node 1 has left for it, the rest by distance. */
    { "placement_skips_claimed_node: -mem_pnode 1 stays", SIM_CLAIM_NODE, 1,
      1, MEMINIT_CLAIMED_HOST, { 4, 2, 0 }, "claim: node claim not usable: "
      "Cannot allocate memory" },
};

static void test_skip(void **state)
{
    const struct skip_case *sc = *state;
    struct log_buf log = { .len = 0 };
    struct fx f;
    unsigned int n;

    fx_config(&f, 3, 16, sc->abi);
    sim_config_fragment(&f.cfg, 1, 6, 0);
    f.cfg.node[1].free_4k = 0;
    fx_dist(&f, 1, 0, 20);
    fx_dist(&f, 1, 2, 30);
    fx_start(&f);
    fx_domain(&f, MEMINIT_GUEST_PV, 6144);
    other_claims_node1(&f);
    f.req.policy.pnode = sc->pnode;
    f.req.log = log_keep;
    f.req.log_opaque = &log;
    assert_int_equal(fx_build(&f), 0);
    assert_int_equal(f.st.pnode, sc->want_pnode);
    assert_int_equal(f.st.claim_kind, sc->want_kind);
    for ( n = 0; n < 3; n++ )
        assert_int_equal(fx_info(&f).pages_on[n], sc->want_gib[n] * GiB_PAGES);
    assert_non_null(strstr(log.text, sc->want_log));
    assert_no_claim(&f);
    fx_done(&f);
}

/* ------------------------------------------------------------------------
 * 6b. stale_free_figures: after our claim another builder takes all but
 * 2 GiB + 1 MiB of the preferred node. When node 0 falls short, what it
 * has left is read again: 1 MiB, exhausted, so the rest goes to the next
 * node 2 MiB-aligned, instead of taking the last 256 pages and misaligning
 * every extent after them.
 */
static void other_takes_node0(struct fx *f)
{
    other_domain(f);
    take(f, 0, 6 * GiB_PAGES - 256);
}

static void test_stale(void **state)
{
    struct fx f;
    struct act a = { .f = &f, .fn = SIM_FN_POPULATE, .nth = 1,
                     .run = other_takes_node0 };

    (void)state;
    fx_host(&f, 2, 8, SIM_CLAIM_UPSTREAM);
    fx_domain(&f, MEMINIT_GUEST_PV, 6144);
    f.req.policy.pnode = 0;
    sim_set_call_hook(f.host, act_hook, &a);
    assert_int_equal(fx_build(&f), 0);
    sim_set_call_hook(f.host, NULL, NULL);
    assert_int_equal(fx_info(&f).pages_on[0], 2 * GiB_PAGES);
    assert_int_equal(fx_info(&f).pages_on[1], 4 * GiB_PAGES);
    assert_int_equal(f.st.node[0].extents[MEMINIT_2M], 1024);
    assert_int_equal(f.st.node[1].extents[MEMINIT_2M], 2048);
    assert_int_equal(f.st.node[0].extents[MEMINIT_4K] +
                     f.st.node[1].extents[MEMINIT_4K], 0);
    assert_int_equal(f.st.fallback[0].cause, MEMINIT_CAUSE_EXHAUSTED);
    assert_int_equal(f.st.fallback[0].next_node, 1);
    assert_no_claim(&f);
    fx_done(&f);
}

/* ------------------------------------------------------------------------
 * 7. max_pages_too_small: the domain's max_pages is below what the build
 * allocates; the build says so before claiming or populating anything,
 * whatever the claim mode.
 */
struct maxp_case {
    const char *name;
    enum meminit_claim_mode claim;
    uint64_t target_mib;        /* HVM PoD target, 0: PV guest */
    const char *msg;
};

static struct maxp_case maxp_cases[] = {
    { "max_pages_too_small: with claims", MEMINIT_CLAIM_AUTO, 0,
      "max_pages of domain 7 is 524544 pages (2049 MiB), the guest needs "
      "1048576 (4096 MiB) on top of the 0 it has: the toolstack must raise "
      "max_pages before the build" },
    { "max_pages_too_small: --claim=off", MEMINIT_CLAIM_OFF, 0,
      "max_pages of domain 7 is 524544 pages (2049 MiB), the guest needs "
      "1048576 (4096 MiB) on top of the 0 it has: the toolstack must raise "
      "max_pages before the build" },
    { "max_pages_too_small: PoD target above it", MEMINIT_CLAIM_AUTO, 3072,
      "max_pages of domain 7 is 524544 pages (2049 MiB), the guest needs "
      "786400 (3071 MiB) on top of the 0 it has: the toolstack must raise "
      "max_pages before the build" },
};

static void test_maxp(void **state)
{
    const struct maxp_case *mc = *state;
    struct fx f;

    fx_host(&f, 2, 8, SIM_CLAIM_UPSTREAM);
    fx_domain(&f, mc->target_mib ? MEMINIT_GUEST_HVM : MEMINIT_GUEST_PV,
              4096);
    f.req.target_pages = mc->target_mib * MiB_PAGES;
    f.req.claim = mc->claim;
    assert_int_equal(xc_domain_setmaxmem(f.req.xch, FX_DOMID, 2049 << 10), 0);
    assert_int_equal(fx_build(&f), -EINVAL);
    assert_string_equal(f.err.step, "domain");
    assert_string_equal(f.err.msg, mc->msg);
    assert_nothing_populated(&f);
    assert_int_equal(f.st.claim_kind, MEMINIT_CLAIMED_NONE);
    assert_no_claim(&f);
    fx_done(&f);
}

/* ------------------------------------------------------------------------
 * 8. size_limit_16tib: xc_dom_mem_init() takes MiB as unsigned int and
 * shifts it into pages in 32 bits, so 16 TiB wraps to 0 and 16 TiB +
 * 512 MiB to 512 MiB. The options' cross-checks (build and --plan alike)
 * refuse what would be passed there, naming the limit: -mem_start_mib for
 * PV (its -mem_max_mib is only the balloon's ceiling), -mem_max_mib for
 * HVM and PVH.
 */
struct size_case {
    const char *name;
    const char *mode;
    const char *max_mib, *start_mib;
    int rc;
    const char *msg;
};

#define SIZE_MSG(what, mib) \
    "option " what ": " mib " MiB is more than libxenguest 4.17 can build: " \
    "xc_dom_mem_init() takes MiB as unsigned int and counts pages in 32 " \
    "bits, at most 16777215 MiB (16 TiB - 1 MiB)"

static struct size_case size_cases[] = {
    { "size_limit_16tib: PV 16 TiB", "linux_build", "16777216", "16777216",
      -EINVAL, SIZE_MSG("-mem_start_mib", "16777216") },
    { "size_limit_16tib: PV 16 TiB + 512 MiB", "linux_build", "16777728",
      "16777728", -EINVAL, SIZE_MSG("-mem_start_mib", "16777728") },
    { "size_limit_16tib: PV 16 TiB - 1 MiB", "linux_build", "16777215",
      "16777215", 0, NULL },
    { "size_limit_16tib: PV booting at 1 GiB, 20 TiB ceiling", "linux_build",
      "20971520", "1024", 0, NULL },
    { "size_limit_16tib: HVM 16 TiB", "hvm_build", "16777216", "4096",
      -EINVAL, SIZE_MSG("-mem_max_mib", "16777216") },
    { "size_limit_16tib: PVH 16 TiB - 1 MiB", "pvh_build", "16777215",
      "16777215", 0, NULL },
};

static void test_size(void **state)
{
    const struct size_case *sc = *state;
    const char *argv[] = { "xenguest", "-mode", sc->mode, "-domid", "5",
                           "-mem_max_mib", sc->max_mib, "-mem_start_mib",
                           sc->start_mib, "--plan" };
    struct meminit_error err = { 0 };
    struct xg_options o;

    assert_int_equal(xg_options_parse(&o, NR(argv), argv, &err), sc->rc);
    if ( sc->msg )
    {
        assert_string_equal(err.step, "options");
        assert_string_equal(err.msg, sc->msg);
    }
    else
        assert_int_equal(o.mem_max_mib, strtoull(sc->max_mib, NULL, 10));
}

/* ------------------------------------------------------------------------
 * 9. stock_hook_claims: 32-bit PV guests go to libxenguest's own meminit
 * (it alone can issue XEN_DOMCTL_set_address_size in 4.17). The hook
 * switches its claim on (dom->claim_enabled) unless the domain holds one,
 * cancels it afterwards, and the stats say what happened: the stock hook,
 * its claim, no node. libxenguest's 32-bit PV hook cannot run on the
 * simulator (set_address_size goes through the real libxencall), so a
 * stand-in with its claim behaviour (meminit_pv() in xg_dom_x86.c: claim
 * total_pages when claim_enabled, populate, cancel on success only) takes
 * its place here; the real one runs on real Xen.
 */
struct stock_seen {
    int claim_enabled;
};
static struct stock_seen stock_seen;

static int stand_in_stock(struct xc_dom_image *dom)
{
    xen_pfn_t *p2m = calloc(dom->total_pages, sizeof(*p2m));
    xen_pfn_t i;
    int rc = 0;

    stock_seen.claim_enabled = dom->claim_enabled;
    if ( dom->claim_enabled )
        rc = xc_domain_claim_pages(dom->xch, dom->guest_domid,
                                   dom->total_pages);
    for ( i = 0; !rc && i < dom->total_pages; i++ )
        p2m[i] = i;
    if ( !rc )
        rc = xc_domain_populate_physmap_exact(dom->xch, dom->guest_domid,
                                              dom->total_pages, 0, 0, p2m);
    free(p2m);
    return rc;
}

struct stock_case {
    const char *name;
    bool toolstack_claim;
    enum meminit_claim_mode claim;
    int want_enabled;
    enum meminit_claim_kind want_kind;
    uint64_t want_claim_mib;
    const char *summary;        /* xenguest's report line */
};

static struct stock_case stock_cases[] = {
    { "stock_hook_claims: it claims the guest", false, MEMINIT_CLAIM_AUTO, 1,
      MEMINIT_CLAIMED_HOST, 1024, "placement: none: libxenguest's own "
      "meminit built this 32-bit PV guest, nodes and page sizes not known, "
      "claim host of 1024.0 MiB" },
    { "stock_hook_claims: the toolstack's claim is kept", true,
      MEMINIT_CLAIM_AUTO, 0, MEMINIT_CLAIMED_EXISTING, 1024,
      "placement: none: libxenguest's own meminit built this 32-bit PV "
      "guest, nodes and page sizes not known, claim existing of 1024.0 MiB" },
    { "stock_hook_claims: --claim=off", false, MEMINIT_CLAIM_OFF, 0,
      MEMINIT_CLAIMED_NONE, 0, "placement: none: libxenguest's own meminit "
      "built this 32-bit PV guest, nodes and page sizes not known, claim "
      "none of 0.0 MiB" },
};

static void test_stock(void **state)
{
    const struct stock_case *sc = *state;
    struct xc_dom_arch stock = { .meminit = stand_in_stock };
    struct meminit_request tmpl = { .policy.pnode = 1, .claim = sc->claim };
    struct meminit_error err = { 0 };
    struct meminit_stats st;
    struct meminit_hook hook;
    struct xc_dom_image *dom;
    char summary[256];
    struct fx f;

    fx_host(&f, 2, 8, SIM_CLAIM_UPSTREAM);
    fx_domain(&f, MEMINIT_GUEST_PV, 1024);
    dom = xc_dom_allocate(f.req.xch, NULL, NULL);
    assert_non_null(dom);
    dom->guest_type = "xen-3.0-x86_32p";
    dom->container_type = XC_DOM_PV_CONTAINER;
    dom->guest_domid = FX_DOMID;
    dom->total_pages = f.req.total_pages;
    dom->arch_hooks = &stock;
    if ( sc->toolstack_claim )
        assert_int_equal(xc_domain_claim_pages(f.req.xch, FX_DOMID,
                                               dom->total_pages), 0);
    assert_int_equal(meminit_hook_install(&hook, dom, &tmpl, &st, &err), 0);
    assert_int_equal(dom->arch_hooks->meminit(dom), 0);
    assert_int_equal(stock_seen.claim_enabled, sc->want_enabled);
    assert_int_equal(st.pnode, MEMINIT_NO_NODE);
    assert_string_equal(meminit_pnode_reason_name(st.pnode_reason), "stock");
    assert_int_equal(st.claim_kind, sc->want_kind);
    assert_int_equal(st.claim_pages, sc->want_claim_mib * MiB_PAGES);
    assert_int_equal(st.claim_left, 0);
    assert_int_equal(fx_info(&f).outstanding, 0);
    assert_int_equal(fx_info(&f).tot_pages, dom->total_pages);
    xg_report_summary(summary, sizeof(summary), &st);
    assert_string_equal(summary, sc->summary);
    xc_dom_release(dom);
    fx_done(&f);
}

/* ------------------------------------------------------------------------
 * 10. claim_abi_answers: each answer a per-node claim call gives on some
 * Xen means one thing: not usable here (ENOSYS: no such call; EOPNOTSUPP;
 * EINVAL: upstream rejects the node flags; ENOENT: offline node; ERANGE:
 * node beyond 0xFE) and the host-wide claim follows; ENOMEM on the
 * caller's node: the host-wide claim; anything else fails the build at
 * "claim" before populating. The simulator gives the real ABIs' answers
 * (test_sim.c); here each is injected into meminit's call.
 */
struct abi_case {
    const char *name;
    enum sim_claim_abi abi;
    enum sim_fn fn;
    int err;
    int rc;
    enum meminit_claim_kind want_kind;
    const char *msg;
};

static struct abi_case abi_cases[] = {
    { "claim_abi_answers: node claim ENOSYS", SIM_CLAIM_NODE,
      SIM_FN_CLAIM_PAGES_NODE, ENOSYS, 0, MEMINIT_CLAIMED_HOST, NULL },
    { "claim_abi_answers: node claim EINVAL (upstream mem_flags)",
      SIM_CLAIM_NODE, SIM_FN_CLAIM_PAGES_NODE, EINVAL, 0,
      MEMINIT_CLAIMED_HOST, NULL },
    { "claim_abi_answers: node claim ENOENT (offline node)", SIM_CLAIM_NODE,
      SIM_FN_CLAIM_PAGES_NODE, ENOENT, 0, MEMINIT_CLAIMED_HOST, NULL },
    { "claim_abi_answers: node claim ERANGE", SIM_CLAIM_NODE,
      SIM_FN_CLAIM_PAGES_NODE, ERANGE, 0, MEMINIT_CLAIMED_HOST, NULL },
    { "claim_abi_answers: node claim ENOMEM on the given node",
      SIM_CLAIM_NODE, SIM_FN_CLAIM_PAGES_NODE, ENOMEM, 0,
      MEMINIT_CLAIMED_HOST, NULL },
    { "claim_abi_answers: node claim EIO fails the build", SIM_CLAIM_NODE,
      SIM_FN_CLAIM_PAGES_NODE, EIO, -EIO, MEMINIT_CLAIMED_NONE,
      "node claim: Input/output error" },
    { "claim_abi_answers: claim set EOPNOTSUPP", SIM_CLAIM_SET,
      SIM_FN_CLAIM_MEMORY, EOPNOTSUPP, 0, MEMINIT_CLAIMED_NODE, NULL },
    { "claim_abi_answers: claim set E2BIG", SIM_CLAIM_SET,
      SIM_FN_CLAIM_MEMORY, E2BIG, 0, MEMINIT_CLAIMED_NODE, NULL },
    { "claim_abi_answers: claim set ENOSYS (no such domctl)",
      SIM_CLAIM_UPSTREAM, SIM_FN_CLAIM_MEMORY, 0, 0, MEMINIT_CLAIMED_HOST,
      NULL },
    { "claim_abi_answers: claim set EPERM fails the build", SIM_CLAIM_SET,
      SIM_FN_CLAIM_MEMORY, EPERM, -EPERM, MEMINIT_CLAIMED_NONE,
      "claim set: Operation not permitted" },
};

static void test_abi(void **state)
{
    const struct abi_case *ac = *state;
    struct fx f;

    fx_host(&f, 2, 8, ac->abi);
    fx_domain(&f, MEMINIT_GUEST_PV, 2048);
    f.req.policy.pnode = 1;
    if ( ac->err )
        assert_int_equal(sim_fault(f.host, ac->fn, 1, ac->err), 0);
    assert_int_equal(fx_build(&f), ac->rc);
    assert_int_equal(f.st.claim_kind, ac->want_kind);
    if ( ac->msg )
    {
        assert_string_equal(f.err.step, "claim");
        assert_string_equal(f.err.msg, ac->msg);
        assert_nothing_populated(&f);
    }
    else
        assert_int_equal(fx_info(&f).pages_on[1], f.populated);
    assert_no_claim(&f);
    fx_done(&f);
}

/* ------------------------------------------------------------------------
 * 11 (correctness): the PV p2m is written once per frame and is right:
 * every frame holds an mfn of its node, contiguous within a 2 MiB extent;
 * frames between vNUMA ranges hold no mfn.
 */
static void test_p2m(void **state)
{
    static const xen_vmemrange_t r[] = {
        { 0, 1ull << 30, 0, 0 }, { 2ull << 30, 3ull << 30, 0, 1 },
    };
    static const unsigned int v2p[] = { 0, 1 };
    xen_pfn_t *p2m, gfn;
    struct fx f;

    (void)state;
    fx_host(&f, 2, 8, SIM_CLAIM_UPSTREAM);
    fx_domain(&f, MEMINIT_GUEST_PV, 2048);
    f.req.vnuma = (struct meminit_vnuma){ 2, r, 2, v2p };
    p2m = calloc(meminit_p2m_size(&f.req), sizeof(*p2m));
    assert_non_null(p2m);
    f.req.p2m = p2m;
    assert_int_equal(fx_build(&f), 0);
    for ( gfn = 0; gfn < 3 * GiB_PAGES; gfn++ )
    {
        if ( gfn >= GiB_PAGES && gfn < 2 * GiB_PAGES )
        {
            assert_int_equal(p2m[gfn], ~(xen_pfn_t)0);
            continue;
        }
        assert_int_equal(sim_mfn_node(p2m[gfn]), gfn < GiB_PAGES ? 0 : 1);
        if ( gfn & 511 )
            assert_int_equal(p2m[gfn], p2m[gfn - 1] + 1);
    }
    free(p2m);
    f.req.p2m = NULL;
    assert_no_claim(&f);
    fx_done(&f);
}

static const struct CMUnitTest fixed_tests[] = {
    { .name = "stale_free_figures: the node's last 1 MiB stays",
      .test_func = test_stale },
    { .name = "pv_p2m_written_once: right mfns, holes empty",
      .test_func = test_p2m },
    { .name = "short_toolstack_claim_keeps_superpages: claims hold the rest",
      .test_func = test_claims_hold },
};

int main(void)
{
    static struct CMUnitTest tests[CMT_SIZE(pod_cases) +
                                   CMT_SIZE(later_cases) +
                                   CMT_SIZE(mask_cases) +
                                   CMT_SIZE(short_cases) +
                                   CMT_SIZE(race_cases) +
                                   CMT_SIZE(skip_cases) +
                                   CMT_SIZE(maxp_cases) +
                                   CMT_SIZE(size_cases) +
                                   CMT_SIZE(stock_cases) +
                                   CMT_SIZE(abi_cases) +
                                   CMT_SIZE(fixed_tests)];
    struct CMUnitTest *next = tests;

    CMT_CASES(next, pod_cases, test_pod);
    CMT_CASES(next, later_cases, test_later);
    CMT_CASES(next, mask_cases, test_mask);
    CMT_CASES(next, short_cases, test_short_claim);
    CMT_CASES(next, race_cases, test_race);
    CMT_CASES(next, skip_cases, test_skip);
    CMT_CASES(next, maxp_cases, test_maxp);
    CMT_CASES(next, size_cases, test_size);
    CMT_CASES(next, stock_cases, test_stock);
    CMT_CASES(next, abi_cases, test_abi);
    CMT_TESTS(next, fixed_tests);
    return CMT_RUN("field", tests, next);
}
