# tests/xen/scenarios/93-populate-parallel.sh: populate from several dom0
# vCPUs (meminit/parallel.c) against the serial loop and against the stock
# builder, for a 2 GiB HVM guest on node 1, on dirty and on clean memory.
#   dirty: a 2 GiB guest is built on node 1 and destroyed, and the measured
#          guest is built at once: Xen scrubs the freed pages inside the
#          populate calls (the reboot of a VM).
#   clean: before the build, Xen's idle scrubber has finished: debug key
#          'H' prints "Node N has X unscrubbed pages", polled until 0.
# Three variants, the order rotated each run (each goes first once in 3):
#   serial, parallel: xenguest with --populate-threads 1 and N on node 1;
#          the figure is meminit's populate step (the "populate: ..." info
#          line);
#   stock: libxenguest's meminit hook on a scratch domain, by
#          `xenguest-bench-xen --builder stock` (tests/bench); the figure is
#          the hook's wall time (its claim and populate calls), and where
#          its pages went (free-memory deltas per node). Stock names no
#          node: Xen's fallback places it, so its node 1 share is reported,
#          not required. Without xenguest-bench-xen in the initramfs
#          (make bench-build) stock is left out, with a note.
# Median and min..max per variant and state.
# QEMU's TCG emulates the CPUs: the times are emulated, the ratio is what
# carries over. Needs dom0 with 2+ vCPUs (tests/xen/run --dom0-vcpus 2).
# PASS when every build succeeded (ours on node 1) and the parallel builds
# used 2+ threads; the serial/parallel ratio on dirty memory is reported against
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
variants="1 $cpus stock"
if ! command -v xenguest-bench-xen >/dev/null; then
    note "stock not measured: no xenguest-bench-xen (make bench-build)"
    variants="1 $cpus"
fi

# ours THREADS: build the guest on $node, print "MS THREADS ON_NODE_MIB
# REASON", destroy it. Status 1 (and "error ...") when the build failed.
ours() {
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

# stock: the stock meminit hook populates a scratch domain of the same
# size (xenguest-bench-xen creates and destroys it); print "MS ON_NODE_MIB
# PLACED_MIB N:MIB,N:MIB..." from its JSON (docs/benchmarks.md: the case's "stock" object,
# its wall time "ns" and its nodes' "placed_mib"). Status 1 and "error ..."
# when it failed.
stock() {
    _j=$(xenguest-bench-xen --mib $mib --pnode $node --runs 1 --builder stock \
         --json 2>&1) || {
        echo "error (exit $?) $(printf '%s\n' "$_j" | sed -n 's/^error: //p
            s/^ *"error": "\(.*\)",*$/\1/p' | head -n 1)"
        return 1; }
    printf '%s\n' "$_j" | awk -v n=$node '
        /^    "stock": \{/ { in_ = 1; next }
        in_ && /^    \}/ { in_ = 0 }
        !in_ { next }
        /^      "ok": / { ok = ($2 == "true,") }
        /^      "ns": / { ns = $2 + 0 }
        /"node": [0-9]/ { cur = $2 + 0 }
        /"placed_mib": / { v = $2 + 0; placed += v; if ( cur == n ) on = v
                           by = by sep cur ":" sprintf("%.0f", v); sep = "," }
        END { if ( !ok ) { print "error stock run not ok"; exit 1 }
              printf "%.3f %.0f %.0f %s\n", ns / 1e6, on, placed, by }'
}

# measure VARIANT: ours with VARIANT threads, or stock.
measure() {
    if [ "$1" = stock ]; then stock; else ours "$1"; fi
}

# dirty VARIANT: a 2 GiB guest on $node destroyed just before.
dirty() {
    _d=$(xg_build hvm $mib $node --populate-threads 1)
    xg_destroy "$_d"
    measure "$1"
}

# clean VARIANT: the scrubber settled first.
clean() {
    scrub_settle $node >/dev/null || { echo "error scrubber never settled"; return 1; }
    measure "$1"
}

# stats "V V ..." [UNIT]: "median UNIT (min..max)" (UNIT default " ms").
stats() {
    printf '%s\n' $1 | sort -n | awk -v u="${2:- ms}" '{ v[NR] = $1 }
        END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
              printf "%.0f%s (%.0f..%.0f)", m, u, v[1], v[NR] }'
}

