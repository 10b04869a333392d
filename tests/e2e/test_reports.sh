#!/usr/bin/env bash
# tests/e2e/test_reports.sh - a run's report and exports over HTTP on the
# offline model: a message test with two variants and success criteria
# (distributions, intervals, the variant comparison, criteria with their
# figures, themes, an insights summary whose every number is in the
# report); a journey's funnel; the plan's advanced_analytics gating the
# segments (left out and marked) and the exports (403); the exports - JSON
# with every result, CSV (RFC 4180, read back with Python's csv module, a
# row per persona x question), and the HTML page opened in headless
# Chromium, which renders its charts (a screenshot kept under
# build/test-output) with no console error; bad formats and other
# workspaces' runs refused; the workspace's activity per day.
. "$(dirname "$0")/lib.sh"

JSON=(-H 'Content-Type: application/json')
OUT=${TEST_OUTPUT:-$PWD/build/test-output}
mkdir -p "$OUT"
sql() { db_sql "$1" "$DB"; }
post() { as "$1" POST "$2" "${JSON[@]}" -d "$3"; }
err_is() { jq_eq '[.error.code, .error.field] | join(" ")' "$1 $2"; }
wait_done() { # TOKEN TEST: polls until the test's latest run has finished
    local i
    for i in $(seq 1 300); do
        as "$1" GET "/api/tests/$2/runs"
        case "$(jq -r '.runs[0].status' <<<"$BODY")" in completed | failed | cancelled) return 0 ;; esac
        sleep 0.1
    done
    return 1
}

start_server RUN_WORKERS=2 || { finish; exit 1; }
DB=$DB_URL
register reports@reports-e2e.example
OWNER=$TOKEN
register other@reports-e2e.example
OTHER=$TOKEN
sql "UPDATE users SET api_quota = 1000000"

as "$OWNER" GET /api/personas/templates
TEMPLATES=$BODY
PERSONAS=()
for i in 0 1 2 3 4 5; do
    post "$OWNER" /api/personas "{\"template_id\":\"$(jq -r ".templates[$i].id" <<<"$TEMPLATES")\"}"
    PERSONAS+=("$(jq -r .id <<<"$BODY")")
done
IDS=$(printf '%s\n' "${PERSONAS[@]}" | jq -R . | jq -sc .)

MESSAGE=$(jq -nc --argjson ids "$IDS" '{name: "Ad <b>copy</b>", type: "message", config: {personas: $ids,
  scenarios: [{id: "ad", stimulus: "Dinner, sorted.",
    variants: [{id: "A", stimulus: "Dinner, done."},
               {id: "B", stimulus: "Chef-made dinners at your door: $49 a month, organic, cancel any time."}],
    questions: [{id: "appeal", kind: "rating", prompt: "How appealing?", scale: {min: 1, max: 10}},
                {id: "buy", kind: "yes_no", prompt: "Would you buy?"},
                {id: "why", kind: "text", prompt: "Why?"}]}],
  success_criteria: ["mean(appeal) >= 1", "mean(appeal) > 10", "share(buy == \"yes\") >= 0"]}}')
post "$OWNER" /api/tests "$MESSAGE"
TEST=$(jq -r .id <<<"$BODY")
as "$OWNER" POST "/api/tests/$TEST/run"
RUN=$(jq -r .id <<<"$BODY")
check "the message test's run finishes" wait_done "$OWNER" "$TEST"
check "... completed" jq_eq '.runs[0].status' completed

