#!/usr/bin/env bash
# tests/e2e/test_accounts.sh - the account side of a workspace against the
# real server: the plans (SPEC.md 5), usage meters, projects (CRUD, plan
# limits, validation), API keys (plan gate, shown once, used as a bearer,
# revoked, downgraded), the workspace, its members and invites (plan limit,
# joining with a token, roles, the last admin, removal and what it revokes).
# Plans are changed with SQL (db_sql) on the server's own database, as a billing
# change would.
. "$(dirname "$0")/lib.sh"

start_server || { finish; exit 1; }

JSON=(-H 'Content-Type: application/json')
DB=$DB_URL
sql() { db_sql "$1" "$DB"; }
# The per-user request quota is test_auth.sh's subject: lifted here so that
# the number of requests this script makes never matters.
unquota() { sql "UPDATE users SET api_quota = 1000000"; }
set_plan() { sql "UPDATE workspaces SET plan_type = '$2' WHERE id = '$1'"; }
# post TOKEN PATH JSON / put TOKEN PATH JSON
post() { as "$1" POST "$2" "${JSON[@]}" -d "$3"; }
put() { as "$1" PUT "$2" "${JSON[@]}" -d "$3"; }
NO_SUCH=01a00000-0000-7000-8000-000000000000

# --- plans ---------------------------------------------------------------------------------
req GET /api/plans
check "plans need no token" eq "$STATUS" 200
check "plans: five, cheapest first" jq_eq '[.plans[].name] | join(",")' free,individual,business,agency,enterprise
plan_is() { # NAME EXPECTED_JSON: the plan NAME is exactly EXPECTED_JSON
    [ "$(jq -cS --arg n "$1" '.plans[] | select(.name == $n)' <<<"$BODY")" = "$(jq -cS . <<<"$2")" ]
}
check "plans: free is SPEC 5's" plan_is free '{"name":"free","price_month":"0.00","max_personas":20,"max_projects":1,
  "extra_persona":null,"api_access":false,"advanced_analytics":false,"priority_support":false,
  "custom_personas":false,"team_members":1,"custom":false}'
check "plans: individual is SPEC 5's" plan_is individual '{"name":"individual","price_month":"9.90","max_personas":100,
  "max_projects":1,"extra_persona":"0.10","api_access":false,"advanced_analytics":false,"priority_support":false,
  "custom_personas":true,"team_members":1,"custom":false}'
check "plans: business is SPEC 5's" plan_is business '{"name":"business","price_month":"24.90","max_personas":300,
  "max_projects":3,"extra_persona":"0.08","api_access":true,"advanced_analytics":true,"priority_support":false,
  "custom_personas":true,"team_members":3,"custom":false}'
check "plans: agency is SPEC 5's" plan_is agency '{"name":"agency","price_month":"49.90","max_personas":1000,
  "max_projects":10,"extra_persona":"0.05","api_access":true,"advanced_analytics":true,"priority_support":true,
  "custom_personas":true,"team_members":10,"custom":false}'
check "plans: enterprise is SPEC 5's (custom: null price and limits)" plan_is enterprise '{"name":"enterprise",
  "price_month":null,"max_personas":null,"max_projects":null,"extra_persona":"0.03","api_access":true,
  "advanced_analytics":true,"priority_support":true,"custom_personas":true,"team_members":null,"custom":true}'
check "plans: prices are strings with two decimals" jq_eq '[.plans[].price_month | select(. != null) | test("^[0-9]+\\.[0-9]{2}$")] | all' true
req GET /api/plans -H 'Authorization: Bearer garbage'
check "plans with a bad token are still public" eq "$STATUS" 200

# --- a free workspace -------------------------------------------------------------------------
register owner@acme-e2e.example "$E2E_PASSWORD" "Acme Test"
check "owner signed up" eq "$STATUS" 201
OWNER=$TOKEN
OWNER_ID=$(jq -r .user.id <<<"$BODY")
WS=$(jq -r .workspace.id <<<"$BODY")
unquota

