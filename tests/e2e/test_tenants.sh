#!/usr/bin/env bash
# tests/e2e/test_tenants.sh - the cross-tenant suite, generated from the route
# table (`crowdelic routes`). Two business workspaces A and B, each with an
# admin, a second member, a project, an API key and an open invite. Every
# non-public route that takes ids is called with B's admin token and with
# B's API key, once for every id of A (each param replaced by each of A's
# ids, upper-cased too): each answer must be 404, must show nothing of A's
# (no other id, email, name, key or token of A) and must be the very answer
# an id that exists nowhere gets. A's objects are read before and after (by
# the API and in the database) and must not have changed (every route
# without a credential or with a bad one: test_security.sh, which also tries
# the ids this file has not: runs, notifications). A route added to the table is
# covered without editing this file: a route whose resource is not known
# here still gets every id of A (and a JSON body, {"name":"x","role":"user"},
# when it reads one).
. "$(dirname "$0")/lib.sh"

start_server || { finish; exit 1; }

JSON=(-H 'Content-Type: application/json')
DB=$DB_URL
sql() { db_sql "$1" "$DB"; }
post() { as "$1" POST "$2" "${JSON[@]}" -d "$3"; }
NO_SUCH=01a00000-0000-7000-8000-000000000000

# --- the route table ---------------------------------------------------------------------
load_routes # lib.sh: ID_ROUTES, PLAIN_ROUTES ("METHOD PATTERN json?" of the non-public routes)
check "crowdelic routes prints the table" test -n "$ROUTES"
check "the table has routes that take an id (${#ID_ROUTES[@]})" test "${#ID_ROUTES[@]}" -ge 1
check "the table has non-public routes without an id (${#PLAIN_ROUTES[@]})" test "${#PLAIN_ROUTES[@]}" -ge 1
check "the parser sees the project routes" contains "${ID_ROUTES[*]}" "PUT /api/projects/:id json"

