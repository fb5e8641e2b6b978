"""The shape of the house, checked: who may import whom (parsed with ``ast``, nothing imported).

Rules (docs/architecture.md, "The report layer"):

1. No report package imports another (``analysis.laporan.<report>`` for every sub-package).
2. Nothing in the report layer (``analysis.laporan``) imports the renderer (``analysis.render``).
3. Indicator modules never import the dataset loader (``analysis.dataset``) nor the report layer.
4. The renderer imports no report package nor ``bersama``; it may use the catalogue and the API.
5. Charts import no report package (they draw what a report hands them).

Every import counts: at the top, inside functions, under ``TYPE_CHECKING``. The checker is
itself tested on a small fake package, so a rule that silently matches nothing fails too.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

#: Indicator modules: pure functions on tables (architecture: growth → indicators → laporan).
INDICATORS = ("analysis.prevalence", "analysis.quality", "analysis.coverage", "analysis.lokus",
              "analysis.trend", "analysis.budget", "analysis.convergence", "analysis.aksi",
              "analysis.stats")
#: What the renderer may use of the report layer.
RENDER_MAY_USE = ("analysis.laporan", "analysis.laporan.katalog", "analysis.laporan.dokumen",
                  "analysis.laporan.markdown", "analysis.laporan.parameter")


@dataclass(frozen=True)
class Import:
    source: str      # importing module
    target: str      # imported module (resolved to a module of the package where possible)
    line: int


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports(root: Path, package: str = "analysis") -> list[Import]:
    """Every import of every module under ``root/package``, resolved to module names."""
    files = sorted((root / package).rglob("*.py"))
    modules = {module_name(p, root) for p in files}
    out: list[Import] = []
    for path in files:
        name = module_name(path, root)
        is_pkg = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                out += [Import(name, alias.name, node.lineno) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = name.split(".") if is_pkg else name.split(".")[:-1]
                    anchor = anchor[: len(anchor) - (node.level - 1)]
                    base = ".".join(anchor + ([base] if base else []))
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    out.append(Import(name, full if full in modules else base, node.lineno))
    return out


def reports(root: Path) -> list[str]:
    """The report packages: sub-packages of ``analysis/laporan``."""
    laporan = root / "analysis" / "laporan"
    return sorted(f"analysis.laporan.{p.name}" for p in laporan.iterdir()
                  if (p / "__init__.py").is_file())


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def violations(root: Path) -> list[str]:
    found = []
    packages = reports(root)
    for imp in imports(root):
        where = f"{imp.source}:{imp.line} imports {imp.target}"
        own = next((r for r in packages if within(imp.source, r)), None)
        for other in packages:
            if own and other != own and within(imp.target, other):
                found.append(f"rule 1 (a report imports another): {where}")
        if within(imp.source, "analysis.laporan") and within(imp.target, "analysis.render"):
            found.append(f"rule 2 (the report layer imports the renderer): {where}")
        if imp.source in INDICATORS and (within(imp.target, "analysis.dataset")
                                         or within(imp.target, "analysis.laporan")):
            found.append(f"rule 3 (an indicator imports the loader or a report): {where}")
        if within(imp.source, "analysis.render") and within(imp.target, "analysis.laporan") \
                and imp.target not in RENDER_MAY_USE:
            found.append(f"rule 4 (the renderer imports a report): {where}")
        if within(imp.source, "analysis.charts") and within(imp.target, "analysis.laporan"):
            found.append(f"rule 5 (a chart imports a report): {where}")
    return found


def test_the_package_keeps_the_rules():
    assert violations(SRC) == []


def test_the_rules_see_every_report_and_indicator():
    assert reports(SRC) == ["analysis.laporan.analisis_situasi", "analysis.laporan.reviu_kinerja",
                            "analysis.laporan.studi_tiru"]
    names = {module_name(p, SRC) for p in (SRC / "analysis").rglob("*.py")}
    assert set(INDICATORS) <= names


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, body in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")


def test_the_checker_catches_each_broken_rule(tmp_path):
    _write(tmp_path, {
        "analysis/__init__.py": "",
        "analysis/dataset.py": "",
        "analysis/trend.py": "def f():\n    from analysis.dataset import x\n",  # rule 3, lazy
        "analysis/render/__init__.py": "",
        "analysis/render/html.py": "from analysis.laporan import dokumen, satu\n",  # rule 4
        "analysis/charts/__init__.py": "",
        "analysis/charts/banding.py": "from analysis.laporan.dua.hitung import K\n",  # rule 5
        "analysis/laporan/__init__.py": "",
        "analysis/laporan/dokumen.py": "import analysis.render.html\n",  # rule 2
        "analysis/laporan/satu/__init__.py": "",
        "analysis/laporan/satu/hitung.py": "from ..dua import hitung\n",  # rule 1, relative
        "analysis/laporan/dua/__init__.py": "",
        "analysis/laporan/dua/hitung.py": "from analysis.laporan.satu import hitung as h\n",
    })
    found = violations(tmp_path)
    for rule in range(1, 6):
        assert any(f.startswith(f"rule {rule} ") for f in found), (rule, found)
    assert sum(f.startswith("rule 1 ") for f in found) == 2
    assert not any("dokumen" in f and "rule 4" in f for f in found)  # the API is allowed


@pytest.mark.parametrize("source, expected", [
    ("from . import kalimat", "analysis.laporan.satu.kalimat"),
    ("from .. import bersama", "analysis.laporan.bersama"),
])
def test_relative_imports_are_resolved(tmp_path, source, expected):
    _write(tmp_path, {
        "analysis/__init__.py": "", "analysis/laporan/__init__.py": "",
        "analysis/laporan/bersama.py": "", "analysis/laporan/satu/__init__.py": "",
        "analysis/laporan/satu/kalimat.py": "", "analysis/laporan/satu/hitung.py": source + "\n",
    })
    targets = {i.target for i in imports(tmp_path) if i.source == "analysis.laporan.satu.hitung"}
    assert targets == {expected}
