#!/usr/bin/env bash
# bench/ws.sh: WebSocket benchmarks with a real client (Node's ws, installed from npm
# into var/npm/ws-bench), against the Release stack (bench/stack.sh).
#
#   bench/ws.sh idle SOCKETS [GATEWAYS=1] [CLIENTS=auto]
#       Opens SOCKETS idle authenticated sockets (users with at most 25 sockets each,
#       under the per-user limit) spread over CLIENTS client processes (at most 18,000
#       sockets each: a process has 20,000 descriptors) and 127.0.0.x source addresses,
#       to GATEWAYS gateways on one port. Reports handshakes/s, sockets held, and the
#       gateways' resident memory per socket (RSS with the sockets open minus RSS
#       before, over the sockets), then closes them all at once and times how long
#       new sockets take to be accepted after that.
#   bench/ws.sh fanout [USERS=1000] [RATE=500] [SECONDS=20] [GATEWAYS=1]
#       USERS users each hold one socket; notifications are created through REST at
#       RATE/s for SECONDS (bench/ws/fanout.js): latency from each REST call's
#       scheduled time to the notification's arrival, p50/p99/max, delivered/expected.
set -euo pipefail
source "$(dirname "$0")/stack.sh"
MODE=${1:-fanout}
work="$ROOT/var/bench"

# Users and their tokens: "id token" lines in $work/tokens-ws.txt.
make_users() {
  local count=$1
  say "creating $count users"
  "$ROOT/build/seed" -n "$count" -f 0 -w 256 -p "ws$$_" -o "$work/ids-ws.txt" >/dev/null
  "$ROOT/build/mint_tokens" 7200 <"$work/ids-ws.txt" >"$work/tokens-ws.txt"
}

# Resident memory (KiB) of every gateway process, summed.
gateways_rss_kib() {
  local total=0 pid
  for pid in $(pids_of "$ROOT/build/gateway" | tr ',' ' '); do
    total=$((total + $(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")))
  done
  echo "$total"
}

export PASSWORD_HASH_OPSLIMIT=1 PASSWORD_HASH_MEMLIMIT_KIB=8 ACCESS_TOKEN_LIFETIME=7200
export WS_PING_S=${WS_PING_S:-300} WS_HANGUP_S=${WS_HANGUP_S:-600}
case "$MODE" in
idle)
  SOCKETS=${2:?usage: bench/ws.sh idle SOCKETS [GATEWAYS] [CLIENTS]}
  export BENCH_GATEWAYS=${3:-1}
  CLIENTS=${4:-$(( (SOCKETS + 17999) / 18000 ))}
  install_ws_client
  bench_start
  trap bench_stop EXIT
  make_users $(( (SOCKETS + 24) / 25 ))
  url="ws://127.0.0.1:$GATEWAY_PORT/ws/main/"
  before=$(gateways_rss_kib)
  per=$(( (SOCKETS + CLIENTS - 1) / CLIENTS ))
  hold=120
  say "opening $SOCKETS sockets from $CLIENTS client processes to $BENCH_GATEWAYS gateway(s)"
  rm -f "$work"/idle-*.out
  pids=()
  for c in $(seq 0 $((CLIENTS - 1))); do
    n=$(( c == CLIENTS - 1 ? SOCKETS - per * (CLIENTS - 1) : per ))
    (ulimit -n 20000; exec node "$ROOT/bench/ws/idle.js" "$url" "$work/tokens-ws.txt" \
        $((c * per)) "$n" "127.0.0.$((2 + c))" "$hold") >"$work/idle-$c.out" 2>&1 &
    pids+=($!)
  done
  started=$(date +%s.%N)
  for _ in $(seq 1200); do
    [ "$(cat "$work"/idle-*.out 2>/dev/null | grep -c opened)" -ge "$CLIENTS" ] && break
    sleep 0.5
  done
  elapsed=$(echo "$(date +%s.%N) - $started" | bc)
  sleep 3
  after=$(gateways_rss_kib)
  opened=$(cat "$work"/idle-*.out | grep opened | python3 -c 'import json,sys; print(sum(json.loads(l)["opened"] for l in sys.stdin))')
  failed=$(cat "$work"/idle-*.out | grep opened | python3 -c 'import json,sys; print(sum(json.loads(l)["failed"] for l in sys.stdin))')
  echo "sockets open: $opened (failed $failed) in ${elapsed}s: $(echo "$opened / $elapsed" | bc) handshakes/s"
  echo "gateway RSS: $before KiB before, $after KiB with the sockets: $(echo "scale=2; ($after - $before) / $opened" | bc) KiB per socket"
  say "closing every socket at once"
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  t0=$(date +%s.%N)
  (ulimit -n 20000; exec node "$ROOT/bench/ws/idle.js" "$url" "$work/tokens-ws.txt" 0 1000 127.0.0.2 0) >"$work/idle-after.out" 2>&1
  echo "after the mass close: $(head -1 "$work/idle-after.out") ($(echo "$(date +%s.%N) - $t0" | bc) s from the close)"
  ;;
fanout)
  USERS=${2:-1000} RATE=${3:-500} SECONDS_RUN=${4:-20}
  export BENCH_GATEWAYS=${5:-1}
  install_ws_client
  bench_start
  trap bench_stop EXIT
  make_users "$USERS"
  ws_url="ws://127.0.0.1:$GATEWAY_PORT/ws/main/"
  say "fan-out: $USERS users, $RATE notifications/s for $SECONDS_RUN s"
  node "$ROOT/bench/ws/fanout.js" "$GATEWAY_URL" "$ws_url" "$work/tokens-ws.txt" "$RATE" "$SECONDS_RUN"
  ;;
*)
  die "usage: bench/ws.sh idle SOCKETS [GATEWAYS] [CLIENTS] | fanout [USERS] [RATE] [SECONDS] [GATEWAYS]"
  ;;
esac
