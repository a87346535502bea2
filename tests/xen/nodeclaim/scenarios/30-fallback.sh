# nodeclaim-fallback: node N cannot hold the guest.
#  (a) Another domain's node claim leaves N too little unclaimed memory,
#      though N's free memory would do: xenguest's node claim gets ENOMEM
#      from Xen, it stakes a host-wide claim instead, takes N's unclaimed
#      memory and spills the rest to the nearest node by distance; the other
#      domain's claim on N is untouched.
#  (b) The guest is bigger than N's free memory: xenguest does not try a
#      node claim (it would not fit), claims host-wide, spills by distance.
# From node 0 the nearest node is 1 (distances 1:20, 2:30, 3:40).
. /lib/xgtest.sh
. /lib/xgbuild.sh
. /lib/xgnodeclaim.sh

nodes=$(xgtest_param nodes 4)
N=0 near=1 G=1024
why=""

c=$(driver create --type pv --mem-mib 3072 2>&1 | sed -n 's/^domid=\([0-9]*\).*/\1/p')
[ -n "$c" ] || { fail nodeclaim-fallback "cannot create the other domain"; exit 0; }
free=$(node_free $N)
X=$((free - G * 256 + 128 * 256))        # leaves G - 128 MiB unclaimed on N
r=$(nc_errno claim "$c" $N $X)
[ "$r" = ok ] || why="$why other domain's node claim of $X pages: $r;"
free=$(node_free $N)
room=$((free - X))
if nc_build pv $G $N; then
    cl=$(claim_line)
    nce=$(xg_log 'node claim not usable')
    fb=$(xg_info "^fallback: .*node $N order [0-9]* -> node $near ")
    u_dump
    tot=$(tot_pages "$DOMID") on=$(dom_pages "$DOMID" $N) onnear=$(dom_pages "$DOMID" $near)
    spread=$(dom_spread "$DOMID" "$nodes")
    cc=$(dom_claim "$c") ncl=$(node_claimed $N) left=$(outstanding "$DOMID")
    echo "$nce" | grep -q 'Cannot allocate memory' || why="$why no node-claim ENOMEM in the log: '$nce';"
    echo "$cl" | grep -q '^claim: host,' || why="$why claim line '$cl';"
    [ -n "$fb" ] || why="$why no fallback line node $N -> node $near;"
    d=$((on - room))
    [ "${d#-}" -le 512 ] || why="$why node $N gave $on pages, unclaimed was $room;"
    [ $((on + onnear)) = "$tot" ] || why="$why not all on nodes $N+$near: [$spread];"
    [ "$cc" = "node $N $X" ] && [ "$ncl" = "$X" ] || why="$why other domain's claim now '$cc', NODE$N claimed $ncl;"
    [ "$left" = 0 ] || why="$why guest's claim left $left;"
    figsa="(a) other domain claims $X pages on node $N (free $free): xenguest log '$nce'; '$cl'; '$fb'; Xen: node $N $on pages (unclaimed $room), node $near $onnear, of $tot [$spread]; other domain's claim '$cc', NODE$N claimed $ncl;"
else
    why="$why (a) build: verdict=$VERDICT $FINAL;"
fi
[ -n "$DOMID" ] && driver destroy "$DOMID" >/dev/null
nodeclaim claim "$c" $N 0 >/dev/null
driver destroy "$c" >/dev/null

free=$(node_free $N)
G2=$((free / 256 + 256))
if nc_build pv $G2 $N; then
    cl=$(claim_line)
    nce=$(xg_log 'node claim')
    fb=$(xg_info "^fallback: .*node $N order [0-9]* -> node $near ")
    u_dump
    tot=$(tot_pages "$DOMID") on=$(dom_pages "$DOMID" $N) onnear=$(dom_pages "$DOMID" $near)
    spread=$(dom_spread "$DOMID" "$nodes")
    echo "$cl" | grep -q '^claim: host,' || why="$why (b) claim line '$cl';"
    [ -z "$nce" ] || why="$why (b) a node claim was tried: '$nce';"
    [ -n "$fb" ] || why="$why (b) no fallback line node $N -> node $near;"
    [ $((on + onnear)) = "$tot" ] && [ "$onnear" -ge $((200 * 256)) ] ||
        why="$why (b) spread [$spread];"
    figsb="(b) $G2 MiB > node $N's free $((free / 256)) MiB: '$cl'; '$fb'; Xen: node $N $on, node $near $onnear of $tot [$spread]"
else
    why="$why (b) build: verdict=$VERDICT $FINAL;"
fi
[ -n "$DOMID" ] && driver destroy "$DOMID" >/dev/null

if [ -z "$why" ]; then
    pass nodeclaim-fallback "$figsa $figsb"
else
    fail nodeclaim-fallback "$why ($figsa $figsb)"
fi
