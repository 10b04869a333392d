#!/usr/bin/env bash
# tests/e2e/test_personas.sh - a workspace's personas against the real
# server: the template catalogue; the free plan (templates only, tags on
# every plan, max_personas, usage); parallel creates that must never pass
# the plan's limit; custom personas on business (create, get, update,
# delete, every validation rule, refused requests create nothing); listing
# (search, every filter, sort, pages, bad arguments, libraries); another
# workspace sees none of it. Plans are changed with SQL (db_sql) on the
# server's own database, as a billing change would.
. "$(dirname "$0")/lib.sh"

start_server || { finish; exit 1; }

JSON=(-H 'Content-Type: application/json')
DB=$DB_URL
sql() { db_sql "$1" "$DB"; }
# The per-user request quota is test_auth.sh's subject: lifted here.
unquota() { sql "UPDATE users SET api_quota = 1000000"; }
set_plan() { sql "UPDATE workspaces SET plan_type = '$2' WHERE id = '$1'"; }
post() { as "$1" POST "$2" "${JSON[@]}" -d "$3"; }
put() { as "$1" PUT "$2" "${JSON[@]}" -d "$3"; }
# err_is CODE FIELD: the last answer's error code and field
err_is() { jq_eq '[.error.code, .error.field] | join(" ")' "$1 $2"; }
# names_are "A B C": the names' first words of the last page, in order
names_are() { jq_eq '[.personas[].name | split(" ")[0]] | join(" ")' "$1"; }
# the fields a persona has in common with its template, sorted
SPEC='{name, demographics, personality, profile} | tostring'
NO_SUCH=01a00000-0000-7000-8000-000000000000

# --- the template catalogue --------------------------------------------------------------
req GET /api/personas/templates
check "templates need a token" eq "$STATUS" 401
register free@personas-e2e.example
check "free owner signed up" eq "$STATUS" 201
FREE=$TOKEN
FREE_WS=$(jq -r .workspace.id <<<"$BODY")
unquota

as "$FREE" GET /api/personas/templates
check "templates: 200" eq "$STATUS" 200
check "templates: at least 50" jq_eq '(.templates | length) >= 50' true
check "templates: total counts them" jq_eq '.total == (.templates | length)' true
check "templates: each has id, name, demographics, personality, profile, tags" jq_eq \
    '[.templates[] | (.id | type) == "string" and (.name | type) == "string" and (.demographics | type) == "object"
      and (.personality | type) == "object" and (.profile | type) == "object" and (.tags | type) == "array"] | all' true
check "templates: each has an age in range" jq_eq '[.templates[] | .demographics.age >= 18 and .demographics.age <= 100] | all' true
check "templates: ids are unique" jq_eq '(.templates | map(.id) | unique | length) == (.templates | length)' true
TEMPLATES=$BODY
mapfile -t TIDS < <(jq -r '.templates[].id' <<<"$TEMPLATES")
T1=${TIDS[0]}
T1_JSON=$(jq -c --arg id "$T1" '.templates[] | select(.id == $id)' <<<"$TEMPLATES")
as "$FREE" GET "/api/personas/templates/$T1"
check "one template: 200" eq "$STATUS" 200
check "one template: the same as in the catalogue" eq "$(jq -cS . <<<"$BODY")" "$(jq -cS . <<<"$T1_JSON")"
as "$FREE" GET /api/personas/templates/no-such-template
check "an unknown template is 404" eq "$STATUS" 404
check "... not_found" jq_eq .error.code not_found