# --- the report --------------------------------------------------------------------------------------
as "$OWNER" GET "/api/tests/$TEST/report"
REPORT=$BODY
check "the latest run's report: 200" eq "$STATUS" 200
check "... 6 respondents, 12 units (6 x 2 variants)" jq_eq '[.respondents, .units.total] | map(tostring) | join(" ")' "6 12"
check "... appeal over 12 answers, a mean inside its interval" jq_eq '.questions[0] | .n == 12 and .ci[0] <= .mean and .mean <= .ci[1]' true
check "... its distribution has every point of 1..10, counts summing to 12" jq_eq '.questions[0].distribution | (length == 10) and (map(.count) | add == 12)' true
check "... yes/no shares with Wilson intervals" jq_eq '.questions[1].distribution | map(.ci[0] <= .share and .share <= .ci[1]) | all' true
check "... the text question quoted" jq_eq '.questions[2].quotes | length > 0' true
check "... a slot per variant" jq_eq '[.scenarios[0].slots[].key] | join(",")' "ad/A,ad/B"
check "... the variants compared with a permutation test and its p" jq_eq '.comparisons[0] | .test == "permutation" and (.p >= 0 and .p <= 1) and (.variants | length == 2)' true
check "... a winner only when significant" jq_eq '.comparisons[0] | (.winner == null) == (.significant | not)' true
check "... criteria passed, failed, with their figures" jq_eq '[.criteria[].passed] | map(tostring) | join(" ")' "true false true"
check "... the figure behind a criterion" jq_eq '.criteria[0].figures["mean(appeal)"] == .questions[0].mean' true
check "... themes with counts" jq_eq '[.themes[][] | .count > 0] | (length > 0 and all)' true
check "... the offline model, said so" jq_eq '.run | .offline and .model == "crowdelic-offline"' true
check "... an insights summary from the offline model" jq_eq '.insights | (.summary | length > 40) and .model == "crowdelic-offline"' true
NUMS_OK=$(python3 - "$REPORT" <<'PY'
import json, re, sys
doc = json.loads(sys.argv[1])
found = set()
def walk(v):
    if isinstance(v, bool): return
    if isinstance(v, (int, float)): found.add(abs(float(v)))
    elif isinstance(v, str):
        for m in re.findall(r"\d+(?:\.\d+)?", v): found.add(float(m))
    elif isinstance(v, list): [walk(x) for x in v]
    elif isinstance(v, dict): [walk(x) for k, x in v.items() if k != "insights"]
walk(doc)
text = doc["insights"]["summary"] + " " + " ".join(doc["insights"]["highlights"])
bad = []
for m in re.finditer(r"(?<![A-Za-z])\d+(?:,\d{3})*(?:\.\d+)?", text):
    s = m.group(0).replace(",", "")
    d = len(s.split(".")[1]) if "." in s else 0
    x = float(s)
    if not any(round(v, d) == x or (v <= 1 and round(v * 100, d) == x) for v in found):
        bad.append(s)
print("ok" if not bad else "ungrounded: " + ",".join(bad))
PY
)
check "... every number of the summary is in the report ($NUMS_OK)" eq "$NUMS_OK" ok
check "... segments locked on the free plan" jq_eq '[.segments, .segments_locked] | map(tostring) | join(" ")' "null advanced_analytics"
as "$OWNER" GET "/api/tests/$TEST/runs/$RUN/report"
check "the run's own report is the latest's" eq "$BODY" "$REPORT"
as "$OWNER" GET "/api/tests/$TEST/results"
check "each result tagged with its theme and sentiment" jq_eq '[.results[] | .theme != null and (.sentiment == "positive" or .sentiment == "negative" or .sentiment == "neutral")] | all' true
THEMED=$(jq -c '[.themes | to_entries[] | .key as $s | .value[] | .name as $n | .answers[] | [.persona_id, .scenario, $n, $s]] | sort' <<<"$REPORT")
check "... as the report's themes say" eq "$(jq -c '[.results[] | [.persona_id, .scenario, .theme, .sentiment]] | sort' <<<"$BODY")" "$THEMED"
check "... with its unit's cost (0 on the offline model)" jq_eq '[.results[] | .cost_usd == 0] | all' true
as "$OTHER" GET "/api/tests/$TEST/report"
check "another workspace's report: 404" eq "$STATUS" 404
as "$OTHER" GET "/api/tests/$TEST/runs/$RUN/export?format=csv"
check "another workspace's export: 404" eq "$STATUS" 404
as "$OWNER" GET "/api/tests/$TEST/export?format=csv"
check "exports on the free plan: 403 naming advanced_analytics" jq_eq '[.error.code, (.error.message | test("advanced_analytics"))] | map(tostring) | join(" ")' "forbidden true"

