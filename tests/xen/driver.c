/*
 * tests/xen/driver.c: plays xenopsd's part around a domain builder, inside
 * the dom0 of the real-Xen harness (tests/xen/run boots it under QEMU).
 *
 * xenopsd does not build memory itself: it creates an empty domain, sets its
 * limits, allocates the xenstore and console event channels, writes the
 * domain's xenstore directory, may stake a claim, and only then execs the
 * builder with two pipe fds and reads its result line.  This program does
 * each of those steps as one command, so that a scenario script can put
 * them together the way xenopsd does and look at the hypervisor's state
 * between them.  `driver` alone (or `driver help`) prints every command's
 * usage; the table `commands[]` at the end is the list:
 *
 *   create     an empty domain as xenopsd leaves it before the build;
 *              prints: domid=<n> store_port=<p> console_port=<p>
 *   exec       execs BUILDER -controloutfd W -controlinfd R ARG..., prints
 *              every control line read (`read: LINE`), then
 *              verdict=result|error|bad-line|eof|timeout, how the builder
 *              ended (`builder exit=N` or `builder signal=N`), and
 *              `exec elapsed_ms=N` (fork to verdict).  /lib/xgbuild.sh's
 *              xg_get parses this output for the scenarios.
 *   nodes      the host's free/outstanding pages, each node's memsize and
 *              memfree in pages, with its distances
 *   dominfo    tot_pages, max_pages and outstanding_pages of a domain
 *   claim      stake (or with 0 pages cancel) a domain's claim
 *   destroy    destroy a domain, drop its xenstore directory, wait for it
 *   introduce  what xenopsd does after a successful build: the store/ and
 *              console/ keys, then xs_introduce_domain
 *   unpause    let the domain run
 *   busy       keep one dom0 vCPU running (pinned there, SCHED_IDLE, until
 *              killed), so that the pCPU under it never enters Xen's idle
 *              loop, where Xen scrubs freed memory (scenario 93)
 *   xsread, xswrite, xsrm, xsls   xenstore access for the scenarios (the
 *              busybox dom0 has no xenstore-* tools)
 *
 * Output is key=value on stdout for scripts; diagnostics go to stderr.  The
 * exit status is 0 on success, 1 on failure, 2 on a usage error.
 *
 * This is test scaffolding: it never builds memory; it unpauses only when
 * asked to (`unpause`).
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xenctrl.h>
#include <xenstore.h>

#define PAGES_PER_MIB   256UL
#define MAX_XS_KEYS     64
#define MAX_LINE        4096
#define XS_PATH_MAX     256
#define XS_VALUE_MAX    1024
#define XS_BATCH_MAX    (MAX_XS_KEYS * 2 + 32)

static const char *prog = "driver";

static int usage(void);

/* ---- helpers ----------------------------------------------------------- */

/* Bounded unsigned parse: the whole string, decimal, at most max. */
static int parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    unsigned long v;

    if ( !s || *s < '0' || *s > '9' )
        return -EINVAL;
    errno = 0;
    v = strtoul(s, &end, 10);
    if ( errno || *end != '\0' || v > max )
        return -ERANGE;
    *out = v;
    return 0;
}

static int parse_domid(const char *s, uint32_t *domid)
{
    unsigned long v;

    if ( parse_ulong(s, DOMID_FIRST_RESERVED - 1, &v) )
    {
        fprintf(stderr, "%s: bad domid '%s'\n", prog, s ? s : "");
        return -EINVAL;
    }
    *domid = v;
    return 0;
}

/* ms since an arbitrary origin, for deadlines. */
static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static xc_interface *open_xc(void)
{
    xc_interface *xch = xc_interface_open(NULL, NULL, 0);

    if ( !xch )
        fprintf(stderr, "%s: xc_interface_open: %s\n", prog, strerror(errno));
    return xch;
}

static struct xs_handle *open_xs(void)
{
    struct xs_handle *xsh = xs_open(0);

    if ( !xsh )
        fprintf(stderr, "%s: xs_open: %s\n", prog, strerror(errno));
    return xsh;
}

/* Look one domain up; -ESRCH when it does not exist. */
static int get_dominfo(xc_interface *xch, uint32_t domid, xc_domaininfo_t *info)
{
    int n = xc_domain_getinfolist(xch, domid, 1, info);

    if ( n < 0 )
        return -errno;
    if ( n == 0 || info->domain != domid )
        return -ESRCH;
    return 0;
}

/* ---- xenstore batches: many writes in one transaction ------------------ */

/*
 * One step of a batch: write VALUE at PATH (mkdir when value is NULL), or
 * remove PATH, then set the permissions when given.
 */
struct xs_op {
    char path[XS_PATH_MAX];
    char value[XS_VALUE_MAX];
    bool is_dir, rm;
    const struct xs_permissions *perms;
    unsigned int nr_perms;
};

struct xs_batch {
    struct xs_op op[XS_BATCH_MAX];
    unsigned int n;
    bool overflow;
};

/* Append one op; PATH is printf-style.  VALUE NULL: a directory. */
static struct xs_op *batch_add(struct xs_batch *b, const char *value,
                               const char *fmt, ...)
{
    struct xs_op *op;
    va_list ap;

    if ( b->n >= XS_BATCH_MAX )
    {
        b->overflow = true;
        return NULL;
    }
    op = &b->op[b->n++];
    memset(op, 0, sizeof(*op));
    va_start(ap, fmt);
    vsnprintf(op->path, sizeof(op->path), fmt, ap);
    va_end(ap);
    op->is_dir = !value;
    if ( value )
        snprintf(op->value, sizeof(op->value), "%s", value);
    return op;
}

static void op_perms(struct xs_op *op, const struct xs_permissions *p,
                     unsigned int n)
{
    if ( op )
    {
        op->perms = p;
        op->nr_perms = n;
    }
}

static bool op_apply(struct xs_handle *xsh, xs_transaction_t t,
                     const struct xs_op *op)
{
    bool ok;

    if ( op->rm )
        return xs_rm(xsh, t, op->path) || errno == ENOENT;
    if ( op->is_dir )
        ok = xs_mkdir(xsh, t, op->path);
    else
        ok = xs_write(xsh, t, op->path, op->value, strlen(op->value));
    if ( ok && op->nr_perms )
        ok = xs_set_permissions(xsh, t, op->path,
                                (struct xs_permissions *)op->perms,
                                op->nr_perms);
    return ok;
}

