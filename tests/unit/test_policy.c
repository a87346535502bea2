/*
 * test_policy.c - the per-VM NUMA memory policy (issue 12) on the
 * simulated host, and how xenguest decides it from flags and keys.
 *
 * One table, policy: every mode (preferred, strict, interleave, off) x
 * {fits, does not fit, a node set with a memoryless node, a fragmented
 * node}, plus the refusals. Every row runs a real meminit_build() on a
 * 4-node host of 4 GiB per node (HVM guests laid out as libxl does: the
 * VGA hole takes 0x20 pages) and asserts what the simulated Xen holds
 * afterwards: pages per node and page sizes, the node affinity, the claim
 * left (always 0) and, for a failure, the exact error with nothing
 * populated. Then the keys (platform/numa-memory, platform/numa-nodes) and
 * the precedence flag > key > default (xg_numa_policy()).
 */
#include <errno.h>
#include <stdio.h>

#include "fixture.h"
#include "numapolicy.h"
#include "options.h"
#include "platform.h"
#include "cmt.h"

#define NODES       4
#define G           GiB_PAGES
#define VGA         0x20ull
#define HVM(mib)    ((mib) * MiB_PAGES - VGA)

enum host_shape {
    PLAIN,                  /* 4 x 4 GiB, free as 1 GiB blocks */
    MEMORYLESS_2,           /* node 2 has no memory */
    FRAGMENTED_1,           /* node 1's memory is free as 2 MiB blocks */
};

struct pol_case {
    const char *name;
    enum meminit_policy_mode mode;
    uint64_t set;               /* node set, bit per node; 0: all */
    unsigned int pnode;         /* MEMINIT_NO_NODE: our placement */
    uint64_t mib;               /* HVM guest */
    enum host_shape host;
    enum sim_claim_abi abi;
    int rc;
    const char *err;            /* "step: message" when rc */
    uint64_t pages[NODES];      /* per node, by the simulated Xen */
    bool sizes;                 /* ext[] below is asserted */
    uint64_t ext[NODES][3];     /* per node: 4K, 2M, 1G extents */
    enum meminit_pnode_reason reason;
    uint64_t affinity;          /* the domain's node affinity after */
    bool plan;                  /* meminit_plan() gives pages[] exactly */
};

/* One unfragmented node holding a 2 GiB HVM guest: 4K 480, 2M 511, 1G 1. */
#define ONE_2G      { 480, 511, 1 }
#define N1_3        0xaull      /* nodes 1 and 3 */
/* The rest of a row that fails. */
#define NO_BUILD    { 0 }, false, { { 0 } }, MEMINIT_PNODE_GIVEN, 0, false

