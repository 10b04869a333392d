#!/usr/bin/env bash
# tests/e2e/test_notifications.sh - notifications and webhooks against the
# real server and a real receiver (a small Python HTTP server written by
# this test: it answers 500 to its first N requests, then 200, and records
# every request's headers and exact body). Covered: the notifications API
# (list, unread filter, pages, mark one and all read, bad arguments); the
# webhook settings (admins only, URL checks, the secret shown once, never
# read back); the approaching alert created once when a free workspace adds
# its 16th of 20 personas; its webhook retried after the receiver failed
# twice and delivered once it recovered - one delivery id on every attempt,
# the HMAC-SHA256 signature checked here with Python's hmac, no duplicate
# after the 2xx; a delivery pending while the receiver is down survives a
# restart of the server (SIGTERM, then a new server on the same database)
# and goes out exactly once; another workspace sees and marks nothing.
. "$(dirname "$0")/lib.sh"

JSON=(-H 'Content-Type: application/json')
NO_SUCH=01a00000-0000-7000-8000-000000000000
put() { as "$1" PUT "$2" "${JSON[@]}" -d "$3"; }
post() { as "$1" POST "$2" "${JSON[@]}" -d "$3"; }
err_is() { jq_eq '[.error.code, .error.field // ""] | join(" ")' "$1 $2"; }

# --- the receiver -------------------------------------------------------------------------------
RECV_DIR=$TMP_ROOT/receiver
mkdir -p "$RECV_DIR"
cat >"$RECV_DIR/receiver.py" <<'PY'
# receiver.py PORT_FILE LOG FAIL_FIRST [PORT]: answers POSTs with 500 for the
# first FAIL_FIRST of them, then 200; appends one JSON line per request:
# {n, path, status, headers, body_b64}. Writes its port to PORT_FILE.
import base64, json, signal, sys
from http.server import BaseHTTPRequestHandler, HTTPServer

port_file, log, fail_first = sys.argv[1], sys.argv[2], int(sys.argv[3])
port = int(sys.argv[4]) if len(sys.argv) > 4 else 0
seen = 0

class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        global seen
        seen += 1
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        status = 500 if seen <= fail_first else 200
        with open(log, "a") as f:
            f.write(json.dumps({"n": seen, "path": self.path, "status": status,
                                "headers": {k.lower(): v for k, v in self.headers.items()},
                                "body_b64": base64.b64encode(body).decode()}) + "\n")
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass

server = HTTPServer(("127.0.0.1", port), Handler)
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
PY
RECV_PID=""
RECV_LOG=$RECV_DIR/requests.jsonl
: >"$RECV_LOG"

# start_receiver FAIL_FIRST [PORT]: sets RECV_PID and RECV_PORT.
start_receiver() {
    rm -f "$RECV_DIR/port"
    python3 "$RECV_DIR/receiver.py" "$RECV_DIR/port" "$RECV_LOG" "$@" &
    RECV_PID=$!
    local i
    for i in $(seq 1 100); do
        [ -s "$RECV_DIR/port" ] && break
        sleep 0.05
    done
    RECV_PORT=$(cat "$RECV_DIR/port" 2>/dev/null)
    [ -n "$RECV_PORT" ]
}
stop_receiver() {
    [ -n "$RECV_PID" ] || return 0
    kill -TERM "$RECV_PID" 2>/dev/null
    wait "$RECV_PID" 2>/dev/null
    RECV_PID=""
}
trap 'stop_receiver; on_exit' EXIT

# requests_where JQ_FILTER: how many recorded requests match
requests_where() { jq -s "[.[] | select($1)] | length" "$RECV_LOG"; }
# wait_for COUNT JQ_FILTER: waits (15 s at most) until that many requests match
wait_for() {
    local i
    for i in $(seq 1 300); do
        [ "$(requests_where "$2")" -ge "$1" ] && return 0
        sleep 0.05
    done
    return 1
}
# signature_ok N SECRET: request N's X-Crowdelic-Signature is the HMAC-SHA256 of its body
signature_ok() {
    python3 - "$RECV_LOG" "$1" "$2" <<'PY'
import base64, hashlib, hmac, json, sys
log, n, secret = sys.argv[1], int(sys.argv[2]), sys.argv[3]
for line in open(log):
    r = json.loads(line)
    if r["n"] == n:
        body = base64.b64decode(r["body_b64"])
        want = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        sys.exit(0 if hmac.compare_digest(want, r["headers"].get("x-crowdelic-signature", "")) else 1)
sys.exit(1)
PY
}
# body_of N: request N's body as text
body_of() { jq -r --argjson n "$1" 'select(.n == $n) | .body_b64 | @base64d' "$RECV_LOG"; }
header_of() { jq -r --argjson n "$1" --arg h "$2" 'select(.n == $n) | .headers[$h] // ""' "$RECV_LOG"; }

