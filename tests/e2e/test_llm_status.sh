#!/usr/bin/env bash
# tests/e2e/test_llm_status.sh - the model behind the server: GET
# /api/llm/status with no model configured (the offline model), with an
# OpenAI-compatible endpoint (a
# real llm-serve), with a key it refuses; the llm_* metrics; model settings
# that are refused at start.
. "$(dirname "$0")/lib.sh"

KEY=sk-status-test-key

# An llm-serve beside the server under test (its own pid and port).
LLM_DIR=$(mktemp -d "$TMP_ROOT/llm.XXXXXX")
(cd "$LLM_DIR" && exec env -i PATH="$PATH" ASAN_OPTIONS="$ASAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS" \
    BIND_ADDRESS=127.0.0.1 CROWDELIC_ENV=test HTTP_THREADS=2 \
    "$BIN" llm-serve --port 0 --api-key "$KEY" >"$LLM_DIR/stdout" 2>"$LLM_DIR/stderr") &
LLM_PID=$!
LLM_PORT=""
for _ in $(seq 1 200); do
    LLM_PORT=$(grep -m1 '"msg":"listening"' "$LLM_DIR/stdout" 2>/dev/null | sed -E 's/.*"port":([0-9]+).*/\1/')
    [ -n "$LLM_PORT" ] && break
    sleep 0.05
done
check "llm-serve started" test -n "$LLM_PORT"
stop_llm() {
    kill -TERM "$LLM_PID" 2>/dev/null
    wait "$LLM_PID"
    check "llm-serve exits 0" eq "$?" 0
}

# --- no model configured: the built-in offline model ------------------------------------
start_server || { finish; exit 1; }
req GET /api/llm/status
check "status needs a sign-in" eq "$STATUS" 401
register status@example.com
check "signed up" test -n "$TOKEN"
as "$TOKEN" GET /api/llm/status
check "status answers 200" eq "$STATUS" 200
check "no model: the offline provider answers" jq_eq .provider offline
check "no model: the offline model" jq_eq .model crowdelic-offline
check "no model: available" jq_eq .available true
check "no model: reachable" jq_eq .reachable true
check "no model: no error" jq_eq .error null
stop_server

# --- an OpenAI-compatible endpoint --------------------------------------------------------
start_server "CROWDELIC_LLM_BASE_URL=http://127.0.0.1:$LLM_PORT/v1" "OPENAI_API_KEY=$KEY" \
    CROWDELIC_LLM_MODEL=gpt-test || { finish; exit 1; }
register status@example.com
as "$TOKEN" GET /api/llm/status
check "endpoint: provider openai" jq_eq .provider openai
check "endpoint: the configured model" jq_eq .model gpt-test
check "endpoint: available" jq_eq .available true
check "endpoint: reachable" jq_eq .reachable true
check "endpoint: no error" jq_eq .error null
check "endpoint: a check time" jq_eq '.checked_at | test("^20[0-9]{2}-")' true
check "endpoint: no calls yet" jq_eq .calls.completed 0
check "endpoint: the key is not shown" lacks "$BODY" "$KEY"
check "the live check reached llm-serve" eq "$(curl -s "http://127.0.0.1:$LLM_PORT/stats" | jq .by_route.models)" 1
as "$TOKEN" GET /api/llm/status
check "a second status within 15 s reuses the check" eq "$(curl -s "http://127.0.0.1:$LLM_PORT/stats" | jq .by_route.models)" 1
req GET /metrics
check "the model metrics are exported" grep -q '^llm_cache_hits_total 0$' <<<"$BODY"
check "... with the call histogram" grep -q '^# TYPE llm_call_duration_seconds histogram$' <<<"$BODY"
stop_server

# --- a key the endpoint refuses -------------------------------------------------------------
start_server "CROWDELIC_LLM_BASE_URL=http://127.0.0.1:$LLM_PORT/v1" OPENAI_API_KEY=sk-wrong || { finish; exit 1; }
register status@example.com
as "$TOKEN" GET /api/llm/status
check "refused key: available" jq_eq .available true
check "refused key: not reachable" jq_eq .reachable false
check "refused key: says so" jq_eq '.error | test("refused the key")' true
check "refused key: the wrong key is not shown" lacks "$BODY" sk-wrong
stop_server
stop_llm

# --- model settings refused at start ----------------------------------------------------------
CLI_DIR=$(mktemp -d "$TMP_ROOT/cli.XXXXXX")
out=$(cd "$CLI_DIR" && env -i PATH="$PATH" LLM_PRICES='gpt-4o=abc/1' "$BIN" config 2>&1)
rc=$?
check "a bad LLM_PRICES exits 2 ($rc)" eq "$rc" 2
check "... naming the entry" contains "$out" "LLM_PRICES: 'gpt-4o=abc/1' is not model=input/output"
out=$(cd "$CLI_DIR" && env -i PATH="$PATH" LLM_BACKOFF_BASE_MS=5000 LLM_BACKOFF_MAX_MS=100 "$BIN" config 2>&1)
check "a backoff base above its max is refused" contains "$out" "LLM_BACKOFF_BASE_MS: 5000 is above LLM_BACKOFF_MAX_MS (100)"
out=$(cd "$CLI_DIR" && env -i PATH="$PATH" PORT=0 DATABASE_URL="$CLI_DIR/db" CROWDELIC_LLM_BASE_URL=ftp://x "$BIN" serve 2>&1)
rc=$?
check "a base URL that is not http(s) stops serve ($rc)" eq "$rc" 1
check "... saying which variable" contains "$out" "CROWDELIC_LLM_BASE_URL: 'ftp://x' is not an http(s) URL"

finish
