-- wrk script for the `admin write` case of scripts/bench.sh: each request
-- creates a new published post through the admin API, titled
-- "Bench write TAG-THREAD-N" (unique per request: TAG from $BENCH_TAG, e.g.
-- warm or main, THREAD the wrk thread, N a counter). Host, Cookie,
-- X-CSRF-Token and content-type come from wrk's -H options. Prints
-- "Non-201 responses: N" at the end (every write should answer 201).

local threads = {}
local tag = os.getenv("BENCH_TAG") or "run"
local counter = 0
non201 = 0

local markdown = "## Written by the bench\\n\\n"
  .. "A short post with **some emphasis**, a [link](https://example.com) and a list:\\n\\n"
  .. "- one\\n- two\\n- three\\n\\n"
  .. "| a | b |\\n|---|--:|\\n| x | 1 |\\n\\n"
  .. "```text\\nfenced code\\n```\\n\\nA footnote.[^n]\\n\\n[^n]: The note.\\n"

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

function request()
  counter = counter + 1
  local title = string.format("Bench write %s-%d-%d", tag, thread_id or 0, counter)
  local body = string.format('{"title":"%s","markdown":"%s","status":"published"}', title, markdown)
  return wrk.format("POST", "/admin/api/posts", nil, body)
end

function response(status, headers, body)
  if status ~= 201 then
    non201 = non201 + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + (thread:get("non201") or 0)
  end
  io.write(string.format("Non-201 responses: %d\n", total))
end
