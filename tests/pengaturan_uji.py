"""Settings for unit tests: frozen fixtures (tests/fixtures/pengaturan/), never the live files."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from analysis import pengaturan

FIXTURES = Path(__file__).parent / "fixtures" / "pengaturan"


@cache
def lokus() -> pengaturan.Lokus:
    return pengaturan.dari_berkas(pengaturan.Lokus, FIXTURES / "lokus.yaml")


@cache
def kualitas() -> pengaturan.KualitasData:
    return pengaturan.dari_berkas(pengaturan.KualitasData, FIXTURES / "kualitas_data.yaml")


@cache
def rubrik() -> pengaturan.RubrikAksi:
    return pengaturan.dari_berkas(pengaturan.RubrikAksi, FIXTURES / "rubrik_aksi.yaml")


@cache
def situasi() -> pengaturan.AnalisisSituasi:
    return pengaturan.dari_berkas(pengaturan.AnalisisSituasi, FIXTURES / "analisis_situasi.yaml")


@cache
def reviu() -> pengaturan.ReviuKinerja:
    return pengaturan.dari_berkas(pengaturan.ReviuKinerja, FIXTURES / "reviu_kinerja.yaml")


@cache
def studi() -> pengaturan.StudiTiru:
    return pengaturan.dari_berkas(pengaturan.StudiTiru, FIXTURES / "studi_tiru.yaml")


@cache
def target() -> pengaturan.TargetPrevalensi:
    return pengaturan.dari_berkas(pengaturan.TargetPrevalensi, FIXTURES / "target.yaml")
