# nodeclaim-bad-node: the ABI's answers, from the hypervisor and from
# xc_domain_claim_pages_node (libxcnode.so's code):
#  node 255 ERANGE (library; and Xen for XENMEMF_exact_node(255)), a node
#  that does not exist ENOENT (the next number, 63, 254), a node flag without
#  exact_node EINVAL, more than the node's free memory ENOMEM while the same
#  host-wide claim fits, a second claim EINVAL, and a node claim counting
#  against the host-wide check.
. /lib/xgtest.sh
. /lib/xgbuild.sh
. /lib/xgnodeclaim.sh

nodes=$(xgtest_param nodes 4)
why="" figs=""

# expect WANT LABEL CMD...: one claim call's errno name against WANT.
expect() {
    _w=$1 _l=$2
    shift 2
    _g=$(nc_errno "$@")
    figs="$figs $_l=$_g"
    [ "$_g" = "$_w" ] || why="$why $_l: $_g, want $_w;"
}

hostfree=$(host_free)
e=$(driver create --type pv --mem-mib 2048 2>&1 | sed -n 's/^domid=\([0-9]*\).*/\1/p')
f=$(driver create --type pv --mem-mib $((hostfree / 256)) 2>&1 | sed -n 's/^domid=\([0-9]*\).*/\1/p')
[ -n "$e" ] && [ -n "$f" ] || { fail nodeclaim-bad-node "cannot create the domains"; exit 0; }

expect ERANGE node255 claim "$e" 255 65536
expect ERANGE node300 claim "$e" 300 65536
expect ERANGE xen-flags-node255 raw "$e" 0x30000 65536
expect ENOENT "node$nodes" claim "$e" "$nodes" 65536
expect ENOENT node63 claim "$e" 63 65536
expect ENOENT node254 claim "$e" 254 65536
expect EINVAL node1-not-exact raw "$e" 0x200 65536
expect EINVAL node1-bad-flags raw "$e" 0x20209 65536

# More than node 1 has free: ENOMEM; the same amount host-wide fits.
big=$(($(node_free 1) + 256 * 256))
expect ENOMEM "node1-$((big / 256))MiB" claim "$f" 1 $big
expect ok "host-$((big / 256))MiB" claim "$f" host $big
expect ok cancel-host claim "$f" host 0

# One claim per domain; and a node claim counts against the host check.
expect ok node1-256MiB claim "$e" 1 65536
expect EINVAL second-node-claim claim "$e" 2 65536
expect EINVAL second-host-claim claim "$e" host 65536
u_dump
ce=$(dom_claim "$e") n1=$(node_claimed 1) n2=$(node_claimed 2)
[ "$ce" = "node 1 65536" ] && [ "$n1" = 65536 ] && [ "$n2" = 0 ] ||
    why="$why after the node claim: '$ce', NODE1 $n1, NODE2 $n2;"
avail=$(($(host_free) - $(host_outstanding)))
expect ENOMEM host-avail+1MiB claim "$f" host $((avail + 256))
expect ok host-avail-1MiB claim "$f" host $((avail - 256))
expect ok cancel-host2 claim "$f" host 0
expect ok cancel-via-node7 claim "$e" 7 0
u_dump
n1b=$(node_claimed 1) ho=$(host_outstanding)
[ "$n1b" = 0 ] && [ "$ho" = 0 ] || why="$why after cancelling: NODE1 $n1b, host $ho;"
driver destroy "$e" >/dev/null
driver destroy "$f" >/dev/null
figs="$figs; node 1 claim shown as '$ce' (NODE1 claimed->$n1, NODE2 $n2), host avail then $avail pages; after cancel NODE1 $n1b, host $ho"

if [ -z "$why" ]; then
    pass nodeclaim-bad-node "$figs"
else
    fail nodeclaim-bad-node "$why ($figs)"
fi
