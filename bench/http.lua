-- wrk script for scripts/bench http: GET /search over the queries of a file,
-- in rotation, and one JSON line with throughput and latency at the end.
--
--   wrk -c 8 -t 2 -d 15s -s bench/http.lua http://127.0.0.1:PORT -- QUERIES [PARAMS]
--
-- QUERIES: one query a line ('#' lines and blank lines skipped), URL-encoded
-- here. PARAMS: the rest of the query string (default "limit=10&passages=2",
-- what bench_query measures). Each wrk thread starts at a different point of
-- the rotation. done() prints, on a line of its own:
--   {"requests":…,"duration_s":…,"rps":…,"p50_ms":…,"p95_ms":…,"p99_ms":…,
--    "mean_ms":…,"max_ms":…,"non2xx":…,"socket_errors":…,"bytes":…}
-- "non2xx" is wrk's count of responses with a status >= 400 (the API sends
-- no 1xx or 3xx); "socket_errors" sums connect, read, write and timeout errors.

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", c:byte()) end))
end

local function load_queries(path)
  local f = assert(io.open(path, "r"), "http.lua: cannot read " .. tostring(path))
  local qs = {}
  for line in f:lines() do
    line = line:gsub("^%s+", ""):gsub("%s+$", "")
    if line ~= "" and line:sub(1, 1) ~= "#" then qs[#qs + 1] = line end
  end
  f:close()
  assert(#qs > 0, "http.lua: no query in " .. path)
  return qs
end

local counter = 0
local requests = {}
local pos = 0

function setup(thread)
  thread:set("thread_no", counter)
  counter = counter + 1
end

function init(args)
  local qs = load_queries(args[1] or "bench/queries.txt")
  local params = args[2] or "limit=10&passages=2"
  for i, q in ipairs(qs) do
    local path = "/search?q=" .. urlencode(q)
    if params ~= "" then path = path .. "&" .. params end
    requests[i] = wrk.format("GET", path)
  end
  -- spread the threads over the rotation
  pos = ((thread_no or 0) * 7) % #requests
end

function request()
  pos = pos % #requests + 1
  return requests[pos]
end

function done(summary, latency, requests_)
  local e = summary.errors
  local secs = summary.duration / 1e6
  local function ms(us) return us / 1000 end
  io.write(string.format(
    '{"requests":%d,"duration_s":%.3f,"rps":%.1f,"p50_ms":%.3f,"p95_ms":%.3f,' ..
    '"p99_ms":%.3f,"mean_ms":%.3f,"max_ms":%.3f,"non2xx":%d,"socket_errors":%d,' ..
    '"bytes":%d}\n',
    summary.requests, secs, summary.requests / secs,
    ms(latency:percentile(50)), ms(latency:percentile(95)), ms(latency:percentile(99)),
    ms(latency.mean), ms(latency.max), e.status,
    e.connect + e.read + e.write + e.timeout, summary.bytes))
end
