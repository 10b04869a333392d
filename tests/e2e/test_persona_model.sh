#!/usr/bin/env bash
# tests/e2e/test_persona_model.sh - the model's work on personas against the
# real server, with the built-in offline model (no model configured):
# generating a population (the plan, the spread of the people made, bad
# input, the plan's room checked before any model call), validating a
# persona (the verdict kept on it), interviewing one in Portuguese (memory
# of the conversation, streaming, the conversations kept, bad input,
# tenancy); then the same through a real model endpoint (crowdelic
# llm-serve), counted on its /stats. Plans are changed with SQL (db_sql) on the
# server's own database, as a billing change would.
. "$(dirname "$0")/lib.sh"

start_server || { finish; exit 1; }

JSON=(-H 'Content-Type: application/json')
sql() { db_sql "$1"; }
unquota() { sql "UPDATE users SET api_quota = 1000000"; }
set_plan() { sql "UPDATE workspaces SET plan_type = '$2' WHERE id = '$1'"; }
post() { as "$1" POST "$2" "${JSON[@]}" -d "$3"; }
err_is() { jq_eq '[.error.code, .error.field] | join(" ")' "$1 $2"; }
ge() { [ "$1" -ge "$2" ]; }
# the model calls the server has made so far (its /metrics)
llm_calls() { curl -s "$BASE/metrics" | awk '/^llm_calls_total/ {n += $NF} END {print n + 0}'; }
NO_SUCH=01a00000-0000-7000-8000-000000000000

register owner@model-e2e.example
check "owner signed up" eq "$STATUS" 201
OWNER=$TOKEN
WS=$(jq -r .workspace.id <<<"$BODY")
register other@model-e2e.example
OTHER=$TOKEN
OTHER_WS=$(jq -r .workspace.id <<<"$BODY")
unquota
set_plan "$WS" business
set_plan "$OTHER_WS" business

# =====================================================================================
# Generate
# =====================================================================================
gen_refused() { # NAME FIELD BODY
    post "$OWNER" /api/personas/generate "$3"
    check "generate with $1: 400" eq "$STATUS" 400
    check "... naming $2" err_is invalid_request "$2"
}
gen_refused "count 0" count '{"description":"adults in Brazil","count":0}'
gen_refused "count 201" count '{"description":"adults in Brazil","count":201}'
gen_refused "count \"10\"" count '{"description":"adults in Brazil","count":"10"}'
gen_refused "no count" count '{"description":"adults in Brazil"}'
gen_refused "no description" description '{"count":5}'
gen_refused "an empty description" description '{"description":"","count":5}'
gen_refused "a blank description" description '{"description":"   ","count":5}'
gen_refused "a description of 2001 characters" description "{\"description\":\"$(printf 'd%.0s' $(seq 1 2001))\",\"count\":5}"
gen_refused "language fr" language '{"description":"adults in Brazil","count":5,"language":"fr"}'
gen_refused "a negative seed" seed '{"description":"adults in Brazil","count":5,"seed":-1}'
gen_refused "an unknown field" colour '{"description":"adults in Brazil","count":5,"colour":"red"}'
as "$OWNER" POST /api/personas/generate -H 'Content-Type: text/plain' -d '{"description":"adults","count":5}'
check "generate with text/plain: 415" eq "$STATUS" 415
as "$OWNER" GET /api/personas
check "the refused generates added nobody" jq_eq .total 0

DESCRIPTION="adults in Brazil, Portugal, the United States and India, ages 18 to 80, every income level"
# a dry run: the sampling plan, nothing made
post "$OWNER" /api/personas/generate "$(jq -nc --arg d "$DESCRIPTION" '{description: $d, count: 100, seed: 11, dry_run: true}')"
check "a dry run of generate 100: 200" eq "$STATUS" 200
check "... says it is one" jq_eq .dry_run true
check "... no personas" jq_eq '.personas | length' 0
check "... the plan's groups, their quantities summing to 100" jq_eq '[.plan.groups[].quantity] | add' 100
check "... 100 samples drawn, none naming a persona" jq_eq '[(.samples | length), ([.samples[] | select(has("persona_id"))] | length)] | map(tostring) | join(" ")' "100 0"
check "... nothing asked of a person" jq_eq .stats.asked 0
DRY_PLAN=$(jq -c .plan <<<"$BODY")
DRY_PICKS=$(jq -c '[.samples[].picks]' <<<"$BODY")
as "$OWNER" GET /api/personas
check "... nobody added" jq_eq .total 0
post "$OWNER" /api/personas/generate '{"description":"adults","count":5,"dry_run":"yes"}'
check "a dry run that is not a boolean: 400 naming it" err_is invalid_request dry_run