req GET /api/usage
check "usage needs a token" eq "$STATUS" 401
as "$OWNER" GET /api/usage
check "usage answers 200" eq "$STATUS" 200
check "usage: the plan" jq_eq .plan free
check "usage: no projects of 1" jq_eq '[.projects.used, .projects.limit, .projects.approaching_limit] | map(tostring) | join(" ")' "0 1 false"
check "usage: 1 member of 1 is approaching the limit" jq_eq '[.members.used, .members.limit, .members.approaching_limit] | map(tostring) | join(" ")' "1 1 true"
check "usage: no pending invites" jq_eq .members.pending_invites 0
check "usage: personas 0 of 20, not approaching" jq_eq '[.personas.used, .personas.limit, .personas.approaching_limit] | map(tostring) | join(" ")' "0 20 false"
check "usage: no extra personas" jq_eq .personas.extra 0
as "$OWNER" GET /api/auth/me
check "me: the same usage" jq_eq '.usage.members.approaching_limit' true

# --- projects ---------------------------------------------------------------------------------
as "$OWNER" GET /api/projects
check "projects: an empty list" jq_eq '[(.projects | length), .total] | map(tostring) | join(" ")' "0 0"
check "projects: the default page" jq_eq '[.limit, .offset] | map(tostring) | join(" ")' "50 0"
post "$OWNER" /api/projects '{"name":"Alpha","description":"the first one"}'
check "create a project: 201" eq "$STATUS" 201
check "... with an id" jq_eq '.id | test("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")' true
check "... its name" jq_eq .name Alpha
check "... its description" jq_eq .description "the first one"
check "... its times" jq_eq '(.created_at | test("^20")) and (.updated_at | test("^20"))' true
P1=$(jq -r .id <<<"$BODY")
P1_CREATED=$(jq -r .created_at <<<"$BODY")
as "$OWNER" GET "/api/projects/$P1"
check "get the project: 200" eq "$STATUS" 200
check "... the same project" jq_eq '[.id, .name, .description] | join("|")' "$P1|Alpha|the first one"
as "$OWNER" GET /api/projects
check "the list shows it" jq_eq '[.projects[].id] == ["'"$P1"'"] and .total == 1' true
post "$OWNER" /api/projects '{"name":"Beta"}'
check "a second project on free is 422" eq "$STATUS" 422
check "... plan_limit" jq_eq .error.code plan_limit
check "... naming max_projects" jq_eq .error.field max_projects
check "... naming the free plan" jq_eq '.error.message | test("free")' true
as "$OWNER" GET /api/projects
check "... and nothing was created" jq_eq .total 1
as "$OWNER" GET /api/usage
check "usage: 1 project of 1 is approaching the limit" jq_eq '[.projects.used, .projects.limit, .projects.approaching_limit] | map(tostring) | join(" ")' "1 1 true"

sleep 0.01
put "$OWNER" "/api/projects/$P1" '{"name":"Alpha 2"}'
check "rename a project: 200" eq "$STATUS" 200
check "... the new name" jq_eq .name "Alpha 2"
check "... the description is kept" jq_eq .description "the first one"
check "... created_at is kept" jq_eq .created_at "$P1_CREATED"
check "... updated_at moved on" jq_eq ".updated_at > \"$P1_CREATED\"" true
put "$OWNER" "/api/projects/$P1" '{"description":"changed"}'
check "change only the description: 200" jq_eq '[.name, .description] | join("|")' "Alpha 2|changed"
put "$OWNER" "/api/projects/$P1" '{"description":""}'
check "an empty description is allowed" jq_eq .description ""
as "$OWNER" GET "/api/projects/$P1"
check "the changes are stored" jq_eq '[.name, .description] | join("|")' "Alpha 2|"
put "$OWNER" "/api/projects/$P1" '{}'
check "a PUT with nothing to change is 400" eq "$STATUS" 400
put "$OWNER" "/api/projects/$P1" '{"name":""}'
check "a PUT with an empty name is 400 naming name" jq_eq '[.error.code, .error.field] | join(" ")' "invalid_request name"
put "$OWNER" "/api/projects/$P1" '{"name":"x","owner":"me"}'
check "a PUT with an unknown field is 400 naming it" jq_eq .error.field owner
as "$OWNER" PUT "/api/projects/$P1" -H 'Content-Type: text/plain' -d '{"name":"x"}'
check "a PUT with text/plain is 415" eq "$STATUS" 415

# validation on create (the limit is reached: validation must still come first or
# come with 422, never a 201 or a 5xx; checked again with room below)
for path in "/api/projects/$NO_SUCH" /api/projects/not-a-uuid "/api/projects/${P1^^}x" /api/projects/%00; do
    as "$OWNER" GET "$path"
    check "GET $path is 404" eq "$STATUS" 404
    check "... not_found" jq_eq .error.code not_found
    put "$OWNER" "$path" '{"name":"x"}'
    check "PUT $path is 404" eq "$STATUS" 404
    as "$OWNER" DELETE "$path"
    check "DELETE $path is 404" eq "$STATUS" 404
