-- wrk script: send DEPTH (argument, default 16) pipelined copies of the request per round trip.
-- wrk -t1 -c256 -d15s --latency -s bench/http/pipeline.lua http://127.0.0.1:8080/plaintext -- 16
init = function(args)
  local depth = tonumber(args[1]) or 16
  local r = {}
  for i = 1, depth do
    r[i] = wrk.format()
  end
  req = table.concat(r)
end

request = function()
  return req
end
