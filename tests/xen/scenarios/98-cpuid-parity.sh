# tests/xen/scenarios/98-cpuid-parity.sh: the CPUID policy of a domain built
# by xenguest equals the one xl builds for the same guest, leaf by leaf
# (xen-cpuid -p DOMID: every leaf and MSR of the domain's policy), for HVM
# and PVH with no platform/featureset; for HVM with platform/featureset set
# to Xen's own HVM default featureset (words joined by '-', as xenopsd
# writes them); and a reduced featureset is honoured: one feature the host
# gives (AVX2, or the first of BMI2, BMI1, MOVBE, POPCNT, AES present)
# cleared in platform/featureset, against xl's cpuid="host,NAME=0", and the
# bit clear in the guest's leaf.  Domains are built paused, 256 MiB, 2 vCPUs.
. /lib/xgtest.sh
. /lib/xgbuild.sh
name=cpuid-parity
if [ ! -x /usr/local/bin/xenguest ]; then
    skip $name "no build/xenguest in the initramfs"
    exit 0
fi

# policy DOMID: the leaf and MSR lines of the domain's policy.
policy() {
    xen-cpuid -p "$1" 2>&1 | grep -E '^ *[0-9a-f]{8}(:[0-9a-f]{8})? +-> '
}

# xl_policy TYPE [CPUID]: xl create -p, the policy, destroy.
xl_policy() {
    {
        echo 'name="xgtest-cpuid"'
        echo "type=\"$1\""
        echo 'memory=256'
        echo 'vcpus=2'
        [ -n "${2:-}" ] && echo "cpuid=\"$2\""
        if [ "$1" = hvm ]; then
            echo 'vga="none"'
            echo 'vnc=0'
        else
            echo 'kernel="/boot/guest-vmlinuz"'
        fi
    } >/tmp/xgtest-cpuid.cfg
    _o=$(xl create -p /tmp/xgtest-cpuid.cfg 2>&1) || {
        echo "xl create failed: $(printf '%s\n' "$_o" | tail -n 2 | tr '\n' ' ')" >&2; return 1; }
    _d=$(xl domid xgtest-cpuid)
    policy "$_d"
    xl destroy "$_d" >/dev/null 2>&1
}

# ours_policy TYPE [FEATURESET]: built by xenguest, the policy, destroy.
ours_policy() {
    _a="--vcpus 2"
    [ -n "${2:-}" ] && _a="$_a --xs platform/featureset=$2"
    _b=$(XG_CREATE_ARGS="$_a" xg_build "$1" 256 1) || {
        echo "xenguest: $(xg_summary "$_b")" >&2; xg_destroy "$_b"; return 1; }
    policy "$(xg_get domid "$_b")"
    xg_destroy "$_b"
}

# differ A B: the leaves that differ, "leaf: ours X, xl Y" (nothing if equal).
differ() {
    printf '%s\n' "$1" | grep -vxF "$2" | while read -r l _ v; do
        echo "$l ours $v, xl $(printf '%s\n' "$2" | awk -v l="$l" '$1 == l { print $3 }');"
    done
    printf '%s\n' "$2" | grep -vxF "$1" | while read -r l _ v; do
        printf '%s\n' "$1" | grep -q "^ *$l " || echo "$l only in xl's ($v);"
    done
}

# leaf_reg POLICY LEAF REG(1-4): one register of one leaf, hex.
leaf_reg() {
    printf '%s\n' "$1" | awk -v l="$2" -v r="$3" '$1 == l { split($3, v, ":"); print v[r] }'
}

why="" figures=""
# compare CASE OURS XL: equal policies, or a reason.
compare() {
    if [ -z "$2" ] || [ -z "$3" ]; then
        why="$why $1: no policy (${4:-});"
        return
    fi
    _d=$(differ "$2" "$3")
    if [ -n "$_d" ]; then
        why="$why $1: $(printf '%s\n' "$_d" | wc -l) lines differ: $(printf '%s\n' "$_d" | head -n 6 | tr '\n' ' ' | sed 's/; *$//');"
    else
        figures="$figures $1: $(printf '%s\n' "$2" | wc -l) lines equal;"
    fi
}

for t in hvm pvh; do
    o=$(ours_policy $t 2>/tmp/err.ours) x=$(xl_policy $t 2>/tmp/err.xl)
    compare "$t default" "$o" "$x" "$(cat /tmp/err.ours /tmp/err.xl | tr '\n' ' ')"
done

# Xen's HVM default featureset, as xenopsd would write it.
fs=$(xen-cpuid 2>/dev/null | sed -n 's/^HVM Default *//p' | tr -d ' ' | tr ':' '-')
note "HVM default featureset: $fs"
if [ -z "$fs" ]; then
    why="$why no 'HVM Default' featureset from xen-cpuid;"
else
    o=$(ours_policy hvm "$fs" 2>/tmp/err.ours)
    x=$(xl_policy hvm 2>/tmp/err.xl)
    compare "hvm featureset=HVM default" "$o" "$x" "$(cat /tmp/err.ours /tmp/err.xl | tr '\n' ' ')"

    # A feature to take away: NAME WORD BIT LEAF REG (REG: 1-4 = eax-edx).
    pick=""
    for c in "avx2 5 5 00000007:00000000 2" "bmi2 5 8 00000007:00000000 2" \
             "bmi1 5 3 00000007:00000000 2" "movbe 1 22 00000001:ffffffff 3" \
             "popcnt 1 23 00000001:ffffffff 3" "aes 1 25 00000001:ffffffff 3"; do
        set -- $c
        w=$(echo "$fs" | cut -d- -f$(($2 + 1)))
        [ -n "$w" ] && [ $(((0x$w >> $3) & 1)) = 1 ] && { pick=$c; break; }
    done
    if [ -z "$pick" ]; then
        why="$why none of avx2, bmi2, bmi1, movbe, popcnt, aes in the HVM default featureset;"
    else
        set -- $pick
        feat=$1 word=$2 bit=$3 leaf=$4 reg=$5
        w=$(echo "$fs" | cut -d- -f$((word + 1)))
        nw=$(printf '%08x' $((0x$w & ~(1 << bit))))
        rfs=$(echo "$fs" | awk -F- -v i=$((word + 1)) -v n="$nw" '{ $i = n; print }' OFS=-)
        o=$(ours_policy hvm "$rfs" 2>/tmp/err.ours)
        x=$(xl_policy hvm "host,$feat=0" 2>/tmp/err.xl)
        compare "hvm without $feat" "$o" "$x" "$(cat /tmp/err.ours /tmp/err.xl | tr '\n' ' ')"
        v=$(leaf_reg "$o" "$leaf" "$reg")
        if [ -n "$v" ] && [ $(((0x$v >> bit) & 1)) = 0 ]; then
            figures="$figures $feat clear in leaf $leaf ($v);"
        else
            why="$why $feat still set in our guest's leaf $leaf (register $reg = '$v') with featureset word $word = $nw;"
        fi
    fi
fi

if [ -z "$why" ]; then
    pass $name "$figures"
else
    fail $name "$why (equal:$figures)"
fi