# --- the free plan ----------------------------------------------------------------------------
post "$FREE" /api/personas "{\"template_id\":\"$T1\"}"
check "a template persona on free: 201" eq "$STATUS" 201
check "... type template" jq_eq .type template
check "... its template_id" jq_eq .template_id "$T1"
check "... the template's fields" eq "$(jq -cS "$SPEC" <<<"$BODY")" "$(jq -cS "$SPEC" <<<"$T1_JSON")"
check "... the template's tags" jq_eq '.tags | tostring' "$(jq -c '.tags | tostring' <<<"$T1_JSON" | jq -r .)"
check "... the workspace" jq_eq .workspace_id "$FREE_WS"
check "... not validated" jq_eq .validation null
FP1=$(jq -r .id <<<"$BODY")
check "... Location names it" eq "$(header Location)" "/api/personas/$FP1"
as "$FREE" GET "/api/personas/$FP1"
check "get it: 200" eq "$STATUS" 200
check "... the same fields" eq "$(jq -cS "$SPEC" <<<"$BODY")" "$(jq -cS "$SPEC" <<<"$T1_JSON")"
post "$FREE" /api/personas "{\"template_id\":\"${TIDS[1]}\",\"type\":\"template\",\"tags\":[\"Mine\",\"  Second \"]}"
check "a template persona with tags of its own: 201" eq "$STATUS" 201
check "... the template's tags, then the caller's, lower-case and trimmed" jq_eq '.tags | tostring' \
    "$(jq -c --arg id "${TIDS[1]}" '.templates[] | select(.id == $id) | .tags + ["mine", "second"] | tostring' <<<"$TEMPLATES" | jq -r .)"
FP2=$(jq -r .id <<<"$BODY")

post "$FREE" /api/personas '{"name":"Custom Carl","demographics":{"age":40}}'
check "a custom persona on free is 403" eq "$STATUS" 403
check "... naming custom_personas" err_is forbidden custom_personas
check "... naming the free plan" jq_eq '.error.message | test("free")' true
post "$FREE" /api/personas/generate '{"description":"adults in Brazil","count":2}'
check "generate on free is 403" eq "$STATUS" 403
check "... naming custom_personas" err_is forbidden custom_personas
put "$FREE" "/api/personas/$FP1" '{"name":"Renamed","demographics":{"age":40}}'
check "changing a persona's fields on free is 403" eq "$STATUS" 403
check "... naming custom_personas" err_is forbidden custom_personas
put "$FREE" "/api/personas/$FP1" '{"tags":["Fav","loyal"]}'
check "changing its tags on free: 200" eq "$STATUS" 200
check "... the new tags, lower-case" jq_eq '.tags | join(",")' fav,loyal
check "... the fields kept" eq "$(jq -cS "$SPEC" <<<"$BODY")" "$(jq -cS "$SPEC" <<<"$T1_JSON")"
as "$FREE" GET "/api/personas/$FP1"
check "... and stored" jq_eq '[(.tags | join(",")), .name] | join("|")' "fav,loyal|$(jq -r .name <<<"$T1_JSON")"
as "$FREE" GET /api/personas
check "free: 2 personas, nothing from the refusals" jq_eq .total 2

for i in $(seq 2 19); do
    post "$FREE" /api/personas "{\"template_id\":\"${TIDS[$i]}\"}"
    [ "$STATUS" = 201 ] || break
done
check "free: personas 3..20 added" eq "$STATUS" 201
as "$FREE" GET /api/usage
check "usage: personas 20 of 20, approaching the limit" jq_eq \
    '[.personas.used, .personas.limit, .personas.approaching_limit] | map(tostring) | join(" ")' "20 20 true"
post "$FREE" /api/personas "{\"template_id\":\"${TIDS[20]}\"}"
check "the 21st persona on free is 422" eq "$STATUS" 422
check "... plan_limit naming max_personas" err_is plan_limit max_personas
check "... naming the free plan" jq_eq '.error.message | test("free")' true
as "$FREE" GET /api/personas
check "... and nothing was added" jq_eq .total 20
as "$FREE" DELETE "/api/personas/$FP2"
check "delete a persona: 204" eq "$STATUS" 204
as "$FREE" GET "/api/personas/$FP2"
check "... then it is 404" eq "$STATUS" 404
as "$FREE" DELETE "/api/personas/$FP2"
check "... and deleting it again is 404" eq "$STATUS" 404
as "$FREE" GET /api/usage
check "usage: 19 of 20" jq_eq .personas.used 19
post "$FREE" /api/personas "{\"template_id\":\"${TIDS[20]}\"}"
check "the place freed is usable: 201" eq "$STATUS" 201
post "$FREE" /api/personas "{\"template_id\":\"${TIDS[21]}\"}"
check "... and then the limit holds again: 422" eq "$STATUS" 422