done
for q in limit=0 limit=101 limit=abc offset=-1 offset=x; do
    as "$OWNER" GET "/api/projects?$q"
    check "list with $q is 400 naming ${q%%=*}" jq_eq '[.error.code, .error.field] | join(" ")' "invalid_request ${q%%=*}"
done
req GET /api/projects
check "projects need a token" eq "$STATUS" 401
req GET "/api/projects/$P1"
check "a project needs a token" eq "$STATUS" 401

# --- API keys on free ---------------------------------------------------------------------------
post "$OWNER" /api/api-keys '{"name":"ci"}'
check "an API key on free is 403" eq "$STATUS" 403
check "... forbidden" jq_eq .error.code forbidden
check "... naming api_access" jq_eq .error.field api_access
check "... naming the free plan" jq_eq '.error.message | test("free")' true
as "$OWNER" GET /api/api-keys
check "... and there is no key" jq_eq '.api_keys | length' 0

# --- invites on free ----------------------------------------------------------------------------
post "$OWNER" /api/workspace/invites '{"email":"bob@acme-e2e.example"}'
check "an invite on free is 422" eq "$STATUS" 422
check "... plan_limit" jq_eq .error.code plan_limit
check "... naming team_members" jq_eq .error.field team_members
check "... naming the free plan" jq_eq '.error.message | test("free")' true
as "$OWNER" GET /api/workspace/invites
check "... and there is no invite" jq_eq '.invites | length' 0

# --- business: more projects ---------------------------------------------------------------------
set_plan "$WS" business
as "$OWNER" GET /api/usage
check "business: usage shows the plan" jq_eq .plan business
check "business: 1 project of 3, not approaching" jq_eq '[.projects.used, .projects.limit, .projects.approaching_limit] | map(tostring) | join(" ")' "1 3 false"
for bad in '{}' '{"name":""}' '{"name":"   "}' "{\"name\":\"$(printf 'n%.0s' $(seq 1 201))\"}" \
    "{\"name\":\"ok\",\"description\":\"$(printf 'd%.0s' $(seq 1 2001))\"}" '{"name":5}' \
    '{"name":"ok","colour":"red"}' '{"name":"tab\there"}'; do
    post "$OWNER" /api/projects "$bad"
    check "create with ${bad:0:40} is 400" eq "$STATUS" 400
    check "... naming the field" jq_eq '.error.field | IN("name", "description", "colour")' true
done
post "$OWNER" /api/projects '{"name":"a\u0000b"}'
check "create with U+0000 in the name is 400" eq "$STATUS" 400
as "$OWNER" POST /api/projects -H 'Content-Type: text/plain' -d '{"name":"x"}'
check "create with text/plain is 415" eq "$STATUS" 415
as "$OWNER" POST /api/projects "${JSON[@]}" -d '{"name":'
check "create with broken JSON is 400 malformed_json" jq_eq .error.code malformed_json
post "$OWNER" /api/projects "{\"name\":\"$(printf 'n%.0s' $(seq 1 200))\",\"description\":\"$(printf 'd%.0s' $(seq 1 2000))\"}"
check "a name of 200 and a description of 2000 characters are fine" eq "$STATUS" 201
P2=$(jq -r .id <<<"$BODY")
post "$OWNER" /api/projects '{"name":"Gamma ü","description":"third"}'
check "business: the third project is fine" eq "$STATUS" 201
check "... UTF-8 names kept" jq_eq .name "Gamma ü"
P3=$(jq -r .id <<<"$BODY")
post "$OWNER" /api/projects '{"name":"Delta"}'
check "business: the fourth project is 422" eq "$STATUS" 422
check "... naming max_projects" jq_eq .error.field max_projects
check "... naming the business plan" jq_eq '.error.message | test("business")' true
as "$OWNER" GET /api/projects
check "the list is newest first" jq_eq '[.projects[].id] | join(" ")' "$P3 $P2 $P1"
check "the total is 3" jq_eq .total 3
as "$OWNER" GET '/api/projects?limit=2'
check "a page of 2" jq_eq '[.projects[].id] | join(" ")' "$P3 $P2"
check "... still counts all 3" jq_eq .total 3
as "$OWNER" GET '/api/projects?limit=2&offset=2'
check "the second page" jq_eq '[.projects[].id] | join(" ")' "$P1"
as "$OWNER" GET '/api/projects?offset=10'
check "a page past the end is empty" jq_eq '[(.projects | length), .total] | map(tostring) | join(" ")' "0 3"
as "$OWNER" GET /api/usage
check "usage: 3 projects of 3 is approaching" jq_eq '[.projects.used, .projects.approaching_limit] | map(tostring) | join(" ")' "3 true"
as "$OWNER" DELETE "/api/projects/$P2"
check "delete a project: 204" eq "$STATUS" 204
as "$OWNER" GET "/api/projects/$P2"
check "the deleted project is 404" eq "$STATUS" 404
as "$OWNER" DELETE "/api/projects/$P2"
check "deleting it again is 404" eq "$STATUS" 404
put "$OWNER" "/api/projects/$P2" '{"name":"back"}'
check "updating it is 404" eq "$STATUS" 404
as "$OWNER" GET /api/projects
check "the others remain" jq_eq '[.projects[].id] | join(" ")' "$P3 $P1"
post "$OWNER" /api/projects '{"name":"Delta"}'
check "a deletion frees room under the limit" eq "$STATUS" 201
P4=$(jq -r .id <<<"$BODY")

