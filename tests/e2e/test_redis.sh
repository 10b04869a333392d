#!/usr/bin/env bash
# tests/e2e/test_redis.sh - two nodes sharing one database and one Redis
# (REDIS_URL, a throw-away server from scripts/redis-server): node A serves
# the API with no run workers (RUN_WORKERS=0) and node B executes runs; a
# client follows a run's events on A and receives every one through
# run_completed, numbered without a gap; an API key's quota is shared (its
# requests split across both nodes are refused past the quota in total); the
# model-call cache is shared (answers of crowdelic llm-serve; the table
# emptied, a run executed by a third process, `crowdelic worker`, is
# answered from Redis: every call a cache hit, no request at the model); Redis stopped: both nodes keep answering 200, /metrics shows redis_up
# 0 and one WARN line is logged; Redis back: redis_up 1 and the quota is
# shared again.
. "$(dirname "$0")/lib.sh"

JSON=(-H 'Content-Type: application/json')
REDIS_DIR=$TMP_ROOT/redis
REDIS_URL=$(scripts/redis-server start "$REDIS_DIR") || { echo "# no redis-server"; finish; exit 1; }
REDIS_PORT=$(cat "$REDIS_DIR/port")
A_PID=""
W_PID=""
LLM_PID=""
cleanup_redis() {
    [ -z "$A_PID" ] || { kill -KILL "$A_PID" 2>/dev/null; wait "$A_PID" 2>/dev/null; }
    [ -z "$W_PID" ] || { kill -KILL "$W_PID" 2>/dev/null; wait "$W_PID" 2>/dev/null; }
    [ -z "$LLM_PID" ] || { kill -KILL "$LLM_PID" 2>/dev/null; wait "$LLM_PID" 2>/dev/null; }
    scripts/redis-server down "$REDIS_DIR" 2>/dev/null
    on_exit
}
trap cleanup_redis EXIT

sql() { db_sql "$1" "$DB"; }
post() { as "$1" POST "$2" "${JSON[@]}" -d "$3"; }
# on NODE: the requests that follow go to node A or B
on() { if [ "$1" = A ]; then BASE=$A_BASE; else BASE=$B_BASE; fi; }
# metric NAME: its value on the current node's /metrics
metric() { curl -s "$BASE/metrics" | awk -v n="$1" '$1 == n { print $2 }'; }
# follow TEST RUN FILE: the run's events on node A, in the background (FOLLOW_PID)
follow() {
    curl -sN --max-time 60 -H "Authorization: Bearer $OWNER" \
        "$A_BASE/api/tests/$1/runs/$2/events" >"$3" &
    FOLLOW_PID=$!
}
# no_gap FILE: the ids are 1, 2, ... N with no gap or repeat
no_gap() {
    local ids n
    ids=$(grep '^id:' "$1" | sed 's/id: //' | tr '\n' ' ')
    n=$(grep -c '^id:' "$1")
    [ "$n" -gt 0 ] && [ "$ids" = "$(seq 1 "$n" | tr '\n' ' ')" ]
}
types() { grep '^event:' "$1" | sed 's/event: //' | tr '\n' ' '; }

# --- a model that answers through the cache (the offline model is not cached) --------------------
KEY=sk-redis-e2e
start_llm --api-key "$KEY" || { finish; exit 1; }
LLM_PID=$SRV_PID LLM_DIR=$SRV_DIR LLM_PORT=$PORT
SRV_PID=""
LLM_ENV=("CROWDELIC_LLM_BASE_URL=http://127.0.0.1:$LLM_PORT/v1" "OPENAI_API_KEY=$KEY" "CROWDELIC_LLM_MODEL=gpt-test")
chats() { curl -s "http://127.0.0.1:$LLM_PORT/stats" | jq '.by_route.chat // 0'; }

# --- two nodes ---------------------------------------------------------------------------------
start_server RUN_WORKERS=0 "REDIS_URL=$REDIS_URL" "${LLM_ENV[@]}" || { finish; exit 1; }
DB=$DB_URL
A_PID=$SRV_PID A_DIR=$SRV_DIR A_BASE=$BASE
start_server "DATABASE_URL=$DB" RUN_WORKERS=1 RUN_STEP_UNITS=1 "REDIS_URL=$REDIS_URL" "${LLM_ENV[@]}" || { finish; exit 1; }
B_PID=$SRV_PID B_DIR=$SRV_DIR B_BASE=$BASE
check "node A logs its Redis connection" grep -q '"msg":"Redis connected"' "$A_DIR/stdout"
on A
check "node A: redis_up 1" eq "$(metric redis_up)" 1
on B
check "node B: redis_up 1" eq "$(metric redis_up)" 1

