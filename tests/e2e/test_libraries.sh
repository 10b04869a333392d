#!/usr/bin/env bash
# tests/e2e/test_libraries.sh - persona libraries against the real server:
# CRUD (paged list with persona counts, names unique ignoring case),
# adding personas (all or nothing, already-members fine, 1..500 ids) and
# taking them out, the library's personas through GET
# /api/personas?library_id=, deleting a library (its personas stay) or a
# persona (it leaves its libraries), bad input (unknown fields, bad names,
# bad ids), a member who is not an admin, and a second workspace that sees
# none of it (404, the answer an unknown id gets). Personas are added from
# templates, which every plan may do, so the workspaces stay on free.
. "$(dirname "$0")/lib.sh"

start_server || { finish; exit 1; }

JSON=(-H 'Content-Type: application/json')
DB=$DB_URL
sql() { db_sql "$1" "$DB"; }
# The per-user request quota is test_auth.sh's subject: lifted here so that
# the number of requests this script makes never matters.
unquota() { sql "UPDATE users SET api_quota = 1000000"; }
# post TOKEN PATH JSON / put TOKEN PATH JSON
post() { as "$1" POST "$2" "${JSON[@]}" -d "$3"; }
put() { as "$1" PUT "$2" "${JSON[@]}" -d "$3"; }
# The answer is JSON with a request id.
is_json() { contains "$(header Content-Type)" application/json && has_header X-Request-Id; }
NO_SUCH=01a00000-0000-7000-8000-000000000000
UUID_RE='^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'

# --- a free workspace with three personas from templates ---------------------------------------
register owner@libs-e2e.example "$E2E_PASSWORD" "Libs Test"
check "owner signed up" eq "$STATUS" 201
OWNER=$TOKEN
WS=$(jq -r .workspace.id <<<"$BODY")
unquota

as "$OWNER" GET /api/personas/templates
check "the template catalogue: 200" eq "$STATUS" 200
check "... holds at least 3 templates" jq_eq '.templates | length >= 3' true
mapfile -t TEMPLATES < <(jq -r '.templates[0:3][].id' <<<"$BODY")
PERSONAS=()
for t in "${TEMPLATES[@]}"; do
    post "$OWNER" /api/personas "{\"template_id\":\"$t\"}"
    check "add template $t as a persona on free: 201" eq "$STATUS" 201
    PERSONAS+=("$(jq -r .id <<<"$BODY")")
done
P1=${PERSONAS[0]}
P2=${PERSONAS[1]}
P3=${PERSONAS[2]}

# --- create, get, list ------------------------------------------------------------------------
as "$OWNER" GET /api/libraries
check "libraries: an empty list" jq_eq '[(.libraries | length), .total] | map(tostring) | join(" ")' "0 0"
check "... the default page" jq_eq '[.limit, .offset] | map(tostring) | join(" ")' "50 0"
check "... JSON with a request id" is_json
post "$OWNER" /api/libraries '{"name":"  Brazilian Gen Z  ","description":"18-27, Brazil"}'
check "create a library: 201" eq "$STATUS" 201
check "... JSON with a request id" is_json
check "... with an id" jq_eq ".id | test(\"$UUID_RE\")" true
check "... its name, trimmed" jq_eq .name "Brazilian Gen Z"
check "... its description" jq_eq .description "18-27, Brazil"
check "... no personas yet" jq_eq '[.persona_count, (.persona_ids | length)] | map(tostring) | join(" ")' "0 0"
check "... its times" jq_eq '(.created_at | test("^20")) and .updated_at == .created_at' true
L1=$(jq -r .id <<<"$BODY")
L1_CREATED=$(jq -r .created_at <<<"$BODY")
check "... Location names it" eq "$(header Location)" "/api/libraries/$L1"
as "$OWNER" GET "/api/libraries/$L1"
check "get the library: 200" eq "$STATUS" 200
check "... the same library" jq_eq '[.id, .name, .description, .persona_count] | map(tostring) | join("|")' "$L1|Brazilian Gen Z|18-27, Brazil|0"
check "... with its persona_ids" jq_eq '.persona_ids' '[]'
post "$OWNER" /api/libraries '{"name":"Retirees"}'
check "a second library without a description: 201" eq "$STATUS" 201
check "... its description is empty" jq_eq .description ""
L2=$(jq -r .id <<<"$BODY")

for dup in '{"name":"Brazilian Gen Z"}' '{"name":"brazilian gen z"}' '{"name":" BRAZILIAN GEN Z "}'; do
    post "$OWNER" /api/libraries "$dup"
    check "a duplicate name ($dup) is 409" eq "$STATUS" 409
    check "... conflict naming name" jq_eq '[.error.code, .error.field] | join(" ")' "conflict name"
    check "... JSON with a request id" is_json
