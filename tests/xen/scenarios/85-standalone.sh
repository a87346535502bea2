# tests/xen/scenarios/85-standalone.sh: the debugging mode a host admin
# uses: --plan shows where memory would come from without touching the
# domain, or without any domain at all (a guest not created yet); a
# standalone build (no control fd) prints the result line and the
# placement report, or one JSON document with --report=json. Each JSON
# report is also printed as an "XGJSON <report>" line: tests/xen/run
# validates those against docs/report.schema.json on the host.
. /lib/xgtest.sh
. /lib/xgbuild.sh

out=$(driver create --type hvm --mem-mib 512 2>&1)
line=$(printf '%s\n' "$out" | grep '^domid=')
d=$(kv domid "$line")
plan=$(xenguest --domid "$d" --mode hvm_build --mem_max_mib 512 --mem_pnode 1 --plan 2>&1)
tot=$(kv tot_pages "$(driver dominfo "$d")")
if echo "$plan" | grep -q '^  node 1: 511.9 MiB' && [ "$tot" = 0 ]; then
    pass plan "$(echo "$plan" | tr '\n' ';' | sed 's/;/; /g')"
else
    fail plan "tot_pages=$tot; $(echo "$plan" | tr '\n' ' ')"
fi

json=$(xenguest --domid "$d" --mode hvm_build --mem_max_mib 512 --mem_pnode 2 \
       --store_port "$(kv store_port "$line")" --console_port "$(kv console_port "$line")" \
       --image /usr/lib/xen-4.17/boot/hvmloader --report=json 2>/dev/null)
rc=$?
why=""
[ $rc = 0 ] || why="$why exit $rc;"
echo "XGJSON $json"
echo "$json" | grep -q '^{"schema_version":2,"domid":'"$d"',"mode":"hvm_build","pnode":2,"pnode_reason":"given","policy":"preferred",.*"result":{"store":[0-9]*,"console":[0-9]*' ||
    why="$why JSON head: $(echo "$json" | cut -c1-160);"
[ "$(echo "$json" | wc -l)" = 1 ] || why="$why not one line of JSON;"
echo "$json" | grep -q '"claim_left":0,' || why="$why claim_left not 0;"
set -- $(claim_left "$d")
[ "$1" = 0 ] && [ "$2" = 0 ] || why="$why claim left: domain $1, host $2;"
driver destroy "$d" >/dev/null
if [ -z "$why" ]; then
    pass standalone-json "$(echo "$json" | cut -c1-200)..."
else
    fail standalone-json "$why"
fi

# --plan without a domain: the host alone, nothing touched (free memory of
# every node as it was, give or take dom0's own churn of a few pages).
before=$(host_free)
pj=$(xenguest --plan --mode hvm_build --mem_max_mib 512 --mem_pnode 1 --report=json 2>/dev/null)
rc=$?
pt=$(xenguest --plan --mode hvm_build --mem_max_mib 512 2>&1)
after=$(host_free)
echo "XGJSON $pj"
why=""
[ $rc = 0 ] || why="$why exit $rc;"
echo "$pj" | grep -q '^{"schema_version":2,"domid":null,"mode":"hvm_build","pnode":1,"pnode_reason":"given","policy":"preferred",.*"plan_pages":\[0,13[0-9]*,0' ||
    why="$why JSON: $(echo "$pj" | cut -c1-200);"
echo "$pt" | grep -q '^no domain (a plan from the host alone), hvm_build$' ||
    why="$why text head: $(echo "$pt" | head -n 1);"
echo "$pt" | grep -q '^preferred node: [0-9] (best-fit)$' ||
    why="$why text placement: $(echo "$pt" | tr '\n' ' ');"
d_free=$((before - after)); [ $d_free -lt 0 ] && d_free=$((-d_free))
[ $d_free -lt 256 ] || why="$why host free changed by $d_free pages;"
if [ -z "$why" ]; then
    pass plan-no-domain "$(echo "$pj" | cut -c1-160); $(echo "$pt" | sed -n 2p)"
else
    fail plan-no-domain "$why"
fi
