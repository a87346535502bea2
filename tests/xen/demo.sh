# tests/xen/demo.sh: `make demo` (tests/xen/run --demo [--node N]).  On the
# emulated 4-node machine: the node table; a PV VM (1024 MiB, Debian's
# kernel, a tiny initramfs) built with xenguest on node N the way xenopsd
# builds it, with xenguest's plan beforehand and its placement report; then
# the same VM built by the stock toolstack (`xl create -p`: libxl +
# libxenguest, claim_mode=1), left to its automatic placement and with its
# vCPU pinned to node N; and where each put the memory, side by side.  The
# node is xgtest.node on the dom0 command line; by default node 3, which
# holds dom0 and so has the least free memory: xl's automatic placement
# goes elsewhere, xenopsd's -mem_pnode would not.  Then the same small
# guest (256 MiB, 2 vCPUs) booted as PV, PVH and HVM (hvmloader + SeaBIOS +
# syslinux from a disk, with the device model qemu-system-xen in dom0),
# each built once by xenguest on node N and once by xl: the time to the
# token the guest's init prints, and what the guest saw (MemTotal, online
# vCPUs; for HVM hvmloader's e820), side by side.
. /lib/xgtest.sh
. /lib/xgstock.sh
. /lib/xgboot.sh
node=$(xgtest_param node 3)
nodes=$(xgtest_param nodes 4)
mib=1024
if [ "$node" -ge "$nodes" ]; then
    fail demo "no node $node: the machine has nodes 0-$((nodes - 1))"
    exit 0
fi
echo "# the machine, as Xen sees it (xl info -n):"
xl info -n | sed -n '/^cpu_topology/,/^xen_major/p' | grep -v '^xen_major' |
    grep -v -e '^device' -e '^No device' | sed 's/^/  /'
echo "# free memory per node (driver nodes, in MiB):"
driver nodes | sed -n 's/^node=\([0-9]*\) memsize=\([0-9]*\) memfree=\([0-9]*\) distances=\(.*\)/\1 \2 \3 \4/p' |
    while read -r n size free dist; do
        echo "  node $n: $((free / 256)) of $((size / 256)) MiB free, distances $dist"
    done
echo "# the VM: PV, $mib MiB, 1 vCPU, /boot/guest-vmlinuz + /boot/guest-initrd.gz, wanted on node $node"

if [ ! -x /usr/local/bin/xenguest ]; then
    skip demo "no build/xenguest in the initramfs"
    exit 0
fi
echo "# 1. xenguest, as xenopsd runs it (driver create, then exec with the control fds)"
SBS_PLAN=1
sbs_run ours sbs_ours "$node" $mib
ok=$?
echo "#    its plan first (xenguest --domid D --mode linux_build --mem_max_mib $mib --mem_pnode $node --plan):"
printf '%s\n' "$SBS_PLANOUT" | sed 's/^/      /'
echo "#    the build (-mode linux_build -image ... -ramdisk ... -mem_max_mib $mib -mem_pnode $node):"
printf '%s\n' "$SBS_OUT" | grep -E '^read: |^verdict=|^exec elapsed' | sed 's/^/      /'
[ $ok = 0 ] || { fail demo "xenguest: $ours_err"; exit 0; }

echo "# 2. the stock builder: xl create -p (libxl + libxenguest, claim_mode=1)"
sbs_run auto sbs_stock $mib
echo "#    automatic placement: $(sbs_where auto)${auto_err:+failed: $auto_err}"
sbs_run pin sbs_stock $mib "nodes:$node"
echo "#    cpus=\"nodes:$node\": $(sbs_where pin)${pin_err:+failed: $pin_err}"
echo "#    (hard affinity only: libxl's automatic placement still runs and picks the soft"
echo "#    affinity; Xen's node affinity, which the stock builder's allocations follow,"
echo "#    goes with the soft mask when the two do not intersect)"
sbs_run expert sbs_stock $mib "nodes:$node" "nodes:$node"
echo "#    cpus=\"nodes:$node\" cpus_soft=\"nodes:$node\" (the expert's config: placement off,"
echo "#    both masks on node $node): $(sbs_where expert)${expert_err:+failed: $expert_err}"

echo "# where the memory went: MiB per node by Xen's count (free-memory delta)"
sbs_table "$nodes" "ours:xenguest -mem_pnode $node" "auto:xl create -p" \
    "pin:xl cpus=nodes:$node" "expert:xl cpus+cpus_soft=nodes:$node"
if [ -n "$auto_err$pin_err$expert_err" ]; then
    fail demo "stock build failed: ${auto_err}${pin_err:+ $pin_err}${expert_err:+ $expert_err}"
else
    pass demo "PV $mib MiB on node $node: xenguest $(sbs_where ours)| xl $(sbs_where auto)| xl cpus=nodes:$node $(sbs_where pin)| xl cpus=cpus_soft=nodes:$node $(sbs_where expert)"
fi

# The boots: PV, PVH and HVM, by xenguest and by xl.
echo "# the same guest booted: 256 MiB, 2 vCPUs, Debian's kernel + the test initramfs"
echo "#   (PV/PVH: kernel + initramfs; HVM: hvmloader, SeaBIOS, syslinux from a 32 MiB disk)"
rows=""
for t in pv pvh hvm; do
    for who in ours xl; do
        # _boot_try: built, started and booted (a second attempt only
        # after an HVM or PVH guest's triple fault, said in the line).
        if [ $who = ours ]; then
            _boot_try boot_ours $t "demo-ours-$t" 256 2 "$node"
        else
            _boot_try boot_xl $t "demo-xl-$t" 256 2
        fi
        st=$?
        label="$t by $([ $who = ours ] && echo "xenguest (node $node)" || echo xl)"
        if [ $st = 0 ]; then
            [ $t = hvm ] && boot_hvm_facts
            echo "#   $label: token after $((BOOT_MS / 1000)).$((BOOT_MS % 1000 / 100)) s"
            echo "      $BOOT_ALIVE"
            [ $t = hvm ] && echo "      hvmloader: $BOOT_HVMLOADER_VCPUS vCPUs, e820 $(printf '%s\n' "$BOOT_E820" | tr '\n' ',' | sed 's/,$//')"
            rows="$rows$(printf '%-26s %-10s %-12s %s' "$label" "$((BOOT_MS / 1000)) s" "$BOOT_MEM_KIB kB" "$BOOT_CPUS ($BOOT_ONLINE)")\n"
            pass "demo-$who-$t" "$(boot_line "$label")$BOOT_RETRY"
        else
            why=${BOOT_ERR:-$(boot_why)}$BOOT_RETRY
            echo "#   $label: did not boot: $why"
            rows="$rows$(printf '%-26s %s' "$label" "did not boot")\n"
            fail "demo-$who-$t" "$why"
        fi
        boot_destroy
    done
done
echo "# side by side:"
printf '  %-26s %-10s %-12s %s\n' guest "to token" MemTotal "vCPUs online"
printf "$rows" | sed 's/^/  /'
