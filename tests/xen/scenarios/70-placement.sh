# tests/xen/scenarios/70-placement.sh: without -mem_pnode xenguest places
# the guest itself (best fit), sets every vCPU's soft affinity to the
# chosen node's pCPUs (xl vcpu-list shows it), and the placement it writes
# to xenstore matches what was measured.
. /lib/xgtest.sh
. /lib/xgbuild.sh

name=own-placement
if ! b=$(xg_build hvm 768 -); then
    fail $name "$(xg_summary "$b")"
    xg_destroy "$b"
    exit 0
fi
why=""
DOMID=$(xg_get domid "$b")
summary=$(xg_get info "$b" "^placement: ")
node=$(echo "$summary" | sed -n 's/^placement: node \([0-9]*\) (best-fit).*/\1/p')
[ -n "$node" ] || why="$why not placed by best fit: '$summary';"
node=${node:-0}
# pCPUs of that node, from Xen's topology table.
cpus=$(xl info -n | awk -v n="$node" '/^cpu_topology/ {t=1; next}
        t && /^ *[0-9]+:/ { if ($4 == n) { printf "%s%s", s, $1; s = "," } }
        /^device_topology|^numa_info/ { t=0 }' | tr -d ':')
soft=$(xl vcpu-list "$DOMID" | awk 'NR == 2 { print $NF }')
[ "$soft" = "$cpus" ] || why="$why soft affinity '$soft', node $node has pCPUs '$cpus';"
[ -n "$(xg_get info "$b" "^soft affinity: vcpus follow memory to node $node")" ] ||
    why="$why no soft-affinity info line;"
placement=$(driver xsread "/local/domain/$DOMID/numa/placement")
xsnode=$(driver xsread "/local/domain/$DOMID/numa/node")
[ "$xsnode" = "$node" ] || why="$why xenstore numa/node=$xsnode;"
for nm in $placement; do
    n=${nm%%:*} m=${nm#*:}
    used=$(( $(delta "$(xg_get before "$b")" "$n") / 256 ))
    d=$((used - m))
    [ ${d#-} -le 2 ] || why="$why node $n: xenstore $m MiB, measured $used MiB;"
done
set -- $(claim_left "$DOMID")
[ "$1" = 0 ] && [ "$2" = 0 ] || why="$why claim left: domain $1, host $2;"
driver destroy "$DOMID" >/dev/null
if [ -z "$why" ]; then
    pass $name "$summary; soft affinity $soft; xenstore numa/placement '$placement'"
else
    fail $name "$why"
fi

# Platform keys applied to the vCPUs: a hard affinity where the key exists
# (vCPU 0 on pCPU 2), the scheduler weight; and with -mem_pnode the soft
# affinity is the toolstack's business, left alone.
name=platform-vcpu
if b=$(XG_CREATE_ARGS="--vcpus 2 --xs platform/vcpu/0/affinity=0010 --xs platform/vcpu/weight=512" \
   xg_build hvm 256 1); then
    why=""
    DOMID=$(xg_get domid "$b")
    list=$(xl vcpu-list "$DOMID" | awk 'NR > 1 { print $2 ":" $3 ":" $(NF-2) ":" $NF }' | tr '\n' ' ')
    echo "$list" | grep -q "^$DOMID:0:2:all " || why="$why vcpu 0 not pinned to pCPU 2: $list;"
    echo "$list" | grep -q " $DOMID:1:all:all " || why="$why vcpu 1 changed: $list;"
    weight=$(xl sched-credit2 -d "$DOMID" 2>/dev/null | awk 'NR == 2 { print $3 }')
    [ -n "$weight" ] || weight=$(xl sched-credit -d "$DOMID" 2>/dev/null | awk 'NR == 2 { print $3 }')
    [ "$weight" = 512 ] || why="$why weight '$weight';"
    [ -z "$(xg_get info "$b" "^soft affinity")" ] || why="$why soft affinity touched with -mem_pnode;"
    if [ -z "$why" ]; then
        pass $name "vcpu-list (dom:vcpu:hard:soft) $list; weight $weight"
    else
        fail $name "$why"
    fi
else
    fail $name "$(xg_summary "$b")"
fi
xg_destroy "$b"
