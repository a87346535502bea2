/*
 * main.c - xenguest, the front end.
 *
 * The only file that prints or exits, and the only place where an error
 * becomes the control fd's single "error:xenguest: <step>: <reason>" line.
 * Everything below it returns -errno with a step and a reason.
 *
 * Order of one build: options, log, libxenctrl, xenstore platform keys,
 * vCPU settings, the build (meminit inside), soft affinity when the
 * placement is ours, placement and write-backs to xenstore, the result.
 * Whatever fails, the domain's claim is cancelled before the process
 * exits: a claim left behind holds memory back from every other domain.
 *
 * The error line goes to the control fd under xenopsd, to stderr
 * standalone, once. A control fd that cannot be written (closed, read-only,
 * its reader gone) would lose it: then it goes to stderr and syslog, and
 * the exit status is EXIT_CONTROL_FD. --plan without -domid reads the host
 * only, for a guest that does not exist yet.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "build.h"
#include "log.h"
#include "numapolicy.h"
#include "options.h"
#include "platform.h"
#include "protocol.h"
#include "report.h"
#include "signals.h"
#include "vcpu.h"
#include "xs.h"

#define EXIT_USAGE      2
#define EXIT_CONTROL_FD 3   /* the final line could not be delivered */

/* Set for main.o by the Makefile (scripts/version, pkg-config xencontrol). */
#ifndef XG_VERSION
#define XG_VERSION      "unknown"
#endif
#ifndef XG_XEN_VERSION
#define XG_XEN_VERSION  "unknown"
#endif

struct xg_run {
    struct xg_options opt;
    struct xg_proto proto;
    struct xg_log log;
    struct xg_xs xs;
    struct xg_platform plat;
    bool plat_read;
    bool hap;                       /* the domain uses HAP */
    struct meminit_policy policy;   /* flags over platform keys */
    xc_interface *xch;
    struct xg_build build;
    struct meminit_error err;       /* the run's one record: printed once */
};

/* Features a toolstack may ask about with -supports FEATURE. */
static const char *const features[] = {
    "mem_pnode", "numa_placement", "numa_report", "claim", "numa_memory",
    NULL,
};

static int supports(const char *feature)
{
    unsigned int i;

    for ( i = 0; features[i]; i++ )
        if ( !strcmp(features[i], feature) )
            break;
    return printf("%s\n", features[i] ? "true" : "false") < 0 ? 1 : 0;
}

static const struct {
    unsigned int bit;
    const char *name, *call;
} claim_abis[] = {
    { MEMINIT_ABI_HOST, "host", "xc_domain_claim_pages, Xen 4.17" },
    { MEMINIT_ABI_NODE, "node", "xc_domain_claim_pages_node, XenServer" },
    { MEMINIT_ABI_SET, "claim-set", "xc_domain_claim_memory, proposed" },
};

/* --version: this tree's version, the Xen built against, the claim ABIs. */
static int version(void)
{
    unsigned int linked, built = meminit_claim_abis(&linked), i;

    printf("xenguest-numa %s\nbuilt against Xen %s (libxenctrl)\n",
           XG_VERSION, XG_XEN_VERSION);
    for ( i = 0; i < sizeof(claim_abis) / sizeof(claim_abis[0]); i++ )
        printf("claim ABI %s (%s): %s\n", claim_abis[i].name,
               claim_abis[i].call, !(built & claim_abis[i].bit)
               ? "not compiled in" : (linked & claim_abis[i].bit)
               ? "compiled in, linked" : "compiled in, not in this libxenctrl");
    return fflush(stdout) || ferror(stdout) ? 1 : 0;
}

