#!/usr/bin/env bash
# bench/chat.sh: chat writes, history at depth and live delivery, on the Release stack
# (bench/stack.sh) with production durability (fsync and synchronous_commit on).
# Usage: bench/chat.sh [runs=3] [seconds=15] [connections=64] [pairs=200] [depth=1000000]
#   1. POST /api/chat/{friend}/messages/ (wrk, rotating sender/friend pairs) beside
#      `pgbench -f bench/chat_pgbench.sql` (the rows one message writes, one transaction
#      each) with as many clients as the chat service has database connections
#      (SERVICE_WORKERS), alternated in each run; medians and the ratio. Also pgbench
#      with CONNECTIONS clients: the database alone at wrk's concurrency. During the
#      first wrk run, perf stat of each process: system calls, context switches and CPU
#      microseconds per message.
#   2. History of one conversation of DEPTH messages: the newest page and the oldest
#      page (wrk, one connection), p50/p99.
#   3. chat.send -> chat.message latency on the receiver's socket (bench/ws/chat.js,
#      PAIRS pairs on sockets, 200 messages/s for 10 s).
#   BENCH_PARTS (default "writes history live") picks the parts to run.
set -euo pipefail
source "$(dirname "$0")/stack.sh"
PARTS=" ${BENCH_PARTS:-writes history live} "
RUNS=${1:-3} SECONDS_PER_RUN=${2:-15} CONNECTIONS=${3:-64} PAIRS=${4:-200} DEPTH=${5:-1000000}
work="$ROOT/var/bench"
install_ws_client

export PASSWORD_HASH_OPSLIMIT=1 PASSWORD_HASH_MEMLIMIT_KIB=8 ACCESS_TOKEN_LIFETIME=7200 PG_FSYNC=on
bench_start
trap bench_stop EXIT
sql() { psql -qAtX "$DATABASE_URL" -v ON_ERROR_STOP=1 "$@"; }
[ "$(sql -c 'SHOW fsync')" = on ] && [ "$(sql -c 'SHOW synchronous_commit')" = on ] \
  || die "the cluster does not run with fsync and synchronous_commit on"

# 2 x PAIRS + 1 pairs of users: user i befriends user PAIRS'+i (the rows the friend
# service writes for an accepted request). The last pair holds the deep conversation.
say "creating $((2 * PAIRS + 2)) users and their friendships"
"$ROOT/build/seed" -n $((2 * PAIRS + 2)) -f 0 -w 256 -p "chat$$_" -o "$work/ids-chat.txt" >/dev/null
"$ROOT/build/mint_tokens" 7200 <"$work/ids-chat.txt" >"$work/tokens-chat.txt"
half=$((PAIRS + 1))
paste -d' ' <(head -n "$half" "$work/tokens-chat.txt") <(tail -n "$half" "$work/tokens-chat.txt") \
  >"$work/pairs-chat.txt"   # sender_id sender_token receiver_id receiver_token
sql -c "DROP TABLE IF EXISTS bench_pairs" -c "CREATE TABLE bench_pairs (n int PRIMARY KEY, sender bigint, receiver bigint)"
awk '{print NR "," $1 "," $3}' "$work/pairs-chat.txt" | sql -c "\\copy bench_pairs FROM STDIN WITH (FORMAT csv)"
sql -c "INSERT INTO friendships (user_id, friend_id) SELECT sender, receiver FROM bench_pairs
        UNION ALL SELECT receiver, sender FROM bench_pairs"
head -n "$PAIRS" "$work/pairs-chat.txt" | awk '{print $3, $2}' >"$work/wrk-chat.txt"

