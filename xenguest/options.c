/*
 * options.c - the option table and the parser it drives.
 *
 * xenopsd's argument lists (reference/xenopsd-contract.md) are the first
 * users: "-controloutfd N -controlinfd N -mode hvm_build -image PATH
 * -domid N ... -mem_start_mib S [--force] [-pci_passthrough LIST]". A human
 * is the second: "--domid=5 --mode=hvm_build --mem_max_mib=1024 --plan".
 * Both go through the same table. Each entry says what the value is, where
 * it lands in struct xg_options, which modes use it and when it is
 * required; parse, validate and --help read nothing else.
 *
 * The old xenguest parsed with getopt_long_only() and atoi()-like helpers
 * into globals, accepted "-domid 12x" as 12, read past the end of argv on a
 * trailing "-domid", overflowed its module array on the 17th -module and
 * exit()ed from deep inside. Here every failure is one sentence in err and
 * -EINVAL, and the caller decides what to do with it.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <string.h>

#include "options.h"
#include "parse.h"

#define STEP "options"      /* of every refusal recorded here */

/* Kinds of argument: what the value is and the type of the field. */
enum arg_kind {
    ARG_FLAG,           /* no value; bool */
    ARG_STRING,         /* const char * */
    ARG_UINT,           /* uint32_t within [min, max] */
    ARG_THREADS,        /* "auto" (MEMINIT_THREADS_AUTO) or an ARG_UINT */
    ARG_SIZE_MIB,       /* uint64_t MiB within [min, max] */
    ARG_FD,             /* int within [0, INT_MAX] */
    ARG_FD_UNUSED,      /* an fd within [0, INT_MAX], checked, not kept */
    ARG_DOMID,          /* uint32_t within [min, DOMID_FIRST_RESERVED) */
    ARG_NODE,           /* unsigned int within [0, MEMINIT_MAX_NODES) */
    ARG_MODULE,         /* repeatable: appends to modules[] */
    ARG_CMDLINE,        /* string; after a -module it is that module's */
    ARG_CHOICE,         /* one word of a list, stored by set() */
    ARG_IGNORED,        /* legacy: takes a value and ignores it */
    ARG_LEGACY,         /* legacy flag: accepted, ignored, repeatable */
    ARG_LEGACY_BOOL,    /* legacy flag, may be followed by true/false */
};

/* Mode bits (which modes use an option); 0 means any. */
#define M_HVM   (1u << XG_MODE_HVM)
#define M_PV    (1u << XG_MODE_PV)
#define M_PVH   (1u << XG_MODE_PVH)
#define M_BUILD (M_HVM | M_PV | M_PVH)

/* When an option is required. */
#define NEED_BUILD      (1u << 0)   /* every build */
#define NEED_CONTROLLED (1u << 1)   /* a build under xenopsd */
#define NEED_LOAD       (1u << 2)   /* a real build, not --plan: it loads
                                       images into an existing domain */

struct choice {
    const char *word;
    int value;
};

/*
 * Where an option's value lands: a function that returns the address of
 * its field in a struct xg_options, one member per field type. Each entry
 * sets the member its kind reads, through the OPT_* macros below, which
 * refuse to compile when the field's type is not the kind's: the parser
 * writes through typed pointers only, never through an offset.
 */
union opt_field {
    bool *(*flag)(struct xg_options *o);                /* ARG_FLAG */
    const char **(*str)(struct xg_options *o);          /* ARG_STRING */
    uint32_t *(*u32)(struct xg_options *o);     /* ARG_UINT, _THREADS, _DOMID */
    uint64_t *(*u64)(struct xg_options *o);             /* ARG_SIZE_MIB */
    int *(*fd)(struct xg_options *o);                   /* ARG_FD */
    unsigned int *(*node)(struct xg_options *o);        /* ARG_NODE */
    void (*set)(struct xg_options *o, int value);       /* ARG_CHOICE */
};

struct opt_desc {
    const char *name;           /* without dashes */
    unsigned int dashes;        /* how --help and errors spell it: 1 or 2 */
    enum arg_kind kind;
    union opt_field field;      /* the member kind says; none for the rest */
    uint64_t min, max;          /* numeric kinds */
    const struct choice *choices;               /* ARG_CHOICE, NULL-ended */
    unsigned int modes;
    unsigned int need;
    const char *metavar;
    const char *help;
};

/*
 * FIELD(f) defines f_of(), the address of field f: its type is the
 * field's own, so TYPED() below compares the field's type, not a cast.
 */
#define FIELD(f)                                                            \
    static __typeof__(((struct xg_options *)0)->f) *                        \
    f##_of(struct xg_options *o)                                            \
    {                                                                       \
        return &o->f;                                                       \
    }

FIELD(control_out_fd)
FIELD(domid)
FIELD(store_port)
FIELD(store_domid)
FIELD(console_port)
FIELD(console_domid)
FIELD(mem_max_mib)
FIELD(numa_nodes_text)
FIELD(mem_start_mib)
FIELD(pnode)
FIELD(image)
FIELD(cmdline)
FIELD(ramdisk)
FIELD(features)
FIELD(flags)
FIELD(vgpu)
FIELD(force)
FIELD(pci)
FIELD(debuglog)
FIELD(supports)
FIELD(help)
FIELD(version)
FIELD(plan)
FIELD(sysfs_root)
FIELD(seabios)
FIELD(ovmf)
FIELD(ipxe)
FIELD(populate_threads)

