"""The single copy of every piece two reports share.

A report package (``analisis_situasi``, ``reviu_kinerja``, ``studi_tiru``, and those still
to come) never imports another; what two of them need is written once, here or lower down:

- selecting a table's rows of a year (:func:`baris_tahun`, :func:`baris_terakhir`); the
  missing-table list of a year is :meth:`analysis.dataset.DistrictData.tabel_hilang`, beside
  the code that writes that list;
- the district headline every report opens with (:class:`AngkaRegister`,
  :func:`angka_register`) and the annual register series (:func:`register_tahunan`);
- the latest published survey figure (:class:`Survei`, :func:`survei_terakhir`);
- the district's desa, kecamatan, population and short name (calls into
  :mod:`analysis.reference`);
- the confidence level as readers see it (:func:`label_tingkat`).

Elsewhere, once: statuses as codes and their words (:mod:`analysis.kode`), formatting of
numbers, percentages, signed values and weighing rounds (:mod:`analysis.text`), intervals and
funnel positions (:mod:`analysis.stats`), settings (:mod:`analysis.pengaturan`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, cast

import pandas as pd

from analysis import reference, text, trend
from analysis.dataset import DistrictData, measurements_for_year
from analysis.kode import Keandalan


# --------------------------------------------------------------------------- rows
def baris(frame: pd.DataFrame) -> Iterator[Any]:
    """The rows of a table as named tuples (``r.nama``), for building sentences and tables.

    Typed loosely on purpose: a row's fields are whatever the frame's columns hold.
    """
    return frame.itertuples()


# --------------------------------------------------------------------------- rows of a year
def baris_tahun(frame: pd.DataFrame, tahun: int) -> pd.DataFrame:
    """Rows of ``frame`` whose ``tahun`` is ``tahun`` (an empty frame without that column)."""
    if frame.empty or "tahun" not in frame:
        return frame.iloc[0:0]
    return frame[pd.to_numeric(frame["tahun"], errors="coerce") == tahun]


def baris_terakhir(frame: pd.DataFrame, tahun: int) -> pd.DataFrame:
    """Rows of the latest year ≤ ``tahun`` (profil desa, the decreed lokus of last year)."""
    if frame.empty or "tahun" not in frame:
        return frame.iloc[0:0]
    years = pd.to_numeric(frame["tahun"], errors="coerce")
    earlier = years[years <= tahun]
    if earlier.empty:
        return frame.iloc[0:0]
    return cast(pd.DataFrame, frame.loc[years == earlier.max()])


def tahun_tabel(frame: pd.DataFrame) -> int | None:
    """The (latest) year of a table's rows, None for an empty table."""
    if frame.empty or "tahun" not in frame:
        return None
    return int(pd.to_numeric(frame["tahun"]).max())


# --------------------------------------------------------------------------- the headline
@dataclass(frozen=True)
class AngkaRegister:
    """The district's register stunting figure of a year: the headline of every report.

    Attributes
    ----------
    pct, ll, ul : float
        Prevalence and its 95 % interval (percent; WHO anthro rules and logit interval).
    n : int
        Children with a usable HAZ.
    stunting, sangat_pendek : int
        Children with HAZ < −2 and < −3.
    anak : int
        Children in the weighing round (one row per child).
    """

    pct: float
    ll: float
    ul: float
    n: int
    stunting: int
    sangat_pendek: int
    anak: int


def angka_register(prevalensi: pd.DataFrame, status: pd.DataFrame) -> AngkaRegister:
    """The headline from ``prevalence_table(ukur)`` and ``status_counts(ukur)`` of one round.

    Both frames are computed on :func:`analysis.dataset.measurements_for_year`, so every
    report prints the same figure for a district and year.
    """
    row = prevalensi.iloc[0]
    k = status.iloc[0]
    return AngkaRegister(pct=float(row["HA_2_r"]), ll=float(row["HA_2_ll"]),
                         ul=float(row["HA_2_ul"]), n=int(row["HAZ_pop"]),
                         stunting=int(k["jumlah_stunting"]),
                         sangat_pendek=int(k["jumlah_sangat_pendek"]), anak=int(row["n"]))


