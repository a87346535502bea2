/*
 * test_sim.c - the simulated hypervisor keeps Xen 4.17's memory rules.
 *
 * Every case builds its own host (1 GiB nodes unless it says otherwise) and
 * checks one rule through the xc_* stand-ins, the way meminit and the stock
 * libxenguest meminit reach it. The tables (populate placement, claim ABIs)
 * run one cmocka case per row, named by the row.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "cmt.h"

#include "sim.h"
#include <xenguest.h>     /* after xenctrl.h, which sim.h includes */

#define GIB         SIM_PAGES_1G
#define MIB2        SIM_PAGES_2M
#define DOM         1u
#define OTHER       2u
#define FILLER      900u
#define PLENTY      (64 * GIB)
#define NONE        SIM_NO_NODE
#define NODE(n)     XENMEMF_node(n)
#define EXACT(n)    XENMEMF_exact_node(n)

/* libxenctrl's (xc_private.h, not public); libxenguest calls them. */
void xc_report_progress_single(xc_interface *xch, const char *doing);
void xc_report_progress_step(xc_interface *xch, unsigned long done,
                             unsigned long total);

/* ---- helpers ---------------------------------------------------------- */

static struct sim_host *host_new(unsigned int nr_nodes, uint64_t pages,
                                 enum sim_claim_abi abi)
{
    struct sim_config cfg;
    struct sim_host *host = NULL;

    sim_config_uniform(&cfg, nr_nodes, pages);
    cfg.claim_abi = abi;
    assert_int_equal(sim_host_create(&cfg, &host), 0);
    assert_non_null(host);
    return host;
}

static void dom_new(struct sim_host *host, uint32_t domid, uint64_t max,
                    bool hvm)
{
    assert_int_equal(sim_domain_create(host, domid, max, hvm), 0);
}

static void dom_get(struct sim_host *host, uint32_t domid,
                    struct sim_domain_info *out)
{
    assert_int_equal(sim_domain_info(host, domid, out), 0);
}

static void host_get(struct sim_host *host, struct sim_host_info *out)
{
    assert_int_equal(sim_host_info(host, out), 0);
}

/* Populate nr extents at gfns 0, 1 << order, ...; errno kept for the caller. */
static int populate(struct sim_host *host, uint32_t domid, unsigned long nr,
                    unsigned int order, unsigned int flags)
{
    xen_pfn_t *gfns = calloc(nr ? nr : 1, sizeof(*gfns));
    unsigned long i;
    int rc, err;

    assert_non_null(gfns);
    for ( i = 0; i < nr; i++ )
        gfns[i] = (xen_pfn_t)i << order;
    rc = xc_domain_populate_physmap(sim_xch(host), domid, nr, order, flags,
                                    gfns);
    err = errno;
    free(gfns);
    errno = err;
    return rc;
}

/* Take every node in mask (1 GiB nodes) for a domain of its own. */
static void take_nodes(struct sim_host *host, uint64_t mask)
{
    unsigned int n;

    dom_new(host, FILLER, PLENTY, true);
    for ( n = 0; n < 64; n++ )
    {
        if ( mask & (1ull << n) )
            assert_int_equal(populate(host, FILLER, 1, 18, EXACT(n)), 1);
    }
}

static void expect_fail(int rc, int err)
{
    int saved = errno;

    assert_int_equal(rc, -1);
    assert_int_equal(saved, err);
}

/* ---- populate placement (table) --------------------------------------- */

struct pop_case {
    const char *name;
    unsigned int nr_nodes;
    uint64_t taken;             /* nodes another domain fills first */
    uint64_t max_pages;         /* 0: plenty */
    unsigned int order;
    unsigned int memflags;
    unsigned long nr;
    int rc;                     /* expected return */
    int err;                    /* expected errno when rc is -1 */
    unsigned int node;          /* where the extents landed */
};

static struct pop_case pop_cases[] = {
    { "populate: exact node with room, all there",
      2, 0x1, 0, 9, EXACT(1), 4, 4, 0, 1 },
    { "populate: exact node full, 0 done, no spill",
      2, 0x1, 0, 9, EXACT(0), 4, 0, 0, NONE },
    { "populate: exact node full, 4K, 0 done, no spill",
      2, 0x1, 0, 0, EXACT(0), 1, 0, 0, NONE },
    { "populate: named node first",
      3, 0x0, 0, 9, NODE(2), 1, 1, 0, 2 },
    { "populate: named node full, spills in numeric order",
      3, 0x5, 0, 9, NODE(2), 2, 2, 0, 1 },
    /* A fresh domain's last allocation is node 0 (Xen zeroes struct
     * domain): the first allocation naming no node goes to node 1. */
    { "populate: no node, the node after the last allocation",
      3, 0x0, 0, 9, 0, 1, 1, 0, 1 },
    { "populate: 1 GiB extent",
      2, 0x0, 0, 18, EXACT(1), 1, 1, 0, 1 },
    { "populate: host full, 0 done",
      2, 0x3, 0, 0, 0, 1, 0, 0, NONE },
    { "populate: max_pages ends the count",
      1, 0x0, 2 * MIB2, 9, 0, 4, 2, 0, 0 },
    { "populate: order 10 not modelled, EINVAL",
      2, 0x0, 0, 10, 0, 1, -1, EINVAL, NONE },
    { "populate: node beyond the host, EINVAL",
      2, 0x0, 0, 9, EXACT(5), 1, -1, EINVAL, NONE },
};

static void run_pop_case(void **state)
{
    const struct pop_case *c = *state;
    struct sim_host *host = host_new(c->nr_nodes, GIB, SIM_CLAIM_UPSTREAM);
    struct sim_domain_info di;
    int rc;

    take_nodes(host, c->taken);
    dom_new(host, DOM, c->max_pages ? c->max_pages : PLENTY, true);
    rc = populate(host, DOM, c->nr, c->order, c->memflags);
    if ( c->rc < 0 )
        expect_fail(rc, c->err);
    else
        assert_int_equal(rc, c->rc);
    dom_get(host, DOM, &di);
    assert_int_equal(di.tot_pages, (uint64_t)(rc > 0 ? rc : 0) << c->order);
    if ( c->rc > 0 )
        assert_int_equal(di.pages_on[c->node], di.tot_pages);
    sim_host_close(host);
}

static void test_populate_unknown_domain(void **state)
{
    struct sim_host *host = host_new(1, GIB, SIM_CLAIM_UPSTREAM);
    struct sim_host_info hi;

    (void)state;
    expect_fail(populate(host, 77, 1, 0, 0), ESRCH);
    host_get(host, &hi);
    assert_int_equal(hi.calls[SIM_FN_POPULATE], 1);
    assert_int_equal(hi.calls_failed[SIM_FN_POPULATE], 1);
    sim_host_close(host);
}

static void test_populate_affinity(void **state)
{
    struct sim_host *host = host_new(3, GIB, SIM_CLAIM_UPSTREAM);
    struct sim_domain_info di;
    uint8_t map[8] = { 0 };

    (void)state;
    dom_new(host, DOM, PLENTY, true);
    assert_int_equal(xc_domain_node_getaffinity(sim_xch(host), DOM, map), 0);
    assert_int_equal(map[0], 0x7);
    assert_int_equal(sim_domain_set_node_affinity(host, DOM, 1u << 2), 0);
    assert_int_equal(sim_domain_set_node_affinity(host, DOM, 1u << 3),
                     -EINVAL);
    assert_int_equal(xc_domain_node_getaffinity(sim_xch(host), DOM, map), 0);
    assert_int_equal(map[0], 0x4);
    assert_int_equal(populate(host, DOM, 2, 9, 0), 2);
    dom_get(host, DOM, &di);
    assert_int_equal(di.pages_on[2], 2 * MIB2);
    sim_host_close(host);
}