# --- parallel creates never pass the limit -------------------------------------------------------
register race@personas-e2e.example
RACE=$TOKEN
RACE_WS=$(jq -r .workspace.id <<<"$BODY")
unquota
RACE_DIR=$TMP_ROOT/race
mkdir -p "$RACE_DIR"
RACE_PIDS=()
for i in $(seq 0 29); do
    curl -s -o "$RACE_DIR/body.$i" -w '%{http_code}\n' --max-time 30 -X POST "$BASE/api/personas" \
        -H "Authorization: Bearer $RACE" "${JSON[@]}" \
        -d "{\"template_id\":\"${TIDS[$((i % ${#TIDS[@]}))]}\"}" >"$RACE_DIR/status.$i" &
    RACE_PIDS+=($!)
done
wait "${RACE_PIDS[@]}"
codes=$(cat "$RACE_DIR"/status.* | sort | uniq -c | awk '{print $2 "x" $1}' | tr '\n' ' ')
check "30 parallel creates on free: 20 x 201 and 10 x 422 ($codes)" eq "$codes" "201x20 422x10 "
check "... every refusal is plan_limit on max_personas" eq \
    "$(for f in "$RACE_DIR"/body.*; do jq -r 'select(.error) | .error.field' "$f"; done | sort | uniq -c | awk '{print $1, $2}')" \
    "10 max_personas"
check "... the database holds 20" eq "$(sql "SELECT COUNT(*) FROM personas WHERE workspace_id = '$RACE_WS'")" 20
as "$RACE" GET /api/personas
check "... the list counts 20" jq_eq .total 20

# --- business: custom personas -------------------------------------------------------------------
register owner@personas-e2e.example
check "business owner signed up" eq "$STATUS" 201
OWNER=$TOKEN
WS=$(jq -r .workspace.id <<<"$BODY")
unquota
set_plan "$WS" business

CUSTOM='{"name":"Marta Quintero","type":"custom","tags":["Pilot","pilot","early adopter"],
  "demographics":{"age":36,"gender":"female","location":"Bogotá, Colombia","occupation":"veterinarian",
    "income_level":"upper_middle","nationality":"Colombian","education":"doctor of veterinary medicine","language":"es"},
  "personality":{"traits":["patient","curious"],"interests":["hiking","birds"],"values":["honesty"],
    "big_five":{"openness":"high","conscientiousness":"high","extraversion":"low","agreeableness":"high","neuroticism":"low"}},
  "profile":{"occupation_detail":{"organization":"a small animal clinic in Chapinero","description":"treats cats and dogs"},
    "style":"calm and precise","likes":["strong coffee","early mornings"],"dislikes":["noise"],"skills":["surgery"],
    "relationships":[{"name":"Tomás","description":"her brother"}],"other_facts":["has three rescued cats"]}}'
post "$OWNER" /api/personas "$CUSTOM"
check "a custom persona on business: 201" eq "$STATUS" 201
check "... type custom, no template" jq_eq '[.type, (.template_id | tostring)] | join(" ")' "custom null"
check "... its name" jq_eq .name "Marta Quintero"
check "... its demographics as given" jq_eq '.demographics | [.age, .gender, .location, .occupation, .income_level, .nationality, .language] | map(tostring) | join("|")' \
    "36|female|Bogotá, Colombia|veterinarian|upper_middle|Colombian|es"
check "... its big five" jq_eq '.personality.big_five | [.openness, .extraversion] | join(" ")' "high low"
check "... its profile" jq_eq '[.profile.occupation_detail.organization, .profile.likes[1], .profile.relationships[0].name] | join("|")' \
    "a small animal clinic in Chapinero|early mornings|Tomás"
check "... its tags, lower-case and without duplicates" jq_eq '.tags | join(",")' "pilot,early adopter"
check "... the tiny_troupe_config names it" jq_eq '.tiny_troupe_config.person_id == .id' true
check "... not validated" jq_eq .validation null
C1=$(jq -r .id <<<"$BODY")
C1_CREATED=$(jq -r .created_at <<<"$BODY")
check "... Location names it" eq "$(header Location)" "/api/personas/$C1"
as "$OWNER" GET "/api/personas/$C1"
check "get the custom persona: 200" eq "$STATUS" 200
check "... the same persona" jq_eq '[.id, .name, .demographics.occupation, .profile.other_facts[0]] | join("|")' \
    "$C1|Marta Quintero|veterinarian|has three rescued cats"