post "$OWNER" /api/personas/generate "$(jq -nc --arg d "$DESCRIPTION" '{description: $d, count: 100, seed: 11}')"
check "generate 100: 201" eq "$STATUS" 201
check "... the plan the dry run showed, with the same seed" eq "$(jq -c .plan <<<"$BODY")" "$DRY_PLAN"
check "... and the same draws" eq "$(jq -c '[.samples[].picks]' <<<"$BODY")" "$DRY_PICKS"
check "... not a dry run" jq_eq .dry_run false
check "... 100 persona ids" jq_eq '.personas | length' 100
check "... distinct ids" jq_eq '.personas | unique | length' 100
check "... the seed given back" jq_eq .seed 11
check "... the plan's dimensions" jq_eq '(.plan.dimensions | length) > 0 and ([.plan.dimensions[] | (.name | type) == "string"] | all)' true
check "... the dimensions include country, age and personality" jq_eq \
    '[.plan.dimensions[].name] as $n | ["country", "age", "personality"] | all(. as $d | $n | index($d) != null)' true
check "... the countries asked for" jq_eq \
    '[.plan.dimensions[] | select(.name == "country") | .values[].value] | sort | join(",")' "Brazil,India,Portugal,United States"
check "... the plan's groups" jq_eq '.plan.groups | length > 1' true
check "... whose quantities sum to 100" jq_eq '[.plan.groups[].quantity] | add' 100
check "... each group with a description and traits" jq_eq '[.plan.groups[] | (.description | length) > 0 and (.traits | type) == "object"] | all' true
check "... stats: asked 100, made 100, failed 0" jq_eq '[.stats.asked, .stats.made, .stats.failed] | map(tostring) | join(" ")' "100 100 0"
check "... a sample per persona, each naming its persona" jq_eq '([.samples[] | select(.persona_id != null) | .persona_id] | sort) == (.personas | sort)' true
check "... usage counts the model's calls" jq_eq '.usage.calls >= 100' true
GEN_IDS=$(jq -c '.personas | sort' <<<"$BODY")
GENERATE=$BODY

as "$OWNER" GET '/api/personas?type=generated&limit=200'
check "the generated personas are listed: 100" jq_eq .total 100
check "... exactly the ids answered" jq_eq '[.personas[].id] | sort | tostring' "$(jq -c tostring <<<"$GEN_IDS" | jq -r .)"
check "... each of type generated, without a template" jq_eq '[.personas[] | .type == "generated" and .template_id == null] | all' true
GEN=$BODY
spread() { jq -r "$1" <<<"$GEN"; }
check "spread: at least 4 countries ($(spread '[.personas[].demographics.location | split(",") | last | ltrimstr(" ")] | unique | join("/")'))" \
    ge "$(spread '[.personas[].demographics.location | split(",") | last | ltrimstr(" ")] | unique | length')" 4
check "spread: ages from 25 or less ($(spread '[.personas[].demographics.age] | min'))" ge 25 "$(spread '[.personas[].demographics.age] | min')"
check "spread: ... to 65 or more ($(spread '[.personas[].demographics.age] | max'))" ge "$(spread '[.personas[].demographics.age] | max')" 65
check "spread: all ages within 18..80" eq "$(spread '[.personas[].demographics.age | select(. < 18 or . > 80)] | length')" 0
check "spread: at least 5 decades" ge "$(spread '[.personas[].demographics.age / 10 | floor] | unique | length')" 5
check "spread: at least 2 genders" ge "$(spread '[.personas[].demographics.gender] | unique | length')" 2
check "spread: at least 4 income levels" ge "$(spread '[.personas[].demographics.income_level] | unique | length')" 4
check "spread: at least 20 occupations ($(spread '[.personas[].demographics.occupation] | unique | length'))" \
    ge "$(spread '[.personas[].demographics.occupation] | unique | length')" 20
check "spread: 100 distinct names" eq "$(spread '[.personas[].name] | unique | length')" 100
check "spread: no two the same person (demographics and personality)" eq \
    "$(spread '[.personas[] | {demographics, personality} | tostring] | unique | length')" 100
