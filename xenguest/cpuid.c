/*
 * cpuid.c - featureset composition and the CPUID policy calls.
 *
 * The featureset is checked against Xen's maximum for the guest type here,
 * before the first call that changes the domain: Xen would refuse the same
 * policy later with "EINVAL at leaf N", after the domain had been touched,
 * and say nothing about which feature the host lacks.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/arch-x86/cpufeatureset.h>

#include "cpuid.h"

#define STEP "cpuid"

static const char *const feature_names[] = {
#define XEN_CPUFEATURE(name, value) [value] = #name,
#include <xen/arch-x86/cpufeatureset.h>
#undef XEN_CPUFEATURE
};

#define NR_NAMES (sizeof(feature_names) / sizeof(feature_names[0]))

const char *xg_cpuid_feature_name(unsigned int bit)
{
    return bit < NR_NAMES ? feature_names[bit] : NULL;
}

static bool test(const uint32_t *fs, unsigned int bit)
{
    return fs[bit / 32] & (1u << (bit % 32));
}

static void set(uint32_t *fs, unsigned int bit, bool on)
{
    if ( on )
        fs[bit / 32] |= 1u << (bit % 32);
    else
        fs[bit / 32] &= ~(1u << (bit % 32));
}

/* platform/featureset, zero-extended; longer only when padded with 0. */
static int take_user(const struct xg_cpuid_req *r,
                     const struct xg_featuresets *fs, uint32_t *out,
                     struct meminit_error *e)
{
    unsigned int i;

    memset(out, 0, fs->nr * sizeof(*out));
    for ( i = 0; i < r->nr_featureset; i++ )
    {
        if ( i < fs->nr )
            out[i] = r->featureset[i];
        else if ( r->featureset[i] )
            return meminit_error_set(e, STEP, EINVAL, "platform/featureset: "
                                     "word %u is %08x, but this host has %u "
                                     "words", i, r->featureset[i], fs->nr);
    }
    return 0;
}

/* "avx2 avx512f" for the first few bits of miss[], Xen's names. */
static void name_bits(const uint32_t *miss, unsigned int nr, char *buf,
                      size_t len)
{
    unsigned int bit, shown = 0;
    size_t at = 0;

    buf[0] = '\0';
    for ( bit = 0; bit < nr * 32 && shown < 4 && at + 1 < len; bit++ )
    {
        const char *n = xg_cpuid_feature_name(bit);
        size_t k;

        if ( !test(miss, bit) )
            continue;
        at += (size_t)snprintf(buf + at, len - at, "%s", shown++ ? " " : "");
        if ( n )
            for ( k = 0; n[k] && at + 1 < len; k++ )
                buf[at++] = (char)tolower((unsigned char)n[k]);
        else
            at += (size_t)snprintf(buf + at, len - at, "%u*32+%u", bit / 32,
                                   bit % 32);
        buf[at < len ? at : len - 1] = '\0';
    }
}

static bool any_set(const uint32_t *fs, unsigned int nr)
{
    unsigned int i;

    for ( i = 0; i < nr; i++ )
        if ( fs[i] )
            return true;
    return false;
}

static int check_max(const struct xg_cpuid_req *r,
                     const struct xg_featuresets *fs, const uint32_t *out,
                     struct meminit_error *e)
{
    uint32_t miss[XG_CPUID_WORDS] = { 0 };
    char names[128];
    unsigned int i;

    for ( i = 0; i < fs->nr; i++ )
        miss[i] = out[i] & ~fs->max[i];
    if ( r->nested_virt )
    {
        /* Both are asked for; Xen keeps the one the host has. */
        set(miss, XEN_X86_FEATURE_VMX, false);
        set(miss, XEN_X86_FEATURE_SVM, false);
    }
    if ( !any_set(miss, fs->nr) )
        return 0;
    name_bits(miss, fs->nr, names, sizeof(names));
    return meminit_error_set(e, STEP, EINVAL, "platform/featureset: this host "
                             "cannot give %s guest %s", r->hvm ? "an HVM"
                             : "a PV", names);
}