start_receiver 2 || { echo "# the receiver did not start"; exit 1; }
check "the receiver listens" test -n "$RECV_PORT"
HOOK="http://127.0.0.1:$RECV_PORT/hook"

# --- the server -----------------------------------------------------------------------------------
WEBHOOK_ENV=(WEBHOOK_ALLOW_PRIVATE=on WEBHOOK_BACKOFF_MS=300 WEBHOOK_BACKOFF_MAX_MS=1000
    WEBHOOK_MAX_ATTEMPTS=100 WEBHOOK_TIMEOUT_MS=2000)
start_server "${WEBHOOK_ENV[@]}" || { finish; exit 1; }
DB=$DB_URL
sql() { db_sql "$1" "$DB"; }

req GET /api/notifications
check "notifications need a token" eq "$STATUS" 401
register owner@notify-e2e.example
check "the owner signed up" eq "$STATUS" 201
OWNER=$TOKEN
OWNER_WS=$(jq -r .workspace.id <<<"$BODY")
sql "UPDATE users SET api_quota = 1000000"

as "$OWNER" GET /api/notifications
check "none yet: 200" eq "$STATUS" 200
check "... JSON" contains "$(header Content-Type)" application/json
check "... a request id" has_header X-Request-Id
check "... empty, 0 unread" jq_eq '[(.notifications | length), .total, .unread, .limit, .offset] | map(tostring) | join(" ")' "0 0 0 50 0"
as "$OWNER" GET '/api/notifications?unread=maybe'
check "unread=maybe is 400" err_is invalid_request unread
as "$OWNER" GET '/api/notifications?limit=0'
check "limit=0 is 400" err_is invalid_request limit
as "$OWNER" GET '/api/notifications?limit=101'
check "limit=101 is 400" err_is invalid_request limit
as "$OWNER" POST "/api/notifications/$NO_SUCH/read"
check "marking an unknown notification is 404" eq "$STATUS" 404
check "... not_found" jq_eq .error.message "no notification '$NO_SUCH'"
as "$OWNER" POST /api/notifications/not-an-id/read
check "marking a malformed id is 404" eq "$STATUS" 404

# --- the webhook's settings --------------------------------------------------------------------
as "$OWNER" GET /api/workspace/webhook
check "no webhook: 200" eq "$STATUS" 200
check "... url null, no deliveries" jq_eq '[.url, (.deliveries | length)] | tostring' '[null,0]'
put "$OWNER" /api/workspace/webhook '{"url":"ftp://127.0.0.1/x"}'
check "an ftp URL is 400" err_is invalid_request url
put "$OWNER" /api/workspace/webhook "{\"url\":\"http://user:pw@127.0.0.1:$RECV_PORT/hook\"}"
check "a URL with a password is 400" err_is invalid_request url
put "$OWNER" /api/workspace/webhook '{}'
check "no url is 400" err_is invalid_request url
put "$OWNER" /api/workspace/webhook "{\"url\":\"$HOOK\",\"other\":1}"
check "an unknown field is 400" eq "$STATUS" 400
as "$OWNER" DELETE /api/workspace/webhook
check "removing no webhook is 404" eq "$STATUS" 404

put "$OWNER" /api/workspace/webhook "{\"url\":\"$HOOK\"}"
check "set the webhook: 200" eq "$STATUS" 200
check "... the url" jq_eq .url "$HOOK"
check "... the secret, shown now" jq_eq '.secret | test("^whsec_[0-9a-f]{64}$")' true
check "... not cached" eq "$(header Cache-Control)" no-store
SECRET=$(jq -r .secret <<<"$BODY")
check "the secret is not in the server's log" lacks "$(cat "$SRV_DIR/stdout" "$SRV_DIR"/logs/* 2>/dev/null)" "$SECRET"
put "$OWNER" /api/workspace/webhook "{\"url\":\"$HOOK\"}"
check "set it again: the secret is kept and not shown" jq_eq 'has("secret")' false
as "$OWNER" GET /api/workspace/webhook
check "read it: the url" jq_eq .url "$HOOK"
check "... never the secret" jq_eq 'has("secret")' false
check "... created_at and updated_at" jq_eq '[.created_at, .updated_at] | map(type) | join(" ")' "string string"

