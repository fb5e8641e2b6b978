-- Pandoc Lua filter for the PDF (HTML -> Typst): keep the report's own styling
-- of boxes and notes, which pandoc's Typst writer would otherwise flatten.
local function wrap(el, fn)
  local blocks = { pandoc.RawBlock("typst", "#" .. fn .. "[") }
  for _, b in ipairs(el.content) do table.insert(blocks, b) end
  table.insert(blocks, pandoc.RawBlock("typst", "]"))
  return blocks
end

-- The document form (analysis.laporan.kerangka): cover on its own page, a page break before
-- each chapter and part, the approval page, signatures, front-matter lists as Typst outlines,
-- the DRAF mark (recorded as metadata the page header and background query).
local DOCUMENT = false
local function raw(s) return pandoc.RawBlock("typst", s) end

local function call(fn, children)
  -- #fn([child 1], [child 2], ...) with each child Div's content as a content argument
  local blocks = { raw("#" .. fn .. "(") }
  for _, child in ipairs(children) do
    table.insert(blocks, raw("["))
    for _, b in ipairs(child.content or { child }) do table.insert(blocks, b) end
    table.insert(blocks, raw("],"))
  end
  table.insert(blocks, raw(")"))
  return blocks
end

local function document_div(el)
  if el.classes:includes("sampul") then
    local blocks = { raw('#metadata("sampul") <sampul>') }
    if el.classes:includes("draf") then table.insert(blocks, raw('#metadata("draf") <draf>')) end
    table.insert(blocks, raw("#sampul["))
    for _, b in ipairs(el.content) do table.insert(blocks, b) end
    table.insert(blocks, raw("]"))
    return blocks
  end
  if el.classes:includes("tanda-draf") or el.classes:includes("judul-dokumen") then return {} end
  for _, c in ipairs(el.classes) do
    if c:match("^sampul%-") then return wrap(el, c) end
  end
  if el.classes:includes("kolofon") then return wrap(el, "kolofon") end
  if el.classes:includes("section") then
    -- unwrap sections so that chapter headings sit at the top level (page breaks)
    local blocks = {}
    if DOCUMENT and el.classes:includes("bagian") then table.insert(blocks, raw("#pagebreak(weak: true)")) end
    for _, b in ipairs(el.content) do table.insert(blocks, b) end
    return blocks
  end
  if el.classes:includes("daftar-isi-dokumen") then return raw("#outline(title: none, depth: 2)") end
  if el.classes:includes("daftar-tabel-dokumen") then
    return raw("#outline(title: none, target: figure.where(kind: table))")
  end
  if el.classes:includes("daftar-gambar-dokumen") then
    return raw("#outline(title: none, target: figure.where(kind: image))")
  end
  if el.classes:includes("ttd") then return call("tanda-tangan", el.content) end
  if el.classes:includes("ttd-ruang") then return raw("#v(2.2cm)") end
  if el.classes:includes("rp-grid") then return call("ringkas-grid", el.content) end
  if el.classes:includes("kotak-narasi-kosong") then return wrap(el, "kotak-kosong") end
  if el.classes:includes("pengesahan-teks") then return wrap(el, "pengesahan-teks") end
  return nil
end

function Div(el)
  local doc = document_div(el)
  if doc ~= nil then return doc end
  if el.classes:includes("kotak-peringatan") then return wrap(el, "kotak-peringatan") end
  if el.classes:includes("kotak-rekomendasi") then return wrap(el, "kotak-rekomendasi") end
  if el.classes:includes("kotak") then return wrap(el, "kotak") end
  if el.classes:includes("catatan") then return wrap(el, "catatan") end
  if el.classes:includes("kotak-judul") then return wrap(el, "kotak-judul") end
  return nil
end

-- Wide tables: share the text width between columns by what they need. Every column
-- first gets its minimum (its longest word; header words count 1.2x, they are bold),
-- the rest is shared in proportion to each column's longest cell (up to 30 characters),
-- so headers such as "Underweight (%)" never overlap their neighbours. Narrow tables
-- keep Typst's automatic widths (they are centred, not stretched). Tables too wide even
-- for their minimums are set in a smaller type (down to 6.5 pt, see `tabel-kecil`).
local TEXT_WIDTH_CHARS = 90
local function longest_word(s)
  local n = 0
  for w in s:gmatch("%S+") do n = math.max(n, utf8.len(w) or #w) end
  return n
end

function Table(tbl)
  local ncol = #tbl.colspecs
  local min, need = {}, {}
  for i = 1, ncol do min[i] = 3; need[i] = 3 end
  local function visit(rows, is_head)
    for _, row in ipairs(rows) do
      local col = 1
      for _, cell in ipairs(row.cells) do
        local s = pandoc.utils.stringify(cell.contents)
        local len = utf8.len(s) or #s
        if col <= ncol and (cell.col_span or 1) == 1 then
          -- header words are bold (x1.2); digits are wider than average letters (x1.15)
          local factor = is_head and 1.2 or (s:find("%d") and 1.15 or 1)
          local word = longest_word(s) * factor + 2
          min[col] = math.max(min[col], word)
          need[col] = math.max(need[col], word, (is_head and 0 or math.min(len, 30) + 2))
        end
        col = col + (cell.col_span or 1)
      end
    end
  end
  visit(tbl.head.rows, true)
  for _, body in ipairs(tbl.bodies) do visit(body.body, false) end
  local sum_min, sum_need = 0, 0
  for i = 1, ncol do sum_min = sum_min + min[i]; sum_need = sum_need + need[i] end
  if sum_need <= TEXT_WIDTH_CHARS then return nil end
  local size = 8.5
  if sum_min > TEXT_WIDTH_CHARS then
    size = math.max(6.5, 8.5 * TEXT_WIDTH_CHARS / sum_min)
  end
  local capacity = TEXT_WIDTH_CHARS * 8.5 / size
  local width = math.max(capacity, sum_min)
  local extra, spread = width - sum_min, sum_need - sum_min
  for i = 1, ncol do
    local w = min[i] + (spread > 0 and math.min(extra * (need[i] - min[i]) / spread, 1e9) or extra / ncol)
    tbl.colspecs[i] = { tbl.colspecs[i][1], w / width }
  end
  if size < 8.5 then
    return { pandoc.RawBlock("typst", string.format("#tabel-kecil(%.1fpt)[", size)), tbl,
             pandoc.RawBlock("typst", "]") }
  end
  return tbl
end

-- Run order: find out first whether the body is a document (it has a cover), then the rest.
local function detect(el)
  if el.classes:includes("sampul") then DOCUMENT = true end
  return nil
end

return {
  { Div = detect },
  { Div = Div, Table = Table },
}
