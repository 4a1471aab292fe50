-- wrk script for `perwal serve`: POSTs JSON bodies to PERWAL_PATH (default
-- /v1/check), cycling through the queries of the file PERWAL_BODIES (one JSON
-- body per line), and prints one machine-readable result line at the end.
local path = os.getenv("PERWAL_PATH") or "/v1/check"
local bodies = {}
for line in io.lines(os.getenv("PERWAL_BODIES")) do
  if #line > 0 then bodies[#bodies + 1] = line end
end
local headers = {["Content-Type"] = "application/json"}
local i = 0

request = function()
  i = i % #bodies + 1
  return wrk.format("POST", path, headers, bodies[i])
end

-- No response() hook: wrk counts non-2xx answers itself (errors.status) and parses less without it.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d " ..
    "errors_connect=%d errors_read=%d errors_write=%d errors_status=%d errors_timeout=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
