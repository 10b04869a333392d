#!/usr/bin/env bash
# tests/e2e/test_runs.sh - runs as durable jobs against the real server and
# worker processes: a product test (samples), a message test (variants) and
# a journey run to the end on the offline model; the results counted
# exactly; the events followed to the end and resumed with Last-Event-ID
# without gap or repeat; a re-run of the unchanged test giving the same
# results; the status machine (queued runs cancelled, paused, resumed; a
# running test not started twice; a completed run not resumed); then a
# worker process killed with SIGKILL in the middle of a run against a slow
# model (crowdelic llm-serve) and another worker finishing it with exactly
# one result per persona x scenario x sample; and a re-run of that test
# answered from the cache with no new request at the model; finally every
# type of test run through an endpoint that fails one request in five.
. "$(dirname "$0")/lib.sh"

JSON=(-H 'Content-Type: application/json')
sql() { db_sql "$1" "$DB"; }
post() { as "$1" POST "$2" "${JSON[@]}" -d "$3"; }
err_is() { jq_eq '[.error.code, .error.field] | join(" ")' "$1 $2"; }

# --- the offline model, workers inside serve ------------------------------------------------------
start_server RUN_WORKERS=2 RUN_STEP_UNITS=2 LLM_CONCURRENCY=1 || { finish; exit 1; }
DB=$DB_URL
register runs@runs-e2e.example
OWNER=$TOKEN
register other@runs-e2e.example
OTHER=$TOKEN
sql "UPDATE users SET api_quota = 1000000"
as "$OWNER" GET /api/personas/templates
PERSONAS=()
for i in 0 1 2; do
    post "$OWNER" /api/personas "{\"template_id\":\"$(jq -r ".templates[$i].id" <<<"$BODY")\"}"
    PERSONAS+=("$(jq -r .id <<<"$BODY")")
    as "$OWNER" GET /api/personas/templates
done
IDS=$(printf '%s\n' "${PERSONAS[@]}" | jq -R . | jq -sc .)

PRODUCT=$(jq -nc --argjson ids "$IDS" '{name: "Meal kit", type: "product", config: {
  personas: $ids, seed: 7, samples: 2,
  scenarios: [{id: "concept", stimulus: "FreshBox: 3 chef-designed dinners a week, $49/month.",
    questions: [{id: "appeal", kind: "rating", prompt: "How appealing?", scale: {min: 1, max: 10}},
                {id: "buy", kind: "yes_no", prompt: "Would you subscribe?"},
                {id: "price", kind: "choice", prompt: "The price is", options: ["too low", "fair", "too high"]}]}]}}')
post "$OWNER" /api/tests "$PRODUCT"
TEST=$(jq -r .id <<<"$BODY")
as "$OWNER" POST "/api/tests/$TEST/run"
check "start a run: 202" eq "$STATUS" 202
check "... queued" jq_eq .status queued
check "... the test's seed" jq_eq .seed 7
RUN=$(jq -r .id <<<"$BODY")
check "... a Location" eq "$(header Location)" "/api/tests/$TEST/runs/$RUN"
check "the run completes" wait_run "$OWNER" "$TEST" "$RUN" completed
check "... progress 3 of 3 units" jq_eq '[.progress.done, .progress.total] | map(tostring) | join(" ")' "3 3"
check "... the offline model" jq_eq .model crowdelic-offline
check "... calls counted" jq_eq '.calls >= 6' true
check "... started and finished" jq_eq '(.started_at != null) and (.finished_at != null)' true
as "$OWNER" GET "/api/tests/$TEST"
check "the test's status is its run's" jq_eq .status completed
as "$OWNER" GET "/api/tests/$TEST/results?limit=100"
check "results: 3 personas x 1 scenario x 2 samples = 6" jq_eq .total 6
check "... typed answers" jq_eq '[.results[] | (.answers.appeal | type == "number") and (.answers.buy | IN("yes", "no")) and (.answers.price | IN("too low", "fair", "too high"))] | all' true
check "... every persona, both samples" jq_eq '[.results[] | "\(.persona_id)/\(.sample)"] | unique | length' 6
check "... with what they said" jq_eq '[.results[] | .talk | length > 0] | all' true
FIRST_RESULTS=$(jq -c '[.results[] | {persona_id, scenario, sample, answers}]' <<<"$BODY")

