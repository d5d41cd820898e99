-- wrk script: POST a form again and again, each body unique ({n} in the body
-- file becomes thread-counter), counting redirects (accepted) and anything
-- else (rejected: a re-rendered form, 4xx, 5xx).
-- BENCH_POST_FILE: first line the path, second line extra headers as
-- "Name: value" separated by " | ", third line the urlencoded body.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local file = assert(io.open(os.getenv("BENCH_POST_FILE")))
local path = file:read("*l")
local header_line = file:read("*l")
local body_template = file:read("*l")
file:close()

local headers = {["Content-Type"] = "application/x-www-form-urlencoded"}
for name, value in string.gmatch(header_line, "([%w-]+): ([^|]+)") do
  headers[name] = value:gsub("%s+$", "")
end

counter = 0
-- The warm-up and the measured run each load this script: a per-run stamp
-- keeps their bodies apart, or the measured run would repeat the warm-up's
-- texts and meet the duplicate-comment guard.
run = tostring(os.time()) .. tostring(math.random(100000))
accepted = 0
rejected = 0

function request()
  counter = counter + 1
  local body = body_template:gsub("{n}", run .. "-" .. tid .. "-" .. counter)
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  if status == 302 or status == 303 then
    accepted = accepted + 1
  else
    rejected = rejected + 1
  end
end