check "spread: every persona in full (occupation detail, likes, a language)" eq \
    "$(spread '[.personas[] | select((.profile.occupation_detail | type) == "object" and (.profile.likes | length) > 0 and (.demographics.language | length) > 0)] | length')" 100
# the people made are the ones the plan asked for, and the listing's filters find them by the plan's values
plan_quantity() { jq -r --arg c "$1" '[.plan.groups[] | select(.traits.country == $c) | .quantity] | add' <<<"$GENERATE"; }
BR_PLANNED=$(plan_quantity Brazil)
as "$OWNER" GET '/api/personas?type=generated&country=Brazil'
check "country=Brazil finds the $BR_PLANNED Brazilians the plan asked for (got $(jq .total <<<"$BODY"))" jq_eq .total "$BR_PLANNED"
as "$OWNER" GET '/api/personas?type=generated&country=India'
check "country=India finds the $(plan_quantity India) Indians the plan asked for" jq_eq .total "$(plan_quantity India)"
gender_total=0
for g in $(jq -r '.plan.dimensions[] | select(.name == "gender") | .values[].value' <<<"$GENERATE"); do
    as "$OWNER" GET "/api/personas?type=generated&limit=1&gender=$g"
    gender_total=$((gender_total + $(jq .total <<<"$BODY")))
done
check "the plan's gender values find all 100 personas (got $gender_total)" eq "$gender_total" 100

# =====================================================================================
# Validate
# =====================================================================================
V1=$(jq -r '.personas[0]' <<<"$GENERATE")
as "$OWNER" POST "/api/personas/$V1/validate"
check "validate (no body): 200" eq "$STATUS" 200
check "... a score from 0 to 1" jq_eq '(.score | type) == "number" and .score >= 0 and .score <= 1' true
check "... its reasons" jq_eq '(.reasons | type) == "string" and (.reasons | length) > 0' true
check "... the default 3 rounds at most" jq_eq '.rounds >= 1 and .rounds <= 3' true
check "... the offline model" jq_eq .model crowdelic-offline
check "... an interview: questions and answers" jq_eq '(.interview | length) > 0 and ([.interview[] | (.speaker | length) > 0 and (.text | length) > 0] | all)' true
check "... one question and one answer a round but the last" jq_eq '(.interview | length) == 2 * (.rounds - 1)' true
check "... the interviewer asks, the persona answers" jq_eq '[.interview | to_entries[] | select(.key % 2 == 0) | .value.speaker] | unique | length == 1' true
check "... a time" jq_eq '.validated_at | test("^20[0-9]{2}-")' true
check "... usage" jq_eq '.usage.calls >= 1' true
SCORE=$(jq .score <<<"$BODY")
REASONS=$(jq -r .reasons <<<"$BODY")
VALIDATE1=$(jq -c '{score, reasons, interview}' <<<"$BODY")
as "$OWNER" GET "/api/personas/$V1"
check "the persona shows its validation: the score" jq_eq .validation.score "$SCORE"
check "... the reasons" jq_eq .validation.reasons "$REASONS"
check "... validated_at" jq_eq '.validation.validated_at | test("^20[0-9]{2}-")' true
as "$OWNER" POST "/api/personas/$V1/validate"
check "validating it again asks the same and says the same" eq "$(jq -c '{score, reasons, interview}' <<<"$BODY")" "$VALIDATE1"
post "$OWNER" "/api/personas/$V1/validate" '{"rounds":2,"expectations":"a realistic adult"}'
check "validate with rounds 2 and expectations: 200" eq "$STATUS" 200
check "... at most 2 rounds" jq_eq '.rounds <= 2' true
as "$OWNER" GET "/api/personas?type=generated&sort=validation_score&limit=1"
check "the validated persona sorts first by validation_score" jq_eq '.personas[0].id' "$V1"
for r in 1 11 '"3"'; do
    post "$OWNER" "/api/personas/$V1/validate" "{\"rounds\":$r}"
    check "validate with rounds $r: 400 naming rounds" err_is invalid_request rounds