# the events, followed to the end
EV=$(curl -sN --max-time 10 -H "Authorization: Bearer $OWNER" "$BASE/api/tests/$TEST/runs/$RUN/events")
types=$(grep '^event:' <<<"$EV" | sed 's/event: //' | tr '\n' ' ')
ids=$(grep '^id:' <<<"$EV" | sed 's/id: //' | tr '\n' ' ')
check "events: queued, started, answers, steps, completed ($types)" matches "$types" '^run_queued run_started (persona_answered |step_done )+run_completed $'
check "... 6 persona_answered" eq "$(grep -c '^event: persona_answered' <<<"$EV")" 6
check "... 2 steps of at most 2 units" eq "$(grep -c '^event: step_done' <<<"$EV")" 2
n_ev=$(grep -c '^id:' <<<"$EV")
check "... ids 1..N in order, no gap ($ids)" eq "$ids" "$(seq -s ' ' 1 "$n_ev") "
EV2=$(curl -sN --max-time 10 -H "Authorization: Bearer $OWNER" -H "Last-Event-ID: 3" "$BASE/api/tests/$TEST/events")
ids2=$(grep '^id:' <<<"$EV2" | sed 's/id: //' | tr '\n' ' ')
check "Last-Event-ID 3 resumes at 4, no repeat ($ids2)" eq "$ids2" "$(seq -s ' ' 4 "$n_ev") "
step=$(grep -A1 '^event: step_done' <<<"$EV" | grep '^data:' | tail -1 | sed 's/data: //')
check "the last step_done: done 3 of 3" eq "$(jq -r '"\(.done) \(.total)"' <<<"$step")" "3 3"
check "... with its calls and the cost so far" eq "$(jq -r '[(.calls | type), (.cost_usd | type)] | join(" ")' <<<"$step")" "number number"

# the same test again: the cache answers, the results are the same
as "$OWNER" POST "/api/tests/$TEST/run"
RUN2=$(jq -r .id <<<"$BODY")
check "a second run of the unchanged test completes" wait_run "$OWNER" "$TEST" "$RUN2" completed
check "... asking the same questions (the offline model is not cached: it is cheaper than a lookup)" jq_eq '.calls' 6
as "$OWNER" GET "/api/tests/$TEST/runs/$RUN2/results?limit=100"
check "... identical results" eq "$(jq -c '[.results[] | {persona_id, scenario, sample, answers}]' <<<"$BODY")" "$FIRST_RESULTS"
req GET /metrics
check "metrics: the two runs claimed here" grep -q '^runs_claimed_total 2$' <<<"$BODY"
check "... none executing now" grep -q '^runs_executing 0$' <<<"$BODY"
check "... the queue empty" grep -q '^runs_queued 0$' <<<"$BODY"
check "... none running" grep -q '^runs_running 0$' <<<"$BODY"
as "$OWNER" GET "/api/tests/$TEST/runs"
check "the test lists its two runs, newest first" jq_eq '[.runs[].id] | join(" ")' "$RUN2 $RUN"

# a message test: each persona answers each variant
MESSAGE=$(jq -nc --argjson ids "$IDS" '{name: "Ad copy", type: "message", config: {personas: $ids,
  scenarios: [{id: "ad", stimulus: "Which speaks to you?",
    variants: [{id: "A", stimulus: "Dinner, done."}, {id: "B", stimulus: "Chef-made dinners at your door."}],
    questions: [{id: "appeal", kind: "rating", prompt: "How appealing?", scale: {min: 1, max: 5}}]}]}}')
post "$OWNER" /api/tests "$MESSAGE"
MTEST=$(jq -r .id <<<"$BODY")
as "$OWNER" POST "/api/tests/$MTEST/run"
MRUN=$(jq -r .id <<<"$BODY")
check "a message test's run completes" wait_run "$OWNER" "$MTEST" "$MRUN" completed
as "$OWNER" GET "/api/tests/$MTEST/results"
check "... 3 personas x 2 variants = 6 results" jq_eq .total 6
check "... keyed by variant" jq_eq '[.results[].scenario] | unique | join(",")' "ad/A,ad/B"

