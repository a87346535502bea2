# tests/xen/scenarios/80-failures.sh: what goes wrong must end in exactly
# one error line naming the step, nothing populated where it says so, and no
# claim left, as xenopsd sees it: too big a guest, a bad node, a missing
# kernel or domain, bad platform input. Also: a claim the toolstack staked first
# is honoured, and cancelled at the end.
. /lib/xgtest.sh
. /lib/xgbuild.sh

# expect NAME STEP_PATTERN EMPTY RECORD: judge a build (an xg_build record,
# or a plain `driver exec`'s output) as a failure.
expect() {
    name=$1 pattern=$2 empty=$3 b=$4
    why=""
    final=$(xg_get final "$b")
    [ "$(xg_get verdict "$b")" = error ] || why="$why $(xg_summary "$b");"
    echo "$final" | grep -q "^error:xenguest: $pattern" || why="$why line '$final';"
    n=$(xg_get finals "$b")
    [ "$n" = 1 ] || why="$why $n final lines;"
    d=$(xg_get domid "$b")
    if [ -n "$d" ]; then
        info=$(driver dominfo "$d")
        [ "$empty" = no ] || [ "$(kv tot_pages "$info")" = 0 ] ||
            why="$why $(kv tot_pages "$info") pages populated;"
        set -- $(claim_left "$d")
        [ "$1" = 0 ] && [ "$2" = 0 ] || why="$why claim left: domain $1, host $2;"
        driver destroy "$d" >/dev/null
    fi
    [ -z "$why" ] && pass "$name" "$final" || fail "$name" "$why"
}

free=$(host_free)
b=$(xg_build hvm $((free / 256 + 1024)) 1)
expect more-than-host "claim: not enough memory: need [0-9]* MiB, host has [0-9]* MiB free" yes "$b"

b=$(xg_build hvm 256 7)
expect pnode-not-a-node "placement: node 7 is not a node with memory on this host" yes "$b"

b=$(XG_IMAGE=/boot/no-such-kernel xg_build pv 256 1)
expect missing-kernel "kernel: /boot/no-such-kernel: " yes "$b"

# Bad platform input refused before the domain is touched (issue 9): a
# featureset the host cannot give, a passthrough device not in sysfs, an
# unknown hvmloader/bios, a missing firmware file.
b=$(XG_CREATE_ARGS="--xs platform/featureset=ffffffff-ffffffff-ffffffff-ffffffff" \
    xg_build hvm 256 1)
expect featureset-host-cannot-give "cpuid: platform/featureset: this host cannot give an HVM guest [a-z0-9_]" yes "$b"

b=$(xg_build hvm 256 1 -pci_passthrough 0000:7f:1f.7)
expect pci-not-in-sysfs "passthrough: 0000:7f:1f.7: no such device (/sys/bus/pci/devices/0000:7f:1f.7/resource)" yes "$b"

b=$(XG_CREATE_ARGS="--xs hvmloader/bios=coreboot" xg_build hvm 256 1)
expect unknown-bios 'platform: hvmloader/bios: "coreboot" is not rombios, seabios or ovmf' yes "$b"

b=$(XG_CREATE_ARGS="--xs hvmloader/bios=ovmf" xg_build hvm 256 1 --ovmf /no/such/OVMF.fd)
expect missing-firmware "firmware: /no/such/OVMF.fd: No such file or directory" yes "$b"

# A domid that does not exist: exec xenguest directly on one.
b=$(driver exec --timeout 60 -- xenguest -domid 4321 -store_port 1 \
      -console_port 2 -mode hvm_build -image /usr/lib/xen-4.17/boot/hvmloader \
      -mem_max_mib 256 -mem_start_mib 256 2>&1)
expect no-such-domain "domain: domain 4321 does not exist" yes "$b"

# The toolstack claims first (as xenopsd does with a node claim): kept.
b=$(XG_CREATE_ARGS="--claim-pages 131040" xg_build hvm 512 2)
d=$(xg_get domid "$b")
c=$(xg_get info "$b" '^claim: ')
set -- $(claim_left "$d")
if echo "$c" | grep -q '^claim: existing, 511.9 MiB staked, 0.0 MiB left' &&
   [ "$1" = 0 ] && [ "$2" = 0 ] && [ "$(xg_get verdict "$b")" = result ]; then
    pass existing-claim "$c; after: domain $1, host $2"
else
    fail existing-claim "'$c'; after: domain $1, host $2; $(xg_summary "$b")"
fi
xg_destroy "$b"
