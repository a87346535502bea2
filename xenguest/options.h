/*
 * options.h - the command line: one option table drives parsing,
 * validation and --help.
 *
 * Contract:
 *  - xg_options_parse() fills a struct xg_options from argv and validates
 *    it. It returns 0 or -EINVAL, with one message recorded in *err (step
 *    "options"; err may be NULL); it never exits,
 *    never prints and keeps no globals. Strings point into argv (which
 *    outlives the build): nothing to free.
 *  - Every option works with one or two leading dashes, as "--opt value"
 *    and as "--opt=value" (xenopsd uses "-domid 5"; people type
 *    "--domid=5"). Unknown options, stray arguments, a missing value at the
 *    end of argv, a repeated option, a bad number and more than
 *    XG_MAX_BOOT_MODULES modules are errors.
 *  - Numbers are decimal and range-checked (see the table in options.c).
 *  - "-module PATH [-cmdline TEXT]": a -cmdline that follows a -module
 *    belongs to that module (xenopsd's PVH form); before any -module it is
 *    the kernel's.
 *  - Modes: --help, --version and -supports FEATURE need nothing else. A
 *    build (hvm_build, linux_build alias pv_build, pvh_build) needs -mode
 *    and -mem_max_mib, and -domid and -image unless --plan. --plan without
 *    -domid plans for a guest not created yet: domid is DOMID_INVALID and
 *    only the host is read. Under xenopsd
 *    (-controloutfd given) it also needs -store_port, -console_port and
 *    -mem_start_mib; standalone, those default to 0, 0 and -mem_max_mib.
 *    An option the mode does not use (say -ramdisk with hvm_build) is an
 *    error: it would be silently dropped otherwise.
 *  - xg_options_given() says whether an option was on the command line, so
 *    the caller can tell a default from an explicit value.
 */
#ifndef XG_OPTIONS_H
#define XG_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "meminit.h"

/*
 * -module bound. Not XG_MAX_MODULES: that is libxenguest's own (2 in 4.17,
 * xc_dom_image.modules[]), which the build must still respect.
 */
#define XG_MAX_BOOT_MODULES 16
#define XG_MAX_PCI      64
#define XG_DOMID_FIRST_RESERVED 0x7FF0u     /* DOMID_FIRST_RESERVED */
#define XG_EVTCHN_PORT_MAX  ((1u << 17) - 1)
#define XG_MEM_MIB_MAX  (1ull << 30)

/* Defaults of --sysfs-root, --seabios, --ovmf, --ipxe (Debian's packages;
 * the iPXE ROM where XenServer keeps it). The Makefile may override them. */
#ifndef XG_SYSFS_ROOT
#define XG_SYSFS_ROOT   "/sys"
#endif
#ifndef XG_SEABIOS_PATH
#define XG_SEABIOS_PATH "/usr/share/seabios/bios-256k.bin"
#endif
#ifndef XG_OVMF_PATH
#define XG_OVMF_PATH    "/usr/share/ovmf/OVMF.fd"
#endif
#ifndef XG_IPXE_PATH
#define XG_IPXE_PATH    "/usr/share/ipxe/ipxe.bin"
#endif

enum xg_mode {
    XG_MODE_NONE,       /* no -mode given: only --help / -supports */
    XG_MODE_HVM,        /* hvm_build */
    XG_MODE_PV,         /* linux_build, pv_build */
    XG_MODE_PVH,        /* pvh_build */
};

