"""``konvergensi demo``, ``validate`` and ``zscores`` through the CLI entry point.

Includes the privacy test: recognisable NIKs and names go in, and no output file, stdout or
stderr may contain them.
"""

from __future__ import annotations

import json
import sys
import types

import pandas as pd
import pytest

from analysis import cli
from test_ingest import make_rows, write_csv

SECRET_NIKS = ["6474019876543210", "6474011122334455", "6474015566778899"]
SECRET_NAMES = ["ZUBAIDAH RAHASIAWATI", "KRISNA PRIBADISANTOSO", "MAWARNI SULISTYO"]
SECRET_PARENTS = ["HJ. ROSMALINDA UJIAN", "BAPAK TERSEMBUNYI"]
SECRET_OTHER = ["Jl. Rahasia Gang Mawar No. 77", "081299887766"]


def run(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    out = capsys.readouterr()
    code = exc.value.code if exc.value.code is not None else 0
    return code, out.out, out.err


def secret_export(tmp_path, suffix=".csv"):
    frame = make_rows(9).assign(**{"No HP": SECRET_OTHER[1]})
    for i, (nik, name) in enumerate(zip(SECRET_NIKS, SECRET_NAMES)):
        frame.loc[i, ["NIK", "Nama"]] = [nik, name]
        frame.loc[i + 3, ["NIK", "Nama"]] = ["", name]  # fallback key on the name
    frame["Nama Ortu"] = SECRET_PARENTS[0]
    frame.loc[1, "Nama Ortu"] = SECRET_PARENTS[1]
    frame["Alamat"] = SECRET_OTHER[0]
    frame.loc[6, "Tanggal Pengukuran"] = "tidak tahu"  # an excluded row keeps its secrets out too
    frame.loc[7, "Desa/Kel"] = "Desa Antah"
    if suffix == ".xlsx":
        path = tmp_path / "eppgbm.xlsx"
        frame.to_excel(path, index=False)
        return path
    return write_csv(tmp_path / "eppgbm.csv", frame, sep=";")


def assert_no_secrets(*texts):
    secrets = SECRET_NIKS + SECRET_NAMES + SECRET_PARENTS + SECRET_OTHER
    lowered = [t.lower() for t in texts]
    for secret in secrets:
        for text in lowered:
            assert secret.lower() not in text, secret
            # also a NIK mangled into a float or a name in title case
            assert secret.title().lower() not in text
    for nik in SECRET_NIKS:
        for text in texts:
            assert f"{int(nik):.6e}"[:8] not in text


def xlsx_text(path) -> str:
    sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=str, engine="calamine")
    return "\n".join(frame.to_csv() for frame in sheets.values())


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_privacy_nothing_personal_in_any_output(tmp_path, capsys, suffix):
    source = secret_export(tmp_path, suffix)
    texts = []
    for out_name in ("hasil.csv", "hasil.xlsx"):
        out = tmp_path / "keluaran" / out_name
        code, stdout, stderr = run(["zscores", str(source), "-o", str(out), "--kab", "64.74"], capsys)
        assert code == 0, stderr
        texts += [stdout, stderr, out.read_text(encoding="utf-8") if out.suffix == ".csv" else xlsx_text(out)]
    code, stdout, stderr = run(["validate", str(source), "--kab", "64.74"], capsys)
    assert code == 0, stderr
    texts += [stdout, stderr]
    assert "Desa Antah" in stdout  # the check is not vacuous: place names do come through
    assert_no_secrets(*texts)


def test_zscores_one_output_row_per_input_row(tmp_path, capsys):
    frame = make_rows(6)
    frame.loc[2, "Tinggi"] = "0"
    frame.loc[4, "JK"] = "?"
    source = write_csv(tmp_path / "eppgbm.csv", frame, title_rows=["Judul laporan"])
    out = tmp_path / "z.csv"
    code, stdout, _ = run(["zscores", str(source), "-o", str(out)], capsys)
    assert code == 0
    result = pd.read_csv(out, dtype={"child_key": str})
    assert list(result["baris"]) == [3, 4, 5, 6, 7, 8]
    assert list(result["status"]) == ["dianalisis", "dianalisis", "dikeluarkan", "dianalisis",
                                      "dikeluarkan", "dianalisis"]
    assert result.loc[2, "alasan_kode"] == "nilai_tidak_mungkin"
    assert result.loc[4, "alasan_kode"] == "jk_tidak_dikenal"
    assert result.loc[0, ["age_days", "age_months", "haz", "waz", "whz", "baz"]].notna().all()
    assert "6 baris dibaca" in stdout
    assert not {"NIK", "Nama", "Nama Ortu", "Alamat", "RT", "RW"} & set(result.columns)


