/*
 * test_options.c - the command line: xenopsd's argument lists, a person's,
 * and every way the old xenguest went wrong on bad input.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cmt.h"

#include "options.h"
#include "parse.h"

#define MAX_ARGS 64

struct opt_case {
    const char *name;
    const char *argv[MAX_ARGS];     /* argv[0] first, NULL-terminated */
    int rc;
    const char *err;                /* exact message; NULL: none expected */
    void (*check)(const struct xg_options *o);
};

/* xenopsd's tail: domid 5, ports, memory. */
#define TAIL "-domid", "5", "-store_port", "1", "-store_domid", "0", \
    "-console_port", "2", "-console_domid", "0", \
    "-mem_max_mib", "1024", "-mem_start_mib", "1024"
#define CTL "-controloutfd", "7", "-controlinfd", "8"
#define HVM "-mode", "hvm_build", "-image", "/usr/libexec/xen/boot/hvmloader"
#define SA(...) { "xenguest", "-mode", "hvm_build", "-domid", "5", \
                  "-mem_max_mib", "1024", "-image", "hvmloader", \
                  __VA_ARGS__, NULL }

static void check_hvm(const struct xg_options *o)
{
    assert_int_equal(o->mode, XG_MODE_HVM);
    assert_int_equal(o->control_out_fd, 7);
    /* -controlinfd is checked and given, but nothing keeps it. */
    assert_true(xg_options_given(o, XG_OPT_CONTROLINFD));
    assert_int_equal(o->domid, 5);
    assert_int_equal(o->store_port, 1);
    assert_int_equal(o->console_port, 2);
    assert_int_equal(o->mem_max_mib, 1024);
    assert_int_equal(o->mem_start_mib, 1024);
    assert_int_equal(o->pnode, 1);
    assert_string_equal(o->image, "/usr/libexec/xen/boot/hvmloader");
    assert_true(o->vgpu);
    assert_true(o->force);
    assert_int_equal(o->nr_pci, 2);
    assert_int_equal(o->pci_dev[0].seg, 0);
    assert_int_equal(o->pci_dev[0].bus, 3);
    assert_int_equal(o->pci_dev[0].dev, 0);
    assert_int_equal(o->pci_dev[0].func, 0);
    assert_int_equal(o->pci_dev[1].seg, 0x10);
    assert_int_equal(o->pci_dev[1].bus, 0xaf);
    assert_int_equal(o->pci_dev[1].dev, 0x1f);
    assert_int_equal(o->pci_dev[1].func, 7);
    assert_false(o->plan);
    assert_int_equal(o->claim, MEMINIT_CLAIM_AUTO);
    assert_true(xg_options_given(o, XG_OPT_MEM_PNODE));
    assert_false(xg_options_given(o, XG_OPT_CMDLINE));
}

static void check_pv(const struct xg_options *o)
{
    assert_int_equal(o->mode, XG_MODE_PV);
    assert_string_equal(o->image, "/boot/vmlinuz");
    assert_string_equal(o->cmdline, "root=/dev/xvda1 console=hvc0");
    assert_null(o->ramdisk);            /* "" means none */
    assert_string_equal(o->features, "");
    assert_int_equal(o->flags, 0);
    assert_int_equal(o->pnode, MEMINIT_NO_NODE);
    assert_false(xg_options_given(o, XG_OPT_MEM_PNODE));
    assert_true(xg_options_given(o, XG_OPT_FORK));
}

static void check_pvh(const struct xg_options *o)
{
    assert_int_equal(o->mode, XG_MODE_PVH);
    assert_string_equal(o->cmdline, "console=hvc0");
    assert_int_equal(o->nr_modules, 3);
    assert_string_equal(o->modules[0].path, "/boot/initrd");
    assert_null(o->modules[0].cmdline);
    assert_string_equal(o->modules[1].path, "/boot/xen.gz");
    assert_string_equal(o->modules[1].cmdline, "dom0_mem=1G");
    assert_string_equal(o->modules[2].path, "/boot/m3");
    assert_string_equal(o->modules[2].cmdline, "");
}