static struct pol_case pol_cases[] = {
    /* preferred */
    { "preferred: fits, best fit inside the set 1,3",
      MEMINIT_POLICY_PREFERRED, N1_3, MEMINIT_NO_NODE, 2048, PLAIN,
      SIM_CLAIM_UPSTREAM, 0, NULL, { 0, HVM(2048), 0, 0 }, true,
      { { 0 }, ONE_2G }, MEMINIT_PNODE_BEST_FIT, 0x2, true },
    { "preferred: does not fit the set 1,3, the rest outside it",
      MEMINIT_POLICY_PREFERRED, N1_3, MEMINIT_NO_NODE, 10240, PLAIN,
      SIM_CLAIM_UPSTREAM, 0, NULL, { 2 * G, 4 * G - VGA, 0, 4 * G }, true,
      { { 0, 0, 2 }, { 480, 511, 3 }, { 0 }, { 0, 0, 4 } },
      MEMINIT_PNODE_MOST_FREE, 0xb, false },
    { "preferred: set 1-2, node 2 memoryless",
      MEMINIT_POLICY_PREFERRED, 0x6, MEMINIT_NO_NODE, 2048, MEMORYLESS_2,
      SIM_CLAIM_UPSTREAM, 0, NULL, { 0, HVM(2048), 0, 0 }, true,
      { { 0 }, ONE_2G }, MEMINIT_PNODE_BEST_FIT, 0x2, true },
    { "preferred: -mem_pnode 1 in the set, node 1 fragmented",
      MEMINIT_POLICY_PREFERRED, N1_3, 1, 2048, FRAGMENTED_1,
      SIM_CLAIM_UPSTREAM, 0, NULL, { 0, HVM(2048), 0, 0 }, true,
      { { 0 }, { 480, 1023, 0 } }, MEMINIT_PNODE_GIVEN, 0x2, true },
    { "preferred: -mem_pnode 0 outside the set 1,3",
      MEMINIT_POLICY_PREFERRED, N1_3, 0, 2048, PLAIN, SIM_CLAIM_UPSTREAM,
      -EINVAL, "placement: preferred node 0 is outside the node set 1,3 "
      "(policy preferred)", NO_BUILD },
    /* strict */
    { "strict: fits, claim set on the set",
      MEMINIT_POLICY_STRICT, N1_3, MEMINIT_NO_NODE, 2048, PLAIN,
      SIM_CLAIM_SET, 0, NULL, { 0, HVM(2048), 0, 0 }, true,
      { { 0 }, ONE_2G }, MEMINIT_PNODE_BEST_FIT, 0x2, true },
    { "strict: does not fit the set 1,3: claim step, nothing populated",
      MEMINIT_POLICY_STRICT, N1_3, MEMINIT_NO_NODE, 10240, PLAIN,
      SIM_CLAIM_SET, -ENOMEM, "claim: node set 1,3 cannot hold the guest "
      "(policy strict): need 10239 MiB, the set has 8192 MiB free (node 1: "
      "4096 MiB, node 3: 4096 MiB)", NO_BUILD },
    { "strict: set 1-2, node 2 memoryless counts for nothing",
      MEMINIT_POLICY_STRICT, 0x6, MEMINIT_NO_NODE, 6144, MEMORYLESS_2,
      SIM_CLAIM_NODE, -ENOMEM, "claim: node set 1-2 cannot hold the guest "
      "(policy strict): need 6143 MiB, the set has 4096 MiB free (node 1: "
      "4096 MiB)", NO_BUILD },
    { "strict: node 1 fragmented, spill to 3 only, never 0 or 2",
      MEMINIT_POLICY_STRICT, N1_3, MEMINIT_NO_NODE, 6144, FRAGMENTED_1,
      SIM_CLAIM_UPSTREAM, 0, NULL, { 0, 4 * G - VGA, 0, 2 * G }, true,
      { { 0 }, { 480, 2047, 0 }, { 0 }, { 0, 0, 2 } },
      MEMINIT_PNODE_MOST_FREE, 0xa, false },
    { "strict: -mem_pnode 3 in the set",
      MEMINIT_POLICY_STRICT, N1_3, 3, 2048, PLAIN, SIM_CLAIM_NODE, 0, NULL,
      { 0, 0, 0, HVM(2048) }, true, { { 0 }, { 0 }, { 0 }, ONE_2G },
      MEMINIT_PNODE_GIVEN, 0x8, true },
    /* interleave */
    { "interleave: fits, half on 1 and half on 3",
      MEMINIT_POLICY_INTERLEAVE, N1_3, MEMINIT_NO_NODE, 4096, PLAIN,
      SIM_CLAIM_SET, 0, NULL, { 0, HVM(4096) / 2, 0, HVM(4096) / 2 }, false,
      { { 0 } }, MEMINIT_PNODE_INTERLEAVE, N1_3, true },
    { "interleave: -mem_pnode 1 in the set changes nothing",
      MEMINIT_POLICY_INTERLEAVE, N1_3, 1, 2048, PLAIN, SIM_CLAIM_UPSTREAM,
      0, NULL, { 0, HVM(2048) / 2, 0, HVM(2048) / 2 }, false, { { 0 } },
      MEMINIT_PNODE_INTERLEAVE, N1_3, true },
    { "interleave: does not fit the set 1,3",
      MEMINIT_POLICY_INTERLEAVE, N1_3, MEMINIT_NO_NODE, 10240, PLAIN,
      SIM_CLAIM_UPSTREAM, -ENOMEM, "claim: node set 1,3 cannot hold the "
      "guest (policy interleave): need 10239 MiB, the set has 8192 MiB free "
      "(node 1: 4096 MiB, node 3: 4096 MiB)", NO_BUILD },
    { "interleave: set 1-3, node 2 memoryless: 1 and 3",
      MEMINIT_POLICY_INTERLEAVE, 0xe, MEMINIT_NO_NODE, 2048, MEMORYLESS_2,
      SIM_CLAIM_UPSTREAM, 0, NULL, { 0, HVM(2048) / 2, 0, HVM(2048) / 2 },
      false, { { 0 } }, MEMINIT_PNODE_INTERLEAVE, N1_3, true },
    { "interleave: node 1 fragmented, still half each",
      MEMINIT_POLICY_INTERLEAVE, N1_3, MEMINIT_NO_NODE, 4096, FRAGMENTED_1,
      SIM_CLAIM_UPSTREAM, 0, NULL, { 0, HVM(4096) / 2, 0, HVM(4096) / 2 },
      false, { { 0 } }, MEMINIT_PNODE_INTERLEAVE, N1_3, true },
    /* off */
    { "off: fits, no node named (set and -mem_pnode ignored)",
      MEMINIT_POLICY_OFF, N1_3, 1, 2048, PLAIN, SIM_CLAIM_SET, 0, NULL,
      { 0 }, false, { { 0 } }, MEMINIT_PNODE_OFF, 0, false },
    { "off: does not fit the host",
      MEMINIT_POLICY_OFF, 0, MEMINIT_NO_NODE, 20480, PLAIN,
      SIM_CLAIM_UPSTREAM, -ENOMEM, "claim: not enough memory: need 20479 "
      "MiB, host has 16384 MiB free of which 0 MiB are claimed by other "
      "domains", NO_BUILD },
    { "off: node 2 memoryless",
      MEMINIT_POLICY_OFF, 0, MEMINIT_NO_NODE, 2048, MEMORYLESS_2,
      SIM_CLAIM_UPSTREAM, 0, NULL, { 0 }, false, { { 0 } },
      MEMINIT_PNODE_OFF, 0, false },
    { "off: node 1 fragmented",
      MEMINIT_POLICY_OFF, 0, MEMINIT_NO_NODE, 2048, FRAGMENTED_1,
      SIM_CLAIM_UPSTREAM, 0, NULL, { 0 }, false, { { 0 } },
      MEMINIT_PNODE_OFF, 0, false },
    /* sets the host cannot have */
    { "a set naming node 5 on a 4-node host",
      MEMINIT_POLICY_STRICT, 0x22, MEMINIT_NO_NODE, 2048, PLAIN,
      SIM_CLAIM_UPSTREAM, -EINVAL, "placement: node set 1,5 names a node "
      "this host does not have (nodes 0-3)", NO_BUILD },
    { "a set of one memoryless node",
      MEMINIT_POLICY_INTERLEAVE, 0x4, MEMINIT_NO_NODE, 2048, MEMORYLESS_2,
      SIM_CLAIM_UPSTREAM, -EINVAL, "placement: node set 2 has no node with "
      "memory on this host", NO_BUILD },
};

