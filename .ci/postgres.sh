#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for the test suite: initdb into a temp folder, pg_ctl start on a free
# port, as the postgres user when run as root (the server refuses to run as root). Source this file, then
# `start_test_postgres` exports BATON_TEST_POSTGRES_URL and `stop_test_postgres` removes the server.

pg_bin() {
  for dir in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  dirname "$(command -v pg_ctl)"
}

as_pg_user() {
  # From /, which the postgres user can read (the checkout's folder may not be).
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "cd / && $*"; else bash -c "$*"; fi
}

start_test_postgres() {
  local bin port dir
  bin=$(pg_bin)
  port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  dir=$(mktemp -d /tmp/baton-pg.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  as_pg_user "'$bin/initdb' -D '$dir/data' -A trust -U postgres --locale=C.UTF-8 -E UTF8 >/dev/null"
  # Durability settings off: this server holds throwaway test data only.
  as_pg_user "'$bin/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -t 60 start -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400\" >/dev/null"
  export BATON_TEST_POSTGRES_DIR="$dir"
  export BATON_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') for the tests on port $port"
}

stop_test_postgres() {
  [ -n "${BATON_TEST_POSTGRES_DIR:-}" ] || return 0
  as_pg_user "'$(pg_bin)/pg_ctl' -D '$BATON_TEST_POSTGRES_DIR/data' -m immediate stop >/dev/null" || true
  rm -rf "$BATON_TEST_POSTGRES_DIR"
  unset BATON_TEST_POSTGRES_DIR BATON_TEST_POSTGRES_URL
}
