/*
 * tests/xen/driver.c: plays xenopsd's part around a domain builder, inside
 * the dom0 of the real-Xen harness (tests/xen/run boots it under QEMU).
 *
 * xenopsd does not build memory itself: it creates an empty domain, sets its
 * limits, allocates the xenstore and console event channels, writes the
 * domain's xenstore directory, may stake a claim, and only then execs the
 * builder with two pipe fds and reads its result line.  This program does
 * each of those steps as one subcommand, so that a scenario script can put
 * them together the way xenopsd does and look at the hypervisor's state
 * between them:
 *
 *   driver create --type pv|pvh|hvm --mem-mib M [--vcpus N] [--max-mib M]
 *                 [--paging-mib M] [--claim-pages N] [--xs KEY=VALUE]...
 *                 [--xs-rm KEY]...
 *       prints: domid=<n> store_port=<p> console_port=<p>
 *   driver exec [--timeout SEC] [--keep-stdio] -- BUILDER [ARG]...
 *       execs BUILDER -controloutfd W -controlinfd R ARG..., prints every
 *       control line read, then verdict=result|error|bad-line|eof|timeout,
 *       how the builder ended, and `exec elapsed_ms=N` (fork to verdict)
 *   driver nodes
 *       prints the host's free/outstanding pages and each node's memsize and
 *       memfree in pages, with its distances
 *   driver dominfo DOMID
 *       prints tot_pages, max_pages and outstanding_pages of a domain
 *   driver claim DOMID PAGES      (PAGES = 0 cancels the domain's claim)
 *   driver destroy DOMID          (waits until the domain has gone)
 *   driver introduce DOMID STORE_MFN STORE_PORT [CONSOLE_MFN CONSOLE_PORT]
 *       what xenopsd does after a successful build: writes store/ and
 *       console/ ring-ref and port (and console/type=xenconsoled), then
 *       introduces the domain to xenstored (xenconsoled follows)
 *   driver unpause DOMID
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
#include <signal.h>
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

static const char *prog = "driver";

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

static int usage(void)
{
    fprintf(stderr,
            "usage: %s create --type pv|pvh|hvm --mem-mib M [--vcpus N] "
            "[--max-mib M]\n"
            "              [--paging-mib M] [--claim-pages N] "
            "[--xs KEY=VALUE]... [--xs-rm KEY]...\n"
            "       %s exec [--timeout SEC] [--keep-stdio] -- BUILDER "
            "[ARG]...\n"
            "       %s nodes\n"
            "       %s dominfo DOMID\n"
            "       %s claim DOMID PAGES\n"
            "       %s destroy DOMID\n"
            "       %s introduce DOMID STORE_MFN STORE_PORT "
            "[CONSOLE_MFN CONSOLE_PORT]\n"
            "       %s unpause DOMID\n",
            prog, prog, prog, prog, prog, prog, prog, prog);
    return 2;
}

static xc_interface *open_xc(void)
{
    xc_interface *xch = xc_interface_open(NULL, NULL, 0);

    if ( !xch )
        fprintf(stderr, "%s: xc_interface_open: %s\n", prog, strerror(errno));
    return xch;
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

/* ---- create ------------------------------------------------------------ */

enum dom_type { DOM_PV, DOM_PVH, DOM_HVM };

struct create_opts {
    enum dom_type type;
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
    struct xs_permissions ro[2] = {
        { .id = 0, .perms = XS_PERM_NONE },
        { .id = domid, .perms = XS_PERM_READ },
    };
    struct xs_permissions rw[1] = {
        { .id = domid, .perms = XS_PERM_NONE },
    };
    static const char *const guest_dirs[] = { "control", "data", "device",
                                              "drivers", "attr" };
    char vcpus_s[24], mem_kib_s[24], domid_s[16];
    char path[256], base[64];
    const char *defaults[][2] = {
        { "platform/vcpu/number", vcpus_s },
        { "platform/vcpu/current", vcpus_s },
        { "platform/acpi", "1" },
        { "platform/apic", "1" },
        { "platform/pae", "1" },
        { "platform/nx", "1" },
        { "platform/hpet", "1" },
        { "platform/viridian", "false" },
        { "memory/static-max", mem_kib_s },
        { "memory/target", mem_kib_s },
    };
    xs_transaction_t t;
    unsigned int i, tries;

