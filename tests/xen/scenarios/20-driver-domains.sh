# tests/xen/scenarios/20-driver-domains.sh: the driver prepares domains the
# way xenopsd does before it execs the builder, for each guest type:
# create (with a host-wide claim), check tot/outstanding pages in the domain
# and on the host, see the xenstore name through xl, destroy, check that the
# claim is gone and the free memory comes back.
. /lib/xgtest.sh
mib=256
claim=$((mib * 256))

for t in pv hvm pvh; do
    name=driver-$t
    before=$(host_free)
    # Exercise the xenstore overrides too (read back by the builder scenarios).
    xs=""
    [ $t = hvm ] && xs="--xs platform/hpet=0 --xs-rm platform/viridian"
    # shellcheck disable=SC2086
    if ! out=$(driver create --type $t --mem-mib $mib --claim-pages $claim $xs 2>&1); then
        fail $name "create: $(printf '%s' "$out" | tr '\n' ' ')"
        continue
    fi
    printf '%s\n' "$out" | sed 's/^/  /'
    line=$(printf '%s\n' "$out" | grep '^domid=')
    domid=$(kv domid "$line")
    info=$(driver dominfo "$domid") || { fail $name "dominfo $domid failed"; continue; }
    note "$info"
    tot=$(kv tot_pages "$info")
    outst=$(kv outstanding_pages "$info")
    hvm=$(kv hvm "$info")
    hout=$(host_outstanding)
    listed=$(xl list | awk -v d="$domid" '$2 == d { print $1 }')

    why=""
    [ "$t" = pv ] && [ "$hvm" != 0 ] && why="$why hvm=$hvm for a PV domain;"
    [ "$t" != pv ] && [ "$hvm" != 1 ] && why="$why hvm=$hvm for an HVM container;"
    [ $((tot + outst)) -eq $claim ] || why="$why tot_pages $tot + outstanding $outst != claim $claim;"
    [ "$hout" -eq "$outst" ] || why="$why host outstanding $hout != domain's $outst;"
    [ "$listed" = xgtest ] || why="$why xl list shows name '$listed';"

    if ! d=$(driver destroy "$domid" 2>&1); then
        fail $name "destroy: $d"
        continue
    fi
    hout2=$(host_outstanding)
    [ "$hout2" -eq 0 ] || why="$why host outstanding $hout2 after destroy;"
    # Freed pages come back in bits: allow a few stragglers.
    after=$(settle_free "$before" 64) || why="$why free pages $after after destroy vs $before before;"

    if [ -z "$why" ]; then
        pass $name "domid=$domid claim=$claim outstanding=$outst tot_pages=$tot host_outstanding=$hout free_delta=$((before - after))"
    else
        fail $name "$why"
    fi
done
