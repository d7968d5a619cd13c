-- wrk script: GET the path given as the first script argument, with the access tokens
-- of the file named by the second, rotated per request (one token per line).
local path = "/"
local tokens = {}
local next_token = 1

function init(args)
  path = args[1]
  for line in io.lines(args[2]) do
    if #line > 0 then tokens[#tokens + 1] = line end
  end
  next_token = math.random(#tokens)
end

function request()
  next_token = next_token % #tokens + 1
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. tokens[next_token] })
end
