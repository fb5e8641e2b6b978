"""Data assembly of the publication site: every number the site shows, before the small-count rule.

This is the only module of :mod:`analysis.publikasi` that computes indicators, and it computes
none itself: it calls the indicator layer the reports use.

* the annual set of measurements: :func:`analysis.dataset.measurements_for_year` (the year's last
  weighing round, one row per child);
* counts, prevalence and Wilson intervals per kecamatan, puskesmas and desa/kelurahan:
  :func:`analysis.prevalence.status_counts`;
* the district's headline stunting figure and its yearly series: :func:`analysis.trend.register_prevalence`
  / :func:`analysis.trend.register_annual` (WHO anthro rules and interval, as in the reports);
* survey figures: :func:`analysis.trend.survey_series` on :func:`analysis.reference.survey_prevalence`;
* names and codes of the units: :mod:`analysis.reference`.

When the report layer exposes its shared headline function, :func:`kumpulkan` is the one place to
point at it. Percentages are percent (0–100); codes are Kemendagri codes (``"64.74.01.1001"``).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config, dataset, reference, text, trend
from analysis.errors import DataUnavailableError, InputFileError
from analysis.laporan import bersama
from analysis.prevalence import STATUS, status_counts
from analysis.publikasi.pengaturan import pengaturan

#: The five statuses, in the order the site shows them.
STATUSES: tuple[str, ...] = tuple(STATUS)
#: The levels of the site's tables, from the whole district down.
LEVELS: tuple[str, ...] = ("kabupaten", "kecamatan", "puskesmas", "desa")
#: Group label of children whose export row names no puskesmas.
TANPA_PUSKESMAS = "(puskesmas tidak diisi)"
#: Columns of every level table (after ``kode, nama, induk, jenis``).
STATUS_COLUMNS: list[str] = ["anak"] + [f"{p}_{s}" for s in STATUSES
                                        for p in ("n", "jumlah", "pct", "ll", "ul")]


@dataclass
class DataSitus:
    """Everything the site of one district and year shows, unsuppressed.

    Attributes
    ----------
    kab, nama : str
        District code and name.
    tahun : int
        Year published.
    periode : str
        The weighing round of the annual figures (``"2024-08"``).
    tabel : dict of str to DataFrame
        Per level (:data:`LEVELS`): ``kode, nama, induk`` (kecamatan of a desa, kecamatan of the
        children of a puskesmas), ``jenis`` (desa/kelurahan), ``kec_code`` (desa only), the
        :data:`STATUS_COLUMNS` of :func:`analysis.prevalence.status_counts` (``anak`` = children
        measured) and ``perkiraan_balita`` (estimated balita of the village profile, NaN when
        not supplied). Desa and kecamatan: every unit of the Kemendagri list (``anak`` 0 when
        nobody was measured).
    lalu : dict of str to DataFrame, or None
        The same status columns for the previous year (None without measurements that year).
    periode_lalu : str or None
    komponen_puskesmas : list of (list of str, list of str)
        Groups of puskesmas and desa whose children are the same: the sum over the puskesmas of a
        group equals the sum over its desa (used by the small-count rule); ``komponen_lalu``
        the same for the previous year.
    utama : dict
        The headline stunting figure: :func:`analysis.trend.register_prevalence` of the year
        (``n``, ``stunting``, ``prevalensi``, ``ci_bawah``, ``ci_atas``).
    register : DataFrame
        :func:`analysis.trend.register_annual` for every year up to ``tahun``.
    survei : DataFrame
        The district's published survey figures up to ``tahun``: ``tahun, sumber, survei,
        prevalensi, keandalan`` (code) and ``rujukan`` (URL).
    target : dict or None
        The district's own target of the year: ``target_pct``, ``sumber``.
    akuntansi : DataFrame
        Row accounting of the year's e-PPGBM rows: ``kode`` (``dibaca``, ``dianalisis`` or an
        exclusion reason code), ``keterangan`` (words), ``baris``.
    baris_putaran : int
        Analysed rows of the last round (a child measured twice in the round counts once).
    tahun_profil : int or None
        Year of the village profile used for the estimated balita.
    identitas : dict of str to str
        Public contact fields of the identity table (``publikasi.yaml`` ``identitas``).
    lambang : Path or None
        The district's emblem image, if supplied.
    hilang : list of str
        Tables missing for the year (``DistrictData.missing``).
    """

    kab: str
    nama: str
    tahun: int
    periode: str
    tabel: dict[str, pd.DataFrame]
    lalu: dict[str, pd.DataFrame] | None
    periode_lalu: str | None
    komponen_puskesmas: list[tuple[list[str], list[str]]]
    komponen_lalu: list[tuple[list[str], list[str]]]
    utama: dict
    register: pd.DataFrame
    survei: pd.DataFrame
    target: dict | None
    akuntansi: pd.DataFrame
    baris_putaran: int
    tahun_profil: int | None
    identitas: dict[str, str] = field(default_factory=dict)
    lambang: Path | None = None
    hilang: list[str] = field(default_factory=list)


def nama_periode(periode: str) -> str:
    """``"2024-08"`` → ``"Agustus 2024"``."""
    try:
        return text.tanggal(_dt.date(int(periode[:4]), int(periode[5:7]), 1), fmt="MMMM y")
    except (TypeError, ValueError):
        return str(periode)


def _counts(frame: pd.DataFrame, names: pd.DataFrame, key: str) -> pd.DataFrame:
    """``status_counts`` by ``key`` joined onto every unit of ``names`` (zeros where none)."""
    counted = status_counts(frame, by=key).rename(columns={key: "kode"})
    out = names.merge(counted, on="kode", how="left")
    ints = [c for c in out.columns if c == "anak" or c.startswith(("n_", "jumlah_"))]
    out[ints] = out[ints].fillna(0).astype(int)
    return out


def _puskesmas(ukur: pd.DataFrame) -> pd.Series:
    name = ukur["puskesmas"].astype("string").str.strip() if "puskesmas" in ukur else \
        pd.Series(pd.NA, index=ukur.index, dtype="string")
    return name.mask(name.isna() | (name == ""), TANPA_PUSKESMAS)


def tabel_tingkat(ukur: pd.DataFrame, kab: str, nama: str) -> dict[str, pd.DataFrame]:
    """Status counts per level for one year's measurements.

    Parameters
    ----------
    ukur : DataFrame
        ``measurements_for_year``: one row per child, ``desa_code, kec_code, puskesmas`` and the
        growth columns.
    kab, nama : str

    Returns
    -------
    dict of str to DataFrame
        See :attr:`DataSitus.tabel` (without ``perkiraan_balita``).
    """
    v = reference.villages(kab)
    desa_names = pd.DataFrame({
        "kode": v["village_code"].astype(str), "nama": v["village_name"].astype(str),
        "induk": v["district_name"].astype(str), "jenis": v["village_type"].astype(str),
        "kec_code": v["district_code"].astype(str)})
    k = reference.kecamatan(kab)
    kec_names = pd.DataFrame({"kode": k["district_code"].astype(str),
                              "nama": k["district_name"].astype(str), "induk": "", "jenis": "kecamatan"})
    work = ukur.assign(puskesmas=_puskesmas(ukur))
    kec_of = dict(zip(kec_names["kode"], kec_names["nama"], strict=True))
    pk = work.groupby("puskesmas")["kec_code"].agg(
        lambda s: text.daftar([kec_of.get(c, c) for c in s.value_counts().index]))
    pkm_names = pd.DataFrame({"kode": pk.index.astype(str), "nama": pk.index.astype(str),
                              "induk": pk.to_numpy(), "jenis": "puskesmas"})
    kind = reference.regencies().set_index("regency_code").loc[kab, "regency_type"]
    whole = status_counts(work).assign(kode=kab, nama=nama, induk="", jenis=str(kind))
    tables = {
        "kabupaten": whole,
        "kecamatan": _counts(work, kec_names, "kec_code"),
        "puskesmas": _counts(work, pkm_names, "puskesmas"),
        "desa": _counts(work, desa_names, "desa_code"),
    }
    lead = ["kode", "nama", "induk", "jenis"]
    for level, t in tables.items():
        extra = ["kec_code"] if level == "desa" else []
        tables[level] = t[lead + extra + STATUS_COLUMNS].reset_index(drop=True)
    return tables


def komponen_puskesmas(ukur: pd.DataFrame) -> list[tuple[list[str], list[str]]]:
    """Connected groups of puskesmas and desa in the children's rows.

    Two puskesmas share a group when their children live in a common desa; the children of a
    group's puskesmas are then exactly the children of its desa, so a published puskesmas total
    minus published desa figures could reveal a hidden desa figure.

    Returns
    -------
    list of (puskesmas names, desa codes), each sorted.
    """
    pairs = pd.DataFrame({"p": _puskesmas(ukur).astype(str), "d": ukur["desa_code"].astype(str)})
    pairs = pairs.drop_duplicates()
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(x: tuple[str, str]) -> tuple[str, str]:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p, d in pairs.itertuples(index=False):
        a, b = find(("p", p)), find(("d", d))
        if a != b:
            parent[a] = b
    groups: dict[tuple[str, str], tuple[list[str], list[str]]] = {}
    for node in list(parent):
        pus, des = groups.setdefault(find(node), ([], []))
        (pus if node[0] == "p" else des).append(node[1])
    return sorted((sorted(p), sorted(d)) for p, d in groups.values())


def _year_rows(frame: pd.DataFrame, tahun: int, latest: bool = False) -> pd.DataFrame:
    if frame is None or frame.empty or "tahun" not in frame:
        return pd.DataFrame()
    t = pd.to_numeric(frame["tahun"], errors="coerce")
    if latest:
        t_ok = t[t <= tahun]
        return frame[t == t_ok.max()] if len(t_ok) else frame.iloc[0:0]
    return frame[t == tahun]


def perkiraan_balita(data: dataset.DistrictData, tahun: int) -> tuple[pd.Series, int | None]:
    """Estimated balita per desa code from the village profile of the year (or the latest earlier).

    Returns
    -------
    (Series indexed by desa code, year of the profile or None)
    """
    prof = _year_rows(data.profil_desa, tahun, latest=True)
    if prof.empty or "perkiraan_balita" not in prof:
        return pd.Series(dtype=float), None
    est = pd.to_numeric(prof["perkiraan_balita"], errors="coerce")
    est.index = prof["kode_desa"].astype(str)
    return est.groupby(level=0).sum(min_count=1), int(pd.to_numeric(prof["tahun"]).max())


def _with_estimates(tables: dict[str, pd.DataFrame], est: pd.Series) -> None:
    """Add ``perkiraan_balita`` to the desa, kecamatan and district tables (NaN where unknown)."""
    desa = tables["desa"]
    desa["perkiraan_balita"] = desa["kode"].map(est).astype(float)
    by_kec = desa.groupby("kec_code")["perkiraan_balita"].sum(min_count=1)
    tables["kecamatan"]["perkiraan_balita"] = tables["kecamatan"]["kode"].map(by_kec).astype(float)
    tables["kabupaten"]["perkiraan_balita"] = desa["perkiraan_balita"].sum(min_count=1)
    tables["puskesmas"]["perkiraan_balita"] = np.nan  # a puskesmas area is not in the profile


def akuntansi(data: dataset.DistrictData, tahun: int) -> pd.DataFrame:
    """Row accounting of the year: rows read, analysed, and excluded by reason (most frequent first).

    Returns
    -------
    DataFrame
        ``kode, keterangan, baris``.
    """
    acc = _year_rows(data.accounting, tahun)
    rows = [{"kode": "dibaca", "keterangan": "Baris dibaca", "baris": len(acc)},
            {"kode": "dianalisis", "keterangan": "Dianalisis",
             "baris": int((acc["status"] == "dianalisis").sum()) if len(acc) else 0}]
    if len(acc):
        ex = acc[acc["status"] != "dianalisis"]
        by = ex.groupby(ex["alasan_kode"].astype(str)).agg(
            baris=("status", "size"), keterangan=("alasan", "first")).sort_values(
            ["baris"], ascending=False, kind="stable")
        rows += [{"kode": code, "keterangan": str(r.keterangan), "baris": int(r.baris)}
                 for code, r in by.iterrows()]
    return pd.DataFrame(rows, columns=["kode", "keterangan", "baris"])


def survei(kab: str, tahun: int) -> pd.DataFrame:
    """The district's survey figures up to ``tahun`` with reliability code and source URL."""
    raw = reference.survey_prevalence()
    series = trend.survey_series(raw, kab)
    ref = raw[raw["area_code"].astype(str) == kab].set_index(["year", "source"])["reference"]
    series["rujukan"] = [str(ref.get((t, s), "")) for t, s in zip(series["tahun"], series["survei"], strict=True)]
    return series[(series["tahun"] <= tahun) & series["prevalensi"].notna()].reset_index(drop=True)


