#!/usr/bin/env bash
# tests/e2e/test_billing.sh - billing against the real server (SPEC.md 5,
# domain/billing.h): the billing state, extra personas (refused on free),
# upgrades prorated at points of January and February (exact cents),
# refusals (enterprise, lower plans, non-admins), Idempotency-Key retries
# (the same body again, one charge), downgrades refused with their figures
# or scheduled, cancelled, and applied by serve's scheduler at the period's
# end (with the next period invoiced), the invoices, parallel purchases and
# upgrades leaving a consistent ledger, and the operator's enterprise terms
# (crowdelic admin). Time moves with POST /api/_test/clock, never by
# sleeping; the database is read with SQL (db_sql). Tokens live 30 days here
# (JWT_TTL), so the test signs in again after a month passes.
. "$(dirname "$0")/lib.sh"

start_server JWT_TTL=2592000 || { finish; exit 1; }

JSON=(-H 'Content-Type: application/json')
DB=$DB_URL
sql() { db_sql "$1" "$DB"; }
unquota() { sql "UPDATE users SET api_quota = 1000000"; }
post() { as "$1" POST "$2" "${JSON[@]}" -d "$3" "${@:4}"; }
clock() { req POST /api/_test/clock "${JSON[@]}" -d "{\"now\":\"$1\"}"; }
login() { # EMAIL: sets TOKEN
    req POST /api/auth/login "${JSON[@]}" -d "$(jq -nc --arg e "$1" --arg p "$E2E_PASSWORD" '{email: $e, password: $p}')"
    TOKEN=$(jq -r '.token // empty' <<<"$BODY")
}
ms() { date -u -d "$1" +%s%3N; } # ISO-8601 -> epoch ms
# puts workspace $1 in the period [$2, $3) subscribed at $2, exactly (sign-up drifts by a few ms)
period() { sql "UPDATE workspaces SET created_at = $(ms "$2"), current_period_start = $(ms "$2"), current_period_end = $(ms "$3") WHERE id = '$1'"; }
admin() { # ARGS...: crowdelic admin on the server's database; sets OUT, ERR, CODE
    OUT=$(cd "$SRV_DIR" && env -i PATH="$PATH" ASAN_OPTIONS="$ASAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS" \
        CROWDELIC_ENV=test DATABASE_URL="$DB" LOG_LEVEL=warn "$BIN" admin "$@" 2>"$SRV_DIR/admin.err")
    CODE=$?
    ERR=$(cat "$SRV_DIR/admin.err")
}

# --- a workspace subscribed on January 1st --------------------------------------------------
clock 2026-01-01T00:00:00.000Z
check "the test clock answers 200" eq "$STATUS" 200
check "... with the time set" jq_eq .now 2026-01-01T00:00:00.000Z
req POST /api/_test/clock "${JSON[@]}" -d '{"now":"yesterday"}'
check "a bad time for the clock is 400" eq "$STATUS" 400
check "... naming now" jq_eq .error.field now

register owner@bill-e2e.example
check "owner signed up" eq "$STATUS" 201
OWNER=$TOKEN
WS=$(jq -r .workspace.id <<<"$BODY")
unquota
period "$WS" 2026-01-01T00:00:00.000Z 2026-02-01T00:00:00.000Z

req GET /api/billing
check "billing needs a token" eq "$STATUS" 401
as "$OWNER" GET /api/billing
check "billing answers 200" eq "$STATUS" 200
check "... JSON" contains "$(header Content-Type)" application/json
check "... a request id" has_header X-Request-Id
check "... the free plan" jq_eq .plan free
check "... at 0.00" jq_eq '[.price_month, .price_month_cents] | map(tostring) | join(" ")' "0.00 0"
check "... no extra personas sold" jq_eq .extra_persona null
check "... the period: January" jq_eq '[.period.start, .period.end] | join(" ")' "2026-01-01T00:00:00.000Z 2026-02-01T00:00:00.000Z"
check "... 20 personas, none extra" jq_eq '[.allowance.personas.limit, .allowance.personas.plan, .allowance.personas.extra, .allowance.personas.used] | map(tostring) | join(" ")' "20 20 0 0"
check "... 1 project, 1 member" jq_eq '[.allowance.projects.limit, .allowance.members.limit, .allowance.members.used] | map(tostring) | join(" ")' "1 1 1"
check "... nothing scheduled" jq_eq .scheduled_change null
check "... nothing charged" jq_eq '[.charges_this_period.invoices, .charges_this_period.total_cents, .charges_this_period.total] | map(tostring) | join(" ")' "0 0 0.00"

