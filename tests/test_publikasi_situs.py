"""The publication sites of Kota Bontang (64.74) and Kabupaten Kutai Kartanegara (64.02), demo data 2024.

Checked on the files (every count, personal data, the outsider's linear programme, schema,
links, the province portal) and in a real browser: the system Chromium (Debian package) opens
each site from disk headless, driven over the DevTools protocol (tests/publikasi_cdp.py). The
browser test fails, never skips, when Chromium is missing. Screenshots go to the folder named by
``KONVERGENSI_TANGKAPAN`` (default: the test's temporary folder).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import jsonschema
import pytest

from analysis import dataset
from analysis.publikasi import bangun_portal, bangun_situs
from publikasi_cdp import Browser
from publikasi_periksa import count_cells, leaked, links, parse_html, pinned_small_cells, small_counts, truth
from rendered import personal_values

pytestmark = pytest.mark.xdist_group("publikasi-demo")

DISTRICTS = {"64.74": "bontang", "64.02": "kukar"}
K = 5
SCREEN = {"desktop": (1280, 900, False), "ponsel": (390, 844, True)}


class _Sites:
    """The demo sites, each built on first use in this worker (xdist may split the districts)."""

    def __init__(self, out: Path):
        self.out = out
        self.sites: dict[str, dict] = {}

    def __getitem__(self, kab: str) -> dict:
        if kab not in self.sites:
            data = dataset.load_district(kab, None)
            site = bangun_situs(kab, 2024, None, self.out).parent
            self.sites[kab] = {"site": site, "ukur": dataset.measurements_for_year(data, 2024),
                               "doc": json.loads((site / "unduh" / "prevalensi.json").read_text("utf-8"))}
        return self.sites[kab]


@pytest.fixture(scope="session")
def sites(tmp_path_factory):
    return {"sites": _Sites(tmp_path_factory.mktemp("publikasi-demo"))}


@pytest.mark.parametrize("kab", DISTRICTS)
def test_desa_table_has_one_row_per_desa_with_data(sites, kab):
    s = sites["sites"][kab]
    with_data = s["ukur"].groupby("desa_code").size()
    page = parse_html(s["site"] / "tabel.html")
    names = {r["kode"]: r["nama"] for r in s["doc"]["desa"]}
    [desa_table] = [rows for head, rows in page.tables if head and head[0].startswith("Desa/kelurahan")]
    body = desa_table[:-1]  # the last row is the district total (tfoot)
    assert len(body) == len(with_data) == (15 if kab == "64.74" else 237)
    assert sorted(r[0] for r in body) == sorted(names[c] for c in with_data.index)
    assert desa_table[-1][0].startswith("Seluruh ")


@pytest.mark.parametrize("kab", DISTRICTS)
def test_no_count_below_threshold(sites, kab):
    cells = count_cells(sites["sites"][kab]["site"])
    assert len(cells) > 700
    assert small_counts(cells, K) == []


@pytest.mark.parametrize("kab", DISTRICTS)
def test_no_small_cell_can_be_computed_back(sites, kab):
    s = sites["sites"][kab]
    tru = truth(s["ukur"], kab)
    for column in ("diukur", "stunting", "sangat_pendek", "wasting", "underweight", "overweight"):
        assert pinned_small_cells(s["doc"], tru, column, K) == [], column


@pytest.mark.parametrize("kab", DISTRICTS)
def test_no_personal_data(sites, kab):
    from analysis import config

    personal = personal_values(config.DEMO_DIR / kab / "2024" / "eppgbm.csv")
    assert len(personal) > 1000
    # every file (also CSV, JS, XLSX), as word sequences; tests/rendered.py's assert_no_personal_data
    # scans substrings of HTML/JSON/XLSX only and takes minutes on 100 000 values
    assert leaked(personal, sites["sites"][kab]["site"]) == {}


@pytest.mark.parametrize("kab", DISTRICTS)
def test_json_schema_and_links(sites, kab):
    site = sites["sites"][kab]["site"]
    schema = json.loads((site / "unduh" / "prevalensi.schema.json").read_text("utf-8"))
    jsonschema.validate(sites["sites"][kab]["doc"], schema)
    for page, tag, _attr, value in links(site):
        if tag == "a" and value.startswith(("https://", "mailto:", "tel:")):
            continue
        assert "://" not in value, f"{page.name}: {value}"
        target = value.split("#")[0]
        assert not target or (page.parent / target).resolve().is_file(), f"{page.name}: {value}"


def test_portal_lists_both_districts(sites):
    for kab in DISTRICTS:
        sites["sites"][kab]
    html = bangun_portal("64", 2024, sites["sites"].out).read_text("utf-8")
    assert "Kota Bontang" in html and "Kabupaten Kutai Kartanegara" in html
    for folder in ("64.74-kota-bontang", "64.02-kabupaten-kutai-kartanegara"):
        assert f'href="../../{folder}/publikasi/index.html"' in html


# ------------------------------------------------------------------ the browser ----

def _shots_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("KONVERGENSI_TANGKAPAN", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("kab", DISTRICTS)
def test_site_in_chromium(sites, kab, tmp_path):
    s = sites["sites"][kab]
    site, doc = s["site"], s["doc"]
    n_desa = int((s["ukur"].groupby("desa_code").size() > 0).sum())
    n_polygons = len(json.loads((site / "data" / "peta.js").read_text("utf-8")
                                .removeprefix("window.PETA=").rstrip().rstrip(";"))["lapisan"]["desa"]["features"])
    shots = _shots_dir(tmp_path)
    t0 = time.perf_counter()
    with Browser() as b:
        for label, (width, height, mobile) in SCREEN.items():
            b.viewport(width, height, mobile)
            b.open((site / "index.html").as_uri())
            assert b.evaluate("document.documentElement.lang") == "id"
            assert b.evaluate("document.querySelectorAll('h1').length") == 1
            b.screenshot(shots / f"{DISTRICTS[kab]}-beranda-{label}.png", width)

            b.open((site / "tabel.html").as_uri())
            rows = b.evaluate("document.querySelectorAll('#tabel-desa tbody tr').length")
            assert rows == n_desa
            assert b.evaluate("document.querySelectorAll('#tabel-desa th button.urut').length") > 10
            assert b.evaluate("document.querySelector('.pilihan-tabel').dataset.tampil") == "stunting"
            # sort by the stunting prevalence (descending after two clicks) and check the order
            b.evaluate("""(() => { const th = [...document.querySelectorAll('#tabel-desa thead th')]
                            .find(h => h.classList.contains('i-stunting') && h.textContent.includes('Prevalensi'));
                            th.querySelector('button').click(); th.querySelector('button').click(); })()""")
            values = b.evaluate("""[...document.querySelectorAll('#tabel-desa tbody tr')].map(r =>
                r.children[[...document.querySelectorAll('#tabel-desa thead th')].findIndex(h =>
                  h.classList.contains('i-stunting') && h.textContent.includes('Prevalensi'))].dataset.urut)""")
            numbers = [float(v) for v in values if v]
            assert numbers == sorted(numbers, reverse=True) and len(numbers) > 0
            assert all(v == "" for v in values[len(numbers):])  # hidden or empty cells last
            # search by name
            first = doc["desa"][0]["nama"]
            b.evaluate(f"""(() => {{ const i = document.getElementById('cari-tabel-desa');
                           i.value = {json.dumps(first)}; i.dispatchEvent(new Event('input')); }})()""")
            shown = b.evaluate("[...document.querySelectorAll('#tabel-desa tbody tr')].filter(r => !r.hidden).length")
            assert 1 <= shown < rows
            b.evaluate("""(() => { const i = document.getElementById('cari-tabel-desa');
                           i.value = ''; i.dispatchEvent(new Event('input')); })()""")
            b.screenshot(shots / f"{DISTRICTS[kab]}-tabel-{label}.png", width)

            b.open((site / "peta.html").as_uri())
            assert b.evaluate("document.getElementById('peta').dataset.siap") == "1"
            paths = b.evaluate("document.querySelectorAll('#peta path.leaflet-interactive').length")
            assert paths == n_polygons > 0
            assert b.evaluate("document.querySelectorAll('#legenda li').length") == 8
            b.evaluate("document.querySelectorAll('#peta path.leaflet-interactive')[0]"
                       ".dispatchEvent(new MouseEvent('click', {bubbles: true}))")
            info = b.evaluate("document.querySelector('#info-wilayah h2').textContent")
            assert info.startswith(("Desa ", "Kelurahan "))
            assert b.evaluate("document.querySelectorAll('#info-wilayah tbody tr').length") == 5
            b.evaluate("""(() => { const s = document.getElementById('pilih-indikator');
                           s.value = 'wasting'; s.dispatchEvent(new Event('change')); })()""")
            assert b.evaluate("document.querySelector('#legenda h2').textContent").startswith("Wasting")
            b.screenshot(shots / f"{DISTRICTS[kab]}-peta-{label}.png", width)

            for page in ("unduh.html", "penjelasan.html"):
                b.open((site / page).as_uri())
                b.screenshot(shots / f"{DISTRICTS[kab]}-{page[:-5]}-{label}.png", width)
        requests = b.requests()
        failures = b.failures()
    seconds = time.perf_counter() - t0
    assert len(requests) >= 20
    assert [u for u in requests if not u.startswith("file://")] == []
    assert failures == []
    assert seconds < 60, f"browser test took {seconds:.0f} s"
