-- KEYS[1] holds (sorted set), KEYS[2] the hold to drop (may not exist), KEYS[3..] the windows to charge.
-- ARGV[1] the hold's id, ARGV[2] tokens, ARGV[3] cost, ARGV[4..] each window's expiry (ms).
-- Returns per window the tokens, cost, held tokens and held cost after the charge.
release(KEYS[1], KEYS[2], ARGV[1])
local out = {}
for i = 3, #KEYS do
  local w = KEYS[i]
  local t = redis.call('HINCRBY', w, 't', ARGV[2])
  local c = redis.call('HINCRBYFLOAT', w, 'c', ARGV[3])
  redis.call('PEXPIREAT', w, ARGV[i + 1])
  local h = redis.call('HMGET', w, 'ht', 'hc')
  out[#out + 1] = tostring(t)
  out[#out + 1] = c
  out[#out + 1] = h[1] or '0'
  out[#out + 1] = h[2] or '0'
end
return out