def register_tahunan(data: DistrictData, years: Iterable[int] | None = None) -> pd.DataFrame:
    """Annual register prevalence (:func:`analysis.trend.register_annual`) of the given years.

    ``years`` default: every year with measurements. Each year's figure is computed on
    :func:`~analysis.dataset.measurements_for_year`, as in the situation analysis.
    """
    if years is None:
        years = sorted(pd.unique(data.measurements["tahun"]).tolist())
    return trend.register_annual({int(y): measurements_for_year(data, int(y)) for y in years})


# --------------------------------------------------------------------------- surveys
@dataclass(frozen=True)
class Survei:
    """One published survey figure of a district.

    Attributes
    ----------
    tahun : int
    sumber : str
        ``"SSGI"`` or ``"SKI"``.
    pct : float
        Stunting prevalence, percent.
    keandalan : Keandalan
        How the figure is known (reported, inferred, …); words via ``.label``.
    rujukan : str
        Where it was published (URL).
    """

    tahun: int
    sumber: str
    pct: float
    keandalan: Keandalan
    rujukan: str

    @property
    def nama(self) -> str:
        """``"SSGI 2024"``."""
        return f"{self.sumber} {self.tahun}"


def survei_terakhir(kab: str, tahun: int) -> Survei | None:
    """The latest published survey prevalence of the district up to ``tahun`` (None if none)."""
    s = reference.survey_prevalence()
    s = s[(s["area_code"].astype(str) == kab) & (s["year"] <= tahun)
          & s["prevalence_pct"].notna()]
    if s.empty:
        return None
    row = s.sort_values("year").iloc[-1]
    return Survei(tahun=int(row["year"]), sumber=str(row["source"]),
                  pct=float(row["prevalence_pct"]), keandalan=Keandalan(str(row["reliability"])),
                  rujukan=str(row.get("reference", "")))


# --------------------------------------------------------------------------- wilayah
def desa_kabupaten(kab: str) -> pd.DataFrame:
    """Every desa/kelurahan of the district (Kemendagri reference list).

    Returns
    -------
    DataFrame
        ``desa_code, nama_desa, jenis_desa, kec_code, nama_kecamatan``.
    """
    v = reference.villages(kab)
    return pd.DataFrame({
        "desa_code": v["village_code"].astype(str),
        "nama_desa": v["village_name"].astype(str),
        "jenis_desa": v["village_type"].astype(str),
        "kec_code": v["district_code"].astype(str),
        "nama_kecamatan": v["district_name"].astype(str),
    })


@dataclass(frozen=True)
class UkuranWilayah:
    """Size of a district from the Kemendagri reference (NaN where the reference has none)."""

    penduduk: float
    kecamatan: float
    desa: float


def ukuran_kabupaten(kab: str) -> UkuranWilayah:
    """Population (semester II 2024), kecamatan and desa/kelurahan counts of the district."""
    reg = reference.regencies()
    row = reg[reg["regency_code"].astype(str) == kab]
    r: Any = row.iloc[0] if len(row) else {}
    return UkuranWilayah(
        penduduk=float(pd.to_numeric(r.get("population_total_2024s2"), errors="coerce")),
        kecamatan=float(pd.to_numeric(r.get("n_districts"), errors="coerce")),
        desa=float(pd.to_numeric(r.get("n_villages"), errors="coerce")),
    )


def nama_pendek(kab: str, nama: str) -> str:
    """Short district name for charts (``"Kutai Kartanegara"``); ``nama`` when there is none."""
    reg = reference.regencies().set_index("regency_code")
    short = reg["regency_name_short"].get(kab) if kab in reg.index else None
    return str(short) if isinstance(short, str) and short else nama


def kabupaten_provinsi(provinsi: str) -> list[str]:
    """Codes of the province's kabupaten/kota, sorted."""
    reg = reference.regencies()
    return sorted(reg.loc[reg["province_code"].astype(str) == str(provinsi).strip(),
                          "regency_code"].astype(str))


# --------------------------------------------------------------------------- words
def label_tingkat(alpha: float) -> str:
    """The confidence level of the intervals as readers see it: ``0.05`` → ``"95 %"``."""
    return text.persen(100 * (1 - alpha), 0)