/*
 * &fn if its type is T, else a compile error (a void value where a
 * pointer is wanted): kvmtool's check_vtype(), for field accessors.
 */
#define TYPED(fn, T)                                                        \
    __builtin_choose_expr(__builtin_types_compatible_p(__typeof__(&(fn)), T), \
                          &(fn), (void)0)

#define OPT(n, d, k)    .name = (n), .dashes = (d), .kind = (k)
#define OPT_FLAG(n, d, f)                                                   \
    OPT(n, d, ARG_FLAG), .field.flag = TYPED(f, bool *(*)(struct xg_options *))
#define OPT_STRING(n, d, f)                                                 \
    OPT(n, d, ARG_STRING),                                                  \
    .field.str = TYPED(f, const char **(*)(struct xg_options *))
#define OPT_UINT(n, f, lo, hi)                                              \
    OPT(n, 1, ARG_UINT), .min = (lo), .max = (hi),                          \
    .field.u32 = TYPED(f, uint32_t *(*)(struct xg_options *))
#define OPT_DOMID(n, f, lo)                                                 \
    OPT(n, 1, ARG_DOMID), .min = (lo), .max = XG_DOMID_FIRST_RESERVED - 1,  \
    .field.u32 = TYPED(f, uint32_t *(*)(struct xg_options *))
#define OPT_MIB(n, f)                                                       \
    OPT(n, 1, ARG_SIZE_MIB), .min = 1, .max = XG_MEM_MIB_MAX,               \
    .field.u64 = TYPED(f, uint64_t *(*)(struct xg_options *))
#define OPT_FD(n, f)                                                        \
    OPT(n, 1, ARG_FD), .max = INT_MAX,                                      \
    .field.fd = TYPED(f, int *(*)(struct xg_options *))
#define OPT_NODE(n, f)                                                      \
    OPT(n, 1, ARG_NODE), .max = MEMINIT_MAX_NODES - 1,                      \
    .field.node = TYPED(f, unsigned int *(*)(struct xg_options *))
#define OPT_CHOICE(n, d, words, fn)                                         \
    OPT(n, d, ARG_CHOICE), .choices = (words),                              \
    .field.set = TYPED(fn, void (*)(struct xg_options *, int))

static void set_mode(struct xg_options *o, int v)
{
    o->mode = (enum xg_mode)v;
}

static void set_report(struct xg_options *o, int v)
{
    o->report_json = v;
}

static void set_placement(struct xg_options *o, int v)
{
    o->numa_memory = v ? MEMINIT_POLICY_PREFERRED : MEMINIT_POLICY_OFF;
}

static void set_numa_memory(struct xg_options *o, int v)
{
    o->numa_memory = (enum meminit_policy_mode)v;
}

static void set_claim(struct xg_options *o, int v)
{
    o->claim = (enum meminit_claim_mode)v;
}

static const struct choice mode_choices[] = {
    { "hvm_build", XG_MODE_HVM },
    { "linux_build", XG_MODE_PV },
    { "pv_build", XG_MODE_PV },
    { "pvh_build", XG_MODE_PVH },
    { NULL, 0 },
};

static const struct choice report_choices[] = {
    { "text", 0 },
    { "json", 1 },
    { NULL, 0 },
};

static const struct choice onoff_choices[] = {
    { "on", 1 },
    { "off", 0 },
    { NULL, 0 },
};

static const struct choice policy_choices[] = {
    { "preferred", MEMINIT_POLICY_PREFERRED },
    { "strict", MEMINIT_POLICY_STRICT },
    { "interleave", MEMINIT_POLICY_INTERLEAVE },
    { "off", MEMINIT_POLICY_OFF },
    { NULL, 0 },
};

static const struct choice claim_choices[] = {
    { "auto", MEMINIT_CLAIM_AUTO },
    { "host", MEMINIT_CLAIM_HOST },
    { "off", MEMINIT_CLAIM_OFF },
    { NULL, 0 },
};

#define LEGACY(n)   OPT(n, 1, ARG_LEGACY), .help = "legacy, ignored"

