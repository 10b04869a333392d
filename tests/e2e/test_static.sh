#!/usr/bin/env bash
# tests/e2e/test_static.sh - the web UI's files: the "build the UI" page
# while there is none, then a built tree: MIME types, caching, ETag, gzip
# variants, history-route fallback, and every path traversal refused.
. "$(dirname "$0")/lib.sh"

# --- no UI built -----------------------------------------------------------------------
LATE=$TMP_ROOT/late/dist
start_server WEB_DIR="$LATE" || { finish; exit 1; }
req GET /
check "/ without a built UI is 200" eq "$STATUS" 200
check "... an HTML page" contains "$(header Content-Type)" text/html
check "... saying how to build the UI" contains "$BODY" "make run"
req GET /personas/42
check "a client route without a built UI shows the same page" contains "$BODY" "make run"
req GET /assets/app.js
check "a file without a built UI is 404" eq "$STATUS" 404
# the UI built while the server runs (make run's build beside a running server)
mkdir -p "$LATE"
echo '<!doctype html><title>Built late</title><div id="root"></div>' >"$LATE/index.html"
req GET /personas/42
check "a UI built after the start is served without a restart" contains "$BODY" "Built late"
stop_server

# --- a built UI -------------------------------------------------------------------------
WEB=$TMP_ROOT/web
mkdir -p "$WEB/assets" "$TMP_ROOT/outside"
echo '<!doctype html><title>Crowdelic UI</title><div id="root"></div>' >"$WEB/index.html"
echo 'console.log("app")' >"$WEB/assets/app-1a2b3c.js"
gzip -9 -k "$WEB/assets/app-1a2b3c.js"
echo 'body{color:#2d3748}' >"$WEB/assets/app-1a2b3c.css"
echo '<svg xmlns="http://www.w3.org/2000/svg"/>' >"$WEB/logo.svg"
printf 'wOF2' >"$WEB/assets/font.woff2"
echo 'TOP SECRET' >"$TMP_ROOT/outside/secret.txt"
echo 'HIDDEN' >"$WEB/.env"
ln -s "$TMP_ROOT/outside/secret.txt" "$WEB/link.txt"

start_server WEB_DIR="$WEB" || { finish; exit 1; }
req GET /
check "/ serves index.html" contains "$BODY" "Crowdelic UI"
check "index.html is text/html" eq "$(header Content-Type)" "text/html; charset=utf-8"
check "index.html is revalidated" eq "$(header Cache-Control)" no-cache
check "HTML gets a content security policy" contains "$(header Content-Security-Policy)" "frame-ancestors 'none'"
check "HTML gets nosniff" eq "$(header X-Content-Type-Options)" nosniff
req GET /assets/app-1a2b3c.js
check "a script is served" contains "$BODY" 'console.log("app")'
check "a script is text/javascript" contains "$(header Content-Type)" text/javascript
check "hashed assets are immutable" eq "$(header Cache-Control)" "public, max-age=31536000, immutable"
etag=$(header ETag)
check "a file has an ETag" matches "$etag" '^".+"$'
req GET /assets/app-1a2b3c.js -H "If-None-Match: $etag"
check "a matching If-None-Match is 304" eq "$STATUS" 304
check "304 has no body" eq "$BODY" ""
curl -s --compressed -D "$HDRS" -o "$TMP_ROOT/gz.js" "$BASE/assets/app-1a2b3c.js"
check "gzip is served to clients that accept it" eq "$(header Content-Encoding)" gzip
check "... and decodes to the file" eq "$(cat "$TMP_ROOT/gz.js")" 'console.log("app")'
req GET /assets/app-1a2b3c.css
check "CSS is text/css" contains "$(header Content-Type)" text/css
req GET /logo.svg
check "SVG is image/svg+xml" eq "$(header Content-Type)" image/svg+xml
req GET /assets/font.woff2
check "WOFF2 is font/woff2" eq "$(header Content-Type)" font/woff2

req GET /personas/42
check "a client route falls back to index.html" contains "$BODY" "Crowdelic UI"
check "... as HTML" contains "$(header Content-Type)" text/html
req GET /tests/7/runs/3
check "a deep client route falls back too" contains "$BODY" "Crowdelic UI"
req GET /missing.png
check "a missing file is 404" eq "$STATUS" 404
check "... as a JSON error" jq_eq .error.code not_found
req GET /api/missing
check "an unknown API path never falls back to the UI" eq "$STATUS" 404
req POST /
check "POST to a UI path is 405" eq "$STATUS" 405
check "... allowing GET and HEAD" eq "$(header Allow)" "GET, HEAD"

# --- traversal ---------------------------------------------------------------------------
for p in '/../outside/secret.txt' '/assets/../../outside/secret.txt' '/%2e%2e/outside/secret.txt' \
    '/assets/%2e%2e/%2e%2e/outside/secret.txt' '/..%2foutside%2fsecret.txt' '/link.txt' '/.env' \
    '/assets/..%5c..%5coutside%5csecret.txt'; do
    STATUS=$(curl -s --path-as-is -o "$TMP_ROOT/trav" -w '%{http_code}' "$BASE$p")
    check "traversal $p is refused ($STATUS)" bash -c "[ '$STATUS' != 200 ] || ! grep -q -e 'TOP SECRET' -e HIDDEN '$TMP_ROOT/trav'"
    check "traversal $p leaks nothing" bash -c "! grep -q -e 'TOP SECRET' -e HIDDEN '$TMP_ROOT/trav'"
done

finish
