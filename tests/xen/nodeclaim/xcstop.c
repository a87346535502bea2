/*
 * tests/xen/nodeclaim/xcstop.c: libxcstop.so, stop the builder at a chosen
 * point of its claim handling (node-claim TEST FIXTURE, not part of the
 * product). Preloaded ahead of libxcnode.so by xenguest-nc when XCSTOP is
 * set:
 *   XCSTOP=after-claim    after a successful non-zero claim (node or host),
 *                         before the first populate: the build holds its
 *                         claim and has populated nothing;
 *   XCSTOP=before-cancel  before the claim of 0 pages that cancels it, after
 *                         the populate: what the populate left of the claim.
 * The process stops itself (SIGSTOP) once; the scenario sees it stopped in
 * /proc/PID/status, looks or competes, then sends SIGCONT. A stopped
 * process can hold a claim only as long as a slow build would, so nothing
 * here changes what Xen decides; it makes the moment observable.
 *
 * Both calls are wrapped through dlsym(RTLD_NEXT): xc_domain_claim_pages is
 * libxenctrl's, xc_domain_claim_pages_node libxcnode.so's.
 */
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <xenctrl.h>

#include "xcnode.h"

typedef int claim_fn(xc_interface *, uint32_t, unsigned long);
typedef int claim_node_fn(xc_interface *, uint32_t, unsigned int,
                          unsigned long);

static void stop_once(const char *when)
{
    static bool stopped;
    const char *want = getenv("XCSTOP");

    if ( stopped || !want || strcmp(want, when) )
        return;
    stopped = true;
    raise(SIGSTOP);
}

int xc_domain_claim_pages(xc_interface *xch, uint32_t domid,
                          unsigned long nr_pages)
{
    claim_fn *next = (claim_fn *)dlsym(RTLD_NEXT, "xc_domain_claim_pages");
    int rc;

    if ( !next )
    {
        errno = ENOSYS;
        return -1;
    }
    if ( !nr_pages )
        stop_once("before-cancel");
    rc = next(xch, domid, nr_pages);
    if ( !rc && nr_pages )
        stop_once("after-claim");
    return rc;
}

int xc_domain_claim_pages_node(xc_interface *xch, uint32_t domid,
                               unsigned int node, unsigned long nr_pages)
{
    claim_node_fn *next = (claim_node_fn *)dlsym(RTLD_NEXT,
                                                 "xc_domain_claim_pages_node");
    int rc, err;

    if ( !next )
    {
        errno = ENOSYS;
        return -1;
    }
    rc = next(xch, domid, node, nr_pages);
    err = errno;
    if ( !rc && nr_pages )
        stop_once("after-claim");
    errno = err;
    return rc;
}
