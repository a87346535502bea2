# tests/xen/scenarios/90-pv-boot.sh: a PV guest built by xenguest actually
# boots to its init.  As xenopsd does: create the domain, exec xenguest in
# linux_build mode (Debian's kernel, tests/xen/guest's initramfs), then write
# the store and console keys, introduce the domain to xenstored and unpause
# it.  The guest's /init prints `XGTEST-GUEST-ALIVE token=T ...` on hvc0,
# which xenconsoled logs in dom0, and powers off.  PASS with the time from
# unpause to the marker; FAIL with the last lines the guest printed.
. /lib/xgtest.sh
. /lib/xgbuild.sh
name=pv-boot
xg=/usr/local/bin/xenguest
kernel=/boot/guest-vmlinuz
ramdisk=/boot/guest-initrd.gz
if [ ! -x $xg ]; then
    skip $name "no build/xenguest in the initramfs"
    exit 0
fi
for f in $kernel $ramdisk; do
    [ -f $f ] || { fail $name "$f missing from the initramfs"; exit 0; }
done
mib=256
pnode=1
wait_s=90
dname=xgtest-pvboot
log=/var/log/xen/console/guest-$dname.log
tok=$(od -An -N4 -tx4 /dev/urandom | tr -d ' \n')
cmdline="console=hvc0 earlyprintk=xen rdinit=/init xgtest.token=$tok"
rm -f "$log"

out=$(driver create --type pv --mem-mib $mib --xs name=$dname 2>&1) ||
    { fail $name "create: $(printf '%s' "$out" | tr '\n' ' ')"; exit 0; }
line=$(printf '%s\n' "$out" | grep '^domid=')
domid=$(kv domid "$line")
sp=$(kv store_port "$line")
cp=$(kv console_port "$line")

# guest_tail: the guest's last console lines, on one line.
guest_tail() {
    if [ -s "$log" ]; then
        tr -d '\r' <"$log" | grep -v '^[[:space:]]*$' | tail -n 5 | tr '\n' '|'
    else
        echo "(nothing on the guest console)"
    fi
}
finish() {
    driver destroy "$domid" >/dev/null 2>&1
    if [ "$1" = pass ]; then pass $name "$2"; else fail $name "$2"; fi
    exit 0
}

o=$(driver exec --timeout 90 -- $xg -domid "$domid" -store_port "$sp" -store_domid 0 \
        -console_port "$cp" -console_domid 0 -mode linux_build -image $kernel \
        -cmdline "$cmdline" -ramdisk $ramdisk -features "" -flags 0 \
        -mem_max_mib $mib -mem_start_mib $mib -mem_pnode $pnode)
printf '%s\n' "$o" | sed 's/^/  /'
[ "$(xg_get verdict "$o")" = result ] || finish fail "build: $(xg_summary "$o")"
build_ms=$(xg_get elapsed "$o")

# What xenopsd does once the builder succeeded, then let the guest run.
i=$(driver introduce "$domid" "$(xg_get store "$o")" "$sp" "$(xg_get console "$o")" "$cp" 2>&1) ||
    finish fail "introduce: $i"
note "$i"
u=$(driver unpause "$domid" 2>&1) || finish fail "unpause: $u"
t0=$(uptime_ms)

seen=""
while [ $(($(uptime_ms) - t0)) -lt $((wait_s * 1000)) ]; do
    if [ -f "$log" ] && seen=$(tr -d '\r' <"$log" | grep -m 1 "XGTEST-GUEST-ALIVE token=$tok "); then
        break
    fi
    seen=""
    sleep 0.5
done
ms=$(($(uptime_ms) - t0))
[ -n "$seen" ] || finish fail "no marker within ${wait_s}s of unpause; guest printed: $(guest_tail)"
note "guest: $seen"

# poweroff -f in the guest: the domain shuts down (xl list state 's').
state=""
i=0
while [ $i -lt 20 ]; do
    state=$(xl list | awk -v d="$domid" '$2 == d { print $5 }')
    case "$state" in *s*) break ;; esac
    sleep 0.5
    i=$((i + 1))
done
lines=$(tr -d '\r' <"$log" | grep -c .)
finish pass "marker ${ms} ms after unpause (build ${build_ms} ms, ${lines} console lines, state after poweroff '${state:-gone}')"
