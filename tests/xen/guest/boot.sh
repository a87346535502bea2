# tests/xen/guest/boot.sh: booting the test guest in dom0, built by xl (the
# stock toolstack) or by xenguest (as xenopsd runs it); installed as
# /lib/xgboot.sh (needs /lib/xgtest.sh and /lib/xgbuild.sh first).
#
# The guest is Debian's kernel with tests/xen/guest's initramfs, whose /init
# prints XGTEST-GUEST-ALIVE (MemTotal, online vCPUs) and XGTEST-GUEST-CPUID
# lines with the token of its command line (tests/xen/guest/init).  PV and
# PVH guests print on hvc0, which xenconsoled logs to
# /var/log/xen/console/guest-NAME.log; HVM guests boot hvmloader > SeaBIOS >
# syslinux from /boot/guest-disk.img (tests/xen/guest/mkdisk) and print on
# ttyS0, which the device model writes to a file.
#
# Boots (each sets BOOT_DOMID, BOOT_LOG, BOOT_TOKEN, BOOT_BUILD_MS, and
# BOOT_ERR when it fails; status 0 iff the guest was started; TYPE is pv,
# pvh or hvm):
#   boot_xl TYPE NAME MIB VCPUS [MAXMIB]    xl create
#   boot_ours TYPE NAME MIB VCPUS PNODE [MAXMIB]
#       driver create + driver exec xenguest, introduce, for HVM the device
#       model (dm_start), memory/target in KiB for PoD, unpause
# Then:
#   boot_wait SECONDS      wait for the ALIVE line; sets BOOT_MS (start to
#                          the line), BOOT_ALIVE, BOOT_CPUID, BOOT_MEM_KIB,
#                          BOOT_CPUS, BOOT_ONLINE (and with BOOT_MEMWAIT=S,
#                          a digit: BOOT_MEM_AFTER, MemTotal S seconds
#                          later); status 0 iff seen
#   boot_e820              hvmloader's e820 ("(dN) ..." in xl dmesg), one
#                          "START-END TYPE" per line; boot_hvmloader_vcpus:
#                          the CPUs hvmloader brought up
#   boot_why               why the guest did not print: its console's last
#                          lines, and Xen's and hvmloader's last lines on it
#   boot_destroy           destroy the domain and its device model
# The device model for a domain xenguest built, as libxl starts it:
#   dm_start DOMID NAME DISK SERIAL_FILE     dm_stop DOMID

DM_BIN=/usr/libexec/xen-qemu-system-i386
BOOT_DISK_IMG=/boot/guest-disk.img
BOOT_KERNEL=/boot/guest-vmlinuz
BOOT_RAMDISK=/boot/guest-initrd.gz

# boot_token: 16 random hex digits.
boot_token() { od -An -N8 -tx1 /dev/urandom | tr -d ' \n'; }

# boot_disk TOKEN OUT: a copy of the HVM guest's disk with TOKEN in place of
# the 16 'X' of its syslinux.cfg (mkdisk leaves them for this, and says
# where in DISK.offsets), and
# xgtest.memwait=$BOOT_MEMWAIT (one digit) when that is set.
boot_disk() {
    _bt_offs=$(cat "$BOOT_DISK_IMG.offsets" 2>/dev/null)
    [ -n "$(kv token "$_bt_offs")" ] || { echo "no $BOOT_DISK_IMG.offsets" >&2; return 1; }
    cp "$BOOT_DISK_IMG" "$2" || return 1
    printf '%s' "$1" | dd of="$2" bs=1 seek="$(kv token "$_bt_offs")" conv=notrunc 2>/dev/null
    [ -n "${BOOT_MEMWAIT:-}" ] || return 0
    printf '%s' "$BOOT_MEMWAIT" |
        dd of="$2" bs=1 seek="$(kv memwait "$_bt_offs")" conv=notrunc 2>/dev/null
}

_boot_reset() {
    BOOT_DOMID="" BOOT_LOG="" BOOT_ERR="" BOOT_BUILD_MS="" BOOT_MS="" BOOT_TYPE=$1
    BOOT_ALIVE="" BOOT_CPUID="" BOOT_MEM_KIB="" BOOT_CPUS="" BOOT_ONLINE="" BOOT_DM=""
    BOOT_E820="" BOOT_HVMLOADER_VCPUS="" BOOT_MEM_AFTER="" BOOT_OUT="" BOOT_DM_ARGV=""
    BOOT_NAME=$2 BOOT_TOKEN=$(boot_token) BOOT_DISK=/tmp/disk-$2.img
    case $1 in
        hvm) BOOT_LOG=/var/log/xen/serial-$2.log ;;
        *)   BOOT_LOG=/var/log/xen/console/guest-$2.log ;;
    esac
    rm -f "$BOOT_LOG" "$BOOT_DISK"
    BOOT_CMDLINE="console=hvc0 clearcpuid=rdtscp rdinit=/init xgtest.token=$BOOT_TOKEN"
    BOOT_DMESG=/tmp/dmesg-$2
    [ -n "${BOOT_MEMWAIT:-}" ] && BOOT_CMDLINE="$BOOT_CMDLINE xgtest.memwait=$BOOT_MEMWAIT"
}

