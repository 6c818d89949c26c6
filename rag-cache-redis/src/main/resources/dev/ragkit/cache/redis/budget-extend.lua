-- KEYS[1] the hold; ARGV[1] tokens, ARGV[2] cost to add to it and to the windows it holds on.
local k = redis.call('HGET', KEYS[1], 'k')
if not k then
  return 0
end
for w in string.gmatch(k, '%S+') do
  if redis.call('EXISTS', w) == 1 then
    redis.call('HINCRBY', w, 'ht', ARGV[1])
    redis.call('HINCRBYFLOAT', w, 'hc', ARGV[2])
  end
end
redis.call('HINCRBY', KEYS[1], 't', ARGV[1])
redis.call('HINCRBYFLOAT', KEYS[1], 'c', ARGV[2])
return 1