# a journey
JOURNEY=$(jq -nc --argjson ids "$IDS" '{name: "Onboarding", type: "journey", config: {personas: $ids,
  scenarios: [{id: "signup", stimulus: "Step 1: enter your email."},
               {id: "verify", stimulus: "Step 2: confirm the six-digit code we sent you."},
               {id: "pay", stimulus: "Step 3: enter your card number, expiry, CVV, billing address, tax ID and a referral code (required)."}]}}')
post "$OWNER" /api/tests "$JOURNEY"
JTEST=$(jq -r .id <<<"$BODY")
as "$OWNER" POST "/api/tests/$JTEST/run"
JRUN=$(jq -r .id <<<"$BODY")
check "a journey's run completes" wait_run "$OWNER" "$JTEST" "$JRUN" completed
as "$OWNER" GET "/api/tests/$JTEST/results"
check "... a result per persona and step walked (at most 9)" jq_eq '.total >= 3 and .total <= 9' true
check "... every persona took the first step" jq_eq '[.results[] | select(.scenario == "signup")] | length' 3
check "... no step after an abandon" jq_eq '[.results | group_by(.persona_id)[] | (map(.abandoned) | index(true)) as $a | ($a == null) or ($a == length - 1)] | all' true

# a focus group: two questions, one round, then the scenario's own question to each persona
FOCUS=$(jq -nc --argjson ids "$IDS" '{name: "Dinner talk", type: "focus_group", config: {personas: $ids,
  scenarios: [{id: "kits", stimulus: "FreshBox: 3 chef-designed dinners a week, delivered, $49/month.",
    questions: [{id: "appeal", kind: "rating", prompt: "How appealing is it?", scale: {min: 1, max: 10}}]}],
  moderator: {questions: ["What is your first reaction?", "What would stop you from trying it?"], rounds: 1}}}')
post "$OWNER" /api/tests "$FOCUS"
GTEST=$(jq -r .id <<<"$BODY")
as "$OWNER" POST "/api/tests/$GTEST/run"
GRUN=$(jq -r .id <<<"$BODY")
check "a focus group's run completes" wait_run "$OWNER" "$GTEST" "$GRUN" completed
check "... its progress counts 2 discussion steps and the closing" jq_eq '[.progress.done, .progress.total] | map(tostring) | join("/")' "3/3"
as "$OWNER" GET "/api/tests/$GTEST/results"
check "... one result per persona, with a rating" jq_eq '[.total, ([.results[] | .answers.appeal | numbers] | length)] | map(tostring) | join(" ")' "3 3"
check "... holding what each said in the discussion" jq_eq '[.results[] | (.talk | length) > 20] | all' true
GEV=$(curl -sN --max-time 10 -H "Authorization: Bearer $OWNER" "$BASE/api/tests/$GTEST/events")
GSAID=$(awk '/^event: said/{getline; sub(/^data: /, ""); print}' <<<"$GEV")
check "its events carry the transcript: the moderator's stimulus and two questions" eq "$(jq -r 'select(.persona_id == null) | .speaker' <<<"$GSAID" | sort | uniq -c | awk '{print $1, $2}')" "3 Moderator"
check "... and every persona speaking in both steps" eq "$(jq -s '[.[] | select(.persona_id != null)] | length' <<<"$GSAID")" 6
check "... each persona's line names a persona of the panel" eq "$(jq -s --argjson ids "$IDS" '[.[] | select(.persona_id != null) | .persona_id as $p | $ids | index($p) != null] | all' <<<"$GSAID")" true
as "$OWNER" GET "/api/tests/$GTEST/report"
check "its report holds the discussion as it was said" eq "$(jq -c '[.transcript[] | [.speaker, .text]]' <<<"$BODY")" "$(jq -sc '[.[] | [.speaker, .text]]' <<<"$GSAID")"
check "... and each persona's rating" jq_eq '.questions[0].n' 3
check "... its themes quote at most 280 characters of a persona's whole discussion" jq_eq '([.themes[][] | .quotes[] | length <= 281] | all) and ([.themes[][] | .quotes[] | endswith("…")] | any)' true