/* Apply a whole batch in one transaction, retried on EAGAIN.  0 or -errno. */
static int batch_commit(struct xs_handle *xsh, const struct xs_batch *b)
{
    unsigned int tries, i;

    if ( b->overflow )
    {
        fprintf(stderr, "%s: more than %d xenstore writes\n", prog,
                XS_BATCH_MAX);
        return -E2BIG;
    }
    for ( tries = 0; tries < 10; tries++ )
    {
        xs_transaction_t t = xs_transaction_start(xsh);

        if ( t == XBT_NULL )
            return -errno;
        for ( i = 0; i < b->n && op_apply(xsh, t, &b->op[i]); i++ )
            ;
        if ( i < b->n )
        {
            int err = errno;

            xs_transaction_end(xsh, t, true);
            fprintf(stderr, "%s: xenstore %s %s: %s\n", prog,
                    b->op[i].rm ? "rm" : "write", b->op[i].path,
                    strerror(err));
            return -err;
        }
        if ( xs_transaction_end(xsh, t, false) )
            return 0;
        if ( errno != EAGAIN )
            return -errno;
    }
    return -EAGAIN;
}

/* ---- create ------------------------------------------------------------ */

enum dom_type { DOM_PV, DOM_PVH, DOM_HVM };

static const char *const type_names[] = {
    [DOM_PV] = "pv", [DOM_PVH] = "pvh", [DOM_HVM] = "hvm",
};

struct create_opts {
    enum dom_type type;
    bool have_type;
    unsigned long mem_mib;
    unsigned long max_mib;      /* 0: derived from mem_mib */
    unsigned long vcpus;
    unsigned long paging_mib;   /* 0: derived from mem_mib and vcpus */
    unsigned long claim_pages;  /* 0: no claim */
    const char *xs[MAX_XS_KEYS];        /* KEY=VALUE, written */
    unsigned int nr_xs;
    const char *xs_rm[MAX_XS_KEYS];     /* KEY, removed */
    unsigned int nr_xs_rm;
};

/* A new domain and what a toolstack got for it. */
struct created {
    uint32_t domid;
    unsigned long max_mib;
    unsigned int paging_mib;
    int store_port, console_port;
};

/* dom0 owns these; the guest may read them. */
static void perms_ro(struct xs_permissions p[2], uint32_t domid)
{
    p[0].id = 0;
    p[0].perms = XS_PERM_NONE;
    p[1].id = domid;
    p[1].perms = XS_PERM_READ;
}

/* The toolstack's defaults, then --xs (wins) and --xs-rm. */
static void batch_domain_keys(struct xs_batch *b, const char *base,
                              const struct create_opts *o)
{
    static const char *const fixed[][2] = {
        { "platform/acpi", "1" }, { "platform/apic", "1" },
        { "platform/pae", "1" }, { "platform/nx", "1" },
        { "platform/hpet", "1" }, { "platform/viridian", "false" },
    };
    char vcpus[24], kib[24];
    unsigned int i;

    snprintf(vcpus, sizeof(vcpus), "%lu", o->vcpus);
    snprintf(kib, sizeof(kib), "%lu", o->mem_mib * 1024);
    batch_add(b, vcpus, "%s/platform/vcpu/number", base);
    batch_add(b, vcpus, "%s/platform/vcpu/current", base);
    for ( i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++ )
        batch_add(b, fixed[i][1], "%s/%s", base, fixed[i][0]);
    batch_add(b, kib, "%s/memory/static-max", base);
    batch_add(b, kib, "%s/memory/target", base);
    for ( i = 0; i < o->nr_xs; i++ )
    {
        const char *eq = strchr(o->xs[i], '=');

        batch_add(b, eq + 1, "%s/%.*s", base, (int)(eq - o->xs[i]), o->xs[i]);
    }
    for ( i = 0; i < o->nr_xs_rm; i++ )
    {
        struct xs_op *op = batch_add(b, "", "%s/%s", base, o->xs_rm[i]);

        if ( op )
            op->rm = true;
    }
}

/*
 * The domain's xenstore directory as a toolstack leaves it before the build:
 * dom0 owns it and the guest may read it; the guest owns the subtrees it
 * writes to.  Keys given with --xs (relative to the directory) come last and
 * win over the defaults, and --xs-rm removes keys: this is how scenarios
 * feed a builder odd or missing platform/ values.
 */
static int xs_write_domain(struct xs_handle *xsh, uint32_t domid,
                           const struct create_opts *o)
{
    static const char *const guest_dirs[] = { "control", "data", "device",
                                              "drivers", "attr" };
    struct xs_permissions ro[2], rw[1] = { { .id = domid,
                                             .perms = XS_PERM_NONE } };
    struct xs_batch *b = calloc(1, sizeof(*b));
    char base[64], domid_s[16];
    unsigned int i;
    int rc;

    if ( !b )
        return -ENOMEM;
    perms_ro(ro, domid);
    snprintf(base, sizeof(base), "/local/domain/%u", domid);
    snprintf(domid_s, sizeof(domid_s), "%u", domid);
    op_perms(batch_add(b, NULL, "%s", base), ro, 2);
    batch_add(b, domid_s, "%s/domid", base);
    batch_add(b, "xgtest", "%s/name", base);
    op_perms(batch_add(b, NULL, "%s/platform", base), ro, 2);
    for ( i = 0; i < sizeof(guest_dirs) / sizeof(guest_dirs[0]); i++ )
        op_perms(batch_add(b, NULL, "%s/%s", base, guest_dirs[i]), rw, 1);
    batch_domain_keys(b, base, o);
    rc = batch_commit(xsh, b);
    free(b);
    return rc;
}

/*
 * The guest's RAM ceiling in KiB, memory/static-max: --xs when given, else
 * the guest's RAM (what batch_domain_keys() writes). xenopsd's build_pre
 * derives max memory from it and gives it to xc_domain_set_memmap_limit for
 * a PV guest (libxl does the same).
 */
static unsigned long static_max_kib(const struct create_opts *o)
{
    static const char key[] = "memory/static-max=";
    unsigned long kib;
    unsigned int i;

    for ( i = o->nr_xs; i-- > 0; )
        if ( !strncmp(o->xs[i], key, sizeof(key) - 1) &&
             !parse_ulong(o->xs[i] + sizeof(key) - 1, ULONG_MAX / 2, &kib) )
            return kib;
    return o->mem_mib * 1024;
}