def test_zscores_xlsx_output(tmp_path, capsys):
    source = write_csv(tmp_path / "eppgbm.csv", make_rows(3))
    out = tmp_path / "z.xlsx"
    code, _, _ = run(["zscores", str(source), "-o", str(out)], capsys)
    assert code == 0
    assert len(pd.read_excel(out, engine="calamine")) == 3


def test_zscores_bad_output_extension(tmp_path, capsys):
    source = write_csv(tmp_path / "eppgbm.csv", make_rows(2))
    code, out, err = run(["zscores", str(source), "-o", str(tmp_path / "z.json")], capsys)
    assert code == 1 and ".csv, .xlsx" in err and "Traceback" not in out + err


def test_zscores_unusable_input_is_a_message(tmp_path, capsys):
    source = write_csv(tmp_path / "eppgbm.csv", make_rows(2).drop(columns=["Berat"]))
    code, out, err = run(["zscores", str(source), "-o", str(tmp_path / "z.csv")], capsys)
    assert code == 1
    assert "eppgbm.csv" in err and "Berat" in err and "Traceback" not in out + err


def test_validate_file_reports_accounting_and_reasons(tmp_path, capsys):
    frame = make_rows(8)
    frame.loc[1, "Tanggal Pengukuran"] = "01/01/2021"
    frame.loc[5, "Desa/Kel"] = "Desa Tak Dikenal"
    frame = pd.concat([frame, frame.iloc[[0]]], ignore_index=True)
    code, out, err = run(["validate", str(write_csv(tmp_path / "eppgbm.csv", frame)), "--kab", "64.74"], capsys)
    assert code == 0, err
    assert "Baris dibaca: 9; dianalisis: 6; dikeluarkan: 3" in out
    assert "sebelum tanggal lahir" in out and "Data ganda" in out and "Desa Tak Dikenal" in out
    assert "dapat dipakai" in out


@pytest.mark.parametrize("content", [b"", b"\x89PNG\r\n\x1a\nxxxx", "NIK,JK\n".encode()])
def test_validate_unusable_file_exit_1(tmp_path, capsys, content):
    path = tmp_path / "eppgbm.csv"
    path.write_bytes(content)
    code, out, err = run(["validate", str(path)], capsys)
    assert code == 1
    assert "eppgbm.csv" in out and "belum dapat dipakai" in out
    assert "Traceback" not in out + err


def _district(root, kab, frame, year=2024):
    folder = root / kab / str(year)
    folder.mkdir(parents=True)
    write_csv(folder / "eppgbm_08.csv", frame)
    (root / kab / "target_prevalensi.csv").write_text("tahun,target_pct,sumber\n2024,14,RPJMD\n", encoding="utf-8")
    (folder / "status_aksi.csv").write_text(
        "aksi,tanggal_target,tanggal_selesai,bukti,status,penilaian_mandiri\n1,31/03/2024,,,proses,B\n",
        encoding="utf-8")
    return root / kab


def test_validate_data_root_one_bad_district_does_not_stop_others(tmp_path, capsys):
    _district(tmp_path, "64.74", make_rows(5))
    bad = _district(tmp_path, "17.71", make_rows(3))
    (bad / "2024" / "status_aksi.csv").write_text(
        "aksi,tanggal_target,tanggal_selesai,bukti,status,penilaian_mandiri\n9,31/03/2024,,,proses,B\n", encoding="utf-8")
    code, out, err = run(["validate", str(tmp_path)], capsys)
    assert code == 1
    assert "Kota Bontang" in out and "Kota Bengkulu" in out
    assert "64.74 Kota Bontang: dapat dipakai" in out
    assert "17.71 Kota Bengkulu: belum dapat dipakai" in out
    assert "status_aksi.csv" in out and "paling besar 8" in out
    # the Bengkulu rows name Bontang places: all excluded as rows of another district
    assert "Baris dari kabupaten/kota lain" in out
    assert "Traceback" not in out + err


