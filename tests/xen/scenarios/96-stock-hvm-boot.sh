# tests/xen/scenarios/96-stock-hvm-boot.sh: the reference HVM guest, built
# by the stock toolstack (xl create: libxl + libxenguest, hvmloader +
# SeaBIOS, the device model qemu-system-xen in dom0, the disk
# /boot/guest-disk.img through qdisk): 256 MiB, 2 vCPUs, booted through
# syslinux to the token its /init prints on the serial port with MemTotal,
# the online vCPUs and the CPU flags; hvmloader's e820 and vCPU count from
# its "(dN)" lines in xl dmesg.  Kept in /tmp/xgref/ for 97-hvm-boot.
. /lib/xgtest.sh
. /lib/xgbuild.sh
. /lib/xgboot.sh

boot_stock_case stock-hvm-boot hvm hvm 256
