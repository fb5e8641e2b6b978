"""analysis.growth.tables: the shipped WHO tables, their checksums, and the lookup arrays."""

from __future__ import annotations

import csv
import hashlib
import re
import shutil

import numpy as np
import pytest

from analysis import config
from analysis.errors import ReferenceDataError
from analysis.growth import tables as tables_mod


def _readme_checksums() -> dict[str, str]:
    text = (config.WHO_DIR / "README.md").read_text(encoding="utf-8")
    return dict((name, digest) for digest, name in re.findall(r"^([0-9a-f]{64})\s+(\S+\.csv)$",
                                                              text, flags=re.M))


def test_tables_match_their_recorded_sha256():
    sums = _readme_checksums()
    assert len(sums) == 9
    for name, digest in sums.items():
        assert hashlib.sha256((config.WHO_DIR / name).read_bytes()).hexdigest() == digest, name


def _csv_rows(name):
    with (config.WHO_DIR / f"{name}.csv").open(newline="") as fh:
        return list(csv.DictReader(fh))


def test_age_table_lookup_returns_the_csv_row():
    t = tables_mod.load_tables()
    for name, table in (("lenanthro", t.haz), ("weianthro", t.waz), ("bmianthro", t.baz)):
        rows = _csv_rows(name)
        for row in rows[::397]:
            i = table.index(np.array([int(row["sex"])]), np.array([int(row["age"])]))[0]
            assert (table.l[i], table.m[i], table.s[i]) == (
                float(row["l"]), float(row["m"]), float(row["s"]))


def test_length_table_lookup_returns_the_csv_row():
    t = tables_mod.load_tables().wfhl
    for which, (name, key) in enumerate(tables_mod.LENGTH_TABLES.values()):
        for row in _csv_rows(name)[::97]:
            k = round(float(row[key]) * 10)
            i = t.index(np.array([int(row["sex"])]), np.array([which]), np.array([k]))[0]
            assert (t.l[i], t.m[i], t.s[i]) == (float(row["l"]), float(row["m"]), float(row["s"]))


def test_sentinel_block_and_padding_are_nan():
    t = tables_mod.load_tables()
    assert np.isnan(t.haz.m[: t.haz.max_day + 1]).all()
    w = t.wfhl
    # length table stops at 110.0 cm: its 110.1 cm neighbour is NaN
    i = w.index(np.array([1]), np.array([0]), np.array([1101]))[0]
    assert np.isnan(w.m[i])


def test_gap_in_a_table_is_a_reference_error(tmp_path, monkeypatch):
    for f in config.WHO_DIR.glob("*.csv"):
        shutil.copy(f, tmp_path / f.name)
    lines = (tmp_path / "weianthro.csv").read_text().splitlines()
    del lines[100]
    (tmp_path / "weianthro.csv").write_text("\n".join(lines) + "\n")
    monkeypatch.setattr(config, "WHO_DIR", tmp_path)
    tables_mod.load_tables.cache_clear()
    try:
        with pytest.raises(ReferenceDataError, match="weianthro"):
            tables_mod.load_tables()
        (tmp_path / "lenanthro.csv").unlink()
        with pytest.raises(ReferenceDataError, match="tidak ditemukan"):
            tables_mod._age_table("lenanthro")
    finally:
        tables_mod.load_tables.cache_clear()
