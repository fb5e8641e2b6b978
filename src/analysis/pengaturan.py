"""Settings (``analysis/data/config/*.yaml``): one typed model per file, validated once at load.

Every number, weight, threshold, target and label that is a choice rather than a fact lives in
one YAML file, and is read through the model of that file here. A model has no defaults for
values the file holds (the file is the one home of each setting); a field is optional only
where the file may leave it out by design. A file that does not match its model stops with a
:class:`~analysis.errors.ConfigError` naming the file and the key, before any report runs.

========================  ===========================  =====================================
file                      model                        read by
========================  ===========================  =====================================
``laporan.yaml``          :class:`Katalog`             ``analysis.laporan.katalog``
``analisis_situasi.yaml`` :class:`AnalisisSituasi`     ``analysis.laporan.analisis_situasi``
``reviu_kinerja.yaml``    :class:`ReviuKinerja`        ``analysis.laporan.reviu_kinerja``
``studi_tiru.yaml``       :class:`StudiTiru`           ``analysis.laporan.studi_tiru``
``lokus.yaml``            :class:`Lokus`               ``analysis.lokus`` (via the reports)
``kualitas_data.yaml``    :class:`KualitasData`        ``analysis.quality`` (via the reports)
``rubrik_aksi.yaml``      :class:`RubrikAksi`          ``analysis.aksi`` (via the reports)
``target.yaml``           :class:`TargetPrevalensi`    reviu kinerja, the demo generator
``demo.yaml``             :class:`Demo`                ``analysis.demo``
========================  ===========================  =====================================

(``growth.yaml`` belongs to :mod:`analysis.growth` and is validated there.)

Load with the function of the same name (``pengaturan.lokus()``); results are cached per
process. Tests build a model from a fixture with :func:`dari_berkas` instead of the live files.
"""

from __future__ import annotations

import math
import string
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from analysis import config
from analysis.errors import ConfigError
from analysis.kode import JenisTarget, KategoriKualitas, Seri, StatusAksi

M = TypeVar("M", bound=BaseModel)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------- laporan.yaml
class EntriKatalog(_Model):
    """One report of the catalogue (see the comments in ``laporan.yaml``)."""

    judul: str
    aksi: str
    wilayah: tuple[str, ...] = Field(min_length=1)
    parameter: tuple[str, ...]
    batch: bool
    per: Literal["provinsi"] | None = None


class Katalog(_Model):
    """``laporan.yaml``: report name (``analisis-situasi``) → entry."""

    laporan: dict[str, EntriKatalog]

    @field_validator("laporan")
    @classmethod
    def _names(cls, value: dict[str, EntriKatalog]) -> dict[str, EntriKatalog]:
        for name in value:
            if not name.replace("-", "").isalpha() or name != name.lower():
                raise ValueError(f"nama laporan '{name}' harus huruf kecil dengan tanda hubung")
        return value


# --------------------------------------------------------------------------- lokus.yaml
KOMPONEN_LOKUS = ("prevalensi", "jumlah_stunting", "kesenjangan_cakupan", "perubahan")


class Bobot(_Model):
    """Weights of the four lokus score components (any non-negative numbers, sum > 0)."""

    prevalensi: float = Field(ge=0)
    jumlah_stunting: float = Field(ge=0)
    kesenjangan_cakupan: float = Field(ge=0)
    perubahan: float = Field(ge=0)

    @model_validator(mode="after")
    def _positive(self) -> Bobot:
        if sum(self.sebagai_dict().values()) <= 0:
            raise ValueError("bobot harus berjumlah lebih dari 0")
        return self

    def sebagai_dict(self) -> dict[str, float]:
        """``{component: weight}`` in the order of :data:`KOMPONEN_LOKUS`."""
        return {k: float(getattr(self, k)) for k in KOMPONEN_LOKUS}