static void pol_host(struct fx *f, const struct pol_case *pc)
{
    fx_config(f, NODES, 4, pc->abi);
    if ( pc->host == MEMORYLESS_2 )
        f->cfg.node[2] = (struct sim_node_config){ 0 };
    if ( pc->host == FRAGMENTED_1 )
        sim_config_fragment(&f->cfg, 1, 0, 4 * G / SIM_PAGES_2M);
    fx_start(f);
    fx_domain(f, MEMINIT_GUEST_HVM, pc->mib);
    f->req.policy = (struct meminit_policy){ pc->mode, pc->set, pc->pnode };
}

static void assert_failed(struct fx *f, const struct pol_case *pc, int rc)
{
    char text[sizeof(f->err.msg) + 32];

    assert_int_equal(rc, pc->rc);
    snprintf(text, sizeof(text), "%s: %s", f->err.step, f->err.msg);
    assert_string_equal(text, pc->err);
    assert_int_equal(fx_info(f).tot_pages, 0);
    assert_int_equal(f->st.populate_calls, 0);
}

/* No node named: every page through "any", none in the per-node stats. */
static void assert_off(struct fx *f)
{
    struct sim_domain_info di = fx_info(f);
    uint64_t sum = 0;
    unsigned int n;

    for ( n = 0; n < NODES; n++ )
    {
        assert_int_equal(meminit_node_pages(&f->st.node[n]), 0);
        sum += di.pages_on[n];
    }
    assert_int_equal(sum, f->populated);
    assert_int_equal(meminit_node_pages(&f->st.anynode), f->populated);
    assert_int_equal(f->st.anynode.calls, f->st.populate_calls);
    assert_int_equal(f->st.policy_nodes, 0);
    if ( f->cfg.node[2].pages == 0 )
        assert_int_equal(di.pages_on[2], 0);
}

