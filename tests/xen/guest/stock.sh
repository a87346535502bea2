# tests/xen/guest/stock.sh: one guest (Debian's kernel, the test guest's
# initramfs; for HVM hvmloader) built two ways in dom0, for
# scenarios/95-stock-side-by-side.sh
# and demo.sh; installed as /lib/xgstock.sh (needs /lib/xgtest.sh first;
# brings /lib/xgbuild.sh, whose xg_get reads xenguest's output).
#
#   sbs_ours NODE MIB   xenguest as xenopsd runs it: driver create, then
#                       driver exec xenguest -mode linux_build|pvh_build|
#                       hvm_build ... -mem_pnode NODE
#   sbs_stock MIB [CPUS [CPUS_SOFT]] the stock path: `xl create -p` (libxl
#                       + libxenguest, claim_mode=1; for HVM the device model
#                       starts too), with cpus="CPUS" and cpus_soft="CPUS_SOFT"
#                       when given (CPUS starting with "[" is written as an xl
#                       list: cpus=["all"] turns libxl's automatic NUMA
#                       placement off, which a full cpus="all" string does
#                       not). cpus= alone (hard affinity) leaves that
#                       placement on: it picks a node for the soft affinity,
#                       and Xen's node affinity follows the soft mask when
#                       the two do not intersect; cpus_soft= as well turns it
#                       off (xl_parse.c parse_vcpu_affinity(), libxl_dom.c
#                       libxl__build_pre(), 4.17): the expert's config
#   SBS_TYPE            pv (default), pvh or hvm: the guest type both build
#   sbs_destroy         destroys what the last build made
#   sbs_run KEY CMD...  runs one of the builds, keeps its figures as KEY_ms,
#                       KEY_free, KEY_xen, KEY_err, destroys the domain and
#                       waits for the memory to come back
#   sbs_table NODES KEY:TITLE...  prints the figures side by side
#
# Both builds leave the domain paused and set SBS_DOMID, SBS_MS (wall time of
# the whole creation: driver create + exec, or xl create -p), SBS_OUT (what
# the builder printed), SBS_FREE ("N:PAGES ..." free pages each node lost),
# SBS_XEN ("N:PAGES ..." Xen's own per-node count of the domain's pages) and
# SBS_ERR (why it failed; empty on success).  Status 0 iff it built.  With
# SBS_PLAN=1, sbs_ours also runs `xenguest --plan` standalone between create
# and build (not timed) and keeps its output in SBS_PLANOUT.

. /lib/xgbuild.sh

SBS_KERNEL=/boot/guest-vmlinuz
SBS_RAMDISK=/boot/guest-initrd.gz
SBS_CMDLINE="console=hvc0 clearcpuid=rdtscp rdinit=/init xgtest.token=side-by-side"

# _sbs_mode: xenguest's mode for SBS_TYPE.
_sbs_mode() {
    case ${SBS_TYPE:-pv} in
        pv) echo linux_build ;; pvh) echo pvh_build ;; hvm) echo hvm_build ;;
    esac
}

# _sbs_free: "N:FREE ..." for every node, in pages.
_sbs_free() {
    driver nodes | sed -n 's/^node=\([0-9]*\) .* memfree=\([0-9]*\) .*/\1:\2/p' | tr '\n' ' '
}