class Lokus(_Model):
    """``lokus.yaml``: the priority-desa score (weights, limits, labels)."""

    bobot: Bobot
    bobot_alternatif: dict[str, Bobot]
    label_komponen: dict[str, str]
    label_bobot: dict[str, str]
    min_anak: int = Field(ge=0)
    proporsi_lokus: float = Field(gt=0, le=1)
    min_lokus: int = Field(ge=0)
    maks_lokus: int = Field(ge=1)

    @model_validator(mode="after")
    def _labels(self) -> Lokus:
        missing = set(KOMPONEN_LOKUS) - set(self.label_komponen)
        if missing:
            raise ValueError(f"label_komponen tanpa {sorted(missing)}")
        sets = {"utama", *self.bobot_alternatif}
        if sets - set(self.label_bobot):
            raise ValueError(f"label_bobot tanpa {sorted(sets - set(self.label_bobot))}")
        if self.min_lokus > self.maks_lokus:
            raise ValueError("min_lokus lebih besar dari maks_lokus")
        return self


# --------------------------------------------------------------------------- kualitas_data.yaml
class Kriteria(_Model):
    """One plausibility criterion: how a value is graded and the penalty of each grade."""

    label: str
    rule: Literal["max", "p_above", "below", "abs_below", "band"]
    limits: tuple[float, ...] | None = None
    bands: tuple[tuple[float, float], ...] | None = None
    penalties: tuple[float, ...]

    @model_validator(mode="after")
    def _shape(self) -> Kriteria:
        steps = self.bands if self.rule == "band" else self.limits
        if steps is None:
            raise ValueError(f"aturan '{self.rule}' memerlukan {'bands' if self.rule == 'band' else 'limits'}")
        if len(self.penalties) != len(steps) + 1:
            raise ValueError("jumlah penalties harus satu lebih banyak dari jumlah batas")
        return self


class Kategori(_Model):
    """A band of the total score: a score ≤ ``max`` falls in ``kode``."""

    max: float
    kode: KategoriKualitas


class KualitasData(_Model):
    """``kualitas_data.yaml``: SMART-style plausibility checks (thresholds and verdicts)."""

    smart_flag_sd: float = Field(gt=0)
    age_ratio_expected: float = Field(gt=0)
    sex_ratio_expected: float = Field(gt=0)
    min_anak_skor: int = Field(ge=0)
    anak_uji_peka: int = Field(ge=0)
    digit_decimals: int = Field(ge=0)
    kriteria: dict[str, Kriteria]
    kategori: tuple[Kategori, ...] = Field(min_length=1)
    putusan: dict[KategoriKualitas, str]

    @model_validator(mode="after")
    def _bands(self) -> KualitasData:
        if not math.isinf(self.kategori[-1].max):
            raise ValueError("kategori terakhir harus max: .inf")
        missing = {k.kode for k in self.kategori} - set(self.putusan)
        if missing:
            raise ValueError(f"putusan tanpa {sorted(missing)}")
        return self


# --------------------------------------------------------------------------- rubrik_aksi.yaml
class InfoAksi(_Model):
    nama: str
    kelompok_2025: str


class Kelompok2025(_Model):
    nama: str
    jenis: Literal["utama", "pendukung"]


class NilaiRubrik(_Model):
    poin: float = Field(ge=0)
    uraian: str


class Aturan(_Model):
    """A grading rule: every condition given must hold (absent = not checked)."""

    nilai: str
    status: tuple[StatusAksi, ...] | None = None
    bukti: bool | None = None
    terlambat_maks_hari: int | None = None


class Predikat(_Model):
    min: float
    nilai: str
    label: str