/* One per table entry, in table order: the bit numbers of `given`. */
enum xg_opt {
    XG_OPT_MODE,
    XG_OPT_CONTROLOUTFD,
    XG_OPT_CONTROLINFD,
    XG_OPT_DOMID,
    XG_OPT_STORE_PORT,
    XG_OPT_STORE_DOMID,
    XG_OPT_CONSOLE_PORT,
    XG_OPT_CONSOLE_DOMID,
    XG_OPT_MEM_MAX_MIB,
    XG_OPT_MEM_START_MIB,
    XG_OPT_MEM_PNODE,
    XG_OPT_IMAGE,
    XG_OPT_CMDLINE,
    XG_OPT_RAMDISK,
    XG_OPT_FEATURES,
    XG_OPT_FLAGS,
    XG_OPT_MODULE,
    XG_OPT_VGPU,
    XG_OPT_FORCE,
    XG_OPT_PCI_PASSTHROUGH,
    XG_OPT_DEBUGLOG,
    XG_OPT_SUPPORTS,
    XG_OPT_HELP,
    XG_OPT_VERSION,
    XG_OPT_REPORT,
    XG_OPT_PLAN,
    XG_OPT_NUMA_PLACEMENT,
    XG_OPT_CLAIM,
    XG_OPT_POPULATE_THREADS,
    XG_OPT_NUMA_MEMORY,
    XG_OPT_NUMA_NODES,
    XG_OPT_SYSFS_ROOT,
    XG_OPT_SEABIOS,
    XG_OPT_OVMF,
    XG_OPT_IPXE,
    XG_OPT_FD,              /* legacy, accepted and ignored */
    XG_OPT_LIVE,            /* legacy */
    XG_OPT_DEBUG,           /* legacy */
    XG_OPT_FAKE,            /* legacy */
    XG_OPT_FORK,            /* legacy, optionally followed by true/false */
    XG_OPT_NO_INCR_GENID,   /* legacy */
    XG_OPT_COUNT,
};

struct xg_module {
    const char *path;
    const char *cmdline;    /* NULL: none given */
};

/* PCI address: segment, bus, device, function. */
struct xg_pci_sbdf {
    uint16_t seg;
    uint8_t bus;
    uint8_t dev;            /* 0-31 */
    uint8_t func;           /* 0-7 */
};

struct xg_options {
    enum xg_mode mode;
    uint32_t domid;
    int control_out_fd;             /* -1: standalone */
    uint32_t store_port;
    uint32_t store_domid;
    uint32_t console_port;
    uint32_t console_domid;
    uint64_t mem_max_mib;
    uint64_t mem_start_mib;         /* = mem_max_mib if not given */
    unsigned int pnode;             /* MEMINIT_NO_NODE if not given */

    const char *image;
    const char *cmdline;            /* kernel's; NULL if not given */
    const char *ramdisk;            /* NULL: none ("" on the line) */
    const char *features;
    uint32_t flags;
    struct xg_module modules[XG_MAX_BOOT_MODULES];
    unsigned int nr_modules;

    bool vgpu;
    bool force;
    const char *pci;                /* -pci_passthrough as given */
    struct xg_pci_sbdf pci_dev[XG_MAX_PCI];
    unsigned int nr_pci;
    const char *debuglog;
    const char *supports;           /* -supports FEATURE: query only */

    bool help;
    bool version;                   /* --version: query only */
    bool report_json;               /* --report=json */
    bool plan;                      /* --plan: place, do not build */
    enum meminit_policy_mode numa_memory;   /* --numa-memory=, or
                                       --numa-placement (on: preferred) */
    const char *numa_nodes_text;    /* --numa-nodes as given, or NULL */
    uint64_t numa_nodes;            /* its node set (0: not given) */
    enum meminit_claim_mode claim;  /* --claim= */
    uint32_t populate_threads;      /* --populate-threads: N, or auto
                                       (MEMINIT_THREADS_AUTO, the default) */
    const char *sysfs_root;         /* --sysfs-root: PCI devices (HVM) */
    const char *seabios;            /* --seabios: hvmloader/bios=seabios */
    const char *ovmf;               /* --ovmf: hvmloader/bios=ovmf */
    const char *ipxe;               /* --ipxe: hvmloader/bios=rombios */

    uint64_t given;                 /* bit (1 << enum xg_opt) per option */
};

/* Defaults: no mode, fds -1, no node, claim auto. Parse calls it first. */
void xg_options_init(struct xg_options *o);

/* Parse and validate argv[1 .. argc - 1]. 0 or -EINVAL, recorded in err. */
int xg_options_parse(struct xg_options *o, int argc,
                     const char *const argv[], struct meminit_error *err);

/* Was the option on the command line? */
bool xg_options_given(const struct xg_options *o, enum xg_opt opt);

/* "hvm_build", "linux_build", "pvh_build" or "none". */
const char *xg_mode_name(enum xg_mode mode);

/* Write the help text (usage and the table). 0 or -EIO. */
int xg_options_help(FILE *out, const char *prog);

/* Parse "sbdf,sbdf,..." ([SSSS:]BB:DD.F, hex). 0 or -EINVAL, in err. */
int xg_options_parse_pci(const char *list, struct xg_pci_sbdf *dev,
                         unsigned int max, unsigned int *nr,
                         struct meminit_error *err);

#endif /* XG_OPTIONS_H */
