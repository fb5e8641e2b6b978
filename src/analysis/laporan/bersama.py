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
- the confidence level as readers see it (:func:`label_tingkat`);
- the document form's shared words: the vocabulary of the area (:func:`kosakata`: a kota says
  kelurahan, kota, Wali Kota, Peraturan Wali Kota; a kabupaten desa/kelurahan, kabupaten,
  Bupati, Peraturan Bupati), terms with their international word once (:func:`istilah`), the
  area chapter (:func:`gambaran_wilayah`, :func:`tabel_kecamatan`) and what the district
  supplies for its document (:func:`dokumen_daerah`).

Elsewhere, once: statuses as codes and their words (:mod:`analysis.kode`), formatting of
numbers, percentages, signed values and weighing rounds (:mod:`analysis.text`), intervals and
funnel positions (:mod:`analysis.stats`), settings (:mod:`analysis.pengaturan`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, cast

import pandas as pd

from analysis import reference, text, trend
from analysis.dataset import DistrictData, measurements_for_year
from analysis.kode import Keandalan
from analysis.laporan.kerangka import DokumenDaerah, Kosakata, istilah_teks, kosakata

__all__ = [
    "SUMBER_WILAYAH", "AngkaRegister", "DokumenDaerah", "Kosakata", "Survei", "UkuranWilayah", "angka_register",
    "angka_utama", "baris",
    "baris_tahun", "baris_terakhir", "desa_kabupaten", "dokumen_daerah", "gambaran_wilayah",
    "istilah", "kabupaten_provinsi", "kosakata", "label_tingkat", "nama_pendek",
    "register_tahunan", "survei_terakhir", "tabel_kecamatan", "tahun_tabel", "ukuran_kabupaten",
]


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


# --------------------------------------------------------------------------- the document form
def istilah(kode: str, *, pertama: bool = False) -> str:
    """A term as the body writes it: ``istilah("gizi_kurang", pertama=True)`` →
    ``"gizi kurang (wasting)"`` at the first mention of a report, ``"gizi kurang"`` after
    (terms of ``analysis/data/reference/istilah.csv``)."""
    return istilah_teks(kode, pertama=pertama)


def _wilayah_kab(kab: str) -> Any:
    reg = reference.regencies()
    row = reg[reg["regency_code"].astype(str) == kab]
    if row.empty:
        return None
    return row.iloc[0]


def _angka_rujukan(value: Any) -> float:
    return float(pd.to_numeric(value, errors="coerce"))


def gambaran_wilayah(kab: str) -> str:
    """The area chapter's sentences (Markdown) from the Kemendagri reference: kind of area and
    province, area, population and density, kecamatan and desa/kelurahan.

    Figures the reference does not have are left out of the sentence, never written as 0.
    """
    r = _wilayah_kab(kab)
    k = kosakata(kab)
    nama = reference.district_name(kab)
    if r is None:
        return f"{nama}: data rujukan wilayah tidak tersedia."
    sentences = [f"{nama} adalah sebuah {k.daerah} di Provinsi {r['province_name']}."]
    luas, penduduk = _angka_rujukan(r.get("area_km2")), _angka_rujukan(r.get("population_total_2024s2"))
    bits = []
    if luas == luas and luas > 0:
        bits.append(f"luas wilayahnya {text.angka(luas, 0)} km²")
    if penduduk == penduduk and penduduk > 0:
        bits.append(f"jumlah penduduknya {text.angka(penduduk)} jiwa (Desember 2024)")
    if bits:
        sentence = text.daftar(bits)
        if luas == luas and luas > 0 and penduduk == penduduk and penduduk > 0:
            sentence += f", atau rata-rata {text.angka(penduduk / luas)} jiwa per km²"
        sentences.append(sentence[:1].upper() + sentence[1:] + ".")
    n_kec, n_desa, n_kel = (_angka_rujukan(r.get(c)) for c in ("n_districts", "n_desa", "n_kelurahan"))
    if n_kec == n_kec and n_desa == n_desa and n_kel == n_kel:
        total = int(n_desa + n_kel)
        parts = f"{text.angka(n_kec)} kecamatan dan {text.angka(total)} {k.desa}"
        if k.ada_desa and k.ada_kelurahan:
            parts += f" ({text.angka(n_desa)} desa dan {text.angka(n_kel)} kelurahan)"
        sentences.append(f"Wilayahnya terbagi atas {parts}.")
    return " ".join(sentences)


def tabel_kecamatan(kab: str) -> pd.DataFrame:
    """Kecamatan of the district with their number of desa and kelurahan (Kemendagri
    reference), a total row last. A city without desa has no desa column."""
    k = kosakata(kab)
    v = desa_kabupaten(kab)
    counts = (v.assign(desa=(v["jenis_desa"] == "desa").astype(int),
                       kelurahan=(v["jenis_desa"] == "kelurahan").astype(int))
              .groupby(["kec_code", "nama_kecamatan"], as_index=False)[["desa", "kelurahan"]].sum()
              .sort_values("kec_code"))
    out = pd.DataFrame({"Kecamatan": counts["nama_kecamatan"]})
    if k.ada_desa:
        out["Desa"] = counts["desa"].astype(int).to_numpy()
    if k.ada_kelurahan:
        out["Kelurahan"] = counts["kelurahan"].astype(int).to_numpy()
    if k.ada_desa and k.ada_kelurahan:
        out["Jumlah"] = (counts["desa"] + counts["kelurahan"]).astype(int).to_numpy()
    total = {c: (int(out[c].sum()) if c != "Kecamatan" else f"{k.Daerah} {nama_pendek(kab, kab)}")
             for c in out.columns}
    return pd.concat([out, pd.DataFrame([total])], ignore_index=True)


#: Where the area chapter's figures come from (the Kemendagri reference, see its manifest).
SUMBER_WILAYAH = ("Kepmendagri Nomor 300.2.2-2138 Tahun 2025 (kode, nama dan luas wilayah); "
                  "Dukcapil, Desember 2024 (penduduk)")


def angka_utama(kab: str, angka: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Key figures (the keyword dicts of ``Laporan.angka_kunci``) as the rows of the leadership
    summary: ``Ukuran``, ``Nilai`` (as the reader sees it, with the interval when there is one)
    and ``Sumber``."""
    k = kosakata(kab)
    rows = []
    for a in angka:
        nilai, satuan = a.get("nilai"), str(a.get("satuan", ""))
        ci = a.get("ci")
        if satuan == "%":
            shown = text.persen(nilai)
            if ci is not None:
                shown += f" ({text.rentang(ci[0], ci[1])})"
        else:
            number = float(nilai) if nilai is not None else float("nan")
            digits = 0 if number == number and float(number).is_integer() else 1
            unit = k.desa if satuan == "desa" else satuan
            shown = f"{text.angka(number, digits)} {unit}".strip()
        rows.append((str(a.get("label") or a.get("kode")), shown, str(a.get("sumber", ""))))
    return pd.DataFrame(rows, columns=["Ukuran", "Nilai", "Sumber"])


def dokumen_daerah(data: DistrictData, tahun: int, laporan: str) -> DokumenDaerah:
    """What the district supplies for its document of ``laporan`` and ``tahun``: identity,
    signatories, the TPPS's own sections and its own regulations, as
    :class:`~analysis.laporan.kerangka.DokumenDaerah` for :class:`~analysis.laporan.Laporan`.

    The data package's identity, signatories and narrative tables (``identitas``,
    ``penandatangan``, ``narasi.md``/``narasi.docx``) are read by the data layer; a district
    that supplied none of them gets an empty ``DokumenDaerah`` (its document is a draft, with boxes
    where the TPPS's words belong).
    """
    return DokumenDaerah()
