# tests/xen/scenarios/63-special-pages-local.sh: after a build with
# -mem_pnode N, every page of the domain is on node N, by Xen's own count
# (debug key 'u'), tolerance 0 (issue 11, item 2). What libxenguest
# allocates after meminit without naming a node (HVM and PVH special
# pages, ACPI tables) follows the domain's node affinity, which meminit
# left on node N; without it Xen's round-robin puts them on the node after
# the last one used, N + 1. For HVM, PVH and PV.
. /lib/xgtest.sh
. /lib/xgbuild.sh

pn=1
for t in hvm pvh pv; do
    name=special-pages-local-$t
    if b=$(xg_build "$t" 512 "$pn"); then
        d=$(xg_get domid "$b")
        tot=$(kv tot_pages "$(driver dominfo "$d")")
        why="" mine=0
        on=$(xen_dom_nodes "$d") || why="$why debug key u shows no domain $d;"
        for nb in $on; do
            if [ "${nb%%:*}" = "$pn" ]; then
                mine=${nb#*:}
            elif [ "${nb#*:}" != 0 ]; then
                why="$why ${nb#*:} pages on node ${nb%%:*};"
            fi
        done
        [ "$mine" = "$tot" ] || why="$why node $pn holds $mine of tot_pages $tot;"
        set -- $(claim_left "$d")
        [ "$1" = 0 ] && [ "$2" = 0 ] || why="$why claim left: domain $1, host $2;"
        if [ -z "$why" ]; then
            pass "$name" "all $tot pages on node $pn (Xen: $on)"
        else
            fail "$name" "$why Xen: $on"
        fi
    else
        fail "$name" "$(xg_summary "$b")"
    fi
    xg_destroy "$b"
    settle_free "$(host_free)" 64 >/dev/null
done