def test_validate_district_folder(tmp_path, capsys):
    district = _district(tmp_path, "64.74", make_rows(4))
    code, out, err = run(["validate", str(district)], capsys)
    assert code == 0, out
    assert "Tahun 2024" in out and "profil_desa:2024" in out


def test_validate_missing_path(tmp_path, capsys):
    code, out, err = run(["validate", str(tmp_path / "tidak-ada")], capsys)
    assert code == 1 and "tidak ditemukan" in err


def test_demo_command_calls_the_generator_and_skips_when_complete(tmp_path, capsys, monkeypatch):
    calls = []

    def generate(out_dir, districts=None, years=(2022, 2023, 2024), seed=20240817, progress=None):
        for kab in districts:
            for year in years:
                folder = out_dir / kab / str(year)
                folder.mkdir(parents=True, exist_ok=True)
                (folder / "eppgbm.csv").write_text("x", encoding="utf-8")
            (out_dir / kab / "target_prevalensi.csv").write_text("x", encoding="utf-8")
            if progress:
                progress(kab)
        calls.append(list(districts))
        return [out_dir / k for k in districts]

    fake = types.ModuleType("analysis.demo")
    fake.generate = generate
    monkeypatch.setitem(sys.modules, "analysis.demo", fake)
    import analysis

    monkeypatch.setattr(analysis, "demo", fake, raising=False)
    args = ["demo", "--keluaran", str(tmp_path), "--kab", "64.74", "--kab", "17.71"]
    code, out, _ = run(args + ["--jika-belum-ada"], capsys)
    assert code == 0 and calls == [["64.74", "17.71"]]
    assert "2 kabupaten/kota" in out
    code, out, _ = run(args + ["--jika-belum-ada"], capsys)
    assert code == 0 and len(calls) == 1 and "sudah lengkap" in out
    code, _, _ = run(args, capsys)
    assert len(calls) == 2


def test_demo_unknown_district(tmp_path, capsys):
    code, out, err = run(["demo", "--keluaran", str(tmp_path), "--kab", "99.99"], capsys)
    assert code == 1 and "99.99" in err and "64.74" in err


@pytest.mark.slow
def test_real_demo_validates_and_faults_are_found(tmp_path, capsys):
    """The faults the demo generator injects (its MANIFEST.json) are all found and counted."""
    from analysis import demo
    from analysis.ingest import quality, read_eppgbm

    code, _, err = run(["demo", "--keluaran", str(tmp_path), "--kab", "64.74"], capsys)
    assert code == 0, err
    code, out, err = run(["validate", str(tmp_path)], capsys)
    assert code == 0, err
    assert "Traceback" not in out + err
    for text in ("Data ganda", "Desa/kelurahan tidak ditemukan", "Tanggal pengukuran di masa depan",
                 "Berat lebih besar dari tinggi", "Posyandu dengan pembulatan tinggi"):
        assert text in out
    manifest = json.loads((tmp_path / "MANIFEST.json").read_text(encoding="utf-8"))["kabupaten"]["64.74"]
    for year, entry in manifest["tahun"].items():
        injected = entry["kesalahan"]
        result = read_eppgbm(tmp_path / "64.74" / year / manifest["berkas_eppgbm"], "64.74", tahun=int(year))
        found = result.accounting["alasan_kode"].value_counts()
        count = lambda code: int(found.get(code, 0))  # noqa: E731
        assert count("duplikat") == injected["duplikat"]
        assert count("ukur_sebelum_lahir") == injected["ukur_sebelum_lahir"]
        assert count("ukur_masa_depan") == injected["ukur_masa_depan"]
        assert count("usia_60_bulan") == injected["usia_60_bulan"]
        assert count("desa_tidak_dikenal") == injected["desa_tidak_dikenal"]
        assert count("bb_tb_kosong") == injected["berat_tinggi_kosong"]
        assert count("tgl_lahir_tidak_terbaca") + count("tgl_ukur_tidak_terbaca") == injected["tanggal_tidak_valid"]
        signals = quality.signals(result).set_index("kode")["jumlah"]
        assert signals["berat_tinggi_tertukar"] >= injected["bb_tb_tertukar"]
        assert signals["z_tidak_masuk_akal"] > 0
        assert len(quality.heaping_by_posyandu(result)) > 0


