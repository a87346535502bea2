/*
 * dsdt_pvh.asl - the DSDT of a PVH guest (no device model): one processor
 * Device per possible vCPU and nothing else.
 *
 * Contract with xenguest/acpi.c (which fills the info page):
 *  - The info page is at 0xFC000000 (libxl's ACPI_INFO_PHYSICAL_ADDRESS).
 *    Its first 40 bytes are laid out as libacpi's struct acpi_info (Xen
 *    4.17 tools/libacpi/build.c); this DSDT reads only NCPU, the u16 at
 *    offset 2 (platform/vcpu/number). Bytes 64..127 are ours: the online
 *    bitmap, bit (i % 8) of byte 64 + i / 8 set when vCPU i is online at
 *    boot (platform/vcpu/current), as hvm_info's vcpu_online.
 *  - Processor i is \_SB.PRxx (i < 256, two hex digits, libxl's names) or
 *    \_SB.Pxxx (i >= 256), a Device with _HID ACPI0007 and _UID i; the MADT
 *    entry of vCPU i carries the same id (Local APIC: ACPI processor id i;
 *    Local x2APIC: ACPI processor UID i).
 *  - _STA is 0xF for a vCPU below NCPU whose online bit is set, else 0:
 *    the same answer as libacpi's _STA, which reads the MADT entry's
 *    enabled flag. vCPUs brought online later go through xenstore
 *    (cpu/N/availability), not ACPI hotplug.
 *
 * Unlike Xen 4.17's PVH DSDT (mk_dsdt --maxcpu any --dm-version none) this
 * one has no CPU hotplug GPE handler, no PRST port region (0xaf00) and no
 * P_BLK (0xb010): nothing backs those I/O ports in a PVH guest, which is why
 * upstream dropped them from the PVH DSDT after 4.17 (commit b59e564aa0,
 * "libacpi: Remove CPU hotplug and GPE handling from PVH DSDTs"). The
 * processors are Device() objects, not the legacy Processor() that iasl
 * warns about, because only Device() can carry the UIDs >= 256 that x2APIC
 * entries need.
 *
 * The processor Devices come from mk-dsdt-cpus (one per XG_MAX_VCPUS) in a
 * generated file included below.
 */
DefinitionBlock ("", "DSDT", 5, "Xen", "HVM", 0)
{
    Scope (\_SB)
    {
        /* libacpi's struct acpi_info: only the vCPU count is read here. */
        OperationRegion (BIOS, SystemMemory, 0xFC000000, 40)
        Field (BIOS, ByteAcc, NoLock, Preserve)
        {
            Offset (2),
            NCPU, 16
        }

        /* The boot-time online bitmap, one bit per vCPU (512). */
        OperationRegion (ONLR, SystemMemory, 0xFC000040, 64)
        Field (ONLR, ByteAcc, NoLock, Preserve)
        {
            ONLB, 512
        }

        /* _STA of vCPU Arg0: present and enabled iff below NCPU and online. */
        Method (PSTA, 1, Serialized)
        {
            If (LGreaterEqual (Arg0, NCPU))
            {
                Return (Zero)
            }
            Store (ONLB, Local0)
            Store (DerefOf (Index (Local0, ShiftRight (Arg0, 3))), Local1)
            If (And (ShiftRight (Local1, And (Arg0, 7)), One))
            {
                Return (0x0F)
            }
            Return (Zero)
        }

        Include ("dsdt_pvh_cpus.asl")
    }
}
