#!/usr/bin/env bash
# tests/e2e/test_llm_serve.sh - crowdelic llm-serve, the OpenAI-compatible test
# server: every route, authentication (Bearer and Azure api-key), the echo and
# script responders, streaming, embeddings, every fault kind by header with
# exact /stats counts, X-Fault-Times, --fault-rate with a fixed seed, latency
# and concurrency, max_in_flight, /stats/reset, bad flags, and a stop that
# answers hung requests at once.
. "$(dirname "$0")/lib.sh"

JSON=(-H 'Content-Type: application/json')
KEY=sk-test-0123456789
AUTH=(-H "Authorization: Bearer $KEY")

# post PATH BODY [curl args]: a JSON POST through req (STATUS, BODY, HDRS).
post() {
    local path=$1 body=$2
    shift 2
    req POST "$path" "${JSON[@]}" --data-binary "$body" "$@"
}

# A chat body with one user message.
chat_body() { printf '{"model":"gpt-test","messages":[{"role":"user","content":%s}]%s}' "$(jq -Rn --arg m "$1" '$m')" "${2:-}"; }

content() { printf '%s' "$BODY" | jq -r '.choices[0].message.content'; }
stats_get() { curl -s "$BASE/stats" | jq -r "$1"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
le() { [ "$1" -le "$2" ]; }
ge() { [ "$1" -ge "$2" ]; }
between() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }
not_json() { ! printf '%s' "$1" | jq -e . >/dev/null 2>&1; }

# =====================================================================================
# Server 1: echo, an API key, a model name, 64 dimensions
# =====================================================================================
start_llm --responder echo --api-key "$KEY" --model test-model --embedding-dim 64 || { finish; exit 1; }

check "the listening line names the responder" grep -q '"responder":"echo"' "$SRV_DIR/stdout"
check "the API key is not logged" bash -c "! grep -q '$KEY' '$SRV_DIR/stdout'"

# --- models and auth -----------------------------------------------------------------
req GET /v1/models
check "no key is 401" eq "$STATUS" 401
check "... in the OpenAI error shape" jq_eq .error.type invalid_request_error
check "... with a message" jq_eq '.error.message | test("API key")' true
req GET /v1/models -H 'Authorization: Bearer wrong-key'
check "a wrong key is 401" eq "$STATUS" 401
check "... code invalid_api_key" jq_eq .error.code invalid_api_key
req GET /v1/models -H "Authorization: Bearer ${KEY}x"
check "the key with one more character is 401" eq "$STATUS" 401
req GET /v1/models -H "Authorization: Bearer ${KEY%?}"
check "the key with one character less is 401" eq "$STATUS" 401
req GET /v1/models "${AUTH[@]}"
check "the right key lists the models" eq "$STATUS" 200
check "... a list" jq_eq .object list
check "... holding --model" jq_eq '.data[0].id' test-model
check "... as a model object" jq_eq '.data[0].object' model
check "... application/json" contains "$(header Content-Type)" application/json
check "... with a request id" has_header X-Request-Id
req GET /v1/models/test-model "${AUTH[@]}"
check "GET /v1/models/test-model is 200" eq "$STATUS" 200
check "... the model" jq_eq .id test-model
req GET /v1/models/other "${AUTH[@]}"
check "an unknown model is 404" eq "$STATUS" 404
check "... model_not_found" jq_eq .error.code model_not_found
req GET /v1/nothing/here "${AUTH[@]}"
check "an unknown path is 404" eq "$STATUS" 404
check "... in the OpenAI shape" jq_eq .error.message "Invalid URL (GET /v1/nothing/here)"
post /v1/chat/completions "$(chat_body hi)"
check "chat without a key is 401" eq "$STATUS" 401

# --- echo: text ------------------------------------------------------------------------
post /v1/chat/completions "$(chat_body 'Hello there, model!')" "${AUTH[@]}"
check "chat is 200" eq "$STATUS" 200
check "... a chat.completion" jq_eq .object chat.completion
check "... with a chatcmpl- id" jq_eq '.id | startswith("chatcmpl-")' true
check "... echoing the request's model" jq_eq .model gpt-test
check "... the assistant's message" jq_eq '.choices[0].message.role' assistant
check "... is the user's message" eq "$(content)" 'Hello there, model!'
check "... finish_reason stop" jq_eq '.choices[0].finish_reason' stop
check "... prompt_tokens = ceil(19 / 4)" jq_eq .usage.prompt_tokens 5
check "... completion_tokens = ceil(19 / 4)" jq_eq .usage.completion_tokens 5
check "... total_tokens" jq_eq .usage.total_tokens 10

