# tests/xen/demo.sh: `make demo`: build an HVM VM on a chosen NUMA node of the
# emulated 4-node machine the way xenopsd would, and show where its memory
# came from.  The node is xgtest.node on the dom0 command line
# (tests/xen/run --demo --node N); by default node 1.
. /lib/xgtest.sh
node=$(xgtest_param node 1)
mib=1024
echo "# the machine, as Xen sees it (xl info -n):"
xl info -n | sed -n '/^numa_info/,/^xen_major/p' | grep -v '^xen_major' | sed 's/^/  /'
echo "# free pages per node before:"
driver nodes | sed 's/^/  /'
before=$(driver nodes | sed -n 's/^node=\([0-9]*\) .* memfree=\([0-9]*\) .*/\1:\2/p')

out=$(driver create --type hvm --mem-mib $mib 2>&1) || { fail demo "create: $out"; exit 0; }
line=$(printf '%s\n' "$out" | grep '^domid=')
domid=$(kv domid "$line")
echo "# $line"
if [ -x /usr/local/bin/xenguest ]; then
    echo "# xenguest -mode hvm_build ... -mem_pnode $node ($mib MiB):"
    o=$(driver exec --timeout 120 -- xenguest -domid "$domid" \
            -store_port "$(kv store_port "$line")" -store_domid 0 \
            -console_port "$(kv console_port "$line")" -console_domid 0 \
            -mode hvm_build -image /usr/lib/xen-4.17/boot/hvmloader \
            -mem_max_mib $mib -mem_start_mib $mib -mem_pnode "$node")
    printf '%s\n' "$o" | sed 's/^/  /'
else
    o="verdict=none"
    echo "# no build/xenguest: only the empty domain is shown"
fi
echo "# the domain: $(driver dominfo "$domid")"
echo "# pages taken per node (free before - free after):"
for nb in $before; do
    n=${nb%%:*}
    echo "  node $n: $((${nb#*:} - $(node_free "$n"))) pages"
done
driver destroy "$domid" >/dev/null
if printf '%s\n' "$o" | grep -q '^verdict=result '; then
    pass demo "HVM $mib MiB built on node $node"
elif [ "$o" = "verdict=none" ]; then
    skip demo "no build/xenguest"
else
    fail demo "$(printf '%s\n' "$o" | grep '^verdict=')"
fi