# --- refusals on free ---------------------------------------------------------------------------
post "$OWNER" /api/billing/extra-personas '{"quantity":10}'
check "extra personas on free: 403" eq "$STATUS" 403
check "... the exact message, naming the plan" jq_eq .error.message "extra personas are not available on this plan (free): upgrade to buy them"
for bad in '{}' '{"quantity":0}' '{"quantity":100001}' '{"quantity":"5"}' '{"quantity":1.5}' '{"quantity":5,"extra":1}'; do
    post "$OWNER" /api/billing/extra-personas "$bad"
    check "extra personas with $bad: 400" eq "$STATUS" 400
done
as "$OWNER" POST /api/billing/extra-personas -H 'Content-Type: text/plain' -d '{"quantity":1}'
check "a body that is not JSON: 415" eq "$STATUS" 415
post "$OWNER" /api/billing/upgrade '{"plan":"enterprise"}'
check "upgrade to enterprise: 403" eq "$STATUS" 403
check "... contact sales" jq_eq '.error.message | test("not self-serve.*contact sales")' true
post "$OWNER" /api/billing/upgrade '{"plan":"platinum"}'
check "upgrade to an unknown plan: 400" eq "$STATUS" 400
check "... naming plan" jq_eq .error.field plan
post "$OWNER" /api/billing/upgrade '{"plan":"free"}'
check "upgrade to the current plan: 409" eq "$STATUS" 409
check "... already on it" jq_eq .error.message "the workspace is already on the free plan"
check "nothing invoiced" eq "$(sql "SELECT COUNT(*) FROM invoices")" 0

# --- mid-January: an upgrade, retried --------------------------------------------------------
clock 2026-01-16T12:00:00.000Z
post "$OWNER" /api/billing/upgrade '{"plan":"individual"}' -H 'Idempotency-Key: up-1'
check "upgrade free -> individual mid-January: 200" eq "$STATUS" 200
check "... half of 9.90: 495 cents" jq_eq '[.invoice.total_cents, .invoice.total] | map(tostring) | join(" ")' "495 4.95"
check "... one line of it" jq_eq '[(.invoice.lines | length), .invoice.lines[0].kind, .invoice.lines[0].amount_cents] | map(tostring) | join(" ")' "1 upgrade 495"
check "... invoice #1 of January, by the ledger" jq_eq '[.invoice.number, .invoice.kind, .invoice.status, .invoice.provider, .invoice.currency, .invoice.period_start] | map(tostring) | join(" ")' "1 upgrade paid ledger USD 2026-01-01T00:00:00.000Z"
check "... on individual at once" jq_eq .billing.plan individual
check "... 100 personas now" jq_eq .billing.allowance.personas.limit 100
check "... charged this period" jq_eq .billing.charges_this_period.total_cents 495
FIRST=$BODY
check "no replay header on the first answer" lacks "$(cat "$HDRS")" Idempotent-Replayed
post "$OWNER" /api/billing/upgrade '{"plan":"individual"}' -H 'Idempotency-Key: up-1'
check "the retry: 200" eq "$STATUS" 200
check "... the same body, byte for byte" eq "$BODY" "$FIRST"
check "... marked replayed" eq "$(header Idempotent-Replayed)" true
check "... one invoice only" eq "$(sql "SELECT COUNT(*) FROM invoices")" 1
post "$OWNER" /api/billing/upgrade '{"plan":"business"}' -H 'Idempotency-Key: up-1'
check "the key with another body: 409" eq "$STATUS" 409
check "... naming the key" jq_eq .error.field Idempotency-Key
check "... still individual" eq "$(sql "SELECT plan_type FROM workspaces WHERE id = '$WS'")" individual
post "$OWNER" /api/billing/extra-personas '{"quantity":1}' -H "Idempotency-Key: $(printf 'k%.0s' $(seq 256))"
check "a 256-character key: 400" eq "$STATUS" 400
post "$OWNER" /api/billing/extra-personas '{"quantity":1}' -H "Idempotency-Key: a b"
check "a key with a space: 400" eq "$STATUS" 400
check "the plan_changed notification" eq "$(sql "SELECT COUNT(*) FROM notifications WHERE workspace_id = '$WS' AND kind = 'plan_changed'")" 1