/* The createdomain config for the type, and the derived limits. */
static void create_config(const struct create_opts *o,
                          struct xen_domctl_createdomain *cfg,
                          struct created *c)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->max_vcpus = o->vcpus;
    cfg->max_evtchn_port = 1023;
    cfg->max_grant_frames = 64;
    cfg->max_maptrack_frames = 1024;
    /* Grant version 0 is refused: a PV domain must ask for v1 (or v2). */
    cfg->grant_opts = XEN_DOMCTL_GRANT_version(1);
    if ( o->type != DOM_PV )
        cfg->flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
    if ( o->type == DOM_PVH )
        cfg->arch.emulation_flags = XEN_X86_EMU_LAPIC;
    /* vPCI is for the hardware domain only. */
    if ( o->type == DOM_HVM )
        cfg->arch.emulation_flags = XEN_X86_EMU_ALL & ~XEN_X86_EMU_VPCI;
    if ( getrandom(cfg->handle, sizeof(cfg->handle), GRND_NONBLOCK) !=
         (ssize_t)sizeof(cfg->handle) )
        memset(cfg->handle, 0, sizeof(cfg->handle));

    /* Headroom over the guest's ceiling, as a toolstack adds for magic
     * pages (PV 1 MiB, as libxl). */
    c->max_mib = o->max_mib ? o->max_mib
                            : static_max_kib(o) / 1024 +
                              (o->type == DOM_PV ? 1 : 8);
    /* HAP pool: at least 8 MiB; 4 KiB per MiB of RAM and 1 MiB per vCPU. */
    c->paging_mib = o->paging_mib;
    if ( !c->paging_mib )
    {
        c->paging_mib = (o->mem_mib * 4 + 1023) / 1024 + o->vcpus;
        if ( c->paging_mib < 8 )
            c->paging_mib = 8;
    }
}

/* vCPUs, max memory (before any claim or populate), the HAP pool; a PV
 * guest's memory map limit. */
static int create_limits(xc_interface *xch, const struct create_opts *o,
                         struct created *c)
{
    unsigned long limit_kib = static_max_kib(o);

    if ( xc_domain_max_vcpus(xch, c->domid, o->vcpus) )
    {
        fprintf(stderr, "%s: xc_domain_max_vcpus(%lu): %s\n", prog, o->vcpus,
                strerror(errno));
        return -1;
    }
    if ( xc_domain_setmaxmem(xch, c->domid, c->max_mib * 1024) )
    {
        fprintf(stderr, "%s: xc_domain_setmaxmem(%lu MiB): %s\n", prog,
                c->max_mib, strerror(errno));
        return -1;
    }
    if ( o->type == DOM_PV &&
         xc_domain_set_memmap_limit(xch, c->domid, limit_kib) )
    {
        fprintf(stderr, "%s: memory map limit of %lu KiB: %s\n", prog,
                limit_kib, strerror(errno));
        return -1;
    }
    if ( o->type != DOM_PV &&
         xc_shadow_control(xch, c->domid, XEN_DOMCTL_SHADOW_OP_SET_ALLOCATION,
                           &c->paging_mib, 0) )
    {
        fprintf(stderr, "%s: paging pool of %u MiB: %s\n", prog,
                c->paging_mib, strerror(errno));
        return -1;
    }
    return 0;
}

/* The store and console event channels, unbound, for dom0 to bind. */
static int create_evtchns(xc_interface *xch, struct created *c)
{
    c->store_port = xc_evtchn_alloc_unbound(xch, c->domid, 0);
    if ( c->store_port < 0 )
    {
        fprintf(stderr, "%s: store event channel: %s\n", prog,
                strerror(errno));
        return -1;
    }
    c->console_port = xc_evtchn_alloc_unbound(xch, c->domid, 0);
    if ( c->console_port < 0 )
    {
        fprintf(stderr, "%s: console event channel: %s\n", prog,
                strerror(errno));
        return -1;
    }
    return 0;
}

/* xenstore directory, then the claim; the directory goes if either fails. */
static int create_store(xc_interface *xch, const struct create_opts *o,
                        const struct created *c)
{
    struct xs_handle *xsh = open_xs();
    int rc = -1;

    if ( !xsh )
        return -1;
    if ( xs_write_domain(xsh, c->domid, o) )
        goto out;
    if ( o->claim_pages &&
         xc_domain_claim_pages(xch, c->domid, o->claim_pages) )
    {
        fprintf(stderr, "%s: claim of %lu pages: %s\n", prog, o->claim_pages,
                strerror(errno));
        goto out;
    }
    rc = 0;
 out:
    if ( rc )
    {
        char base[64];

        snprintf(base, sizeof(base), "/local/domain/%u", c->domid);
        xs_rm(xsh, XBT_NULL, base);
    }
    xs_close(xsh);
    return rc;
}

static void create_report(const struct create_opts *o, const struct created *c)
{
    printf("domid=%u store_port=%d console_port=%d\n",
           c->domid, c->store_port, c->console_port);
    fprintf(stderr, "%s: created %s domain %u: %lu MiB (max %lu MiB), "
            "%lu vCPU(s), claim %lu pages", prog, type_names[o->type],
            c->domid, o->mem_mib, c->max_mib, o->vcpus, o->claim_pages);
    if ( o->type != DOM_PV )
        fprintf(stderr, ", paging pool %u MiB", c->paging_mib);
    fprintf(stderr, "\n");
}

/*
 * What xenopsd's domain creation amounts to before it execs the builder.
 * The domain is destroyed again if any step fails.
 */
static int domain_create(const struct create_opts *o)
{
    struct xen_domctl_createdomain cfg;
    struct created c = { .domid = DOMID_INVALID };
    xc_interface *xch = open_xc();
    int rc = 1;

    if ( !xch )
        return 1;
    create_config(o, &cfg, &c);
    if ( xc_domain_create(xch, &c.domid, &cfg) )
        fprintf(stderr, "%s: xc_domain_create: %s\n", prog, strerror(errno));
    else if ( create_limits(xch, o, &c) || create_evtchns(xch, &c) ||
              create_store(xch, o, &c) )
        xc_domain_destroy(xch, c.domid);
    else
    {
        create_report(o, &c);
        rc = 0;
    }
    xc_interface_close(xch);
    return rc;
}

/* A relative xenstore key for --xs/--xs-rm: no '/' first, no "..". */
static bool key_ok(const char *k, bool needs_value)
{
    if ( !k[0] || k[0] == '/' || k[0] == '=' || strstr(k, "..") )
        return false;
    return !needs_value || strchr(k, '=');
}