# --- two workspaces ------------------------------------------------------------------------------
# tenant X: admin, member (joined by invite), project, API key, an open invite,
# a custom persona (with a conversation), a library holding it.
# Sets X_TOKEN X_MEMBER_TOKEN X_KEY X_WS X_ADMIN_ID X_MEMBER_ID X_PROJECT
# X_KEY_ID X_KEY_PREFIX X_INVITE_OPEN_ID X_INVITE_OPEN_TOKEN X_INVITE_ACCEPTED_ID
# X_PERSONA X_LIBRARY X_CONVERSATION X_TEST.
make_tenant() {
    local x=$1 lx
    lx=$(tr 'A-Z' 'a-z' <<<"$1")
    register "admin-$lx@tenant-$lx.example" "$E2E_PASSWORD" "Tenant $x Company"
    check "$x: the admin signed up" eq "$STATUS" 201
    local token=$TOKEN ws admin_id
    ws=$(jq -r .workspace.id <<<"$BODY")
    admin_id=$(jq -r .user.id <<<"$BODY")
    sql "UPDATE workspaces SET plan_type = 'business' WHERE id = '$ws'"
    # the per-user quota is test_auth.sh's subject; this suite makes many requests
    sql "UPDATE users SET api_quota = 1000000"
    post "$token" /api/workspace/invites "{\"email\":\"member-$lx@tenant-$lx.example\"}"
    check "$x: invited the member" eq "$STATUS" 201
    local inv_token inv_id
    inv_token=$(jq -r .token <<<"$BODY")
    inv_id=$(jq -r .id <<<"$BODY")
    register "member-$lx@tenant-$lx.example" "$E2E_PASSWORD" "" "$inv_token"
    check "$x: the member joined" jq_eq .workspace.id "$ws"
    local member_token=$TOKEN member_id
    member_id=$(jq -r .user.id <<<"$BODY")
    sql "UPDATE users SET api_quota = 1000000"
    post "$token" /api/projects "{\"name\":\"Project of $x\",\"description\":\"secret plans of tenant $x\"}"
    check "$x: created a project" eq "$STATUS" 201
    local project
    project=$(jq -r .id <<<"$BODY")
    post "$token" /api/api-keys "{\"name\":\"Key of $x\"}"
    check "$x: created an API key" eq "$STATUS" 201
    local key key_id key_prefix
    key=$(jq -r .key <<<"$BODY")
    key_id=$(jq -r .id <<<"$BODY")
    key_prefix=$(jq -r .prefix <<<"$BODY")
    post "$token" /api/workspace/invites "{\"email\":\"pending-$lx@tenant-$lx.example\"}"
    check "$x: an open invite" eq "$STATUS" 201
    local open_id open_token
    open_id=$(jq -r .id <<<"$BODY")
    open_token=$(jq -r .token <<<"$BODY")
    post "$token" /api/personas "{\"name\":\"Persona of $x\",\"tags\":[\"tag-of-$lx\"],
        \"demographics\":{\"age\":41,\"location\":\"Town of $x, Country of $x\"}}"
    check "$x: created a persona" eq "$STATUS" 201
    local persona library conversation
    persona=$(jq -r .id <<<"$BODY")
    post "$token" /api/libraries "{\"name\":\"Library of $x\"}"
    check "$x: created a library" eq "$STATUS" 201
    library=$(jq -r .id <<<"$BODY")
    post "$token" "/api/libraries/$library/personas" "{\"persona_ids\":[\"$persona\"]}"
    check "$x: the persona is in the library" eq "$STATUS" 200
    post "$token" "/api/personas/$persona/chat" "{\"message\":\"Words of tenant $x\"}"
    check "$x: a conversation with the persona" eq "$STATUS" 201
    conversation=$(jq -r .conversation_id <<<"$BODY")
    post "$token" /api/tests "{\"name\":\"Test of $x\",\"type\":\"product\",\"project_id\":\"$project\",
        \"config\":{\"personas\":[\"$persona\"],\"scenarios\":[{\"id\":\"s\",\"stimulus\":\"Idea of $x\",
        \"questions\":[{\"id\":\"q\",\"kind\":\"yes_no\",\"prompt\":\"Buy?\"}]}]}}"
    check "$x: created a test" eq "$STATUS" 201
    printf -v "${x}_TEST" %s "$(jq -r .id <<<"$BODY")"
    printf -v "${x}_PERSONA" %s "$persona"
    printf -v "${x}_LIBRARY" %s "$library"
    printf -v "${x}_CONVERSATION" %s "$conversation"
    printf -v "${x}_TOKEN" %s "$token"
    printf -v "${x}_MEMBER_TOKEN" %s "$member_token"
    printf -v "${x}_KEY" %s "$key"
    printf -v "${x}_WS" %s "$ws"
    printf -v "${x}_ADMIN_ID" %s "$admin_id"
    printf -v "${x}_MEMBER_ID" %s "$member_id"
    printf -v "${x}_PROJECT" %s "$project"
    printf -v "${x}_KEY_ID" %s "$key_id"
    printf -v "${x}_KEY_PREFIX" %s "$key_prefix"
    printf -v "${x}_INVITE_OPEN_ID" %s "$open_id"
    printf -v "${x}_INVITE_OPEN_TOKEN" %s "$open_token"
    printf -v "${x}_INVITE_ACCEPTED_ID" %s "$inv_id"
}
make_tenant A
make_tenant B
as "$B_KEY" GET "/api/projects/$B_PROJECT"
check "B's key reaches B's own project (200)" eq "$STATUS" 200
as "$B_TOKEN" GET "/api/projects/$B_PROJECT"
check "B's token reaches B's own project (200)" eq "$STATUS" 200
as "$A_TOKEN" GET /api/usage
check "A is full: 2 members and 1 open invite of 3" jq_eq '[.members.used, .members.pending_invites] | map(tostring) | join(" ")' "3 1"

# A's token id (jti): an id of A's too, though not a UUID (b64url_decode: lib.sh)
A_JTI=$(b64url_decode "$(cut -d. -f2 <<<"$A_TOKEN")" | jq -r .jti)
check "A's token has a jti" test -n "$A_JTI"