done
post "$OWNER" "/api/personas/$V1/validate" "{\"expectations\":\"$(printf 'e%.0s' $(seq 1 2001))\"}"
check "validate with expectations of 2001 characters: 400 naming expectations" err_is invalid_request expectations
post "$OWNER" "/api/personas/$V1/validate" '{"colour":1}'
check "validate with an unknown field: 400 naming it" err_is invalid_request colour
as "$OWNER" POST "/api/personas/$NO_SUCH/validate"
check "validate an unknown persona: 404" eq "$STATUS" 404
as "$OWNER" POST /api/personas/not-a-uuid/validate
check "validate a malformed id: 404" eq "$STATUS" 404
as "$OTHER" POST "/api/personas/$V1/validate"
check "validate another workspace's persona: 404" eq "$STATUS" 404
V2=$(jq -r '.personas[1]' <<<"$GENERATE")
as "$OWNER" GET "/api/personas/$V2"
check "a persona never validated has validation null" jq_eq .validation null

# =====================================================================================
# Interview (offline), in Portuguese
# =====================================================================================
TID=$(curl -s -H "Authorization: Bearer $OWNER" "$BASE/api/personas/templates" |
    jq -r '[.templates[] | select(.demographics.language == "pt-BR" and (.demographics.location | test("Brazil$")))][0].id')
post "$OWNER" /api/personas "{\"template_id\":\"$TID\"}"
check "a Brazilian template persona ($TID): 201" eq "$STATUS" 201
check "... speaking pt-BR" jq_eq .demographics.language pt-BR
P=$(jq -r .id <<<"$BODY")
OCCUPATION=$(jq -r .demographics.occupation <<<"$BODY")
ORGANIZATION=$(jq -r .profile.occupation_detail.organization <<<"$BODY")
JOB_TEXT=$(jq -r '[.demographics.occupation, .profile.occupation_detail.organization, .profile.occupation_detail.description] | join(" ")' <<<"$BODY")
CITY=$(jq -r '.demographics.location | split(",")[0]' <<<"$BODY")
mapfile -t LEISURE < <(jq -r '(.personality.interests + .profile.likes)[]' <<<"$BODY")

# words TEXT: the lower-case words of TEXT, one a line
words() { jq -rn --arg t "$1" '$t | ascii_downcase | gsub("[^\\p{L}\\p{N}]+"; " ") | split(" ")[] | select(. != "")'; }
lower() { jq -rn --arg t "$1" '$t | ascii_downcase'; }
PT_WORDS="que e de eu o a os as um uma não em você meu minha com para por do da no na é mas muito isso
    onde moro sou tenho gosto quando como mais se ao pelo pela também já foi está bem sim oi olá hoje lá aqui aí me ou"
EN_WORDS="the and with my is you what of to in it that this was have i your are for"
# portuguese TEXT: common Portuguese words (2 at least; 3 in more than 8 words) and no
# common English one
portuguese() {
    local w n=0 x
    w=$(words "$1")
    for x in $PT_WORDS; do grep -qxF -- "$x" <<<"$w" && n=$((n + 1)); done
    for x in $EN_WORDS; do
        if grep -qxF -- "$x" <<<"$w"; then
            echo "#   English word '$x' in: ${1:0:200}"
            return 1
        fi
    done
    if [ "$(wc -l <<<"$w")" -gt 8 ]; then
        [ "$n" -ge 3 ]
    else
        [ "$n" -ge 2 ]
    fi || { echo "#   too few Portuguese words ($n) in: ${1:0:200}"; return 1; }
}
# names TEXT NEEDLE...: TEXT holds one of the NEEDLEs (ignoring case)
names() {
    local t n
    t=$(lower "$1")
    shift
    for n in "$@"; do [ -n "$n" ] && contains "$t" "$(lower "$n")" && return 0; done
    return 1
}
# recalls TEXT: TEXT says it refers back to something said before ("como eu disse", "você
# perguntou antes", "lembro"...; "antes" but not "antes de ...", which is "before ...")
RECALL='como (eu )?(já )?(te )?(tinha )?(disse|dito|falei|falado|contei|contado|comentei|mencionei)|tinha dito'
RECALL+='|(eu|te|já) (disse|falei|contei)|mencionei|comentei|lembro|(me|você) perguntou|voltando ao que'
RECALL+='|\bantes\b(?! d[eoa]s?\b)'
recalls() { jq -en --arg t "$1" --arg r "$RECALL" '$t | test($r; "i")' >/dev/null; }
no_recall() { ! recalls "$1"; }
# job_word TEXT QUESTION: TEXT holds a word (5+ letters) of the persona's job that QUESTION does not
job_word() {
    local t q x
    t=$(words "$1")
    q=$(words "$2")
    for x in $(words "$JOB_TEXT" | awk 'length($0) >= 5' | sort -u); do
        grep -qxF -- "$x" <<<"$q" && continue
        grep -qxF -- "$x" <<<"$t" && return 0
    done
    return 1
}