# boot_xl TYPE NAME MIB VCPUS [MAXMIB]: see above.  MAXMIB > MIB: PoD.
boot_xl() {
    _boot_reset "$1" "$2"
    {
        echo "name=\"$2\""
        echo "type=\"$1\""
        echo "memory=$3"
        [ -n "${5:-}" ] && echo "maxmem=$5"
        echo "vcpus=$4"
        echo 'on_poweroff="destroy"'
        echo 'on_crash="preserve"'
        if [ "$1" = hvm ]; then
            echo "disk=[\"format=raw,vdev=hda,access=rw,backendtype=qdisk,target=$BOOT_DISK\"]"
            echo "serial=\"file:$BOOT_LOG\""
            echo 'vga="none"'
            echo 'vnc=0'
        else
            echo "kernel=\"$BOOT_KERNEL\""
            echo "ramdisk=\"$BOOT_RAMDISK\""
            echo "cmdline=\"$BOOT_CMDLINE\""
        fi
    } >/tmp/$2.cfg
    if [ "$1" = hvm ]; then
        boot_disk "$BOOT_TOKEN" "$BOOT_DISK" || { BOOT_ERR="no disk"; return 1; }
    fi
    xl dmesg -c >/dev/null 2>&1
    : >"$BOOT_DMESG"
    _bt_t0=$(uptime_ms)
    _bt_o=$(xl -vvv create /tmp/$2.cfg 2>&1)
    _bt_rc=$?
    BOOT_BUILD_MS=$(($(uptime_ms) - _bt_t0))
    # xl create returns with the guest running: the boot is timed from here,
    # as boot_ours times it from its unpause.
    BOOT_T0=$(uptime_ms)
    printf '%s\n' "$_bt_o" >/tmp/$2.xl.log
    BOOT_DOMID=$(xl domid "$2" 2>/dev/null)
    [ "$1" = hvm ] && BOOT_DM_ARGV=$(boot_dm_argv)
    if [ $_bt_rc -ne 0 ] || [ -z "$BOOT_DOMID" ]; then
        BOOT_ERR="xl create failed (rc=$_bt_rc): $(printf '%s\n' "$_bt_o" | grep -v 'debug:' | tail -n 3 | tr '\n' ' ')"
        return 1
    fi
}

# boot_ours TYPE NAME MIB VCPUS PNODE [MAXMIB]: see above. BOOT_HVMPARAMS
# ("INDEX=VALUE ...", `driver hvmparam`) sets HVM params before the
# unpause, as xenopsd does from platform keys (timer_mode, for one).
boot_ours() {
    _boot_reset "$1" "$2"
    _bt_max=${6:-$3}
    _bt_mib=$3
    set -- "$1" "$2" "$3" "$4" "$5"
    _bt_xs="--vcpus $4 --xs name=$2 --xs memory/static-max=$((_bt_max * 1024))"
    _bt_xs="$_bt_xs --xs memory/target=$((_bt_mib * 1024))"
    _bt_rd=""
    case $1 in
        hvm)
            # What xl writes for hvmloader and QEMU; the firmware is the
            # builder's to load.
            _bt_xs="$_bt_xs $(dm_guest_keys "$4" | tr '\n' ' ')"
            boot_disk "$BOOT_TOKEN" "$BOOT_DISK" || { BOOT_ERR="no disk"; return 1; } ;;
        # The kernel's command line is XG_CMDLINE (xg_build's -cmdline).
        pvh) set -- "$@" -module "$BOOT_RAMDISK" ;;
        pv)  _bt_rd=$BOOT_RAMDISK ;;
    esac
    xl dmesg -c >/dev/null 2>&1
    : >"$BOOT_DMESG"
    _bt_t0=$(uptime_ms)
    _bt_b=$(XG_CREATE_ARGS="$_bt_xs" XG_MAX_MIB=$_bt_max XG_IMAGE=$(_boot_image "$1") \
            XG_CMDLINE="$BOOT_CMDLINE" XG_RAMDISK="$_bt_rd" _boot_build "$@")
    BOOT_OUT=$_bt_b
    BOOT_DOMID=$(xg_get domid "$_bt_b")
    if [ "$(xg_get verdict "$_bt_b")" != result ]; then
        BOOT_ERR="xenguest: $(xg_summary "$_bt_b")"
        return 1
    fi
    _boot_start "$1" "$_bt_b" || return 1
    if [ -n "${BOOT_HVMPARAMS:-}" ]; then
        _bt_p=$(driver hvmparam "$BOOT_DOMID" $BOOT_HVMPARAMS 2>&1) ||
            { BOOT_ERR="hvmparam: $_bt_p"; return 1; }
    fi
    BOOT_BUILD_MS=$(($(uptime_ms) - _bt_t0))
    BOOT_T0=$(uptime_ms)
    _bt_u=$(driver unpause "$BOOT_DOMID" 2>&1) || { BOOT_ERR="unpause: $_bt_u"; return 1; }
}

