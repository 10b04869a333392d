#!/usr/bin/env bash
# tests/e2e/test_tests.sh - tests (SPEC.md 3 "Test creation") against the
# real server: one of each type (product with every question kind, message
# with A/B variants and a winner criterion, journey, focus group) created,
# read, listed by project, type and status, replaced and deleted; the
# project a first test gets; every kind of bad input answered with the
# path of the field (unknown or foreign persona, empty scenarios, bad
# criteria with their column, unknown fields, wrong types, a running test
# changed); what each type will cost (calls, tokens, the model's price);
# and another workspace that sees nothing.
. "$(dirname "$0")/lib.sh"

start_server || { finish; exit 1; }

JSON=(-H 'Content-Type: application/json')
sql() { db_sql "$1"; }
post() { as "$1" POST "$2" "${JSON[@]}" -d "$3"; }
put() { as "$1" PUT "$2" "${JSON[@]}" -d "$3"; }
err_is() { jq_eq '[.error.code, .error.field] | join(" ")' "$1 $2"; }

register owner@tests-e2e.example
check "owner signed up" eq "$STATUS" 201
OWNER=$TOKEN
WS=$(jq -r .workspace.id <<<"$BODY")
register other@tests-e2e.example
OTHER=$TOKEN
sql "UPDATE users SET api_quota = 1000000"

as "$OWNER" GET /api/personas/templates
T1=$(jq -r '.templates[0].id' <<<"$BODY")
T2=$(jq -r '.templates[1].id' <<<"$BODY")
T3=$(jq -r '.templates[2].id' <<<"$BODY")
add_persona() { post "$1" /api/personas "{\"template_id\":\"$2\"}"; jq -r .id <<<"$BODY"; }
P1=$(add_persona "$OWNER" "$T1")
P2=$(add_persona "$OWNER" "$T2")
P3=$(add_persona "$OWNER" "$T3")
THEIRS=$(add_persona "$OTHER" "$T1")
check "three personas of the owner's and one of the other's" test -n "$P1$P2$P3$THEIRS"

# --- one test of each type ----------------------------------------------------------------------
PRODUCT=$(jq -nc --arg a "$P1" --arg b "$P2" --arg c "$P3" '{
  name: "Meal kit concept", type: "product",
  config: {
    personas: [$a, $b, $c],
    scenarios: [{id: "concept", title: "First look",
      stimulus: "FreshBox: 3 chef-designed dinners a week, delivered, $49/month.",
      questions: [
        {id: "appeal", kind: "rating", prompt: "How appealing is this?", scale: {min: 1, max: 10}},
        {id: "buy", kind: "yes_no", prompt: "Would you subscribe?"},
        {id: "price", kind: "choice", prompt: "The price is…", options: ["too low", "fair", "too high"]},
        {id: "rank", kind: "ranking", prompt: "Rank what matters", options: ["price", "taste", "time"]},
        {id: "why", kind: "text", prompt: "What would make you try it?"}]}],
    environment: "online", timeout: 600, seed: 42,
    model: {name: "gpt-4o-mini", temperature: 1.0, concurrency: 16},
    elicitation: "direct", samples: 1,
    success_criteria: ["mean(appeal) >= 7", "share(buy == \"yes\") >= 0.4"]}}')
post "$OWNER" /api/tests "$PRODUCT"
check "a product test: 201" eq "$STATUS" 201
check "... a draft" jq_eq .status draft
check "... its name, type and config as written" jq_eq '[.name, .type, (.config.scenarios[0].questions | length), .config.seed] | map(tostring) | join(" ")' "Meal kit concept product 5 42"
check "... the criteria kept" jq_eq '.config.success_criteria[1]' 'share(buy == "yes") >= 0.4'
check "... a Location" eq "$(header Location)" "/api/tests/$(jq -r .id <<<"$BODY")"
check "... the workspace" jq_eq .workspace_id "$WS"
PRODUCT_ID=$(jq -r .id <<<"$BODY")
PROJECT=$(jq -r .project_id <<<"$BODY")
check "the first test made the workspace a project" test -n "$PROJECT"
as "$OWNER" GET /api/projects
check "... named 'My tests'" jq_eq '[.projects[].name] | join(",")' "My tests"
as "$OWNER" GET "/api/tests/$PRODUCT_ID"
check "get the test: 200" eq "$STATUS" 200
check "... the same test" jq_eq '[.id, .project_id] | join(" ")' "$PRODUCT_ID $PROJECT"

