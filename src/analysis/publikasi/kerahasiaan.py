"""The small-count rule: which published cells are hidden so that no child can be identified.

Rule (k from ``publikasi.yaml``, ``kerahasiaan``):

1. *Primary*: a count of children between 1 and k − 1 is hidden (``kecil``); with ``komplemen``,
   a count whose complement (children of the unit *without* the status) is between 0 and k − 1
   is hidden too (``komplemen``). 0 is published.
2. *Secondary* (``sekunder``): the tables hold totals (a kecamatan is the sum of its desa, the
   district the sum of its kecamatan and of its puskesmas, a group of puskesmas the sum of the
   desa of their children). For each such equation, the hidden cells are unknowns an outsider
   can bound from the published cells. A primary cell is *protected* when that bound is no
   tighter than what its mark already says (1..k − 1 for ``kecil``). While a primary cell of an
   equation is not protected, a further published cell of the equation is hidden: the smallest
   positive one that protects it, or else the largest.
3. Whatever is computed from a hidden count (its prevalence, interval, change from last year,
   coverage) is hidden with it: given the published denominator it would give the count back.

The audit looks at one equation at a time (the usual heuristic); combinations of equations
(e.g. district = sum of desa, via the kecamatan) are not solved as one linear system.

Functions here work on plain Series keyed by any hashable cell id and know nothing of the site.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Reason codes of a hidden cell ("" = published).
TERBIT = ""
KECIL = "kecil"
KOMPLEMEN = "komplemen"
SEKUNDER = "sekunder"
PRIMER = (KECIL, KOMPLEMEN)


@dataclass(frozen=True)
class Persamaan:
    """``sum(kiri) == sum(kanan)`` over cell ids (e.g. kiri = [kecamatan], kanan = its desa)."""

    kiri: tuple[Hashable, ...]
    kanan: tuple[Hashable, ...]


def primer(nilai: pd.Series, k: int, penyebut: pd.Series | None = None) -> pd.Series:
    """Primary suppression codes.

    Parameters
    ----------
    nilai : Series of int
        Counts of children, indexed by cell id.
    k : int
        Smallest count that may be published besides 0.
    penyebut : Series of int, optional
        Children of the unit the count is taken from (same index); given, the complement rule
        applies: ``0 <= penyebut - nilai < k`` (with ``penyebut > 0``) is hidden too.

    Returns
    -------
    Series of str
        :data:`KECIL`, :data:`KOMPLEMEN` or :data:`TERBIT` per cell.
    """
    x = nilai.astype(int)
    code = pd.Series(TERBIT, index=nilai.index, dtype=object)
    code[(x >= 1) & (x < k)] = KECIL
    if penyebut is not None:
        n = penyebut.reindex(nilai.index).astype(int)
        rest = n - x
        code[(code == TERBIT) & (n > 0) & (rest >= 0) & (rest < k)] = KOMPLEMEN
    return code


def _apriori(code: str, value: int, n: int, cap: int, k: int) -> tuple[int, int]:
    """What an outsider knows of a hidden cell from its mark alone: [low, high]."""
    if code == KECIL:
        return 1, k - 1
    if code == KOMPLEMEN:
        return max(0, n - k + 1), n
    return 0, cap


class _Audit:
    """Cells, their codes and a-priori bounds, and the equations linking them."""

    def __init__(self, nilai: pd.Series, code: pd.Series, n: pd.Series, cap: pd.Series, k: int,
                 equations: Sequence[Persamaan]):
        self.ids = list(nilai.index)
        self.pos = {c: i for i, c in enumerate(self.ids)}
        self.v = nilai.to_numpy(dtype=np.int64)
        self.n = n.reindex(nilai.index).fillna(0).to_numpy(dtype=np.int64)
        self.cap = cap.reindex(nilai.index).fillna(0).to_numpy(dtype=np.int64)
        self.code = list(code.reindex(nilai.index).fillna(TERBIT))
        self.k = k
        self.lo = np.zeros(len(self.ids), dtype=np.int64)
        self.hi = np.zeros(len(self.ids), dtype=np.int64)
        for i, c in enumerate(self.code):
            if c != TERBIT:
                self.lo[i], self.hi[i] = _apriori(c, int(self.v[i]), int(self.n[i]), int(self.cap[i]), k)
        self.eqs: list[tuple[np.ndarray, np.ndarray]] = []
        for eq in equations:
            cells = [self.pos[c] for c in eq.kiri] + [self.pos[c] for c in eq.kanan]
            coef = [-1] * len(eq.kiri) + [1] * len(eq.kanan)
            self.eqs.append((np.array(cells, dtype=np.int64), np.array(coef, dtype=np.int64)))

    def hidden(self, cells: np.ndarray) -> np.ndarray:
        return np.array([self.code[i] != TERBIT for i in cells], dtype=bool)

    def exposed(self, cells: np.ndarray, coef: np.ndarray) -> list[int]:
        """Positions (in ``cells``) of primary cells the equation pins tighter than their mark."""
        hid = self.hidden(cells)
        if not hid.any():
            return []
        const = -int(np.sum(coef[~hid] * self.v[cells[~hid]]))  # sum over hidden a·x = const
        lo, hi = self.lo[cells], self.hi[cells]
        tmin = np.where(coef > 0, lo, -hi)
        tmax = np.where(coef > 0, hi, -lo)
        smin, smax = int(tmin[hid].sum()), int(tmax[hid].sum())
        bad = []
        for j in np.flatnonzero(hid):
            if self.code[cells[j]] not in PRIMER:
                continue
            a_lo = const - (smax - int(tmax[j]))
            a_hi = const - (smin - int(tmin[j]))
            x_lo, x_hi = (a_lo, a_hi) if coef[j] > 0 else (-a_hi, -a_lo)
            if x_lo > lo[j] or x_hi < hi[j]:
                bad.append(int(j))
        return bad

    def hide(self, i: int) -> None:
        self.code[i] = SEKUNDER
        self.lo[i], self.hi[i] = _apriori(SEKUNDER, int(self.v[i]), int(self.n[i]), int(self.cap[i]), self.k)

    def fix(self, cells: np.ndarray, coef: np.ndarray) -> bool:
        """Hide further cells until the equation exposes nothing; True when anything changed."""
        changed = False
        while self.exposed(cells, coef):
            hid = self.hidden(cells)
            # the right-hand side (the parts) first, the totals last: hiding a total spreads
            candidates = [j for j in np.flatnonzero(~hid) if self.cap[cells[j]] > 0]
            if not candidates:
                break  # nothing left to hide: the exposed cells are all the equation has
            candidates.sort(key=lambda j: (coef[j] < 0, self.v[cells[j]] <= 0, self.v[cells[j]]))
            chosen = None
            for j in candidates:
                self.hide(int(cells[j]))
                if not self.exposed(cells, coef):
                    chosen = j
                    break
                self.code[cells[j]] = TERBIT
            if chosen is None:
                chosen = max(candidates, key=lambda j: (coef[j] > 0, self.v[cells[j]]))
                self.hide(int(cells[chosen]))
            changed = True
        return changed


def tekan(nilai: pd.Series, k: int, *, persamaan: Sequence[Persamaan] = (),
          penyebut: pd.Series | None = None, batas: pd.Series | None = None,
          sekunder: bool = True) -> pd.Series:
    """Suppression codes of one column of counts (primary, then secondary).

    Parameters
    ----------
    nilai : Series of int
        Counts, indexed by cell id (unique).
    k : int
        Smallest count published besides 0.
    persamaan : sequence of Persamaan
        Sums linking the cells (every id must be in ``nilai``).
    penyebut : Series of int, optional
        Children of each cell's unit (same index): enables the complement rule.
    batas : Series of int, optional
        The largest value an outsider would allow for each cell (e.g. the unit's children);
        default the largest count of the column. A cell with ``batas`` 0 is never hidden.
    sekunder : bool
        Apply secondary suppression.

    Returns
    -------
    Series of str
        A code per cell: :data:`TERBIT`, :data:`KECIL`, :data:`KOMPLEMEN` or :data:`SEKUNDER`.
    """
    if not nilai.index.is_unique:
        raise ValueError("cell ids must be unique")
    code = primer(nilai, k, penyebut)
    if not sekunder or not len(persamaan):
        return code
    n = penyebut if penyebut is not None else pd.Series(0, index=nilai.index)
    cap = batas if batas is not None else pd.Series(int(nilai.max()), index=nilai.index)
    audit = _Audit(nilai, code, n, cap, k, persamaan)
    changed = True
    while changed:
        changed = False
        for cells, coef in audit.eqs:
            changed |= audit.fix(cells, coef)
    return pd.Series(audit.code, index=nilai.index, dtype=object)


def terbuka(nilai: pd.Series, code: pd.Series, k: int, persamaan: Sequence[Persamaan],
            penyebut: pd.Series | None = None, batas: pd.Series | None = None) -> list[Hashable]:
    """Primary cells that some equation pins tighter than their mark (empty after :func:`tekan`).

    The test of :func:`tekan`, usable on any published table: pass the true values, the codes as
    published, and the equations.
    """
    n = penyebut if penyebut is not None else pd.Series(0, index=nilai.index)
    cap = batas if batas is not None else pd.Series(int(nilai.max()), index=nilai.index)
    audit = _Audit(nilai, code, n, cap, k, persamaan)
    out: list[Hashable] = []
    for cells, coef in audit.eqs:
        out += [audit.ids[int(cells[j])] for j in audit.exposed(cells, coef)]
    return out
