# tests/xen/scenarios/87-storm.sh: four xenguest builds at once, where only
# three fit in the host's free memory. Each build must either succeed
# wholly or fail at the claim before populating anything; no claim may be
# left behind; exactly three succeed (claims are checked atomically).
. /lib/xgtest.sh
. /lib/xgbuild.sh

name=storm
free=$(host_free)
mib=$((free * 10 / 34 / 256))
dir=/tmp/storm
rm -rf $dir; mkdir -p $dir
i=0
while [ $i -lt 4 ]; do
    (
        if b=$(xg_build hvm $mib $i); then r=ok; else r=fail; fi
        d=$(xg_get domid "$b")
        tot=$(kv tot_pages "$(driver dominfo "$d")")
        echo "$r $d $tot $(claim_left "$d" | cut -d' ' -f1) $(xg_get final "$b")" >$dir/$i
    ) &
    i=$((i + 1))
done
wait
ok=0 failed=0 why=""
for i in 0 1 2 3; do
    set -- $(cat $dir/$i)
    r=$1 d=$2 tot=$3 left=$4
    shift 4
    note "build $i: $r domid=$d tot_pages=$tot claim=$left $*"
    [ "$left" = 0 ] || why="$why build $i left a claim of $left;"
    if [ "$r" = ok ]; then
        ok=$((ok + 1))
        [ "$tot" -ge $((mib * 256 - 32)) ] || why="$why build $i has $tot pages;"
    else
        failed=$((failed + 1))
        [ "$tot" = 0 ] || why="$why failed build $i populated $tot pages;"
        echo "$*" | grep -q '^error:xenguest: claim: not enough memory' ||
            why="$why build $i failed with '$*';"
    fi
done
hout=$(host_outstanding)
[ "$hout" = 0 ] || why="$why host outstanding $hout;"
[ $ok = 3 ] && [ $failed = 1 ] || why="$why $ok built, $failed failed (want 3 and 1);"
for i in 0 1 2 3; do
    driver destroy "$(cut -d' ' -f2 $dir/$i)" >/dev/null 2>&1
done
if [ -z "$why" ]; then
    pass $name "4 builds of $mib MiB raced on $((free / 256)) MiB free: $ok built, $failed failed at the claim with nothing populated; no claim left"
else
    fail $name "$why"
fi