C1_GET=$BODY

# a verdict on it (the validator's own path is test_persona_model.sh's subject)
sql "UPDATE personas SET validation_score = 720, validation_reasons = 'consistent', validated_at = 1700000000000 WHERE id = '$C1'"
as "$OWNER" GET "/api/personas/$C1"
check "a stored verdict shows as validation" jq_eq '[.validation.score, .validation.reasons, (.validation.validated_at | test("^20"))] | map(tostring) | join(" ")' "0.72 consistent true"
put "$OWNER" "/api/personas/$C1" '{"tags":["Kept"]}'
check "changing only the tags keeps the verdict" jq_eq '[.validation.score, (.tags | join(","))] | map(tostring) | join(" ")' "0.72 kept"
sleep 0.01
put "$OWNER" "/api/personas/$C1" '{"name":"Marta Q. Ruiz","demographics":{"age":37,"location":"Medellín, Colombia"},"personality":{"traits":["brave"]}}'
check "replace the fields: 200" eq "$STATUS" 200
check "... the new name and age" jq_eq '[.name, .demographics.age, .demographics.location] | map(tostring) | join("|")' "Marta Q. Ruiz|37|Medellín, Colombia"
check "... the fields not given are gone (a whole replacement)" jq_eq '[.demographics.occupation, .profile.likes, .personality.interests] | map(tostring) | join(" ")' "null null null"
check "... the new traits" jq_eq '.personality.traits | join(",")' brave
check "... the tags kept" jq_eq '.tags | join(",")' kept
check "... the validation cleared" jq_eq .validation null
check "... still custom" jq_eq .type custom
check "... created_at kept" jq_eq .created_at "$C1_CREATED"
check "... updated_at moved on" jq_eq ".updated_at > \"$C1_CREATED\"" true
check "... the columns follow: the new age filters" eq "$(sql "SELECT age || ' ' || country FROM personas WHERE id = '$C1'")" "37 Colombia"
# what a GET answered, sent back with one change: the read-only fields are ignored
put "$OWNER" "/api/personas/$C1" "$(jq -c '.name = "Marta Returned" | .id = "x" | .created_at = "y"' <<<"$C1_GET")"
check "a GET's body sent back (read-only fields and all): 200" eq "$STATUS" 200
check "... the name changed" jq_eq .name "Marta Returned"
check "... the id and created_at are not the client's" jq_eq '[.id, .created_at] | join(" ")' "$C1 $C1_CREATED"
check "... the whole spec back" jq_eq '.demographics.occupation' veterinarian
put "$OWNER" "/api/personas/$C1" '{}'
check "a PUT with nothing to change is 400" eq "$STATUS" 400
put "$OWNER" "/api/personas/$C1" '{"name":"X","demographics":{"age":17}}'
check "a PUT with a bad age is 400 naming demographics.age" err_is invalid_request demographics.age
put "$OWNER" "/api/personas/$C1" '{"name":"X","demographics":{"age":30},"mood":"sad"}'
check "a PUT with an unknown field is 400 naming it" err_is invalid_request mood
put "$OWNER" "/api/personas/$C1" '{"template_id":"x"}'
check "a PUT cannot give a template: 400 (or nothing to change)" eq "$STATUS" 400
as "$OWNER" PUT "/api/personas/$C1" -H 'Content-Type: text/plain' -d '{"tags":[]}'
check "a PUT with text/plain is 415" eq "$STATUS" 415
as "$OWNER" GET "/api/personas/$C1"
check "the refused PUTs changed nothing" jq_eq '[.name, .demographics.age] | map(tostring) | join("|")' "Marta Returned|36"
for path in "/api/personas/$NO_SUCH" /api/personas/not-a-uuid; do
    as "$OWNER" GET "$path"
    check "GET $path is 404" eq "$STATUS" 404
    put "$OWNER" "$path" '{"tags":["x"]}'
    check "PUT $path is 404" eq "$STATUS" 404
    as "$OWNER" DELETE "$path"
    check "DELETE $path is 404" eq "$STATUS" 404