_boot_image() {
    case $1 in
        hvm) echo /usr/lib/xen-4.17/boot/hvmloader ;;
        *)   echo "$BOOT_KERNEL" ;;
    esac
}

# _boot_build TYPE NAME MIB VCPUS PNODE [EXTRA ARGS]: xg_build; PVH's
# kernel command line comes from XG_CMDLINE, its initramfs as -module.
_boot_build() {
    _bb_t=$1 _bb_mib=$3 _bb_pn=$5
    shift 5
    xg_build "$_bb_t" "$_bb_mib" "$_bb_pn" "$@"
}

# _boot_start TYPE RECORD: introduce (store, and the PV console for PVH),
# and for HVM the device model.
_boot_start() {
    _bs_d=$(xg_get domid "$2")
    _bs_sp=$(xg_get store_port "$2")
    if [ "$1" = hvm ]; then
        _bs_i=$(driver introduce "$_bs_d" "$(xg_get store "$2")" "$_bs_sp" 2>&1) ||
            { BOOT_ERR="introduce: $_bs_i"; return 1; }
        dm_start "$_bs_d" "$BOOT_NAME" "$BOOT_DISK" "$BOOT_LOG" ||
            { BOOT_ERR="device model: $DM_ERR"; return 1; }
        BOOT_DM=1
        BOOT_DM_ARGV=$(boot_dm_argv)
    else
        _bs_i=$(driver introduce "$_bs_d" "$(xg_get store "$2")" "$_bs_sp" \
                "$(xg_get console "$2")" "$(xg_get console_port "$2")" 2>&1) ||
            { BOOT_ERR="introduce: $_bs_i"; return 1; }
    fi
}

# boot_alive: the guest's XGTEST-GUEST-ALIVE line for this token, if its
# console log has it yet.
boot_alive() {
    [ -f "$BOOT_LOG" ] || return 0
    tr -d '\r' <"$BOOT_LOG" | grep -m 1 "XGTEST-GUEST-ALIVE token=$BOOT_TOKEN .* end$"
}

# boot_wait SECONDS: see above.
boot_wait() {
    _bw_end=$((BOOT_T0 + $1 * 1000))
    BOOT_ALIVE="" BOOT_STOP="no token within $1 s"
    while [ "$(uptime_ms)" -lt $_bw_end ]; do
        BOOT_ALIVE=$(boot_alive)
        [ -n "$BOOT_ALIVE" ] && break
        # hvmloader stops for good after "*** HVMLoader bug/crashed".
        if boot_dmesg | grep -q "(d$BOOT_DOMID) \*\*\* HVMLoader"; then
            BOOT_STOP="hvmloader crashed"
            break
        fi
        # A guest that crashed or shut down will print nothing more; but the
        # guest's init powers off right after its token, and the console
        # log may get the token after the state changed: one last look.
        _bw_s=$(xl list "$BOOT_DOMID" 2>/dev/null | awk 'NR == 2 { print $5 }')
        case $_bw_s in
            *c*|*s*) sleep 2
                     BOOT_ALIVE=$(boot_alive)
                     BOOT_STOP="the domain stopped (state $_bw_s)"; break ;;
        esac
        # dom0 has one emulated vCPU: poll gently.
        sleep 2
    done
    BOOT_MS=$(($(uptime_ms) - BOOT_T0))
    if [ -z "$BOOT_ALIVE" ]; then
        BOOT_STOP="$BOOT_STOP, $((BOOT_MS / 1000)) s after the start"
        return 1
    fi
    _bw_i=0
    while [ $_bw_i -lt 20 ]; do
        BOOT_CPUID=$(tr -d '\r' <"$BOOT_LOG" | grep -m 1 "XGTEST-GUEST-CPUID token=$BOOT_TOKEN .* end$")
        [ -n "$BOOT_CPUID" ] && break
        sleep 0.5
        _bw_i=$((_bw_i + 1))
    done
    BOOT_MEM_KIB=$(kv mem_kib "$BOOT_ALIVE")
    BOOT_CPUS=$(kv cpus "$BOOT_ALIVE")
    BOOT_ONLINE=$(kv online "$BOOT_ALIVE")
    BOOT_TARGET=$(driver xsread "/local/domain/$BOOT_DOMID/memory/target" 2>/dev/null)
    BOOT_MEM_AFTER=""
    [ -n "${BOOT_MEMWAIT:-}" ] || return 0
    _bw_end=$(($(uptime_ms) + (BOOT_MEMWAIT + 20) * 1000))
    while [ "$(uptime_ms)" -lt $_bw_end ]; do
        BOOT_MEM_AFTER=$(kv mem_kib "$(tr -d '\r' <"$BOOT_LOG" | grep -m 1 "XGTEST-GUEST-MEM token=$BOOT_TOKEN .* end$")")
        [ -n "$BOOT_MEM_AFTER" ] && break
        sleep 0.5
    done
}

