# tests/xen/scenarios/60-spill.sh: a guest bigger than its preferred node's
# free memory spills to the NEAREST node by distance (not the lowest
# numbered, which is where Xen's own fallback would go), and the report
# names the fallback and its cause. Also: page sizes, 1 GiB for HVM where a
# 1 GiB-aligned range fits, 2 MiB for PV.
. /lib/xgtest.sh
. /lib/xgbuild.sh

nodes=$(xgtest_param nodes 4)
if [ "$nodes" -lt 4 ]; then
    skip spill-by-distance "needs 4 nodes"
else
    # From node 3 (dom0's) the distances are 2:20, 1:30, 0:40.
    pnode=3 near=2
    free=$(node_free $pnode)
    mib=$((free / 256 + 256))
    if b=$(xg_build hvm "$mib" "$pnode"); then
        why=""
        before=$(xg_get before "$b")
        mine=$(delta "$before" $pnode) near_used=$(delta "$before" $near)
        far=$(( $(delta "$before" 0) + $(delta "$before" 1) ))
        fb=$(xg_get info "$b" "^fallback: .*node $pnode order [0-9]* -> node $near .*node exhausted")
        [ -n "$fb" ] || why="$why no fallback line naming node $near and 'node exhausted';"
        [ $((near_used / 256)) -ge 200 ] || why="$why node $near took only $((near_used / 256)) MiB;"
        [ $far -le 512 ] || why="$why nodes 0 and 1 took $far pages;"
        set -- $(claim_left "$(xg_get domid "$b")")
        [ "$1" = 0 ] && [ "$2" = 0 ] || why="$why claim left: domain $1, host $2;"
        if [ -z "$why" ]; then
            pass spill-by-distance "$mib MiB preferring node $pnode: node $pnode $((mine / 256)) MiB, node $near $((near_used / 256)) MiB, nodes 0+1 $far pages; $fb"
        else
            fail spill-by-distance "$why"
        fi
    else
        fail spill-by-distance "$(xg_summary "$b")"
    fi
    xg_destroy "$b"
fi

# HVM of 2560 MiB on node 1: [1 GiB, 2 GiB) is one 1 GiB page.
if b=$(xg_build hvm 2560 1); then
    line=$(xg_get info "$b" "^node 1: ")
    g1=$(echo "$line" | sed -n 's/.*1G x\([0-9]*\).*/\1/p')
    if [ "${g1:-0}" -ge 1 ]; then
        pass hvm-1g-pages "$line"
    else
        fail hvm-1g-pages "no 1 GiB page: $line $(xg_get info "$b" '^fallback')"
    fi
else
    fail hvm-1g-pages "$(xg_summary "$b")"
fi
xg_destroy "$b"

if b=$(xg_build pv 1024 2); then
    line=$(xg_get info "$b" "^node 2: ")
    if echo "$line" | grep -q '2M x512, 4K x0'; then
        pass pv-2m-pages "$line"
    else
        fail pv-2m-pages "expected 512 x 2 MiB: $line"
    fi
else
    fail pv-2m-pages "$(xg_summary "$b")"
fi
xg_destroy "$b"