/* Take one option of `create`.  0, -EINVAL/-ERANGE (bad value), or -E2BIG. */
static int create_opt(struct create_opts *o, int c, const char *arg)
{
    switch ( c )
    {
    case 't':
        for ( o->type = DOM_PV; o->type <= DOM_HVM; o->type++ )
            if ( !strcmp(arg, type_names[o->type]) )
                return o->have_type = true, 0;
        return -EINVAL;
    case 'm':
        return parse_ulong(arg, 1UL << 30, &o->mem_mib);
    case 'M':
        return parse_ulong(arg, 1UL << 30, &o->max_mib);
    case 'v':
        return parse_ulong(arg, 128, &o->vcpus);
    case 'p':
        return parse_ulong(arg, 1UL << 20, &o->paging_mib);
    case 'c':
        return parse_ulong(arg, 1UL << 40, &o->claim_pages);
    case 'x':
        if ( o->nr_xs >= MAX_XS_KEYS )
            return -E2BIG;
        if ( !key_ok(arg, true) )
            return -EINVAL;
        o->xs[o->nr_xs++] = arg;
        return 0;
    case 'r':
        if ( o->nr_xs_rm >= MAX_XS_KEYS )
            return -E2BIG;
        if ( !key_ok(arg, false) )
            return -EINVAL;
        o->xs_rm[o->nr_xs_rm++] = arg;
        return 0;
    }
    return -ENOENT;
}

static int cmd_create(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "type",        required_argument, NULL, 't' },
        { "mem-mib",     required_argument, NULL, 'm' },
        { "max-mib",     required_argument, NULL, 'M' },
        { "vcpus",       required_argument, NULL, 'v' },
        { "paging-mib",  required_argument, NULL, 'p' },
        { "claim-pages", required_argument, NULL, 'c' },
        { "xs",          required_argument, NULL, 'x' },
        { "xs-rm",       required_argument, NULL, 'r' },
        { NULL, 0, NULL, 0 },
    };
    struct create_opts o = { .vcpus = 1 };
    int c, idx = 0, err;

    while ( (c = getopt_long(argc, argv, "", longopts, &idx)) != -1 )
    {
        if ( c == '?' || (err = create_opt(&o, c, optarg)) == -ENOENT )
            return usage();
        if ( err == -E2BIG )
        {
            fprintf(stderr, "%s: more than %u --%s options\n", prog,
                    MAX_XS_KEYS, longopts[idx].name);
            return 2;
        }
        if ( err )
        {
            fprintf(stderr, "%s: bad value '%s' for --%s\n", prog, optarg,
                    longopts[idx].name);
            return 2;
        }
    }
    if ( optind != argc || !o.have_type || !o.mem_mib || !o.vcpus )
    {
        fprintf(stderr, "%s: create needs --type and --mem-mib "
                "(and at least one vCPU)\n", prog);
        return usage();
    }
    if ( o.max_mib && o.max_mib < o.mem_mib )
    {
        fprintf(stderr, "%s: --max-mib %lu is below --mem-mib %lu\n", prog,
                o.max_mib, o.mem_mib);
        return 2;
    }
    return domain_create(&o);
}

/* ---- exec: spawn, read the control fd, reap ---------------------------- */

struct exec_ctx {
    unsigned long timeout_s;
    bool keep_stdio;
    char **builder;             /* BUILDER ARG... (NULL-terminated) */
    int nr_builder;
    int outp[2], inp[2];        /* control out (builder writes), in */
    pid_t pid;
    long long t0;
};

/* Options before `--`; the builder's argv after them. */
static int exec_parse(int argc, char **argv, struct exec_ctx *x)
{
    static const struct option longopts[] = {
        { "timeout",    required_argument, NULL, 't' },
        { "keep-stdio", no_argument,       NULL, 'k' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    x->timeout_s = 120;
    while ( (c = getopt_long(argc, argv, "+", longopts, NULL)) != -1 )
    {
        if ( c == 'k' )
            x->keep_stdio = true;
        else if ( c != 't' )
            return usage();
        else if ( parse_ulong(optarg, 86400, &x->timeout_s) || !x->timeout_s )
        {
            fprintf(stderr, "%s: bad --timeout '%s'\n", prog, optarg);
            return 2;
        }
    }
    if ( optind >= argc )
        return usage();
    x->builder = argv + optind;
    x->nr_builder = argc - optind;
    return 0;
}

/* In the child: our fds to the builder, /dev/null for stdio, exec. */
static void exec_child(const struct exec_ctx *x, char **cargv)
{
    if ( fcntl(x->outp[1], F_SETFD, 0) || fcntl(x->inp[0], F_SETFD, 0) )
        _exit(127);
    if ( !x->keep_stdio )
    {
        /* forkexecd gives the builder /dev/null for stdio. */
        int null = open("/dev/null", O_RDWR);

        if ( null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
             dup2(null, 2) < 0 )
            _exit(127);
        if ( null > 2 )
            close(null);
    }
    execvp(cargv[0], cargv);
    fprintf(stderr, "%s: exec %s: %s\n", prog, cargv[0], strerror(errno));
    _exit(127);
}

/* Pipes, BUILDER -controloutfd W -controlinfd R ARG... (xenopsd's order), fork. */
static int exec_spawn(struct exec_ctx *x)
{
    static char opt_out[] = "-controloutfd", opt_in[] = "-controlinfd";
    char ofd[16], ifd[16], **cargv;
    int i;

    /* Our ends are close-on-exec; the builder's ends are made inheritable. */
    if ( pipe2(x->outp, O_CLOEXEC) || pipe2(x->inp, O_CLOEXEC) )
    {
        fprintf(stderr, "%s: pipe: %s\n", prog, strerror(errno));
        return -1;
    }
    snprintf(ofd, sizeof(ofd), "%d", x->outp[1]);
    snprintf(ifd, sizeof(ifd), "%d", x->inp[0]);
    cargv = calloc(x->nr_builder + 5, sizeof(*cargv));
    if ( !cargv )
        return -1;
    cargv[0] = x->builder[0];
    cargv[1] = opt_out;
    cargv[2] = ofd;
    cargv[3] = opt_in;
    cargv[4] = ifd;
    for ( i = 1; i < x->nr_builder; i++ )
        cargv[i + 4] = x->builder[i];

    fflush(stdout);
    x->t0 = now_ms();
    x->pid = fork();
    if ( x->pid == 0 )
        exec_child(x, cargv);
    free(cargv);
    if ( x->pid < 0 )
    {
        fprintf(stderr, "%s: fork: %s\n", prog, strerror(errno));
        return -1;
    }
    close(x->outp[1]);
    close(x->inp[0]);
    printf("exec pid=%d controloutfd=%s controlinfd=%s\n", (int)x->pid, ofd,
           ifd);
    return 0;
}

/*
 * Judge one control line the way xenopsd does.  Returns 0 to keep reading,
 * 1 for a verdict of success, -1 for a verdict of failure.
 */
static int judge_line(const char *line)
{
    const char *colon = strchr(line, ':');
    size_t plen;

    printf("read: %s\n", line);
    if ( !colon )
    {
        printf("verdict=bad-line reason=\"no ':' in line\"\n");
        return -1;
    }
    plen = colon - line;
#define PREFIX_IS(s) (plen == sizeof(s) - 1 && !strncmp(line, s, plen))
    if ( PREFIX_IS("info") || PREFIX_IS("stdout") || PREFIX_IS("stderr") )
        return 0;
    if ( PREFIX_IS("error") )
    {
        printf("verdict=error message=\"%s\"\n", colon + 1);
        return -1;
    }
    if ( PREFIX_IS("result") )
    {
        unsigned long long store, console;
        char proto[64] = "";
        int n = sscanf(colon + 1, "%llu %llu %63s", &store, &console, proto);

        if ( n < 2 )
        {
            printf("verdict=bad-line reason=\"result without two integers\"\n");
            return -1;
        }
        printf("verdict=result store=%llu console=%llu%s%s\n", store, console,
               n == 3 ? " protocol=" : "", n == 3 ? proto : "");
        return 1;
    }
#undef PREFIX_IS
    printf("verdict=bad-line reason=\"unexpected prefix '%.*s'\"\n",
           (int)plen, line);
    return -1;
}

/* The control fd's bytes not yet judged. */
struct line_buf {
    char buf[MAX_LINE + 1];
    size_t used;
};

/* Judge every whole line in the buffer; stop at the first verdict. */
static int judge_lines(struct line_buf *lb)
{
    char *nl;
    int verdict = 0;

    while ( !verdict && (nl = strchr(lb->buf, '\n')) != NULL )
    {
        *nl = '\0';
        verdict = judge_line(lb->buf);
        lb->used -= nl + 1 - lb->buf;
        memmove(lb->buf, nl + 1, lb->used + 1);
    }
    if ( !verdict && lb->used == MAX_LINE )
    {
        printf("verdict=bad-line reason=\"line longer than %d bytes\"\n",
               MAX_LINE);
        verdict = -1;
    }
    return verdict;
}

/* End of file on the control fd: a half line, or no result at all. */
static int judge_eof(struct line_buf *lb)
{
    if ( lb->used )
    {
        lb->buf[lb->used] = '\0';
        printf("read: %s\n", lb->buf);
        printf("verdict=bad-line reason=\"unterminated last line\"\n");
    }
    else
        printf("verdict=eof reason=\"control fd closed without a result\"\n");
    return -1;
}

/*
 * Wait for data until the deadline (a cancelled build: xenopsd sends
 * SIGKILL).  1 when readable, 0 to poll again, -1 with a verdict printed.
 */
static int control_wait(const struct exec_ctx *x, long long deadline)
{
    struct pollfd pfd = { .fd = x->outp[0], .events = POLLIN };
    long long left = deadline - now_ms();
    int pr;

    if ( left <= 0 )
    {
        kill(x->pid, SIGKILL);
        printf("verdict=timeout reason=\"no result within %lus\"\n",
               x->timeout_s);
        return -1;
    }
    pr = poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int)left);
    if ( pr < 0 && errno != EINTR )
    {
        printf("verdict=eof reason=\"poll: %s\"\n", strerror(errno));
        return -1;
    }
    return pr > 0;
}

