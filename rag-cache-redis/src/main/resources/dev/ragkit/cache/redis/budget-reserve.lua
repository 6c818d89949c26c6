-- KEYS[1] holds (sorted set), KEYS[2] this reservation's hold, KEYS[3..] the windows it holds on.
-- ARGV[1] now (ms), ARGV[2] hold key prefix, ARGV[3] tokens, ARGV[4] cost, ARGV[5] the hold's expiry (ms),
-- ARGV[6] n windows, ARGV[7..6+n] each window's expiry (ms), ARGV[7+n] m checks, then per check:
-- window index (1-based), unit ('t' or 'c'), soft, hard.
-- Returns level (0 within, 1 soft, 2 hard), the deciding check (0-based, -1 none), then per window the
-- tokens, cost, held tokens and held cost seen before this reservation.
local now = tonumber(ARGV[1])
local prefix = ARGV[2]
-- holds of processes that died without settling lapse here, before anything is checked
local lapsed = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 100)
for _, id in ipairs(lapsed) do
  release(KEYS[1], prefix .. id, id)
end
local tokens = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local n = tonumber(ARGV[6])
local seen = {}
for i = 1, n do
  local v = redis.call('HMGET', KEYS[2 + i], 't', 'c', 'ht', 'hc')
  seen[i] = {tonumber(v[1]) or 0, tonumber(v[2]) or 0, tonumber(v[3]) or 0, tonumber(v[4]) or 0}
end
local m = tonumber(ARGV[7 + n])
local a = 8 + n
local level = 0
local worst = -1
for c = 1, m do
  local s = seen[tonumber(ARGV[a])]
  local soft = tonumber(ARGV[a + 2])
  local hard = tonumber(ARGV[a + 3])
  local after
  if ARGV[a + 1] == 't' then after = s[1] + s[3] + tokens else after = s[2] + s[4] + cost end
  a = a + 4
  if after > hard then
    level = 2
    worst = c - 1
    break
  end
  if after > soft and level == 0 then
    level = 1
    worst = c - 1
  end
end
if level < 2 then
  local held = {}
  for i = 1, n do
    local w = KEYS[2 + i]
    redis.call('HINCRBY', w, 'ht', ARGV[3])
    redis.call('HINCRBYFLOAT', w, 'hc', ARGV[4])
    redis.call('PEXPIREAT', w, ARGV[6 + i])
    held[i] = w
  end
  redis.call('HSET', KEYS[2], 't', ARGV[3], 'c', ARGV[4], 'k', table.concat(held, ' '))
  redis.call('PEXPIREAT', KEYS[2], tonumber(ARGV[5]) + 60000)
  redis.call('ZADD', KEYS[1], ARGV[5], string.sub(KEYS[2], string.len(prefix) + 1))
end
local out = {tostring(level), tostring(worst)}
for i = 1, n do
  for j = 1, 4 do
    out[#out + 1] = tostring(seen[i][j])
  end
end
return out
