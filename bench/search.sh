#!/usr/bin/env bash
# bench/search.sh: user lists and ?search= at USERS users, through the gateway.
# Usage: bench/search.sh [users=1000000] [runs=3] [seconds=10]
# The users are made with SQL (generate_series) as the auth service would write them
# (the same columns, the same triggers: user_search, the count shards), with first and
# last names from bench/seed.c's lists and the password hash of one user registered
# through REST, so every generated user could log in. User 1 of them gets 500 friends
# and 50 pending requests. Each request shape is timed with wrk on one connection
# (single-request latency), RUNS runs of SECONDS; prints p50/p99 per run and medians.
set -euo pipefail
source "$(dirname "$0")/stack.sh"
USERS=${1:-1000000} RUNS=${2:-3} SECONDS_PER_RUN=${3:-10}
work="$ROOT/var/bench"
export PASSWORD_HASH_OPSLIMIT=1 PASSWORD_HASH_MEMLIMIT_KIB=8 ACCESS_TOKEN_LIFETIME=7200
# A fresh cluster: the users below are written in bulk, and other benchmarks' rows
# would change what is measured.
rm -rf "$ROOT/var/bench/pg"
bench_start
trap bench_stop EXIT
sql() { psql -qAtX "$DATABASE_URL" -v ON_ERROR_STOP=1 "$@"; }

prefix="s$$_"
curl -sf "$GATEWAY_URL/api/auth/register/" -H 'Content-Type: application/json' \
  -d "{\"username\":\"${prefix}model\",\"email\":\"${prefix}model@example.com\",\"password\":\"search-password-1\",\"password2\":\"search-password-1\"}" >/dev/null \
  || die "registration failed"
say "writing $USERS users"
start=$(date +%s)
# In transactions of 10,000 users: the count shards' rows are updated once per user,
# and a million updates of 16 rows in one transaction would walk ever longer version
# chains.
for batch_start in $(seq 1 10000 "$USERS"); do
  batch_end=$(( batch_start + 9999 < USERS ? batch_start + 9999 : USERS ))
  sql <<SQL
INSERT INTO users (username, email, password, first_name, last_name)
SELECT '${prefix}' || g, '${prefix}' || g || '@example.com', m.password,
       (ARRAY['Anna','Ben','Chloé','David','Élodie','Farid','Greta','Hugo','Inès','Jonas',
              'Karin','Léa','Marco','Nadia','Oscar','Paula','Quentin','Rosa','Søren','Tomás',
              'Uma','Victor','Wanda','Xavier','Yara','Zoë','Ärne','José','Miyu','Олег'])[(1 + (g::bigint * 7919) % 30)::int],
       (ARRAY['Martin','Bernard','Dubois','Thomas','Müller','Schmidt','García','Fernández',
              'Rossi','Russo','Nowak','Kowalski','Jensen','Nielsen','O''Brien','Murphy',
              'Smith','Jones','Brown','Taylor','Johansson','Andersson','Novák','Dvořák',
              'Yılmaz','Kaya','Lefèvre','Moreau','Silva','Иванов'])[(1 + (g::bigint * 104729 / 30) % 30)::int]
FROM generate_series($batch_start, $batch_end) g,
     (SELECT password FROM users WHERE username = '${prefix}model') m;
SQL
done
sql -c "VACUUM ANALYZE users" -c "VACUUM ANALYZE user_search" -c "VACUUM ANALYZE user_count_shards"
say "written in $(( $(date +%s) - start )) s"
first=$(sql -c "SELECT id FROM users WHERE username = '${prefix}1'")
# The first user: 500 friends (the two rows the friend service writes per friendship,
# with the accepted request) and 50 pending requests to them.
sql <<SQL
INSERT INTO friend_requests (sender_id, receiver_id, status)
  SELECT $first, $first + g, CASE WHEN g <= 500 THEN 'accepted' ELSE 'pending' END
  FROM generate_series(1, 550) g;
INSERT INTO friendships (user_id, friend_id)
  SELECT $first, $first + g FROM generate_series(1, 500) g
  UNION ALL SELECT $first + g, $first FROM generate_series(1, 500) g;
INSERT INTO friend_requests (sender_id, receiver_id) SELECT $first + 1000 + g, $first FROM generate_series(1, 50) g;
SQL
echo "$first ${prefix}1" | "$ROOT/build/mint_tokens" 7200 | cut -d' ' -f2 >"$work/search-token.txt"
token=$(cat "$work/search-token.txt")
deep_page=$(( USERS / 40 ))

shapes=(
  "list page 1|/api/users/"
  "list page $deep_page (offset $((deep_page * 20 - 20)))|/api/users/?page=$deep_page"
  "search a username (${prefix}123456)|/api/users/?search=${prefix}123456"
  "search a username without the shared prefix (123456)|/api/users/?search=123456"
  "search a first name (anna, 3.3%)|/api/users/?search=anna"
  "search first and last name (anna martin)|/api/users/?search=anna%20martin"
  "search every user (the username prefix)|/api/users/?search=${prefix%_}"
  "search nothing matches (xyzzy)|/api/users/?search=xyzzy"
  "search one letter (a)|/api/users/?search=a"
  "search two letters, rare (qz)|/api/users/?search=qz"
  "search two letters, common (an)|/api/users/?search=an"
  "search two short terms (a o)|/api/users/?search=a%20o"
  "friends of a user with 500|/api/friends/"
  "pending requests (50)|/api/friends/requests/"
)
echo "shape | count | p50 by run | p99 by run | median p99"
for shape in "${shapes[@]}"; do
  name=${shape%%|*} path=${shape#*|}
  count=$(curl -s "$GATEWAY_URL$path" -H "Authorization: Bearer $token" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin).get("count","-"))')
  p50s="" p99s=""
  for run in $(seq "$RUNS"); do
    read -r rps p50 p99 bad < <(wrk_run "$GATEWAY_URL$path" -t1 -c1 -d"${SECONDS_PER_RUN}s" \
      -H "Authorization: Bearer $token")
    [ "$bad" = 0 ] || die "$name: $bad answers were not 2xx"
    p50s="$p50s $p50" p99s="$p99s $p99"
  done
  m=$(for v in $p99s; do echo "$v"; done | wrk_ms | median)
  echo "$name | $count |$p50s |$p99s | ${m} ms"
done
