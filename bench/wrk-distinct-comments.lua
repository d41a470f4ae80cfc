-- Posts valid, distinct Hub comment deliveries: each request gets a fresh comment id, so none is a
-- duplicate and every one must be stored. Thread ids keep ids unique across wrk's threads, the run id
-- (BENCH_RUN_ID, else the start time) across runs against the same server (a warm-up, then the
-- measured run).
local next_thread_id = 0
local threads = {}
local run_id = tonumber(os.getenv("BENCH_RUN_ID") or "") or os.time()

function setup(thread)
  thread:set("run_id", run_id)
  thread:set("thread_id", next_thread_id)
  next_thread_id = next_thread_id + 1
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  secret = os.getenv("BENCH_SECRET") or "bench-secret"
  template = io.open(os.getenv("BENCH_TEMPLATE"), "r"):read("*a")
end

function request()
  counter = counter + 1
  local comment_id = string.format("%08x%04x%012x", run_id, thread_id, counter)
  local body = string.gsub(template, "__COMMENT_ID__", comment_id)
  return wrk.format("POST", wrk.path, {
    ["Content-Type"] = "application/json",
    ["X-Webhook-Secret"] = secret,
  }, body)
end

function response(status, headers, body)
  if status ~= 200 and status ~= 202 then
    unexpected = (unexpected or 0) + 1
  end
end

function done(summary, latency, requests)
  local unexpected_total = 0
  for _, thread in ipairs(threads) do
    unexpected_total = unexpected_total + (thread:get("unexpected") or 0)
  end
  io.write(string.format("UNEXPECTED_STATUS %d\n", unexpected_total))
end