/* Read control lines until a verdict: 1 result, -1 anything else. */
static int exec_read_control(const struct exec_ctx *x)
{
    long long deadline = now_ms() + (long long)x->timeout_s * 1000;
    struct line_buf *lb = calloc(1, sizeof(*lb));
    int verdict = 0;

    if ( !lb )
        return -1;
    while ( !verdict )
    {
        int w = control_wait(x, deadline);
        ssize_t n;

        if ( w <= 0 )
        {
            verdict = w;
            continue;
        }
        n = read(x->outp[0], lb->buf + lb->used, MAX_LINE - lb->used);
        if ( n < 0 && errno == EINTR )
            continue;
        if ( n <= 0 )
            verdict = judge_eof(lb);
        else
        {
            lb->used += n;
            lb->buf[lb->used] = '\0';
            verdict = judge_lines(lb);
        }
    }
    free(lb);
    return verdict;
}

/* Reap the builder, killing it if it lingers; print how it ended. */
static void exec_reap(pid_t pid, int grace_ms)
{
    long long deadline = now_ms() + grace_ms;
    int status;
    pid_t r;

    for ( ;; )
    {
        r = waitpid(pid, &status, WNOHANG);
        if ( r == pid || (r < 0 && errno != EINTR) )
            break;
        if ( now_ms() > deadline )
        {
            kill(pid, SIGKILL);
            r = waitpid(pid, &status, 0);
            break;
        }
        usleep(10000);
    }
    if ( r != pid )
        printf("builder exit=unknown\n");
    else if ( WIFEXITED(status) )
        printf("builder exit=%d\n", WEXITSTATUS(status));
    else if ( WIFSIGNALED(status) )
        printf("builder signal=%d\n", WTERMSIG(status));
}

static int cmd_exec(int argc, char **argv)
{
    struct exec_ctx x = { .pid = -1 };
    long long elapsed;
    int rc, verdict;

    rc = exec_parse(argc, argv, &x);
    if ( rc )
        return rc;
    if ( exec_spawn(&x) )
        return 1;
    verdict = exec_read_control(&x);
    elapsed = now_ms() - x.t0;
    close(x.outp[0]);
    close(x.inp[1]);
    fflush(stdout);
    exec_reap(x.pid, 10000);
    printf("exec elapsed_ms=%lld\n", elapsed);
    return verdict > 0 ? 0 : 1;
}

/* ---- nodes, dominfo, claim, destroy ------------------------------------ */

static void print_node(unsigned int i, unsigned int nr, const xc_meminfo_t *m,
                       const uint32_t *dist)
{
    unsigned int j;

    /* numainfo reports bytes; everything here is in 4 KiB pages. */
    printf("node=%u memsize=%" PRIu64 " memfree=%" PRIu64 " distances=",
           i, (uint64_t)(m->memsize >> XC_PAGE_SHIFT),
           (uint64_t)(m->memfree >> XC_PAGE_SHIFT));
    for ( j = 0; j < nr; j++ )
        printf("%s%u", j ? "," : "", dist[i * nr + j]);
    printf("\n");
}

