#!/usr/bin/env bash
# bench/reads.sh: authenticated REST reads through gateway -> broker -> service ->
# PostgreSQL (GET /api/users/me/ and GET /api/friends/, tokens rotated over many users),
# beside `pgbench -S` (select-only, 2 clients, TCP) on the same cluster, in one run.
# In the first run, perf stat of every process (system calls, context switches and CPU
# microseconds per request), and of PostgreSQL during pgbench (per select: the floor).
# Usage: bench/reads.sh [users=2000] [runs=3] [seconds=15] [connections=64]
set -euo pipefail
source "$(dirname "$0")/stack.sh"
USERS=${1:-2000} RUNS=${2:-3} SECONDS_PER_RUN=${3:-15} CONNECTIONS=${4:-64}
TOKENS=200

# Cheap hashing only so that seeding is quick; logins below use the same accounts.
export PASSWORD_HASH_OPSLIMIT=1 PASSWORD_HASH_MEMLIMIT_KIB=8 ACCESS_TOKEN_LIFETIME=3600
bench_start
trap bench_stop EXIT
work="$ROOT/var/bench"

say "seeding $USERS users with friendships"
"$ROOT/build/seed" -n "$USERS" -f 5 -w 256 -p "bench$$_" -o "$work/ids.txt" >/dev/null
say "logging $TOKENS users in"
login_tokens "$GATEWAY_URL" "$work/ids.txt" "$TOKENS" "$work/tokens.txt"

pg_url="${DATABASE_URL%/socialnet}/postgres"
psql -q "$pg_url" -c "DROP DATABASE IF EXISTS pgbench" -c "CREATE DATABASE pgbench" >/dev/null
pgbench_url="${DATABASE_URL%/socialnet}/pgbench"
"$PG_BIN/pgbench" -q -i -s 10 "$pgbench_url" >/dev/null 2>&1

results="$work/reads.$$"
: >"$results"
perf_window=$((SECONDS_PER_RUN - 4))
groups=("gateway $ROOT/build/gateway" "broker $PID_broker" "user $PID_user"
        "friend $PID_friend" "postgres $PG_BIN/postgres")
perf_lines="$work/reads-perf.$$"
: >"$perf_lines"
# perf_collect RATE WHAT: per-request lines of every group counted in this window.
perf_collect() {
  wait "$PERF_JOB"
  local count
  count=$(awk -v r="$1" -v w="$perf_window" 'BEGIN {print r * w}')
  echo "$2 (perf stat over $perf_window s, about $count requests):" >>"$perf_lines"
  for group in "${@:3}"; do perf_report "$work" "$group" "$count" request >>"$perf_lines"; done
}
echo "run  target        requests/s  p50      p99      non-2xx"
for run in $(seq "$RUNS"); do
  # pgbench's backends are started by pgbench: looked up once it runs.
  [ "$run" = 1 ] && perf_start 2 "$perf_window" "$work" "postgres $PG_BIN/postgres"
  tps=$("$PG_BIN/pgbench" -S -c 2 -j 2 -T "$SECONDS_PER_RUN" "$pgbench_url" 2>/dev/null \
        | awk '/^tps/ {print $3; exit}')
  printf '%-4s %-13s %s\n' "$run" "pgbench -S" "$tps"
  echo "pgbench $tps" >>"$results"
  [ "$run" = 1 ] && perf_collect "$tps" "pgbench -S" postgres
  for path in /api/users/me/ /api/friends/; do
    [ "$run" = 1 ] && perf_start 2 "$perf_window" "$work" "${groups[@]}"
    read -r rps p50 p99 bad < <(wrk_run "$GATEWAY_URL$path" -t2 -c"$CONNECTIONS" \
      -d"${SECONDS_PER_RUN}s" -s "$ROOT/bench/tokens.lua" -- "$path" "$work/tokens.txt")
    printf '%-4s %-13s %-11s %-8s %-8s %s\n' "$run" "$path" "$rps" "$p50" "$p99" "$bad"
    echo "$path $rps" >>"$results"
    [ "$run" = 1 ] && perf_collect "$rps" "$path" gateway broker user friend postgres
  done
done
pg=$(awk '$1=="pgbench"{print $2}' "$results" | median)
for path in /api/users/me/ /api/friends/; do
  m=$(awk -v p="$path" '$1==p{print $2}' "$results" | median)
  echo "median $path: $m req/s = $(awk -v a="$m" -v b="$pg" 'BEGIN{printf "%.3f", a/b}') x pgbench -S median ($pg tps)"
done
cat "$perf_lines"
rm -f "$results" "$perf_lines"