# boot_e820: hvmloader's E820 table from Xen's console ring ("(dN) ..."
# lines): "START-END TYPE" per entry, addresses in hex.
boot_e820() {
    boot_dmesg | sed -n "s/^.*(d$BOOT_DOMID) //p" |
        sed -n '/^E820 table:/,/^[^ ]/p' |
        sed -n 's/^ *\[[0-9]*\]: *\([0-9a-f]*\):\([0-9a-f]*\) - \([0-9a-f]*\):\([0-9a-f]*\): *\(.*\)/\1\2-\3\4 \5/p'
}

# boot_hvmloader_vcpus: how many CPUs hvmloader initialised ("CPUn ... done").
boot_hvmloader_vcpus() {
    boot_dmesg | sed -n "s/^.*(d$BOOT_DOMID) //p" |
        grep -c '^ *- CPU[0-9]* \.\.\..*done'
}

# boot_why: why boot_wait saw no token, on one line: its reason, the
# guest's last console lines, Xen's last lines about the domain (hvmloader's
# "(dN)" lines, a triple fault) and the domain's state.
boot_why() {
    _bw_c="(nothing)"
    [ -s "$BOOT_LOG" ] &&
        _bw_c=$(tr -d '\r' <"$BOOT_LOG" | grep -v '^[[:space:]]*$' | tail -n 3 | tr '\n' '|')
    _bw_x=$(boot_dmesg | grep -E "d${BOOT_DOMID}v[0-9]|\(d$BOOT_DOMID\)|Dom$BOOT_DOMID " |
            grep -v -e 'Node [0-9]' -e ' save: ' -e ' restore: ' -e 'CONTEXT:' | tail -n 4 | tr '\n' '|')
    _bw_s=$(xl list "$BOOT_DOMID" 2>/dev/null | awk 'NR == 2 { print $5 }')
    echo "${BOOT_STOP:-no token}; console: $_bw_c; Xen: ${_bw_x:-(nothing)}; state ${_bw_s:-gone}$(boot_vcpu_dump)"
}

# boot_vcpu_dump: after a triple fault, the registers Xen dumped for the
# domain's vCPUs ("; regs: RIP ... cr3 ..."), for finding where it died.
boot_vcpu_dump() {
    _bd_x=$(boot_dmesg)
    printf '%s\n' "$_bd_x" | grep -q "d${BOOT_DOMID}v[0-9]* Triple fault" || return 0
    printf '; regs: '
    printf '%s\n' "$_bd_x" | sed -n "/Dumping Dom$BOOT_DOMID vcpu/,/Guest stack/p" |
        sed 's/^(XEN) *//' | grep -E '^(RIP|RFLAGS|rax|rdx|rbp|r8|cr0|cr3|ds|Xen code)' |
        head -n 12 | tr -s ' ' | tr '\n' '|'
}

# boot_destroy: the domain, its device model, its disk copy.
boot_destroy() {
    [ -n "$BOOT_DOMID" ] || return 0
    [ -n "$BOOT_DM" ] && dm_stop "$BOOT_DOMID"
    xl destroy "$BOOT_DOMID" >/dev/null 2>&1
    driver destroy "$BOOT_DOMID" >/dev/null 2>&1
    rm -f "$BOOT_DISK"
    BOOT_DOMID=""
}

# boot_line WHO: the figures of the last boot, for PASS/FAIL lines.
boot_line() {
    echo "$1: token in ${BOOT_MS} ms (build ${BOOT_BUILD_MS} ms), MemTotal ${BOOT_MEM_KIB} kB, ${BOOT_CPUS} vCPUs online ($BOOT_ONLINE)"
}

# boot_keep REF: keep what the last boot saw as the reference /tmp/xgref/REF
# (and for HVM REF.e820, hvmloader's table), for boot_compare.
boot_keep() {
    mkdir -p /tmp/xgref
    { echo "mem_kib=$BOOT_MEM_KIB"; echo "cpus=$BOOT_CPUS"; echo "online=$BOOT_ONLINE"
      echo "mem_after=$BOOT_MEM_AFTER"; echo "ms=$BOOT_MS"; echo "target=$BOOT_TARGET"
      echo "hvmloader_vcpus=$BOOT_HVMLOADER_VCPUS"
      echo "flags=$(kv flags "$BOOT_CPUID")"; } >"/tmp/xgref/$1"
    [ "$BOOT_TYPE" = hvm ] && printf '%s\n' "$BOOT_E820" >"/tmp/xgref/$1.e820"
    return 0
}

# _boot_ref REF KEY: a value kept by boot_keep.
_boot_ref() { sed -n "s/^$2=//p" "/tmp/xgref/$1" | head -n 1; }

