#!/usr/bin/env bash
# tests/e2e/test_auth.sh - sign-up, sign-in and the bearer tokens against the
# real server: registration (normalised email, password policy, duplicates,
# bad bodies), login (one message for a wrong password and an unknown email,
# the per-email lock-out), GET /api/auth/me, every way a token is refused
# (missing, another scheme, garbage, tampered, alg none, HS512, another
# secret, expired, revoked) and the per-user request quota.
. "$(dirname "$0")/lib.sh"

# The secret the server signs with: given explicitly (it overrides lib.sh's
# default), so that the test can sign tokens of its own.
SECRET=auth-e2e-secret-0123456789abcdef-xyz
start_server "JWT_SECRET=$SECRET" || { finish; exit 1; }

JSON=(-H 'Content-Type: application/json')
DB=$DB_URL
sql() { db_sql "$1" "$DB"; }

# --- token helpers (b64url, b64url_str, b64url_decode, jwt: lib.sh) -------------------
claims() { # SUB WS EXP [JTI]
    local now
    now=$(date +%s)
    printf '{"sub":"%s","ws":"%s","jti":"%s","iat":%d,"exp":%d}' "$1" "$2" "${4:-e2e$RANDOM$RANDOM}" "$now" "$3"
}

# --- register ------------------------------------------------------------------------
register "  Ana@Example.COM " "$E2E_PASSWORD" "Ana Co"
check "register answers 201" eq "$STATUS" 201
check "register gives a token" test -n "$TOKEN"
check "register gives expires_at" jq_eq '.expires_at | test("^20[0-9]{2}-")' true
check "the email is trimmed and lower-cased" jq_eq .user.email ana@example.com
check "the first user is the workspace's admin" jq_eq .user.role admin
check "the user has an id" jq_eq '.user.id | test("^[0-9a-f-]{36}$")' true
check "the user names its workspace" jq_eq '.user.workspace_id == .workspace.id' true
check "the company is kept" jq_eq .user.company "Ana Co"
check "the new workspace is on the free plan" jq_eq .workspace.plan_type free
check "the workspace is named after the company" jq_eq .workspace.name "Ana Co"
check "the answer holds no password" lacks "$BODY" "$E2E_PASSWORD"
check "the answer holds no password hash" lacks "$BODY" argon2
ANA_TOKEN=$TOKEN
ANA_ID=$(jq -r .user.id <<<"$BODY")
ANA_WS=$(jq -r .workspace.id <<<"$BODY")

register ana@example.com
check "a duplicate email is 409" eq "$STATUS" 409
check "... naming the field email" jq_eq .error.field email
check "... with the conflict code" jq_eq .error.code conflict
register "ANA@EXAMPLE.com"
check "a duplicate email in another case is 409" eq "$STATUS" 409
check "... naming email" jq_eq .error.field email
register "  ana@example.com  "
check "a duplicate email with spaces around is 409" eq "$STATUS" 409

# The password policy: each refused password is accepted for another account,
# so each refusal is for the reason the check names.
register weak1@example.com "Short1!x"
check "a 8-character password is 400" eq "$STATUS" 400
check "... naming password" jq_eq .error.field password
check "... saying it is too short" jq_eq '.error.message | test("at least 10")' true
register weak2@example.com "password123"
check "'password123' is 400" eq "$STATUS" 400
check "... naming password" jq_eq .error.field password
check "... as too common" jq_eq '.error.message | test("common")' true
register weak3@example.com "qwertyuiop"
check "'qwertyuiop' is 400" eq "$STATUS" 400
check "... naming password" jq_eq .error.field password
register marguerite.dubois@example.com "lamp Marguerite 42 zebra"
check "a password holding the email's local part is 400" eq "$STATUS" 400
check "... naming password" jq_eq .error.field password
check "... saying why" jq_eq '.error.message | test("email")' true
register weak4@example.com "lamp Dubois 42 zebra"
check "the same kind of password is fine for another email" eq "$STATUS" 201
register dubois@example.com "lamp Dubois 42 zebra"
check "a password holding the whole local part is 400" eq "$STATUS" 400
check "... naming password" jq_eq .error.field password
register weak5@example.com "ninechars"
check "a 9-character password is 400" eq "$STATUS" 400
check "... naming password" jq_eq .error.field password
register weak6@example.com "cobalt fern"
check "an 11-character uncommon password is accepted" eq "$STATUS" 201

