#!/usr/bin/env bash
# tests/e2e/test_security.sh - the security suite over HTTP, generated from the
# route table (`crowdelic routes`, lib.sh's load_routes) so that a route added
# to it is covered without editing this file:
#   - the public routes are exactly an allow-list kept here (a new public
#     route fails until it is added: making a route public is a conscious act),
#     the test-only routes are all under /api/_test and absent outside
#     CROWDELIC_ENV=test;
#   - every non-public route, without a credential and with each bad one
#     (garbage, signature tampered, expired, another secret, alg none, HS512,
#     a removed member's token, a revoked API key) -> 401 JSON error with
#     WWW-Authenticate; an API key of a plan without api_access -> 403; never
#     2xx or 5xx; every answer with the security headers;
#   - cross-tenant: test_tenants.sh sweeps every id-taking route with every id
#     of another workspace; here only what it does not try: another
#     workspace's run and notification ids, and routes with two ids given the
#     caller's own parent and another workspace's child;
#   - SQL-injection, markup, unicode and control-character strings in every
#     text field of the creatable resources: stored and returned verbatim, the
#     tables intact, and escaped in the HTML export (which is also checked for
#     its headers);
#   - bodies: oversized (413), deeply nested, invalid UTF-8, NUL, duplicate
#     keys, huge numbers (400, never a crash);
#   - header injection (CR/LF in X-Request-Id, in a test name that ends up
#     near Content-Disposition and Location);
#   - path traversal to files outside WEB_DIR (more in test_static.sh);
#   - slow clients (silent and trickling) that do not hold up others and are
#     cut; floods: a quota flood answered 429 + Retry-After while health
#     checks are served, a connection flood refused quickly (the single
#     connection past the limit: test_ops.sh; the quota's arithmetic:
#     test_auth.sh; the idle timeout of one client: test_http.sh);
#   - the security headers on the UI and on API answers.
. "$(dirname "$0")/lib.sh"

SECRET=security-e2e-secret-0123456789abcdef-xyz
WEB=$TMP_ROOT/web
mkdir -p "$WEB/assets" "$TMP_ROOT/outside"
echo '<!doctype html><title>Crowdelic UI</title><div id="root"></div>' >"$WEB/index.html"
echo 'console.log("app")' >"$WEB/assets/app-1a2b3c.js"
echo 'TOP SECRET OUTSIDE' >"$TMP_ROOT/outside/secret.txt"

start_server "JWT_SECRET=$SECRET" "WEB_DIR=$WEB" || { finish; exit 1; }
DB=$DB_URL
JSON=(-H 'Content-Type: application/json')
sql() { db_sql "$1" "$DB"; }
post() { as "$1" POST "$2" "${JSON[@]}" --data-binary "$3"; }
put() { as "$1" PUT "$2" "${JSON[@]}" --data-binary "$3"; }
NO_SUCH=01a00000-0000-7000-8000-000000000000
now_s() { date +%s; }

# The security headers every answer of ours carries: framing refused, no
# sniffing, no referrer. HDRS_FILE (default lib.sh's HDRS).
secure_headers() {
    local f=${1:-$HDRS} csp xfo
    csp=$(grep -i '^Content-Security-Policy:' "$f" | tr -d '\r')
    xfo=$(grep -i '^X-Frame-Options:' "$f" | tr -d '\r')
    { [[ $csp == *"frame-ancestors 'none'"* ]] || [[ ${xfo,,} == *deny* ]]; } &&
        grep -qi '^X-Content-Type-Options: nosniff' "$f" &&
        grep -qiE '^Referrer-Policy: (no-referrer|same-origin|strict-origin)' "$f"
}

# --- batches: many requests on one curl (one connection) ---------------------------------
# batch_add METHOD PATH AUTH BODY: queues a request (AUTH: the Authorization
# value or ""; BODY: a JSON body or ""); batch_run runs them and sets
# B_STATUS[i], with B_DIR/i.body and B_DIR/i.hdr.
B_DIR=$TMP_ROOT/batch
cfg_str() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }
batch_reset() { rm -rf "$B_DIR"; mkdir -p "$B_DIR"; : >"$B_DIR/cfg"; B_N=0; B_STATUS=(); }
batch_add() {
    local method=$1 path=$2 auth=$3 body=$4
    {
        [ "$B_N" -eq 0 ] || echo next
        echo "url = $(cfg_str "$BASE$path")"
        echo "request = $method"
        [ -z "$auth" ] || echo "header = $(cfg_str "Authorization: $auth")"
        if [ -n "$body" ]; then
            echo 'header = "Content-Type: application/json"'
            echo "data-binary = $(cfg_str "$body")"
        fi
        echo "output = $(cfg_str "$B_DIR/$B_N.body")"
        echo "dump-header = $(cfg_str "$B_DIR/$B_N.hdr")"
        echo 'write-out = "%{http_code}\n"'
        echo 'max-time = 20'
        echo 'silent'
    } >>"$B_DIR/cfg"
    B_N=$((B_N + 1))
}
# batch_run also sets B_SUMMARY[i]: "STATUS ERROR_CODE ERROR_FIELD JSON WWW SECURE", the
# last three y or n: a JSON content type, WWW-Authenticate: Bearer, the
# security headers (see secure_headers) - read in one pass, the suite's
# checks stay cheap.
batch_run() {
    mapfile -t B_STATUS < <(curl -K "$B_DIR/cfg")
    mapfile -t B_SUMMARY < <(python3 - "$B_DIR" "$B_N" <<'PY'
import json, re, sys
d, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    try:
        raw = open(f"{d}/{i}.hdr", "rb").read().decode("latin-1")
    except OSError:
        raw = ""
    blocks = [b for b in re.split(r"\r?\n\r?\n", raw) if b.strip()]
    lines = blocks[-1].splitlines() if blocks else []
    status = lines[0].split()[1] if lines and len(lines[0].split()) > 1 else "000"
    h = {}
    for l in lines[1:]:
        if ":" in l:
            k, v = l.split(":", 1)
            h.setdefault(k.strip().lower(), []).append(v.strip())
    try:
        err = json.load(open(f"{d}/{i}.body", "rb")).get("error") or {}
    except Exception:
        err = {}
    yn = lambda b: "y" if b else "n"
    csp = " ".join(h.get("content-security-policy", []))
    secure = (("frame-ancestors 'none'" in csp or any("deny" in v.lower() for v in h.get("x-frame-options", [])))
              and "nosniff" in h.get("x-content-type-options", [])
              and any(re.match(r"(no-referrer|same-origin|strict-origin)", v) for v in h.get("referrer-policy", [])))
    print(status, err.get("code") or "-", err.get("field") or "-",
          yn(any(v.startswith("application/json") for v in h.get("content-type", []))),
          yn("Bearer" in h.get("www-authenticate", [])), yn(secure))
PY
    )
}