/*
 * Node affinity as Xen 4.17's get_free_buddy() uses it, table-driven: the
 * domain allocates `nr` 2 MiB extents naming `flags`' node (or none) with
 * node affinity `mask` (0: all) after filling the nodes of `taken`, and
 * `want[n]` extents land on node n.
 */
struct rr_case {
    const char *name;
    uint64_t mask;
    uint64_t taken;
    unsigned int flags;
    unsigned int nr;
    unsigned int want[4];
};

static struct rr_case rr_cases[] = {
    { "affinity: none named, round-robin over all nodes",
      0, 0x0, 0, 8, { 2, 2, 2, 2 } },
    { "affinity: none named, round-robin over the mask {0, 2}",
      0x5, 0x0, 0, 4, { 2, 0, 2, 0 } },
    { "affinity: mask {1} full, the others in numeric order",
      0x2, 0x2, 0, 2, { 2, 0, 0, 0 } },
    { "affinity: mask {1, 3}, node 3 full, node 1 before any other",
      0xa, 0x8, 0, 3, { 0, 3, 0, 0 } },
    /* A named node outside the mask: the mask from its lowest node, for
     * every extent (no round-robin once a node is named). */
    { "affinity: named node 0 full, the mask {2, 3} from its lowest",
      0xc, 0x1, XENMEMF_node(0), 2, { 0, 0, 2, 0 } },
};

static void run_rr_case(void **state)
{
    const struct rr_case *c = *state;
    struct sim_host *host = host_new(4, GIB, SIM_CLAIM_UPSTREAM);
    struct sim_domain_info di;
    unsigned int n;

    take_nodes(host, c->taken);
    dom_new(host, DOM, PLENTY, true);
    if ( c->mask )
        assert_int_equal(sim_domain_set_node_affinity(host, DOM, c->mask), 0);
    assert_int_equal(populate(host, DOM, c->nr, 9, c->flags), c->nr);
    dom_get(host, DOM, &di);
    for ( n = 0; n < 4; n++ )
        assert_int_equal(di.extents[n][1], c->want[n]);
    sim_host_close(host);
}

/* xc_domain_node_setaffinity as 4.17 takes it: a map of one bit per node;
 * no online node in it is EINVAL; the mask reads back as set. */
static void test_setaffinity(void **state)
{
    struct sim_host *host = host_new(3, GIB, SIM_CLAIM_UPSTREAM);
    xc_interface *xch = sim_xch(host);
    uint8_t map[8] = { 0 };
    struct sim_domain_info di;

    (void)state;
    dom_new(host, DOM, PLENTY, true);
    map[0] = 0x8;
    expect_fail(xc_domain_node_setaffinity(xch, DOM, map), EINVAL);
    expect_fail(xc_domain_node_setaffinity(xch, 99, map), ESRCH);
    map[0] = 0x2;
    assert_int_equal(xc_domain_node_setaffinity(xch, DOM, map), 0);
    dom_get(host, DOM, &di);
    assert_int_equal(di.node_affinity, 0x2);
    /* All of this host's nodes: explicit, not Xen's auto mode, but the
     * same allocations. */
    map[0] = 0x7;
    assert_int_equal(xc_domain_node_setaffinity(xch, DOM, map), 0);
    memset(map, 0, sizeof(map));
    assert_int_equal(xc_domain_node_getaffinity(xch, DOM, map), 0);
    assert_int_equal(map[0], 0x7);
    sim_host_close(host);
}

/* ---- frames ----------------------------------------------------------- */

static void test_mfn_encodes_node(void **state)
{
    struct sim_host *host = host_new(3, GIB, SIM_CLAIM_UPSTREAM);
    xen_pfn_t f[2] = { 0x100, 0x300 };
    xen_pfn_t one = 0x7;

    (void)state;
    dom_new(host, DOM, PLENTY, false);
    assert_int_equal(xc_domain_populate_physmap(sim_xch(host), DOM, 1, 0,
                                                EXACT(2), &one), 1);
    assert_int_equal(sim_mfn_node(one), 2);
    assert_int_equal(xc_domain_populate_physmap(sim_xch(host), DOM, 2, 9,
                                                EXACT(2), f), 2);
    assert_int_equal(sim_mfn_node(f[0]), 2);
    assert_int_equal(sim_mfn_node(f[1]), 2);
    assert_int_equal(f[0] % MIB2, 0);
    assert_int_equal(f[1] % MIB2, 0);
    assert_true(f[0] != f[1] && f[0] > one);
    sim_host_close(host);
}

static void test_hvm_gfns_untouched(void **state)
{
    struct sim_host *host = host_new(1, GIB, SIM_CLAIM_UPSTREAM);
    xen_pfn_t f[2] = { 0x200, 0x400 };

    (void)state;
    dom_new(host, DOM, PLENTY, true);
    assert_int_equal(xc_domain_populate_physmap(sim_xch(host), DOM, 2, 9, 0,
                                                f), 2);
    assert_int_equal(f[0], 0x200);
    assert_int_equal(f[1], 0x400);
    sim_host_close(host);
}

/* ---- blocks and fragmentation ----------------------------------------- */

static void test_split_counts(void **state)
{
    struct sim_host *host = host_new(1, GIB, SIM_CLAIM_UPSTREAM);
    struct sim_host_info hi;

    (void)state;
    dom_new(host, DOM, PLENTY, true);
    assert_int_equal(populate(host, DOM, 1, 9, 0), 1);
    host_get(host, &hi);
    assert_int_equal(hi.node_free_1g[0], 0);
    assert_int_equal(hi.node_free_2m[0], 511);
    assert_int_equal(populate(host, DOM, 1, 0, 0), 1);
    host_get(host, &hi);
    assert_int_equal(hi.node_free_2m[0], 510);
    assert_int_equal(hi.node_free[0], GIB - MIB2 - 1);
    assert_int_equal(hi.free_pages, GIB - MIB2 - 1);
    sim_host_close(host);
}

static void test_fragment_1g_gone_2m_works(void **state)
{
    struct sim_config cfg;
    struct sim_host *host = NULL;
    struct sim_host_info hi;

    (void)state;
    sim_config_uniform(&cfg, 2, 2 * GIB);
    sim_config_fragment(&cfg, 0, 0, 3);
    assert_int_equal(cfg.node[0].free_1g, 0);
    assert_int_equal(cfg.node[0].free_2m, 3);
    assert_int_equal(cfg.node[0].free_4k, 2 * GIB - 3 * MIB2);
    assert_int_equal(sim_host_create(&cfg, &host), 0);
    dom_new(host, DOM, PLENTY, true);
    assert_int_equal(populate(host, DOM, 1, 18, EXACT(0)), 0);
    assert_int_equal(populate(host, DOM, 4, 9, EXACT(0)), 3);
    assert_int_equal(populate(host, DOM, 8, 0, EXACT(0)), 8);
    assert_int_equal(populate(host, DOM, 1, 18, EXACT(1)), 1);
    host_get(host, &hi);
    assert_int_equal(hi.node_free[0], 2 * GIB - 3 * MIB2 - 8);
    assert_int_equal(hi.node_free_1g[1], 1);
    sim_host_close(host);
}

static void test_config_checked(void **state)
{
    struct sim_config cfg;
    struct sim_host *host = NULL;

    (void)state;
    sim_config_uniform(&cfg, 0, GIB);
    assert_int_equal(sim_host_create(&cfg, &host), -EINVAL);
    sim_config_uniform(&cfg, 1, GIB);
    cfg.node[0].free_4k = 1;
    assert_int_equal(sim_host_create(&cfg, &host), -EINVAL);
    sim_config_uniform(&cfg, 1, GIB + 5);
    assert_int_equal(cfg.node[0].free_1g, 1);
    assert_int_equal(cfg.node[0].free_4k, 5);
    assert_null(host);
}

