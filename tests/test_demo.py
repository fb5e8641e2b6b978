"""Tests of the demo generator (analysis.demo) on one small district, Kota Bontang (64.74).

Two years are generated into a temporary folder once per module (about 3 s); every test
reads the files as a district's analyst would get them and checks them against the contract
of docs/architecture.md, the real Kemendagri reference and the ground truth in MANIFEST.json.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import config, reference
from analysis.demo import eppgbm, generate, lms, settings
from analysis.errors import ConfigError

KAB = "64.74"
YEARS = (2023, 2024)
SEED = 20240817

EXPECTED_HEADERS = [
    "NIK", "Nama", "JK", "Tgl Lahir", "BB Lahir", "TB Lahir", "Nama Ortu", "Prov", "Kab/Kota",
    "Kec", "Pukesmas", "Desa/Kel", "Posyandu", "RT", "RW", "Alamat", "Usia Saat Ukur",
    "Tanggal Pengukuran", "Berat", "Tinggi", "Cara Ukur", "LiLA", "BB/U", "ZS BB/U", "TB/U",
    "ZS TB/U", "BB/TB", "ZS BB/TB", "Naik Berat Badan", "PMT Diterima (kg)", "Jml Vit A", "KPSP",
    "KIA",
]
TABLE_COLUMNS = {
    "profil_desa.csv": ["kode_desa", "nama_desa", "jumlah_keluarga", "keluarga_berisiko_stunting",
                        "perkiraan_balita", "perkiraan_baduta"],
    "cakupan_layanan.csv": ["kode_desa", "kode_indikator", "sasaran", "capaian"],
    "anggaran.csv": ["opd", "kode_subkegiatan", "nama_subkegiatan", "kode_indikator", "pagu",
                     "realisasi", "kode_desa"],
    "status_aksi.csv": ["aksi", "tanggal_target", "tanggal_selesai", "bukti", "status",
                        "penilaian_mandiri"],
    "konvergensi_desa.csv": ["kode_desa", "kelompok", "layanan", "jumlah_seharusnya",
                             "jumlah_diterima"],
    "lokus.csv": ["kode_desa", "nama_desa", "dasar_penetapan"],
}


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    seen = []
    written = generate(out, districts=[KAB], years=YEARS, seed=SEED, progress=seen.append)
    assert written == [out / KAB]
    assert seen == [KAB]
    return out


@pytest.fixture(scope="module")
def manifest(demo_dir) -> dict:
    return json.loads((demo_dir / "MANIFEST.json").read_text(encoding="utf-8"))


def _export(demo_dir: Path, year: int) -> pd.DataFrame:
    return pd.read_csv(demo_dir / KAB / str(year) / "eppgbm.csv", dtype=str, keep_default_na=False)


def _number(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series.str.replace(",", ".", regex=False).replace("", None),
                         errors="coerce").to_numpy(dtype=float)


def _date(series: pd.Series) -> pd.Series:
    out = pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns]")
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        missing = out.isna()
        out[missing] = pd.to_datetime(series[missing], format=fmt, errors="coerce")
    return out


def _normalise(name: str) -> str:
    text = re.sub(r"^\s*(DESA|KELURAHAN|KEL\.?)\s+", "", name.strip().upper())
    return re.sub(r"[^A-Z0-9]", "", text)


def test_same_seed_gives_identical_files(demo_dir, tmp_path):
    again = tmp_path / "again"
    generate(again, districts=[KAB], years=YEARS, seed=SEED)
    first = sorted(p.relative_to(demo_dir) for p in demo_dir.rglob("*") if p.is_file())
    second = sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    assert first == second
    for rel in first:
        assert (demo_dir / rel).read_bytes() == (again / rel).read_bytes(), rel


def test_other_seed_gives_other_data(demo_dir, tmp_path):
    other = tmp_path / "other"
    generate(other, districts=[KAB], years=(2024,), seed=SEED + 1)
    a = (demo_dir / KAB / "2024" / "eppgbm.csv").read_bytes()
    b = (other / KAB / "2024" / "eppgbm.csv").read_bytes()
    assert a != b


def test_package_layout_and_manifest_checksums(demo_dir, manifest):
    import hashlib

    assert manifest["seed"] == SEED and manifest["tahun"] == list(YEARS)
    assert manifest["lengkap"] is False  # one district of eleven
    entry = manifest["kabupaten"][KAB]
    expected = {f"{KAB}/target_prevalensi.csv"} | {
        f"{KAB}/{y}/{name}" for y in YEARS for name in ["eppgbm.csv", *TABLE_COLUMNS]}
    assert set(entry["berkas"]) == expected
    for rel, digest in entry["berkas"].items():
        assert hashlib.sha256((demo_dir / rel).read_bytes()).hexdigest() == digest


def test_export_headers_are_exactly_the_eppgbm_ones(demo_dir):
    for year in YEARS:
        with (demo_dir / KAB / str(year) / "eppgbm.csv").open(encoding="utf-8", newline="") as fh:
            assert next(csv.reader(fh)) == EXPECTED_HEADERS


def test_export_values_look_like_the_register(demo_dir):
    df = _export(demo_dir, 2024)
    nik = df["NIK"][df["NIK"] != ""]
    assert nik.str.fullmatch(r"6474\d{12}").all()
    assert set(df["JK"]) == {"L", "P"}
    assert set(df["Cara Ukur"]) == {"Berdiri", "Terlentang"}
    assert df["Kab/Kota"].eq("KOTA BONTANG").all() and df["Prov"].eq("KALIMANTAN TIMUR").all()
    assert df["Usia Saat Ukur"][df["Usia Saat Ukur"] != ""].str.fullmatch(
        r"\d{1,2} Tahun - \d{1,2} Bulan - \d{1,2} Hari").all()
    # Decimal commas (Bontang's exports) and the three date formats, mostly dd/mm/yyyy.
    assert df["Berat"].str.contains(",").mean() > 0.9
    dates = df["Tanggal Pengukuran"]
    slash = dates.str.fullmatch(r"\d{2}/\d{2}/\d{4}").mean()
    assert 0.8 < slash < 0.97
    assert dates.str.fullmatch(r"\d{4}-\d{2}-\d{2}").any() and dates.str.fullmatch(r"\d{2}-\d{2}-\d{4}").any()
    # Lying mostly under 24 months, with some measured the other way.
    age = (_date(df["Tanggal Pengukuran"]) - _date(df["Tgl Lahir"])).dt.days
    young = age < 731
    assert (df["Cara Ukur"][young] == "Terlentang").mean() > 0.85
    assert (df["Cara Ukur"][young] == "Berdiri").any()
    assert df["Posyandu"].str.startswith("Posyandu ").all()
    assert df["Pukesmas"].str.startswith("Puskesmas ").all()


def test_real_codes_and_names(demo_dir, manifest):
    villages = reference.villages(KAB)
    kecamatan = reference.kecamatan(KAB)
    for year in YEARS:
        profil = pd.read_csv(demo_dir / KAB / str(year) / "profil_desa.csv", dtype=str)
        assert sorted(profil["kode_desa"]) == sorted(villages["village_code"])
        assert dict(zip(profil["kode_desa"], profil["nama_desa"])) == dict(
            zip(villages["village_code"], villages["village_name"]))
        df = _export(demo_dir, year)
        known_desa = {_normalise(n) for n in villages["village_name"]}
        unknown = ~df["Desa/Kel"].map(_normalise).isin(known_desa)
        assert int(unknown.sum()) == manifest["kabupaten"][KAB]["tahun"][str(year)]["kesalahan"]["desa_tidak_dikenal"]
        assert df["Kec"].map(_normalise).isin({_normalise(n) for n in kecamatan["district_name"]}).all()
        # Names are written in varied forms, as real exports do.
        assert (df["Desa/Kel"] != df["Desa/Kel"].str.strip()).any()
        assert df["Desa/Kel"].str.upper().str.startswith(("KELURAHAN ", "KEL. ")).any()
        lokus = pd.read_csv(demo_dir / KAB / str(year) / "lokus.csv", dtype=str)
        assert set(lokus["kode_desa"]) <= set(villages["village_code"])


def test_children_are_followed_across_rounds(demo_dir):
    frames = []
    for year in YEARS:
        df = _export(demo_dir, year)
        df["periode"] = _date(df["Tanggal Pengukuran"]).dt.strftime("%Y-%m")
        frames.append(df[df["NIK"] != ""])
    all_rows = pd.concat(frames)
    rounds = all_rows[all_rows["periode"].isin([f"{y}-{m:02d}" for y in YEARS for m in (2, 8)])]
    per_child = rounds.groupby("NIK")["periode"].nunique()
    assert (per_child >= 2).mean() > 0.5
    assert (per_child == 4).sum() > 1000
    # New births enter: children born after the first round are measured later.
    born = _date(rounds["Tgl Lahir"])
    assert (born > pd.Timestamp(f"{YEARS[0]}-03-01")).sum() > 500
    # The same child keeps sex and birth date between rounds (apart from injected faults).
    rounds = rounds.assign(lahir=_date(rounds["Tgl Lahir"]))
    stable = rounds.groupby("NIK").agg(jk=("JK", "nunique"), lahir=("lahir", "nunique"))
    assert (stable["jk"] == 1).all()
    assert (stable["lahir"] == 1).mean() > 0.99


def test_injected_faults_match_the_manifest(demo_dir, manifest):
    for year in YEARS:
        truth = manifest["kabupaten"][KAB]["tahun"][str(year)]["kesalahan"]
        df = _export(demo_dir, year)
        weight, height = _number(df["Berat"]), _number(df["Tinggi"])
        birth, measure = _date(df["Tgl Lahir"]), _date(df["Tanggal Pengukuran"])
        invalid = df["Tgl Lahir"].str.match(r"3[01]/02/") | df["Tanggal Pengukuran"].str.match(r"3[01]/02/")
        assert int(invalid.sum()) == truth["tanggal_tidak_valid"]
        assert int((birth > measure).sum()) == truth["ukur_sebelum_lahir"]
        assert int((measure > pd.Timestamp("2030-01-01")).sum()) == truth["ukur_masa_depan"]
        age = (measure - birth).dt.days
        assert int(((age >= 1826) & (measure < pd.Timestamp("2030-01-01"))).sum()) == truth["usia_60_bulan"]
        w_missing, h_missing = np.isnan(weight), np.isnan(height)
        assert int((w_missing & ~h_missing).sum()) == truth["berat_kosong"]
        assert int((h_missing & ~w_missing).sum()) == truth["tinggi_kosong"]
        assert int((w_missing & h_missing).sum()) == truth["berat_tinggi_kosong"]
        swapped = (weight > 35) & (height < 35)
        assert int(swapped.sum()) == truth["bb_tb_tertukar"]
        ok = age.notna() & (age >= 0) & (age < 1826) & ~w_missing & ~h_missing & (height >= 35)
        sex = np.where(df["JK"] == "L", 1, 2)
        waz, _, _ = lms.zscores(sex[ok], age[ok].to_numpy().astype(np.int64), weight[ok], height[ok],
                                (df["Cara Ukur"] == "Terlentang").to_numpy()[ok])
        assert int((waz > 6).sum()) == truth["berat_salah_ketik"]
        keyed = pd.DataFrame({"nik": df["NIK"], "tanggal": measure})
        keyed = keyed[(keyed["nik"] != "") & keyed["tanggal"].notna()]
        assert int(keyed.duplicated(keep="first").sum()) == truth["duplikat"]
        written = df["Usia Saat Ukur"].str.extract(r"(\d+) Tahun - (\d+) Bulan - (\d+) Hari").astype(float)
        written_days = written[0] * 365.25 + written[1] * 30.4375 + written[2]
        assert int(((written_days - age).abs() > 31).sum()) == truth["usia_tidak_cocok"]
        assert truth["pembulatan_tinggi"] > 0
        for fault, count in truth.items():
            assert count >= 1, fault


def test_heaping_is_in_the_problem_posyandu(demo_dir, manifest):
    year = YEARS[-1]
    entry = manifest["kabupaten"][KAB]["tahun"][str(year)]
    df = _export(demo_dir, year)
    by_norm = {_normalise(n): n for n in reference.villages(KAB)["village_name"]}
    label = df["Desa/Kel"].map(_normalise).map(by_norm).fillna("") + "/" + df["Posyandu"]
    bad = label.isin(entry["posyandu_bermasalah"])
    assert bad.any()
    tenths = np.round(_number(df["Tinggi"]) * 10) % 10
    heaped = np.isin(tenths, [0, 5])
    assert heaped[bad.to_numpy()].mean() > 0.5
    assert heaped[~bad.to_numpy()].mean() < 0.3
    kg_tenths = np.round(_number(df["Berat"]) * 10) % 10
    kg_heaped = np.isin(kg_tenths, [0, 5])
    assert kg_heaped[bad.to_numpy()].mean() > kg_heaped[~bad.to_numpy()].mean() + 0.15
    scale = entry["timbangan_tidak_terkalibrasi"]
    assert scale["posyandu"] in entry["posyandu_bermasalah"] and 0.3 <= scale["selisih_kg"] <= 0.6
    assert 1 <= entry["kesalahan"]["timbangan_tidak_terkalibrasi"] <= int((label == scale["posyandu"]).sum())


def test_register_prevalence_is_below_the_survey(demo_dir, manifest):
    from analysis.growth import compute_zscores

    found = {}
    for year in YEARS:
        df = _export(demo_dir, year)
        birth, measure = _date(df["Tgl Lahir"]), _date(df["Tanggal Pengukuran"])
        frame = pd.DataFrame({
            "sex": np.where(df["JK"] == "L", 1, 2),
            "age_days": (measure - birth).dt.days.astype(float),
            "weight_kg": _number(df["Berat"]),
            "height_cm": _number(df["Tinggi"]),
            "measure": np.where(df["Cara Ukur"] == "Terlentang", "l", "h"),
        })
        z = compute_zscores(frame)
        august = (measure.dt.strftime("%Y-%m") == f"{year}-08") & (df["NIK"] != "")
        valid = august & z["haz"].notna() & ~z["haz_flag"].fillna(True).astype(bool)
        latest = pd.DataFrame({"nik": df["NIK"][valid], "haz": z["haz"][valid]}).drop_duplicates("nik")
        prevalence = 100 * (latest["haz"] < -2).mean()
        found[year] = prevalence
        entry = manifest["kabupaten"][KAB]["tahun"][str(year)]
        assert prevalence < entry["prevalensi_survei_pct"]
        assert prevalence == pytest.approx(entry["prevalensi_register_target_pct"], abs=1.0)
        ratio = prevalence / entry["prevalensi_survei_pct"]
        assert 0.45 < ratio < 0.8
        wasting = 100 * (z["whz"][valid] < -2).mean()
        assert 1.5 < wasting < 10
    # The register follows the survey's direction (Bontang: 27.4 % in 2023, 20.7 % in 2024).
    survey = {y: manifest["kabupaten"][KAB]["tahun"][str(y)]["prevalensi_survei_pct"] for y in YEARS}
    assert np.sign(found[2024] - found[2023]) == np.sign(survey[2024] - survey[2023])


def test_budget_scale_and_absorption():
    from analysis.demo import geography, tables

    d = settings.district("64.03", YEARS)  # Berau: Rp 178 billion across OPD in 2024
    geo = geography.build(d, SEED, 5000.0)
    lokus = np.arange(16)
    budget = tables.anggaran(d, geo, lokus, 2024, SEED)
    assert budget["pagu"].sum() == pytest.approx(178e9, rel=0.001)
    absorption = budget["realisasi"].sum() / budget["pagu"].sum()
    assert 0.7 < absorption < 0.98
    earlier = tables.anggaran(d, geo, lokus, 2023, SEED)
    assert earlier["pagu"].sum() < budget["pagu"].sum()
    located = budget[budget["kode_desa"] != ""]
    in_lokus = located["kode_desa"].isin(geo.desa["kode_desa"].iloc[lokus])
    assert in_lokus.mean() > 16 / len(geo.desa) * 2  # lokus desa get far more than their share
    assert {"Dinas Kesehatan", "Dinas Sosial"} <= set(budget["opd"])


def test_tables_follow_the_contract_and_the_register(demo_dir, manifest):
    indicators = pd.read_csv(config.REFERENCE_DIR / "indikator.csv", dtype=str)
    services = pd.read_csv(config.REFERENCE_DIR / "layanan_konvergensi.csv", dtype=str)
    for year in YEARS:
        folder = demo_dir / KAB / str(year)
        tables = {name: pd.read_csv(folder / name, dtype=str, keep_default_na=False) for name in TABLE_COLUMNS}
        for name, columns in TABLE_COLUMNS.items():
            assert list(tables[name].columns) == columns, name
        profil = tables["profil_desa.csv"].set_index("kode_desa")
        balita = profil["perkiraan_balita"].astype(int)
        assert (profil["perkiraan_baduta"].astype(int) < balita).all()
        assert (profil["keluarga_berisiko_stunting"].astype(int) < profil["jumlah_keluarga"].astype(int)).all()
        cak = tables["cakupan_layanan.csv"]
        assert len(cak) == len(profil) * len(indicators)
        assert set(cak["kode_indikator"]) == set(indicators["kode_indikator"])
        sasaran, capaian = cak["sasaran"].astype(int), cak["capaian"].astype(int)
        assert (capaian <= sasaran).all()
        tk = cak[cak["kode_indikator"] == "TUMBUH_KEMBANG"].set_index("kode_desa")
        coverage = tk["capaian"].astype(int) / tk["sasaran"].astype(int)
        assert (coverage < 1).all() and coverage.std() > 0.01
        measured = manifest["kabupaten"][KAB]["tahun"][str(year)]["anak_per_putaran"][f"{year}-08"]
        assert tk["capaian"].astype(int).sum() == measured
        rate = cak.groupby("kode_indikator").apply(lambda g: g["capaian"].astype(int).sum() / max(g["sasaran"].astype(int).sum(), 1))
        assert rate["REMATRI_TTD"] < 0.5  # far below its 58 % target
        anggaran = tables["anggaran.csv"]
        pagu, real = anggaran["pagu"].astype(float), anggaran["realisasi"].astype(float)
        assert ((real / pagu) >= 0.69).all() and ((real / pagu) <= 0.99).all()
        assert set(anggaran["kode_indikator"]) - {""} <= set(indicators["kode_indikator"])
        assert anggaran["kode_subkegiatan"].str.fullmatch(r"\d\.\d{2}\.\d{2}\.2\.\d{2}\.\d{4}").all()
        assert set(anggaran["kode_desa"]) - {""} <= set(profil.index)
        assert (anggaran["kode_desa"] != "").any()
        aksi = tables["status_aksi.csv"]
        assert list(aksi["aksi"].astype(int)) == list(range(1, 9))
        assert set(aksi["status"]) <= {"belum", "proses", "selesai"}
        assert set(aksi["penilaian_mandiri"]) <= set("ABCD")
        konv = tables["konvergensi_desa.csv"]
        assert len(konv) == len(profil) * len(services)
        assert (konv["jumlah_diterima"].astype(int) <= konv["jumlah_seharusnya"].astype(int)).all()
        assert set(konv["layanan"]) == set(services["kode_layanan"])
        lokus = tables["lokus.csv"]
        assert 1 <= len(lokus) <= 0.3 * len(profil)
        assert lokus["dasar_penetapan"].str.startswith("SK Wali Kota Bontang").all()
    target = pd.read_csv(demo_dir / KAB / "target_prevalensi.csv")
    assert list(target.columns) == ["tahun", "target_pct", "sumber"]
    assert list(target["tahun"]) == list(YEARS)
    assert target["target_pct"].is_monotonic_decreasing
    assert target["target_pct"].iloc[-1] == pytest.approx(12.9)


def test_lokus_desa_have_higher_convergence(demo_dir):
    gaps = []
    for year in YEARS:
        folder = demo_dir / KAB / str(year)
        konv = pd.read_csv(folder / "konvergensi_desa.csv", dtype={"kode_desa": str})
        lokus = set(pd.read_csv(folder / "lokus.csv", dtype=str)["kode_desa"])
        per_desa = konv.groupby("kode_desa")[["jumlah_diterima", "jumlah_seharusnya"]].sum()
        level = per_desa["jumlah_diterima"] / per_desa["jumlah_seharusnya"]
        gaps.append(level[level.index.isin(lokus)].mean() - level[~level.index.isin(lokus)].mean())
    assert np.mean(gaps) > 0.03


def test_lms_inverse_round_trips():
    rng = np.random.default_rng(7)
    n = 5000
    sex = rng.integers(1, 3, n)
    age = rng.integers(0, 1827, n)
    haz = rng.uniform(-5, 5, n)
    height = lms.height_for(haz, sex, age)
    l, m, s = lms.tables()["lh"].lookup(sex, age)
    np.testing.assert_allclose(lms.zscore(height, l, m, s, restricted=False), haz, atol=1e-9)
    whz = rng.uniform(-5.5, 5.5, n)
    h_adj = np.round(np.clip(height, 66, 109), 1)
    weight = lms.weight_for(whz, sex, h_adj, age)
    _, _, back = lms.zscores(sex, age, weight, h_adj, age < 731)
    np.testing.assert_allclose(back, whz, atol=1e-9)


def test_age_text_is_a_calendar_difference():
    day = lambda text: (dt.date.fromisoformat(text) - dt.date(1970, 1, 1)).days  # noqa: E731
    birth = np.array([day("2020-01-31"), day("2019-08-15"), day("2024-02-20")])
    measure = np.array([day("2020-03-01"), day("2024-02-20"), day("2024-02-01")])
    assert eppgbm.age_text(birth, measure).to_pylist() == [
        "0 Tahun - 1 Bulan - 1 Hari", "4 Tahun - 6 Bulan - 5 Hari", None]


def test_semicolon_and_point_formats(tmp_path):
    d = settings.district(KAB, YEARS)
    table = pd.DataFrame({h: ["x"] for h in EXPECTED_HEADERS}, dtype=object)
    assert eppgbm.numbers(np.array([7.5, np.nan, 12.25]), 1, comma=True).to_pylist() == ["7,5", None, "12,2"]
    assert eppgbm.numbers(np.array([-0.5]), 2, comma=False).to_pylist() == ["-0.50"]
    table["Berat"] = "7,5"
    table["LiLA"] = ""
    semi = dataclasses.replace(d, format={**d.format, "pemisah": ";", "desimal": ","})
    eppgbm.write_csv(table, tmp_path / "a.csv", semi)
    lines = (tmp_path / "a.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == ";".join(EXPECTED_HEADERS)
    assert ";7,5;" in lines[1] and '"' not in lines[1]
    comma = dataclasses.replace(d, format={**d.format, "pemisah": ",", "desimal": ","})
    eppgbm.write_csv(table, tmp_path / "b.csv", comma)
    row = next(csv.DictReader((tmp_path / "b.csv").open(encoding="utf-8")))
    assert row["Berat"] == "7,5" and row["LiLA"] == ""
    point = dataclasses.replace(d, format={**d.format, "encoding": "utf-8-sig"})
    eppgbm.write_csv(table, tmp_path / "c.csv", point)
    assert (tmp_path / "c.csv").read_bytes().startswith(b"\xef\xbb\xbfNIK,")


def test_xlsx_district_has_real_date_cells(tmp_path):
    from openpyxl import load_workbook

    generate(tmp_path, districts=["64.11"], years=(2024,), seed=SEED)
    path = tmp_path / "64.11" / "2024" / "eppgbm.xlsx"
    assert not (tmp_path / "64.11" / "2024" / "eppgbm.csv").exists()
    ws = load_workbook(path, read_only=True).active
    rows = ws.iter_rows(values_only=True)
    assert list(next(rows)) == EXPECTED_HEADERS
    body = list(rows)
    col = EXPECTED_HEADERS.index("Tanggal Pengukuran")
    kinds = [type(r[col]) for r in body]
    assert sum(k is dt.datetime for k in kinds) / len(kinds) > 0.95
    assert all(isinstance(r[0], str) and r[0].startswith("6411") for r in body if r[0])
    weights = [r[EXPECTED_HEADERS.index("Berat")] for r in body]
    assert sum(isinstance(w, (int, float)) for w in weights) / len(weights) > 0.95


def test_unknown_district_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError):
        generate(tmp_path, districts=["64.99"], years=(2024,))


def test_parallel_workers_write_the_same_bytes(tmp_path):
    seq, par = tmp_path / "seq", tmp_path / "par"
    codes = ["64.11", "64.74"]
    generate(seq, districts=codes, years=(2024,), seed=SEED, workers=1)
    seen = []
    written = generate(par, districts=codes, years=(2024,), seed=SEED, workers=2, progress=seen.append)
    assert written == [par / k for k in codes] and sorted(seen) == codes
    files = sorted(p.relative_to(seq) for p in seq.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(par) for p in par.rglob("*") if p.is_file())
    for rel in files:
        assert (seq / rel).read_bytes() == (par / rel).read_bytes(), rel
