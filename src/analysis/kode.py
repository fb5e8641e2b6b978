"""Machine codes of every status the analysis produces, and their words (added at display).

Data frames, containers and JSON carry these codes (``"atas_998"``, ``"di_bawah_galat"``); the
words a reader sees come from one table, ``kode.csv`` beside this module (columns ``jenis``,
``kode``, ``label``, ``singkat``), as ``ingest/alasan.csv`` does for exclusion reasons. ``jenis``
is the enum's name in snake case (``PosisiCorong`` → ``posisi_corong``); ``singkat`` is the
short form for narrow table columns (empty = same as ``label``).

The enums live here, below the indicator modules and the report layer, because indicator
modules (``lokus``, ``quality``, ``aksi``) emit them and reports, charts and settings read them.
Only the standard library is imported (the render driver reads the settings models that use
these types).

    >>> PosisiCorong.ATAS_998.label
    'di atas 99,8 %'
    >>> StatusTarget("di_bawah").singkat
    'belum*'
"""

from __future__ import annotations

import csv
import io
import re
from enum import StrEnum
from functools import cache
from importlib import resources

LABEL_FILE = "kode.csv"


@cache
def _table() -> dict[tuple[str, str], tuple[str, str]]:
    body = resources.files("analysis").joinpath(LABEL_FILE).read_text(encoding="utf-8")
    return {(r["jenis"], r["kode"]): (r["label"], r["singkat"] or r["label"])
            for r in csv.DictReader(io.StringIO(body, newline=""))}


def jenis(cls: type) -> str:
    """The ``jenis`` of an enum class in ``kode.csv``: ``PosisiCorong`` → ``posisi_corong``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()


class Kode(StrEnum):
    """A machine code with its reader label (``.label``) and short label (``.singkat``)."""

    @property
    def label(self) -> str:
        """Words for the reader (from ``kode.csv``)."""
        return _table()[(jenis(type(self)), self.value)][0]

    @property
    def singkat(self) -> str:
        """Short words for narrow table columns (from ``kode.csv``)."""
        return _table()[(jenis(type(self)), self.value)][1]

    @classmethod
    def labels(cls, singkat: bool = False) -> dict[str, str]:
        """``{code: label}`` of every member, for ``Series.map`` (NA stays NA)."""
        return {m.value: (m.singkat if singkat else m.label) for m in cls}


class PosisiCorong(Kode):
    """Position of a unit on a funnel plot around a reference proportion (95 % and 99,8 %
    control limits, :data:`analysis.stats.FUNNEL_Z`)."""

    ATAS_998 = "atas_998"
    ATAS_95 = "atas_95"
    DALAM = "dalam"
    BAWAH_95 = "bawah_95"
    BAWAH_998 = "bawah_998"
    TANPA_DATA = "tanpa_data"


class StatusTarget(Kode):
    """Coverage of an indicator against its target, with the noise of the proportion."""

    TERCAPAI = "tercapai"
    DI_BAWAH = "di_bawah"              # below target beyond the noise (upper CI limit below)
    DI_BAWAH_GALAT = "di_bawah_galat"  # below target but within the noise
    TANPA_TARGET = "tanpa_target"


class Keandalan(Kode):
    """Reliability of a published survey figure (codes of ``survei/stunting_prevalence.csv``)."""

    REPORTED = "reported"
    INFERRED = "inferred"
    DERIVED = "derived"
    PRESS_UNCONFIRMED = "press-unconfirmed"


class Seri(Kode):
    """A prevalence series: the e-PPGBM register or the published surveys (never mixed)."""

    REGISTER = "register"
    SURVEI = "survei"


class JenisTarget(Kode):
    """Whose prevalence target: the district's own, the province's, the nation's."""

    KABUPATEN = "kabupaten"
    PROVINSI = "provinsi"
    NASIONAL = "nasional"


class ArahPerubahan(Kode):
    """Change of coverage from last year, judged against its noise and the indicator's direction."""

    MEMBAIK = "membaik"
    MEMBURUK = "memburuk"
    TETAP = "tetap"


class StatusLokus(Kode):
    """A recommended lokus against the decreed list."""

    TETAP = "tetap"              # decreed and recommended
    BARU = "baru"                # recommended, not decreed
    TIDAK_LAGI = "tidak_lagi"    # decreed, no longer recommended
    TANPA_DATA = "tanpa_data"    # decreed, no measurements this year


class PosisiBanding(Kode):
    """A district's coverage against its comparator, beyond the noise."""

    LEBIH_BAIK = "lebih_baik"
    LEBIH_BURUK = "lebih_buruk"
    SETARA = "setara"


class Peran(Kode):
    """Role of a district in a comparison."""

    TUAN_RUMAH = "tuan_rumah"
    TAMU = "tamu"
    PROVINSI = "provinsi"


class KategoriKualitas(Kode):
    """Category of the SMART-style plausibility score (bands in ``kualitas_data.yaml``)."""

    SANGAT_BAIK = "sangat_baik"
    BAIK = "baik"
    DAPAT_DITERIMA = "dapat_diterima"
    BERMASALAH = "bermasalah"
    TIDAK_DINILAI = "tidak_dinilai"


class StatusAksi(Kode):
    """Status of one of the 8 aksi (``status_aksi.status``, plus not reported)."""

    BELUM = "belum"
    PROSES = "proses"
    SELESAI = "selesai"
    TIDAK_DILAPORKAN = "tidak_dilaporkan"


class KelompokKartu(Kode):
    """Target groups of the desa convergence scorecard (``konvergensi_desa.kelompok``)."""

    IBU_HAMIL = "ibu_hamil"
    ANAK_0_23 = "anak_0_23"
    ANAK_2_6 = "anak_2_6"


class KelompokSasaran(Kode):
    """Target groups of the indicator catalogue (``indikator.csv``: ``kelompok_sasaran``)."""

    IBU_HAMIL = "ibu_hamil"
    BADUTA = "baduta"
    BALITA = "balita"
    REMAJA_PUTRI = "remaja_putri"
    CATIN = "catin"
    KELUARGA = "keluarga"
    DESA = "desa"


class JenisIntervensi(Kode):
    """Specific or sensitive intervention (``indikator.csv``: ``jenis``)."""

    SPESIFIK = "spesifik"
    SENSITIF = "sensitif"


class Tabel(Kode):
    """Tables of a district data package (names as in ``DistrictData.missing``)."""

    EPPGBM = "eppgbm"
    PROFIL_DESA = "profil_desa"
    CAKUPAN_LAYANAN = "cakupan_layanan"
    ANGGARAN = "anggaran"
    STATUS_AKSI = "status_aksi"
    KONVERGENSI_DESA = "konvergensi_desa"
    LOKUS = "lokus"
    TARGET_PREVALENSI = "target_prevalensi"


#: Every code enum, for the completeness check of ``kode.csv``.
SEMUA: tuple[type[Kode], ...] = (
    PosisiCorong, StatusTarget, Keandalan, Seri, JenisTarget, ArahPerubahan, StatusLokus,
    PosisiBanding, Peran, KategoriKualitas, StatusAksi, KelompokKartu, KelompokSasaran,
    JenisIntervensi, Tabel,
)
