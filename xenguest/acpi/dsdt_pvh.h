/*
 * dsdt_pvh.h - the PVH DSDT, compiled by iasl from dsdt_pvh.asl at build
 * time and turned into C by aml2c (see the Makefile's ACPI block).
 *
 * Contract: xg_dsdt_pvh holds a whole DSDT (header, checksum and AML, as
 * iasl wrote it), xg_dsdt_pvh_len bytes; it declares a processor Device for
 * vCPUs 0 .. xg_dsdt_pvh_cpus - 1. Only xenguest/acpi.c uses these.
 */
#ifndef XG_ACPI_DSDT_PVH_H
#define XG_ACPI_DSDT_PVH_H

#include <stdint.h>

extern const uint8_t xg_dsdt_pvh[];
extern const uint32_t xg_dsdt_pvh_len;
extern const unsigned int xg_dsdt_pvh_cpus;

#endif /* XG_ACPI_DSDT_PVH_H */