static const struct opt_desc opt_table[XG_OPT_COUNT] = {
    [XG_OPT_MODE] = { OPT_CHOICE("mode", 1, mode_choices, set_mode),
        .metavar = "MODE",
        .help = "hvm_build, linux_build (or pv_build), pvh_build" },
    [XG_OPT_CONTROLOUTFD] = { OPT_FD("controloutfd", control_out_fd_of),
        .metavar = "FD",
        .help = "result/error lines go here; absent: standalone" },
    [XG_OPT_CONTROLINFD] = { OPT("controlinfd", 1, ARG_FD_UNUSED),
        .max = INT_MAX, .metavar = "FD",
        .help = "xenopsd's side (not read by builds)" },
    [XG_OPT_DOMID] = { OPT_DOMID("domid", domid_of, 1),
        .modes = M_BUILD, .need = NEED_LOAD, .metavar = "DOMID",
        .help = "the domain to build (created, empty)" },
    [XG_OPT_STORE_PORT] = {
        OPT_UINT("store_port", store_port_of, 0, XG_EVTCHN_PORT_MAX),
        .modes = M_BUILD, .need = NEED_CONTROLLED, .metavar = "PORT",
        .help = "xenstore event channel" },
    [XG_OPT_STORE_DOMID] = { OPT_DOMID("store_domid", store_domid_of, 0),
        .modes = M_BUILD, .metavar = "DOMID",
        .help = "domain running xenstored (default 0)" },
    [XG_OPT_CONSOLE_PORT] = {
        OPT_UINT("console_port", console_port_of, 0, XG_EVTCHN_PORT_MAX),
        .modes = M_BUILD, .need = NEED_CONTROLLED, .metavar = "PORT",
        .help = "console event channel" },
    [XG_OPT_CONSOLE_DOMID] = {
        OPT_DOMID("console_domid", console_domid_of, 0),
        .modes = M_BUILD, .metavar = "DOMID",
        .help = "domain running the console backend (default 0)" },
    [XG_OPT_MEM_MAX_MIB] = { OPT_MIB("mem_max_mib", mem_max_mib_of),
        .modes = M_BUILD, .need = NEED_BUILD, .metavar = "MIB",
        .help = "guest memory at its largest" },
    [XG_OPT_MEM_START_MIB] = { OPT_MIB("mem_start_mib", mem_start_mib_of),
        .modes = M_BUILD, .need = NEED_CONTROLLED, .metavar = "MIB",
        .help = "memory at boot (default: -mem_max_mib)" },
    [XG_OPT_MEM_PNODE] = { OPT_NODE("mem_pnode", pnode_of),
        .modes = M_BUILD, .metavar = "NODE",
        .help = "NUMA node to take memory from" },
    [XG_OPT_IMAGE] = { OPT_STRING("image", 1, image_of),
        .modes = M_BUILD, .need = NEED_LOAD, .metavar = "PATH",
        .help = "kernel (PV, PVH) or hvmloader (HVM)" },
    [XG_OPT_CMDLINE] = { OPT("cmdline", 1, ARG_CMDLINE),
        .field.str = TYPED(cmdline_of, const char **(*)(struct xg_options *)),
        .modes = M_PV | M_PVH, .metavar = "TEXT",
        .help = "kernel's; after a -module, that module's" },
    [XG_OPT_RAMDISK] = { OPT_STRING("ramdisk", 1, ramdisk_of),
        .modes = M_PV, .metavar = "PATH",
        .help = "initial ramdisk (\"\": none)" },
    [XG_OPT_FEATURES] = { OPT_STRING("features", 1, features_of),
        .modes = M_PV | M_PVH, .metavar = "LIST",
        .help = "Xen features the kernel must support" },
    [XG_OPT_FLAGS] = { OPT_UINT("flags", flags_of, 0, UINT32_MAX),
        .modes = M_PV | M_PVH, .metavar = "N",
        .help = "domain builder flags" },
    [XG_OPT_MODULE] = { OPT("module", 1, ARG_MODULE),
        .modes = M_PVH, .metavar = "PATH",
        .help = "boot module, repeatable (at most 16)" },
    [XG_OPT_VGPU] = { OPT_FLAG("vgpu", 1, vgpu_of),
        .modes = M_HVM, .help = "an NVIDIA vGPU is attached" },
    [XG_OPT_FORCE] = { OPT_FLAG("force", 2, force_of),
        .modes = M_BUILD, .help = "skip the safety checks" },
    [XG_OPT_PCI_PASSTHROUGH] = { OPT_STRING("pci_passthrough", 1, pci_of),
        .modes = M_BUILD, .metavar = "SBDF,...",
        .help = "passed-through PCI devices, SSSS:BB:DD.F" },
    [XG_OPT_DEBUGLOG] = { OPT_STRING("debuglog", 1, debuglog_of),
        .metavar = "FILE", .help = "append the log to FILE too" },
    [XG_OPT_SUPPORTS] = { OPT_STRING("supports", 1, supports_of),
        .metavar = "FEATURE", .help = "print true or false and exit" },
    [XG_OPT_HELP] = { OPT_FLAG("help", 2, help_of), .help = "this text" },
    [XG_OPT_VERSION] = { OPT_FLAG("version", 2, version_of),
        .help = "version, Xen built against, claim ABIs; exit" },
    [XG_OPT_REPORT] = {
        OPT_CHOICE("report", 2, report_choices, set_report),
        .metavar = "text|json",
        .help = "form of the report (default text)" },
    [XG_OPT_PLAN] = { OPT_FLAG("plan", 2, plan_of), .modes = M_BUILD,
        .help = "show where memory would come from; build nothing" },
    [XG_OPT_NUMA_PLACEMENT] = {
        OPT_CHOICE("numa-placement", 2, onoff_choices, set_placement),
        .modes = M_BUILD, .metavar = "on|off",
        .help = "on: --numa-memory=preferred, off: =off" },
    [XG_OPT_CLAIM] = { OPT_CHOICE("claim", 2, claim_choices, set_claim),
        .modes = M_BUILD, .metavar = "auto|host|off",
        .help = "best available, host-wide only, none (auto)" },
    [XG_OPT_POPULATE_THREADS] = { OPT("populate-threads", 2, ARG_THREADS),
        .min = 1, .max = MEMINIT_MAX_THREADS,
        .field.u32 = TYPED(populate_threads_of,
                           uint32_t *(*)(struct xg_options *)),
        .modes = M_BUILD, .metavar = "auto|N",
        .help = "populate from N threads where Xen allows it; auto: dom0's "
                "online vCPUs, up to 8 (auto)" },
    [XG_OPT_SYSFS_ROOT] = { OPT_STRING("sysfs-root", 2, sysfs_root_of),
        .modes = M_HVM, .metavar = "DIR",
        .help = "where -pci_passthrough devices are read (" XG_SYSFS_ROOT
                ")" },
    [XG_OPT_SEABIOS] = { OPT_STRING("seabios", 2, seabios_of),
        .modes = M_HVM, .metavar = "PATH",
        .help = "hvmloader/bios=seabios (" XG_SEABIOS_PATH ")" },
    [XG_OPT_OVMF] = { OPT_STRING("ovmf", 2, ovmf_of),
        .modes = M_HVM, .metavar = "PATH",
        .help = "hvmloader/bios=ovmf (" XG_OVMF_PATH ")" },
    [XG_OPT_IPXE] = { OPT_STRING("ipxe", 2, ipxe_of),
        .modes = M_HVM, .metavar = "PATH",
        .help = "iPXE ROM for hvmloader/bios=rombios (" XG_IPXE_PATH ")" },
    [XG_OPT_FD] = { OPT("fd", 1, ARG_IGNORED), .metavar = "N",
        .help = "legacy, ignored" },
    [XG_OPT_LIVE] = { LEGACY("live") },
    [XG_OPT_DEBUG] = { LEGACY("debug") },
    [XG_OPT_FAKE] = { LEGACY("fake") },
    [XG_OPT_FORK] = { OPT("fork", 1, ARG_LEGACY_BOOL),
        .metavar = "[true|false]", .help = "legacy, ignored" },
    [XG_OPT_NO_INCR_GENID] = { LEGACY("no_incr_generationid") },
    [XG_OPT_NUMA_MEMORY] = {
        OPT_CHOICE("numa-memory", 2, policy_choices, set_numa_memory),
        .modes = M_BUILD, .metavar = "MODE",
        .help = "preferred (default), strict, interleave, off" },
    [XG_OPT_NUMA_NODES] = { OPT_STRING("numa-nodes", 2, numa_nodes_text_of),
        .modes = M_BUILD, .metavar = "SET",
        .help = "the policy's node set, e.g. 0-1,3 (default all)" },
};