MESSAGE=$(jq -nc --arg a "$P1" --arg b "$P2" --arg p "$PROJECT" '{
  name: "Ad copy A/B", type: "message", project_id: $p,
  config: {personas: [$a, $b],
    scenarios: [{id: "ad", stimulus: "Which ad speaks to you?",
      variants: [{id: "A", stimulus: "Dinner, done."}, {id: "B", stimulus: "Chef-made dinners at your door."}],
      questions: [{id: "appeal", kind: "rating", prompt: "How appealing?", scale: {min: 1, max: 5}}]}],
    success_criteria: ["winner == \"B\"", "mean(appeal) >= 3 and not (winner == \"A\")"]}}')
post "$OWNER" /api/tests "$MESSAGE"
check "a message test with variants: 201" eq "$STATUS" 201
check "... two variants" jq_eq '.config.scenarios[0].variants | length' 2
check "... defaults written out (timeout, samples, elicitation)" jq_eq '[.config.timeout, .config.samples, .config.elicitation] | map(tostring) | join(" ")' "600 1 direct"
MESSAGE_ID=$(jq -r .id <<<"$BODY")

JOURNEY=$(jq -nc --arg a "$P1" '{
  name: "Onboarding", type: "journey",
  config: {personas: [$a],
    scenarios: [
      {id: "signup", stimulus: "Step 1: enter your email and a password."},
      {id: "profile", stimulus: "Step 2: tell us your diet, allergies and household size."},
      {id: "pay", stimulus: "Step 3: enter your card to start the free week.",
       questions: [{id: "trust", kind: "rating", prompt: "How much do you trust this page?", scale: {min: 1, max: 5}}]}]}}')
post "$OWNER" /api/tests "$JOURNEY"
check "a journey of three steps: 201" eq "$STATUS" 201
check "... its steps in order" jq_eq '[.config.scenarios[].id] | join(",")' "signup,profile,pay"
JOURNEY_ID=$(jq -r .id <<<"$BODY")

FOCUS=$(jq -nc --arg a "$P1" --arg b "$P2" --arg c "$P3" '{
  name: "Dinner habits", type: "focus_group",
  config: {personas: [$a, $b, $c],
    scenarios: [{id: "topic", stimulus: "How do you decide what to cook on a weeknight?"}],
    moderator: {questions: ["What gets in the way?", "What would help?"], rounds: 2}}}')
post "$OWNER" /api/tests "$FOCUS"
check "a focus group with a moderator: 201" eq "$STATUS" 201
check "... its rounds" jq_eq .config.moderator.rounds 2
FOCUS_ID=$(jq -r .id <<<"$BODY")

LIB=$(post "$OWNER" /api/libraries '{"name":"Weeknight cooks"}'; jq -r .id <<<"$BODY")
post "$OWNER" /api/tests "$(jq -c --arg l "$LIB" '.name = "By library" | del(.config.personas) | .config.panel = {library_id: $l}' <<<"$PRODUCT")"
check "a panel by library: 201" eq "$STATUS" 201
check "... kept" jq_eq .config.panel.library_id "$LIB"
post "$OWNER" /api/tests "$(jq -c '.name = "By filter" | del(.config.personas) | .config.panel = {filter: {country: "Brazil", age_min: 25, tag: ["parents"]}}' <<<"$PRODUCT")"
check "a panel by filter: 201" eq "$STATUS" 201
post "$OWNER" /api/tests "$(jq -c '.name = "All templates" | del(.config.personas) | .config.panel = {templates: "all"}' <<<"$PRODUCT")"
check "a panel of every template: 201" eq "$STATUS" 201
post "$OWNER" /api/tests "$(jq -c '.name = "Generated" | del(.config.personas) | .config.panel = {generate: 50, description: "urban parents 25-40"}' <<<"$PRODUCT")"
check "a generated panel on free: 403" eq "$STATUS" 403
check "... naming custom_personas" jq_eq .error.field custom_personas

