# tests/xen/xgbuild.sh: building with xenguest as xenopsd does, for the dom0
# scenarios; installed as /lib/xgbuild.sh next to /lib/xgtest.sh.
#
# xg_build TYPE MIB PNODE [XENGUEST ARGS...]
#   Create a TYPE (pv|pvh|hvm) domain of MIB MiB with the driver, then exec
#   xenguest with the argv xenopsd builds (mode arguments, then the common
#   tail, then -mem_pnode PNODE unless PNODE is "-") through `driver exec`,
#   which reads the control fd as xenopsd does. Sets DOMID, OUT (all the
#   driver's lines), VERDICT (result, error, bad-line, eof, timeout, create),
#   FINAL (the result:/error: line as read) and BEFORE (free_all taken after
#   the domain was created, so its paging pool is not counted as the
#   guest's). XG_IMAGE overrides the kernel or hvmloader path, XG_BUILDER
#   the builder (xenguest), XG_CREATE_ARGS adds `driver create` options
#   (e.g. --xs platform/vcpu/0/affinity=0010).
#   Status 0 iff VERDICT=result.
xg_build() {
    _xb_t=$1 _xb_mib=$2 _xb_pn=$3
    shift 3
    # shellcheck disable=SC2086
    _xb_o=$(driver create --type "$_xb_t" --mem-mib "$_xb_mib" ${XG_CREATE_ARGS:-} 2>&1) || {
        OUT=$_xb_o; VERDICT=create; FINAL=""; DOMID=""; return 1; }
    _xb_l=$(printf '%s\n' "$_xb_o" | grep '^domid=')
    DOMID=$(kv domid "$_xb_l")
    BEFORE=$(free_all)
    set -- -domid "$DOMID" -store_port "$(kv store_port "$_xb_l")" \
        -store_domid 0 -console_port "$(kv console_port "$_xb_l")" \
        -console_domid 0 -mem_max_mib "$_xb_mib" -mem_start_mib "$_xb_mib" "$@"
    [ "$_xb_pn" = "-" ] || set -- "$@" -mem_pnode "$_xb_pn"
    case $_xb_t in
        hvm) set -- -mode hvm_build \
                 -image "${XG_IMAGE:-/usr/lib/xen-4.17/boot/hvmloader}" "$@" ;;
        pv)  set -- -mode linux_build -image "${XG_IMAGE:-/boot/guest-vmlinuz}" \
                 -cmdline "console=hvc0" -ramdisk "" -features "" -flags 0 "$@" ;;
        pvh) set -- -mode pvh_build -image "${XG_IMAGE:-/boot/guest-vmlinuz}" \
                 -cmdline "console=hvc0" -features "" -flags 0 "$@" ;;
    esac
    OUT=$(driver exec --timeout 150 -- "${XG_BUILDER:-xenguest}" "$@" 2>&1)
    VERDICT=$(printf '%s\n' "$OUT" | sed -n 's/^ *verdict=\([a-z-]*\).*/\1/p' | head -n 1)
    FINAL=$(printf '%s\n' "$OUT" | sed -n 's/^ *read: \(result:.*\|error:.*\)$/\1/p' | head -n 1)
    [ "$VERDICT" = result ]
}

# xg_info PATTERN: the first info: line xenguest wrote that matches PATTERN.
xg_info() {
    printf '%s\n' "$OUT" | sed -n 's/^ *read: info://p' | grep -- "$1" | head -n 1
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
