-- wrk script: print the run's numbers as one JSON line (bench/measure.py reads it).
-- Latencies in microseconds. Shared by every target so they are measured alike.
local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local accepted, rejected = 0, 0
  for _, thread in ipairs(threads) do
    accepted = accepted + (thread:get("accepted") or 0)
    rejected = rejected + (thread:get("rejected") or 0)
  end
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"p50_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f,' ..
    '"accepted":%d,"rejected":%d}\n',
    summary.requests, summary.duration, summary.bytes,
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean, accepted, rejected))
end