# --- on a plan with advanced_analytics ------------------------------------------------------------
sql "UPDATE workspaces SET plan_type = 'business' WHERE id = (SELECT workspace_id FROM users WHERE email = 'reports@reports-e2e.example')"
as "$OWNER" GET "/api/tests/$TEST/report"
check "business plan: segments by age, gender, income, country, occupation" jq_eq '[.segments[].dimension] | join(",")' "age_band,gender,income,country,occupation_group"
check "... each group counted, the small ones marked" jq_eq '[.segments[].groups[] | (.n < 5) == .too_small] | all' true
check "... the groups of a dimension add up to the respondents" jq_eq '[.segments[] | [.groups[].n] | add] | unique == [6]' true

SEG=$(jq -r '.segments[] | select(.dimension == "gender") | .groups[0] | "\(.value) \(.n)"' <<<"$BODY")
read -r SEG_VALUE SEG_N <<<"$SEG"
as "$OWNER" GET "/api/tests/$TEST/results?segment=gender:$SEG_VALUE"
check "results of a segment (gender $SEG_VALUE: $SEG_N personas x 2 variants)" jq_eq .total $((SEG_N * 2))
check "... only that segment's personas" jq_eq '[.results[].persona_id] | unique | length' "$SEG_N"
as "$OWNER" GET "/api/tests/$TEST/results?segment=gender:$SEG_VALUE&limit=1&offset=1"
check "... paged: the second of them" jq_eq '[(.results | length), .total, .offset] | map(tostring) | join(" ")' "1 $((SEG_N * 2)) 1"
as "$OWNER" GET "/api/tests/$TEST/results?persona_id=${PERSONAS[0]}"
check "results of one persona: its 2 variants" jq_eq '[.total, ([.results[].scenario] | join(","))] | map(tostring) | join(" ")' "2 ad/A,ad/B"
as "$OWNER" GET "/api/tests/$TEST/results?scenario=ad/B"
check "results of one variant: 6" jq_eq '[.total, ([.results[].scenario] | unique | join(","))] | map(tostring) | join(" ")' "6 ad/B"
as "$OWNER" GET "/api/tests/$TEST/results?scenario=ad"
check "results of a scenario: all its variants, 12" jq_eq .total 12
as "$OWNER" GET "/api/tests/$TEST/results?scenario=a"
check "... a prefix of its id is another scenario: none" jq_eq .total 0
as "$OWNER" GET "/api/tests/$TEST/results?segment=planet:mars"
check "an unknown segment dimension: 400 naming segment" err_is invalid_request segment
as "$OWNER" GET "/api/tests/$TEST/results?segment=gender"
check "a segment without a value: 400 naming segment" err_is invalid_request segment

as "$OWNER" GET "/api/tests/$TEST/export?format=xml"
check "an unknown export format: 400 naming format" err_is invalid_request format
as "$OWNER" GET "/api/tests/$TEST/export?format=json"
check "the JSON export: the report and every result" jq_eq '[(.report.respondents), (.results | length)] | map(tostring) | join(" ")' "6 12"
check "... as a download" eq "$(header Content-Disposition)" "attachment; filename=\"crowdelic-run-$RUN.json\""
as "$OWNER" GET "/api/tests/$TEST/export?format=csv"
check "the CSV export: text/csv" eq "$(header Content-Type)" "text/csv; charset=utf-8"
printf '%s' "$BODY" >"$OUT/report-export.csv"
CSV_ROWS=$(python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
head, body = rows[0], rows[1:]
assert head[:3] == ["run_id", "persona_id", "persona_name"], head
assert all(len(r) == len(head) for r in body)
print(len(body), len({r[1] for r in body}), sorted({r[6] for r in body}))
' "$OUT/report-export.csv")
check "... parses back: 36 rows (6 personas x 2 variants x 3 questions), 6 personas ($CSV_ROWS)" eq "$CSV_ROWS" "36 6 ['appeal', 'buy', 'why']"
as "$OWNER" GET "/api/tests/$TEST/export?format=html"
check "the HTML export: text/html" eq "$(header Content-Type)" "text/html; charset=utf-8"
check "... with a strict CSP" eq "$(header Content-Security-Policy)" "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
printf '%s' "$BODY" >"$OUT/report.html"
check "... the test's name escaped" bash -c "grep -q 'Ad &lt;b&gt;copy&lt;/b&gt;' '$OUT/report.html' && ! grep -q 'Ad <b>copy' '$OUT/report.html'"
check "... with SVG charts and no script" bash -c "grep -q '<svg' '$OUT/report.html' && ! grep -qi '<script' '$OUT/report.html'"
if command -v chromium >/dev/null; then
    rm -f "$OUT/report.png"
    timeout 60 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --enable-logging=stderr --v=0 \
        --user-data-dir="$SRV_DIR/chromium" --window-size=1280,2400 --screenshot="$OUT/report.png" \
        "file://$OUT/report.html" >"$SRV_DIR/chromium.out" 2>&1
    check "Chromium renders the report (screenshot $OUT/report.png)" bash -c "[ -s '$OUT/report.png' ] && [ \$(stat -c %s '$OUT/report.png') -gt 20000 ]"
    check "... with no console error" bash -c "! grep -E 'CONSOLE|Uncaught|Refused to' '$SRV_DIR/chromium.out'"
else
    check "Chromium is installed (scripts/bootstrap)" false
fi

# --- a journey's funnel ------------------------------------------------------------------------------
JOURNEY=$(jq -nc --argjson ids "$IDS" '{name: "Onboarding", type: "journey", config: {personas: $ids,
  scenarios: [{id: "signup", stimulus: "Step 1: enter your email."},
              {id: "pay", stimulus: "Step 2: enter your card number, expiry, CVV, billing address, tax ID and a referral code (required)."}]}}')