# Every id of A, by kind; and everything of A's that must never show in B's answers.
declare -A KIND_OF=(
    [$A_PROJECT]=project [$A_KEY_ID]=api_key [$A_ADMIN_ID]=member [$A_MEMBER_ID]=member
    [$A_INVITE_OPEN_ID]=invite [$A_INVITE_ACCEPTED_ID]=invite [$A_WS]=workspace [$A_JTI]=token
    [$A_PERSONA]=persona [$A_LIBRARY]=library [$A_CONVERSATION]=conversation [$A_TEST]=test
)
declare -A LABEL_OF=(
    [$A_PROJECT]="A's project" [$A_KEY_ID]="A's API key" [$A_ADMIN_ID]="A's admin"
    [$A_MEMBER_ID]="A's member" [$A_INVITE_OPEN_ID]="A's open invite"
    [$A_INVITE_ACCEPTED_ID]="A's accepted invite" [$A_WS]="A's workspace" [$A_JTI]="A's token id"
    [$A_PERSONA]="A's persona" [$A_LIBRARY]="A's library" [$A_CONVERSATION]="A's conversation"
    [$A_TEST]="A's test"
)
A_ID_LIST=("$A_PROJECT" "$A_KEY_ID" "$A_ADMIN_ID" "$A_MEMBER_ID" "$A_INVITE_OPEN_ID"
    "$A_INVITE_ACCEPTED_ID" "$A_WS" "$A_JTI" "$A_PERSONA" "$A_LIBRARY" "$A_CONVERSATION" "$A_TEST")
A_SECRETS=("${A_ID_LIST[@]}" admin-a@tenant-a.example member-a@tenant-a.example
    pending-a@tenant-a.example tenant-a.example "Tenant A Company" "Project of A"
    "secret plans of tenant A" "Key of A" "$A_KEY_PREFIX" "$A_KEY" "$A_INVITE_OPEN_TOKEN"
    "$A_TOKEN" "$A_MEMBER_TOKEN" "Persona of A" "tag-of-a" "Town of A" "Library of A"
    "Words of tenant A" "Test of A" "Idea of A")

# The resource kind a pattern addresses (its first :param).
kind_of_route() {
    case "$1" in
    /api/projects/:*) echo project ;;
    /api/api-keys/:*) echo api_key ;;
    /api/workspace/members/:*) echo member ;;
    /api/workspace/invites/:*) echo invite ;;
    /api/personas/:id/conversations/:*) echo persona ;;
    /api/personas/:*) echo persona ;;
    /api/libraries/:*) echo library ;;
    /api/tests/:*) echo test ;;
    *) echo unknown ;;
    esac
}
# The JSON bodies a route is called with: valid ones, so that the request
# reaches the lookup (a 400 would prove nothing). Unknown routes: a guess.
bodies_of() { # METHOD PATTERN -> one body a line
    case "$1 $2" in
    "PUT /api/projects/:id") printf '%s\n' '{"name":"taken over","description":"by B"}' ;;
    "PUT /api/workspace/members/:id") printf '%s\n' '{"role":"admin"}' '{"role":"user"}' ;;
    "PUT /api/personas/:id") printf '%s\n' '{"tags":["taken"]}' '{"name":"Taken over","demographics":{"age":30}}' ;;
    "POST /api/personas/:id/validate") printf '%s\n' '{}' ;;
    "POST /api/personas/:id/chat") printf '%s\n' '{"message":"hello"}' ;;
    "PUT /api/libraries/:id") printf '%s\n' '{"name":"taken over"}' ;;
    "POST /api/libraries/:id/personas") printf '%s\n' "{\"persona_ids\":[\"$B_PERSONA\"]}" ;;
    *) printf '%s\n' '{"name":"x","role":"user"}' ;;
    esac
}