    snprintf(base, sizeof(base), "/local/domain/%u", domid);
    snprintf(vcpus_s, sizeof(vcpus_s), "%lu", o->vcpus);
    snprintf(mem_kib_s, sizeof(mem_kib_s), "%lu", o->mem_mib * 1024);
    snprintf(domid_s, sizeof(domid_s), "%u", domid);

    for ( tries = 0; tries < 10; tries++ )
    {
        t = xs_transaction_start(xsh);
        if ( t == XBT_NULL )
            return -errno;

#define XS_OR_FAIL(call) do { if ( !(call) ) goto abort; } while ( 0 )
        XS_OR_FAIL(xs_mkdir(xsh, t, base));
        XS_OR_FAIL(xs_set_permissions(xsh, t, base, ro, 2));
        snprintf(path, sizeof(path), "%s/domid", base);
        XS_OR_FAIL(xs_write(xsh, t, path, domid_s, strlen(domid_s)));
        snprintf(path, sizeof(path), "%s/name", base);
        XS_OR_FAIL(xs_write(xsh, t, path, "xgtest", 6));
        snprintf(path, sizeof(path), "%s/platform", base);
        XS_OR_FAIL(xs_mkdir(xsh, t, path));
        XS_OR_FAIL(xs_set_permissions(xsh, t, path, ro, 2));

        for ( i = 0; i < sizeof(guest_dirs) / sizeof(guest_dirs[0]); i++ )
        {
            snprintf(path, sizeof(path), "%s/%s", base, guest_dirs[i]);
            XS_OR_FAIL(xs_mkdir(xsh, t, path));
            XS_OR_FAIL(xs_set_permissions(xsh, t, path, rw, 1));
        }
        for ( i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++ )
        {
            snprintf(path, sizeof(path), "%s/%s", base, defaults[i][0]);
            XS_OR_FAIL(xs_write(xsh, t, path, defaults[i][1],
                                strlen(defaults[i][1])));
        }
        for ( i = 0; i < o->nr_xs; i++ )
        {
            const char *eq = strchr(o->xs[i], '=');

            snprintf(path, sizeof(path), "%s/%.*s", base,
                     (int)(eq - o->xs[i]), o->xs[i]);
            XS_OR_FAIL(xs_write(xsh, t, path, eq + 1, strlen(eq + 1)));
        }
        for ( i = 0; i < o->nr_xs_rm; i++ )
        {
            snprintf(path, sizeof(path), "%s/%s", base, o->xs_rm[i]);
            XS_OR_FAIL(xs_rm(xsh, t, path) || errno == ENOENT);
        }
#undef XS_OR_FAIL

        if ( xs_transaction_end(xsh, t, false) )
            return 0;
        if ( errno != EAGAIN )
            return -errno;
        continue;

    abort:
        {
            int err = errno;

            xs_transaction_end(xsh, t, true);
            fprintf(stderr, "%s: xenstore write under %s: %s\n",
                    prog, base, strerror(err));
            return -err;
        }
    }
    return -EAGAIN;
}

/*
 * What xenopsd's domain creation amounts to before it execs the builder.
 * The domain is destroyed again if any step fails.
 */