MSGS=("Olá! O que você faz no seu trabalho?" "E onde você mora?" "Do que você mais gosta de fazer no tempo livre?"
    "Você lembra o que me contou sobre o seu trabalho?" "E sobre a cidade onde você mora, o que mudaria?")
ANSWERS=()
CID=""
for i in "${!MSGS[@]}"; do
    post "$OWNER" "/api/personas/$P/chat" "$(jq -nc --arg m "${MSGS[$i]}" --arg c "$CID" '{message: $m} + (if $c != "" then {conversation_id: $c} else {} end)')"
    n=$((i + 1))
    if [ "$n" = 1 ]; then
        check "message 1: 201, a new conversation" eq "$STATUS" 201
        check "... new_conversation true" jq_eq .new_conversation true
        CID=$(jq -r .conversation_id <<<"$BODY")
        check "... a conversation id" matches "$CID" '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
    else
        check "message $n: 200 in the same conversation" eq "$STATUS" 200
        check "... the same conversation_id" jq_eq .conversation_id "$CID"
        check "... new_conversation false" jq_eq .new_conversation false
    fi
    check "... the question as sent, seq $((2 * n - 1))" jq_eq '[.question.seq, .question.role, .question.content] | map(tostring) | join("|")' "$((2 * n - 1))|user|${MSGS[$i]}"
    check "... the answer: seq $((2 * n)), the persona, the offline model" jq_eq '[.answer.seq, .answer.role, .answer.model] | map(tostring) | join("|")' "$((2 * n))|persona|crowdelic-offline"
    ANSWERS[i]=$(jq -r .answer.content <<<"$BODY")
    check "... answer $n is in Portuguese" portuguese "${ANSWERS[$i]}"
done
echo "# the answers:"
printf '#   %s\n' "${ANSWERS[@]}"
check "the job answer names the occupation or the organization" names "${ANSWERS[0]}" "$OCCUPATION" "$ORGANIZATION"
check "the where-do-you-live answer names the city ($CITY)" names "${ANSWERS[1]}" "$CITY"
check "the free-time answer is not the job answer again" ne "${ANSWERS[2]}" "${ANSWERS[0]}"
check "the free-time answer names one of its interests or likes" names "${ANSWERS[2]}" "${LEISURE[@]}"
for i in 0 1 2; do
    check "answer $((i + 1)), to a new question, does not claim to repeat itself" no_recall "${ANSWERS[$i]}"
done
check "answer 4 recalls the job it told (its occupation or organization)" names "${ANSWERS[3]}" "$OCCUPATION" "$ORGANIZATION"
check "... a word of its job that the question does not hold" job_word "${ANSWERS[3]}" "${MSGS[3]}"
check "answer 4 says it is recalling" recalls "${ANSWERS[3]}"
check "answer 5 recalls where it lives (the city)" names "${ANSWERS[4]}" "$CITY"
check "answer 5 says it is recalling" recalls "${ANSWERS[4]}"

# the same conversation, streamed
SSE=$TMP_ROOT/chat.sse
SSE_MSG="E o que você acha do transporte público aí?"
curl -s -N --max-time 20 -D "$TMP_ROOT/sse.headers" -o "$SSE" -X POST "$BASE/api/personas/$P/chat" \
    -H "Authorization: Bearer $OWNER" "${JSON[@]}" -H 'Accept: text/event-stream' \
    -d "$(jq -nc --arg m "$SSE_MSG" --arg c "$CID" '{message: $m, conversation_id: $c}')"