# --- API keys on business ---------------------------------------------------------------------
as "$OWNER" GET /api/api-keys
check "business: no key yet" jq_eq '.api_keys | length' 0
post "$OWNER" /api/api-keys '{"name":"ci runner"}'
check "create a key: 201" eq "$STATUS" 201
check "... the key is shown" jq_eq '.key | test("^ck_[0-9a-zA-Z]{16,}$")' true
check "... its name" jq_eq .name "ci runner"
check "... its prefix starts the key" jq_eq '.key | startswith("'"$(jq -r .prefix <<<"$BODY")"'")' true
check "... its prefix is shorter than the key" jq_eq '(.prefix | length) < (.key | length) and (.prefix | length) >= 6' true
check "... not cacheable" contains "$(header Cache-Control)" no-store
KEY1=$(jq -r .key <<<"$BODY")
KEY1_ID=$(jq -r .id <<<"$BODY")
as "$OWNER" GET /api/api-keys
check "the list shows the key" jq_eq '[.api_keys[].id] == ["'"$KEY1_ID"'"]' true
check "... never the key itself" lacks "$BODY" "$KEY1"
check "... nor a key field" jq_eq '[.api_keys[] | has("key") or has("key_hash")] | any' false
check "... not revoked" jq_eq '.api_keys[0].revoked_at' null
as "$KEY1" GET /api/projects
check "the key works as a bearer on GET /api/projects" eq "$STATUS" 200
check "... in the owner's workspace" jq_eq .total 3
as "$KEY1" GET /api/auth/me
check "me via the key says so" jq_eq .via_api_key true
check "... and is the owner" jq_eq .user.id "$OWNER_ID"
as "$OWNER" GET /api/api-keys
check "the key's use is noted" jq_eq '.api_keys[0].last_used_at | test("^20")' true
post "$KEY1" /api/api-keys '{"name":"child"}'
check "a key cannot create keys: 403" eq "$STATUS" 403
as "$KEY1" POST /api/auth/logout
check "logout with a key is refused (400)" eq "$STATUS" 400
as "$KEY1" GET /api/projects
check "... and the key still works" eq "$STATUS" 200
for bad in '{}' '{"name":""}' "{\"name\":\"$(printf 'k%.0s' $(seq 1 101))\"}" '{"name":"k","scope":"all"}' '{"name":1}'; do
    post "$OWNER" /api/api-keys "$bad"
    check "create a key with ${bad:0:30} is 400" eq "$STATUS" 400
