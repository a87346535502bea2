/*
 * test_cpuid.c - the featureset a build applies (platform/featureset and
 * the platform flags against Xen's host/default/max featuresets) and the
 * cores-per-socket reshaping of the topology leaves. Pure: the Xen calls
 * are exercised by the real-Xen scenario cpuid-parity.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <xen/arch-x86/cpufeatureset.h>

#include "cpuid.h"

#define W 16    /* the host's featureset length in these tests */
#define BIT(f) (1u << ((f) % 32))
#define WORD(f) ((f) / 32)

static bool has(const uint32_t *fs, unsigned int f)
{
    return fs[WORD(f)] & BIT(f);
}

/* A host with NX, PAE, AVX2, ITSC and VMX; HVM max also has AVX512F off. */
static void host(struct xg_featuresets *fs, bool itsc)
{
    unsigned int f[] = { XEN_X86_FEATURE_NX, XEN_X86_FEATURE_PAE,
                         XEN_X86_FEATURE_AVX2, XEN_X86_FEATURE_VMX,
                         XEN_X86_FEATURE_FPU };
    unsigned int i;

    memset(fs, 0, sizeof(*fs));
    fs->nr = W;
    for ( i = 0; i < sizeof(f) / sizeof(f[0]); i++ )
    {
        fs->host[WORD(f[i])] |= BIT(f[i]);
        fs->max[WORD(f[i])] |= BIT(f[i]);
        fs->def[WORD(f[i])] |= BIT(f[i]);
    }
    fs->def[WORD(XEN_X86_FEATURE_VMX)] &= ~BIT(XEN_X86_FEATURE_VMX);
    if ( itsc )
    {
        fs->host[WORD(XEN_X86_FEATURE_ITSC)] |= BIT(XEN_X86_FEATURE_ITSC);
        fs->max[WORD(XEN_X86_FEATURE_ITSC)] |= BIT(XEN_X86_FEATURE_ITSC);
    }
}

static const struct xg_cpuid_req hvm_default = {
    .hvm = true, .nx = true, .pae = true,
};

static void test_default(void **state)
{
    struct xg_featuresets fs;
    uint32_t out[XG_CPUID_WORDS];

    (void)state;
    host(&fs, true);
    assert_int_equal(xg_cpuid_compose(&hvm_default, &fs, out, NULL), 0);
    assert_memory_equal(out, fs.def, W * sizeof(uint32_t));
}

static void test_flags(void **state)
{
    struct xg_featuresets fs;
    struct xg_cpuid_req r = hvm_default;
    uint32_t out[XG_CPUID_WORDS];

    (void)state;
    host(&fs, true);
    r.nx = r.pae = false;
    r.nomigrate = r.nested_virt = true;
    assert_int_equal(xg_cpuid_compose(&r, &fs, out, NULL), 0);
    assert_false(has(out, XEN_X86_FEATURE_NX));
    assert_false(has(out, XEN_X86_FEATURE_PAE));
    assert_true(has(out, XEN_X86_FEATURE_ITSC));
    /* Both asked for, though max has no SVM: Xen keeps the host's. */
    assert_true(has(out, XEN_X86_FEATURE_VMX));
    assert_true(has(out, XEN_X86_FEATURE_SVM));
    assert_true(has(out, XEN_X86_FEATURE_AVX2));
    host(&fs, false);
    assert_int_equal(xg_cpuid_compose(&r, &fs, out, NULL), 0);
    assert_false(has(out, XEN_X86_FEATURE_ITSC));   /* host has none */
}

static void test_user_featureset(void **state)
{
    struct xg_featuresets fs;
    struct xg_cpuid_req r = hvm_default;
    uint32_t user[W + 2], out[XG_CPUID_WORDS];

    (void)state;
    host(&fs, false);
    memcpy(user, fs.def, W * sizeof(uint32_t));
    user[W] = user[W + 1] = 0;      /* a pool's zero-extended set */
    user[WORD(XEN_X86_FEATURE_AVX2)] &= ~BIT(XEN_X86_FEATURE_AVX2);
    r.featureset = user;
    r.nr_featureset = W + 2;
    assert_int_equal(xg_cpuid_compose(&r, &fs, out, NULL), 0);
    assert_false(has(out, XEN_X86_FEATURE_AVX2));
    assert_true(has(out, XEN_X86_FEATURE_NX));
    r.nr_featureset = 3;            /* shorter: zero-extended */
    assert_int_equal(xg_cpuid_compose(&r, &fs, out, NULL), 0);
    assert_int_equal(out[W - 1], 0);
}

