-- wrk script for the search cases of scripts/bench.sh: each request is the
-- next of 60 one- and two-word queries over the bench posts' vocabulary
-- (seeds/bench_sql.py), so results cannot come from one cached answer.
-- Headers (Host) come from wrk's -H options.
--   wrk ... -s scripts/bench/search.lua URL

local words = {
  "actor", "cache", "request", "tenant", "worker", "storage", "edge", "reader",
  "latency", "budget", "memory", "page", "render", "markdown", "table", "footnote",
  "router", "limit", "lease", "bucket", "window", "token", "snapshot", "version",
  "history", "publish", "draft", "schedule", "alarm", "durable", "object", "isolate",
  "runtime", "wasm", "binary", "deploy", "config", "header", "cookie", "session",
}
local queries = {}
for i = 1, 30 do
  queries[#queries + 1] = words[i]
end
for i = 1, 30 do
  queries[#queries + 1] = words[i] .. "+" .. words[(i * 7) % #words + 1]
end

local counter = 0
local threads_started = 0

function setup(thread)
  thread:set("thread_id", threads_started)
  threads_started = threads_started + 1
end

function init(args)
  counter = ((thread_id or 0) * 17) % #queries
end

function request()
  counter = counter % #queries + 1
  return wrk.format(nil, "/search?q=" .. queries[counter])
end
