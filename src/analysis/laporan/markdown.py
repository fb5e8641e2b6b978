"""Markdown → HTML for report text, and the output-metadata key of report blocks.

Kept apart from :mod:`analysis.laporan.dokumen` so that the renderer can turn Markdown cells
into HTML without importing pandas (the render driver keeps its imports light).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import mistune

#: Output metadata key that marks a display output as a report block.
METADATA_KEY = "konvergensi"


@cache
def _renderer() -> Callable[[str], str]:
    md = mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])
    return lambda source: str(md(source))


def markdown(source: str) -> str:
    """Markdown → HTML (raw HTML in the source is escaped, never passed through)."""
    return _renderer()(str(source)).strip()


def inline(source: str) -> str:
    """Markdown of one line without the surrounding ``<p>``."""
    out = markdown(source)
    if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return out
