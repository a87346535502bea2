# tests/xen/scenarios/10-smoke.sh: the toolstack works in dom0 and Xen sees
# the emulated NUMA machine: xl info / xl list, and libxenctrl from our own
# driver (xc_physinfo + xc_numainfo) agreeing with xl.
. /lib/xgtest.sh
want=$(xgtest_param nodes 4)

if info=$(xl info 2>&1); then
    nr=$(printf '%s\n' "$info" | sed -n 's/^nr_nodes *: //p')
    total=$(printf '%s\n' "$info" | sed -n 's/^total_memory *: //p')
    free=$(printf '%s\n' "$info" | sed -n 's/^free_memory *: //p')
    caps=$(printf '%s\n' "$info" | sed -n 's/^virt_caps *: //p')
    xl info -n | sed -n '/^numa_info/,/^xen_major/p' | grep -v '^xen_major' | sed 's/^/  /'
    if [ "$nr" = "$want" ]; then
        pass xl-info "nr_nodes=$nr total_memory=${total}MiB free_memory=${free}MiB virt_caps='$caps'"
    else
        fail xl-info "nr_nodes=$nr, expected $want"
    fi
else
    fail xl-info "xl info failed: $(printf '%s\n' "$info" | tail -n 1)"
fi

if list=$(xl list 2>&1); then
    d0=$(printf '%s\n' "$list" | awk '$1 == "Domain-0" { print "mem=" $3 "MiB vcpus=" $4 }')
    if [ -n "$d0" ]; then
        pass xl-list "Domain-0 $d0"
    else
        fail xl-list "no Domain-0 in: $(printf '%s' "$list" | tr '\n' '|')"
    fi
else
    fail xl-list "xl list failed: $(printf '%s\n' "$list" | tail -n 1)"
fi

if nodes=$(driver nodes 2>&1); then
    printf '%s\n' "$nodes" | sed 's/^/  /'
    n=$(printf '%s\n' "$nodes" | grep -c '^node=')
    sum=0
    for f in $(printf '%s\n' "$nodes" | sed -n 's/^node=.* memfree=\([0-9]*\) .*/\1/p'); do
        sum=$((sum + f))
    done
    hfree=$(kv free_pages "$(printf '%s\n' "$nodes" | grep '^host ')")
    if [ "$n" = "$want" ] && [ "$sum" -eq "$hfree" ]; then
        pass driver-nodes "$n nodes, memfree sum $sum pages = host free_pages"
    else
        fail driver-nodes "$n nodes (want $want), memfree sum $sum vs host free $hfree"
    fi
else
    fail driver-nodes "driver nodes failed: $nodes"
fi