check "streamed: text/event-stream" grep -qi '^content-type: text/event-stream' "$TMP_ROOT/sse.headers"
# the events as "name<TAB>data", one a line
events() { awk '/^event: / {ev = substr($0, 8)} /^data: / {print ev "\t" substr($0, 7)}' "$SSE" | tr -d '\r'; }
ORDER=$(events | cut -f1 | uniq | tr '\n' ' ')
check "streamed: conversation, delta..., message in that order ($ORDER)" eq "$ORDER" "conversation delta message "
check "streamed: several deltas" ge "$(events | grep -c '^delta')" 2
check "streamed: the conversation event names it, not new" eq "$(events | grep '^conversation' | cut -f2 | jq -r '[.conversation_id, .new] | map(tostring) | join(" ")')" "$CID false"
STREAMED=$(events | grep '^message' | cut -f2)
DELTAS=$(events | grep '^delta' | cut -f2 | jq -rj .text)
check "streamed: the deltas joined are the answer" eq "$DELTAS" "$(jq -r .answer.content <<<"$STREAMED")"
check "streamed: the message is the exchange (seq 11 and 12)" eq "$(jq -r '[.conversation_id, .question.seq, .answer.seq, .question.content] | map(tostring) | join("|")' <<<"$STREAMED")" "$CID|11|12|$SSE_MSG"
check "streamed: the answer is in Portuguese" portuguese "$(jq -r .answer.content <<<"$STREAMED")"
check "streamed: event ids count up" eq "$(grep '^id: ' "$SSE" | tr -d '\r' | cut -c5- | tr '\n' ' ')" "$(seq 1 "$(grep -c '^id: ' "$SSE")" | tr '\n' ' ')"

as "$OWNER" GET "/api/personas/$P/conversations"
check "conversations: 200" eq "$STATUS" 200
check "... the one conversation" jq_eq '[.total, (.conversations | length), .conversations[0].id] | map(tostring) | join(" ")' "1 1 $CID"
check "... 12 messages after 6 exchanges" jq_eq '.conversations[0].message_count' 12
check "... titled by its first message" jq_eq '.conversations[0].title' "${MSGS[0]}"
check "... its persona" jq_eq '.conversations[0].persona_id' "$P"
check "... without its messages" jq_eq '.conversations[0] | has("messages")' false
as "$OWNER" GET "/api/personas/$P/conversations/$CID"
check "one conversation: 200" eq "$STATUS" 200
check "... 12 messages" jq_eq '.messages | length' 12
check "... in order" jq_eq '[.messages[].seq] == [range(1; 13)]' true
check "... user and persona alternating" jq_eq '[.messages[].role] == ([range(6)] | map("user", "persona"))' true
check "... the questions as sent" eq "$(jq -c '[.messages[] | select(.role == "user") | .content]' <<<"$BODY")" \
    "$(jq -nc --arg s "$SSE_MSG" '$ARGS.positional + [$s]' --args "${MSGS[@]}")"
check "... the answers as given" eq "$(jq -c '[.messages[] | select(.role == "persona") | .content][0:5]' <<<"$BODY")" \
    "$(jq -nc '$ARGS.positional' --args "${ANSWERS[@]}")"
check "... each answer names its model" jq_eq '[.messages[] | select(.role == "persona") | .model] | unique | join(",")' crowdelic-offline

# bad input: each refused, nothing stored
chat_refused() { # NAME STATUS FIELD BODY [PERSONA [TOKEN]]
    post "${6:-$OWNER}" "/api/personas/${5:-$P}/chat" "$4"
    check "chat with $1: $2" eq "$STATUS" "$2"
    [ -n "$3" ] && check "... naming $3" jq_eq .error.field "$3"
}
chat_refused "an empty message" 400 message '{"message":""}'
chat_refused "a blank message" 400 message "{\"message\":\"   \",\"conversation_id\":\"$CID\"}"
chat_refused "no message" 400 message "{\"conversation_id\":\"$CID\"}"
chat_refused "a message of 4001 characters" 400 message "{\"message\":\"$(printf 'm%.0s' $(seq 1 4001))\",\"conversation_id\":\"$CID\"}"
chat_refused "a number as message" 400 message '{"message":5}'
chat_refused "an unknown field" 400 mood '{"message":"Oi","mood":"happy"}'
chat_refused "an unknown conversation_id" 404 conversation_id "{\"message\":\"Oi\",\"conversation_id\":\"$NO_SUCH\"}"
chat_refused "a malformed conversation_id" 404 conversation_id '{"message":"Oi","conversation_id":"not-a-uuid"}'
post "$OWNER" /api/personas "{\"template_id\":\"$(curl -s -H "Authorization: Bearer $OWNER" "$BASE/api/personas/templates" | jq -r '.templates[-1].id')\"}"
P2=$(jq -r .id <<<"$BODY")
chat_refused "another persona's conversation" 404 conversation_id "{\"message\":\"Oi\",\"conversation_id\":\"$CID\"}" "$P2"
chat_refused "an unknown persona" 404 "" '{"message":"Oi"}' "$NO_SUCH"
chat_refused "another workspace's persona" 404 "" '{"message":"Oi"}' "$P" "$OTHER"
chat_refused "another workspace, its conversation" 404 "" "{\"message\":\"Oi\",\"conversation_id\":\"$CID\"}" "$P" "$OTHER"
as "$OWNER" POST "/api/personas/$P/chat" -H 'Content-Type: text/plain' -d '{"message":"Oi"}'
check "chat with text/plain: 415" eq "$STATUS" 415
as "$OWNER" POST "/api/personas/$P/chat" "${JSON[@]}" -d '{"message":'
check "chat with broken JSON: 400 malformed_json" jq_eq .error.code malformed_json
curl -s -N --max-time 20 -o "$SSE" -X POST "$BASE/api/personas/$P/chat" -H "Authorization: Bearer $OWNER" "${JSON[@]}" \
    -H 'Accept: text/event-stream' -d "{\"message\":\"Oi\",\"conversation_id\":\"$NO_SUCH\"}"