static void check_standalone(const struct xg_options *o)
{
    assert_int_equal(o->mode, XG_MODE_HVM);
    assert_int_equal(o->control_out_fd, -1);
    assert_false(xg_options_given(o, XG_OPT_CONTROLINFD));
    assert_int_equal(o->domid, 9);
    assert_int_equal(o->mem_max_mib, 2048);
    assert_int_equal(o->mem_start_mib, 2048);
    assert_false(xg_options_given(o, XG_OPT_MEM_START_MIB));
    assert_null(o->image);
    assert_true(o->plan);
    assert_true(o->report_json);
    assert_int_equal(o->numa_memory, MEMINIT_POLICY_OFF);
    assert_int_equal(o->claim, MEMINIT_CLAIM_HOST);
    assert_int_equal(o->store_port, 0);
    assert_int_equal(o->store_domid, 0);
}

/* --plan on a host, for a guest not created yet: no domain to read. */
static void check_plan_no_domain(const struct xg_options *o)
{
    assert_true(o->plan);
    assert_false(xg_options_given(o, XG_OPT_DOMID));
    assert_int_equal(o->domid, DOMID_INVALID);
    assert_int_equal(o->mem_max_mib, 4096);
    assert_int_equal(o->pnode, 2);
}

static void check_version(const struct xg_options *o)
{
    assert_true(o->version);
    assert_int_equal(o->mode, XG_MODE_NONE);
}

static void check_pv_alias(const struct xg_options *o)
{
    assert_int_equal(o->mode, XG_MODE_PV);
    assert_string_equal(xg_mode_name(o->mode), "linux_build");
    assert_string_equal(o->ramdisk, "/boot/initrd");
}

static void check_supports(const struct xg_options *o)
{
    assert_string_equal(o->supports, "migration-v2");
    assert_int_equal(o->mode, XG_MODE_NONE);
}

static void check_help(const struct xg_options *o)
{
    assert_true(o->help);
}

static void check_limits(const struct xg_options *o)
{
    assert_int_equal(o->domid, XG_DOMID_FIRST_RESERVED - 1);
    assert_int_equal(o->store_port, XG_EVTCHN_PORT_MAX);
    assert_int_equal(o->mem_max_mib, XG_MEM_MIB_MAX);
    assert_int_equal(o->mem_start_mib, 1);
    assert_int_equal(o->pnode, 63);
    assert_int_equal(o->control_out_fd, INT_MAX);
}

static void check_flags_max(const struct xg_options *o)
{
    assert_int_equal(o->flags, UINT32_MAX);
}

static void check_dash_value(const struct xg_options *o)
{
    assert_string_equal(o->cmdline, "-v --quiet");
}

static void check_threads_auto(const struct xg_options *o)
{
    assert_int_equal(o->populate_threads, MEMINIT_THREADS_AUTO);
}

static void check_threads_3(const struct xg_options *o)
{
    assert_int_equal(o->populate_threads, 3);
}

static void check_claim_off(const struct xg_options *o)
{
    assert_int_equal(o->claim, MEMINIT_CLAIM_OFF);
    assert_false(o->report_json);
    assert_int_equal(o->numa_memory, MEMINIT_POLICY_PREFERRED);
    assert_string_equal(o->debuglog, "/var/log/xg.log");
}

static void check_sixteen(const struct xg_options *o)
{
    assert_int_equal(o->nr_modules, XG_MAX_BOOT_MODULES);
    assert_string_equal(o->modules[15].path, "m16");
}

#define M16 "-module", "m1", "-module", "m2", "-module", "m3", \
    "-module", "m4", "-module", "m5", "-module", "m6", "-module", "m7", \
    "-module", "m8", "-module", "m9", "-module", "m10", "-module", "m11", \
    "-module", "m12", "-module", "m13", "-module", "m14", "-module", "m15", \
    "-module", "m16"
#define PVH_HEAD "xenguest", "-mode", "pvh_build", "-image", "k", \
    "-domid", "5", "-mem_max_mib", "1024"