# --- extra personas ---------------------------------------------------------------------------
post "$OWNER" /api/billing/extra-personas '{"quantity":250}' -H 'Idempotency-Key: buy-1'
check "250 extra personas on individual: 200" eq "$STATUS" 200
check "... 250 x 0.10 = 25.00" jq_eq '[.invoice.total_cents, .invoice.lines[0].quantity, .invoice.lines[0].unit_cents, .invoice.lines[0].amount] | map(tostring) | join(" ")' "2500 250 10 25.00"
check "... the line says so" jq_eq .invoice.lines[0].description "250 extra personas at 0.10 each (individual plan)"
check "... the allowance: 100 + 250" jq_eq '[.billing.allowance.personas.limit, .billing.allowance.personas.plan, .billing.allowance.personas.extra] | map(tostring) | join(" ")' "350 100 250"
BUY=$BODY
post "$OWNER" /api/billing/extra-personas '{"quantity":250}' -H 'Idempotency-Key: buy-1'
check "the purchase retried: the same body" eq "$BODY" "$BUY"
check "... bought once" eq "$(sql "SELECT extra_personas FROM workspaces WHERE id = '$WS'")" 250
check "... one extra_charge notification" eq "$(sql "SELECT COUNT(*) FROM notifications WHERE workspace_id = '$WS' AND kind = 'extra_charge'")" 1
as "$OWNER" GET /api/usage
check "usage sees the extras" jq_eq '[.personas.limit, .personas.extra] | map(tostring) | join(" ")' "350 250"

# --- January 21st: individual -> business, 11 of 31 days left: 532.26 --------------------------
clock 2026-01-21T00:00:00.000Z
invoices_before=$(sql "SELECT COUNT(*) FROM invoices WHERE workspace_id = '$WS'")
as "$OWNER" GET '/api/billing/quote?action=upgrade&plan=business'
check "quote of the upgrade: 200" eq "$STATUS" 200
check "... 532 cents now, to business" jq_eq '[.quote.action, .quote.plan, .quote.amount_cents, .quote.amount, .quote.currency, .quote.effective_at[0:16]] | map(tostring) | join(" ")' "upgrade business 532 5.32 USD 2026-01-21T00:00"
check "... 11 of 31 days left (less the ms the test took)" jq_eq '[.quote.ms_left > 950300000, .quote.ms_left <= 950400000, .quote.period_ms, .quote.period_end] | map(tostring) | join(" ")' "true true 2678400000 2026-02-01T00:00:00.000Z"
check "... the invoice line's words" jq_eq '.quote.description | test("^Upgrade from individual")' true
check "... nothing charged" eq "$(sql "SELECT COUNT(*) FROM invoices WHERE workspace_id = '$WS'")" "$invoices_before"
as "$OWNER" GET '/api/billing/quote?action=extra_personas&quantity=10'
check "quote of 10 extra personas on individual: 0.10 each" jq_eq '[.quote.quantity, .quote.unit_cents, .quote.amount_cents, .quote.plan] | map(tostring) | join(" ")' "10 10 100 individual"
as "$OWNER" GET '/api/billing/quote?action=extra_personas'
check "quote without a quantity: 400 naming it" jq_eq '[.error.code, .error.field, .error.message] | join(" ")' "invalid_request quantity quantity is required to quote extra personas"
as "$OWNER" GET '/api/billing/quote?action=refund'
check "quote of an unknown action: 400 naming it" jq_eq '[.error.code, .error.field] | join(" ")' "invalid_request action"
as "$OWNER" GET '/api/billing/quote?action=upgrade&plan=free'
check "quote of an upgrade to a lower plan: 409" eq "$STATUS" 409
as "$OWNER" GET '/api/billing/quote?action=downgrade&plan=free'
check "quote of a downgrade that fits: nothing now, free from February 1st" jq_eq '[.quote.amount_cents, .quote.plan, .quote.effective_at] | map(tostring) | join(" ")' "0 free 2026-02-01T00:00:00.000Z"
check "... nothing scheduled" eq "$(sql "SELECT COALESCE(scheduled_plan, 'none') FROM workspaces WHERE id = '$WS'")" none
post "$OWNER" /api/billing/upgrade '{"plan":"business"}'
check "upgrade individual -> business: 200" eq "$STATUS" 200
check "... 15.00 x 11/31 = 532 cents" jq_eq .invoice.total_cents 532
check "... January's charges: 495 + 2500 + 532" jq_eq .billing.charges_this_period.total_cents 3527
post "$OWNER" /api/billing/upgrade '{"plan":"individual"}'
check "upgrade to a lower plan: 409" eq "$STATUS" 409
check "... pointing to downgrade" jq_eq '.error.message | test("downgrade")' true