/* The state of one parse: where we are in argv and where errors go. */
struct parser {
    struct xg_options *o;
    int argc;
    const char *const *argv;
    int next;                   /* index of the next argument to read */
    struct meminit_error *err;  /* where a refusal is recorded */
};

_Static_assert(XG_OPT_COUNT <= 64, "xg_options.given is a 64-bit mask");

static uint64_t bit(enum xg_opt id)
{
    return 1ull << id;
}

bool xg_options_given(const struct xg_options *o, enum xg_opt opt)
{
    return opt < XG_OPT_COUNT && (o->given & bit(opt));
}

const char *xg_mode_name(enum xg_mode mode)
{
    switch ( mode )
    {
    case XG_MODE_HVM:
        return "hvm_build";
    case XG_MODE_PV:
        return "linux_build";
    case XG_MODE_PVH:
        return "pvh_build";
    case XG_MODE_NONE:
        break;
    }

    return "none";
}

void xg_options_init(struct xg_options *o)
{
    memset(o, 0, sizeof(*o));
    o->mode = XG_MODE_NONE;
    o->control_out_fd = -1;
    o->pnode = MEMINIT_NO_NODE;
    o->claim = MEMINIT_CLAIM_AUTO;
    o->populate_threads = MEMINIT_THREADS_AUTO; /* the man page says why:
                                                   --populate-threads */
    o->sysfs_root = XG_SYSFS_ROOT;
    o->seabios = XG_SEABIOS_PATH;
    o->ovmf = XG_OVMF_PATH;
    o->ipxe = XG_IPXE_PATH;
}

/* "-domid" or "--plan": the spelling used in messages and --help. */
static const char *dash(const struct opt_desc *d)
{
    return d->dashes == 2 ? "--" : "-";
}

static bool takes_value(const struct opt_desc *d)
{
    return d->kind != ARG_FLAG && d->kind != ARG_LEGACY &&
           d->kind != ARG_LEGACY_BOOL;
}

static bool repeatable(const struct opt_desc *d)
{
    return d->kind == ARG_MODULE || d->kind == ARG_IGNORED ||
           d->kind == ARG_LEGACY || d->kind == ARG_LEGACY_BOOL;
}

static bool is_bool_word(const char *s)
{
    return s && (!strcmp(s, "true") || !strcmp(s, "false"));
}

/* The table entry for name[0 .. len - 1], or XG_OPT_COUNT. */
static enum xg_opt lookup(const char *name, size_t len)
{
    unsigned int i;

    for ( i = 0; i < XG_OPT_COUNT; i++ )
        if ( strlen(opt_table[i].name) == len &&
             !strncmp(opt_table[i].name, name, len) )
            return (enum xg_opt)i;

    return XG_OPT_COUNT;
}

/*
 * The value of a numeric option, checked against the entry's bounds. An
 * ARG_THREADS entry's messages name its other value, "auto" (set_threads()).
 */