class RubrikAksi(_Model):
    """``rubrik_aksi.yaml``: grades, points, weights and bands of the 8-aksi score."""

    aksi: dict[int, InfoAksi]
    kelompok_2025: dict[str, Kelompok2025]
    bobot: dict[int, float]
    nilai: dict[str, NilaiRubrik]
    aturan: tuple[Aturan, ...]
    nilai_bawaan: str
    predikat: tuple[Predikat, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _references(self) -> RubrikAksi:
        if set(self.bobot) != set(self.aksi):
            raise ValueError("bobot harus ada untuk setiap aksi dan hanya untuk aksi")
        unknown = {a.kelompok_2025 for a in self.aksi.values()} - set(self.kelompok_2025)
        if unknown:
            raise ValueError(f"kelompok_2025 tidak dikenal: {sorted(unknown)}")
        grades = {r.nilai for r in self.aturan} | {self.nilai_bawaan}
        if grades - set(self.nilai):
            raise ValueError(f"nilai tidak dikenal: {sorted(grades - set(self.nilai))}")
        if min(p.min for p in self.predikat) > 0:
            raise ValueError("predikat harus mencakup skor 0")
        return self


# --------------------------------------------------------------------------- target.yaml
class Target(_Model):
    target_pct: float = Field(gt=0, lt=100)
    tahun: int
    label: str
    sumber: str


class TargetPrevalensi(_Model):
    """``target.yaml``: national and provincial stunting targets (the one home of each)."""

    nasional: Target
    provinsi: dict[str, Target]


# --------------------------------------------------------------------------- analisis_situasi.yaml
class AmbangSituasi(_Model):
    """Thresholds that turn findings of the situation analysis into sentences and advice."""

    cakupan_ukur_rendah_pct: float
    selisih_survei_register_pp: float
    selisih_hampir_sama_pp: float
    kenaikan_desa_pp: float


class DaftarSituasi(_Model):
    """How many items each list of the situation analysis shows."""

    rekomendasi_min: int
    rekomendasi_maks: int
    intervensi_per_desa: int
    indikator_kesenjangan: int
    nama_lokus_kalimat: int
    nama_lokus_rekomendasi: int
    desa_terburuk_indikator: int
    titik_rawan_rekomendasi: int
    puskesmas_lemah: int
    kecamatan_ukur_rendah: int
    nama_titik_rawan: int
    nama_desa_stabil: int
    nama_peta_desa: int
    posyandu_terburuk: int
    kelemahan_per_baris: int


class AnalisisSituasi(_Model):
    """``analisis_situasi.yaml``: presentation and thresholds of the situation analysis."""

    maks_baris_desa: int
    baris_teratas: int
    maks_baris_heatmap: int
    ambang: AmbangSituasi
    daftar: DaftarSituasi
    label_indikator: dict[str, str]


# --------------------------------------------------------------------------- reviu_kinerja.yaml
class Bootstrap(_Model):
    n: int = Field(gt=0)
    seed: int


class RekomendasiReviu(_Model):
    serapan_rendah_pct: float
    konvergensi_lokus_rendah_pct: float
    maks_butir_indikator: int = Field(gt=0)
    rasio_register_survei_rendah: float = Field(gt=0)


class ReviuKinerja(_Model):
    """``reviu_kinerja.yaml``: the series and target of the verdict, noise, thresholds."""

    seri_putusan: Seri
    survei_usia_maks: int = Field(ge=0)
    urutan_target_putusan: tuple[JenisTarget, ...] = Field(min_length=1)
    alpha: float = Field(gt=0, lt=1)
    proyeksi_tahun_ke_depan: int = Field(ge=0)
    ambang_paket_lengkap_pct: float = Field(gt=0, le=100)
    bootstrap: Bootstrap
    rekomendasi: RekomendasiReviu


# --------------------------------------------------------------------------- studi_tiru.yaml
class PertanyaanStudiTiru(_Model):
    maks: int = Field(gt=0)
    min_selisih_pp: float
    min_selisih_aarr_pp: float
    min_rentang_aarr_tahun: int
    min_selisih_ukur_pp: float
    min_selisih_serapan_pp: float


class StudiTiru(_Model):
    """``studi_tiru.yaml``: noise, question thresholds, indicator phrases and labels."""

    alpha: float = Field(gt=0, lt=1)
    pertanyaan: PertanyaanStudiTiru
    indikator_anak_terjangkau: str
    maks_baris_selisih: int = Field(gt=0)
    frasa_indikator: dict[str, str]
    frasa_bawaan: str
    label_indikator: dict[str, str]


# --------------------------------------------------------------------------- dokumen/*.yaml
#: Placeholders a document text may hold (filled by analysis.laporan.kerangka.Konteks).
PLACEHOLDER_DOKUMEN = frozenset({
    "wilayah", "pemerintah_daerah", "daerah", "Daerah", "desa", "Desa", "Desa_judul",
    "kepala_daerah", "peraturan_kepala_daerah", "keputusan_kepala_daerah", "tahun",
    "tahun_depan", "tahun_lalu", "judul", "aksi",
})
#: Placeholders of the parts that name something besides the area (kept apart: each text
#: may use the area's placeholders and its own).
PLACEHOLDER_BAGIAN = {
    "draf.alasan_narasi": {"bagian"}, "draf.kotak_judul": {"bagian"}, "draf.kotak_teks": {"bagian"},
    "draf.tolak_final": {"alasan"}, "kolofon.teks": {"dibuat", "versi"},
}
#: Front-matter parts a document may have, in the words of the outline files.
BAGIAN_DEPAN = ("kata_pengantar", "daftar_isi", "daftar_tabel", "daftar_gambar",
                "daftar_singkatan", "ringkasan_pimpinan", "ringkasan")


def _placeholders(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:
        raise ValueError(f"kurung kurawal tidak seimbang dalam teks: {exc}") from None


def _check_text(text: str, extra: frozenset[str] | set[str] = frozenset()) -> str:
    unknown = _placeholders(text) - PLACEHOLDER_DOKUMEN - set(extra)
    if unknown:
        allowed = ", ".join("{" + n + "}" for n in sorted(PLACEHOLDER_DOKUMEN | set(extra)))
        raise ValueError(f"tempat isian tidak dikenal: {', '.join(sorted(unknown))} "
                         f"(yang dikenal: {allowed})")
    return text


class _Teks(_Model):
    """A model whose every string field may hold the area placeholders (checked at load)."""

    @model_validator(mode="after")
    def _texts(self) -> _Teks:
        for name, value in self:
            if isinstance(value, str):
                _check_text(value, PLACEHOLDER_BAGIAN.get(f"{self._bagian}.{name}", set()))
        return self

    #: The file's section: its own placeholders come from PLACEHOLDER_BAGIAN.
    _bagian: ClassVar[str] = ""


class JudulBagian(_Teks):
    kata_pengantar: str
    daftar_isi: str
    daftar_tabel: str
    daftar_gambar: str
    daftar_singkatan: str
    ringkasan_pimpinan: str
    ringkasan: str
    lembar_pengesahan: str
    lampiran: str
    metode: str
    kolofon: str


class KataDaerah(_Model):
    """The words of one kind of area (kota, kabupaten, provinsi)."""

    daerah: str
    Daerah: str
    kepala_daerah: str
    peraturan_kepala_daerah: str
    keputusan_kepala_daerah: str


class KataDesa(_Model):
    hanya_desa: str
    hanya_kelurahan: str
    campuran: str


class Kosakata(_Model):
    kabupaten: KataDaerah
    kota: KataDaerah
    provinsi: KataDaerah
    desa: KataDesa


class Sampul(_Teks):
    baris_aksi: str
    penyusun: str
    nomor: str
    tanggal: str
    belum_diisi: str


class Draf(_Teks):
    _bagian: ClassVar[str] = "draf"
    tanda: str
    judul_sampul: str
    alasan_narasi: str
    alasan_penandatangan: str
    kotak_judul: str
    kotak_teks: str
    kotak_pilihan: str
    tolak_final: str


class KataPengantar(_Model):
    peran: str


class Pengesahan(_Teks):
    teks: str
    peran: dict[str, str] = Field(min_length=1)
    kosong_nama: str
    kosong_jabatan: str
    kosong_nip: str
    catatan_kosong: str


class Kolofon(_Teks):
    _bagian: ClassVar[str] = "kolofon"
    teks: str
    judul_sumber: str


class RingkasanPimpinan(_Teks):
    maks_keputusan: int = Field(gt=0)
    maks_angka: int = Field(gt=0)
    judul_angka: str
    judul_lokus: str
    judul_keputusan: str
    kolom_angka: tuple[str, str, str]


class DaftarSingkatan(_Model):
    kolom_singkatan: tuple[str, str]
    kolom_istilah: tuple[str, str, str]
    judul_istilah: str


class Metode(_Teks):
    judul: str
    teks: str


class DokumenBersama(_Model):
    """``dokumen/bersama.yaml``: the parts of the document form every report shares."""

    judul: JudulBagian
    kosakata: Kosakata
    sampul: Sampul
    draf: Draf
    kata_pengantar: KataPengantar
    pengesahan: Pengesahan
    kolofon: Kolofon
    ringkasan_pimpinan: RingkasanPimpinan
    daftar_singkatan: DaftarSingkatan
    metode: dict[str, Metode] = Field(min_length=1)
    perangkat_lunak: tuple[str, ...] = Field(min_length=1)


_ID_DOKUMEN = r"^[a-z0-9][a-z0-9-]*$"
_KODE = r"^[a-z0-9_]+$"


class SubBab(_Teks):
    """A sub-section of a chapter (see the comments in ``dokumen/analisis_situasi.yaml``)."""

    id: str = Field(pattern=_ID_DOKUMEN)
    judul: str
    teks: str | None = None
    dasar_hukum: bool | None = None
    narasi: str | None = Field(default=None, pattern=_KODE)
    wajib: bool | None = None


class Bab(_Teks):
    """A chapter (BAB) of a document."""

    id: str = Field(pattern=_ID_DOKUMEN)
    judul: str
    wajib: bool | None = None
    teks: str | None = None
    narasi: str | None = Field(default=None, pattern=_KODE)
    sub: tuple[SubBab, ...] | None = None

    @property
    def baku(self) -> bool:
        """Written whole by the document itself (every sub-section has a standard text)."""
        return bool(self.sub) and all(s.teks is not None for s in self.sub or ())


class LampiranDokumen(_Model):
    metode: tuple[str, ...] = Field(min_length=1)


class SlotNarasi(_Model):
    """A section the TPPS writes: its heading in ``narasi.md``, required or not, the guide."""

    judul: str
    wajib: bool
    panduan: str

    @field_validator("panduan")
    @classmethod
    def _guide(cls, value: str) -> str:
        return _check_text(value)


class DokumenLaporan(_Model):
    """``dokumen/<laporan>.yaml``: the outline of one report's document."""

    laporan: str
    judul_dokumen: str
    depan: tuple[Literal["kata_pengantar", "daftar_isi", "daftar_tabel", "daftar_gambar",
                         "daftar_singkatan", "ringkasan_pimpinan", "ringkasan"], ...]
    bab: tuple[Bab, ...] = Field(min_length=1)
    lampiran: LampiranDokumen
    dasar_hukum: tuple[str, ...]
    narasi: dict[str, SlotNarasi]

    @model_validator(mode="after")
    def _outline(self) -> DokumenLaporan:
        ids = [b.id for b in self.bab] + [s.id for b in self.bab for s in b.sub or ()]
        doubles = sorted({i for i in ids if ids.count(i) > 1})
        if doubles:
            raise ValueError(f"id bab/subbab dipakai lebih dari sekali: {', '.join(doubles)}")
        if len(set(self.depan)) != len(self.depan):
            raise ValueError("bagian depan disebut lebih dari sekali")
        used = [b.narasi for b in self.bab if b.narasi] + [
            s.narasi for b in self.bab for s in b.sub or () if s.narasi]
        if "kata_pengantar" in self.depan:
            used.append("kata_pengantar")
        unknown = sorted(set(used) - set(self.narasi))
        if unknown:
            raise ValueError(f"narasi tanpa keterangan di bagian narasi: {', '.join(unknown)}")
        unplaced = sorted(set(self.narasi) - set(used))
        if unplaced:
            raise ValueError(f"narasi yang tidak punya tempat di kerangka: {', '.join(unplaced)}")
        doubles = sorted({n for n in used if used.count(n) > 1})
        if doubles:
            raise ValueError(f"narasi ditempatkan lebih dari sekali: {', '.join(doubles)}")
        return self


# --------------------------------------------------------------------------- demo.yaml
class _Section(BaseModel):
    """A demo section: known keys typed, values checked; the generator reads it as a dict."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class DemoPopulasi(_Section):
    proporsi_balita: float
    tren_kelahiran_tahunan: float
    anggota_per_keluarga: float
    sigma_bobot_desa: float
    faktor_kelurahan: float
    anak_per_posyandu: float
    konsentrasi_kehadiran: float
    kehadiran_usia_59_bulan: float
    sd_cakupan_desa: float
    keluar_per_tahun: float
    nik_kosong: float
    galat_estimasi_balita: float


class DemoTitikPanas(_Section):
    proporsi_kecamatan: float
    proporsi_desa: float
    efek_haz: float


class DemoPertumbuhan(_Section):
    sd_anak_haz: float
    sd_putaran_haz: float
    sd_desa_haz: float
    penurunan_haz_24_bulan: float
    perbaikan_lokus_per_tahun: float
    titik_panas: DemoTitikPanas
    whz_rata: float
    sd_anak_whz: float
    sd_putaran_whz: float
    sd_desa_whz: float
    korelasi_desa_whz_haz: float
    cara_ukur_salah: float
    bb_lahir_rata: float
    bb_lahir_sd: float
    tb_lahir_rata: float
    tb_lahir_sd: float
    lila_terisi: float
    kpsp_terisi: float
    kia_ya: float


class DemoFormat(_Section):
    berkas: Literal["csv", "xlsx"] | None = None
    pemisah: str | None = None
    desimal: str | None = None
    encoding: str | None = None
    format_tanggal: dict[str, float] | None = None
    teks_tanggal_xlsx: float | None = None
    nama_wilayah: dict[str, float] | None = None


class DemoKabupaten(_Section):
    rasio_register: float
    cakupan_register: float
    anggaran_miliar_2024: float
    survei_asumsi: dict[int, float] | None = None
    jumlah_lokus: dict[int, int] | None = None
    format: DemoFormat | None = None
    target_prevalensi: dict[int, float] | None = None


class DemoKesalahan(_Section):
    proporsi_posyandu: float
    minimum: int
    timbangan_selisih_min: float
    timbangan_selisih_maks: float
    laju: dict[str, float]


class DemoTarget(_Section):
    sumber: str


class DemoLokus(_Section):
    proporsi_desa: float
    bobot_jumlah_kasus: float
    sd_acak_peringkat: float
    dasar: str
    nomor: str


class DemoCakupan(_Section):
    dasar: dict[str, float | None]
    perbaikan_tahunan: float
    sd_desa: float
    kaitan_prevalensi: float
    ibu_hamil_per_balita: float
    sasaran: dict[str, tuple[str, float]]


class DemoProfil(_Section):
    krs_dasar: float
    krs_per_sd_layanan: float
    krs_titik_panas: float
    krs_perbaikan_tahunan: float


class DemoKonvergensi(_Section):
    dasar: dict[str, float]
    bonus_lokus: float
    perbaikan_tahunan: float
    proporsi_kunjungan_rumah_ibu: float


class DemoOpd(_Section):
    opd: str
    subkegiatan: tuple[tuple[str, str, str | None, float, bool], ...]


class DemoAnggaran(_Section):
    pertumbuhan_tahunan: float
    serapan_min: float
    serapan_maks: float
    proporsi_lokus_per_desa: float
    proporsi_desa_per_baris: float
    baris_desa_min: int
    baris_desa_maks: int
    proporsi_pagu_di_desa: float
    sd_pagu: float
    opd: tuple[DemoOpd, ...]


class DemoAksi(_Section):
    jadwal: tuple[tuple[int, int, int, str], ...]
    proporsi_terlambat: float
    proporsi_belum_selesai: float
    terlambat_hari_maks: int


class DemoPosyandu(_Section):
    nama: tuple[str, ...]
    proporsi_bernomor: float
    desa_per_puskesmas: int
    puskesmas_maks_per_kecamatan: int


class Demo(_Model):
    """``demo.yaml``: parameters of the synthetic districts (see the file's comments)."""

    versi_skema: int
    seed: int
    tahun: tuple[int, ...]
    proses_paralel: int = Field(ge=1)
    putaran_bulan: tuple[int, ...]
    proporsi_sweeping: float
    populasi: DemoPopulasi
    pertumbuhan: DemoPertumbuhan
    format_bawaan: DemoFormat
    kabupaten: dict[str, DemoKabupaten]
    kesalahan: DemoKesalahan
    target: DemoTarget
    lokus: DemoLokus
    cakupan: DemoCakupan
    profil: DemoProfil
    konvergensi: DemoKonvergensi
    anggaran: DemoAnggaran
    aksi: DemoAksi
    posyandu: DemoPosyandu


# --------------------------------------------------------------------------- loading
def _message(path: Path, exc: ValidationError) -> str:
    lines = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(berkas)"
        lines.append(f"{where}: {err['msg']}")
    try:  # dokumen/analisis_situasi.yaml and analisis_situasi.yaml are two files
        name = path.relative_to(config.CONFIG_DIR).as_posix()
    except ValueError:
        name = path.name
    return f"Berkas pengaturan {name} tidak sah: " + "; ".join(lines)


def validasi(model: type[M], raw: Any, path: Path) -> M:
    """``raw`` (parsed YAML) as ``model``; a mismatch is a :class:`ConfigError` naming the key."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_message(path, exc)) from None


def dari_berkas(model: type[M], path: str | Path) -> M:
    """A model from any YAML file (tests use fixtures, never the live settings)."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"Berkas pengaturan {path} tidak dapat dibaca: {exc}") from None
    if model is Katalog:
        raw = {"laporan": raw}
    return validasi(model, raw, path)


def _load(model: type[M], name: str) -> M:
    raw = config.load_settings(name)
    if model is Katalog:
        raw = {"laporan": raw}
    return validasi(model, raw, config.CONFIG_DIR / f"{name}.yaml")


@cache
def katalog() -> Katalog:
    """``laporan.yaml``."""
    return _load(Katalog, "laporan")


@cache
def analisis_situasi() -> AnalisisSituasi:
    """``analisis_situasi.yaml``."""
    return _load(AnalisisSituasi, "analisis_situasi")


@cache
def reviu_kinerja() -> ReviuKinerja:
    """``reviu_kinerja.yaml``."""
    return _load(ReviuKinerja, "reviu_kinerja")


@cache
def studi_tiru() -> StudiTiru:
    """``studi_tiru.yaml``."""
    return _load(StudiTiru, "studi_tiru")


@cache
def lokus() -> Lokus:
    """``lokus.yaml``."""
    return _load(Lokus, "lokus")


@cache
def kualitas_data() -> KualitasData:
    """``kualitas_data.yaml``."""
    return _load(KualitasData, "kualitas_data")


@cache
def rubrik_aksi() -> RubrikAksi:
    """``rubrik_aksi.yaml``."""
    return _load(RubrikAksi, "rubrik_aksi")


@cache
def target() -> TargetPrevalensi:
    """``target.yaml``."""
    return _load(TargetPrevalensi, "target")


@cache
def demo() -> Demo:
    """``demo.yaml`` (the generator reads the validated file as a dict: ``config.load_settings``)."""
    return _load(Demo, "demo")


@cache
def dokumen_bersama() -> DokumenBersama:
    """``dokumen/bersama.yaml``."""
    return _load(DokumenBersama, "dokumen/bersama")


@cache
def dokumen(paket: str) -> DokumenLaporan:
    """``dokumen/<paket>.yaml``: the outline of a report (``paket`` = ``"analisis_situasi"``).

    Raises
    ------
    ConfigError
        When the file is missing, does not match its model, or names another report.
    """
    model = _load(DokumenLaporan, f"dokumen/{paket}")
    if model.laporan.replace("-", "_") != paket:
        raise ConfigError(f"Berkas pengaturan dokumen/{paket}.yaml: laporan '{model.laporan}' "
                          f"bukan laporan berkas ini ({paket.replace('_', '-')}).")
    return model


#: Every settings file with its model (the test suite validates each live file once).
MODELS: dict[str, type[BaseModel]] = {
    "laporan": Katalog, "analisis_situasi": AnalisisSituasi, "reviu_kinerja": ReviuKinerja,
    "studi_tiru": StudiTiru, "lokus": Lokus, "kualitas_data": KualitasData,
    "rubrik_aksi": RubrikAksi, "target": TargetPrevalensi, "demo": Demo,
}