static void info(struct xg_run *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void info(struct xg_run *r, const char *fmt, ...)
{
    char msg[XG_PROTO_LINE_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    xg_log(&r->log, MEMINIT_LOG_INFO, "%s", msg);
    xg_proto_info(&r->proto, "%s", msg);
}

static void info_line(void *opaque, const char *line)
{
    info(opaque, "%s", line);
}

/*
 * --plan for a guest not created yet: the platform keys of a one-vCPU
 * guest that sets none, parsed as the real ones are (every default).
 */
static char *no_domain_key(void *opaque, const char *path)
{
    const char *vcpus = "platform/vcpu/number";
    size_t len = strlen(path), vlen = strlen(vcpus);

    (void)opaque;
    return len >= vlen && !strcmp(path + len - vlen, vcpus) ? strdup("1")
                                                            : NULL;
}

static int read_domain(struct xg_run *r)
{
    struct xg_options *o = &r->opt;
    xc_domaininfo_t dom;
    int rc = xc_domain_getinfolist(r->xch, o->domid, 1, &dom);

    if ( rc < 0 )
        return meminit_error_set(&r->err, "domain", errno, "domain %u: %s",
                                 o->domid, strerror(errno));
    if ( rc != 1 || dom.domain != o->domid )
        return meminit_error_set(&r->err, "domain", ESRCH, "domain %u does "
                                 "not exist", o->domid);
    r->hap = dom.flags & XEN_DOMINF_hap;
    rc = xg_xs_open(&r->xs);
    if ( rc )
        return meminit_error_set(&r->err, "xenstore", rc, "cannot open "
                                 "xenstore: %s", strerror(-rc));
    return 0;
}

static int open_host(struct xg_run *r)
{
    struct xg_kv none = { .read = no_domain_key };
    bool hvm = r->opt.mode != XG_MODE_PV;
    bool domain = r->opt.domid != DOMID_INVALID;
    int rc;

    r->xch = xc_interface_open(NULL, NULL, 0);
    if ( !r->xch )
        return meminit_error_set(&r->err, "xen-init", errno, "cannot open "
                                 "libxenctrl: %s", strerror(errno));
    rc = domain ? read_domain(r) : 0;
    if ( !rc )
        rc = xg_platform_read(domain ? &r->xs.kv : &none, r->opt.domid, hvm,
                              &r->plat, &r->err);
    r->plat_read = !rc;
    if ( !rc )
        rc = xg_numa_policy(&r->opt, &r->plat, &r->policy, &r->err);
    return rc;
}

/*
 * The nodes the vCPUs should prefer: the node of our own placement, the
 * whole set for interleave; 0 (leave them) when the caller placed.
 */
static uint64_t soft_nodes(const struct meminit_stats *st)
{
    if ( st->pnode_reason == MEMINIT_PNODE_INTERLEAVE )
        return st->policy_nodes;
    if ( st->pnode_reason == MEMINIT_PNODE_BEST_FIT ||
         st->pnode_reason == MEMINIT_PNODE_MOST_FREE )
        return 1ull << st->pnode;
    return 0;
}

/* The scheduler should run the vCPUs where their memory is. */
static int follow_memory(struct xg_run *r)
{
    const struct meminit_stats *st = &r->build.stats;
    struct xg_vcpu_ctx v = { r->xch, r->opt.domid, &r->plat };
    char set[MEMINIT_NODESET_MAX];
    uint64_t nodes = soft_nodes(st);
    unsigned int pcpus = 0;
    bool applied;
    int rc;

    if ( !nodes )
        return 0;
    rc = xg_vcpu_follow_memory(&v, nodes, &applied, &pcpus, &r->err);
    if ( rc )
        return rc;
    meminit_nodeset_format(set, sizeof(set), nodes);
    if ( applied )
        info(r, "soft affinity: vcpus follow memory to node%s %s (%u pcpus)",
             nodes & (nodes - 1) ? "s" : "", set, pcpus);
    else
        info(r, "soft affinity: left as the toolstack set it");
    return 0;
}

static int write_back(struct xg_run *r)
{
    const struct xg_memmap *m = &r->build.hvm.map;
    struct xg_hvm_writeback hvm = { .mmio_hole_size = m->mmio_size,
                                    .vram_reserved = m->vram_size != 0,
                                    .vram_addr = m->vram_addr,
                                    .vram_size = m->vram_size };
    struct xg_writebacks wb;
    int rc = xg_xs_write_placement(&r->xs, r->opt.domid, &r->build.stats);

    if ( rc )
        return meminit_error_set(&r->err, "xenstore", rc, "writing the "
                                 "placement: %s", strerror(-rc));
    if ( r->opt.mode != XG_MODE_HVM )
        return 0;
    rc = xg_platform_writebacks(&r->plat, r->opt.domid, &hvm, &wb);
    if ( rc )
        return meminit_error_set(&r->err, "xenstore", rc, "%s",
                                 strerror(-rc));
    return xg_platform_apply(&r->xs.kv, &wb, &r->err);
}

static void init_build(struct xg_run *r)
{
    r->build = (struct xg_build){ .opt = &r->opt, .plat = &r->plat,
                                  .xch = r->xch, .log = &r->log,
                                  .stop = xg_signals_flag(),
                                  .err = &r->err, .hap = r->hap,
                                  .policy = r->policy };
}

static int build(struct xg_run *r)
{
    struct xg_vcpu_ctx v = { r->xch, r->opt.domid, &r->plat };
    char summary[256];
    int rc = xg_vcpu_apply(&v, &r->err);

    if ( rc )
        return rc;
    init_build(r);
    rc = xg_build_run(&r->build);
    if ( rc )
        return rc;
    xg_report_summary(summary, sizeof(summary), &r->build.stats);
    info(r, "%s", summary);
    xg_report_lines(&r->build.stats, info_line, r);
    rc = follow_memory(r);
    return rc ? rc : write_back(r);
}

static int print_report(struct xg_run *r, const uint64_t *plan)
{
    struct xg_build *b = &r->build;
    struct xg_report_ctx rc = {
        .domid = r->opt.domid, .mode = xg_mode_name(r->opt.mode),
        .st = &b->stats, .plan = plan, .has_result = !plan,
        .store_frame = b->store_frame, .console_frame = b->console_frame,
        .protocol = b->protocol,
    };

    if ( r->opt.report_json )
        return xg_report_json(stdout, &rc);
    if ( !plan && b->protocol )
        printf("result:%llu %llu %s\n", (unsigned long long)b->store_frame,
               (unsigned long long)b->console_frame, b->protocol);
    else if ( !plan )
        printf("result:%llu %llu\n", (unsigned long long)b->store_frame,
               (unsigned long long)b->console_frame);
    return xg_report_text(stdout, &rc);
}

static int plan(struct xg_run *r)
{
    struct meminit_request req;
    uint64_t pages[MEMINIT_MAX_NODES];
    int rc;

    init_build(r);
    rc = xg_build_plan_request(&r->build, &req);
    if ( !rc )
        rc = meminit_plan(&req, &r->build.stats, pages, &r->err);
    if ( !rc && print_report(r, pages) )
        rc = meminit_error_set(&r->err, "report", EIO, "stdout");
    return rc;
}

/*
 * The control fd cannot carry the final line, so xenopsd reads nothing:
 * say it, with the line, where an admin looks (stderr, syslog).
 */
static void undeliverable(struct xg_run *r, int rc, const char *line)
{
    char why[64] = "";

    if ( !strstr(line, "control-fd: ") )    /* else the line says it */
        snprintf(why, sizeof(why), " (not written to control fd %d: %s)",
                 r->opt.control_out_fd, strerror(-rc));
    fprintf(stderr, "%s%s\n", line, why);
    syslog(LOG_ERR, "%s%s", line, why);
}

static int result(struct xg_run *r)
{
    struct xg_build *b = &r->build;
    char line[96];
    int rc;

    if ( r->opt.control_out_fd < 0 )
        return print_report(r, NULL)
               ? meminit_error_set(&r->err, "report", EIO, "stdout") : 0;
    rc = b->protocol
         ? xg_proto_result_pv(&r->proto, b->store_frame, b->console_frame,
                              b->protocol)
         : xg_proto_result_hvm(&r->proto, b->store_frame, b->console_frame);
    snprintf(line, sizeof(line), "result:%llu %llu%s%s",
             (unsigned long long)b->store_frame,
             (unsigned long long)b->console_frame, b->protocol ? " " : "",
             b->protocol ? b->protocol : "");
    if ( rc )
        undeliverable(r, rc, line);
    return rc;
}

/* Whatever happened, no claim stays on the domain. */
static void cancel_claim(struct xg_run *r)
{
    if ( r->xch && xc_domain_claim_pages(r->xch, r->opt.domid, 0) &&
         errno != ESRCH )
        xg_log(&r->log, MEMINIT_LOG_WARN, "cancelling the claim: %s",
               strerror(errno));
}

/*
 * The run's error record, once: on the control fd, else on stderr (and
 * not as a log line on stderr as well). A failure nothing recorded (which
 * would be a bug) still gets a line. 0, or the control fd's -errno.
 */
static int report_error(struct xg_run *r, int rc)
{
    const struct meminit_error *e = &r->err;
    char line[XG_PROTO_LINE_MAX];
    bool to_stderr = r->log.to_stderr;

    meminit_error_set(&r->err, "xenguest", rc, "%s", strerror(-rc));
    r->log.to_stderr = false;
    xg_log(&r->log, MEMINIT_LOG_WARN, "%s: %s", e->step, e->msg);
    r->log.to_stderr = to_stderr;
    snprintf(line, sizeof(line), "error:xenguest: %s: %s", e->step, e->msg);
    xg_proto_clean(line);
    if ( r->opt.control_out_fd < 0 )
    {
        fprintf(stderr, "%s\n", line);
        return 0;
    }
    rc = xg_proto_error(&r->proto, e->step, e->msg);
    if ( rc )
        undeliverable(r, rc, line);
    return rc;
}

static void cleanup(struct xg_run *r)
{
    if ( r->plat_read )
        xg_platform_free(&r->plat);
    xg_xs_close(&r->xs);
    if ( r->xch )
        xc_interface_close(r->xch);
    xg_log_close(&r->log);
}

static int run(struct xg_run *r)
{
    int rc = xg_log_open(&r->log, r->opt.domid, r->opt.debuglog,
                         r->opt.control_out_fd < 0);

    if ( rc )
        return meminit_error_set(&r->err, "debuglog", rc, "\"%s\": %s",
                                 r->opt.debuglog, strerror(-rc));
    rc = xg_proto_check(&r->proto);
    if ( rc )
        return meminit_error_set(&r->err, "control-fd", rc, "control fd %d: "
                                 "%s", r->opt.control_out_fd, strerror(-rc));
    rc = open_host(r);
    if ( r->opt.plan )                  /* touches nothing, not even a claim */
        return rc ? rc : plan(r);
    if ( !rc )
        rc = build(r);
    if ( !rc && xg_signals_caught() )
        rc = meminit_error_set(&r->err, "signal", EINTR, "stopped by signal "
                               "%d", xg_signals_caught());
    cancel_claim(r);
    return rc ? rc : result(r);
}

/* A build or a plan: its exit status. */
static int build_or_plan(struct xg_run *r)
{
    int rc = run(r);

    if ( rc && r->proto.done )          /* the result line failed */
        rc = EXIT_CONTROL_FD;
    else if ( rc )
        rc = report_error(r, rc) ? EXIT_CONTROL_FD : EXIT_FAILURE;
    cleanup(r);
    return rc;
}

int main(int argc, char **argv)
{
    struct xg_run *r = calloc(1, sizeof(*r));
    int rc;

    xg_signals_catch();
    if ( !r )
        return EXIT_FAILURE;
    rc = xg_options_parse(&r->opt, argc, (const char *const *)argv, &r->err);
    xg_proto_init(&r->proto, r->opt.control_out_fd);
    if ( rc )
    {
        rc = report_error(r, rc) ? EXIT_CONTROL_FD : EXIT_USAGE;
        fprintf(stderr, "Try '%s --help'.\n", argv[0]);
    }
    else if ( r->opt.help )
        rc = xg_options_help(stdout, argv[0]) ? EXIT_FAILURE : 0;
    else if ( r->opt.version )
        rc = version();
    else if ( r->opt.supports )
        rc = supports(r->opt.supports);
    else
        rc = build_or_plan(r);
    free(r);
    xg_signals_reraise();
    return rc;
}