# _sbs_taken BEFORE AFTER: "N:PAGES ..." each node lost from BEFORE to AFTER.
_sbs_taken() {
    for _sb_b in $1; do
        for _sb_a in $2; do
            [ "${_sb_a%%:*}" = "${_sb_b%%:*}" ] &&
                printf '%s:%s ' "${_sb_b%%:*}" $((${_sb_b#*:} - ${_sb_a#*:}))
        done
    done
}

_sbs_reset() {
    SBS_DOMID="" SBS_MS="" SBS_OUT="" SBS_FREE="" SBS_XEN="" SBS_ERR="" SBS_KIND=""
    SBS_PLANOUT=""
}

sbs_ours() {
    _sbs_reset
    SBS_KIND=ours
    _sb_before=$(_sbs_free)
    _sb_t0=$(uptime_ms)
    _sb_t=${SBS_TYPE:-pv}
    _sb_o=$(driver create --type "$_sb_t" --mem-mib "$2" --xs name=xgtest-ours \
            --xs hvmloader/bios=seabios 2>&1) || {
        SBS_ERR="driver create: $(printf '%s' "$_sb_o" | tr '\n' ' ')"; return 1; }
    _sb_l=$(printf '%s\n' "$_sb_o" | grep '^domid=')
    SBS_DOMID=$(kv domid "$_sb_l")
    if [ "${SBS_PLAN:-0}" = 1 ]; then
        _sb_t1=$(uptime_ms)
        SBS_PLANOUT=$(xenguest --domid "$SBS_DOMID" --mode "$(_sbs_mode)" \
            --mem_max_mib "$2" --mem_pnode "$1" --plan 2>&1)
        _sb_t0=$((_sb_t0 + $(uptime_ms) - _sb_t1))
    fi
    _sb_pn=$1 _sb_mib=$2
    case $_sb_t in
        hvm) set -- -mode hvm_build -image /usr/lib/xen-4.17/boot/hvmloader ;;
        pv)  set -- -mode linux_build -image $SBS_KERNEL -cmdline "$SBS_CMDLINE" \
                 -ramdisk $SBS_RAMDISK -features "" -flags 0 ;;
        pvh) set -- -mode pvh_build -image $SBS_KERNEL -cmdline "$SBS_CMDLINE" \
                 -features "" -flags 0 -module $SBS_RAMDISK ;;
    esac
    SBS_OUT=$(driver exec --timeout 100 -- xenguest -domid "$SBS_DOMID" \
        -store_port "$(kv store_port "$_sb_l")" -store_domid 0 \
        -console_port "$(kv console_port "$_sb_l")" -console_domid 0 "$@" \
        -mem_max_mib "$_sb_mib" -mem_start_mib "$_sb_mib" -mem_pnode "$_sb_pn" 2>&1)
    SBS_MS=$(($(uptime_ms) - _sb_t0))
    SBS_FREE=$(_sbs_taken "$_sb_before" "$(_sbs_free)")
    [ "$(xg_get verdict "$SBS_OUT")" = result ] || {
        SBS_ERR="xenguest: $(xg_summary "$SBS_OUT")"
        return 1; }
    SBS_XEN=$(xen_dom_nodes "$SBS_DOMID") || SBS_ERR="no per-node count from Xen for d$SBS_DOMID"
    [ -z "$SBS_ERR" ]
}

sbs_stock() {
    _sbs_reset
    SBS_KIND=stock
    grep -q '^claim_mode' /etc/xen/xl.conf 2>/dev/null || echo 'claim_mode=1' >>/etc/xen/xl.conf
    mkdir -p /var/lib/xen /var/log/xen /run/xen
    {
        echo 'name="xgtest-stock"'
        echo "type=\"${SBS_TYPE:-pv}\""
        if [ "${SBS_TYPE:-pv}" = hvm ]; then
            echo 'vga="none"'
            echo 'vnc=0'
        else
            echo "kernel=\"$SBS_KERNEL\""
            echo "ramdisk=\"$SBS_RAMDISK\""
            echo "cmdline=\"$SBS_CMDLINE\""
        fi
        echo "memory=$1"
        echo 'vcpus=1'
        case ${2:-} in
            "") ;;
            \[*) echo "cpus=$2" ;;     # an xl list, e.g. ["all"]: no placement
            *) echo "cpus=\"$2\"" ;;
        esac
        [ -n "${3:-}" ] && echo "cpus_soft=\"$3\""
        echo 'on_poweroff="destroy"'
    } >/tmp/xgtest-stock.cfg
    _sb_before=$(_sbs_free)
    _sb_t0=$(uptime_ms)
    SBS_OUT=$(xl create -p /tmp/xgtest-stock.cfg 2>&1)
    _sb_rc=$?
    SBS_MS=$(($(uptime_ms) - _sb_t0))
    SBS_FREE=$(_sbs_taken "$_sb_before" "$(_sbs_free)")
    SBS_DOMID=$(xl domid xgtest-stock 2>/dev/null)
    if [ $_sb_rc -ne 0 ] || [ -z "$SBS_DOMID" ]; then
        SBS_ERR="xl create -p failed (rc=$_sb_rc): $(printf '%s\n' "$SBS_OUT" | tail -n 2 | tr '\n' ' ')"
        return 1
    fi
    SBS_XEN=$(xen_dom_nodes "$SBS_DOMID") || SBS_ERR="no per-node count from Xen for d$SBS_DOMID"
    [ -z "$SBS_ERR" ]
}

