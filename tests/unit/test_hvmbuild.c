/*
 * test_hvmbuild.c - the safety checks an HVM or PVH build makes before it
 * touches the domain (XenServer's hvm_safety_check), and --force; and the
 * vCPU limit of HVM and PVH guests, checked at the same point.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "cmt.h"
#include "hvmbuild.h"

struct check_case {
    const char *name;
    enum xg_mode mode;
    uint64_t start_mib, max_mib;
    bool nested, hap, force;
    unsigned int nr_pci;
    int rc;
    const char *msg;
    unsigned int vcpus;         /* platform/vcpu/number, 0: 2 */
    const char *step;           /* NULL: "safety" */
};

#define POD_NESTED "populate-on-demand (-mem_start_mib below -mem_max_mib) " \
                   "and nested virtualisation are mutually exclusive " \
                   "(--force builds it anyway)"

static const struct check_case cases[] = {
    { "hvm, nothing special: built", XG_MODE_HVM, 1024, 1024, false, true,
      false, 0, 0, NULL, 0, NULL },
    { "hvm PoD: built", XG_MODE_HVM, 512, 1024, false, true, false, 0, 0,
      NULL, 0, NULL },
    { "hvm PoD + nested virt: refused", XG_MODE_HVM, 512, 1024, true, true,
      false, 0, -EINVAL, POD_NESTED, 0, NULL },
    { "pvh PoD + nested virt: refused", XG_MODE_PVH, 512, 1024, true, true,
      false, 0, -EINVAL, POD_NESTED, 0, NULL },
    { "hvm PoD + passthrough: refused", XG_MODE_HVM, 512, 1024, false, true,
      false, 1, -EINVAL, "populate-on-demand (-mem_start_mib below "
      "-mem_max_mib) and PCI passthrough are mutually exclusive (--force "
      "builds it anyway)", 0, NULL },
    { "hvm nested virt on shadow paging: refused", XG_MODE_HVM, 1024, 1024,
      true, false, false, 0, -EINVAL, "nested virtualisation needs HAP; "
      "the domain uses shadow paging (--force builds it anyway)", 0, NULL },
    { "hvm nested virt on HAP: built", XG_MODE_HVM, 1024, 1024, true, true,
      false, 0, 0, NULL, 0, NULL },
    { "hvm PoD + nested virt + --force: built", XG_MODE_HVM, 512, 1024,
      true, false, true, 1, 0, NULL, 0, NULL },
    { "pvh + passthrough: refused, --force or not", XG_MODE_PVH, 1024,
      1024, false, true, true, 1, -EINVAL, "PCI passthrough is not "
      "supported for PVH guests", 0, NULL },
    { "hvm with 128 vCPUs: built", XG_MODE_HVM, 1024, 1024, false, true,
      false, 0, 0, NULL, 128, NULL },
    { "hvm with 129 vCPUs: refused, --force or not", XG_MODE_HVM, 1024,
      1024, false, true, true, 0, -EINVAL, "platform/vcpu/number: 129 "
      "vCPUs, an HVM or PVH guest has at most 128 (HVM_MAX_VCPUS)", 129,
      "platform" },
    { "pvh with 512 vCPUs: refused", XG_MODE_PVH, 1024, 1024, false, true,
      false, 0, -EINVAL, "platform/vcpu/number: 512 vCPUs, an HVM or PVH "
      "guest has at most 128 (HVM_MAX_VCPUS)", 512, "platform" },
};

static void test_case(void **state)
{
    const struct check_case *c = *state;
    struct xg_options o = { .mode = c->mode, .mem_start_mib = c->start_mib,
                            .mem_max_mib = c->max_mib, .force = c->force,
                            .nr_pci = c->nr_pci };
    struct xg_platform p = { .nested_virt = c->nested,
                             .vcpus = c->vcpus ? c->vcpus : 2 };
    struct meminit_error e = { 0 };

    assert_int_equal(xg_hvm_check(&o, &p, c->hap, &e), c->rc);
    if ( !c->rc )
    {
        assert_null(e.step);
        return;
    }
    assert_string_equal(e.step, c->step ? c->step : "safety");
    assert_string_equal(e.msg, c->msg);
}

int main(void)
{
    struct CMUnitTest tests[CMT_SIZE(cases)];
    struct CMUnitTest *next = tests;

    CMT_CASES(next, cases, test_case);
    return CMT_RUN("hvmbuild", tests, next);
}
