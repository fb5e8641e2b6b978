"""Output folders of the site, from :mod:`analysis.keluaran` (the one rule for output folders).

The site of a district lives in ``<out>/<tahun>/<kab>-<slug>/publikasi/``,
next to the district's reports; a province portal in ``<out>/<tahun>/<prov>-provinsi-<slug>/publikasi/``.
"""

from __future__ import annotations

from pathlib import Path

from analysis.keluaran import area_folder, area_name, check_area, districts, is_province, output_dir

#: Folder of the site inside an area's output folder.
SITUS = "publikasi"

__all__ = ["SITUS", "area_folder", "area_name", "check_area", "districts", "folder_situs", "is_province",
           "output_dir"]


def folder_situs(code: str, tahun: int, out_dir: Path | None = None) -> Path:
    """``<out>/<tahun>/<code>-<slug>/publikasi/`` (default out: ``reports/``)."""
    return output_dir(code, tahun, out_dir) / SITUS