static void test_destroy_returns_blocks(void **state)
{
    struct sim_host *host = host_new(1, 2 * GIB, SIM_CLAIM_UPSTREAM);
    struct sim_host_info hi;
    struct sim_domain_info di;
    xen_pfn_t before = 0, after = 0;

    (void)state;
    dom_new(host, DOM, PLENTY, false);
    assert_int_equal(xc_domain_claim_pages(sim_xch(host), DOM, GIB + 4096),
                     0);
    assert_int_equal(populate(host, DOM, 1, 18, 0), 1);
    assert_int_equal(populate(host, DOM, 2, 9, 0), 2);
    assert_int_equal(xc_domain_populate_physmap(sim_xch(host), DOM, 1, 0, 0,
                                                &before), 1);
    assert_int_equal(sim_domain_destroy(host, DOM), 0);
    assert_int_equal(sim_domain_destroy(host, DOM), -ESRCH);
    host_get(host, &hi);
    assert_int_equal(hi.free_pages, 2 * GIB);
    assert_int_equal(hi.outstanding, 0);
    assert_int_equal(hi.node_free_1g[0], 1);
    assert_int_equal(hi.node_free_2m[0], 511);
    dom_get(host, DOM, &di);
    assert_false(di.exists);
    /* Frames are never reused. */
    dom_new(host, DOM, PLENTY, false);
    assert_int_equal(xc_domain_populate_physmap(sim_xch(host), DOM, 1, 0, 0,
                                                &after), 1);
    assert_true(after > before);
    sim_host_close(host);
}

/* ---- claims ----------------------------------------------------------- */

static void test_claim_host_enomem(void **state)
{
    struct sim_host *host = host_new(2, GIB, SIM_CLAIM_UPSTREAM);
    xc_interface *xch = sim_xch(host);

    (void)state;
    dom_new(host, DOM, PLENTY, true);
    dom_new(host, OTHER, PLENTY, true);
    expect_fail(xc_domain_claim_pages(xch, DOM, 2 * GIB + 1), ENOMEM);
    assert_int_equal(xc_domain_claim_pages(xch, DOM, 2 * GIB), 0);
    expect_fail(xc_domain_claim_pages(xch, OTHER, 1), ENOMEM);
    sim_host_close(host);
}

static void test_claim_second_einval(void **state)
{
    struct sim_host *host = host_new(1, GIB, SIM_CLAIM_UPSTREAM);
    xc_interface *xch = sim_xch(host);
    struct sim_domain_info di;

    (void)state;
    dom_new(host, DOM, PLENTY, true);
    assert_int_equal(xc_domain_claim_pages(xch, DOM, 1000), 0);
    expect_fail(xc_domain_claim_pages(xch, DOM, 2000), EINVAL);
    dom_get(host, DOM, &di);
    assert_int_equal(di.outstanding, 1000);
    assert_int_equal(xc_domain_claim_pages(xch, DOM, 0), 0);
    dom_get(host, DOM, &di);
    assert_int_equal(di.outstanding, 0);
    assert_int_equal(xc_domain_claim_pages(xch, DOM, 2000), 0);
    sim_host_close(host);
}

static void test_claim_bounds(void **state)
{
    struct sim_host *host = host_new(1, GIB, SIM_CLAIM_UPSTREAM);
    xc_interface *xch = sim_xch(host);
    struct sim_domain_info di;

    (void)state;
    dom_new(host, DOM, 4096, true);
    assert_int_equal(populate(host, DOM, 1, 9, 0), 1);
    expect_fail(xc_domain_claim_pages(xch, DOM, MIB2), EINVAL);
    expect_fail(xc_domain_claim_pages(xch, DOM, 4097), EINVAL);
    assert_int_equal(xc_domain_claim_pages(xch, DOM, 4096), 0);
    dom_get(host, DOM, &di);
    assert_int_equal(di.claim_global, 4096 - MIB2);
    sim_host_close(host);
}

static void test_claim_consumed(void **state)
{
    struct sim_host *host = host_new(1, GIB, SIM_CLAIM_UPSTREAM);
    struct sim_domain_info di;
    struct sim_host_info hi;

    (void)state;
    dom_new(host, DOM, PLENTY, true);
    assert_int_equal(xc_domain_claim_pages(sim_xch(host), DOM, 3 * MIB2), 0);
    assert_int_equal(populate(host, DOM, 2, 9, 0), 2);
    dom_get(host, DOM, &di);
    assert_int_equal(di.outstanding, MIB2);
    assert_int_equal(populate(host, DOM, 2, 9, 0), 2);
    dom_get(host, DOM, &di);
    host_get(host, &hi);
    assert_int_equal(di.outstanding, 0);
    assert_int_equal(hi.outstanding, 0);
    assert_int_equal(di.tot_pages, 4 * MIB2);
    sim_host_close(host);
}

static void test_claim_blocks_others(void **state)
{
    struct sim_host *host = host_new(2, GIB, SIM_CLAIM_UPSTREAM);

    (void)state;
    dom_new(host, DOM, PLENTY, true);
    dom_new(host, OTHER, PLENTY, true);
    assert_int_equal(xc_domain_claim_pages(sim_xch(host), DOM,
                                           2 * GIB - MIB2), 0);
    assert_int_equal(populate(host, OTHER, 2, 9, 0), 1);
    assert_int_equal(populate(host, OTHER, 1, 0, 0), 0);
    /* The claimant still gets its memory. */
    assert_int_equal(populate(host, DOM, 1, 18, 0), 1);
    sim_host_close(host);
}

static void test_claim_end_1g_fails_2m_works(void **state)
{
    struct sim_host *host = host_new(2, GIB, SIM_CLAIM_UPSTREAM);
    xc_interface *xch = sim_xch(host);

    (void)state;
    dom_new(host, DOM, PLENTY, true);
    dom_new(host, OTHER, PLENTY, true);
    assert_int_equal(xc_domain_claim_pages(xch, OTHER, GIB + MIB2), 0);
    assert_int_equal(xc_domain_claim_pages(xch, DOM, GIB - MIB2), 0);
    assert_int_equal(populate(host, DOM, 1, 18, 0), 0);
    assert_int_equal(populate(host, DOM, 1, 9, 0), 1);
    sim_host_close(host);
}

static void test_node_claim_protects_node(void **state)
{
    struct sim_host *host = host_new(2, GIB, SIM_CLAIM_NODE);
    xc_interface *xch = sim_xch(host);
    struct sim_domain_info di;

    (void)state;
    dom_new(host, DOM, PLENTY, true);
    dom_new(host, OTHER, PLENTY, true);
    assert_int_equal(xc_domain_claim_pages_node(xch, DOM, 0, 100 * MIB2), 0);
    dom_get(host, DOM, &di);
    assert_int_equal(di.claim_node[0], 100 * MIB2);
    assert_int_equal(di.claim_global, 0);
    /* Another domain: not the whole node, nor a claim on the staked part. */
    assert_int_equal(populate(host, OTHER, 1, 18, EXACT(0)), 0);
    expect_fail(xc_domain_claim_pages_node(xch, OTHER, 0, GIB - 99 * MIB2),
                ENOMEM);
    assert_int_equal(populate(host, OTHER, 1, 9, EXACT(0)), 1);
    assert_int_equal(populate(host, OTHER, 1, 18, 0), 1);
    dom_get(host, OTHER, &di);
    assert_int_equal(di.pages_on[1], GIB);
    /* The claimant can take the whole node. */
    assert_int_equal(populate(host, DOM, GIB / MIB2 - 1, 9, EXACT(0)),
                     GIB / MIB2 - 1);
    sim_host_close(host);
}

/* Claim sets (the v7 ABI, tests/sim/claimset/xenctrl.h): SET mode. */
static int set_claims(struct sim_host *host, uint32_t domid, uint32_t nr,
                      xen_memory_claim_t *set)
{
    return xc_domain_claim_memory(sim_xch(host), domid,
                                  XEN_DOMCTL_CLAIM_MEMORY_SET, &nr, set);
}

