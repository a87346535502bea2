# tests/xen/scenarios/97-hvm-boot.sh: the HVM guest of 96-stock-hvm-boot,
# built by xenguest as xenopsd runs it (driver create with
# hvmloader/bios=seabios, driver exec xenguest -mode hvm_build -image
# hvmloader -mem_pnode N, introduce), with the device model started for it
# as libxl starts it (dm_start in /lib/xgboot.sh), then unpaused: it must
# boot to its token on the serial port and see what xl's guest saw
# (hvmloader's e820 and vCPU count, MemTotal, online vCPUs, CPU flags),
# exactly.
. /lib/xgtest.sh
. /lib/xgbuild.sh
. /lib/xgboot.sh
if [ ! -x /usr/local/bin/xenguest ]; then
    skip hvm-boot "no build/xenguest in the initramfs"
    exit 0
fi
nodes=$(xgtest_param nodes 4)
pnode=$((nodes > 2 ? 1 : 0))

boot_ours_case hvm-boot hvm hvm 256 $pnode
