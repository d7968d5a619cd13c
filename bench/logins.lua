-- wrk script: POST /api/auth/login/ for the users of the file named by the first
-- script argument ("id username" per line, as bench/seed -o writes), rotated per
-- request, all with the seed's password.
local bodies = {}
local next_body = 1

function init(args)
  for line in io.lines(args[1]) do
    local username = line:match("^%d+ (%S+)$")
    if username then
      bodies[#bodies + 1] = '{"username":"' .. username .. '","password":"seed-password-1"}'
    end
  end
  next_body = math.random(#bodies)
end

function request()
  next_body = next_body % #bodies + 1
  return wrk.format("POST", "/api/auth/login/", { ["Content-Type"] = "application/json" },
                    bodies[next_body])
end