#define HOST_CLAIM XEN_DOMCTL_CLAIM_MEMORY_HOST

/* A node's claim is redeemed first, then the host-wide part; once that is
 * gone, a claim set recalls the other nodes' claims (v7's allocator). */
static void test_claim_retires_node_first(void **state)
{
    struct sim_host *host = host_new(2, GIB, SIM_CLAIM_SET);
    xen_memory_claim_t set[2] = {
        { .pages = 2 * MIB2, .target = 0 },
        { .pages = 2 * MIB2, .target = HOST_CLAIM },
    };
    struct sim_domain_info di;

    (void)state;
    dom_new(host, DOM, PLENTY, true);
    assert_int_equal(set_claims(host, DOM, 2, set), 0);
    assert_int_equal(populate(host, DOM, 1, 9, EXACT(0)), 1);
    dom_get(host, DOM, &di);
    assert_int_equal(di.claim_node[0], MIB2);
    assert_int_equal(di.claim_global, 2 * MIB2);
    assert_int_equal(populate(host, DOM, 2, 9, EXACT(1)), 2);
    dom_get(host, DOM, &di);
    assert_int_equal(di.claim_node[0], MIB2);
    assert_int_equal(di.claim_global, 0);
    assert_int_equal(populate(host, DOM, 1, 9, EXACT(1)), 1);
    dom_get(host, DOM, &di);
    assert_int_equal(di.claim_node[0], 0);
    assert_int_equal(di.outstanding, 0);
    sim_host_close(host);
}

static void test_claim_set_replaces(void **state)
{
    struct sim_host *host = host_new(2, GIB, SIM_CLAIM_SET);
    xc_interface *xch = sim_xch(host);
    xen_memory_claim_t good[1] = { { .pages = 2000, .target = 1 } };
    xen_memory_claim_t dup[2] = {
        { .pages = 1, .target = 0 }, { .pages = 1, .target = 0 },
    };
    xen_memory_claim_t two_hosts[2] = {
        { .pages = 1, .target = HOST_CLAIM },
        { .pages = 1, .target = HOST_CLAIM },
    };
    xen_memory_claim_t bad_node[1] = { { .pages = 1, .target = 2 } };
    xen_memory_claim_t bad_cmd[1] = { { .pages = 1, .target = 0, .cmd = 1 } };
    xen_memory_claim_t too_big[1] = { { .pages = GIB + 1, .target = 0 } };
    xen_memory_claim_t over_max[1] = { { .pages = 5000, .target = 0 } };
    xen_memory_claim_t release[1] = { { .pages = 0, .target = HOST_CLAIM } };
    xen_memory_claim_t many[SIM_MAX_NODES + 2];
    struct sim_domain_info di;
    uint32_t nr = 0;

    (void)state;
    memset(many, 0, sizeof(many));
    dom_new(host, DOM, 4096, true);
    assert_int_equal(xc_domain_claim_pages(xch, DOM, 1000), 0);
    assert_int_equal(set_claims(host, DOM, 1, good), 0);
    expect_fail(set_claims(host, DOM, 2, dup), EINVAL);
    expect_fail(set_claims(host, DOM, 2, two_hosts), EINVAL);
    expect_fail(set_claims(host, DOM, 1, bad_node), ENOENT);
    expect_fail(set_claims(host, DOM, 1, bad_cmd), EINVAL);
    expect_fail(set_claims(host, DOM, 1, over_max), EINVAL);
    expect_fail(set_claims(host, DOM, 0, good), EINVAL);
    expect_fail(set_claims(host, DOM, SIM_MAX_NODES + 2, many), E2BIG);
    expect_fail(xc_domain_claim_memory(xch, DOM, 2, &nr, good), EOPNOTSUPP);
    assert_int_equal(xc_domain_setmaxmem(xch, DOM, PLENTY * 4), 0);
    expect_fail(set_claims(host, DOM, 1, too_big), ENOMEM);
    dom_get(host, DOM, &di);
    assert_int_equal(di.claim_global, 0);
    assert_int_equal(di.claim_node[1], 2000);
    assert_int_equal(di.outstanding, 2000);
    assert_int_equal(set_claims(host, DOM, 1, release), 0);
    dom_get(host, DOM, &di);
    assert_int_equal(di.outstanding, 0);
    sim_host_close(host);
}

/* GET: the host-wide part, then one entry per node; ERANGE with the count
 * needed when the array is too small. */
static void test_claim_set_get(void **state)
{
    struct sim_host *host = host_new(2, GIB, SIM_CLAIM_SET);
    xc_interface *xch = sim_xch(host);
    xen_memory_claim_t set[2] = {
        { .pages = 300, .target = 1 }, { .pages = 200, .target = HOST_CLAIM },
    };
    xen_memory_claim_t got[3];
    uint32_t nr = 0;

    (void)state;
    dom_new(host, DOM, PLENTY, true);
    assert_int_equal(set_claims(host, DOM, 2, set), 0);
    expect_fail(xc_domain_claim_memory(xch, DOM, XEN_DOMCTL_CLAIM_MEMORY_GET,
                                       &nr, NULL), ERANGE);
    assert_int_equal(nr, 2);
    nr = 3;
    assert_int_equal(xc_domain_claim_memory(xch, DOM,
                                            XEN_DOMCTL_CLAIM_MEMORY_GET, &nr,
                                            got), 0);
    assert_int_equal(nr, 2);
    assert_int_equal(got[0].target, HOST_CLAIM);
    assert_int_equal(got[0].pages, 200);
    assert_int_equal(got[1].target, 1);
    assert_int_equal(got[1].pages, 300);
    sim_host_close(host);
}

static void test_claim_set_respects_others(void **state)
{
    struct sim_host *host = host_new(2, GIB, SIM_CLAIM_SET);
    xen_memory_claim_t mine[1] = { { .pages = GIB / 2, .target = 0 } };
    xen_memory_claim_t theirs[1] = { { .pages = GIB / 2 + 1, .target = 0 } };

    (void)state;
    dom_new(host, DOM, PLENTY, true);
    dom_new(host, OTHER, PLENTY, true);
    assert_int_equal(set_claims(host, DOM, 1, mine), 0);
    expect_fail(set_claims(host, OTHER, 1, theirs), ENOMEM);
    theirs[0].pages = GIB / 2;
    assert_int_equal(set_claims(host, OTHER, 1, theirs), 0);
    /* Re-staking my own claim is not counted against me. */
    assert_int_equal(set_claims(host, DOM, 1, mine), 0);
    sim_host_close(host);
}

/* ---- claim ABIs (table) ----------------------------------------------- */

struct abi_case {
    const char *name;
    enum sim_claim_abi abi;
    enum sim_fn call;           /* which claim call */
    unsigned int node;
    int rc;
    int err;
    uint64_t global;            /* staked afterwards */
    uint64_t on_node1;
};

