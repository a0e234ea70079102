-- POST /ideas/<id>/vote value=1, rotating over logged-in members and ideas.
-- Usage: wrk ... -s bench/vote.lua <url> -- <sessions file> <ideas file>
-- sessions file: "cookie<TAB>csrf token<TAB>url-encoded token" a line; ideas file: an idea id a line.
local sessions = {}
local ideas = {}
local counter = 0

local function lines(path)
  local out = {}
  for line in io.lines(path) do
    if line ~= "" then out[#out + 1] = line end
  end
  return out
end

local thread_no = 0
setup = function(thread)
  thread:set("offset", thread_no * 7919)
  thread_no = thread_no + 1
end

init = function(args)
  for _, line in ipairs(lines(args[1])) do
    local cookie, token, encoded = line:match("^(.-)\t(.-)\t(.*)$")
    sessions[#sessions + 1] = {cookie = cookie, token = token, encoded = encoded}
  end
  for _, line in ipairs(lines(args[2])) do ideas[#ideas + 1] = line end
  counter = tonumber(offset) or 0
end

request = function()
  counter = counter + 1
  local s = sessions[(counter % #sessions) + 1]
  local idea = ideas[(math.floor(counter / #sessions) + counter) % #ideas + 1]
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
