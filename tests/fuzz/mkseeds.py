#!/usr/bin/env python3
# mkseeds.py - writes the seed corpora under tests/fuzz/corpus/<target>/.
#
# Not needed to build or run anything: the seeds it writes are committed.
# Run it (from the top of the tree) only to regenerate or extend them; the
# binary encodings here mirror the readers in fuzz_mask.c and fuzz_layout.c.
# Files whose names start with "crash-" are regression inputs from fuzzing
# runs and are left alone.
import os
import struct

TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
GiB = 1 << 30
MiB = 1 << 20


def write(target, name, data):
    d = os.path.join(TOP, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# ---- options: argv split at NUL bytes ---------------------------------------

TAIL = ("-domid 5 -store_port 1 -store_domid 0 -console_port 2 "
        "-console_domid 0 -mem_max_mib 4096 -mem_start_mib 4096").split()
OPTIONS = {
    "xenopsd-hvm": ["-controloutfd", "5", "-controlinfd", "6", "-mode",
                    "hvm_build", "-image", "/usr/libexec/xen/boot/hvmloader"]
                   + TAIL,
    "xenopsd-hvm-vgpu-pnode-pci": ["-controloutfd", "5", "-controlinfd", "6",
                                   "-mode", "hvm_build", "-image",
                                   "/usr/libexec/xen/boot/hvmloader", "-vgpu"]
                                  + TAIL + ["-mem_pnode", "1", "--force",
                                            "-pci_passthrough",
                                            "0000:03:00.0,04:00.1"],
    "xenopsd-pv": ["-controloutfd", "5", "-controlinfd", "6", "-mode",
                   "linux_build", "-image", "/boot/vmlinuz", "-cmdline",
                   "root=/dev/xvda1 ro console=hvc0", "-ramdisk", "",
                   "-features", "", "-flags", "0"] + TAIL,
    "xenopsd-pvh-modules": ["-controloutfd", "5", "-controlinfd", "6",
                            "-mode", "pvh_build", "-image", "/boot/vmlinuz",
                            "-cmdline", "console=hvc0", "-features", "",
                            "-flags", "0", "-module", "/boot/initrd.img",
                            "-cmdline", "rdinit=/init", "-module",
                            "/boot/ucode.bin"] + TAIL,
    "human-plan-json": ["--domid=5", "--mode=hvm_build", "--mem_max_mib=1024",
                        "--plan", "--report=json", "--numa-placement=on",
                        "--claim=host"],
    "human-placement-off": ["--mode", "linux_build", "--domid", "7",
                            "--mem_max_mib", "2048", "--image", "/k",
                            "--numa-placement=off", "--claim=off",
                            "-debuglog", "/tmp/xg.log"],
    "supports": ["-supports", "mem_pnode"],
    "help": ["--help"],
    "version": ["--version"],
    "plan-no-domain": ["--plan", "--mode", "hvm_build", "--mem_max_mib",
                       "4096", "--mem_pnode", "1", "--report=json"],
    "legacy-flags": ["-mode", "hvm_build", "-domid", "3", "-mem_max_mib",
                     "512", "-image", "/h", "-fork", "true", "-live",
                     "-debug", "-fake", "-no_incr_generationid", "-fd", "3"],
    "bad-number": ["-mode", "hvm_build", "-domid", "12x", "-mem_max_mib",
                   "512", "-image", "/h"],
    "trailing-option": ["-mode", "hvm_build", "-domid"],
    "repeated": ["-domid", "1", "-domid", "2"],
    "seventeen-modules": ["-mode", "pvh_build", "-domid", "1",
                          "-mem_max_mib", "64", "-image", "/k"]
                         + ["-module", "/m"] * 17,
    "mem-over-max": ["-mode", "hvm_build", "-domid", "1", "-mem_max_mib",
                     "1073741825", "-image", "/h"],
    "domid-reserved": ["-mode", "hvm_build", "-domid", "32752",
                       "-mem_max_mib", "64", "-image", "/h"],
    "pnode-64": ["-mode", "hvm_build", "-domid", "1", "-mem_max_mib", "64",
                 "-image", "/h", "-mem_pnode", "64"],
    "placement-off-with-pnode": ["-mode", "hvm_build", "-domid", "1",
                                 "-mem_max_mib", "64", "-image", "/h",
                                 "-mem_pnode", "0", "--numa-placement=off"],
    "ramdisk-with-hvm": ["-mode", "hvm_build", "-domid", "1", "-mem_max_mib",
                         "64", "-image", "/h", "-ramdisk", "/r"],
    "start-above-max": ["-mode", "hvm_build", "-domid", "1", "-mem_max_mib",
                        "64", "-mem_start_mib", "65", "-image", "/h"],
    "bad-pci": ["-mode", "hvm_build", "-domid", "1", "-mem_max_mib", "64",
                "-image", "/h", "-pci_passthrough", "0000:03:20.0"],
    "unknown-option": ["-mode", "hvm_build", "-frobnicate"],
    "empty-value": ["--domid=", "--mode=hvm_build"],
    "controlled-missing-ports": ["-controloutfd", "5", "-mode", "hvm_build",
                                 "-domid", "1", "-mem_max_mib", "64",
                                 "-image", "/h"],
    "no-arguments": [],
}


def options():
    for name, argv in OPTIONS.items():
        write("options", name, b"\0".join(a.encode() for a in argv))


# ---- platform: key=value lines ----------------------------------------------

PLATFORM = {
    "minimal": ["platform/vcpu/number=2"],
    "hvm-full": [
        "platform/vcpu/number=4", "platform/vcpu/current=2",
        "platform/vcpu/weight=256", "platform/vcpu/cap=0",
        "platform/nx=true", "platform/pae=1", "platform/apic=true",
        "platform/acpi=1", "platform/acpi_s3=0", "platform/acpi_s4=false",
        "platform/hpet=true", "platform/viridian=true",
        "platform/viridian_time_ref_count=1",
        "platform/viridian_reference_tsc=true",
        "platform/viridian_apic_assist=false",
        "platform/tsc_mode=default", "platform/timeoffset=-3600",
        "platform/nomigrate=false", "platform/nested-virt=false",
        "platform/cores-per-socket=2",
        "platform/featureset=1fdbfbff-bfebfbff-00000121-2c100800",
        "platform/x87-fip-width=8", "hvmloader/bios=seabios",
    ],
    "affinity": ["platform/vcpu/number=3", "platform/vcpu/0/affinity=1100",
                 "platform/vcpu/1/affinity=0011",
                 "platform/vcpu/2/affinity=11111111"],
    "pv-limits": ["pv", "platform/vcpu/number=1",
                  "/mh/limits/pv-kernel-max_size=33554432",
                  "/mh/limits/pv-ramdisk-max_size=134217728",
                  "platform/exp-nested-hvm=1"],
    "acpi-fixups": ["platform/vcpu/number=8", "platform/acpi=true",
                    "platform/acpi_s3=", "platform/acpi_s4=TRUE",
                    "hvmloader/bios=ovmf", "platform/tsc_mode=3"],
    "bad-weight": ["platform/vcpu/number=2", "platform/vcpu/weight=abc"],
    "bad-affinity": ["platform/vcpu/number=1",
                     "platform/vcpu/0/affinity=10x1"],
    "no-vcpus": ["platform/nx=false"],
    "vcpus-513": ["platform/vcpu/number=513"],
    "vcpus-empty": ["platform/vcpu/number="],
    "current-above-number": ["platform/vcpu/number=2",
                             "platform/vcpu/current=3"],
    "cap-above-limit": ["platform/vcpu/number=2", "platform/vcpu/cap=201"],
    "timeoffset-overflow": ["platform/vcpu/number=1",
                            "platform/timeoffset=2147483648"],
    "featureset-65-words": ["platform/vcpu/number=1",
                            "platform/featureset=" + ":".join(["1"] * 65)],
    "featureset-9-digits": ["platform/vcpu/number=1",
                            "platform/featureset=123456789"],
    "cores-not-dividing": ["platform/vcpu/number=6",
                           "platform/cores-per-socket=4"],
    "affinity-4097": ["platform/vcpu/number=1",
                      "platform/vcpu/0/affinity=" + "0" * 4096 + "1"],
    "affinity-all-zero": ["platform/vcpu/number=1",
                          "platform/vcpu/0/affinity=0000"],
    "bool-maybe": ["platform/vcpu/number=1", "platform/nx=maybe"],
    "bios-unknown": ["platform/vcpu/number=1", "hvmloader/bios=coreboot"],
    "fip-width-5": ["platform/vcpu/number=1", "platform/x87-fip-width=5"],
    "limit-overflow": ["platform/vcpu/number=1",
                       "/mh/limits/pv-kernel-max_size=18446744073709551616"],
}


def platform():
    for name, lines in PLATFORM.items():
        write("platform", name, "\n".join(lines).encode() + b"\n")


# ---- mask: op byte, map size (u16), then a string or a cpu table -----------

def mask():
    le16 = lambda v: struct.pack("<H", v)
    write("mask", "parse-8cpus", b"\0" + le16(1) + b"11110000")
    write("mask", "parse-all", b"\0" + le16(8) + b"1" * 64)
    write("mask", "parse-beyond-map", b"\0" + le16(1) + b"000000001")
    write("mask", "parse-bad-char", b"\0" + le16(4) + b"0102")
    write("mask", "parse-zero", b"\0" + le16(4) + b"0000")
    # Found by fuzzing (a harness bug): '0's beyond the map are accepted.
    write("mask", "parse-zeros-beyond-map", b"\0" + le16(1) + b"1111010000")
    write("mask", "parse-4096", b"\0" + le16(512) + b"01" * 2048)
    write("mask", "parse-4097", b"\0" + le16(520) + b"1" * 4097)
    cpus = bytes([0, 0, 1, 1, 2, 2, 3, 3, 8, 0])
    write("mask", "node-1", b"\1" + le16(2) + le16(len(cpus)) + b"\1" + cpus)
    write("mask", "node-none", b"\1" + le16(2) + le16(len(cpus)) + b"\5"
          + cpus)
    write("mask", "node-invalid", b"\1" + le16(2) + le16(len(cpus)) + b"\xff"
          + cpus)
    write("mask", "node-map-small", b"\1" + le16(1) + le16(len(cpus)) + b"\0"
          + cpus)


# ---- layout: a request, then a topology (see fuzz_layout.c) ---------------

def size(nbytes):
    """fz_size(): mode byte, u32 of pages >> shift, u16 misalignment."""
    pages = nbytes >> 12
    shift = 0
    while pages >> shift > 0xffffffff:
        shift += 1
    assert shift < 24 and (pages >> shift) << shift == pages
    if nbytes & 0xfff:
        return (bytes([(shift << 1) | 1]) + struct.pack("<I", pages >> shift)
                + struct.pack("<H", nbytes & 0xfff))
    return bytes([shift << 1]) + struct.pack("<I", pages >> shift)


def request(hvm=True, dm=True, total=0, target=None, max_order=None,
            low=0, high=0, mmio=0, mmio_size=0, vnuma=None):
    flags = (1 if hvm else 0) | (2 if dm else 0)
    flags |= 4 if target is not None else 0
    flags |= 8 if max_order is not None else 0
    flags |= 16 if vnuma else 0
    out = bytes([flags]) + size(total)
    if target is not None:
        out += size(target)
    if max_order is not None:
        out += bytes([max_order])
    out += size(low) + size(high) + size(mmio) + size(mmio_size)
    if vnuma:
        ranges, v2p = vnuma
        out += bytes([len(ranges), len(v2p)])
        for p in v2p:
            out += b"\xff" if p is None else b"\0" + bytes([p])
        for start, end, nid in ranges:
            out += size(start) + size(end - start) + bytes([nid])
    return out


def topology(nodes, pages=0, mask=0xffffffffffffffff, pnode=0):
    """nodes: (size byte, shift, free pages, [distances])."""
    out = bytes([len(nodes) - 1])
    for i, (b, shift, free, dist) in enumerate(nodes):
        out += bytes([b])
        if b >= 32:
            out += bytes([shift]) + struct.pack("<Q", free)
        for j, d in enumerate(dist):
            if j != i:
                out += bytes([(d - 10) // 10])
    return (out + struct.pack("<Q", pages) + b"\0" + struct.pack("<Q", mask)
            + bytes([pnode]))


def hvm(mib, **kw):
    b = mib * MiB
    low = min(b, 3 * GiB)
    high = b + GiB if b > 3 * GiB else 0
    return dict(hvm=True, total=b, low=low, high=high, mmio=3 * GiB,
                mmio_size=GiB, **kw)


FOUR = [(64, 18, 60000, [10, 20, 30, 20]), (64, 18, 2 ** 24, [20, 10, 20, 30]),
        (0, 0, 0, [30, 20, 10, 20]), (128, 17, 2 ** 23, [20, 30, 20, 10])]


def layout():
    topo = topology(FOUR, pages=2 ** 22, mask=0b1011, pnode=1)
    write("layout", "hvm-4g", request(**hvm(4096)) + topo)
    write("layout", "hvm-1g-no-dm", request(**hvm(1024, dm=False)) + topo)
    write("layout", "hvm-pod", request(**hvm(4096, target=GiB)) + topo)
    write("layout", "hvm-max-order-9", request(**hvm(8192, max_order=9))
          + topo)
    write("layout", "pv-2g", request(hvm=False, dm=False, total=2 * GiB)
          + topo)
    write("layout", "hvm-vnuma",
          request(**hvm(4096, vnuma=([(0, 2 * GiB, 0), (2 * GiB, 3 * GiB, 1),
                                      (4 * GiB, 5 * GiB, 1)], [1, 3])))
          + topo)
    write("layout", "pv-vnuma",
          request(hvm=False, dm=False, total=3 * GiB,
                  vnuma=([(0, GiB, 0), (GiB, 3 * GiB, 1)], [0, None])) + topo)
    write("layout", "hvm-unaligned-mmio",
          request(hvm=True, total=4 * GiB, low=0xb0000000,
                  high=4 * GiB + 4 * GiB - 0xb0000000, mmio=0xb0000000,
                  mmio_size=4 * GiB - 0xb0000000) + topo)
    write("layout", "hvm-bad-total", request(**dict(hvm(2048), total=GiB))
          + topo)
    write("layout", "zero-pages", request(hvm=False, dm=False, total=0)
          + topo)
    write("layout", "lowmem-above-4g",
          request(**dict(hvm(2048), low=5 * GiB)) + topo)
    write("layout", "lowmem-misaligned",
          request(**dict(hvm(2048), low=2 * GiB + 0x800)) + topo)
    write("layout", "pod-with-vnuma",
          request(**hvm(2048, target=GiB, vnuma=([(0, 2 * GiB, 0)], [0])))
          + topo)
    write("layout", "vnuma-overlap",
          request(hvm=False, dm=False, total=3 * GiB,
                  vnuma=([(0, 2 * GiB, 0), (GiB, 2 * GiB, 1)], [0, 1]))
          + topo)
    write("layout", "vnuma-bad-vnode",
          request(hvm=False, dm=False, total=GiB,
                  vnuma=([(0, GiB, 3)], [0, 1])) + topo)
    write("layout", "vnuma-161-ranges",
          request(hvm=False, dm=False, total=161 * 2 * MiB,
                  vnuma=([(i * 2 * MiB, (i + 1) * 2 * MiB, 0)
                          for i in range(161)], [0])) + topo)
    write("layout", "target-above-total",
          request(**hvm(1024, target=2 * GiB)) + topo)
    # Regressions (found by fuzz_layout): an MMIO hole starting at 0 was
    # cut after the VGA hole, leaving [0, 0xa0) inside it populated; without
    # a device model nothing at all was left to populate, and the build
    # "succeeded" with an empty guest.
    write("layout", "regress-mmio-hole-below-vga",
          request(**dict(hvm(3072), mmio=0, mmio_size=4 * GiB)) + topo)
    write("layout", "regress-mmio-hole-swallows-ram",
          request(**dict(hvm(3072, dm=False), mmio=0, mmio_size=4 * GiB))
          + topo)
    write("layout", "topo-memoryless-pnode",
          request(**hvm(512)) + topology(FOUR, pages=1 << 30, pnode=2))


if __name__ == "__main__":
    options()
    platform()
    mask()
    layout()