perf_window=$((SECONDS_PER_RUN - 4))
results="$work/chat.$$"
: >"$results"
if [[ "$PARTS" == *" writes "* ]]; then
say "writes: $RUNS runs of $SECONDS_PER_RUN s, $CONNECTIONS connections, pgbench -c $SERVICE_WORKERS"
echo "run  target          messages/s  p50       p99       non-2xx"
for run in $(seq "$RUNS"); do
  # pgbench with the service's connections (the baseline), then with as many clients
  # as wrk has connections (what the database alone does at that concurrency).
  for clients in "$SERVICE_WORKERS" "$CONNECTIONS"; do
    "$PG_BIN/pgbench" -n -M prepared -f "$ROOT/bench/chat_pgbench.sql" -D pairs="$PAIRS" \
        -c "$clients" -j 2 -T "$SECONDS_PER_RUN" -l --log-prefix="$work/pgb" "$DATABASE_URL" \
        >"$work/pgbench.out" 2>&1 || { cat "$work/pgbench.out"; die "pgbench failed"; }
    tps=$(awk '/^tps/ {print $3; exit}' "$work/pgbench.out")
    # Per-transaction log: the third field is the latency in microseconds.
    read -r pg50 pg99 < <(cat "$work"/pgb.* | awk '{print $3/1000}' | sort -g \
      | awk '{a[NR]=$1} END {printf "%.2fms %.2fms\n", a[int(NR*0.5)+1], a[int(NR*0.99)+1]}')
    rm -f "$work"/pgb.*
    printf '%-4s %-15s %-11s %-9s %-9s\n' "$run" "pgbench -c $clients" "$tps" "$pg50" "$pg99"
    [ "$clients" = "$SERVICE_WORKERS" ] && echo "pgbench $tps" >>"$results"
  done
  if [ "$run" = 1 ]; then
    # Every process group counted over the same window inside this run's wrk.
    perf_start 2 "$perf_window" "$work" "gateway $ROOT/build/gateway" "broker $PID_broker" \
      "chat $PID_chat" "notification $PID_notification" "postgres $PG_BIN/postgres"
  fi
  read -r rps p50 p99 bad < <(wrk_run "$GATEWAY_URL/" -t2 -c"$CONNECTIONS" \
    -d"${SECONDS_PER_RUN}s" -s "$ROOT/bench/chat.lua" -- "$work/wrk-chat.txt")
  printf '%-4s %-15s %-11s %-9s %-9s %s\n' "$run" "POST chat" "$rps" "$p50" "$p99" "$bad"
  echo "chat $rps $p99" >>"$results"
  if [ "$run" = 1 ]; then
    wait "$PERF_JOB"
    # The window's messages at the run's rate (perf counts exactly the window).
    messages=$(awk -v r="$rps" -v w="$perf_window" 'BEGIN {print r * w}')
    echo "perf stat over ${perf_window} s of run 1 (about $messages messages):"
    for group in gateway broker chat notification postgres; do
      perf_report "$work" "$group" "$messages" message
    done
  fi
done
pg=$(awk '$1=="pgbench"{print $2}' "$results" | median)
chat=$(awk '$1=="chat"{print $2}' "$results" | median)
echo "median POST chat: $chat messages/s = $(awk -v a="$chat" -v b="$pg" 'BEGIN{printf "%.3f", a/b}') x pgbench -f median ($pg tps); p99 by run: $(awk '$1=="chat"{printf "%s ", $3}' "$results")"
rm -f "$results"
fi

# History at depth: one conversation of DEPTH messages (the rows a send writes to
# messages; the id trigger runs for each), then its newest and its oldest page.
if [[ "$PARTS" == *" history "* ]]; then
read -r deep_sender deep_token deep_receiver _ < <(tail -n 1 "$work/pairs-chat.txt")
say "writing a conversation of $DEPTH messages"
sql -c "INSERT INTO messages (sender_id, receiver_id, text)
        SELECT CASE WHEN g % 2 = 0 THEN $deep_sender ELSE $deep_receiver END,
               CASE WHEN g % 2 = 0 THEN $deep_receiver ELSE $deep_sender END,
               'deep message ' || g FROM generate_series(1, $DEPTH) g" -c "ANALYZE messages"
oldest_bound=$(sql -c "SELECT id FROM messages WHERE sender_id IN ($deep_sender, $deep_receiver)
                       AND receiver_id IN ($deep_sender, $deep_receiver) ORDER BY id OFFSET 50 LIMIT 1")
echo "history of $DEPTH messages, one connection, ${SECONDS_PER_RUN} s each: requests/s p50 p99"
for page in newest oldest; do
  query=""; [ "$page" = oldest ] && query="?before=$oldest_bound"
  for run in $(seq "$RUNS"); do
    read -r rps p50 p99 bad < <(wrk_run "$GATEWAY_URL/api/chat/$deep_receiver/messages/$query" \
      -t1 -c1 -d"${SECONDS_PER_RUN}s" -H "Authorization: Bearer $deep_token")
    echo "  $page page, run $run: $rps $p50 $p99 (non-2xx $bad)"
  done
done

fi

# Live delivery: the first PAIRS pairs on sockets, 200 chat.send per second.
if [[ "$PARTS" == *" live "* ]]; then
say "chat.send -> chat.message: $PAIRS pairs, 200 messages/s for 10 s, $RUNS runs"
head -n "$PAIRS" "$work/pairs-chat.txt" >"$work/ws-pairs-chat.txt"
for run in $(seq "$RUNS"); do
  echo "  run $run: $(node "$ROOT/bench/ws/chat.js" "ws://127.0.0.1:$GATEWAY_PORT/ws/main/" "$work/ws-pairs-chat.txt" 200 10)"
done
fi
