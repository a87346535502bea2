# tests/xen/scenarios/66-policy-strict.sh: platform/numa-memory=strict with
# platform/numa-nodes=1,3, set as xenopsd would (the VM's platform map in
# /local/domain/D/platform/), no -mem_pnode (our own placement, inside the
# set) (issue 12):
#   - fits: a 4 GiB HVM guest, more than one node holds: every page of the
#     domain on nodes 1 and 3 by Xen's own count (debug key 'u'), none on
#     0 or 2, even where they are as near; claim 0; xenstore numa/policy
#     and numa/nodes say so;
#   - too big: a 7 GiB HVM guest (the host has room, the set has not): one
#     error line at the claim step with the set's figures, nothing
#     populated, no claim left.
. /lib/xgtest.sh
. /lib/xgbuild.sh

nodes=$(xgtest_param nodes 4)
keys="--xs platform/numa-memory=strict --xs platform/numa-nodes=1,3"
if [ "$nodes" -lt 4 ]; then
    skip policy-strict "needs 4 nodes"
    exit 0
fi

# fits
why=""
b=$(XG_CREATE_ARGS="$keys" xg_build hvm 4096 -)
d=$(xg_get domid "$b")
[ "$(xg_get verdict "$b")" = result ] || why="$why fits: $(xg_summary "$b");"
on="" inset=0 outset=0
if [ -z "$why" ]; then
    n=0
    while [ "$n" -lt "$nodes" ]; do
        p=$(xen_node_pages "$d" "$n")
        on="$on $n:$p"
        case $n in 1|3) inset=$((inset + p)) ;; *) outset=$((outset + p)) ;; esac
        n=$((n + 1))
    done
    tot=$(kv tot_pages "$(driver dominfo "$d")")
    [ "$outset" = 0 ] || why="$why fits: $outset pages outside the set (Xen:$on);"
    [ "$inset" -ge "$tot" ] || why="$why fits: $inset of $tot pages on the set (Xen:$on);"
    pol=$(xg_get info "$b" '^policy: ')
    [ "$pol" = "policy: strict, nodes 1,3" ] || why="$why fits: report '$pol';"
    xp=$(driver xsread "/local/domain/$d/numa/policy")
    xn=$(driver xsread "/local/domain/$d/numa/nodes")
    [ "$xp $xn" = "strict 1,3" ] || why="$why fits: xenstore numa/policy '$xp' numa/nodes '$xn';"
    set -- $(claim_left "$d")
    [ "$1" = 0 ] && [ "$2" = 0 ] || why="$why fits: claim left: domain $1, host $2;"
    fits="4096 MiB HVM: $inset of $tot pages on nodes 1,3 by Xen's count (per node:$on), $(xg_get info "$b" '^placement: ')"
fi
xg_destroy "$b"

# too big for the set
b=$(XG_CREATE_ARGS="$keys" xg_build hvm 7168 -)
d=$(xg_get domid "$b")
final=$(xg_get final "$b")
[ "$(xg_get verdict "$b")" = error ] || why="$why too big: $(xg_summary "$b");"
[ "$(xg_get finals "$b")" = 1 ] || why="$why too big: $(xg_get finals "$b") final lines;"
echo "$final" | grep -q '^error:xenguest: claim: node set 1,3 cannot hold the guest (policy strict): need [0-9]* MiB, the set has [0-9]* MiB free (node 1: [0-9]* MiB, node 3: [0-9]* MiB)$' ||
    why="$why too big: line '$final';"
[ -z "$d" ] || [ "$(kv tot_pages "$(driver dominfo "$d")")" = 0 ] ||
    why="$why too big: $(kv tot_pages "$(driver dominfo "$d")") pages populated;"
set -- $(claim_left "$d")
[ "$1" = 0 ] && [ "$2" = 0 ] || why="$why too big: claim left: domain $1, host $2;"
xg_destroy "$b"

if [ -z "$why" ]; then
    pass policy-strict "$fits; 7168 MiB: $final; nothing populated, claim 0"
else
    fail policy-strict "$why"
fi
