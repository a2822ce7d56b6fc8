-- wrk script for the many-blogs cases of scripts/bench/scale.py: each request
-- is the next line of a sample file ("HOST PATH" per line: blogs and posts
-- drawn from a Zipf distribution), so readers spread over 1,000 blogs as they
-- would over a platform's. Threads start at different lines.
--   wrk ... -s scripts/bench/zipf.lua URL -- SAMPLES_FILE [COOKIE]

local lines = {}
local counter = 0
local cookie = nil
local threads_started = 0

function setup(thread)
  thread:set("thread_id", threads_started)
  threads_started = threads_started + 1
end

function init(args)
  for line in io.lines(args[1]) do
    lines[#lines + 1] = line
  end
  cookie = args[2]
  counter = ((thread_id or 0) * 7919) % #lines
end

function request()
  counter = counter % #lines + 1
  local host, path = lines[counter]:match("^(%S+) (%S+)$")
  local headers = { Host = host }
  if cookie then
    headers["Cookie"] = cookie
  end
  return wrk.format("GET", path, headers)
end