static void assert_placed(struct fx *f, const struct pol_case *pc)
{
    struct sim_domain_info di = fx_info(f);
    unsigned int n, s;

    assert_int_equal(f->st.pnode_reason, pc->reason);
    assert_int_equal(di.node_affinity, pc->affinity);
    if ( pc->mode == MEMINIT_POLICY_OFF )
        return assert_off(f);
    for ( n = 0; n < NODES; n++ )
    {
        assert_int_equal(di.pages_on[n], pc->pages[n]);
        assert_int_equal(meminit_node_pages(&f->st.node[n]), pc->pages[n]);
        for ( s = 0; pc->sizes && s < 3; s++ )
            assert_int_equal(di.extents[n][s], pc->ext[n][s]);
    }
    if ( pc->mode == MEMINIT_POLICY_INTERLEAVE )
        assert_int_equal(meminit_policy_imbalance(&f->st), 0);
}

/*
 * What meminit_plan() answers for a case: the build's -EINVAL (placement);
 * -ENOMEM where the build fails at the claim because the nodes cannot hold
 * the guest (policy off names no node, so its plan cannot tell); else 0.
 */
static int plan_rc(const struct pol_case *pc)
{
    if ( pc->rc == -EINVAL )
        return -EINVAL;
    if ( pc->rc == -ENOMEM && pc->mode != MEMINIT_POLICY_OFF )
        return -ENOMEM;
    return 0;
}

static void test_policy(void **state)
{
    const struct pol_case *pc = *state;
    uint64_t plan[MEMINIT_MAX_NODES];
    struct meminit_stats pst;
    struct fx f;
    unsigned int n;
    int rc;

    pol_host(&f, pc);
    rc = meminit_plan(&f.req, &pst, plan, &f.err);
    assert_int_equal(rc, plan_rc(pc));
    if ( rc == -ENOMEM )
    {
        /* The plan says what the claim will: the set cannot hold it. */
        assert_string_equal(f.err.step, "plan");
        assert_non_null(strstr(f.err.msg, "the nodes' free memory cannot "
                               "hold the guest: "));
        meminit_error_clear(&f.err);
    }
    for ( n = 0; pc->plan && n < NODES; n++ )
        assert_int_equal(plan[n], pc->pages[n]);
    rc = fx_build(&f);
    if ( pc->rc )
        assert_failed(&f, pc, rc);
    else
    {
        assert_int_equal(rc, 0);
        assert_placed(&f, pc);
    }
    assert_int_equal(f.st.policy, pc->mode);
    assert_int_equal(fx_info(&f).outstanding, 0);
    assert_int_equal(f.st.claim_left, 0);
    fx_done(&f);
}

