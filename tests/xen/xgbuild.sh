# tests/xen/xgbuild.sh: building with xenguest as xenopsd does, for the dom0
# scenarios; installed as /lib/xgbuild.sh next to /lib/xgtest.sh.
#
# One build is one record: the text xg_build prints (the create line, the
# free memory before the build, then everything `driver exec` printed).
# xg_get reads any field of it, or of the output of a plain `driver exec`;
# scenarios never parse exec output themselves.
#
# xg_build TYPE MIB PNODE [XENGUEST ARGS...]
#   Create a TYPE (pv|pvh|hvm) domain of MIB MiB with the driver, then exec
#   xenguest with the argv xenopsd builds (mode arguments, then the common
#   tail, then -mem_pnode PNODE unless PNODE is "-") through `driver exec`,
#   which reads the control fd as xenopsd does. Prints the record:
#       create domid=D store_port=S console_port=C
#       before=N:FREE ...      (free_all after the create, so the domain's
#                               paging pool is not counted as the guest's)
#       exec pid=...  read: ...  verdict=...  builder exit=N  exec elapsed_ms=N
#   or, when the create fails, `verdict=create reason="..."`.
#   XG_IMAGE overrides the kernel or hvmloader path, XG_BUILDER the builder
#   (xenguest), XG_CMDLINE the PV/PVH kernel command line, XG_RAMDISK the PV
#   initramfs (none by default), XG_CREATE_ARGS adds `driver create` options (e.g.
#   --xs platform/vcpu/0/affinity=0010), XG_MAX_MIB sets -mem_max_mib
#   (default MIB: MIB is then -mem_start_mib).  Status 0 iff verdict=result.
#   Use: b=$(xg_build hvm 512 1) ...; d=$(xg_get domid "$b")
xg_build() {
    _xb_t=$1 _xb_mib=$2 _xb_pn=$3
    shift 3
    _xb_max=${XG_MAX_MIB:-$_xb_mib}
    # The guest's ceiling, memory/static-max: XG_MAX_MIB when given, else
    # MIB; the driver adds its headroom to it for the domain's max memory.
    _xb_c=""
    [ -n "${XG_MAX_MIB:-}" ] && _xb_c="--xs memory/static-max=$((XG_MAX_MIB * 1024))"
    # shellcheck disable=SC2086
    _xb_o=$(driver create --type "$_xb_t" --mem-mib "$_xb_mib" $_xb_c \
            ${XG_CREATE_ARGS:-} 2>&1) || {
        echo "verdict=create reason=\"$(printf '%s' "$_xb_o" | tr '\n"' " '")\""
        return 1; }
    _xb_l=$(printf '%s\n' "$_xb_o" | grep '^domid=')
    echo "create $_xb_l"
    echo "before=$(free_all)"
    set -- -domid "$(kv domid "$_xb_l")" -store_port "$(kv store_port "$_xb_l")" \
        -store_domid 0 -console_port "$(kv console_port "$_xb_l")" \
        -console_domid 0 -mem_max_mib "$_xb_max" -mem_start_mib "$_xb_mib" "$@"
    [ "$_xb_pn" = "-" ] || set -- "$@" -mem_pnode "$_xb_pn"
    case $_xb_t in
        hvm) set -- -mode hvm_build \
                 -image "${XG_IMAGE:-/usr/lib/xen-4.17/boot/hvmloader}" "$@" ;;
        pv)  set -- -mode linux_build -image "${XG_IMAGE:-/boot/guest-vmlinuz}" \
                 -cmdline "${XG_CMDLINE:-console=hvc0}" -ramdisk "${XG_RAMDISK:-}" -features "" \
                 -flags 0 "$@" ;;
        pvh) set -- -mode pvh_build -image "${XG_IMAGE:-/boot/guest-vmlinuz}" \
                 -cmdline "${XG_CMDLINE:-console=hvc0}" -features "" -flags 0 "$@" ;;
    esac
    driver exec --timeout "${XG_EXEC_TIMEOUT:-150}" -- "${XG_BUILDER:-xenguest}" "$@" 2>&1
}