# --- downgrades ---------------------------------------------------------------------------------
# individual allows 100 + 250 extra personas, 1 project, 1 member
sql "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 351)
     INSERT INTO personas (id, workspace_id, type, name, spec, search, created_at, updated_at)
     SELECT 'e2e-' || i, '$WS', 'custom', 'P', '{}', 'p', 0, 0 FROM k"
post "$OWNER" /api/projects '{"name":"One"}'
post "$OWNER" /api/projects '{"name":"Two"}'
P2=$(jq -r .id <<<"$BODY")
as "$OWNER" GET '/api/billing/quote?action=downgrade&plan=individual'
check "quote of a downgrade over the limits: 409 with the figures" jq_eq '[.error.code, .error.details.personas.used, .error.details.personas.limit, .error.details.projects.exceeds] | map(tostring) | join(" ")' "conflict 351 350 true"
post "$OWNER" /api/billing/downgrade '{"plan":"individual"}'
check "downgrade over the limits: 409" eq "$STATUS" 409
check "... the figures in the message" jq_eq .error.message "cannot downgrade to individual: the workspace has 351 personas where individual allows 350, 2 projects where individual allows 1; remove some first"
check "... and in details" jq_eq '[.error.details.plan, .error.details.personas.used, .error.details.personas.limit, .error.details.personas.exceeds, .error.details.projects.used, .error.details.projects.limit, .error.details.projects.exceeds, .error.details.members.used, .error.details.members.limit, .error.details.members.exceeds] | map(tostring) | join(" ")' "individual 351 350 true 2 1 true 1 1 false"
check "... naming plan" jq_eq .error.field plan
post "$OWNER" /api/billing/downgrade '{"plan":"agency"}'
check "downgrade to a higher plan: 409 pointing to upgrade" jq_eq '.error.message | test("upgrade")' true
sql "DELETE FROM personas WHERE id = 'e2e-351'"
as "$OWNER" DELETE "/api/projects/$P2"
post "$OWNER" /api/billing/downgrade '{"plan":"individual"}' -H 'Idempotency-Key: down-1'
check "downgrade within the limits: 200" eq "$STATUS" 200
check "... scheduled for February 1st" jq_eq '[.billing.scheduled_change.plan, .billing.scheduled_change.effective_at] | join(" ")' "individual 2026-02-01T00:00:00.000Z"
check "... still business now" jq_eq .billing.plan business
check "... nothing charged" eq "$(sql "SELECT COUNT(*) FROM invoices WHERE workspace_id = '$WS'")" 3
as "$OWNER" DELETE /api/billing/scheduled-change
check "cancel the scheduled change: 200" eq "$STATUS" 200
check "... none scheduled" jq_eq .billing.scheduled_change null
as "$OWNER" DELETE /api/billing/scheduled-change
check "cancel again: 404" eq "$STATUS" 404
post "$OWNER" /api/billing/downgrade '{"plan":"individual"}' -H 'Idempotency-Key: down-2'
check "downgrade scheduled again" jq_eq .billing.scheduled_change.plan individual

# --- a member is not an admin -------------------------------------------------------------------
post "$OWNER" /api/workspace/invites '{"email":"bob@bill-e2e.example"}'
check "invite bob: 201" eq "$STATUS" 201
register bob@bill-e2e.example "$E2E_PASSWORD" "" "$(jq -r .token <<<"$BODY")"
BOB=$TOKEN
unquota
post "$BOB" /api/billing/extra-personas '{"quantity":1}'
check "a member buying: 403" eq "$STATUS" 403
check "... admins only" jq_eq .error.message "only a workspace admin may do this"
post "$BOB" /api/billing/upgrade '{"plan":"agency"}'
check "a member upgrading: 403" eq "$STATUS" 403
as "$BOB" DELETE /api/billing/scheduled-change
check "a member cancelling: 403" eq "$STATUS" 403
as "$BOB" GET /api/billing
check "a member reads billing" jq_eq .plan business
sql "DELETE FROM users WHERE email = 'bob@bill-e2e.example'"

# --- the period ends: serve's scheduler applies the change --------------------------------------
clock 2026-02-01T00:00:01.000Z
for _ in $(seq 1 100); do
    [ "$(sql "SELECT plan_type FROM workspaces WHERE id = '$WS'")" = individual ] && break
    sleep 0.05
