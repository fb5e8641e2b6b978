"""National scale (issue 8): the synthetic register, the streaming data path, the roll-up, Dask.

Small sizes only (a few thousand rows over a dozen districts); the 20 M-row figures are in
``benchmarks/bench_national.py``.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from analysis import reference
from analysis.national import catalogue, pipeline, register, rollup, runner
from analysis.national import params as params_mod
from analysis.prevalence import status_counts

TAHUN = 2024
TODAY = "2026-01-01"
SMALL = dict(baris=9_000, kabupaten=14, baris_per_bagian=400)


@pytest.fixture(scope="module")
def small_params() -> dict:
    return params_mod.load(**SMALL)


@pytest.fixture(scope="module")
def register_root(tmp_path_factory, small_params) -> Path:
    root = tmp_path_factory.mktemp("nasional")
    register.generate(root, small_params, workers=1)
    return root


@pytest.fixture(scope="module")
def local_run(register_root, tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("hasil_lokal")
    summary = runner.run(register_root, out, TAHUN, workers=1, today=TODAY)
    return out, summary


def _all_rows(root: Path) -> pd.DataFrame:
    frames = []
    for folder in sorted(register.year_dir(root, TAHUN).glob("provinsi=*/kab=*")):
        frames.append(pipeline.read_partition(folder))
    return pd.concat(frames, ignore_index=True)


# ------------------------------------------------------------------------- catalogue

def test_catalogue_is_the_real_country_demo_districts_first_and_exact_rows():
    params = params_mod.load(baris=20_000_000)
    table = catalogue.districts(params)
    assert len(table) == 514
    assert table["kab"].is_unique
    assert table["baris"].sum() == 20_000_000
    reg = reference.regencies()
    assert set(table["kab"]) == set(reg["regency_code"])  # every Kemendagri kab/kota, no synthetic code
    demo = sorted(reference.regencies(in_scope_only=True)["regency_code"])
    assert list(table["kab"].head(len(demo))) == demo and table["demo"].sum() == len(demo)
    assert list(table["kab"].iloc[len(demo):]) == sorted(set(reg["regency_code"]) - set(demo))
    names = dict(zip(table["kab"], table["nama"], strict=True))
    # Kepmendagri 300.2.2-2138/2430 Tahun 2025 names (cahyadsn/wilayah db/wilayah.sql)
    assert names["64.74"] == "Kota Bontang"
    assert names["32.01"] == "Kabupaten Bogor"
    assert names["52.03"] == "Kabupaten Lombok Timur"
    assert not table["nama"].str.contains("Sintetis").any()
    assert (table["penduduk_sumber"] == catalogue.POPULATION_PUBLISHED).all()
    # rows follow the Dukcapil population: Kabupaten Bogor (5,809,790 persons, semester II 2024,
    # db/wilayah_penduduk.sql) holds the most rows, Kabupaten Supiori (27,965) the fewest
    assert table.loc[table["baris"].idxmax(), "kab"] == "32.01"
    assert table.loc[table["baris"].idxmin(), "kab"] == "91.19"
    assert table["kab"].str.fullmatch(r"\d\d\.\d\d").all()
    assert (table["kab_nodot"] == table["kab"].str.replace(".", "", regex=False)).all()
    assert (table["provinsi"] == table["kab"].str[:2]).all()


def test_catalogue_refuses_more_districts_than_the_country_has():
    from analysis.errors import ParameterError

    with pytest.raises(ParameterError, match="514"):
        catalogue.districts(params_mod.load(kabupaten=515))


def test_missing_population_is_estimated_from_the_number_of_desa():
    frame = pd.DataFrame({"population_total_2024s2": [1000.0, 3000.0, None],
                          "n_villages": [10, 20, 40]})
    persons, source = catalogue.population(frame)
    # persons per desa: 100 and 150, median 125 -> 40 desa x 125
    assert list(persons) == [1000.0, 3000.0, 5000.0]
    assert list(source) == [catalogue.POPULATION_PUBLISHED, catalogue.POPULATION_PUBLISHED,
                            catalogue.POPULATION_ESTIMATED]


def test_real_district_uses_reference_desa(small_params):
    table = catalogue.districts(small_params)
    for kab in ("64.74", table["kab"].iloc[-1]):  # a demo district and one outside the demo
        row = table[table["kab"] == kab].iloc[0]
        geo = catalogue.geography(row, small_params)
        assert set(geo.desa["desa_code"]) == set(reference.villages(kab)["village_code"])
        assert set(geo.desa["kec_code"]) == set(reference.kecamatan(kab)["district_code"])
        assert geo.desa["bobot"].sum() == pytest.approx(1.0)


def test_params_reject_unknown_key_and_bad_size():
    from analysis.errors import ParameterError

    with pytest.raises(ParameterError):
        params_mod.load(barisan=3)
    with pytest.raises(ParameterError):
        params_mod.load(baris=0)


# -------------------------------------------------------------------------- register

def test_district_rows_are_deterministic_and_seed_dependent(small_params):
    table = catalogue.districts(small_params)
    row = table.iloc[12]
    a = register.district_rows(row, small_params)
    b = register.district_rows(row, small_params)
    pd.testing.assert_frame_equal(a, b)
    other = register.district_rows(row, {**small_params, "seed": small_params["seed"] + 1})
    assert not a["weight_kg"].equals(other["weight_kg"])
    assert len(a) == row["baris"]
    assert list(a.columns) == list(register.COLUMNS)


def test_generation_is_byte_identical(tmp_path, small_params):
    params = {**small_params, "kabupaten": 5, "baris": 2_000}
    digests = []
    for name in ("a", "b"):
        register.generate(tmp_path / name, params, workers=1)
        files = sorted(register.year_dir(tmp_path / name, TAHUN).rglob("part-*.parquet"))
        digests.append({str(f.relative_to(tmp_path / name)): hashlib.sha256(f.read_bytes()).hexdigest()
                        for f in files})
    assert digests[0] == digests[1]
    assert len(digests[0]) >= 5


def test_partitions_are_bounded_and_complete(register_root, small_params):
    meta = register.manifest(register_root, TAHUN)
    assert meta["baris"] == small_params["baris"]
    assert meta["kabupaten"] == small_params["kabupaten"]
    total = 0
    for entry in meta["daftar"]:
        nodot = entry["kab"].replace(".", "")
        folder = register.district_dir(register_root, TAHUN, entry["provinsi"], nodot)
        parts = sorted(folder.glob("part-*.parquet"))
        sizes = [pq.ParquetFile(p).metadata.num_rows for p in parts]
        assert len(parts) == entry["bagian"]
        assert max(sizes) <= small_params["baris_per_bagian"]
        assert sum(sizes) == entry["baris"]
        codes = pq.read_table(parts[0], columns=["kab_code"]).column(0).unique().to_pylist()
        assert codes == [entry["kab"]]
        total += sum(sizes)
    assert total == small_params["baris"]
    # at least one district needed more than one part file
    assert any(e["bagian"] > 1 for e in meta["daftar"])


def test_second_generate_with_same_parameters_is_skipped(register_root, small_params):
    before = register.manifest(register_root, TAHUN)
    again = register.generate(register_root, small_params, workers=1)
    assert again == before


# ------------------------------------------------------------------------- data path

def test_row_accounting_is_complete_and_every_fault_is_excluded(register_root, local_run):
    out, summary = local_run
    rows = _all_rows(register_root)
    assert summary["baris"] == len(rows)
    assert summary["dianalisis"] + summary["dikeluarkan"] == summary["baris"]
    acc = pd.read_parquet(out / "ringkasan" / f"tahun={TAHUN}" / "akuntansi.parquet")
    assert acc["jumlah"].sum() == len(rows)
    assert acc.loc[acc["status"] == "dianalisis", "jumlah"].sum() == summary["dianalisis"]
    reasons = set(acc.loc[acc["status"] == "dikeluarkan", "alasan_kode"])
    # every kind of injected fault is caught by the ingest rules
    assert {"bb_tb_kosong", "tgl_lahir_tidak_terbaca", "ukur_sebelum_lahir", "jk_tidak_dikenal",
            "desa_tidak_dikenal", "nilai_tidak_mungkin", "duplikat", "usia_60_bulan"} <= reasons
    # per district too
    per = pd.read_parquet(out / "akuntansi", columns=["kab_code", "jumlah"]).groupby("kab_code")["jumlah"].sum()
    sizes = rows.groupby("kab_code")["baris"].size()
    assert per.sort_index().tolist() == sizes.sort_index().tolist()


def test_excluded_rows_match_the_ingest_rules_row_by_row(register_root):
    from analysis.ingest.eppgbm import reasons

    folders = register.year_dir(register_root, TAHUN).glob("provinsi=*/kab=*")
    folder = max(folders, key=lambda f: sum(p.stat().st_size for p in f.glob("*.parquet")))
    rows = pipeline.read_partition(folder)
    res = pipeline.account_rows(rows, rows["kab_code"].iloc[0], TAHUN,
                                pd.Timestamp(TODAY), folder)
    acc = res.accounting
    assert len(acc) == len(rows)
    assert set(acc["alasan_kode"].dropna()) <= set(reasons().index)
    # rows without weight and height are excluded with that reason
    empty = rows["weight_kg"].isna() & rows["height_cm"].isna() & rows["birth_date"].notna() \
        & rows["sex"].notna() & rows["desa_code"].notna() & (rows["age_days"] >= 0) & (rows["age_days"] < 1826.25)
    assert (acc.loc[empty.to_numpy(), "alasan_kode"] == "bb_tb_kosong").all()
    assert empty.any()


def test_aggregates_equal_the_in_memory_path(register_root, local_run):
    """All rows in one frame, same rules, status_counts at each level == streamed roll-up."""
    out, summary = local_run
    rows = _all_rows(register_root)
    annual = []
    for kab, part in rows.groupby("kab_code", sort=True):
        res = pipeline.account_rows(part, kab, TAHUN, pd.Timestamp(TODAY), "memori")
        annual.append(pipeline.annual_set(res.measurements, kab, TAHUN).assign(kab=kab))
    whole = pd.concat(annual, ignore_index=True)
    whole["provinsi"] = whole["kab"].str[:2]
    tables = {name: pd.read_parquet(out / "ringkasan" / f"tahun={TAHUN}" / f"{name}.parquet")
              for name in rollup.LEVELS}
    assert summary["anak"] == len(whole)
    for name, keys in rollup.LEVELS.items():
        by = [k for k in keys if k != "tahun"] or None
        expected = status_counts(whole, by=by)
        got = tables[name].drop(columns="tahun")
        if by is None:
            got = got.reset_index(drop=True)
        else:
            expected = expected.sort_values(by).reset_index(drop=True)
            got = got.sort_values(by).reset_index(drop=True)
            for k in by:
                expected[k] = expected[k].astype("string")
                got[k] = got[k].astype("string")
        got = got[list(expected.columns)]
        counts = [c for c in expected.columns if c.startswith(("n_", "jumlah_")) or c == "anak"]
        assert (got[counts].to_numpy(dtype="int64") == expected[counts].to_numpy(dtype="int64")).all(), name
        rates = [c for c in expected.columns if c.startswith(("pct_", "ll_", "ul_"))]
        np.testing.assert_allclose(got[rates].to_numpy(dtype=float), expected[rates].to_numpy(dtype=float),
                                   rtol=0, atol=1e-9, equal_nan=True, err_msg=name)
    assert 5 < tables["nasional"]["pct_stunting"].iloc[0] < 40


def test_run_summary_is_written(local_run):
    out, summary = local_run
    saved = json.loads((out / "ringkasan" / f"tahun={TAHUN}" / "proses.json").read_text(encoding="utf-8"))
    assert saved["baris"] == summary["baris"] == SMALL["baris"]
    assert saved["kabupaten"] == SMALL["kabupaten"]
    assert saved["rss_puncak_pekerja_mb"] > 0
    assert saved["baris_partisi_terbesar"] <= SMALL["baris"]


def test_stale_districts_are_cleared(register_root, local_run, tmp_path):
    out, _ = local_run
    fake = pipeline.output_path(tmp_path, "agregat_desa", TAHUN, "99", "9999")
    fake.parent.mkdir(parents=True)
    pd.read_parquet(sorted((out / "agregat_desa").rglob("*.parquet"))[0]).assign(kab_code="99.99").to_parquet(fake)
    summary = runner.run(register_root, tmp_path, TAHUN, workers=1, today=TODAY, simpan_pengukuran=False)
    kab = pd.read_parquet(tmp_path / "ringkasan" / f"tahun={TAHUN}" / "kabupaten.parquet")
    assert "99.99" not in set(kab["kab"])
    assert summary["kabupaten"] == SMALL["kabupaten"]
    assert not (tmp_path / "pengukuran").exists()


def test_two_local_processes_give_the_same_figures(register_root, local_run, tmp_path):
    out, _ = local_run
    runner.run(register_root, tmp_path, TAHUN, workers=2, today=TODAY, simpan_pengukuran=False)
    for name in [*rollup.LEVELS, "akuntansi"]:
        a = pd.read_parquet(out / "ringkasan" / f"tahun={TAHUN}" / f"{name}.parquet")
        b = pd.read_parquet(tmp_path / "ringkasan" / f"tahun={TAHUN}" / f"{name}.parquet")
        pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_dask_localcluster_gives_the_same_figures_as_local(register_root, local_run, tmp_path):
    import distributed
    out, local_summary = local_run
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        summary = runner.run(register_root, tmp_path, TAHUN, client=client, today=TODAY)
        worker_pids = set(client.run(os.getpid).values())
    assert summary["mesin"] == "dask"
    for key in ("baris", "dianalisis", "dikeluarkan", "anak", "kabupaten"):
        assert summary[key] == local_summary[key]
    assert summary["nasional"] == local_summary["nasional"]
    for name in [*rollup.LEVELS, "akuntansi"]:
        a = pd.read_parquet(out / "ringkasan" / f"tahun={TAHUN}" / f"{name}.parquet")
        b = pd.read_parquet(tmp_path / "ringkasan" / f"tahun={TAHUN}" / f"{name}.parquet")
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    # the districts really ran in the cluster's worker processes, not in this one
    assert set(summary["pid_pekerja"]) <= worker_pids
    assert os.getpid() not in summary["pid_pekerja"]
    # measurements written by the workers are the same rows
    la = pd.read_parquet(out / "pengukuran", columns=["child_key", "haz", "whz"]).sort_values(["child_key", "haz"], ignore_index=True)
    lb = pd.read_parquet(tmp_path / "pengukuran", columns=["child_key", "haz", "whz"]).sort_values(["child_key", "haz"], ignore_index=True)
    pd.testing.assert_frame_equal(la, lb)


def test_unreachable_scheduler_is_a_user_error():
    from analysis.errors import ParameterError

    with pytest.raises(ParameterError, match="tidak dapat dihubungi"):
        runner.connect("tcp://127.0.0.1:9", timeout=2)


# ------------------------------------------------------------------------------- CLI

def test_cli_generates_and_processes(tmp_path):
    from analysis.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["demo-nasional", "--baris", "3000", "--kabupaten", "12", "--keluaran", str(tmp_path),
              "--workers", "1"])
    assert exc.value.code == 0
    with pytest.raises(SystemExit) as exc:
        main(["proses-nasional", "--register", str(tmp_path), "--keluaran", str(tmp_path / "hasil"),
              "--workers", "1", "--tanpa-pengukuran"])
    assert exc.value.code == 0
    assert (tmp_path / "hasil" / "ringkasan" / f"tahun={TAHUN}" / "nasional.parquet").is_file()


def test_cli_user_errors_exit_1(tmp_path, capsys):
    from analysis.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["proses-nasional", "--register", str(tmp_path / "tidak-ada"), "--workers", "1"])
    assert exc.value.code == 1
    assert "tidak ditemukan" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["demo-nasional", "--baris", "0", "--keluaran", str(tmp_path)])
    assert exc.value.code == 1


# ------------------------------------------------------------------- render on Dask

@pytest.mark.slow
def test_render_all_on_dask_localcluster_matches_local_batch(tmp_path):
    """The fixture report for two districts rendered by Dask workers and by the local batch."""
    import subprocess
    import sys

    fixtures = Path(__file__).parent / "fixtures" / "notebooks"
    data = tmp_path / "data"
    for i, kab in enumerate(("64.74", "64.72")):
        folder = data / kab / "2024"
        folder.mkdir(parents=True)
        (folder / "nilai.csv").write_text(f"nilai\n{i + 1}\n{i + 2}\n", encoding="utf-8")
        (data / kab / "target_prevalensi.csv").write_text("tahun,target_pct,sumber\n2024,14,RPJMD\n",
                                                          encoding="utf-8")
    env = dict(os.environ, KONVERGENSI_TEMPLATE_DIR=str(fixtures), COLUMNS="200")

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "analysis.cli", *args], env=env,
                              capture_output=True, text=True, timeout=600)

    dask_out, local_out = tmp_path / "dask", tmp_path / "lokal"
    done = cli("render-all", "--tahun", "2024", "--data", str(data), "--out", str(dask_out),
               "--dask", "--jobs", "2", "--to", "html")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "laporan per menit" in done.stdout + done.stderr
    local = cli("render-all", "--tahun", "2024", "--data", str(data), "--out", str(local_out),
                "--jobs", "1", "--to", "html")
    assert local.returncode == 0, local.stdout + local.stderr
    for kab_dir in ("64.74-kota-bontang", "64.72-kota-samarinda"):
        a = json.loads((dask_out / "2024" / kab_dir / "analisis-situasi.json").read_text(encoding="utf-8"))
        b = json.loads((local_out / "2024" / kab_dir / "analisis-situasi.json").read_text(encoding="utf-8"))
        assert a["angka_kunci"] and a["angka_kunci"] == b["angka_kunci"]
        assert (dask_out / "2024" / kab_dir / "analisis-situasi.html").is_file()
    # a rerun skips everything (the renderer's cache works through Dask too)
    again = cli("render-all", "--tahun", "2024", "--data", str(data), "--out", str(dask_out),
                "--dask", "--jobs", "1", "--to", "html")
    assert again.returncode == 0 and "0 dirender, 2 dilewati" in again.stdout + again.stderr