for bad in "not-an-email" "@example.com" "ana@" "ana@example" "a b@example.com" "ana@@example.com" "ana@example..com" ""; do
    register "$bad"
    check "bad email '$bad' is 400" eq "$STATUS" 400
    check "... naming email" jq_eq .error.field email
done
long_local=$(printf 'a%.0s' $(seq 1 250))
register "$long_local@example.com"
check "an email over 254 characters is 400 naming email" jq_eq .error.field email

req POST /api/auth/register "${JSON[@]}" -d '{"password":"blue kettle over 9 hills"}'
check "register without email is 400" eq "$STATUS" 400
check "... naming email" jq_eq .error.field email
req POST /api/auth/register "${JSON[@]}" -d '{"email":"nopass@example.com"}'
check "register without password is 400" eq "$STATUS" 400
check "... naming password" jq_eq .error.field password
req POST /api/auth/register "${JSON[@]}" -d '{}'
check "register with an empty object is 400" eq "$STATUS" 400
req POST /api/auth/register "${JSON[@]}" -d '{"email":123,"password":"blue kettle over 9 hills"}'
check "a number as email is 400 naming email" jq_eq .error.field email
req POST /api/auth/register "${JSON[@]}" -d '[]'
check "a JSON array body is 400" eq "$STATUS" 400
req POST /api/auth/register -H 'Content-Type: text/plain' -d '{"email":"t@example.com","password":"blue kettle over 9 hills"}'
check "a text/plain body is 415" eq "$STATUS" 415
check "... unsupported_media_type" jq_eq .error.code unsupported_media_type
req POST /api/auth/register -d 'email=t@example.com&password=blue+kettle'
check "a form body is 415" eq "$STATUS" 415
req POST /api/auth/register "${JSON[@]}" -d '{"email":"unk@example.com","password":"blue kettle over 9 hills","admin":true}'
check "an unknown field is 400" eq "$STATUS" 400
check "... naming it" jq_eq .error.field admin
req POST /api/auth/register "${JSON[@]}" -d '{"email":"mal@example.com",'
check "malformed JSON is 400 malformed_json" jq_eq .error.code malformed_json
req POST /api/auth/register "${JSON[@]}" -d '{"email":"unk@example.com","password":"blue kettle over 9 hills","invite_token":"nope"}'
check "an unknown invite token is 400" eq "$STATUS" 400
check "... naming invite_token" jq_eq .error.field invite_token
req POST /api/auth/login "${JSON[@]}" -d '{"email":"unk@example.com","password":"blue kettle over 9 hills"}'
check "refused registrations create no account" eq "$STATUS" 401

# --- login and me ----------------------------------------------------------------------
login() { # EMAIL PASSWORD
    req POST /api/auth/login "${JSON[@]}" -d "$(jq -nc --arg e "$1" --arg p "$2" '{email: $e, password: $p}')"
}
login ana@example.com "$E2E_PASSWORD"
check "login answers 200" eq "$STATUS" 200
check "login gives a token" jq_eq '.token | length > 20' true
check "login names the user" jq_eq .user.id "$ANA_ID"
check "login names the workspace" jq_eq .workspace.id "$ANA_WS"
ANA_TOKEN2=$(jq -r .token <<<"$BODY")
check "a login token differs from the register token" ne "$ANA_TOKEN2" "$ANA_TOKEN"
login "  ANA@example.COM " "$E2E_PASSWORD"
check "login normalises the email" eq "$STATUS" 200
login ana@example.com "blue kettle over 9 hillz"
check "a wrong password is 401" eq "$STATUS" 401
WRONG_MSG=$(jq -r .error.message <<<"$BODY")
check "... with a message" test -n "$WRONG_MSG"
login nobody@example.com "$E2E_PASSWORD"
check "an unknown email is 401" eq "$STATUS" 401
check "... with the same message as a wrong password" jq_eq .error.message "$WRONG_MSG"
check "... and the same code" jq_eq .error.code unauthorized
req POST /api/auth/login "${JSON[@]}" -d '{"email":"ana@example.com"}'
check "login without password is 400" eq "$STATUS" 400
check "... naming password" jq_eq .error.field password
req POST /api/auth/login "${JSON[@]}" -d '{"email":"ana@example.com","password":"x","remember":true}'
check "login with an unknown field is 400 naming it" jq_eq .error.field remember
req POST /api/auth/login -H 'Content-Type: text/plain' -d '{"email":"ana@example.com","password":"x"}'
check "login with text/plain is 415" eq "$STATUS" 415

