/*
 * firmware.h - the firmware an HVM guest boots with, as hvmloader/bios asks.
 *
 * Contract:
 *  - hvmloader (the -image of an HVM build) picks its BIOS from the
 *    xenstore key hvmloader/bios and takes it from a module named
 *    "firmware" (dom->system_firmware_module) unless it has that BIOS
 *    built in. Choice (XenServer's hvm_load_firmware_module, extended with
 *    libxl's SeaBIOS module for hvmloaders built without one, as Debian's):
 *      absent or ""  no module: hvmloader's own default (XenServer);
 *      "seabios"     SeaBIOS from paths->seabios (Debian: seabios package);
 *      "ovmf"        OVMF from paths->ovmf (Debian: ovmf package), or the
 *                    file platform/ovmf-override names in that directory;
 *      "rombios"     no module (hvmloader's built-in ROMBIOS) and the iPXE
 *                    ROM from paths->ipxe as the module "ipxe", the only
 *                    BIOS hvmloader hands it to (hvmloader.c, 4.17).
 *    platform.c has already refused any other value of the key.
 *  - Paths default to the Makefile's SEABIOS_PATH, OVMF_PATH, IPXE_PATH and
 *    can be overridden on the command line (--seabios, --ovmf, --ipxe).
 *  - Errors: -EINVAL for an ovmf-override with a '/', -errno when the file
 *    cannot be opened or read (message: which firmware, the path, why),
 *    -EFBIG for a file over XG_FIRMWARE_MAX bytes. Step "firmware".
 *  - xg_firmware_load() keeps the file mapped in *fw until
 *    xg_firmware_release(), after xc_dom_release().
 */
#ifndef XG_FIRMWARE_H
#define XG_FIRMWARE_H

#include <stddef.h>

#include <xenctrl.h>
#include <xenguest.h>

#include "error.h"
#include "platform.h"

#define XG_FIRMWARE_MAX  (16u << 20)    /* bytes: OVMF is 2-4 MiB */

struct xg_firmware_paths {
    const char *seabios;
    const char *ovmf;
    const char *ipxe;
};

struct xg_firmware {
    char path[256];             /* the system firmware; "" when none */
    const char *ipxe;           /* the iPXE ROM; NULL when none */
    void *data;                 /* mapped system firmware */
    size_t len;
};

/* Pure: which files, from the key, the override and the paths. */
int xg_firmware_choose(enum xg_bios bios, const char *ovmf_override,
                       const struct xg_firmware_paths *paths,
                       struct xg_firmware *fw, struct meminit_error *e);

/* Map the system firmware into dom, add the iPXE module. 0 or -errno. */
int xg_firmware_load(struct xg_firmware *fw, struct xc_dom_image *dom,
                     struct meminit_error *e);

void xg_firmware_release(struct xg_firmware *fw);

#endif /* XG_FIRMWARE_H */
