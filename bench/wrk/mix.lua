-- wrk script for bench/load.py: search requests mixing popular queries with a long tail of unique ones.
--   wrk -t2 -c20 -d20s -s bench/wrk/mix.lua http://127.0.0.1:8000 -- /search 0.5
-- Arguments: the path (/search or /api/search) and the share of long-tail requests (0 to 1). Popular requests
-- draw from 60 fixed searches (the same words and regions as real visitors would repeat); long-tail ones combine
-- two or three of 120 topic words with a region, theme, status or page, so practically none repeats in a run.
-- done() prints one JSON line that bench/load.py reads.

local popular_words = {"social cooperative", "digital skills", "training young people", "repair furniture",
  "microloans", "local products", "refugees", "recycling", "older people care", "mentoring", "rural tourism",
  "inclsion"}
local popular_regions = {"", "mazovia", "Masowien", "haskovo", "rhein nekar"}
local tail_words = {"social", "cooperative", "municipality", "local", "action", "group", "foundation",
  "association", "enterprises", "regional", "development", "agency", "vocational", "school", "credit", "union",
  "community", "centre", "network", "small", "businesses", "employment", "office", "university", "housing",
  "unemployed", "young", "people", "education", "training", "older", "disabilities", "migrants", "refugees",
  "women", "returning", "work", "roma", "communities", "farmers", "prison", "single", "parents", "rural",
  "households", "bakery", "catering", "repair", "reuse", "furniture", "digital", "skills", "courses",
  "gardening", "care", "services", "food", "distribution", "recycling", "textiles", "tourism", "villages",
  "renewable", "energy", "microloans", "marketing", "products", "mentoring", "companies", "procurement",
  "public", "bodies", "crowdfunding", "campaigns", "shared", "online", "shop", "jobs", "stable", "registered",
  "markets", "volunteers", "waste", "landfill", "qualifications", "model", "towns", "coaching", "support",
  "funding", "programmes", "sale", "evaluations", "participants", "coordinates", "practice", "combines",
  "personal", "income", "inclusion", "integration", "innovation", "partnership", "pilot", "ongoing",
  "completed", "scheme", "label", "brand", "advice", "loans", "fund", "revolving", "kitchen", "library",
  "tablets", "banking", "seniors", "schools", "citizens", "awareness", "law", "policy", "ministry"}
local tail_filters = {"region=mazovia", "region=haskovo", "region=extremadura", "region=riga", "region=harghita",
  "theme=social-inclusion", "theme=work-integration", "theme=sustainability", "theme=digitalisation",
  "status=ongoing", "status=completed", "sort=newest", "sort=title", "page=2", "page=3", ""}

local function enc(s) return (s:gsub(" ", "+")) end
local path, tail_share = "/search", 0.5

function init(args)
  path = args[1] or path
  tail_share = tonumber(args[2] or tail_share)
  math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0) % 100000)
end

function request()
  if math.random() < tail_share then
    local n = math.random(2, 3)
    local words = {}
    for i = 1, n do words[i] = tail_words[math.random(#tail_words)] end
    local filter = tail_filters[math.random(#tail_filters)]
    local q = path .. "?q=" .. enc(table.concat(words, " "))
    if filter ~= "" then q = q .. "&" .. filter end
    return wrk.format("GET", q)
  end
  local q = path .. "?q=" .. enc(popular_words[math.random(#popular_words)])
  local region = popular_regions[math.random(#popular_regions)]
  if region ~= "" then q = q .. "&region=" .. enc(region) end
  return wrk.format("GET", q)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p99_ms": %.2f, "non2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
end
