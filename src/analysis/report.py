"""Moved: the report API is now :mod:`analysis.laporan` (``from analysis.laporan import Laporan``).

This alias keeps notebooks and fixtures written before the move working (and the renderer's
``from analysis.report import markdown``); new code imports from :mod:`analysis.laporan`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from analysis.laporan.markdown import METADATA_KEY, markdown

if TYPE_CHECKING:
    from analysis.laporan.dokumen import Laporan

__all__ = ["METADATA_KEY", "Laporan", "markdown"]


def __getattr__(name: str) -> Any:
    if name == "Laporan":
        from analysis.laporan.dokumen import Laporan  # noqa: PLC0415  (pandas: 1.2–2.4 s; see analysis.laporan)

        return Laporan
    raise AttributeError(f"module 'analysis.report' has no attribute {name!r}")