#define GLOBAL XC_CLAIM_NODE_GLOBAL
static struct abi_case abi_cases[] = {
    { "abi upstream: host-wide claim",
      SIM_CLAIM_UPSTREAM, SIM_FN_CLAIM_PAGES, GLOBAL, 0, 0, 1000, 0 },
    { "abi upstream: node claim EINVAL (mem_flags)",
      SIM_CLAIM_UPSTREAM, SIM_FN_CLAIM_PAGES_NODE, 1, -1, EINVAL, 0, 0 },
    { "abi upstream: node claim to GLOBAL is host-wide",
      SIM_CLAIM_UPSTREAM, SIM_FN_CLAIM_PAGES_NODE, GLOBAL, 0, 0, 1000, 0 },
    { "abi upstream: claim set ENOSYS",
      SIM_CLAIM_UPSTREAM, SIM_FN_CLAIM_MEMORY, 1, -1, ENOSYS, 0, 0 },
    { "abi node: node claim",
      SIM_CLAIM_NODE, SIM_FN_CLAIM_PAGES_NODE, 1, 0, 0, 0, 1000 },
    /* As the node-claim fixture's Xen answers (docs/nodeclaim.md). */
    { "abi node: node beyond the host ENOENT",
      SIM_CLAIM_NODE, SIM_FN_CLAIM_PAGES_NODE, 7, -1, ENOENT, 0, 0 },
    { "abi node: node 255 ERANGE",
      SIM_CLAIM_NODE, SIM_FN_CLAIM_PAGES_NODE, 255, -1, ERANGE, 0, 0 },
    { "abi node: claim set ENOSYS",
      SIM_CLAIM_NODE, SIM_FN_CLAIM_MEMORY, 1, -1, ENOSYS, 0, 0 },
    { "abi set: node claim",
      SIM_CLAIM_SET, SIM_FN_CLAIM_PAGES_NODE, 1, 0, 0, 0, 1000 },
    { "abi set: claim set on a node",
      SIM_CLAIM_SET, SIM_FN_CLAIM_MEMORY, 1, 0, 0, 0, 1000 },
    { "abi set: claim set, global entry",
      SIM_CLAIM_SET, SIM_FN_CLAIM_MEMORY, GLOBAL, 0, 0, 1000, 0 },
    { "abi none: host-wide claim swallowed, nothing staked",
      SIM_CLAIM_NONE, SIM_FN_CLAIM_PAGES, GLOBAL, 0, 0, 0, 0 },
    { "abi none: node claim ENOSYS",
      SIM_CLAIM_NONE, SIM_FN_CLAIM_PAGES_NODE, 1, -1, ENOSYS, 0, 0 },
    { "abi none: claim set ENOSYS",
      SIM_CLAIM_NONE, SIM_FN_CLAIM_MEMORY, 1, -1, ENOSYS, 0, 0 },
};

static int abi_call(struct sim_host *host, const struct abi_case *c)
{
    xen_memory_claim_t e = { .pages = 1000,
                             .target = c->node == GLOBAL ? HOST_CLAIM
                                                         : c->node };

    switch ( c->call )
    {
    case SIM_FN_CLAIM_PAGES:
        return xc_domain_claim_pages(sim_xch(host), DOM, 1000);
    case SIM_FN_CLAIM_PAGES_NODE:
        return xc_domain_claim_pages_node(sim_xch(host), DOM, c->node, 1000);
    default:
        return set_claims(host, DOM, 1, &e);
    }
}

static void run_abi_case(void **state)
{
    const struct abi_case *c = *state;
    struct sim_host *host = host_new(2, GIB, c->abi);
    struct sim_domain_info di;
    struct sim_host_info hi;
    int rc;

    dom_new(host, DOM, PLENTY, true);
    rc = abi_call(host, c);
    if ( c->rc < 0 )
        expect_fail(rc, c->err);
    else
        assert_int_equal(rc, c->rc);
    dom_get(host, DOM, &di);
    host_get(host, &hi);
    assert_int_equal(di.claim_global, c->global);
    assert_int_equal(di.claim_node[1], c->on_node1);
    assert_int_equal(hi.outstanding, c->global + c->on_node1);
    assert_int_equal(hi.calls_failed[c->call], c->rc < 0);
    sim_host_close(host);
}

/* ---- _exact, PoD ------------------------------------------------------ */

static void test_exact_short_is_ebusy(void **state)
{
    struct sim_host *host = host_new(1, GIB, SIM_CLAIM_UPSTREAM);
    xen_pfn_t f[4] = { 0 };
    struct sim_domain_info di;
    struct sim_host_info hi;

    (void)state;
    dom_new(host, DOM, 3 * MIB2, true);
    expect_fail(xc_domain_populate_physmap_exact(sim_xch(host), DOM, 4, 9, 0,
                                                 f), EBUSY);
    dom_get(host, DOM, &di);
    assert_int_equal(di.tot_pages, 3 * MIB2);
    host_get(host, &hi);
    assert_int_equal(hi.calls_failed[SIM_FN_POPULATE_EXACT], 1);
    assert_int_equal(xc_domain_populate_physmap_exact(sim_xch(host), DOM, 0,
                                                      9, 0, f), 0);
    sim_host_close(host);
}

static void test_pod(void **state)
{
    struct sim_host *host = host_new(2, GIB, SIM_CLAIM_UPSTREAM);
    xc_interface *xch = sim_xch(host);
    uint64_t tot = 0, cache = 0, entries = 0;
    struct sim_domain_info di;

    (void)state;
    dom_new(host, DOM, 3 * MIB2 + 5, true);
    assert_int_equal(xc_domain_claim_pages(xch, DOM, 3 * MIB2), 0);
    assert_int_equal(populate(host, DOM, 10, 9, XENMEMF_populate_on_demand),
                     10);
    dom_get(host, DOM, &di);
    assert_int_equal(di.pod_entries, 10 * MIB2);
    assert_int_equal(di.tot_pages, 0);
    assert_int_equal(xc_domain_set_pod_target(xch, DOM, 2 * MIB2 + 5, &tot,
                                              &cache, &entries), 0);
    assert_int_equal(tot, 2 * MIB2 + 5);
    assert_int_equal(cache, 2 * MIB2 + 5);
    assert_int_equal(entries, 10 * MIB2);
    dom_get(host, DOM, &di);
    assert_int_equal(di.pod_target, 2 * MIB2 + 5);
    /* No node named: round-robin from node 1, 2 MiB while 2 MiB is
     * missing, then 4 KiB (p2m_pod_set_cache_target()). */
    assert_int_equal(di.extents[1][1], 1);
    assert_int_equal(di.extents[0][1], 1);
    assert_int_equal(di.extents[1][0], 3);
    assert_int_equal(di.extents[0][0], 2);
    assert_int_equal(di.pod_cache, 2 * MIB2 + 5);
    assert_int_equal(di.outstanding, MIB2 - 5);
    /* Beyond max_pages: ENOMEM, what was taken stays. */
    expect_fail(xc_domain_set_pod_target(xch, DOM, 4 * MIB2, NULL, NULL,
                                         NULL), ENOMEM);
    dom_get(host, DOM, &di);
    assert_int_equal(di.tot_pages, 3 * MIB2 + 5);
    /* Below what the domain has: nothing changes. */
    assert_int_equal(xc_domain_set_pod_target(xch, DOM, MIB2, NULL, NULL,
                                              NULL), 0);
    dom_get(host, DOM, &di);
    assert_int_equal(di.pod_cache, 3 * MIB2 + 5);
    sim_host_close(host);
}

/* The PoD cache comes from the domain's node affinity, and grows by the
 * difference when the target is raised: a builder can fill it node by
 * node (set the affinity to a node, raise the target, next node). */
static void test_pod_cache_follows_affinity(void **state)
{
    struct sim_host *host = host_new(3, GIB, SIM_CLAIM_UPSTREAM);
    xc_interface *xch = sim_xch(host);
    struct sim_domain_info di;

    (void)state;
    dom_new(host, DOM, PLENTY, true);
    assert_int_equal(populate(host, DOM, 8, 9, XENMEMF_populate_on_demand),
                     8);
    assert_int_equal(sim_domain_set_node_affinity(host, DOM, 1u << 2), 0);
    assert_int_equal(xc_domain_set_pod_target(xch, DOM, 3 * MIB2, NULL, NULL,
                                              NULL), 0);
    assert_int_equal(sim_domain_set_node_affinity(host, DOM, 1u << 0), 0);
    assert_int_equal(xc_domain_set_pod_target(xch, DOM, 5 * MIB2 + 1, NULL,
                                              NULL, NULL), 0);
    dom_get(host, DOM, &di);
    assert_int_equal(di.pages_on[2], 3 * MIB2);
    assert_int_equal(di.pages_on[0], 2 * MIB2 + 1);
    assert_int_equal(di.pages_on[1], 0);
    sim_host_close(host);
}