done
check "the scheduler moved the workspace to individual" eq "$(sql "SELECT plan_type FROM workspaces WHERE id = '$WS'")" individual
check "... nothing scheduled any more" eq "$(sql "SELECT COUNT(*) FROM workspaces WHERE id = '$WS' AND scheduled_plan IS NULL")" 1
check "... February's period" eq "$(sql "SELECT current_period_start || ' ' || current_period_end FROM workspaces WHERE id = '$WS'")" "$(ms 2026-02-01T00:00:00Z) $(ms 2026-03-01T00:00:00Z)"
check "... invoiced 9.90 for February" eq "$(sql "SELECT kind || ' ' || total_cents || ' ' || period_start FROM invoices WHERE workspace_id = '$WS' AND number = 4")" "subscription 990 $(ms 2026-02-01T00:00:00Z)"
check "... the plan_changed notification" eq "$(sql "SELECT COUNT(*) FROM notifications WHERE workspace_id = '$WS' AND kind = 'plan_changed' AND data LIKE '%scheduled_downgrade%'")" 1
login owner@bill-e2e.example # 31 days passed: the first token has expired
OWNER=$TOKEN
as "$OWNER" GET /api/billing
check "billing in February: individual" jq_eq .plan individual
check "... February" jq_eq '[.period.start, .period.end] | join(" ")' "2026-02-01T00:00:00.000Z 2026-03-01T00:00:00.000Z"
check "... charged 9.90 so far" jq_eq '[.charges_this_period.invoices, .charges_this_period.total_cents] | map(tostring) | join(" ")' "1 990"

# --- mid-February (28 days): individual -> business: half of 15.00 ------------------------------
clock 2026-02-15T00:00:00.000Z
post "$OWNER" /api/billing/upgrade '{"plan":"business"}'
check "upgrade mid-February: 750 cents" jq_eq .invoice.total_cents 750

# --- the ledger ---------------------------------------------------------------------------------
as "$OWNER" GET '/api/billing/invoices?limit=2'
check "invoices: 200" eq "$STATUS" 200
check "... five in all, newest first" jq_eq '[.total, .invoices[0].number, .invoices[1].number] | map(tostring) | join(" ")' "5 5 4"
check "... the page" jq_eq '[.limit, .offset] | map(tostring) | join(" ")' "2 0"
as "$OWNER" GET '/api/billing/invoices?limit=3&offset=2'
check "... the rest: 532, 2500, 495" jq_eq '[.invoices[].total_cents] | map(tostring) | join(" ")' "532 2500 495"
as "$OWNER" GET '/api/billing/invoices?limit=0'
check "... limit 0: 400" eq "$STATUS" 400
check "every invoice is the sum of its lines" eq "$(sql "SELECT COUNT(*) FROM invoices i WHERE total_cents <> (SELECT SUM(amount_cents) FROM invoice_lines l WHERE l.invoice_id = i.id)")" 0
check "the ledger: 495 + 2500 + 532 + 990 + 750" eq "$(sql "SELECT SUM(total_cents) FROM invoices WHERE workspace_id = '$WS'")" 5267

# --- parallel purchases and upgrades ------------------------------------------------------------
PAR=$TMP_ROOT/par
mkdir -p "$PAR"
PIDS=() # the server is a background job too: wait for these only
for i in $(seq 1 8); do
    curl -s --max-time 20 -o "$PAR/buy$i" -X POST "$BASE/api/billing/extra-personas" \
        -H "Authorization: Bearer $OWNER" "${JSON[@]}" -H "Idempotency-Key: par-$i" -d "{\"quantity\":$i}" &
    PIDS+=($!)
    curl -s --max-time 20 -o "$PAR/same$i" -X POST "$BASE/api/billing/extra-personas" \
        -H "Authorization: Bearer $OWNER" "${JSON[@]}" -H "Idempotency-Key: par-same" -d '{"quantity":100}' &
    PIDS+=($!)
done
for i in 1 2; do
    curl -s --max-time 20 -o "$PAR/up$i" -w '%{http_code}' -X POST "$BASE/api/billing/upgrade" \
        -H "Authorization: Bearer $OWNER" "${JSON[@]}" -d '{"plan":"agency"}' >"$PAR/up$i.status" &
    PIDS+=($!)
