# nodeclaim-existing: the toolstack stakes a node claim before exec'ing the
# builder, as xenopsd does (xenguest-stake), and xenguest honours it:
#  - first, on a scratch domain, what a node claim does with allocations:
#    pages populated on another node leave it alone, pages on its node
#    retire it one for one, claiming 0 cancels it;
#  - then a build: 64 MiB more than the guest is staked before xenguest
#    runs (xenopsd's claim need not equal what is populated), xenguest
#    reports it as existing; stopped before its cancel (XCSTOP=before-cancel)
#    the claim has shrunk by exactly the guest's pages on N; the guest is
#    100% on N, and xenguest's cancel leaves nothing.
. /lib/xgtest.sh
. /lib/xgbuild.sh
. /lib/xgnodeclaim.sh

nodes=$(xgtest_param nodes 4)
N=2 other=1 G=1024
why=""

d=$(driver create --type pv --mem-mib 512 2>&1 | sed -n 's/^domid=\([0-9]*\).*/\1/p')
[ -n "$d" ] || { fail nodeclaim-existing "cannot create the scratch domain"; exit 0; }
r0=$(nc_errno claim "$d" $N 65536)
u_dump; c0=$(dom_claim "$d"); n0=$(node_claimed $N)
p1=$(nc_populated "$d" 0 64 9 $other exact); o1=$(outstanding "$d")
p2=$(nc_populated "$d" 0x10000 32 9 $N exact); o2=$(outstanding "$d")
u_dump; c2=$(dom_claim "$d"); n2=$(node_claimed $N)
r3=$(nc_errno claim "$d" $N 0); o3=$(outstanding "$d")
u_dump; n3=$(node_claimed $N)
driver destroy "$d" >/dev/null
[ "$r0" = ok ] && [ "$c0" = "node $N 65536" ] && [ "$n0" = 65536 ] ||
    why="$why stake: $r0, '$c0', NODE$N claimed $n0;"
[ "$p1" = 64 ] && [ "$o1" = 65536 ] || why="$why 128 MiB on node $other: $p1 extents, claim $o1;"
[ "$p2" = 32 ] && [ "$o2" = 49152 ] && [ "$c2" = "node $N 49152" ] && [ "$n2" = 49152 ] ||
    why="$why 64 MiB on node $N: $p2 extents, claim $o2, '$c2', NODE$N claimed $n2;"
[ "$r3" = ok ] && [ "$o3" = 0 ] && [ "$n3" = 0 ] || why="$why cancel: $r3, claim $o3, NODE$N claimed $n3;"
figs1="scratch domain: claim 65536 on node $N ($c0); +64 x 2 MiB on node $other -> claim $o1; +32 x 2 MiB on node $N -> claim $o2 ('$c2', NODE$N $n2); claim 0 -> $o3, NODE$N $n3;"

# xenopsd's claim need not equal what the builder populates: 64 MiB more.
P=$((G * 256)) S=$(((G + 64) * 256))
export NC_STAKE="$N $S"
rm -f /tmp/nc-a.* /tmp/nc-stake.*
( export XCSTOP=before-cancel
  NC_WITH=xenguest-stake
  XG_CREATE_ARGS="--max-mib $((G + 64))"
  nc_build pv $G $N
  echo "$VERDICT $DOMID" >/tmp/nc-a.res
  printf '%s\n' "$OUT" >/tmp/nc-a.out ) &
bg=$!
pid=$(nc_wait_stopped) || why="$why xenguest never stopped before its cancel;"
a=$(cat /tmp/nc-stake.domid 2>/dev/null)
u_dump
mid=$(dom_claim "$a") mid_on=$(dom_pages "$a" $N) mid_spread=$(dom_spread "$a" "$nodes")
mid_nc=$(node_claimed $N)
[ -n "$pid" ] && kill -CONT "$pid"
wait $bg
set -- $(cat /tmp/nc-a.res 2>/dev/null)
verdict=${1:-none}
st=$(cat /tmp/nc-stake.out 2>/dev/null)
[ "$st" = "rc=0" ] || why="$why xenopsd-style stake: '$st';"
set -- $mid
[ "$1" = node ] && [ "$2" = "$N" ] && [ $(($3 + mid_on)) = "$S" ] && [ "$mid_on" = "$P" ] &&
    [ "$mid_nc" = "$3" ] || why="$why before the cancel: claim '$mid', NODE$N $mid_nc, $mid_on pages on node $N [$mid_spread];"
tot=0 on=0 spread="" left="" nc="" c=""
if [ "$verdict" = result ]; then
    u_dump
    tot=$(tot_pages "$a") on=$(dom_pages "$a" $N) spread=$(dom_spread "$a" "$nodes")
    left=$(outstanding "$a") nc=$(node_claimed $N)
    c=$(grep -o 'claim: existing, [0-9.]* MiB staked, [0-9.]* MiB left' /tmp/nc-a.out | head -n 1)
    [ "$c" = "claim: existing, $((G + 64)).0 MiB staked, 0.0 MiB left" ] || why="$why claim line '$c';"
    [ "$on" = "$tot" ] && [ "$tot" -ge "$P" ] || why="$why guest: $on of $tot pages on node $N [$spread];"
    [ "$left" = 0 ] && [ "$nc" = 0 ] || why="$why claim left: domain $left, NODE$N $nc;"
else
    why="$why build: verdict=$verdict $(grep 'read: error' /tmp/nc-a.out);"
fi
[ -n "$a" ] && driver destroy "$a" >/dev/null
figs2="build: staked $S pages on node $N before exec ($st) for a $G MiB guest; after populate, before xenguest's cancel: claim '$mid' (NODE$N $mid_nc) + $mid_on pages on node $N = $S [$mid_spread]; '$c'; Xen: node $N $on of $tot pages = $((on * 100 / (tot > 0 ? tot : 1)))% [$spread]; after: domain claim $left, NODE$N claimed $nc"

if [ -z "$why" ]; then
    pass nodeclaim-existing "$figs1 $figs2"
else
    fail nodeclaim-existing "$why ($figs1 $figs2)"
fi
