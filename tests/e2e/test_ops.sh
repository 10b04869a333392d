#!/usr/bin/env bash
# tests/e2e/test_ops.sh - operations: readiness, metrics, the API
# description, the JSON log with its rotated and compressed files, the
# connection limit, test-only routes, and the command line (config, migrate,
# version, help, errors).
. "$(dirname "$0")/lib.sh"

# The newest migration's number: what a fresh database is migrated to.
LATEST=$(ls "$(dirname "$0")/../../sql" | sed -n 's/^0*\([0-9][0-9]*\)_.*/\1/p' | sort -n | tail -n1)

# --- readiness, metrics, openapi -----------------------------------------------------
start_server LOG_MAX_BYTES=4096 LOG_MAX_FILES=3 || { finish; exit 1; }
req GET /readyz
check "readyz is 200" eq "$STATUS" 200
check "readyz names the database ($DB_BACKEND)" jq_eq .database "$DB_BACKEND"
check "readyz reports the latest schema version ($LATEST)" jq_eq .schema_version "$LATEST"
# PostgreSQL restarted under a running server (scripts/run-tests' cluster): its pooled
# connections are found broken and reset, and nothing fails
if [ "$DB_BACKEND" = postgres ] && [ -n "${TEST_PG_DIR:-}" ]; then
    register ops-restart@ops-e2e.example
    check "before the restart: signed up" eq "$STATUS" 201
    "$(dirname "$0")/../../scripts/pg-cluster" restart "$TEST_PG_DIR"
    check "the database server restarted" eq "$?" 0
    for _ in 1 2 3 4 5 6 7 8; do
        req GET /readyz
        check "after the restart: readyz is 200" eq "$STATUS" 200
    done
    as "$TOKEN" GET /api/auth/me
    check "... and a token is checked against the database again" eq "$STATUS" 200
    register ops-restart-2@ops-e2e.example
    check "... and a sign-up writes" eq "$STATUS" 201
fi
req GET /api/nothing-here
req GET /metrics
check "metrics are Prometheus text" contains "$(header Content-Type)" "text/plain; version=0.0.4"
check "request durations by route and status" grep -q '^http_request_duration_seconds_bucket{route="/readyz",method="GET",status="200",le="0.005"} ' <<<"$BODY"
check "a histogram count per series" grep -q '^http_request_duration_seconds_count{route="/readyz",method="GET",status="200"} [1-9]' <<<"$BODY"
check "in-flight requests (this one)" grep -q '^http_requests_in_flight 1$' <<<"$BODY"
check "errors by code" grep -q '^http_errors_total{code="not_found"} 1$' <<<"$BODY"
check "resident memory" grep -qE '^process_resident_memory_bytes [1-9][0-9]{5,}$' <<<"$BODY"
check "uptime" grep -qE '^process_uptime_seconds [0-9.]+$' <<<"$BODY"
req GET /api/openapi.yaml
check "the API description is served" eq "$STATUS" 200
check "... as YAML" contains "$(header Content-Type)" application/yaml
check "... OpenAPI 3.1" eq "$(head -n1 <<<"$BODY")" "openapi: 3.1.0"
check "... describing /readyz" grep -q '^  /readyz:$' <<<"$BODY"

# --- the log: JSON lines, access lines, errors apart, rotation -----------------------------
req GET /api/_test/fail -H 'X-Request-Id: ops-fail'
for i in $(seq 1 60); do curl -s -o /dev/null "$BASE/healthz?n=$i"; done
stop_server
LOGS=$SRV_DIR/logs
check "every stdout line is JSON" bash -c "jq -e . '$SRV_DIR/stdout' >/dev/null"
access=$(grep '"path":"/api/_test/fail"' "$SRV_DIR/stdout")
check "the access line has method, route, status, duration and bytes" bash -c "jq -e '.method==\"GET\" and .route==\"/api/_test/fail\" and .status==500 and (.duration_ms|type)==\"number\" and .bytes>0' <<<'$access' >/dev/null"
check "the access line has the request id" bash -c "jq -e '.request_id==\"ops-fail\"' <<<'$access' >/dev/null"
check "the live log file exists" test -s "$LOGS/crowdelic.log"
check "the live file stays near LOG_MAX_BYTES" bash -c "[ \$(wc -c <'$LOGS/crowdelic.log') -le 8192 ]"
n_gz=$(ls "$LOGS"/crowdelic.*.log.gz 2>/dev/null | wc -l)
check "rotated files are compressed, at most LOG_MAX_FILES kept ($n_gz)" bash -c "[ $n_gz -ge 1 ] && [ $n_gz -le 3 ]"
check "no rotated file is left uncompressed" bash -c "! ls '$LOGS'/crowdelic.*.log 2>/dev/null | grep -q ."
check "the compressed files are valid gzip" bash -c "gzip -t '$LOGS'/crowdelic.*.log.gz"
check "the compressed files hold JSON lines" bash -c "zcat '$LOGS'/crowdelic.*.log.gz | jq -e . >/dev/null"
check "errors have their own file" grep -q 'secret internal detail' "$LOGS/crowdelic-error.log"
check "the error line names its request once" bash -c "grep 'secret internal detail' '$LOGS/crowdelic-error.log' | grep -o '\"request_id\":\"ops-fail\"' | wc -l | grep -qx 1"
check "the error file holds errors only" bash -c "! grep -v '\"level\":\"error\"' '$LOGS/crowdelic-error.log' | grep -q ."