# boot_compare REF: what the last boot saw against the reference the xl-built
# guest of the same shape left: MemTotal (and after the PoD wait), online
# vCPUs, CPU flags, and for HVM hvmloader's e820 and vCPU count, all exact.
# Prints the differences; nothing when there are none.
boot_compare() {
    if [ ! -f "/tmp/xgref/$1" ]; then
        echo "no reference /tmp/xgref/$1 (its stock scenario failed);"
        return
    fi
    for _bc_k in cpus online hvmloader_vcpus; do
        case $_bc_k in
            cpus) _bc_v=$BOOT_CPUS ;; online) _bc_v=$BOOT_ONLINE ;;
            hvmloader_vcpus) _bc_v=$BOOT_HVMLOADER_VCPUS ;;
        esac
        _bc_r=$(_boot_ref "$1" $_bc_k)
        [ "$_bc_v" = "$_bc_r" ] || echo "$_bc_k $_bc_v, xl's guest $_bc_r;"
    done
    # MemTotal (at init, and after the PoD wait): xl's guest's, moved by the
    # difference of the memory/target keys (xenopsd writes start x 1024 KiB;
    # libxl 1 MiB less for a PoD HVM guest), which the balloon driver meets
    # before init runs.  Without PoD both targets are the same.
    _bc_t=$(_boot_ref "$1" target)
    _bc_dt=0
    [ -n "$_bc_t" ] && [ -n "$BOOT_TARGET" ] && _bc_dt=$((BOOT_TARGET - _bc_t))
    for _bc_k in mem_kib mem_after; do
        if [ $_bc_k = mem_kib ]; then _bc_v=$BOOT_MEM_KIB; else _bc_v=$BOOT_MEM_AFTER; fi
        _bc_r=$(_boot_ref "$1" $_bc_k)
        [ -n "$_bc_r$_bc_v" ] || continue
        _bc_w=$((${_bc_r:-0} + _bc_dt))
        [ "$_bc_v" = "$_bc_w" ] ||
            echo "$_bc_k $_bc_v, want $_bc_w (xl's guest $_bc_r kB at memory/target $_bc_t KiB, ours at $BOOT_TARGET KiB);"
    done
    _bc_f=$(kv flags "$BOOT_CPUID" | tr ',' '\n' | sort)
    _bc_r=$(_boot_ref "$1" flags | tr ',' '\n' | sort)
    if [ "$_bc_f" != "$_bc_r" ]; then
        echo "CPU flags differ: only ours: $(printf '%s\n' "$_bc_f" | grep -vxF "$_bc_r" | tr '\n' ' ')only xl's: $(printf '%s\n' "$_bc_r" | grep -vxF "$_bc_f" | tr '\n' ' ');"
    fi
    if [ "$BOOT_TYPE" = hvm ] && [ "$BOOT_E820" != "$(cat "/tmp/xgref/$1.e820" 2>/dev/null)" ]; then
        echo "hvmloader's e820 $(printf '%s\n' "$BOOT_E820" | tr '\n' ',' | sed 's/,$//') differs from xl's $(tr '\n' ',' <"/tmp/xgref/$1.e820" | sed 's/,$//');"
    fi
}

# boot_hvm_facts: after an HVM boot, hvmloader's e820 and vCPU count
# (BOOT_E820, BOOT_HVMLOADER_VCPUS).
boot_hvm_facts() {
    BOOT_E820=$(boot_e820)
    BOOT_HVMLOADER_VCPUS=$(boot_hvmloader_vcpus)
}

# Boot timeouts (s, from creation or unpause to the token): HVM goes through
# hvmloader, SeaBIOS (which reads the kernel by PIO) and syslinux: 175-280 s
# under TCG on an idle 2-core machine, 534 s once with builds running beside
# QEMU, hence 720 s. PVH
# reaches its token in 10-40 s under TCG, PoD guests the slowest (Xen
# sweeps for zeroed pages while the balloon driver has not met the target
# yet). On a loaded machine a PoD guest once printed nothing for the 90 s
# this wait used to be (after "sched_clock: Marking stable"; it booted in
# 16-26 s on every other run), so it is 240 s: only a guest that does not
# boot pays it.
BOOT_WAIT_HVM=${BOOT_WAIT_HVM:-720}
BOOT_WAIT_PVH=${BOOT_WAIT_PVH:-240}

# _boot_wait_s TYPE
_boot_wait_s() { [ "$1" = hvm ] && echo "$BOOT_WAIT_HVM" || echo "$BOOT_WAIT_PVH"; }