/* Interleave alternates per superpage: no two 2 MiB neighbours on one
 * node while both nodes are below their share (the simulator's observer
 * sees every extent). */
struct seen {
    unsigned int last, runs, longest, cur;
};

static void observe(void *opaque, uint32_t domid, const xen_pfn_t *gfns,
                    unsigned long nr, unsigned int order, unsigned int node,
                    bool pod)
{
    struct seen *s = opaque;

    (void)domid, (void)gfns, (void)pod;
    if ( order != MEMINIT_ORDER_2M )
        return;
    s->cur = node == s->last ? s->cur + (unsigned int)nr : (unsigned int)nr;
    s->last = node;
    s->runs++;
    s->longest = s->cur > s->longest ? s->cur : s->longest;
}

static void test_round_robin(void **state)
{
    struct seen s = { .last = SIM_NO_NODE };
    struct fx f;

    (void)state;
    fx_host(&f, NODES, 4, SIM_CLAIM_UPSTREAM);
    fx_domain(&f, MEMINIT_GUEST_HVM, 2048);
    f.req.policy = (struct meminit_policy){ MEMINIT_POLICY_INTERLEAVE, N1_3,
                                            MEMINIT_NO_NODE };
    sim_set_observer(f.host, observe, &s);
    assert_int_equal(fx_build(&f), 0);
    assert_int_equal(s.longest, 1);
    assert_int_equal(fx_info(&f).extents[1][1] + fx_info(&f).extents[3][1],
                     s.runs);
    fx_done(&f);
}

/* A populate-on-demand guest interleaves its PoD cache: half per node. */
static void test_pod_interleave(void **state)
{
    struct fx f;

    (void)state;
    fx_host(&f, NODES, 4, SIM_CLAIM_UPSTREAM);
    fx_domain(&f, MEMINIT_GUEST_HVM, 4096);
    f.req.target_pages = 2048 * MiB_PAGES;
    f.req.policy = (struct meminit_policy){ MEMINIT_POLICY_INTERLEAVE, N1_3,
                                            MEMINIT_NO_NODE };
    assert_int_equal(fx_build(&f), 0);
    assert_int_equal(fx_info(&f).pages_on[1], HVM(2048) / 2);
    assert_int_equal(fx_info(&f).pages_on[3], HVM(2048) / 2);
    assert_int_equal(fx_info(&f).pages_on[0] + fx_info(&f).pages_on[2], 0);
    assert_int_equal(f.st.node[1].pod_cache, HVM(2048) / 2);
    assert_int_equal(fx_info(&f).pod_entries, f.populated);
    assert_int_equal(fx_info(&f).node_affinity, N1_3);
    assert_int_equal(fx_info(&f).outstanding, 0);
    fx_done(&f);
}

/* ------------------------------------------------------------------------
 * xenguest: the keys, and flag > key > default.
 */
struct key_case {
    const char *name;
    const char *argv[6];        /* flags after the base command line */
    const char *mode_key;       /* platform/numa-memory, NULL: absent */
    const char *nodes_key;      /* platform/numa-nodes, NULL: absent */
    int rc;
    const char *err;            /* "step: message" when rc */
    enum meminit_policy_mode mode;
    uint64_t nodes;
    unsigned int pnode;
};

#define NONE        MEMINIT_NO_NODE
#define REFUSED     MEMINIT_POLICY_PREFERRED, 0, NONE