# xg_get FIELD RECORD [PATTERN]: one field of an xg_build record or of the
# output of `driver exec`:
#   domid store_port console_port   the create line (xg_build only)
#   before      free pages per node after the create ("N:PAGES ...")
#   verdict     result, error, bad-line, eof, timeout (or create)
#   final       the result: or error: line as the builder wrote it
#   finals      how many result:/error: lines were read (xenopsd wants 1)
#   store console protocol   the result's frames (and PV protocol)
#   error       the error message (after "error:"); reason: why a verdict
#               other than result/error was reached
#   info        the first info: line matching PATTERN (without "info:");
#               infos: every info: line
#   elapsed     ms from fork to verdict;  exit: the builder's exit status
#               (or "signal=N")
xg_get() {
    case $1 in
        domid|store_port|console_port)
            kv "$1" "$(printf '%s\n' "$2" | sed -n 's/^create //p')" ;;
        before) printf '%s\n' "$2" | sed -n 's/^before=//p' | head -n 1 ;;
        verdict) printf '%s\n' "$2" | sed -n 's/^ *verdict=\([a-z-]*\).*/\1/p' | head -n 1 ;;
        final) printf '%s\n' "$2" | sed -n 's/^ *read: \(\(result\|error\):.*\)$/\1/p' | head -n 1 ;;
        finals) printf '%s\n' "$2" | grep -c '^ *read: \(result\|error\):' ;;
        store|console|protocol)
            kv "$1" "$(printf '%s\n' "$2" | grep '^ *verdict=result ' | head -n 1)" ;;
        error) printf '%s\n' "$2" | sed -n 's/^ *verdict=error message="\(.*\)"$/\1/p' | head -n 1 ;;
        reason) printf '%s\n' "$2" | sed -n 's/^ *verdict=[a-z-]* reason="\(.*\)"$/\1/p' | head -n 1 ;;
        info) printf '%s\n' "$2" | sed -n 's/^ *read: info://p' | grep -- "$3" | head -n 1 ;;
        infos) printf '%s\n' "$2" | sed -n 's/^ *read: info://p' ;;
        elapsed) printf '%s\n' "$2" | sed -n 's/^ *exec elapsed_ms=\([0-9]*\).*/\1/p' | head -n 1 ;;
        exit) printf '%s\n' "$2" | sed -n 's/^ *builder exit=\(.*\)/\1/p; s/^ *builder \(signal=.*\)/\1/p' | head -n 1 ;;
        *) echo "xg_get: unknown field '$1'" >&2; return 2 ;;
    esac
}

# xg_summary RECORD: "verdict=V FINAL" (or the reason), for FAIL lines.
xg_summary() {
    _xb_f=$(xg_get final "$1")
    echo "verdict=$(xg_get verdict "$1") ${_xb_f:-$(xg_get reason "$1")}"
}

# xg_destroy RECORD: destroy the record's domain, if one was created.
xg_destroy() {
    _xb_d=$(xg_get domid "$1")
    [ -z "$_xb_d" ] || driver destroy "$_xb_d" >/dev/null
}

# free_all: "N:FREE N:FREE ..." for every node, in pages.
free_all() {
    driver nodes | sed -n 's/^node=\([0-9]*\) .*memfree=\([0-9]*\).*/\1:\2/p' | tr '\n' ' '
}

# delta BEFORE NODE: pages node NODE lost since BEFORE (a free_all string).
delta() {
    for _xb_nb in $1; do
        [ "${_xb_nb%%:*}" = "$2" ] && { echo $((${_xb_nb#*:} - $(node_free "$2"))); return; }
    done
    echo 0
}

# xen_node_pages DOMID NODE: the domain's pages on NODE, from Xen itself
# (debug key 'u' writes "Node N: pages" per domain to the console ring).
xen_node_pages() {
    xl debug-keys u >/dev/null 2>&1
    xl dmesg -c 2>/dev/null | tr -d '\r' | sed 's/^(XEN) *//' |
        awk -v d="$1" -v n="$2" '
            /^Domain [0-9]+ / { cur = ($2 == d) }
            /^d[0-9]+ \(total/ { cur = ($1 == "d" d) }
            cur && $1 == "Node" && $2 == n":" { v = $3 }
            END { print v + 0 }'
}

# claim_left DOMID: the domain's outstanding claim, and the host's: "D H".
claim_left() {
    echo "$(kv outstanding_pages "$(driver dominfo "$1")") $(host_outstanding)"
}
