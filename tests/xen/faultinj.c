/*
 * faultinj.c - an LD_PRELOAD library that makes the k-th call of one
 * libxenctrl, libxenguest or libxenstore function fail, for the real-Xen
 * fault sweep (tests/xen/scenarios/89-faults.sh).
 *
 * Contract:
 *  - XGFI_FAIL=NAME:K:ERRNO makes the K-th call of NAME return its failure
 *    value (-1, or NULL/false/XBT_NULL for the functions that return those)
 *    with errno set, without calling the real function. Once.
 *  - XGFI_TRACE=FILE appends "NAME COUNT" for every interposed function
 *    that was called, when the process exits normally.
 *  - Every interposed call, from xenguest itself or from inside libxenguest
 *    (whose calls into libxenctrl go through the PLT too), is counted.
 *  - Only x86-64: each interposer is a small assembly stub that saves the
 *    argument registers, asks fi_decide() whether to fail, and then either
 *    jumps to the real function with the arguments untouched or returns
 *    the failure value. So one stub serves any signature.
 *
 * A test tool, not part of xenguest: it keeps its counters in statics.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a failing call returns: -1, NULL/0, or -errno (xc_cpuid_apply_policy). */
enum fail_kind { FAIL_MINUS1, FAIL_ZERO, FAIL_NEG_ERRNO };

struct fi_fn {
    const char *name;
    enum fail_kind kind;
    void *real;
    unsigned long calls;
};

#define FN(n, k) { #n, k, NULL, 0 }

static struct fi_fn fns[] = {
    FN(xc_interface_open, FAIL_ZERO),
    FN(xc_physinfo, FAIL_MINUS1),
    FN(xc_numainfo, FAIL_MINUS1),
    FN(xc_cputopoinfo, FAIL_MINUS1),
    FN(xc_domain_getinfolist, FAIL_MINUS1),
    FN(xc_domain_getinfo, FAIL_MINUS1),
    FN(xc_domain_claim_pages, FAIL_MINUS1),
    FN(xc_domain_populate_physmap, FAIL_MINUS1),
    FN(xc_domain_populate_physmap_exact, FAIL_MINUS1),
    FN(xc_domain_set_pod_target, FAIL_MINUS1),
    FN(xc_domain_node_getaffinity, FAIL_MINUS1),
    FN(xc_vcpu_setaffinity, FAIL_MINUS1),
    FN(xc_vcpu_getaffinity, FAIL_MINUS1),
    FN(xc_get_cpumap_size, FAIL_MINUS1),
    FN(xc_sched_id, FAIL_MINUS1),
    FN(xc_domain_set_tsc_info, FAIL_MINUS1),
    FN(xc_domain_set_time_offset, FAIL_MINUS1),
    FN(xc_hvm_param_set, FAIL_MINUS1),
    FN(xc_hvm_param_get, FAIL_MINUS1),
    FN(xc_domctl, FAIL_MINUS1),
    FN(xc_memory_op, FAIL_MINUS1),
    FN(xc_map_foreign_range, FAIL_ZERO),
    FN(xc_map_foreign_pages, FAIL_ZERO),
    FN(xc_map_foreign_ranges, FAIL_ZERO),
    FN(xc_clear_domain_pages, FAIL_MINUS1),
    FN(xc_domain_add_to_physmap, FAIL_MINUS1),
    FN(xc_domain_get_tsc_info, FAIL_MINUS1),
    FN(xc_vcpu_setcontext, FAIL_MINUS1),
    FN(xc_dom_allocate, FAIL_ZERO),
    FN(xc_dom_kernel_file, FAIL_MINUS1),
    FN(xc_dom_module_file, FAIL_MINUS1),
    FN(xc_dom_boot_xen_init, FAIL_MINUS1),
    FN(xc_dom_parse_image, FAIL_MINUS1),
    FN(xc_dom_mem_init, FAIL_MINUS1),
    FN(xc_dom_boot_mem_init, FAIL_MINUS1),
    FN(xc_dom_build_image, FAIL_MINUS1),
    FN(xc_dom_boot_image, FAIL_MINUS1),
    FN(xc_dom_gnttab_init, FAIL_MINUS1),
    FN(xs_open, FAIL_ZERO),
    FN(xs_read, FAIL_ZERO),
    FN(xs_write, FAIL_ZERO),
    FN(xs_set_permissions, FAIL_ZERO),
    FN(xs_transaction_start, FAIL_ZERO),
    FN(xs_transaction_end, FAIL_ZERO),
    FN(xc_get_cpu_featureset, FAIL_MINUS1),
    FN(xc_cpuid_apply_policy, FAIL_NEG_ERRNO),
    FN(xc_domain_set_memory_map, FAIL_MINUS1),
    FN(xc_dom_pfn_to_ptr, FAIL_ZERO),
};

#define NR_FNS (sizeof(fns) / sizeof(fns[0]))

static struct {
    int parsed;
    int target;             /* index into fns[], -1: none */
    unsigned long nth;
    int err;
} plan = { 0, -1, 0, 0 };

static void parse_plan(void)
{
    const char *spec = getenv("XGFI_FAIL");
    char name[64];
    unsigned long nth;
    int err;
    unsigned int i;

    plan.parsed = 1;
    if ( !spec || sscanf(spec, "%63[^:]:%lu:%d", name, &nth, &err) != 3 )
        return;
    for ( i = 0; i < NR_FNS; i++ )
        if ( !strcmp(fns[i].name, name) )
        {
            plan = (typeof(plan)){ 1, (int)i, nth, err };
            return;
        }
}