static struct key_case key_cases[] = {
    { "keys: none, the default", { NULL }, NULL, NULL, 0, NULL,
      MEMINIT_POLICY_PREFERRED, 0, NONE },
    { "keys: strict on 0-1,3", { NULL }, "strict", "0-1,3", 0, NULL,
      MEMINIT_POLICY_STRICT, 0xb, NONE },
    { "keys: empty values count as absent", { NULL }, "", "", 0, NULL,
      MEMINIT_POLICY_PREFERRED, 0, NONE },
    { "keys: interleave, -mem_pnode inside the set",
      { "-mem_pnode", "3" }, "interleave", "1,3", 0, NULL,
      MEMINIT_POLICY_INTERLEAVE, 0xa, 3 },
    { "keys: off ignores the set and xenopsd's -mem_pnode",
      { "-mem_pnode", "0" }, "off", "1,3", 0, NULL, MEMINIT_POLICY_OFF, 0,
      NONE },
    { "flags win: --numa-memory over the key",
      { "--numa-memory=interleave" }, "strict", "1,3", 0, NULL,
      MEMINIT_POLICY_INTERLEAVE, 0xa, NONE },
    { "flags win: --numa-placement=off over the key",
      { "--numa-placement=off" }, "strict", "1,3", 0, NULL,
      MEMINIT_POLICY_OFF, 0, NONE },
    { "flags win: --numa-nodes over the key",
      { "--numa-nodes", "2-3", "-mem_pnode", "2" }, "strict", "1", 0, NULL,
      MEMINIT_POLICY_STRICT, 0xc, 2 },
    { "bad key: a mode that does not exist", { NULL }, "fast", NULL,
      -EINVAL, "platform: platform/numa-memory: \"fast\" is not a policy "
      "(preferred, strict, interleave, off)", REFUSED },
    { "bad key: case matters", { NULL }, "Strict", NULL, -EINVAL,
      "platform: platform/numa-memory: \"Strict\" is not a policy "
      "(preferred, strict, interleave, off)", REFUSED },
    { "bad key: a node list with a letter", { NULL }, NULL, "1-x", -EINVAL,
      "platform: platform/numa-nodes: \"1-x\" is not a node set (e.g. "
      "0-1,3; nodes 0-63)", REFUSED },
    { "bad key: a range backwards", { NULL }, NULL, "3-1", -EINVAL,
      "platform: platform/numa-nodes: \"3-1\" is not a node set (e.g. "
      "0-1,3; nodes 0-63)", REFUSED },
    { "bad key: node 64", { NULL }, NULL, "0,64", -EINVAL,
      "platform: platform/numa-nodes: \"0,64\" is not a node set (e.g. "
      "0-1,3; nodes 0-63)", REFUSED },
    { "bad key: a trailing comma", { NULL }, NULL, "1,", -EINVAL,
      "platform: platform/numa-nodes: \"1,\" is not a node set (e.g. "
      "0-1,3; nodes 0-63)", REFUSED },
    { "bad key: -mem_pnode outside the key's set", { "-mem_pnode", "1" },
      "strict", "2-3", -EINVAL, "platform: platform/numa-nodes: \"2-3\" "
      "does not contain -mem_pnode 1 (policy strict)", REFUSED },
    { "bad flag: -mem_pnode outside --numa-nodes",
      { "--numa-nodes=2-3", "-mem_pnode", "1" }, NULL, NULL, -EINVAL,
      "options: option -mem_pnode 1 is outside --numa-nodes 2-3", REFUSED },
    { "bad flag: --numa-nodes that does not parse", { "--numa-nodes=a" },
      NULL, NULL, -EINVAL, "options: option --numa-nodes: \"a\" is not a "
      "node set (e.g. 0-1,3; nodes 0-63)", REFUSED },
    { "bad flag: --numa-memory=off with -mem_pnode",
      { "--numa-memory=off", "-mem_pnode", "1" }, NULL, NULL, -EINVAL,
      "options: option --numa-memory=off contradicts -mem_pnode 1", REFUSED },
    { "bad flag: both spellings of the mode",
      { "--numa-memory=strict", "--numa-placement=on" }, NULL, NULL, -EINVAL,
      "options: options --numa-placement and --numa-memory: give one "
      "(--numa-placement=off is --numa-memory=off)", REFUSED },
};

struct key_store {
    const struct key_case *kc;
};