/* ---- topology and domain queries -------------------------------------- */

static void test_numainfo(void **state)
{
    struct sim_host *host = host_new(2, GIB, SIM_CLAIM_UPSTREAM);
    xc_interface *xch = sim_xch(host);
    xc_meminfo_t mi[2];
    uint32_t dist[4];
    unsigned int n = 1;

    (void)state;
    expect_fail(xc_numainfo(xch, &n, mi, dist), ENOBUFS);
    assert_int_equal(n, 2);
    n = 0;
    assert_int_equal(xc_numainfo(xch, &n, NULL, NULL), 0);
    assert_int_equal(n, 2);
    dom_new(host, DOM, PLENTY, true);
    assert_int_equal(xc_domain_claim_pages(xch, DOM, 4 * MIB2), 0);
    assert_int_equal(populate(host, DOM, 1, 9, EXACT(0)), 1);
    assert_int_equal(xc_numainfo(xch, &n, mi, dist), 0);
    assert_int_equal(mi[0].memsize, GIB * 4096);
    assert_int_equal(mi[0].memfree, (GIB - MIB2) * 4096);   /* claim ignored */
    assert_int_equal(mi[1].memfree, GIB * 4096);
    assert_int_equal(dist[0], 10);
    assert_int_equal(dist[1], 20);
    assert_int_equal(dist[2], 20);
    assert_int_equal(dist[3], 10);
    sim_host_close(host);
}

static void test_distance_default_and_given(void **state)
{
    struct sim_config cfg;
    struct sim_host *host = NULL;
    uint32_t dist[4];
    unsigned int n = 2;

    (void)state;
    sim_config_uniform(&cfg, 2, GIB);
    memset(cfg.distance, 0, sizeof(cfg.distance));
    cfg.distance[0][1] = 21;
    cfg.node[1].pages = 0;
    cfg.node[1].free_1g = 0;
    assert_int_equal(sim_host_create(&cfg, &host), 0);
    assert_int_equal(xc_numainfo(sim_xch(host), &n, NULL, dist), 0);
    assert_int_equal(dist[0], 10);
    assert_int_equal(dist[1], 21);
    assert_int_equal(dist[2], 20);
    assert_int_equal(dist[3], 10);
    sim_host_close(host);
}

static void test_physinfo(void **state)
{
    struct sim_host *host = host_new(4, GIB, SIM_CLAIM_UPSTREAM);
    xc_physinfo_t pi;

    (void)state;
    dom_new(host, DOM, PLENTY, true);
    assert_int_equal(xc_domain_claim_pages(sim_xch(host), DOM, 777), 0);
    assert_int_equal(xc_physinfo(sim_xch(host), &pi), 0);
    assert_int_equal(pi.nr_nodes, 4);
    assert_int_equal(pi.max_node_id, SIM_MAX_NODES - 1);   /* as Xen 4.17 */
    assert_int_equal(pi.nr_cpus, 8);
    assert_int_equal(pi.total_pages, 4 * GIB);
    assert_int_equal(pi.free_pages, 4 * GIB);
    assert_int_equal(pi.outstanding_pages, 777);
    assert_true(pi.capabilities & XEN_SYSCTL_PHYSCAP_hvm);
    assert_int_equal(xc_get_max_nodes(sim_xch(host)), 4);
    sim_host_close(host);
}

static void test_getinfolist(void **state)
{
    struct sim_host *host = host_new(1, GIB, SIM_CLAIM_UPSTREAM);
    xc_domaininfo_t info[4];

    (void)state;
    dom_new(host, 5, 100, false);
    dom_new(host, 1, 200, true);
    dom_new(host, 3, 300, true);
    assert_int_equal(sim_domain_create(host, 3, 1, true), -EEXIST);
    assert_int_equal(sim_domain_create(host, 0x7ff0, 1, true), -EINVAL);
    assert_int_equal(xc_domain_claim_pages(sim_xch(host), 3, 50), 0);
    assert_int_equal(xc_domain_getinfolist(sim_xch(host), 2, 4, info), 2);
    assert_int_equal(info[0].domain, 3);
    assert_int_equal(info[0].max_pages, 300);
    assert_int_equal(info[0].outstanding_pages, 50);
    assert_true(info[0].flags & XEN_DOMINF_hvm_guest);
    assert_int_equal(info[1].domain, 5);
    assert_false(info[1].flags & XEN_DOMINF_hvm_guest);
    assert_int_equal(xc_domain_getinfolist(sim_xch(host), 6, 4, info), 0);
    assert_int_equal(xc_domain_setmaxmem(sim_xch(host), 5, 8192), 0);
    assert_int_equal(xc_domain_getinfolist(sim_xch(host), 5, 1, info), 1);
    assert_int_equal(info[0].max_pages, 2048);
    sim_host_close(host);
}

static void test_domain_table_full(void **state)
{
    struct sim_host *host = host_new(1, GIB, SIM_CLAIM_UPSTREAM);
    unsigned int i;

    (void)state;
    for ( i = 0; i < SIM_MAX_DOMAINS; i++ )
        dom_new(host, i + 1, 1, true);
    assert_int_equal(sim_domain_create(host, 5000, 1, true), -ENOSPC);
    sim_host_close(host);
}

/* ---- faults, counters, handles ---------------------------------------- */

static void test_fault_nth_once(void **state)
{
    struct sim_host *host = host_new(1, GIB, SIM_CLAIM_UPSTREAM);
    struct sim_domain_info di;
    struct sim_host_info hi;
    xc_physinfo_t pi;

    (void)state;
    dom_new(host, DOM, PLENTY, true);
    assert_int_equal(sim_fault(host, SIM_FN_POPULATE, 2, EIO), 0);
    assert_int_equal(sim_fault(host, SIM_FN_PHYSINFO, 1, EAGAIN), 0);
    assert_int_equal(populate(host, DOM, 1, 9, 0), 1);
    expect_fail(populate(host, DOM, 1, 9, 0), EIO);
    dom_get(host, DOM, &di);
    assert_int_equal(di.tot_pages, MIB2);               /* did nothing */
    assert_int_equal(populate(host, DOM, 1, 9, 0), 1);  /* once only */
    expect_fail(xc_physinfo(sim_xch(host), &pi), EAGAIN);
    assert_int_equal(xc_physinfo(sim_xch(host), &pi), 0);
    host_get(host, &hi);
    assert_int_equal(hi.calls[SIM_FN_POPULATE], 3);
    assert_int_equal(hi.calls_failed[SIM_FN_POPULATE], 1);
    assert_int_equal(hi.calls[SIM_FN_PHYSINFO], 2);
    sim_reset_counters(host);
    host_get(host, &hi);
    assert_int_equal(hi.calls[SIM_FN_POPULATE], 0);
    assert_int_equal(hi.calls_failed[SIM_FN_POPULATE], 0);
    sim_host_close(host);
}

static void test_fault_table(void **state)
{
    struct sim_host *host = host_new(1, GIB, SIM_CLAIM_UPSTREAM);
    uint64_t tot = 0;
    unsigned int i;
    int rc = 0;

    (void)state;
    assert_int_equal(sim_fault(host, SIM_FN_POPULATE, 0, EIO), -EINVAL);
    assert_int_equal(sim_fault(host, SIM_FN_NR, 1, EIO), -EINVAL);
    for ( i = 0; i < 100 && !rc; i++ )
        rc = sim_fault(host, SIM_FN_SETMAXMEM, 1, EIO);
    assert_int_equal(rc, -ENOSPC);
    /* All fire on the one call; a fired fault frees its slot. */
    expect_fail(xc_domain_setmaxmem(sim_xch(host), DOM, 4), EIO);
    assert_int_equal(sim_fault(host, SIM_FN_SET_POD_TARGET, 1, EPERM), 0);
    sim_fault_clear(host);
    expect_fail(xc_domain_set_pod_target(sim_xch(host), DOM, 0, &tot, NULL,
                                         NULL), ESRCH);
    sim_host_close(host);
}

