#!/usr/bin/env bash
# stop_dev.sh - stops the server ./start_dev.sh started: SIGTERM, which lets
# in-flight requests finish, then waits for it to exit.
set -euo pipefail
cd "$(dirname "$0")"

PID_FILE=var/crowdelic.pid
if [ ! -f "$PID_FILE" ]; then
    echo "crowdelic is not running (no $PID_FILE)"
    exit 0
fi
pid=$(cat "$PID_FILE")
if ! kill -0 "$pid" 2>/dev/null; then
    echo "crowdelic is not running (stale $PID_FILE removed)"
    rm -f "$PID_FILE"
    exit 0
fi
kill -TERM "$pid"
for _ in $(seq 1 300); do
    if ! kill -0 "$pid" 2>/dev/null; then
        rm -f "$PID_FILE"
        echo "crowdelic stopped"
        exit 0
    fi
    sleep 0.1
done
echo "crowdelic (pid $pid) did not stop within 30 s; sending SIGKILL" >&2
kill -KILL "$pid" 2>/dev/null || true
rm -f "$PID_FILE"
exit 1