post /v1/chat/completions '{"model":"m","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"first"},{"role":"assistant","content":"ok"},{"role":"user","content":[{"type":"text","text":"second"},{"type":"text","text":" part"}]}]}' "${AUTH[@]}"
check "the last user message is echoed (parts joined)" eq "$(content)" 'second part'
check "prompt_tokens counts every message: ceil(26 / 4)" jq_eq .usage.prompt_tokens 7
check "without a model in the request, --model is not used: the request's" jq_eq .model m

post /v1/chat/completions "$(chat_body 'one two three four five six seven' ',"max_tokens":2')" "${AUTH[@]}"
check "max_tokens cuts the content to 8 characters" eq "$(content)" 'one two '
check "... with finish_reason length" jq_eq '.choices[0].finish_reason' length
check "... completion_tokens 2" jq_eq .usage.completion_tokens 2

# --- echo: json_object and json_schema ---------------------------------------------------
post /v1/chat/completions "$(chat_body 'quote "me"' ',"response_format":{"type":"json_object"}')" "${AUTH[@]}"
check "json_object: the content is {\"echo\": message}" eq "$(content | jq -r .echo)" 'quote "me"'

SCHEMA='{"type":"object","properties":{"appeal":{"type":"integer","minimum":1,"maximum":10},"why":{"type":"string","maxLength":12},"tags":{"type":"array","items":{"enum":["price","quality"]},"minItems":2},"note":{"type":"string"}},"required":["appeal","why","tags"],"additionalProperties":false}'
post /v1/chat/completions "$(chat_body 'I like it a lot, really' ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"rating\",\"strict\":true,\"schema\":$SCHEMA}}")" "${AUTH[@]}"
check "json_schema: 200" eq "$STATUS" 200
check "... the content is a JSON object" eq "$(content | jq -r type)" object
check "... with exactly the required keys" eq "$(content | jq -c 'keys')" '["appeal","tags","why"]'
check "... appeal within its bounds" eq "$(content | jq '.appeal >= 1 and .appeal <= 10')" true
check "... why cut to maxLength from the message" eq "$(content | jq -r .why)" 'I like it a '
check "... tags has minItems members of the enum" eq "$(content | jq -c .tags)" '["price","price"]'

post /v1/chat/completions "$(chat_body x ',"response_format":{"type":"json_schema","json_schema":{"name":"n","schema":{"type":"integer","minimum":5,"maximum":1}}}')" "${AUTH[@]}"
check "an unsatisfiable schema is 400" eq "$STATUS" 400
check "... naming the schema" jq_eq .error.param response_format.json_schema.schema

# --- bad bodies: 400 naming the field ----------------------------------------------------
post /v1/chat/completions '{"model":"m","messages":[' "${AUTH[@]}"
check "malformed JSON is 400" eq "$STATUS" 400
check "... invalid_request_error" jq_eq .error.type invalid_request_error
check "... saying where" jq_eq '.error.message | test("line 1")' true
bad_body() { # NAME BODY PARAM
    post /v1/chat/completions "$2" "${AUTH[@]}"
    check "$1 is 400" eq "$STATUS" 400
    check "... param $3" jq_eq .error.param "$3"
}
bad_body "no messages" '{"model":"m"}' messages
bad_body "empty messages" '{"model":"m","messages":[]}' messages
bad_body "no model" '{"messages":[{"role":"user","content":"x"}]}' model
bad_body "a bad role" '{"model":"m","messages":[{"role":"robot","content":"x"}]}' 'messages[0].role'
bad_body "a user message without content" '{"model":"m","messages":[{"role":"user","content":"x"},{"role":"user"}]}' 'messages[1].content'
bad_body "temperature 3" "$(chat_body x ',"temperature":3')" temperature
bad_body "max_tokens 0" "$(chat_body x ',"max_tokens":0')" max_tokens
bad_body "n = 2" "$(chat_body x ',"n":2')" n
bad_body "a bad response_format type" "$(chat_body x ',"response_format":{"type":"xml"}')" response_format.type
bad_body "json_schema without a name" "$(chat_body x ',"response_format":{"type":"json_schema","json_schema":{"schema":{}}}')" response_format.json_schema.name
bad_body "stream_options without stream" "$(chat_body x ',"stream_options":{"include_usage":true}')" stream_options
post /v1/chat/completions "$(chat_body x)" "${AUTH[@]}" -H 'X-Fault: explode'
check "X-Fault: explode is 400" eq "$STATUS" 400
check "... naming X-Fault" jq_eq .error.param X-Fault
post /v1/chat/completions "$(chat_body x)" "${AUTH[@]}" -H 'X-Latency-Ms: soon'
check "X-Latency-Ms: soon is 400 naming it" jq_eq .error.param X-Latency-Ms

