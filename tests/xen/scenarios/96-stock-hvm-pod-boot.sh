# tests/xen/scenarios/96-stock-hvm-pod-boot.sh: the reference HVM guest with
# populate-on-demand, built by xl (memory=256, maxmem=512): as
# 96-stock-hvm-boot, and the guest prints MemTotal again 5 s after its init
# started (the balloon driver meeting the target).  Kept in /tmp/xgref/ for
# 97-hvm-pod-boot.
. /lib/xgtest.sh
. /lib/xgbuild.sh
. /lib/xgboot.sh

BOOT_MEMWAIT=5 boot_stock_case stock-hvm-pod-boot hvm-pod hvm 256 512
