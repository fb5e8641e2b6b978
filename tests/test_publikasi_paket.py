"""The publication site on a small hand-made data package (Kota Bontang, 2024 only, 98 children).

Children are chosen far from every cut-off, so their statuses are known without computing:
24-month-old boys measured standing, 87,0 cm and 12,2 kg (HAZ ≈ −0,1: normal), 79,0 cm and 10 kg
(HAZ ≈ −2,7: stunted, not severely), 75,0 cm and 10 kg (HAZ ≈ −4,0: severely stunted); nobody
wasted, underweight or overweight.

| kelurahan (kecamatan)            | puskesmas                   | children | stunted | severely |
|----------------------------------|-----------------------------|----------|---------|----------|
| Bontang Kuala (Bontang Utara)    | Puskesmas Bontang Utara I   | 40       | 6       | 0        |
| Bontang Baru (Bontang Utara)     | Puskesmas Bontang Utara I   | 25       | 2       | 0        |
| Lok Tuan (Bontang Utara)         | Puskesmas Bontang Utara II  | 3        | 0       | 0        |
| Berbas Pantai (Bontang Selatan)  | Puskesmas Bontang Selatan I | 30       | 10      | 3        |

With k = 5: Bontang Baru's 2 stunted and Lok Tuan's 3 children are "< 5"; Bontang Utara's 8
stunted minus Bontang Kuala's 6 would give Bontang Baru's 2 back, so one more cell of that
kecamatan is hidden; the district's 3 severely stunted children are "< 5" as well.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import stat
from pathlib import Path

import jsonschema
import pandas as pd
import pytest
from PIL import Image

from analysis import dataset
from analysis.cli import main
from analysis.errors import InputFileError
from analysis.publikasi import bangun_portal, bangun_situs
from publikasi_periksa import count_cells, leaked, links, pinned_small_cells, small_counts, truth

KAB = "64.74"
K = 5
PLAN = [("BONTANG UTARA", "Puskesmas Bontang Utara I", "BONTANG KUALA", 40, 6, 0),
        ("BONTANG UTARA", "Puskesmas Bontang Utara I", "BONTANG BARU", 25, 2, 0),
        ("BONTANG UTARA", "Puskesmas Bontang Utara II", "LOK TUAN", 3, 0, 0),
        ("BONTANG SELATAN", "Puskesmas Bontang Selatan I", "BERBAS PANTAI", 30, 10, 3)]
FIRST = ["Siti", "Ahmad", "Putri", "Budi", "Dewi", "Rizky"]
LAST = ["Rahmawati", "Santoso", "Wijaya", "Saputra", "Lestari", "Hidayat"]


def write_package(root: Path) -> list[str]:
    """The data package; returns the personal values written into the export."""
    year = root / KAB / "2024"
    year.mkdir(parents=True)
    header = ["NIK", "Nama", "JK", "Tgl Lahir", "Nama Ortu", "Kab/Kota", "Kec", "Pukesmas", "Desa/Kel",
              "Posyandu", "Alamat", "Tanggal Pengukuran", "Berat", "Tinggi", "Cara Ukur"]
    rows, personal, i = [], [], 0
    for kec, pkm, desa, n, stunted, severe in PLAN:
        for j in range(n):
            i += 1
            height = "75,0" if j < severe else "79,0" if j < stunted else "87,0"
            weight = "12,2" if j >= stunted else "10,0"
            nik, name = f"6474{i:012d}", f"{FIRST[i % 6]} {LAST[(i // 6) % 6]} Anak{i}"
            parent, address = f"Ibu {LAST[i % 6]} Nur{i}", f"Jl. Melati Indah No. {i} RT 0{i % 9}"
            rows.append([nik, name, "L", "01/08/2022", parent, "KOTA BONTANG", kec, pkm, desa, "Posyandu Mawar",
                         address, "12/08/2024", weight, height, "Berdiri"])
            personal += [nik, name, parent, address]
    with (year / "eppgbm.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(header)
        w.writerows(rows)
    (root / KAB / "identitas.csv").write_text(
        "kunci,nilai\ntpps_nama,TPPS Kota Bontang\ntpps_telepon,(0548) 123456\ntpps_surel,tpps@bontangkota.go.id\n"
        "sekda_nip,196501011990031001\n", encoding="utf-8")
    Image.new("RGB", (16, 16), (31, 95, 139)).save(root / KAB / "lambang.png")
    return personal


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("paket")
    personal = write_package(root / "data")
    out = root / "out"
    index = bangun_situs(KAB, 2024, root / "data", out, dibuat=dt.date(2025, 1, 15))
    return {"data": root / "data", "out": out, "site": index.parent, "personal": personal,
            "doc": json.loads((index.parent / "unduh" / "prevalensi.json").read_text(encoding="utf-8"))}


def _row(doc, level, name):
    [row] = [r for r in doc[level] if r["nama"] == name]
    return row


def test_layout_and_modes(built):
    site = built["site"]
    assert site == built["out"] / "2024" / "64.74-kota-bontang" / "publikasi"
    for name in ("index.html", "tabel.html", "peta.html", "unduh.html", "penjelasan.html", "data/peta.js",
                 "aset/situs.css", "aset/situs.js", "aset/peta.js", "aset/leaflet/leaflet.js",
                 "aset/leaflet/LICENSE.txt", "aset/lambang.png", "unduh/prevalensi.json",
                 "unduh/prevalensi.schema.json", "unduh/prevalensi.xlsx", "unduh/prevalensi-desa.csv"):
        assert (site / name).is_file(), name
    for path in [site, *site.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o755 if path.is_dir() else 0o644), f"{path}: {oct(mode)}"
    assert not (built["out"] / "2024" / ".sementara").exists()


def test_published_values(built):
    doc = built["doc"]
    kab = doc["kabupaten"][0]
    assert (kab["diukur"], kab["stunting_jumlah"], kab["stunting_pct"]) == (98, 18, 18.37)  # 18/98
    assert kab["sangat_pendek_jumlah"] is None and kab["sangat_pendek_ditutup"] == "kecil"  # 3 children
    assert (kab["wasting_jumlah"], kab["wasting_pct"]) == (0, 0.0)
    bp = _row(doc, "desa", "Berbas Pantai")
    assert (bp["diukur"], bp["stunting_jumlah"], bp["stunting_pct"]) == (30, 10, 33.33)
    assert bp["sangat_pendek_jumlah"] is None and bp["sangat_pendek_pct"] is None
    bb = _row(doc, "desa", "Bontang Baru")
    assert bb["stunting_ditutup"] == "kecil"
    assert bb["stunting_jumlah"] is bb["stunting_pct"] is bb["stunting_ci_bawah"] is None
    lt = _row(doc, "desa", "Lok Tuan")
    assert lt["diukur"] is None and lt["diukur_ditutup"] == "kecil"
    assert lt["cakupan_pengukuran_pct"] is None
    assert lt["stunting_jumlah"] == 0  # nobody of the three: published
    assert lt["data_sedikit"] is True and _row(doc, "desa", "Bontang Baru")["data_sedikit"] is False
    # one of Bontang Kuala (6) and the kecamatan (8) must hide too, else 8 − 6 = 2 comes back
    bu = _row(doc, "kecamatan", "Bontang Utara")
    bk = _row(doc, "desa", "Bontang Kuala")
    assert "" in (bu["stunting_ditutup"], bk["stunting_ditutup"])
    assert {bu["stunting_ditutup"], bk["stunting_ditutup"]} & {"sekunder"}
    # a desa without children: 0 measured, statuses "no data"
    gu = _row(doc, "desa", "Guntung")
    assert gu["diukur"] == 0 and gu["stunting_ditutup"] == "tanpa_data"
    assert doc["periode"] == "2024-08" and doc["periode_tahun_lalu"] is None


def test_no_count_below_threshold_in_any_file(built):
    cells = count_cells(built["site"])
    files = {c[0].split(":")[0] for c in cells}
    assert {"tabel.html", "index.html", "penjelasan.html", "data/peta.js", "unduh/prevalensi.json",
            "unduh/prevalensi.xlsx", "unduh/prevalensi-desa.csv", "unduh/akuntansi-baris.csv"} <= files
    assert len(cells) > 300
    assert small_counts(cells, K) == []
    # and the raw numbers really are there to be hidden (the check is not vacuous)
    assert any(v == "< 5" for _, _, v in cells)


def test_no_small_cell_can_be_computed_back(built):
    m = dataset.measurements_for_year(dataset.load_district(KAB, built["data"]), 2024)
    tru = truth(m, KAB)
    for column in ("diukur", "stunting", "sangat_pendek", "wasting", "underweight", "overweight"):
        assert pinned_small_cells(built["doc"], tru, column, K) == [], column


def test_no_personal_data_anywhere(built):
    assert leaked(built["personal"], built["site"]) == {}
    assert leaked(["196501011990031001"], built["site"]) == {}  # identity fields not listed are not read
    # the check finds what it looks for: the same values in a copy of the export
    assert leaked(built["personal"][:4], built["data"]) == {"64.74/2024/eppgbm.csv": built["personal"][:4]}


def test_json_valid_against_its_schema(built):
    site = built["site"]
    schema = json.loads((site / "unduh" / "prevalensi.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(built["doc"], schema)
    bad = json.loads(json.dumps(built["doc"]))
    bad["desa"][0]["stunting_jumlah"] = 3
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_csv_xlsx_json_agree(built):
    site = built["site"] / "unduh"
    csv_rows = pd.read_csv(site / "prevalensi-desa.csv", dtype={"kode": str}, encoding="utf-8-sig")
    xlsx = pd.read_excel(site / "prevalensi.xlsx", sheet_name="Desa kelurahan", dtype={"kode": str},
                         engine="openpyxl")
    js = pd.DataFrame(built["doc"]["desa"])
    for frame in (csv_rows, xlsx):
        assert list(frame.columns) == list(js.columns)
        assert frame["kode"].tolist() == js["kode"].tolist()
        pd.testing.assert_series_equal(frame["stunting_jumlah"].astype("Float64"),
                                       js["stunting_jumlah"].astype("Float64"), check_names=False)


def test_links_relative_and_resolving(built):
    site = built["site"]
    for page, tag, _attr, value in links(site):
        if tag == "a" and value.startswith(("mailto:", "tel:")):
            continue
        if tag == "a" and value.startswith("https://"):
            assert value in {r["rujukan"] for r in built["doc"]["survei"]}, value  # citations only
            continue
        assert "://" not in value and not value.startswith("/"), f"{page.name}: {value}"
        target = value.split("#")[0]
        if target:
            assert (page.parent / target).resolve().is_file(), f"{page.name}: {value}"


def test_contact_and_emblem(built):
    html = (built["site"] / "index.html").read_text(encoding="utf-8")
    assert "TPPS Kota Bontang" in html and "mailto:tpps@bontangkota.go.id" in html
    assert 'href="tel:0548123456"' in html
    assert '<img class="lambang" src="aset/lambang.png" alt="Lambang Kota Bontang"' in html
    assert '<html lang="id">' in html


def test_survey_figure_carries_its_caveat(built):
    # Kota Bontang's SSGI 2024 figure (20,7 %) comes from the press: the landing page says so
    html = (built["site"] / "index.html").read_text(encoding="utf-8")
    assert "20,7\u00a0%" in html
    assert "Belum terkonfirmasi</strong>" in html


def test_missing_tables_are_said_not_zero(built):
    html = (built["site"] / "index.html").read_text(encoding="utf-8")
    assert "Perkiraan jumlah balita tidak tersedia" in html  # no profil_desa in this package
    assert _row(built["doc"], "desa", "Berbas Pantai")["perkiraan_balita"] is None


def test_rebuild_replaces_the_site_atomically(built, tmp_path):
    out = tmp_path / "out"
    first = bangun_situs(KAB, 2024, built["data"], out, dibuat=dt.date(2025, 1, 1))
    stale = first.parent / "lama.txt"
    stale.write_text("dari versi lama", encoding="utf-8")
    bangun_situs(KAB, 2024, built["data"], out, dibuat=dt.date(2025, 2, 1))
    assert not stale.exists()
    assert "1 Februari 2025" in first.read_text(encoding="utf-8")
    assert sorted(p.name for p in (out / "2024").iterdir()) == ["64.74-kota-bontang"]


def test_province_portal_links_the_district(built, tmp_path):
    out = tmp_path / "out"
    bangun_situs(KAB, 2024, built["data"], out)
    portal = bangun_portal("64", 2024, out)
    assert portal == out / "2024" / "64-provinsi-kalimantan-timur" / "publikasi" / "index.html"
    html = portal.read_text(encoding="utf-8")
    assert 'href="../../64.74-kota-bontang/publikasi/index.html"' in html
    assert "18,4\u00a0%" in html and "belum terkonfirmasi" in html
    assert (portal.parent / "../../64.74-kota-bontang/publikasi/index.html").resolve().is_file()
    assert stat.S_IMODE(portal.stat().st_mode) == 0o644


def test_bad_emblem_is_named(built, tmp_path):
    data = tmp_path / "data"
    write_package(data)
    (data / KAB / "lambang.png").write_bytes(b"this is not a picture")
    with pytest.raises(InputFileError, match="lambang.png.*PNG"):
        bangun_situs(KAB, 2024, data, tmp_path / "out")
    assert not (tmp_path / "out" / "2024" / "64.74-kota-bontang" / "publikasi").exists()


def test_command_line(built, tmp_path, capsys):
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as ok:  # typer's standalone mode exits with the status
        main(["publikasi", "--kab", KAB, "--tahun", "2024", "--data", str(built["data"]), "--out", str(out)])
    assert ok.value.code == 0
    assert (out / "2024" / "64.74-kota-bontang" / "publikasi" / "index.html").is_file()
    for args, word in ((["--kab", KAB, "--tahun", "2023"], "tahun 2023"),
                       (["--kab", "64.99", "--tahun", "2024"], "64.99"),
                       (["--tahun", "2024"], "--kab"),
                       (["--kab", "64", "--tahun", "2024"], "provinsi")):
        with pytest.raises(SystemExit) as exc:
            main(["publikasi", *args, "--data", str(built["data"]), "--out", str(out)])
        assert exc.value.code == 1
        assert word in capsys.readouterr().err


def test_umask_does_not_leak_into_modes(built, tmp_path):
    old = os.umask(0o077)
    try:
        index = bangun_situs(KAB, 2024, built["data"], tmp_path / "out")
    finally:
        os.umask(old)
    assert stat.S_IMODE(index.stat().st_mode) == 0o644
    assert stat.S_IMODE(index.parent.stat().st_mode) == 0o755
    assert stat.S_IMODE(index.parent.parent.stat().st_mode) == 0o755  # the district folder we made


def test_batch_goes_on_after_a_bad_district(built, tmp_path):
    from analysis.publikasi import bangun_semua

    results = bangun_semua([KAB, "64.02"], 2024, built["data"], tmp_path / "out")
    by = {r.kode: r for r in results}
    assert by[KAB].index is not None and by[KAB].galat is None
    assert by["64.02"].index is None and "64.02" in by["64.02"].galat  # no folder for it in this package
    assert by["64"].index is not None and by["64"].index.is_file()  # the portal, listing Bontang
