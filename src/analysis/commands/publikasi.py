"""Command ``publikasi``: the Aksi 7 publication site of a district, or the portal of a province.

``konvergensi publikasi --kab 64.74 --tahun 2024 [--data DIR] [--out DIR]`` writes
``<out>/<tahun>/64.74-kota-bontang/publikasi/``; ``--kab`` may repeat (or list codes with commas).
``konvergensi publikasi --provinsi 64 --tahun 2024 [--out DIR]`` writes
``<out>/<tahun>/64-provinsi-kalimantan-timur/publikasi/index.html`` listing the district sites of
that year that exist. Both together: the districts first, then the portal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from analysis.errors import ParameterError


def _split(values: list[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or []:
        out += [x.strip() for x in v.split(",") if x.strip()]
    return out


def publikasi_command(
    tahun: Annotated[int | None, typer.Option("--tahun", help="Tahun publikasi, mis. 2024.")] = None,
    kab: Annotated[list[str] | None, typer.Option(
        "--kab", help="Kode Kemendagri kabupaten/kota, mis. 64.74 (boleh berulang atau dipisah koma).")] = None,
    provinsi: Annotated[str | None, typer.Option(
        "--provinsi", help="Kode provinsi (dua angka, mis. 64): tulis portal yang menautkan situs "
                           "kabupaten/kota.")] = None,
    data: Annotated[Path | None, typer.Option("--data", help="Folder data (bawaan: data demo).")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Folder keluaran (bawaan: reports/).")] = None,
) -> None:
    """Buat situs publikasi Aksi 7 (prevalensi sampai desa/kelurahan) atau portal provinsi."""
    # analysis.publikasi pulls in pandas, scipy and jinja2 (measured 1.8 s with -X importtime); the
    # command line registers every command at start, so it is imported only when this one runs.
    from analysis.publikasi import bangun_portal, bangun_situs  # noqa: PLC0415

    if tahun is None:
        raise ParameterError("tahun", "wajib diisi (gunakan --tahun, mis. --tahun 2024).")
    codes = _split(kab)
    if not codes and not provinsi:
        raise ParameterError("kab", "isi --kab KODE (situs kabupaten/kota) atau --provinsi KODE (portal provinsi).")
    if data is not None and not Path(data).expanduser().is_dir():
        raise ParameterError("data", f"folder data '{data}' tidak ditemukan.")
    root = Path(data).expanduser().resolve() if data is not None else None
    for code in codes:
        index = bangun_situs(code, tahun, root, out)
        typer.echo(f"Situs publikasi {code} {tahun}: {index}")
    if provinsi:
        typer.echo(f"Portal provinsi {provinsi} {tahun}: {bangun_portal(provinsi, tahun, out)}")


def register(app: typer.Typer) -> None:
    """Add ``publikasi`` to the ``konvergensi`` app."""
    app.command("publikasi")(publikasi_command)