done

# --- business: validation on create ---------------------------------------------------------------
as "$OWNER" GET /api/personas
BEFORE=$(jq .total <<<"$BODY")
base='"demographics":{"age":30}'
refuse() { # NAME FIELD BODY: a create refused with 400 naming FIELD
    post "$OWNER" /api/personas "$3"
    check "create with $1: 400" eq "$STATUS" 400
    check "... invalid_request naming $2" err_is invalid_request "$2"
}
refuse "no name" name '{"demographics":{"age":30}}'
refuse "an empty name" name "{\"name\":\"\",$base}"
refuse "age 17" demographics.age '{"name":"A","demographics":{"age":17}}'
refuse "age 101" demographics.age '{"name":"A","demographics":{"age":101}}'
refuse "age \"30\"" demographics.age '{"name":"A","demographics":{"age":"30"}}'
refuse "no age" demographics.age '{"name":"A","demographics":{"gender":"male"}}'
refuse "income_level rich" demographics.income_level '{"name":"A","demographics":{"age":30,"income_level":"rich"}}'
refuse "openness extreme" personality.big_five.openness "{\"name\":\"A\",$base,\"personality\":{\"big_five\":{\"openness\":\"extreme\"}}}"
refuse "an unknown top-level field" colour "{\"name\":\"A\",$base,\"colour\":\"red\"}"
refuse "an unknown demographics field" demographics.colour '{"name":"A","demographics":{"age":30,"colour":"red"}}'
refuse "an unknown profile field" profile.colour "{\"name\":\"A\",$base,\"profile\":{\"colour\":\"red\"}}"
refuse "101 likes" profile.likes "{\"name\":\"A\",$base,\"profile\":{\"likes\":$(jq -nc '[range(101) | "like \(.)"]')}}"
refuse "a name of 201 characters" name "{\"name\":\"$(printf 'n%.0s' $(seq 1 201))\",$base}"
refuse "21 tags" tags "{\"name\":\"A\",$base,\"tags\":$(jq -nc '[range(21) | "t\(.)"]')}"
refuse "a tag of 41 characters" "tags[0]" "{\"name\":\"A\",$base,\"tags\":[\"$(printf 't%.0s' $(seq 1 41))\"]}"
refuse "tags not an array" tags "{\"name\":\"A\",$base,\"tags\":\"x\"}"
refuse "type generated" type "{\"name\":\"A\",$base,\"type\":\"generated\"}"
refuse "template_id and fields" template_id "{\"template_id\":\"$T1\",\"name\":\"A\"}"
as "$OWNER" POST /api/personas "${JSON[@]}" -d '{"name":"A",'
check "malformed JSON: 400" eq "$STATUS" 400
check "... malformed_json" jq_eq .error.code malformed_json
as "$OWNER" POST /api/personas -H 'Content-Type: text/plain' -d "{\"name\":\"A\",$base}"
check "a text/plain body: 415" eq "$STATUS" 415
post "$OWNER" /api/personas '{"template_id":"no-such-template"}'
check "an unknown template_id: 404" eq "$STATUS" 404
check "... naming template_id" err_is not_found template_id
post "$OWNER" /api/personas '[1,2]'
check "a JSON array body: 400" eq "$STATUS" 400
post "$OWNER" /api/personas "{\"name\":\"$(printf 'n%.0s' $(seq 1 200))\",$base,\"tags\":[\"$(printf 't%.0s' $(seq 1 40))\"]}"
check "a name of 200 and a tag of 40 characters are fine" eq "$STATUS" 201
EDGE=$(jq -r .id <<<"$BODY")
as "$OWNER" GET /api/personas
check "nothing was created by the refused requests" jq_eq .total "$((BEFORE + 1))"
as "$OWNER" DELETE "/api/personas/$EDGE"
check "delete the custom persona: 204" eq "$STATUS" 204
as "$OWNER" DELETE "/api/personas/$C1"
check "delete the other: 204" eq "$STATUS" 204
as "$OWNER" GET "/api/personas/$C1"
check "... then it is 404" eq "$STATUS" 404
as "$OWNER" GET /api/personas
check "... and the workspace has none" jq_eq .total 0

