# nodeclaim-contention: xenguest stakes its node claim on N and is stopped
# right after it (XCSTOP=after-claim, before its first populate).  While it
# holds the claim, a competing domain's exact-node populate on N gets only
# N's unclaimed memory and fails for the claimed part, and its node-less
# populate goes to other nodes.  Resumed, our guest still lands 100% on N.
. /lib/xgtest.sh
. /lib/xgbuild.sh
. /lib/xgnodeclaim.sh

nodes=$(xgtest_param nodes 4)
N=2
free=$(node_free $N)
G=$((free / 256 - 256))             # leaves ~256 MiB of N unclaimed
why=""

b=$(driver create --type pv --mem-mib 4096 2>&1 | sed -n 's/^domid=\([0-9]*\).*/\1/p')
[ -n "$b" ] || { fail nodeclaim-contention "cannot create the competitor"; exit 0; }

rm -f /tmp/nc-a.*
( export XCSTOP=after-claim
  nc_build pv $G $N
  echo "$VERDICT $DOMID" >/tmp/nc-a.res
  printf '%s\n' "$OUT" >/tmp/nc-a.out ) &
bg=$!
pid=$(nc_wait_stopped) || why="$why xenguest never stopped after its claim;"
held1=$(host_outstanding)
u_dump
claimN=$(node_claimed $N) freeN=$(node_free $N)
room=$((freeN - claimN))
want=$((freeN / 512))
got=$(nc_populated "$b" 0 $want 9 $N exact)
u_dump
b_on=$(dom_pages "$b" $N)
any=$(nc_populated "$b" 0x100000 64 9 any)
u_dump
b_on2=$(dom_pages "$b" $N) b_spread=$(dom_spread "$b" "$nodes")
held2=$(host_outstanding)
[ -n "$pid" ] && kill -CONT "$pid"
wait $bg
set -- $(cat /tmp/nc-a.res 2>/dev/null)
verdict=${1:-none} a=${2:-}

[ "$claimN" = $((G * 256)) ] && [ "$held1" = "$claimN" ] && [ "$held2" = "$held1" ] ||
    why="$why claim: NODE$N claimed $claimN, host $held1 then $held2, want $((G * 256));"
[ "$got" -ge 0 ] && [ "$got" -lt "$want" ] ||
    why="$why competitor's exact-node populate: $got of $want extents;"
[ $((got * 512)) -le "$room" ] || why="$why competitor got $((got * 512)) pages > unclaimed $room;"
[ $((got * 512 + 512)) -gt "$room" ] || why="$why competitor got only $((got * 512)) of unclaimed $room;"
[ "$any" = 64 ] && [ "$b_on2" = "$b_on" ] ||
    why="$why competitor's node-less populate: $any of 64 extents, node $N pages $b_on -> $b_on2;"
tot=0 on=0 spread="" left="" nc="" c=""
if [ "$verdict" = result ]; then
    u_dump
    tot=$(tot_pages "$a") on=$(dom_pages "$a" $N) spread=$(dom_spread "$a" "$nodes")
    left=$(outstanding "$a") nc=$(node_claimed $N)
    [ "$on" = "$tot" ] && [ "$tot" -ge $((G * 256)) ] || why="$why guest: $on of $tot pages on node $N ($spread);"
    [ "$left" = 0 ] && [ "$nc" = 0 ] || why="$why claim left: domain $left, NODE$N $nc;"
    c=$(grep -o 'claim: [a-z]*, [0-9.]* MiB staked, [0-9.]* MiB left' /tmp/nc-a.out | head -n 1)
    echo "$c" | grep -q '^claim: node,' || why="$why guest's claim: '$c';"
else
    why="$why guest build: verdict=$verdict $(grep 'read: error' /tmp/nc-a.out);"
fi
[ -n "$a" ] && driver destroy "$a" >/dev/null
driver destroy "$b" >/dev/null

figs="guest $G MiB on node $N (free $freeN pages, NODE$N claimed $claimN while xenguest held it, unclaimed $room); competitor exact-node on $N: $got of $want x 2 MiB = $((got * 512)) pages (the unclaimed part), node-less: $any of 64 x 2 MiB, none on node $N ($b_on -> $b_on2) [competitor $b_spread]; claim held $held1 -> $held2 across; guest: node $N $on of $tot pages = $((on * 100 / (tot > 0 ? tot : 1)))% [$spread], '$c', left $left"
if [ -z "$why" ]; then
    pass nodeclaim-contention "$figs"
else
    fail nodeclaim-contention "$why ($figs)"
fi
