# tests/xen/scenarios/50-builds.sh: PV, PVH and HVM builds through the
# xenopsd path, each on a given node: the result line has the right kind of
# frames, the guest's memory is on that node (free-memory deltas and Xen's
# own per-node count agree with xenguest's report), and no claim is left.
. /lib/xgtest.sh
. /lib/xgbuild.sh

# check NAME TYPE MIB PNODE: build, judge, destroy.
check() {
    name=$1 type=$2 mib=$3 pnode=$4
    if ! b=$(xg_build "$type" "$mib" "$pnode"); then
        fail "$name" "$(xg_summary "$b")"
        xg_destroy "$b"
        return
    fi
    before=$(xg_get before "$b")
    final=$(xg_get final "$b")
    DOMID=$(xg_get domid "$b")
    why=""
    store=$(xg_get store "$b")
    case $type in
        pv) [ "$(xg_get protocol "$b")" = x86_64-abi ] ||
                why="$why PV result needs mfns and a protocol: '$final';" ;;
        *)  [ -z "$(xg_get protocol "$b")" ] && [ "$store" -lt 1048576 ] ||
                why="$why HVM/PVH result needs two guest frames below 4 GiB: '$final';" ;;
    esac
    report=$(xg_get info "$b" "^node $pnode: ")
    mine=$(echo "$report" | sed -n 's/^node [0-9]*: \([0-9]*\)\..*/\1/p')
    used=$(delta "$before" "$pnode")
    xen=$(xen_node_pages "$DOMID" "$pnode")
    info=$(driver dominfo "$DOMID")
    tot=$(kv tot_pages "$info")
    others=0
    for nb in $before; do
        [ "${nb%%:*}" = "$pnode" ] && continue
        others=$((others + $(delta "$before" "${nb%%:*}")))
    done
    set -- $(claim_left "$DOMID")
    [ "$1" = 0 ] && [ "$2" = 0 ] || why="$why claim left: domain $1, host $2;"
    # The guest's RAM is on pnode: the report, Xen's count and the free
    # delta agree within 2 MiB; other nodes lost at most 2 MiB in all.
    [ -n "$mine" ] || why="$why no report line for node $pnode;"
    [ $((xen / 256)) -ge $((mine - 2)) ] && [ $((xen / 256)) -le $((mine + 2)) ] ||
        why="$why Xen says $((xen / 256)) MiB on node $pnode, xenguest $mine MiB;"
    [ $((used / 256)) -ge $((mine - 2)) ] || why="$why node $pnode lost only $((used / 256)) MiB;"
    [ $others -le 512 ] || why="$why other nodes lost $others pages;"
    [ $((mine + 1)) -ge $((mib - 1)) ] || why="$why only $mine of $mib MiB on node $pnode;"
    driver destroy "$DOMID" >/dev/null
    if [ -z "$why" ]; then
        pass "$name" "$final; node $pnode: report ${mine} MiB, Xen $((xen / 256)) MiB, free delta $((used / 256)) MiB, others $others pages; tot_pages=$tot; $report"
    else
        fail "$name" "$why"
    fi
}

nodes=$(xgtest_param nodes 4)
node=0
while [ $node -lt "$nodes" ]; do
    check "hvm-on-node$node" hvm 512 $node
    node=$((node + 1))
done
check pv-on-node1 pv 512 1
check pvh-on-node2 pvh 512 2
