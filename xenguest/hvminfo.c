/*
 * hvminfo.c - vCPU count, online map and APIC mode into hvm_info.
 */
#include <errno.h>
#include <string.h>

#include "hvminfo.h"

#define STEP "hvm-info"

uint8_t xg_hvm_info_sum(const struct hvm_info_table *t)
{
    const uint8_t *b = (const uint8_t *)t;
    uint8_t sum = 0;
    uint32_t i;

    for ( i = 0; i < t->length; i++ )
        sum += b[i];
    return sum;
}

static int check(const struct hvm_info_table *t,
                 const struct xg_hvm_info_cfg *cfg, struct meminit_error *e)
{
    if ( memcmp(t->signature, "HVM INFO", sizeof(t->signature)) ||
         t->length != sizeof(*t) )
        return meminit_error_set(e, STEP, EINVAL, "no hvm_info table at "
                                 "%#x (signature or length differ)",
                                 HVM_INFO_PADDR);
    if ( !cfg->nr_vcpus || cfg->nr_vcpus > HVM_MAX_VCPUS )
        return meminit_error_set(e, STEP, EINVAL, "%u vCPUs: an HVM guest "
                                 "has 1 to %u", cfg->nr_vcpus,
                                 HVM_MAX_VCPUS);
    if ( cfg->online > cfg->nr_vcpus )
        return meminit_error_set(e, STEP, EINVAL, "%u vCPUs online of %u",
                                 cfg->online, cfg->nr_vcpus);
    return 0;
}

int xg_hvm_info_fill(struct hvm_info_table *t,
                     const struct xg_hvm_info_cfg *cfg,
                     struct meminit_error *e)
{
    unsigned int i;
    int rc = check(t, cfg, e);

    if ( rc )
        return rc;
    t->apic_mode = cfg->apic;
    t->nr_vcpus = cfg->nr_vcpus;
    memset(t->vcpu_online, 0, sizeof(t->vcpu_online));
    for ( i = 0; i < cfg->online; i++ )
        t->vcpu_online[i / 8] |= 1u << (i % 8);
    t->checksum = 0;
    t->checksum = (uint8_t)-xg_hvm_info_sum(t);
    return 0;
}

int xg_hvm_info_write(struct xc_dom_image *dom,
                      const struct xg_hvm_info_cfg *cfg,
                      struct meminit_error *e)
{
    uint8_t *page;

    errno = 0;
    page = xc_dom_pfn_to_ptr(dom, HVM_INFO_PFN, 1);
    if ( !page )
        return meminit_error_set(e, STEP, errno, "mapping gfn %#x: %s",
                                 HVM_INFO_PFN, strerror(errno ?: EIO));
    return xg_hvm_info_fill((struct hvm_info_table *)(page + HVM_INFO_OFFSET),
                            cfg, e);
}