# a persona's usage history: the runs it answered in
as "$OWNER" GET "/api/personas/${PERSONAS[0]}/usage"
check "a persona's usage lists its 5 runs (2 product, message, journey, focus group)" jq_eq .total 5
check "... newest first, the focus group's" jq_eq '.runs[0].run_id' "$GRUN"
check "... with the test's name and its answers in the run" jq_eq '[.runs[] | select(.run_id == "'"$RUN"'") | .test_name, .results] | map(tostring) | join(" ")' "Meal kit 2"
as "$OTHER" GET "/api/personas/${PERSONAS[0]}/usage"
check "another workspace's persona's usage: 404" eq "$STATUS" 404

# bad starts
as "$OTHER" POST "/api/tests/$TEST/run"
check "another workspace's test: 404" eq "$STATUS" 404
as "$OWNER" POST "/api/tests/01a00000-0000-7000-8000-000000000000/run"
check "an unknown test: 404" eq "$STATUS" 404
as "$OWNER" POST "/api/tests/$TEST/runs/$RUN/resume"
check "resuming a completed run: 409" err_is conflict status
as "$OWNER" GET "/api/tests/$TEST/runs/$MRUN"
check "a run of another test through this test: 404" eq "$STATUS" 404
as "$OTHER" GET "/api/tests/$TEST/runs/$RUN/results"
check "another workspace's results: 404" eq "$STATUS" 404
req GET "/api/tests/$TEST/events"
check "events need a token: 401" eq "$STATUS" 401
stop_server

# --- the status machine, with no worker to take the runs ---------------------------------------------
start_server RUN_WORKERS=0 || { finish; exit 1; }
DB=$DB_URL
register queue@runs-e2e.example
OWNER=$TOKEN
sql "UPDATE users SET api_quota = 1000000"
post "$OWNER" /api/tests "$(jq -c '.config.personas = [] | del(.config.personas) | .config.panel = {templates: "all"}' <<<"$PRODUCT")"
QTEST=$(jq -r .id <<<"$BODY")
as "$OWNER" POST "/api/tests/$QTEST/run"
QRUN=$(jq -r .id <<<"$BODY")
check "queued" jq_eq .status queued
as "$OWNER" POST "/api/tests/$QTEST/run"
check "starting a test with a run queued: 409" err_is conflict status
as "$OWNER" PUT "/api/tests/$QTEST" "${JSON[@]}" -d "$PRODUCT"
check "replacing a queued test: 409" eq "$STATUS" 409
as "$OWNER" POST "/api/tests/$QTEST/pause"
check "pausing a queued run: paused at once" jq_eq .status paused
as "$OWNER" POST "/api/tests/$QTEST/pause"
check "pausing it again: 409" err_is conflict status
as "$OWNER" POST "/api/tests/$QTEST/resume"
check "resuming: queued again" jq_eq .status queued
as "$OWNER" POST "/api/tests/$QTEST/runs/$QRUN/cancel"
check "cancelling a queued run: cancelled at once" jq_eq .status cancelled
as "$OWNER" POST "/api/tests/$QTEST/cancel"
check "cancelling it again: 409" err_is conflict status
as "$OWNER" GET "/api/tests/$QTEST"
check "the test is cancelled too" jq_eq .status cancelled
EV=$(curl -sN --max-time 5 -H "Authorization: Bearer $OWNER" "$BASE/api/tests/$QTEST/events")
check "its events tell the story" eq "$(grep '^event:' <<<"$EV" | sed 's/event: //' | tr '\n' ' ')" "run_queued run_paused run_resumed run_cancelled "
stop_server

# --- a worker killed mid-run; another finishes it -------------------------------------------------------
KEY=sk-runs-e2e
start_llm --api-key "$KEY" --latency-ms 150 || { finish; exit 1; }
LLM_PID=$SRV_PID
LLM_PORT=$PORT
SRV_PID=""
LLM_ENV=("CROWDELIC_LLM_BASE_URL=http://127.0.0.1:$LLM_PORT/v1" "OPENAI_API_KEY=$KEY" "CROWDELIC_LLM_MODEL=gpt-test")
start_server RUN_WORKERS=0 "${LLM_ENV[@]}" || { finish; exit 1; }
DB=$DB_URL
register fault@runs-e2e.example
OWNER=$TOKEN
sql "UPDATE users SET api_quota = 1000000"
PERSONAS=()
as "$OWNER" GET /api/personas/templates
TEMPLATES=$BODY
for i in 0 1 2 3 4 5; do
    post "$OWNER" /api/personas "{\"template_id\":\"$(jq -r ".templates[$i].id" <<<"$TEMPLATES")\"}"
    PERSONAS+=("$(jq -r .id <<<"$BODY")")
