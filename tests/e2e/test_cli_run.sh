#!/usr/bin/env bash
# tests/e2e/test_cli_run.sh - crowdelic run, a test file run with no server
# and no database: every examples/*.json runs on the offline model and
# writes results.json, results.csv and report.html; the same seed gives a
# byte-identical results.json and another seed another one; the test's
# config.seed wins over --seed; bad test files are refused with exit 2 and
# the JSON path of the field (unknown field, a criterion with its column,
# no scenarios, a library panel, an unknown persona, a focus group too
# large, a missing file, not JSON); existing outputs are kept without
# --force; results.csv reads back with python's csv module, one row per
# answer; --personas files in both shapes; "template:" ids; the default
# directory; progress lines; Ctrl-C between steps (exit 130, nothing
# written); and a run through an OpenAI-compatible endpoint (llm-serve).
# Every run has a clean environment (no .env, no model key) and must leave
# no sanitizer report.
. "$(dirname "$0")/lib.sh"

EXAMPLES=$(cd "$(dirname "$0")/../../examples" && pwd)
WORK=$(mktemp -d "$TMP_ROOT/work.XXXXXX")
OUT=$WORK/stdout
ERR=$WORK/stderr
RC=0

# crun [VAR=value ...] -- ARGS...: "$BIN run ARGS" in $WORK with only the
# given environment; sets RC, and OUT and ERR hold its output.
crun() {
    local -a env_vars=("PATH=$PATH" "HOME=$WORK" "ASAN_OPTIONS=$ASAN_OPTIONS"
        "UBSAN_OPTIONS=$UBSAN_OPTIONS")
    while [ $# -gt 0 ] && [ "$1" != -- ]; do
        env_vars+=("$1")
        shift
    done
    shift
    (cd "$WORK" && exec env -i "${env_vars[@]}" "$BIN" run "$@" >"$OUT" 2>"$ERR")
    RC=$?
}

clean_stderr() { ! grep -qE 'AddressSanitizer|LeakSanitizer|runtime error' "$ERR"; }
err_has() { grep -qF -- "$1" "$ERR"; }
out_has() { grep -qF -- "$1" "$OUT"; }
three_files() { [ -s "$1/results.json" ] && [ -s "$1/results.csv" ] && [ -s "$1/report.html" ]; }
jq_file() { [ "$(jq -r "$2" "$1" 2>/dev/null)" = "$3" ]; }

# A test file in $WORK from JSON text; prints its path.
test_file() {
    printf '%s' "$2" >"$WORK/$1"
    echo "$WORK/$1"
}

# --- usage ---------------------------------------------------------------------------------
"$BIN" run --help >"$OUT" 2>"$ERR"
check "--help exits 0" eq "$?" 0
check "--help prints the usage" out_has "usage: crowdelic run TEST.json"
check "--help names every option" bash -c "grep -q -- --out '$OUT' && grep -q -- --model '$OUT' &&
    grep -q -- --personas '$OUT' && grep -q -- --seed '$OUT' && grep -q -- --quiet '$OUT' &&
    grep -q -- --force '$OUT'"
"$BIN" help >"$OUT"
check "crowdelic help lists run" grep -qE '^  run ' "$OUT"
crun --
check "no test file: exit 2" eq "$RC" 2
check "no test file: says so" err_has "no test file given"
crun -- "$EXAMPLES/product-meal-kit.json" --seed abc
check "a bad --seed: exit 2 naming it" bash -c "[ $RC = 2 ] && grep -q -- '--seed' '$ERR'"
crun -- "$EXAMPLES/product-meal-kit.json" --bogus
check "an unknown option: exit 2 naming it" bash -c "[ $RC = 2 ] && grep -q -- '--bogus' '$ERR'"

# --- every example -------------------------------------------------------------------------
for f in "$EXAMPLES"/*.json; do
    name=$(basename "$f" .json)
    crun -- "$f" --out "$WORK/ex-$name" --quiet
    check "example $name exits 0" eq "$RC" 0
    check "example $name writes the three files" three_files "$WORK/ex-$name"
    check "example $name: --quiet prints nothing" bash -c "[ ! -s '$OUT' ] && [ ! -s '$ERR' ]"
    check "example $name: results.json is JSON with the test, personas, rows and report" \
        jq_file "$WORK/ex-$name/results.json" \
        '.test.name and (.personas | length > 0) and (.results | length > 0) and .report.run != null' true
    check "example $name: no output file left half-written" \
        bash -c "[ -z \"\$(ls -A '$WORK/ex-$name' | grep '^\.')\" ]"
done
EX=$WORK/ex
check "product: every template persona answered" jq_file "$EX-product-meal-kit/results.json" \
    '.personas | length' "$(ls "$(dirname "$0")/../../data/personas" | wc -l)"
check "product: the offline model is named" jq_file "$EX-product-meal-kit/results.json" \
    '.report.run.offline' true
check "message: B wins and winner == \"B\" passes" jq_file "$EX-message-ab-ad-copy/results.json" \
    '[.report.winner, (.report.criteria[] | select(.text == "winner == \"B\"") | .passed)] | join(",")' \
    "B,true"
check "message: every persona saw both variants" jq_file "$EX-message-ab-ad-copy/results.json" \
    '[.results[].scenario] | unique | join(",")' "ad/A,ad/B"
check "journey: some people abandon, with a reason" jq_file "$EX-journey-bank-onboarding/results.json" \
    '[.results[] | select(.abandoned and (.reason | length > 0))] | length > 0' true
check "journey: the report has the funnel" jq_file "$EX-journey-bank-onboarding/results.json" \
    '.report.funnel.steps | length' 4
check "focus group: the transcript has both rounds" jq_file "$EX-focus-group-coffee/results.json" \
    '[.transcript[].round] | unique | join(",")' "1,2"
check "focus group: the moderator asks, the personas speak" jq_file "$EX-focus-group-coffee/results.json" \
    '[(.transcript[] | select(.speaker == "Moderator")), (.transcript[] | select(.persona_id != null))] | length > 6' true
check "generated panel: 8 personas made by the factory" jq_file "$EX-product-generated-panel/results.json" \
    '[.personas[].id | startswith("generated-")] | (length == 8 and all)' true
check "report.html is a whole page" bash -c "grep -q '</html>' '$EX-product-meal-kit/report.html'"

# --- results.csv reads back: a header and one row per answer (one for a unit without) ------------
for f in "$EXAMPLES"/*.json; do
    name=$(basename "$f" .json)
    want=$(jq '[.results[] | (.answers | length) as $n | if $n == 0 then 1 else $n end] | add + 1' \
        "$EX-$name/results.json")
    got=$(python3 -c 'import csv,sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
assert rows[0][:3] == ["run_id", "persona_id", "persona_name"], rows[0]
assert all(len(r) == len(rows[0]) for r in rows), "ragged rows"
print(len(rows))' "$EX-$name/results.csv" 2>&1)
    check "example $name: results.csv parses with $want rows (got $got)" eq "$got" "$want"
done

# --- the seed --------------------------------------------------------------------------------
NOSEED=$WORK/noseed.json
jq 'del(.config.seed)' "$EXAMPLES/product-meal-kit.json" >"$NOSEED"
crun -- "$NOSEED" --out "$WORK/s5a" --seed 5 -q
crun -- "$NOSEED" --out "$WORK/s5b" --seed 5 -q
check "the same seed twice: byte-identical results.json" cmp -s "$WORK/s5a/results.json" "$WORK/s5b/results.json"
check "the same seed twice: byte-identical report.html" cmp -s "$WORK/s5a/report.html" "$WORK/s5b/report.html"
check "the seed is written into the test as run" jq_file "$WORK/s5a/results.json" '.test.config.seed' 5
crun -- "$NOSEED" --out "$WORK/s6" --seed 6 -q
check "another seed: another results.json" bash -c "! cmp -s '$WORK/s5a/results.json' '$WORK/s6/results.json'"
crun -- "$NOSEED" --out "$WORK/s1" -q
check "no seed anywhere: seed 1" jq_file "$WORK/s1/results.json" '.report.run.seed' 1
crun -- "$EXAMPLES/product-meal-kit.json" --out "$WORK/s42" --seed 9
check "config.seed wins over --seed" cmp -s "$WORK/s42/results.json" "$EX-product-meal-kit/results.json"
check "config.seed winning is said" err_has "config.seed (42) is used"

# --- bad test files: exit 2, the file and the field named ------------------------------------
bad() { # NAME FILE EXPECTED-TEXT...
    local name=$1 file=$2
    shift 2
    crun -- "$file" --out "$WORK/bad"
    check "$name: exit 2" eq "$RC" 2
    local t
    for t in "$@"; do
        check "$name: says '$t'" err_has "$t"
    done
    check "$name: nothing written" bash -c "[ ! -e '$WORK/bad' ]"
}
base=$(cat "$EXAMPLES/product-meal-kit.json")
bad "unknown field" "$(test_file unknown.json "$(jq '.config.colour = "blue"' <<<"$base")")" \
    "unknown.json" "config.colour"
bad "a criterion naming no question" \
    "$(test_file crit.json "$(jq '.config.success_criteria = ["mean(apeal) >= 7"]' <<<"$base")")" \
    "config.success_criteria[0]" "column" "apeal"
bad "no scenarios" "$(test_file empty.json "$(jq '.config.scenarios = []' <<<"$base")")" \
    "config.scenarios"
bad "a library panel" "$(test_file lib.json \
    "$(jq '.config.panel = {"library_id": "01a00000-0000-7000-8000-000000000000"}' <<<"$base")")" \
    "config.panel" "needs a server"
bad "a filter panel" "$(test_file filter.json "$(jq '.config.panel = {"filter": {"country": "Brazil"}}' <<<"$base")")" \
    "config.panel" "filter"
bad "an unknown persona" "$(test_file who.json \
    "$(jq 'del(.config.panel) | .config.personas = ["sophie-brennan-london", "nobody-here"]' <<<"$base")")" \
    "config.personas[1]" "nobody-here"
bad "a focus group of every template" "$(test_file fg.json \
    "$(jq 'del(.config.personas) | .config.panel = {"templates": "all"}' "$EXAMPLES/focus-group-coffee.json")")" \
    "config.panel" "focus group seats 2 to 20"
bad "a missing file" "$WORK/no-such-test.json" "no-such-test.json" "cannot read"
bad "not JSON" "$(test_file notjson.json '{"name": "x", "type": ')" "notjson.json" "not JSON"
bad "a wrong type" "$(test_file type.json "$(jq '.type = "survey"' <<<"$base")")" "type"

# --- outputs already there -------------------------------------------------------------------
crun -- "$EXAMPLES/product-meal-kit.json" --out "$WORK/keep" -q
before=$(md5sum <"$WORK/keep/results.json")
: >"$WORK/keep/results.csv"
crun -- "$EXAMPLES/product-meal-kit.json" --out "$WORK/keep" -q
check "existing outputs without --force: exit 2" eq "$RC" 2
check "existing outputs without --force: names the file and --force" \
    bash -c "grep -q 'keep/results.json exists' '$ERR' && grep -q -- '--force' '$ERR'"
check "existing outputs without --force: left as they were" \
    bash -c "[ \"\$(md5sum <'$WORK/keep/results.json')\" = '$before' ] && [ ! -s '$WORK/keep/results.csv' ]"
crun -- "$EXAMPLES/product-meal-kit.json" --out "$WORK/keep" -q --force
check "with --force: exit 0 and rewritten" bash -c "[ $RC = 0 ] && [ -s '$WORK/keep/results.csv' ]"
: >"$WORK/a-file"
crun -- "$EXAMPLES/product-meal-kit.json" --out "$WORK/a-file" -q --force
check "--out naming a file: exit 2" bash -c "[ $RC = 2 ] && grep -q 'not a directory' '$ERR'"
crun -- "$EXAMPLES/product-meal-kit.json" --out "$WORK/deep/er/dir" -q
check "--out creates missing parents" three_files "$WORK/deep/er/dir"

# --- the default directory, progress, the summary ----------------------------------------------
crun -- "$EXAMPLES/journey-bank-onboarding.json"
check "default directory: ./crowdelic-run-<name>" three_files "$WORK/crowdelic-run-bank-app-onboarding"
check "progress: a line a step when stderr is not a terminal" err_has "step 1: 12/48 units"
check "the summary names the criteria on stdout" out_has "pass  mean(ease) >= 3.5"
check "the summary names where the files went" out_has "wrote crowdelic-run-bank-app-onboarding/report.html"
check "no sanitizer report" clean_stderr

# --- panels: "template:" ids, --personas files in both shapes ------------------------------------
crun -- "$(test_file tpl.json "$(jq 'del(.config.panel) | .config.personas = ["template:sophie-brennan-london", "Marcus-Bell-Atlanta"]' <<<"$base")")" \
    --out "$WORK/tpl" -q
check "template: ids and any case: exit 0" eq "$RC" 0
check "template: ids: the members" jq_file "$WORK/tpl/results.json" '[.personas[].id] | join(",")' \
    "template:sophie-brennan-london,template:marcus-bell-atlanta"
PERSONAS=$(test_file people.json '[
  {"id": "ana", "name": "Ana Souza", "demographics": {"age": 34, "gender": "female",
   "location": "Porto Alegre, Brazil", "occupation": "nurse", "income_level": "lower_middle",
   "language": "pt-BR"}, "personality": {"traits": ["careful", "warm"], "interests": ["cooking"]},
   "tags": ["parents"], "type": "custom"},
  {"name": "Oskar Lindqvist", "age": 52, "occupation": {"title": "ferry engineer"},
   "residence": "Gothenburg, Sweden", "personality": {"traits": ["dry", "frugal"]},
   "preferences": {"interests": ["sailing", "home brewing"]}},
  {"id": "zoe_k", "name": "Zoë Kim", "age": 27, "occupation": "UX designer",
   "residence": "Seoul, South Korea"}
]')
crun -- "$(test_file mine.json "$(jq 'del(.config.panel) | .config.personas = ["ana", "oskar-lindqvist", "zoe_k", "sophie-brennan-london"]' <<<"$base")")" \
    --personas "$PERSONAS" --out "$WORK/mine" -q
check "--personas: exit 0" eq "$RC" 0
check "--personas: by id, by name, and a template" jq_file "$WORK/mine/results.json" \
    '[.personas[] | "\(.id)=\(.name)"] | join(",")' \
    "ana=Ana Souza,oskar-lindqvist=Oskar Lindqvist,zoe_k=Zoë Kim,template:sophie-brennan-london=Sophie Brennan"
check "--personas: each answered" jq_file "$WORK/mine/results.json" '.results | length' 4
crun -- "$(test_file readme.json "$(jq 'del(.config.panel) | .config.personas = ["ana", "oskar", "zoe"]' <<<"$base")")" \
    --personas "$EXAMPLES/panels/three-people.json" --out "$WORK/readme" -q
check "examples/README.md's --personas example runs" jq_file "$WORK/readme/results.json" \
    '[.personas[].id] | join(",")' "ana,oskar,zoe"
crun -- "$EXAMPLES/product-meal-kit.json" --personas "$(test_file bad-people.json '[{"id": "x", "name": "X", "age": "old"}]')" --out "$WORK/bp"
check "--personas with a bad persona: exit 2 naming the item and field" \
    bash -c "[ $RC = 2 ] && grep -q 'bad-people.json: \[0\].age' '$ERR'"
crun -- "$EXAMPLES/product-meal-kit.json" --personas "$(test_file dup-people.json '[{"id": "x", "name": "X"}, {"id": "X", "name": "Y"}]')" --out "$WORK/bp"
check "--personas with a repeated id: exit 2" bash -c "[ $RC = 2 ] && grep -q '\[1\].id' '$ERR'"

# --- Ctrl-C between steps: exit 130, nothing written ----------------------------------------------
SLOW=$(test_file slow.json "$(jq '.config.samples = 10 | del(.config.success_criteria)' <<<"$base")")
(cd "$WORK" && exec env -i "PATH=$PATH" "HOME=$WORK" "ASAN_OPTIONS=$ASAN_OPTIONS" \
    "UBSAN_OPTIONS=$UBSAN_OPTIONS" RUN_STEP_UNITS=1 LLM_CONCURRENCY=1 \
    "$BIN" run "$SLOW" --out "$WORK/int" >"$OUT" 2>"$ERR") &
pid=$!
for _ in $(seq 1 400); do
    grep -q '^step 2:' "$ERR" 2>/dev/null && break
    sleep 0.025
done
kill -INT "$pid" 2>/dev/null
wait "$pid"
RC=$?
check "Ctrl-C: exit 130" eq "$RC" 130
check "Ctrl-C: says where it stopped" err_has "interrupted after"
check "Ctrl-C: nothing written" bash -c "[ ! -e '$WORK/int' ]"
check "Ctrl-C: no sanitizer report" clean_stderr

# --- an OpenAI-compatible endpoint: llm-serve with the offline responder ------------------------
start_llm || { finish; exit 1; }
crun CROWDELIC_LLM_BASE_URL="$BASE/v1" LLM_CACHE=off -- "$EXAMPLES/focus-group-coffee.json" \
    --out "$WORK/remote" --model crowdelic-echo -q
check "through an endpoint: exit 0" eq "$RC" 0
check "through an endpoint: the three files" three_files "$WORK/remote"
check "through an endpoint: not the offline provider" jq_file "$WORK/remote/results.json" '.report.run.offline' false
check "through an endpoint: --model is the test's model" jq_file "$WORK/remote/results.json" \
    '.test.config.model.name' crowdelic-echo
check "through an endpoint: the server was asked" bash -c "[ \"\$(curl -s '$BASE/stats' | jq '.requests > 0')\" = true ]"
crun CROWDELIC_LLM_BASE_URL="http://127.0.0.1:1/v1" LLM_MAX_ATTEMPTS=1 -- "$EXAMPLES/product-meal-kit.json" \
    --out "$WORK/down" -q
check "an endpoint that does not answer: exit 1" eq "$RC" 1
check "an endpoint that does not answer: says why, writes nothing" \
    bash -c "grep -q 'crowdelic run:' '$ERR' && [ ! -e '$WORK/down' ]"

finish