static struct opt_case cases[] = {
    /* What xenopsd passes. */
    { "xenopsd hvm_build, with vgpu, force and PCI",
      { "xenguest", CTL, HVM, "-vgpu", TAIL, "-mem_pnode", "1", "--force",
        "-pci_passthrough", "0000:03:00.0,0010:af:1f.7", NULL },
      0, NULL, check_hvm },
    { "xenopsd linux_build with legacy -fork true",
      { "xenguest", CTL, "-mode", "linux_build", "-image", "/boot/vmlinuz",
        "-cmdline", "root=/dev/xvda1 console=hvc0", "-ramdisk", "",
        "-features", "", "-flags", "0", TAIL, "-fork", "true", NULL },
      0, NULL, check_pv },
    { "xenopsd pvh_build: a -cmdline after -module is the module's",
      { "xenguest", CTL, "-mode", "pvh_build", "-image", "/boot/vmlinuz",
        "-cmdline", "console=hvc0", "-features", "", "-flags", "0",
        "-module", "/boot/initrd", "-module", "/boot/xen.gz",
        "-cmdline", "dom0_mem=1G", "-module", "/boot/m3", "-cmdline", "",
        TAIL, NULL },
      0, NULL, check_pvh },

    /* What a person types. */
    { "standalone, double dashes and --opt=value",
      { "xenguest", "--mode=hvm_build", "--domid=9", "--mem_max_mib", "2048",
        "--plan", "--report=json", "--claim=host", "--numa-placement=off",
        NULL },
      0, NULL, check_standalone },
    { "pv_build is linux_build",
      { "xenguest", "--mode", "pv_build", "--domid", "9", "--mem_max_mib",
        "64", "--image", "k", "--ramdisk=/boot/initrd", NULL },
      0, NULL, check_pv_alias },
    { "-supports is a query: nothing else needed",
      { "xenguest", "-supports", "migration-v2", NULL },
      0, NULL, check_supports },
    { "--plan without -domid: a guest not created yet",
      { "xenguest", "--plan", "--mem_max_mib", "4096", "--mode", "hvm_build",
        "--mem_pnode", "2", NULL }, 0, NULL, check_plan_no_domain },
    { "--version needs nothing else",
      { "xenguest", "--version", NULL }, 0, NULL, check_version },
    { "--help needs nothing else",
      { "xenguest", "--help", NULL }, 0, NULL, check_help },
    { "-help with one dash works too",
      { "xenguest", "-help", NULL }, 0, NULL, check_help },
    /* PV: its -mem_max_mib is only the balloon's ceiling, so the table's
     * maximum passes (HVM is held to what libxenguest can size). */
    { "bounds are inclusive",
      { "xenguest", "-controloutfd", "2147483647", "-mode", "linux_build",
        "-image", "h", "-domid", "32751", "-store_port", "131071",
        "-console_port", "0", "-mem_max_mib", "1073741824",
        "-mem_start_mib", "1", "-mem_pnode", "63", NULL },
      0, NULL, check_limits },
    { "flags take a full uint32",
      { "xenguest", "-mode", "linux_build", "-image", "k", "-domid", "1",
        "-mem_max_mib", "64", "-flags", "4294967295", NULL },
      0, NULL, check_flags_max },
    { "a value may start with a dash",
      { "xenguest", "-mode", "linux_build", "-image", "k", "-domid", "1",
        "-mem_max_mib", "64", "-cmdline", "-v --quiet", NULL },
      0, NULL, check_dash_value },
    { "legacy options are accepted and ignored",
      SA("-live", "-debug", "-fake", "-fork", "-fork=false",
         "-no_incr_generationid", "-fd", "whatever", "-fd", "3",
         "--claim", "off", "--report=text", "--numa-placement=on",
         "-debuglog", "/var/log/xg.log"),
      0, NULL, check_claim_off },
    { "--populate-threads auto",
      SA("--populate-threads", "auto"), 0, NULL, check_threads_auto },
    { "--populate-threads=auto",
      SA("--populate-threads=auto"), 0, NULL, check_threads_auto },
    { "--populate-threads=3",
      SA("--populate-threads=3"), 0, NULL, check_threads_3 },
    { "sixteen modules fit",
      { PVH_HEAD, M16, NULL }, 0, NULL, check_sixteen },

