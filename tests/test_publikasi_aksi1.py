"""The site's desa table equals the Aksi 1 report's (issue 14 point 4: the same functions).

The report is rendered through the command line (``konvergensi render analisis-situasi``) and
read from its Excel annex, sheet "Prevalensi desa": that contract survives the report layer's
restructuring. Every published cell of the site must equal the report's; every hidden one must
be hidden for a reason the report's number explains (a count 1..4 is "< 5").
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from analysis.publikasi import bangun_situs
from rendered import render

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("publikasi-aksi1")]

FOLDER = {"64.74": "64.74-kota-bontang", "64.02": "64.02-kabupaten-kutai-kartanegara"}


@pytest.mark.parametrize("kab", FOLDER)
def test_desa_table_equals_the_aksi1_annex(kab, tmp_path):
    render(["analisis-situasi", "--kab", kab, "--tahun", "2024"], tmp_path, timeout=900)
    annex = pd.read_excel(tmp_path / "2024" / FOLDER[kab] / "analisis-situasi-lampiran.xlsx",
                          sheet_name="Prevalensi desa", engine="openpyxl")
    site = bangun_situs(kab, 2024, None, tmp_path).parent
    doc = json.loads((site / "unduh" / "prevalensi.json").read_text("utf-8"))
    ours = pd.DataFrame(doc["desa"]).set_index(["nama", "kecamatan"])
    theirs = annex.set_index(["Desa/kelurahan", "Kecamatan"])
    assert sorted(ours.index) == sorted(theirs.index)
    checked = hidden = 0
    for key, r in theirs.iterrows():
        o = ours.loc[key]
        if o["diukur_ditutup"] == "":
            assert o["diukur"] == r["Diukur"], key
        else:
            assert 1 <= r["Diukur"] <= 4 or o["diukur_ditutup"] == "sekunder", key
        for status, column in (("stunting", "Stunting (%)"), ("wasting", "Wasting (%)"),
                               ("underweight", "Underweight (%)"), ("overweight", "Overweight (%)")):
            code = o[f"{status}_ditutup"]
            if code == "":
                assert o[f"{status}_pct"] == pytest.approx(r[column], abs=0.005), (key, status)
                checked += 1
            elif code == "tanpa_data":
                assert pd.isna(r[column]), (key, status)
            else:
                assert pd.isna(o[f"{status}_pct"]) and pd.isna(o[f"{status}_jumlah"]), (key, status)
                hidden += 1
        if o["stunting_ditutup"] == "":
            low, high = (float(x.replace(",", ".")) for x in re.split("[–-]", r["95 % CI (%)"]))
            assert (o["stunting_ci_bawah"], o["stunting_ci_atas"]) == (pytest.approx(low, abs=0.051),
                                                                        pytest.approx(high, abs=0.051)), key
        code = o["sangat_pendek_ditutup"]
        if code == "":
            assert o["sangat_pendek_jumlah"] == r["Sangat pendek"], key
        elif code == "kecil":
            assert 1 <= r["Sangat pendek"] <= 4, key
    assert checked > 40
    if kab == "64.02":
        assert hidden > 50  # the rule did hide cells, and they were checked against the report
    # the site links the report rendered beside it
    unduh = (site / "unduh.html").read_text("utf-8")
    assert 'href="../analisis-situasi.html"' in unduh
    assert (site / "../analisis-situasi.html").resolve().is_file()