int xg_cpuid_compose(const struct xg_cpuid_req *r,
                     const struct xg_featuresets *fs, uint32_t *out,
                     struct meminit_error *e)
{
    int rc = 0;

    if ( !fs->nr || fs->nr > XG_CPUID_WORDS )
        return meminit_error_set(e, STEP, EINVAL, "the host's featureset "
                                 "has %u words (1-%u expected)", fs->nr,
                                 XG_CPUID_WORDS);
    if ( r->featureset )
        rc = take_user(r, fs, out, e);
    else
        memcpy(out, fs->def, fs->nr * sizeof(*out));
    if ( rc )
        return rc;
    if ( !r->nx )
        set(out, XEN_X86_FEATURE_NX, false);
    if ( !r->pae )
        set(out, XEN_X86_FEATURE_PAE, false);
    if ( r->nomigrate && test(fs->host, XEN_X86_FEATURE_ITSC) )
        set(out, XEN_X86_FEATURE_ITSC, true);
    if ( r->nested_virt )
    {
        set(out, XEN_X86_FEATURE_VMX, true);
        set(out, XEN_X86_FEATURE_SVM, true);
    }
    return check_max(r, fs, out, e);
}

/* Addressable APIC ids per socket: 2 x cps, rounded up to a power of 2. */
static unsigned int socket_ids(unsigned int cps, unsigned int cap)
{
    unsigned int ids = 1;

    while ( ids < 2 * cps && ids < cap )
        ids <<= 1;
    return ids;
}

static unsigned int log2_of(unsigned int pow2)
{
    unsigned int n = 0;

    while ( (1u << n) < pow2 )
        n++;
    return n;
}

#define VENDOR_INTEL_EBX 0x756e6547u    /* "Genu" */
#define VENDOR_AMD_EBX   0x68747541u    /* "Auth" */
#define VENDOR_HYGON_EBX 0x6f677948u    /* "Hygo" */

static void reshape(xen_cpuid_leaf_t *l, uint32_t vendor, unsigned int cps)
{
    if ( l->leaf == 1 )
        l->b = (l->b & ~0x00ff0000u) | (socket_ids(cps, 0x80) << 16);
    else if ( l->leaf == 4 && vendor == VENDOR_INTEL_EBX && (l->a & 0x1f) )
        l->a = (l->a & ~(0x3fu << 26)) | ((socket_ids(cps, 64) - 1) << 26);
    else if ( l->leaf == 0x80000008 &&
              (vendor == VENDOR_AMD_EBX || vendor == VENDOR_HYGON_EBX) )
        l->c = (l->c & ~0xf0ffu) |
               (log2_of(socket_ids(cps, 0x80)) << 12) |
               ((2 * cps - 1) & 0xff);
}

void xg_cpuid_topology(xen_cpuid_leaf_t *leaves, unsigned int nr,
                       unsigned int cores_per_socket)
{
    uint32_t vendor = 0;
    unsigned int i;

    if ( !cores_per_socket )
        return;
    for ( i = 0; i < nr; i++ )
        if ( leaves[i].leaf == 0 )
            vendor = leaves[i].b;
    for ( i = 0; i < nr; i++ )
        reshape(&leaves[i], vendor, cores_per_socket);
}

static int read_one(xc_interface *xch, uint32_t index, uint32_t *buf,
                    unsigned int *nr, struct meminit_error *e)
{
    uint32_t len = XG_CPUID_WORDS;

    errno = 0;
    if ( xc_get_cpu_featureset(xch, index, &len, buf) && errno != ENOBUFS )
        return meminit_error_set(e, STEP, errno, "xc_get_cpu_featureset(%u): "
                                 "%s", index, strerror(errno ?: EIO));
    *nr = len < XG_CPUID_WORDS ? len : XG_CPUID_WORDS;
    return 0;
}