done
as "$OWNER" POST /api/api-keys -H 'Content-Type: text/plain' -d '{"name":"x"}'
check "create a key with text/plain is 415" eq "$STATUS" 415
post "$OWNER" /api/api-keys '{"name":"second"}'
check "a second key: 201" eq "$STATUS" 201
KEY2=$(jq -r .key <<<"$BODY")
KEY2_ID=$(jq -r .id <<<"$BODY")
check "the keys differ" ne "$KEY1" "$KEY2"
as "$OWNER" DELETE "/api/api-keys/$KEY1_ID"
check "revoke a key: 204" eq "$STATUS" 204
as "$KEY1" GET /api/projects
check "a revoked key is 401" eq "$STATUS" 401
check "... with WWW-Authenticate" eq "$(header WWW-Authenticate)" Bearer
as "$KEY2" GET /api/projects
check "the other key still works" eq "$STATUS" 200
as "$OWNER" GET /api/api-keys
check "the list shows the revocation" jq_eq "[.api_keys[] | select(.id == \"$KEY1_ID\") | .revoked_at | test(\"^20\")] == [true]" true
for path in "/api/api-keys/$NO_SUCH" /api/api-keys/nope; do
    as "$OWNER" DELETE "$path"
    check "DELETE $path is 404" eq "$STATUS" 404
done
as "$OWNER" DELETE "/api/api-keys/$KEY1_ID"
check "revoking a revoked key is not an error" eq "$STATUS" 204
set_plan "$WS" free
as "$KEY2" GET /api/projects
check "after a downgrade to free a live key is 403" eq "$STATUS" 403
check "... naming api_access" jq_eq .error.field api_access
as "$OWNER" GET /api/projects
check "... while the token still works" eq "$STATUS" 200
set_plan "$WS" business
as "$KEY2" GET /api/projects
check "back on business the key works again" eq "$STATUS" 200

# --- the workspace ------------------------------------------------------------------------------
as "$OWNER" GET /api/workspace
check "get the workspace: 200" eq "$STATUS" 200
check "... its id" jq_eq .workspace.id "$WS"
check "... named after the company" jq_eq .workspace.name "Acme Test"
check "... its plan" jq_eq '[.workspace.plan_type, .plan.name] | join(" ")' "business business"
check "... its usage" jq_eq .usage.projects.used 3
put "$OWNER" /api/workspace '{"name":"Acme Renamed"}'
check "rename the workspace: 200" eq "$STATUS" 200
check "... the new name" jq_eq .name "Acme Renamed"
check "... the answer is the workspace" jq_eq '[.id, .plan_type] | join(" ")' "$WS business"
as "$OWNER" GET /api/workspace
check "... stored" jq_eq .workspace.name "Acme Renamed"
for bad in '{}' '{"name":""}' "{\"name\":\"$(printf 'w%.0s' $(seq 1 201))\"}" '{"name":"x","plan_type":"enterprise"}' '{"name":null}'; do
    put "$OWNER" /api/workspace "$bad"
    check "rename with ${bad:0:30} is 400" eq "$STATUS" 400
done
as "$OWNER" GET /api/workspace
check "a refused rename changes nothing (nor the plan)" jq_eq '[.workspace.name, .workspace.plan_type] | join(" ")' "Acme Renamed business"
req GET /api/workspace
check "the workspace needs a token" eq "$STATUS" 401

# --- invites --------------------------------------------------------------------------------
post "$OWNER" /api/workspace/invites '{"email":"  Bob@Acme-E2E.example "}'
check "invite bob: 201" eq "$STATUS" 201
check "... with a token" jq_eq '.token | length >= 16' true
check "... the email normalised" jq_eq .email bob@acme-e2e.example
check "... role user by default" jq_eq .role user
check "... invited by the owner" jq_eq .invited_by "$OWNER_ID"
check "... expires later" jq_eq '.expires_at > .created_at' true
BOB_INVITE=$(jq -r .token <<<"$BODY")
BOB_INVITE_ID=$(jq -r .id <<<"$BODY")
post "$OWNER" /api/workspace/invites '{"email":"carol@acme-e2e.example","role":"admin"}'
check "invite carol as admin: 201" eq "$STATUS" 201
check "... role admin" jq_eq .role admin
CAROL_INVITE=$(jq -r .token <<<"$BODY")
CAROL_INVITE_ID=$(jq -r .id <<<"$BODY")
check "the invite tokens differ" ne "$BOB_INVITE" "$CAROL_INVITE"
post "$OWNER" /api/workspace/invites '{"email":"dave@acme-e2e.example"}'
check "a third invite on business (3 seats) is 422" eq "$STATUS" 422
check "... naming team_members" jq_eq .error.field team_members
check "... naming the business plan" jq_eq '.error.message | test("business")' true
post "$OWNER" /api/workspace/invites '{"email":"owner@acme-e2e.example"}'
check "inviting an existing account is 409" eq "$STATUS" 409
check "... naming email" jq_eq .error.field email
for bad in '{}' '{"email":"not-an-email"}' '{"email":"x@acme-e2e.example","role":"owner"}' '{"email":"x@acme-e2e.example","extra":1}'; do
    post "$OWNER" /api/workspace/invites "$bad"
    check "invite with $bad is 400" eq "$STATUS" 400
