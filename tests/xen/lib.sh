# tests/xen/lib.sh: helpers for dom0 scenario scripts (busybox sh), installed
# in the initramfs as /lib/xgtest.sh.  A scenario sources it and reports each
# case with exactly one `pass`, `fail` or `skip`, which print the lines that
# tests/xen/run counts:
#     PASS name: figures      FAIL name: reason      SKIP name: reason
# Print result lines only through these (the runner counts what they
# record); informational lines should be indented or start with `#`.
# Helper variables are prefixed _xg_ so as not to clobber a scenario's.

# result WORD NAME TEXT...: print one result line, and record it for the
# runner (/scenario) in $XGTEST_RESULTS when that is set.
result() {
    _xg_r="$1 $2: $(shift 2; echo "$*")"
    echo "$_xg_r"
    [ -n "${XGTEST_RESULTS:-}" ] && echo "$_xg_r" >>"$XGTEST_RESULTS"
    return 0
}
pass() { result PASS "$@"; }
fail() { result FAIL "$@"; }
skip() { result SKIP "$@"; }
note() { echo "  $*"; }

# kv KEY LINE...: the value of KEY=VALUE in a `driver` output line.
kv() {
    _xg_k=$1; shift
    printf '%s\n' "$*" | tr ' ' '\n' | sed -n "s/^$_xg_k=//p" | head -n 1
}

# xgtest_param NAME [DEFAULT]: xgtest.NAME=VALUE from the dom0 command line,
# which tests/xen/run uses to pass the machine's shape (nodes, node_mib).
xgtest_param() {
    _xg_v=$(tr ' ' '\n' </proc/cmdline | sed -n "s/^xgtest\.$1=//p" | tail -n 1)
    echo "${_xg_v:-${2:-}}"
}

# host_free / host_outstanding / node_free N: pages, from `driver nodes`.
host_free() { kv free_pages "$(driver nodes | grep '^host ')"; }
host_outstanding() { kv outstanding_pages "$(driver nodes | grep '^host ')"; }
node_free() { kv memfree "$(driver nodes | grep "^node=$1 ")"; }

# settle_free BEFORE TOLERANCE: poll (up to ~5 s) until the host's free pages
# are within TOLERANCE of BEFORE; freed pages come back in bits after a
# destroy.  Prints the last reading; status 0 when it settled.
settle_free() {
    _xg_i=0
    while :; do
        _xg_now=$(host_free)
        _xg_d=$(($1 - _xg_now))
        [ "${_xg_d#-}" -le "$2" ] && { echo "$_xg_now"; return 0; }
        _xg_i=$((_xg_i + 1))
        [ $_xg_i -ge 50 ] && { echo "$_xg_now"; return 1; }
        sleep 0.1
    done
}

# uptime_ms: dom0's uptime in ms (10 ms steps), to time commands
# (busybox date has no %N).
uptime_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }

# xen_dom_nodes DOMID: "N:PAGES ..." the pages the domain holds on each
# node, as Xen counts them: debug key 'u' ("Memory location of each domain",
# a "dN (total: T):" or "Domain N (total: T):" line, then "Node N: P" lines)
# read back from a cleared console ring.  Status 1 when the domain is not in.
xen_dom_nodes() {
    xl dmesg -c >/dev/null 2>&1
    xl debug-keys u >/dev/null 2>&1 || return 1
    _xg_v=$(xl dmesg 2>/dev/null | tr -d '\r' | sed 's/^(XEN) *//' | awk -v d="$1" '
        /^Domain [0-9]+ \(total/ { cur = ($2 == d); next }
        /^d[0-9]+ \(total/ { cur = ($1 == "d" d); next }
        cur && $1 == "Node" { sub(/:$/, "", $2); v = v $2 ":" $3 " "; next }
        { cur = 0 }
        END { print v }')
    [ -n "$_xg_v" ] || return 1
    echo "$_xg_v"
}

# xen_unscrubbed [NODE]: free pages Xen still has to scrub, on NODE or on
# every node: debug key 'H' (dump_heap) prints "Node N has X unscrubbed
# pages" for each node with some (none for a node without: 0), read back
# from a cleared console ring. Prints nothing when the key did not answer.
xen_unscrubbed() {
    xl dmesg -c >/dev/null 2>&1
    xl debug-keys H >/dev/null 2>&1
    xl dmesg -c 2>/dev/null | tr -d '\r' | awk -v n="${1:-all}" '
        /pressed -> dumping heap info/ { seen = 1 }
        /Node [0-9]+ has [0-9]+ unscrubbed pages/ {
            for ( i = 1; i < NF; i++ ) if ( $i == "Node" ) break
            if ( n == "all" || $(i + 1) == n ) s += $(i + 3) }
        END { if ( seen ) print s + 0 }'
}

# scrub_settle [NODE] [SECONDS]: wait (default up to 300 s) until Xen's idle
# scrubber has nothing left on NODE (or on every node). Prints the seconds
# waited; status 1 (and "timeout") when it did not settle.
scrub_settle() {
    _xg_s=0
    while [ "$(xen_unscrubbed "${1:-all}")" != 0 ]; do
        [ $_xg_s -ge "${2:-300}" ] && { echo timeout; return 1; }
        sleep 1
        _xg_s=$((_xg_s + 1))
    done
    echo $_xg_s
}
