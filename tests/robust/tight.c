/*
 * tight.c - a claim that succeeds must be honoured: on a host with just
 * enough memory, a build whose claim went through must populate in full.
 *
 * Contract: for each claim ABI that has claims (upstream, node, set), many
 * random hosts (2-4 nodes, random sizes, memory split at random into free
 * 1 GiB blocks, 2 MiB blocks and pages; sometimes another domain holding a
 * host-wide or a node claim) get a PV or HVM guest whose RAM is the host's
 * unclaimed free memory less a small slack (0, 1, 31, 511, 513 pages or a
 * random amount). Xen's claim check guarantees such memory exists, as
 * single pages at worst, so every build must either fail at the claim step
 * with nothing populated, or succeed in full. A build that fails after its
 * claim succeeded is reported with the seed that rebuilds its host.
 * One fixed case (the first) is the smallest reproducer found.
 *
 * Output: "ok - ..." / "not ok - ..." per ABI, "# VIOLATION" lines, one
 * totals line. -n N sets the random hosts per ABI (default 150).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "robust.h"

#define GUEST           7u
#define OTHER           3u
#define MAX_REPORTED    5

struct tight_case {
    struct sim_config cfg;
    enum meminit_guest type;
    unsigned int pnode;
    uint64_t slack;
    int other;                  /* 0 none, 1 host-wide claim, 2 node claim */
    unsigned int other_node;
    uint64_t other_pages;
};

struct totals {
    unsigned long cases, built, refused, broken;
};

/* HVM: RAM of `pages` frames plus the VGA hole, laid out as libxl would. */
static void hvm_layout(struct meminit_request *req, uint64_t total)
{
    uint64_t low = total < (RB_LOWMEM >> 12) ? total : RB_LOWMEM >> 12;

    req->guest = MEMINIT_GUEST_HVM;
    req->total_pages = total;
    req->hvm.device_model = true;
    req->hvm.mmio_start = RB_LOWMEM;
    req->hvm.mmio_size = (4ull << 30) - RB_LOWMEM;
    req->hvm.lowmem_end = low << 12;
    req->hvm.highmem_end = total > low ? (4ull << 30) + ((total - low) << 12)
                                       : 0;
}

/* The guest's domain and request for `need` frames to populate. */
static int guest_start(struct sim_host *host, const struct tight_case *tc,
                       uint64_t need, struct rb_build *b)
{
    uint64_t total = need + (tc->type == MEMINIT_GUEST_HVM ? RB_VGA_PAGES
                                                           : 0);
    int rc;

    memset(b, 0, sizeof(*b));
    b->host = host;
    b->domid = GUEST;
    b->populated = b->resident = need;
    rc = sim_domain_create(host, GUEST, total + 1024,
                           tc->type == MEMINIT_GUEST_HVM);
    if ( rc )
        return rc;
    b->req.xch = sim_xch(host);
    b->req.domid = GUEST;
    b->req.policy.pnode = tc->pnode;
    b->req.claim = MEMINIT_CLAIM_AUTO;
    if ( tc->type == MEMINIT_GUEST_HVM )
    {
        hvm_layout(&b->req, total);
        return 0;
    }
    b->req.guest = MEMINIT_GUEST_PV;
    b->req.total_pages = total;
    b->p2m = calloc(total, sizeof(*b->p2m));
    b->req.p2m = b->p2m;
    return b->p2m ? 0 : -ENOMEM;
}

/* Another domain stakes a claim and populates nothing. */
static int other_claim(struct sim_host *host, const struct tight_case *tc)
{
    xc_interface *xch = sim_xch(host);
    int rc;

    if ( !tc->other )
        return 0;
    rc = sim_domain_create(host, OTHER, tc->other_pages + 1, true);
    if ( rc )
        return rc;
    if ( tc->other == 2 )
        return xc_domain_claim_pages_node(xch, OTHER, tc->other_node,
                                          tc->other_pages) ? -errno : 0;
    return xc_domain_claim_pages(xch, OTHER, tc->other_pages) ? -errno : 0;
}

/* Unclaimed free memory, less the slack: what the guest will need. */
static int guest_need(struct sim_host *host, const struct tight_case *tc,
                      uint64_t *need)
{
    struct sim_host_info hi;
    int rc = sim_host_info(host, &hi);
    uint64_t avail;

    if ( rc )
        return rc;
    avail = hi.free_pages - hi.outstanding;
    *need = avail > tc->slack + 4096 ? avail - tc->slack : 4096;
    return 0;
}

/* 0 if the rules held; 1 if refused at the claim; -EPROTO if broken. */
static int tight_once(const struct tight_case *tc, struct meminit_error *why)
{
    struct sim_host *host = NULL;
    struct sim_domain_info di;
    struct rb_build b = { 0 };
    uint64_t need = 0;
    int rc = sim_host_create(&tc->cfg, &host), built;

    if ( !rc )
        rc = other_claim(host, tc);
    if ( !rc )
        rc = guest_need(host, tc, &need);
    if ( !rc )
        rc = guest_start(host, tc, need, &b);
    if ( rc )
    {
        meminit_error_set(why, RB_STEP, EPROTO, "setting up: %s",
                          strerror(-rc));
        goto out;
    }
    built = meminit_build(&b.req, &b.st, &b.err);
    rc = sim_domain_info(host, GUEST, &di);
    if ( rc )
        goto out;
    if ( !built && di.tot_pages == need )
        rc = 0;
    else if ( built && b.err.step && !strcmp(b.err.step, "claim") &&
              !di.tot_pages && !b.st.populate_calls )
        rc = 1;
    else
        rc = meminit_error_set(why, RB_STEP, EPROTO, "%s guest of %llu pages "
                               "on node %u, claim %s: returned %d at \"%s\" "
                               "(%s) holding %llu pages",
                               rb_guest_name(tc->type),
                               (unsigned long long)need, tc->pnode,
                               meminit_claim_name(b.st.claim_kind), built,
                               b.err.step ? b.err.step : "", b.err.msg,
                               (unsigned long long)di.tot_pages);
 out:
    rb_guest_done(&b);
    sim_host_close(host);
    return rc;
}