/* Called by every stub: the real function to jump to, or NULL to fail. */
__attribute__((visibility("hidden"), used))
void *fi_decide(unsigned int idx)
{
    struct fi_fn *f = &fns[idx];
    unsigned long n;

    /*
     * The plan is read on the first call, made before any populate thread
     * exists; populate threads then call concurrently: the count is
     * atomic so that the n-th call is failed once, and a racing dlsym()
     * stores the same address.
     */
    if ( !plan.parsed )
        parse_plan();
    if ( !f->real )
        f->real = dlsym(RTLD_NEXT, f->name);
    n = __atomic_add_fetch(&f->calls, 1, __ATOMIC_RELAXED);
    if ( (int)idx == plan.target && n == plan.nth )
    {
        fprintf(stderr, "faultinj: failing call %lu of %s with errno %d\n",
                n, f->name, plan.err);
        return NULL;
    }
    if ( !f->real )
        abort();    /* interposed a function the process cannot reach */
    return f->real;
}

/* The failure value of an interposed function; sets errno. */
__attribute__((visibility("hidden"), used))
long fi_fail(unsigned int idx)
{
    errno = plan.err;
    switch ( fns[idx].kind )
    {
    case FAIL_MINUS1:
        return -1;
    case FAIL_NEG_ERRNO:
        return -plan.err;
    case FAIL_ZERO:
        break;
    }
    return 0;
}

__attribute__((destructor))
static void fi_trace(void)
{
    const char *path = getenv("XGFI_TRACE");
    unsigned int i;
    FILE *f;

    if ( !path || !(f = fopen(path, "a")) )
        return;
    for ( i = 0; i < NR_FNS; i++ )
        if ( fns[i].calls )
            fprintf(f, "%s %lu\n", fns[i].name, fns[i].calls);
    fclose(f);
}

/*
 * The stubs. At entry %rsp is 8 mod 16; seven pushes make it 0 mod 16 for
 * the call. The argument registers (and %rax, the vector count of a
 * variadic call) are restored before the jump, so the real function sees
 * exactly the caller's arguments.
 */
#define STUB(idx, name)                                                 \
    __asm__(".text\n.globl " #name "\n.type " #name ",@function\n"      \
            #name ":\n"                                                 \
            "push %rdi\npush %rsi\npush %rdx\npush %rcx\n"              \
            "push %r8\npush %r9\npush %rax\n"                           \
            "mov $" #idx ", %edi\n"                                     \
            "call fi_decide\n"                                          \
            "mov %rax, %r11\n"                                          \
            "pop %rax\npop %r9\npop %r8\npop %rcx\n"                    \
            "pop %rdx\npop %rsi\npop %rdi\n"                            \
            "test %r11, %r11\n"                                         \
            "jz 1f\n"                                                   \
            "jmp *%r11\n"                                               \
            "1: mov $" #idx ", %edi\n"                                  \
            "jmp fi_fail\n"                                             \
            ".size " #name ", .-" #name "\n")

STUB(0, xc_interface_open);
STUB(1, xc_physinfo);
STUB(2, xc_numainfo);
STUB(3, xc_cputopoinfo);
STUB(4, xc_domain_getinfolist);
STUB(5, xc_domain_getinfo);
STUB(6, xc_domain_claim_pages);
STUB(7, xc_domain_populate_physmap);
STUB(8, xc_domain_populate_physmap_exact);
STUB(9, xc_domain_set_pod_target);
STUB(10, xc_domain_node_getaffinity);
STUB(11, xc_vcpu_setaffinity);
STUB(12, xc_vcpu_getaffinity);
STUB(13, xc_get_cpumap_size);
STUB(14, xc_sched_id);
STUB(15, xc_domain_set_tsc_info);
STUB(16, xc_domain_set_time_offset);
STUB(17, xc_hvm_param_set);
STUB(18, xc_hvm_param_get);
STUB(19, xc_domctl);
STUB(20, xc_memory_op);
STUB(21, xc_map_foreign_range);
STUB(22, xc_map_foreign_pages);
STUB(23, xc_map_foreign_ranges);
STUB(24, xc_clear_domain_pages);
STUB(25, xc_domain_add_to_physmap);
STUB(26, xc_domain_get_tsc_info);
STUB(27, xc_vcpu_setcontext);
STUB(28, xc_dom_allocate);
STUB(29, xc_dom_kernel_file);
STUB(30, xc_dom_module_file);
STUB(31, xc_dom_boot_xen_init);
STUB(32, xc_dom_parse_image);
STUB(33, xc_dom_mem_init);
STUB(34, xc_dom_boot_mem_init);
STUB(35, xc_dom_build_image);
STUB(36, xc_dom_boot_image);
STUB(37, xc_dom_gnttab_init);
STUB(38, xs_open);
STUB(39, xs_read);
STUB(40, xs_write);
STUB(41, xs_set_permissions);
STUB(42, xs_transaction_start);
STUB(43, xs_transaction_end);
STUB(44, xc_get_cpu_featureset);
STUB(45, xc_cpuid_apply_policy);
STUB(46, xc_domain_set_memory_map);
STUB(47, xc_dom_pfn_to_ptr);

_Static_assert(NR_FNS == 48, "one STUB per fns[] entry, in order");
