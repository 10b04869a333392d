# tests/e2e/lib.sh - the end-to-end harness (STYLE.md T7-T14), sourced by
# every tests/e2e/test_*.sh.
#
# start_server [VAR=value ...]  starts $BIN serve in a fresh temporary
#     directory with a fully specified environment (PORT=0, its own
#     database and LOG_DIR, CROWDELIC_ENV=test, no inherited .env), waits
#     for the "listening" line and for GET /readyz to answer 200 (10 s at
#     most), and sets PORT, BASE, SRV_DIR, SRV_PID and DB_URL (its
#     DATABASE_URL: a DATABASE_URL=... argument, else a new_db).
# The databases: SQLite files by default. With TEST_DATABASE_URL=postgres://...
#     (scripts/run-tests' PostgreSQL pass, from scripts/pg-cluster) this file
#     gets a database of its own on that server (dropped at exit) and each
#     new_db is a schema in it. DB_BACKEND says which (sqlite, postgres).
# new_db    prints the URL of a new, empty database.
# db_sql SQL [URL]   runs SQL on the database (default DB_URL); rows print
#     as a|b (sqlite3's list mode, psql -At). Write portable SQL, and no
#     boolean results (1 on SQLite, t on PostgreSQL): CASE WHEN ... THEN 1.
# db_hold_write_lock SECONDS [URL]   holds the write lock the server's write
#     transactions take (SQLite's, or the backend's advisory lock).
# start_llm [FLAGS...]  the same for crowdelic llm-serve (ready: /stats).
# stop_server    SIGTERM, wait; the exit status must be 0 and stderr must
#     hold no sanitizer report. Runs from the EXIT trap too.
# req METHOD PATH [curl args]    one request; sets STATUS, BODY (text),
#     and HDRS (a file with the response headers).
# as TOKEN METHOD PATH [curl args]   req with "Authorization: Bearer TOKEN".
# register EMAIL [PASSWORD [COMPANY [INVITE]]]   signs up (req), sets TOKEN.
# wait_run TOKEN TEST RUN STATUSES [SECONDS]   polls (as TOKEN) until the run's
#     status is one of STATUSES ("completed", or "completed|failed"); false
#     after SECONDS (30).
# check NAME COMMAND...   one assertion: "ok - NAME" or "not ok - NAME".
# load_routes    reads `crowdelic routes` (the server's route table) into
#     ROUTES (its text) and the arrays PUBLIC_ROUTES ("METHOD PATTERN FLAGS"),
#     ID_ROUTES and PLAIN_ROUTES ("METHOD PATTERN json?": the non-public
#     routes with and without a :param); fill_path PATTERN ID... puts the ids
#     in the :params, in order (the last one repeated).
# b64url, b64url_str TEXT, b64url_decode TEXT, jwt ALG(HS256|HS512) KEY
#     PAYLOAD_JSON: tokens of the test's own making (openssl).
# finish    prints "N passed, N failed" and the server log tail on failure.
set -uo pipefail

: "${BIN:?BIN must point at the crowdelic binary}"
PASSED=0
FAILED=0
SRV_PID=""
SRV_DIR=""
TMP_ROOT=$(mktemp -d)
HDRS=$TMP_ROOT/headers
BODY=""
STATUS=0

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# --- the databases ------------------------------------------------------------------------
DB_BACKEND=sqlite
DB_URL=""
E2E_PG_URL="" # this file's PostgreSQL database
# The key of the advisory lock of store_pg.c's write transactions (WRITE_LOCK_KEY).
E2E_PG_WRITE_LOCK=99009414230884