def _target(data: dataset.DistrictData, tahun: int) -> dict | None:
    t = _year_rows(data.targets, tahun)
    if t.empty or pd.isna(pd.to_numeric(t["target_pct"], errors="coerce").iloc[0]):
        return None
    row = t.iloc[0]
    sumber = row.get("sumber")
    return {"target_pct": float(row["target_pct"]),
            "sumber": "" if sumber is None or pd.isna(sumber) else str(sumber)}


def _candidates(data_root: Path | None, kab: str, tahun: int) -> list[Path]:
    root = Path(data_root) if data_root is not None else config.DEMO_DIR
    return [root / kab / str(tahun), root / kab]


def baca_identitas(folders: list[Path]) -> dict[str, str]:
    """Public contact fields of ``identitas.csv``/``.xlsx`` (first folder that has one).

    Two shapes are accepted: one row with a column per field (``tpps_nama, tpps_sekretariat,
    tpps_telepon, tpps_surel, tpps_situs``), or two columns ``kunci, nilai`` with a row per
    field. Other columns or keys are ignored and never published.

    Raises
    ------
    InputFileError
        The file exists but is not a readable table.
    """
    fields = pengaturan().identitas
    for folder in folders:
        for name in ("identitas.csv", "identitas.xlsx"):
            path = folder / name
            if not path.is_file():
                continue
            try:
                if path.suffix == ".csv":
                    t = pd.read_csv(path, dtype=str, sep=None, engine="python", encoding="utf-8-sig",
                                    keep_default_na=False)
                else:
                    t = pd.read_excel(path, dtype=str).fillna("")
            except (ValueError, OSError, UnicodeDecodeError) as exc:
                raise InputFileError(path, f"tidak dapat dibaca sebagai tabel ({type(exc).__name__}).") from None
            t.columns = [str(c).strip().lower() for c in t.columns]
            if {"kunci", "nilai"} <= set(t.columns):
                pairs = dict(zip(t["kunci"].str.strip().str.lower(), t["nilai"].str.strip(), strict=True))
            elif len(t):
                pairs = {c: str(t.iloc[0][c]).strip() for c in t.columns}
            else:
                pairs = {}
            return {k: pairs[k] for k in fields if pairs.get(k)}
    return {}


