-- tests/soak/mix.lua - the soak's load for wrk (tests/soak/run): logins, reads
-- and writes of one workspace, rotated by a weighted table, and every response
-- counted by status. What the soak asserts afterwards comes from done():
-- requests, 2xx, 429s with and without Retry-After, other 4xx, 5xx.
--
-- The environment gives the token, a test id, a persona id and the login body
-- (SOAK_TOKEN, SOAK_TEST, SOAK_PERSONA, SOAK_LOGIN).

local token = os.getenv("SOAK_TOKEN")
local test_id = os.getenv("SOAK_TEST")
local persona_id = os.getenv("SOAK_PERSONA")
local login_body = os.getenv("SOAK_LOGIN")

-- {weight, method, path, body}: reads most, writes some, and a login now and then (one in
-- about 200 requests: a login is an argon2id hash of 64 MiB, which a real session does once)
local mix = {
    { 60, "GET", "/api/personas?limit=20" },
    { 20, "GET", "/api/personas/" .. persona_id },
    { 30, "GET", "/api/tests/" .. test_id },
    { 20, "GET", "/api/tests/" .. test_id .. "/runs" },
    { 20, "GET", "/api/auth/me" },
    { 10, "GET", "/api/usage" },
    { 16, "PUT", "/api/workspace", "name" },
    { 10, "POST", "/api/notifications/read-all" },
    { 10, "GET", "/api/billing/invoices" },
    { 1, "POST", "/api/auth/login", "login" },
}

local threads = {}

function setup(thread)
    thread:set("id", #threads + 1)
    table.insert(threads, thread)
end

-- counts is a global: done() reads it from each thread (thread:get)
counts = nil
local wheel, n, spin

function init(args)
    counts = { requests = 0, ok = 0, limited = 0, limited_bare = 0, client = 0, server = 0 }
    wheel = {}
    for _, m in ipairs(mix) do
        for _ = 1, m[1] do
            table.insert(wheel, m)
        end
    end
    n = 0
    spin = id * 7
end

function request()
    spin = spin + 1
    local m = wheel[(spin % #wheel) + 1]
    local headers = { ["Content-Type"] = "application/json" }
    local body = nil
    if m[4] == "login" then
        body = login_body
    else
        headers["Authorization"] = "Bearer " .. token
        if m[4] == "name" then
            n = n + 1
            body = string.format('{"name":"Soak %d-%d"}', id, n)
        end
    end
    return wrk.format(m[2], m[3], headers, body)
end

function response(status, headers, body)
    counts.requests = counts.requests + 1
    if status >= 200 and status < 300 then
        counts.ok = counts.ok + 1
    elseif status == 429 then
        counts.limited = counts.limited + 1
        if not headers["Retry-After"] and not headers["retry-after"] then
            counts.limited_bare = counts.limited_bare + 1
        end
    elseif status >= 500 then
        counts.server = counts.server + 1
    else
        counts.client = counts.client + 1
    end
end

function done(summary, latency, requests)
    local total = { requests = 0, ok = 0, limited = 0, limited_bare = 0, client = 0, server = 0 }
    for _, t in ipairs(threads) do
        local c = t:get("counts")
        for k, v in pairs(c) do
            total[k] = total[k] + v
        end
    end
    local e = summary.errors
    io.write(string.format(
        "soak-counts requests=%d ok=%d limited=%d limited_without_retry_after=%d client_errors=%d server_errors=%d socket_errors=%d p99_ms=%.1f\n",
        total.requests, total.ok, total.limited, total.limited_bare, total.client, total.server,
        e.connect + e.read + e.write + e.timeout, latency:percentile(99) / 1000))
end