# --- listing -------------------------------------------------------------------------------------
as "$OWNER" GET /api/tests
check "the list holds 7 tests" jq_eq .total 7
check "... newest first" jq_eq '.tests[0].name' "All templates"
as "$OWNER" GET "/api/tests?type=journey"
check "by type" jq_eq '[.tests[].id] | join(",")' "$JOURNEY_ID"
as "$OWNER" GET "/api/tests?project_id=$PROJECT&limit=2"
check "by project, a page of 2 of 7" jq_eq '[(.tests | length), .total] | map(tostring) | join(" ")' "2 7"
as "$OWNER" GET "/api/tests?status=draft"
check "by status" jq_eq .total 7
for q in "status=finished" "type=survey" "limit=0" "limit=201" "offset=-1"; do
    as "$OWNER" GET "/api/tests?$q"
    check "list with $q is 400 naming ${q%%=*}" err_is invalid_request "${q%%=*}"
done

# --- bad input: the path of the field --------------------------------------------------------------
bad() { # NAME JQ_EDIT STATUS CODE FIELD [MESSAGE_REGEX]
    post "$OWNER" /api/tests "$(jq -c "$2" <<<"$PRODUCT")"
    check "$1 -> $3 $5" eq "$STATUS $(jq -r '[.error.code, .error.field] | join(" ")' <<<"$BODY")" "$3 $4 $5"
    [ -n "${6:-}" ] && check "$1 -> the message says why" jq_eq ".error.message | test(\"$6\")" true
    return 0
}
bad "a foreign persona" ".config.personas[1] = \"$THEIRS\"" 404 not_found "config.personas[1]" "$THEIRS"
bad "an unknown persona" '.config.personas[2] = "01a00000-0000-7000-8000-000000000000"' 404 not_found "config.personas[2]"
bad "empty scenarios" '.config.scenarios = []' 400 invalid_request config.scenarios
bad "no scenarios" 'del(.config.scenarios)' 400 invalid_request config.scenarios
bad "a criterion naming an unknown question" '.config.success_criteria = ["mean(apeal) >= 7"]' 400 invalid_request "config.success_criteria[0]" "column 6"
bad "a criterion without a comparison" '.config.success_criteria = ["mean(appeal)"]' 400 invalid_request "config.success_criteria[0]" "column"
bad "winner without variants" '.config.success_criteria = ["winner == \"B\""]' 400 invalid_request "config.success_criteria[0]"
bad "an unknown field" '.colour = "red"' 400 invalid_request colour
bad "an unknown config field" '.config.speed = 2' 400 invalid_request config.speed
bad "an unknown question field" '.config.scenarios[0].questions[0].hint = "x"' 400 invalid_request "config.scenarios[0].questions[0].hint"
bad "a rating without a scale" 'del(.config.scenarios[0].questions[0].scale)' 400 invalid_request "config.scenarios[0].questions[0].scale"
bad "a scale upside down" '.config.scenarios[0].questions[0].scale = {min: 5, max: 1}' 400 invalid_request "config.scenarios[0].questions[0].scale.max"
bad "a choice with one option" '.config.scenarios[0].questions[2].options = ["fair"]' 400 invalid_request "config.scenarios[0].questions[2].options"
bad "an unknown question kind" '.config.scenarios[0].questions[0].kind = "slider"' 400 invalid_request "config.scenarios[0].questions[0].kind"
bad "two questions with one id" '.config.scenarios[0].questions[1].id = "appeal"' 400 invalid_request "config.scenarios[0].questions[1].id"
bad "an unknown type" '.type = "survey"' 400 invalid_request type
bad "no name" 'del(.name)' 400 invalid_request name
bad "a timeout of 0" '.config.timeout = 0' 400 invalid_request config.timeout
bad "samples 11" '.config.samples = 11' 400 invalid_request config.samples
bad "temperature 3" '.config.model.temperature = 3' 400 invalid_request config.model.temperature
bad "elicitation telepathy" '.config.elicitation = "telepathy"' 400 invalid_request config.elicitation
bad "personas and a panel" ".config.panel = {templates: \"all\"}" 400 invalid_request config.panel
bad "neither personas nor a panel" 'del(.config.personas)' 400 invalid_request config.personas
bad "a moderator in a product test" '.config.moderator = {questions: ["Why?"], rounds: 1}' 400 invalid_request config.moderator
bad "a foreign project" '.project_id = "01a00000-0000-7000-8000-000000000000"' 404 not_found project_id
post "$OWNER" /api/tests "$(jq -c 'del(.config.scenarios[0].variants)' <<<"$MESSAGE")"
check "a message test without variants -> 400" eq "$STATUS" 400
check "... naming the scenario's variants" jq_eq '.error.field | test("config.scenarios\\[0\\].variants")' true
post "$OWNER" /api/tests "$(jq -c 'del(.config.moderator)' <<<"$FOCUS")"
check "a focus group without a moderator -> 400 naming config.moderator" err_is invalid_request config.moderator
post "$OWNER" /api/tests '{"name":"x",'
check "malformed JSON -> 400 malformed_json" jq_eq .error.code malformed_json
as "$OWNER" POST /api/tests -H 'Content-Type: text/plain' -d "$PRODUCT"
check "text/plain -> 415" eq "$STATUS" 415
post "$OWNER" /api/tests '[]'
check "an array -> 400" eq "$STATUS" 400
as "$OWNER" GET /api/tests
check "refused tests were not created" jq_eq .total 7