static int read_featuresets(xc_interface *xch, bool hvm,
                            struct xg_featuresets *fs,
                            struct meminit_error *e)
{
    unsigned int nr_def, nr_max;
    int rc;

    memset(fs, 0, sizeof(*fs));
    rc = read_one(xch, XEN_SYSCTL_cpu_featureset_host, fs->host, &fs->nr, e);
    if ( !rc )
        rc = read_one(xch, hvm ? XEN_SYSCTL_cpu_featureset_hvm
                               : XEN_SYSCTL_cpu_featureset_pv, fs->def,
                      &nr_def, e);
    if ( !rc )
        rc = read_one(xch, hvm ? XEN_SYSCTL_cpu_featureset_hvm_max
                               : XEN_SYSCTL_cpu_featureset_pv_max, fs->max,
                      &nr_max, e);
    return rc;
}

static int topology_fail(const char *what, int err, struct meminit_error *e)
{
    return meminit_error_set(e, STEP, err, "cores-per-socket: %s: %s", what,
                             strerror(err));
}

/* Get the domain's policy, reshape its topology leaves, set it back. */
static int apply_topology(xc_interface *xch, uint32_t domid,
                          unsigned int cps, struct meminit_error *e)
{
    xc_cpu_policy_t *p = xc_cpu_policy_init();
    xen_cpuid_leaf_t *leaves = NULL;
    uint32_t nr = 0, nr_msrs = 0;
    int rc = p ? 0 : topology_fail("xc_cpu_policy_init", ENOMEM, e);

    errno = 0;
    if ( !rc && (xc_cpu_policy_get_size(xch, &nr, &nr_msrs) ||
                 !(leaves = calloc(nr, sizeof(*leaves)))) )
        rc = topology_fail("policy size", errno ?: ENOMEM, e);
    nr_msrs = 0;
    if ( !rc && (xc_cpu_policy_get_domain(xch, domid, p) ||
                 xc_cpu_policy_serialise(xch, p, leaves, &nr, NULL,
                                         &nr_msrs)) )
        rc = topology_fail("reading the policy", errno ?: EIO, e);
    if ( !rc )
        xg_cpuid_topology(leaves, nr, cps);
    if ( !rc && (xc_cpu_policy_update_cpuid(xch, p, leaves, nr) ||
                 xc_cpu_policy_set_domain(xch, domid, p)) )
        rc = topology_fail("setting the policy", errno ?: EIO, e);
    free(leaves);
    xc_cpu_policy_destroy(p);
    return rc;
}

int xg_cpuid_prepare(xc_interface *xch, const struct xg_cpuid_req *r,
                     struct xg_cpuid_plan *plan, struct meminit_error *e)
{
    struct xg_featuresets fs;
    int rc = read_featuresets(xch, r->hvm, &fs, e);

    if ( !rc )
        rc = xg_cpuid_compose(r, &fs, plan->featureset, e);
    plan->nr = fs.nr;
    plan->itsc = r->nomigrate && test(fs.host, XEN_X86_FEATURE_ITSC);
    return rc;
}

int xg_cpuid_set(xc_interface *xch, uint32_t domid,
                 const struct xg_cpuid_req *r,
                 const struct xg_cpuid_plan *plan, struct meminit_error *e)
{
    int rc, err;

    errno = 0;
    rc = xc_cpuid_apply_policy(xch, domid, false, plan->featureset, plan->nr,
                               r->pae, plan->itsc, r->nested_virt, NULL,
                               NULL);
    if ( rc )
    {
        err = rc < 0 ? -rc : (errno ?: EIO);
        return meminit_error_set(e, STEP, err, "xc_cpuid_apply_policy: %s",
                                 strerror(err));
    }
    if ( r->hvm && r->cores_per_socket )
        return apply_topology(xch, domid, r->cores_per_socket, e);
    return 0;
}