static int number(struct parser *ps, const struct opt_desc *d,
                  const char *value, uint64_t *v)
{
    bool threads = d->kind == ARG_THREADS;
    const char *alt = threads ? ", or auto" : "";
    int rc = xg_parse_u64(value, v);

    if ( rc == -EINVAL )
        return meminit_error_set(ps->err, STEP, EINVAL, "option %s%s: \"%s\" "
                                 "is %s", dash(d), d->name, value,
                                 threads ? "neither auto nor a number"
                                         : "not a number");
    if ( rc == -ERANGE )
        return meminit_error_set(ps->err, STEP, EINVAL,
                                 "option %s%s: \"%s\" is out of range (%"
                                 PRIu64 "-%" PRIu64 "%s)", dash(d), d->name,
                                 value, d->min, d->max, alt);
    if ( *v < d->min || *v > d->max )
        return meminit_error_set(ps->err, STEP, EINVAL,
                                 "option %s%s: %" PRIu64 " is out of range "
                                 "(%" PRIu64 "-%" PRIu64 "%s)", dash(d),
                                 d->name, *v, d->min, d->max, alt);
    return 0;
}

/* Store a checked number through the entry's typed field. */
static int set_number(struct parser *ps, const struct opt_desc *d,
                      const char *value)
{
    uint64_t v = 0;
    int rc = number(ps, d, value, &v);

    if ( rc )
        return rc;
    switch ( d->kind )
    {
    case ARG_SIZE_MIB:
        *d->field.u64(ps->o) = v;
        break;
    case ARG_FD:
        *d->field.fd(ps->o) = (int)v;
        break;
    case ARG_NODE:
        *d->field.node(ps->o) = (unsigned int)v;
        break;
    case ARG_UINT:
    case ARG_THREADS:
    case ARG_DOMID:
        *d->field.u32(ps->o) = (uint32_t)v;
        break;
    default:                    /* ARG_FD_UNUSED: checked, not kept */
        break;
    }
    return 0;
}

/* "a, b, c" from a choice list, for messages and --help. */
static const char *choice_words(const struct choice *c, char *buf,
                                size_t len)
{
    size_t used = 0;

    buf[0] = '\0';
    for ( ; c->word && used < len; c++ )
        used += (size_t)snprintf(buf + used, len - used, "%s%s",
                                 used ? ", " : "", c->word);

    return buf;
}

static int set_choice(struct parser *ps, const struct opt_desc *d,
                      const char *value)
{
    const struct choice *c;
    char words[128];

    for ( c = d->choices; c->word; c++ )
    {
        if ( !strcmp(c->word, value) )
        {
            d->field.set(ps->o, c->value);
            return 0;
        }
    }

    return meminit_error_set(ps->err, STEP, EINVAL, "option %s%s: \"%s\" is "
                             "not one of %s", dash(d), d->name, value,
                             choice_words(d->choices, words, sizeof(words)));
}

static int add_module(struct parser *ps, const struct opt_desc *d,
                      const char *value)
{
    struct xg_options *o = ps->o;

    if ( o->nr_modules >= XG_MAX_BOOT_MODULES )
        return meminit_error_set(ps->err, STEP, EINVAL, "option %s%s: more "
                                 "than %u modules", dash(d), d->name,
                                 XG_MAX_BOOT_MODULES);

    o->modules[o->nr_modules].path = value;
    o->modules[o->nr_modules].cmdline = NULL;
    o->nr_modules++;

    return 0;
}

/* A -cmdline after a -module is that module's; before, the kernel's. */
static int set_cmdline(struct parser *ps, const struct opt_desc *d,
                       const char *value)
{
    struct xg_options *o = ps->o;
    struct xg_module *m;

    if ( !o->nr_modules )
    {
        if ( o->given & bit(XG_OPT_CMDLINE) )
            return meminit_error_set(ps->err, STEP, EINVAL, "option %s%s "
                                     "given twice", dash(d), d->name);
        *d->field.str(o) = value;
        o->given |= bit(XG_OPT_CMDLINE);
        return 0;
    }

    m = &o->modules[o->nr_modules - 1];
    if ( m->cmdline )
        return meminit_error_set(ps->err, STEP, EINVAL, "option %s%s: module "
                                 "%u (%s) already has a command line", dash(d),
                                 d->name, o->nr_modules, m->path);
    m->cmdline = value;

    return 0;
}

/* ARG_THREADS: "auto" is MEMINIT_THREADS_AUTO, else a checked number. */
static int set_threads(struct parser *ps, const struct opt_desc *d,
                       const char *value)
{
    if ( strcmp(value, "auto") )
        return set_number(ps, d, value);
    *d->field.u32(ps->o) = MEMINIT_THREADS_AUTO;
    return 0;
}

/* Keep the value of entry d where its kind says (-cmdline aside). */
static int store(struct parser *ps, const struct opt_desc *d,
                 const char *value)
{
    switch ( d->kind )
    {
    case ARG_FLAG:
        *d->field.flag(ps->o) = true;
        return 0;
    case ARG_STRING:
        *d->field.str(ps->o) = value;
        return 0;
    case ARG_CHOICE:
        return set_choice(ps, d, value);
    case ARG_MODULE:
        return add_module(ps, d, value);
    case ARG_THREADS:
        return set_threads(ps, d, value);
    case ARG_CMDLINE:
    case ARG_IGNORED:
    case ARG_LEGACY:
    case ARG_LEGACY_BOOL:
        return 0;
    default:                    /* the numeric kinds */
        return set_number(ps, d, value);
    }
}