# _boot_checked NAME WHO: after a boot the guest reached: the shape checks
# every guest must pass (2 vCPUs online; for HVM hvmloader's e820 and its 2
# vCPUs).  Prints the failures.
_boot_checked() {
    [ "$BOOT_CPUS" = 2 ] && [ "$BOOT_ONLINE" = 0-1 ] ||
        echo "$BOOT_CPUS vCPUs online ($BOOT_ONLINE), want 2 (0-1);"
    [ -n "$BOOT_CPUID" ] || echo "no XGTEST-GUEST-CPUID line;"
    if [ "$BOOT_TYPE" = hvm ]; then
        [ -n "$BOOT_E820" ] || echo "no E820 table from hvmloader in xl dmesg;"
        [ "$BOOT_HVMLOADER_VCPUS" = 2 ] || echo "hvmloader brought up $BOOT_HVMLOADER_VCPUS vCPUs, want 2;"
    fi
    if [ -n "${BOOT_MEMWAIT:-}" ]; then
        [ -n "$BOOT_MEM_AFTER" ] || echo "no XGTEST-GUEST-MEM line after ${BOOT_MEMWAIT}s;"
    fi
}

# boot_dm_argv: the argv of the domain's device model (xl's or ours).
boot_dm_argv() {
    _ba_p=$(driver xsread "/local/domain/$BOOT_DOMID/image/device-model-pid" 2>/dev/null)
    [ -n "$_ba_p" ] || _ba_p=$(cat "/run/xen/dm-$BOOT_DOMID.pid" 2>/dev/null)
    [ -n "$_ba_p" ] && tr '\0' ' ' <"/proc/$_ba_p/cmdline" 2>/dev/null
}

# _boot_report: the guest's lines, indented, for the log.
_boot_report() {
    note "guest: $BOOT_ALIVE"
    [ -n "$BOOT_MEM_AFTER" ] && note "guest: MemTotal ${BOOT_MEM_AFTER} kB after ${BOOT_MEMWAIT}s"
    note "guest: $(printf '%s\n' "$BOOT_CPUID" | cut -c1-160)..."
    if [ "$BOOT_TYPE" = hvm ]; then
        note "device model: $BOOT_DM_ARGV"
        note "hvmloader: $BOOT_HVMLOADER_VCPUS vCPUs; E820:"
        printf '%s\n' "$BOOT_E820" | sed 's/^/    /'
    fi
    note "domain: $(driver dominfo "$BOOT_DOMID" 2>/dev/null)"
}

# boot_stock_case NAME REF TYPE MIB [MAXMIB]: a whole stock scenario: xl
# builds and boots the guest (2 vCPUs), the shape is checked, what it saw is
# kept as REF.  PASS/FAIL with the figures.
boot_stock_case() {
    _sc_name=$1 _sc_ref=$2
    rm -f "/tmp/xgref/$2" "/tmp/xgref/$2.e820"
    _boot_try boot_xl "$3" "xgtest-$2" "$4" 2 "${5:-}"
    case $? in
        1) fail "$_sc_name" "$BOOT_ERR$BOOT_RETRY"; boot_destroy; return ;;
        2) fail "$_sc_name" "xl's guest did not boot: $(boot_why)$BOOT_RETRY"
           boot_destroy; return ;;
    esac
    [ "$3" = hvm ] && boot_hvm_facts
    _boot_report
    _sc_why=$(_boot_checked)
    boot_destroy
    if [ -n "$_sc_why" ]; then
        fail "$_sc_name" "$_sc_why"
        return
    fi
    boot_keep "$2"
    pass "$_sc_name" "$(boot_line "xl create")${BOOT_MEM_AFTER:+, MemTotal $BOOT_MEM_AFTER kB after ${BOOT_MEMWAIT}s}$(_boot_e820_summary)$BOOT_RETRY"
}

# boot_ours_case NAME REF TYPE MIB PNODE [MAXMIB]: a whole scenario for our
# builder: xenguest builds the guest (2 vCPUs, on node PNODE) as xenopsd
# runs it, it boots, and what it sees must equal what xl's guest of the same
# shape saw (REF).  PASS/FAIL with the figures.
boot_ours_case() {
    _oc_name=$1 _oc_ref=$2
    _boot_try boot_ours "$3" "xgtest-ours-$2" "$4" 2 "$5" "${6:-}"
    case $? in
        1) fail "$_oc_name" "$BOOT_ERR$BOOT_RETRY"
           printf '%s\n' "$BOOT_OUT" | grep -E 'read: (error|result)|verdict=' | sed 's/^/  /'
           boot_destroy; return ;;
        2) fail "$_oc_name" "built by xenguest in $BOOT_BUILD_MS ms, then no token: $(boot_why)$BOOT_RETRY"
           boot_destroy; return ;;
    esac
    [ "$3" = hvm ] && boot_hvm_facts
    _boot_report
    _oc_why="$(_boot_checked)$(boot_compare "$2")"
    boot_destroy
    if [ -n "$_oc_why" ]; then
        fail "$_oc_name" "guest booted ($(boot_line xenguest)) but: $_oc_why$BOOT_RETRY"
    else
        pass "$_oc_name" "$(boot_line "xenguest -mem_pnode $5"), as xl's guest$(_boot_e820_summary)$BOOT_RETRY"
    fi
}