static char *key_read(void *opaque, const char *path)
{
    const struct key_store *ks = opaque;
    const char *v = NULL;

    if ( strstr(path, "/platform/vcpu/number") )
        v = "1";
    else if ( strstr(path, "/platform/numa-memory") )
        v = ks->kc->mode_key;
    else if ( strstr(path, "/platform/numa-nodes") )
        v = ks->kc->nodes_key;
    return v ? strdup(v) : NULL;
}

/* Options, then keys, then the policy, as main.c does: 0 or -errno. */
static int decide(const struct key_case *kc, struct meminit_policy *pol,
                  struct meminit_error *err)
{
    const char *argv[16] = { "xenguest", "--plan", "-mode", "hvm_build",
                             "-mem_max_mib", "512" };
    struct key_store ks = { kc };
    struct xg_kv kv = { .read = key_read, .opaque = &ks };
    struct xg_options o;
    struct xg_platform p;
    int argc = 6, i, rc;

    for ( i = 0; kc->argv[i]; i++ )
        argv[argc++] = kc->argv[i];
    rc = xg_options_parse(&o, argc, argv, err);
    if ( rc )
        return rc;
    rc = xg_platform_read(&kv, 7, true, &p, err);
    if ( rc )
        return rc;
    rc = xg_numa_policy(&o, &p, pol, err);
    xg_platform_free(&p);
    return rc;
}

static void test_keys(void **state)
{
    const struct key_case *kc = *state;
    struct meminit_error err = { 0 };
    struct meminit_policy pol = { 0 };
    char text[sizeof(err.msg) + 32];
    int rc = decide(kc, &pol, &err);

    assert_int_equal(rc, kc->rc);
    if ( rc )
    {
        snprintf(text, sizeof(text), "%s: %s", err.step, err.msg);
        assert_string_equal(text, kc->err);
        return;
    }
    assert_int_equal(pol.mode, kc->mode);
    assert_int_equal(pol.nodes, kc->nodes);
    assert_int_equal(pol.pnode, kc->pnode);
}

/* The node set text both ways. */
static void test_nodeset(void **state)
{
    static const struct { const char *in, *out; uint64_t set; } t[] = {
        { "0-1,3", "0-1,3", 0xb }, { "3,1", "1,3", 0xa },
        { "0-63", "0-63", ~0ull }, { "5", "5", 0x20 },
        { "0,2,4-6", "0,2,4-6", 0x75 },
    };
    char buf[MEMINIT_NODESET_MAX];
    uint64_t set;
    unsigned int i;

    (void)state;
    for ( i = 0; i < sizeof(t) / sizeof(t[0]); i++ )
    {
        assert_int_equal(meminit_nodeset_parse(t[i].in, &set), 0);
        assert_int_equal(set, t[i].set);
        meminit_nodeset_format(buf, sizeof(buf), set);
        assert_string_equal(buf, t[i].out);
    }
    assert_int_equal(meminit_nodeset_parse("", &set), -EINVAL);
    assert_int_equal(meminit_nodeset_parse(" 1", &set), -EINVAL);
    assert_int_equal(meminit_nodeset_parse("1-", &set), -EINVAL);
    assert_int_equal(meminit_nodeset_parse("0001", &set), -EINVAL);
    meminit_nodeset_format(buf, sizeof(buf), 0);
    assert_string_equal(buf, "");
}

static const struct CMUnitTest fixed_tests[] = {
    { .name = "interleave: one 2 MiB page per node in turn",
      .test_func = test_round_robin },
    { .name = "node sets: parse and format", .test_func = test_nodeset },
    { .name = "interleave: a PoD guest's cache, half per node",
      .test_func = test_pod_interleave },
};

int main(void)
{
    static struct CMUnitTest tests[CMT_SIZE(pol_cases) + CMT_SIZE(key_cases) +
                                   CMT_SIZE(fixed_tests)];
    struct CMUnitTest *next = tests;

    CMT_CASES(next, pol_cases, test_policy);
    CMT_CASES(next, key_cases, test_keys);
    CMT_TESTS(next, fixed_tests);
    return CMT_RUN("policy", tests, next);
}