static int apply(struct parser *ps, enum xg_opt id, const char *value)
{
    const struct opt_desc *d = &opt_table[id];
    struct xg_options *o = ps->o;
    int rc;

    if ( d->kind == ARG_CMDLINE )
        return set_cmdline(ps, d, value);

    if ( (o->given & bit(id)) && !repeatable(d) )
        return meminit_error_set(ps->err, STEP, EINVAL, "option %s%s given "
                                 "twice", dash(d), d->name);

    rc = store(ps, d, value);
    if ( !rc )
        o->given |= bit(id);

    return rc;
}

/* The value of option d: after '=', else the next argument. */
static int take_value(struct parser *ps, const struct opt_desc *d,
                      const char *eq, const char **value)
{
    if ( !takes_value(d) )
    {
        if ( eq && !(d->kind == ARG_LEGACY_BOOL && is_bool_word(eq + 1)) )
            return meminit_error_set(ps->err, STEP, EINVAL, "option %s%s "
                                     "takes no value", dash(d), d->name);
        /* "-fork true", as some xenopsd versions pass it. */
        if ( !eq && d->kind == ARG_LEGACY_BOOL && ps->next < ps->argc &&
             is_bool_word(ps->argv[ps->next]) )
            ps->next++;
        *value = NULL;
        return 0;
    }

    if ( eq )
        *value = eq + 1;
    else if ( ps->next < ps->argc && ps->argv[ps->next] )
        *value = ps->argv[ps->next++];
    else
        return meminit_error_set(ps->err, STEP, EINVAL, "option %s%s needs a "
                                 "value (%s)", dash(d), d->name, d->metavar);

    return 0;
}

/* A stray argument; the option just before it, if it was one, is named
 * (it may be what the value was meant for). */
static int stray(const struct parser *ps, const char *arg)
{
    const char *prev = ps->next > 2 ? ps->argv[ps->next - 2] : NULL;

    if ( prev && prev[0] == '-' )
        return meminit_error_set(ps->err, STEP, EINVAL, "unexpected "
                                 "argument \"%s\" after %s", arg, prev);
    return meminit_error_set(ps->err, STEP, EINVAL, "unexpected argument "
                             "\"%s\"", arg);
}

static int parse_one(struct parser *ps)
{
    const char *arg = ps->argv[ps->next++];
    const char *name, *eq, *value = NULL;
    size_t len;
    enum xg_opt id;
    int rc;

    if ( !arg )
        return meminit_error_set(ps->err, STEP, EINVAL, "argument %d is "
                                 "missing", ps->next - 1);
    if ( arg[0] != '-' || arg[1] == '\0' ||
         (arg[1] == '-' && arg[2] == '\0') )
        return stray(ps, arg);

    name = arg + (arg[1] == '-' ? 2 : 1);
    eq = strchr(name, '=');
    len = eq ? (size_t)(eq - name) : strlen(name);

    id = lookup(name, len);
    if ( id == XG_OPT_COUNT )
        return meminit_error_set(ps->err, STEP, EINVAL, "unknown option "
                                 "\"%.*s\"",
                                 (int)(name - arg + (ptrdiff_t)len), arg);

    rc = take_value(ps, &opt_table[id], eq, &value);
    if ( rc )
        return rc;

    return apply(ps, id, value);
}

/* An option given that the mode does not use is an error, not a no-op. */
static int check_modes(const struct xg_options *o, struct meminit_error *err)
{
    unsigned int i;

    for ( i = 0; i < XG_OPT_COUNT; i++ )
    {
        const struct opt_desc *d = &opt_table[i];

        if ( (o->given & bit((enum xg_opt)i)) && d->modes &&
             !(d->modes & (1u << o->mode)) )
            return meminit_error_set(err, STEP, EINVAL, "option %s%s is not "
                                     "used by -mode %s", dash(d), d->name,
                                     xg_mode_name(o->mode));
    }

    return 0;
}

static int check_needs(const struct xg_options *o, struct meminit_error *err)
{
    unsigned int need = NEED_BUILD, i;

    if ( o->given & bit(XG_OPT_CONTROLOUTFD) )
        need |= NEED_CONTROLLED;
    if ( !o->plan )
        need |= NEED_LOAD;

    for ( i = 0; i < XG_OPT_COUNT; i++ )
    {
        const struct opt_desc *d = &opt_table[i];

        if ( (d->need & need) && !(o->given & bit((enum xg_opt)i)) )
            return meminit_error_set(err, STEP, EINVAL, "-mode %s needs %s%s",
                                     xg_mode_name(o->mode), dash(d), d->name);
    }

    return 0;
}

/*
 * libxenguest 4.17's xc_dom_mem_init() takes the guest's size in MiB as an
 * unsigned int and shifts it into pages in 32 bits (xg_dom_core.c): 16 TiB
 * wraps to 0 pages, 16 TiB + 512 MiB to 512 MiB. What it is given
 * (-mem_start_mib for PV, -mem_max_mib otherwise) must stay below that.
 */
#define DOM_MEM_MIB_MAX ((1ull << 24) - 1)