# --- the route table: the public allow-list --------------------------------------------
load_routes
check "crowdelic routes prints the table" test -n "$ROUTES"
# The only routes anyone may call without a credential. Adding one is a
# conscious act: add it here (and say why in api/routes.c).
PUBLIC_ALLOWED=("GET /healthz" "GET /readyz" "GET /metrics" "GET /api/openapi.yaml"
    "POST /api/auth/register" "POST /api/auth/login" "GET /api/plans")
TEST_ROUTES=()
for r in "${PUBLIC_ROUTES[@]}"; do
    read -r method pattern flags <<<"$r"
    if [[ " $flags " == *" test "* ]]; then
        TEST_ROUTES+=("$method $pattern")
        check "test-only route $method $pattern is under /api/_test/" matches "$pattern" '^/api/_test/'
        continue
    fi
    allowed=no
    for a in "${PUBLIC_ALLOWED[@]}"; do [ "$a" = "$method $pattern" ] && allowed=yes; done
    check "public route $method $pattern is in the allow-list" eq "$allowed" yes
done
for a in "${PUBLIC_ALLOWED[@]}"; do
    check "allow-listed $a is public in the table" contains " ${PUBLIC_ROUTES[*]} " " $a"
done
while read -r method pattern flags; do
    if [[ " $flags " == *" test "* ]] && [[ " $flags " != *" public "* ]]; then
        check "test-only route $method $pattern is public (it has no caller)" false
    fi
    if [[ $pattern == /api/_test/* ]] && [[ " $flags " != *" test "* ]]; then
        check "$method $pattern under /api/_test/ is flagged test" false
    fi
done <<<"$ROUTES"
N_PROTECTED=$((${#ID_ROUTES[@]} + ${#PLAIN_ROUTES[@]}))
check "the table has protected routes ($N_PROTECTED) and test routes (${#TEST_ROUTES[@]})" \
    test "$N_PROTECTED" -ge 50 -a "${#TEST_ROUTES[@]}" -ge 1

# --- three workspaces ----------------------------------------------------------------------
# X in A, B: a business workspace with an admin, a member (A's is removed
# later: its token must die), an API key, two personas from templates, a
# library, a conversation, a test with a finished run. F: an API key made on
# business, the workspace then back on free (no api_access).
make_tenant() {
    local x=$1 lx token ws
    lx=$(tr 'A-Z' 'a-z' <<<"$x")
    register "admin-$lx@sec-$lx.example" "$E2E_PASSWORD" "Security $x"
    check "$x: the admin signed up" eq "$STATUS" 201
    token=$TOKEN
    ws=$(jq -r .workspace.id <<<"$BODY")
    printf -v "${x}_ADMIN_ID" %s "$(jq -r .user.id <<<"$BODY")"
    sql "UPDATE workspaces SET plan_type = 'business' WHERE id = '$ws'"
    sql "UPDATE users SET api_quota = 1000000"
    post "$token" /api/workspace/invites "{\"email\":\"member-$lx@sec-$lx.example\"}"
    printf -v "${x}_INVITE" %s "$(jq -r .id <<<"$BODY")"
    register "member-$lx@sec-$lx.example" "$E2E_PASSWORD" "" "$(jq -r .token <<<"$BODY")"
    check "$x: the member joined" jq_eq .workspace.id "$ws"
    printf -v "${x}_MEMBER_TOKEN" %s "$TOKEN"
    printf -v "${x}_MEMBER_ID" %s "$(jq -r .user.id <<<"$BODY")"
    sql "UPDATE users SET api_quota = 1000000"
    post "$token" /api/api-keys '{"name":"sec key"}'
    check "$x: an API key" eq "$STATUS" 201
    printf -v "${x}_KEY" %s "$(jq -r .key <<<"$BODY")"
    printf -v "${x}_KEY_ID" %s "$(jq -r .id <<<"$BODY")"
    post "$token" /api/projects '{"name":"sec project"}'
    printf -v "${x}_PROJECT" %s "$(jq -r .id <<<"$BODY")"
    as "$token" GET /api/personas/templates
    local t1 t2 p1 p2
    t1=$(jq -r '.templates[0].id' <<<"$BODY")
    t2=$(jq -r '.templates[1].id' <<<"$BODY")
    post "$token" /api/personas "{\"template_id\":\"$t1\"}"
    p1=$(jq -r .id <<<"$BODY")
    post "$token" /api/personas "{\"template_id\":\"$t2\"}"
    p2=$(jq -r .id <<<"$BODY")
    check "$x: two personas" matches "$p1 $p2" '^[0-9a-f-]{36} [0-9a-f-]{36}$'
    printf -v "${x}_PERSONA" %s "$p1"
    printf -v "${x}_PERSONA2" %s "$p2"
    printf -v TEMPLATE %s "$t1"
    post "$token" /api/libraries '{"name":"sec library"}'
    printf -v "${x}_LIBRARY" %s "$(jq -r .id <<<"$BODY")"
    post "$token" "/api/libraries/$(jq -r .id <<<"$BODY")/personas" "{\"persona_ids\":[\"$p1\"]}"
    check "$x: a library holding a persona" eq "$STATUS" 200
    post "$token" "/api/personas/$p1/chat" '{"message":"hello"}'
    check "$x: a conversation" eq "$STATUS" 201
    printf -v "${x}_CONV" %s "$(jq -r .conversation_id <<<"$BODY")"
    post "$token" /api/tests "{\"name\":\"sec test\",\"type\":\"product\",\"config\":{\"personas\":[\"$p1\",\"$p2\"],
        \"scenarios\":[{\"id\":\"s\",\"stimulus\":\"An idea\",\"questions\":[{\"id\":\"q\",\"kind\":\"yes_no\",\"prompt\":\"Buy?\"}]}]}}"
    check "$x: a test" eq "$STATUS" 201
    local test run
    test=$(jq -r .id <<<"$BODY")
    as "$token" POST "/api/tests/$test/run"
    check "$x: a run started" eq "$STATUS" 202
    run=$(jq -r .id <<<"$BODY")
    printf -v "${x}_TEST" %s "$test"
    printf -v "${x}_RUN" %s "$run"
    printf -v "${x}_TOKEN" %s "$token"
    printf -v "${x}_WS" %s "$ws"
}
make_tenant A
make_tenant B
check "A's run finishes" wait_run "$A_TOKEN" "$A_TEST" "$A_RUN" "completed|failed|cancelled"
check "B's run finishes" wait_run "$B_TOKEN" "$B_TEST" "$B_RUN" "completed|failed|cancelled"
# a notification of A's (their kinds come from billing and limits: made here)
A_NOTE=01a00000-0000-7000-8000-00000000a0a0
sql "INSERT INTO notifications (id, workspace_id, kind, message, data, created_at)
     VALUES ('$A_NOTE', '$A_WS', 'plan_changed', 'A secret note', '{}', $(($(now_s) * 1000)))"
as "$A_TOKEN" GET /api/notifications
check "A sees its notification" jq_eq '[.notifications[].id] | index("'"$A_NOTE"'") != null' true

register admin-f@sec-f.example "$E2E_PASSWORD" "Security F"
F_WS=$(jq -r .workspace.id <<<"$BODY")
F_TOKEN=$TOKEN
sql "UPDATE workspaces SET plan_type = 'business' WHERE id = '$F_WS'"
sql "UPDATE users SET api_quota = 1000000"
post "$F_TOKEN" /api/api-keys '{"name":"f key"}'
F_KEY=$(jq -r .key <<<"$BODY")
as "$F_KEY" GET /api/auth/me
check "F's key works on business" eq "$STATUS" 200
sql "UPDATE workspaces SET plan_type = 'free' WHERE id = '$F_WS'"
as "$F_KEY" GET /api/auth/me
check "F's key on free (no api_access) is 403" eq "$STATUS" 403

# --- bad credentials -------------------------------------------------------------------------
IFS=. read -r T_HEAD T_PAYLOAD T_SIG <<<"$A_TOKEN"
mid=$((${#T_PAYLOAD} / 2))
c=${T_PAYLOAD:$mid:1}
if [ "$c" = A ]; then r=B; else r=A; fi
TAMPERED="$T_HEAD.${T_PAYLOAD:0:$mid}$r${T_PAYLOAD:$((mid + 1))}.$T_SIG"
claims() { # SUB WS EXP
    printf '{"sub":"%s","ws":"%s","jti":"sec%s%s","iat":%d,"exp":%d}' "$1" "$2" "$RANDOM" "$RANDOM" "$(now_s)" "$3"
}
FUTURE=$(($(now_s) + 3600))
GOOD=$(jwt HS256 "$SECRET" "$(claims "$A_ADMIN_ID" "$A_WS" "$FUTURE")")
as "$GOOD" GET /api/auth/me
check "a token signed here with the server's secret is accepted (the signer is right)" eq "$STATUS" 200
EXPIRED=$(jwt HS256 "$SECRET" "$(claims "$A_ADMIN_ID" "$A_WS" $(($(now_s) - 5)))")
OTHER_SECRET=$(jwt HS256 "another-secret-another-secret-0123456" "$(claims "$A_ADMIN_ID" "$A_WS" "$FUTURE")")
HS512=$(jwt HS512 "$SECRET" "$(claims "$A_ADMIN_ID" "$A_WS" "$FUTURE")")
ALG_NONE="$(b64url_str '{"alg":"none","typ":"JWT"}').$(b64url_str "$(claims "$A_ADMIN_ID" "$A_WS" "$FUTURE")")."
# A's member, removed: the token it had, and one signed for it now
as "$A_TOKEN" DELETE "/api/workspace/members/$A_MEMBER_ID"
check "A's member removed" eq "$STATUS" 204
REMOVED_SIGNED=$(jwt HS256 "$SECRET" "$(claims "$A_MEMBER_ID" "$A_WS" "$FUTURE")")
# an API key of A's, revoked
post "$A_TOKEN" /api/api-keys '{"name":"to revoke"}'
REVOKED_KEY=$(jq -r .key <<<"$BODY")
as "$A_TOKEN" DELETE "/api/api-keys/$(jq -r .id <<<"$BODY")"
check "an API key revoked" eq "$STATUS" 204
# A token logged out
post "$A_TOKEN" /api/auth/login "{\"email\":\"admin-a@sec-a.example\",\"password\":\"$E2E_PASSWORD\"}"
LOGGED_OUT=$(jq -r .token <<<"$BODY")
as "$LOGGED_OUT" POST /api/auth/logout
check "a token logged out" eq "$STATUS" 204

CRED_NAMES=(none garbage basic tampered expired other-secret hs512 alg-none removed-member
    removed-member-signed revoked-key logged-out unknown-key)
declare -A CRED=(
    [none]="" [garbage]="Bearer not-a-token" [basic]="Basic $(printf 'admin-a@sec-a.example:%s' "$E2E_PASSWORD" | base64 -w0)"
    [tampered]="Bearer $TAMPERED" [expired]="Bearer $EXPIRED" [other-secret]="Bearer $OTHER_SECRET"
    [hs512]="Bearer $HS512" [alg-none]="Bearer $ALG_NONE" [removed-member]="Bearer $A_MEMBER_TOKEN"
    [removed-member-signed]="Bearer $REMOVED_SIGNED" [revoked-key]="Bearer $REVOKED_KEY"
    [logged-out]="Bearer $LOGGED_OUT" [unknown-key]="Bearer ck_0000000000000000000000000000000000000000"
)

# The kind of object a route's :param names (by the segment before it and
# its name); unknown for a route this list does not know yet.
kind_for() { # PATTERN_PREFIX PARAM
    case "$1|$2" in
    */conversations\|:cid) echo CONV ;;
    */runs\|:rid) echo RUN ;;
    */personas\|:persona_id) echo PERSONA ;;
    /api/personas/templates\|*) echo TEMPLATE ;;
    /api/projects\|*) echo PROJECT ;;
    /api/personas\|*) echo PERSONA ;;
    /api/libraries\|*) echo LIBRARY ;;
    /api/tests\|*) echo TEST ;;
    /api/api-keys\|*) echo KEY_ID ;;
    /api/workspace/members\|*) echo ADMIN_ID ;;
    /api/workspace/invites\|*) echo INVITE ;;
    /api/notifications\|*) echo NOTE ;;
    *) echo unknown ;;
    esac
}
# The kinds of a pattern's params, in order, one a line.
param_kinds() {
    local seg prefix=""
    local IFS=/
    for seg in ${1#/}; do
        [[ $seg == :* ]] && kind_for "$prefix" "$seg"
        prefix="$prefix/$seg"
    done
}
# x_path PATTERN OWNER...: the path with each :param an object of the
# owner given for it (A, B, or NONE for an id that exists nowhere; the last
# owner repeated). Templates are shared by every workspace; an unknown kind
# gets the owner's project.
x_path() {
    local pattern=$1 out="" seg prefix="" k n=0 owner v
    shift
    local -a owners=("$@")
    local IFS=/
    for seg in ${pattern#/}; do
        if [[ $seg == :* ]]; then
            owner=${owners[$n]:-${owners[$((${#owners[@]} - 1))]}}
            k=$(kind_for "$prefix" "$seg")
            [ "$k" = unknown ] && k=PROJECT
            if [ "$k" = TEMPLATE ]; then v=$TEMPLATE
            elif [ "$owner" = NONE ]; then v=$NO_SUCH
            else v=${owner}_$k; v=${!v}; fi
            out="$out/$v"
            n=$((n + 1))
        else
            out="$out/$seg"
        fi
        prefix="$prefix/$seg"
    done
    printf '%s' "$out"
}
a_path() { x_path "$1" A; }
check "a_path fills a two-id route with A's objects" eq "$(a_path /api/tests/:id/runs/:rid/cancel)" "/api/tests/$A_TEST/runs/$A_RUN/cancel"
BAD_BODY='{"name":"x","role":"admin","email":"x@example.com","message":"x","persona_ids":[]}'

batch_reset
declare -A B_INDEX
for route in "${PLAIN_ROUTES[@]}" "${ID_ROUTES[@]}"; do
    read -r method pattern json <<<"$route"
    path=$(a_path "$pattern")
    body=""
    [ "$json" = json ] && body=$BAD_BODY
    for cn in "${CRED_NAMES[@]}" f-key; do
        if [ "$cn" = f-key ]; then auth="Bearer $F_KEY"; else auth=${CRED[$cn]}; fi
        B_INDEX["$method $pattern $cn"]=$B_N
        batch_add "$method" "$path" "$auth" "$body"
    done
done
t0=$(date +%s%N)
batch_run
t1=$(date +%s%N)
check "the credential sweep ran (${#B_STATUS[@]} requests of $B_N, $(((t1 - t0) / 1000000)) ms)" eq "${#B_STATUS[@]}" "$B_N"
# 401, a JSON error "unauthorized", WWW-Authenticate: Bearer, the security headers
unauth_ok() { [ "${B_SUMMARY[$1]}" = "401 unauthorized - y y y" ]; }
swept=0
for route in "${PLAIN_ROUTES[@]}" "${ID_ROUTES[@]}"; do
    read -r method pattern json <<<"$route"
    bad=""
    for cn in "${CRED_NAMES[@]}"; do
        i=${B_INDEX["$method $pattern $cn"]}
        unauth_ok "$i" || bad="$bad $cn(${B_SUMMARY[$i]})"
    done
    check "$method $pattern: every bad credential -> 401 JSON, WWW-Authenticate, secure headers${bad:+ (not:$bad)}" test -z "$bad"
    i=${B_INDEX["$method $pattern f-key"]}
    check "$method $pattern: an API key without api_access -> 403 api_access (${B_SUMMARY[$i]})" \
        matches "${B_SUMMARY[$i]}" '^403 forbidden api_access y n y$'
    swept=$((swept + 1))
done
check "every protected route was swept ($swept of $N_PROTECTED)" eq "$swept" "$N_PROTECTED"
# nothing of A's moved
as "$A_TOKEN" GET "/api/projects/$A_PROJECT"
check "A's project survived the sweep" eq "$STATUS" 200
as "$A_TOKEN" GET "/api/tests/$A_TEST/runs/$A_RUN"
check "A's run survived the sweep" jq_eq .status completed
as "$A_TOKEN" GET /api/api-keys
check "A's key is still live" jq_eq '[.api_keys[] | select(.id == "'"$A_KEY_ID"'")] | length' 1
as "$A_TOKEN" GET /api/workspace/members
check "A's admin is still admin" jq_eq '[.members[] | select(.id == "'"$A_ADMIN_ID"'") | .role] | join("")' admin

# the positive control: A's own token on every GET route (its objects) is let in
batch_reset
controls=()
for route in "${PLAIN_ROUTES[@]}" "${ID_ROUTES[@]}"; do
    read -r method pattern json <<<"$route"
    [ "$method" = GET ] || continue
    [[ $pattern == */events ]] && continue # event streams stay open
    controls+=("$pattern")
    batch_add GET "$(a_path "$pattern")" "Bearer $A_TOKEN" ""
done
batch_run
bad=""
for i in "${!controls[@]}"; do
    case "${B_STATUS[$i]}" in 401 | 5* | "") bad="$bad ${controls[$i]}(${B_STATUS[$i]})" ;; esac
done
check "A's token is let in on every GET route (${#controls[@]})${bad:+ (not:$bad)}" test -z "$bad"

# --- cross-tenant: what test_tenants.sh does not try ---------------------------------------
# test_tenants.sh calls every id-taking route with every id of another
# workspace (its projects, keys, members, invites, personas, libraries,
# conversations, tests, token id). Here: the ids it has not (runs,
# notifications), and every two-id route with the caller's own parent and
# the other workspace's child - each must answer as for an id that exists
# nowhere.
batch_reset
XT=()
for route in "${ID_ROUTES[@]}"; do
    read -r method pattern json <<<"$route"
    mapfile -t kinds < <(param_kinds "$pattern")
    body=""
    [ "$json" = json ] && body=$BAD_BODY
    combos=()
    if [ "${#kinds[@]}" -ge 2 ]; then
        owners=()
        for ((k = 0; k < ${#kinds[@]} - 1; k++)); do owners+=(B); done
        combos+=("${owners[*]} A|${owners[*]} NONE")
    fi
    case " ${kinds[*]} " in *" RUN "* | *" NOTE "*) combos+=("A|NONE") ;; esac
    for combo in "${combos[@]}"; do
        read -r -a own <<<"${combo%|*}"
        read -r -a fake <<<"${combo#*|}"
        for cred in "$B_TOKEN" "$B_KEY"; do
            who=token; [[ $cred == ck_* ]] && who=key
            XT+=("$method $pattern (owners ${own[*]}, by B's $who)")
            batch_add "$method" "$(x_path "$pattern" "${own[@]}")" "Bearer $cred" "$body"
            batch_add "$method" "$(x_path "$pattern" "${fake[@]}")" "Bearer $cred" "$body"
        done
    done
done
batch_run
for i in "${!XT[@]}"; do
    real=${B_SUMMARY[$((2 * i))]}
    fake=${B_SUMMARY[$((2 * i + 1))]}
    check "${XT[$i]} -> 404 as for an id that exists nowhere ($real)" \
        bash -c "[ '${real%% *}' = 404 ] && [ '$real' = '$fake' ]"
done
check "the mixed-owner sweep covered the two-id routes and the run and notification routes (${#XT[@]})" \
    test "${#XT[@]}" -ge 20
as "$A_TOKEN" GET "/api/tests/$A_TEST/runs/$A_RUN"
check "A's run is untouched" jq_eq .status completed
as "$A_TOKEN" GET /api/notifications
check "A's notification is still unread" jq_eq '[.notifications[] | select(.id == "'"$A_NOTE"'") | .read] | .[0]' false
as "$A_TOKEN" GET "/api/personas/$A_PERSONA/conversations/$A_CONV"
check "A's conversation is still there" eq "$STATUS" 200
as "$A_TOKEN" GET "/api/libraries/$A_LIBRARY"
check "A's library still holds its persona" contains "$BODY" "$A_PERSONA"

# --- hostile text: stored and returned verbatim --------------------------------------------
INJ=("'; DROP TABLE users; --" "\" OR 1=1 --" "' OR '1'='1' /*" "<script>alert(1)</script>"
    "<img src=x onerror=alert(1)>" "Zoë – 日本語 🎉 مرحبا \u202egnp.exe ﬁ" "\\\"; \\\\ %s %n {{7*7}} \${jndi:x}"
    "=HYPERLINK(\"https://evil.example\",\"x\")")
INJ[5]=$(printf '%b' "${INJ[5]}") # the right-to-left override, as a character
CTL=$'tab\there\nnew line\x01\x1f\x7f end' # control characters, no NUL
TABLES_BEFORE=$(sql "SELECT COUNT(*) FROM users; SELECT COUNT(*) FROM workspaces; SELECT COUNT(*) FROM projects")
# inject NAME METHOD SET_PATH BODY_JQ GET_PATH READ_JQ: for every string, the
# body ($s in BODY_JQ) is sent and the fields READ_JQ reads from GET_PATH
# must be it, byte for byte ("{key}" in GET_PATH and READ_JQ: that key of
# the write's answer). The control characters: verbatim too, or refused
# with a 400 naming a field.
inject() {
    local name=$1 method=$2 set_path=$3 body_jq=$4 get_path=$5 read_jq=$6 str i=0 verbatim=0 bad=""
    local refused=""
    for str in "${INJ[@]}" "$CTL"; do
        as "$A_TOKEN" "$method" "$set_path" "${JSON[@]}" --data-binary "$(jq -nc --arg s "$str" "$body_jq")"
        local st=$STATUS set_body=$BODY gp=$get_path rj=$read_jq key
        if [ "$str" = "$CTL" ] && [ "$st" = 400 ] &&
            jq -e '.error.code == "invalid_request" and (.error.field | length > 0) and (.error.message | test("control characters"))' <<<"$set_body" >/dev/null; then
            refused=" (control characters refused, naming $(jq -r .error.field <<<"$set_body"))"
            continue
        fi
        case "$st" in 2??) ;; *) bad="$bad [$i: set $st ${set_body:0:120}]"; i=$((i + 1)); continue ;; esac
        while [[ $gp$rj =~ \{([a-z_]+)\} ]]; do
            key=${BASH_REMATCH[1]}
            gp=${gp//"{$key}"/$(jq -r ".$key" <<<"$set_body")}
            rj=${rj//"{$key}"/$(jq -r ".$key" <<<"$set_body")}
        done
        as "$A_TOKEN" GET "$gp"
        if [ "$STATUS" = 200 ] && jq -e --arg s "$str" "[$rj] | length > 0 and all(. == \$s)" <<<"$BODY" >/dev/null; then
            verbatim=$((verbatim + 1))
        else
            bad="$bad [$i: read $STATUS]"
        fi
        i=$((i + 1))
    done
    check "$name: ${#INJ[@]} hostile strings stored and read back verbatim ($verbatim)$refused${bad:+ - not:$bad}" test -z "$bad"
}
inject "workspace name" PUT /api/workspace '{name: $s}' /api/workspace '.workspace.name'
inject "project name and description" PUT "/api/projects/$A_PROJECT" '{name: $s, description: $s}' \
    "/api/projects/$A_PROJECT" '.name, .description'
inject "library name and description" PUT "/api/libraries/$A_LIBRARY" '{name: $s, description: $s}' \
    "/api/libraries/$A_LIBRARY" '.name, .description'
inject "persona text fields" PUT "/api/personas/$A_PERSONA2" \
    '{name: $s, demographics: {age: 30, location: $s, occupation: $s, nationality: $s, education: $s},
      personality: {traits: [$s], interests: [$s]}, profile: {style: $s, likes: [$s], other_facts: [$s],
      occupation_detail: {organization: $s, description: $s}, relationships: [{name: $s, description: $s}]}}' \
    "/api/personas/$A_PERSONA2" '.name, .demographics.location, .demographics.occupation,
      .demographics.nationality, .demographics.education, .personality.traits[0], .personality.interests[0],
      .profile.style, .profile.likes[0], .profile.other_facts[0], .profile.occupation_detail.organization,
      .profile.occupation_detail.description, .profile.relationships[0].name, .profile.relationships[0].description'
inject "test name, stimulus, variants and question prompts" POST /api/tests \
    "{name: \$s, type: \"message\", config: {personas: [\"$A_PERSONA\"], scenarios: [{id: \"s\", stimulus: \$s,
      variants: [{id: \"A\", stimulus: \$s}, {id: \"B\", stimulus: \"plain\"}],
      questions: [{id: \"q\", kind: \"yes_no\", prompt: \$s}, {id: \"w\", kind: \"text\", prompt: \$s}]}]}}" \
    "/api/tests/{id}" '.name, .config.scenarios[0].stimulus, .config.scenarios[0].variants[0].stimulus,
      .config.scenarios[0].questions[0].prompt, .config.scenarios[0].questions[1].prompt'
inject "interview message" POST "/api/personas/$A_PERSONA/chat" '{message: $s}' \
    "/api/personas/$A_PERSONA/conversations/{conversation_id}" '.messages[0].content'
inject "API key name" POST /api/api-keys '{name: $s}' /api/api-keys '.api_keys[] | select(.id == "{id}") | .name'
HOOK="https://hooks.example.com/x?q='%20OR%201=1--&r=\"><script>alert(1)</script>&s=';DROP%20TABLE%20webhooks;--"
put "$A_TOKEN" /api/workspace/webhook "$(jq -nc --arg u "$HOOK" '{url: $u}')"
check "a webhook URL with quotes, markup and SQL is accepted (printable ASCII)" eq "$STATUS" 200
as "$A_TOKEN" GET /api/workspace/webhook
check "... and read back verbatim" jq_eq .url "$HOOK"
put "$A_TOKEN" /api/workspace/webhook "$(jq -nc '{url: "https://hooks.example.com/x\r\nX-Injected: 1"}')"
check "a webhook URL with CR/LF is refused naming url" jq_eq '[.error.code, .error.field] | join(" ")' "invalid_request url"
as "$A_TOKEN" DELETE /api/workspace/webhook
TABLES_AFTER=$(sql "SELECT COUNT(*) FROM users; SELECT COUNT(*) FROM workspaces; SELECT COUNT(*) FROM projects")
check "the users, workspaces and projects tables are intact" eq "$TABLES_AFTER" "$TABLES_BEFORE"
if [ "$DB_BACKEND" = sqlite ]; then
    check "no table was dropped" test "$(sql "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('users', 'webhooks', 'projects', 'personas', 'tests')")" = 5
fi
as "$A_TOKEN" GET "/api/personas?q=$(jq -rn --arg s "' OR 1=1 --" '$s | @uri')"
check "a search for \"' OR 1=1 --\" finds nothing, without an error" jq_eq '.personas | length' 0
as "$A_TOKEN" GET "/api/personas?sort=$(jq -rn --arg s "name; DROP TABLE personas" '$s | @uri')"
check "a sort of \"name; DROP TABLE personas\" is 400 naming sort" jq_eq .error.field sort

# --- the exports of a run whose texts are hostile -------------------------------------------
XSS_NAME='=HYPERLINK("https://evil.example","x")<script>alert(3)</script>'
put "$A_TOKEN" "/api/personas/$A_PERSONA2" "$(jq -nc --arg s "$XSS_NAME" '{name: $s, demographics: {age: 30}}')"
check "a persona named with a formula and a script" eq "$STATUS" 200
post "$A_TOKEN" /api/tests "$(jq -nc --arg p "$A_PERSONA2" '{name: "<script>alert(1)</script> evil\"; filename=\"x.html",
  type: "product", config: {personas: [$p], scenarios: [{id: "s", stimulus: "<img src=x onerror=alert(1)>",
  questions: [{id: "q", kind: "yes_no", prompt: "<script>alert(2)</script>"},
              {id: "w", kind: "text", prompt: "-2+3 <svg onload=alert(4)>"}]}]}}')"
check "a test named and worded with markup" eq "$STATUS" 201
check "... its Location is its id's path only" eq "$(header Location)" "/api/tests/$(jq -r .id <<<"$BODY")"
X_TEST=$(jq -r .id <<<"$BODY")
as "$A_TOKEN" POST "/api/tests/$X_TEST/run"
X_RUN=$(jq -r .id <<<"$BODY")
check "... its run finishes" wait_run "$A_TOKEN" "$X_TEST" "$X_RUN" "completed|failed|cancelled"
as "$A_TOKEN" GET "/api/tests/$X_TEST/export?format=html"
check "the HTML export: 200 text/html" eq "$STATUS $(header Content-Type)" "200 text/html; charset=utf-8"
printf '%s' "$BODY" >"$TMP_ROOT/export.html"
check "... no raw <script>, <img or <svg onload from the texts" \
    bash -c "! grep -qiE '<script|<img src=x|<svg onload' '$TMP_ROOT/export.html'"
check "... the test name escaped" contains "$BODY" "&lt;script&gt;alert(1)&lt;/script&gt;"
check "... the question escaped" contains "$BODY" "&lt;script&gt;alert(2)&lt;/script&gt;"
check "... the text question escaped" contains "$BODY" "&lt;svg onload=alert(4)&gt;"
check "... a CSP that allows no script" contains "$(header Content-Security-Policy)" "default-src 'none'"
check "... and the security headers" secure_headers
for fmt in json csv html; do
    as "$A_TOKEN" GET "/api/tests/$X_TEST/export?format=$fmt"
    check "the $fmt export's file name is the run's id, whatever the test's name" \
        eq "$(header Content-Disposition)" "attachment; filename=\"crowdelic-run-$X_RUN.$fmt\""
    check "... one Content-Disposition, no header from the texts" \
        bash -c "[ \$(grep -ci '^Content-Disposition:' '$HDRS') = 1 ] && ! grep -qi '^filename\|^X-Injected' '$HDRS'"
done
as "$A_TOKEN" GET "/api/tests/$X_TEST/export?format=json"
check "the JSON export holds the test's name verbatim" jq_eq .report.test.name '<script>alert(1)</script> evil"; filename="x.html'
as "$A_TOKEN" GET "/api/tests/$X_TEST/export?format=csv"
printf '%s' "$BODY" >"$TMP_ROOT/export.csv"
CSV_CELLS=$(python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
cells = [c for r in rows[1:] for c in r]
formula = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
names = sorted({r[2] for r in rows[1:]})
print(len(formula), "|".join(names))
' "$TMP_ROOT/export.csv")
check "the CSV export: no cell a spreadsheet reads as a formula, the name kept after a quote ($CSV_CELLS)" \
    eq "$CSV_CELLS" "0 '$XSS_NAME"
as "$A_TOKEN" GET "/api/tests/$X_TEST/export?format=$(jq -rn '"html\r\nX-Injected: 1" | @uri')"
check "an export format holding CR/LF is 400 naming format, no header injected" \
    bash -c "[ '$STATUS' = 400 ] && ! grep -qi '^X-Injected' '$HDRS'"

# --- hostile bodies (the limits' exact edges: test_http.sh) -----------------------------------
err_of() { printf '%s %s' "$STATUS" "$(jq -r .error.code <<<"$BODY" 2>/dev/null)"; }
head -c $((2 * 1024 * 1024)) /dev/zero | tr '\0' a | sed 's/^/{"name":"/; s/$/"}/' >"$TMP_ROOT/big.json"
post "$A_TOKEN" /api/projects "@$TMP_ROOT/big.json"
check "a 2 MiB body on a real route is 413 (over HTTP_MAX_BODY_BYTES)" eq "$(err_of)" "413 payload_too_large"
as "$A_TOKEN" POST /api/projects "${JSON[@]}" -H 'Transfer-Encoding: chunked' --data-binary "@$TMP_ROOT/big.json"
check "... and chunked, 413 at its end" eq "$(err_of)" "413 payload_too_large"
head -c 100000 /dev/zero | tr '\0' '[' >"$TMP_ROOT/deep.json"
post "$A_TOKEN" /api/projects "@$TMP_ROOT/deep.json"
check "100,000 '[' is 400 malformed_json" eq "$(err_of)" "400 malformed_json"
{ head -c 100000 /dev/zero | tr '\0' '['; head -c 100000 /dev/zero | tr '\0' ']'; } >"$TMP_ROOT/deep2.json"
post "$A_TOKEN" /api/projects "@$TMP_ROOT/deep2.json"
check "100,000 nested arrays, closed, are 400 (too deep)" eq "$(err_of)" "400 malformed_json"
python3 -c 'import sys; sys.stdout.write("{\"name\":\"x\",\"description\":" + "{\"a\":" * 50000 + "1" + "}" * 50000 + "}")' >"$TMP_ROOT/deep3.json"
post "$A_TOKEN" /api/projects "@$TMP_ROOT/deep3.json"
check "50,000 nested objects inside a field are 400" eq "${STATUS}" 400
python3 -c 'import sys; sys.stdout.write("{\"name\":\"x\",\"demographics\":{\"age\":30},\"profile\":{\"other_facts\":" + "[" * 3000 + "]" * 3000 + "}}")' >"$TMP_ROOT/deep4.json"
post "$A_TOKEN" /api/personas "@$TMP_ROOT/deep4.json"
check "3,000 nested arrays inside a persona's profile are 400" eq "${STATUS}" 400
printf '{"name":"bad \xff\xfe utf-8"}' >"$TMP_ROOT/utf8.json"
post "$A_TOKEN" /api/projects "@$TMP_ROOT/utf8.json"
check "invalid UTF-8 is 400" eq "$STATUS" 400
printf '{"name":"overlong \xc0\xaf slash"}' >"$TMP_ROOT/utf8b.json"
post "$A_TOKEN" /api/projects "@$TMP_ROOT/utf8b.json"
check "an overlong UTF-8 encoding is 400" eq "$STATUS" 400
post "$A_TOKEN" /api/projects '{"name":"lone \ud800 surrogate"}'
check "a lone surrogate escape is 400" eq "$STATUS" 400
post "$A_TOKEN" /api/projects '{"name":"nul \u0000 inside"}'
check "a NUL inside a string is 400" eq "$STATUS" 400
printf '{"name":"raw nul \x00 inside"}' >"$TMP_ROOT/nul.json"
post "$A_TOKEN" /api/projects "@$TMP_ROOT/nul.json"
check "a raw NUL byte in the body is 400" eq "$STATUS" 400
post "$A_TOKEN" /api/projects '{"name":"a","name":"b"}'
check "duplicate keys are 400, as documented (jsonio_parse)" eq "$(err_of)" "400 malformed_json"
put "$A_TOKEN" /api/workspace/members/"$A_ADMIN_ID" '{"role":"user","role":"admin"}'
check "duplicate keys cannot smuggle a second role" eq "$STATUS" 400
for n in 1e999 -1e999 99999999999999999999999 -9223372036854775809 1e308 0.5 NaN Infinity; do
    post "$A_TOKEN" /api/personas "{\"name\":\"Huge\",\"demographics\":{\"age\":$n}}"
    check "an age of $n is 400" eq "$STATUS" 400
done
as "$A_TOKEN" GET "/api/personas?limit=99999999999999999999999"
check "a huge limit in the query is 400 naming limit" jq_eq .error.field limit
as "$A_TOKEN" GET "/api/personas?limit=-1&offset=-9223372036854775808"
check "negative paging in the query is 400" eq "$STATUS" 400
as "$A_TOKEN" GET /api/auth/me
check "the server is fine after the hostile bodies" eq "$STATUS" 200

# --- header injection --------------------------------------------------------------------------
# raw REQUEST -> the raw answer (headers and body), as the server sent it
raw_http() {
    python3 - "$PORT" "$1" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
s.sendall(sys.argv[2].encode("latin-1").decode("unicode_escape").encode("latin-1"))
data = b""
try:
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
        if b"\r\n\r\n" in data and b"Connection: close" not in data and len(data) > 200:
            break
except socket.timeout:
    pass
sys.stdout.write(data.decode("latin-1"))
PY
}
injected() { # RAW_ANSWER: true when a header of ours came from the request
    grep -qiE '^(Set-Cookie|X-Injected)' <<<"$(sed -n '1,/^\r\?$/p' <<<"$1")"
}
for v in 'abc\\r\\nSet-Cookie: evil=1' 'abc\\rSet-Cookie: evil=1' 'abc\\nSet-Cookie: evil=1' \
    'abc\\r\\n Set-Cookie: evil=1' 'abc%0d%0aSet-Cookie:%20evil=1' 'abc\\x00Set-Cookie: evil=1'; do
    out=$(raw_http "GET /healthz HTTP/1.1\\r\\nHost: x\\r\\nX-Request-Id: $v\\r\\nConnection: close\\r\\n\\r\\n")
    rid=$(grep -i '^X-Request-Id:' <<<"$out" | head -1 | tr -d '\r')
    check "X-Request-Id '$v': no header injected, the id not echoed raw ($(head -1 <<<"$out" | tr -d '\r'); $rid)" \
        bash -c "! grep -qiE '^(Set-Cookie|X-Injected)' <<<\"\$(sed -n '1,/^\r\?\$/p' <<<'$out')\" && ! grep -qi 'evil' <<<'$rid'"
done
out=$(raw_http "GET /api/no%0d%0aX-Injected:%201/x HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n")
check "an encoded CR/LF in the path injects no header ($(head -1 <<<"$out" | tr -d '\r'))" bash -c "! injected '$out'"
out=$(raw_http "GET /healthz HTTP/1.1\\r\\nHost: x\\r\\nOrigin: https://a.example\\r\\nX-Injected: 1\\r\\nConnection: close\\r\\n\\r\\n")
check "a request header is never reflected as a response header" bash -c "! injected '$out'"

# --- path traversal on the static files (more shapes: test_static.sh) -------------------------
for p in '/../../../../etc/passwd' '/%2e%2e/%2e%2e/%2e%2e/etc/passwd' '/assets/..%2f..%2f..%2f..%2fetc%2fpasswd' \
    '/..%252f..%252f..%252fetc%252fpasswd' '/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd' '/assets/..%5c..%5c..%5cetc%5cpasswd' \
    '//etc/passwd' '/assets/%2e%2e/%2e%2e/outside/secret.txt' '/..%2foutside%2fsecret.txt' \
    '/index.html%00.png' '/assets/app-1a2b3c.js%00/../../outside/secret.txt' '/%2fetc%2fpasswd' \
    '/assets/....//....//outside/secret.txt' "/$(printf '..%%2f%.0s' $(seq 1 40))etc/passwd"; do
    STATUS=$(curl -s --path-as-is -o "$TMP_ROOT/trav" -D "$HDRS" -w '%{http_code}' "$BASE$p")
    check "traversal $p: nothing from outside WEB_DIR ($STATUS)" \
        bash -c "! grep -q -e 'root:' -e 'TOP SECRET' '$TMP_ROOT/trav' && [ '${STATUS:0:1}' != 5 ]"
done
req GET /api/../../etc/passwd --path-as-is
check "an API path with .. never reaches a file" bash -c "! grep -q 'root:' <<<'$BODY'"

# --- security headers on the UI and the API ------------------------------------------------------
for p in / /index.html /personas/42 /assets/app-1a2b3c.js /missing.png /healthz /api/plans /api/nope; do
    req GET "$p"
    check "GET $p ($STATUS) has the security headers" secure_headers
done
req GET /
check "the UI's CSP refuses framing" contains "$(header Content-Security-Policy)" "frame-ancestors 'none'"
check "... and allows only its own scripts" bash -c "grep -i '^Content-Security-Policy:' '$HDRS' | grep -q \"script-src 'self'\" && ! grep -i '^Content-Security-Policy:' '$HDRS' | grep -qi 'unsafe-eval'"
check "... X-Frame-Options DENY" eq "$(header X-Frame-Options)" DENY
check "... nosniff" eq "$(header X-Content-Type-Options)" nosniff
check "... Referrer-Policy no-referrer" eq "$(header Referrer-Policy)" no-referrer
check "... no server version" bash -c "! grep -qiE '^(Server|X-Powered-By):.*[0-9]' '$HDRS'"
as "$A_TOKEN" GET /api/auth/me
check "an API answer has the security headers" secure_headers
check "... and is never cached (Cache-Control: no-store)" eq "$(header Cache-Control)" no-store
req POST /api/auth/login "${JSON[@]}" -d "{\"email\":\"admin-b@sec-b.example\",\"password\":\"$E2E_PASSWORD\"}"
check "a login's answer, which carries a token, is never cached" eq "$STATUS $(header Cache-Control)" "200 no-store"
req GET /assets/app-1a2b3c.js
check "a static file keeps its own caching, once" eq "$(grep -ci '^Cache-Control:' "$HDRS")" 1


stop_server

# --- slow clients, floods, and no test routes outside the test environment ---------------------
start_server CROWDELIC_ENV=development HTTP_IDLE_TIMEOUT=2 HTTP_THREADS=2 HTTP_MAX_CONNECTIONS=24 \
    "JWT_SECRET=$SECRET" || { finish; exit 1; }
DB=$DB_URL
for r in "${TEST_ROUTES[@]}"; do
    read -r method pattern <<<"$r"
    req "$method" "$pattern" "${JSON[@]}" -d '{}'
    check "test-only $method $pattern is absent outside CROWDELIC_ENV=test ($STATUS)" eq "$STATUS" 404
done
under() { python3 -c "import sys; sys.exit(not ($1))"; } # a Python comparison of numbers

# SILENT connections that send nothing and TRICKLE ones that send a request's
# headers a byte every 0.2 s, never ending them; meanwhile five ordinary
# requests. Prints the slowest ordinary answer and when the last of each
# kind was cut (99: never, within LIMIT_S).
slow_clients() { # SILENT TRICKLE LIMIT_S
    python3 - "$PORT" "$@" <<'PY'
import http.client, socket, sys, threading, time
port, n_silent, n_trickle, limit = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
res, lock = {"silent": [], "trickle": []}, threading.Lock()
def watch(kind, s, t0):
    s.settimeout(0.2)
    if kind == "trickle":
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: ")
    closed = None
    while time.time() - t0 < limit:
        try:
            if kind == "trickle":
                s.send(b"a")
            if not s.recv(4096):
                closed = time.time() - t0
                break
        except socket.timeout:
            continue
        except OSError:
            closed = time.time() - t0
            break
    with lock:
        res[kind].append(closed)
    s.close()
threads = []
for kind, n in (("silent", n_silent), ("trickle", n_trickle)):
    for _ in range(n):
        th = threading.Thread(target=watch, args=(kind, socket.create_connection(("127.0.0.1", port)), time.time()))
        th.start()
        threads.append(th)
time.sleep(0.3)
slowest = 0.0
for _ in range(5):
    a = time.time()
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        c.request("GET", "/healthz")
        ok = c.getresponse().status == 200
        c.close()
    except Exception:
        ok = False
    slowest = max(slowest, time.time() - a if ok else 99)
    time.sleep(0.2)
for th in threads:
    th.join()
cut = lambda l: max(99 if x is None else x for x in l)
print("%.2f %.1f %.1f" % (slowest, cut(res["silent"]), cut(res["trickle"])))
PY
}
read -r slowest silent_cut trickle_cut <<<"$(slow_clients 6 6 8)"
check "6 silent and 6 trickling clients do not hold up others (slowest ordinary answer ${slowest} s)" \
    under "$slowest < 1.5"
check "... the silent ones are cut after HTTP_IDLE_TIMEOUT (2 s; the last at ${silent_cut} s)" \
    under "1.5 <= $silent_cut < 5"
check "... and so are the trickling ones, never idle but never done (the last at ${trickle_cut} s)" \
    under "1.5 <= $trickle_cut < 5"
req GET /healthz
check "the server answers after the slow clients" eq "$STATUS" 200
# a keep-alive connection that finished a request and then trickles the next one
read -r _ kstatus _ kcut <<<"$(python3 - "$PORT" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.settimeout(0.2)
s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
first = b""
t0 = time.time()
while b"\r\n\r\n" not in first and time.time() - t0 < 3:
    try:
        first += s.recv(4096)
    except socket.timeout:
        pass
t0 = time.time()
s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: ")
closed = None
while time.time() - t0 < 8:
    try:
        s.send(b"a")
        if not s.recv(4096):
            closed = time.time() - t0
            break
    except socket.timeout:
        continue
    except OSError:
        closed = time.time() - t0
        break
print(first.split(b"\r\n")[0].decode() or "- none -", "%.1f" % (99 if closed is None else closed))
PY
)"
check "a kept-alive connection (first answer $kstatus) trickling its next request is cut too (at ${kcut} s)" \
    under "'$kstatus' == '200' and 1.5 <= $kcut < 5"

# a flood of requests past the quota: exactly the quota served, the rest 429
# with Retry-After, health checks served all along
register flood@sec-flood.example
FLOOD_WS=$(jq -r .workspace.id <<<"$BODY")
FLOOD_ID=$(jq -r .user.id <<<"$BODY")
sql "UPDATE workspaces SET plan_type = 'business' WHERE id = '$FLOOD_WS'"
post "$TOKEN" /api/api-keys '{"name":"flood"}'
FLOOD_KEY=$(jq -r .key <<<"$BODY")
sql "UPDATE users SET api_quota = 25 WHERE id = '$FLOOD_ID'"
for _ in $(seq 200); do printf 'url = "%s"\noutput = "/dev/null"\n' "$BASE/api/projects"; done >"$TMP_ROOT/flood.curl"
(for _ in $(seq 10); do curl -s -o /dev/null -w '%{http_code}\n' --max-time 2 "$BASE/healthz"; sleep 0.1; done) \
    >"$TMP_ROOT/health.codes" &
health=$!
flood=$(curl -s --parallel --parallel-max 12 -H "Authorization: Bearer $FLOOD_KEY" -K "$TMP_ROOT/flood.curl" \
    -w '%{http_code} %header{retry-after}\n' 2>/dev/null | awk '{print $1 ($2 != "" ? "/ra" : "")}' | sort | uniq -c |
    awk '{printf "%s:%s ", $2, $1}')
wait "$health"
check "200 requests at once with a key of quota 25: 25 served, 175 429 with Retry-After ($flood)" \
    eq "$flood" "200:25 429/ra:175 "
check "... health checks answered throughout ($(sort "$TMP_ROOT/health.codes" | uniq -c | tr -s ' \n' ' '))" \
    eq "$(sort -u "$TMP_ROOT/health.codes")" 200

# a flood of connections past HTTP_MAX_CONNECTIONS (24): refused at once, then served again
read -r refused took during <<<"$(python3 - "$PORT" <<'PY'
import socket, sys, time
port = int(sys.argv[1])
held, refused = [], 0
for _ in range(80):
    try:
        held.append(socket.create_connection(("127.0.0.1", port), timeout=2))
    except OSError:
        refused += 1
time.sleep(0.5)
for s in held:
    s.settimeout(0.05)
    try:
        if not s.recv(1):
            refused += 1
    except socket.timeout:
        pass
    except OSError:
        refused += 1
a = time.time()
try:
    c = socket.create_connection(("127.0.0.1", port), timeout=2)
    c.settimeout(2)
    c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    answer = c.recv(64).split(b"\r\n")[0].decode() or "closed"
except OSError:
    answer = "closed"
print(refused, "%.2f" % (time.time() - a), answer.replace(" ", "_"))
for s in held:
    s.close()
PY
)"
check "80 connections at once: those past the limit are closed at once ($refused closed)" test "$refused" -ge 50
check "... a request during the flood is refused quickly, not left hanging (${took} s, $during)" under "$took < 1.5"
sleep 0.5
req GET /healthz
check "... and once they close, the server serves again" eq "$STATUS" 200
req GET /metrics
check "... the refusals counted" grep -qE '^http_connections_rejected_total [1-9]' <<<"$BODY"

finish