# a member who is not an admin may not touch it
sql "UPDATE workspaces SET plan_type = 'business' WHERE id = '$OWNER_WS'"
post "$OWNER" /api/workspace/invites '{"email":"member@notify-e2e.example"}'
check "invite a member: 201" eq "$STATUS" 201
INVITE=$(jq -r .token <<<"$BODY")
register member@notify-e2e.example "$E2E_PASSWORD" "" "$INVITE"
check "the member joined" eq "$STATUS" 201
MEMBER=$TOKEN
sql "UPDATE users SET api_quota = 1000000"
sql "UPDATE workspaces SET plan_type = 'free' WHERE id = '$OWNER_WS'"
as "$MEMBER" GET /api/workspace/webhook
check "a member may not read the webhook: 403" eq "$STATUS" 403
put "$MEMBER" /api/workspace/webhook '{"url":"https://example.com/x"}'
check "... nor set it" eq "$STATUS" 403
as "$MEMBER" DELETE /api/workspace/webhook
check "... nor remove it" eq "$STATUS" 403

# --- the approaching alert: the 16th of 20 personas on free ---------------------------------------
as "$OWNER" GET /api/personas/templates
mapfile -t TIDS < <(jq -r '.templates[].id' <<<"$BODY")
check "templates to add" test "${#TIDS[@]}" -ge 20
for i in $(seq 0 14); do
    post "$OWNER" /api/personas "{\"template_id\":\"${TIDS[$i]}\"}"
    [ "$STATUS" = 201 ] || break
done
check "15 template personas added" eq "$STATUS" 201
as "$OWNER" GET /api/notifications
check "15 of 20 (75 %): no notification" jq_eq .total 0
post "$OWNER" /api/personas "{\"template_id\":\"${TIDS[15]}\"}"
check "the 16th: 201" eq "$STATUS" 201
as "$OWNER" GET /api/notifications
check "16 of 20: one notification" jq_eq '[.total, .unread] | map(tostring) | join(" ")' "1 1"
check "... limit_approaching" jq_eq '.notifications[0].kind' limit_approaching
check "... the figures" jq_eq '.notifications[0].data | [.limit, .used, .allowed, .percent, .plan] | map(tostring) | join(" ")' \
    "max_personas 16 20 80 free"
check "... a sentence" jq_eq '.notifications[0].message' "max_personas: the workspace uses 16 of the 20 its free plan allows (80 %)"
check "... unread" jq_eq '[.notifications[0].read, .notifications[0].read_at] | tostring' '[false,null]'
NOTE=$(jq -r '.notifications[0].id' <<<"$BODY")
for i in 16 17; do
    post "$OWNER" /api/personas "{\"template_id\":\"${TIDS[$i]}\"}"
done
check "the 18th: 201" eq "$STATUS" 201
as "$OWNER" GET /api/notifications
check "17 and 18 alert no more (one threshold, one period)" jq_eq .total 1
as "$MEMBER" GET /api/notifications
check "a member sees the workspace's notifications too" jq_eq '.notifications[0].id' "$NOTE"

# --- its webhook: two 500s, then 200 -----------------------------------------------------------
check "the webhook arrives after two failures" wait_for 1 '.status == 200'
check "three attempts in all" eq "$(requests_where true)" 3
check "... all POSTs to the hook's path" eq "$(requests_where '.path == "/hook"')" 3
DELIVERY=$(header_of 1 x-crowdelic-delivery)
check "... one delivery id on every attempt" eq "$(requests_where ".headers[\"x-crowdelic-delivery\"] == \"$DELIVERY\"")" 3
check "... the event header" eq "$(header_of 3 x-crowdelic-event)" limit_approaching
check "... JSON" eq "$(header_of 3 content-type)" application/json
check "... the signature of the first attempt checks out" signature_ok 1 "$SECRET"
check "... and of the delivered one" signature_ok 3 "$SECRET"
check "... not with another secret" eval '! signature_ok 3 whsec_wrong'
B3=$(body_of 3)
check "... the same body every time" eq "$(body_of 1)" "$B3"
check "... the body: the notification" eq "$(jq -r '[.id, .event, .workspace_id, .data.used] | map(tostring) | join(" ")' <<<"$B3")" \
    "$NOTE limit_approaching $OWNER_WS 16"
sleep 1.5
check "no duplicate after the 2xx" eq "$(requests_where true)" 3
as "$OWNER" GET /api/workspace/webhook
check "the delivery: delivered after 3 attempts" jq_eq '.deliveries[0] | [.id, .status, .attempts, .last_status, .last_error] | map(tostring) | join(" ")' \
    "$DELIVERY delivered 3 200 null"
check "... for the notification" jq_eq '.deliveries[0].notification_id' "$NOTE"

