#!/usr/bin/env bash
# bench/http_server.sh: the gateway's own HTTP server beside libwebsockets' (the
# gateway of an earlier build, LWS_GATEWAY), both running at once against one stack:
# authenticated GET /api/users/me/ with wrk, and per request the gateway's system
# calls, context switches and CPU time (perf stat -p), medians of RUNS runs that
# alternate the two; then bench/floods.py against each (slow headers, silent
# connections). Usage: LWS_GATEWAY=path bench/http_server.sh [runs=3] [seconds=10]
set -euo pipefail
source "$(dirname "$0")/stack.sh"
RUNS=${1:-3} SECONDS_PER_RUN=${2:-10}
[ -x "${LWS_GATEWAY:-}" ] || die "LWS_GATEWAY must name a gateway binary served by lws"
[ "$(readlink -f "$LWS_GATEWAY")" != "$(readlink -f "$(dirname "$0")/../build/gateway")" ] \
  || die "LWS_GATEWAY must be another build than build/gateway"
unset BENCH_GATEWAYS
export PASSWORD_HASH_OPSLIMIT=1 PASSWORD_HASH_MEMLIMIT_KIB=8 ACCESS_TOKEN_LIFETIME=3600
bench_start
trap bench_stop EXIT
work="$ROOT/var/bench"
OURS_URL=$GATEWAY_URL
# bench_start runs one gateway (BENCH_GATEWAYS unset) under the listening-socket tool.
OURS_PID=$(pids_of "$ROOT/build/gateway")
[ -n "$OURS_PID" ] && [ "${OURS_PID/,/}" = "$OURS_PID" ] || die "expected one gateway, found '$OURS_PID'"
LWS_PORT=$(free_port)
GATEWAY_PORT=$LWS_PORT start_process gateway_lws "$work/logs/gateway-lws.log" "$LWS_GATEWAY"
LWS_URL="http://127.0.0.1:$LWS_PORT"
wait_http "$LWS_URL/readyz" 30 || die "the lws gateway did not start"
LWS_PID=$PID_gateway_lws

"$ROOT/build/seed" -n 200 -f 2 -w 64 -p "hs$$_" -o "$work/ids.txt" >/dev/null
login_tokens "$OURS_URL" "$work/ids.txt" 50 "$work/tokens.txt"

results="$work/http_server.$$"
: >"$results"
echo "run  server  requests/s  p99      syscalls/req  cswitch/req  cpu-us/req"
for run in $(seq "$RUNS"); do
  for server in lws ours; do
    if [ $server = lws ]; then url=$LWS_URL pid=$LWS_PID; else url=$OURS_URL pid=$OURS_PID; fi
    perf stat -x, -e raw_syscalls:sys_enter,context-switches,task-clock -p "$pid" \
      -o "$work/perf.$$" -- sleep "$((SECONDS_PER_RUN + 1))" &
    perf_pid=$!
    read -r rps _ p99 bad < <(wrk_run "$url/api/users/me/" -t2 -c64 -d"${SECONDS_PER_RUN}s" \
      -s "$ROOT/bench/tokens.lua" -- /api/users/me/ "$work/tokens.txt")
    wait $perf_pid
    total=$(awk -v r="$rps" -v s="$SECONDS_PER_RUN" 'BEGIN{print r*s}')
    sys=$(awk -F, '/raw_syscalls/{print $1}' "$work/perf.$$")
    cs=$(awk -F, '/context-switches/{print $1}' "$work/perf.$$")
    ms=$(awk -F, '/task-clock/{print $1}' "$work/perf.$$")
    line=$(awk -v t="$total" -v a="$sys" -v b="$cs" -v c="$ms" \
      'BEGIN{printf "%.2f %.3f %.1f", a/t, b/t, c*1000/t}')
    printf '%-4s %-7s %-11s %-8s %s (non-2xx %s)\n' "$run" "$server" "$rps" "$p99" "$line" "$bad"
    echo "$server $rps $line" >>"$results"
  done
done
for server in lws ours; do
  awk -v s=$server '$1==s' "$results" >"$results.$server"
  printf 'median %-5s requests/s %s, syscalls/req %s, cswitch/req %s, cpu-us/req %s\n' "$server" \
    "$(awk '{print $2}' "$results.$server" | median)" "$(awk '{print $3}' "$results.$server" | median)" \
    "$(awk '{print $4}' "$results.$server" | median)" "$(awk '{print $5}' "$results.$server" | median)"
done
token=$(head -n 1 "$work/tokens.txt")
echo "floods against ours:"
python3 "$ROOT/bench/floods.py" "$OURS_URL" "$OURS_PID" "$token" "${SLOW:-1500}" "${IDLE:-9000}"
echo "floods against lws:"
python3 "$ROOT/bench/floods.py" "$LWS_URL" "$LWS_PID" "$token" "${SLOW:-1500}" "${IDLE:-9000}" || true
rm -f "$results" "$results".* "$work/perf.$$"
