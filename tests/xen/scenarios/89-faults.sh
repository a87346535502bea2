# tests/xen/scenarios/89-faults.sh: the fault sweep under real Xen. A
# traced build counts every libxenctrl, libxenguest and libxenstore call
# of the whole build path (tests/xen/faultinj.c, preloaded); then each
# function fails at its 1st, 2nd, middle, next-to-last and last call in
# turn (HVM), or at its first and last (PV). Every run must end, as xenopsd reads it, in exactly one final line:
# an error line naming a step and a non-zero exit, or (a fault the build
# may absorb, such as a retried claim cancel) a full result; and the
# domain's claim, and the host's, must be 0 afterwards.
. /lib/xgtest.sh
. /lib/xgbuild.sh

# picks COUNT: the call numbers to fail (PICKS=ends: the first and last).
picks() {
    if [ "${PICKS:-}" = ends ]; then
        printf '%s\n' 1 "$1" | uniq
    elif [ "$1" -le 5 ]; then
        seq 1 "$1"
    else
        printf '%s\n' 1 2 $(($1 / 2)) $(($1 - 1)) "$1"
    fi
}

# sweep NAME TYPE MIB: trace one build, then fail each call in turn.
sweep() {
    name=$1 type=$2 mib=$3
    rm -f /tmp/trace
    XGFI_TRACE=/tmp/trace XG_BUILDER=xenguest-fi xg_build "$type" "$mib" 1 ||
        { fail "$name" "traced build: verdict=$VERDICT $FINAL"; return; }
    driver destroy "$DOMID" >/dev/null
    faults=0 errors=0 absorbed=0 why=""
    while read -r fn count; do
        for k in $(picks "$count"); do
            faults=$((faults + 1))
            XGFI_FAIL="$fn:$k:5" XG_BUILDER=xenguest-fi xg_build "$type" "$mib" 1
            finals=$(printf '%s\n' "$OUT" | grep -c '^ *read: \(result\|error\):')
            code=$(printf '%s\n' "$OUT" | sed -n 's/^ *builder exit=\(.*\)/\1/p')
            case $VERDICT in
                result) absorbed=$((absorbed + 1)) ;;
                error)
                    errors=$((errors + 1))
                    echo "$FINAL" | grep -q '^error:xenguest: [a-z-]*: ' ||
                        why="$why $fn#$k: '$FINAL';"
                    [ "$code" != 0 ] || why="$why $fn#$k: error but exit 0;" ;;
                *)  why="$why $fn#$k: verdict=$VERDICT exit=$code;" ;;
            esac
            [ "$finals" = 1 ] || why="$why $fn#$k: $finals final lines;"
            if [ -n "$DOMID" ]; then
                set -- $(claim_left "$DOMID")
                [ "$1" = 0 ] && [ "$2" = 0 ] || why="$why $fn#$k: claim left $1/$2;"
                driver destroy "$DOMID" >/dev/null
            fi
        done
    done </tmp/trace
    calls=$(awk '{ n += $2 } END { print n }' /tmp/trace)
    if [ -z "$why" ]; then
        pass "$name" "$(wc -l </tmp/trace) functions, $calls calls in a build; $faults faults injected: $errors clean error lines, $absorbed absorbed; no claim left"
    else
        fail "$name" "$faults faults:$why"
    fi
}

sweep faults-hvm hvm 256
# PV: the uncompressed kernel (parsing the bzImage takes seconds under
# TCG), and each function's first and last call.
XG_IMAGE=/boot/guest-vmlinux PICKS=ends sweep faults-pv pv 256