/* A random node of 256 MiB - 4 GiB, its free memory split at random. */
static void random_node(struct sim_node_config *n, uint64_t *seed)
{
    uint64_t pages = (256 + rb_rand(seed) % 3841) * RB_MIB_PAGES;
    uint64_t free = rb_rand(seed) % 4 ? pages
                                      : pages - rb_rand(seed) % (pages / 2);

    n->pages = pages;
    n->free_1g = rb_rand(seed) % (free / RB_GIB_PAGES + 1);
    free -= n->free_1g * RB_GIB_PAGES;
    n->free_2m = rb_rand(seed) % (free / SIM_PAGES_2M + 1);
    n->free_4k = free - n->free_2m * SIM_PAGES_2M;
}

static void random_case(struct tight_case *tc, enum sim_claim_abi abi,
                        uint64_t seed)
{
    static const uint64_t slacks[] = { 0, 0, 1, 31, 511, 513 };
    unsigned int n, r;

    memset(tc, 0, sizeof(*tc));
    sim_config_uniform(&tc->cfg, 2 + rb_rand(&seed) % 3, RB_GIB_PAGES);
    tc->cfg.claim_abi = abi;
    for ( n = 0; n < tc->cfg.nr_nodes; n++ )
        random_node(&tc->cfg.node[n], &seed);
    tc->type = rb_rand(&seed) & 1 ? MEMINIT_GUEST_HVM : MEMINIT_GUEST_PV;
    tc->pnode = rb_rand(&seed) % tc->cfg.nr_nodes;
    r = rb_rand(&seed) % 7;
    tc->slack = r < 6 ? slacks[r] : rb_rand(&seed) % 70000;
    tc->other = (int)(rb_rand(&seed) % 3);
    if ( abi == SIM_CLAIM_UPSTREAM && tc->other == 2 )
        tc->other = 1;
    tc->other_node = rb_rand(&seed) % tc->cfg.nr_nodes;
    tc->other_pages = 1 + rb_rand(&seed) % (tc->cfg.node[tc->other_node]
                                            .free_2m * 512 +
                                            tc->cfg.node[tc->other_node]
                                            .free_4k + 1);
}

/*
 * The smallest case found: node 0 has one 1 GiB block and 32 pages, node 1
 * exactly the rest (511 2 MiB blocks and 448 pages); a 2 GiB HVM guest on
 * node 0 needs every free page of the host.
 */
static void fixed_case(struct tight_case *tc, enum sim_claim_abi abi)
{
    memset(tc, 0, sizeof(*tc));
    sim_config_uniform(&tc->cfg, 2, 4 * RB_GIB_PAGES);
    tc->cfg.claim_abi = abi;
    sim_config_fragment(&tc->cfg, 0, 1, 0);
    tc->cfg.node[0].free_4k = 32;
    sim_config_fragment(&tc->cfg, 1, 0, 511);
    tc->cfg.node[1].free_4k = 448;
    tc->type = MEMINIT_GUEST_HVM;
    tc->pnode = 0;
}

static void run_abi(struct totals *t, enum sim_claim_abi abi,
                    unsigned int count)
{
    struct tight_case tc;
    struct meminit_error why = { 0 };
    unsigned long bad = 0;
    unsigned int i;
    int rc;

    for ( i = 0; i <= count; i++ )
    {
        if ( i == 0 )
            fixed_case(&tc, abi);
        else
            random_case(&tc, abi, 7919ull * i + abi);
        meminit_error_clear(&why);
        rc = tight_once(&tc, &why);
        t->cases++;
        t->built += rc == 0;
        t->refused += rc == 1;
        if ( rc >= 0 )
            continue;
        if ( bad++ < MAX_REPORTED )
            printf("# VIOLATION claims=%s %s (seed %llu): %s\n",
                   rb_abi_name(abi), i ? "random host" : "fixed case",
                   i ? 7919ull * i + abi : 0ull, why.msg);
    }
    t->broken += bad;
    rb_result(!bad, "tight host, claims=%s: %u hosts with just enough "
              "memory, every build whose claim succeeded populated in full%s",
              rb_abi_name(abi), count + 1, bad ? " (broken)" : "");
}

int main(int argc, char **argv)
{
    static const enum sim_claim_abi abis[] = {
        SIM_CLAIM_UPSTREAM, SIM_CLAIM_NODE, SIM_CLAIM_SET,
    };
    struct totals t = { 0 };
    unsigned int count = 150, a;
    int opt;

    while ( (opt = getopt(argc, argv, "n:")) != -1 )
    {
        if ( opt != 'n' || atoi(optarg) < 0 || atoi(optarg) > 100000 )
        {
            fprintf(stderr, "usage: %s [-n HOSTS]\n", argv[0]);
            return 2;
        }
        count = (unsigned int)atoi(optarg);
    }
    for ( a = 0; a < 3; a++ )
        run_abi(&t, abis[a], count);
    printf("tight: %lu builds on hosts with just enough memory, %lu built, "
           "%lu refused at the claim, %lu failed after their claim "
           "succeeded\n", t.cases, t.built, t.refused, t.broken);
    return t.broken ? 1 : 0;
}
