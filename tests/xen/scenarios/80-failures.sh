# tests/xen/scenarios/80-failures.sh: what goes wrong must end in exactly
# one error line naming the step, nothing populated where it says so, and no
# claim left, as xenopsd sees it. Also: a claim the toolstack staked first
# is honoured, and cancelled at the end.
. /lib/xgtest.sh
. /lib/xgbuild.sh

# expect NAME STEP_PATTERN EMPTY: judge the last xg_build as a failure.
expect() {
    name=$1 pattern=$2 empty=$3
    why=""
    [ "$VERDICT" = error ] || why="$why verdict=$VERDICT;"
    echo "$FINAL" | grep -q "^error:xenguest: $pattern" || why="$why line '$FINAL';"
    n=$(printf '%s\n' "$OUT" | grep -c '^ *read: \(result\|error\):')
    [ "$n" = 1 ] || why="$why $n final lines;"
    if [ -n "$DOMID" ]; then
        info=$(driver dominfo "$DOMID")
        [ "$empty" = no ] || [ "$(kv tot_pages "$info")" = 0 ] ||
            why="$why $(kv tot_pages "$info") pages populated;"
        set -- $(claim_left "$DOMID")
        [ "$1" = 0 ] && [ "$2" = 0 ] || why="$why claim left: domain $1, host $2;"
        driver destroy "$DOMID" >/dev/null
    fi
    [ -z "$why" ] && pass "$name" "$FINAL" || fail "$name" "$why"
}

free=$(host_free)
xg_build hvm $((free / 256 + 1024)) 1
expect more-than-host "claim: not enough memory: need [0-9]* MiB, host has [0-9]* MiB free" yes

xg_build hvm 256 7
expect pnode-not-a-node "placement: node 7 is not a node with memory on this host" yes

XG_IMAGE=/boot/no-such-kernel xg_build pv 256 1
expect missing-kernel "kernel: /boot/no-such-kernel: " yes

# A domid that does not exist: exec xenguest directly on one.
OUT=$(driver exec --timeout 60 -- xenguest -domid 4321 -store_port 1 \
      -console_port 2 -mode hvm_build -image /usr/lib/xen-4.17/boot/hvmloader \
      -mem_max_mib 256 -mem_start_mib 256 2>&1)
VERDICT=$(printf '%s\n' "$OUT" | sed -n 's/^ *verdict=\([a-z-]*\).*/\1/p' | head -n 1)
FINAL=$(printf '%s\n' "$OUT" | sed -n 's/^ *read: \(error:.*\)$/\1/p' | head -n 1)
DOMID=""
expect no-such-domain "domain: domain 4321 does not exist" yes

# The toolstack claims first (as xenopsd does with a node claim): kept.
out=$(driver create --type hvm --mem-mib 512 --claim-pages 131040 2>&1)
line=$(printf '%s\n' "$out" | grep '^domid=')
DOMID=$(kv domid "$line")
OUT=$(driver exec --timeout 120 -- xenguest -domid "$DOMID" \
      -store_port "$(kv store_port "$line")" -console_port "$(kv console_port "$line")" \
      -mode hvm_build -image /usr/lib/xen-4.17/boot/hvmloader \
      -mem_max_mib 512 -mem_start_mib 512 -mem_pnode 2 2>&1)
c=$(printf '%s\n' "$OUT" | sed -n 's/^ *read: info:\(claim: .*\)/\1/p')
set -- $(claim_left "$DOMID")
if echo "$c" | grep -q '^claim: existing, 511.9 MiB staked, 0.0 MiB left' &&
   [ "$1" = 0 ] && [ "$2" = 0 ] && printf '%s\n' "$OUT" | grep -q '^ *verdict=result'; then
    pass existing-claim "$c; after: domain $1, host $2"
else
    fail existing-claim "'$c'; after: domain $1, host $2; $(printf '%s\n' "$OUT" | grep verdict)"
fi
driver destroy "$DOMID" >/dev/null