done
IDS=$(printf '%s\n' "${PERSONAS[@]}" | jq -R . | jq -sc .)
post "$OWNER" /api/tests "$(jq -c --argjson ids "$IDS" '.config.personas = $ids | .config.samples = 1' <<<"$PRODUCT")"
FTEST=$(jq -r .id <<<"$BODY")
as "$OWNER" POST "/api/tests/$FTEST/run"
FRUN=$(jq -r .id <<<"$BODY")
# a worker process on the same database, one unit a step (one call at a time: steps are
# whole waves of LLM_CONCURRENCY), a short lease
worker() { # N [NAME=VALUE...]
    local n=$1
    shift
    (cd "$SRV_DIR" && exec env -i PATH="$PATH" ASAN_OPTIONS="$ASAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS" \
        CROWDELIC_ENV=test "DATABASE_URL=$DB" "LOG_DIR=$SRV_DIR/wlogs$n" RUN_WORKERS=1 RUN_STEP_UNITS=1 LLM_CONCURRENCY=1 \
        RUN_LEASE_MS=1500 "${LLM_ENV[@]}" "$@" "$BIN" worker >"$SRV_DIR/worker$n.out" 2>"$SRV_DIR/worker$n.err") &
    WORKER_PID=$!
}
worker 1
for _ in $(seq 1 100); do
    [ "$(sql "SELECT progress_done FROM runs WHERE id = '$FRUN'")" -ge 2 ] 2>/dev/null && break
    sleep 0.1
done
done_before=$(sql "SELECT progress_done FROM runs WHERE id = '$FRUN'")
kill -KILL "$WORKER_PID"
wait "$WORKER_PID" 2>/dev/null
check "the first worker got part of the way ($done_before of 6) and was killed" bash -c "[ $done_before -ge 2 ] && [ $done_before -lt 6 ]"
as "$OWNER" GET "/api/tests/$FTEST/runs/$FRUN"
check "... the run is still running (its lease held)" jq_eq .status running
worker 2
check "a second worker takes it over and completes it" wait_run "$OWNER" "$FTEST" "$FRUN" completed 60
check "... claimed twice" jq_eq .attempts 2
check "... the configured model answered" jq_eq .model gpt-test
RUN_TOKENS=$(jq -c '[.tokens_in, .tokens_out]' <<<"$BODY")
as "$OWNER" GET "/api/tests/$FTEST/results"
check "exactly one result per persona x scenario x sample: 6" jq_eq .total 6
check "... 6 distinct personas" jq_eq '[.results[].persona_id] | unique | length' 6
check "... no unit failed" jq_eq '[.results[] | .error == null] | all' true
# a unit the killed worker was answered but could not save is answered from the cache
# after the take-over, and costs nothing then: not every result has tokens, but they add up
check "... the results carry the tokens their units used" jq_eq '[.results[] | .tokens_in > 0 and .tokens_out > 0] | any' true
check "... as many as the run counted ($RUN_TOKENS)" eq "$(jq -c '[([.results[].tokens_in] | add), ([.results[].tokens_out] | add)]' <<<"$BODY")" "$RUN_TOKENS"
FIRST_RESULTS=$(jq -c '[.results[] | {persona_id, scenario, sample, answers}]' <<<"$BODY")
chats_before=$(curl -s "http://127.0.0.1:$LLM_PORT/stats" | jq '.by_route.chat // 0')
check "the first run asked the model ($chats_before chat requests)" bash -c "[ $chats_before -ge 6 ]"
as "$OWNER" POST "/api/tests/$FTEST/run"
FRUN2=$(jq -r .id <<<"$BODY")
check "a re-run of the unchanged test completes" wait_run "$OWNER" "$FTEST" "$FRUN2" completed 60
check "... every call answered from the cache" jq_eq '.calls == .cache_hits and .calls == 6' true
check "... no new request at the model" eq "$(curl -s "http://127.0.0.1:$LLM_PORT/stats" | jq '.by_route.chat // 0')" "$chats_before"
as "$OWNER" GET "/api/tests/$FTEST/runs/$FRUN2/results"
check "... identical results" eq "$(jq -c '[.results[] | {persona_id, scenario, sample, answers}]' <<<"$BODY")" "$FIRST_RESULTS"
kill -TERM "$WORKER_PID"
wait "$WORKER_PID"
check "the second worker stops cleanly on SIGTERM" eq "$?" 0
check "... without a sanitizer report" bash -c "! grep -qE 'AddressSanitizer|LeakSanitizer|runtime error' '$SRV_DIR/worker2.err'"