done
as "$OWNER" GET /api/workspace/invites
check "list the invites: 200" eq "$STATUS" 200
check "... two" jq_eq '[.invites[].email] | sort | join(" ")' "bob@acme-e2e.example carol@acme-e2e.example"
check "... never their tokens" bash -c "! grep -qF -e '$BOB_INVITE' -e '$CAROL_INVITE' <<<'$BODY'"
check "... no token field" jq_eq '[.invites[] | has("token") or has("token_hash")] | any' false
check "... open" jq_eq '[.invites[].accepted_at] | map(. == null) | all' true
as "$OWNER" GET /api/usage
check "usage: 1 member and 2 open invites count 3 of 3" jq_eq '[.members.used, .members.limit, .members.pending_invites, .members.approaching_limit] | map(tostring) | join(" ")' "3 3 2 true"

# withdraw carol's invite and invite her again
as "$OWNER" DELETE "/api/workspace/invites/$CAROL_INVITE_ID"
check "withdraw an invite: 204" eq "$STATUS" 204
as "$OWNER" GET /api/workspace/invites
check "... it is gone" jq_eq '[.invites[].id] == ["'"$BOB_INVITE_ID"'"]' true
register carol@acme-e2e.example "$E2E_PASSWORD" "" "$CAROL_INVITE"
check "a withdrawn invite's token is refused (400)" eq "$STATUS" 400
check "... naming invite_token" jq_eq .error.field invite_token
as "$OWNER" DELETE "/api/workspace/invites/$CAROL_INVITE_ID"
check "withdrawing it again is 404" eq "$STATUS" 404
for path in "/api/workspace/invites/$NO_SUCH" /api/workspace/invites/nope; do
    as "$OWNER" DELETE "$path"
    check "DELETE $path is 404" eq "$STATUS" 404
done
post "$OWNER" /api/workspace/invites '{"email":"carol@acme-e2e.example","role":"admin"}'
check "the freed seat takes a new invite" eq "$STATUS" 201
CAROL_INVITE=$(jq -r .token <<<"$BODY")

# joining
register mallory@acme-e2e.example "$E2E_PASSWORD" "" "$BOB_INVITE"
check "an invite token with another email is 400" eq "$STATUS" 400
check "... naming email" jq_eq .error.field email
register bob@acme-e2e.example "$E2E_PASSWORD" "" "not-a-real-token"
check "a made-up invite token is 400 naming invite_token" jq_eq .error.field invite_token
register BOB@acme-e2e.example "$E2E_PASSWORD" "" "$BOB_INVITE"
check "bob joins with his token: 201" eq "$STATUS" 201
check "... into the owner's workspace" jq_eq .workspace.id "$WS"
check "... with the invite's role (user)" jq_eq .user.role user
BOB=$TOKEN
BOB_ID=$(jq -r .user.id <<<"$BODY")
register bob@acme-e2e.example "$E2E_PASSWORD" "" "$BOB_INVITE"
check "a used token is refused" eq "$STATUS" 400
check "... naming invite_token" jq_eq .error.field invite_token
register bobby@acme-e2e.example "$E2E_PASSWORD" "" "$BOB_INVITE"
check "a used token is refused for another email too" eq "$STATUS" 400
register carol@acme-e2e.example "$E2E_PASSWORD" "Carol Ltd" "$CAROL_INVITE"
check "carol joins: 201" eq "$STATUS" 201
check "... as admin" jq_eq .user.role admin
check "... into the owner's workspace (not her company's)" jq_eq .workspace.id "$WS"
CAROL=$TOKEN
CAROL_ID=$(jq -r .user.id <<<"$BODY")
unquota
as "$OWNER" GET /api/workspace/invites
check "accepted invites show accepted_at" jq_eq '[.invites[].accepted_at | test("^20")] | all and length == 2' true
as "$OWNER" DELETE "/api/workspace/invites/$BOB_INVITE_ID"
check "an accepted invite cannot be withdrawn (409)" eq "$STATUS" 409