    /* Regressions: the old xenguest's crashes and silent misreadings. */
    { "no arguments at all",
      { "xenguest", NULL }, -EINVAL,
      "no arguments: a build needs at least -mode, -domid and -mem_max_mib "
      "(see --help)", NULL },
    { "-domid as the last argument",
      { "xenguest", "-mode", "hvm_build", "-domid", NULL }, -EINVAL,
      "option -domid needs a value (DOMID)", NULL },
    { "-module as the last argument",
      { PVH_HEAD, "-module", NULL }, -EINVAL,
      "option -module needs a value (PATH)", NULL },
    { "seventeen modules",
      { PVH_HEAD, M16, "-module", "m17", NULL }, -EINVAL,
      "option -module: more than 16 modules", NULL },
    { "a number with garbage after it",
      SA("-store_port", "12x"), -EINVAL,
      "option -store_port: \"12x\" is not a number", NULL },
    { "domid with garbage",
      { "xenguest", "-domid", "12x", NULL }, -EINVAL,
      "option -domid: \"12x\" is not a number", NULL },
    { "controlinfd is checked though nothing keeps it",
      SA("-controlinfd", "fd3"), -EINVAL,
      "option -controlinfd: \"fd3\" is not a number", NULL },
    { "controlinfd out of range",
      SA("-controlinfd", "2147483648"), -EINVAL,
      "option -controlinfd: 2147483648 is out of range (0-2147483647)",
      NULL },
    { "a negative number",
      { "xenguest", "-domid", "-1", NULL }, -EINVAL,
      "option -domid: \"-1\" is not a number", NULL },
    { "an empty number",
      { "xenguest", "-mem_max_mib", "", NULL }, -EINVAL,
      "option -mem_max_mib: \"\" is not a number", NULL },
    { "a number with a leading blank",
      { "xenguest", "-domid", " 5", NULL }, -EINVAL,
      "option -domid: \" 5\" is not a number", NULL },
    { "a hex number",
      { "xenguest", "-domid", "0x10", NULL }, -EINVAL,
      "option -domid: \"0x10\" is not a number", NULL },
    { "a number with a plus sign",
      { "xenguest", "-domid", "+5", NULL }, -EINVAL,
      "option -domid: \"+5\" is not a number", NULL },
    { "a number that overflows 64 bits",
      { "xenguest", "-domid", "99999999999999999999999", NULL }, -EINVAL,
      "option -domid: \"99999999999999999999999\" is out of range (1-32751)",
      NULL },
    { "a reserved domid",
      { "xenguest", "-domid", "32752", NULL }, -EINVAL,
      "option -domid: 32752 is out of range (1-32751)", NULL },
    { "domid 0 is never built",
      { "xenguest", "-domid", "0", NULL }, -EINVAL,
      "option -domid: 0 is out of range (1-32751)", NULL },
    { "a node beyond 63",
      { "xenguest", "-mem_pnode", "99", NULL }, -EINVAL,
      "option -mem_pnode: 99 is out of range (0-63)", NULL },
    { "no memory",
      { "xenguest", "-mem_max_mib", "0", NULL }, -EINVAL,
      "option -mem_max_mib: 0 is out of range (1-1073741824)", NULL },
    { "more memory than 1 PiB",
      { "xenguest", "-mem_max_mib", "1073741825", NULL }, -EINVAL,
      "option -mem_max_mib: 1073741825 is out of range (1-1073741824)",
      NULL },
    { "an event channel beyond 2^17",
      { "xenguest", "-console_port", "131072", NULL }, -EINVAL,
      "option -console_port: 131072 is out of range (0-131071)", NULL },
    { "flags beyond 32 bits",
      { "xenguest", "-flags", "4294967296", NULL }, -EINVAL,
      "option -flags: 4294967296 is out of range (0-4294967295)", NULL },
    { "an fd beyond INT_MAX",
      { "xenguest", "-controloutfd", "2147483648", NULL }, -EINVAL,
      "option -controloutfd: 2147483648 is out of range (0-2147483647)",
      NULL },
    { "start above max",
      SA("-mem_start_mib", "2048"), -EINVAL,
      "option -mem_start_mib: 2048 is larger than -mem_max_mib 1024", NULL },