post "$OWNER" /api/tests "$JOURNEY"
JTEST=$(jq -r .id <<<"$BODY")
as "$OWNER" POST "/api/tests/$JTEST/run"
check "the journey's run finishes" wait_done "$OWNER" "$JTEST"
as "$OWNER" GET "/api/tests/$JTEST/report"
check "its report has a funnel: everyone reached the first step" jq_eq '.funnel.steps[0].reached' 6
check "... each step's reached = continued + abandoned + failed" jq_eq '[.funnel.steps[] | .reached == .continued + .abandoned + .failed] | all' true
check "... the second step reached by those who went on" jq_eq '.funnel.steps[1].reached == .funnel.steps[0].continued' true
check "... reasons for those who gave up" jq_eq '[.funnel.steps[] | (.abandoned == 0) or (.reasons | length > 0)] | all' true

# --- the dashboard's history -------------------------------------------------------------------------
as "$OWNER" GET "/api/usage/history?days=7"
check "usage history: 7 days, today last" jq_eq '[(.days | length), .days[6].date] | map(tostring) | join(" ")' "7 $(date -u +%F)"
check "... today: 2 tests run" jq_eq '.days[6].tests_run' 2
ANSWERS=$(sql "SELECT COUNT(*) FROM run_results WHERE error IS NULL")
check "... and every persona answer stored ($ANSWERS)" jq_eq '.days[6].persona_answers' "$ANSWERS"
check "... nothing on the days before" jq_eq '[.days[:6][] | .tests_run + .persona_answers] | add' 0
as "$OTHER" GET "/api/usage/history"
check "another workspace's history: 30 days of nothing" jq_eq '[(.days | length), ([.days[].tests_run] | add)] | map(tostring) | join(" ")' "30 0"
as "$OWNER" GET /api/usage
check "usage: this period's 2 tests run and answers, as the history's" jq_eq '[.period.tests_run, .period.persona_answers] | map(tostring) | join(" ")' "2 $ANSWERS"
COST=$(sql "SELECT SUM(cost_micros) FROM runs")
check "... its cost, the runs' ($COST micro-dollars)" jq_eq '(.period.cost_usd * 1e6 | round)' "$COST"
check "... the period's bounds" jq_eq '(.period.start < .period.end) and (.period.end > (now | todate))' true
as "$OTHER" GET /api/usage
check "another workspace's period: nothing run" jq_eq '[.period.tests_run, .period.persona_answers, .period.cost_usd] | map(tostring) | join(" ")' "0 0 0"
as "$OWNER" GET "/api/usage/history?days=0"
check "days=0: 400 naming days" err_is invalid_request days
as "$OWNER" GET "/api/usage/history?days=366"
check "days=366: 400 naming days" err_is invalid_request days

finish
