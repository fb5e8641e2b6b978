-- Pandoc Lua filter for the PDF (HTML -> Typst): keep the report's own styling
-- of boxes and notes, which pandoc's Typst writer would otherwise flatten.
local function wrap(el, fn)
  local blocks = { pandoc.RawBlock("typst", "#" .. fn .. "[") }
  for _, b in ipairs(el.content) do table.insert(blocks, b) end
  table.insert(blocks, pandoc.RawBlock("typst", "]"))
  return blocks
end

function Div(el)
  if el.classes:includes("kotak-peringatan") then return wrap(el, "kotak-peringatan") end
  if el.classes:includes("kotak-rekomendasi") then return wrap(el, "kotak-rekomendasi") end
  if el.classes:includes("kotak") then return wrap(el, "kotak") end
  if el.classes:includes("catatan") then return wrap(el, "catatan") end
  if el.classes:includes("kotak-judul") then return wrap(el, "kotak-judul") end
  return nil
end
