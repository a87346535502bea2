# tests/xen/scenarios/69-policy-bad-key.sh: a bad policy key is one error
# line naming the key and the value, before anything is claimed or
# populated: a bad mode, a bad node list, xenopsd's -mem_pnode outside the
# node set, a node the host does not have (issue 12).
. /lib/xgtest.sh
. /lib/xgbuild.sh

why="" lines=""
for c in \
    'mode|--xs platform/numa-memory=fast|1|^error:xenguest: platform: platform/numa-memory: "fast" is not a policy (preferred, strict, interleave, off)$' \
    'nodes|--xs platform/numa-nodes=1-x|1|^error:xenguest: platform: platform/numa-nodes: "1-x" is not a node set (e.g. 0-1,3; nodes 0-63)$' \
    'pnode|--xs platform/numa-memory=strict --xs platform/numa-nodes=2-3|1|^error:xenguest: platform: platform/numa-nodes: "2-3" does not contain -mem_pnode 1 (policy strict)$' \
    'no-node|--xs platform/numa-memory=interleave --xs platform/numa-nodes=1,9|-|^error:xenguest: placement: node set 1,9 names a node this host does not have (nodes 0-[0-9]*)$'
do
    k=${c%%|*} rest=${c#*|}
    args=${rest%%|*} rest=${rest#*|}
    pn=${rest%%|*} want=${rest#*|}
    b=$(XG_CREATE_ARGS="$args" xg_build hvm 512 "$pn")
    d=$(xg_get domid "$b")
    final=$(xg_get final "$b")
    [ "$(xg_get verdict "$b")" = error ] || why="$why $k: $(xg_summary "$b");"
    [ "$(xg_get finals "$b")" = 1 ] || why="$why $k: $(xg_get finals "$b") final lines;"
    echo "$final" | grep -q -- "$want" || why="$why $k: line '$final';"
    [ -z "$d" ] || [ "$(kv tot_pages "$(driver dominfo "$d")")" = 0 ] ||
        why="$why $k: $(kv tot_pages "$(driver dominfo "$d")") pages populated;"
    set -- $(claim_left "$d")
    [ "$1" = 0 ] && [ "$2" = 0 ] || why="$why $k: claim left: domain $1, host $2;"
    lines="$lines [$k] $final"
    xg_destroy "$b"
done
if [ -z "$why" ]; then
    pass policy-bad-key "one line each, nothing populated, claim 0:$lines"
else
    fail policy-bad-key "$why"
fi