static void test_errors(void **state)
{
    struct xg_featuresets fs;
    struct xg_cpuid_req r = hvm_default;
    struct meminit_error e = { 0 };
    uint32_t user[W + 1], out[XG_CPUID_WORDS];

    (void)state;
    host(&fs, false);
    memcpy(user, fs.def, W * sizeof(uint32_t));
    user[W] = 0x10;
    r.featureset = user;
    r.nr_featureset = W + 1;
    assert_int_equal(xg_cpuid_compose(&r, &fs, out, &e), -EINVAL);
    assert_string_equal(e.step, "cpuid");
    assert_string_equal(e.msg, "platform/featureset: word 16 is 00000010, "
                        "but this host has 16 words");
    meminit_error_clear(&e);
    user[W] = 0;
    user[WORD(XEN_X86_FEATURE_AVX512F)] |= BIT(XEN_X86_FEATURE_AVX512F);
    user[WORD(XEN_X86_FEATURE_SVM)] |= BIT(XEN_X86_FEATURE_SVM);
    assert_int_equal(xg_cpuid_compose(&r, &fs, out, &e), -EINVAL);
    assert_string_equal(e.msg, "platform/featureset: this host cannot give "
                        "an HVM guest svm avx512f");
    meminit_error_clear(&e);
    r.hvm = false;
    r.featureset = NULL;
    fs.nr = 0;
    assert_int_equal(xg_cpuid_compose(&r, &fs, out, &e), -EINVAL);
    assert_string_equal(e.msg, "the host's featureset has 0 words (1-64 "
                        "expected)");
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(xg_cpuid_feature_name(XEN_X86_FEATURE_AVX2), "AVX2");
    assert_string_equal(xg_cpuid_feature_name(XEN_X86_FEATURE_NX), "NX");
    assert_null(xg_cpuid_feature_name(1u << 20));
}

#define LEAF(l, s, a, b, c, d) { (l), (s), (a), (b), (c), (d) }

static void test_topology_intel(void **state)
{
    xen_cpuid_leaf_t l[] = {
        LEAF(0, XEN_CPUID_NO_SUBLEAF, 0xd, 0x756e6547, 0x6c65746e,
             0x49656e69),
        LEAF(1, XEN_CPUID_NO_SUBLEAF, 0x906ea, 0x00020800, 0, 0),
        LEAF(4, 0, 0x04000121, 0, 0, 0),
        LEAF(4, 1, 0x04000122, 0, 0, 0),
        LEAF(4, 2, 0, 0, 0, 0),
    };

    (void)state;
    xg_cpuid_topology(l, 5, 4);     /* 4 cores: ids 0..7 per socket */
    assert_int_equal((l[1].b >> 16) & 0xff, 8);
    assert_int_equal(l[1].b & 0xffff, 0x0800);
    assert_int_equal(l[2].a >> 26, 7);
    assert_int_equal(l[2].a & 0x3ffffff, 0x121);
    assert_int_equal(l[3].a >> 26, 7);
    assert_int_equal(l[4].a, 0);    /* no cache: untouched */
    xg_cpuid_topology(l, 5, 0);     /* 0: nothing to do */
    assert_int_equal((l[1].b >> 16) & 0xff, 8);
}

static void test_topology_amd(void **state)
{
    xen_cpuid_leaf_t l[] = {
        LEAF(0, XEN_CPUID_NO_SUBLEAF, 0xd, 0x68747541, 0x444d4163,
             0x69746e65),
        LEAF(1, XEN_CPUID_NO_SUBLEAF, 0x800f12, 0x00020800, 0, 0),
        LEAF(0x80000008, XEN_CPUID_NO_SUBLEAF, 0x3030, 0, 0x4001, 0),
        LEAF(4, 0, 0x04000121, 0, 0, 0),
    };

    (void)state;
    xg_cpuid_topology(l, 4, 3);     /* 3 cores: 6 ids, rounded to 8 */
    assert_int_equal((l[1].b >> 16) & 0xff, 8);
    assert_int_equal((l[2].c >> 12) & 0xf, 3);
    assert_int_equal(l[2].c & 0xff, 5);
    assert_int_equal(l[3].a, 0x04000121);   /* leaf 4 is Intel's */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default),
        cmocka_unit_test(test_flags),
        cmocka_unit_test(test_user_featureset),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_topology_intel),
        cmocka_unit_test(test_topology_amd),
    };

    return cmocka_run_group_tests_name("cpuid", tests, NULL, NULL);
}
