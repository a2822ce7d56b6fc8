-- wrk script for the `cold post (storage)` case of scripts/bench.sh: every
-- request asks for the next of the bench tenant's posts, bench-post-0001 ...
-- bench-post-NNNN, so the actor cannot answer from one hot page. Headers
-- (Host, Cookie) come from wrk's -H options.
--   wrk ... -s scripts/bench/posts.lua URL [-- COUNT]     (COUNT defaults to 1000)

local count = 1000
local counter = 0
local threads_started = 0

-- Runs in wrk's main Lua state, once per thread: gives each thread an id.
function setup(thread)
  thread:set("thread_id", threads_started)
  threads_started = threads_started + 1
end

-- Runs in each thread's state: threads start at different posts.
function init(args)
  if args[1] then
    count = tonumber(args[1])
  end
  counter = ((thread_id or 0) * 499) % count
end

function request()
  counter = counter + 1
  return wrk.format(nil, string.format("/blog/bench-post-%04d", (counter % count) + 1))
end
