-- wrk script: POST a chat message, one (sender's token, friend's id) pair of the file
-- named by the first script argument per request, rotated ("friend_id token" lines).
local pairs_ = {}
local next_pair = 1
local sent = 0

function init(args)
  for line in io.lines(args[1]) do
    local friend, token = line:match("^(%d+) (%S+)$")
    if friend then pairs_[#pairs_ + 1] = { friend = friend, token = token } end
  end
  next_pair = math.random(#pairs_)
end

function request()
  next_pair = next_pair % #pairs_ + 1
  sent = sent + 1
  local p = pairs_[next_pair]
  return wrk.format("POST", "/api/chat/" .. p.friend .. "/messages/",
    { ["Authorization"] = "Bearer " .. p.token, ["Content-Type"] = "application/json" },
    '{"text":"bench message ' .. sent .. ' with some words in it"}')
end
