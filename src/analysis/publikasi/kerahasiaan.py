"""The small-count rule: which published cells are hidden so that no child can be identified.

Rule (k from ``publikasi.yaml``, ``kerahasiaan``):

1. *Primary*: a count of children between 1 and k − 1 is hidden (``kecil``); with ``komplemen``,
   a count of k or more whose complement (children of the unit *without* the status) is between
   0 and k − 1 is hidden too (``komplemen``: nearly every child has the status). 0 is published.
2. *Secondary* (``sekunder``): the tables hold totals (a kecamatan is the sum of its desa, the
   district the sum of its kecamatan and of its puskesmas, a group of puskesmas the sum of the
   desa of their children). The hidden cells are unknowns an outsider can bound from the
   published cells: start from what each mark says (1..k − 1 for ``kecil``, 0..the unit's
   children for ``sekunder``) and narrow every interval with every equation until nothing
   changes. A small cell is *protected* when its interval still holds more than one value
   (nobody can compute it back). While one is not: hide a further published cell of the
   equations that pin it (the smallest positive part that protects it); if none does, because
   the marks themselves pin it (a puskesmas "< 5" over four desa "< 5" is 4, each desa 1),
   show the small cell, or one of its neighbours, as ``sekunder`` instead of "< k", which says
   nothing of its size; as a last resort hide the largest part and look again.
3. Whatever is computed from a hidden count (its prevalence, interval, change from last year,
   coverage) is hidden with it: given the published denominator it would give the count back.

Two passes: interval propagation (fast, follows chains such as district = its kecamatan, a
kecamatan = its only desa) finds and fixes most pins; then an exact audit solves, for every
small hidden cell, the linear programme of all equations at once (what an outsider with a
solver would know) and fixes what is still pinned. Integrality is not used, so an outsider who
also uses that every count is a whole number knows at most what the audit assumes; rounding is
handled by requiring at least two whole numbers in the range.

Functions here work on plain Series keyed by any hashable cell id and know nothing of the site.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linprog

#: Reason codes of a hidden cell ("" = published).
TERBIT = ""
KECIL = "kecil"
KOMPLEMEN = "komplemen"
SEKUNDER = "sekunder"
PRIMER = (KECIL, KOMPLEMEN)
#: Candidates tried per remedy (each costs one propagation) before the next remedy.
MAX_TRIALS = 6


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
        applies: a count of at least k with ``0 <= penyebut - nilai < k`` (nearly every child of
        the unit has the status) is hidden too. A 0 is never hidden: "no child of the three has
        the status" discloses nothing sensitive about any of them.

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
        code[(code == TERBIT) & (x >= k) & (rest >= 0) & (rest < k)] = KOMPLEMEN
    return code


def _apriori(code: str, value: int, n: int, cap: int, k: int) -> tuple[int, int]:
    """What an outsider knows of a hidden cell from its mark alone: [low, high]."""
    if code == KECIL:
        return 1, k - 1
    if code == KOMPLEMEN:
        return max(k, n - k + 1), n
    return 0, cap


class _Audit:
    """Cells, their marks and a-priori bounds, and the equations linking them.

    An outsider's knowledge is modelled as an interval per hidden cell: its mark's range at
    first, then narrowed by every equation in turn until nothing changes (interval propagation,
    so that a chain such as kecamatan = its only desa, district = sum of kecamatan is followed).
    """

    def __init__(self, nilai: pd.Series, code: pd.Series, n: pd.Series, cap: pd.Series, k: int,
                 equations: Sequence[Persamaan], sensitive: pd.Series | None = None):
        self.ids = list(nilai.index)
        pos = {c: i for i, c in enumerate(self.ids)}
        self.v = nilai.to_numpy(dtype=np.int64)
        self.n = n.reindex(nilai.index).fillna(0).to_numpy(dtype=np.int64)
        self.cap = cap.reindex(nilai.index).fillna(0).to_numpy(dtype=np.int64)
        self.code = list(code.reindex(nilai.index).fillna(TERBIT))
        # small by value, whatever the mark shown (a small cell may be shown as "sekunder")
        base = self.code if sensitive is None else list(sensitive.reindex(nilai.index).fillna(False))
        self.sensitive = np.array([c in PRIMER if isinstance(c, str) else bool(c) for c in base])
        self.k = k
        self.lo0 = self.v.copy()  # a-priori bounds; a published cell is known exactly
        self.hi0 = self.v.copy()
        for i in range(len(self.ids)):
            self._mark(i, self.code[i])
        self.eqs: list[tuple[np.ndarray, np.ndarray]] = []
        self.of_cell: dict[int, list[int]] = {}
        for eq in equations:
            cells = [pos[c] for c in eq.kiri] + [pos[c] for c in eq.kanan]
            coef = [-1] * len(eq.kiri) + [1] * len(eq.kanan)
            for c in cells:
                self.of_cell.setdefault(c, []).append(len(self.eqs))
            self.eqs.append((np.array(cells, dtype=np.int64), np.array(coef, dtype=np.int64)))

    def _mark(self, i: int, code: str) -> None:
        self.code[i] = code
        if code == TERBIT:
            self.lo0[i] = self.hi0[i] = self.v[i]
        else:
            self.lo0[i], self.hi0[i] = _apriori(code, int(self.v[i]), int(self.n[i]), int(self.cap[i]), self.k)

    def hidden(self, i: int) -> bool:
        return self.code[i] != TERBIT

    @staticmethod
    def _implied(cells: np.ndarray, coef: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Range of every cell of ``sum(coef * x) == 0`` given the others' ranges."""
        low, high = lo[cells], hi[cells]
        tmin = np.where(coef > 0, low, -high)
        tmax = np.where(coef > 0, high, -low)
        a_lo = -(tmax.sum() - tmax)  # coef_j * x_j = -(sum of the other terms)
        a_hi = -(tmin.sum() - tmin)
        return np.where(coef > 0, a_lo, -a_hi), np.where(coef > 0, a_hi, -a_lo)

    def propagate(self) -> tuple[np.ndarray, np.ndarray]:
        """The outsider's bounds of every cell after all equations (fixpoint)."""
        lo, hi = self.lo0.copy(), self.hi0.copy()
        for _ in range(100):
            changed = False
            for cells, coef in self.eqs:
                x_lo, x_hi = self._implied(cells, coef, lo, hi)
                new_lo = np.maximum(lo[cells], x_lo)
                new_hi = np.minimum(hi[cells], x_hi)
                if (new_lo != lo[cells]).any() or (new_hi != hi[cells]).any():
                    lo[cells], hi[cells] = new_lo, new_hi
                    changed = True
            if not changed:
                break
        return lo, hi

    def exposed(self, lo: np.ndarray, hi: np.ndarray) -> list[int]:
        """Small cells the outsider can pin to one value."""
        return [int(i) for i in np.flatnonzero(self.sensitive & (lo >= hi))]

    def _protected_with(self, i: int, j: int, code: str) -> bool:
        """Whether giving cell ``j`` the mark ``code`` protects cell ``i`` (state restored)."""
        before = self.code[j]
        self._mark(j, code)
        lo, hi = self.propagate()
        self._mark(j, before)
        return bool(lo[i] < hi[i])

    def fix(self, i: int, lo: np.ndarray, hi: np.ndarray) -> bool:
        """One remedy for the pinned small cell ``i``; False when nothing is left to try."""
        pinned = {j for j in range(len(self.ids)) if self.hidden(j) and lo[j] >= hi[j]} | {i}
        eqs = {e for j in pinned for e in self.of_cell.get(j, [])}
        cells = {int(c) for e in eqs for c in self.eqs[e][0]}
        free = {c for c in cells if not self.hidden(c) and self.cap[c] > 0}
        parts = {int(c) for e in eqs for c, a in zip(*self.eqs[e], strict=True) if a > 0} & free
        def first_protecting(group: set[int]) -> int | None:
            for c in sorted(group, key=lambda c: (self.v[c] <= 0, self.v[c], c))[:MAX_TRIALS]:
                if self._protected_with(i, c, SEKUNDER):
                    return c
            return None

        # 1. a further published part (sibling desa, other kecamatan)
        c = first_protecting(parts)
        # 2. the marks pin it: say less about the small cell itself, or about a small neighbour
        if c is None:
            marked = [i] + sorted(c for c in cells & pinned if c != i and self.code[c] in PRIMER)
            marked += sorted(c for c in cells if c not in marked and self.code[c] in PRIMER)
            c = next((m for m in marked[:MAX_TRIALS]
                      if self.code[m] in PRIMER and self._protected_with(i, m, SEKUNDER)), None)
        # 3. the largest part widens the most (the next round looks again); a total only when
        #    no part is left, since hiding a total spreads to the level above
        if c is None and parts:
            c = max(parts, key=lambda c: (self.v[c], -c))
        if c is None and free:
            c = first_protecting(free)
            if c is None:
                c = max(free, key=lambda c: (self.v[c], -c))
        if c is None and self.code[i] in PRIMER:
            c = i
        if c is None:
            return False
        self._mark(c, SEKUNDER)
        return True

    # -------------------------------------------------------------- the exact audit ----

    def _matrix(self) -> np.ndarray:
        if not hasattr(self, "_a"):
            a = np.zeros((len(self.eqs), len(self.ids)))
            for r, (cells, coef) in enumerate(self.eqs):
                np.add.at(a[r], cells, coef)
            self._a = a
        return self._a

    def _lp(self, i: int, sign: float) -> float | None:
        """Smallest (``sign`` 1) or largest (−1) value of cell ``i`` consistent with what is published.

        A linear programme (HiGHS through :func:`scipy.optimize.linprog`) over the hidden cells,
        with all equations at once and the marks' bounds: what an outsider solving the whole
        system would know (without integrality, so at most as tight as the truth). None when no
        equation holds a hidden cell.
        """
        a = self._matrix()
        hid = np.array([self.hidden(j) for j in range(len(self.ids))])
        cols = np.flatnonzero(hid)
        a_h = a[:, cols]
        keep = np.abs(a_h).sum(axis=1) > 0
        if not keep.any():
            return None
        b = -a[keep][:, ~hid] @ self.v[~hid]
        res = linprog(sign * (cols == i).astype(float), A_eq=a_h[keep], b_eq=b,
                      bounds=list(zip(self.lo0[cols], self.hi0[cols], strict=True)), method="highs")
        if res.status != 0:  # cannot happen with the true values; treat as known
            return float(self.v[i])
        return sign * float(res.fun)

    def lp_pinned(self, i: int) -> bool:
        """Whether an outsider solving all equations can compute cell ``i`` back (one whole number left).

        The side where the cell has room by its mark is tried first; when the cell can move by one
        there, the other programme is not needed.
        """
        v = float(self.v[i])
        first = -1.0 if self.hi0[i] > self.v[i] else 1.0
        for sign in (first, -first):
            bound = self._lp(i, sign)
            if bound is None:
                return bool(self.lo0[i] >= self.hi0[i])
            if (sign < 0 and np.floor(bound + 1e-7) >= v + 1) or (sign > 0 and np.ceil(bound - 1e-7) <= v - 1):
                return False
        return True

    def _lp_fix(self, i: int) -> bool:
        """Hide or relabel until the exact audit cannot pin cell ``i``; False if nothing helps."""
        eqs = set(self.of_cell.get(i, []))
        near = {int(c) for e in eqs for c in self.eqs[e][0]}
        # the equations of the hidden neighbours too: a pin can travel through them
        eqs |= {e for c in near if self.hidden(c) for e in self.of_cell.get(c, [])}
        cells = {int(c) for e in eqs for c in self.eqs[e][0]}
        parts = {int(c) for e in eqs for c, a in zip(*self.eqs[e], strict=True) if a > 0}
        free = sorted((c for c in cells if not self.hidden(c) and self.cap[c] > 0),
                      key=lambda c: (c not in parts, self.v[c] <= 0, self.v[c], c))
        relabel = [c for c in [i, *sorted(cells)] if self.code[c] in PRIMER]
        for c, code in [(c, SEKUNDER) for c in free[:MAX_TRIALS]] + [(c, SEKUNDER) for c in relabel[:MAX_TRIALS]]:
            before = self.code[c]
            self._mark(c, code)
            if not self.lp_pinned(i):
                return True
            self._mark(c, before)
        if free:  # the smallest part again (measured on Kutai Kartanegara: fewer cells hidden than
            # taking the largest, 96 against 117); the caller looks again
            self._mark(free[0], SEKUNDER)
            return True
        if relabel:
            self._mark(relabel[0], SEKUNDER)
            return True
        return False

    def run_lp(self) -> None:
        """The exact audit: every small hidden cell in turn, fixed until it cannot be pinned.

        Hiding a cell or giving it a vaguer mark only widens what an outsider can infer, so a
        cell found safe stays safe: one pass over the small cells is enough.
        """
        for i in np.flatnonzero(self.sensitive):
            for _ in range(len(self.ids)):
                if not self.hidden(int(i)) or not self.lp_pinned(int(i)) or not self._lp_fix(int(i)):
                    break

    def run(self) -> None:
        """Apply remedies until no small cell can be pinned (or nothing is left to try)."""
        stuck: set[int] = set()
        for _ in range(10 * len(self.ids) + 10):
            lo, hi = self.propagate()
            todo = [i for i in self.exposed(lo, hi) if i not in stuck]
            if not todo:
                return
            if not self.fix(todo[0], lo, hi):
                stuck.add(todo[0])


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
    audit.run()  # fast: interval propagation finds and fixes most pins
    audit.run_lp()  # exact: what remains pinned when all equations are solved together
    return pd.Series(audit.code, index=nilai.index, dtype=object)


def terbuka(nilai: pd.Series, code: pd.Series, k: int, persamaan: Sequence[Persamaan],
            penyebut: pd.Series | None = None, batas: pd.Series | None = None) -> list[Hashable]:
    """Small cells an outsider can pin to one value from the equations (empty after :func:`tekan`).

    The test of :func:`tekan`, usable on any published table: pass the true values, the codes as
    published, and the equations.
    """
    n = penyebut if penyebut is not None else pd.Series(0, index=nilai.index)
    cap = batas if batas is not None else pd.Series(int(nilai.max()), index=nilai.index)
    small = primer(nilai, k, penyebut).isin(PRIMER)
    audit = _Audit(nilai, code, n, cap, k, persamaan, sensitive=small)
    return [audit.ids[int(i)] for i in np.flatnonzero(audit.sensitive)
            if audit.hidden(int(i)) and audit.lp_pinned(int(i))] + \
        [audit.ids[int(i)] for i in np.flatnonzero(audit.sensitive) if not audit.hidden(int(i))]

