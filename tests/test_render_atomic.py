"""Staging folders: removed after use, and after a kill by the next run, never while in use."""

from __future__ import annotations

import os
import time

import pytest

from analysis.render import atomic

fcntl = pytest.importorskip("fcntl")


def test_staging_is_removed_whatever_happens(tmp_path):
    out = tmp_path / "2024" / "64.74-kota-bontang"
    with atomic.staging(out, "analisis-situasi") as tmp:
        assert (tmp / atomic.OWNER_FILE).is_file()
        seen = tmp
    assert not seen.exists()
    with pytest.raises(RuntimeError), atomic.staging(out, "analisis-situasi") as tmp:
        seen = tmp
        raise RuntimeError("gagal")
    assert not seen.exists()


def test_only_folders_without_a_live_owner_are_cleaned(tmp_path):
    out = tmp_path / "2024" / "64.74-kota-bontang"
    root = out.parent / atomic.TEMP_FOLDER
    root.mkdir(parents=True)
    # left by a killed process: an owner file nobody holds
    dead = root / "64.74-kota-bontang.analisis-situasi.mati"
    dead.mkdir()
    (dead / atomic.OWNER_FILE).write_text("12345")
    (dead / "analisis-situasi.html").write_text("setengah")
    # killed between creating the folder and locking it: no owner file, old
    early = root / "64.74-kota-bontang.analisis-situasi.awal"
    early.mkdir()
    old = time.time() - 3600
    os.utime(early, (old, old))
    # just created by a concurrent run that is about to lock it: no owner file, new
    fresh = root / "64.74-kota-bontang.analisis-situasi.baru"
    fresh.mkdir()
    with atomic.staging(out, "reviu-kinerja") as live:  # a live render in this very process
        removed = atomic.clean_abandoned([out])
        assert live.is_dir()
    assert sorted(removed) == sorted([dead, early])
    assert not dead.exists() and not early.exists() and fresh.is_dir()


def test_a_file_system_without_flock_still_stages(tmp_path, monkeypatch):
    class NoFlock:  # a stand-in for this module only; the real fcntl stays untouched
        LOCK_EX, LOCK_NB = fcntl.LOCK_EX, fcntl.LOCK_NB

        @staticmethod
        def flock(*args):
            raise OSError(38, "Function not implemented")

    monkeypatch.setattr(atomic, "fcntl", NoFlock)
    with atomic.staging(tmp_path / "2024" / "x", "a") as tmp:
        assert tmp.is_dir()

