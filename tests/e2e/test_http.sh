#!/usr/bin/env bash
# tests/e2e/test_http.sh - the HTTP core against the real server: request
# ids, JSON errors, body limits (declared and chunked), content types,
# 404/405, CORS, headers too large, idle timeout, deferred answers and a
# graceful stop that lets an in-flight request finish.
. "$(dirname "$0")/lib.sh"

start_server HTTP_MAX_BODY_BYTES=4096 HTTP_IDLE_TIMEOUT=1 HTTP_CONN_MEMORY=16K \
    CORS_ORIGINS=https://app.example.com TRUSTED_PROXIES=127.0.0.1 || { finish; exit 1; }

# --- request ids ---------------------------------------------------------------
req GET /healthz
check "healthz answers 200" eq "$STATUS" 200
check "healthz is JSON" contains "$(header Content-Type)" application/json
check "healthz says ok" jq_eq .status ok
check "a request id is generated" matches "$(header X-Request-Id)" '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'
req GET /healthz -H 'X-Request-Id: client-abc_1.2'
check "a valid client request id is kept" eq "$(header X-Request-Id)" client-abc_1.2
# --- behind a trusted proxy (TRUSTED_PROXIES=127.0.0.1): the client it names ------------
req GET /healthz -H 'X-Request-Id: xff-1' -H 'X-Forwarded-For: 203.0.113.7'
req GET /healthz -H 'X-Request-Id: xff-2' -H 'X-Forwarded-For: 1.2.3.4, 203.0.113.8'
req GET /healthz -H 'X-Request-Id: xff-3' -H 'X-Forwarded-For: not-an-address'
sleep 0.2
access_client() { grep "\"$1\"" "$SRV_DIR/stdout" | grep '"route"' | sed -E 's/.*"client":"([^"]*)".*/\1/'; }
check "the access log names the client a trusted proxy forwarded" eq "$(access_client xff-1)" 203.0.113.7
check "... the rightmost hop, not what the client wrote before it" eq "$(access_client xff-2)" 203.0.113.8
check "... and the proxy's own address when the header is not an address" eq "$(access_client xff-3)" 127.0.0.1
req GET /healthz -H 'X-Request-Id: bad id!'
check "an invalid request id is replaced" ne "$(header X-Request-Id)" 'bad id!'
long_id=$(printf 'a%.0s' $(seq 1 65))
req GET /healthz -H "X-Request-Id: $long_id"
check "a 65-character request id is replaced" ne "$(header X-Request-Id)" "$long_id"
req GET /healthz -H "X-Request-Id: ${long_id:0:64}"
check "a 64-character request id is kept" eq "$(header X-Request-Id)" "${long_id:0:64}"
check "security headers are set" eq "$(header X-Content-Type-Options)" nosniff

# --- JSON bodies -----------------------------------------------------------------
req POST /api/_test/echo -H 'Content-Type: application/json' -d '{"message":"hello","count":3}'
check "a valid body is accepted" eq "$STATUS" 200
check "the body is echoed" jq_eq .echo.message hello
req POST /api/_test/echo -H 'Content-Type: application/json; charset=utf-8' -d '{"message":"x"}'
check "application/json with a charset is accepted" eq "$STATUS" 200
req POST /api/_test/echo -H 'Content-Type: application/json' --data-binary $'{\n  "message": "hi",\n  "count": 1,,\n}'
check "malformed JSON is 400" eq "$STATUS" 400
check "malformed JSON has its code" jq_eq .error.code malformed_json
check "malformed JSON names line and column" jq_eq '.error.message | test("^line 3 column [0-9]+: ")' true
check "the error response has a request id" has_header X-Request-Id
req POST /api/_test/echo -H 'Content-Type: application/json' -d '{"message":"a","message":"b"}'
check "duplicate keys are 400" eq "$STATUS" 400
check "duplicate keys are named" jq_eq '.error.message | test("duplicate")' true
req POST /api/_test/echo -H 'Content-Type: application/json' -d '{"count":3}'
check "a missing required field is 400" eq "$STATUS" 400
check "the missing field is named" jq_eq .error.field message
req POST /api/_test/echo -H 'Content-Type: application/json' -d '{"message":"x","colour":"red"}'
check "an unknown field is 400 naming it" jq_eq .error.field colour
req POST /api/_test/echo -H 'Content-Type: application/json' -d '{"message":"x","count":101}'
check "a value out of range names the field" jq_eq .error.field count
req POST /api/_test/echo -H 'Content-Type: application/json'
check "an empty body is 400" eq "$STATUS" 400

# --- content type ------------------------------------------------------------------
req POST /api/_test/echo -H 'Content-Type: text/plain' -d '{"message":"x"}'
check "text/plain is 415" eq "$STATUS" 415
check "415 has its code" jq_eq .error.code unsupported_media_type
req POST /api/_test/echo -H 'Content-Type: application/x-www-form-urlencoded' -d 'message=x'
check "a form body is 415" eq "$STATUS" 415