# --- Azure ----------------------------------------------------------------------------------
AZ=/openai/deployments/dep-1
post "$AZ/chat/completions?api-version=2024-02-01" '{"messages":[{"role":"user","content":"azure hi"}]}' -H "api-key: $KEY"
check "Azure chat with api-key and api-version is 200" eq "$STATUS" 200
check "... the deployment is the model" jq_eq .model dep-1
check "... the echo" eq "$(content)" 'azure hi'
post "$AZ/chat/completions" '{"messages":[{"role":"user","content":"x"}]}' -H "api-key: $KEY"
check "Azure without api-version is 400" eq "$STATUS" 400
check "... naming api-version" jq_eq .error.param api-version
post "$AZ/chat/completions?api-version=2024-02-01" '{"messages":[{"role":"user","content":"x"}]}' "${AUTH[@]}"
check "Azure with a Bearer token but no api-key is 401" eq "$STATUS" 401
post "$AZ/chat/completions?api-version=2024-02-01" '{"messages":[{"role":"user","content":"x"}]}' -H 'api-key: nope'
check "Azure with a wrong api-key is 401" eq "$STATUS" 401
post "$AZ/embeddings?api-version=2024-02-01" '{"input":"azure words"}' -H "api-key: $KEY"
check "Azure embeddings is 200" eq "$STATUS" 200
check "... the deployment is the model" jq_eq .model dep-1
check "... 64 dimensions" jq_eq '.data[0].embedding | length' 64

# --- embeddings -------------------------------------------------------------------------------
post /v1/embeddings '{"model":"emb","input":"The quick brown fox"}' "${AUTH[@]}"
check "embeddings is 200" eq "$STATUS" 200
check "... a list" jq_eq .object list
check "... of one embedding" jq_eq '.data | length' 1
check "... index 0" jq_eq '.data[0].index' 0
check "... an embedding object" jq_eq '.data[0].object' embedding
check "... of --embedding-dim dimensions" jq_eq '.data[0].embedding | length' 64
check "... of unit norm" jq_eq '([.data[0].embedding[] | . * .] | add | . > 0.999999 and . < 1.000001)' true
check "... model echoed" jq_eq .model emb
check "... usage: ceil(19 / 4)" jq_eq .usage.prompt_tokens 5
first=$(printf '%s' "$BODY" | jq -c '.data[0].embedding')
post /v1/embeddings '{"model":"emb","input":"The quick brown fox"}' "${AUTH[@]}"
check "the same text gives the same vector" eq "$(printf '%s' "$BODY" | jq -c '.data[0].embedding')" "$first"
post /v1/embeddings '{"model":"emb","input":["fox BROWN, the... quick!", "a slow green turtle", ""]}' "${AUTH[@]}"
check "an array of 3 inputs gives 3 embeddings" jq_eq '.data | length' 3
check "... indexed in order" jq_eq '[.data[].index] | join(",")' 0,1,2
check "the same words in another order and case give the same vector" eq "$(printf '%s' "$BODY" | jq -c '.data[0].embedding')" "$first"
check "other words give another vector" ne "$(printf '%s' "$BODY" | jq -c '.data[1].embedding')" "$first"
check "an empty input gives the zero vector" jq_eq '[.data[2].embedding[] | select(. != 0)] | length' 0
post /v1/embeddings '{"model":"emb","input":"caf\u00e9 na\u00efve","dimensions":16}' "${AUTH[@]}"
check "dimensions overrides the flag" jq_eq '.data[0].embedding | length' 16
check "... still of unit norm (UTF-8 words)" jq_eq '([.data[0].embedding[] | . * .] | add | . > 0.999999 and . < 1.000001)' true
post /v1/embeddings '{"model":"emb","input":[[1,2,3]]}' "${AUTH[@]}"
check "token arrays are 400" eq "$STATUS" 400
check "... naming input" jq_eq .error.param input
post /v1/embeddings '{"model":"emb","input":"x","dimensions":5000}' "${AUTH[@]}"
check "5000 dimensions is 400 naming dimensions" jq_eq .error.param dimensions
post /v1/embeddings '{"input":"x"}' "${AUTH[@]}"
check "embeddings without a model is 400" jq_eq .error.param model
post /v1/embeddings '{"model":"emb","input":"x"}'
check "embeddings without a key is 401" eq "$STATUS" 401