    /* Unknown and malformed. */
    { "an unknown option",
      { "xenguest", "-frobnicate", NULL }, -EINVAL,
      "unknown option \"-frobnicate\"", NULL },
    { "an unknown option with a value",
      { "xenguest", "--frob=1", NULL }, -EINVAL,
      "unknown option \"--frob\"", NULL },
    { "an option name is not a prefix match",
      { "xenguest", "-dom", "5", NULL }, -EINVAL,
      "unknown option \"-dom\"", NULL },
    { "a stray argument",
      { "xenguest", "-mode", "hvm_build", "foo", NULL }, -EINVAL,
      "unexpected argument \"foo\"", NULL },
    { "a stray value after a flag names the flag",
      { "xenguest", "-fork", "maybe", NULL }, -EINVAL,
      "unexpected argument \"maybe\" after -fork", NULL },
    { "a lone dash",
      { "xenguest", "-", NULL }, -EINVAL, "unexpected argument \"-\"", NULL },
    { "a lone double dash",
      { "xenguest", "--", NULL }, -EINVAL, "unexpected argument \"--\"",
      NULL },
    { "three dashes",
      { "xenguest", "---domid", "5", NULL }, -EINVAL,
      "unknown option \"---domid\"", NULL },
    { "a flag with a value",
      { "xenguest", "--plan=yes", NULL }, -EINVAL,
      "option --plan takes no value", NULL },
    { "-fork with a value other than true/false",
      { "xenguest", "-fork=maybe", NULL }, -EINVAL,
      "option -fork takes no value", NULL },
    { "a repeated option",
      SA("-domid", "6"), -EINVAL, "option -domid given twice", NULL },
    { "a repeated option, spelled differently",
      SA("--domid=5"), -EINVAL, "option -domid given twice", NULL },
    { "a repeated flag",
      SA("--plan", "-plan"), -EINVAL, "option --plan given twice", NULL },
    { "the kernel command line twice",
      { "xenguest", "-cmdline", "a", "-cmdline", "b", NULL }, -EINVAL,
      "option -cmdline given twice", NULL },
    { "a module command line twice",
      { PVH_HEAD, "-module", "m", "-cmdline", "a", "-cmdline", "b", NULL },
      -EINVAL,
      "option -cmdline: module 1 (m) already has a command line", NULL },
    { "an unknown mode",
      { "xenguest", "-mode", "save", NULL }, -EINVAL,
      "option -mode: \"save\" is not one of hvm_build, linux_build, "
      "pv_build, pvh_build", NULL },
    { "an unknown report form",
      SA("--report=xml"), -EINVAL,
      "option --report: \"xml\" is not one of text, json", NULL },
    { "an unknown claim mode",
      SA("--claim", "maybe"), -EINVAL,
      "option --claim: \"maybe\" is not one of auto, host, off", NULL },
    { "--populate-threads 0",
      SA("--populate-threads", "0"), -EINVAL,
      "option --populate-threads: 0 is out of range (1-32, or auto)", NULL },
    { "--populate-threads 33",
      SA("--populate-threads", "33"), -EINVAL,
      "option --populate-threads: 33 is out of range (1-32, or auto)", NULL },
    { "--populate-threads far out of range",
      SA("--populate-threads", "99999999999999999999"), -EINVAL,
      "option --populate-threads: \"99999999999999999999\" is out of range "
      "(1-32, or auto)", NULL },
    { "--populate-threads neither auto nor a number",
      SA("--populate-threads", "all"), -EINVAL,
      "option --populate-threads: \"all\" is neither auto nor a number", NULL },
    { "placement off contradicts a given node",
      SA("-mem_pnode", "1", "--numa-placement=off"), -EINVAL,
      "option --numa-placement=off contradicts -mem_pnode 1", NULL },

