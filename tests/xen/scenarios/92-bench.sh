# tests/xen/scenarios/92-bench.sh: the benchmark's small real-Xen set: a
# 2 GiB HVM guest on each node in turn, ours and libxenguest's stock
# meminit alternating, 3 runs each. QEMU's TCG emulates the CPU, so the
# times are emulated: only the ratios, call counts and placement carry over.
. /lib/xgtest.sh

name=bench-xen
if ! command -v xenguest-bench-xen >/dev/null; then
    skip $name "no build/xenguest-bench-xen (make bench-build)"
    exit 0
fi
out=$(xenguest-bench-xen --mib 2048 --pnode each --runs 3 --pause-ms 3000 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/  /'
json=$(xenguest-bench-xen --mib 512 --pnode 1 --runs 1 --json 2>/dev/null)
if [ $rc = 0 ] && echo "$json" | grep -q '^{' &&
   ! printf '%s\n' "$out" | grep -q '^MISS locality'; then
    pass $name "$(printf '%s\n' "$out" | grep -c '^PASS') goal lines passed; hypercalls: $(printf '%s\n' "$out" | grep '^PASS hypercalls' | head -n 1)"
else
    fail $name "exit $rc; $(printf '%s\n' "$out" | grep -E '^(MISS|error)' | head -n 3 | tr '\n' ' ')"
fi