# a pause asked between a worker's claim and the panel's resolution is kept: the worker
# finds the run running with the request waiting (as a claimed run whose lease ran out)
post "$OWNER" /api/tests "$(jq -c --argjson ids "$IDS" '.config.personas = $ids | .config.samples = 1' <<<"$PRODUCT")"
PTEST=$(jq -r .id <<<"$BODY")
as "$OWNER" POST "/api/tests/$PTEST/run"
PRUN=$(jq -r .id <<<"$BODY")
sql "UPDATE runs SET status = 'running', requested = 'pause', lease_until = 0 WHERE id = '$PRUN'"
worker 5
check "a pause asked before the panel was resolved pauses the run" wait_run "$OWNER" "$PTEST" "$PRUN" paused 60
check "... before any answer" jq_eq .progress.done 0
as "$OWNER" POST "/api/tests/$PTEST/runs/$PRUN/resume"
check "... and it resumes to completion" wait_run "$OWNER" "$PTEST" "$PRUN" completed 60
kill -TERM "$WORKER_PID"
wait "$WORKER_PID"

# a focus group killed mid-discussion goes on from its world's checkpoint
post "$OWNER" /api/tests "$(jq -c --argjson ids "$IDS" '.config.personas = $ids | .config.moderator.questions += ["Who is it for?"]' <<<"$FOCUS")"
GTEST=$(jq -r .id <<<"$BODY")
as "$OWNER" POST "/api/tests/$GTEST/run"
GRUN=$(jq -r .id <<<"$BODY")
worker 3
for _ in $(seq 1 150); do
    [ "$(sql "SELECT progress_done FROM runs WHERE id = '$GRUN'")" -ge 1 ] 2>/dev/null && break
    sleep 0.1
done
done_before=$(sql "SELECT progress_done FROM runs WHERE id = '$GRUN'")
kill -KILL "$WORKER_PID"
wait "$WORKER_PID" 2>/dev/null
check "a focus group's worker got part of the way ($done_before of 4 steps) and was killed" bash -c "[ $done_before -ge 1 ] && [ $done_before -lt 4 ]"
check "... its world's checkpoint is saved" eq "$(sql "SELECT CASE WHEN state IS NOT NULL THEN 1 ELSE 0 END FROM runs WHERE id = '$GRUN'")" 1
worker 4
check "another worker completes the focus group" wait_run "$OWNER" "$GTEST" "$GRUN" completed 90
check "... claimed twice" jq_eq .attempts 2
as "$OWNER" GET "/api/tests/$GTEST/results"
check "... exactly one result per persona: 6" jq_eq '[.total, ([.results[].persona_id] | unique | length)] | map(tostring) | join(" ")' "6 6"
GEV=$(curl -sN --max-time 10 -H "Authorization: Bearer $OWNER" "$BASE/api/tests/$GTEST/events")
check "... the moderator's stimulus and three questions, each said once" eq "$(awk '/^event: said/{getline; sub(/^data: /, ""); print}' <<<"$GEV" | jq -s '[.[] | select(.persona_id == null)] | length')" 4
check "... the event ids run 1, 2, ... with no gap or repeat" eq "$(grep '^id:' <<<"$GEV" | sed 's/id: //' | awk '$1 != NR {bad = 1} END {print (bad ? "gap" : (NR > 3))}')" 1
kill -TERM "$WORKER_PID"
wait "$WORKER_PID"
check "... and its worker stops cleanly" bash -c "! grep -qE 'AddressSanitizer|LeakSanitizer|runtime error' '$SRV_DIR/worker4.err'"