    /* What each mode needs and uses. */
    { "options but no mode",
      { "xenguest", "-domid", "5", NULL }, -EINVAL,
      "no -mode given (hvm_build, linux_build, pvh_build)", NULL },
    { "standalone without a domid",
      { "xenguest", "--mode=hvm_build", NULL }, -EINVAL,
      "-mode hvm_build needs -domid", NULL },
    { "--plan without memory",
      { "xenguest", "--plan", "--mode=hvm_build", NULL }, -EINVAL,
      "-mode hvm_build needs -mem_max_mib", NULL },
    { "standalone without memory",
      { "xenguest", "--mode=hvm_build", "--domid=3", NULL }, -EINVAL,
      "-mode hvm_build needs -mem_max_mib", NULL },
    { "linux_build without an image",
      { "xenguest", "-mode", "linux_build", "-domid", "5", "-mem_max_mib",
        "64", NULL }, -EINVAL, "-mode linux_build needs -image", NULL },
    { "under xenopsd the store port is required",
      { "xenguest", CTL, HVM, "-domid", "5", "-mem_max_mib", "64",
        "-mem_start_mib", "64", "-console_port", "2", NULL }, -EINVAL,
      "-mode hvm_build needs -store_port", NULL },
    { "under xenopsd the start memory is required",
      { "xenguest", CTL, HVM, "-domid", "5", "-mem_max_mib", "64",
        "-store_port", "1", "-console_port", "2", NULL }, -EINVAL,
      "-mode hvm_build needs -mem_start_mib", NULL },
    { "a ramdisk is not used by hvm_build",
      SA("-ramdisk", "/boot/initrd"), -EINVAL,
      "option -ramdisk is not used by -mode hvm_build", NULL },
    { "modules are only for pvh_build",
      SA("-module", "m"), -EINVAL,
      "option -module is not used by -mode hvm_build", NULL },
    { "a command line is not used by hvm_build",
      SA("-cmdline", "quiet"), -EINVAL,
      "option -cmdline is not used by -mode hvm_build", NULL },
    { "vgpu is only for hvm_build",
      { PVH_HEAD, "-vgpu", NULL }, -EINVAL,
      "option -vgpu is not used by -mode pvh_build", NULL },

    /* -pci_passthrough. */
    { "a PCI address without a function",
      SA("-pci_passthrough", "0000:00:1f"), -EINVAL,
      "option -pci_passthrough: \"0000:00:1f\" is not a PCI address "
      "(SSSS:BB:DD.F)", NULL },
    { "a PCI device number beyond 31",
      SA("-pci_passthrough", "00:20.0"), -EINVAL,
      "option -pci_passthrough: \"00:20.0\" is not a PCI address "
      "(SSSS:BB:DD.F)", NULL },
    { "an empty item in a PCI list",
      SA("-pci_passthrough", "00:02.0,,00:03.0"), -EINVAL,
      "option -pci_passthrough: \"\" is not a PCI address (SSSS:BB:DD.F)",
      NULL },
    { "a trailing comma in a PCI list",
      SA("-pci_passthrough", "00:02.0,"), -EINVAL,
      "option -pci_passthrough: \"\" is not a PCI address (SSSS:BB:DD.F)",
      NULL },
    { "a PCI device given twice (once without its segment)",
      SA("-pci_passthrough", "0000:03:00.0,03:00.0"), -EINVAL,
      "option -pci_passthrough: \"03:00.0\" is given twice", NULL },
};

static int count_args(const char *const *argv)
{
    int n = 0;

    while ( argv[n] )
        n++;

    return n;
}

static void test_case(void **state)
{
    const struct opt_case *c = *state;
    struct xg_options o;
    struct meminit_error err = { 0 };
    int rc;

    rc = xg_options_parse(&o, count_args(c->argv), c->argv, &err);
    if ( rc != c->rc )
        fail_msg("rc %d, want %d; err \"%s\"", rc, c->rc, err.msg);
    if ( c->err )
    {
        assert_string_equal(err.step, "options");
        assert_int_equal(err.err, EINVAL);
        assert_string_equal(err.msg, c->err);
    }
    else if ( !rc )
        assert_null(err.step);
    if ( !rc && c->check )
        c->check(&o);
}

/* argc 0 (execve with an empty argv) and a NULL argv. */
static void test_empty_argv(void **state)
{
    const char *argv[] = { NULL };
    struct xg_options o;
    struct meminit_error err = { 0 };

    (void)state;
    assert_int_equal(xg_options_parse(&o, 0, argv, &err), -EINVAL);
    assert_non_null(strstr(err.msg, "no arguments"));
    meminit_error_clear(&err);
    assert_int_equal(xg_options_parse(&o, 0, NULL, &err), -EINVAL);
    assert_non_null(strstr(err.msg, "no arguments"));
}

/* argv shorter than argc claims: the NULL terminator is not read past. */
static void test_argc_beyond_argv(void **state)
{
    const char *value[] = { "xenguest", "-domid", NULL };
    const char *flag[] = { "xenguest", "--plan", NULL };
    struct xg_options o;
    struct meminit_error err = { 0 };

    (void)state;
    assert_int_equal(xg_options_parse(&o, 3, value, &err), -EINVAL);
    assert_string_equal(err.msg, "option -domid needs a value (DOMID)");
    meminit_error_clear(&err);
    assert_int_equal(xg_options_parse(&o, 3, flag, &err), -EINVAL);
    assert_string_equal(err.msg, "argument 2 is missing");
}

