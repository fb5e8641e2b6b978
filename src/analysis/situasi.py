"""The situation analysis (Aksi 1): every table and every data-derived sentence of the
``analisis-situasi`` report, assembled from the analysis modules.

:func:`analisis` computes everything once from a :class:`~analysis.dataset.DistrictData`
and returns a :class:`Situasi`; the ``tabel_*`` functions turn it into the tables a reader
sees (Indonesian headers, one row per unit), and the ``kalimat_*`` / :func:`rekomendasi`
functions write the sentences. The notebook only calls these; nothing in it computes.

Conventions: percentages are in percent (0–100); ``desa_code``/``kec_code`` are Kemendagri
codes (``"64.74.01.1001"``, ``"64.74.01"``); every number a reader sees goes through
:mod:`analysis.text`.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis import coverage as cov
from analysis import lokus as lk
from analysis import prevalence as prev
from analysis import quality as qual
from analysis import text



def settings() -> dict:
    """``analysis/data/config/analisis_situasi.yaml`` (table lengths, short indicator labels)."""
    from analysis.config import load_settings

    return load_settings("analisis_situasi")

RELIABILITY_LABEL = {
    "reported": "dilaporkan resmi",
    "inferred": "disimpulkan dari sumber resmi",
    "derived": "diturunkan dari sumber resmi",
    "press-unconfirmed": "dari pemberitaan, belum terkonfirmasi di laporan resmi",
}


# ------------------------------------------------------------------ container ----

@dataclass
class Situasi:
    """Everything the situation-analysis report shows, computed once.

    Attributes
    ----------
    kab, nama : str
        District code and name.
    tahun : int
        Report year.
    periode : str
        The weighing round used (``"2024-08"``).
    wilayah : DataFrame
        Every desa of the district: ``desa_code, nama_desa, jenis_desa, kec_code,
        nama_kecamatan``.
    ukur : DataFrame
        ``measurements_for_year`` (one row per child, last round).
    prevalensi : DataFrame
        ``prevalence_table(ukur)`` (anthro shape: All, age, sex, age × sex).
    status_kab, status_kec, status_desa : DataFrame
        ``status_counts`` for the district, per kecamatan and per desa (every desa of the
        reference list, children 0 where none were measured), with names.
    survei : dict or None
        Latest survey figure: ``tahun, sumber, pct, keandalan, rujukan``.
    kualitas : DataFrame
        ``quality_table`` by puskesmas (first row the whole district).
    posyandu_terburuk : DataFrame
        ``worst_groups`` by posyandu.
    cakupan : DataFrame
        ``coverage_table`` of the year (empty when the table is missing).
    cakupan_desa, cakupan_indikator, kelompok_sasaran : DataFrame
        Coverage summaries.
    skor : DataFrame
        ``lokus.score`` with names.
    sensitivitas, sensitivitas_desa : DataFrame
        ``lokus.sensitivity``.
    lokus_ditetapkan : DataFrame
        The decreed lokus compared (``lokus.compare_decreed``) and ``tahun_lokus`` its year.
    akuntansi : DataFrame
        Row accounting of the year (rows, status, reason).
    pengukuran_kec : DataFrame
        Children measured per kecamatan against the estimated balita.
    profil : DataFrame
        ``profil_desa`` of the year (or the latest earlier year).
    hilang : list of str
        Tables missing for this year.
    """

    kab: str
    nama: str
    tahun: int
    periode: str
    wilayah: pd.DataFrame
    ukur: pd.DataFrame
    prevalensi: pd.DataFrame
    status_kab: pd.DataFrame
    status_kec: pd.DataFrame
    status_desa: pd.DataFrame
    survei: dict | None
    kualitas: pd.DataFrame
    posyandu_terburuk: pd.DataFrame
    cakupan: pd.DataFrame
    cakupan_desa: pd.DataFrame
    cakupan_indikator: pd.DataFrame
    kelompok_sasaran: pd.DataFrame
    skor: pd.DataFrame
    sensitivitas: pd.DataFrame
    sensitivitas_desa: pd.DataFrame
    lokus_ditetapkan: pd.DataFrame
    tahun_lokus: int | None
    akuntansi: pd.DataFrame
    pengukuran_kec: pd.DataFrame
    profil: pd.DataFrame
    ada_tahun_lalu: bool
    hilang: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ helpers ----

def nama_periode(periode: str) -> str:
    """``"2024-08"`` → ``"Agustus 2024"``."""
    try:
        d = _dt.date(int(periode[:4]), int(periode[5:7]), 1)
    except (TypeError, ValueError):
        return str(periode)
    return text.tanggal(d, fmt="MMMM y")


def wilayah_desa(kab: str) -> pd.DataFrame:
    """Every desa/kelurahan of the district from the Kemendagri reference list.

    Returns
    -------
    DataFrame
        ``desa_code, nama_desa, jenis_desa, kec_code, nama_kecamatan``.
    """
    from analysis import reference

    v = reference.villages(kab)
    return pd.DataFrame({
        "desa_code": v["village_code"].astype(str),
        "nama_desa": v["village_name"].astype(str),
        "jenis_desa": v["village_type"].astype(str),
        "kec_code": v["district_code"].astype(str),
        "nama_kecamatan": v["district_name"].astype(str),
    })


def survei_terakhir(kab: str, tahun: int) -> dict | None:
    """Latest published survey prevalence for the district up to ``tahun``.

    Returns
    -------
    dict or None
        ``tahun, sumber`` (``"SSGI"``/``"SKI"``), ``pct``, ``keandalan`` (Indonesian),
        ``rujukan`` (URL).
    """
    from analysis import reference

    s = reference.survey_prevalence()
    s = s[(s["area_code"].astype(str) == kab) & (s["year"] <= tahun)
          & s["prevalence_pct"].notna()]
    if s.empty:
        return None
    row = s.sort_values("year").iloc[-1]
    return {"tahun": int(row["year"]), "sumber": str(row["source"]),
            "pct": float(row["prevalence_pct"]),
            "keandalan": RELIABILITY_LABEL.get(str(row["reliability"]), str(row["reliability"])),
            "rujukan": str(row.get("reference", ""))}


def _year(frame: pd.DataFrame, tahun: int, latest: bool = False) -> pd.DataFrame:
    """Rows of ``tahun`` (or, with ``latest``, of the latest year ≤ tahun)."""
    if frame is None or frame.empty or "tahun" not in frame:
        return frame.iloc[0:0] if frame is not None else pd.DataFrame()
    t = pd.to_numeric(frame["tahun"], errors="coerce")
    if latest:
        ok = t[t <= tahun]
        if ok.empty:
            return frame.iloc[0:0]
        return frame[t == ok.max()]
    return frame[t == tahun]


def status_per_wilayah(ukur: pd.DataFrame, wilayah: pd.DataFrame) -> tuple[pd.DataFrame,
                                                                         pd.DataFrame]:
    """``status_counts`` per desa and per kecamatan, every unit of the reference list.

    Returns
    -------
    (desa, kecamatan) : DataFrames
        Desa: ``desa_code, nama_desa, jenis_desa, kec_code, nama_kecamatan`` + status columns
        (``anak`` 0 and NaN percentages where nobody was measured). Kecamatan: ``kec_code,
        nama_kecamatan`` + status columns.
    """
    desa = prev.status_counts(ukur, by="desa_code")
    desa = wilayah.merge(desa, on="desa_code", how="left")
    count_cols = [c for c in desa.columns if c == "anak" or c.startswith(("n_", "jumlah_"))]
    desa[count_cols] = desa[count_cols].fillna(0).astype(int)
    if "kec_code" not in ukur:
        ukur = ukur.merge(wilayah[["desa_code", "kec_code"]], on="desa_code", how="left")
    kec = prev.status_counts(ukur, by="kec_code")
    names = wilayah.drop_duplicates("kec_code")[["kec_code", "nama_kecamatan"]]
    kec = names.merge(kec, on="kec_code", how="left")
    kcols = [c for c in kec.columns if c == "anak" or c.startswith(("n_", "jumlah_"))]
    kec[kcols] = kec[kcols].fillna(0).astype(int)
    return desa, kec


def pengukuran_per_kecamatan(ukur: pd.DataFrame, profil: pd.DataFrame,
                             wilayah: pd.DataFrame) -> pd.DataFrame:
    """Children measured per kecamatan against the estimated number of balita.

    Returns
    -------
    DataFrame
        ``kec_code, nama_kecamatan, diukur, perkiraan_balita, cakupan_pct`` (NaN without
        an estimate); last row the whole district (``kec_code`` = ``"total"``).
    """
    names = wilayah.drop_duplicates("kec_code")[["kec_code", "nama_kecamatan"]]
    measured = ukur.groupby("kec_code").size().rename("diukur")
    if profil is not None and len(profil) and "perkiraan_balita" in profil:
        p = profil.merge(wilayah[["desa_code", "kec_code"]], left_on="kode_desa",
                         right_on="desa_code", how="inner")
        est = pd.to_numeric(p["perkiraan_balita"], errors="coerce").groupby(p["kec_code"]).sum(
            min_count=1).rename("perkiraan_balita")
    else:
        est = pd.Series(dtype=float, name="perkiraan_balita")
    out = names.set_index("kec_code").join(measured).join(est).reset_index()
    out["diukur"] = out["diukur"].fillna(0).astype(int)
    total = pd.DataFrame([{"kec_code": "total", "nama_kecamatan": "Seluruh kabupaten/kota",
                           "diukur": int(out["diukur"].sum()),
                           "perkiraan_balita": out["perkiraan_balita"].sum(min_count=1)}])
    out = pd.concat([out, total], ignore_index=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["cakupan_pct"] = np.where(out["perkiraan_balita"] > 0,
                                      out["diukur"] / out["perkiraan_balita"] * 100, np.nan)
    return out


def ringkas_akuntansi(acc: pd.DataFrame) -> pd.DataFrame:
    """Row accounting: rows read, analysed, and excluded by reason.

    Returns
    -------
    DataFrame
        ``keterangan, baris, persen``: first ``Baris dibaca``, then ``Dianalisis``, then one
        row per exclusion reason (most frequent first).
    """
    n = len(acc)
    rows = [{"keterangan": "Baris dibaca", "baris": n, "persen": 100.0 if n else np.nan}]
    ok = int((acc["status"] == "dianalisis").sum()) if n else 0
    rows.append({"keterangan": "Dianalisis", "baris": ok, "persen": ok / n * 100 if n else np.nan})
    if n:
        ex = acc[acc["status"] != "dianalisis"]
        reasons = ex["alasan"].fillna(ex["alasan_kode"]).value_counts()
        for reason, k in reasons.items():
            rows.append({"keterangan": f"Dikeluarkan: {reason}", "baris": int(k),
                         "persen": k / n * 100})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------ assembly ----

def susun(kab: str, nama: str, tahun: int, ukur: pd.DataFrame,
          ukur_lalu: pd.DataFrame | None = None, *, akuntansi: pd.DataFrame | None = None,
          profil: pd.DataFrame | None = None, cakupan_layanan: pd.DataFrame | None = None,
          lokus_tabel: pd.DataFrame | None = None, hilang: list[str] | None = None) -> Situasi:
    """Compute the situation analysis from already-selected tables (pure).

    Parameters
    ----------
    kab, nama : str
        District code and name.
    tahun : int
        Report year.
    ukur : DataFrame
        Measurements of the year (``measurements_for_year``): ``periode, desa_code,
        kec_code, puskesmas, posyandu, sex, age_days, weight_kg, height_cm, oedema, haz,
        waz, whz, baz, *_flag`` and optionally ``child_key, measure_date, birth_date``.
    ukur_lalu : DataFrame, optional
        The same for the previous year.
    akuntansi, profil, cakupan_layanan, lokus_tabel : DataFrame, optional
        Row accounting, ``profil_desa``, ``cakupan_layanan`` of the year and the ``lokus``
        table (all years; the latest year ≤ ``tahun`` is compared).
    hilang : list of str
        Tables missing (as in ``DistrictData.missing``).
    """
    from analysis import reference

    wilayah = wilayah_desa(kab)
    periode = str(ukur["periode"].max()) if "periode" in ukur and len(ukur) else str(tahun)
    table = prev.prevalence_table(ukur)
    status_kab = prev.status_counts(ukur)
    desa, kec = status_per_wilayah(ukur, wilayah)

    kualitas = qual.quality_table(ukur, by="puskesmas") if "puskesmas" in ukur else \
        qual.quality_table(ukur, by=None)
    worst = qual.worst_groups(ukur, by="posyandu", n=10) if "posyandu" in ukur else \
        pd.DataFrame()

    cl = cakupan_layanan if cakupan_layanan is not None else pd.DataFrame()
    if len(cl):
        ctab = cov.coverage_table(cl, reference.indicators())
        cdesa = cov.desa_summary(ctab)
        cind = cov.indicator_summary(ctab)
        kel = cov.target_groups(ctab)
    else:
        ctab = cdesa = cind = kel = pd.DataFrame()

    now = desa[["desa_code", "anak", "n_stunting", "jumlah_stunting"]]
    before = None
    if ukur_lalu is not None and len(ukur_lalu):
        before = prev.status_counts(ukur_lalu, by="desa_code")
    inputs = lk.desa_inputs(now, before, cdesa if len(cdesa) else None)
    scored = lk.score(inputs)
    attrs = dict(scored.attrs)
    scored = scored.merge(wilayah, on="desa_code", how="left")
    scored.attrs.update(attrs)
    per_set, per_desa = lk.sensitivity(inputs)

    lt = lokus_tabel if lokus_tabel is not None else pd.DataFrame()
    decreed = _year(lt, tahun, latest=True) if len(lt) else lt
    tahun_lokus = int(pd.to_numeric(decreed["tahun"]).max()) if len(decreed) else None
    compared = lk.compare_decreed(scored, decreed if len(decreed) else
                                  pd.DataFrame({"kode_desa": []}))
    compared = compared.merge(wilayah[["desa_code", "nama_desa", "nama_kecamatan"]],
                              on="desa_code", how="left")
    if len(decreed) and "nama_desa" in decreed:
        names = decreed.set_index(decreed["kode_desa"].astype(str))["nama_desa"]
        compared["nama_desa"] = compared["nama_desa"].fillna(compared["desa_code"].map(names))

    acc = akuntansi if akuntansi is not None else pd.DataFrame(
        columns=["status", "alasan", "alasan_kode"])
    # duplicates are removed by ingest (one row per child and day) and only counted there
    if len(acc) and "alasan_kode" in acc:
        kualitas.loc[0, "duplikat"] = int((acc["alasan_kode"] == "duplikat").sum())
    prof = profil if profil is not None else pd.DataFrame()
    return Situasi(
        kab=kab, nama=nama, tahun=int(tahun), periode=periode, wilayah=wilayah, ukur=ukur,
        prevalensi=table, status_kab=status_kab, status_kec=kec, status_desa=desa,
        survei=survei_terakhir(kab, tahun), kualitas=kualitas, posyandu_terburuk=worst,
        cakupan=ctab, cakupan_desa=cdesa, cakupan_indikator=cind, kelompok_sasaran=kel,
        skor=scored, sensitivitas=per_set, sensitivitas_desa=per_desa,
        lokus_ditetapkan=compared, tahun_lokus=tahun_lokus,
        akuntansi=ringkas_akuntansi(acc),
        pengukuran_kec=pengukuran_per_kecamatan(ukur, prof, wilayah), profil=prof,
        ada_tahun_lalu=before is not None, hilang=list(hilang or []),
    )


def analisis(data, tahun: int) -> Situasi:
    """The situation analysis of one district and year from its :class:`DistrictData`.

    Annual prevalence uses ``analysis.dataset.measurements_for_year`` (the year's last
    weighing round, one row per child), so every report shows the same figure.
    """
    from analysis.dataset import measurements_for_year
    from analysis.errors import DataUnavailableError

    ukur = measurements_for_year(data, tahun)
    try:
        lalu = measurements_for_year(data, tahun - 1)
    except DataUnavailableError:
        lalu = None
    acc = _year(data.accounting, tahun)
    return susun(
        data.kab, data.nama, tahun, ukur, lalu, akuntansi=acc,
        profil=_year(data.profil_desa, tahun, latest=True),
        cakupan_layanan=_year(data.coverage, tahun), lokus_tabel=data.lokus,
        hilang=[m for m in data.missing if ":" not in m or m.endswith(f":{tahun}")],
    )


# ------------------------------------------------------------------ figures ----

def stunting_kab(s: Situasi) -> dict:
    """District stunting prevalence (anthro rules) with 95 % CI and counts.

    Returns
    -------
    dict
        ``pct, ll, ul`` (percent), ``n`` (children with HAZ), ``stunting`` (count),
        ``sangat_pendek`` (count), ``anak`` (children in the round).
    """
    row = s.prevalensi.iloc[0]
    k = s.status_kab.iloc[0]
    return {"pct": float(row["HA_2_r"]), "ll": float(row["HA_2_ll"]),
            "ul": float(row["HA_2_ul"]), "n": int(row["HAZ_pop"]),
            "stunting": int(k["jumlah_stunting"]), "sangat_pendek": int(k["jumlah_sangat_pendek"]),
            "anak": int(row["n"])}


def lokus_terpilih(s: Situasi) -> pd.DataFrame:
    """The recommended lokus (rank order)."""
    return s.skor[s.skor["direkomendasikan"]].reset_index(drop=True)


def sumber_data(s: Situasi) -> dict[str, str]:
    """Data sources and their dates for the title block."""
    out = {"e-PPGBM (register penimbangan)": f"putaran {nama_periode(s.periode)}"}
    if s.survei:
        out[f"{s.survei['sumber']} {s.survei['tahun']} (survei)"] = s.survei["keandalan"]
    if len(s.cakupan):
        out["Cakupan layanan per desa"] = f"tahun {s.tahun}"
    if len(s.profil):
        out["Profil desa"] = f"tahun {int(pd.to_numeric(s.profil['tahun']).max())}" \
            if "tahun" in s.profil else "tersedia"
    if s.tahun_lokus:
        out["SK desa lokus"] = f"tahun {s.tahun_lokus}"
    out["Batas wilayah dan kode"] = "Kemendagri"
    return out


def angka_kunci(s: Situasi) -> list[dict]:
    """Key figures for ``Laporan.angka_kunci`` (keyword dicts)."""
    st = stunting_kab(s)
    sumber = f"e-PPGBM {nama_periode(s.periode)}"
    out = [
        {"kode": "prevalensi_stunting_register", "nilai": st["pct"], "satuan": "%",
         "ci": (st["ll"], st["ul"]), "sumber": sumber,
         "label": "Prevalensi stunting (register e-PPGBM)"},
        {"kode": "jumlah_balita_stunting", "nilai": st["stunting"], "satuan": "anak",
         "sumber": sumber, "label": "Jumlah balita stunting (register)"},
        {"kode": "jumlah_balita_diukur", "nilai": st["anak"], "satuan": "anak",
         "sumber": sumber, "label": "Jumlah balita diukur"},
    ]
    if s.survei:
        out.append({"kode": "prevalensi_stunting_survei", "nilai": s.survei["pct"],
                    "satuan": "%", "sumber": f"{s.survei['sumber']} {s.survei['tahun']}",
                    "label": f"Prevalensi stunting (survei {s.survei['sumber']} "
                             f"{s.survei['tahun']})"})
    lok = lokus_terpilih(s)
    out.append({"kode": "jumlah_lokus_direkomendasikan", "nilai": len(lok), "satuan": "desa",
                "sumber": sumber, "label": "Desa lokus yang direkomendasikan: "
                + text.daftar(list(lok["nama_desa"]))})
    q = s.kualitas.iloc[0]
    out.append({"kode": "skor_kualitas_data", "nilai": q["skor"], "satuan": "poin",
                "sumber": sumber, "label": f"Skor kualitas data (SMART): {q['kategori']}"})
    return out


def lokus_json(s: Situasi) -> list[dict]:
    """The recommended lokus as plain records (code, name, kecamatan, rank, score)."""
    lok = lokus_terpilih(s)
    return [{"kode_desa": r.desa_code, "nama_desa": r.nama_desa,
             "kecamatan": r.nama_kecamatan, "peringkat": int(r.peringkat),
             "skor": round(float(r.skor), 1)} for r in lok.itertuples()]


# ------------------------------------------------------------------ tables ----

def _awal_kecil(words: str) -> str:
    """Lower-case the first letter for use mid-sentence, keeping acronyms (``KB``)."""
    words = str(words)
    if len(words) > 1 and words[:2].isupper():
        return words
    return words[:1].lower() + words[1:]


def _ci(ll, ul) -> list[str]:
    """CI cells without the unit (the header says ``(%)``), so narrow columns do not wrap."""
    return [text.rentang(a, b, unit="") for a, b in zip(ll, ul)]


def tabel_kecamatan(s: Situasi) -> pd.DataFrame:
    """Prevalence per kecamatan (every status, stunting with its 95 % CI)."""
    k = s.status_kec.sort_values("pct_stunting", ascending=False, na_position="last")
    total = s.status_kab.assign(nama_kecamatan="Seluruh kabupaten/kota")
    k = pd.concat([k, total], ignore_index=True)
    return pd.DataFrame({
        "Kecamatan": k["nama_kecamatan"],
        "Balita diukur": k["anak"].astype(int),
        "Stunting (anak)": k["jumlah_stunting"].astype(int),
        "Stunting (%)": k["pct_stunting"],
        "95 % CI (%)": _ci(k["ll_stunting"], k["ul_stunting"]),
        "Sangat pendek (%)": k["pct_sangat_pendek"],
        "Wasting (%)": k["pct_wasting"],
        "Underweight (%)": k["pct_underweight"],
        "Overweight (%)": k["pct_overweight"],
    })


def tabel_desa(s: Situasi, baris: pd.DataFrame | None = None) -> pd.DataFrame:
    """Prevalence per desa with CIs and the marks (little data, funnel hotspot).

    Parameters
    ----------
    baris : DataFrame, optional
        A subset of ``s.skor`` to show (default every desa, by kecamatan and name).
    """
    cfg = lk.settings()
    d = s.skor if baris is None else baris
    if baris is None:
        d = d.sort_values(["nama_kecamatan", "nama_desa"])
    st = s.status_desa.set_index("desa_code")
    st = st.reindex(d["desa_code"])
    catatan = []
    for row in d.itertuples():
        marks = []
        if row.anak == 0:
            marks.append("tidak ada data")
        elif row.data_sedikit:
            marks.append(f"< {cfg['min_anak']} anak")
        if row.posisi_funnel == "di atas 99,8 %":
            marks.append("titik rawan")
        catatan.append("; ".join(marks))
    return pd.DataFrame({
        "Desa/kelurahan": d["nama_desa"].to_numpy(),
        "Kecamatan": d["nama_kecamatan"].to_numpy(),
        "Diukur": d["anak"].astype(int).to_numpy(),
        "Sangat pendek": st["jumlah_sangat_pendek"].astype(int).to_numpy(),
        "Pendek": st["jumlah_pendek"].astype(int).to_numpy(),
        "Stunting (%)": st["pct_stunting"].to_numpy(),
        "95 % CI (%)": _ci(st["ll_stunting"], st["ul_stunting"]),
        "Wasting (%)": st["pct_wasting"].to_numpy(),
        "Underweight (%)": st["pct_underweight"].to_numpy(),
        "Overweight (%)": st["pct_overweight"].to_numpy(),
        "Catatan": catatan,
    })


def desa_teratas(s: Situasi, n: int | None = None) -> pd.DataFrame:
    """The ``n`` desa with the highest shrunk prevalence (enough data only; default
    ``baris_teratas`` of the config)."""
    n = n or int(settings()["baris_teratas"])
    d = s.skor[~s.skor["data_sedikit"]]
    return d.sort_values("pct_disesuaikan", ascending=False).head(n)


def desa_panjang(s: Situasi) -> bool:
    """True when the desa table is too long for the report body (full table in the annex)."""
    return len(s.wilayah) > int(settings()["maks_baris_desa"])


def tabel_umur_jk(s: Situasi, rinci: bool = False) -> pd.DataFrame:
    """Stunting, wasting, underweight, overweight by WHO age group and sex (anthro groups).

    Parameters
    ----------
    rinci : bool
        Also the 12 age × sex rows (for the annex); default the whole data set, the six
        age groups and the two sexes.
    """
    t = s.prevalensi
    if not rinci:
        t = t[~t["Group"].str.startswith("Age + sex")]
    label = (t["Group"].str.replace("Age group: ", "Umur ", regex=False)
             .str.replace("Age + sex: ", "Umur ", regex=False)
             .str.replace("Sex: Female", "Perempuan", regex=False)
             .str.replace("Sex: Male", "Laki-laki", regex=False)
             .str.replace(" mo.Female", " bln, perempuan", regex=False)
             .str.replace(" mo.Male", " bln, laki-laki", regex=False)
             .str.replace(" mo", " bln", regex=False)
             .str.replace("All", "Semua balita", regex=False))
    return pd.DataFrame({
        "Kelompok": label,
        "Balita": t["HAZ_pop"].astype(int),
        "Stunting (%)": t["HA_2_r"],
        "95 % CI (%)": _ci(t["HA_2_ll"], t["HA_2_ul"]),
        "Sangat pendek (%)": t["HA_3_r"],
        "Wasting (%)": t["WH_2_r"],
        "Underweight (%)": t["WA_2_r"],
        "Overweight (%)": t["WH2_r"],
        "Rata-rata z TB/U": t["HA_r"],
        "SD z TB/U": t["HA_stdev"],
    })


def tabel_pengukuran(s: Situasi) -> pd.DataFrame:
    """Children measured per kecamatan against the estimated balita."""
    p = s.pengukuran_kec
    return pd.DataFrame({
        "Kecamatan": p["nama_kecamatan"],
        "Balita diukur": p["diukur"].astype(int),
        "Perkiraan balita": p["perkiraan_balita"],
        "Cakupan pengukuran (%)": p["cakupan_pct"],
    })


def tabel_akuntansi(s: Situasi) -> pd.DataFrame:
    """The row accounting with Indonesian headers."""
    a = s.akuntansi
    return pd.DataFrame({"Keterangan": a["keterangan"], "Baris": a["baris"].astype(int),
                         "Persen": a["persen"]})


def tabel_cakupan_indikator(s: Situasi) -> pd.DataFrame:
    """District coverage per indicator against the 2024 target, largest gap first
    (short indicator labels; the full names are in the indicator catalogue)."""
    c = s.cakupan_indikator
    short = label_indikator()
    return pd.DataFrame({
        "Indikator": c["kode_indikator"].map(short).fillna(c["nama"]),
        "Jenis": c["jenis"].map(cov.JENIS_LABEL).fillna(c["jenis"]),
        "Sasaran": c["sasaran"].astype(int),
        "Capaian": c["capaian"].astype(int),
        "Cakupan (%)": c["cakupan_pct"],
        "Target 2024 (%)": c["target_pct"],
        "Kesenjangan (poin)": c["kesenjangan_pp"],
        "Desa di bawah target": [f"{a} dari {b}" if not pd.isna(t) else "–" for a, b, t in
                                 zip(c["desa_di_bawah_target"].astype(int), c["desa"].astype(int),
                                     c["target_pct"])],
    })


def tabel_kelompok_sasaran(s: Situasi) -> pd.DataFrame:
    """Target groups, most missed first."""
    k = s.kelompok_sasaran
    return pd.DataFrame({
        "Kelompok sasaran": k["kelompok"],
        "Indikator": k["indikator"].astype(int),
        "Cakupan gabungan (%)": k["cakupan_pct"],
        "Rata-rata kesenjangan (poin)": k["kesenjangan_rata_pp"],
        "Layanan belum diterima": k["layanan_belum_diterima"].astype(int),
    })


def tabel_cakupan_desa(s: Situasi) -> pd.DataFrame:
    """Per desa × indicator coverage and target, long form (for the annex)."""
    c = s.cakupan.merge(s.wilayah[["desa_code", "nama_desa", "nama_kecamatan"]],
                        left_on="kode_desa", right_on="desa_code", how="left")
    return pd.DataFrame({
        "Kode desa": c["kode_desa"], "Desa/kelurahan": c["nama_desa"],
        "Kecamatan": c["nama_kecamatan"], "Indikator": c["nama"],
        "Sasaran": c["sasaran"], "Capaian": c["capaian"], "Cakupan (%)": c["cakupan_pct"],
        "Target 2024 (%)": c["target_pct"], "Kesenjangan (poin)": c["kesenjangan_pp"],
    })


def tabel_bobot(s: Situasi) -> pd.DataFrame:
    """The weights of the lokus score as used (after dropping components without data)."""
    cfg = lk.settings()
    labels = cfg["label_komponen"]
    w_cfg = lk.normalised_weights(cfg["bobot"])
    w = s.skor.attrs.get("bobot", w_cfg)
    return pd.DataFrame({
        "Komponen": [labels[k] for k in lk.COMPONENTS],
        "Bobot di konfigurasi (%)": [w_cfg[k] * 100 for k in lk.COMPONENTS],
        "Bobot dipakai (%)": [w[k] * 100 for k in lk.COMPONENTS],
    })


def tabel_lokus(s: Situasi, n: int | None = None) -> pd.DataFrame:
    """The ranking with the score components (top ``n``; all when None)."""
    d = s.skor if n is None else s.skor.head(n)
    note = []
    for r in d.itertuples():
        marks = []
        if r.direkomendasikan:
            marks.append("lokus")
        if r.data_sedikit:
            marks.append("data sedikit")
        if r.posisi_funnel == "di atas 99,8 %":
            marks.append("titik rawan")
        note.append(", ".join(marks))
    return pd.DataFrame({
        "No.": d["peringkat"].astype(int),
        "Desa/kelurahan": d["nama_desa"],
        "Kecamatan": d["nama_kecamatan"],
        "Stunting / diukur": [f"{text.angka(a)} / {text.angka(b)}"
                              for a, b in zip(d["jumlah_stunting"], d["anak"])],
        "Prev. (%)": d["pct_stunting"],
        "Disesuaikan (%)": d["pct_disesuaikan"],
        "Perubahan (poin)": d["perubahan_pp"],
        "Kesenjangan (poin)": d["kesenjangan_rata_pp"],
        "Skor": d["skor"],
        "Ket.": note,
    })


def tabel_sensitivitas(s: Situasi) -> pd.DataFrame:
    """How many of the main top list stay under each alternative weight set."""
    p = s.sensitivitas
    cfg = lk.settings()
    sets = {"utama": cfg["bobot"], **cfg.get("bobot_alternatif", {})}
    heads = {"prevalensi": "Prevalensi (%)", "jumlah_stunting": "Jumlah kasus (%)",
             "kesenjangan_cakupan": "Cakupan (%)", "perubahan": "Perubahan (%)"}
    out = pd.DataFrame({"Set bobot": p["label"].to_numpy()})
    for k in lk.COMPONENTS:
        out[heads[k]] = [lk.normalised_weights(sets[key])[k] * 100 for key in p["bobot"]]
    out["Desa lokus"] = p["jumlah_lokus"].astype(int).to_numpy()
    out["Sama dengan daftar utama"] = p["sama_dengan_utama"].astype(int).to_numpy()
    return out


def tabel_banding_lokus(s: Situasi) -> pd.DataFrame:
    """Recommended lokus against the decreed ones."""
    c = s.lokus_ditetapkan
    status = c["status"].map({"tetap": "Tetap (ditetapkan dan direkomendasikan)",
                              "baru": "Baru (direkomendasikan, belum ditetapkan)",
                              "tidak direkomendasikan lagi": "Ditetapkan, tidak direkomendasikan",
                              "tanpa data pengukuran": "Ditetapkan, tanpa data pengukuran"})
    return pd.DataFrame({
        "Desa/kelurahan": c["nama_desa"].fillna(c["desa_code"]),
        "Kecamatan": c["nama_kecamatan"],
        "Peringkat": c["peringkat"].astype("Int64"),
        "Skor": c["skor"],
        "Status": status,
    })


def _tanpa_awalan(names: pd.Series, prefix: str) -> pd.Series:
    return names.astype(str).str.replace(f"^{prefix} ", "", regex=True)


def tabel_kualitas(s: Situasi) -> pd.DataFrame:
    """Quality score per puskesmas (first row the district) with its weak points."""
    q = s.kualitas
    label = (_tanpa_awalan(q["puskesmas"], "Puskesmas") if "puskesmas" in q
             else pd.Series(["Seluruh kabupaten/kota"]))
    return pd.DataFrame({
        "Puskesmas": label,
        "Anak": q["anak"].astype(int),
        "Skor": q["skor"],
        "Kategori": q["kategori"],
        "Kelemahan utama": [", ".join(qual.weak_points(r)[:3]) or "–" for _, r in q.iterrows()],
    })


def tabel_kualitas_rinci(s: Situasi) -> pd.DataFrame:
    """Every quality metric per puskesmas (first row the district), short headers."""
    q = s.kualitas
    label = (_tanpa_awalan(q["puskesmas"], "Puskesmas") if "puskesmas" in q
             else pd.Series(["Seluruh kabupaten/kota"]))
    return pd.DataFrame({
        "Puskesmas": label,
        "Flag WHO (%)": q["who_flag_pct"],
        "Flag BB/TB (%)": q["whz_flag_pct"],
        "SD TB/U": q["sd_haz"],
        "SD BB/TB": q["sd_whz"],
        "Skew BB/TB": q["skew_whz"],
        "Kurt BB/TB": q["kurt_whz"],
        "DPS BB": q["dps_berat"],
        "DPS TB": q["dps_tinggi"],
        "p rasio L/P": q["sex_ratio_p"],
        "p rasio umur": q["age_ratio_p"],
        "Heaping umur": q["heaping_umur"],
        "Duplikat": q["duplikat"].astype(int),
    })


def tabel_posyandu(s: Situasi) -> pd.DataFrame:
    """The posyandu with the worst plausibility score."""
    w = s.posyandu_terburuk
    if w.empty:
        return pd.DataFrame()
    return pd.DataFrame({
        "Posyandu": _tanpa_awalan(w["posyandu"], "Posyandu"), "Anak": w["anak"].astype(int),
        "Skor": w["skor"], "Kategori": w["kategori"],
        "Kelemahan utama": [", ".join(qual.weak_points(r)[:3]) for _, r in w.iterrows()],
    })


def intervensi_desa(s: Situasi, n_intervensi: int = 3) -> pd.DataFrame:
    """Recommended lokus with the reason from the data and the priority interventions.

    Returns
    -------
    DataFrame
        ``Desa/kelurahan, Alasan dari data, Intervensi prioritas``: the reason names the
        components that put the desa on the list; the interventions are the desa's
        ``n_intervensi`` largest coverage gaps (short labels, coverage → target).
    """
    lok = lokus_terpilih(s)
    kab = p0(s) * 100
    gaps = s.cakupan
    short = label_indikator()
    rows = []
    for r in lok.itertuples():
        why = [f"{text.angka(r.jumlah_stunting)} balita stunting dari {text.angka(r.anak)} "
               f"diukur ({text.persen(r.pct_stunting)}; kab/kota {text.persen(kab)})"]
        if r.posisi_funnel == "di atas 99,8 %":
            why.append("titik rawan nyata (di atas batas 99,8 %)")
        if not pd.isna(r.perubahan_pp) and r.perubahan_pp > 0.5:
            why.append(f"naik {text.poin_persen(r.perubahan_pp)} dari tahun lalu")
        if not pd.isna(r.kesenjangan_rata_pp):
            why.append(f"kesenjangan cakupan rata-rata {text.angka(r.kesenjangan_rata_pp, 1)} "
                       "poin")
        todo = ""
        if len(gaps):
            g = gaps[(gaps["kode_desa"] == r.desa_code) & (gaps["kesenjangan_pp"] > 0)]
            g = g.nlargest(n_intervensi, "kesenjangan_pp")
            todo = "; ".join(f"{short.get(row.kode_indikator, row.nama)} "
                             f"({text.angka(row.cakupan_pct, 0)} → {text.persen(row.target_pct, 0)})"
                             for row in g.itertuples())
        rows.append({"Desa/kelurahan": f"{r.nama_desa} ({r.nama_kecamatan})",
                     "Alasan dari data": "; ".join(why),
                     "Intervensi prioritas (cakupan → target)": todo or
                     ("data cakupan layanan tidak tersedia" if not len(gaps) else
                      "semua indikator mencapai target")})
    return pd.DataFrame(rows)


def baris_lokus(s: Situasi) -> int | None:
    """Rows of the ranking shown in the report body: the top list for long districts,
    all (None) otherwise."""
    return int(settings()["baris_teratas"]) if desa_panjang(s) else None


def tabel_kemendagri(s: Situasi, hanya_lokus: bool = False) -> pd.DataFrame:
    """Per desa in the shape the Kemendagri portal asks for.

    Columns: Kode desa, Desa/kelurahan (the code carries the kecamatan), Keluarga, Keluarga berisiko (KRS),
    Balita diukur, Sangat pendek (TB/U < −3), Pendek (−3 ≤ TB/U < −2), Prevalensi (%),
    Cakupan spesifik (%), Cakupan sensitif (%) (mean coverage of the desa's indicators).
    Missing inputs stay empty (never zero).
    """
    d = s.status_desa.sort_values(["nama_kecamatan", "nama_desa"])
    out = pd.DataFrame({
        "Kode desa": d["desa_code"].to_numpy(),
        "Desa/kelurahan": d["nama_desa"].to_numpy(),
    })
    if len(s.profil):
        p = s.profil.drop_duplicates("kode_desa", keep="last").set_index(
            s.profil.drop_duplicates("kode_desa", keep="last")["kode_desa"].astype(str))
        out["Keluarga"] = out["Kode desa"].map(p["jumlah_keluarga"]).astype("Int64")
        out["Keluarga berisiko (KRS)"] = out["Kode desa"].map(
            p["keluarga_berisiko_stunting"]).astype("Int64")
    else:
        out["Keluarga"] = pd.array([pd.NA] * len(out), dtype="Int64")
        out["Keluarga berisiko (KRS)"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out["Balita diukur"] = d["n_stunting"].astype(int).to_numpy()
    out["Sangat pendek"] = d["jumlah_sangat_pendek"].astype(int).to_numpy()
    out["Pendek"] = d["jumlah_pendek"].astype(int).to_numpy()
    out["Prevalensi (%)"] = d["pct_stunting"].to_numpy()
    if len(s.cakupan_desa):
        c = s.cakupan_desa.set_index("kode_desa")
        out["Cakupan spesifik (%)"] = out["Kode desa"].map(c["cakupan_spesifik_pct"])
        out["Cakupan sensitif (%)"] = out["Kode desa"].map(c["cakupan_sensitif_pct"])
    else:
        out["Cakupan spesifik (%)"] = np.nan
        out["Cakupan sensitif (%)"] = np.nan
    if hanya_lokus:
        out = out[out["Kode desa"].isin(lokus_terpilih(s)["desa_code"])].reset_index(drop=True)
    return out


# ------------------------------------------------------------------ sentences ----

def kalimat_prevalensi(s: Situasi) -> str:
    """Register prevalence with CI beside the survey figure, each labelled with its source."""
    st = stunting_kab(s)
    reg = (f"Menurut register e-PPGBM putaran {nama_periode(s.periode)}, "
           f"**{text.angka(st['stunting'])} dari {text.angka(st['n'])} balita** yang diukur "
           f"tergolong stunting (TB/U < −2 SD): prevalensi **{text.persen(st['pct'])}** "
           f"(95 % CI {text.rentang(st['ll'], st['ul'])}); {text.angka(st['sangat_pendek'])} "
           "di antaranya sangat pendek (TB/U < −3 SD).")
    if s.survei:
        sv = s.survei
        reg += (f" Angka survei terakhir untuk {s.nama} ({sv['sumber']} {sv['tahun']}, "
                f"{sv['keandalan']}) adalah **{text.persen(sv['pct'])}**. ")
        diff = sv["pct"] - st["pct"]
        if abs(diff) >= 1:
            arah = "lebih rendah" if diff > 0 else "lebih tinggi"
            reg += (f"Angka register {text.angka(abs(diff), 1)} poin persen {arah} dari angka "
                    "survei. Keduanya tidak dapat dicampur: survei memakai sampel rumah tangga "
                    "dan pengukur terlatih, register mencatat anak yang datang ke posyandu.")
        else:
            reg += "Angka register dan angka survei hampir sama, tetapi berasal dari sumber yang berbeda."
    else:
        reg += f" Tidak ada angka survei (SSGI/SKI) yang diterbitkan untuk {s.nama}."
    return reg


def kalimat_lokus(s: Situasi) -> str:
    """Which desa are recommended and what share of stunted children they hold."""
    lok = lokus_terpilih(s)
    total = int(s.status_kab.iloc[0]["jumlah_stunting"])
    k = int(lok["jumlah_stunting"].sum())
    share = k / total * 100 if total else float("nan")
    names = list(lok["nama_desa"])
    if len(names) > 10:
        names = names[:10] + [f"{text.angka(len(names) - 10)} desa/kelurahan lainnya "
                              "(daftar lengkap di bagian Lokus)"]
    return (f"Direkomendasikan **{text.angka(len(lok))} desa/kelurahan lokus**: "
            f"{text.daftar(names)}. Bersama-sama desa ini memiliki "
            f"{text.angka(k)} balita stunting yang terukur ({text.persen(share)} dari "
            f"{text.angka(total)} di seluruh {s.nama}).")


def kalimat_cakupan(s: Situasi) -> str:
    """The largest coverage gaps and the target group missed most."""
    if not len(s.cakupan_indikator):
        return ("Data cakupan layanan per desa (`cakupan_layanan`) tidak tersedia untuk tahun "
                f"{s.tahun}; kesenjangan cakupan tidak dapat dihitung dan tidak ikut dalam skor "
                "lokus.")
    c = s.cakupan_indikator[s.cakupan_indikator["kesenjangan_pp"] > 0].head(3)
    if c.empty:
        return "Semua indikator cakupan layanan telah mencapai target 2024 di tingkat kabupaten/kota."
    short = label_indikator()
    parts = [f"{short.get(r.kode_indikator, r.nama)} ({text.persen(r.cakupan_pct)} dari target "
             f"{text.persen(r.target_pct, 0)}; {text.angka(r.desa_di_bawah_target)} desa di "
             "bawah target)" for r in c.itertuples()]
    out = "Kesenjangan cakupan terbesar: " + text.daftar(parts, "dan") + "."
    if len(s.kelompok_sasaran):
        k = s.kelompok_sasaran.iloc[0]
        out += (f" Kelompok sasaran yang paling tertinggal adalah **{_awal_kecil(k['kelompok'])}** "
                f"(rata-rata {text.angka(k['kesenjangan_rata_pp'], 1)} poin di bawah target).")
    return out


def kalimat_kualitas(s: Situasi) -> str:
    """The data-quality verdict of the district."""
    return qual.verdict(s.kualitas.iloc[0])


def kalimat_data(s: Situasi) -> str:
    """Rows read/analysed/excluded and measurement coverage."""
    a = s.akuntansi
    read = int(a.iloc[0]["baris"])
    ok = int(a.iloc[1]["baris"])
    st = stunting_kab(s)
    tot = s.pengukuran_kec.iloc[-1]
    out = (f"Dari {text.angka(read)} baris e-PPGBM tahun {s.tahun} (semua putaran penimbangan), "
           f"{text.angka(ok)} dianalisis dan {text.angka(read - ok)} dikeluarkan dengan alasan "
           f"yang tercatat (lihat tabel akuntansi baris). Prevalensi tahunan memakai putaran terakhir "
           f"({nama_periode(s.periode)}): {text.angka(st['anak'])} balita, satu baris per anak.")
    if not pd.isna(tot["cakupan_pct"]):
        out += (f" Jumlah ini adalah {text.persen(tot['cakupan_pct'])} dari perkiraan "
                f"{text.angka(tot['perkiraan_balita'])} balita di profil desa.")
        low = s.pengukuran_kec.iloc[:-1].dropna(subset=["cakupan_pct"]).nsmallest(
            1, "cakupan_pct")
        if len(low):
            r = low.iloc[0]
            out += (f" Cakupan pengukuran terendah di Kecamatan {r['nama_kecamatan']} "
                    f"({text.persen(r['cakupan_pct'])}).")
    else:
        out += " Perkiraan jumlah balita per desa (profil desa) tidak tersedia."
    return out


def kalimat_funnel(s: Situasi) -> str:
    """How many desa stand out on the funnel plot, and how many have little data."""
    sk = s.skor
    hot = sk[sk["posisi_funnel"] == "di atas 99,8 %"]
    small = int(sk["data_sedikit"].sum())
    cfg = lk.settings()
    out = (f"{text.angka(len(hot))} dari {text.angka(len(sk))} desa/kelurahan berada di atas "
           "batas 99,8 % plot corong: prevalensinya terlalu tinggi untuk dijelaskan oleh "
           "kebetulan")
    if len(hot):
        out += " (" + text.daftar(list(hot.sort_values("z_funnel", ascending=False)
                                       ["nama_desa"].head(8))) + ")"
    out += (f". {text.angka(small)} desa/kelurahan memiliki kurang dari {cfg['min_anak']} "
            "balita terukur: angka prevalensinya sangat tidak pasti dan tidak dipakai sendiri "
            "untuk menentukan lokus.")
    return out


def rekomendasi(s: Situasi, maks: int = 5) -> list[str]:
    """3–5 recommendations written from the data, most important first."""
    out = []
    lok = lokus_terpilih(s)
    if len(lok):
        out.append(f"Tetapkan {text.angka(len(lok))} desa/kelurahan lokus hasil skor prioritas "
                   f"({text.daftar(list(lok['nama_desa'].head(6)))}"
                   f"{' dan lainnya' if len(lok) > 6 else ''}) dan arahkan paket intervensi "
                   "lengkap ke desa tersebut.")
    if len(s.cakupan_indikator):
        c = s.cakupan_indikator[s.cakupan_indikator["kesenjangan_pp"] > 0]
        if len(c):
            r = c.iloc[0]
            worst = s.cakupan[(s.cakupan["kode_indikator"] == r["kode_indikator"])]
            worst = worst.merge(s.wilayah[["desa_code", "nama_desa"]], left_on="kode_desa",
                                right_on="desa_code").nlargest(3, "kesenjangan_pp")
            name = label_indikator().get(r["kode_indikator"], r["nama"])
            out.append(f"Naikkan cakupan **{_awal_kecil(name)}** dari "
                       f"{text.persen(r['cakupan_pct'])} ke target {text.persen(r['target_pct'], 0)}"
                       f" ({text.angka(r['belum_terlayani'])} sasaran belum terlayani); "
                       f"mulai dari {text.daftar(list(worst['nama_desa']))}.")
        if len(s.kelompok_sasaran) and not pd.isna(s.kelompok_sasaran.iloc[0]["kesenjangan_rata_pp"]):
            k = s.kelompok_sasaran.iloc[0]
            if k["kesenjangan_rata_pp"] > 0:
                out.append(f"Perkuat layanan untuk **{_awal_kecil(k['kelompok'])}**, kelompok sasaran "
                           f"dengan kesenjangan rata-rata terbesar "
                           f"({text.angka(k['kesenjangan_rata_pp'], 1)} poin di bawah target).")
    tot = s.pengukuran_kec.iloc[-1]
    if not pd.isna(tot["cakupan_pct"]) and tot["cakupan_pct"] < 80:
        low = s.pengukuran_kec.iloc[:-1].dropna(subset=["cakupan_pct"]).nsmallest(2, "cakupan_pct")
        out.append(f"Tingkatkan cakupan penimbangan: baru {text.persen(tot['cakupan_pct'])} "
                   "balita yang diukur, terendah di Kecamatan "
                   f"{text.daftar(list(low['nama_kecamatan']))}; tanpa pengukuran lengkap "
                   "prevalensi register tidak mewakili seluruh balita.")
    q = s.kualitas.iloc[0]
    if q["kategori"] in ("Dapat diterima", "Bermasalah"):
        bad = s.kualitas.iloc[1:]
        bad = bad[bad["skor"].notna()].head(2)
        where = (" terutama di Puskesmas " + text.daftar(list(bad["puskesmas"])) if
                 len(bad) and "puskesmas" in bad else "")
        out.append(f"Perbaiki kualitas pengukuran{where} (skor kualitas data "
                   f"{text.angka(q['skor'])}, {q['kategori'].lower()}): kalibrasi alat, "
                   "pelatihan kader, dan baca tinggi badan sampai 0,1 cm.")
    if s.survei:
        diff = s.survei["pct"] - stunting_kab(s)["pct"]
        if diff > 5:
            out.append(f"Verifikasi kasus dan cakupan pengukuran: angka register "
                       f"{text.angka(diff, 1)} poin persen di bawah {s.survei['sumber']} "
                       f"{s.survei['tahun']}, tanda banyak balita stunting belum terukur atau "
                       "salah ukur.")
    hot = s.skor[s.skor["posisi_funnel"] == "di atas 99,8 %"]
    hot_not = hot[~hot["direkomendasikan"]]
    if len(hot_not):
        out.append(f"Lakukan audit kasus stunting di titik rawan yang belum masuk lokus: "
                   f"{text.daftar(list(hot_not['nama_desa'].head(5)))}.")
    if len(out) < 3:
        out.append(f"Ulangi analisis ini setiap putaran penimbangan (Februari dan Agustus) agar "
                   f"perubahan di {text.angka(len(s.skor))} desa/kelurahan dapat dipantau.")
    return out[:maks]


# ------------------------------------------------------------------ report helpers ----

def tabel_angka_kunci(s: Situasi) -> pd.DataFrame:
    """The one-glance figures of the summary, each with its source."""
    st = stunting_kab(s)
    src = f"e-PPGBM {nama_periode(s.periode)}"
    rows = [("Prevalensi stunting (register)",
             f"{text.persen(st['pct'])} (95 % CI {text.rentang(st['ll'], st['ul'])})", src)]
    if s.survei:
        rows.append((f"Prevalensi stunting (survei {s.survei['sumber']})",
                     text.persen(s.survei["pct"]),
                     f"{s.survei['sumber']} {s.survei['tahun']} ({s.survei['keandalan']})"))
    rows += [
        ("Balita stunting (register)", f"{text.angka(st['stunting'])} anak", src),
        ("Balita diukur", f"{text.angka(st['anak'])} anak", src),
        ("Desa/kelurahan lokus yang direkomendasikan",
         f"{text.angka(len(lokus_terpilih(s)))} dari {text.angka(len(s.skor))}",
         "skor prioritas (bagian Lokus)"),
        ("Kualitas data pengukuran",
         f"{s.kualitas.iloc[0]['kategori']} (skor {text.angka(s.kualitas.iloc[0]['skor'])})",
         "uji plausibilitas SMART"),
    ]
    return pd.DataFrame(rows, columns=["Ukuran", "Nilai", "Sumber"])


def tabel_sumber(s: Situasi) -> pd.DataFrame:
    """Data sources, their dates, and whether they were supplied."""
    rows = [(k, v) for k, v in sumber_data(s).items()]
    for m in s.hilang:
        rows.append((f"Tabel {m.split(':')[0]}", "tidak tersedia"))
    return pd.DataFrame(rows, columns=["Sumber", "Keterangan"])


def kalimat_hilang(s: Situasi) -> str:
    """A warning naming the tables that were not supplied ('' when none)."""
    if not s.hilang:
        return ""
    names = sorted({m.split(":")[0] for m in s.hilang})
    return ("Tabel berikut tidak tersedia untuk tahun ini: "
            + text.daftar([f"`{n}`" for n in names])
            + ". Bagian yang memerlukannya menyebutkan keterbatasan ini; nilai yang hilang "
              "tidak pernah diisi nol.")


def kalimat_prevalensi_wilayah(s: Situasi) -> str:
    """Which kecamatan have the highest and lowest stunting prevalence."""
    k = s.status_kec[s.status_kec["n_stunting"] > 0].sort_values("pct_stunting")
    if k.empty:
        return "Tidak ada balita terukur per kecamatan."
    hi, lo = k.iloc[-1], k.iloc[0]
    out = (f"Prevalensi stunting tertinggi di Kecamatan **{hi['nama_kecamatan']}** "
           f"({text.persen(hi['pct_stunting'])}, 95 % CI "
           f"{text.rentang(hi['ll_stunting'], hi['ul_stunting'])}; "
           f"{text.angka(hi['jumlah_stunting'])} anak)")
    if len(k) > 1:
        out += (f" dan terendah di Kecamatan {lo['nama_kecamatan']} "
                f"({text.persen(lo['pct_stunting'])}).")
    else:
        out += "."
    big = s.status_kec.sort_values("jumlah_stunting").iloc[-1]
    if big["kec_code"] != hi["kec_code"]:
        out += (f" Jumlah balita stunting terbanyak ada di Kecamatan {big['nama_kecamatan']} "
                f"({text.angka(big['jumlah_stunting'])} anak).")
    kab = s.status_kab.iloc[0]
    out += (f" Di tingkat {s.nama}: wasting {text.persen(kab['pct_wasting'])}, underweight "
            f"{text.persen(kab['pct_underweight'])}, overweight "
            f"{text.persen(kab['pct_overweight'])}.")
    return out


def kalimat_umur(s: Situasi) -> str:
    """Where in the age range stunting is highest (WHO age groups)."""
    t = s.prevalensi
    ages = t[t["Group"].str.startswith("Age group: ")].dropna(subset=["HA_2_r"])
    if ages.empty:
        return ""
    top = ages.loc[ages["HA_2_r"].idxmax()]
    label = top["Group"].replace("Age group: ", "").replace(" mo", " bulan")
    sexes = t.set_index("Group")
    boys = sexes.loc["Sex: Male", "HA_2_r"] if "Sex: Male" in sexes.index else np.nan
    girls = sexes.loc["Sex: Female", "HA_2_r"] if "Sex: Female" in sexes.index else np.nan
    return (f"Menurut kelompok umur WHO, prevalensi stunting tertinggi pada umur {label} "
            f"({text.persen(top['HA_2_r'])}). Laki-laki {text.persen(boys)}, perempuan "
            f"{text.persen(girls)}. Rata-rata nilai z TB/U {text.angka(t.iloc[0]['HA_r'], 2)} "
            f"dengan SD {text.angka(t.iloc[0]['HA_stdev'], 2)} (standar WHO: rata-rata 0, SD 1).")


def haz_bersih(s: Situasi) -> pd.Series:
    """HAZ of the year's children with WHO-flagged values removed."""
    z = pd.to_numeric(s.ukur["haz"], errors="coerce")
    if "haz_flag" in s.ukur:
        z = z.mask(s.ukur["haz_flag"].fillna(False).astype(bool))
    return z.dropna()


def nilai_peta(s: Situasi, level: str) -> pd.DataFrame:
    """``kode`` and ``pct`` (stunting, percent; shrunk for desa) for the maps.

    Desa values are the empirical-Bayes adjusted prevalence, so that a desa with a handful
    of children does not colour the map on noise; desa without measurements stay empty.
    """
    if level == "kecamatan":
        k = s.status_kec
        return pd.DataFrame({"kode": k["kec_code"], "pct": k["pct_stunting"]})
    d = s.skor
    return pd.DataFrame({"kode": d["desa_code"],
                         "pct": d["pct_disesuaikan"].where(d["anak"] > 0)})


def tabel_kecamatan_grafik(s: Situasi) -> pd.DataFrame:
    """Kecamatan stunting prevalence with CI limits, for the bar chart."""
    k = s.status_kec
    return pd.DataFrame({"nama": k["nama_kecamatan"], "pct": k["pct_stunting"],
                         "ll": k["ll_stunting"], "ul": k["ul_stunting"]})


def funnel_data(s: Situasi) -> pd.DataFrame:
    """Per desa ``n_stunting``, ``jumlah_stunting``, ``nama_desa`` for the funnel plot."""
    return s.skor[["n_stunting", "jumlah_stunting", "nama_desa"]]


def p0(s: Situasi) -> float:
    """District stunting proportion (fraction) used by the funnel and the shrinkage."""
    return float(s.skor.attrs.get("p0", np.nan))


def label_indikator() -> dict[str, str]:
    """Short indicator labels for charts."""
    return dict(settings().get("label_indikator", {}))


def label_desa(s: Situasi) -> pd.Series:
    """Desa code → name."""
    return s.wilayah.set_index("desa_code")["nama_desa"]


def kalimat_metode_lokus(s: Situasi) -> str:
    """How the score works, with the numbers of this district."""
    cfg = lk.settings()
    m = s.skor.attrs.get("m", np.inf)
    k = lk.number_of_lokus(len(s.skor), cfg)
    shrink = ("Perbedaan prevalensi antardesa tidak lebih besar daripada yang dapat terjadi "
              "karena kebetulan, sehingga prevalensi semua desa disamakan dengan angka "
              "kabupaten/kota dan tidak ikut menentukan urutan."
              if not np.isfinite(m) else
              f"Prevalensi setiap desa disesuaikan ke arah angka kabupaten/kota "
              f"({text.persen(p0(s) * 100)}) dengan bobot setara {text.angka(m)} anak: desa "
              "dengan sedikit anak terukur bergeser paling jauh, desa besar hampir tidak "
              "bergeser (metode Bayes empiris).")
    out = (f"Setiap komponen diubah ke skala 0–1 di antara desa/kelurahan (0 = terendah, 1 = "
           f"tertinggi), dikalikan bobotnya, dan dijumlahkan menjadi skor 0–100. {shrink} "
           f"Desa dengan kurang dari {cfg['min_anak']} balita terukur ditandai \"data "
           f"sedikit\" dan tidak direkomendasikan otomatis. Jumlah lokus yang direkomendasikan: "
           f"{text.angka(k)} ({text.persen(float(cfg['proporsi_lokus']) * 100, 0)} dari "
           f"{text.angka(len(s.skor))} desa/kelurahan, minimal {cfg['min_lokus']}).")
    if not s.ada_tahun_lalu:
        out += (" Data tahun lalu tidak tersedia, sehingga komponen perubahan tidak dipakai dan "
                "bobotnya dibagi ke komponen lain.")
    elif not (s.skor["perubahan_pp"] > 0).any():
        out += (" Tidak ada desa/kelurahan yang prevalensinya (disesuaikan) naik dibandingkan "
                "tahun lalu, sehingga komponen kenaikan bernilai 0 untuk semua desa.")
    else:
        up = int((s.skor["perubahan_pp"] > 0).sum())
        out += (f" {text.angka(up)} desa/kelurahan mengalami kenaikan prevalensi (disesuaikan) "
                "dibandingkan tahun lalu; hanya kenaikan yang menambah skor.")
    if not len(s.cakupan_desa):
        out += (" Data cakupan layanan tidak tersedia, sehingga komponen kesenjangan cakupan "
                "tidak dipakai.")
    return out


def kalimat_sensitivitas(s: Situasi) -> str:
    """How stable the top list is across weight sets."""
    p = s.sensitivitas
    alt = p.iloc[1:]
    if alt.empty:
        return ""
    k = int(p.iloc[0]["jumlah_lokus"])
    lo = int(alt["sama_dengan_utama"].min())
    per = s.sensitivitas_desa
    stable = per[per["masuk_daftar"] == per["jumlah_set"]]
    names = s.skor.set_index("desa_code")["nama_desa"]
    out = (f"Di bawah {text.angka(len(alt))} set bobot alternatif, paling sedikit "
           f"{text.angka(lo)} dari {text.angka(k)} desa lokus utama tetap terpilih.")
    if len(stable):
        out += (f" {text.angka(len(stable))} desa selalu terpilih apa pun bobotnya: "
                f"{text.daftar(list(stable['desa_code'].map(names).head(10)))}"
                f"{' dan lainnya' if len(stable) > 10 else ''} — pilihan ini kuat.")
    return out


def kalimat_banding(s: Situasi) -> str:
    """Recommended lokus against the decreed ones, with the province rubric share."""
    if s.tahun_lokus is None:
        return ("Daftar desa lokus yang ditetapkan (SK) tidak tersedia, sehingga rekomendasi "
                "tidak dapat dibandingkan.")
    c = s.lokus_ditetapkan
    n = {k: int((c["status"] == k).sum()) for k in
         ("tetap", "baru", "tidak direkomendasikan lagi", "tanpa data pengukuran")}
    decreed = n["tetap"] + n["tidak direkomendasikan lagi"] + n["tanpa data pengukuran"]
    share = lk.decreed_share_high_burden(s.skor, c[c["ditetapkan"]].rename(
        columns={"desa_code": "kode_desa"}))
    out = (f"Lokus yang ditetapkan untuk tahun {s.tahun_lokus}: {text.angka(decreed)} "
           f"desa/kelurahan. {text.angka(n['tetap'])} di antaranya juga direkomendasikan "
           f"sekarang, {text.angka(n['tidak direkomendasikan lagi'])} tidak lagi "
           f"direkomendasikan, dan {text.angka(n['baru'])} desa baru diusulkan.")
    if not pd.isna(share):
        out += (f" {text.persen(share, 0)} lokus yang ditetapkan berada di separuh atas menurut "
                "jumlah kasus atau prevalensi (rubrik penilaian kinerja: A bila 100 %).")
    return out


def kalimat_kualitas_singkat(s: Situasi) -> str:
    """The verdict's first two sentences (for the one-page summary)."""
    q = s.kualitas.iloc[0]
    if pd.isna(q["skor"]):
        return qual.verdict(q)
    cfg = qual.settings()
    return (f"Skor kualitas data {text.angka(q['skor'])} (**{q['kategori']}**). "
            + cfg["putusan"][q["kategori"]])


def kalimat_dua_angka(s: Situasi) -> str:
    """Two short sentences for the summary: register and survey, each with its source."""
    st = stunting_kab(s)
    out = (f"Register e-PPGBM ({nama_periode(s.periode)}) mencatat **{text.angka(st['stunting'])} "
           f"balita stunting**, prevalensi **{text.persen(st['pct'])}** (95 % CI "
           f"{text.rentang(st['ll'], st['ul'])}).")
    if s.survei:
        sv = s.survei
        out += (f" Survei {sv['sumber']} {sv['tahun']} mencatat **{text.persen(sv['pct'])}** "
                f"({sv['keandalan']}). Kedua angka berasal dari sumber yang berbeda dan tidak "
                "dicampur; angka survei dipakai untuk target nasional, angka register untuk "
                "menemukan desa dan anak.")
    return out


def kode_sorot(s: Situasi, maks: int = 12) -> list[str]:
    """Desa named on the desa map: the recommended lokus and the funnel hotspots, at most
    ``maks`` (highest rank first; more names than that make a dense map unreadable)."""
    d = s.skor
    d = d[d["direkomendasikan"] | (d["posisi_funnel"] == "di atas 99,8 %")]
    return list(d.sort_values("peringkat")["desa_code"].head(maks))