check "streamed, an unknown conversation: one error event, not_found" eq "$(events | cut -f1 | tr '\n' ' ')$(events | cut -f2 | jq -r .error.code)" "error not_found"
as "$OTHER" GET "/api/personas/$P/conversations"
check "another workspace: the conversations are 404" eq "$STATUS" 404
as "$OTHER" GET "/api/personas/$P/conversations/$CID"
check "another workspace: the conversation is 404" eq "$STATUS" 404
as "$OTHER" DELETE "/api/personas/$P/conversations/$CID"
check "another workspace: deleting it is 404" eq "$STATUS" 404
as "$OWNER" GET "/api/personas/$P2/conversations/$CID"
check "the conversation under another persona is 404" eq "$STATUS" 404
as "$OWNER" GET "/api/personas/$P/conversations"
check "the refusals stored nothing: one conversation of 12" jq_eq '[.total, .conversations[0].message_count] | map(tostring) | join(" ")' "1 12"
as "$OWNER" GET "/api/personas/$P2/conversations"
check "... and the other persona has none" jq_eq .total 0

as "$OWNER" DELETE "/api/personas/$P/conversations/$CID"
check "delete the conversation: 204" eq "$STATUS" 204
as "$OWNER" GET "/api/personas/$P/conversations/$CID"
check "... then it is 404" eq "$STATUS" 404
as "$OWNER" DELETE "/api/personas/$P/conversations/$CID"
check "... deleting it again is 404" eq "$STATUS" 404
as "$OWNER" GET "/api/personas/$P/conversations"
check "... and the persona has none" jq_eq .total 0
post "$OWNER" "/api/personas/$P/chat" "{\"message\":\"Oi de novo\",\"conversation_id\":\"$CID\"}"
check "... and it cannot be continued: 404 naming conversation_id" err_is not_found conversation_id

# =====================================================================================
# The plan's room, checked before any model call
# =====================================================================================
set_plan "$WS" individual
as "$OWNER" GET '/api/personas?type=generated&sort=%2Bcreated_at&limit=200'
HAVE=$(sql "SELECT COUNT(*) FROM personas WHERE workspace_id = '$WS'")
for id in $(jq -r '.personas[].id' <<<"$BODY" | tail -n "$((HAVE - 95))"); do
    as "$OWNER" DELETE "/api/personas/$id"
done
as "$OWNER" GET /api/usage
check "individual: 95 personas of 100" jq_eq '[.personas.used, .personas.limit] | map(tostring) | join(" ")' "95 100"
CALLS_BEFORE=$(llm_calls)
post "$OWNER" /api/personas/generate "$(jq -nc --arg d "$DESCRIPTION" '{description: $d, count: 10, seed: 12}')"
check "generate 10 with room for 5: 422" eq "$STATUS" 422
check "... plan_limit naming max_personas" err_is plan_limit max_personas
check "... naming the individual plan" jq_eq '.error.message | test("individual")' true
check "... no model call was made" eq "$(llm_calls)" "$CALLS_BEFORE"
as "$OWNER" GET /api/personas
check "... no persona was added" jq_eq .total 95
post "$OWNER" /api/personas/generate "$(jq -nc --arg d "$DESCRIPTION" '{description: $d, count: 5, seed: 12}')"
check "generate the 5 that fit: 201" eq "$STATUS" 201
check "... 5 personas" jq_eq '.personas | length' 5
as "$OWNER" GET /api/personas
check "... 100 now" jq_eq .total 100
post "$OWNER" /api/personas/generate '{"description":"adults in Portugal","count":1}'
check "then even 1 more is 422" eq "$STATUS" 422
set_plan "$WS" free
post "$OWNER" /api/personas/generate '{"description":"adults in Portugal","count":1}'
check "generate on free: 403 naming custom_personas" err_is forbidden custom_personas
stop_server

