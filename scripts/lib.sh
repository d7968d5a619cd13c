# scripts/lib.sh: shared steps of scripts/run, scripts/test and the benchmarks.
# Sourced, not run. Every function is idempotent.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PG_BIN=/usr/lib/postgresql/15/bin
REDOC_VERSION=2.5.4
DEBIAN_PACKAGES="build-essential cmake pkg-config git curl ca-certificates
  libwebsockets-dev libhttp-parser-dev libczmq-dev libzmq3-dev libjwt-dev libmsgpack-dev libjansson-dev
  libsodium-dev libpq-dev libssl-dev libcriterion-dev postgresql-15 postgresql-client-15
  postgresql-contrib python3 python3-websockets valgrind docker-compose nodejs npm clang libclang-rt-14-dev"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Installs the Debian packages that are missing (needs root or sudo once).
install_packages() {
  local missing=""
  for p in $DEBIAN_PACKAGES; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
  done
  # npm may come with the machine's own Node.js instead of Debian's package.
  if command -v npm >/dev/null 2>&1; then
    missing=$(echo "$missing" | tr ' ' '\n' | grep -vx -e nodejs -e npm | tr '\n' ' ')
  fi
  [ -z "${missing// }" ] && return 0
  say "installing Debian packages:$missing"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

# Fetches ReDoc's standalone bundle (npm registry) into var/static once.
install_redoc() {
  local target="$ROOT/var/static/redoc.standalone.js"
  [ -s "$target" ] && return 0
  say "fetching redoc@$REDOC_VERSION from the npm registry"
  local tmp
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "redoc@$REDOC_VERSION" >/dev/null) || { rm -rf "$tmp"; return 1; }
  mkdir -p "$ROOT/var/static"
  tar -xzf "$tmp"/redoc-*.tgz -C "$tmp" package/bundles/redoc.standalone.js package/LICENSE
  mv "$tmp/package/bundles/redoc.standalone.js" "$target"
  mv "$tmp/package/LICENSE" "$ROOT/var/static/redoc.LICENSE"
  rm -rf "$tmp"
}

# build DIR [cmake args...]: configures and builds the whole tree into DIR.
build() {
  local dir=$1; shift
  cmake -S "$ROOT" -B "$dir" "$@" >/dev/null
  # grep finds nothing to print when nothing was rebuilt: that is no failure (under
  # set -e and pipefail it would end scripts/run silently).
  cmake --build "$dir" -j"$(nproc)" 2>&1 | { grep -vE '^\[ *[0-9]+%\]|^-- ' || true; }
  # Any target that does not build fails the build (a test that does not compile
  # must not silently go missing from the run).
  [ "${PIPESTATUS[0]}" -eq 0 ] && [ -x "$dir/gateway" ] || die "build failed in $dir"
}

# Prints a TCP port that is free on 127.0.0.1 now.
# A TCP port free on 127.0.0.1, below the kernel's ephemeral range: an outgoing
# connection cannot take it as its local port before its server binds it.
free_port() {
  python3 -c '
import random, socket
ceiling = min(int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0]), 32768)
while True:
    port = random.randrange(10000, ceiling)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    break'
}

# Runs a command as the cluster owner: postgres when we are root (PostgreSQL refuses
# to run as root), ourselves otherwise.
as_pg_user() {
  if [ "$(id -u)" -eq 0 ]; then
    su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
  else
    "$@"
  fi
}

# ensure_secret FILE [BYTES]: creates FILE (mode 0600, its folder 0700) holding a
# random secret of BYTES (48) random bytes as hex, unless it exists. No secret is ever
# written in the code: each installation gets its own on first run.
ensure_secret() {
  local file=$1 bytes=${2:-48}
  [ -s "$file" ] && return 0
  mkdir -p "$(dirname "$file")"
  chmod 700 "$(dirname "$file")"
  (umask 077 && head -c "$bytes" /dev/urandom | od -An -tx1 | tr -d ' \n' >"$file")
}

# bus_keys_ensure BUILD DIR ROLE...: creates (once; idempotent) the bus's CURVE
# certificates of each role under DIR with BUILD/bus_keys, and exports BUS_KEYS=DIR:
# every process then finds its own DIR/<role>.key (see proto/bus/bus_keys.h).
bus_keys_ensure() {
  local build=$1 dir=$2; shift 2
  "$build/bus_keys" "$dir" broker gateway client "$@" || die "cannot create the bus keys in $dir"
  export BUS_KEYS=$dir
}