# --- listing ---------------------------------------------------------------------------------------
# mk NAME AGE GENDER LOCATION OCCUPATION INCOME NATIONALITY EDUCATION LANGUAGE TAGS(csv)
mk() {
    post "$OWNER" /api/personas "$(jq -nc --arg n "$1" --argjson a "$2" --arg g "$3" --arg l "$4" --arg o "$5" \
        --arg i "$6" --arg nat "$7" --arg e "$8" --arg lang "$9" --arg t "${10}" \
        '{name: $n, demographics: {age: $a, gender: $g, location: $l, occupation: $o, income_level: $i,
          nationality: $nat, education: $e, language: $lang}, personality: {traits: ["friendly"]},
          tags: ($t | split(","))}')"
    [ "$STATUS" = 201 ] && jq -r .id <<<"$BODY"
}
ANA=$(mk "Ana Souza" 25 female "São Paulo, Brazil" "software engineer" middle Brazilian "bachelor's degree in computer science" pt-BR tech,urban)
BRUNO=$(mk "Bruno Lima" 42 male "Rio de Janeiro, Brazil" "school teacher" lower_middle Brazilian "master's degree in education" pt-BR education,urban)
CARLA=$(mk "Carla Mendes" 67 female "Lisbon, Portugal" "retired nurse" low Portuguese "nursing diploma" pt-PT health,senior)
DAVID=$(mk "David Smith" 35 male "Austin, United States" "product manager" upper_middle American "MBA" en-US tech)
EMILY=$(mk "Emily Johnson" 19 female "Boston, United States" "university student" low American "high school" en-US student,urban)
FARID=$(mk "Farid Khan" 55 male "Mumbai, India" "bank manager" high Indian "bachelor's degree in commerce" hi finance)
GABI=$(mk "Gabriela Rocha" 31 non-binary "Porto, Portugal" "graphic designer" middle Portuguese "bachelor's degree in design" pt-PT creative,urban)
HIRO=$(mk "Hiro Tanaka" 80 male "Osaka, Japan" "retired engineer" upper_middle Japanese "doctorate in engineering" ja senior,tech)
check "eight custom personas created" eq "$(printf '%s\n' "$ANA" "$BRUNO" "$CARLA" "$DAVID" "$EMILY" "$FARID" "$GABI" "$HIRO" | grep -c .)" 8
post "$OWNER" /api/personas "{\"template_id\":\"$T1\"}"
check "and one template persona" eq "$STATUS" 201
TPL=$(jq -r .id <<<"$BODY")
TPL_NAME=$(jq -r .name <<<"$BODY")

as "$OWNER" GET /api/personas
check "list: 200" eq "$STATUS" 200
check "list: all 9" jq_eq .total 9
check "list: the default page" jq_eq '[.limit, .offset] | map(tostring) | join(" ")' "50 0"
check "list: newest first by default" jq_eq '[.personas[].id] | join(" ")' "$TPL $HIRO $GABI $FARID $EMILY $DAVID $CARLA $BRUNO $ANA"
check "list: each in full" jq_eq '[.personas[] | has("demographics") and has("tags") and has("workspace_id")] | all' true