# _boot_attempt BOOT TYPE ARGS...: build with BOOT (boot_xl or boot_ours),
# then wait for the token.  Status 0 booted, 1 not built or not started
# (BOOT_ERR), 2 started but no token (boot_why).
_boot_attempt() {
    _ba_type=$2
    "$@" || return 1
    [ "$1" = boot_ours ] && printf '%s\n' "$BOOT_OUT" |
        grep -E 'read: info:(placement|node)|verdict=' | sed 's/^/  /'
    boot_wait "$(_boot_wait_s "$_ba_type")" || return 2
}

# _boot_try BOOT TYPE ARGS...: _boot_attempt, and once more when an HVM or
# PVH guest died of a triple fault (boot_triple_fault), which QEMU's TCG
# emulation of SVM causes now and then (tests/xen/README.md has the cases);
# BOOT_RETRY then says so ("; first attempt died of ..., retried: WHY"),
# for the PASS or FAIL line, and tests/xen/run counts such passes. Any
# other death, and a second triple fault, fails: a builder that sets a guest
# up wrong every time makes it fault every time (one that does so only now
# and then would pass its retry: tests/xen/README.md says so).
_boot_try() {
    BOOT_RETRY=""
    _boot_attempt "$@"
    _btry_rc=$?
    [ $_btry_rc -eq 2 ] && _btry_kind=$(boot_retry_kind "$2") ||
        return $_btry_rc
    _btry_why=$(boot_why)
    BOOT_RETRY="; first attempt died of $_btry_kind, retried: $_btry_why"
    note "retry: the guest died of $_btry_kind: $_btry_why"
    boot_destroy
    _boot_attempt "$@"
}

# boot_retry_kind TYPE: for a guest of TYPE (pv, pvh, hvm) that stopped
# without its token, the kind of death that earns a second attempt, on one
# line, status 0; status 1 when none applies. PV guests never run under
# SVM and are not retried.
boot_retry_kind() {
    [ "$1" != pv ] && boot_triple_fault || return 1
    if boot_emulator_fault; then
        echo "the emulator's fault (Xen's state in the guest)"
    else
        echo "a triple fault in the guest's own state"
    fi
}

# boot_triple_fault: status 0 when Xen reported a triple fault of one of
# the domain's vCPUs.
boot_triple_fault() {
    boot_dmesg | grep -q "d${BOOT_DOMID}v[0-9]* Triple fault"
}

# boot_emulator_fault: status 0 when the domain triple-faulted holding the
# host state that VMRUN saves for Xen (CS e008, Xen's own selector, with
# Xen's RIP, stack and page table, and RAX = the VMCB's address) as its
# guest state: QEMU's TCG emulation of SVM handed Xen's state to the guest.
# No guest can load that state; it names the kind of death in BOOT_RETRY.
boot_emulator_fault() {
    boot_dmesg | sed -n "/Dumping Dom$BOOT_DOMID vcpu/,/ cs: /p" |
        grep -q ' cs: e008$'
}

# _boot_e820_summary: "; e820 A-B RAM, ..." for HVM boots.
_boot_e820_summary() {
    [ "$BOOT_TYPE" = hvm ] || return 0
    echo "; hvmloader: $BOOT_HVMLOADER_VCPUS vCPUs, e820 $(printf '%s\n' "$BOOT_E820" | tr '\n' ',' | sed 's/,$//')"
}

# ---- the device model, for a domain xenguest built --------------------------
#
# dm_start DOMID NAME DISK SERIAL_FILE: what libxl does for an HVM guest
# between the build and the unpause, done by hand: the xenstore keys QEMU
# and the guest's drivers read (DM_KEYS below), then QEMU with the argv
# `xl -vvv create` shows libxl using (dm_argv), its output in
# /var/log/xen/qemu-dm-NAME.log; waits (up to 30 s) until QEMU writes
# device-model/DOMID/state = running.  DM_ERR says why when it fails.
# dm_stop DOMID: ends that QEMU and removes its keys.

# dm_argv DOMID NAME DISK SERIAL_FILE VCPUS MIB: the device model's argv,
# as libxl 4.17 spawns it for type="hvm", vga="none", vnc=0, one qdisk disk
# and serial="file:..." (read from /proc/PID/cmdline of xl's QEMU).
dm_argv() {
    echo "-xen-domid $1 -no-shutdown"
    echo "-chardev socket,id=libxl-cmd,path=/var/run/xen/qmp-libxl-$1,server=on,wait=off"
    echo "-mon chardev=libxl-cmd,mode=control"
    echo "-chardev socket,id=libxenstat-cmd,path=/var/run/xen/qmp-libxenstat-$1,server=on,wait=off"
    echo "-mon chardev=libxenstat-cmd,mode=control"
    echo "-nodefaults -no-user-config -name $2"
    echo "-vnc none -display none -serial file:$4"
    echo "-boot order=cda -smp $5,maxcpus=$5 -net none"
    echo "-machine xenfv,suppress-vmdesc=on -m $6"
    echo "-drive file=$3,if=ide,index=0,media=disk,format=raw,cache=writeback"
}

