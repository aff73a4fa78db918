# tests/pg.sh - sourced by the suites that need a PostgreSQL server: a throwaway cluster of
# their own (Debian's postgresql, which make deps installs), started with initdb and pg_ctl in a
# temporary folder and stopped when the suite ends. PostgreSQL refuses to run as root, so as
# root the cluster runs as the postgres user the package made. Connections are over a Unix
# socket in that folder, trusted: roles are told apart by PGUSER.

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
PG_DIR=""
PG_AS=()

pg_as() { "${PG_AS[@]}" "$@"; }

# pg_start: a new cluster; sets PGHOST and PGUSER (admin, its superuser) for the suite
pg_start() {
    if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
        echo "no PostgreSQL server here (make deps installs Debian's postgresql)" >&2
        return 1
    fi
    PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/riskreg-pg.XXXXXX")
    if [ "$(id -u)" = 0 ]; then
        chown postgres "$PG_DIR"
        PG_AS=(runuser -u postgres --)
    fi
    pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U admin --auth=trust -E UTF8 --locale=C.UTF-8 \
        >"$PG_DIR/initdb.log" 2>&1 || {
        echo "initdb failed: $(tail -5 "$PG_DIR/initdb.log")" >&2
        return 1
    }
    export PGHOST=$PG_DIR PGUSER=admin PGDATABASE=postgres
    unset PGPASSWORD PGSERVICE PGPORT
    pg_server start || return 1
    psql -X -q -v ON_ERROR_STOP=1 <<'EOF' >/dev/null
CREATE ROLE riskreg_writer NOLOGIN;
CREATE ROLE riskreg_reader NOLOGIN;
CREATE ROLE alice LOGIN IN ROLE riskreg_writer;
CREATE ROLE sitebuilder LOGIN IN ROLE riskreg_reader;
EOF
}

# pg_server start|stop [MODE]: the cluster's server; fsync off (PG_FSYNC=on for the bench), as
# nothing here must outlive it
pg_server() {
    case $1 in
    start)
        pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
            -o "-k $PG_DIR -c listen_addresses='' -c fsync=${PG_FSYNC:-off} -c max_connections=60" start \
            >/dev/null 2>&1 || {
            echo "the test server did not start: $(tail -5 "$PG_DIR/server.log")" >&2
            return 1
        }
        ;;
    stop) pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m "${2:-fast}" -w stop >/dev/null 2>&1 ;;
    esac
}

pg_stop() {
    [ -n "$PG_DIR" ] || return 0
    pg_server stop immediate
    rm -rf "$PG_DIR"
    PG_DIR=""
}

# pg_db NAME: a new, empty database; its connection in $conn
pg_db() {
    psql -q -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null 2>&1
    conn="host=$PG_DIR dbname=$1"
}

# pgq DB QUERY: one value from a database on the test server, as admin
pgq() { psql -X -A -t -q -d "$1" -c "$2"; }
