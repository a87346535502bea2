/*
 * firmware.c - SeaBIOS, OVMF and iPXE for hvmloader.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "firmware.h"

#define STEP "firmware"

/* OVMF_PATH's directory plus the override's file name. */
static int ovmf_path(const char *ovmf, const char *override,
                     struct xg_firmware *fw, struct meminit_error *e)
{
    const char *slash = strrchr(ovmf, '/');
    int dir = slash ? (int)(slash - ovmf) : 1;

    if ( strchr(override, '/') || !strcmp(override, ".") ||
         !strcmp(override, "..") || !override[0] )
        return meminit_error_set(e, STEP, EINVAL, "platform/ovmf-override: "
                                 "\"%s\" must be a file name in %.*s",
                                 override, dir, slash ? ovmf : ".");
    snprintf(fw->path, sizeof(fw->path), "%.*s/%s", dir,
             slash ? ovmf : ".", override);
    return 0;
}

int xg_firmware_choose(enum xg_bios bios, const char *ovmf_override,
                       const struct xg_firmware_paths *paths,
                       struct xg_firmware *fw, struct meminit_error *e)
{
    *fw = (struct xg_firmware){ .path = "" };
    switch ( bios )
    {
    case XG_BIOS_DEFAULT:
        return 0;
    case XG_BIOS_SEABIOS:
        snprintf(fw->path, sizeof(fw->path), "%s", paths->seabios);
        return 0;
    case XG_BIOS_OVMF:
        if ( ovmf_override )
            return ovmf_path(paths->ovmf, ovmf_override, fw, e);
        snprintf(fw->path, sizeof(fw->path), "%s", paths->ovmf);
        return 0;
    case XG_BIOS_ROMBIOS:
        fw->ipxe = paths->ipxe;
        return 0;
    }
    return meminit_error_set(e, STEP, EINVAL, "hvmloader/bios: unknown "
                             "BIOS %d", (int)bios);
}

static int open_fail(const char *path, int err, struct meminit_error *e)
{
    return meminit_error_set(e, STEP, err, "%s: %s", path, strerror(err));
}

static int map_file(struct xg_firmware *fw, struct meminit_error *e)
{
    struct stat st;
    int fd = open(fw->path, O_RDONLY | O_CLOEXEC);
    int rc = 0;

    if ( fd < 0 )
        return open_fail(fw->path, errno, e);
    if ( fstat(fd, &st) )
        rc = open_fail(fw->path, errno, e);
    else if ( !S_ISREG(st.st_mode) || !st.st_size )
        rc = meminit_error_set(e, STEP, EINVAL, "%s: not a firmware image "
                               "(empty or not a file)", fw->path);
    else if ( st.st_size > XG_FIRMWARE_MAX )
        rc = meminit_error_set(e, STEP, EFBIG, "%s: %lld bytes, more than "
                               "%u", fw->path, (long long)st.st_size,
                               XG_FIRMWARE_MAX);
    if ( !rc )
    {
        fw->data = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd,
                        0);
        if ( fw->data == MAP_FAILED )
            rc = open_fail(fw->path, errno, e), fw->data = NULL;
        else
            fw->len = (size_t)st.st_size;
    }
    close(fd);
    return rc;
}

int xg_firmware_load(struct xg_firmware *fw, struct xc_dom_image *dom,
                     struct meminit_error *e)
{
    int rc = 0;

    if ( fw->path[0] )
        rc = map_file(fw, e);
    if ( !rc && fw->data )
    {
        dom->system_firmware_module.data = fw->data;
        dom->system_firmware_module.length = (uint32_t)fw->len;
    }
    if ( rc || !fw->ipxe )
        return rc;
    if ( access(fw->ipxe, R_OK) )
        return open_fail(fw->ipxe, errno, e);
    errno = 0;
    if ( xc_dom_module_file(dom, fw->ipxe, "ipxe") )
        return open_fail(fw->ipxe, errno ?: EIO, e);
    return 0;
}

void xg_firmware_release(struct xg_firmware *fw)
{
    if ( fw->data )
        munmap(fw->data, fw->len);
    fw->data = NULL;
    fw->len = 0;
}