on A
register owner@redis-e2e.example
OWNER=$TOKEN
sql "UPDATE users SET api_quota = 1000000"
as "$OWNER" GET /api/personas/templates
TEMPLATES=$BODY
PERSONAS=()
for i in 0 1 2; do
    post "$OWNER" /api/personas "{\"template_id\":\"$(jq -r ".templates[$i].id" <<<"$TEMPLATES")\"}"
    PERSONAS+=("$(jq -r .id <<<"$BODY")")
done
IDS=$(printf '%s\n' "${PERSONAS[@]}" | jq -R . | jq -sc .)
post "$OWNER" /api/tests "$(jq -nc --argjson ids "$IDS" '{name: "Shared", type: "product", config: {
  personas: $ids, seed: 11, samples: 1,
  scenarios: [{id: "concept", stimulus: "A bike lock that texts you.",
    questions: [{id: "appeal", kind: "rating", prompt: "How appealing?", scale: {min: 1, max: 10}},
                {id: "buy", kind: "yes_no", prompt: "Would you buy it?"}]}]}}')"
check "a test on node A" eq "$STATUS" 201
TEST=$(jq -r .id <<<"$BODY")

# --- events of a run on B followed on A ------------------------------------------------------
as "$OWNER" POST "/api/tests/$TEST/run"
check "a run started on node A: 202" eq "$STATUS" 202
RUN=$(jq -r .id <<<"$BODY")
follow "$TEST" "$RUN" "$TMP_ROOT/ev1"
check "node B executes it to the end" wait_run "$OWNER" "$TEST" "$RUN" completed 60
wait "$FOLLOW_PID"
FOLLOW_RC=$?
check "the stream on A ends by itself after run_completed (curl exit $FOLLOW_RC)" eq "$FOLLOW_RC" 0
check "A's follower got every event ($(types "$TMP_ROOT/ev1"))" matches "$(types "$TMP_ROOT/ev1")" \
    '^run_queued run_started (persona_answered |step_done )+run_completed $'
check "... numbered 1..N without a gap or repeat" no_gap "$TMP_ROOT/ev1"
check "... as many as the database holds" eq "$(grep -c '^id:' "$TMP_ROOT/ev1")" \
    "$(sql "SELECT COUNT(*) FROM run_events WHERE run_id = '$RUN'")"
as "$OWNER" GET "/api/tests/$TEST/runs/$RUN"
CALLS=$(jq -r .calls <<<"$BODY")
check "the run asked the model ($CALLS calls)" bash -c "[ '$CALLS' -ge 3 ]"
check "... B's answers are in Redis's copy of the cache" \
    bash -c "[ \$(redis-cli -p $REDIS_PORT --scan --pattern 'crowdelic:llm:*' | wc -l) -ge 3 ]"
TTL=$(redis-cli -p "$REDIS_PORT" TTL "$(redis-cli -p "$REDIS_PORT" --scan --pattern 'crowdelic:llm:*' | head -1)")
check "... with REDIS_CACHE_TTL's time to live (7 days: $TTL s)" bash -c "[ '$TTL' -gt 600000 ] && [ '$TTL' -le 604800 ]"

# --- the quota, shared ------------------------------------------------------------------------
register quota@redis-e2e.example
Q_ID=$(jq -r .user.id <<<"$BODY")
Q_TOKEN=$TOKEN
sql "UPDATE workspaces SET plan_type = 'business' WHERE id = '$(jq -r .workspace.id <<<"$BODY")'"
as "$Q_TOKEN" POST /api/api-keys "${JSON[@]}" -d '{"name":"shared quota"}'
Q_KEY=$(jq -r .key <<<"$BODY")
sql "UPDATE users SET api_quota = 5 WHERE id = '$Q_ID'"
codes=""
for n in A B A B A; do
    on $n
    as "$Q_KEY" GET /api/auth/me
    codes="$codes$STATUS "
done
check "quota 5: five requests split over both nodes are served ($codes)" eq "$codes" "200 200 200 200 200 "
on B
as "$Q_KEY" GET /api/auth/me
check "... the sixth, on B, is 429" eq "$STATUS" 429
on A
as "$Q_KEY" GET /api/auth/me
check "... and on A too" eq "$STATUS" 429
check "... with a Retry-After" matches "$(header Retry-After)" '^[0-9]+$'

# --- the cache, shared: another process answers from Redis -------------------------------------
# B stops; a `crowdelic worker` (a third process) executes the re-run, with the table emptied:
# every answer it finds comes from Redis, written there by B
SRV_PID=$B_PID SRV_DIR=$B_DIR
stop_server
B_BASE=$A_BASE
sql "DELETE FROM llm_cache"
CHATS_BEFORE=$(chats)
check "the cache table is empty" eq "$(sql "SELECT COUNT(*) FROM llm_cache")" 0
(cd "$B_DIR" && exec env -i PATH="$PATH" ASAN_OPTIONS="$ASAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS" \
    LSAN_OPTIONS="${LSAN_OPTIONS:-}" CROWDELIC_ENV=test "DATABASE_URL=$DB" "LOG_DIR=$B_DIR/wlogs" \
    RUN_WORKERS=1 RUN_STEP_UNITS=1 "REDIS_URL=$REDIS_URL" "${LLM_ENV[@]}" "$BIN" worker >"$B_DIR/worker.out" 2>"$B_DIR/worker.err") &
