#!/usr/bin/env bash
# A private PostgreSQL cluster for the SQL tests: initdb in a temporary
# folder (as user postgres when run as root: initdb refuses root), trust
# authentication on 127.0.0.1 only, a free port, fsync off.
#
#   source tests/sql/pg_cluster.sh
#   pg_start DIR            sets PGHOST, PGPORT, PGUSER, PGDATABASE; returns 1
#                           (saying why) when PostgreSQL is not installed
#   pg_stop DIR             stops it (also on exit: trap it)
pg_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  command -v initdb >/dev/null && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

# A TCP port nobody listens on (asked of the kernel).
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

as_owner() {  # as_owner DIR COMMAND...: as the cluster's owner
  if [ "$(id -u)" = 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

pg_start() {
  local dir=$1 bin port
  bin=$(pg_bin) || { echo "PostgreSQL is not installed (Debian package postgresql)"; return 1; }
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync -E UTF8 \
    --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log"; return 1; }
  port=$(free_port)
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c unix_socket_directories='$dir'" \
    start >/dev/null || { cat "$dir/server.log"; return 1; }
  export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres PGDATABASE=postgres
}

pg_stop() {
  local dir=$1 bin
  bin=$(pg_bin) || return 0
  [ -f "$dir/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
  return 0
}