as "$OWNER" GET /api/workspace/members
check "members: 200" eq "$STATUS" 200
check "members: the three" jq_eq '[.members[].id] | sort | join(" ")' "$(printf '%s\n' "$OWNER_ID" "$BOB_ID" "$CAROL_ID" | sort | paste -sd' ')"
check "members: with their roles" jq_eq "[.members[] | select(.id == \"$BOB_ID\") | .role] == [\"user\"]" true
check "members: no password hash" lacks "$BODY" argon2
as "$BOB" GET /api/workspace/members
check "a member may list the members" jq_eq '.members | length' 3
as "$OWNER" GET /api/usage
check "usage: 3 members of 3, no open invite" jq_eq '[.members.used, .members.pending_invites] | map(tostring) | join(" ")' "3 0"

# what a member (role user) may not do
put "$BOB" /api/workspace '{"name":"Bob rules"}'
check "a member cannot rename the workspace (403)" eq "$STATUS" 403
post "$BOB" /api/workspace/invites '{"email":"eve@acme-e2e.example"}'
check "a member cannot invite (403)" eq "$STATUS" 403
as "$BOB" GET /api/workspace/invites
check "a member cannot list invites (403)" eq "$STATUS" 403
put "$BOB" "/api/workspace/members/$BOB_ID" '{"role":"admin"}'
check "a member cannot make himself admin (403)" eq "$STATUS" 403
put "$BOB" "/api/workspace/members/$CAROL_ID" '{"role":"user"}'
check "a member cannot change another's role (403)" eq "$STATUS" 403
as "$BOB" DELETE "/api/workspace/members/$CAROL_ID"
check "a member cannot remove a member (403)" eq "$STATUS" 403
as "$OWNER" GET /api/workspace/members
check "... and nothing changed" jq_eq '[.members[] | .role] | sort | join(" ")' "admin admin user"
as "$OWNER" GET /api/workspace
check "... nor the name" jq_eq .workspace.name "Acme Renamed"

# roles
put "$OWNER" "/api/workspace/members/$BOB_ID" '{"role":"admin"}'
check "make bob admin: 200" eq "$STATUS" 200
check "... the answer is bob, admin" jq_eq '[.id, .role] | join(" ")' "$BOB_ID admin"
as "$BOB" GET /api/workspace/invites
check "bob, now admin, may list invites" eq "$STATUS" 200
put "$OWNER" "/api/workspace/members/$BOB_ID" '{"role":"user"}'
check "make bob a user again: 200" jq_eq .role user
for bad in '{}' '{"role":"owner"}' '{"role":"admin","x":1}' '{"role":null}'; do
    put "$OWNER" "/api/workspace/members/$BOB_ID" "$bad"
    check "change a role with $bad is 400" eq "$STATUS" 400
done
for path in "/api/workspace/members/$NO_SUCH" /api/workspace/members/nope; do
    put "$OWNER" "$path" '{"role":"user"}'
    check "PUT $path is 404" eq "$STATUS" 404
    as "$OWNER" DELETE "$path"
    check "DELETE $path is 404" eq "$STATUS" 404
done
put "$CAROL" "/api/workspace/members/$CAROL_ID" '{"role":"user"}'
check "carol steps down to user: 200 (the owner stays admin)" eq "$STATUS" 200
put "$OWNER" "/api/workspace/members/$OWNER_ID" '{"role":"user"}'
check "the last admin cannot be demoted (409)" eq "$STATUS" 409
check "... conflict" jq_eq .error.code conflict
as "$OWNER" GET /api/auth/me
check "... and is still admin" jq_eq .user.role admin
put "$OWNER" "/api/workspace/members/$OWNER_ID" '{"role":"admin"}'
check "setting the last admin to admin is fine" eq "$STATUS" 200
put "$OWNER" "/api/workspace/members/$CAROL_ID" '{"role":"admin"}'
check "make carol admin again" eq "$STATUS" 200