static int domain_create(const struct create_opts *o)
{
    struct xen_domctl_createdomain cfg;
    xc_interface *xch;
    struct xs_handle *xsh = NULL;
    uint32_t domid = DOMID_INVALID;
    unsigned long max_mib = o->max_mib;
    unsigned int paging_mib = o->paging_mib;
    int store_port, console_port, rc = 1;

    memset(&cfg, 0, sizeof(cfg));
    cfg.max_vcpus = o->vcpus;
    cfg.max_evtchn_port = 1023;
    cfg.max_grant_frames = 64;
    cfg.max_maptrack_frames = 1024;
    /* Grant version 0 is refused: a PV domain must ask for v1 (or v2). */
    cfg.grant_opts = XEN_DOMCTL_GRANT_version(1);
    switch ( o->type )
    {
    case DOM_PV:
        cfg.arch.emulation_flags = 0;
        break;
    case DOM_PVH:
        cfg.flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
        cfg.arch.emulation_flags = XEN_X86_EMU_LAPIC;
        break;
    case DOM_HVM:
        cfg.flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
        /* vPCI is for the hardware domain only. */
        cfg.arch.emulation_flags = XEN_X86_EMU_ALL & ~XEN_X86_EMU_VPCI;
        break;
    }
    if ( getrandom(cfg.handle, sizeof(cfg.handle), GRND_NONBLOCK) !=
         (ssize_t)sizeof(cfg.handle) )
        memset(cfg.handle, 0, sizeof(cfg.handle));

    /* Headroom over the guest's RAM, as a toolstack adds for magic pages. */
    if ( !max_mib )
        max_mib = o->mem_mib + (o->type == DOM_PV ? 1 : 8);
    /* HAP pool: at least 8 MiB; 4 KiB per MiB of RAM and 1 MiB per vCPU. */
    if ( !paging_mib )
    {
        paging_mib = (o->mem_mib * 4 + 1023) / 1024 + o->vcpus;
        if ( paging_mib < 8 )
            paging_mib = 8;
    }

    xch = open_xc();
    if ( !xch )
        return 1;

    if ( xc_domain_create(xch, &domid, &cfg) )
    {
        fprintf(stderr, "%s: xc_domain_create: %s\n", prog, strerror(errno));
        goto out_close;
    }
    if ( xc_domain_max_vcpus(xch, domid, o->vcpus) )
    {
        fprintf(stderr, "%s: xc_domain_max_vcpus(%lu): %s\n", prog, o->vcpus,
                strerror(errno));
        goto out_destroy;
    }
    /* Max memory first: a claim or a populate beyond it is refused. */
    if ( xc_domain_setmaxmem(xch, domid, max_mib * 1024) )
    {
        fprintf(stderr, "%s: xc_domain_setmaxmem(%lu MiB): %s\n", prog,
                max_mib, strerror(errno));
        goto out_destroy;
    }
    if ( o->type != DOM_PV &&
         xc_shadow_control(xch, domid, XEN_DOMCTL_SHADOW_OP_SET_ALLOCATION,
                           &paging_mib, 0) )
    {
        fprintf(stderr, "%s: paging pool of %u MiB: %s\n", prog, paging_mib,
                strerror(errno));
        goto out_destroy;
    }

    store_port = xc_evtchn_alloc_unbound(xch, domid, 0);
    if ( store_port < 0 )
    {
        fprintf(stderr, "%s: store event channel: %s\n", prog,
                strerror(errno));
        goto out_destroy;
    }
    console_port = xc_evtchn_alloc_unbound(xch, domid, 0);
    if ( console_port < 0 )
    {
        fprintf(stderr, "%s: console event channel: %s\n", prog,
                strerror(errno));
        goto out_destroy;
    }

    xsh = xs_open(0);
    if ( !xsh )
    {
        fprintf(stderr, "%s: xs_open: %s\n", prog, strerror(errno));
        goto out_destroy;
    }
    if ( xs_write_domain(xsh, domid, o) )
        goto out_xs;

    if ( o->claim_pages &&
         xc_domain_claim_pages(xch, domid, o->claim_pages) )
    {
        fprintf(stderr, "%s: claim of %lu pages: %s\n", prog, o->claim_pages,
                strerror(errno));
        goto out_xs;
    }

    printf("domid=%u store_port=%d console_port=%d\n",
           domid, store_port, console_port);
    fprintf(stderr, "%s: created %s domain %u: %lu MiB (max %lu MiB), "
            "%lu vCPU(s), claim %lu pages", prog,
            o->type == DOM_PV ? "pv" : o->type == DOM_PVH ? "pvh" : "hvm",
            domid, o->mem_mib, max_mib, o->vcpus, o->claim_pages);
    if ( o->type != DOM_PV )
        fprintf(stderr, ", paging pool %u MiB", paging_mib);
    fprintf(stderr, "\n");
    rc = 0;
    goto out_close_xs;

 out_xs:
    {
        char base[64];

        snprintf(base, sizeof(base), "/local/domain/%u", domid);
        xs_rm(xsh, XBT_NULL, base);
    }
 out_destroy:
    xc_domain_destroy(xch, domid);
 out_close_xs:
    if ( xsh )
        xs_close(xsh);
 out_close:
    xc_interface_close(xch);
    return rc;
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
    bool have_type = false;
    int c;

    while ( (c = getopt_long(argc, argv, "", longopts, NULL)) != -1 )
    {
        int err = 0;

        switch ( c )
        {
        case 't':
            have_type = true;
            if ( !strcmp(optarg, "pv") )
                o.type = DOM_PV;
            else if ( !strcmp(optarg, "pvh") )
                o.type = DOM_PVH;
            else if ( !strcmp(optarg, "hvm") )
                o.type = DOM_HVM;
            else
                err = -EINVAL;
            break;
        case 'm':
            err = parse_ulong(optarg, 1UL << 30, &o.mem_mib);
            break;
        case 'M':
            err = parse_ulong(optarg, 1UL << 30, &o.max_mib);
            break;
        case 'v':
            err = parse_ulong(optarg, 128, &o.vcpus);
            break;
        case 'p':
            err = parse_ulong(optarg, 1UL << 20, &o.paging_mib);
            break;
        case 'c':
            err = parse_ulong(optarg, 1UL << 40, &o.claim_pages);
            break;
        case 'x':
            if ( o.nr_xs >= MAX_XS_KEYS )
            {
                fprintf(stderr, "%s: more than %u --xs options\n", prog,
                        MAX_XS_KEYS);
                return 2;
            }
            if ( !strchr(optarg, '=') || optarg[0] == '=' ||
                 optarg[0] == '/' || strstr(optarg, "..") )
                err = -EINVAL;
            else
                o.xs[o.nr_xs++] = optarg;
            break;
        case 'r':
            if ( o.nr_xs_rm >= MAX_XS_KEYS )
            {
                fprintf(stderr, "%s: more than %u --xs-rm options\n", prog,
                        MAX_XS_KEYS);
                return 2;
            }
            if ( !optarg[0] || optarg[0] == '/' || strstr(optarg, "..") )
                err = -EINVAL;
            else
                o.xs_rm[o.nr_xs_rm++] = optarg;
            break;
        default:
            return usage();
        }
        if ( err )
        {
            const struct option *lo = longopts;

            while ( lo->name && lo->val != c )
                lo++;
            fprintf(stderr, "%s: bad value '%s' for --%s\n", prog, optarg,
                    lo->name ? lo->name : "?");
            return 2;
        }
    }
    if ( optind != argc || !have_type || !o.mem_mib || !o.vcpus )
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

/* ---- exec -------------------------------------------------------------- */

/* ms since an arbitrary origin, for deadlines. */
static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
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

/* Reap the builder, killing it if it lingers; print how it ended. */
static void reap(pid_t pid, int grace_ms)
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
    static const struct option longopts[] = {
        { "timeout",    required_argument, NULL, 't' },
        { "keep-stdio", no_argument,       NULL, 'k' },
        { NULL, 0, NULL, 0 },
    };
    unsigned long timeout_s = 120;
    bool keep_stdio = false;
    int outp[2], inp[2], c, i, verdict = 0;
    static char opt_out[] = "-controloutfd", opt_in[] = "-controlinfd";
    char **cargv, ofd[16], ifd[16];
    char buf[MAX_LINE + 1];
    size_t used = 0;
    long long deadline, t0, elapsed;
    pid_t pid;

    while ( (c = getopt_long(argc, argv, "+", longopts, NULL)) != -1 )
    {
        switch ( c )
        {
        case 't':
            if ( parse_ulong(optarg, 86400, &timeout_s) || !timeout_s )
            {
                fprintf(stderr, "%s: bad --timeout '%s'\n", prog, optarg);
                return 2;
            }
            break;
        case 'k':
            keep_stdio = true;
            break;
        default:
            return usage();
        }
    }
    if ( optind >= argc )
        return usage();

    /* Our ends are close-on-exec; the builder's ends are made inheritable. */
    if ( pipe2(outp, O_CLOEXEC) || pipe2(inp, O_CLOEXEC) )
    {
        fprintf(stderr, "%s: pipe: %s\n", prog, strerror(errno));
        return 1;
    }
    snprintf(ofd, sizeof(ofd), "%d", outp[1]);
    snprintf(ifd, sizeof(ifd), "%d", inp[0]);

    /* BUILDER -controloutfd W -controlinfd R ARG...: xenopsd's order. */
    cargv = calloc(argc - optind + 5, sizeof(*cargv));
    if ( !cargv )
        return 1;
    cargv[0] = argv[optind];
    cargv[1] = opt_out;
    cargv[2] = ofd;
    cargv[3] = opt_in;
    cargv[4] = ifd;
    for ( i = optind + 1; i < argc; i++ )
        cargv[i - optind + 4] = argv[i];

    fflush(stdout);
    t0 = now_ms();
    pid = fork();
    if ( pid < 0 )
    {
        fprintf(stderr, "%s: fork: %s\n", prog, strerror(errno));
        free(cargv);
        return 1;
    }
    if ( pid == 0 )
    {
        if ( fcntl(outp[1], F_SETFD, 0) || fcntl(inp[0], F_SETFD, 0) )
            _exit(127);
        if ( !keep_stdio )
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
    free(cargv);
    close(outp[1]);
    close(inp[0]);

    printf("exec pid=%d controloutfd=%s controlinfd=%s\n", (int)pid, ofd, ifd);
    deadline = now_ms() + (long long)timeout_s * 1000;
    while ( !verdict )
    {
        struct pollfd pfd = { .fd = outp[0], .events = POLLIN };
        long long left = deadline - now_ms();
        char *nl;
        ssize_t n;
        int pr;

        if ( left <= 0 )
        {
            /* A cancelled build: xenopsd sends SIGKILL. */
            kill(pid, SIGKILL);
            printf("verdict=timeout reason=\"no result within %lus\"\n",
                   timeout_s);
            verdict = -1;
            break;
        }
        pr = poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int)left);
        if ( pr < 0 && errno == EINTR )
            continue;
        if ( pr < 0 )
        {
            printf("verdict=eof reason=\"poll: %s\"\n", strerror(errno));
            verdict = -1;
            break;
        }
        if ( pr == 0 )
            continue;
        n = read(outp[0], buf + used, MAX_LINE - used);
        if ( n < 0 && errno == EINTR )
            continue;
        if ( n <= 0 )
        {
            if ( used )
            {
                buf[used] = '\0';
                printf("read: %s\n", buf);
                printf("verdict=bad-line reason=\"unterminated last line\"\n");
            }
            else
                printf("verdict=eof reason=\"control fd closed without a "
                       "result\"\n");
            verdict = -1;
            break;
        }
        used += n;
        buf[used] = '\0';
        while ( !verdict && (nl = strchr(buf, '\n')) != NULL )
        {
            *nl = '\0';
            verdict = judge_line(buf);
            used -= nl + 1 - buf;
            memmove(buf, nl + 1, used + 1);
        }
        if ( !verdict && used == MAX_LINE )
        {
            printf("verdict=bad-line reason=\"line longer than %d bytes\"\n",
                   MAX_LINE);
            verdict = -1;
        }
    }
    elapsed = now_ms() - t0;
    close(outp[0]);
    close(inp[1]);
    fflush(stdout);
    reap(pid, 10000);
    printf("exec elapsed_ms=%lld\n", elapsed);
    return verdict > 0 ? 0 : 1;
}

