"""Indonesian formatting of numbers, percentages, money and dates for reports.

Everything a district reader sees goes through these helpers, so every report
writes ``14,3 %`` and ``1.234`` and ``22 November 2026`` the same way. Babel's
``id`` locale data does the work; nothing here hand-rolls separators.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from babel.dates import format_date as _format_date
from babel.numbers import format_decimal as _format_decimal

if TYPE_CHECKING:
    import pandas as pd

LOCALE = "id_ID"
MISSING = "–"
# A non-breaking space keeps "21,0 %" on one line; a true minus sign reads
# better than a hyphen in print.
NBSP = "\u00a0"
MINUS = "\u2212"

# Characters that start Markdown markup anywhere in a line (emphasis, code, links, images,
# raw HTML, escapes) and, at a line start, block markup (headings, lists, quotes, tables).
_MD_INLINE = set("\\`*_[]()<>!|~#$")


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(math.isnan(value))
    except TypeError:
        try:
            # pandas only for its NA types; the render driver imports this module without it
            # (importing pandas costs 1.2–2.4 s, measured with /usr/bin/time)
            import pandas as pd  # noqa: PLC0415

            return bool(pd.isna(value))
        except (TypeError, ValueError):
            return False


def angka(value: Any, decimals: int = 0) -> str:
    """Format a number the Indonesian way: ``1234.5`` → ``'1.234,5'`` (``decimals=1``).

    Missing values (None, NaN, pandas NA) become an en dash.
    """
    if _is_missing(value):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    text = str(_format_decimal(value, format=pattern, locale=LOCALE))
    if text.startswith("-"):
        # "-0,0" after rounding a tiny negative is just zero
        text = text[1:] if set(text[1:]) <= set("0,.") else MINUS + text[1:]
    return text


def persen(value: Any, decimals: int = 1, *, sign: bool = False) -> str:
    """Format a value already in percent: ``14.31`` → ``'14,3 %'``.

    Parameters
    ----------
    value : float
        Percentage points (0–100), not a fraction.
    decimals : int
        Digits after the decimal comma.
    sign : bool
        Prefix ``+`` for positive values (for changes).
    """
    if _is_missing(value):
        return MISSING
    text = angka(value, decimals)
    if sign and value > 0:
        text = "+" + text
    return f"{text}{NBSP}%"


def bertanda(value: Any, decimals: int = 1) -> str:
    """A signed number with a true minus sign: ``-5.12`` → ``'−5,1'``, ``3.0`` → ``'+3,0'``.

    No sign when the number as printed is zero (``0.04`` → ``'0,0'``); missing → en dash.
    """
    if _is_missing(value):
        return MISSING
    body = angka(abs(value), decimals)
    if not body.strip("0,"):
        return body
    return ("+" if value > 0 else MINUS) + body


def poin_persen(value: Any, decimals: int = 1) -> str:
    """A change in percentage points with its sign: ``-2.5`` → ``'−2,5 poin persen'``."""
    if _is_missing(value):
        return MISSING
    text = angka(abs(value), decimals)
    prefix = "+" if value > 0 else ("−" if value < 0 else "")
    return f"{prefix}{text}{NBSP}poin persen"


def rentang(low: Any, high: Any, decimals: int = 1, unit: str = NBSP + "%") -> str:
    """A confidence interval: ``(12.1, 15.9)`` → ``'12,1–15,9 %'``."""
    if _is_missing(low) or _is_missing(high):
        return MISSING
    return f"{angka(low, decimals)}–{angka(high, decimals)}{unit}"


def rentang_bulat(low: Any, high: Any) -> str:
    """A range of whole numbers (ranks): ``(1, 3)`` → ``'1–3'``, ``(2, 2)`` → ``'2'``."""
    if _is_missing(low) or _is_missing(high):
        return MISSING
    return str(low) if low == high else f"{low}–{high}"


def rupiah(value: Any, *, compact: bool = False) -> str:
    """Money in rupiah: ``1_500_000`` → ``'Rp 1.500.000'``; ``compact`` → ``'Rp 1,5 juta'``."""
    if _is_missing(value):
        return MISSING
    if compact:
        for size, word in ((1e12, "triliun"), (1e9, "miliar"), (1e6, "juta")):
            if abs(value) >= size:
                return f"Rp{NBSP}{angka(value / size, 1)}{NBSP}{word}"
    return f"Rp{NBSP}{angka(round(value))}"


def tanggal(value: _dt.date | _dt.datetime | pd.Timestamp | str | None, fmt: str = "long") -> str:
    """A date in Indonesian: ``date(2026, 11, 22)`` → ``'22 November 2026'``."""
    if value is None or _is_missing(value):
        return MISSING
    if isinstance(value, str):
        value = _dt.date.fromisoformat(value[:10])
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    if isinstance(value, _dt.datetime):
        value = value.date()
    assert isinstance(value, _dt.date)
    return str(_format_date(value, format=fmt, locale=LOCALE))


def periode(value: str) -> str:
    """A weighing round in words: ``"2024-08"`` → ``'Agustus 2024'`` (other text as given)."""
    try:
        first = _dt.date(int(str(value)[:4]), int(str(value)[5:7]), 1)
    except (TypeError, ValueError):
        return str(value)
    return tanggal(first, fmt="MMMM y")


def daftar(items: Iterable[Any], conj: str = "dan") -> str:
    """Join words as Indonesian prose: ``['a', 'b', 'c']`` → ``'a, b dan c'``."""
    items = [str(i) for i in items]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {conj} " + items[-1]


def data(value: Any) -> str:
    """A value from the data (a desa, posyandu or OPD name) made safe inside Markdown prose.

    Sentences of the reports are Markdown (``**14,3 %**``), but a name typed by a district is
    data, not markup: ``**x**`` or ``[x](javascript:...)`` in an OPD name must print as typed.
    Every Markdown-active character is backslash-escaped and line breaks become spaces, so
    the name stays one run of text.

    Examples
    --------
    >>> data("[x](javascript:alert(1))")
    '\\[x\\]\\(javascript:alert\\(1\\)\\)'
    >>> data("Dinas *Kesehatan*")
    'Dinas \\*Kesehatan\\*'
    """
    if _is_missing(value):
        return MISSING
    flat = " ".join(str(value).split())
    out = "".join("\\" + ch if ch in _MD_INLINE else ch for ch in flat)
    # A name that opens a list item ("1. Posyandu", "- x", "+ x", "> x") must not start a block.
    lead = re.match(r"^(\d+)([.)])|^([-+>=])", out)
    if lead:
        cut = lead.end() - 1
        out = out[:cut] + "\\" + out[cut:]
    return out
