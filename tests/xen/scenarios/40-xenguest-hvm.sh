# tests/xen/scenarios/40-xenguest-hvm.sh: the whole VM.build path for an HVM
# guest with the real builder (build/xenguest, when it has been built):
# create as xenopsd does, exec xenguest with the contract's arguments and a
# preferred node, then check the result line, the domain's pages, that the
# claim is gone, and which node the memory came from.
. /lib/xgtest.sh
. /lib/xgbuild.sh
name=xenguest-hvm
xg=/usr/local/bin/xenguest
if [ ! -x $xg ]; then
    skip $name "no build/xenguest in the initramfs"
    exit 0
fi
nodes=$(xgtest_param nodes 4)
mib=512
pnode=$((nodes - 2))                     # not node 0 (Xen) nor the top one (dom0)
[ $pnode -lt 0 ] && pnode=0

f0=$(node_free $pnode)
out=$(driver create --type hvm --mem-mib $mib 2>&1) || { fail $name "create: $out"; exit 0; }
line=$(printf '%s\n' "$out" | grep '^domid=')
domid=$(kv domid "$line")
sp=$(kv store_port "$line")
cp=$(kv console_port "$line")

o=$(driver exec --timeout 120 -- $xg -domid "$domid" -store_port "$sp" -store_domid 0 \
        -console_port "$cp" -console_domid 0 -mode hvm_build \
        -image /usr/lib/xen-4.17/boot/hvmloader \
        -mem_max_mib $mib -mem_start_mib $mib -mem_pnode $pnode)
printf '%s\n' "$o" | sed 's/^/  /'
info=$(driver dominfo "$domid")
note "$info"
f1=$(node_free $pnode)
tot=$(kv tot_pages "$info")
outst=$(kv outstanding_pages "$info")
driver destroy "$domid" >/dev/null

why=""
[ "$(xg_get verdict "$o")" = result ] || why="$why $(xg_summary "$o");"
# All guest RAM but the VGA hole (0xa0-0xbf), plus a few special pages.
min=$((mib * 256 - 32))
[ "${tot:-0}" -ge $min ] || why="$why tot_pages=$tot < $min;"
[ "${outst:-1}" -eq 0 ] || why="$why claim left behind: outstanding_pages=$outst;"
used=$((f0 - f1))
[ $used -ge $((min - 512)) ] || why="$why only $used pages came from node $pnode;"
if [ -z "$why" ]; then
    pass $name "domid=$domid tot_pages=$tot node${pnode}_pages=$used"
else
    fail $name "$why"
fi