static int check_dom_mib(const struct xg_options *o,
                         struct meminit_error *err)
{
    bool pv = o->mode == XG_MODE_PV;
    uint64_t mib = pv ? o->mem_start_mib : o->mem_max_mib;

    if ( mib <= DOM_MEM_MIB_MAX )
        return 0;
    return meminit_error_set(err, STEP, EINVAL, "option %s: %" PRIu64 " MiB "
                             "is more than libxenguest 4.17 can build: "
                             "xc_dom_mem_init() takes MiB as unsigned int "
                             "and counts pages in 32 bits, at most %llu MiB "
                             "(16 TiB - 1 MiB)",
                             pv ? "-mem_start_mib" : "-mem_max_mib", mib,
                             DOM_MEM_MIB_MAX);
}

/*
 * The policy flags: one spelling at a time, a node set that parses, and
 * no -mem_pnode that the flags themselves contradict. What the flags say
 * against the platform keys is decided later (numapolicy.c).
 */
static int check_policy(struct xg_options *o, struct meminit_error *err)
{
    bool place = o->given & bit(XG_OPT_NUMA_PLACEMENT);

    if ( place && (o->given & bit(XG_OPT_NUMA_MEMORY)) )
        return meminit_error_set(err, STEP, EINVAL, "options "
                                 "--numa-placement and --numa-memory: give "
                                 "one (--numa-placement=off is "
                                 "--numa-memory=off)");
    if ( o->numa_nodes_text &&
         meminit_nodeset_parse(o->numa_nodes_text, &o->numa_nodes) )
        return meminit_error_set(err, STEP, EINVAL, "option --numa-nodes: "
                                 "\"%s\" is not a node set (e.g. 0-1,3; "
                                 "nodes 0-%u)", o->numa_nodes_text,
                                 MEMINIT_MAX_NODES - 1);
    if ( o->numa_memory == MEMINIT_POLICY_OFF && o->pnode != MEMINIT_NO_NODE )
        return meminit_error_set(err, STEP, EINVAL, "option %s contradicts "
                                 "-mem_pnode %u", place
                                 ? "--numa-placement=off" : "--numa-memory=off",
                                 o->pnode);
    if ( o->numa_nodes && o->pnode != MEMINIT_NO_NODE &&
         !(o->numa_nodes & (1ull << o->pnode)) )
        return meminit_error_set(err, STEP, EINVAL, "option -mem_pnode %u is "
                                 "outside --numa-nodes %s", o->pnode,
                                 o->numa_nodes_text);
    return 0;
}

/* Defaults that depend on other options, and checks across options. */
static int finish(struct xg_options *o, struct meminit_error *err)
{
    if ( !(o->given & bit(XG_OPT_MEM_START_MIB)) )
        o->mem_start_mib = o->mem_max_mib;
    if ( o->mem_start_mib > o->mem_max_mib )
        return meminit_error_set(err, STEP, EINVAL,
                                 "option -mem_start_mib: %" PRIu64 " is "
                                 "larger than -mem_max_mib %" PRIu64,
                                 o->mem_start_mib, o->mem_max_mib);
    if ( check_dom_mib(o, err) )
        return -EINVAL;

    if ( check_policy(o, err) )
        return -EINVAL;

    if ( o->ramdisk && !*o->ramdisk )
        o->ramdisk = NULL;

    /* --plan for a guest that does not exist yet. */
    if ( o->plan && !(o->given & bit(XG_OPT_DOMID)) )
        o->domid = DOMID_INVALID;

    if ( o->pci )
        return xg_options_parse_pci(o->pci, o->pci_dev, XG_MAX_PCI,
                                    &o->nr_pci, err);

    return 0;
}

static int validate(struct xg_options *o, int argc, struct meminit_error *err)
{
    int rc;

    /* Queries need nothing else. */
    if ( o->help || o->version || o->supports )
        return 0;

    if ( o->mode == XG_MODE_NONE )
    {
        if ( argc <= 1 )
            return meminit_error_set(err, STEP, EINVAL, "no arguments: a "
                                     "build needs at least -mode, -domid and "
                                     "-mem_max_mib (see --help)");
        return meminit_error_set(err, STEP, EINVAL, "no -mode given "
                                 "(hvm_build, linux_build, pvh_build)");
    }

    rc = check_modes(o, err);
    if ( !rc )
        rc = check_needs(o, err);
    if ( !rc )
        rc = finish(o, err);

    return rc;
}

int xg_options_parse(struct xg_options *o, int argc,
                     const char *const argv[], struct meminit_error *err)
{
    struct parser ps = {
        .o = o, .argc = argc, .argv = argv, .next = 1, .err = err,
    };
    int rc;

    xg_options_init(o);
    if ( !argv || argc < 1 )
        ps.argc = 1;

    while ( ps.next < ps.argc )
    {
        rc = parse_one(&ps);
        if ( rc )
            return rc;
    }

    return validate(o, ps.argc, err);
}

/* One hex field of 1 .. maxlen digits ending at one of `ends`. */
static int pci_field(const char **s, size_t maxlen, const char *ends,
                     uint32_t *out)
{
    size_t len = strcspn(*s, ends);

    if ( len == 0 || len > maxlen || xg_parse_hex32(*s, len, out) )
        return -EINVAL;
    *s += len;

    return 0;
}

