# tests/xen/scenarios/64-short-toolstack-claim.sh: the toolstack stakes a
# host-wide claim 64 MiB smaller than the guest before exec (as xenopsd
# stakes its own, of its own size); the guest still gets the same 1 GiB and
# 2 MiB pages as without it, and no claim is left (issue 11, item 4). The
# guest is 32 MiB bigger than its node's free memory, so the node runs out
# after the claim is used up: that short count must read "node exhausted"
# (or "no block"), not "claim limit", and the last 32 MiB go to the next
# node in 2 MiB pages. (Read as a claim limit, as before the fix, the order
# was capped for the rest of the build: 4 KiB pages there.)
. /lib/xgtest.sh
. /lib/xgbuild.sh

pn=1
mib=$(($(node_free "$pn") / 256 + 32))
# The claim: every frame of the guest (less the VGA hole) but 64 MiB.
short=$((mib * 256 - 32 - 64 * 256))

# sizes RECORD: "node N: 1G xA 2M xB 4K xC" per node, from the info lines.
sizes() {
    xg_get infos "$1" | sed -n 's/^node \([0-9]*\): .*(1G x\([0-9]*\), 2M x\([0-9]*\), 4K x\([0-9]*\)).*/\1:1Gx\2,2Mx\3,4Kx\4/p' | tr '\n' ' '
}

base=$(host_free)
if a=$(xg_build hvm "$mib" "$pn"); then
    want=$(sizes "$a")
    xg_destroy "$a"
    settle_free "$base" 64 >/dev/null
    if b=$(XG_CREATE_ARGS="--claim-pages $short" xg_build hvm "$mib" "$pn"); then
        got=$(sizes "$b")
        c=$(xg_get info "$b" '^claim: ')
        d=$(xg_get domid "$b")
        why=""
        [ "$got" = "$want" ] || why="$why page sizes '$got', without the claim '$want';"
        echo "$c" | grep -q '^claim: existing' || why="$why claim line '$c';"
        xg_get infos "$b" | grep -q 'claim limit' &&
            why="$why a fallback says claim limit;"
        set -- $(claim_left "$d")
        [ "$1" = 0 ] && [ "$2" = 0 ] || why="$why claim left: domain $1, host $2;"
        if [ -z "$why" ]; then
            pass short-toolstack-claim "$mib MiB on node $pn, toolstack claim $short pages: $got (the same without it); $c"
        else
            fail short-toolstack-claim "$why"
        fi
    else
        fail short-toolstack-claim "$(xg_summary "$b")"
    fi
    xg_destroy "$b"
else
    fail short-toolstack-claim "without the claim: $(xg_summary "$a")"
    xg_destroy "$a"
fi
