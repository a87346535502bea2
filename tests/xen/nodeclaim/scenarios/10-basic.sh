# nodeclaim-basic: xenguest -mem_pnode N stakes a node claim on N (through
# libxcnode.so, found by meminit's weak reference), the guest lands 100% on
# N by Xen's own count (PV: every page; HVM: all its RAM, and the few
# special pages libxenguest adds after meminit are reported, since xenguest
# sets no node affinity they go where Xen's allocator puts them), and no
# claim is left afterwards.  A control build
# with the plain xenguest (no libxcnode.so) shows the weak reference is
# otherwise NULL: it falls back to the host-wide claim.
. /lib/xgtest.sh
. /lib/xgbuild.sh
. /lib/xgnodeclaim.sh

nodes=$(xgtest_param nodes 4)
N=1 G=1024
why="" figs=""

# Control: the shipped xenguest alone has no node claim to call.
NC_WITH=xenguest
if nc_build pv 256 $N; then
    c=$(claim_line)
    echo "$c" | grep -q '^claim: host,' || why="$why control build without libxcnode.so: '$c';"
    figs="control (no preload): '$c';"
else
    why="$why control build: verdict=$VERDICT $FINAL;"
fi
NC_WITH=""
[ -n "$DOMID" ] && driver destroy "$DOMID" >/dev/null

for type in pv hvm; do
    if ! nc_build $type $G $N; then
        why="$why $type build: verdict=$VERDICT $FINAL;"
        [ -n "$DOMID" ] && driver destroy "$DOMID" >/dev/null
        continue
    fi
    c=$(claim_line)
    # HVM: the VGA hole (128 KiB) is not RAM, so 1023.9 MiB.
    echo "$c" | grep -Eq "^claim: node, ($((G - 1))\.[0-9]|$G\.0) MiB staked, 0\.0 MiB left" ||
        why="$why $type: claim line '$c';"
    l=$(xg_log 'claim: node,')
    u_dump
    tot=$(tot_pages "$DOMID") on=$(dom_pages "$DOMID" $N)
    spread=$(dom_spread "$DOMID" "$nodes")
    left=$(outstanding "$DOMID") nc=$(node_claimed $N) host=$(host_outstanding)
    if [ $type = pv ]; then
        [ "$on" = "$tot" ] && [ "$tot" = $((G * 256)) ] ||
            why="$why $type: $on of $tot pages on node $N ($spread);"
        ram=$tot extra=""
    else
        # HVM RAM is G MiB less the VGA hole (32 pages), all meminit's; the
        # few special pages libxenguest adds after meminit (no node flags)
        # are placed by Xen's allocator: reported, not judged.
        ram=$((G * 256 - 32))
        [ "$on" -ge "$ram" ] && [ $((tot - ram)) -le 64 ] ||
            why="$why $type: $on of $tot pages on node $N, RAM $ram ($spread);"
        extra=" (RAM $ram pages all on node $N; $((tot - ram)) special pages after meminit: $((on - ram)) on node $N, $((tot - on)) elsewhere)"
    fi
    [ "$left" = 0 ] && [ "$nc" = 0 ] && [ "$host" = 0 ] ||
        why="$why $type: claim left: domain $left, node $N $nc, host $host;"
    figs="$figs $type $G MiB: '$c' (log: '$l'); Xen: node $N $on of $tot pages = $((on * 100 / tot))% [$spread]$extra; after: domain claim $left, NODE$N claimed $nc, host $host;"
    driver destroy "$DOMID" >/dev/null
done

if [ -z "$why" ]; then
    pass nodeclaim-basic "$figs"
else
    fail nodeclaim-basic "$why ($figs)"
fi