# =====================================================================================
# Through a real model endpoint: crowdelic llm-serve
# =====================================================================================
KEY=sk-persona-model-test
start_llm --api-key "$KEY" || { finish; exit 1; }
LLM_BASE=$BASE
LLM_PID=$SRV_PID
LLM_SRV_DIR=$SRV_DIR
SRV_PID=""
trap '[ -n "$LLM_PID" ] && kill -KILL "$LLM_PID" 2>/dev/null; on_exit' EXIT
# the model's own requests (chat completions) llm-serve has answered
llm_chats() { curl -s "$LLM_BASE/stats" | jq '.by_route.chat + .by_route.chat_stream'; }
start_server "CROWDELIC_LLM_BASE_URL=$LLM_BASE/v1" "OPENAI_API_KEY=$KEY" CROWDELIC_LLM_MODEL=gpt-test || { finish; exit 1; }
register remote@model-e2e.example
REMOTE=$TOKEN
unquota
set_plan "$(jq -r .workspace.id <<<"$BODY")" business
check "llm-serve: no calls yet" eq "$(llm_chats)" 0

post "$REMOTE" /api/personas/generate '{"description":"adults in Portugal and Brazil, ages 20 to 60","count":5,"seed":3}'
check "remote: generate 5: 201" eq "$STATUS" 201
check "... 5 personas" jq_eq '[(.personas | length), .stats.made] | map(tostring) | join(" ")' "5 5"
check "... usage counts the calls" jq_eq '.usage.calls >= 7' true
GEN_CALLS=$(jq '.usage.calls - .usage.cache_hits' <<<"$BODY")
check "llm-serve counted the generate's calls ($GEN_CALLS)" eq "$(llm_chats)" "$GEN_CALLS"
R1=$(jq -r '.personas[0]' <<<"$BODY")
as "$REMOTE" GET "/api/personas?type=generated"
check "... listed" jq_eq .total 5

before=$(llm_chats)
as "$REMOTE" POST "/api/personas/$R1/validate"
check "remote: validate: 200" eq "$STATUS" 200
check "... names the configured model" jq_eq .model gpt-test
check "... a score from 0 to 1" jq_eq '.score >= 0 and .score <= 1' true
VAL_CALLS=$(jq '.usage.calls - .usage.cache_hits' <<<"$BODY")
check "... usage counts its calls" ge "$VAL_CALLS" 2
check "llm-serve counted the validate's calls ($VAL_CALLS)" eq "$(llm_chats)" "$((before + VAL_CALLS))"
as "$REMOTE" GET "/api/personas/$R1"
check "... the verdict is kept" jq_eq '.validation.score >= 0' true

before=$(llm_chats)
post "$REMOTE" "/api/personas/$R1/chat" '{"message":"Olá! Onde você mora?"}'
check "remote: chat: 201" eq "$STATUS" 201
check "... the answer names the configured model" jq_eq .answer.model gpt-test
check "... an answer" jq_eq '.answer.content | length > 0' true
check "llm-serve counted the chat's call" eq "$(llm_chats)" "$((before + 1))"
check "llm-serve answered every call with 200" eq "$(curl -s "$LLM_BASE/stats" | jq '.by_status | keys | join(",")')" '"200"'
req GET /metrics
check "the server's metrics name the configured model" grep -q '^llm_calls_total{provider="openai",model="gpt-test",outcome="ok"}' <<<"$BODY"
stop_server

kill -TERM "$LLM_PID" 2>/dev/null
wait "$LLM_PID"
check "llm-serve exits 0" eq "$?" 0
LLM_PID=""
check "llm-serve: no sanitizer report" bash -c "! grep -qE 'AddressSanitizer|LeakSanitizer|runtime error' '$LLM_SRV_DIR/stderr'"

finish
