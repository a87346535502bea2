/*
 * hvmparam.h - the HVM parameters and time settings a build leaves on an
 * HVM or PVH domain.
 *
 * Contract (XenServer's hvm_build_set_params and configure_tsc, XS 8.3):
 *  - TSC mode (platform/tsc_mode): every guest type, before the build.
 *  - HVM and PVH, after the image is built:
 *      HVM_PARAM_VIRIDIAN, only when platform/viridian is true: base_freq |
 *        cpu_hotplug | every platform/viridian_<name> that is true; stimer
 *        brings synic with it; with -vgpu, stimer defaults to on when it is
 *        not set and time_ref_count or reference_tsc is on (a vGPU guest
 *        may not migrate with those and no stimer);
 *      HVM_PARAM_HPET_ENABLED from platform/hpet (default on);
 *      HVM_PARAM_TRIPLE_FAULT_REASON = SHUTDOWN_crash (Xen's default is
 *        reboot: a triple-faulting guest would loop);
 *      HVM_PARAM_X87_FIP_WIDTH from platform/x87-fip-width, only when Xen
 *        still has 0 (auto): an explicit width never overrides another;
 *      the time offset (platform/timeoffset, seconds; 0 when absent).
 *  - Nested virtualisation is not a parameter in Xen 4.17 (it is a domain
 *    creation flag, and HVM_PARAM_NESTEDHVM is refused with EINVAL): the
 *    build only advertises VMX/SVM in CPUID (cpuid.h).
 *  - Errors: -errno of the first call that fails, naming the parameter.
 *    Step "platform".
 */
#ifndef XG_HVMPARAM_H
#define XG_HVMPARAM_H

#include <stdbool.h>
#include <stdint.h>

#include <xenctrl.h>

#include "error.h"
#include "platform.h"

/* Pure: the HVM_PARAM_VIRIDIAN value (0: viridian off). */
uint64_t xg_viridian_mask(const struct xg_platform *p, bool vgpu);

int xg_tsc_apply(xc_interface *xch, uint32_t domid,
                 const struct xg_platform *p, struct meminit_error *e);

int xg_hvm_params_apply(xc_interface *xch, uint32_t domid,
                        const struct xg_platform *p, bool vgpu,
                        struct meminit_error *e);

#endif /* XG_HVMPARAM_H */
