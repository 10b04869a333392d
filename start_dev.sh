#!/usr/bin/env bash
# start_dev.sh - builds Crowdelic and starts it in the background on the
# embedded defaults (SQLite in var/, the offline model). The process id goes
# to var/crowdelic.pid and its log to var/crowdelic.log; ./stop_dev.sh stops
# it. Any variable of the README (PORT, LOG_LEVEL, ...) may be set first.
set -euo pipefail
cd "$(dirname "$0")"

PID_FILE=var/crowdelic.pid
LOG_FILE=var/crowdelic.log

if [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
    echo "crowdelic is already running (pid $(cat "$PID_FILE")); ./stop_dev.sh stops it"
    exit 0
fi

scripts/bootstrap
make -s all
scripts/build-web
mkdir -p var

start_line=1 # read the log from where this start begins
[ -f "$LOG_FILE" ] && start_line=$(($(wc -l <"$LOG_FILE") + 1))
nohup build/debug/crowdelic serve >>"$LOG_FILE" 2>&1 &
echo $! >"$PID_FILE"

for _ in $(seq 1 100); do
    if ! kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
        echo "crowdelic failed to start; the end of $LOG_FILE:" >&2
        tail -n 20 "$LOG_FILE" >&2
        rm -f "$PID_FILE"
        exit 1
    fi
    port=$(tail -n +"$start_line" "$LOG_FILE" | grep -m1 '"msg":"listening"' | sed -E 's/.*"port":([0-9]+).*/\1/' || true)
    if [ -n "$port" ]; then
        echo "crowdelic is running at http://localhost:$port (pid $(cat "$PID_FILE"), log $LOG_FILE)"
        exit 0
    fi
    sleep 0.1
done
echo "crowdelic did not report listening within 10 s; see $LOG_FILE" >&2
exit 1
