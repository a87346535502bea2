# tests/xen/scenarios/97-pvh-boot.sh: the PVH guests of 96-stock-pvh-boot,
# built by xenguest as xenopsd runs it (driver create, driver exec xenguest
# -mode pvh_build -image Debian's kernel -cmdline ... -module the test
# initramfs -mem_pnode N, introduce, unpause), 2 vCPUs: they must boot to
# their token and see what xl's guests saw (MemTotal, online vCPUs, CPU
# flags), exactly.  pvh-pod-boot: -mem_start_mib 256 -mem_max_mib 512 and
# memory/target 262144 (KiB), as xenopsd writes it.
. /lib/xgtest.sh
. /lib/xgbuild.sh
. /lib/xgboot.sh
if [ ! -x /usr/local/bin/xenguest ]; then
    skip pvh-boot "no build/xenguest in the initramfs"
    exit 0
fi
nodes=$(xgtest_param nodes 4)
pnode=$((nodes > 2 ? 2 : 0))

boot_ours_case pvh-boot pvh pvh 256 $pnode
BOOT_MEMWAIT=5 boot_ours_case pvh-pod-boot pvh-pod pvh 256 $pnode 512