# --- streaming ----------------------------------------------------------------------------------
MSG='Streaming is fun: this message is split into pieces of about sixteen characters, then put back together.'
curl -sN -D "$HDRS" --max-time 10 "${JSON[@]}" "${AUTH[@]}" -d "$(chat_body "$MSG" ',"stream":true,"stream_options":{"include_usage":true}')" "$BASE/v1/chat/completions" >"$TMP_ROOT/stream"
data_lines() { sed -n 's/^data: //p' "$1" | tr -d '\r'; }
check "a stream is text/event-stream" contains "$(header Content-Type)" text/event-stream
check "the first chunk carries the role" eq "$(data_lines "$TMP_ROOT/stream" | head -1 | jq -r '.choices[0].delta.role')" assistant
check "every chunk but [DONE] is a chat.completion.chunk" eq "$(data_lines "$TMP_ROOT/stream" | grep -v '^\[DONE\]$' | jq -r .object | sort -u)" chat.completion.chunk
check "the pieces reassemble the message" eq "$(data_lines "$TMP_ROOT/stream" | grep -v '^\[DONE\]$' | jq -j '.choices[0].delta.content // empty')" "$MSG"
check "pieces are at most 16 characters" eq "$(data_lines "$TMP_ROOT/stream" | grep -v '^\[DONE\]$' | jq '.choices[0].delta.content // "" | length' | sort -n | tail -1)" 16
check "a chunk says finish_reason stop" eq "$(data_lines "$TMP_ROOT/stream" | grep -v '^\[DONE\]$' | jq -r '.choices[0].finish_reason // empty')" stop
check "the usage chunk has no choices" eq "$(data_lines "$TMP_ROOT/stream" | grep -v '^\[DONE\]$' | tail -1 | jq -c .choices)" '[]'
check "... and the usage" eq "$(data_lines "$TMP_ROOT/stream" | grep -v '^\[DONE\]$' | tail -1 | jq .usage.completion_tokens)" "$(((${#MSG} + 3) / 4))"
check "[DONE] comes last" eq "$(data_lines "$TMP_ROOT/stream" | tail -1)" '[DONE]'
curl -sN --max-time 10 "${JSON[@]}" "${AUTH[@]}" -d "$(chat_body short ',"stream":true')" "$BASE/v1/chat/completions" >"$TMP_ROOT/stream2"
check "without include_usage there is no usage chunk" eq "$(data_lines "$TMP_ROOT/stream2" | grep -c usage)" 0
check "... and still [DONE] last" eq "$(data_lines "$TMP_ROOT/stream2" | tail -1)" '[DONE]'

# --- /stats counts this server's requests exactly --------------------------------------------------
req POST /stats/reset
check "POST /stats/reset is 200" eq "$STATUS" 200
check "... and gives zeroed counters" jq_eq '.requests + .answered + .max_in_flight' 0
req GET /v1/models "${AUTH[@]}"
post /v1/chat/completions "$(chat_body a)" "${AUTH[@]}"
post /v1/chat/completions "$(chat_body b)" "${AUTH[@]}"
post /v1/chat/completions "$(chat_body b)"
curl -sN -o /dev/null --max-time 10 "${JSON[@]}" "${AUTH[@]}" -d "$(chat_body c ',"stream":true')" "$BASE/v1/chat/completions"
post /v1/embeddings '{"model":"e","input":"x"}' "${AUTH[@]}"
post "$AZ/chat/completions?api-version=1" '{"messages":[{"role":"user","content":"x"}]}' -H "api-key: $KEY"
post "$AZ/embeddings?api-version=1" '{"input":"x"}' -H "api-key: $KEY"
post "$AZ/embeddings" '{"input":"x"}' -H "api-key: $KEY"
req GET /stats
check "requests counts every request but /stats" jq_eq .requests 9
check "by_route" jq_eq '.by_route | [.chat, .chat_stream, .embeddings, .models, .azure_chat, .azure_embeddings] | join(",")' 3,1,1,1,1,2
check "by_status" jq_eq '.by_status | to_entries | map("\(.key)=\(.value)") | join(",")' 200=7,400=1,401=1
check "answered" jq_eq .answered 9
check "nothing in flight" jq_eq .in_flight 0
check "no faults" jq_eq '[.faults[]] | add' 0
stop_server

# =====================================================================================
# Server 2: echo, no key, every fault kind by header, --hang-ms 1500
# =====================================================================================
start_llm --responder echo --hang-ms 1500 || { finish; exit 1; }
req POST /stats/reset

