#!/usr/bin/env bash
# bench/logins.sh: POST /api/auth/login/ at the production Argon2id parameters, beside
# the raw crypto_pwhash_str_verify rate (bench/pwhash_verify.c, as many threads as the
# auth service has workers) in the same run; then GET /api/users/me/ alone and during a
# login flood, to show that reads keep their latency while logins saturate the auth
# workers.
# Usage: bench/logins.sh [users=100] [runs=3] [seconds=10] [connections=8]
set -euo pipefail
source "$(dirname "$0")/stack.sh"
USERS=${1:-100} RUNS=${2:-3} SECONDS_PER_RUN=${3:-10} CONNECTIONS=${4:-8}

# The auth service's own defaults (PASSWORD_HASH_OPSLIMIT / _MEMLIMIT_KIB unset).
unset PASSWORD_HASH_OPSLIMIT PASSWORD_HASH_MEMLIMIT_KIB
export ACCESS_TOKEN_LIFETIME=3600
bench_start
trap bench_stop EXIT
work="$ROOT/var/bench"

say "seeding $USERS users (production hashing: a few seconds)"
"$ROOT/build/seed" -n "$USERS" -f 0 -w 16 -p "login$$_" -o "$work/login_ids.txt" >/dev/null
login_tokens "$GATEWAY_URL" "$work/login_ids.txt" 20 "$work/login_tokens.txt"

logins() {
  wrk_run "$GATEWAY_URL/api/auth/login/" -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" \
    -s "$ROOT/bench/logins.lua" -- "$work/login_ids.txt"
}
reads() {
  wrk_run "$GATEWAY_URL/api/users/me/" -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" \
    -s "$ROOT/bench/tokens.lua" -- /api/users/me/ "$work/login_tokens.txt"
}

results="$work/logins.$$"
: >"$results"
echo "run  what                        per s     p50      p99      non-2xx"
row() { printf '%-4s %-27s %-9s %-8s %-8s %s\n' "$@"; }
for run in $(seq "$RUNS"); do
  raw=$("$ROOT/build/pwhash_verify" -t "$SERVICE_WORKERS" -s "$SECONDS_PER_RUN" | awk '{print $2}')
  row "$run" "raw verify ($SERVICE_WORKERS threads)" "$raw" - - -
  echo "raw $raw" >>"$results"
  read -r rps p50 p99 bad < <(logins)
  row "$run" "logins" "$rps" "$p50" "$p99" "$bad"
  echo "logins $rps" >>"$results"
  read -r rps p50 p99 bad < <(reads)
  row "$run" "/me alone" "$rps" "$p50" "$p99" "$bad"
  echo "me_alone $p99" >>"$results"
  logins >"$work/flood.$$" &
  flood=$!
  sleep 1
  read -r rps p50 p99 bad < <(reads)
  wait "$flood"
  row "$run" "/me during a login flood" "$rps" "$p50" "$p99" "$bad"
  echo "me_flood $p99" >>"$results"
  read -r frps fp50 fp99 fbad <"$work/flood.$$"
  row "$run" "logins (the flood)" "$frps" "$fp50" "$fp99" "$fbad"
done
raw=$(awk '$1=="raw"{print $2}' "$results" | median)
login=$(awk '$1=="logins"{print $2}' "$results" | median)
echo "median logins: $login/s = $(awk -v a="$login" -v b="$raw" 'BEGIN{printf "%.3f", a/b}') x raw verification ($raw/s)"
echo "median /me p99: alone $(awk '$1=="me_alone"{print $2}' "$results" | wrk_ms | median) ms," \
     "during a login flood $(awk '$1=="me_flood"{print $2}' "$results" | wrk_ms | median) ms"
rm -f "$results" "$work/flood.$$"