done
as "$OWNER" GET /api/libraries
check "the list is newest first" jq_eq '[.libraries[].id] | join(" ")' "$L2 $L1"
check "... 2 in all, duplicates were not created" jq_eq .total 2
check "... each with persona_count, no persona_ids" jq_eq '[.libraries[] | has("persona_count") and (has("persona_ids") | not)] | all' true
as "$OWNER" GET '/api/libraries?limit=1'
check "a page of 1" jq_eq '[.libraries[].id] | join(" ")' "$L2"
check "... still counts both" jq_eq .total 2
as "$OWNER" GET '/api/libraries?limit=1&offset=1'
check "the second page" jq_eq '[.libraries[].id] | join(" ")' "$L1"
as "$OWNER" GET '/api/libraries?offset=5'
check "a page past the end is empty" jq_eq '[(.libraries | length), .total] | map(tostring) | join(" ")' "0 2"
for q in limit=0 limit=101 limit=abc offset=-1 offset=x; do
    as "$OWNER" GET "/api/libraries?$q"
    check "list with $q is 400 naming ${q%%=*}" jq_eq '[.error.code, .error.field] | join(" ")' "invalid_request ${q%%=*}"
done
as "$OWNER" GET '/api/libraries?limit=100'
check "limit=100 is fine" eq "$STATUS" 200

# --- bad input on create and update ---------------------------------------------------------------
for bad in '{}' '{"name":""}' '{"name":"   "}' '{"name":null}' "{\"name\":\"$(printf 'n%.0s' $(seq 1 101))\"}" \
    "{\"name\":\"ok\",\"description\":\"$(printf 'd%.0s' $(seq 1 2001))\"}" '{"name":5}' \
    '{"name":"ok","colour":"red"}' '{"name":"tab\there"}' '{"name":"ok","persona_ids":[]}' \
    '["name"]'; do
    post "$OWNER" /api/libraries "$bad"
    check "create with ${bad:0:40} is 400" eq "$STATUS" 400
    check "... invalid_request" jq_eq .error.code invalid_request
done
post "$OWNER" /api/libraries '{"name":"ok","colour":"red"}'
check "an unknown field is named" jq_eq .error.field colour
post "$OWNER" /api/libraries '{"name":"a\u0000b"}'
check "create with U+0000 in the name is 400" eq "$STATUS" 400
post "$OWNER" /api/libraries "{\"name\":\"$(printf 'n%.0s' $(seq 1 101))\"}"
check "a name of 101 characters is named" jq_eq .error.field name
as "$OWNER" POST /api/libraries -H 'Content-Type: text/plain' -d '{"name":"x"}'
check "create with text/plain is 415" eq "$STATUS" 415
as "$OWNER" POST /api/libraries "${JSON[@]}" -d '{"name":'
check "create with broken JSON is 400 malformed_json" jq_eq .error.code malformed_json
post "$OWNER" /api/libraries "{\"name\":\"  $(printf 'é%.0s' $(seq 1 100))  \",\"description\":\"$(printf 'd%.0s' $(seq 1 2000))\"}"
check "a name of 100 characters (spaces around) and a description of 2000 are fine" eq "$STATUS" 201
check "... the name trimmed to its 100" jq_eq '.name | length' 100
L3=$(jq -r .id <<<"$BODY")
as "$OWNER" GET /api/libraries
check "only the valid libraries exist" jq_eq .total 3

sleep 0.01
put "$OWNER" "/api/libraries/$L1" '{"name":"Gen Z Brasil"}'
check "rename a library: 200" eq "$STATUS" 200
check "... the new name" jq_eq .name "Gen Z Brasil"
check "... the description is kept" jq_eq .description "18-27, Brazil"
check "... created_at is kept" jq_eq .created_at "$L1_CREATED"
check "... updated_at moved on" jq_eq ".updated_at > \"$L1_CREATED\"" true
check "... the answer has persona_ids" jq_eq '.persona_ids' '[]'
put "$OWNER" "/api/libraries/$L1" '{"description":""}'
check "change only the description" jq_eq '[.name, .description] | join("|")' "Gen Z Brasil|"
put "$OWNER" "/api/libraries/$L1" '{"name":"GEN Z BRASIL"}'
check "a library may change the case of its own name" jq_eq .name "GEN Z BRASIL"
put "$OWNER" "/api/libraries/$L1" '{"name":"retirees"}'
check "renaming to another library's name is 409" eq "$STATUS" 409
check "... naming name" jq_eq .error.field name
as "$OWNER" GET "/api/libraries/$L1"
check "... and nothing changed" jq_eq .name "GEN Z BRASIL"
for bad in '{}' '{"name":""}' '{"name":"x","owner":"me"}' '{"persona_count":3}' '{"description":5}'; do
    put "$OWNER" "/api/libraries/$L1" "$bad"
    check "update with $bad is 400" eq "$STATUS" 400