post /v1/chat/completions "$(chat_body f1)" -H 'X-Fault: 429'
check "X-Fault: 429 is 429" eq "$STATUS" 429
check "... rate_limit_exceeded" jq_eq .error.code rate_limit_exceeded
check "... without Retry-After by default" bash -c "! grep -qi '^Retry-After:' '$HDRS'"
post /v1/chat/completions "$(chat_body f1)" -H 'X-Fault: 429' -H 'X-Fault-Retry-After: 7'
check "X-Fault-Retry-After: 7 gives Retry-After: 7" eq "$(header Retry-After)" 7
post /v1/chat/completions "$(chat_body f2)" -H 'X-Fault: 500'
check "X-Fault: 500 is 500" eq "$STATUS" 500
check "... server_error" jq_eq .error.type server_error
post /v1/chat/completions "$(chat_body f3)" -H 'X-Fault: 503'
check "X-Fault: 503 is 503" eq "$STATUS" 503
post /v1/chat/completions "$(chat_body f4)" -H 'X-Fault: malformed'
check "X-Fault: malformed is 200" eq "$STATUS" 200
check "... with a body that is not JSON" not_json "$BODY"
: >"$HDRS"
curl -s -D "$HDRS" --max-time 10 "${JSON[@]}" -H 'X-Fault: truncated' -d "$(chat_body 'a truncated answer')" -o "$TMP_ROOT/cut" "$BASE/v1/chat/completions"
rc=$?
check "X-Fault: truncated: the connection closes early (curl exit $rc = 18)" eq "$rc" 18
check "... after a 200" contains "$(head -1 "$HDRS")" 200
promised=$(header Content-Length)
got=$(stat -c %s "$TMP_ROOT/cut")
check "... having sent half of the $promised bytes promised ($got)" eq "$got" "$((promised / 2))"
check "... which is not JSON" not_json "$(cat "$TMP_ROOT/cut")"

post /v1/chat/completions "$(chat_body 'schema me' ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"s\",\"schema\":$SCHEMA}}")" -H 'X-Fault: schema'
check "X-Fault: schema is a 200 completion" eq "$STATUS" 200
check "... whose content is JSON" eq "$(content | jq -r type)" object
check "... lacking the required keys" eq "$(content | jq 'has("appeal") or has("why") or has("tags")')" false
post /v1/chat/completions "$(chat_body 'schema me' ',"response_format":{"type":"json_schema","json_schema":{"name":"s","schema":{"type":"object","properties":{"a":{"type":"string"}}}}}')" -H 'X-Fault: schema'
check "X-Fault: schema with no required key gives an array" eq "$(content | jq -r type)" array
post /v1/chat/completions "$(chat_body 'schema me' ',"response_format":{"type":"json_object"}')" -H 'X-Fault: schema'
check "X-Fault: schema for json_object gives an array" eq "$(content | jq -r type)" array
post /v1/chat/completions "$(chat_body 'schema me')" -H 'X-Fault: schema'
check "X-Fault: schema for text gives other text" ne "$(content)" 'schema me'

post /v1/chat/completions "$(chat_body 'wrap me' ',"response_format":{"type":"json_object"}')" -H 'X-Fault: prose'
check "X-Fault: prose is 200" eq "$STATUS" 200
check "... opens with prose" eq "$(content | head -1)" 'Sure! Here is my answer:'
check "... holds the answer in a json fence" eq "$(content | sed -n '/^```json$/,/^```$/p' | sed '1d;$d' | jq -r .echo)" 'wrap me'
check "... and closes with prose" contains "$(content | tail -1)" 'Let me know'
post /v1/chat/completions "$(chat_body f5)" -H 'X-Fault: none'
check "X-Fault: none answers normally" eq "$(content)" f5

# timeout: no answer; the client's own timeout fires; the server answers 504 at --hang-ms
t0=$(now_ms)
curl -s -o /dev/null --max-time 0.5 "${JSON[@]}" -H 'X-Fault: timeout' -d "$(chat_body hang)" "$BASE/v1/chat/completions"
rc=$?
check "X-Fault: timeout: the client times out (curl exit $rc = 28)" eq "$rc" 28
check "... it is in flight" eq "$(stats_get .in_flight)" 1
curl -s -o "$TMP_ROOT/hang" -w '%{http_code}' --max-time 10 "${JSON[@]}" -H 'X-Fault: timeout' -d "$(chat_body hang2)" "$BASE/v1/chat/completions" >"$TMP_ROOT/hang_status"
t1=$(now_ms)
check "a patient client gets 504 at --hang-ms ($(cat "$TMP_ROOT/hang_status"))" eq "$(cat "$TMP_ROOT/hang_status")" 504
check "... after 1500 ms ($((t1 - t0 - 500)) ms)" between "$((t1 - t0 - 500))" 1400 3000
sleep 1.2
check "the abandoned hung request is answered too" eq "$(stats_get .in_flight)" 0

req GET /stats
check "faults counts each kind exactly" jq_eq '.faults | to_entries | map("\(.key)=\(.value)") | join(",")' '429=2,500=1,503=1,timeout=2,malformed=1,truncated=1,schema=4,prose=1'
check "by_status counts each status exactly" jq_eq '.by_status | to_entries | map("\(.key)=\(.value)") | join(",")' '200=8,429=2,500=1,503=1,504=2'
check "requests" jq_eq .requests 14
check "answered" jq_eq .answered 14