# sbs_destroy: destroy the last build's domain and wait until its memory is
# back (tolerance 256 pages, as destroyed domains return a few pages late).
sbs_destroy() {
    [ -n "$SBS_DOMID" ] || return 0
    if [ "$SBS_KIND" = stock ]; then
        xl destroy "$SBS_DOMID" >/dev/null 2>&1
    fi
    driver destroy "$SBS_DOMID" >/dev/null 2>&1
    _sb_i=0
    while driver dominfo "$SBS_DOMID" >/dev/null 2>&1 && [ $_sb_i -lt 50 ]; do
        sleep 0.2
        _sb_i=$((_sb_i + 1))
    done
    SBS_DOMID=""
}

# sbs_run KEY CMD...: see above.  Returns the build's status.  With
# SBS_SETTLE=1 it first waits for Xen's scrubber to finish on every node
# (scrub_settle) and keeps what it found as KEY_scrub ("N pages unscrubbed,
# settled in S s").
sbs_run() {
    _sb_k=$1
    shift
    if [ "${SBS_SETTLE:-0}" = 1 ]; then
        _sb_u=$(xen_unscrubbed)
        _sb_s=$(scrub_settle all 300)
        eval "${_sb_k}_scrub=\"\${_sb_u:-?} pages unscrubbed, settled in \$_sb_s s\""
    fi
    "$@"
    _sb_rc=$?
    eval "${_sb_k}_ms=\$SBS_MS ${_sb_k}_free=\"\$SBS_FREE\" ${_sb_k}_xen=\"\$SBS_XEN\" ${_sb_k}_err=\"\$SBS_ERR\""
    _sb_base=$(host_free)
    sbs_destroy
    settle_free $((_sb_base + $(_sbs_sum "$SBS_FREE"))) 512 >/dev/null
    return $_sb_rc
}

# _sbs_sum LIST: the sum of a "N:PAGES ..." list.
_sbs_sum() {
    _sb_s=0
    for _sb_e in $1; do
        _sb_s=$((_sb_s + ${_sb_e#*:}))
    done
    echo $_sb_s
}

# sbs_table NODES KEY:TITLE...: per node, MiB by Xen's count and, in
# brackets, by the free-memory delta, one column per build; then the times.
sbs_table() {
    _sb_n=$1
    shift
    _sb_row=$(printf '%-6s' node)
    for _sb_c in "$@"; do
        _sb_row="$_sb_row $(printf '%-24s' "${_sb_c#*:}")"
    done
    echo "  $_sb_row" | sed 's/ *$//'
    _sb_i=0
    while [ $_sb_i -lt "$_sb_n" ]; do
        _sb_row=$(printf '%-6s' $_sb_i)
        for _sb_c in "$@"; do
            eval "_sb_x=\$${_sb_c%%:*}_xen _sb_f=\$${_sb_c%%:*}_free"
            if [ -n "$_sb_x" ]; then
                _sb_v="$(sbs_mib "$(sbs_get "$_sb_x" $_sb_i)") ($(sbs_mib "$(sbs_get "$_sb_f" $_sb_i)"))"
            else
                _sb_v=failed
            fi
            _sb_row="$_sb_row $(printf '%-24s' "$_sb_v")"
        done
        echo "  $_sb_row" | sed 's/ *$//'
        _sb_i=$((_sb_i + 1))
    done
    _sb_row=$(printf '%-6s' time)
    for _sb_c in "$@"; do
        eval "_sb_v=\${${_sb_c%%:*}_ms:-?}"
        _sb_row="$_sb_row $(printf '%-24s' "$_sb_v ms")"
    done
    echo "  $_sb_row" | sed 's/ *$//'
}

# sbs_where KEY: "nodeN=MiB ..." for the nodes holding 1 MiB or more of it
# (with a trailing space when not empty).
sbs_where() {
    eval "_sb_x=\$${1}_xen"
    for _sb_e in $_sb_x; do
        [ "${_sb_e#*:}" -ge 256 ] && printf 'node%s=%s ' "${_sb_e%%:*}" "$(sbs_mib "${_sb_e#*:}")"
    done
    return 0
}

# sbs_ms KEY: the creation time sbs_run kept for KEY.
sbs_ms() { eval "echo \${${1}_ms:-?}"; }

# sbs_mib PAGES: PAGES in MiB with one decimal.
sbs_mib() { awk -v p="$1" 'BEGIN { printf "%.1f", p / 256 }'; }

# sbs_get LIST NODE: NODE's value in a "N:PAGES ..." list (0 if absent).
sbs_get() {
    for _sb_e in $1; do
        [ "${_sb_e%%:*}" = "$2" ] && { echo "${_sb_e#*:}"; return; }
    done
    echo 0
}
