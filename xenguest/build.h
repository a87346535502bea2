/*
 * build.h - the libxenguest build sequence with meminit as the memory hook.
 *
 * Contract: xg_build_run() builds PV, PVH or HVM domain b->opt->domid, which
 * the toolstack created (max vCPUs, max memory, event channels) and which
 * has no memory yet. First, without touching the domain: the safety checks
 * (HVM, PVH) and the featureset against what Xen can give; the images
 * (HVM: the firmware; PVH: the modules and ACPI tables) and the memory map
 * (hvmbuild.h). Bad input stops the build here with the domain as the
 * toolstack left it. Then the CPUID policy and TSC mode, and in the order
 * libxl uses: xen_init, parse, mem_init, install meminit, boot_mem_init
 * (meminit runs here: claim, populate, cancel), the memory map handed to
 * Xen, build_image, boot_image, gnttab_init, then hvm_info (HVM) and the
 * HVM parameters (HVM, PVH).
 * On success the store and console frames (guest frames for HVM/PVH,
 * machine frames for PV) and, for PV, the protocol are filled in. On
 * failure it returns -errno, recorded in *b->err with the step (a build
 * step, "kernel", "parse", "platform", ..., or meminit's own step when
 * meminit failed). meminit's statistics are in b->stats either way. It
 * never exits or prints.
 */
#ifndef XG_BUILD_H
#define XG_BUILD_H

#include <xenctrl.h>

#include "hvmbuild.h"
#include "log.h"
#include "meminit.h"
#include "options.h"
#include "platform.h"

struct xg_build {
    /* in */
    const struct xg_options *opt;
    const struct xg_platform *plat;
    xc_interface *xch;
    struct xg_log *log;
    const volatile sig_atomic_t *stop;  /* set by a signal: stop early */
    struct meminit_error *err;          /* the run's record */
    bool hap;                           /* the domain has XEN_DOMINF_hap */
    struct meminit_policy policy;       /* numapolicy.h: flags and keys */
    /* out */
    struct meminit_stats stats;
    uint64_t store_frame;
    uint64_t console_frame;
    const char *protocol;           /* PV: "x86_64-abi" */
    struct xg_hvm_build hvm;        /* HVM, PVH: .map is the memory map */
};

int xg_build_run(struct xg_build *b);

/* The request template for meminit from the options and b->policy. */
void xg_build_request(const struct xg_build *b, struct meminit_request *req);

/*
 * --plan: the request meminit would get for this build (guest type, size,
 * and for HVM/PVH the memory map's layout: devices, ACPI and all), without
 * touching the domain. 0 or -errno in *b->err.
 */
int xg_build_plan_request(struct xg_build *b, struct meminit_request *req);

#endif /* XG_BUILD_H */