# max_connections of the private cluster, and the connections kept out of the
# processes' budget: PostgreSQL's superuser_reserved_connections (3) and room for the
# operator's psql, a migration and a tool (seed, a test client) at once (7).
PG_MAX_CONNECTIONS=200
PG_RESERVED_CONNECTIONS=10

# Database connections one process of a service holds beyond its SERVICE_WORKERS
# (one per worker): one per background actor (service_def_t.actors: each has its own
# connection). Keep in step with services/<svc>/main.c when a service gains one.
service_actor_connections() {
  case $1 in
    notification) echo 2 ;;   # the outbox publisher and the lease sweeper
    *) echo 0 ;;
  esac
}

# db_budget_check REPLICAS WORKERS SERVICE...: refuses (exit 1, with the sum) when
# REPLICAS processes of each SERVICE, each holding WORKERS connections plus its
# background actors', would not fit in PG_MAX_CONNECTIONS - PG_RESERVED_CONNECTIONS.
# The broker and the gateways hold no database connection.
db_budget_check() {
  local replicas=$1 workers=$2; shift 2
  local total=0 detail="" svc each
  for svc in "$@"; do
    each=$((workers + $(service_actor_connections "$svc")))
    total=$((total + replicas * each))
    detail="${detail:+$detail, }$svc $replicas x $each"
  done
  local budget=$((PG_MAX_CONNECTIONS - PG_RESERVED_CONNECTIONS))
  [ "$total" -le "$budget" ] || die "the services would hold $total database connections ($detail), more than the $budget of max_connections $PG_MAX_CONNECTIONS less $PG_RESERVED_CONNECTIONS kept for psql, migrations and tools: lower SERVICE_WORKERS or SERVICE_REPLICAS (see README.md, Scale it)"
  say "database connections: $total of $budget ($detail)"
}

# The first line of every pg_hba.conf these scripts write.
PG_HBA_MARK="# socialnet: password (SCRAM) over loopback TCP only"

# pg_start DIR PORT: creates (once) and starts a private cluster on 127.0.0.1:PORT.
# Sets DATABASE_URL for database "socialnet". The superuser has a password (SCRAM)
# kept in SECRETS/pg_password (SECRETS is the "secrets" folder beside DIR) and handed
# to libpq through PGPASSFILE; no Unix socket, and no connection without it. A
# cluster made by an older version of this script (which trusted every local user)
# gets the password and the strict pg_hba.conf on its next start.
pg_start() {
  local dir=$1 port=$2
  local secrets
  secrets="$(dirname "$dir")/secrets"
  ensure_secret "$secrets/pg_password" 24
  local password
  password=$(cat "$secrets/pg_password")
  (umask 077 && printf '127.0.0.1:*:*:postgres:%s\n' "$password" >"$secrets/pgpass")
  export PGPASSFILE="$secrets/pgpass"
  if [ "$(id -u)" -eq 0 ]; then
    # The cluster owner must be able to reach the folder: fall back to /tmp if not.
    mkdir -p "$dir"
    if ! su postgres -s /bin/sh -c "test -w '$dir' -o -x '$dir'" 2>/dev/null \
       || ! su postgres -s /bin/sh -c "cd '$dir'" 2>/dev/null; then
      local alt="/tmp/socialnet-pg-$(echo "$dir" | md5sum | cut -c1-8)"
      say "postgres cannot reach $dir: using $alt"
      dir=$alt
      mkdir -p "$dir"
    fi
    chown postgres: "$dir"
    chmod 700 "$dir"
  fi
  local options="-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c fsync=${PG_FSYNC:-on} -c max_connections=$PG_MAX_CONNECTIONS"
  if [ ! -f "$dir/PG_VERSION" ]; then
    local pwfile
    pwfile=$(mktemp)
    cp "$secrets/pg_password" "$pwfile"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$pwfile"
    as_pg_user "$PG_BIN/initdb" -D "$dir" -U postgres --auth=scram-sha-256 --pwfile="$pwfile" \
      --locale=C.UTF-8 -E UTF8 >/dev/null
    rm -f "$pwfile"
  elif ! head -n 1 "$dir/pg_hba.conf" | grep -qxF "$PG_HBA_MARK"; then
    say "setting the database password of the cluster in $dir"
    as_pg_user "$PG_BIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 -o "$options" start >/dev/null
    psql -q -w "postgresql://postgres@127.0.0.1:$port/postgres" \
      -c "ALTER ROLE postgres PASSWORD '$password'" >/dev/null
    as_pg_user "$PG_BIN/pg_ctl" -D "$dir" -m fast -w stop >/dev/null
  fi
  printf '%s\nhost all all 127.0.0.1/32 scram-sha-256\n' "$PG_HBA_MARK" >"$dir/pg_hba.conf"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir/pg_hba.conf"
  as_pg_user "$PG_BIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 -o "$options" start >/dev/null
  PG_DIR=$dir
  export DATABASE_URL="postgresql://postgres@127.0.0.1:$port/socialnet"
  psql -q -w "postgresql://postgres@127.0.0.1:$port/postgres" -tc \
    "SELECT 1 FROM pg_database WHERE datname = 'socialnet'" | grep -q 1 \
    || psql -q -w "postgresql://postgres@127.0.0.1:$port/postgres" -c "CREATE DATABASE socialnet" >/dev/null
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] && as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DIR" -m fast -w stop >/dev/null 2>&1
  return 0
}

