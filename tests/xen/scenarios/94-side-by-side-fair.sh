# tests/xen/scenarios/94-side-by-side-fair.sh: xenguest -mem_pnode P against
# the stock toolstack at its best: `xl create -p` with the configuration an
# expert writes to get node P, cpus="nodes:P" plus cpus_soft="nodes:P".
# cpus= alone is hard affinity only: libxl's automatic NUMA placement still
# runs, picks a node for the soft affinity, and Xen's node affinity (which
# the stock builder's node-less allocations follow) goes with the soft mask
# when hard and soft do not intersect; a soft affinity turns placement off
# (libxl_dom.c libxl__build_pre(), xl_parse.c, 4.17), so both masks name P.
# Every build starts from settled memory: Xen's idle scrubber has nothing
# left on any node (debug key 'H'), and the two builders alternate which
# goes first. PV, 1 GiB, the same kernel, initramfs and command line.
# PASS when all four builds were made and measured; the line says where
# each put the guest (Xen's own per-node count) and how long it took.
# xgtest-timeout: 600
. /lib/xgtest.sh
. /lib/xgstock.sh
name=side-by-side-fair
if [ ! -x /usr/local/bin/xenguest ]; then
    skip $name "no build/xenguest in the initramfs"
    exit 0
fi
nodes=$(xgtest_param nodes 4)
mib=1024
pnode=$((nodes - 2))
[ $pnode -lt 0 ] && pnode=0
expert="nodes:$pnode"
SBS_SETTLE=1
why=""

ours() { sbs_run "$1" sbs_ours $pnode $mib || why="$why $1: $SBS_ERR;"; }
xl_expert() {
    sbs_run "$1" sbs_stock $mib "$expert" "$expert" || why="$why $1: $SBS_ERR;"
}

ours o1; xl_expert x1
xl_expert x2; ours o2
for k in o1 x1 x2 o2; do
    eval "note \"$k: scrub before: \$${k}_scrub\""
done
note "PV $mib MiB; MiB per node by Xen's count (free-memory delta):"
sbs_table "$nodes" "o1:ours, 1st" "x1:xl expert, 2nd" "x2:xl expert, 1st" \
    "o2:ours, 2nd"

line="PV $mib MiB for node $pnode from settled memory; round 1 (ours first): xenguest -mem_pnode $pnode $(sbs_where o1)in $(sbs_ms o1) ms, xl cpus=cpus_soft=\"$expert\" $(sbs_where x1)in $(sbs_ms x1) ms; round 2 (xl first): xl $(sbs_where x2)in $(sbs_ms x2) ms, xenguest $(sbs_where o2)in $(sbs_ms o2) ms"
for k in o1 o2; do
    eval "_x=\$${k}_xen"
    on=$(sbs_get "$_x" $pnode)
    [ "$on" -ge $((mib * 256 * 99 / 100)) ] ||
        why="$why $k: xenguest put only $(sbs_mib "$on") MiB on node $pnode;"
done
if [ -z "$why" ]; then
    pass $name "$line"
else
    fail $name "$why | $line"
fi
