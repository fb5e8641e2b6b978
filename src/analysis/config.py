"""Paths, defined once.

Two kinds of place, never mixed:

* **Package data** (read-only, shipped inside the installed package and found with
  :mod:`importlib.resources`): settings (``analysis/data/config/*.yaml``), reference data
  (``analysis/data/reference/``: WHO tables, Kemendagri wilayah, surveys, indicators) and the
  notebook templates of the reports (``analysis/notebooks/``). They are the same files in a
  source checkout and in a wheel, so the command works from any folder.
* **Work folders** (the user's, writable): the demo data, the cache and the reports. They live
  under the *work root*: the current working directory, or ``KONVERGENSI_ROOT`` when set.
  Every command also takes explicit folders (``--data``, ``--out``, ``--keluaran``); nothing
  is ever written inside the installed package.
"""

from __future__ import annotations

import os
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from analysis.errors import ConfigError

#: Environment variable naming the work root (default: the current working directory).
ROOT_ENV = "KONVERGENSI_ROOT"


def _package_dir() -> Path:
    # A wheel installs as plain files, so the traversable is a real directory; refuse zip
    # imports early rather than fail later on a missing path.
    root = resources.files("analysis")
    path = Path(str(root))
    if not path.is_dir():  # pragma: no cover - only for zipped installs
        raise RuntimeError(f"paket analysis harus terpasang sebagai folder biasa, bukan {root}")
    return path


def _work_root() -> Path:
    env = os.environ.get(ROOT_ENV)
    return Path(env).expanduser().resolve() if env else Path.cwd()


# ---- package data (read-only) ---------------------------------------------------------------
PACKAGE_DIR: Path = _package_dir()
PACKAGE_DATA_DIR: Path = PACKAGE_DIR / "data"
REFERENCE_DIR: Path = PACKAGE_DATA_DIR / "reference"
WHO_DIR: Path = REFERENCE_DIR / "who"
WILAYAH_DIR: Path = REFERENCE_DIR / "wilayah"
CONFIG_DIR: Path = PACKAGE_DATA_DIR / "config"
NOTEBOOKS_DIR: Path = PACKAGE_DIR / "notebooks"

# ---- work folders (the user's) --------------------------------------------------------------
WORK_ROOT: Path = _work_root()
DATA_DIR: Path = WORK_ROOT / "data"
DEMO_DIR: Path = DATA_DIR / "demo"
PROCESSED_DIR: Path = DATA_DIR / "processed"
REPORTS_DIR: Path = WORK_ROOT / "reports"
TEMPLATES_DIR: Path = WORK_ROOT / "templates"


@cache
def load_settings(name: str) -> dict:
    """Parse ``analysis/data/config/<name>.yaml`` (weights, thresholds, rubrics) as plain data.

    Callers read settings through their typed, validated model in :mod:`analysis.pengaturan`;
    this is the raw parse underneath.

    Parameters
    ----------
    name : str
        File stem, e.g. ``"lokus"`` for ``lokus.yaml``.
    """
    path = CONFIG_DIR / f"{name}.yaml"
    if not path.is_file():
        raise ConfigError(f"Berkas konfigurasi tidak ditemukan: {path}")
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"Berkas konfigurasi {path} tidak dapat dibaca: {exc}") from None
