"""Checks of a built publication site, independent of analysis.publikasi's own code.

* :func:`count_cells`: every count of children in every published file (HTML tables and text,
  CSV, XLSX, JSON, the map script), found from headers and keys, not from the site's code;
* :func:`pinned_small_cells`: an outsider's linear programme (scipy ``linprog``) over all the
  sums the tables hold, with the truth computed here from ``analysis.prevalence.status_counts``;
* :func:`links`: every ``href``/``src`` of every page.
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd

#: Headers (HTML) and keys (CSV, XLSX, JSON) of counts of children or rows.
COUNT_HEADER = re.compile(r"(diukur|jumlah|baris|dinilai)", re.IGNORECASE)
NOT_COUNT_HEADER = re.compile(r"(perkiraan|cakupan|tahun|putaran|bulan|keterangan|kode|ditutup)", re.IGNORECASE)
INTEGER = re.compile(r"^\d{1,3}(\.\d{3})*$")  # Indonesian thousands separator


class _Tables(HTMLParser):
    """Tables of a page as (headers, rows of cell texts), plus the whole visible text."""

    def __init__(self):
        super().__init__()
        self.tables: list[tuple[list[str], list[list[str]]]] = []
        self._stack: list[dict] = []
        self._cell: list[str] | None = None
        self._in_head = False
        self._skip = 0
        self.text: list[str] = []
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("href", "src"):
            if key in a:
                self.refs.append((tag, key, a[key] or ""))
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "table":
            self._stack.append({"head": [], "rows": []})
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr" and self._stack:
            self._stack[-1]["row"] = []
        elif tag in ("td", "th") and self._stack:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        if tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._stack and self._cell is not None:
            text = re.sub(r"\s+", " ", "".join(self._cell)).strip()
            t = self._stack[-1]
            t.setdefault("row", []).append(text)
            self._cell = None
        elif tag == "tr" and self._stack:
            t = self._stack[-1]
            row = t.pop("row", [])
            (t["head"] if self._in_head else t["rows"]).append(row)
        elif tag == "table" and self._stack:
            t = self._stack.pop()
            self.tables.append((t["head"][-1] if t["head"] else [], t["rows"]))

    def handle_data(self, data):
        if self._skip:
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def parse_html(path: Path) -> _Tables:
    p = _Tables()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def _is_count_header(name: str) -> bool:
    return bool(COUNT_HEADER.search(name)) and not NOT_COUNT_HEADER.search(name)


def count_cells(site: Path) -> list[tuple[str, str, object]]:
    """Every published count: (file, where, value) with value an int, or a string mark.

    HTML: table cells under a count header, and any number written before "balita"/"anak" in
    the text. CSV/XLSX: columns ``diukur``, ``*_jumlah``, ``baris``. JSON: the same keys.
    Map script: ``diukur`` and every status' ``jumlah``.
    """
    out: list[tuple[str, str, object]] = []
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.suffix == ".html":
            page = parse_html(path)
            for head, rows in page.tables:
                for j, name in enumerate(head):
                    if _is_count_header(name):
                        out += [(rel, name, row[j]) for row in rows if j < len(row)]
            body = " ".join(page.text)
            out += [(rel, "teks", m) for m in re.findall(r"(\d{1,3}(?:\.\d{3})*) (?:balita|anak)\b", body)]
        elif path.suffix == ".csv":
            rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
            for r in rows:
                out += [(rel, k, v) for k, v in r.items() if k in ("diukur", "baris") or k.endswith("_jumlah")]
        elif path.suffix == ".xlsx":
            for sheet, frame in pd.read_excel(path, sheet_name=None, engine="openpyxl").items():
                for c in frame.columns:
                    if c in ("diukur", "baris") or str(c).endswith("_jumlah"):
                        out += [(f"{rel}:{sheet}", c, v) for v in frame[c]]
        elif path.suffix == ".json" and not path.name.endswith(".schema.json"):
            doc = json.loads(path.read_text(encoding="utf-8"))
            for key, rows in doc.items():
                if isinstance(rows, list):
                    for r in rows:
                        out += [(rel, f"{key}.{k}", v) for k, v in r.items()
                                if k in ("diukur", "baris") or k.endswith("_jumlah")]
        elif rel == "data/peta.js":
            doc = json.loads(path.read_text(encoding="utf-8").removeprefix("window.PETA=").rstrip().rstrip(";"))
            for layer in doc["lapisan"].values():
                for f in layer["features"]:
                    props = f["properties"]
                    out.append((rel, "diukur", props["diukur"]))
                    out += [(rel, f"{s}.jumlah", v["jumlah"]) for s, v in props["indikator"].items()]
    return out


def small_counts(cells: list[tuple[str, str, object]], k: int) -> list[tuple[str, str, object]]:
    """The cells holding a count between 1 and k − 1."""
    bad = []
    for where, col, v in cells:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            continue
        text = str(v).strip()
        if isinstance(v, (int, float, np.integer, np.floating)):
            n = int(v)
        elif INTEGER.match(text):
            n = int(text.replace(".", ""))
        else:
            continue  # a mark ("< 5", "ditutup", "–") or empty
        if 1 <= n < k:
            bad.append((where, col, v))
    return bad


# ------------------------------------------------------------------ outsider's linear programme ----

def _components(pairs: pd.DataFrame) -> list[tuple[list[str], list[str]]]:
    """Groups of puskesmas and desa linked by children (connected components)."""
    groups: list[tuple[set[str], set[str]]] = []
    for p, d in pairs.drop_duplicates().itertuples(index=False):
        hit = [g for g in groups if p in g[0] or d in g[1]]
        merged = (set().union(*(g[0] for g in hit)) | {p}, set().union(*(g[1] for g in hit)) | {d})
        groups = [g for g in groups if g not in hit] + [merged]
    return [(sorted(a), sorted(b)) for a, b in groups]


def truth(measurements: pd.DataFrame, kab: str) -> dict[str, pd.DataFrame]:
    """True counts per level (``status_counts``), indexed by the JSON ``kode``."""
    from analysis import reference
    from analysis.prevalence import status_counts

    m = measurements.copy()
    m["puskesmas"] = m["puskesmas"].astype("string").str.strip().fillna("(puskesmas tidak diisi)")
    v = reference.villages(kab)
    out = {"kabupaten": status_counts(m).assign(kode=kab).set_index("kode")}
    for level, key, codes in (("kecamatan", "kec_code", reference.kecamatan(kab)["district_code"]),
                              ("desa", "desa_code", v["village_code"]), ("puskesmas", "puskesmas", None)):
        t = status_counts(m, by=key).set_index(key)
        if codes is not None:
            t = t.reindex(codes.astype(str)).fillna(0)
        out[level] = t
    out["_komponen"] = _components(m[["puskesmas", "desa_code"]].astype(str))
    out["_kec_of"] = v.set_index("village_code")["district_code"]
    return out


def pinned_small_cells(doc: dict, tru: dict, column: str, k: int) -> list[tuple[str, str, float, float]]:
    """Small cells (true 1..k−1, or nearly all) an outsider can compute back from the published tables.

    ``column`` is ``"diukur"`` or a status (``"stunting"``). Unknowns are the hidden cells, with
    the bounds their marks give (``< k``: 1..k−1, nearly all: k..n, otherwise 0..the unit's
    children); the sums are district = its kecamatan, = its puskesmas, kecamatan = its desa,
    puskesmas group = its desa. Returns (level, kode, min, max) of each cell pinned to one
    integer by ``scipy.optimize.linprog``.
    """
    from scipy.optimize import linprog

    val_col = "anak" if column == "diukur" else f"jumlah_{column}"
    code_key = "diukur_ditutup" if column == "diukur" else f"{column}_ditutup"
    cells: dict[tuple[str, str], dict] = {}
    for level in ("kabupaten", "kecamatan", "puskesmas", "desa"):
        for row in doc[level]:
            t = tru[level].loc[row["kode"]]
            cells[(level, row["kode"])] = {"code": row[code_key], "v": int(t[val_col]), "anak": int(t["anak"]),
                                           "n": int(t["anak"] if column == "diukur" else t[f"n_{column}"])}
    hidden = [c for c, x in cells.items() if x["code"] not in ("", "tanpa_data")]
    index = {c: i for i, c in enumerate(hidden)}
    bounds = []
    total = cells[("kabupaten", doc["kab"])]["anak"]
    for c in hidden:
        x = cells[c]
        if x["code"] == "kecil":
            bounds.append((1, k - 1))
        elif x["code"] == "komplemen":
            bounds.append((k, x["n"]))
        else:
            bounds.append((0, total if column == "diukur" else x["anak"]))
    kab = ("kabupaten", doc["kab"])
    eqs = [([kab], [("kecamatan", r["kode"]) for r in doc["kecamatan"]]),
           ([kab], [("puskesmas", r["kode"]) for r in doc["puskesmas"]])]
    for kec in doc["kecamatan"]:
        eqs.append(([("kecamatan", kec["kode"])],
                    [("desa", r["kode"]) for r in doc["desa"] if tru["_kec_of"].get(r["kode"]) == kec["kode"]]))
    for pus, des in tru["_komponen"]:
        eqs.append(([("puskesmas", p) for p in pus], [("desa", d) for d in des]))
    a_eq, b_eq = [], []
    for left, right in eqs:
        row = np.zeros(len(hidden))
        rhs = 0.0
        for sign, group in ((-1, left), (1, right)):
            for c in group:
                if c in index:
                    row[index[c]] += sign
                else:
                    rhs -= sign * cells[c]["v"]
        if row.any():
            a_eq.append(row)
            b_eq.append(rhs)
    pinned = []
    for c in hidden:
        x = cells[c]
        small = 1 <= x["v"] < k or (x["v"] >= k and x["n"] - x["v"] < k)
        if not small or not a_eq:
            continue
        obj = np.zeros(len(hidden))
        obj[index[c]] = 1
        lo = linprog(obj, A_eq=np.array(a_eq), b_eq=np.array(b_eq), bounds=bounds, method="highs")
        hi = linprog(-obj, A_eq=np.array(a_eq), b_eq=np.array(b_eq), bounds=bounds, method="highs")
        assert lo.status == 0 and hi.status == 0, f"{c}: the published tables and the truth disagree"
        if np.floor(-hi.fun + 1e-7) - np.ceil(lo.fun - 1e-7) < 1:
            pinned.append((c[0], c[1], float(lo.fun), float(-hi.fun)))
    return pinned


def links(site: Path) -> list[tuple[Path, str, str, str]]:
    """Every reference of every page: (page, tag, attribute, value)."""
    return [(path, tag, attr, value) for path in sorted(site.rglob("*.html"))
            for tag, attr, value in parse_html(path).refs]


_TOKEN = re.compile(r"\w+", re.UNICODE)


def leaked(values: set[str] | list[str], site: Path) -> dict[str, list[str]]:
    """Personal values found in any file of the site: file → values.

    Values and file texts are compared as sequences of words (letters and digits, punctuation
    and spacing ignored, case kept), so ``"Jl. Melati No. 5"`` is found in ``Jl Melati No 5`` as
    well; a sequence-of-words index makes this fast enough for 100 000 values.
    """
    wanted = {tuple(_TOKEN.findall(v)): v for v in values if _TOKEN.findall(v)}
    longest = max((len(t) for t in wanted), default=0)
    out: dict[str, list[str]] = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".xlsx":
            frames = pd.read_excel(path, sheet_name=None, engine="openpyxl")
            body = "\n".join(f.to_csv(index=False) for f in frames.values())
        elif path.suffix in (".png", ".jpg", ".jpeg"):
            continue
        else:
            body = path.read_bytes().decode("utf-8", errors="replace")
        tokens = _TOKEN.findall(body)
        grams = {tuple(tokens[i:i + n]) for n in range(1, longest + 1) for i in range(len(tokens) - n + 1)}
        hits = [v for t, v in wanted.items() if t in grams]
        if hits:
            out[path.relative_to(site).as_posix()] = hits
    return out