done
as "$OWNER" PUT "/api/libraries/$L1" -H 'Content-Type: text/plain' -d '{"name":"x"}'
check "update with text/plain is 415" eq "$STATUS" 415

# --- personas in a library ----------------------------------------------------------------------
post "$OWNER" "/api/libraries/$L1/personas" "{\"persona_ids\":[\"$P2\",\"$P1\",\"$P2\"]}"
check "add two personas (one given twice): 200" eq "$STATUS" 200
check "... JSON with a request id" is_json
check "... the library answers" jq_eq .id "$L1"
check "... with 2 personas" jq_eq .persona_count 2
check "... their ids" jq_eq '.persona_ids | sort | join(" ")' "$(printf '%s\n' "$P1" "$P2" | sort | paste -sd' ')"
post "$OWNER" "/api/libraries/$L1/personas" "{\"persona_ids\":[\"$P1\",\"$P3\"]}"
check "add an already-member and a new one: 200" eq "$STATUS" 200
check "... 3 personas" jq_eq .persona_count 3
check "... the new one last" jq_eq '.persona_ids[-1]' "$P3"
as "$OWNER" GET /api/libraries
check "the list counts them" jq_eq "[.libraries[] | select(.id == \"$L1\") | .persona_count] == [3]" true

as "$OWNER" GET "/api/personas?library_id=$L1"
check "GET /api/personas?library_id= lists the library's personas" eq "$STATUS" 200
check "... all 3" jq_eq '[.personas[].id] | sort | join(" ")' "$(printf '%s\n' "$P1" "$P2" "$P3" | sort | paste -sd' ')"
check "... total 3" jq_eq .total 3
as "$OWNER" GET "/api/personas?library_id=$L2"
check "an empty library lists no personas" jq_eq '[(.personas | length), .total] | map(tostring) | join(" ")' "0 0"
as "$OWNER" GET "/api/personas?library_id=$NO_SUCH"
check "an unknown library_id is 404" eq "$STATUS" 404
check "... naming library_id" jq_eq .error.field library_id

# all or nothing
for bad in "$NO_SUCH" not-a-uuid "${P1^^}"; do
    post "$OWNER" "/api/libraries/$L2/personas" "{\"persona_ids\":[\"$P1\",\"$bad\"]}"
    check "adding with an unknown id ($bad) is 404" eq "$STATUS" 404
    check "... not_found naming persona_ids" jq_eq '[.error.code, .error.field] | join(" ")' "not_found persona_ids"
    check "... quoting the id" jq_eq ".error.message | contains(\"'$bad'\")" true
done
as "$OWNER" GET "/api/libraries/$L2"
check "... and nothing was added" jq_eq .persona_count 0
for bad in '{}' '{"persona_ids":[]}' '{"persona_ids":"x"}' '{"persona_ids":[5]}' '{"persona_ids":[null]}' \
    "{\"persona_ids\":[\"$P1\"],\"name\":\"x\"}" '{"persona_ids":null}'; do
    post "$OWNER" "/api/libraries/$L2/personas" "$bad"
    check "adding with ${bad:0:50} is 400" eq "$STATUS" 400
    check "... naming the field" jq_eq '.error.field | test("^(persona_ids(\\[0\\])?|name)$")' true
done
post "$OWNER" "/api/libraries/$L2/personas" '{"persona_ids":["a\u0000b"]}'
check "adding an id with U+0000 is 400" eq "$STATUS" 400
MANY=$(jq -nc --arg p "$P1" '{persona_ids: [range(501) | $p]}')
post "$OWNER" "/api/libraries/$L2/personas" "$MANY"
check "501 ids are 400" eq "$STATUS" 400
check "... naming persona_ids" jq_eq .error.field persona_ids
MANY=$(jq -nc --arg p "$P1" '{persona_ids: [range(500) | $p]}')
post "$OWNER" "/api/libraries/$L2/personas" "$MANY"
check "500 ids are fine" eq "$STATUS" 200
check "... (one persona, given 500 times)" jq_eq .persona_count 1
as "$OWNER" POST "/api/libraries/$L2/personas" -H 'Content-Type: text/plain' -d "{\"persona_ids\":[\"$P1\"]}"
check "adding with text/plain is 415" eq "$STATUS" 415
for path in "/api/libraries/$NO_SUCH/personas" /api/libraries/nope/personas; do
    post "$OWNER" "$path" "{\"persona_ids\":[\"$P1\"]}"
    check "adding to $path is 404" eq "$STATUS" 404
    check "... naming id" jq_eq .error.field id