# --- X-Fault-Times: twice, then success; per body ---------------------------------------------
req POST /stats/reset
TB=$(chat_body 'retry me')
post /v1/chat/completions "$TB" -H 'X-Fault: 503' -H 'X-Fault-Times: 2'
s1=$STATUS
post /v1/chat/completions "$TB" -H 'X-Fault: 503' -H 'X-Fault-Times: 2'
s2=$STATUS
post /v1/chat/completions "$TB" -H 'X-Fault: 503' -H 'X-Fault-Times: 2'
s3=$STATUS
check "X-Fault-Times: 2 fails twice then succeeds ($s1 $s2 $s3)" eq "$s1 $s2 $s3" "503 503 200"
check "... with the answer" eq "$(content)" 'retry me'
post /v1/chat/completions "$(chat_body 'another body')" -H 'X-Fault: 503' -H 'X-Fault-Times: 2'
check "a different body still gets its faults" eq "$STATUS" 503
post /v1/chat/completions "$TB" -H 'X-Fault: 503' -H 'X-Fault-Times: 0'
check "X-Fault-Times: 0 never faults" eq "$STATUS" 200
check "/stats counts the 3 faults" eq "$(stats_get .faults.\"503\")" 3
req POST /stats/reset
post /v1/chat/completions "$TB" -H 'X-Fault: 503' -H 'X-Fault-Times: 2'
check "/stats/reset forgets the bodies: the first body faults again" eq "$STATUS" 503
post /v1/chat/completions "$TB" -H 'X-Fault-Times: 2'
check "X-Fault-Times without X-Fault is 400" eq "$STATUS" 400
OB=$(chat_body 'once only')
post /v1/chat/completions "$OB" -H 'X-Fault: 500' -H 'X-Fault-Times: 1' -H 'X-Latency-Ms: later'
check "a request refused for a bad header is 400" eq "$STATUS" 400
post /v1/chat/completions "$OB" -H 'X-Fault: 500' -H 'X-Fault-Times: 1'
check "... and did not use up the body's fault" eq "$STATUS" 500
post /v1/chat/completions "$OB" -H 'X-Fault: 500' -H 'X-Fault-Times: 1'
check "... which the next identical request no longer gets" eq "$STATUS" 200

# --- faults on streams and embeddings ---------------------------------------------------------
curl -sN --max-time 10 "${JSON[@]}" -H 'X-Fault: truncated' -d "$(chat_body "$MSG" ',"stream":true')" "$BASE/v1/chat/completions" >"$TMP_ROOT/s_cut"
check "a truncated stream has no [DONE]" eq "$(data_lines "$TMP_ROOT/s_cut" | grep -c '^\[DONE\]$')" 0
check "... and only part of the content" ne "$(data_lines "$TMP_ROOT/s_cut" | jq -j '.choices[0].delta.content // empty')" "$MSG"
curl -sN --max-time 10 "${JSON[@]}" -H 'X-Fault: malformed' -d "$(chat_body "$MSG" ',"stream":true')" "$BASE/v1/chat/completions" >"$TMP_ROOT/s_bad"
bad_lines=$(data_lines "$TMP_ROOT/s_bad" | grep -v '^\[DONE\]$' | while IFS= read -r l; do printf '%s' "$l" | jq -e . >/dev/null 2>&1 || echo bad; done | grep -c bad)
check "a malformed stream has one data line that is not JSON" eq "$bad_lines" 1
check "... after the role chunk" eq "$(data_lines "$TMP_ROOT/s_bad" | head -1 | jq -r '.choices[0].delta.role')" assistant
post /v1/chat/completions "$(chat_body x ',"stream":true')" -H 'X-Fault: 429'
check "a 429 on a stream request is a JSON 429" eq "$STATUS" 429
post /v1/embeddings '{"model":"e","input":"x"}' -H 'X-Fault: 500'
check "X-Fault: 500 on embeddings is 500" eq "$STATUS" 500
post /v1/embeddings '{"model":"e","input":"x"}' -H 'X-Fault: prose'
check "X-Fault: prose on embeddings is 400" eq "$STATUS" 400

# --- latency and concurrency --------------------------------------------------------------------
t0=$(now_ms)
post /v1/chat/completions "$(chat_body slow)" -H 'X-Latency-Ms: 300'
t1=$(now_ms)
check "X-Latency-Ms: 300 takes at least 300 ms ($((t1 - t0)) ms)" between "$((t1 - t0))" 300 1000
check "... and answers" eq "$(content)" slow