# --- replace, delete, a running test -------------------------------------------------------------------
put "$OWNER" "/api/tests/$PRODUCT_ID" "$(jq -c '.name = "Meal kit, take 2" | .config.samples = 3' <<<"$PRODUCT")"
check "replace the test: 200" eq "$STATUS" 200
check "... the new name and samples" jq_eq '[.name, .config.samples] | map(tostring) | join(" ")' "Meal kit, take 2 3"
check "... the same project" jq_eq .project_id "$PROJECT"
put "$OWNER" "/api/tests/$PRODUCT_ID" "$(jq -c '.config.scenarios = []' <<<"$PRODUCT")"
check "a bad replacement -> 400" eq "$STATUS" 400
as "$OWNER" GET "/api/tests/$PRODUCT_ID"
check "... changed nothing" jq_eq .name "Meal kit, take 2"
sql "UPDATE tests SET status = 'running' WHERE id = '$PRODUCT_ID'"
put "$OWNER" "/api/tests/$PRODUCT_ID" "$PRODUCT"
check "replacing a running test -> 409" err_is conflict status
as "$OWNER" DELETE "/api/tests/$PRODUCT_ID"
check "deleting a running test -> 409" err_is conflict status
sql "UPDATE tests SET status = 'completed' WHERE id = '$PRODUCT_ID'"
as "$OWNER" DELETE "/api/projects/$PROJECT"
check "a project with tests is not deleted (409)" eq "$STATUS" 409
check "... saying why" jq_eq '.error.message | test("test")' true
as "$OWNER" DELETE "/api/tests/$MESSAGE_ID"
check "delete a test: 204" eq "$STATUS" 204
as "$OWNER" GET "/api/tests/$MESSAGE_ID"
check "... then 404" eq "$STATUS" 404
as "$OWNER" DELETE "/api/tests/$MESSAGE_ID"
check "... and deleting again 404" eq "$STATUS" 404

