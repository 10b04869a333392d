#!/usr/bin/env bash
# tests/e2e/test_sse.sh - Server-Sent Events fed by a worker thread: framing,
# order, resuming after a disconnect with Last-Event-ID, heartbeats, bad ids,
# and streams ended cleanly by a stop.
. "$(dirname "$0")/lib.sh"

start_server SSE_HEARTBEAT=1 || { finish; exit 1; }

ids_of() { sed -n 's/^id: //p' "$1" | tr -d '\r' | tr '\n' ' ' | sed 's/ $//'; }

# --- a whole stream ----------------------------------------------------------------
curl -sN -D "$HDRS" --max-time 10 "$BASE/api/_test/ticker?count=5&interval_ms=20" >"$TMP_ROOT/all"
check "the stream is text/event-stream" contains "$(header Content-Type)" text/event-stream
check "the stream has a request id" has_header X-Request-Id
check "the stream is not cached" eq "$(header Cache-Control)" no-cache
check "all five events arrive in order" eq "$(ids_of "$TMP_ROOT/all")" "1 2 3 4 5"
check "each event has its name" eq "$(grep -c '^event: tick$' "$TMP_ROOT/all")" 5
check "each event carries its data" grep -q '^data: {"n":3}$' "$TMP_ROOT/all"
check "a retry hint comes first" eq "$(head -n1 "$TMP_ROOT/all")" "retry: 2000"

# --- resume with Last-Event-ID ----------------------------------------------------------
curl -sN --max-time 10 -H 'Last-Event-ID: 3' "$BASE/api/_test/ticker?count=5&interval_ms=20" >"$TMP_ROOT/resumed"
check "Last-Event-ID: 3 resumes at 4" eq "$(ids_of "$TMP_ROOT/resumed")" "4 5"
curl -sN --max-time 10 "$BASE/api/_test/ticker?count=5&interval_ms=20&last_event_id=4" >"$TMP_ROOT/q"
check "the last_event_id query argument resumes too" eq "$(ids_of "$TMP_ROOT/q")" "5"

# A real disconnect: read part of a slow stream, drop it, reconnect from the last id seen.
curl -sN --max-time 1 "$BASE/api/_test/ticker?count=8&interval_ms=300" >"$TMP_ROOT/part1"
seen=$(ids_of "$TMP_ROOT/part1")
last=${seen##* }
check "the first connection saw some events but not all ($seen)" bash -c "[ -n '$last' ] && [ '$last' -lt 8 ]"
curl -sN --max-time 10 -H "Last-Event-ID: $last" "$BASE/api/_test/ticker?count=8&interval_ms=20" >"$TMP_ROOT/part2"
check "the two connections together hold 1..8 once each" eq "$seen $(ids_of "$TMP_ROOT/part2")" "1 2 3 4 5 6 7 8"

req GET /api/_test/ticker -H 'Last-Event-ID: banana'
check "a malformed Last-Event-ID is 400" eq "$STATUS" 400
check "... naming the header" jq_eq .error.field Last-Event-ID
req GET /api/_test/ticker -H 'Last-Event-ID: 99999999999999999'
check "an id past 2^53 is 400" eq "$STATUS" 400

# --- heartbeat: one comment per second of silence (SSE_HEARTBEAT=1) -------------------------
curl -sN --max-time 10 "$BASE/api/_test/ticker?count=1&interval_ms=2600" >"$TMP_ROOT/hb"
check "silence is filled with heartbeat comments" bash -c "[ \$(grep -c '^: ping$' '$TMP_ROOT/hb') -ge 2 ]"
check "the event still arrives after the heartbeats" eq "$(ids_of "$TMP_ROOT/hb")" "1"

# --- gauges back to zero ------------------------------------------------------------------
sleep 0.2
req GET /metrics
check "no stream is left open" grep -q '^http_sse_streams_open 0$' <<<"$BODY"

# --- a stop ends open streams cleanly ------------------------------------------------------
curl -sN --max-time 20 "$BASE/api/_test/ticker?count=1000&interval_ms=100" >"$TMP_ROOT/long" &
client=$!
sleep 0.6
t0=$(date +%s%N)
kill -TERM "$SRV_PID"
wait "$client"
curl_rc=$?
wait "$SRV_PID"
STOP_STATUS=$?
t1=$(date +%s%N)
SRV_PID=""
check "an open stream ends when the server stops (curl exit $curl_rc)" eq "$curl_rc" 0
check "the stop does not wait for the grace period ($(((t1 - t0) / 1000000)) ms)" bash -c "[ $(((t1 - t0) / 1000000)) -lt 5000 ]"
check "the server exits 0" eq "$STOP_STATUS" 0
check "no sanitizer report" no_sanitizer_report

finish