# rotate I "A B C": the list rotated left by I - 1 (run I's order).
rotate() {
    _n=$1 _r=$2 _k=1
    while [ $_k -lt "$_n" ]; do
        set -- $_r
        _f=$1; shift; _r="$* $_f"
        _k=$((_k + 1))
    done
    echo $_r
}

# record STATE I VARIANT "FIGURES": note one measurement and keep it.
record() {
    set -- "$1" "$2" "$3" $4
    if [ "$3" = stock ]; then
        _p=$(awk -v o="$5" -v t="$6" 'BEGIN { printf "%.0f", (t > 0 ? 100 * o / t : 0) }')
        note "$1 run $2 stock: meminit hook $4 ms, $5 of $6 MiB on node $node ($_p%); MiB by node $7"
        stk="$stk $4" stkp="$stkp $_p"
        [ "$6" -ge $((mib - 16)) ] || why="$why $1: stock placed only $6 MiB;"
        return
    fi
    note "$1 run $2 threads=$3: populate $4 ms, $5 thread(s) used ($7), $6 MiB on node $node"
    [ "$6" -ge $((mib - 16)) ] || why="$why $1: only $6 MiB on node $node;"
    if [ "$3" = 1 ]; then ser="$ser $4"; else
        par="$par $4"
        [ "$5" -ge 2 ] || why="$why $1: parallel build used $5 thread(s) ($7);"
    fi
}
median() { printf '%s\n' $1 | sort -n | awk '{ v[NR] = $1 }
        END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

why=""
note "dom0 vCPUs: $cpus; node $node unscrubbed before: $(xen_unscrubbed $node) pages; settled after $(scrub_settle $node) s"
for state in dirty clean; do
    ser="" par="" stk="" stkp="" i=1
    while [ $i -le "$runs" ]; do
        for t in $(rotate $i "$variants"); do
            r=$($state "$t") || {
                [ "$t" = stock ] || t="threads=$t"
                why="$why $state $t: $r;"; continue; }
            record $state $i "$t" "$r"
        done
        i=$((i + 1))
    done
    eval "${state}_ser=\"\$ser\" ${state}_par=\"\$par\""
    eval "${state}_stk=\"\$stk\" ${state}_stkp=\"\$stkp\""
done

# stock_text STATE: "stock MS (..), N% on node 1 (..)" or why there is none.
stock_text() {
    eval "_s=\$${1}_stk _p=\$${1}_stkp"
    case " $variants " in
        *" stock "*) ;;
        *) echo "stock not measured (no xenguest-bench-xen)"; return ;;
    esac
    [ -n "$_s" ] || { echo "stock: no measurement"; return; }
    echo "stock $(stats "$_s"), node $node share $(stats "$_p" %)"
}

if [ -z "$dirty_ser" ] || [ -z "$dirty_par" ]; then
    fail $name "no measurement:$why"
    exit 0
fi
ratio=$(awk -v s="$(median "$dirty_ser")" -v p="$(median "$dirty_par")" \
        'BEGIN { printf "%.2f", (p > 0 ? s / p : 0) }')
cratio=$(awk -v s="$(median "$clean_ser")" -v p="$(median "$clean_par")" \
         'BEGIN { printf "%.2f", (p > 0 ? s / p : 0) }')
line="2 GiB HVM on node $node, dom0 $cpus vCPUs, $runs runs each, TCG-emulated: dirty serial $(stats "$dirty_ser"), parallel $(stats "$dirty_par"): ${ratio}x, $(stock_text dirty); clean serial $(stats "$clean_ser"), parallel $(stats "$clean_par"): ${cratio}x, $(stock_text clean)"
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