/* ---- nodes, dominfo, claim, destroy ------------------------------------ */

static int cmd_nodes(void)
{
    xc_physinfo_t phys = { 0 };
    xc_meminfo_t *mem = NULL;
    uint32_t *dist = NULL;
    unsigned int nr, i, j;
    xc_interface *xch = open_xc();
    int rc = 1;

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
    /* numainfo reports bytes; everything here is in 4 KiB pages. */
    for ( i = 0; i < nr; i++ )
    {
        if ( mem[i].memsize == XEN_INVALID_MEM_SZ )
            continue;
        printf("node=%u memsize=%" PRIu64 " memfree=%" PRIu64 " distances=",
               i, (uint64_t)(mem[i].memsize >> XC_PAGE_SHIFT),
               (uint64_t)(mem[i].memfree >> XC_PAGE_SHIFT));
        for ( j = 0; j < nr; j++ )
            printf("%s%u", j ? "," : "", dist[i * nr + j]);
        printf("\n");
    }
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
    int err, rc = 1;

    if ( argc != 2 || parse_domid(argv[1], &domid) )
        return usage();
    xch = open_xc();
    if ( !xch )
        return 1;
    err = get_dominfo(xch, domid, &info);
    if ( err )
        fprintf(stderr, "%s: domain %u: %s\n", prog, domid, strerror(-err));
    else
    {
        printf("domid=%u tot_pages=%" PRIu64 " max_pages=%" PRIu64
               " outstanding_pages=%" PRIu64 " hvm=%d hap=%d dying=%d\n",
               domid, (uint64_t)info.tot_pages, (uint64_t)info.max_pages,
               (uint64_t)info.outstanding_pages,
               !!(info.flags & XEN_DOMINF_hvm_guest),
               !!(info.flags & XEN_DOMINF_hap),
               !!(info.flags & XEN_DOMINF_dying));
        rc = 0;
    }
    xc_interface_close(xch);
    return rc;
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

/* Destroy, drop the xenstore directory, and wait for the domain to go. */
static int cmd_destroy(int argc, char **argv)
{
    struct xs_handle *xsh;
    xc_domaininfo_t info;
    xc_interface *xch;
    uint32_t domid;
    long long deadline;
    int err, rc = 1;

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
    {
        fprintf(stderr, "%s: xc_domain_destroy(%u): %s\n", prog, domid,
                strerror(errno));
        goto out;
    }
    xsh = xs_open(0);
    if ( xsh )
    {
        char base[64];

        snprintf(base, sizeof(base), "/local/domain/%u", domid);
        xs_rm(xsh, XBT_NULL, base);
        xs_close(xsh);
    }

    /* A dying domain lingers until its last page reference goes. */
    deadline = now_ms() + 10000;
    while ( (err = get_dominfo(xch, domid, &info)) == 0 &&
            now_ms() < deadline )
        usleep(20000);
    if ( err == -ESRCH )
    {
        printf("destroyed domid=%u\n", domid);
        rc = 0;
    }
    else if ( !err )
        fprintf(stderr, "%s: domain %u still there after 10s (tot_pages=%"
                PRIu64 ")\n", prog, domid, (uint64_t)info.tot_pages);
    else
        fprintf(stderr, "%s: domain %u: %s\n", prog, domid, strerror(-err));
 out:
    xc_interface_close(xch);
    return rc;
}

/* driver xsread PATH: print a xenstore value, exit 1 if absent. */
static int cmd_xsread(int argc, char **argv)
{
    struct xs_handle *xsh;
    unsigned int len;
    char *v;

    if ( argc != 2 )
        return usage();
    xsh = xs_open(0);
    if ( !xsh )
    {
        fprintf(stderr, "%s: xs_open: %s\n", prog, strerror(errno));
        return 1;
    }
    v = xs_read(xsh, XBT_NULL, argv[1], &len);
    if ( v )
        printf("%s\n", v);
    free(v);
    xs_close(xsh);
    return v ? 0 : 1;
}

/* ---- introduce, unpause ------------------------------------------------ */

/*
 * After a successful build xenopsd writes where the guest's xenstore and
 * console rings are, then introduces the domain to xenstored, which starts
 * serving the guest's ring and fires @introduceDomain: xenconsoled then
 * finds console/ring-ref and console/port and connects the console.
 */
static int cmd_introduce(int argc, char **argv)
{
    struct xs_permissions ro[2];
    struct xs_handle *xsh;
    xs_transaction_t t;
    unsigned long store_mfn, store_port, con_mfn = 0, con_port = 0;
    bool console = argc == 6, written = false;
    char path[128], s_mfn[24], s_port[24], c_mfn[24], c_port[24];
    /* The store keys, then (when given) the console's. */
    const char *const keys[][2] = {
        { "store/ring-ref", s_mfn },
        { "store/port", s_port },
        { "console/ring-ref", c_mfn },
        { "console/port", c_port },
        { "console/type", "xenconsoled" },
        { "console/output", "pty" },
    };
    unsigned int tries, n = console ? 6 : 2;
    uint32_t domid;
    int rc = 1;

    if ( (argc != 4 && argc != 6) || parse_domid(argv[1], &domid) ||
         parse_ulong(argv[2], ULONG_MAX, &store_mfn) ||
         parse_ulong(argv[3], 1UL << 20, &store_port) ||
         (console && (parse_ulong(argv[4], ULONG_MAX, &con_mfn) ||
                      parse_ulong(argv[5], 1UL << 20, &con_port))) )
        return usage();

    /* dom0 owns the keys; the guest may read them. */
    ro[0].id = 0;
    ro[0].perms = XS_PERM_NONE;
    ro[1].id = domid;
    ro[1].perms = XS_PERM_READ;

    snprintf(s_mfn, sizeof(s_mfn), "%lu", store_mfn);
    snprintf(s_port, sizeof(s_port), "%lu", store_port);
    snprintf(c_mfn, sizeof(c_mfn), "%lu", con_mfn);
    snprintf(c_port, sizeof(c_port), "%lu", con_port);

    xsh = xs_open(0);
    if ( !xsh )
    {
        fprintf(stderr, "%s: xs_open: %s\n", prog, strerror(errno));
        return 1;
    }
    for ( tries = 0; tries < 10 && !written; tries++ )
    {
        unsigned int i;
        bool ok;

        t = xs_transaction_start(xsh);
        if ( t == XBT_NULL )
            break;
        snprintf(path, sizeof(path), "/local/domain/%u/store", domid);
        ok = xs_mkdir(xsh, t, path) && xs_set_permissions(xsh, t, path, ro, 2);
        if ( ok && console )
        {
            snprintf(path, sizeof(path), "/local/domain/%u/console", domid);
            ok = xs_mkdir(xsh, t, path) &&
                 xs_set_permissions(xsh, t, path, ro, 2);
        }
        for ( i = 0; ok && i < n; i++ )
        {
            snprintf(path, sizeof(path), "/local/domain/%u/%s", domid,
                     keys[i][0]);
            ok = xs_write(xsh, t, path, keys[i][1], strlen(keys[i][1]));
        }
        if ( !ok )
        {
            int err = errno;

            xs_transaction_end(xsh, t, true);
            fprintf(stderr, "%s: xenstore write %s: %s\n", prog, path,
                    strerror(err));
            goto out;
        }
        if ( xs_transaction_end(xsh, t, false) )
            written = true;
        else if ( errno != EAGAIN )
            break;
    }
    if ( !written )
    {
        fprintf(stderr, "%s: xenstore transaction: %s\n", prog,
                strerror(errno));
        goto out;
    }

    if ( !xs_introduce_domain(xsh, domid, store_mfn, store_port) )
    {
        fprintf(stderr, "%s: xs_introduce_domain(%u, %lu, %lu): %s\n", prog,
                domid, store_mfn, store_port, strerror(errno));
        goto out;
    }
    printf("introduced domid=%u store_mfn=%lu store_port=%lu", domid,
           store_mfn, store_port);
    if ( console )
        printf(" console_mfn=%lu console_port=%lu", con_mfn, con_port);
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

int main(int argc, char **argv)
{
    const char *cmd;

    if ( argc < 2 )
        return usage();
    cmd = argv[1];
    /* Subcommands see argv[0] = their own name, as getopt expects. */
    argc--;
    argv++;
    if ( !strcmp(cmd, "create") )
        return cmd_create(argc, argv);
    if ( !strcmp(cmd, "exec") )
        return cmd_exec(argc, argv);
    if ( !strcmp(cmd, "nodes") && argc == 1 )
        return cmd_nodes();
    if ( !strcmp(cmd, "dominfo") )
        return cmd_dominfo(argc, argv);
    if ( !strcmp(cmd, "claim") )
        return cmd_claim(argc, argv);
    if ( !strcmp(cmd, "destroy") )
        return cmd_destroy(argc, argv);
    if ( !strcmp(cmd, "introduce") )
        return cmd_introduce(argc, argv);
    if ( !strcmp(cmd, "unpause") )
        return cmd_unpause(argc, argv);
    if ( !strcmp(cmd, "xsread") )
        return cmd_xsread(argc, argv);
    return usage();
}
