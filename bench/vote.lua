-- POST /ideas/<id>/vote value=1, rotating over logged-in members; each member walks
-- through the ideas they have not voted on yet, so every request casts a new vote.
-- The warm-up walks each member's list from the end, the measured run from the start.
-- Usage: wrk ... -s bench/vote.lua <url> -- <sessions file> warmup|run
-- sessions file, a line per member: cookie<TAB>csrf token<TAB>url-encoded token<TAB>idea ids (comma-separated)
local sessions = {}
local counter = 0
local backwards = false

local threads = 0
setup = function(thread)
  thread:set("tid", threads)  -- a global of the thread's own Lua state, read in init
  threads = threads + 1
end

init = function(args)
  for line in io.lines(args[1]) do
    local cookie, token, encoded, ids = line:match("^(.-)\t(.-)\t(.-)\t(.*)$")
    if cookie then
      local list = {}
      for id in ids:gmatch("%d+") do list[#list + 1] = id end
      sessions[#sessions + 1] = {cookie = cookie, token = token, encoded = encoded, ideas = list, next = 0}
    end
  end
  -- wrk's threads share nothing: thread k takes every other member (k, k + 2, ...)
  counter = tonumber(tid) or 0
  backwards = args[2] == "warmup"
end

request = function()
  local s = sessions[(counter % #sessions) + 1]
  counter = counter + 2
  s.next = s.next + 1
  local k = (s.next - 1) % #s.ideas
  if backwards then k = #s.ideas - 1 - k end
  local idea = s.ideas[k + 1]
  local body = "value=1&csrf_token=" .. s.encoded
  local headers = {
    ["Cookie"] = s.cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-CSRFToken"] = s.token,
  }
  return wrk.format("POST", "/ideas/" .. idea .. "/vote", headers, body)
end

done = function(summary, latency, requests)
  for _, p in ipairs({50, 95, 99}) do
    io.write(string.format("BENCH_P%d_US %d\n", p, latency:percentile(p)))
  end
end
