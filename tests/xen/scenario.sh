#!/bin/sh
# tests/xen/scenario.sh: installed as /scenario in the dom0 initramfs; runs
# every /scenarios/*.sh in name order.
#
# Each scenario runs in its own session with its output straight on the
# console (no pipe: a daemon it leaves behind cannot hold the run up), under
# a time limit (xgtest.scenario_timeout on the dom0 command line, default
# 120 s; a scenario may ask for more with a "# xgtest-timeout: SECONDS" line)
# after which its whole process group is killed.  The result lines a
# scenario prints through /lib/xgtest.sh are also recorded in
# $XGTEST_RESULTS, so that a scenario that fails without a FAIL line still
# gets one here.  Exit status: the number of failed scenarios (at most 100).
export PATH=/usr/local/bin:/usr/lib/xen-4.17/bin:/usr/sbin:/usr/bin:/sbin:/bin
limit=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^xgtest\.scenario_timeout=//p' | tail -n 1)
limit=${limit:-120}
mkdir -p /tmp/results
failed=0
for s in /scenarios/*.sh; do
    [ -f "$s" ] || continue
    name=$(basename "$s" .sh)
    res=/tmp/results/$name
    : >"$res"
    echo "# scenario $name"
    t0=$(awk '{ printf "%d", $1 }' /proc/uptime)
    own=$(sed -n 's/^# xgtest-timeout: *\([0-9][0-9]*\).*/\1/p' "$s" | head -n 1)
    slimit=$limit
    [ -n "$own" ] && [ "$own" -gt "$limit" ] && slimit=$own
    # Not a process-group leader, setsid calls setsid() and execs: $! is
    # the new group's id.
    XGTEST_RESULTS=$res setsid sh "$s" </dev/null &
    pid=$!
    ticks=0 killed=0
    while kill -0 $pid 2>/dev/null; do
        if [ $ticks -ge $((slimit * 5)) ]; then
            kill -KILL -$pid 2>/dev/null
            killed=1
            break
        fi
        sleep 0.2
        ticks=$((ticks + 1))
    done
    wait $pid
    rc=$?
    echo "# scenario $name took $(($(awk '{ printf "%d", $1 }' /proc/uptime) - t0)) s"
    if [ $killed = 1 ]; then
        # A scenario may pin dom0's vCPUs (93-populate-parallel) and undo it
        # on exit, which SIGKILL skips: undone here for the next one.
        xl vcpu-pin 0 all all >/dev/null 2>&1
        echo "FAIL $name: killed after ${slimit}s"
        failed=$((failed + 1))
    elif grep -q '^FAIL ' "$res"; then
        failed=$((failed + 1))
    elif [ $rc -ne 0 ]; then
        echo "FAIL $name: exited with status $rc"
        failed=$((failed + 1))
    fi
done
[ $failed -gt 100 ] && failed=100
exit $failed