static int cmd_nodes(int argc, char **argv)
{
    xc_physinfo_t phys = { 0 };
    xc_meminfo_t *mem = NULL;
    uint32_t *dist = NULL;
    unsigned int nr, i;
    xc_interface *xch;
    int rc = 1;

    (void)argv;
    if ( argc != 1 )
        return usage();
    xch = open_xc();
    if ( !xch )
        return 1;
    if ( xc_physinfo(xch, &phys) )
    {
        fprintf(stderr, "%s: xc_physinfo: %s\n", prog, strerror(errno));
        goto out;
    }
    nr = phys.max_node_id + 1;
    mem = calloc(nr, sizeof(*mem));
    dist = calloc((size_t)nr * nr, sizeof(*dist));
    if ( !mem || !dist )
        goto out;
    if ( xc_numainfo(xch, &nr, mem, dist) )
    {
        fprintf(stderr, "%s: xc_numainfo: %s\n", prog, strerror(errno));
        goto out;
    }
    printf("host nr_nodes=%u total_pages=%" PRIu64 " free_pages=%" PRIu64
           " outstanding_pages=%" PRIu64 "\n", phys.nr_nodes,
           (uint64_t)phys.total_pages, (uint64_t)phys.free_pages,
           (uint64_t)phys.outstanding_pages);
    for ( i = 0; i < nr; i++ )
        if ( mem[i].memsize != XEN_INVALID_MEM_SZ )
            print_node(i, nr, &mem[i], dist);
    rc = 0;
 out:
    free(mem);
    free(dist);
    xc_interface_close(xch);
    return rc;
}

static int cmd_dominfo(int argc, char **argv)
{
    xc_domaininfo_t info;
    xc_interface *xch;
    uint32_t domid;
    int err;

    if ( argc != 2 || parse_domid(argv[1], &domid) )
        return usage();
    xch = open_xc();
    if ( !xch )
        return 1;
    err = get_dominfo(xch, domid, &info);
    xc_interface_close(xch);
    if ( err )
    {
        fprintf(stderr, "%s: domain %u: %s\n", prog, domid, strerror(-err));
        return 1;
    }
    printf("domid=%u tot_pages=%" PRIu64 " max_pages=%" PRIu64
           " outstanding_pages=%" PRIu64 " hvm=%d hap=%d dying=%d\n",
           domid, (uint64_t)info.tot_pages, (uint64_t)info.max_pages,
           (uint64_t)info.outstanding_pages,
           !!(info.flags & XEN_DOMINF_hvm_guest),
           !!(info.flags & XEN_DOMINF_hap),
           !!(info.flags & XEN_DOMINF_dying));
    return 0;
}

/* hvmparam DOMID INDEX[=VALUE]...: "INDEX=VALUE" per HVM param
 * (xc_hvm_param_get), for comparing what each builder and toolstack left
 * in a domain; INDEX=VALUE sets it first (xc_hvm_param_set), as a
 * toolstack does (xenopsd's platform:timer_mode, for one). Every argument
 * is checked before any is set; one that Xen refuses is reported and the
 * rest are still set and read (status 1). */
static int hvmparam_one(xc_interface *xch, uint32_t domid, const char *arg)
{
    char *end;
    unsigned long idx = strtoul(arg, &end, 10);
    uint64_t value;

    if ( *end == '=' &&
         xc_hvm_param_set(xch, domid, (int)idx, strtoull(end + 1, NULL, 10)) )
    {
        fprintf(stderr, "%s: domain %u: set HVM param %s: %s\n", prog, domid,
                arg, strerror(errno));
        return 1;
    }
    if ( xc_hvm_param_get(xch, domid, (int)idx, &value) )
    {
        fprintf(stderr, "%s: domain %u: HVM param %lu: %s\n", prog, domid,
                idx, strerror(errno));
        return 1;
    }
    printf("%lu=%" PRIu64 "\n", idx, value);
    return 0;
}

/* INDEX or INDEX=VALUE, INDEX below HVM_NR_PARAMS, VALUE a decimal
 * number of at most 64 bits (digits only: no sign, space or base prefix). */
static bool hvmparam_arg_ok(const char *arg)
{
    char idx[24], *end;
    size_t n = strcspn(arg, "=");
    const char *val = arg + n + 1;
    unsigned long v;

    if ( n == 0 || n >= sizeof(idx) )
        return false;
    memcpy(idx, arg, n);
    idx[n] = '\0';
    if ( parse_ulong(idx, HVM_NR_PARAMS - 1, &v) )
        return false;
    if ( arg[n] != '=' )
        return true;
    if ( !*val || strspn(val, "0123456789") != strlen(val) )
        return false;
    errno = 0;
    strtoull(val, &end, 10);
    return !errno;
}

static int cmd_hvmparam(int argc, char **argv)
{
    xc_interface *xch;
    uint32_t domid;
    int i, rc = 0;

    if ( argc < 3 || parse_domid(argv[1], &domid) )
        return usage();
    for ( i = 2; i < argc; i++ )
        if ( !hvmparam_arg_ok(argv[i]) )
            return usage();
    xch = open_xc();
    if ( !xch )
        return 1;
    for ( i = 2; i < argc; i++ )
        rc |= hvmparam_one(xch, domid, argv[i]);
    xc_interface_close(xch);
    return rc;
}

/*
 * busy CPU: pin to dom0's CPU and spin there at SCHED_IDLE until killed.
 * Any other task on that vCPU runs first (SCHED_IDLE yields to every normal
 * task), but the vCPU itself never blocks, so Xen never runs its idle vCPU
 * on the pCPU under it, and Xen 4.17's background scrubbing of freed pages
 * runs only from the idle loop (idle_loop() -> scrub_free_pages(),
 * xen/common/page_alloc.c); what is left is scrubbed by the allocation
 * that takes it.
 */
static int cmd_busy(int argc, char **argv)
{
    struct sched_param sp = { .sched_priority = 0 };
    unsigned long cpu;
    cpu_set_t set;

    if ( argc != 2 )
        return usage();
    if ( parse_ulong(argv[1], CPU_SETSIZE - 1, &cpu) )
    {
        fprintf(stderr, "%s: busy: bad CPU '%s'\n", prog, argv[1]);
        return 2;
    }
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if ( sched_setaffinity(0, sizeof(set), &set) ||
         sched_setscheduler(0, SCHED_IDLE, &sp) )
    {
        fprintf(stderr, "%s: busy on cpu %lu: %s\n", prog, cpu, strerror(errno));
        return 1;
    }
    printf("busy cpu=%lu pid=%ld\n", cpu, (long)getpid());
    fflush(stdout);
    for ( ;; )
        ;
}