done

# taking one out
as "$OWNER" DELETE "/api/libraries/$L1/personas/$P2"
check "take a persona out: 204" eq "$STATUS" 204
check "... with a request id" has_header X-Request-Id
as "$OWNER" GET "/api/libraries/$L1"
check "... 2 left, without it" jq_eq "[.persona_count, (.persona_ids | any(. == \"$P2\"))] | map(tostring) | join(\" \")" "2 false"
as "$OWNER" GET "/api/personas/$P2"
check "... the persona stays" eq "$STATUS" 200
as "$OWNER" DELETE "/api/libraries/$L1/personas/$P2"
check "taking it out again is 404" eq "$STATUS" 404
check "... naming persona_id" jq_eq .error.field persona_id
for pid in "$NO_SUCH" nope; do
    as "$OWNER" DELETE "/api/libraries/$L1/personas/$pid"
    check "taking out $pid is 404" eq "$STATUS" 404
done
as "$OWNER" DELETE "/api/libraries/$NO_SUCH/personas/$P1"
check "taking out of an unknown library is 404 naming id" jq_eq '[.error.code, .error.field] | join(" ")' "not_found id"

# deleting a persona takes it out of every library
post "$OWNER" "/api/libraries/$L3/personas" "{\"persona_ids\":[\"$P3\"]}"
check "P3 in a second library" jq_eq .persona_count 1
as "$OWNER" DELETE "/api/personas/$P3"
check "delete P3: 204" eq "$STATUS" 204
as "$OWNER" GET "/api/libraries/$L1"
check "... it left the first library" jq_eq '.persona_ids | join(" ")' "$P1"
as "$OWNER" GET "/api/libraries/$L3"
check "... and the second" jq_eq .persona_count 0

# --- not found ------------------------------------------------------------------------------------
for path in "/api/libraries/$NO_SUCH" /api/libraries/not-a-uuid "/api/libraries/${L1^^}" /api/libraries/%00; do
    as "$OWNER" GET "$path"
    check "GET $path is 404" eq "$STATUS" 404
    check "... not_found" jq_eq .error.code not_found
    put "$OWNER" "$path" '{"name":"x"}'
    check "PUT $path is 404" eq "$STATUS" 404
    as "$OWNER" DELETE "$path"
    check "DELETE $path is 404" eq "$STATUS" 404
done
as "$OWNER" GET "/api/libraries/$NO_SUCH"
check "the message quotes the id" jq_eq .error.message "no library '$NO_SUCH'"
req GET /api/libraries
check "libraries need a token" eq "$STATUS" 401
req GET "/api/libraries/$L1"
check "a library needs a token" eq "$STATUS" 401

# --- a member who is not an admin ---------------------------------------------------------------
sql "UPDATE workspaces SET plan_type = 'business' WHERE id = '$WS'" # a second seat
post "$OWNER" /api/workspace/invites '{"email":"user@libs-e2e.example"}'
check "invite a user" eq "$STATUS" 201
register user@libs-e2e.example "$E2E_PASSWORD" "" "$(jq -r .token <<<"$BODY")"
check "the user joined as a user" jq_eq '[.workspace.id, .user.role] | join(" ")' "$WS user"
USER=$TOKEN
unquota
post "$USER" /api/libraries '{"name":"The user'"'"'s"}'
check "a user creates a library" eq "$STATUS" 201
LU=$(jq -r .id <<<"$BODY")
post "$USER" "/api/libraries/$L1/personas" "{\"persona_ids\":[\"$P2\"]}"
check "... adds to the owner's library" jq_eq .persona_count 2
put "$USER" "/api/libraries/$L1" '{"description":"by the user"}'
check "... changes it" jq_eq .description "by the user"
as "$USER" DELETE "/api/libraries/$LU"
check "... deletes one" eq "$STATUS" 204

# --- another workspace ---------------------------------------------------------------------------
register other@elsewhere-e2e.example "$E2E_PASSWORD" "Elsewhere"
check "a second account signed up" eq "$STATUS" 201
OTHER=$TOKEN
unquota
post "$OTHER" /api/personas "{\"template_id\":\"${TEMPLATES[0]}\"}"
check "it adds a persona of its own" eq "$STATUS" 201
OP=$(jq -r .id <<<"$BODY")
post "$OTHER" /api/libraries '{"name":"Brazilian Gen Z"}'
check "it may use a name the first workspace uses" eq "$STATUS" 201
OL=$(jq -r .id <<<"$BODY")
as "$OTHER" GET /api/libraries
check "it sees only its own library" jq_eq '[.libraries[].id] | join(" ")' "$OL"

