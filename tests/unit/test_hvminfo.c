/*
 * test_hvminfo.c - the hvm_info table hvmloader reads: the bytes written
 * and the checksum, starting from the table libxenguest 4.17 leaves
 * (build_hvm_info: 1 vCPU, all online, APIC on, memory fields).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "hvminfo.h"

/* The page as libxenguest leaves it, with its own checksum. */
static void libxenguest_table(struct hvm_info_table *t)
{
    memset(t, 0, sizeof(*t));
    memcpy(t->signature, "HVM INFO", 8);
    t->length = sizeof(*t);
    t->apic_mode = 1;
    t->nr_vcpus = 1;
    memset(t->vcpu_online, 0xff, sizeof(t->vcpu_online));
    t->low_mem_pgend = 0xf0000;
    t->high_mem_pgend = 0x110000;
    t->reserved_mem_pgstart = 0xfeff8;
    t->checksum = (uint8_t)-xg_hvm_info_sum(t);
}

static void test_bytes(void **state)
{
    struct hvm_info_table t;
    struct xg_hvm_info_cfg cfg = { .apic = true, .nr_vcpus = 4,
                                   .online = 3 };
    struct meminit_error e = { 0 };
    const uint8_t *b = (const uint8_t *)&t;

    (void)state;
    libxenguest_table(&t);
    assert_int_equal(xg_hvm_info_fill(&t, &cfg, &e), 0);
    assert_memory_equal(b, "HVM INFO", 8);
    assert_int_equal(b[13], 1);                     /* apic_mode */
    assert_int_equal(t.nr_vcpus, 4);
    assert_int_equal(b[offsetof(struct hvm_info_table, nr_vcpus)], 4);
    assert_int_equal(t.vcpu_online[0], 0x07);       /* vCPUs 0-2 */
    assert_int_equal(t.vcpu_online[1], 0);
    assert_int_equal(t.low_mem_pgend, 0xf0000);     /* left alone */
    assert_int_equal(t.high_mem_pgend, 0x110000);
    assert_int_equal(xg_hvm_info_sum(&t), 0);
    assert_null(e.step);
}

static void test_full_and_apic_off(void **state)
{
    struct hvm_info_table t;
    struct xg_hvm_info_cfg cfg = { .apic = false, .nr_vcpus = HVM_MAX_VCPUS,
                                   .online = HVM_MAX_VCPUS };
    unsigned int i;

    (void)state;
    libxenguest_table(&t);
    assert_int_equal(xg_hvm_info_fill(&t, &cfg, NULL), 0);
    assert_int_equal(t.apic_mode, 0);
    for ( i = 0; i < sizeof(t.vcpu_online); i++ )
        assert_int_equal(t.vcpu_online[i], 0xff);
    assert_int_equal(xg_hvm_info_sum(&t), 0);
    cfg.online = 9;
    assert_int_equal(xg_hvm_info_fill(&t, &cfg, NULL), 0);
    assert_int_equal(t.vcpu_online[0], 0xff);
    assert_int_equal(t.vcpu_online[1], 0x01);
    assert_int_equal(t.vcpu_online[2], 0);
    assert_int_equal(xg_hvm_info_sum(&t), 0);
}

struct bad_case {
    unsigned int nr_vcpus, online;
    bool bad_signature;
    const char *msg;
};

static void test_errors(void **state)
{
    static const struct bad_case cases[] = {
        { 0, 0, false, "0 vCPUs: an HVM guest has 1 to 128" },
        { 129, 1, false, "129 vCPUs: an HVM guest has 1 to 128" },
        { 2, 3, false, "3 vCPUs online of 2" },
        { 2, 2, true, "no hvm_info table at 0x9f800 (signature or length "
          "differ)" },
    };
    unsigned int i;

    (void)state;
    for ( i = 0; i < sizeof(cases) / sizeof(cases[0]); i++ )
    {
        struct hvm_info_table t, before;
        struct xg_hvm_info_cfg cfg = { true, cases[i].nr_vcpus,
                                       cases[i].online };
        struct meminit_error e = { 0 };

        libxenguest_table(&t);
        if ( cases[i].bad_signature )
            t.signature[0] = 'X';
        before = t;
        assert_int_equal(xg_hvm_info_fill(&t, &cfg, &e), -EINVAL);
        assert_string_equal(e.step, "hvm-info");
        assert_string_equal(e.msg, cases[i].msg);
        assert_memory_equal(&t, &before, sizeof(t));   /* untouched */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bytes),
        cmocka_unit_test(test_full_and_apic_off),
        cmocka_unit_test(test_errors),
    };

    return cmocka_run_group_tests_name("hvminfo", tests, NULL, NULL);
}
