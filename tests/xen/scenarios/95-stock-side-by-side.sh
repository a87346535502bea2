# tests/xen/scenarios/95-stock-side-by-side.sh: the stock builder side by
# side.  The same PV guest (512 MiB, Debian's kernel and the test guest's
# initramfs) built three ways in one boot: xenguest as xenopsd runs it with
# -mem_pnode P; `xl create -p` (libxl + libxenguest, claim_mode=1) with its
# automatic NUMA placement; `xl create -p` with cpus="nodes:P", the plain
# way to name the node; and with cpus="nodes:P" cpus_soft="nodes:P", the
# expert's way. cpus= alone is hard affinity only: libxl's automatic
# placement still runs and picks the soft affinity, and Xen's node
# affinity (which the stock builder's node-less allocations follow) goes
# with the soft mask when the two do not intersect, so the guest can land
# on another node; a soft affinity turns placement off (libxl_dom.c
# libxl__build_pre(), 4.17). Scenario 94 compares the expert's build with
# ours from settled memory in alternating order.  Per-node MiB, by Xen's own count and by free-memory
# deltas, and the creation times are printed side by side.  Then the same
# for a PVH and an HVM guest (xenguest -mem_pnode P against xl with
# cpus="nodes:P"; for HVM xl starts the device model as well).  This
# reports; it does not judge: PASS when every build was made and measured.
. /lib/xgtest.sh
. /lib/xgstock.sh
name=stock-side-by-side
if [ ! -x /usr/local/bin/xenguest ]; then
    skip $name "no build/xenguest in the initramfs"
    exit 0
fi
nodes=$(xgtest_param nodes 4)
mib=512
pnode=$((nodes - 2))
[ $pnode -lt 0 ] && pnode=0
why=""

sbs_run ours sbs_ours $pnode $mib || why="$why xenguest: $ours_err;"
printf '%s\n' "$SBS_OUT" | grep -E '^read: (info|result|error):|^exec elapsed' | sed 's/^/  /'
sbs_run auto sbs_stock $mib || why="$why xl create: $auto_err;"
sbs_run pin sbs_stock $mib "nodes:$pnode" || why="$why xl create cpus=nodes:$pnode: $pin_err;"
sbs_run expert sbs_stock $mib "nodes:$pnode" "nodes:$pnode" ||
    why="$why xl create cpus=cpus_soft=nodes:$pnode: $expert_err;"

note "PV $mib MiB, 1 vCPU, same kernel, ramdisk and command line; MiB per node:"
note "Xen's count of the domain's pages (free-memory delta); time: creation wall time"
sbs_table "$nodes" "ours:xenguest -mem_pnode $pnode" "auto:xl create -p" \
    "pin:xl cpus=nodes:$pnode" "expert:xl cpus+cpus_soft=nodes:$pnode"
note "cpus= alone: hard affinity; libxl's placement still picks the soft affinity,"
note "and Xen's node affinity follows it; cpus_soft= too: the expert's config"
summary="PV: xenguest -mem_pnode $pnode: $(sbs_where ours)in ${ours_ms} ms; xl create: $(sbs_where auto)in ${auto_ms} ms; xl create cpus=nodes:$pnode: $(sbs_where pin)in ${pin_ms} ms; xl create cpus=cpus_soft=nodes:$pnode: $(sbs_where expert)in ${expert_ms} ms"

# The same for PVH (kernel + initramfs as a module) and HVM (hvmloader; xl
# starts the device model too): xenguest on node P, xl with cpus=nodes:P.
for t in pvh hvm; do
    T=$(echo $t | tr a-z A-Z)
    SBS_TYPE=$t
    sbs_run ${t}ours sbs_ours $pnode $mib || why="$why $T xenguest: $SBS_ERR;"
    sbs_run ${t}pin sbs_stock $mib "nodes:$pnode" || why="$why $T xl create: $SBS_ERR;"
    sbs_run ${t}expert sbs_stock $mib "nodes:$pnode" "nodes:$pnode" ||
        why="$why $T xl create cpus_soft: $SBS_ERR;"
    note "$T $mib MiB, 1 vCPU; MiB per node by Xen's count (free-memory delta):"
    sbs_table "$nodes" "${t}ours:xenguest -mem_pnode $pnode" "${t}pin:xl cpus=nodes:$pnode" \
        "${t}expert:xl cpus+cpus_soft=nodes:$pnode"
    summary="$summary | $T: xenguest $(sbs_where ${t}ours)in $(sbs_ms ${t}ours) ms; xl cpus=nodes:$pnode $(sbs_where ${t}pin)in $(sbs_ms ${t}pin) ms; xl cpus=cpus_soft=nodes:$pnode $(sbs_where ${t}expert)in $(sbs_ms ${t}expert) ms"
done
SBS_TYPE=pv

if [ -z "$why" ]; then
    pass $name "$summary"
else
    fail $name "$why"
fi
