"""Settings of the publication site: ``analysis/data/config/publikasi.yaml``, validated once.

Everything the site decides by policy (the small-count rule k, the "little data" mark n, colour
classes, reliability labels, which identity fields are public) lives in that file; the code
reads it only through :func:`pengaturan`.
"""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from analysis.config import load_settings
from analysis.errors import ConfigError
from analysis.prevalence import STATUS


class _Ketat(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Kerahasiaan(_Ketat):
    """The small-count rule (see the YAML for the meaning of each field)."""

    ambang_jumlah: int = Field(ge=2)
    komplemen: bool
    sekunder: bool


class Indikator(_Ketat):
    label: str
    definisi: str
    kelas: list[float] = Field(min_length=4, max_length=4)
    sumber_kelas: str

    @field_validator("kelas")
    @classmethod
    def _naik(cls, v: list[float]) -> list[float]:
        if any(b <= a for a, b in zip(v, v[1:], strict=False)) or v[0] <= 0:
            raise ValueError("batas kelas harus positif dan naik")
        return v


class Keandalan(_Ketat):
    label: str
    peringatan: bool


class Peta(_Ketat):
    toleransi_derajat: float = Field(ge=0, le=0.01)
    desimal_koordinat: int = Field(ge=3, le=7)


class Pengaturan(_Ketat):
    """``publikasi.yaml``."""

    kerahasiaan: Kerahasiaan
    min_diukur: int = Field(ge=1)
    desimal_unduhan: int = Field(ge=0, le=6)
    indikator: dict[str, Indikator]
    nama_kelas: list[str] = Field(min_length=5, max_length=5)
    warna_kelas: list[str] = Field(min_length=5, max_length=5)
    warna_tanpa_data: str
    keandalan_survei: dict[str, Keandalan]
    peta: Peta
    identitas: dict[str, str]
    lambang: list[str] = Field(min_length=1)
    laporan: dict[str, str]

    @model_validator(mode="after")
    def _semua_status(self) -> Pengaturan:
        if list(self.indikator) != list(STATUS):
            raise ValueError(f"indikator harus tepat {', '.join(STATUS)} (urutan ini)")
        return self

    @property
    def k(self) -> int:
        """Smallest count of children that may be published (besides 0)."""
        return self.kerahasiaan.ambang_jumlah


@cache
def pengaturan() -> Pengaturan:
    """The validated settings (read once per process).

    Raises
    ------
    ConfigError
        The file is missing or a field is not allowed (the message names the field).
    """
    raw = load_settings("publikasi")
    try:
        return Pengaturan.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"Berkas konfigurasi publikasi.yaml, isian '{where}': {first['msg']}") from None
