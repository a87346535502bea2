# tests/xen/scenarios/68-policy-off.sh: platform/numa-memory=off is the
# upstream builder's placement: no exact-node flags at all (xenopsd's
# -mem_pnode is ignored), so Xen places as it does for the stock builder.
# The same 512 MiB PV guest (Debian's kernel and the test guest's
# initramfs) is built by xenguest with the key set and by the stock path,
# `xl create -p` with cpus=["all"] (libxl + libxenguest; a cpus list turns
# libxl's automatic NUMA placement off, while a full cpus="all" string
# leaves it on and it puts the guest on one node), and Xen's own per-node
# counts
# (debug key 'u') must agree within one 2 MiB page per node. The report
# names no node (issue 12).
. /lib/xgtest.sh
. /lib/xgstock.sh

name=policy-off
nodes=$(xgtest_param nodes 4)
mib=512
why=""
base=$(host_free)
b=$(XG_RAMDISK=$SBS_RAMDISK XG_CMDLINE="$SBS_CMDLINE" \
    XG_CREATE_ARGS="--xs platform/numa-memory=off" xg_build pv $mib 1)
d=$(xg_get domid "$b")
ours=""
if [ "$(xg_get verdict "$b")" = result ]; then
    ours=$(xen_dom_nodes "$d") || why="$why no per-node count from Xen for d$d;"
    pl=$(xg_get info "$b" '^placement: ')
    echo "$pl" | grep -q '^placement: no preferred node (off)' || why="$why report '$pl';"
    named=$(xg_get infos "$b" | grep -c '^node [0-9]*: ')
    [ "$named" = 0 ] || why="$why $named nodes named in populate calls;"
    pol=$(xg_get info "$b" '^policy: ')
    [ "$pol" = "policy: off, nodes none" ] || why="$why report '$pol';"
    set -- $(claim_left "$d")
    [ "$1" = 0 ] && [ "$2" = 0 ] || why="$why claim left: domain $1, host $2;"
else
    why="$why xenguest: $(xg_summary "$b");"
fi
xg_destroy "$b"
settle_free "$base" 512 >/dev/null

sbs_run stock sbs_stock $mib '["all"]' || why="$why xl create: $stock_err;"

# Per node, Xen's count for ours and for stock ("N:PAGES" lists).
count() { for nb in $1; do [ "${nb%%:*}" = "$2" ] && { echo "${nb#*:}"; return; }; done; echo 0; }
table=""
n=0
while [ "$n" -lt "$nodes" ]; do
    o=$(count "$ours" $n) s=$(count "$stock_xen" $n)
    df=$((o - s))
    [ "${df#-}" -le 512 ] || why="$why node $n: ours $o, stock $s pages;"
    table="$table $n:$o/$s"
    n=$((n + 1))
done
# The same for an HVM guest through the benchmark (xenguest-bench-xen: ours
# with --policy off against libxenguest's meminit hook, each on a scratch
# domain of its own): per-node shares of the guest from free-memory deltas,
# which the memory of the run before, coming back to the heap while the
# next one is measured, can blur, so --pause-ms gives the scrubber time (as
# 92-bench does) and each node may differ by 1.0 point.
hvm=""
if command -v xenguest-bench-xen >/dev/null; then
    bo=$(xenguest-bench-xen --mib 512 --pnode 1 --runs 1 --pause-ms 3000 \
         --policy off 2>&1)
    printf '%s\n' "$bo" | sed -n '/== policies/,$p' | sed 's/^/  /'
    hvm=$(printf '%s\n' "$bo" | awk '
        $1 == "off" && $2 == "ours" { for (i = 6; i <= NF; i++) o[i] = $i; n = NF }
        $1 == "stock" { for (i = 5; i <= NF; i++) s[i + 1] = $i }
        END {
            if (!n) { print "no policy table"; exit }
            for (i = 6; i <= n; i++) {
                split(o[i], a, ":"); split(s[i], b, ":")
                d = a[2] - b[2]; if (d < 0) d = -d
                if (a[1] != b[1] || d > 1.0) bad = bad " node " a[1] ": ours " a[2] "%, stock " b[2] "%"
            }
            print bad ? bad : "ok"
        }')
    [ "$hvm" = ok ] || why="$why HVM by the bench:$hvm;"
fi
if [ -z "$why" ]; then
    pass $name "PV $mib MiB, pages per node by Xen's count, ours (numa-memory=off)/stock (xl create cpus=[\"all\"]):$table; $pl; HVM 512 MiB by the bench (ours --policy off/stock meminit hook, share per node): ${hvm:-not run (no xenguest-bench-xen)}"
else
    fail $name "$why per node ours/stock:$table"
fi