static int cmd_claim(int argc, char **argv)
{
    unsigned long pages;
    xc_interface *xch;
    uint32_t domid;
    int rc = 0;

    if ( argc != 3 || parse_domid(argv[1], &domid) ||
         parse_ulong(argv[2], 1UL << 40, &pages) )
        return usage();
    xch = open_xc();
    if ( !xch )
        return 1;
    if ( xc_domain_claim_pages(xch, domid, pages) )
    {
        fprintf(stderr, "%s: claim of %lu pages for domain %u: %s\n", prog,
                pages, domid, strerror(errno));
        rc = 1;
    }
    else
        printf("domid=%u claim_pages=%lu\n", domid, pages);
    xc_interface_close(xch);
    return rc;
}

/* Wait (up to 10 s) for a dying domain's last page reference to go. */
static int wait_gone(xc_interface *xch, uint32_t domid)
{
    long long deadline = now_ms() + 10000;
    xc_domaininfo_t info;
    int err;

    while ( (err = get_dominfo(xch, domid, &info)) == 0 &&
            now_ms() < deadline )
        usleep(20000);
    if ( err == -ESRCH )
        return 0;
    if ( !err )
        fprintf(stderr, "%s: domain %u still there after 10s (tot_pages=%"
                PRIu64 ")\n", prog, domid, (uint64_t)info.tot_pages);
    else
        fprintf(stderr, "%s: domain %u: %s\n", prog, domid, strerror(-err));
    return -1;
}

/* Destroy, drop the xenstore directory, and wait for the domain to go. */
static int cmd_destroy(int argc, char **argv)
{
    struct xs_handle *xsh;
    xc_interface *xch;
    uint32_t domid;
    int rc = 1;

    if ( argc != 2 || parse_domid(argv[1], &domid) )
        return usage();
    if ( domid == 0 )
    {
        fprintf(stderr, "%s: refusing to destroy domain 0\n", prog);
        return 2;
    }
    xch = open_xc();
    if ( !xch )
        return 1;
    if ( xc_domain_destroy(xch, domid) )
        fprintf(stderr, "%s: xc_domain_destroy(%u): %s\n", prog, domid,
                strerror(errno));
    else
    {
        xsh = xs_open(0);
        if ( xsh )
        {
            char base[64];

            snprintf(base, sizeof(base), "/local/domain/%u", domid);
            xs_rm(xsh, XBT_NULL, base);
            xs_close(xsh);
        }
        if ( !wait_gone(xch, domid) )
        {
            printf("destroyed domid=%u\n", domid);
            rc = 0;
        }
    }
    xc_interface_close(xch);
    return rc;
}

/* ---- xenstore: read, write, remove, list ------------------------------- */

/* driver xsread PATH: print a xenstore value, exit 1 if absent. */
static int cmd_xsread(int argc, char **argv)
{
    struct xs_handle *xsh;
    unsigned int len;
    char *v;

    if ( argc != 2 )
        return usage();
    xsh = open_xs();
    if ( !xsh )
        return 1;
    v = xs_read(xsh, XBT_NULL, argv[1], &len);
    if ( v )
        printf("%s\n", v);
    free(v);
    xs_close(xsh);
    return v ? 0 : 1;
}

/* --owner D / --read D: the permissions every written key gets. */
static int xswrite_perms(int argc, char **argv, struct xs_permissions p[2],
                         unsigned int *np)
{
    static const struct option longopts[] = {
        { "owner", required_argument, NULL, 'o' },
        { "read",  required_argument, NULL, 'r' },
        { NULL, 0, NULL, 0 },
    };
    uint32_t d;
    int c;

    p[0].id = 0;
    p[0].perms = XS_PERM_NONE;
    *np = 0;
    while ( (c = getopt_long(argc, argv, "+", longopts, NULL)) != -1 )
    {
        if ( (c != 'o' && c != 'r') || parse_domid(optarg, &d) )
            return -EINVAL;
        if ( c == 'o' )
            p[0].id = d;
        else
        {
            p[1].id = d;
            p[1].perms = XS_PERM_READ;
            *np = 2;
        }
        if ( !*np )
            *np = 1;
    }
    return optind < argc ? 0 : -EINVAL;
}

/*
 * driver xswrite [--owner D] [--read D] PATH=VALUE...: one transaction;
 * with --owner/--read each written key gets those permissions.
 */
static int cmd_xswrite(int argc, char **argv)
{
    struct xs_permissions p[2];
    struct xs_batch *b;
    struct xs_handle *xsh;
    unsigned int np;
    int i, rc;

    if ( xswrite_perms(argc, argv, p, &np) )
        return usage();
    b = calloc(1, sizeof(*b));
    if ( !b )
        return 1;
    for ( i = optind; i < argc; i++ )
    {
        const char *eq = strchr(argv[i], '=');

        if ( argv[i][0] != '/' || !eq )
        {
            free(b);
            return usage();
        }
        op_perms(batch_add(b, eq + 1, "%.*s", (int)(eq - argv[i]), argv[i]),
                 p, np);
    }
    xsh = open_xs();
    rc = xsh ? batch_commit(xsh, b) : -1;
    if ( xsh )
        xs_close(xsh);
    free(b);
    return rc ? 1 : 0;
}

/* driver xsrm PATH...: remove keys (and what is under them). */
static int cmd_xsrm(int argc, char **argv)
{
    struct xs_handle *xsh;
    int i, rc = 0;

    if ( argc < 2 )
        return usage();
    xsh = open_xs();
    if ( !xsh )
        return 1;
    for ( i = 1; i < argc; i++ )
        if ( !xs_rm(xsh, XBT_NULL, argv[i]) && errno != ENOENT )
        {
            fprintf(stderr, "%s: xs_rm %s: %s\n", prog, argv[i],
                    strerror(errno));
            rc = 1;
        }
    xs_close(xsh);
    return rc;
}

/* PATH = VALUE for PATH and everything under it, depth first. */
static void xs_list(struct xs_handle *xsh, const char *path, int depth)
{
    unsigned int n, len, i;
    char **kids, *v, sub[XS_PATH_MAX];

    v = xs_read(xsh, XBT_NULL, path, &len);
    if ( v && *v )
        printf("%s = \"%s\"\n", path, v);
    else if ( v )
        printf("%s\n", path);
    free(v);
    if ( depth > 16 )
        return;
    kids = xs_directory(xsh, XBT_NULL, path, &n);
    for ( i = 0; kids && i < n; i++ )
    {
        snprintf(sub, sizeof(sub), "%s%s%s", path,
                 strcmp(path, "/") ? "/" : "", kids[i]);
        xs_list(xsh, sub, depth + 1);
    }
    free(kids);
}

/* driver xsls PATH: every key under PATH as `PATH = "VALUE"`. */
static int cmd_xsls(int argc, char **argv)
{
    struct xs_handle *xsh;

    if ( argc != 2 )
        return usage();
    xsh = open_xs();
    if ( !xsh )
        return 1;
    xs_list(xsh, argv[1], 0);
    xs_close(xsh);
    return 0;
}

