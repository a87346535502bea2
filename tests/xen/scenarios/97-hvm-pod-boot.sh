# tests/xen/scenarios/97-hvm-pod-boot.sh: the populate-on-demand HVM guest
# of 96-stock-hvm-pod-boot, built by xenguest (-mem_start_mib 256
# -mem_max_mib 512, memory/target 262144 KiB as xenopsd writes it) with the
# device model started as libxl starts it: it must boot to its token (its
# balloon driver meeting the target before the PoD cache runs out) and see
# what xl's guest saw, exactly.
. /lib/xgtest.sh
. /lib/xgbuild.sh
. /lib/xgboot.sh
if [ ! -x /usr/local/bin/xenguest ]; then
    skip hvm-pod-boot "no build/xenguest in the initramfs"
    exit 0
fi
nodes=$(xgtest_param nodes 4)
pnode=$((nodes > 2 ? 1 : 0))

BOOT_MEMWAIT=5 boot_ours_case hvm-pod-boot hvm-pod hvm 256 $pnode 512