# The first of A's things found in text (case-insensitive), other than the
# id(s) the request itself named; nothing when there is none.
leaked() { # TEXT ASKED_ID...
    local text=$1 s a
    shift
    for a in "$@"; do
        text=${text//"$a"/}
        text=${text//"${a,,}"/}
        text=${text//"${a^^}"/}
    done
    local found=""
    shopt -s nocasematch
    for s in "${A_SECRETS[@]}"; do
        if [ -n "$s" ] && [[ $text == *"$s"* ]]; then
            found=$s
            break
        fi
    done
    shopt -u nocasematch
    printf '%s' "$found"
}
check "the leak detector finds A's email in any case" test -n "$(leaked "x ADMIN-A@Tenant-A.example y")"
check "the leak detector finds A's project name" test -n "$(leaked '{"name":"Project of A"}')"
check "the leak detector passes the id the request named" test -z "$(leaked "no project '${A_PROJECT^^}'" "$A_PROJECT")"
check "the leak detector passes B's things" test -z "$(leaked "$B_PROJECT admin-b@tenant-b.example Project of B")"

# An id that exists nowhere, of the same shape as $1.
fake_of() {
    if [[ ${1,,} =~ ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$ ]]; then
        if [ "$1" = "${1^^}" ]; then echo "${NO_SUCH^^}"; else echo "$NO_SUCH"; fi
    else
        printf '%*s' "${#1}" '' | tr ' ' 0
    fi
}
# call CRED METHOD PATH JSON BODY
call() {
    if [ "$4" = json ]; then
        as "$1" "$2" "$3" "${JSON[@]}" -d "$5"
    else
        as "$1" "$2" "$3"
    fi
}

# --- A before ----------------------------------------------------------------------------------
snapshot() {
    local p
    for p in /api/workspace /api/workspace/members /api/workspace/invites /api/projects \
        "/api/projects/$A_PROJECT" /api/api-keys /api/auth/me /api/usage /api/personas \
        "/api/personas/$A_PERSONA" /api/libraries "/api/libraries/$A_LIBRARY" \
        "/api/personas/$A_PERSONA/conversations" \
        "/api/personas/$A_PERSONA/conversations/$A_CONVERSATION" /api/tests "/api/tests/$A_TEST"; do
        as "$A_TOKEN" GET "$p"
        printf '%s %s %s\n' "$p" "$STATUS" "$(jq -cS . <<<"$BODY" 2>/dev/null || echo "$BODY")"
    done
    as "$A_MEMBER_TOKEN" GET /api/auth/me
    printf 'member-me %s %s\n' "$STATUS" "$(jq -cS . <<<"$BODY" 2>/dev/null)"
    sql "SELECT * FROM workspaces WHERE id = '$A_WS';
         SELECT * FROM users WHERE workspace_id = '$A_WS' ORDER BY id;
         SELECT * FROM projects WHERE workspace_id = '$A_WS' ORDER BY id;
         SELECT * FROM api_keys WHERE workspace_id = '$A_WS' ORDER BY id;
         SELECT * FROM invites WHERE workspace_id = '$A_WS' ORDER BY id;
         SELECT * FROM personas WHERE workspace_id = '$A_WS' ORDER BY id;
         SELECT * FROM persona_tags WHERE workspace_id = '$A_WS' ORDER BY persona_id, tag;
         SELECT * FROM libraries WHERE workspace_id = '$A_WS' ORDER BY id;
         SELECT * FROM library_personas WHERE workspace_id = '$A_WS' ORDER BY library_id, persona_id;
         SELECT * FROM conversations WHERE workspace_id = '$A_WS' ORDER BY id;
         SELECT * FROM tests WHERE workspace_id = '$A_WS' ORDER BY id;
         SELECT m.* FROM conversation_messages m JOIN conversations c ON c.id = m.conversation_id
             WHERE c.workspace_id = '$A_WS' ORDER BY m.conversation_id, m.seq;
         SELECT COUNT(*) FROM revoked_tokens;"
}
as "$A_KEY" GET /api/projects
check "A's key works before" eq "$STATUS" 200
BEFORE=$(snapshot)
snapshot_complete() { [ "$(grep -cE '^[^ ]+ 200 ' <<<"$BEFORE")" -eq 17 ]; }
check "the snapshot of A is complete (17 reads, all 200)" snapshot_complete
check "the snapshot holds A's project" contains "$BEFORE" "Project of A"

# --- B against every id of A, on every route that takes one ------------------------------------
declare -A FAKE_CACHE
tried=0
routes_tried=0
for route in "${ID_ROUTES[@]}"; do
    read -r method pattern json <<<"$route"
    kind=$(kind_of_route "$pattern")
    routes_tried=$((routes_tried + 1))
    # the ids to try: the route's own kind first, then every other id of A, each also upper-cased
    ids=()
    for id in "${A_ID_LIST[@]}"; do [ "${KIND_OF[$id]}" = "$kind" ] && ids+=("$id"); done
    for id in "${A_ID_LIST[@]}"; do [ "${KIND_OF[$id]}" != "$kind" ] && ids+=("$id"); done
    for id in "${A_ID_LIST[@]}"; do [ "${id^^}" != "$id" ] && ids+=("${id^^}"); done
    nparams=$(grep -o '/:[A-Za-z_]*' <<<"$pattern" | wc -l)
    # every param gets each id (all params the same id, and for two params each pair)
    combos=()
    for id in "${ids[@]}"; do combos+=("$id"); done
    if [ "$nparams" -ge 2 ]; then
        for id in "${A_ID_LIST[@]}"; do for id2 in "${A_ID_LIST[@]}"; do
            [ "$id" != "$id2" ] && combos+=("$id $id2")
        done; done
    fi
    bodies=()
    if [ "$json" = json ]; then mapfile -t bodies < <(bodies_of "$method" "$pattern"); else bodies=(""); fi
    for combo in "${combos[@]}"; do
        read -r -a parts <<<"$combo"
        path=$pattern
        fake_path=$pattern
        i=0
        while [[ $path =~ /:[A-Za-z_]+ ]]; do
            v=${parts[$i]:-${parts[0]}}
            path=${path/"${BASH_REMATCH[0]}"//$v}
            fake_path=${fake_path/"${BASH_REMATCH[0]}"//$(fake_of "$v")}
            i=$((i + 1))
        done
        label=""
        for v in "${parts[@]}"; do
            l=${LABEL_OF[${v,,}]:-${LABEL_OF[$v]:-$v}}
            [ "$v" != "${v,,}" ] && l="$l (upper-case)"
            label="$label${label:+ + }$l"
        done
        for body in "${bodies[@]}"; do
            for cred in token key; do
                if [ $cred = token ]; then c=$B_TOKEN; who="B's admin token"; else c=$B_KEY; who="B's API key"; fi
                name="$who: $method $pattern with $label${body:+ $body}"
                # the answer for ids that exist nowhere, to compare with
                ck="$cred|$method|$fake_path|$body"
                if [ -z "${FAKE_CACHE[$ck]+x}" ]; then
                    call "$c" "$method" "$fake_path" "$json" "$body"
                    fb=$BODY
                    for v in "${parts[@]}"; do
                        f=$(fake_of "$v")
                        fb=${fb//"$f"/<ID>}
                        fb=${fb//"${f,,}"/<ID>}
                    done
                    FAKE_CACHE[$ck]="$STATUS $fb"
                fi
                call "$c" "$method" "$path" "$json" "$body"
                tried=$((tried + 1))
                check "$name -> 404" eq "$STATUS" 404
                leak=$(leaked "$BODY" "${parts[@]}")
                check "$name -> shows nothing of A's${leak:+ (shows '$leak')}" test -z "$leak"
                nb=$BODY
                for v in "${parts[@]}"; do nb=${nb//"$v"/<ID>}; nb=${nb//"${v,,}"/<ID>}; done
                check "$name -> the same answer as for an id that exists nowhere" eq "$STATUS $nb" "${FAKE_CACHE[$ck]}"
            done
        done
    done
done
check "every route with an id was tried ($routes_tried of ${#ID_ROUTES[@]}, $tried requests)" eq "$routes_tried" "${#ID_ROUTES[@]}"

# --- ids of A's inside B's bodies ---------------------------------------------------------------
post "$B_TOKEN" "/api/personas/$B_PERSONA/chat" "{\"message\":\"hi\",\"conversation_id\":\"$A_CONVERSATION\"}"
check "B chatting in A's conversation (through B's persona) -> 404" eq "$STATUS" 404
check "... naming conversation_id" jq_eq .error.field conversation_id
post "$B_TOKEN" "/api/libraries/$B_LIBRARY/personas" "{\"persona_ids\":[\"$A_PERSONA\"]}"
check "B adding A's persona to B's library -> 404" eq "$STATUS" 404
as "$B_TOKEN" GET "/api/personas?library_id=$A_LIBRARY"
check "B listing the personas of A's library -> 404" eq "$STATUS" 404
check "... showing nothing of A's" test -z "$(leaked "$BODY" "$A_LIBRARY")"

post "$B_TOKEN" /api/tests "{\"name\":\"x\",\"type\":\"product\",\"config\":{\"personas\":[\"$A_PERSONA\"],
    \"scenarios\":[{\"id\":\"s\",\"stimulus\":\"x\",\"questions\":[{\"id\":\"q\",\"kind\":\"yes_no\",\"prompt\":\"?\"}]}]}}"
check "B testing A's persona -> 404 naming config.personas[0]" jq_eq .error.field "config.personas[0]"
post "$B_TOKEN" /api/tests "{\"name\":\"x\",\"type\":\"product\",\"project_id\":\"$A_PROJECT\",\"config\":{\"personas\":[\"$B_PERSONA\"],
    \"scenarios\":[{\"id\":\"s\",\"stimulus\":\"x\",\"questions\":[{\"id\":\"q\",\"kind\":\"yes_no\",\"prompt\":\"?\"}]}]}}"
check "B putting a test in A's project -> 404 naming project_id" jq_eq .error.field project_id

# --- B's lists show nothing of A's ------------------------------------------------------------
query_of() { # PATTERN: the query a route needs to answer 200 at all
    case $1 in
    /api/billing/quote) echo '?action=upgrade&plan=agency' ;;
    esac
}
for route in "${PLAIN_ROUTES[@]}"; do
    read -r method pattern json <<<"$route"
    [ "$method" = GET ] || continue
    for cred in token key; do
        if [ $cred = token ]; then c=$B_TOKEN; who="B's admin token"; else c=$B_KEY; who="B's API key"; fi
        as "$c" GET "$pattern$(query_of "$pattern")"
        check "$who: GET $pattern answers 200" eq "$STATUS" 200
        leak=$(leaked "$BODY")
        check "$who: GET $pattern shows nothing of A's${leak:+ (shows '$leak')}" test -z "$leak"
    done
done
as "$B_TOKEN" GET /api/projects
check "B's project list is B's project only" jq_eq '[.projects[].id] == ["'"$B_PROJECT"'"]' true
as "$B_TOKEN" GET /api/workspace/members
check "B's members are B's two" jq_eq '[.members[].id] | sort == (["'"$B_ADMIN_ID"'","'"$B_MEMBER_ID"'"] | sort)' true

# --- A after: nothing changed ---------------------------------------------------------------------
AFTER=$(snapshot)
check "A's objects are unchanged (API and database)" eq "$AFTER" "$BEFORE"
if [ "$AFTER" != "$BEFORE" ]; then
    diff <(echo "$BEFORE") <(echo "$AFTER") | head -20 | sed 's/^/#   /'
fi
as "$A_TOKEN" GET /api/auth/me
check "A's admin token still works" eq "$STATUS" 200
check "... and A's admin is still admin" jq_eq .user.role admin
as "$A_MEMBER_TOKEN" GET /api/auth/me
check "A's member token still works" eq "$STATUS" 200
check "... and A's member is still a user" jq_eq .user.role user
as "$A_KEY" GET /api/projects
check "A's key still works" eq "$STATUS" 200
register pending-a@tenant-a.example "$E2E_PASSWORD" "" "$A_INVITE_OPEN_TOKEN"
check "A's open invite can still be accepted, into A" jq_eq .workspace.id "$A_WS"
as "$B_TOKEN" GET /api/workspace/members
check "B still has its two members" jq_eq '.members | length' 2

# --- no token: 401 on every non-public route: test_security.sh (with every bad credential) ----

finish