# removal: bob's token and key stop working
post "$BOB" /api/api-keys '{"name":"bob key"}'
check "bob creates a key of his own" eq "$STATUS" 201
BOB_KEY=$(jq -r .key <<<"$BODY")
as "$BOB_KEY" GET /api/projects
check "bob's key works" eq "$STATUS" 200
as "$BOB" DELETE "/api/api-keys/$KEY2_ID"
check "a member cannot revoke the owner's key (403)" eq "$STATUS" 403
as "$KEY2" GET /api/projects
check "... which still works" eq "$STATUS" 200
as "$OWNER" DELETE "/api/workspace/members/$OWNER_ID"
check "you cannot remove yourself (409)" eq "$STATUS" 409
check "... naming id" jq_eq .error.field id
as "$OWNER" DELETE "/api/workspace/members/$BOB_ID"
check "remove bob: 204" eq "$STATUS" 204
as "$BOB" GET /api/auth/me
check "bob's token is 401 at once" eq "$STATUS" 401
as "$BOB_KEY" GET /api/projects
check "bob's key is 401 at once" eq "$STATUS" 401
req POST /api/auth/login "${JSON[@]}" -d "{\"email\":\"bob@acme-e2e.example\",\"password\":\"$E2E_PASSWORD\"}"
check "bob can no longer sign in" eq "$STATUS" 401
as "$OWNER" DELETE "/api/workspace/members/$BOB_ID"
check "removing bob again is 404" eq "$STATUS" 404
as "$OWNER" GET /api/workspace/members
check "the members are the owner and carol" jq_eq '[.members[].id] | sort | join(" ")' "$(printf '%s\n' "$OWNER_ID" "$CAROL_ID" | sort | paste -sd' ')"
as "$OWNER" GET /api/api-keys
check "bob's key is gone from the list" lacks "$BODY" "bob key"
as "$OWNER" GET "/api/projects/$P4"
check "the workspace's projects are untouched" eq "$STATUS" 200
post "$OWNER" /api/workspace/invites '{"email":"dave@acme-e2e.example","role":"admin"}'
check "bob's seat is free again" eq "$STATUS" 201
DAVE_INVITE1=$(jq -r .token <<<"$BODY")
post "$OWNER" /api/workspace/invites '{"email":"dave@acme-e2e.example","role":"user"}'
check "inviting the same email again replaces the invite (201, not 422)" eq "$STATUS" 201
DAVE_INVITE2=$(jq -r .token <<<"$BODY")
as "$OWNER" GET /api/usage
check "... one open invite still" jq_eq '[.members.used, .members.pending_invites] | map(tostring) | join(" ")' "3 1"
register dave@acme-e2e.example "$E2E_PASSWORD" "" "$DAVE_INVITE1"
check "... the replaced invite's token is refused" eq "$STATUS" 400
set_plan "$WS" free
register dave@acme-e2e.example "$E2E_PASSWORD" "" "$DAVE_INVITE2"
check "accepting an invite after a downgrade past the team limit is 422" eq "$STATUS" 422
check "... naming team_members" jq_eq .error.field team_members
set_plan "$WS" business
register dave@acme-e2e.example "$E2E_PASSWORD" "" "$DAVE_INVITE2"
check "back on business dave joins, with the new invite's role (user)" jq_eq '[.workspace.id, .user.role] | join(" ")' "$WS user"
unquota
as "$CAROL" DELETE "/api/workspace/members/$OWNER_ID"
check "an admin may remove another admin: 204" eq "$STATUS" 204
as "$OWNER" GET /api/auth/me
check "... whose token then is 401" eq "$STATUS" 401
put "$CAROL" "/api/workspace/members/$CAROL_ID" '{"role":"user"}'
check "carol, now the last admin, cannot step down (409)" eq "$STATUS" 409
as "$CAROL" DELETE "/api/workspace/members/$CAROL_ID"
check "... nor remove herself (409)" eq "$STATUS" 409

# an expired invite: refused at sign-up, and no longer holding a seat
post "$CAROL" /api/workspace/invites '{"email":"erin@acme-e2e.example"}'
check "carol invites erin" eq "$STATUS" 201
ERIN_INVITE=$(jq -r .token <<<"$BODY")
as "$CAROL" GET /api/usage
check "... one open invite" jq_eq .members.pending_invites 1
sql "UPDATE invites SET expires_at = 1 WHERE email = 'erin@acme-e2e.example'"
as "$CAROL" GET /api/usage
check "an expired invite holds no seat" jq_eq '[.members.used, .members.pending_invites] | map(tostring) | join(" ")' "2 0"
register erin@acme-e2e.example "$E2E_PASSWORD" "" "$ERIN_INVITE"
check "an expired invite's token is refused (400)" eq "$STATUS" 400
check "... naming invite_token" jq_eq .error.field invite_token

finish
