-- workload.lua - a Lua 5.4 workload for tests/real: strings, patterns,
-- tables, sorting, closures, metatables, coroutines, errors through pcall
-- and error objects, string.pack, utf8, integer/float arithmetic, goto and
-- file I/O. Prints only what is deterministic: keys are sorted before they
-- are printed (pairs order depends on the randomized string hash seed), no
-- addresses, no times.

local function keys(t)
  local ks = {}
  for k in pairs(t) do ks[#ks + 1] = k end
  table.sort(ks, function(a, b) return tostring(a) < tostring(b) end)
  return ks
end

-- strings and patterns
local text = "The quick brown fox jumps over the lazy dog; 42 foxes, 7 dogs."
local words = {}
for w in text:gmatch("%a+") do words[#words + 1] = w:lower() end
print("words", #words, table.concat(words, ","))
print("gsub", (text:gsub("(%d+) (%a+)", "%2=%1")))
print("find", text:find("fox"), text:find("f(o)x", 20), text:match("(%d+)%s+(%a+)"))
print("format", string.format("%5.2f|%-6s|%x|%q|%g|%e", math.pi, "ab", 48879, "a\n\"b", 1e20, 12345.678))
print("rep/reverse/byte", ("ab"):rep(3, "-"), ("hello"):reverse(), ("A"):byte(), string.char(72, 105))
print("upper", ("mixed Case 123"):upper(), ("%d items"):format(3))
local counts = {}
for c in text:gmatch("%l") do counts[c] = (counts[c] or 0) + 1 end
local cl = {}
for _, k in ipairs(keys(counts)) do cl[#cl + 1] = k .. counts[k] end
print("letters", table.concat(cl, " "))

-- tables and sorting
local people = {}
for i = 1, 200 do
  people[i] = { name = "p" .. ((i * 7919) % 1000), age = (i * 37) % 90, id = i }
end
table.sort(people, function(a, b)
  if a.age ~= b.age then return a.age < b.age end
  return a.id < b.id
end)
local first = {}
for i = 1, 8 do first[i] = people[i].name .. "/" .. people[i].age end
print("sorted", table.concat(first, " "))
local t = {}
for i = 1, 10 do table.insert(t, i * i) end
table.insert(t, 1, 0)
print("remove", table.remove(t), table.remove(t, 1), #t, table.concat(t, ","))
print("unpack", table.unpack({ 1, 2, 3 }, 2), select("#", table.unpack({ 1, nil, 3 }, 1, 3)))
print("move", table.concat(table.move({ 1, 2, 3, 4, 5 }, 2, 4, 1), ","))
local big = {}
for i = 1, 100000 do big[i] = (i * 2654435761) % 4294967296 end
local sum = 0
for _, v in ipairs(big) do sum = sum + v % 1000 end
table.sort(big)
print("big", sum, big[1], big[50000], big[100000])

-- closures
local function counter(start, step)
  local n = start
  return function() n = n + step; return n end
end
local c1, c2 = counter(0, 1), counter(100, -3)
for _ = 1, 5 do c1(); c2() end
print("closures", c1(), c2())
local adders = {}
for i = 1, 5 do adders[i] = function(x) return x + i end end
print("adders", adders[1](10), adders[5](10))
local function compose(...)
  local fs = { ... }
  return function(x)
    for i = #fs, 1, -1 do x = fs[i](x) end
    return x
  end
end
print("compose", compose(adders[2], function(x) return x * 3 end)(7))

-- metatables
local Vec = {}
Vec.__index = Vec
function Vec.new(x, y) return setmetatable({ x = x, y = y }, Vec) end
function Vec.__add(a, b) return Vec.new(a.x + b.x, a.y + b.y) end
function Vec.__eq(a, b) return a.x == b.x and a.y == b.y end
function Vec.__tostring(v) return "(" .. v.x .. "," .. v.y .. ")" end
function Vec.__len(v) return math.sqrt(v.x * v.x + v.y * v.y) end
function Vec:scale(k) return Vec.new(self.x * k, self.y * k) end
local v = Vec.new(3, 4) + Vec.new(1, 2):scale(2)
print("vec", tostring(v), #Vec.new(3, 4), v == Vec.new(5, 8))
local memo = setmetatable({}, { __index = function(self, n)
  local r = n < 2 and n or self[n - 1] + self[n - 2]
  rawset(self, n, r)
  return r
end })
print("fib", memo[80], memo[30])
local weak = setmetatable({}, { __mode = "k" })
weak[{}] = 1
collectgarbage()
print("weak", next(weak) == nil)

-- coroutines
local function gen(n)
  return coroutine.wrap(function()
    for i = 1, n do coroutine.yield(i, i * i) end
    return "done"
  end)
end
local g = gen(4)
local out = {}
for _ = 1, 5 do
  local a, b = g()
  out[#out + 1] = tostring(a) .. ":" .. tostring(b)
end
print("gen", table.concat(out, " "))
local co = coroutine.create(function(a, b)
  local c = coroutine.yield(a + b)
  local d, e = coroutine.yield(c * 2)
  error("inside coroutine " .. d + e)
end)
print("co", coroutine.resume(co, 1, 2))
print("co", coroutine.resume(co, 10))
print("co", coroutine.resume(co, 3, 4))
print("co", coroutine.status(co), coroutine.resume(co))
local producer = coroutine.create(function()
  for _, w in ipairs(words) do coroutine.yield(w) end
end)
local acc = {}
while true do
  local ok, w = coroutine.resume(producer)
  if not ok or w == nil then break end
  acc[#acc + 1] = #w
end
print("consumer", table.concat(acc, ""))
print("isyieldable", coroutine.isyieldable(), select(2, coroutine.running()))

-- errors: pcall, xpcall, error objects, levels, runtime errors
print("pcall", pcall(error, "plain"))
print("pcall", type(select(2, pcall(error, { code = 7 }))))
print("pcall", select(2, pcall(error, setmetatable({}, { __tostring = function() return "E!" end }))) ~= nil)
print("pcall", pcall(function() local x = nil; return x.field end))
print("pcall", pcall(function() return 1 + {} end))
print("pcall", pcall(function() error("level2", 2) end))
print("xpcall", xpcall(function() error("deep") end, function(m) return "handled: " .. m end))
local ok, e = pcall(function() error({ code = 42 }) end)
print("errobj", ok, type(e), e.code)
print("nested", pcall(pcall, error, "x"))
local depth = 0
local function recurse() depth = depth + 1; return recurse() + 1 end
print("overflow", pcall(recurse), depth > 1000)
print("tostring", pcall(string.rep))
print("assert", pcall(assert, false, "assertion message"))
print("close", pcall(function()
  local log = {}
  do
    local _ <close> = setmetatable({}, { __close = function() log[#log + 1] = "closed" end })
    log[#log + 1] = "body"
  end
  return table.concat(log, ",")
end))

-- numbers
print("int", 7 // 2, -7 // 2, 7 % -3, 2 ^ 10, 1 << 62, math.maxinteger, math.mininteger)
print("float", 7 / 2, 1e308 * 10, -(0 / 0) ~= -(0 / 0), math.floor(-3.5), math.ceil(-3.5))
print("math", math.sqrt(2), math.sin(1), math.exp(1), math.log(100, 10), math.fmod(7, 3))
print("conv", math.tointeger(3.0), tonumber("0x1p4"), tonumber("  12  "), tonumber("z", 36), 10 // 0.0)
print("tostr", 1e15, 1e16, 2^53, -0.0, 100 * 1.1, 3 | 4, ~0)
math.randomseed(42)
local r = {}
for i = 1, 5 do r[i] = math.random(1, 1000) end
print("random", table.concat(r, ","))

-- string.pack and utf8
local packed = string.pack("<i4 >I2 z s1 d", -2, 513, "zs", "len", 1.5)
print("pack", #packed, packed:byte(1, 8))
print("unpack", string.unpack("<i4 >I2 z s1 d", packed))
local u = utf8.char(72, 228, 8364, 128512)
print("utf8", #u, utf8.len(u), table.concat({ utf8.codepoint(u, 1, -1) }, ","))
for p, cp in utf8.codes("aé€") do io.write(p, "=", cp, " ") end
print()

-- goto, varargs, integer for loops
local n = 0
for i = 1, 10 do
  if i % 3 == 0 then goto continue end
  n = n + i
  ::continue::
end
print("goto", n)
local function va(...) return select("#", ...), ... end
print("varargs", va(1, nil, 3, nil))
for i = 10, 1, -4 do io.write(i, " ") end
print()

-- load and environments
local f = load("return x * 2", "chunk", "t", { x = 21 })
print("load", f())
print("loaderr", load("return +"))
local dumped = string.dump(function(a) return a * 3 end)
print("dump", load(dumped, "bin", "b")(5))

-- file I/O
local name = "lua-workload.tmp"
local fh = assert(io.open(name, "w"))
for i = 1, 100 do fh:write(i, "\t", i * i, "\n") end
fh:close()
local total = 0
for line in io.lines(name) do
  local a, b = line:match("(%d+)\t(%d+)")
  total = total + tonumber(a) + tonumber(b)
end
fh = assert(io.open(name, "rb"))
local size = fh:seek("end")
fh:seek("set", 3)
local chunk = fh:read(5)
fh:close()
os.remove(name)
print("io", total, size, ("%q"):format(chunk), io.open(name) == nil)
print("os", os.getenv("LUA_WORKLOAD_VAR"), type(os.clock()), os.date("!%Y-%m-%d %H:%M:%S", 86400 * 365))

-- a little interpreter-heavy work: sieve and string building
local sieve, primes = {}, {}
for i = 2, 20000 do
  if not sieve[i] then
    primes[#primes + 1] = i
    for j = i * i, 20000, i do sieve[j] = true end
  end
end
print("primes", #primes, primes[#primes])
local parts = {}
for i = 1, 2000 do parts[#parts + 1] = string.format("%04d", (i * 31) % 10000) end
local s = table.concat(parts)
print("concat", #s, s:sub(1, 20), s:sub(-12))
print("collect", collectgarbage("count") > 0, collectgarbage("step"), collectgarbage("isrunning"))
io.stderr:write("stderr: workload finished\n")
os.exit(3)
