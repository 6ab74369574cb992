-- wrk script for every workload: run with one connection per thread (-t N -c N), so each
-- thread's requests go out in order on its own connection and a session's steps never race.
-- Environment: BENCH_WORKLOAD (checkout | upsert | reads | mix), BENCH_KEY (Integration API key),
-- BENCH_MKEY (Management key), BENCH_PROFILES (seeded profiles p1..pN, with sessions s1..sN),
-- BENCH_RUN (a token that keeps session ids of one run apart from the others').

local workload = os.getenv("BENCH_WORKLOAD") or "checkout"
local key = "ApiKey-v1 " .. (os.getenv("BENCH_KEY") or "")
local mkey = "ManagementKey-v1 " .. (os.getenv("BENCH_MKEY") or "")
local profiles = tonumber(os.getenv("BENCH_PROFILES") or "10000")
local run = os.getenv("BENCH_RUN") or "r"
local sessions_per_profile = 4

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

local queue = {}
local session_no = 0
local profile = nil
local left_for_profile = 0

local item = '{"name":"Shoe","sku":"SKU-1","quantity":1,"price":49.95,"category":"shoes"}'
local item2 = '{"name":"Sock","sku":"SKU-2","quantity":3,"price":4.5,"category":"socks"}'

local function session_body(state, items)
  return '{"customerSession":{"profileId":"p' .. profile .. '","state":"' .. state ..
    '","cartItems":[' .. items .. ']},"responseContent":["customerSession","customerProfile"]}'
end

local function put(path, body)
  return wrk.format("PUT", path, { ["Authorization"] = key, ["Content-Type"] = "application/json" }, body)
end

local function get(path, auth)
  return wrk.format("GET", path, { ["Authorization"] = auth })
end

-- One checkout: the session is created open, updated with a second item, then closed.
local function queue_checkout()
  if left_for_profile == 0 then
    profile = math.random(1, profiles)
    left_for_profile = sessions_per_profile
  end
  left_for_profile = left_for_profile - 1
  session_no = session_no + 1
  local path = "/v2/customer_sessions/" .. run .. "-" .. tid .. "-" .. session_no
  table.insert(queue, put(path, session_body("open", item)))
  table.insert(queue, put(path, session_body("open", item .. "," .. item2)))
  table.insert(queue, put(path, session_body("closed", item .. "," .. item2)))
end

-- An upsert of a profile's attributes; one in ten is a profile that does not exist yet.
local function queue_upsert()
  local p = math.random(1, profiles + profiles / 10)
  local body = '{"attributes":{"Name":"Customer ' .. p .. '","Email":"c' .. p ..
    '@example.com","ShippingCountry":"DE"}}'
  table.insert(queue, put("/v2/customer_profiles/p" .. p, body))
end

-- A read: a seeded session (Integration API) or a seeded profile (Management API), in turn.
local reads = 0
local function queue_read()
  reads = reads + 1
  local n = math.random(1, profiles)
  if reads % 2 == 0 then
    table.insert(queue, get("/v2/customer_sessions/s" .. n, key))
  else
    table.insert(queue, get("/v1/customers/" .. n, mkey))
  end
end

local function refill()
  if workload == "checkout" then
    queue_checkout()
  elseif workload == "upsert" then
    queue_upsert()
  elseif workload == "reads" then
    queue_read()
  else
    -- mix, by requests: about 50% checkout steps, 20% upserts, 30% reads.
    local r = math.random()
    if r < 0.25 then
      queue_checkout()
    elseif r < 0.55 then
      queue_upsert()
    else
      queue_read()
    end
  end
end

function init(args)
  math.randomseed(tid * 7919 + os.time())
end

function request()
  if #queue == 0 then
    refill()
  end
  return table.remove(queue, 1)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"duration_us":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, errors.connect, errors.read, errors.write, errors.timeout,
    errors.status))
end
