-- wrk script for bench/load.py: one static file (the ceiling). Argument: the path. Prints one JSON line.
local path = "/static/style.css"
function init(args) path = args[1] or path end
function request() return wrk.format("GET", path) end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p99_ms": %.2f, "non2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
end
