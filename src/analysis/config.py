"""Paths, defined once.

Every other module asks this one where things are; nothing hard-codes
``../data``. The project root is found by walking up from this file to the
folder holding ``pyproject.toml``; ``KONVERGENSI_ROOT`` overrides it (useful
when the package is installed elsewhere, or in tests that need a scratch root).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import yaml


def _find_root() -> Path:
    env = os.environ.get("KONVERGENSI_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "data").is_dir():
            return parent
    # Installed outside a checkout: fall back to the working directory.
    return Path.cwd()


PROJECT_ROOT: Path = _find_root()
DATA_DIR: Path = PROJECT_ROOT / "data"
REFERENCE_DIR: Path = DATA_DIR / "reference"
WHO_DIR: Path = REFERENCE_DIR / "who"
WILAYAH_DIR: Path = REFERENCE_DIR / "wilayah"
CONFIG_DIR: Path = DATA_DIR / "config"
DEMO_DIR: Path = DATA_DIR / "demo"
PROCESSED_DIR: Path = DATA_DIR / "processed"
NOTEBOOKS_DIR: Path = PROJECT_ROOT / "notebooks"
REPORTS_DIR: Path = PROJECT_ROOT / "reports"
TEMPLATES_DIR: Path = PROJECT_ROOT / "templates"


@cache
def load_settings(name: str) -> dict:
    """Load ``data/config/<name>.yaml`` (weights, thresholds, rubrics).

    Parameters
    ----------
    name : str
        File stem, e.g. ``"lokus"`` for ``data/config/lokus.yaml``.
    """
    from analysis.errors import ConfigError

    path = CONFIG_DIR / f"{name}.yaml"
    if not path.is_file():
        raise ConfigError(f"Berkas konfigurasi tidak ditemukan: {path}")
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"Berkas konfigurasi {path} tidak dapat dibaca: {exc}") from None
