/*
 * hvmparam.c - viridian, HPET, triple fault, x87 FIP width, time, TSC.
 */
#include <errno.h>
#include <string.h>

#include "hvmparam.h"

#include <xen/hvm/params.h>
#include <xen/sched.h>

#define STEP "platform"

static const uint64_t viridian_bit[XG_VIRIDIAN_NR] = {
    [XG_VIRIDIAN_TIME_REF_COUNT] = HVMPV_time_ref_count,
    [XG_VIRIDIAN_REFERENCE_TSC] = HVMPV_reference_tsc,
    [XG_VIRIDIAN_HCALL_REMOTE_TLB_FLUSH] = HVMPV_hcall_remote_tlb_flush,
    [XG_VIRIDIAN_APIC_ASSIST] = HVMPV_apic_assist,
    [XG_VIRIDIAN_CRASH_CTL] = HVMPV_crash_ctl,
    [XG_VIRIDIAN_STIMER] = HVMPV_synic | HVMPV_stimer,
    [XG_VIRIDIAN_HCALL_IPI] = HVMPV_hcall_ipi,
};

static bool on(const struct xg_platform *p, enum xg_viridian v)
{
    return p->viridian_feature[v] == 1;
}

uint64_t xg_viridian_mask(const struct xg_platform *p, bool vgpu)
{
    uint64_t mask = HVMPV_base_freq | HVMPV_cpu_hotplug;
    unsigned int i;

    if ( !p->viridian )
        return 0;
    for ( i = 0; i < XG_VIRIDIAN_NR; i++ )
        if ( on(p, (enum xg_viridian)i) )
            mask |= viridian_bit[i];
    if ( vgpu && p->viridian_feature[XG_VIRIDIAN_STIMER] == XG_ABSENT &&
         (on(p, XG_VIRIDIAN_TIME_REF_COUNT) ||
          on(p, XG_VIRIDIAN_REFERENCE_TSC)) )
        mask |= viridian_bit[XG_VIRIDIAN_STIMER];
    return mask;
}

static int fail(const char *what, struct meminit_error *e)
{
    int err = errno ?: EIO;

    return meminit_error_set(e, STEP, err, "%s: %s", what, strerror(err));
}

int xg_tsc_apply(xc_interface *xch, uint32_t domid,
                 const struct xg_platform *p, struct meminit_error *e)
{
    errno = 0;
    if ( xc_domain_set_tsc_info(xch, domid, p->tsc_mode, 0, 0, 0) )
        return fail("tsc_mode", e);
    return 0;
}

/* An explicit width only replaces Xen's "auto" (0). */
static int fip_width(xc_interface *xch, uint32_t domid, unsigned int width,
                     struct meminit_error *e)
{
    uint64_t old = 0;

    if ( !width )
        return 0;
    errno = 0;
    if ( xc_hvm_param_get(xch, domid, HVM_PARAM_X87_FIP_WIDTH, &old) )
        return fail("x87-fip-width", e);
    if ( !old && xc_hvm_param_set(xch, domid, HVM_PARAM_X87_FIP_WIDTH, width) )
        return fail("x87-fip-width", e);
    return 0;
}

int xg_hvm_params_apply(xc_interface *xch, uint32_t domid,
                        const struct xg_platform *p, bool vgpu,
                        struct meminit_error *e)
{
    uint64_t viridian = xg_viridian_mask(p, vgpu);
    int rc;

    errno = 0;
    if ( viridian &&
         xc_hvm_param_set(xch, domid, HVM_PARAM_VIRIDIAN, viridian) )
        return fail("viridian", e);
    if ( xc_hvm_param_set(xch, domid, HVM_PARAM_HPET_ENABLED, p->hpet) )
        return fail("hpet", e);
    if ( xc_hvm_param_set(xch, domid, HVM_PARAM_TRIPLE_FAULT_REASON,
                          SHUTDOWN_crash) )
        return fail("triple-fault reason", e);
    rc = fip_width(xch, domid, p->x87_fip_width, e);
    if ( rc )
        return rc;
    if ( xc_domain_set_time_offset(xch, domid,
                                   p->has_timeoffset ? p->timeoffset : 0) )
        return fail("timeoffset", e);
    return 0;
}
