/*
 * pci.h - what a -pci_passthrough device brings to the memory map: the
 * size of its BARs (from sysfs), whether it is an AMD MxGPU, and its
 * reserved device memory (RMRR) from Xen.
 *
 * Contract:
 *  - xg_pci_read_sysfs() reads <sysfs_root>/bus/pci/devices/<SBDF>/
 *    resource, vendor and device. sysfs_root is "/sys" in production and
 *    a fake tree in the tests (xenguest's --sysfs-root). The BAR total is
 *    the sum of end - start + 1 over the first 7 lines (the 6 BARs and
 *    the expansion ROM) whose start is not 0, in bytes, as XenServer's
 *    xenguest computes it. Errors: -ENOENT when the device is not in sysfs
 *    (message names the SBDF and the path), -EINVAL for a line that is
 *    not three hex numbers or an end below its start, -errno of a read.
 *  - xg_pci_read_rdm() asks Xen (xc_reserved_device_memory_map, flags 0)
 *    for the device's reserved ranges, in bytes. ENOSYS/EOPNOTSUPP (no
 *    IOMMU driver) mean none. Errors: -errno of the call; -E2BIG beyond
 *    XG_MAX_RDM ranges.
 *  - Step name in the error record: "passthrough".
 */
#ifndef XG_PCI_H
#define XG_PCI_H

#include <xenctrl.h>

#include "error.h"
#include "memmap.h"

#define XG_PCI_VENDOR_AMD       0x1002
#define XG_PCI_DEVICE_MXGPU     0x692f  /* FirePro S7150 (x2) */
#define XG_PCI_RESOURCE_LINES   7

int xg_pci_read_sysfs(const char *sysfs_root, struct xg_pt_dev *dev,
                      struct meminit_error *e);

int xg_pci_read_rdm(xc_interface *xch, struct xg_pt_dev *dev,
                    struct meminit_error *e);

#endif /* XG_PCI_H */
