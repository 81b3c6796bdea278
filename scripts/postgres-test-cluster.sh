#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL cluster for tests: initdb in a temporary directory, a free
# 127.0.0.1 port, trust authentication, TLS offered with a throwaway self-signed certificate for
# 127.0.0.1 (FERRY_POSTGRES_CA), and a role `ferry_tls` that pg_hba admits over TLS only (so a test can
# prove its connection is encrypted). Needs Debian's `postgresql` package (installs it when missing
# and apt-get is usable) and openssl.
#
#   eval "$(scripts/postgres-test-cluster.sh start)"   # exports FERRY_POSTGRES_URL, FERRY_POSTGRES_DIR, FERRY_POSTGRES_CA
#   scripts/postgres-test-cluster.sh stop "$FERRY_POSTGRES_DIR"
#   scripts/postgres-test-cluster.sh start --owner PID  # also stops the cluster once process PID is gone
set -euo pipefail

find_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    if [[ -z "$dir" && -x "$(command -v apt-get)" && $(id -u) -eq 0 ]]; then
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) >&2
        dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    fi
    [[ -n "$dir" ]] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
    echo "$dir"
}

# Runs a command as the cluster's owner: root may not run postgres.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

case "${1:-}" in
start)
    bin=$(find_bin)
    dir=$(mktemp -d /tmp/ferry-postgres.XXXXXX)
    [[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
    port=$(free_port)
    as_owner "$bin/initdb" -D "$dir/data" -U ferry --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
        -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$dir/server.key" -out "$dir/server.crt" >/dev/null 2>&1 \
        || { echo "openssl could not make the cluster's certificate" >&2; exit 1; }
    chmod 600 "$dir/server.key"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$dir/server.key" "$dir/server.crt"
    # The TLS-only role is refused without TLS; everyone else is trusted either way.
    printf '%s\n' "local all all trust" "hostnossl all ferry_tls 127.0.0.1/32 reject" \
        "host all all 127.0.0.1/32 trust" "host all all ::1/128 trust" | as_owner tee "$dir/data/pg_hba.conf" >/dev/null
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-h 127.0.0.1 -p $port -k $dir -c fsync=on -c max_connections=100 -c ssl=on -c ssl_cert_file=$dir/server.crt -c ssl_key_file=$dir/server.key" start >/dev/null \
        || { cat "$dir/server.log" >&2; exit 1; }
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U ferry ferry_registry
    as_owner "$bin/createuser" -h 127.0.0.1 -p "$port" -U ferry --superuser ferry_tls
    if [[ "${2:-}" == "--owner" && -n "${3:-}" ]]; then
        owner="$3"
        setsid bash -c "while kill -0 $owner 2>/dev/null; do sleep 1; done; '$0' stop '$dir'" </dev/null >/dev/null 2>&1 &
    fi
    echo "export FERRY_POSTGRES_DIR=$dir"
    echo "export FERRY_POSTGRES_URL=postgres://ferry@127.0.0.1:$port/ferry_registry"
    echo "export FERRY_POSTGRES_CA=$dir/server.crt"
    ;;
stop)
    dir="${2:-${FERRY_POSTGRES_DIR:-}}"
    [[ -n "$dir" && -d "$dir/data" ]] || { echo "usage: $0 stop DIR" >&2; exit 1; }
    bin=$(find_bin)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start | stop DIR" >&2
    exit 2
    ;;
esac
