# tests/xen/scenarios/67-policy-interleave.sh: platform/numa-memory=
# interleave over platform/numa-nodes=1,3: a 2 GiB HVM guest built as
# xenopsd runs xenguest (its -mem_pnode 1 is inside the set and accepted)
# has half its pages on node 1 and half on node 3, each within one page of
# the largest size used, by Xen's own per-node count (debug key 'u'), none
# on nodes 0 and 2; the report gives the imbalance, the node affinity is
# the whole set, claim 0 (issue 12).
. /lib/xgtest.sh
. /lib/xgbuild.sh

nodes=$(xgtest_param nodes 4)
if [ "$nodes" -lt 4 ]; then
    skip policy-interleave "needs 4 nodes"
    exit 0
fi
why=""
b=$(XG_CREATE_ARGS="--xs platform/numa-memory=interleave --xs platform/numa-nodes=1,3" \
    xg_build hvm 2048 1)
d=$(xg_get domid "$b")
if [ "$(xg_get verdict "$b")" = result ]; then
    n0=$(xen_node_pages "$d" 0) n1=$(xen_node_pages "$d" 1)
    n2=$(xen_node_pages "$d" 2) n3=$(xen_node_pages "$d" 3)
    tot=$((n1 + n3))
    # The largest page size the report shows in use, in pages.
    sizes=$(xg_get infos "$b" | sed -n 's/^node [13]: .*(1G x\([0-9]*\), 2M x\([0-9]*\), 4K x\([0-9]*\)).*/\1 \2 \3/p')
    big=1
    for s in $(echo "$sizes" | awk '{ print ($1 > 0 ? 262144 : ($2 > 0 ? 512 : 1)) }'); do
        [ "$s" -gt "$big" ] && big=$s
    done
    half=$((tot / 2))
    d1=$((n1 - half)) d3=$((n3 - half))
    [ "${d1#-}" -le "$big" ] && [ "${d3#-}" -le "$big" ] ||
        why="$why node 1 $n1, node 3 $n3 pages: more than $big from half of $tot;"
    [ "$((n0 + n2))" = 0 ] || why="$why nodes 0 and 2 hold $n0 and $n2 pages;"
    [ "$n1" -gt 0 ] && [ "$n3" -gt 0 ] || why="$why a node of the set is empty;"
    pol=$(xg_get info "$b" '^policy: ')
    echo "$pol" | grep -q '^policy: interleave, nodes 1,3, imbalance [0-9.]* MiB$' ||
        why="$why report '$pol';"
    aff=$(xg_get info "$b" '^node affinity: ')
    [ "$aff" = "node affinity: nodes 1 3" ] || why="$why '$aff';"
    set -- $(claim_left "$d")
    [ "$1" = 0 ] && [ "$2" = 0 ] || why="$why claim left: domain $1, host $2;"
else
    why="$(xg_summary "$b")"
fi
if [ -z "$why" ]; then
    pass policy-interleave "2048 MiB HVM over nodes 1,3 by Xen's count: node 1 $n1, node 3 $n3 pages (half $half, within $big pages, the largest size used), nodes 0 and 2: 0; per node (1G 2M 4K): $(echo "$sizes" | tr '\n' '/'); $pol; $aff"
else
    fail policy-interleave "$why"
fi
xg_destroy "$b"
