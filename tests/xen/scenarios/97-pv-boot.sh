# tests/xen/scenarios/97-pv-boot.sh: the PV guest of 96-stock-pv-boot, built
# by xenguest as xenopsd runs it (driver create, which sets the memory map
# limit to memory/static-max as xenopsd's build_pre does; driver exec
# xenguest -mode linux_build -image Debian's kernel -ramdisk the test
# initramfs -mem_pnode N; introduce, unpause), 2 vCPUs: it must boot to its
# token and see what xl's guest saw (MemTotal, online vCPUs, CPU flags),
# exactly.
. /lib/xgtest.sh
. /lib/xgbuild.sh
. /lib/xgboot.sh
if [ ! -x /usr/local/bin/xenguest ]; then
    skip pv-boot "no build/xenguest in the initramfs"
    exit 0
fi
nodes=$(xgtest_param nodes 4)
pnode=$((nodes > 2 ? 3 : 1))

boot_ours_case pv-boot pv pv 256 $pnode