def test_validate_folder_of_exports(tmp_path, capsys):
    write_csv(tmp_path / "eppgbm_februari.csv", make_rows(3))
    (tmp_path / "eppgbm_rusak.csv").write_bytes(b"")
    code, out, err = run(["validate", str(tmp_path), "--kab", "64.74"], capsys)
    assert code == 1
    assert "eppgbm_februari.csv: dapat dipakai" in out
    assert "eppgbm_rusak.csv: belum dapat dipakai" in out and "kosong" in out


# ------------------------------------------------- hostile text in outputs (issue 16)

def _payload_export(tmp_path):
    from hostile import PAYLOADS

    # cells are read stripped, so payloads with a leading tab or CR are left to test_safeio
    payloads = [p for p in PAYLOADS if p == p.strip()]
    frame = make_rows(len(payloads))
    frame["Posyandu"] = payloads
    frame["Pukesmas"] = list(reversed(payloads))
    return write_csv(tmp_path / "eppgbm.csv", frame, sep=";"), payloads


def test_zscores_xlsx_has_no_formula_and_keeps_payloads_as_text(tmp_path, capsys):
    """Break 2 (xlsx): ``-o z.xlsx`` wrote posyandu names starting with ``=`` as live formulas."""
    from test_safeio import assert_no_formula_or_link

    source, payloads = _payload_export(tmp_path)
    out = tmp_path / "z.xlsx"
    code, _, err = run(["zscores", str(source), "-o", str(out), "--kab", "64.74"], capsys)
    assert code == 0, err
    assert_no_formula_or_link(out)
    back = pd.read_excel(out, engine="calamine", dtype={"posyandu": str})
    assert back["posyandu"].tolist() == payloads
    assert back["haz"].dtype == "float64" and (back["haz"] < 0).any()  # numbers stay numbers


def test_zscores_csv_neutralises_payloads(tmp_path, capsys):
    """Break 2 (csv): ``-o z.csv`` wrote values starting with ``=``, ``+``, ``@`` raw."""
    source, payloads = _payload_export(tmp_path)
    out = tmp_path / "z.csv"
    code, _, err = run(["zscores", str(source), "-o", str(out), "--kab", "64.74"], capsys)
    assert code == 0, err
    back = pd.read_csv(out, dtype=str, keep_default_na=False)
    expected = ["'" + p if p[0] in "=+-@\t\r" else p for p in payloads]
    assert back["posyandu"].tolist() == expected
    assert (back["haz"].astype(float) < 0).any()  # negative z-scores are not prefixed
    assert not back["haz"].str.startswith("'").any()


# ------------------------------------------- data is data on the console (issue 16 point 9)

def test_validate_prints_bracketed_data_as_typed(tmp_path, capsys):
    """Break 9: "[/]" as a desa name and "[/x]" as a header crashed validate (console markup)."""
    frame = make_rows(5).assign(**{"[/x]": "1", "Catatan [kg]": "-"})
    frame.loc[1, "Desa/Kel"] = "[/]"
    frame.loc[2, "Desa/Kel"] = "[bold]Desa[/bold]"
    path = write_csv(tmp_path / "eppgbm [juli].csv", frame)
    code, out, err = run(["validate", str(path), "--kab", "64.74"], capsys)
    assert code == 0, out + err
    assert "Traceback" not in out + err and "Galat internal" not in err
    assert "[/]" in out and "[bold]Desa[/bold]" in out
    assert "'[/x]'" in out and "Catatan [kg]" in out and "eppgbm [juli].csv" in out


def test_validate_message_keeps_lowercase_brackets(tmp_path, capsys):
    """Break 9: "[kg]" vanished from a message naming the columns found."""
    frame = make_rows(3).drop(columns=["Tinggi"]).assign(**{"Tinggi [kg]": "80"})
    code, out, err = run(["validate", str(write_csv(tmp_path / "eppgbm.csv", frame)), "--kab", "64.74"], capsys)
    assert code == 1
    assert "'Tinggi [kg]'" in out and "kolom wajib 'Tinggi' tidak ada" in out