as "$ANA_TOKEN" GET /api/auth/me
check "me answers 200" eq "$STATUS" 200
check "me: the user" jq_eq .user.email ana@example.com
check "me: the user's id" jq_eq .user.id "$ANA_ID"
check "me: the role" jq_eq .user.role admin
check "me: the workspace" jq_eq .workspace.id "$ANA_WS"
check "me: the plan" jq_eq .plan.name free
check "me: the plan's limits" jq_eq .plan.max_projects 1
check "me: usage of projects" jq_eq .usage.projects.used 0
check "me: usage of members" jq_eq .usage.members.used 1
check "me: not via an API key" jq_eq .via_api_key false
check "me: no password hash" lacks "$BODY" argon2

# The lock-out: 10 failures for one email, then 429 even with the right password.
register lock@example.com
check "lock: signed up" eq "$STATUS" 201
LOCK_TOKEN=$TOKEN
n401=0
for i in $(seq 1 10); do
    login lock@example.com "wrong password number $i"
    [ "$STATUS" = 401 ] && n401=$((n401 + 1))
done
check "lock: the first 10 failures are 401 ($n401)" eq "$n401" 10
login lock@example.com "$E2E_PASSWORD"
check "lock: the 11th attempt with the right password is 429" eq "$STATUS" 429
check "lock: ... rate_limited" jq_eq .error.code rate_limited
check "lock: ... with Retry-After" matches "$(header Retry-After)" '^[1-9][0-9]*$'
check "lock: ... at most 15 minutes" bash -c "[ '$(header Retry-After)' -le 900 ]"
check "lock: ... and no token" jq_eq '.token // "none"' none
login LOCK@example.com "$E2E_PASSWORD"
check "lock: the email in another case is locked too" eq "$STATUS" 429
login ana@example.com "$E2E_PASSWORD"
check "lock: another email still signs in" eq "$STATUS" 200
as "$LOCK_TOKEN" GET /api/auth/me
check "lock: an existing token of the locked account still works" eq "$STATUS" 200

# --- tokens refused -------------------------------------------------------------------------
req GET /api/auth/me
check "no Authorization is 401" eq "$STATUS" 401
check "... with WWW-Authenticate: Bearer" eq "$(header WWW-Authenticate)" Bearer
check "... unauthorized" jq_eq .error.code unauthorized
req GET /api/auth/me -H "Authorization: Basic $(printf 'ana@example.com:%s' "$E2E_PASSWORD" | base64 -w0)"
check "Basic credentials are 401" eq "$STATUS" 401
check "... with WWW-Authenticate: Bearer" eq "$(header WWW-Authenticate)" Bearer
req GET /api/auth/me -H "Authorization: $ANA_TOKEN"
check "a token without 'Bearer' is 401" eq "$STATUS" 401
req GET /api/auth/me -H "Authorization: Bearer"
check "'Bearer' alone is 401" eq "$STATUS" 401
as "not-a-token" GET /api/auth/me
check "a garbage token is 401" eq "$STATUS" 401
check "... with WWW-Authenticate: Bearer" eq "$(header WWW-Authenticate)" Bearer
as "a.b.c" GET /api/auth/me
check "a three-part garbage token is 401" eq "$STATUS" 401
as "ck_0000000000000000000000000000000000000000" GET /api/auth/me
check "an unknown API key is 401" eq "$STATUS" 401
req GET /api/auth/me -H "Authorization: bearer $ANA_TOKEN"
check "the scheme is case-insensitive (bearer)" eq "$STATUS" 200

