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
    b=$(XGFI_TRACE=/tmp/trace XG_BUILDER=xenguest-fi xg_build "$type" "$mib" 1) ||
        { fail "$name" "traced build: $(xg_summary "$b")"; xg_destroy "$b"; return; }
    xg_destroy "$b"
    faults=0 errors=0 absorbed=0 why=""
    while read -r fn count; do
        for k in $(picks "$count"); do
            faults=$((faults + 1))
            b=$(XGFI_FAIL="$fn:$k:5" XG_BUILDER=xenguest-fi xg_build "$type" "$mib" 1)
            finals=$(xg_get finals "$b")
            code=$(xg_get exit "$b")
            final=$(xg_get final "$b")
            verdict=$(xg_get verdict "$b")
            case $verdict in
                result) absorbed=$((absorbed + 1)) ;;
                error)
                    errors=$((errors + 1))
                    echo "$final" | grep -q '^error:xenguest: [a-z-]*: ' ||
                        why="$why $fn#$k: '$final';"
                    [ "$code" != 0 ] || why="$why $fn#$k: error but exit 0;" ;;
                *)  why="$why $fn#$k: verdict=$verdict exit=$code;" ;;
            esac
            [ "$finals" = 1 ] || why="$why $fn#$k: $finals final lines;"
            d=$(xg_get domid "$b")
            if [ -n "$d" ]; then
                set -- $(claim_left "$d")
                [ "$1" = 0 ] && [ "$2" = 0 ] || why="$why $fn#$k: claim left $1/$2;"
                driver destroy "$d" >/dev/null
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