req POST /stats/reset
args=()
for i in $(seq 40); do args+=(-o /dev/null "$BASE/v1/chat/completions"); done
t0=$(now_ms)
codes=$(curl -s -Z --parallel-immediate --parallel-max 64 -w '%{http_code}\n' "${JSON[@]}" -H 'X-Latency-Ms: 300' -d "$(chat_body together)" "${args[@]}" 2>/dev/null | sort | uniq -c | tr -s ' ')
t1=$(now_ms)
check "40 concurrent 300 ms requests all answer 200 ($codes)" eq "$codes" " 40 200"
check "... within 1 s in total ($((t1 - t0)) ms)" between "$((t1 - t0))" 300 1000
check "max_in_flight saw all 40 at once" eq "$(stats_get .max_in_flight)" 40

req POST /stats/reset
pids=()
for i in $(seq 12); do
    curl -s -o /dev/null --max-time 10 "${JSON[@]}" -H 'X-Latency-Ms: 1500' -d "$(chat_body "p$i")" "$BASE/v1/chat/completions" &
    pids+=($!)
done
sleep 0.7
check "12 delayed requests are in flight" eq "$(stats_get .in_flight)" 12
check "... and max_in_flight is 12" eq "$(stats_get .max_in_flight)" 12
req POST /stats/reset
check "a reset keeps in_flight (live) and restarts max_in_flight from it" jq_eq '"\(.in_flight) \(.max_in_flight) \(.requests)"' '12 12 0'
wait "${pids[@]}"
check "after they answer, in_flight is 0" eq "$(stats_get .in_flight)" 0
check "... and requests received before the reset are not counted after it" eq "$(stats_get .answered)" 0

# --- a stop answers hung requests at once ------------------------------------------------------------
curl -s -o "$TMP_ROOT/stop_hang" -w '%{http_code}' --max-time 20 "${JSON[@]}" -H 'X-Fault: timeout' -H 'X-Fault-Times: 5' -d "$(chat_body 'hang at stop')" "$BASE/v1/chat/completions" >"$TMP_ROOT/stop_status" &
client=$!
sleep 0.3
t0=$(now_ms)
kill -TERM "$SRV_PID"
wait "$client"
wait "$SRV_PID"
STOP_STATUS=$?
t1=$(now_ms)
SRV_PID=""
check "a hung request is answered 503 when the server stops ($(cat "$TMP_ROOT/stop_status"))" eq "$(cat "$TMP_ROOT/stop_status")" 503
check "... and the stop is prompt ($((t1 - t0)) ms)" le "$((t1 - t0))" 5000
check "the server exits 0" eq "$STOP_STATUS" 0
check "no sanitizer report" no_sanitizer_report

# =====================================================================================
# Server 3: --fault 429,500 --fault-rate 0.25 --seed 42, twice: the same counts
# =====================================================================================
fault_run() {
    start_llm --responder echo --fault 429,500 --fault-rate 0.25 --seed 42 --retry-after 2 || return 1
    local args=() i
    for i in $(seq 200); do args+=(-o /dev/null "$BASE/v1/chat/completions"); done
    curl -s -Z --parallel-max 1 -w '%{http_code}\n' "${JSON[@]}" -d "$(chat_body rate)" "${args[@]}" 2>/dev/null | sort | uniq -c | tr -s ' ' >"$TMP_ROOT/codes"
    req GET /stats
}
fault_run || { finish; exit 1; }
n429=$(printf '%s' "$BODY" | jq '.faults."429"')
n500=$(printf '%s' "$BODY" | jq '.faults."500"')
first_counts="$n429 $n500"
check "--fault-rate 0.25 over 200 requests: about 50 faults ($((n429 + n500)))" between "$((n429 + n500))" 30 70
check "... both kinds drawn ($n429 x 429, $n500 x 500)" bash -c "[ $n429 -ge 10 ] && [ $n500 -ge 10 ]"
check "... the statuses agree with the fault counts" eq "$(grep -c . "$TMP_ROOT/codes")" 3
check "... 200s for the rest" jq_eq '.by_status."200"' "$((200 - n429 - n500))"
post /v1/chat/completions "$(chat_body x)" -H 'X-Fault: none'
check "X-Fault: none wins over the flags" eq "$STATUS" 200
for i in $(seq 20); do
    post /v1/chat/completions "$(chat_body x)"
    [ "$STATUS" = 429 ] && break
done
check "--retry-after 2 gives Retry-After: 2 on a drawn 429" eq "$(header Retry-After)" 2
post /v1/embeddings '{"model":"e","input":"x"}'
check "the flags leave embeddings alone" eq "$STATUS" 200
stop_server
fault_run || { finish; exit 1; }
check "the same seed gives the same draws ($first_counts)" eq "$(printf '%s' "$BODY" | jq -r '"\(.faults."429") \(.faults."500")"')" "$first_counts"
stop_server

