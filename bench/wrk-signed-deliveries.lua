-- Posts GitHub-signed deliveries (for Probot's middleware) from BENCH_SIGNED: one per line, the
-- `x-hub-signature-256` value, a tab, the body. wrk cannot compute an HMAC, so the bodies are signed
-- beforehand and cycled; each request still gets its own x-github-delivery id.
local next_thread_id = 0
local threads = {}

function setup(thread)
  thread:set("thread_id", next_thread_id)
  next_thread_id = next_thread_id + 1
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  deliveries = {}
  for line in io.lines(os.getenv("BENCH_SIGNED")) do
    local tab = string.find(line, "\t", 1, true)
    table.insert(deliveries, { string.sub(line, 1, tab - 1), string.sub(line, tab + 1) })
  end
end

function request()
  counter = counter + 1
  local delivery = deliveries[(counter % #deliveries) + 1]
  return wrk.format("POST", wrk.path, {
    ["Content-Type"] = "application/json",
    ["X-GitHub-Event"] = "issue_comment",
    ["X-GitHub-Delivery"] = string.format("%04x-%012x", thread_id, counter),
    ["X-Hub-Signature-256"] = delivery[1],
  }, delivery[2])
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