/*
 * The error record: no record at all is fine; a message longer than the
 * record is cut, terminated; a record that already holds a failure keeps
 * it (the first failure wins).
 */
static void test_error_record(void **state)
{
    static char big[2 * MEMINIT_ERROR_MSG_LEN];
    const char *argv[] = { "xenguest", "-domid", big, NULL };
    const char *bad[] = { "xenguest", "-domid", "12x", NULL };
    struct xg_options o;
    struct meminit_error err = { 0 };

    (void)state;
    memset(big, '7', sizeof(big) - 1);
    big[0] = 'x';
    assert_int_equal(xg_options_parse(&o, 3, argv, NULL), -EINVAL);
    assert_int_equal(xg_options_parse(&o, 3, argv, &err), -EINVAL);
    assert_int_equal(strlen(err.msg), sizeof(err.msg) - 1);
    assert_int_equal(strncmp(err.msg, "option -domid: \"x777", 20), 0);
    assert_string_equal(err.msg + sizeof(err.msg) - 5, "7...");
    assert_int_equal(xg_options_parse(&o, 3, bad, &err), -EINVAL);
    assert_int_equal(strncmp(err.msg, "option -domid: \"x777", 20), 0);
    meminit_error_clear(&err);
    assert_int_equal(xg_options_parse(&o, 3, bad, &err), -EINVAL);
    assert_string_equal(err.msg, "option -domid: \"12x\" is not a number");
}

/* A cut message ends in "..." after a whole UTF-8 character. */
static void test_error_cut_utf8(void **state)
{
    static char big[MEMINIT_ERROR_MSG_LEN];
    struct meminit_error err = { 0 };
    size_t n;

    (void)state;
    /* "é" (2 bytes) from offset 1: the cut falls inside one. */
    big[0] = 'a';
    for ( n = 1; n + 2 < sizeof(big); n += 2 )
        memcpy(big + n, "\xc3\xa9", 2);
    meminit_error_set(&err, "s", EINVAL, "%s%s", big, big);
    n = strlen(err.msg);
    assert_true(n <= sizeof(err.msg) - 1 && n >= sizeof(err.msg) - 5);
    assert_string_equal(err.msg + n - 3, "...");
    assert_true(((unsigned char)err.msg[n - 4] & 0xc0) == 0x80);
    assert_int_equal((unsigned char)err.msg[n - 5], 0xc3);
}

/* A failed parse leaves defaults, not half an old parse. */
static void test_init_defaults(void **state)
{
    struct xg_options o;

    (void)state;
    memset(&o, 0xa5, sizeof(o));
    xg_options_init(&o);
    assert_int_equal(o.mode, XG_MODE_NONE);
    assert_int_equal(o.control_out_fd, -1);
    assert_int_equal(o.pnode, MEMINIT_NO_NODE);
    assert_int_equal(o.claim, MEMINIT_CLAIM_AUTO);
    assert_int_equal(o.populate_threads, MEMINIT_THREADS_AUTO);
    assert_int_equal(o.given, 0);
    assert_int_equal(o.nr_modules, 0);
    assert_null(o.image);
    assert_false(xg_options_given(&o, XG_OPT_COUNT));
}

static void test_mode_names(void **state)
{
    (void)state;
    assert_string_equal(xg_mode_name(XG_MODE_HVM), "hvm_build");
    assert_string_equal(xg_mode_name(XG_MODE_PV), "linux_build");
    assert_string_equal(xg_mode_name(XG_MODE_PVH), "pvh_build");
    assert_string_equal(xg_mode_name(XG_MODE_NONE), "none");
}