/* [SSSS:]BB:DD.F up to a ',' or the end. */
static int pci_one(const char *s, size_t len, struct xg_pci_sbdf *dev)
{
    char buf[32];
    const char *p = buf;
    uint32_t a, b, dv, fn;
    bool has_seg;

    if ( len == 0 || len >= sizeof(buf) )
        return -EINVAL;
    memcpy(buf, s, len);
    buf[len] = '\0';
    has_seg = strchr(buf, ':') != strrchr(buf, ':');

    if ( pci_field(&p, 4, ":", &a) || *p++ != ':' )
        return -EINVAL;
    if ( has_seg && (pci_field(&p, 2, ":", &b) || *p++ != ':') )
        return -EINVAL;
    if ( pci_field(&p, 2, ".", &dv) || *p++ != '.' ||
         pci_field(&p, 1, "", &fn) || *p )
        return -EINVAL;
    if ( !has_seg )
    {
        b = a;
        a = 0;
    }
    if ( b > 0xff || dv > 0x1f || fn > 7 )
        return -EINVAL;

    dev->seg = (uint16_t)a;
    dev->bus = (uint8_t)b;
    dev->dev = (uint8_t)dv;
    dev->func = (uint8_t)fn;

    return 0;
}

/* Is dev[n] one of dev[0..n-1]? */
static bool pci_repeated(const struct xg_pci_sbdf *dev, unsigned int n)
{
    unsigned int i;

    for ( i = 0; i < n; i++ )
        if ( dev[i].seg == dev[n].seg && dev[i].bus == dev[n].bus &&
             dev[i].dev == dev[n].dev && dev[i].func == dev[n].func )
            return true;
    return false;
}

int xg_options_parse_pci(const char *list, struct xg_pci_sbdf *dev,
                         unsigned int max, unsigned int *nr,
                         struct meminit_error *err)
{
    const char *s = list;

    *nr = 0;
    if ( !*s )
        return 0;

    for ( ;; )
    {
        size_t len = strcspn(s, ",");

        if ( *nr >= max )
            return meminit_error_set(err, STEP, EINVAL,
                                     "option -pci_passthrough: more than %u "
                                     "devices", max);
        if ( pci_one(s, len, &dev[*nr]) )
            return meminit_error_set(err, STEP, EINVAL,
                                     "option -pci_passthrough: \"%.*s\" is "
                                     "not a PCI address (SSSS:BB:DD.F)",
                                     (int)len, s);
        if ( pci_repeated(dev, *nr) )
            return meminit_error_set(err, STEP, EINVAL,
                                     "option -pci_passthrough: \"%.*s\" is "
                                     "given twice", (int)len, s);
        (*nr)++;
        if ( !s[len] )
            return 0;
        s += len + 1;
    }
}

/* "pvh_build only; required", from the table's modes and needs. */
static const char *help_notes(const struct opt_desc *d, char *buf, size_t len)
{
    const char *modes = d->modes == M_HVM ? "hvm_build only" :
                        d->modes == M_PV ? "linux_build only" :
                        d->modes == M_PVH ? "pvh_build only" :
                        d->modes == (M_PV | M_PVH) ? "linux_build, pvh_build" :
                        "";
    const char *need = (d->need & NEED_BUILD) ? "required" :
                       (d->need & NEED_CONTROLLED) ? "required with "
                                                     "-controloutfd" :
                       (d->need & NEED_LOAD) ? "required unless --plan" : "";

    snprintf(buf, len, "%s%s%s", modes, (*modes && *need) ? "; " : "", need);

    return buf;
}

static int help_line(FILE *out, const struct opt_desc *d)
{
    char left[64], notes[96];

    snprintf(left, sizeof(left), "%s%s%s%s", dash(d), d->name,
             d->metavar ? " " : "", d->metavar ? d->metavar : "");
    if ( fprintf(out, "  %-26s %s\n", left, d->help) < 0 )
        return -EIO;
    if ( *help_notes(d, notes, sizeof(notes)) &&
         fprintf(out, "  %-26s (%s)\n", "", notes) < 0 )
        return -EIO;

    return 0;
}

int xg_options_help(FILE *out, const char *prog)
{
    unsigned int i;

    if ( fprintf(out,
                 "usage: %s -mode MODE -domid DOMID -mem_max_mib MIB "
                 "-image PATH [options]\n"
                 "       %s --plan -mode MODE -mem_max_mib MIB "
                 "[-mem_pnode NODE] [-domid DOMID]\n"
                 "       %s -supports FEATURE | --help | --version\n\n"
                 "Builds a created, empty Xen domain, taking its memory from "
                 "one NUMA node as far\nas possible. Every option takes one "
                 "or two dashes, and \"--opt=value\" or\n\"--opt value\". "
                 "Without -controloutfd it runs standalone.\n"
                 "The NUMA memory policy comes from the flags --numa-memory "
                 "(or --numa-placement),\n--numa-nodes and -mem_pnode, "
                 "else from the VM's xenstore keys\nplatform/numa-memory and "
                 "platform/numa-nodes, else the defaults: an explicit\nflag "
                 "wins over the key, the key over the default.\n\n",
                 prog, prog, prog) < 0 )
        return -EIO;

    for ( i = 0; i < XG_OPT_COUNT; i++ )
        if ( help_line(out, &opt_table[i]) )
            return -EIO;

    return fflush(out) ? -EIO : 0;
}