# dm_keys DOMID DISK: the keys libxl writes for the device model and the
# qdisk disk (as `xl create` left them), one "ro|rw PATH=VALUE" a line: ro
# keys are dom0's and the guest may read them, rw keys the guest owns.
dm_keys() {
    _dk_b=/local/domain/0/backend/qdisk/$1/768
    _dk_f=/local/domain/$1/device/vbd/768
    echo "ro /local/domain/0/device-model/$1="
    for _dk_t in console vkbd 9pfs qusb; do
        echo "ro /local/domain/0/device-model/$1/backends/$_dk_t="
    done
    echo "ro /libxl/$1/dm-version=qemu_xen"
    echo "ro /libxl/$1/type=hvm"
    echo "ro $_dk_b="
    for _dk_kv in "frontend=$_dk_f" "params=aio:$2" "frontend-id=$1" online=1 \
                  removable=0 bootable=1 state=1 dev=hda type=qdisk mode=w \
                  device-type=disk discard-enable=1 specification=xen; do
        echo "ro $_dk_b/$_dk_kv"
    done
    echo "rw $_dk_f="
    for _dk_kv in "backend=$_dk_b" backend-id=0 state=1 virtual-device=768 \
                  device-type=disk trusted=1; do
        echo "rw $_dk_f/$_dk_kv"
    done
}

# dm_guest_keys VCPUS: what xl writes in the HVM guest's own directory
# before the build (hvmloader and the guest read them), as `driver create`
# options.
dm_guest_keys() {
    echo "--xs hvmloader/bios=seabios --xs hvmloader/allow-memory-relocate=0"
    echo "--xs platform/acpi_s3=1 --xs platform/acpi_s4=1 --xs platform/acpi_laptop_slate=0"
    echo "--xs platform/device-model=qemu_xen --xs memory/videoram=0"
    _dg_i=0
    while [ $_dg_i -lt "$1" ]; do
        echo "--xs cpu/$_dg_i/availability=online"
        _dg_i=$((_dg_i + 1))
    done
}

dm_start() {
    DM_ERR=""
    _dm_ro="" _dm_rw=""
    while read -r _dm_p _dm_kv; do
        if [ "$_dm_p" = ro ]; then _dm_ro="$_dm_ro $_dm_kv"; else _dm_rw="$_dm_rw $_dm_kv"; fi
    done <<DMKEYS
$(dm_keys "$1" "$3")
DMKEYS
    # shellcheck disable=SC2086
    driver xswrite --read "$1" $_dm_ro >/tmp/dm-$1.err 2>&1 &&
        driver xswrite --owner "$1" $_dm_rw >>/tmp/dm-$1.err 2>&1 ||
        { DM_ERR="xenstore: $(cat /tmp/dm-$1.err)"; return 1; }
    _dm_vcpus=$(driver xsread "/local/domain/$1/platform/vcpu/number" 2>/dev/null)
    _dm_kib=$(driver xsread "/local/domain/$1/memory/static-max" 2>/dev/null)
    mkdir -p /var/log/xen /run/xen
    # shellcheck disable=SC2046
    setsid "$DM_BIN" $(dm_argv "$1" "$2" "$3" "$4" "${_dm_vcpus:-1}" $((${_dm_kib:-0} / 1024))) \
        </dev/null >"/var/log/xen/qemu-dm-$2.log" 2>&1 &
    echo $! >"/run/xen/dm-$1.pid"
    _dm_i=0
    while [ $_dm_i -lt 300 ]; do
        [ "$(driver xsread "/local/domain/0/device-model/$1/state" 2>/dev/null)" = running ] && return 0
        kill -0 "$(cat "/run/xen/dm-$1.pid")" 2>/dev/null || break
        sleep 0.1
        _dm_i=$((_dm_i + 1))
    done
    DM_ERR="QEMU not running after $((_dm_i / 10)) s: $(tail -n 3 "/var/log/xen/qemu-dm-$2.log" | tr '\n' ' ')"
    return 1
}

dm_stop() {
    if [ -f "/run/xen/dm-$1.pid" ]; then
        kill "$(cat "/run/xen/dm-$1.pid")" 2>/dev/null
        rm -f "/run/xen/dm-$1.pid"
    fi
    driver xsrm "/local/domain/0/device-model/$1" "/local/domain/0/backend/qdisk/$1" \
        "/libxl/$1" >/dev/null 2>&1
}

# boot_dmesg: Xen's console since the boot began.  Each call moves what is
# new in Xen's ring (xl dmesg -c) to BOOT_DMESG and prints it all, so that
# hvmloader's lines survive a ring that SeaBIOS and the kernel overflow.
boot_dmesg() {
    xl dmesg -c 2>/dev/null | tr -d '\r' >>"$BOOT_DMESG"
    cat "$BOOT_DMESG"
}