def test_zscores_console_keeps_brackets(tmp_path, capsys):
    source = write_csv(tmp_path / "eppgbm.csv", make_rows(3))
    out_path = tmp_path / "[/]" / "z.csv"
    code, out, err = run(["zscores", str(source), "-o", str(out_path), "--kab", "64.74"], capsys)
    assert code == 0, err
    assert str(out_path) in out.replace("\n", "")


# ----------------------------------------------------- wrong units at file level (point 8)

@pytest.mark.parametrize("change, code, text", [
    ({"Berat": lambda w: (w.str.replace(",", ".").astype(float) * 1000).round().astype(int).astype(str)},
     "berat_gram", "gram"),
    ({"Tinggi": lambda h: h.str.replace(",", "")}, "tinggi_mm", "milimeter"),
    ({"Berat": "Tinggi", "Tinggi": "Berat"}, "berat_tinggi_tertukar", "tertukar"),
])
def test_validate_names_wrong_units_at_file_level(tmp_path, capsys, change, code, text):
    """Break 8 (low): grams, millimetres and swapped columns were only flagged row by row."""
    from analysis.ingest import quality

    frame = make_rows(10)
    original = frame.copy()
    for column, how in change.items():
        frame[column] = original[how] if isinstance(how, str) else how(original[column])
    path = write_csv(tmp_path / "eppgbm.csv", frame)
    code_, out, err = run(["validate", str(path), "--kab", "64.74"], capsys)
    assert "Peringatan satuan" in out and text in out and "10 dari 10" in out
    assert out.index("Peringatan satuan") < out.index("Baris dibaca")
    from test_ingest import read

    findings = quality.unit_findings(read(path))
    assert findings["kode"].tolist() == [code] and findings["jumlah"].tolist() == [10]


def test_no_unit_finding_for_a_few_typos(tmp_path):
    from analysis.ingest import quality
    from test_ingest import read

    frame = make_rows(10)
    frame.loc[0, "Berat"] = "11400"
    assert quality.unit_findings(read(write_csv(tmp_path / "eppgbm.csv", frame))).empty


# ------------------------------------------------------------ low: duplicates, OS errors

def test_duplicate_berat_column_in_csv_is_refused_like_excel(tmp_path):
    """Break (low): a second "Berat" column in a CSV was silently ignored."""
    from analysis.errors import InputFileError
    from test_ingest import read

    frame = make_rows(3)
    frame.insert(5, "Berat_dup", frame["Berat"])
    frame = frame.rename(columns={"Berat_dup": "Berat"})
    messages = []
    for path in (write_csv(tmp_path / "eppgbm.csv", frame), tmp_path / "eppgbm.xlsx"):
        if path.suffix == ".xlsx":
            frame.to_excel(path, index=False)
        with pytest.raises(InputFileError) as info:
            read(path)
        messages.append(str(info.value).split(": ", 1)[1])
    assert messages[0] == messages[1] and "kolom ganda: 'Berat' dan 'Berat'" in messages[0]


def test_unreadable_input_is_an_indonesian_message(tmp_path, capsys, monkeypatch):
    """Break (low): "Permission denied" from the OS reached the user in English."""
    import errno
    from pathlib import Path

    source = write_csv(tmp_path / "eppgbm.csv", make_rows(3))
    real = Path.read_bytes

    def denied(self):
        if self.name == "eppgbm.csv":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    code, out, err = run(["zscores", str(source), "-o", str(tmp_path / "z.csv"), "--kab", "64.74"], capsys)
    assert code == 1
    assert "eppgbm.csv" in err and "izin" in err and "Permission denied" not in out + err
    code, out, err = run(["validate", str(source), "--kab", "64.74"], capsys)
    assert code == 1 and "izin" in out and "Permission denied" not in out + err


def test_validate_reports_personal_data_by_row_never_by_value(tmp_path, capsys):
    frame = make_rows(4)
    frame.loc[2, "Posyandu"] = "Posyandu Mawar 6474019876543210"
    frame.loc[3, "Pukesmas"] = "PKM 0812-9988-7766"
    path = write_csv(tmp_path / "eppgbm.csv", frame)
    code, out, err = run(["validate", str(path), "--kab", "64.74"], capsys)
    assert code == 0, out + err
    assert "Data pribadi di kolom teks: 2 sel" in out
    assert "NIK (16 digit)" in out and "nomor telepon" in out
    assert "6474019876543210" not in out and "9988" not in out