# lq QUERY EXPECTED_NAMES: the custom personas' first names a query lists, sorted by name
lq() {
    as "$OWNER" GET "/api/personas?type=custom&sort=name&$1"
    check "q/filter $1 -> ${2:-none}" names_are "$2"
}
lq "q=engineer" "Ana Hiro"
lq "q=Software%20ENGINEER" "Ana"
lq "q=%20%20retired%20%20lisbon%20" "Carla"
lq "q=urban%20tech" "Ana"
lq "q=friendly" "Ana Bruno Carla David Emily Farid Gabriela Hiro"
lq "q=nobody-has-this" ""
lq "age_min=40" "Bruno Carla Farid Hiro"
lq "age_max=30" "Ana Emily"
lq "age_min=30&age_max=45" "Bruno David Gabriela"
lq "age_min=67&age_max=67" "Carla"
lq "gender=FEMALE" "Ana Carla Emily"
lq "gender=non-binary" "Gabriela"
lq "gender=fem" ""
lq "country=brazil" "Ana Bruno"
lq "country=United%20States" "David Emily"
lq "country=Brazi" ""
lq "location=PORT" "Carla Gabriela"
lq "location=paulo" "Ana"
lq "occupation=retired" "Carla Hiro"
lq "occupation=ENGINEER" "Ana Hiro"
lq "income_level=low" "Carla Emily"
lq "income_level=UPPER_MIDDLE" "David Hiro"
lq "nationality=portuguese" "Carla Gabriela"
lq "nationality=Portug" ""
lq "education=bachelor" "Ana Farid Gabriela"
lq "language=pt-br" "Ana Bruno"
lq "language=pt" ""
lq "tag=urban" "Ana Bruno Emily Gabriela"
lq "tag=URBAN,tech" "Ana"
lq "tag=senior,tech" "Hiro"
lq "tag=urban,senior" ""
lq "gender=male&country=india" "Farid"
lq "q=retired&tag=senior&age_min=70" "Hiro"
as "$OWNER" GET "/api/personas?type=template"
check "type=template: the template persona only" jq_eq '[.personas[].id] | join(" ")' "$TPL"
as "$OWNER" GET "/api/personas?type=CUSTOM"
check "type=CUSTOM: the 8 custom ones" jq_eq .total 8
as "$OWNER" GET "/api/personas?type=generated"
check "type=generated: none" jq_eq .total 0
as "$OWNER" GET "/api/personas?q=$(jq -rn --arg n "$TPL_NAME" '$n | split(" ")[0] | @uri')"
check "q finds the template persona by its name" jq_eq '[.personas[].id] | index("'"$TPL"'") != null' true

# sort
as "$OWNER" GET "/api/personas?type=custom&sort=name"
check "sort=name: A-Z" names_are "Ana Bruno Carla David Emily Farid Gabriela Hiro"
as "$OWNER" GET "/api/personas?type=custom&sort=-name"
check "sort=-name: Z-A" names_are "Hiro Gabriela Farid Emily David Carla Bruno Ana"
as "$OWNER" GET "/api/personas?type=custom&sort=age"
check "sort=age: oldest first" names_are "Hiro Carla Farid Bruno David Gabriela Ana Emily"
as "$OWNER" GET "/api/personas?type=custom&sort=-age"
check "sort=-age: oldest first" names_are "Hiro Carla Farid Bruno David Gabriela Ana Emily"
as "$OWNER" GET "/api/personas?type=custom&sort=%2Bage"
check "sort=+age: youngest first" names_are "Emily Ana Gabriela David Bruno Farid Carla Hiro"
as "$OWNER" GET "/api/personas?type=custom&sort=created_at"
check "sort=created_at: newest first" names_are "Hiro Gabriela Farid Emily David Carla Bruno Ana"
as "$OWNER" GET "/api/personas?type=custom&sort=%2Bcreated_at"
check "sort=+created_at: oldest first" names_are "Ana Bruno Carla David Emily Farid Gabriela Hiro"
sql "UPDATE personas SET validation_score = 910, validated_at = 1700000000000 WHERE id = '$EMILY';
     UPDATE personas SET validation_score = 450, validated_at = 1700000000000 WHERE id = '$BRUNO';
     UPDATE personas SET validation_score = 780, validated_at = 1700000000000 WHERE id = '$GABI'"
as "$OWNER" GET "/api/personas?type=custom&sort=validation_score&limit=4"
check "sort=validation_score: highest first" names_are "Emily Gabriela Bruno Hiro"
check "... the scores" jq_eq '[.personas[].validation.score] | map(tostring) | join(" ")' "0.91 0.78 0.45 null"
as "$OWNER" GET "/api/personas?type=custom&sort=%2Bvalidation_score&limit=4"
check "sort=+validation_score: lowest first, the unvalidated after" names_are "Bruno Gabriela Emily Ana"