IFS=. read -r T_HEAD T_PAYLOAD T_SIG <<<"$ANA_TOKEN"
check "the server's token is HS256" eq "$(b64url_decode "$T_HEAD" | jq -r .alg)" HS256
PAYLOAD_JSON=$(b64url_decode "$T_PAYLOAD")
check "the token's payload names the user" eq "$(jq -r .sub <<<"$PAYLOAD_JSON")" "$ANA_ID"
# flip one character in the middle of the payload
mid=$((${#T_PAYLOAD} / 2))
c=${T_PAYLOAD:$mid:1}
if [ "$c" = A ]; then r=B; else r=A; fi
TAMPERED="$T_HEAD.${T_PAYLOAD:0:$mid}$r${T_PAYLOAD:$((mid + 1))}.$T_SIG"
check "the tampered token differs" ne "$TAMPERED" "$ANA_TOKEN"
as "$TAMPERED" GET /api/auth/me
check "a token with a flipped payload character is 401" eq "$STATUS" 401
# a payload changed on purpose: another user id, the old signature
EVIL_PAYLOAD=$(b64url_str "$(jq -c '.sub = "00000000-0000-7000-8000-000000000000"' <<<"$PAYLOAD_JSON")")
as "$T_HEAD.$EVIL_PAYLOAD.$T_SIG" GET /api/auth/me
check "a re-encoded payload with the old signature is 401" eq "$STATUS" 401
as "$T_HEAD.$T_PAYLOAD.${T_SIG:0:$((${#T_SIG} - 2))}" GET /api/auth/me
check "a truncated signature is 401" eq "$STATUS" 401
as "$T_HEAD.$T_PAYLOAD." GET /api/auth/me
check "a token with no signature is 401" eq "$STATUS" 401

FUTURE=$(($(date +%s) + 3600))
PAST=$(($(date +%s) - 60))
NONE_HEAD=$(b64url_str '{"alg":"none","typ":"JWT"}')
NONE_PAYLOAD=$(b64url_str "$(claims "$ANA_ID" "$ANA_WS" "$FUTURE")")
as "$NONE_HEAD.$NONE_PAYLOAD." GET /api/auth/me
check "an alg:none token is 401" eq "$STATUS" 401
as "$NONE_HEAD.$NONE_PAYLOAD.$T_SIG" GET /api/auth/me
check "an alg:none token with a signature is 401" eq "$STATUS" 401
NONE_HEAD2=$(b64url_str '{"alg":"None","typ":"JWT"}')
as "$NONE_HEAD2.$NONE_PAYLOAD." GET /api/auth/me
check "an alg:None token is 401" eq "$STATUS" 401

GOOD=$(jwt HS256 "$SECRET" "$(claims "$ANA_ID" "$ANA_WS" "$FUTURE")")
as "$GOOD" GET /api/auth/me
check "a token signed here with the server's secret and a future exp IS accepted" eq "$STATUS" 200
check "... as the right user" jq_eq .user.id "$ANA_ID"
as "$(jwt HS512 "$SECRET" "$(claims "$ANA_ID" "$ANA_WS" "$FUTURE")")" GET /api/auth/me
check "an HS512 token with the server's secret is 401" eq "$STATUS" 401
as "$(jwt HS256 "another-secret-another-secret-0123456" "$(claims "$ANA_ID" "$ANA_WS" "$FUTURE")")" GET /api/auth/me
check "an HS256 token signed with another secret is 401" eq "$STATUS" 401
as "$(jwt HS256 "$SECRET" "$(claims "$ANA_ID" "$ANA_WS" "$PAST")")" GET /api/auth/me
check "an expired token (exp a minute ago) is 401" eq "$STATUS" 401
check "... saying it expired" jq_eq '.error.message | test("expired")' true
as "$(jwt HS256 "$SECRET" "$(claims "00000000-0000-7000-8000-000000000000" "$ANA_WS" "$FUTURE")")" GET /api/auth/me
check "a well-signed token for an unknown user is 401" eq "$STATUS" 401
as "$(jwt HS256 "$SECRET" "$(claims "$ANA_ID" "00000000-0000-7000-8000-000000000000" "$FUTURE")")" GET /api/auth/me
check "a well-signed token naming another workspace is 401" eq "$STATUS" 401
as "$(jwt HS256 "$SECRET" "{\"sub\":\"$ANA_ID\",\"ws\":\"$ANA_WS\",\"jti\":\"x1\",\"iat\":1}")" GET /api/auth/me
check "a well-signed token without exp is 401" eq "$STATUS" 401
as "$(jwt HS256 "$SECRET" "{\"sub\":\"$ANA_ID\",\"ws\":\"$ANA_WS\",\"jti\":\"x2\",\"iat\":1,\"exp\":\"$FUTURE\"}")" GET /api/auth/me
check "a well-signed token with exp as a string is 401" eq "$STATUS" 401

# --- logout --------------------------------------------------------------------------------
as "$ANA_TOKEN" POST /api/auth/logout
check "logout answers 204" eq "$STATUS" 204
check "... with no body" eq "$BODY" ""
as "$ANA_TOKEN" GET /api/auth/me
check "the logged-out token is 401" eq "$STATUS" 401
check "... saying it was revoked" jq_eq '.error.message | test("revoked")' true
as "$ANA_TOKEN" POST /api/auth/logout
check "logging out again with it is 401" eq "$STATUS" 401
as "$ANA_TOKEN2" GET /api/auth/me
check "a second token of the same user still works" eq "$STATUS" 200
as "$GOOD" GET /api/auth/me
check "a third token of the same user still works" eq "$STATUS" 200
req POST /api/auth/logout
check "logout without a token is 401" eq "$STATUS" 401

# --- the per-user quota ---------------------------------------------------------------------
# API keys get api_quota requests a minute; sign-in sessions (the web UI) are
# counted apart, with at least 600.
register quota@example.com
check "quota: signed up" eq "$STATUS" 201
Q_TOKEN=$TOKEN
Q_ID=$(jq -r .user.id <<<"$BODY")
check "quota: the default quota is shown" jq_eq '.user.api_quota > 5' true
sql "UPDATE workspaces SET plan_type = 'business' WHERE id = '$(jq -r .workspace.id <<<"$BODY")'"
as "$Q_TOKEN" POST /api/api-keys "${JSON[@]}" -d '{"name":"quota key"}'
check "quota: an API key" eq "$STATUS" 201
Q_KEY=$(jq -r .key <<<"$BODY")
sql "UPDATE users SET api_quota = 5 WHERE id = '$Q_ID'"
check "quota: set to 5 in the database" eq "$(sql "SELECT api_quota FROM users WHERE id = '$Q_ID'")" 5
codes=""
for i in 1 2 3 4 5; do
    as "$Q_KEY" GET /api/auth/me
    codes="$codes$STATUS "
    [ "$i" = 1 ] && seen_quota=$(jq -r .user.api_quota <<<"$BODY")
done
check "quota: 5 requests by the key in a minute are served ($codes)" eq "$codes" "200 200 200 200 200 "
check "quota: me shows the quota of 5" eq "$seen_quota" 5
as "$Q_KEY" GET /api/auth/me
check "quota: the key's 6th request is 429" eq "$STATUS" 429
check "quota: ... rate_limited" jq_eq .error.code rate_limited
RA=$(header Retry-After)
check "quota: ... Retry-After is 1..60 ($RA)" bash -c "[[ '$RA' =~ ^[0-9]+$ ]] && [ '$RA' -ge 1 ] && [ '$RA' -le 60 ]"
# the person in the browser is not locked out by their script
for _ in 1 2 3; do login quota@example.com "$E2E_PASSWORD"; done
check "quota: logins are not refused" eq "$STATUS" 200
Q_TOKEN2=$(jq -r .token <<<"$BODY")
codes=""
for _ in 1 2 3 4 5 6 7 8; do
    as "$Q_TOKEN" GET /api/usage
    codes="$codes$STATUS "
done
check "quota: a session's requests are counted apart from the key's ($codes)" \
    eq "$codes" "200 200 200 200 200 200 200 200 "
# a session's own allowance: 600 a minute (9 used above: the key's creation
# and 8 reads; 591 left for both tokens), asked on one connection
printf 'url = "%s"\noutput = "/dev/null"\n' $(for _ in $(seq 592); do echo "$BASE/api/auth/me"; done) >"$TMP_ROOT/quota.curl"
session_codes=$(curl -s -w '%{http_code}\n' -H "Authorization: Bearer $Q_TOKEN2" -K "$TMP_ROOT/quota.curl" |
    sort | uniq -c | tr -s ' ' | tr '\n' ';')
check "quota: a session gets 600 a minute, the 601st is 429 ($session_codes)" \
    eq "$session_codes" " 591 200; 1 429;"
as "$Q_TOKEN" GET /api/auth/me
check "quota: the user's other token is refused too" eq "$STATUS" 429
check "quota: ... saying it is the sessions' quota" jq_eq \
    '.error.message | test("600 requests a minute for signed-in sessions")' true
login quota@example.com "$E2E_PASSWORD"
check "quota: login still works over the quota" eq "$STATUS" 200
register quota-third@example.com
check "quota: register still works" eq "$STATUS" 201
as "$LOCK_TOKEN" GET /api/auth/me
check "quota: another user is not affected" eq "$STATUS" 200

sql "UPDATE users SET api_quota = 1000 WHERE id = '$Q_ID'"
as "$Q_TOKEN" GET /api/auth/me
check "quota: raised in the database over 600, the session is served again" eq "$STATUS" 200
as "$Q_KEY" GET /api/auth/me
check "quota: ... and the key" eq "$STATUS" 200

finish
