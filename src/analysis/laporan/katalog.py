"""The report catalogue: every report the suite can render (``analysis/data/config/laporan.yaml``).

One name per report everywhere: the catalogue name ``analisis-situasi`` is the notebook
``notebooks/analisis_situasi.ipynb``, the package :mod:`analysis.laporan.analisis_situasi` and
the settings ``analisis_situasi.yaml`` (:attr:`ReportSpec.paket` gives the underscore form).

The renderer (:mod:`analysis.render`) and the command line read the catalogue here; it imports
no report package (the render driver keeps its imports light: yaml and pydantic only).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from analysis import config, pengaturan
from analysis.errors import ParameterError

#: Environment variable overriding the folder holding the notebook templates (tests).
TEMPLATE_DIR_ENV = "KONVERGENSI_TEMPLATE_DIR"


@dataclass(frozen=True)
class ReportSpec:
    """One entry of the catalogue.

    Attributes
    ----------
    name : report name (``"analisis-situasi"``)
    judul : title of the report
    aksi : the convergence action it serves
    wilayah : parameters naming the report's area, in order of preference
    parameter : parameters every run must receive
    batch : rendered for every district by ``render-all`` by default
    per : ``"provinsi"`` when ``render-all`` renders it once per province, else None
    """

    name: str
    judul: str
    aksi: str
    wilayah: tuple[str, ...]
    parameter: tuple[str, ...]
    batch: bool
    per: str | None = None

    @property
    def paket(self) -> str:
        """The report's one name in Python form: ``"analisis_situasi"``."""
        return self.name.replace("-", "_")

    @property
    def template(self) -> str:
        """Notebook file name: ``"analisis_situasi.ipynb"``."""
        return f"{self.paket}.ipynb"

    @property
    def extra(self) -> dict[str, str]:
        """``{"per": ...}`` when set (read by ``commands/render.py``)."""
        return {"per": self.per} if self.per else {}

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
    """All reports of ``laporan.yaml`` keyed by name (validated by :class:`pengaturan.Katalog`)."""
    return {name: ReportSpec(name=name, judul=e.judul, aksi=e.aksi, wilayah=e.wilayah,
                             parameter=e.parameter, batch=e.batch, per=e.per)
            for name, e in pengaturan.katalog().laporan.items()}


def get_spec(name: str) -> ReportSpec:
    """The catalogue entry of ``name``.

    Raises
    ------
    ParameterError
        When the name is not in the catalogue (the message lists the known names).
    """
    registry = load_registry()
    if name not in registry:
        raise ParameterError("laporan", f"laporan '{name}' tidak dikenal.", ", ".join(registry))
    return registry[name]