static void test_fn_names(void **state)
{
    enum sim_fn fn;
    unsigned int i;

    (void)state;
    for ( i = 0; i < SIM_FN_NR; i++ )
    {
        assert_non_null(sim_fn_name((enum sim_fn)i));
        assert_int_equal(sim_fn_lookup(sim_fn_name((enum sim_fn)i), &fn), 0);
        assert_int_equal(fn, i);
    }
    assert_string_equal(sim_fn_name(SIM_FN_POPULATE),
                        "xc_domain_populate_physmap");
    assert_int_equal(sim_fn_lookup("xc_nope", &fn), -ENOENT);
    assert_null(sim_fn_name(SIM_FN_NR));
}

static void test_handles(void **state)
{
    struct sim_host *host = host_new(1, GIB, SIM_CLAIM_UPSTREAM);
    xc_physinfo_t pi;

    (void)state;
    assert_ptr_equal(sim_from_xch(sim_xch(host)), host);
    expect_fail(xc_physinfo(NULL, &pi), EBADF);
    /* libxenguest's reporting must not touch the (absent) logger. */
    errno = 42;
    xc_report_progress_single(sim_xch(host), "x");
    xc_report_progress_step(sim_xch(host), 1, 2);
    assert_int_equal(errno, 42);
    sim_host_close(host);
}

/* ---- observer --------------------------------------------------------- */

struct obs_log {
    unsigned int calls;
    unsigned int node[4];
    unsigned long nr[4];
    xen_pfn_t first_gfn[4];
    bool pod[4];
};

static void observe(void *opaque, uint32_t domid, const xen_pfn_t *gfns,
                    unsigned long nr, unsigned int order, unsigned int node,
                    bool pod)
{
    struct obs_log *log = opaque;

    (void)domid;
    (void)order;
    if ( log->calls >= 4 )
        return;
    log->node[log->calls] = node;
    log->nr[log->calls] = nr;
    log->first_gfn[log->calls] = gfns[0];
    log->pod[log->calls] = pod;
    log->calls++;
}

static void test_observer_runs(void **state)
{
    struct sim_config cfg;
    struct sim_host *host = NULL;
    struct obs_log log = { 0 };

    (void)state;
    sim_config_uniform(&cfg, 2, GIB);
    sim_config_fragment(&cfg, 0, 0, 1);
    cfg.node[0].free_4k = 0;
    cfg.node[0].pages = MIB2;
    assert_int_equal(sim_host_create(&cfg, &host), 0);
    sim_set_observer(host, observe, &log);
    dom_new(host, DOM, PLENTY, false);
    /* Node 0 named, not exact: its one block, then node 1. */
    assert_int_equal(populate(host, DOM, 3, 9, NODE(0)), 3);
    assert_int_equal(log.calls, 2);
    assert_int_equal(log.node[0], 0);
    assert_int_equal(log.nr[0], 1);
    assert_int_equal(log.first_gfn[0], 0);
    assert_int_equal(log.node[1], 1);
    assert_int_equal(log.nr[1], 2);
    assert_int_equal(log.first_gfn[1], MIB2);   /* the gfn, not the mfn */
    assert_int_equal(populate(host, DOM, 2, 0, XENMEMF_populate_on_demand),
                     2);
    assert_int_equal(log.calls, 3);
    assert_true(log.pod[2]);
    assert_int_equal(log.node[2], SIM_NO_NODE);
    sim_set_observer(host, NULL, NULL);
    assert_int_equal(populate(host, DOM, 1, 9, 0), 1);
    assert_int_equal(log.calls, 3);
    sim_host_close(host);
}

/* ---- sharing between handles and processes ---------------------------- */

static void tmp_path(char *buf, size_t len)
{
    int fd;

    snprintf(buf, len, "/tmp/test_sim.XXXXXX");
    fd = mkstemp(buf);
    assert_true(fd >= 0);
    close(fd);
}

static struct sim_host *host_file(const char *path, unsigned int nr_nodes)
{
    struct sim_config cfg;
    struct sim_host *host = NULL;

    sim_config_uniform(&cfg, nr_nodes, GIB);
    cfg.path = path;
    assert_int_equal(sim_host_create(&cfg, &host), 0);
    return host;
}

static void test_two_handles_one_file(void **state)
{
    char path[64];
    struct sim_host *a, *b = NULL;
    struct sim_domain_info di;

    (void)state;
    tmp_path(path, sizeof(path));
    a = host_file(path, 2);
    assert_int_equal(sim_host_attach(path, &b), 0);
    dom_new(a, DOM, PLENTY, true);
    assert_int_equal(populate(b, DOM, 2, 9, EXACT(1)), 2);
    dom_get(a, DOM, &di);
    assert_int_equal(di.pages_on[1], 2 * MIB2);
    assert_int_equal(xc_domain_claim_pages(sim_xch(a), DOM, GIB), 0);
    expect_fail(xc_domain_claim_pages(sim_xch(b), DOM, GIB), EINVAL);
    sim_host_close(b);
    sim_host_close(a);
    unlink(path);
    assert_int_equal(sim_host_attach(path, &b), -ENOENT);
    assert_int_equal(sim_host_attach("/dev/null", &b), -EINVAL);
}

/* In a child: attach, populate nr 4K extents one call at a time. */
static int child_populate(const char *path, uint32_t domid, unsigned int nr,
                          unsigned int memflags)
{
    struct sim_host *host = NULL;
    xen_pfn_t gfn;
    unsigned int i;

    if ( sim_host_attach(path, &host) )
        return 2;
    for ( i = 0; i < nr; i++ )
    {
        gfn = i;
        if ( xc_domain_populate_physmap(sim_xch(host), domid, 1, 0, memflags,
                                        &gfn) != 1 )
            return 3;
    }
    sim_host_close(host);
    return 0;
}