# the database locked by another process in the middle of a run: the step's save waits and
# tries again, and the run completes
post "$OWNER" /api/tests "$(jq -c --argjson ids "$IDS" '.config.personas = $ids | .config.samples = 1 | .config.seed = 99' <<<"$PRODUCT")"
BTEST=$(jq -r .id <<<"$BODY")
as "$OWNER" POST "/api/tests/$BTEST/run"
BRUN=$(jq -r .id <<<"$BODY")
worker 5 DB_BUSY_TIMEOUT_MS=200
for _ in $(seq 1 100); do
    [ "$(sql "SELECT progress_done FROM runs WHERE id = '$BRUN'")" -ge 1 ] 2>/dev/null && break
    sleep 0.1
done
db_hold_write_lock 1.5 "$DB"
check "a run whose database was locked for 1.5 s completes" wait_run "$OWNER" "$BTEST" "$BRUN" completed 60
as "$OWNER" GET "/api/tests/$BTEST/results"
check "... with exactly one result per persona: 6" jq_eq '[.total, ([.results[].persona_id] | unique | length)] | map(tostring) | join(" ")' "6 6"
check "... a step's save was tried again" grep -q "saving a step again" "$SRV_DIR/wlogs5/crowdelic.log" "$SRV_DIR/worker5.out" "$SRV_DIR/worker5.err"
kill -TERM "$WORKER_PID"
wait "$WORKER_PID"
kill -TERM "$LLM_PID"
wait "$LLM_PID"
stop_server

# --- a model that fails one request in five; every type on an OpenAI-compatible endpoint ---------------
# Eight attempts and five re-asks a call: a call fails for good with odds far below one in
# a million, so no unit is lost.
start_llm --api-key "$KEY" --fault 500,429,503,malformed,truncated --fault-rate 0.2 --retry-after 0 --seed 3 ||
    { finish; exit 1; }
LLM_PID=$SRV_PID
LLM_PORT=$PORT
SRV_PID=""
start_server RUN_WORKERS=2 RUN_STEP_UNITS=4 "CROWDELIC_LLM_BASE_URL=http://127.0.0.1:$LLM_PORT/v1" \
    "OPENAI_API_KEY=$KEY" CROWDELIC_LLM_MODEL=gpt-test LLM_BACKOFF_BASE_MS=10 LLM_BACKOFF_MAX_MS=50 \
    LLM_MAX_ATTEMPTS=8 LLM_MAX_REASKS=5 ||
    { finish; exit 1; }
DB=$DB_URL
register faults@runs-e2e.example
OWNER=$TOKEN
sql "UPDATE users SET api_quota = 1000000"
PERSONAS=()
for i in 0 1 2 3 4 5 6 7; do
    post "$OWNER" /api/personas "{\"template_id\":\"$(jq -r ".templates[$i].id" <<<"$TEMPLATES")\"}"
    PERSONAS+=("$(jq -r .id <<<"$BODY")")
done
IDS=$(printf '%s\n' "${PERSONAS[@]}" | jq -R . | jq -sc .)
for spec in "$PRODUCT" "$MESSAGE" "$JOURNEY" "$FOCUS"; do
    post "$OWNER" /api/tests "$(jq -c --argjson ids "$IDS" '.config.personas = $ids' <<<"$spec")"
    T=$(jq -r .id <<<"$BODY")
    kind=$(jq -r .type <<<"$BODY")
    as "$OWNER" POST "/api/tests/$T/run"
    R=$(jq -r .id <<<"$BODY")
    check "$kind through a faulty endpoint: the run completes" wait_run "$OWNER" "$T" "$R" completed 90
    check "... answered by the configured model" jq_eq .model gpt-test
    as "$OWNER" GET "/api/tests/$T/results?limit=1000"
    case $kind in
    product) want=16 ;; # 8 personas x 2 samples
    message) want=16 ;; # 8 personas x 2 variants
    focus_group) want=8 ;; # 8 personas x 1 scenario
    *) want=0 ;;
    esac
    if [ "$want" -gt 0 ]; then
        check "... $want results" jq_eq .total "$want"
    else
        check "... every persona walked the first step" jq_eq '[.results[] | select(.scenario == "signup")] | length' 8
    fi
    check "... no unit lost to the faults" jq_eq '[.results[] | .error == null] | all' true
done
faults=$(curl -s "http://127.0.0.1:$LLM_PORT/stats" | jq '[.faults[]?] | add // 0')
check "the endpoint did fail requests ($faults faults)" bash -c "[ '$faults' -gt 0 ]"
kill -TERM "$LLM_PID"
wait "$LLM_PID"

finish
