"""The report layer: the report API, the catalogue, shared pieces and one package per report.

::

    analysis/laporan/
      dokumen.py          Laporan: the report API every notebook calls (blocks, JSON, annex)
      katalog.py          the report catalogue (laporan.yaml): names, titles, parameters
      markdown.py         Markdown → HTML for report text (light: used by the renderer)
      parameter.py        periksa(): the typed check of a notebook's parameters
      bersama.py          the single copy of every piece two reports share
      analisis_situasi/   Aksi 1      ─┐ each: __init__ (susun, the container), hitung (pure
      reviu_kinerja/      Aksi 8       ├ computation), tabel (reader tables, key figures),
      studi_tiru/         studi tiru  ─┘ kalimat (prose and recommendations)

Rules (checked by ``tests/test_import_graph.py``): no report package imports another; nothing
here imports :mod:`analysis.render`; indicator modules never import :mod:`analysis.dataset`.

``from analysis.laporan import Laporan, periksa_parameter`` works; both are looked up on first
use so that importing :mod:`analysis.laporan.katalog` (as the render driver does) stays cheap:
:mod:`analysis.laporan.dokumen` imports pandas and matplotlib, 1.2–2.4 s on the project
machine (``/usr/bin/time python -c "import pandas"``), which the driver never needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analysis.laporan.dokumen import Laporan
    from analysis.laporan.parameter import periksa as periksa_parameter

__all__ = ["Laporan", "periksa_parameter"]


def __getattr__(name: str) -> Any:
    if name == "Laporan":
        from analysis.laporan.dokumen import Laporan  # noqa: PLC0415  (pandas: 1.2–2.4 s, see above)

        return Laporan
    if name == "periksa_parameter":
        from analysis.laporan.parameter import periksa  # noqa: PLC0415  (same reason)

        return periksa
    raise AttributeError(f"module 'analysis.laporan' has no attribute {name!r}")
