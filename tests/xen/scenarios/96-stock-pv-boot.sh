# tests/xen/scenarios/96-stock-pv-boot.sh: the reference PV guest, built by
# the stock toolstack (xl create: libxl + libxenguest): Debian's kernel and
# the test initramfs, 256 MiB, 2 vCPUs, booted to the token its /init
# prints on hvc0 with MemTotal, the online vCPUs and the CPU flags.  What it
# saw is kept in /tmp/xgref/pv for 97-pv-boot.
. /lib/xgtest.sh
. /lib/xgbuild.sh
. /lib/xgboot.sh

boot_stock_case stock-pv-boot pv pv 256