static void wait_child(pid_t pid)
{
    int status = -1;

    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_forked_child_visible(void **state)
{
    char path[64];
    struct sim_host *host;
    struct sim_domain_info di;
    pid_t pid;

    (void)state;
    tmp_path(path, sizeof(path));
    host = host_file(path, 2);
    dom_new(host, DOM, PLENTY, true);
    pid = fork();
    assert_true(pid >= 0);
    if ( pid == 0 )
        _exit(child_populate(path, DOM, 3, EXACT(1)));
    wait_child(pid);
    dom_get(host, DOM, &di);
    assert_int_equal(di.tot_pages, 3);
    assert_int_equal(di.pages_on[1], 3);
    sim_host_close(host);
    unlink(path);
}

/* Children start together: each blocks until the parent closes `go`. */
static pid_t storm_child(const char *path, uint32_t domid, unsigned int nr,
                         int go[2])
{
    pid_t pid = fork();
    char c;

    assert_true(pid >= 0);
    if ( pid )
        return pid;
    close(go[1]);
    if ( read(go[0], &c, 1) != 0 )
        _exit(4);
    _exit(child_populate(path, domid, nr, 0));
}

static void test_boot_storm(void **state)
{
    enum { KIDS = 4, EACH = 4000 };
    char path[64];
    struct sim_host *host;
    struct sim_host_info hi;
    pid_t pid[KIDS];
    unsigned int i;
    int go[2];

    (void)state;
    tmp_path(path, sizeof(path));
    host = host_file(path, 2);
    assert_int_equal(pipe(go), 0);
    for ( i = 0; i < KIDS; i++ )
    {
        dom_new(host, 10 + i, PLENTY, true);
        pid[i] = storm_child(path, 10 + i, EACH, go);
    }
    close(go[0]);
    close(go[1]);
    for ( i = 0; i < KIDS; i++ )
        wait_child(pid[i]);
    host_get(host, &hi);
    assert_int_equal(hi.free_pages, 2 * GIB - KIDS * EACH);
    assert_int_equal(hi.calls[SIM_FN_POPULATE], KIDS * EACH);
    sim_host_close(host);
    unlink(path);
}

/* In a child: populate 1 GiB as 4K extents, give it back, forever. */
static void child_churn(const char *path, uint32_t domid)
{
    struct sim_host *host = NULL;
    xen_pfn_t *gfns = calloc(GIB, sizeof(*gfns));

    if ( !gfns || sim_host_attach(path, &host) )
        _exit(2);
    for ( ;; )
    {
        xc_domain_populate_physmap(sim_xch(host), domid, GIB, 0, 0, gfns);
        sim_domain_destroy(host, domid);
        sim_domain_create(host, domid, PLENTY, true);
    }
}

/*
 * A builder killed while it holds the host lock (almost surely: the child
 * spends nearly all its time inside one long populate) must not wedge the
 * others: the lock is robust. alarm() turns a regression into a failure
 * rather than a hang.
 */
static void test_lock_holder_killed(void **state)
{
    char path[64];
    struct sim_host *host;
    struct sim_host_info hi;
    int status;
    pid_t pid;

    (void)state;
    tmp_path(path, sizeof(path));
    host = host_file(path, 2);
    dom_new(host, DOM, PLENTY, true);
    pid = fork();
    assert_true(pid >= 0);
    if ( pid == 0 )
        child_churn(path, DOM);
    do
    {
        usleep(1000);
        host_get(host, &hi);
    } while ( hi.calls[SIM_FN_POPULATE] < 3 );
    usleep(5000);       /* off the lock, so that the child is on it */
    assert_int_equal(kill(pid, SIGKILL), 0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    alarm(20);
    host_get(host, &hi);
    dom_new(host, OTHER, PLENTY, true);
    assert_int_equal(populate(host, OTHER, 1, 9, 0), 1);
    alarm(0);
    sim_host_close(host);
    unlink(path);
}

/* ---- libxenguest's own meminit against the simulator ------------------ */

/* An 8 GiB HVM guest as xen-memory.md describes it: 3 GiB low, 1 GiB hole. */
static int stock_hvm_meminit(struct sim_host *host, uint32_t domid)
{
    struct xc_dom_image *dom = xc_dom_allocate(sim_xch(host), NULL, NULL);
    int rc;

    assert_non_null(dom);
    dom->guest_domid = domid;
    dom->claim_enabled = 1;
    dom->guest_type = "hvm-3.0-x86_32";
    dom->container_type = XC_DOM_HVM_CONTAINER;
    dom->total_pages = dom->target_pages = 8 * GIB;
    dom->lowmem_end = 3ull << 30;
    dom->mmio_start = 3ull << 30;
    dom->mmio_size = 1ull << 30;
    dom->highmem_end = 9ull << 30;
    dom->device_model = true;
    assert_int_equal(xc_dom_set_arch_hooks(dom), 0);
    rc = dom->arch_hooks->meminit(dom);
    xc_dom_release(dom);
    return rc;
}

struct stock_case {
    const char *name;
    bool no_1g;                 /* fragment every node: no 1 GiB blocks */
    uint64_t populates;         /* xc_domain_populate_physmap calls */
    uint64_t extents_1g;
};

static struct stock_case stock_cases[] = {
    { "stock meminit: 8 GiB HVM, 1 GiB pages available", false, 135, 7 },
    { "stock meminit: 8 GiB HVM, no 1 GiB pages", true, 1031, 0 },
};

/*
 * libxenguest 4.17 binds to the stand-ins through the symbol version, and
 * its logging does not trip over the simulator's handle.
 */
static void run_stock_case(void **state)
{
    const struct stock_case *c = *state;
    struct sim_config cfg;
    struct sim_host *host = NULL;
    struct sim_domain_info di;
    struct sim_host_info hi;

    sim_config_uniform(&cfg, 2, 8 * GIB);
    if ( c->no_1g )
    {
        sim_config_fragment(&cfg, 0, 0, UINT64_MAX);
        sim_config_fragment(&cfg, 1, 0, UINT64_MAX);
    }
    assert_int_equal(sim_host_create(&cfg, &host), 0);
    dom_new(host, DOM, 8 * GIB, true);
    assert_int_equal(stock_hvm_meminit(host, DOM), 0);
    host_get(host, &hi);
    dom_get(host, DOM, &di);
    assert_int_equal(hi.calls[SIM_FN_POPULATE], c->populates);
    assert_int_equal(hi.calls[SIM_FN_POPULATE_EXACT], 2);
    assert_int_equal(hi.calls[SIM_FN_CLAIM_PAGES], 2);     /* claim, cancel */
    assert_int_equal(di.tot_pages, 8 * GIB - 0x20);        /* VGA hole */
    assert_int_equal(di.outstanding, 0);
    assert_int_equal(di.extents[0][2] + di.extents[1][2], c->extents_1g);
    sim_host_close(host);
}

/* ---- the runner ------------------------------------------------------- */


static const struct CMUnitTest fixed_tests[] = {
    cmocka_unit_test(test_populate_unknown_domain),
    cmocka_unit_test(test_populate_affinity),
    cmocka_unit_test(test_mfn_encodes_node),
    cmocka_unit_test(test_hvm_gfns_untouched),
    cmocka_unit_test(test_split_counts),
    cmocka_unit_test(test_fragment_1g_gone_2m_works),
    cmocka_unit_test(test_config_checked),
    cmocka_unit_test(test_destroy_returns_blocks),
    cmocka_unit_test(test_claim_host_enomem),
    cmocka_unit_test(test_claim_second_einval),
    cmocka_unit_test(test_claim_bounds),
    cmocka_unit_test(test_claim_consumed),
    cmocka_unit_test(test_claim_blocks_others),
    cmocka_unit_test(test_claim_end_1g_fails_2m_works),
    cmocka_unit_test(test_node_claim_protects_node),
    cmocka_unit_test(test_claim_retires_node_first),
    cmocka_unit_test(test_claim_set_replaces),
    cmocka_unit_test(test_claim_set_get),
    cmocka_unit_test(test_claim_set_respects_others),
    cmocka_unit_test(test_exact_short_is_ebusy),
    cmocka_unit_test(test_pod),
    cmocka_unit_test(test_pod_cache_follows_affinity),
    cmocka_unit_test(test_setaffinity),
    cmocka_unit_test(test_numainfo),
    cmocka_unit_test(test_distance_default_and_given),
    cmocka_unit_test(test_physinfo),
    cmocka_unit_test(test_getinfolist),
    cmocka_unit_test(test_domain_table_full),
    cmocka_unit_test(test_fault_nth_once),
    cmocka_unit_test(test_fault_table),
    cmocka_unit_test(test_fn_names),
    cmocka_unit_test(test_handles),
    cmocka_unit_test(test_observer_runs),
    cmocka_unit_test(test_two_handles_one_file),
    cmocka_unit_test(test_forked_child_visible),
    cmocka_unit_test(test_boot_storm),
    cmocka_unit_test(test_lock_holder_killed),
};

int main(void)
{
    /* Static: a few hundred tests are too many for the stack. */
    static struct CMUnitTest tests[CMT_SIZE(pop_cases) + CMT_SIZE(rr_cases) +
                                   CMT_SIZE(abi_cases) +
                                   CMT_SIZE(stock_cases) +
                                   CMT_SIZE(fixed_tests)];
    struct CMUnitTest *next = tests;

    CMT_CASES(next, pop_cases, run_pop_case);
    CMT_CASES(next, rr_cases, run_rr_case);
    CMT_CASES(next, abi_cases, run_abi_case);
    CMT_CASES(next, stock_cases, run_stock_case);
    CMT_TESTS(next, fixed_tests);
    return CMT_RUN("sim", tests, next);
}