/* --help comes from the table: every option, its value, its modes. */
static void test_help(void **state)
{
    static const char *const want[] = {
        "usage: xg -mode MODE -domid DOMID -mem_max_mib MIB",
        "  -domid DOMID ",
        "  -mem_pnode NODE ",
        "  -module PATH ",
        "(pvh_build only)",
        "(required unless --plan)",
        "  -ramdisk PATH ",
        "  --force ",
        "  --report text|json ",
        "  --claim auto|host|off ",
        "  --numa-placement on|off ",
        "  --numa-memory MODE ",
        "  --populate-threads auto|N ",
        "  --numa-nodes SET ",
        "an explicit\nflag wins over the key, the key over the default.",
        "  -fork [true|false] ",
        "  -no_incr_generationid ",
        "  -supports FEATURE ",
    };
    char *buf = NULL;
    size_t len = 0, i;
    FILE *f = open_memstream(&buf, &len);

    (void)state;
    assert_non_null(f);
    assert_int_equal(xg_options_help(f, "xg"), 0);
    fclose(f);
    for ( i = 0; i < sizeof(want) / sizeof(want[0]); i++ )
        if ( !strstr(buf, want[i]) )
            fail_msg("help lacks \"%s\":\n%s", want[i], buf);
    free(buf);
}

struct num_case {
    const char *s;
    int rc;
    uint64_t v;
};

static void test_parse_u64(void **state)
{
    static const struct num_case nc[] = {
        { "0", 0, 0 },
        { "007", 0, 7 },
        { "18446744073709551615", 0, UINT64_MAX },
        { "18446744073709551616", -ERANGE, 0 },
        { "99999999999999999999x", -EINVAL, 0 },
        { "", -EINVAL, 0 },
        { "-0", -EINVAL, 0 },
        { "1 ", -EINVAL, 0 },
        { "1e3", -EINVAL, 0 },
    };
    size_t i;

    (void)state;
    for ( i = 0; i < sizeof(nc) / sizeof(nc[0]); i++ )
    {
        uint64_t v = 12345;

        assert_int_equal(xg_parse_u64(nc[i].s, &v), nc[i].rc);
        assert_int_equal(v, nc[i].rc ? 12345 : nc[i].v);
    }
    assert_int_equal(xg_parse_u64(NULL, NULL), -EINVAL);
}

static void test_parse_s64_hex(void **state)
{
    int64_t s = 0;
    uint32_t h = 0;

    (void)state;
    assert_int_equal(xg_parse_s64("-9223372036854775808", &s), 0);
    assert_true(s == INT64_MIN);
    assert_int_equal(xg_parse_s64("9223372036854775807", &s), 0);
    assert_true(s == INT64_MAX);
    assert_int_equal(xg_parse_s64("9223372036854775808", &s), -ERANGE);
    assert_int_equal(xg_parse_s64("-9223372036854775809", &s), -ERANGE);
    assert_int_equal(xg_parse_s64("-", &s), -EINVAL);
    assert_int_equal(xg_parse_s64("--1", &s), -EINVAL);
    assert_int_equal(xg_parse_s64("-3600", &s), 0);
    assert_int_equal(s, -3600);

    assert_int_equal(xg_parse_hex32("ffffffff", 8, &h), 0);
    assert_int_equal(h, 0xffffffffu);
    assert_int_equal(xg_parse_hex32("1fAb", 4, &h), 0);
    assert_int_equal(h, 0x1fab);
    assert_int_equal(xg_parse_hex32("100000000", 9, &h), -ERANGE);
    assert_int_equal(xg_parse_hex32("0x1", 3, &h), -EINVAL);
    assert_int_equal(xg_parse_hex32("", 0, &h), -EINVAL);
    assert_int_equal(xg_parse_u64_range("64", 1, 63, &(uint64_t){ 0 }),
                     -ERANGE);
}

int main(void)
{
    static const struct CMUnitTest extra[] = {
        cmocka_unit_test(test_empty_argv),
        cmocka_unit_test(test_argc_beyond_argv),
        cmocka_unit_test(test_error_record),
        cmocka_unit_test(test_error_cut_utf8),
        cmocka_unit_test(test_init_defaults),
        cmocka_unit_test(test_mode_names),
        cmocka_unit_test(test_help),
        cmocka_unit_test(test_parse_u64),
        cmocka_unit_test(test_parse_s64_hex),
    };
    struct CMUnitTest tests[CMT_SIZE(cases) + CMT_SIZE(extra)];
    struct CMUnitTest *next = tests;

    CMT_CASES(next, cases, test_case);
    CMT_TESTS(next, extra);
    return CMT_RUN("options", tests, next);
}