# pg_url_with_db URL NAME: URL naming database NAME instead of its own.
pg_url_with_db() {
    local url=$1 name=$2 query="" base
    case "$url" in *\?*) query="?${url#*\?}" ;; esac
    base=${url%%\?*}
    local scheme=${base%%://*}
    local rest=${base#*://}
    echo "$scheme://${rest%%/*}/$name$query"
}

pg_exec() { # URL SQL...
    local url=$1
    shift
    local -a cmds=()
    local c
    for c in "$@"; do cmds+=(-c "$c"); done
    psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$url" "${cmds[@]}"
}

case "${TEST_DATABASE_URL:-}" in
postgres://* | postgresql://*)
    DB_BACKEND=postgres
    E2E_PG_NAME="e2e_$(basename "$0" .sh | tr -c 'a-z0-9_\n' _)_$$"
    pg_exec "$TEST_DATABASE_URL" "CREATE DATABASE $E2E_PG_NAME" ||
        { echo "# cannot create database $E2E_PG_NAME"; exit 1; }
    E2E_PG_URL=$(pg_url_with_db "$TEST_DATABASE_URL" "$E2E_PG_NAME")
    ;;
esac

new_db() {
    if [ "$DB_BACKEND" = postgres ]; then
        local schema
        schema="s_$(basename "$(mktemp -u "$TMP_ROOT/XXXXXXXXXX")" | tr 'A-Z' 'a-z')"
        pg_exec "$E2E_PG_URL" "CREATE SCHEMA $schema" || return 1
        case "$E2E_PG_URL" in
        *\?*) echo "$E2E_PG_URL&options=-csearch_path%3D$schema" ;;
        *) echo "$E2E_PG_URL?options=-csearch_path%3D$schema" ;;
        esac
    else
        echo "$(mktemp -d "$TMP_ROOT/db.XXXXXX")/crowdelic.db"
    fi
}

db_sql() {
    local url=${2:-$DB_URL}
    if [ "$DB_BACKEND" = postgres ]; then
        pg_exec "$url" "$1"
    else
        sqlite3 -cmd '.timeout 5000' "$url" "$1"
    fi
}

db_hold_write_lock() {
    local seconds=$1 url=${2:-$DB_URL}
    if [ "$DB_BACKEND" = postgres ]; then
        pg_exec "$url" "BEGIN" "SELECT pg_advisory_xact_lock($E2E_PG_WRITE_LOCK)" \
            "SELECT pg_sleep($seconds)" "COMMIT" >/dev/null
    else
        (echo "BEGIN IMMEDIATE;"; sleep "$seconds"; echo "COMMIT;") | sqlite3 -cmd ".timeout 5000" "$url"
    fi
}

check() {
    local name=$1
    shift
    if "$@"; then
        PASSED=$((PASSED + 1))
        echo "ok - $name"
    else
        FAILED=$((FAILED + 1))
        echo "not ok - $name"
        echo "#   command: $*"
        echo "#   last status: $STATUS; last body: ${BODY:0:400}"
    fi
}

# Small predicates for check.
eq() { [ "$1" = "$2" ]; }
ne() { [ "$1" != "$2" ]; }
contains() { case "$1" in *"$2"*) return 0 ;; esac; return 1; }
lacks() { ! contains "$1" "$2"; }
matches() { [[ $1 =~ $2 ]]; }
jq_eq() { [ "$(printf '%s' "$BODY" | jq -r "$1" 2>/dev/null)" = "$2" ]; }
header() { grep -i "^$1:" "$HDRS" | tail -1 | sed -E 's/^[^:]+:[[:space:]]*//; s/\r$//'; }
has_header() { grep -qi "^$1:" "$HDRS"; }

# --- the route table -----------------------------------------------------------------------
load_routes() {
    local method pattern flags json
    ROUTES=$(cd "$TMP_ROOT" && "$BIN" routes)
    PUBLIC_ROUTES=()
    ID_ROUTES=()
    PLAIN_ROUTES=()
    while read -r method pattern flags; do
        [ -n "$method" ] || continue
        case " $flags " in *" public "*)
            PUBLIC_ROUTES+=("$method $pattern${flags:+ $flags}")
            continue
            ;;
        esac
        json=""
        case " $flags " in *" json "*) json=json ;; esac
        if [[ $pattern == *:* ]]; then
            ID_ROUTES+=("$method $pattern $json")
        else
            PLAIN_ROUTES+=("$method $pattern $json")
        fi
    done <<<"$ROUTES"
}