done
wait "${PIDS[@]}"
check "parallel: every purchase answered with an invoice" eq "$(cat "$PAR"/buy* "$PAR"/same* | jq -s 'map(select(.invoice.id)) | length')" 16
check "... the shared key charged once" eq "$(cat "$PAR"/same* | jq -rs 'map(.invoice.id) | unique | length')" 1
check "... one upgrade succeeded, the other found agency" eq "$(cat "$PAR"/up1.status "$PAR"/up2.status | fold -w3 | sort | tr '\n' ' ')" "200 409 "
check "... extra personas: 250 + 36 + 100" eq "$(sql "SELECT extra_personas FROM workspaces WHERE id = '$WS'")" 386
check "... 8 + 1 purchases and 1 upgrade invoiced" eq "$(sql "SELECT COUNT(*) FROM invoices WHERE workspace_id = '$WS' AND number > 5")" 10
check "... numbered without gaps" eq "$(sql "SELECT COUNT(DISTINCT number) || ' ' || MAX(number) FROM invoices WHERE workspace_id = '$WS'")" "15 15"
charged=$( (cat "$PAR"/buy*; cat "$PAR"/same1; cat "$PAR"/up1 "$PAR"/up2) | jq -s '[.[] | select(.invoice) | .invoice] | unique_by(.id) | map(.total_cents) | add')
check "... the ledger is what the answers charged" eq "$(sql "SELECT SUM(total_cents) FROM invoices WHERE workspace_id = '$WS' AND number > 5")" "$charged"
check "... and the lines sum to the invoices" eq "$(sql "SELECT SUM(amount_cents) FROM invoice_lines WHERE workspace_id = '$WS'")" "$(sql "SELECT SUM(total_cents) FROM invoices WHERE workspace_id = '$WS'")"
check "... every invoice balanced" eq "$(sql "SELECT COUNT(*) FROM invoices i WHERE total_cents <> (SELECT SUM(amount_cents) FROM invoice_lines l WHERE l.invoice_id = i.id)")" 0

# --- enterprise: the operator's terms ----------------------------------------------------------
register boss@big-e2e.example
BOSS=$TOKEN
WS2=$(jq -r .workspace.id <<<"$BODY")
unquota
admin workspace "$WS2" --plan enterprise --max-personas 5000
check "enterprise without all its terms: exit 2" eq "$CODE" 2
check "... naming the missing ones" contains "$ERR" "missing: max_projects, team_members, price_cents"
admin workspace "$WS2" --max-personas lots
check "a bad number: exit 2" eq "$CODE" 2
check "... saying what is expected" contains "$ERR" "--max-personas needs a whole number"
admin workspace "$WS2" --bogus 1
check "an unknown flag: exit 2" eq "$CODE" 2
admin workspace
check "no workspace id: exit 2" eq "$CODE" 2
admin workspace "$WS2" --price-cents 100
check "a term on the free plan: exit 2" eq "$CODE" 2
check "... saying it is an enterprise term" contains "$ERR" "price_cents is a term of the enterprise plan"
admin workspace 01a00000-0000-7000-8000-000000000000
check "an unknown workspace: exit 1" eq "$CODE" 1
admin workspace "$WS2" --plan enterprise --max-personas 5000 --max-projects 50 --team-members 25 --price-cents 150000
check "enterprise terms set: exit 0" eq "$CODE" 0
check "... printed: the plan" contains "$OUT" "plan       enterprise (contract terms)"
check "... the price" contains "$OUT" "price      1500.00 USD a month"
check "... the limits" contains "$OUT" "personas   0 of 5000 (0 extra bought)"
as "$BOSS" GET /api/billing
check "billing shows the contract" jq_eq '[.plan, .custom_terms, .price_month_cents, .price_month, .allowance.personas.limit, .allowance.projects.limit, .allowance.members.limit] | map(tostring) | join(" ")' "enterprise true 150000 1500.00 5000 50 25"
as "$BOSS" GET /api/usage
check "usage uses the contract's limits" jq_eq '[.personas.limit, .projects.limit, .members.limit] | map(tostring) | join(" ")' "5000 50 25"
post "$BOSS" /api/billing/extra-personas '{"quantity":100}'
check "extras on enterprise: 100 x 0.03" jq_eq .invoice.total_cents 300
post "$BOSS" /api/billing/upgrade '{"plan":"agency"}'
check "upgrade from enterprise: 409" eq "$STATUS" 409
admin workspace "$WS"
check "admin shows a workspace's ledger: exit 0" eq "$CODE" 0
check "... its plan" contains "$OUT" "plan       agency"
check "... its invoices" contains "$OUT" "the newest 15 of 15 invoices"
check "... the subscription" contains "$OUT" "individual plan, 2026-02-01 to 2026-03-01"

finish