# --- the connection limit: one past it is closed at once ----------------------------------
start_server HTTP_THREADS=2 HTTP_MAX_CONNECTIONS=2 || { finish; exit 1; }
hold() { # opens keep-alive connection $1 and completes one request on it
    eval "exec $1<>/dev/tcp/127.0.0.1/$PORT"
    printf 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n' >&"$1"
    local line=""
    IFS= read -r -t 5 line <&"$1"
    [[ $line == "HTTP/1.1 200"* ]]
}
sleep 0.3 # the readiness probes' connections are closed, and no longer counted
check "first connection served" hold 7
check "second connection served" hold 8
t0=$(date +%s%N)
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 8 "$BASE/healthz")
rc=$?
t1=$(date +%s%N)
check "a third connection is closed without an answer (curl exit $rc, $code)" bash -c "[ $rc -ne 0 ] && [ '$code' = 000 ]"
check "... at once ($(((t1 - t0) / 1000000)) ms)" bash -c "[ $(((t1 - t0) / 1000000)) -lt 1000 ]"
exec 7>&-
sleep 0.3
req GET /metrics
check "once one closes, a new connection is served" eq "$STATUS" 200
check "the refusal is counted" grep -q '^http_connections_rejected_total 1$' <<<"$BODY"
exec 8>&-
stop_server

# --- test-only routes exist only under CROWDELIC_ENV=test ------------------------------------
start_server CROWDELIC_ENV=development || { finish; exit 1; }
req POST /api/_test/echo -H 'Content-Type: application/json' -d '{"message":"x"}'
check "diagnostic routes are absent outside the test environment" eq "$STATUS" 404
busy_port=$PORT
# A second server on the same port fails with a clear message.
out=$(cd "$SRV_DIR" && env -i PATH="$PATH" PORT="$busy_port" BIND_ADDRESS=127.0.0.1 \
    DATABASE_URL="$SRV_DIR/other.db" CROWDELIC_ENV=test "$BIN" serve 2>&1)
rc=$?
check "a busy port fails to start (exit $rc)" eq "$rc" 1
check "... saying why" contains "$out" "cannot listen on 127.0.0.1:$busy_port"
stop_server

# --- the command line ------------------------------------------------------------------------
CLI_DIR=$(mktemp -d "$TMP_ROOT/cli.XXXXXX")
CLI_DB=$(new_db)
cli() { (cd "$CLI_DIR" && env -i PATH="$PATH" DATABASE_URL="$CLI_DB" "$@" "$BIN" "${CLI_ARGS[@]}"); }
CLI_ARGS=(config)
out=$(cli JWT_SECRET=this-is-a-very-secret-value-of-40-bytes)
check "config prints effective values" contains "$out" "PORT=8080"
check "config says where a value came from" grep -q '^JWT_SECRET=.*# environment' <<<"$out"
check "config masks secrets" lacks "$out" very-secret
printf 'PORT=9090\nLOG_LEVEL=debug\n' >"$CLI_DIR/.env"
out=$(cli)
check "config reads .env" grep -q '^PORT=9090 .*# .env' <<<"$out"
out=$(cli PORT=7070)
check "the environment wins over .env" grep -q '^PORT=7070 .*# environment' <<<"$out"
rm "$CLI_DIR/.env"
out=$(cli PORT=abc HTTP_MAX_BODY_BYTES=12 2>&1)
rc=$?
check "bad values exit 2" eq "$rc" 2
check "every bad value is reported: PORT" contains "$out" "PORT: 'abc' is not a whole number (expected 0..65535)"
check "every bad value is reported: HTTP_MAX_BODY_BYTES" contains "$out" "HTTP_MAX_BODY_BYTES: '12' is not in range"
out=$(cli CROWDELIC_ENV=production JWT_SECRET=short 2>&1)
check "production refuses a short JWT_SECRET" contains "$out" "JWT_SECRET: 5 bytes is too short for production"

CLI_ARGS=(migrate --status)
out=$(cli)
check "migrate --status lists the pending migrations" grep -qE '^0001 +instance +pending' <<<"$out"
check "... all of them" eq "$(grep -c ' pending' <<<"$out")" "$LATEST"
CLI_ARGS=(migrate)
out=$(cli)
check "migrate applies them" contains "$out" "applied $LATEST migrations; schema version $LATEST"
out=$(cli)
check "migrate again applies nothing" contains "$out" "applied 0 migrations; schema version $LATEST"
CLI_ARGS=(migrate --status)
out=$(cli)
check "migrate --status shows it applied" grep -qE '^0001 +instance +applied 20[0-9-]+T' <<<"$out"
CLI_ARGS=(migrate)
out=$(cli "DATABASE_URL=postgres://u:pw@/db?host=$CLI_DIR/no-server" 2>&1)
rc=$?
check "a PostgreSQL server that is not there fails clearly (exit $rc)" bash -c "[ $rc -ne 0 ] && grep -q 'postgres: cannot connect' <<<'$out'"
check "... without echoing the password" lacks "$out" ':pw@'
out=$(cli "DATABASE_URL=postgresql://u:pw@h/db?no_such_parameter=1" 2>&1)
rc=$?
check "a PostgreSQL URL libpq cannot read fails clearly (exit $rc)" bash -c "[ $rc -ne 0 ] && grep -q 'cannot read this postgres:// URL' <<<'$out'"
check "... without echoing the password" lacks "$out" ':pw@'
CLI_ARGS=(version)
check "version prints the version" contains "$(cli)" "crowdelic 0."
CLI_ARGS=(help serve)
check "help describes a command" contains "$(cli)" "usage: crowdelic serve"
CLI_ARGS=(frobnicate)
out=$(cli 2>&1)
rc=$?
check "an unknown command exits 2" eq "$rc" 2
check "... naming it" contains "$out" "unknown command 'frobnicate'"

finish