/* ---- introduce, unpause ------------------------------------------------ */

struct introduce_args {
    uint32_t domid;
    unsigned long store_mfn, store_port, con_mfn, con_port;
    bool console;
};

static int introduce_parse(int argc, char **argv, struct introduce_args *a)
{
    a->console = argc == 6;
    if ( (argc != 4 && argc != 6) || parse_domid(argv[1], &a->domid) ||
         parse_ulong(argv[2], ULONG_MAX, &a->store_mfn) ||
         parse_ulong(argv[3], 1UL << 20, &a->store_port) )
        return -EINVAL;
    if ( a->console && (parse_ulong(argv[4], ULONG_MAX, &a->con_mfn) ||
                        parse_ulong(argv[5], 1UL << 20, &a->con_port)) )
        return -EINVAL;
    return 0;
}

/* store/ring-ref and port (and the console's), dom0's, guest-readable. */
static int introduce_keys(struct xs_handle *xsh, const struct introduce_args *a)
{
    struct xs_permissions ro[2];
    struct xs_batch *b = calloc(1, sizeof(*b));
    char v[24];
    int rc;

    if ( !b )
        return -ENOMEM;
    perms_ro(ro, a->domid);
    op_perms(batch_add(b, NULL, "/local/domain/%u/store", a->domid), ro, 2);
    snprintf(v, sizeof(v), "%lu", a->store_mfn);
    batch_add(b, v, "/local/domain/%u/store/ring-ref", a->domid);
    snprintf(v, sizeof(v), "%lu", a->store_port);
    batch_add(b, v, "/local/domain/%u/store/port", a->domid);
    if ( a->console )
    {
        op_perms(batch_add(b, NULL, "/local/domain/%u/console", a->domid),
                 ro, 2);
        snprintf(v, sizeof(v), "%lu", a->con_mfn);
        batch_add(b, v, "/local/domain/%u/console/ring-ref", a->domid);
        snprintf(v, sizeof(v), "%lu", a->con_port);
        batch_add(b, v, "/local/domain/%u/console/port", a->domid);
        batch_add(b, "xenconsoled", "/local/domain/%u/console/type", a->domid);
        batch_add(b, "pty", "/local/domain/%u/console/output", a->domid);
    }
    rc = batch_commit(xsh, b);
    free(b);
    return rc;
}

/*
 * After a successful build xenopsd writes where the guest's xenstore and
 * console rings are, then introduces the domain to xenstored, which starts
 * serving the guest's ring and fires @introduceDomain: xenconsoled then
 * finds console/ring-ref and console/port and connects the console.
 */
static int cmd_introduce(int argc, char **argv)
{
    struct introduce_args a = { 0 };
    struct xs_handle *xsh;
    int rc = 1;

    if ( introduce_parse(argc, argv, &a) )
        return usage();
    xsh = open_xs();
    if ( !xsh )
        return 1;
    if ( introduce_keys(xsh, &a) )
        goto out;
    if ( !xs_introduce_domain(xsh, a.domid, a.store_mfn, a.store_port) )
    {
        fprintf(stderr, "%s: xs_introduce_domain(%u, %lu, %lu): %s\n", prog,
                a.domid, a.store_mfn, a.store_port, strerror(errno));
        goto out;
    }
    printf("introduced domid=%u store_mfn=%lu store_port=%lu", a.domid,
           a.store_mfn, a.store_port);
    if ( a.console )
        printf(" console_mfn=%lu console_port=%lu", a.con_mfn, a.con_port);
    printf("\n");
    rc = 0;
 out:
    xs_close(xsh);
    return rc;
}

static int cmd_unpause(int argc, char **argv)
{
    xc_interface *xch;
    uint32_t domid;
    int rc = 0;

    if ( argc != 2 || parse_domid(argv[1], &domid) )
        return usage();
    xch = open_xc();
    if ( !xch )
        return 1;
    if ( xc_domain_unpause(xch, domid) )
    {
        fprintf(stderr, "%s: xc_domain_unpause(%u): %s\n", prog, domid,
                strerror(errno));
        rc = 1;
    }
    else
        printf("unpaused domid=%u\n", domid);
    xc_interface_close(xch);
    return rc;
}

/* ---- the command table ------------------------------------------------- */

struct command {
    const char *name;
    int (*run)(int argc, char **argv);  /* argv[0] is the command's name */
    const char *args;                   /* usage, after the name */
};

static const struct command commands[] = {
    { "create", cmd_create,
      "--type pv|pvh|hvm --mem-mib M [--vcpus N] [--max-mib M]\n"
      "              [--paging-mib M] [--claim-pages N] [--xs KEY=VALUE]... "
      "[--xs-rm KEY]..." },
    { "exec", cmd_exec, "[--timeout SEC] [--keep-stdio] -- BUILDER [ARG]..." },
    { "nodes", cmd_nodes, "" },
    { "dominfo", cmd_dominfo, "DOMID" },
    { "hvmparam", cmd_hvmparam, "DOMID INDEX[=V]...   (HVM params, INDEX=VALUE)" },
    { "claim", cmd_claim, "DOMID PAGES          (PAGES = 0 cancels)" },
    { "destroy", cmd_destroy, "DOMID              (waits until it has gone)" },
    { "introduce", cmd_introduce,
      "DOMID STORE_MFN STORE_PORT [CONSOLE_MFN CONSOLE_PORT]" },
    { "unpause", cmd_unpause, "DOMID" },
    { "busy", cmd_busy, "CPU                   (spin on dom0's CPU at SCHED_IDLE)" },
    { "xsread", cmd_xsread, "PATH                (exit 1 when absent)" },
    { "xswrite", cmd_xswrite,
      "[--owner D] [--read D] PATH=VALUE...   (one transaction)" },
    { "xsrm", cmd_xsrm, "PATH..." },
    { "xsls", cmd_xsls, "PATH                  (PATH = \"VALUE\", recursive)" },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static int usage(void)
{
    unsigned int i;

    for ( i = 0; i < NR_COMMANDS; i++ )
        fprintf(stderr, "%s %s %s %s\n", i ? "      " : "usage:", prog,
                commands[i].name, commands[i].args);
    return 2;
}

int main(int argc, char **argv)
{
    unsigned int i;

    if ( argc < 2 )
        return usage();
    for ( i = 0; i < NR_COMMANDS; i++ )
        /* Commands see argv[0] = their own name, as getopt expects. */
        if ( !strcmp(argv[1], commands[i].name) )
            return commands[i].run(argc - 1, argv + 1);
    return usage();
}