# each answer must be the one an id that exists nowhere gets (its id swapped in)
same_as_unknown() { # METHOD PATH_WITH_ID ID [BODY]
    local method=$1 path=$2 id=$3 body=${4:-} real unknown
    if [ -n "$body" ]; then as "$OTHER" "$method" "$path" "${JSON[@]}" -d "$body"; else as "$OTHER" "$method" "$path"; fi
    real="$STATUS $(jq -c .error <<<"$BODY")"
    if [ -n "$body" ]; then as "$OTHER" "$method" "${path//$id/$NO_SUCH}" "${JSON[@]}" -d "${body//$id/$NO_SUCH}"; else as "$OTHER" "$method" "${path//$id/$NO_SUCH}"; fi
    unknown="$STATUS $(jq -c .error <<<"$BODY")"
    [ "${real//$id/$NO_SUCH}" = "$unknown" ] && [ "${real%% *}" = 404 ]
}
check "cross-tenant GET of a library is 404 like an unknown id" same_as_unknown GET "/api/libraries/$L1" "$L1"
check "cross-tenant PUT is 404 like an unknown id" same_as_unknown PUT "/api/libraries/$L1" "$L1" '{"name":"Pwned"}'
check "cross-tenant add is 404 like an unknown id" same_as_unknown POST "/api/libraries/$L1/personas" "$L1" "{\"persona_ids\":[\"$OP\"]}"
check "cross-tenant take-out is 404 like an unknown id" same_as_unknown DELETE "/api/libraries/$L1/personas/$P1" "$L1"
check "cross-tenant DELETE is 404 like an unknown id" same_as_unknown DELETE "/api/libraries/$L1" "$L1"
check "cross-tenant ?library_id= is 404 like an unknown id" same_as_unknown GET "/api/personas?library_id=$L1" "$L1"
check "adding another workspace's persona is 404 like an unknown id" same_as_unknown POST "/api/libraries/$OL/personas" "$P1" "{\"persona_ids\":[\"$P1\"]}"
as "$OTHER" DELETE "/api/libraries/$OL/personas/$P1"
check "taking another workspace's persona out is 404" eq "$STATUS" 404
post "$OWNER" "/api/libraries/$L1/personas" "{\"persona_ids\":[\"$P1\",\"$OP\"]}"
check "the owner cannot add the other's persona either: 404" eq "$STATUS" 404
check "... naming persona_ids" jq_eq .error.field persona_ids
check "... showing nothing of it but its id" jq_eq ".error.message" "persona_ids[1]: no persona '$OP'"
as "$OTHER" GET "/api/libraries/$OL"
check "the other library is still empty" jq_eq .persona_count 0

as "$OWNER" GET "/api/libraries/$L1"
check "the owner's library is as it was" jq_eq '[.name, .description, .persona_count] | map(tostring) | join("|")' "GEN Z BRASIL|by the user|2"
check "... with the same personas" jq_eq '.persona_ids | sort | join(" ")' "$(printf '%s\n' "$P1" "$P2" | sort | paste -sd' ')"
check "... in the database too" eq "$(sql "SELECT COUNT(*) FROM library_personas WHERE library_id = '$L1'")" 2
check "no membership crosses workspaces" eq "$(sql "SELECT COUNT(*) FROM library_personas lp JOIN personas p ON p.id = lp.persona_id WHERE p.workspace_id <> lp.workspace_id")" 0

# --- deleting a library ---------------------------------------------------------------------------
as "$OWNER" DELETE "/api/libraries/$L1"
check "delete a library: 204" eq "$STATUS" 204
as "$OWNER" GET "/api/libraries/$L1"
check "the deleted library is 404" eq "$STATUS" 404
as "$OWNER" DELETE "/api/libraries/$L1"
check "deleting it again is 404" eq "$STATUS" 404
as "$OWNER" GET "/api/personas/$P1"
check "its personas stay" eq "$STATUS" 200
as "$OWNER" GET "/api/libraries/$L2"
check "... and so do their other memberships" jq_eq '.persona_ids | join(" ")' "$P1"
check "no membership of the deleted library is left" eq "$(sql "SELECT COUNT(*) FROM library_personas WHERE library_id = '$L1'")" 0
post "$OWNER" /api/libraries '{"name":"Gen Z Brasil"}'
check "its name is free again" eq "$STATUS" 201

finish
