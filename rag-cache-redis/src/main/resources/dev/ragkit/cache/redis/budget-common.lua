-- Shared by the budget scripts. A hold is a hash {t = tokens, c = cost, k = "window-key window-key ..."}
-- listed in the holds sorted set with its expiry (ms) as score.

-- Drops a hold: its amounts leave every window it was taken in (when that window still exists).
local function release(holds, holdKey, id)
  local h = redis.call('HMGET', holdKey, 't', 'c', 'k')
  if h[1] then
    for w in string.gmatch(h[3], '%S+') do
      if redis.call('EXISTS', w) == 1 then
        if redis.call('HINCRBY', w, 'ht', -tonumber(h[1])) < 0 then
          redis.call('HSET', w, 'ht', 0)
        end
        -- adding and removing costs leaves floating-point dust: never a negative hold
        if tonumber(redis.call('HINCRBYFLOAT', w, 'hc', -tonumber(h[2]))) < 1e-9 then
          redis.call('HSET', w, 'hc', 0)
        end
      end
    end
    redis.call('DEL', holdKey)
  end
  redis.call('ZREM', holds, id)
end