# --- body size: limit 4096 ----------------------------------------------------------
body_of() { # a JSON body of exactly $1 bytes
    local pad=$(($1 - 14))
    printf '{"message":"%s"}' "$(head -c "$pad" /dev/zero | tr '\0' a)"
}
check "body helper makes exact sizes" eq "$(body_of 4096 | wc -c)" 4096
req POST /api/_test/echo -H 'Content-Type: application/json' --data-binary "$(body_of 4096)"
check "a body of exactly the limit passes the size check" eq "$STATUS" 400
check "... and reaches validation (message too long)" jq_eq .error.field message
req POST /api/_test/echo -H 'Content-Type: application/json' --data-binary "$(body_of 4097)"
check "a declared body one byte over the limit is 413" eq "$STATUS" 413
check "413 has its code" jq_eq .error.code payload_too_large
check "413 has a request id" has_header X-Request-Id
req POST /api/_test/echo -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' \
    --data-binary "$(body_of 4097)"
check "a chunked body over the limit is 413" eq "$STATUS" 413
req POST /api/_test/echo -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' \
    --data-binary '{"message":"chunked"}'
check "a chunked body under the limit is accepted" jq_eq .echo.message chunked
req POST /api/_test/echo -H 'Content-Type: application/json' --data-binary "$(body_of 100000)"
check "a much larger declared body is 413" eq "$STATUS" 413

# --- routing ---------------------------------------------------------------------------
req GET /api/no/such/route
check "an unknown API route is 404" eq "$STATUS" 404
check "404 is JSON with its code" jq_eq .error.code not_found
req DELETE /healthz
check "a wrong method is 405" eq "$STATUS" 405
check "405 lists the allowed methods" eq "$(header Allow)" "GET, HEAD"
req GET /api/_test/echo
check "GET on a POST route is 405" eq "$STATUS" 405
check "... with Allow: POST" eq "$(header Allow)" POST
req BREW /healthz
check "an unknown method is 405" eq "$STATUS" 405
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -I "$BASE/healthz")
check "HEAD is served by GET routes" eq "$STATUS" 200

# --- errors never leak internals ----------------------------------------------------------
req GET /api/_test/fail -H 'X-Request-Id: fail-1'
check "an internal error is 500" eq "$STATUS" 500
check "500 says internal" jq_eq .error.code internal
check "500 names the request id" jq_eq .error.message "internal error (request fail-1)"
check "500 hides the detail" lacks "$BODY" secret

# --- CORS ---------------------------------------------------------------------------------
req GET /healthz -H 'Origin: https://app.example.com'
check "an allowed origin gets Access-Control-Allow-Origin" eq "$(header Access-Control-Allow-Origin)" https://app.example.com
req GET /healthz -H 'Origin: https://evil.example.com'
check "another origin gets no CORS header" bash -c "! grep -qi '^Access-Control-Allow-Origin' '$HDRS'"
req GET /healthz
check "no Origin, no CORS header" bash -c "! grep -qi '^Access-Control-Allow-Origin' '$HDRS'"
req OPTIONS /api/_test/echo -H 'Origin: https://app.example.com' -H 'Access-Control-Request-Method: POST'
check "a preflight from an allowed origin is 204" eq "$STATUS" 204
check "the preflight allows POST" contains "$(header Access-Control-Allow-Methods)" POST
check "the preflight allows Authorization" contains "$(header Access-Control-Allow-Headers)" Authorization
req OPTIONS /api/_test/echo -H 'Origin: https://evil.example.com' -H 'Access-Control-Request-Method: POST'
check "a preflight from another origin is 403" eq "$STATUS" 403

# --- headers larger than HTTP_CONN_MEMORY (16 KiB) -----------------------------------------
big=$(head -c 20000 /dev/zero | tr '\0' b)
req GET /healthz -H "X-Big: $big"
check "headers beyond the connection memory get libmicrohttpd's 431" eq "$STATUS" 431
req GET /healthz -H "X-Big: ${big:0:4000}"
check "headers well inside the connection memory pass" eq "$STATUS" 200

# --- a slow client is dropped after HTTP_IDLE_TIMEOUT (1 s) ---------------------------------
slow_client() { # sends half a request, then prints how long until the server closed
    exec 3<>"/dev/tcp/127.0.0.1/$PORT"
    printf 'GET /healthz HTTP/1.1\r\nHost: x\r\n' >&3
    local t0=$(date +%s%N)
    timeout 10 cat <&3 >/dev/null
    local t1=$(date +%s%N)
    exec 3>&-
    echo $(((t1 - t0) / 1000000))
}
ms=$(slow_client)
check "a silent half request is dropped after the idle timeout (${ms} ms)" bash -c "[ $ms -ge 800 ] && [ $ms -lt 5000 ]"

# --- deferred answers and a graceful stop -----------------------------------------------------
req GET '/api/_test/slow?ms=150'
check "a deferred answer arrives" jq_eq .slept_ms 150
req GET '/api/_test/slow?ms=abc'
check "a bad query argument is 400 naming it" jq_eq .error.field ms
curl -s -o "$TMP_ROOT/inflight" -w '%{http_code}' "$BASE/api/_test/slow?ms=1500" >"$TMP_ROOT/inflight.status" &
client=$!
sleep 0.4
kill -TERM "$SRV_PID"
wait "$client"
check "an in-flight request finishes during a graceful stop" eq "$(cat "$TMP_ROOT/inflight.status")" 200
check "... with its full answer" eq "$(jq -r .slept_ms "$TMP_ROOT/inflight")" 1500
wait "$SRV_PID"
STOP_STATUS=$?
SRV_PID=""
check "the server exits 0 after the stop" eq "$STOP_STATUS" 0
check "the stop is logged" grep -q '"msg":"stopped"' "$SRV_DIR/stdout"
check "no sanitizer report" no_sanitizer_report

finish
