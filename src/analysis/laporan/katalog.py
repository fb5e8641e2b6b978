"""The report registry, read from ``analysis/data/config/laporan.yaml`` (data, not code)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from analysis import config
from analysis.errors import ConfigError, ParameterError

#: Environment variable overriding the folder holding the notebook templates (tests).
TEMPLATE_DIR_ENV = "KONVERGENSI_TEMPLATE_DIR"


@dataclass(frozen=True)
class ReportSpec:
    """One entry of the registry.

    Attributes
    ----------
    name : report name (``"analisis-situasi"``)
    template : notebook file name in the template folder
    judul : title of the report
    aksi : the convergence action it serves
    wilayah : parameters naming the report's area, in order of preference
    parameter : parameters every run must receive
    batch : rendered for every district by ``render-all`` by default
    """

    name: str
    template: str
    judul: str
    aksi: str = ""
    wilayah: tuple[str, ...] = ("kab",)
    parameter: tuple[str, ...] = ("kab", "tahun")
    batch: bool = True
    extra: dict = field(default_factory=dict, compare=False)

    def template_path(self, template_dir: Path | None = None) -> Path:
        """Path of the notebook template (``template_dir`` > env override > ``notebooks/``)."""
        return template_folder(template_dir) / self.template


def template_folder(template_dir: Path | None = None) -> Path:
    """The folder holding the notebook templates."""
    if template_dir is not None:
        return Path(template_dir)
    env = os.environ.get(TEMPLATE_DIR_ENV)
    return Path(env) if env else config.NOTEBOOKS_DIR


def load_registry() -> dict[str, ReportSpec]:
    """All reports of ``analysis/data/config/laporan.yaml`` keyed by name."""
    raw = config.load_settings("laporan")
    specs: dict[str, ReportSpec] = {}
    for name, entry in raw.items():
        if not isinstance(entry, dict) or "template" not in entry or "judul" not in entry:
            raise ConfigError(f"laporan.yaml: entri '{name}' harus memuat 'template' dan 'judul'.")
        known = {"template", "judul", "aksi", "wilayah", "parameter", "batch"}
        specs[name] = ReportSpec(
            name=name,
            template=entry["template"],
            judul=entry["judul"],
            aksi=str(entry.get("aksi", "")),
            wilayah=tuple(entry.get("wilayah", ["kab"])),
            parameter=tuple(entry.get("parameter", ["kab", "tahun"])),
            batch=bool(entry.get("batch", True)),
            extra={k: v for k, v in entry.items() if k not in known},
        )
    return specs


def get_spec(name: str) -> ReportSpec:
    """The registry entry of ``name``.

    Raises
    ------
    ParameterError
        When the name is not in the registry (the message lists the known names).
    """
    registry = load_registry()
    if name not in registry:
        raise ParameterError("laporan", f"laporan '{name}' tidak dikenal.", ", ".join(registry))
    return registry[name]
