# tests/xen/scenarios/30-driver-exec.sh: the driver execs a builder and reads
# its control fd as xenopsd does (checked with a stand-in builder script):
# fds come first as single-dash options, info: lines are skipped, the first
# result: or error: line decides, a line without ':' fails.
. /lib/xgtest.sh
fake=/tmp/fake-builder
cat >$fake <<'FAKE'
#!/bin/sh
[ "$1" = -controloutfd ] && [ "$3" = -controlinfd ] || exit 9
w=$2
case "$5" in
    ok)    printf 'info:xenguest: fake\nstdout:x\nresult:1234 5678 x86_64-abi\n' >&$w ;;
    error) printf 'info:a\nerror:xenguest: no memory\nresult:1 2\n' >&$w ;;
    junk)  printf 'garbage\n' >&$w ;;
esac
FAKE
chmod +x $fake

why=""
o=$(driver exec -- $fake ok) || why="$why ok case failed;"
printf '%s\n' "$o" | grep -q '^verdict=result store=1234 console=5678' || why="$why ok verdict: $(printf '%s\n' "$o" | grep verdict);"
o=$(driver exec -- $fake error) && why="$why error case succeeded;"
printf '%s\n' "$o" | grep -q '^verdict=error message="xenguest: no memory"' || why="$why error verdict: $(printf '%s\n' "$o" | grep verdict);"
o=$(driver exec -- $fake junk) && why="$why junk case succeeded;"
printf '%s\n' "$o" | grep -q '^verdict=bad-line' || why="$why junk verdict;"
o=$(driver exec -- $fake silent) && why="$why silent case succeeded;"
printf '%s\n' "$o" | grep -q '^verdict=eof' || why="$why silent verdict;"

if [ -z "$why" ]; then
    pass driver-exec "result, error, bad-line and eof verdicts as xenopsd reads them"
else
    fail driver-exec "$why"
fi
