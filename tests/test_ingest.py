"""The e-PPGBM reader on well-formed and malformed exports.

Every test builds its input in ``tmp_path``. File-level faults must raise InputFileError with
a message naming the file (and column where there is one); row-level faults must exclude the
row with the right reason at the right Excel row number, and rows in = analysed + excluded.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.errors import InputFileError
from analysis.ingest import read_eppgbm
from analysis.ingest.eppgbm import ACCOUNTING_COLUMNS, MEASUREMENT_COLUMNS

TODAY = pd.Timestamp("2024-12-31")
EXPORT_HEADERS = [
    "NIK", "Nama", "JK", "Tgl Lahir", "BB Lahir", "TB Lahir", "Nama Ortu", "Prov", "Kab/Kota",
    "Kec", "Pukesmas", "Desa/Kel", "Posyandu", "RT", "RW", "Alamat", "Usia Saat Ukur",
    "Tanggal Pengukuran", "Berat", "Tinggi", "Cara Ukur", "LiLA", "BB/U", "ZS BB/U", "TB/U",
    "ZS TB/U", "BB/TB", "ZS BB/TB", "Naik Berat Badan", "PMT Diterima (kg)", "Jml Vit A", "KPSP",
    "KIA",
]
PLACES = [("Bontang Utara", "Bontang Baru"), ("Bontang Selatan", "Tanjung Laut"),
          ("Bontang Barat", "Kanaan"), ("Bontang Utara", "Guntung")]


def make_rows(n: int = 6) -> pd.DataFrame:
    """``n`` plausible export rows of Kota Bontang (text cells, as in a real export)."""
    rows = []
    for i in range(n):
        kec, desa = PLACES[i % len(PLACES)]
        birth = dt.date(2022, 1, 10) + dt.timedelta(days=(37 * i) % 900)
        measured = dt.date(2024, 8, 12)
        age = (measured - birth).days
        standing = age >= 731
        rows.append({
            "NIK": f"647401{1000000000 + i:010d}", "Nama": f"ANAK UJI {chr(65 + i)}",
            "JK": "L" if i % 2 == 0 else "P", "Tgl Lahir": birth.strftime("%d/%m/%Y"),
            "BB Lahir": "3,1", "TB Lahir": "49", "Nama Ortu": f"IBU UJI {chr(65 + i)}",
            "Prov": "KALIMANTAN TIMUR", "Kab/Kota": "KOTA BONTANG", "Kec": kec.upper(),
            "Pukesmas": "Puskesmas Uji", "Desa/Kel": desa.upper(), "Posyandu": f"Posyandu {i % 3}",
            "RT": "003", "RW": "001", "Alamat": f"Jl. Uji No. {i}",
            "Usia Saat Ukur": f"{age // 365} Tahun - {(age % 365) // 30} Bulan - {(age % 365) % 30} Hari",
            "Tanggal Pengukuran": measured.strftime("%d/%m/%Y"),
            "Berat": f"{10 + 0.3 * i:.1f}".replace(".", ","),
            "Tinggi": f"{80 + 1.7 * i:.1f}".replace(".", ","),
            "Cara Ukur": "Berdiri" if standing else "Terlentang", "LiLA": "14,5", "BB/U": "Berat Badan Normal",
            "ZS BB/U": "-0,5", "TB/U": "Normal", "ZS TB/U": "-1,0", "BB/TB": "Gizi Baik",
            "ZS BB/TB": "0,1", "Naik Berat Badan": "N", "PMT Diterima (kg)": "", "Jml Vit A": "1",
            "KPSP": "", "KIA": "Ya",
        })
    return pd.DataFrame(rows, columns=EXPORT_HEADERS)


def write_csv(path: Path, frame: pd.DataFrame, *, sep: str = ",", encoding: str = "utf-8",
              title_rows: list[str] = ()) -> Path:
    text = "".join(f"{t}\n" for t in title_rows) + frame.to_csv(index=False, sep=sep)
    path.write_bytes(text.encode(encoding))
    return path


def read(path, **kwargs):
    return read_eppgbm(path, kwargs.pop("kab", "64.74"), today=TODAY, **kwargs)


def check_accounting(result, n_rows: int) -> None:
    """No silent drop: one accounting row per input row, analysed + excluded = rows in."""
    acc = result.accounting
    assert list(acc.columns) == ACCOUNTING_COLUMNS
    assert len(acc) == n_rows == len(result.rows)
    analysed = (acc["status"] == "dianalisis").sum()
    excluded = (acc["status"] == "dikeluarkan").sum()
    assert analysed + excluded == n_rows
    assert len(result.measurements) == analysed
    assert list(result.measurements.columns) == MEASUREMENT_COLUMNS
    assert acc.loc[acc["status"] == "dikeluarkan", ["alasan_kode", "alasan", "kolom"]].notna().all().all()
    assert acc.loc[acc["status"] == "dianalisis", "alasan_kode"].isna().all()


def reason_at(result, baris: int) -> str | None:
    row = result.accounting.loc[result.accounting["baris"] == baris]
    assert len(row) == 1
    value = row["alasan_kode"].iloc[0]
    return None if pd.isna(value) else value


# ---------------------------------------------------------------- well-formed files

def test_clean_csv_all_analysed(tmp_path):
    result = read(write_csv(tmp_path / "eppgbm.csv", make_rows(6)))
    check_accounting(result, 6)
    m = result.measurements
    assert (result.accounting["status"] == "dianalisis").all()
    assert list(m["baris"]) == [2, 3, 4, 5, 6, 7]
    assert set(m["desa_code"]) == {"64.74.01.1002", "64.74.02.1001", "64.74.03.1003", "64.74.01.1004"}
    assert m["weight_kg"].iloc[1] == pytest.approx(10.3)
    assert m["haz"].notna().all() and m["whz"].notna().all()
    assert set(m["periode"]) == {"2024-08"}


def test_personal_columns_never_leave_the_reader(tmp_path):
    frame = make_rows(4).assign(**{"No HP": "081234567890", "Nama Ibu Kandung": "SITI", "NIK Ibu": "6474010101010101"})
    result = read(write_csv(tmp_path / "eppgbm.csv", frame))
    parsed = result.files[0]
    assert set(parsed.dropped_personal) >= {"NIK", "Nama", "Nama Ortu", "RT", "RW", "Alamat", "No HP",
                                            "Nama Ibu Kandung", "NIK Ibu"}
    dump = result.rows.astype(str).to_csv() + result.measurements.astype(str).to_csv()
    for secret in ["6474011000000000", "ANAK UJI", "IBU UJI", "Jl. Uji", "081234567890", "SITI"]:
        assert secret not in dump
    assert result.rows["child_key"].str.fullmatch(r"[0-9a-f]{16}").all()


def test_child_key_is_stable_and_falls_back_to_name(tmp_path):
    frame = make_rows(3)
    second = frame.copy()
    second["Tanggal Pengukuran"] = "15/02/2024"
    both = pd.concat([frame, second], ignore_index=True)
    both.loc[[2, 5], "NIK"] = ""  # the same child without NIK in both rounds
    result = read(write_csv(tmp_path / "eppgbm.csv", both))
    check_accounting(result, 6)
    keys = result.rows["child_key"]
    assert keys[0] == keys[3] and keys[1] == keys[4] and keys[2] == keys[5]
    assert keys.nunique() == 3
    assert set(result.rows["periode"]) == {"2024-02", "2024-08"}


def test_semicolon_csv_with_decimal_commas(tmp_path):
    result = read(write_csv(tmp_path / "eppgbm.csv", make_rows(5), sep=";"))
    check_accounting(result, 5)
    assert result.measurements["height_cm"].tolist() == pytest.approx([80.0, 81.7, 83.4, 85.1, 86.8])
    assert "pemisah kolom ';' dikenali" in result.files[0].notes


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-8-sig"])
def test_encodings(tmp_path, encoding):
    frame = make_rows(3)
    frame["Posyandu"] = "Posyandu Mélati"
    result = read(write_csv(tmp_path / "eppgbm.csv", frame, sep=";", encoding=encoding))
    check_accounting(result, 3)
    assert (result.measurements["posyandu"] == "Posyandu Mélati").all()


def test_xlsx_with_title_rows_and_excel_date_cells(tmp_path):
    import openpyxl
    frame = make_rows(4)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["LAPORAN e-PPGBM KOTA BONTANG"])
    ws.append(["Periode Agustus 2024"])
    ws.append([])
    ws.append(EXPORT_HEADERS)
    for record in frame.to_dict("records"):
        record["Tgl Lahir"] = dt.datetime.strptime(record["Tgl Lahir"], "%d/%m/%Y")  # a real date cell
        record["Tanggal Pengukuran"] = dt.date(2024, 8, 12)
        record["Berat"] = float(record["Berat"].replace(",", "."))  # a number cell
        record["NIK"] = int(record["NIK"])  # Excel keeps NIK as a number
        ws.append([record[h] for h in EXPORT_HEADERS])
    path = tmp_path / "eppgbm.xlsx"
    wb.save(path)
    result = read(path)
    check_accounting(result, 4)
    assert result.files[0].header_row == 4
    assert list(result.accounting["baris"]) == [5, 6, 7, 8]
    assert (result.measurements["measure_date"] == pd.Timestamp("2024-08-12")).all()
    assert result.measurements["birth_date"].iloc[0] == pd.Timestamp("2022-01-10")
    # the NIK as a number gives the same key as the NIK as text
    text_result = read(write_csv(tmp_path / "eppgbm.csv", frame))
    assert list(result.rows["child_key"]) == list(text_result.rows["child_key"])


def test_csv_with_title_rows_above_the_header(tmp_path):
    path = write_csv(tmp_path / "eppgbm.csv", make_rows(3), title_rows=["Data e-PPGBM", ""])
    result = read(path)
    check_accounting(result, 3)
    assert list(result.accounting["baris"]) == [4, 5, 6]


def test_mixed_date_formats(tmp_path):
    frame = make_rows(6)
    frame["Tanggal Pengukuran"] = ["12/08/2024", "12-08-2024", "2024-08-12", "45516",
                                   "12 Agustus 2024", "2024-08-12 00:00:00"]
    result = read(write_csv(tmp_path / "eppgbm.csv", frame))
    check_accounting(result, 6)
    assert (result.measurements["measure_date"] == pd.Timestamp("2024-08-12")).all()


def test_extra_reordered_and_respelled_columns(tmp_path):
    frame = make_rows(4)
    frame = frame[list(reversed(EXPORT_HEADERS))].assign(Keterangan="-", **{"Kolom Aneh": 1})
    frame = frame.rename(columns={"Tgl Lahir": "TANGGAL LAHIR", "Tanggal Pengukuran": " tgl_pengukuran ",
                                  "Desa/Kel": "desa / kelurahan", "Kec": "KECAMATAN"})
    result = read(write_csv(tmp_path / "eppgbm.csv", frame))
    check_accounting(result, 4)
    assert (result.accounting["status"] == "dianalisis").all()
    assert set(result.files[0].ignored) == {"Keterangan", "Kolom Aneh"}


def test_missing_optional_columns(tmp_path):
    frame = make_rows(3)[["NIK", "JK", "Tgl Lahir", "Kec", "Desa/Kel", "Tanggal Pengukuran", "Berat", "Tinggi"]]
    result = read(write_csv(tmp_path / "eppgbm.csv", frame))
    check_accounting(result, 3)
    assert result.measurements["measure"].isna().all()  # unknown position, still analysed


def test_place_names_tolerate_prefixes_case_and_spacing(tmp_path):
    frame = make_rows(5)
    frame["Kec"] = ["Kec. Bontang Utara", "  bontang   selatan", "KECAMATAN BONTANG BARAT", "Bontang Utara", "bontang utara"]
    frame["Desa/Kel"] = ["Kel. Bontang Baru", "Kelurahan Tanjung Laut", "desa kanaan", "GUNTUNG ", "Ds. Api-Api"]
    result = read(write_csv(tmp_path / "eppgbm.csv", frame))
    check_accounting(result, 5)
    assert list(result.measurements["desa_code"]) == ["64.74.01.1002", "64.74.02.1001", "64.74.03.1003",
                                                      "64.74.01.1004", "64.74.01.1006"]


def test_district_inferred_from_kab_kota(tmp_path):
    result = read_eppgbm(write_csv(tmp_path / "eppgbm.csv", make_rows(2)), today=TODAY)
    assert result.files[0].kab == "64.74"
    check_accounting(result, 2)


# ------------------------------------------------------------------- row faults

ROW_FAULTS = [
    # (description, column, bad value, expected reason)
    ("unparseable birth date", "Tgl Lahir", "31/02/2022", "tgl_lahir_tidak_terbaca"),
    ("unparseable measurement date", "Tanggal Pengukuran", "kemarin", "tgl_ukur_tidak_terbaca"),
    ("empty measurement date", "Tanggal Pengukuran", "", "tgl_ukur_tidak_terbaca"),
    ("measured before birth", "Tanggal Pengukuran", "01/01/2021", "ukur_sebelum_lahir"),
    ("measured in the future", "Tanggal Pengukuran", "01/01/2025", "ukur_masa_depan"),
    ("age 60 months or more", "Tgl Lahir", "01/08/2019", "usia_60_bulan"),
    ("unknown sex", "JK", "X", "jk_tidak_dikenal"),
    ("empty sex", "JK", "", "jk_tidak_dikenal"),
    ("unknown measuring position", "Cara Ukur", "Duduk", "cara_ukur_tidak_dikenal"),
    ("weight not a number", "Berat", "sebelas", "angka_tidak_terbaca"),
    ("impossible height", "Tinggi", "0", "nilai_tidak_mungkin"),
    ("impossible weight", "Berat", "-3", "nilai_tidak_mungkin"),
    ("unknown desa", "Desa/Kel", "Desa Antah Berantah", "desa_tidak_dikenal"),
    ("unknown kecamatan", "Kec", "Kecamatan Fiktif", "kecamatan_tidak_dikenal"),
    ("row of another district", "Kab/Kota", "KAB. KUTAI KARTANEGARA", "di_luar_kabupaten"),
]


@pytest.mark.parametrize("description,column,value,reason", ROW_FAULTS, ids=[f[0] for f in ROW_FAULTS])
def test_row_fault_is_excluded_with_reason(tmp_path, description, column, value, reason):
    frame = make_rows(5)
    frame.loc[2, column] = value
    if reason == "kecamatan_tidak_dikenal":
        frame.loc[2, "Desa/Kel"] = "Desa Antah"  # a desa name unique in the district would rescue it
    result = read(write_csv(tmp_path / "eppgbm.csv", frame))
    check_accounting(result, 5)
    assert reason_at(result, 4) == reason  # data row 3 = Excel row 4
    excluded = result.accounting[result.accounting["status"] == "dikeluarkan"]
    assert len(excluded) == 1
    assert excluded["alasan"].str.len().iloc[0] > 10
    assert excluded["kolom"].iloc[0]


def test_weight_and_height_both_missing(tmp_path):
    frame = make_rows(4)
    frame.loc[1, ["Berat", "Tinggi"]] = ""
    frame.loc[2, "Berat"] = ""  # one missing: analysed for what remains computable
    frame.loc[3, "Tinggi"] = "-"
    result = read(write_csv(tmp_path / "eppgbm.csv", frame))
    check_accounting(result, 4)
    assert reason_at(result, 3) == "bb_tb_kosong"
    assert reason_at(result, 4) is None and reason_at(result, 5) is None
    m = result.measurements.set_index("baris")
    assert np.isnan(m.loc[4, "waz"]) and not np.isnan(m.loc[4, "haz"])
    assert np.isnan(m.loc[5, "haz"]) and not np.isnan(m.loc[5, "waz"])


def test_empty_position_is_unknown_not_excluded(tmp_path):
    frame = make_rows(3)
    frame.loc[0, "Cara Ukur"] = ""
    result = read(write_csv(tmp_path / "eppgbm.csv", frame))
    check_accounting(result, 3)
    assert (result.accounting["status"] == "dianalisis").all()
    assert pd.isna(result.measurements["measure"].iloc[0])


def test_duplicate_same_child_same_day_keeps_first(tmp_path):
    frame = make_rows(3)
    frame = pd.concat([frame, frame.iloc[[1]], frame.iloc[[1]]], ignore_index=True)
    frame.loc[4, "Berat"] = "99,9"  # a different value does not make it a different visit
    result = read(write_csv(tmp_path / "eppgbm.csv", frame))
    check_accounting(result, 5)
    assert [reason_at(result, b) for b in (2, 3, 4, 5, 6)] == [None, None, None, "duplikat", "duplikat"]
    assert result.measurements.loc[result.measurements["baris"] == 3, "weight_kg"].iloc[0] == pytest.approx(10.3)


def test_duplicates_across_files_of_one_year(tmp_path):
    frame = make_rows(3)
    a = write_csv(tmp_path / "eppgbm_a.csv", frame)
    b = write_csv(tmp_path / "eppgbm_b.csv", frame.iloc[[0]])
    result = read([a, b], tahun=2024)
    check_accounting(result, 4)
    assert result.accounting["alasan_kode"].tolist()[-1] == "duplikat"
    assert (result.accounting["tahun"] == 2024).all()


def test_no_identity_and_blank_rows(tmp_path):
    frame = make_rows(4)
    frame.loc[1, ["NIK", "Nama"]] = ""
    frame.loc[2, :] = ""
    result = read(write_csv(tmp_path / "eppgbm.csv", frame))
    check_accounting(result, 4)
    assert reason_at(result, 3) == "identitas_kosong"
    assert reason_at(result, 4) == "baris_kosong"


def test_masked_nik_falls_back_to_name(tmp_path):
    frame = make_rows(2)
    frame.loc[0, "NIK"] = "6474********0001"
    frame.loc[1, "NIK"] = "0000000000000000"
    result = read(write_csv(tmp_path / "eppgbm.csv", frame))
    check_accounting(result, 2)
    assert (result.accounting["status"] == "dianalisis").all()


def test_many_faults_in_one_file_add_up(tmp_path):
    frame = make_rows(40)
    for i, (_d, column, value, reason) in enumerate(ROW_FAULTS):
        frame.loc[2 * i, column] = value
        if reason == "kecamatan_tidak_dikenal":
            frame.loc[2 * i, "Desa/Kel"] = "Desa Antah"
    result = read(write_csv(tmp_path / "eppgbm.csv", frame))
    check_accounting(result, 40)
    assert (result.accounting["status"] == "dikeluarkan").sum() == len(ROW_FAULTS)
    found = result.accounting.set_index("baris")["alasan_kode"]
    assert [found[2 * i + 2] for i in range(len(ROW_FAULTS))] == [f[3] for f in ROW_FAULTS]


# ------------------------------------------------------------------ file faults

def _file_error(path, *fragments):
    with pytest.raises(InputFileError) as info:
        read(path)
    message = str(info.value)
    assert path.name in message
    assert "Traceback" not in message
    for fragment in fragments:
        assert fragment in message, message
    return info.value


def test_empty_file(tmp_path):
    path = tmp_path / "eppgbm.csv"
    path.write_bytes(b"")
    _file_error(path, "kosong")


def test_whitespace_only_file(tmp_path):
    path = tmp_path / "eppgbm.csv"
    path.write_text("\n \n\t\n", encoding="utf-8")
    _file_error(path, "kosong")


def test_png_renamed_csv(tmp_path):
    path = tmp_path / "eppgbm.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    _file_error(path, "PNG", "bukan tabel")


def test_prose_text_renamed_csv(tmp_path):
    path = tmp_path / "eppgbm.csv"
    path.write_text("Catatan rapat posyandu.\nSemua kader hadir, timbangan baru dipakai.\n", encoding="utf-8")
    _file_error(path, "baris judul kolom tidak ditemukan")


def test_text_renamed_xlsx(tmp_path):
    path = tmp_path / "eppgbm.xlsx"
    path.write_text("NIK,JK\n1,L\n", encoding="utf-8")
    _file_error(path, "bukan berkas Excel")


def test_damaged_xlsx(tmp_path):
    path = tmp_path / "eppgbm.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"rusak" * 50)
    _file_error(path, "tidak dapat dibuka")


def test_binary_encoding_beyond_repair(tmp_path):
    path = tmp_path / "eppgbm.csv"
    path.write_bytes(make_rows(2).to_csv(index=False).encode("utf-32-le"))
    _file_error(path, "encoding")


def test_utf16_with_bom_is_read(tmp_path):
    path = tmp_path / "eppgbm.csv"
    path.write_bytes(make_rows(2).to_csv(index=False, sep="\t").encode("utf-16"))
    check_accounting(read(path), 2)


def test_header_only_csv(tmp_path):
    path = write_csv(tmp_path / "eppgbm.csv", make_rows(0))
    error = _file_error(path, "hanya berisi baris judul")
    assert error.row == 1


def test_header_only_xlsx(tmp_path):
    path = tmp_path / "eppgbm.xlsx"
    make_rows(0).to_excel(path, index=False)
    _file_error(path, "hanya berisi baris judul")


@pytest.mark.parametrize("column", ["Tinggi", "Tanggal Pengukuran", "Desa/Kel", "JK"])
def test_required_column_missing(tmp_path, column):
    path = write_csv(tmp_path / "eppgbm.csv", make_rows(3).drop(columns=[column]))
    error = _file_error(path, f"kolom wajib '{column}' tidak ada", "Kolom yang ditemukan", "'Berat'")
    assert error.column == column


def test_nik_and_name_both_missing(tmp_path):
    path = write_csv(tmp_path / "eppgbm.csv", make_rows(3).drop(columns=["NIK", "Nama"]))
    _file_error(path, "'NIK' atau 'Nama'")


def test_ragged_table(tmp_path):
    path = write_csv(tmp_path / "eppgbm.csv", make_rows(3))
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] += ",x,y,z"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    error = _file_error(path, "tidak beraturan")
    assert error.row == 3


def test_duplicate_columns(tmp_path):
    frame = make_rows(2)
    frame.insert(5, "Berat Badan", frame["Berat"])
    _file_error(write_csv(tmp_path / "eppgbm.csv", frame), "kolom ganda")


def test_missing_file(tmp_path):
    _file_error(tmp_path / "tidak_ada.csv", "tidak ditemukan")


def test_messages_never_contain_personal_data(tmp_path):
    frame = make_rows(3).drop(columns=["Tinggi"])
    with pytest.raises(InputFileError) as info:
        read(write_csv(tmp_path / "eppgbm.csv", frame))
    assert "ANAK UJI" not in str(info.value) and "6474011" not in str(info.value)


# ------------------------------------------------------------- quality signals

def test_quality_reasons_unmatched_and_signals(tmp_path):
    from analysis.ingest import quality

    frame = make_rows(30)
    frame.loc[3, "Desa/Kel"] = "Bontang Baruu"
    frame.loc[4, "Desa/Kel"] = "Desa Antah"
    frame.loc[5, ["Berat", "Tinggi"]] = ["85,0", "11,2"]  # swapped
    frame.loc[6, "Tanggal Pengukuran"] = "01/01/2021"
    frame["Tinggi"] = frame["Tinggi"].where(frame.index % 2 == 1, "90,0")  # heaping on .0
    result = read(write_csv(tmp_path / "eppgbm.csv", frame))
    check_accounting(result, 30)
    reasons = quality.reason_counts(result).set_index("alasan_kode")
    assert reasons.loc["desa_tidak_dikenal", "jumlah"] == 2
    assert reasons.loc["desa_tidak_dikenal", "contoh_baris"] == "5, 6"
    places = quality.unmatched_places(result).set_index("desa")
    assert places.loc["Bontang Baruu", "saran"] == "Bontang Baru"
    assert places.loc["Desa Antah", "saran"] == ""
    signals = quality.signals(result).set_index("kode")
    assert signals.loc["berat_tinggi_tertukar", "jumlah"] == 1
    assert signals.loc["heaping_tinggi", "persen"] > 50 and signals.loc["heaping_tinggi", "perlu_dicek"]
    assert quality.heaping_share(pd.Series([80.0, 80.5, 80.2, 80.3])) == 50.0
    flagged = quality.flags_by_posyandu(result, top=100)
    assert flagged["ditandai"].sum() == signals.loc["z_tidak_masuk_akal", "jumlah"] >= 1


def test_unrecognised_kab_spelling_is_kept_and_reported(tmp_path):
    from analysis.ingest import quality

    frame = make_rows(4)
    frame.loc[1, "Kab/Kota"] = "BTG"
    frame.loc[2, "NIK"] = "6,47401E+15"  # NIK ruined by Excel: the key falls back to the name
    result = read(write_csv(tmp_path / "eppgbm.csv", frame))
    check_accounting(result, 4)
    assert (result.accounting["status"] == "dianalisis").all()
    signals = quality.signals(result).set_index("kode")
    assert signals.loc["kab_tidak_dikenal", "jumlah"] == 1
    assert signals.loc["nik_tidak_valid", "jumlah"] == 1


def test_html_disguised_as_xls_without_the_export_header(tmp_path):
    # HTML saved as .xls is read by its content (test_ingest_excel); a table without the
    # export's header is still not an export
    path = tmp_path / "eppgbm.xls"
    path.write_text("<html><body><table><tr><td>NIK</td><td>JK</td></tr></table></body></html>", encoding="utf-8")
    _file_error(path, "baris judul kolom tidak ditemukan")


def test_xlsx_data_on_second_sheet_below_empty_rows(tmp_path):
    import openpyxl
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "Petunjuk"
    notes["A1"] = "Data diunduh dari e-PPGBM"
    data = wb.create_sheet("Data")
    frame = make_rows(3)
    for i, header in enumerate(EXPORT_HEADERS, start=2):  # table starts at B3: empty rows/column around it
        data.cell(row=3, column=i, value=header)
    for r, record in enumerate(frame.to_dict("records"), start=4):
        for i, header in enumerate(EXPORT_HEADERS, start=2):
            data.cell(row=r, column=i, value=record[header])
    path = tmp_path / "eppgbm.xlsx"
    wb.save(path)
    result = read(path)
    check_accounting(result, 3)
    assert result.files[0].header_row == 3
    assert list(result.accounting["baris"]) == [4, 5, 6]
