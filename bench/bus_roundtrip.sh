#!/usr/bin/env bash
# bench/bus_roundtrip.sh: the bare bus round trip, gateway -> broker -> every service ->
# gateway, measured as GET /readyz (one request asks auth, user and friend over the bus),
# beside nginx answering a constant on the same machine in the same run.
# Usage: bench/bus_roundtrip.sh [runs=3] [seconds=10] [connections=64]
set -euo pipefail
source "$(dirname "$0")/stack.sh"
RUNS=${1:-3} SECONDS_PER_RUN=${2:-10} CONNECTIONS=${3:-64}
# The same three calls per request as the figures in bench/README.md (the gateway's
# default pings every service).
export GATEWAY_SERVICES=${GATEWAY_SERVICES:-auth,user,friend}

bench_start
nginx_start
trap 'nginx_stop; bench_stop' EXIT

echo "run  target   requests/s  p50      p99      non-2xx"
for run in $(seq "$RUNS"); do
  for target in nginx readyz; do
    url="$NGINX_URL/"
    [ "$target" = readyz ] && url="$GATEWAY_URL/readyz"
    read -r rps p50 p99 bad < <(wrk_run "$url" -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s")
    printf '%-4s %-8s %-11s %-8s %-8s %s\n' "$run" "$target" "$rps" "$p50" "$p99" "$bad"
    echo "$target $rps" >>"$ROOT/var/bench/roundtrip.txt.$$"
  done
done
nginx_median=$(awk '$1=="nginx"{print $2}' "$ROOT/var/bench/roundtrip.txt.$$" | median)
readyz_median=$(awk '$1=="readyz"{print $2}' "$ROOT/var/bench/roundtrip.txt.$$" | median)
rm -f "$ROOT/var/bench/roundtrip.txt.$$"
echo "median nginx: $nginx_median req/s; median /readyz: $readyz_median req/s;" \
     "ratio $(awk -v a="$readyz_median" -v b="$nginx_median" 'BEGIN{printf "%.3f", a/b}')"