# Applies sql/NNN_*.sql in order, each once, in its own transaction, recorded in
# schema_migrations. An advisory lock makes concurrent runs safe.
migrate() {
  psql -q -v ON_ERROR_STOP=1 "$DATABASE_URL" -c \
    "CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())" >/dev/null
  local file version
  for file in "$ROOT"/sql/[0-9]*.sql; do
    version=$(basename "$file" .sql)
    psql -q -v ON_ERROR_STOP=1 --single-transaction "$DATABASE_URL" >/dev/null <<SQL || die "migration $version failed"
SELECT pg_advisory_xact_lock(7270301);
SELECT NOT EXISTS (SELECT 1 FROM schema_migrations WHERE version = '$version') AS pending \gset
\if :pending
\echo applying $version
\i $file
INSERT INTO schema_migrations (version) VALUES ('$version');
\endif
SQL
  done
}

# start_process NAME LOGFILE COMMAND...: starts a process in the background and
# records its pid in PIDS.
PIDS=()
start_process() {
  local name=$1 log=$2; shift 2
  if [ -n "$log" ]; then
    "$@" >>"$log" 2>&1 &
  else
    "$@" &
  fi
  PIDS+=("$!")
  eval "PID_$name=$!"
}

# supervise NAME LOGFILE COMMAND...: like start_process, but through a supervisor
# that restarts COMMAND whenever it dies, after a backoff (1 s, doubling up to 30 s;
# back to 1 s once it has run for 30 s), and says so on its log. Exit status 2 (the
# process refused its configuration) is not retried: the supervisor exits with it.
# SIGTERM or SIGINT to the supervisor stops the process and the supervisor, which
# then exits with the process's own status, so stop_processes works unchanged.
supervise() {
  local name=$1 log=$2; shift 2
  (
    child="" stopping=0 delay=1
    trap 'stopping=1; [ -n "$child" ] && kill -TERM "$child" 2>/dev/null' TERM INT
    note() { if [ -n "$log" ]; then say "$*" 2>>"$log"; else say "$*"; fi; }
    while :; do
      started=$SECONDS
      if [ -n "$log" ]; then "$@" >>"$log" 2>&1 & else "$@" & fi
      child=$!
      status=0
      wait "$child" || status=$?
      # A trapped signal interrupts wait: wait again until the process is gone.
      while kill -0 "$child" 2>/dev/null; do status=0; wait "$child" || status=$?; done
      child=""
      [ "$stopping" -eq 1 ] && exit "$status"
      if [ "$status" -eq 2 ]; then
        note "$name refused its configuration (status 2): not restarted"
        exit 2
      fi
      [ $((SECONDS - started)) -ge 30 ] && delay=1
      note "$name exited with status $status: restarting in ${delay}s"
      sleep "$delay" & child=$!
      wait "$child" 2>/dev/null || true
      child=""
      [ "$stopping" -eq 1 ] && exit 0
      delay=$((delay * 2 > 30 ? 30 : delay * 2))
    done
  ) &
  PIDS+=("$!")
  eval "PID_$name=$!"
}

# Stops every process started with start_process (SIGTERM, then SIGKILL after 10 s).
# Returns non-zero when one of them did not exit cleanly.
stop_processes() {
  local pid rc=0 status
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      say "process $pid did not stop in time: killed"
      kill -KILL "$pid" 2>/dev/null || true
      rc=1
    fi
    wait "$pid" 2>/dev/null
    status=$?
    if [ "$status" -ne 0 ]; then
      say "process $pid exited with status $status"
      rc=1
    fi
  done
  PIDS=()
  return $rc
}

# wait_http URL SECONDS: waits until URL answers 200.
wait_http() {
  local url=$1 seconds=$2
  for _ in $(seq $((seconds * 10))); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$url" 2>/dev/null)" = 200 ] && return 0
    sleep 0.1
  done
  return 1
}