def cari_lambang(folders: list[Path]) -> Path | None:
    """The emblem image (``publikasi.yaml`` ``lambang`` names), first match, or None."""
    for folder in folders:
        for name in pengaturan().lambang:
            if (folder / name).is_file():
                return folder / name
    return None


def kumpulkan(data: dataset.DistrictData, tahun: int, data_root: Path | None = None) -> DataSitus:
    """Assemble the site's numbers for one district and year.

    Parameters
    ----------
    data : DistrictData
        ``analysis.dataset.load_district``.
    tahun : int
    data_root : Path, optional
        The data root the district was read from (for the identity table and the emblem);
        None means the demo data.

    Raises
    ------
    DataUnavailableError
        No analysed measurement in ``tahun``.
    """
    ukur = dataset.measurements_for_year(data, tahun)
    periode = str(ukur["periode"].max())
    tables = tabel_tingkat(ukur, data.kab, data.nama)
    est, tahun_profil = perkiraan_balita(data, tahun)
    _with_estimates(tables, est)
    try:
        ukur_lalu = dataset.measurements_for_year(data, tahun - 1)
    except DataUnavailableError:
        lalu, periode_lalu, komponen_lalu = None, None, []
    else:
        lalu, periode_lalu = tabel_tingkat(ukur_lalu, data.kab, data.nama), str(ukur_lalu["periode"].max())
        komponen_lalu = komponen_puskesmas(ukur_lalu)
    years = [y for y in sorted(pd.unique(data.measurements["tahun"]).tolist()) if int(y) <= tahun]
    m = data.measurements
    folders = _candidates(data_root, data.kab, tahun)
    return DataSitus(
        kab=data.kab, nama=data.nama, tahun=int(tahun), periode=periode, tabel=tables,
        lalu=lalu, periode_lalu=periode_lalu, komponen_puskesmas=komponen_puskesmas(ukur),
        komponen_lalu=komponen_lalu,
        utama=trend.register_prevalence(ukur), register=bersama.register_tahunan(data, years),
        survei=survei(data.kab, tahun), target=_target(data, tahun), akuntansi=akuntansi(data, tahun),
        baris_putaran=int(((m["tahun"] == tahun) & (m["periode"] == periode)).sum()),
        tahun_profil=tahun_profil, identitas=baca_identitas(folders), lambang=cari_lambang(folders),
        hilang=[x for x in data.missing if ":" not in x or x.endswith(f":{tahun}")],
    )


def muat(kab: str, tahun: int, data_root: Path | None = None) -> DataSitus:
    """:func:`kumpulkan` after :func:`analysis.dataset.load_district`."""
    return kumpulkan(dataset.load_district(kab, data_root), tahun, data_root)
