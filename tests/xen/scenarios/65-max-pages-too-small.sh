# tests/xen/scenarios/65-max-pages-too-small.sh: a domain whose max_pages is
# below what the guest needs: one clear error line naming max_pages,
# nothing populated, no claim left, with claims and with --claim=off
# (issue 11, item 7). The toolstack creates a 512 MiB domain; the builder
# is asked for 1024 MiB (a wrapper doubles -mem_max_mib and -mem_start_mib
# on the way to xenguest).
. /lib/xgtest.sh
. /lib/xgbuild.sh

cat > /tmp/xenguest-double <<'EOT'
#!/bin/sh
# xenguest with -mem_max_mib and -mem_start_mib doubled.
prev=""
for a do
    shift
    case $prev in
        -mem_max_mib|-mem_start_mib) set -- "$@" $((a * 2)) ;;
        *) set -- "$@" "$a" ;;
    esac
    prev=$a
done
exec xenguest "$@"
EOT
chmod +x /tmp/xenguest-double

for c in pv-claim:pv: pv-claim-off:pv:--claim=off hvm-claim:hvm: hvm-claim-off:hvm:--claim=off; do
    name=max-pages-too-small-${c%%:*}
    rest=${c#*:} t=${c#*:} t=${t%%:*} arg=${rest#*:}
    # shellcheck disable=SC2086
    b=$(XG_BUILDER=/tmp/xenguest-double xg_build "$t" 512 1 $arg)
    d=$(xg_get domid "$b")
    final=$(xg_get final "$b")
    why=""
    [ "$(xg_get verdict "$b")" = error ] || why="$why $(xg_summary "$b");"
    [ "$(xg_get finals "$b")" = 1 ] || why="$why $(xg_get finals "$b") final lines;"
    echo "$final" | grep -q "^error:xenguest: domain: max_pages of domain $d is [0-9]* pages ([0-9]* MiB), the guest needs [0-9]* ([0-9]* MiB) on top of the 0 it has: the toolstack must raise max_pages before the build$" ||
        why="$why line '$final';"
    [ -z "$d" ] || [ "$(kv tot_pages "$(driver dominfo "$d")")" = 0 ] ||
        why="$why $(kv tot_pages "$(driver dominfo "$d")") pages populated;"
    set -- $(claim_left "$d")
    [ "$1" = 0 ] && [ "$2" = 0 ] || why="$why claim left: domain $1, host $2;"
    if [ -z "$why" ]; then
        pass "$name" "$final"
    else
        fail "$name" "$why"
    fi
    xg_destroy "$b"
done