# =====================================================================================
# Server 4 and 5: the script responder, in order, exhausted, looping
# =====================================================================================
SCRIPT=$TMP_ROOT/answers.jsonl
printf '"first answer"\n\n{"a": 1, "b": [true]}\n   \n[1, 2]\n' >"$SCRIPT"
start_llm --script "$SCRIPT" || { finish; exit 1; }
post /v1/chat/completions "$(chat_body anything)"
check "script: the first answer, a string as is" eq "$(content)" 'first answer'
post /v1/chat/completions "$(chat_body anything)" -H 'X-Fault: 429'
check "... a 429 fault does not consume an answer" eq "$STATUS" 429
post /v1/chat/completions "$(chat_body anything)" -H 'X-Fault: truncated'
post /v1/chat/completions "$(chat_body anything)"
check "... nor does a truncated one: the second answer, compact JSON" eq "$(content)" '{"a":1,"b":[true]}'
curl -sN --max-time 10 "${JSON[@]}" -d "$(chat_body anything ',"stream":true')" "$BASE/v1/chat/completions" >"$TMP_ROOT/s_script"
check "... a stream serves the third" eq "$(data_lines "$TMP_ROOT/s_script" | grep -v '^\[DONE\]$' | jq -j '.choices[0].delta.content // empty')" '[1,2]'
post /v1/chat/completions "$(chat_body anything)"
check "an exhausted script is 500" eq "$STATUS" 500
check "... script exhausted after 3 answers" jq_eq .error.message 'script exhausted after 3 answers'
post /v1/embeddings '{"model":"e","input":"x"}'
check "embeddings work in script mode" eq "$STATUS" 200
stop_server

start_llm --responder script --script "$SCRIPT" --script-loop || { finish; exit 1; }
for i in 1 2 3 4; do post /v1/chat/completions "$(chat_body x)"; done
check "--script-loop starts again after the last answer" eq "$(content)" 'first answer'
stop_server

# =====================================================================================
# Bad flags and bad scripts: exit 2 with a clear message
# =====================================================================================
bad_flags() { # EXPECTED-MESSAGE FLAGS...
    local want=$1
    shift
    env -i "PATH=$PATH" "ASAN_OPTIONS=$ASAN_OPTIONS" "LOG_DIR=" "$BIN" llm-serve "$@" >"$TMP_ROOT/bad_out" 2>"$TMP_ROOT/bad_err"
    local rc=$?
    check "llm-serve $* exits 2 ($rc)" eq "$rc" 2
    check "... saying '$want'" grep -qF -- "$want" "$TMP_ROOT/bad_err"
}
bad_flags "--latency-ms: 'abc' is not a whole number in 0..600000" --latency-ms abc
bad_flags "--port: '70000' is not a whole number in 0..65535" --port 70000
bad_flags "--embedding-dim: '0' is not a whole number in 1..4096" --embedding-dim 0
bad_flags "--embedding-dim: '5000'" --embedding-dim=5000
bad_flags "--fault: 'explode' is not a fault kind" --fault 429,explode
bad_flags "--fault: '429' is listed twice" --fault 429,429
bad_flags "--fault-rate: '1.5' is not a number in 0..1" --fault 500 --fault-rate 1.5
bad_flags "--fault-rate needs --fault KINDS" --fault-rate 0.5
bad_flags "--responder: 'magic' is not a responder" --responder magic
bad_flags "--responder script needs --script FILE" --responder script
bad_flags "--script-loop is used only with --responder script" --script-loop
bad_flags "unknown option '--bogus'" --bogus
bad_flags "--port needs a value" --port
bad_flags "--seed: '-1'" --seed -1
printf '"ok"\n{"broken": \n' >"$TMP_ROOT/bad.jsonl"
bad_flags "$TMP_ROOT/bad.jsonl:2:" --script "$TMP_ROOT/bad.jsonl"
printf '\n  \n' >"$TMP_ROOT/empty.jsonl"
bad_flags "no answers" --script "$TMP_ROOT/empty.jsonl"
bad_flags "$TMP_ROOT/missing.jsonl: No such file" --script "$TMP_ROOT/missing.jsonl"

"$BIN" llm-serve --help >"$TMP_ROOT/help"
check "--help lists every flag" bash -c "for f in --port --api-key --model --responder --script --script-loop --latency-ms --latency-jitter-ms --fault --fault-rate --retry-after --hang-ms --embedding-dim --seed; do grep -qe \"\$f \" '$TMP_ROOT/help' || exit 1; done"
check "--help lists every header" bash -c "for h in X-Fault: X-Fault-Times: X-Fault-Retry-After: X-Latency-Ms:; do grep -q \"\$h\" '$TMP_ROOT/help' || exit 1; done"

finish
