"""The small-count rule of the publication site (analysis.publikasi.kerahasiaan).

Expected codes are worked out by hand from the rule in the module docstring (k = 5):
a primary cell is 1..4 ("kecil") or leaves fewer than 5 children without the status
("komplemen"); a further cell is hidden ("sekunder") while an equation pins a primary cell
tighter than its mark.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.publikasi import kerahasiaan as kr
from analysis.publikasi.kerahasiaan import Persamaan, primer, tekan, terbuka

K = 5


def test_primer_hides_one_to_k_minus_one_and_publishes_zero():
    codes = primer(pd.Series({"a": 0, "b": 1, "c": 4, "d": 5, "e": 120}), K)
    assert codes.to_dict() == {"a": "", "b": "kecil", "c": "kecil", "d": "", "e": ""}


def test_complement_rule():
    # 7 of 10 have the status: 3 without it -> hidden; 5 of 10: 5 without -> published;
    # 6 of 6: all of them -> hidden; 0 of 3: nobody has it, which says nothing of anyone -> published
    x = pd.Series({"a": 7, "b": 5, "c": 6, "d": 0, "e": 0})
    n = pd.Series({"a": 10, "b": 10, "c": 6, "d": 3, "e": 0})
    assert primer(x, K, n).to_dict() == {"a": "komplemen", "b": "", "c": "komplemen", "d": "", "e": ""}


def test_single_hidden_cell_gets_a_partner():
    # kecamatan 30 = 2 + 10 + 18: alone, the 2 is 30 - 10 - 18. Hiding the 10 leaves 2 + x = 12
    # with x unknown in [0, 30]: the 2 may be anything in 1..4 again. The smallest positive cell
    # that protects is taken (10), not the larger 18.
    v = pd.Series({"K": 30, "a": 2, "b": 10, "c": 18})
    eq = [Persamaan(("K",), ("a", "b", "c"))]
    assert tekan(v, K, persamaan=eq).to_dict() == {"K": "", "a": "kecil", "b": "sekunder", "c": ""}
    assert tekan(v, K).to_dict() == {"K": "", "a": "kecil", "b": "", "c": ""}  # no equation, no partner


def test_two_small_cells_that_pin_each_other():
    # 20 = 4 + 4 + 12: the two 4s sum to 8, so each is exactly 4 (both at most 4): hide the 12 too
    v = pd.Series({"K": 20, "a": 4, "b": 4, "c": 12})
    eq = [Persamaan(("K",), ("a", "b", "c"))]
    codes = tekan(v, K, persamaan=eq)
    assert codes.to_dict() == {"K": "", "a": "kecil", "b": "kecil", "c": "sekunder"}
    assert terbuka(v, codes, K, eq) == []
    assert sorted(terbuka(v, primer(v, K), K, eq)) == ["a", "b"]


def test_two_small_cells_with_room_need_no_partner():
    # 13 = 1 + 4 + 8: the pair sums to 5, each of them could be 1..4: nothing more to hide
    v = pd.Series({"K": 13, "a": 1, "b": 4, "c": 8})
    eq = [Persamaan(("K",), ("a", "b", "c"))]
    assert tekan(v, K, persamaan=eq).to_dict() == {"K": "", "a": "kecil", "b": "kecil", "c": ""}


def test_a_small_total_is_protected_by_its_parts():
    # kecamatan of 3 children in one desa: both are 3 ("kecil"); the district equation
    # 50 = 3 + 47 would give the kecamatan back, so the other kecamatan is hidden too
    v = pd.Series({"kab": 50, "kec1": 3, "kec2": 47, "d1": 3, "d2": 0, "d3": 47})
    eqs = [Persamaan(("kab",), ("kec1", "kec2")), Persamaan(("kec1",), ("d1", "d2")),
           Persamaan(("kec2",), ("d3",))]
    codes = tekan(v, K, persamaan=eqs)
    assert codes.to_dict() == {"kab": "", "kec1": "kecil", "kec2": "sekunder", "d1": "kecil", "d2": "",
                               "d3": "sekunder"}
    assert terbuka(v, codes, K, eqs) == []


def test_groups_of_puskesmas_and_desa():
    # two puskesmas share desa: P1 + P2 = d1 + d2 + d3, with d2 = 2 the only small cell
    v = pd.Series({"P1": 30, "P2": 20, "d1": 25, "d2": 2, "d3": 23})
    eq = [Persamaan(("P1", "P2"), ("d1", "d2", "d3"))]
    codes = tekan(v, K, persamaan=eq)
    assert codes["d2"] == kr.KECIL
    assert (codes == kr.SEKUNDER).sum() == 1
    assert terbuka(v, codes, K, eq) == []


def test_upper_bound_zero_is_never_chosen():
    # a partner must be able to hide something: a unit without children is never a partner
    v = pd.Series({"K": 9, "a": 3, "z": 0, "c": 6})
    eq = [Persamaan(("K",), ("a", "z", "c"))]
    cap = pd.Series({"K": 9, "a": 10, "z": 0, "c": 10})
    assert tekan(v, K, persamaan=eq, batas=cap).to_dict() == {"K": "", "a": "kecil", "z": "", "c": "sekunder"}


def test_ids_must_be_unique():
    with pytest.raises(ValueError):
        tekan(pd.Series([1, 2], index=["a", "a"]), K)
