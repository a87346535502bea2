/*
 * tests/xen/nodeclaim/nodeclaim.c: stake, cancel and exercise node claims
 * from the dom0 scenario scripts (node-claim TEST FIXTURE, not part of the
 * product). It plays the parts of xenopsd (staking a claim before exec'ing
 * the builder) and of a competing domain's builder (populating with or
 * without exact-node flags), on the patched hypervisor:
 *
 *   nodeclaim claim DOMID NODE|host PAGES
 *       xc_domain_claim_pages_node(), as XenServer 9's libxenctrl has it
 *       (the same code as libxcnode.so); PAGES is the domain's total, 0
 *       cancels.
 *   nodeclaim raw DOMID MEMFLAGS PAGES
 *       XENMEM_claim_pages with exactly these mem_flags (hex with 0x), so
 *       the hypervisor's own answer to a bad node can be seen.
 *   nodeclaim populate DOMID GFN NR ORDER NODE|any [exact]
 *       xc_domain_populate_physmap() of NR extents of 2^ORDER pages at gfns
 *       GFN, GFN + 2^ORDER, ... with XENMEMF_node(NODE) (plus
 *       XENMEMF_exact_node_request with `exact`); a short count is not an
 *       error here.
 *
 * Output, one line on stdout: `rc=0` (claim, raw), `rc=-1 errno=NAME`, or
 * `populated=K nr=NR` (populate). Exit status 0 when the call succeeded (populate: when
 * the call itself did not fail), 1 when it failed, 2 on a usage error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenctrl.h>

#include "xcnode.h"

#define MAX_EXTENTS (1UL << 20)

struct populate_args {
    uint32_t domid;
    xen_pfn_t gfn;
    unsigned long nr;
    unsigned int order;
    unsigned int memflags;
};

static int usage(void)
{
    fprintf(stderr,
            "usage: nodeclaim claim DOMID NODE|host PAGES\n"
            "       nodeclaim raw DOMID MEMFLAGS PAGES\n"
            "       nodeclaim populate DOMID GFN NR ORDER NODE|any [exact]\n");
    return 2;
}

/* The whole string as an unsigned number (base 0: 0x for hex), <= max. */
static int parse_ul(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    unsigned long v;

    if ( !s || *s < '0' || *s > '9' )
        return -EINVAL;
    errno = 0;
    v = strtoul(s, &end, 0);
    if ( errno || *end || v > max )
        return -ERANGE;
    *out = v;
    return 0;
}

/* NODE, or `word` (host / any) for `dflt`. */
static int parse_node(const char *s, const char *word, unsigned int dflt,
                      unsigned int *out)
{
    unsigned long v;

    if ( !strcmp(s, word) )
    {
        *out = dflt;
        return 0;
    }
    if ( parse_ul(s, ~0u, &v) )
        return -EINVAL;
    *out = v;
    return 0;
}

static int report(int rc)
{
    if ( rc == 0 )
    {
        printf("rc=0\n");
        return 0;
    }
    printf("rc=-1 errno=%s\n", strerrorname_np(errno) ?: "?");
    return 1;
}

static int cmd_claim(int argc, char **argv)
{
    unsigned long domid, pages;
    unsigned int node;
    xc_interface *xch;
    int rc;

    if ( argc != 5 || parse_ul(argv[2], DOMID_FIRST_RESERVED - 1, &domid) ||
         parse_node(argv[3], "host", XC_CLAIM_NODE_GLOBAL, &node) ||
         parse_ul(argv[4], 1UL << 40, &pages) )
        return usage();
    xch = xc_interface_open(NULL, NULL, 0);
    if ( !xch )
    {
        perror("nodeclaim: xc_interface_open");
        return 1;
    }
    rc = report(xc_domain_claim_pages_node(xch, domid, node, pages));
    xc_interface_close(xch);
    return rc;
}

static int cmd_raw(int argc, char **argv)
{
    unsigned long domid, flags, pages;

    if ( argc != 5 || parse_ul(argv[2], DOMID_FIRST_RESERVED - 1, &domid) ||
         parse_ul(argv[3], ~0u, &flags) ||
         parse_ul(argv[4], 1UL << 40, &pages) )
        return usage();
    return report(xcnode_claim_raw(domid, flags, pages));
}

static int populate(const struct populate_args *a)
{
    xen_pfn_t *gfns = calloc(a->nr, sizeof(*gfns));
    xc_interface *xch = xc_interface_open(NULL, NULL, 0);
    unsigned long i;
    int rc = -1;

    if ( !gfns || !xch )
    {
        perror("nodeclaim: populate");
        goto out;
    }
    for ( i = 0; i < a->nr; i++ )
        gfns[i] = a->gfn + (i << a->order);
    rc = xc_domain_populate_physmap(xch, a->domid, a->nr, a->order,
                                    a->memflags, gfns);
    if ( rc < 0 )
        printf("rc=-1 errno=%s\n", strerrorname_np(errno) ?: "?");
    else
        printf("populated=%d nr=%lu\n", rc, a->nr);
 out:
    if ( xch )
        xc_interface_close(xch);
    free(gfns);
    return rc < 0 ? 1 : 0;
}

static int cmd_populate(int argc, char **argv)
{
    struct populate_args a;
    unsigned long domid, gfn, order;
    unsigned int node;

    if ( (argc != 7 && argc != 8) ||
         parse_ul(argv[2], DOMID_FIRST_RESERVED - 1, &domid) ||
         parse_ul(argv[3], 1UL << 40, &gfn) ||
         parse_ul(argv[4], MAX_EXTENTS, &a.nr) ||
         parse_ul(argv[5], 18, &order) ||
         parse_node(argv[6], "any", XC_CLAIM_NODE_GLOBAL, &node) ||
         (argc == 8 && strcmp(argv[7], "exact")) || !a.nr )
        return usage();
    a.domid = domid;
    a.gfn = gfn;
    a.order = order;
    a.memflags = 0;
    if ( node != XC_CLAIM_NODE_GLOBAL )
        a.memflags = XENMEMF_node(node) |
                     (argc == 8 ? XENMEMF_exact_node_request : 0);
    return populate(&a);
}

int main(int argc, char **argv)
{
    if ( argc < 2 )
        return usage();
    if ( !strcmp(argv[1], "claim") )
        return cmd_claim(argc, argv);
    if ( !strcmp(argv[1], "raw") )
        return cmd_raw(argc, argv);
    if ( !strcmp(argv[1], "populate") )
        return cmd_populate(argc, argv);
    return usage();
}