# --- mark read --------------------------------------------------------------------------------
as "$OWNER" POST "/api/notifications/$NOTE/read"
check "mark it read: 200" eq "$STATUS" 200
check "... read, with a time" jq_eq '[.id, .read, (.read_at | type)] | map(tostring) | join(" ")' "$NOTE true string"
READ_AT=$(jq -r .read_at <<<"$BODY")
as "$OWNER" POST "/api/notifications/$NOTE/read"
check "again: the first time is kept" jq_eq .read_at "$READ_AT"
as "$OWNER" GET '/api/notifications?unread=true'
check "unread=true: none" jq_eq '[.total, (.notifications | length), .unread] | map(tostring) | join(" ")' "0 0 0"
as "$OWNER" GET /api/notifications
check "all: still there, read" jq_eq '[.total, .unread, .notifications[0].read] | map(tostring) | join(" ")' "1 0 true"

# --- another workspace -------------------------------------------------------------------------
register other@notify-e2e.example
OTHER=$TOKEN
as "$OTHER" GET /api/notifications
check "another workspace sees none" jq_eq .total 0
as "$OTHER" POST "/api/notifications/$NOTE/read"
check "... cannot mark ours: 404" eq "$STATUS" 404
FOREIGN=$(jq -c '.error | del(.message)' <<<"$BODY")
as "$OTHER" POST "/api/notifications/$NO_SUCH/read"
check "... the same answer as an id that exists nowhere" eq "$(jq -c '.error | del(.message)' <<<"$BODY")" "$FOREIGN"
as "$OTHER" GET /api/workspace/webhook
check "... has no webhook and sees no deliveries" jq_eq '[.url, (.deliveries | length)] | tostring' '[null,0]'
sql "UPDATE notifications SET read_at = NULL WHERE id = '$NOTE'"
as "$OTHER" POST /api/notifications/read-all
check "... read-all marks none of ours" jq_eq .marked 0
check "... ours stays unread" eq "$(sql "SELECT CASE WHEN read_at IS NULL THEN 1 ELSE 0 END FROM notifications WHERE id = '$NOTE'")" 1
as "$OWNER" POST /api/notifications/read-all
check "read-all: 1 marked" jq_eq .marked 1

# --- a delivery pending across a restart ----------------------------------------------------------
stop_receiver
: >"$RECV_LOG"
post "$OWNER" /api/projects '{"name":"The one project"}'
check "the free plan's one project: 201" eq "$STATUS" 201
as "$OWNER" GET '/api/notifications?unread=true'
check "1 of 1 projects: a notification" jq_eq '.notifications[0] | [.kind, .data.limit] | join(" ")' "limit_approaching max_projects"
PROJECT_NOTE=$(jq -r '.notifications[0].id' <<<"$BODY")
pending_attempted() {
    as "$OWNER" GET /api/workspace/webhook
    jq -e --arg n "$PROJECT_NOTE" '.deliveries[] | select(.notification_id == $n) | .status == "pending" and .attempts >= 1 and (.last_error | length) > 0' \
        <<<"$BODY" >/dev/null
}
for i in $(seq 1 100); do pending_attempted && break; sleep 0.1; done
check "the receiver is down: the delivery is pending with an error" pending_attempted
stop_server
start_receiver 0 "$RECV_PORT"
check "the receiver is back on the same port" eq "$RECV_PORT" "$(cat "$RECV_DIR/port")"
start_server "${WEBHOOK_ENV[@]}" "DATABASE_URL=$DB" || { finish; exit 1; }
check "the delivery goes out after the restart" wait_for 1 ".status == 200"
PROJECT_BODY=$(body_of 1)
check "... it is the project alert" eq "$(jq -r '[.id, .data.limit] | join(" ")' <<<"$PROJECT_BODY")" "$PROJECT_NOTE max_projects"
check "... signed" signature_ok 1 "$SECRET"
sleep 1.5
check "... once" eq "$(requests_where true)" 1
as "$OWNER" GET /api/workspace/webhook
check "... delivered" jq_eq "[.deliveries[] | select(.notification_id == \"$PROJECT_NOTE\") | .status] | join(\" \")" delivered

# --- removing the webhook -----------------------------------------------------------------------
as "$OWNER" DELETE /api/workspace/webhook
check "remove the webhook: 204" eq "$STATUS" 204
as "$OWNER" GET /api/workspace/webhook
check "... gone; its deliveries still listed" jq_eq '[.url, (.deliveries | length)] | tostring' '[null,2]'
as "$OWNER" DELETE /api/workspace/webhook
check "... removing it again is 404" eq "$STATUS" 404

stop_receiver
finish