fill_path() {
    local path=$1 i=0
    shift
    local -a ids=("$@")
    while [[ $path =~ /:[A-Za-z_]+ ]]; do
        path=${path/"${BASH_REMATCH[0]}"//${ids[$i]:-${ids[$((${#ids[@]} - 1))]}}}
        i=$((i + 1))
    done
    printf '%s' "$path"
}

# --- tokens --------------------------------------------------------------------------------
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
b64url_str() { printf '%s' "$1" | b64url; }
b64url_decode() {
    local s
    s=$(printf '%s' "$1" | tr -- '-_' '+/')
    while [ $((${#s} % 4)) -ne 0 ]; do s="$s="; done
    printf '%s' "$s" | base64 -d 2>/dev/null
}
jwt() {
    local alg=$1 key=$2 payload=$3 dgst=sha256 hp
    [ "$alg" = HS512 ] && dgst=sha512
    hp="$(b64url_str "{\"alg\":\"$alg\",\"typ\":\"JWT\"}").$(b64url_str "$payload")"
    printf '%s.%s' "$hp" "$(printf '%s' "$hp" | openssl dgst "-$dgst" -hmac "$key" -binary | b64url)"
}

# launch READY_PATH NAME_VALUE... -- ARGS...: starts "$BIN ARGS" in a fresh
# directory SRV_DIR with only the given environment (and the sanitizer
# options; "@DIR@" in a value stands for SRV_DIR), waits for its
# "listening" log line and for READY_PATH to answer 200.
launch() {
    local ready=$1
    shift
    local -a env_vars=("PATH=$PATH" "ASAN_OPTIONS=$ASAN_OPTIONS" "UBSAN_OPTIONS=$UBSAN_OPTIONS"
        "LSAN_OPTIONS=${LSAN_OPTIONS:-}" "TSAN_OPTIONS=${TSAN_OPTIONS:-}")
    while [ $# -gt 0 ] && [ "$1" != -- ]; do
        env_vars+=("$1")
        shift
    done
    shift # --
    SRV_DIR=$(mktemp -d "$TMP_ROOT/srv.XXXXXX")
    env_vars=("${env_vars[@]//@DIR@/$SRV_DIR}" "HOME=$SRV_DIR")
    (cd "$SRV_DIR" && exec env -i "${env_vars[@]}" "$BIN" "$@" >"$SRV_DIR/stdout" 2>"$SRV_DIR/stderr") &
    SRV_PID=$!
    local i
    PORT=""
    for i in $(seq 1 200); do
        if ! kill -0 "$SRV_PID" 2>/dev/null; then
            echo "# $1 exited during start-up"
            dump_server_log
            SRV_PID=""
            return 1
        fi
        PORT=$(grep -m1 '"msg":"listening"' "$SRV_DIR/stdout" 2>/dev/null | sed -E 's/.*"port":([0-9]+).*/\1/')
        [ -n "$PORT" ] && break
        sleep 0.05
    done
    [ -n "$PORT" ] || { echo "# no listening line in 10 s"; dump_server_log; return 1; }
    BASE="http://127.0.0.1:$PORT"
    for i in $(seq 1 200); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE$ready")" = 200 ] && return 0
        sleep 0.05
    done
    echo "# $ready never answered 200"
    dump_server_log
    return 1
}

# start_server [VAR=value ...]: crowdelic serve, on its own database and logs.
start_server() {
    local db="" arg rc
    for arg in "$@"; do
        case "$arg" in DATABASE_URL=*) db=${arg#DATABASE_URL=} ;; esac
    done
    if [ -z "$db" ] && [ "$DB_BACKEND" = postgres ]; then
        db=$(new_db) || return 1
        set -- "DATABASE_URL=$db" "$@"
    fi
    launch /readyz "PORT=0" "BIND_ADDRESS=127.0.0.1" "CROWDELIC_ENV=test" \
        "DATABASE_URL=@DIR@/crowdelic.db" "LOG_DIR=@DIR@/logs" "WEB_DIR=@DIR@/web" \
        "HTTP_THREADS=4" "JWT_SECRET=e2e-secret-e2e-secret-e2e-secret-0" "$@" -- serve
    rc=$?
    DB_URL=${db:-$SRV_DIR/crowdelic.db}
    DB_URL=${DB_URL//@DIR@/$SRV_DIR}
    return $rc
}

# start_llm [FLAGS...]: crowdelic llm-serve --port 0 FLAGS, with its own logs.
start_llm() {
    launch /stats "BIND_ADDRESS=127.0.0.1" "CROWDELIC_ENV=test" "HTTP_THREADS=4" \
        "LOG_DIR=@DIR@/logs" -- llm-serve --port 0 "$@"
}

dump_server_log() {
    [ -n "$SRV_DIR" ] || return 0
    echo "# --- server stdout (tail)"
    tail -n 30 "$SRV_DIR/stdout" 2>/dev/null | sed 's/^/#   /'
    echo "# --- server stderr (tail)"
    tail -n 60 "$SRV_DIR/stderr" 2>/dev/null | sed 's/^/#   /'
}

# True when the server's stderr holds no sanitizer report (ASan, LSan, UBSan, TSan).
no_sanitizer_report() {
    ! grep -qE 'AddressSanitizer|LeakSanitizer|ThreadSanitizer|runtime error' "$SRV_DIR/stderr"
}

# Stops the server; checks a clean exit. Sets STOP_STATUS.
stop_server() {
    [ -n "$SRV_PID" ] || return 0
    kill -TERM "$SRV_PID" 2>/dev/null
    wait "$SRV_PID"
    STOP_STATUS=$?
    SRV_PID=""
    check "server exits 0 on SIGTERM" eq "$STOP_STATUS" 0
    check "no sanitizer report on stderr" no_sanitizer_report
}

req() {
    local method=$1 path=$2
    shift 2
    : >"$HDRS"
    BODY=$(curl -s -X "$method" -D "$HDRS" -w '\n%{http_code}' --max-time 20 "$@" "$BASE$path")
    STATUS=${BODY##*$'\n'}
    BODY=${BODY%$'\n'*}
}

as() {
    local token=$1 method=$2 path=$3
    shift 3
    req "$method" "$path" -H "Authorization: Bearer $token" "$@"
}

# A password the policy accepts, the same for every test account.
E2E_PASSWORD="blue kettle over 9 hills"

register() {
    local email=$1 password=${2:-$E2E_PASSWORD} company=${3:-} invite=${4:-}
    req POST /api/auth/register -H 'Content-Type: application/json' \
        -d "$(jq -nc --arg e "$email" --arg p "$password" --arg c "$company" --arg i "$invite" \
            '{email: $e, password: $p} + (if $c != "" then {company: $c} else {} end)
             + (if $i != "" then {invite_token: $i} else {} end)')"
    TOKEN=$(printf '%s' "$BODY" | jq -r '.token // empty' 2>/dev/null)
}

wait_run() {
    local i
    for i in $(seq 1 $((${5:-30} * 10))); do
        as "$1" GET "/api/tests/$2/runs/$3"
        [[ "|$4|" == *"|$(jq -r .status <<<"$BODY")|"* ]] && return 0
        sleep 0.1
    done
    return 1
}

finish() {
    stop_server
    if [ "$FAILED" -ne 0 ]; then
        dump_server_log
    fi
    rm -rf "$TMP_ROOT"
    echo "$PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ]
}

on_exit() {
    if [ -n "$SRV_PID" ]; then
        kill -KILL "$SRV_PID" 2>/dev/null
        wait "$SRV_PID" 2>/dev/null
    fi
    rm -rf "$TMP_ROOT"
    if [ -n "$E2E_PG_URL" ]; then
        pg_exec "$TEST_DATABASE_URL" "DROP DATABASE IF EXISTS $E2E_PG_NAME WITH (FORCE)" ||
            echo "# could not drop database $E2E_PG_NAME"
    fi
}
trap on_exit EXIT
