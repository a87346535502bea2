# tests/xen/scenarios/93-populate-parallel.sh: populate from several dom0
# vCPUs (meminit/parallel.c) against the serial loop, for a 2 GiB HVM guest
# on node 1, on dirty and on clean memory.
#   dirty: a 2 GiB guest is built on node 1 and destroyed, and the measured
#          guest is built on node 1 at once: Xen scrubs the freed pages
#          inside the populate calls (the reboot of a VM).
#   clean: before the build, Xen's idle scrubber has finished: debug key
#          'H' prints "Node N has X unscrubbed pages", polled until 0.
# Runs alternate which variant goes first; the figures are meminit's
# populate step (the "populate: ..." info line), median and min..max.
# QEMU's TCG emulates the CPUs: the times are emulated, the ratio is what
# carries over. Needs dom0 with 2+ vCPUs (tests/xen/run --dom0-vcpus 2).
# PASS when every build succeeded on node 1 and the parallel builds used
# 2+ threads; the serial/parallel ratio on dirty memory is reported against
# its goal (>= 1.5x), not judged: it is a benchmark figure, and how dirty
# the memory is cannot be held still (Xen's idle scrubbers clean freed
# pages on the other pCPUs while the next build starts).
# xgtest-timeout: 1200
. /lib/xgtest.sh
. /lib/xgbuild.sh

name=populate-parallel
node=1 mib=2048 runs=${XG_PP_RUNS:-3}
cpus=$(grep -c '^processor' /proc/cpuinfo)
if [ ! -x /usr/local/bin/xenguest ]; then
    skip $name "no build/xenguest in the initramfs"
    exit 0
fi
if [ "$cpus" -lt 2 ]; then
    skip $name "dom0 has $cpus vCPU (tests/xen/run --dom0-vcpus 2)"
    exit 0
fi

# measure THREADS: build the guest on $node, print "MS THREADS ON_NODE_MIB
# REASON", destroy it. Status 1 (and "error ...") when the build failed.
measure() {
    _b=$(xg_build hvm $mib $node --populate-threads "$1") || {
        echo "error $(xg_summary "$_b")"; xg_destroy "$_b"; return 1; }
    _l=$(xg_get info "$_b" '^ *populate: ')
    _ms=$(printf '%s\n' "$_l" | sed -n 's/.*, \([0-9.]*\) ms$/\1/p')
    _t=$(printf '%s\n' "$_l" | sed -n 's/^ *populate: \([0-9]*\) thread.*/\1/p')
    _why=$(printf '%s\n' "$_l" | sed -n 's/^[^(]*(\([a-z-]*\)).*/\1/p')
    { xg_get infos "$_b" | grep '^ *populate'
      printf '%s\n' "$_b" | grep 'populate: claims:'; } | sed 's/^/    /' >&2
    _on=$(( $(delta "$(xg_get before "$_b")" $node) / 256 ))
    xg_destroy "$_b"
    echo "${_ms:-?} ${_t:-?} $_on ${_why:-?}"
}

# dirty THREADS: a 2 GiB guest on $node destroyed just before.
dirty() {
    _d=$(xg_build hvm $mib $node --populate-threads 1)
    xg_destroy "$_d"
    measure "$1"
}

# clean THREADS: the scrubber settled first.
clean() {
    scrub_settle $node >/dev/null || { echo "error scrubber never settled"; return 1; }
    measure "$1"
}

# stats "MS MS ...": "median (min..max)".
stats() {
    printf '%s\n' $1 | sort -n | awk '{ v[NR] = $1 }
        END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
              printf "%.0f ms (%.0f..%.0f)", m, v[1], v[NR] }'
}
median() { printf '%s\n' $1 | sort -n | awk '{ v[NR] = $1 }
        END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

why=""
note "dom0 vCPUs: $cpus; node $node unscrubbed before: $(xen_unscrubbed $node) pages; settled after $(scrub_settle $node) s"
for state in dirty clean; do
    ser="" par="" i=1
    while [ $i -le "$runs" ]; do
        if [ $((i % 2)) = 1 ]; then order="1 $cpus"; else order="$cpus 1"; fi
        for t in $order; do
            r=$($state "$t") || { why="$why $state threads=$t: $r;"; continue; }
            set -- $r
            note "$state run $i threads=$t: populate $1 ms, $2 thread(s) used ($4), $3 MiB on node $node"
            [ "$3" -ge $((mib - 16)) ] || why="$why $state: only $3 MiB on node $node;"
            if [ "$t" = 1 ]; then ser="$ser $1"; else
                par="$par $1"
                [ "$2" -ge 2 ] || why="$why $state: parallel build used $2 thread(s) ($4);"
            fi
        done
        i=$((i + 1))
    done
    eval "${state}_ser=\"\$ser\" ${state}_par=\"\$par\""
done

if [ -z "$dirty_ser" ] || [ -z "$dirty_par" ]; then
    fail $name "no measurement:$why"
    exit 0
fi
ratio=$(awk -v s="$(median "$dirty_ser")" -v p="$(median "$dirty_par")" \
        'BEGIN { printf "%.2f", (p > 0 ? s / p : 0) }')
cratio=$(awk -v s="$(median "$clean_ser")" -v p="$(median "$clean_par")" \
         'BEGIN { printf "%.2f", (p > 0 ? s / p : 0) }')
line="2 GiB HVM on node $node, dom0 $cpus vCPUs, $runs runs each, TCG-emulated: dirty serial $(stats "$dirty_ser"), parallel $(stats "$dirty_par"): ${ratio}x; clean serial $(stats "$clean_ser"), parallel $(stats "$clean_par"): ${cratio}x"
if awk -v r="$ratio" 'BEGIN { exit !(r >= 1.5) }'; then
    line="$line; goal >= 1.5x on dirty memory: met"
else
    line="$line; goal >= 1.5x on dirty memory: MISS"
fi
if [ -z "$why" ]; then
    pass $name "$line"
else
    fail $name "$why | $line"
fi
