# tests/xen/nodeclaim/nclib.sh: helpers for the node-claim scenarios
# (installed as /lib/xgnodeclaim.sh; sourced after /lib/xgtest.sh and
# /lib/xgbuild.sh).  The node-claim TEST FIXTURE: these scenarios run only on
# the patched hypervisor that tests/xen/nodeclaim/build-xen makes.
#
# Figures come from Xen itself: debug key 'u', which the fixture's patch
# extends with "NODEn claimed->P" (all node claims on node n) and, under a
# domain's "Node n: P" lines, "Claim: node N: P" or "Claim: host: P".
# All figures are 4 KiB pages unless a name says MiB.

NC_U=/tmp/nc-u.txt
NC_LOG=/tmp/nc-xenguest.log

# The builder with libxcnode.so preloaded: xc_domain_claim_pages_node found
# through meminit's weak reference, as on XenServer 9.
NC_BUILDER=xenguest-nc

# u_dump: one 'u' dump from a cleared console ring into $NC_U.
u_dump() {
    xl dmesg -c >/dev/null 2>&1
    xl debug-keys u >/dev/null 2>&1
    xl dmesg 2>/dev/null | tr -d '\r' | sed 's/^(XEN) *//' >"$NC_U"
}

# node_claimed N: the node claims staked on node N (last dump).
node_claimed() {
    v=$(sed -n "s/^NODE$1 claimed->\([0-9]*\).*/\1/p" "$NC_U" | tail -n 1)
    echo "${v:-?}"
}

# dom_claim DOMID: "node N P", "host P" or "none 0" (last dump).
dom_claim() {
    awk -v d="$1" '
        /^Domain [0-9]+ \(total/ { cur = ($2 == d); next }
        /^d[0-9]+ \(total/ { cur = ($1 == "d" d); next }
        cur && $1 == "Claim:" { sub(/:$/, "", $2); sub(/:$/, "", $3);
                                if ($2 == "node") print "node", $3, $4;
                                else print "host", $3;
                                found = 1; exit }
        END { if (!found) print "none 0" }' "$NC_U"
}

# dom_pages DOMID N: the domain's pages on node N (last dump).
dom_pages() {
    awk -v d="$1" -v n="$2" '
        /^Domain [0-9]+ \(total/ { cur = ($2 == d); next }
        /^d[0-9]+ \(total/ { cur = ($1 == "d" d); next }
        cur && $1 == "Node" && $2 == n":" { v = $3 }
        END { print v + 0 }' "$NC_U"
}

# dom_spread DOMID NODES: "0:P 1:P ..." for nodes 0..NODES-1 (last dump).
dom_spread() {
    _nc_s="" _nc_i=0
    while [ $_nc_i -lt "$2" ]; do
        _nc_s="$_nc_s$_nc_i:$(dom_pages "$1" $_nc_i) "
        _nc_i=$((_nc_i + 1))
    done
    echo "${_nc_s% }"
}

# tot_pages DOMID / outstanding DOMID: from `driver dominfo`.
tot_pages() { kv tot_pages "$(driver dominfo "$1")"; }
outstanding() { kv outstanding_pages "$(driver dominfo "$1")"; }

# nc_errno CMD...: run nodeclaim, print its errno name or "ok".
nc_errno() {
    _nc_o=$(nodeclaim "$@" 2>&1)
    case "$_nc_o" in
        rc=0*) echo ok ;;
        *errno=*) echo "${_nc_o##*errno=}" ;;
        *) echo "?($_nc_o)" ;;
    esac
}

# nc_populated CMD...: `nodeclaim populate ...`'s extent count (or -1).
nc_populated() {
    _nc_o=$(nodeclaim populate "$@" 2>&1)
    case "$_nc_o" in
        populated=*) _nc_o=${_nc_o#populated=}; echo "${_nc_o%% *}" ;;
        *) echo -1 ;;
    esac
}

# xg_log PATTERN: the first line of xenguest's debug log matching PATTERN
# (the log is written with -debuglog $NC_LOG, which nc_build passes).
xg_log() { grep -- "$1" "$NC_LOG" 2>/dev/null | head -n 1 | sed 's/^[^:]*: [a-z]*: //'; }

# nc_build TYPE MIB PNODE [ARGS...]: xg_build (xgbuild.sh) with the
# preloaded builder ($NC_WITH instead when set) and a fresh debug log.  The
# build's record goes to $OUT, and the fields the scenarios judge to
# $DOMID, $VERDICT and $FINAL (xg_get's domid, verdict and final or
# reason); status 0 iff the verdict is result.
nc_build() {
    rm -f "$NC_LOG"
    _nc_t=$1 _nc_m=$2 _nc_p=$3
    shift 3
    OUT=$(XG_BUILDER=${NC_WITH:-$NC_BUILDER} \
          xg_build "$_nc_t" "$_nc_m" "$_nc_p" -debuglog "$NC_LOG" "$@")
    _nc_rc=$?
    DOMID=$(xg_get domid "$OUT")
    VERDICT=$(xg_get verdict "$OUT")
    FINAL=$(xg_get final "$OUT")
    [ -n "$FINAL" ] || FINAL=$(xg_get reason "$OUT")
    return $_nc_rc
}

# xg_info PATTERN: the first info: line of the last nc_build matching
# PATTERN, without "info:".
xg_info() { xg_get info "$OUT" "$1"; }

# nc_wait_stopped: the pid of a xenguest that stopped itself (XCSTOP, see
# xcstop.c), waiting up to 120 s; status 1 if none did.
nc_wait_stopped() {
    _nc_i=0
    while [ $_nc_i -lt 1200 ]; do
        for _nc_p in $(pidof xenguest 2>/dev/null); do
            if grep -q '^State:[[:space:]]*T' "/proc/$_nc_p/status" 2>/dev/null; then
                echo "$_nc_p"
                return 0
            fi
        done
        sleep 0.1
        _nc_i=$((_nc_i + 1))
    done
    return 1
}

# claim_line: xenguest's "claim: ..." info line of the last build.
claim_line() { xg_info '^claim: '; }

# mib PAGES: MiB, one decimal.
mib() { awk -v p="$1" 'BEGIN { printf "%.1f", p / 256 }'; }
