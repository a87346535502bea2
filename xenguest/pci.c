/*
 * pci.c - BAR sizes from sysfs and reserved device memory from Xen for
 * -pci_passthrough devices.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pci.h"

#define STEP "passthrough"

struct sysfs_file {
    char path[256];
    FILE *f;
};

static int open_attr(const char *root, const struct xg_pt_dev *d,
                     const char *attr, struct sysfs_file *sf,
                     struct meminit_error *e)
{
    const struct xg_pci_sbdf *s = &d->sbdf;

    snprintf(sf->path, sizeof(sf->path),
             "%s/bus/pci/devices/%04x:%02x:%02x.%x/%s", root, s->seg, s->bus,
             s->dev, s->func, attr);
    sf->f = fopen(sf->path, "r");
    if ( sf->f )
        return 0;
    if ( errno == ENOENT )
        return meminit_error_set(e, STEP, ENOENT, "%04x:%02x:%02x.%x: no "
                                 "such device (%s)", s->seg, s->bus, s->dev,
                                 s->func, sf->path);
    return meminit_error_set(e, STEP, errno, "%s: %s", sf->path,
                             strerror(errno));
}

/* One line of "resource": start end flags, hex. Size 0 when unused. */
static int bar_line(const char *line, const char *path, unsigned int n,
                    uint64_t *size, struct meminit_error *e)
{
    unsigned long long start, end, flags;
    char extra;

    if ( sscanf(line, "%llx %llx %llx %c", &start, &end, &flags,
                &extra) != 3 || (start && end < start) )
        return meminit_error_set(e, STEP, EINVAL, "%s line %u: \"%.*s\" "
                                 "is not a resource range", path, n + 1,
                                 (int)strcspn(line, "\n"), line);
    *size = start ? end - start + 1 : 0;
    return 0;
}

static int bars(const char *root, struct xg_pt_dev *d,
                struct meminit_error *e)
{
    struct sysfs_file sf;
    char line[128];
    unsigned int n;
    uint64_t size = 0;
    int rc = open_attr(root, d, "resource", &sf, e);

    d->bar_bytes = 0;
    for ( n = 0; !rc && n < XG_PCI_RESOURCE_LINES; n++ )
    {
        if ( !fgets(line, sizeof(line), sf.f) )
            break;
        rc = bar_line(line, sf.path, n, &size, e);
        d->bar_bytes += rc ? 0 : size;
    }
    if ( !rc && ferror(sf.f) )
        rc = meminit_error_set(e, STEP, EIO, "%s: read error", sf.path);
    if ( sf.f )
        fclose(sf.f);
    return rc;
}

/* "vendor" / "device": one hex number, e.g. 0x1002. */
static int read_id(const char *root, const struct xg_pt_dev *d,
                   const char *attr, unsigned int *id,
                   struct meminit_error *e)
{
    struct sysfs_file sf;
    int rc = open_attr(root, d, attr, &sf, e);

    if ( rc )
        return rc;
    if ( fscanf(sf.f, "%x", id) != 1 )
        rc = meminit_error_set(e, STEP, EINVAL, "%s: not a hex id",
                               sf.path);
    fclose(sf.f);
    return rc;
}

int xg_pci_read_sysfs(const char *sysfs_root, struct xg_pt_dev *dev,
                      struct meminit_error *e)
{
    unsigned int vendor = 0, device = 0;
    int rc = bars(sysfs_root, dev, e);

    if ( !rc )
        rc = read_id(sysfs_root, dev, "vendor", &vendor, e);
    if ( !rc && vendor == XG_PCI_VENDOR_AMD )
        rc = read_id(sysfs_root, dev, "device", &device, e);
    dev->mxgpu = !rc && vendor == XG_PCI_VENDOR_AMD &&
                 device == XG_PCI_DEVICE_MXGPU;
    return rc;
}

static int rdm_fail(const struct xg_pt_dev *d, int err,
                    struct meminit_error *e)
{
    const struct xg_pci_sbdf *s = &d->sbdf;

    if ( err == E2BIG )
        return meminit_error_set(e, STEP, E2BIG, "%04x:%02x:%02x.%x has "
                                 "more than %u reserved memory ranges",
                                 s->seg, s->bus, s->dev, s->func,
                                 XG_MAX_RDM);
    return meminit_error_set(e, STEP, err, "%04x:%02x:%02x.%x: reserved "
                             "device memory: %s", s->seg, s->bus, s->dev,
                             s->func, strerror(err));
}

int xg_pci_read_rdm(xc_interface *xch, struct xg_pt_dev *dev,
                    struct meminit_error *e)
{
    struct xen_reserved_device_memory rdm[XG_MAX_RDM];
    const struct xg_pci_sbdf *s = &dev->sbdf;
    unsigned int nr = XG_MAX_RDM, i;
    uint8_t devfn = (uint8_t)((s->dev << 3) | s->func);

    dev->nr_rdm = 0;
    errno = 0;
    if ( xc_reserved_device_memory_map(xch, 0, s->seg, s->bus, devfn, rdm,
                                       &nr) )
    {
        /* No IOMMU driver, no reserved memory to honour. */
        if ( errno == ENOSYS || errno == EOPNOTSUPP )
            return 0;
        return rdm_fail(dev, errno == ENOBUFS ? E2BIG : (errno ?: EIO), e);
    }
    for ( i = 0; i < nr && i < XG_MAX_RDM; i++ )
        dev->rdm[i] = (struct xg_range){
            .start = (uint64_t)rdm[i].start_pfn << XC_PAGE_SHIFT,
            .size = (uint64_t)rdm[i].nr_pages << XC_PAGE_SHIFT };
    dev->nr_rdm = i;
    return 0;
}