# --- estimates ---------------------------------------------------------------------------------------
as "$OWNER" POST "/api/tests/$PRODUCT_ID/estimate"
check "estimate the product test: 200" eq "$STATUS" 200
check "... 3 personas x 1 scenario x 3 samples = 9 calls" jq_eq '[.personas, .calls] | map(tostring) | join(" ")' "3 9"
check "... tokens in and out, per call times the calls" jq_eq '.tokens_in > 9 * 200 and .tokens_out > 0 and (.tokens_in % 9 == 0)' true
check "... the test's model (gpt-4o-mini), priced" jq_eq '[.model, .priced, .cost_usd > 0] | map(tostring) | join(" ")' "gpt-4o-mini true true"
check "... per scenario" jq_eq '[.scenarios[0].id, .scenarios[0].calls] | map(tostring) | join(" ")' "concept 9"
as "$OWNER" POST "/api/tests/$JOURNEY_ID/estimate"
check "a journey: one turn per step (3 calls for 1 persona)" jq_eq '[.calls, (.scenarios | length)] | map(tostring) | join(" ")' "3 3"
as "$OWNER" POST "/api/tests/$FOCUS_ID/estimate"
check "a focus group: 3 personas x 2 questions x 2 rounds = 12 calls" jq_eq .calls 12
put "$OWNER" "/api/tests/$PRODUCT_ID" "$(jq -c 'del(.config.model)' <<<"$PRODUCT")"
as "$OWNER" POST "/api/tests/$PRODUCT_ID/estimate"
check "no model named: the server's (offline), at no cost" jq_eq '[.model, .cost_usd] | map(tostring) | join(" ")' "crowdelic-offline 0"
check "... one sample now: 3 calls" jq_eq .calls 3
EMPTY_LIB=$(post "$OWNER" /api/libraries '{"name":"Empty"}'; jq -r .id <<<"$BODY")
post "$OWNER" /api/tests "$(jq -c --arg l "$EMPTY_LIB" '.name = "Empty panel" | del(.config.personas) | .config.panel = {library_id: $l}' <<<"$PRODUCT")"
EMPTY_TEST=$(jq -r .id <<<"$BODY")
as "$OWNER" POST "/api/tests/$EMPTY_TEST/estimate"
check "an empty panel: 409 naming config.panel" err_is conflict config.panel
as "$OWNER" POST "/api/tests/01a00000-0000-7000-8000-000000000000/estimate"
check "an unknown test: 404" eq "$STATUS" 404
as "$OTHER" POST "/api/tests/$PRODUCT_ID/estimate"
check "another workspace's test: 404" eq "$STATUS" 404

# --- another workspace ---------------------------------------------------------------------------------
as "$OTHER" GET /api/tests
check "the other workspace lists no test" jq_eq .total 0
for m in GET DELETE; do
    as "$OTHER" "$m" "/api/tests/$JOURNEY_ID"
    check "the other workspace: $m a test of the owner's -> 404" eq "$STATUS" 404
done
put "$OTHER" "/api/tests/$FOCUS_ID" "$FOCUS"
check "the other workspace: PUT a test of the owner's -> 404" eq "$STATUS" 404
post "$OTHER" /api/tests "$(jq -c --arg p "$PROJECT" --arg t "$THEIRS" '.project_id = $p | .config.personas = [$t]' <<<"$PRODUCT")"
check "the other workspace: a test in the owner's project -> 404 project_id" err_is not_found project_id
as "$OWNER" GET "/api/tests/$FOCUS_ID"
check "the owner's focus group is unchanged" jq_eq .name "Dinner habits"

finish