# pages
as "$OWNER" GET "/api/personas?type=custom&sort=name&limit=3"
check "limit=3: the first 3" names_are "Ana Bruno Carla"
check "... the total counts all 8" jq_eq '[.total, .limit, .offset] | map(tostring) | join(" ")' "8 3 0"
as "$OWNER" GET "/api/personas?type=custom&sort=name&limit=3&offset=3"
check "offset=3: the next 3" names_are "David Emily Farid"
as "$OWNER" GET "/api/personas?type=custom&sort=name&limit=3&offset=6"
check "offset=6: the last 2" names_are "Gabriela Hiro"
as "$OWNER" GET "/api/personas?type=custom&offset=50"
check "past the end: empty, total still 8" jq_eq '[(.personas | length), .total] | map(tostring) | join(" ")' "0 8"
as "$OWNER" GET "/api/personas?limit=200"
check "limit=200 is allowed" jq_eq .limit 200

for q in sort=bad sort=-bad age_min=5 age_max=101 age_min=x income_level=rich limit=0 limit=201 limit=x offset=-1 type=robot; do
    as "$OWNER" GET "/api/personas?$q"
    check "list with $q: 400 naming ${q%%=*}" err_is invalid_request "${q%%=*}"
done
as "$OWNER" GET "/api/personas?age_min=60&age_max=30"
check "age_min above age_max: 400" eq "$STATUS" 400

# libraries
as "$OWNER" GET "/api/personas?library_id=$NO_SUCH"
check "library_id of an unknown library: 404" eq "$STATUS" 404
check "... naming library_id" err_is not_found library_id
post "$OWNER" /api/libraries '{"name":"Iberians"}'
check "a library: 201" eq "$STATUS" 201
LIB=$(jq -r .id <<<"$BODY")
post "$OWNER" "/api/libraries/$LIB/personas" "{\"persona_ids\":[\"$CARLA\",\"$GABI\"]}"
check "two personas added to it" eq "$STATUS" 200
as "$OWNER" GET "/api/personas?library_id=$LIB&sort=name"
check "library_id lists its members" names_are "Carla Gabriela"
as "$OWNER" GET "/api/personas?library_id=$LIB&age_min=60"
check "... combined with a filter" names_are "Carla"

# --- another workspace sees none of it ------------------------------------------------------------
register other@personas-e2e.example
OTHER=$TOKEN
OTHER_WS=$(jq -r .workspace.id <<<"$BODY")
unquota
set_plan "$OTHER_WS" business
as "$OWNER" GET "/api/personas/$ANA"
ANA_BEFORE=$(jq -cS . <<<"$BODY")
as "$OTHER" GET /api/personas
check "another workspace: an empty list" jq_eq '[(.personas | length), .total] | map(tostring) | join(" ")' "0 0"
as "$OTHER" GET "/api/personas?q=engineer"
check "... a search finds nothing" jq_eq .total 0
as "$OTHER" GET "/api/personas/$ANA"
check "... GET of the first's persona: 404" eq "$STATUS" 404
check "... not_found, as for one that does not exist" jq_eq .error.code not_found
put "$OTHER" "/api/personas/$ANA" '{"name":"Stolen","demographics":{"age":50}}'
check "... PUT of its fields: 404" eq "$STATUS" 404
put "$OTHER" "/api/personas/$ANA" '{"tags":["stolen"]}'
check "... PUT of its tags: 404" eq "$STATUS" 404
as "$OTHER" DELETE "/api/personas/$ANA"
check "... DELETE: 404" eq "$STATUS" 404
as "$OTHER" GET "/api/personas?library_id=$LIB"
check "... the first's library: 404" eq "$STATUS" 404
as "$OWNER" GET "/api/personas/$ANA"
check "the first's persona is unchanged" eq "$(jq -cS . <<<"$BODY")" "$ANA_BEFORE"
as "$OWNER" GET /api/personas
check "the first workspace still has its 9" jq_eq .total 9
req GET /api/personas
check "the list needs a token" eq "$STATUS" 401
req GET "/api/personas/$ANA"
check "a persona needs a token" eq "$STATUS" 401

finish
