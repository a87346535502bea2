/*
 * fuzz_options.c - xg_options_parse() over a command line cut from the input.
 *
 * Contract: the input is split at NUL bytes into at most MAX_ARGS arguments
 * after argv[0] = "xenguest", each its own malloc'd string, argv[argc] NULL
 * as exec leaves it. Odd-sized inputs parse without an error record (NULL
 * must be safe), even-sized ones into a record on the heap. A parse that
 * fails must return -EINVAL with step "options" and a terminated message
 * in the record; one that succeeds leaves the record empty and must
 * leave options inside their documented ranges and every string
 * pointing into argv. Anything else aborts, which libFuzzer records.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "options.h"

#define MAX_ARGS    64

struct argv_buf {
    int argc;
    char *argv[MAX_ARGS + 2];
    size_t len[MAX_ARGS + 2];
};

static void split(struct argv_buf *a, const uint8_t *data, size_t size)
{
    size_t start = 0, i;

    a->argv[0] = strdup("xenguest");
    a->len[0] = a->argv[0] ? 8 : 0;
    a->argc = 1;
    for ( i = 0; i <= size && a->argc <= MAX_ARGS; i++ )
    {
        if ( i < size && data[i] )
            continue;
        if ( i == size && start == size )
            break;              /* none left, or a trailing NUL */
        a->len[a->argc] = i - start;
        a->argv[a->argc] = malloc(i - start + 1);
        if ( !a->argv[a->argc] )
            break;
        memcpy(a->argv[a->argc], data + start, i - start);
        a->argv[a->argc][i - start] = '\0';
        a->argc++;
        start = i + 1;
    }
    a->argv[a->argc] = NULL;
}

static void release(struct argv_buf *a)
{
    int i;

    for ( i = 0; i < a->argc; i++ )
        free(a->argv[i]);
}

/* NULL, or a pointer into one of the argument strings. */
static bool in_argv(const struct argv_buf *a, const char *s)
{
    int i;

    if ( !s )
        return true;
    for ( i = 1; i < a->argc; i++ )
        if ( s >= a->argv[i] && s <= a->argv[i] + a->len[i] )
            return true;
    return false;
}

static void check_strings(const struct argv_buf *a, const struct xg_options *o)
{
    unsigned int i;

    FZ_CHECK(in_argv(a, o->image) && in_argv(a, o->cmdline));
    FZ_CHECK(in_argv(a, o->ramdisk) && in_argv(a, o->features));
    FZ_CHECK(in_argv(a, o->pci) && in_argv(a, o->debuglog));
    FZ_CHECK(in_argv(a, o->supports));
    FZ_CHECK(o->nr_modules <= XG_MAX_BOOT_MODULES);
    for ( i = 0; i < o->nr_modules; i++ )
        FZ_CHECK(o->modules[i].path && in_argv(a, o->modules[i].path) &&
                 in_argv(a, o->modules[i].cmdline));
}

static void check_build(const struct xg_options *o)
{
    unsigned int i;

    FZ_CHECK(o->mode == XG_MODE_HVM || o->mode == XG_MODE_PV ||
             o->mode == XG_MODE_PVH);
    /* --plan without -domid: a guest not created yet, DOMID_INVALID. */
    if ( o->plan && !xg_options_given(o, XG_OPT_DOMID) )
        FZ_CHECK(o->domid == DOMID_INVALID);
    else
        FZ_CHECK(o->domid >= 1 && o->domid < XG_DOMID_FIRST_RESERVED);
    FZ_CHECK(o->mem_max_mib >= 1 && o->mem_max_mib <= XG_MEM_MIB_MAX);
    FZ_CHECK(o->mem_start_mib >= 1 && o->mem_start_mib <= o->mem_max_mib);
    FZ_CHECK(o->pnode == MEMINIT_NO_NODE || o->pnode < MEMINIT_MAX_NODES);
    FZ_CHECK(o->numa_memory != MEMINIT_POLICY_OFF ||
             o->pnode == MEMINIT_NO_NODE);
    FZ_CHECK(o->plan || o->image);
    FZ_CHECK(o->control_out_fd >= -1);
    FZ_CHECK(o->store_port <= XG_EVTCHN_PORT_MAX &&
             o->console_port <= XG_EVTCHN_PORT_MAX);
    FZ_CHECK(o->store_domid < XG_DOMID_FIRST_RESERVED &&
             o->console_domid < XG_DOMID_FIRST_RESERVED);
    FZ_CHECK(!o->ramdisk || *o->ramdisk);
    FZ_CHECK(o->mode == XG_MODE_PVH || !o->nr_modules);
    FZ_CHECK(o->mode == XG_MODE_PV || !o->ramdisk);
    FZ_CHECK(o->mode == XG_MODE_HVM || !o->vgpu);
    FZ_CHECK(o->claim == MEMINIT_CLAIM_AUTO ||
             o->claim == MEMINIT_CLAIM_HOST || o->claim == MEMINIT_CLAIM_OFF);
    FZ_CHECK(o->nr_pci <= XG_MAX_PCI && (o->pci || !o->nr_pci));
    for ( i = 0; i < o->nr_pci; i++ )
        FZ_CHECK(o->pci_dev[i].dev <= 0x1f && o->pci_dev[i].func <= 7);
    if ( xg_options_given(o, XG_OPT_CONTROLOUTFD) )
        FZ_CHECK(xg_options_given(o, XG_OPT_STORE_PORT) &&
                 xg_options_given(o, XG_OPT_CONSOLE_PORT) &&
                 xg_options_given(o, XG_OPT_MEM_START_MIB));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct argv_buf a = { 0 };
    struct xg_options o;
    struct meminit_error *err = calloc(1, sizeof(*err));
    int rc;

    if ( !err )
        return 0;
    split(&a, data, size);
    rc = xg_options_parse(&o, a.argc, (const char *const *)a.argv,
                          (size & 1) ? NULL : err);
    if ( rc )
    {
        FZ_CHECK(rc == -EINVAL);
        if ( !(size & 1) )
            FZ_CHECK(err->step && !strcmp(err->step, "options") &&
                     err->err == EINVAL && err->msg[0] &&
                     memchr(err->msg, '\0', sizeof(err->msg)));
    }
    else
    {
        FZ_CHECK(!err->step);
        FZ_CHECK(!xg_options_given(&o, XG_OPT_COUNT));
        check_strings(&a, &o);
        if ( !o.help && !o.supports && !o.version )
            check_build(&o);
    }
    release(&a);
    free(err);
    return 0;
}
