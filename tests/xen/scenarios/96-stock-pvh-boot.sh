# tests/xen/scenarios/96-stock-pvh-boot.sh: the reference PVH guests, built
# by the stock toolstack (xl create: libxl + libxenguest): Debian's kernel
# and the test initramfs, 256 MiB, 2 vCPUs, booted to the token its /init
# prints on hvc0 with MemTotal, the online vCPUs and the CPU flags; and the
# same with populate-on-demand (memory=256, maxmem=512; the guest prints
# MemTotal again 5 s later, its balloon driver having met the target).
# What the guests saw is kept in /tmp/xgref/ for 97-pvh-boot, which boots
# the same guests built by xenguest.
. /lib/xgtest.sh
. /lib/xgbuild.sh
. /lib/xgboot.sh

boot_stock_case stock-pvh-boot pvh pvh 256
BOOT_MEMWAIT=5 boot_stock_case stock-pvh-pod-boot pvh-pod pvh 256 512