W_PID=$!
on A
as "$OWNER" POST "/api/tests/$TEST/run"
RUN2=$(jq -r .id <<<"$BODY")
follow "$TEST" "$RUN2" "$TMP_ROOT/ev2"
check "the worker process executes the re-run" wait_run "$OWNER" "$TEST" "$RUN2" completed 60
check "... every call answered from Redis's copy (calls = cache_hits = $CALLS)" \
    jq_eq "[.calls, .cache_hits] | map(tostring) | join(\" \")" "$CALLS $CALLS"
check "... no new request at the model" eq "$(chats)" "$CHATS_BEFORE"
wait "$FOLLOW_PID"
check "... its events, published by the worker, followed on A to the end" matches "$(types "$TMP_ROOT/ev2")" \
    '^run_queued run_started (persona_answered |step_done )+run_completed $'
check "... without a gap" no_gap "$TMP_ROOT/ev2"
kill -TERM "$W_PID"
wait "$W_PID"
check "the worker stops cleanly" eq "$?" 0
W_PID=""
check "... without a sanitizer report" bash -c "! grep -qE 'AddressSanitizer|LeakSanitizer|runtime error' '$B_DIR/worker.err'"

# B again, for the rest
start_server "DATABASE_URL=$DB" RUN_WORKERS=1 RUN_STEP_UNITS=1 "REDIS_URL=$REDIS_URL" "${LLM_ENV[@]}" || { finish; exit 1; }
B_PID=$SRV_PID B_DIR=$SRV_DIR B_BASE=$BASE

# --- Redis down: both nodes keep serving ------------------------------------------------------
scripts/redis-server down "$REDIS_DIR"
codes=""
for n in A B A B A B; do
    on $n
    as "$OWNER" GET /api/auth/me
    codes="$codes$STATUS "
done
check "Redis down: both nodes answer 200 ($codes)" eq "$codes" "200 200 200 200 200 200 "
on A
as "$OWNER" GET "/api/tests/$TEST/runs/$RUN/results"
check "... results are read as before" eq "$STATUS" 200
check "... node A: redis_up 0" eq "$(metric redis_up)" 0
check "... node A counts the errors" bash -c "[ '$(metric redis_errors_total)' -ge 1 ]"
on B
check "... node B: redis_up 0" eq "$(metric redis_up)" 0
check "... node A logged one WARN line" eq "$(grep -c '"level":"warn".*Redis is down' "$A_DIR/stdout")" 1
check "... node B logged one WARN line" eq "$(grep -c '"level":"warn".*Redis is down' "$B_DIR/stdout")" 1
# a run started and followed while Redis is down: events are polled
on A
as "$OWNER" POST "/api/tests/$TEST/run"
RUN3=$(jq -r .id <<<"$BODY")
follow "$TEST" "$RUN3" "$TMP_ROOT/ev3"
check "... a run executes on B meanwhile" wait_run "$OWNER" "$TEST" "$RUN3" completed 60
wait "$FOLLOW_PID"
check "... and is followed on A to the end without a gap" no_gap "$TMP_ROOT/ev3"
check "... through run_completed" contains "$(types "$TMP_ROOT/ev3")" "run_completed"

# --- Redis back ----------------------------------------------------------------------------------
scripts/redis-server up "$REDIS_DIR"
back() { # the node's requests find Redis again within 10 s
    local i
    for i in $(seq 1 50); do
        as "$OWNER" GET /api/auth/me
        [ "$(metric redis_up)" = 1 ] && return 0
        sleep 0.2
    done
    return 1
}
on A
check "Redis back: node A's redis_up is 1 again" back
check "... node A logged that it answers again" grep -q '"level":"info".*Redis answers again' "$A_DIR/stdout"
on B
check "... node B's too" back
sql "UPDATE users SET api_quota = 3 WHERE id = '$Q_ID'"
as "$Q_TOKEN" POST /api/api-keys "${JSON[@]}" -d '{"name":"quota after"}'
Q_KEY2=$(jq -r .key <<<"$BODY")
codes=""
for n in A B A B; do
    on $n
    as "$Q_KEY2" GET /api/auth/me
    codes="$codes$STATUS "
done
check "... the quota is shared again: 3 served, the 4th refused ($codes)" eq "$codes" "200 200 200 429 "

# --- stop both --------------------------------------------------------------------------------
SRV_PID=$B_PID SRV_DIR=$B_DIR
stop_server
SRV_PID=$A_PID SRV_DIR=$A_DIR
A_PID=""
scripts/redis-server down "$REDIS_DIR"
stop_server
SRV_PID=$LLM_PID SRV_DIR=$LLM_DIR
LLM_PID=""
finish
