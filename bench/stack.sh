# bench/stack.sh: starts the Release build of the whole stack for a benchmark, on free
# loopback ports, with a throwaway cluster under var/bench. Sourced by the benchmarks.
# Sets GATEWAY_URL and DATABASE_URL; bench_stop stops everything.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

bench_start() {
  install_packages
  command -v wrk >/dev/null || { sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd=sudo; $sudo_cmd apt-get install -y -qq wrk nginx-light >/dev/null; }
  build "$ROOT/build" -DCMAKE_BUILD_TYPE=Release -DSANITIZE=OFF
  local var="$ROOT/var/bench"
  mkdir -p "$var/logs"
  pg_start "$var/pg" "$(free_port)"
  migrate
  export APP_ENV=development LOG_LEVEL=warn
  if [ -z "${JWT_SECRET:-}" ] && [ -z "${JWT_SECRET_FILE:-}" ]; then
    ensure_secret "$var/secrets/jwt_secret"
    export JWT_SECRET_FILE="$var/secrets/jwt_secret"
  fi
  export BUS_ENDPOINT=${BENCH_BUS_ENDPOINT:-tcp://127.0.0.1:$(free_port)}
  # BUS_CURVE=off (development only) measures the bus without CURVE.
  bus_keys_ensure "$ROOT/build" "$var/bus" auth user friend notification chat
  export BUS_SERVICES=auth,user,friend,notification,chat
  export EVENTS_PUB_ENDPOINT="tcp://127.0.0.1:$(free_port)" EVENTS_SUB_ENDPOINT="tcp://127.0.0.1:$(free_port)"
  export GATEWAY_PORT=$(free_port)
  export GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT"
  export SERVICE_WORKERS=${SERVICE_WORKERS:-4}
  start_process broker "$var/logs/broker.log" "$ROOT/build/broker"
  for svc in auth user friend notification chat; do
    start_process "$svc" "$var/logs/$svc.log" "$ROOT/build/${svc}_service"
  done
  # BENCH_GATEWAYS gateways (default 1) on one port, through one inherited listening
  # socket as scripts/run starts them; GATEWAY_LEASE_MS etc. pass through.
  start_process gateways "$var/logs/gateways.log" "$ROOT/build/listen_socket" 3 \
    "$ROOT/scripts/gateways" "${BENCH_GATEWAYS:-1}" "$ROOT/build/gateway" "$var/logs"
  wait_http "$GATEWAY_URL/readyz" 30 || die "the stack did not become ready"
}

bench_stop() {
  stop_processes || true
  pg_stop
}

# Starts nginx answering a constant 200 on a free port; sets NGINX_URL.
nginx_start() {
  local dir="$ROOT/var/bench/nginx" port
  port=$(free_port)
  mkdir -p "$dir"
  cat >"$dir/nginx.conf" <<CONF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$port;
    location / { default_type application/json; return 200 '{"status":"ok"}'; }
  }
}
CONF
  nginx -c "$dir/nginx.conf" -p "$dir"
  NGINX_URL="http://127.0.0.1:$port"
}

nginx_stop() {
  local pidfile="$ROOT/var/bench/nginx/nginx.pid"
  [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null
  return 0
}

# wrk_rps URL [wrk args...]: prints "requests/s p50_ms p99_ms" for one run.
wrk_run() {
  local url=$1; shift
  wrk --latency "$url" "$@" 2>&1 | awk '
    /Requests\/sec/ {rps=$2}
    /^ +50%/ {p50=$2}
    /^ +99%/ {p99=$2}
    /Non-2xx/ {bad=$NF}
    END {printf "%s %s %s %s\n", rps, p50, p99, (bad==""?0:bad)}'
}

# wrk_ms: wrk's latencies on stdin ("850.00us", "1.42ms", "1.05s"), one per line, in
# milliseconds.
wrk_ms() {
  awk '/us$/ {printf "%.3f\n", $1 / 1000; next} /ms$/ {printf "%.3f\n", $1 + 0; next}
       /s$/ {printf "%.3f\n", $1 * 1000}'
}

# login_tokens URL IDS_FILE COUNT OUT: logs the first COUNT users of IDS_FILE ("id
# username" per line, as bench/seed -o writes) in through URL with the seed's password
# and writes their access tokens to OUT, one per line.
login_tokens() {
  local url=$1 ids=$2 count=$3 out=$4
  : >"$out"
  head -n "$count" "$ids" | while read -r _ username; do
    curl -s "$url/api/auth/login/" -H 'Content-Type: application/json' \
      -d "{\"username\":\"$username\",\"password\":\"seed-password-1\"}" \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["access"])' >>"$out"
  done
}

# median of the numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# Node's ws client for the WebSocket benchmarks, installed from npm into
# var/npm/ws-bench once; exports NODE_PATH so bench/ws/*.js find it.
install_ws_client() {
  local npm_dir="$ROOT/var/npm/ws-bench"
  export NODE_PATH="$npm_dir/node_modules"
  [ -d "$npm_dir/node_modules/ws" ] && return 0
  mkdir -p "$npm_dir"
  cp "$ROOT/bench/ws/package.json" "$npm_dir/"
  (cd "$npm_dir" && npm install --silent --no-audit --no-fund >/dev/null)
}

# pids_of EXE: the ids of the processes running EXE, comma separated (for perf -p).
pids_of() {
  local exe=$1 pid list=""
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$exe" ] && list="$list,$pid"
  done
  echo "${list#,}"
}

# perf_counts SECONDS PIDS: "system_calls context_switches cpu_ms" of the processes PIDS
# (comma separated), summed over the next SECONDS.
perf_counts() {
  # Only the processes still there: perf stat -p refuses the whole list for one that has
  # exited (PostgreSQL's autovacuum workers come and go).
  local pid live=""
  for pid in ${2//,/ }; do [ -d "/proc/$pid" ] && live="$live,$pid"; done
  perf stat -x, -e raw_syscalls:sys_enter,context-switches,task-clock -p "${live#,}" -- sleep "$1" 2>&1 >/dev/null \
    | awk -F, '$3 ~ /raw_syscalls/ {s=$1} $3=="context-switches" {c=$1} $3=="task-clock" {t=$1}
               END {print s+0, c+0, t+0}'
}

# perf_start DELAY WINDOW DIR "NAME PIDS"...: in the background, waits DELAY seconds, then
# counts each group (perf_counts) over the same WINDOW seconds into DIR/perf-NAME. PIDS
# may be an executable's path instead: its processes are looked up after the delay
# (pids_of), so those started meanwhile count too. The job's id is left in PERF_JOB
# (wait for it before perf_report).
perf_start() {
  local delay=$1 window=$2 dir=$3; shift 3
  ( sleep "$delay"
    for group in "$@"; do
      set -- $group
      [[ "$2" == /* ]] && set -- "$1" "$(pids_of "$2")"
      perf_counts "$window" "$2" >"$dir/perf-$1" &
    done
    wait
  ) &
  PERF_JOB=$!
}

# perf_report DIR NAME COUNT UNIT: the per-UNIT figures of group NAME (counted by
# perf_start into DIR) over a window in which COUNT of them were done.
perf_report() {
  local calls switches ms
  read -r calls switches ms <"$1/perf-$2"
  awk -v n="$2" -v c="$calls" -v s="$switches" -v t="$ms" -v m="$3" -v u="$4" 'BEGIN {
    printf "  %-14s %6.1f system calls  %5.2f context switches  %6.1f CPU us  per %s\n", n, c/m, s/m, t*1000/m, u }'
}
