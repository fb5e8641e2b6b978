"""Report parameters: read the template's typed ``parameters`` cell, validate, inject.

A template declares its parameters in the code cell tagged ``parameters``::

    kab: str = "64.74"        # kode Kemendagri kabupaten/kota
    tahun: int = 2024         # tahun laporan
    tamu: str = ""            # kode daerah pembanding, dipisah koma

Each annotated assignment (types ``str``, ``int``, ``float``, ``bool``; an
unannotated assignment takes the type of its literal default) becomes a
parameter, and a command-line option (``tamu`` → ``--tamu``). Values are
validated and coerced *before* anything runs, and injected papermill-style as
a new cell tagged ``injected-parameters`` holding ``name = <repr(value)>``
lines: a value is always a Python literal, never text pasted into code.
"""

from __future__ import annotations

import ast
import copy
import io
import tokenize
import uuid
from dataclasses import dataclass
from typing import Any

from analysis.errors import ParameterError, RenderError

TYPES: dict[str, type] = {"str": str, "int": int, "float": float, "bool": bool}
TYPE_WORDS = {"str": "teks", "int": "bilangan bulat", "float": "angka", "bool": "ya/tidak"}
_TRUE = {"1", "true", "ya", "y", "yes", "benar"}
_FALSE = {"0", "false", "tidak", "t", "no", "salah", ""}
#: Parameters the renderer fills itself (never given on the command line).
INTERNAL = ("data_dir", "output_dir")
#: Parameters holding area codes (validated against analysis/data/reference/wilayah).
AREA_PARAMETERS = ("kab", "tuan_rumah", "tamu", "provinsi")
#: Parameters holding a comma-separated list of district codes.
LIST_PARAMETERS = ("tamu",)


@dataclass(frozen=True)
class Parameter:
    """One declared parameter of a template.

    Attributes
    ----------
    name : parameter name (a Python identifier)
    type : ``"str"``, ``"int"``, ``"float"`` or ``"bool"``
    default : the default value in the template
    help : the comment after the assignment (shown by ``--help``-style messages)
    """

    name: str
    type: str
    default: Any
    help: str = ""

    @property
    def option(self) -> str:
        """Command-line spelling: ``tuan_rumah`` → ``--tuan-rumah``."""
        return "--" + self.name.replace("_", "-")


def source_of(cell: dict) -> str:
    """A cell's source as one string (raw notebook JSON may hold a list of lines)."""
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def parameters_cell(nb: dict) -> tuple[int, dict]:
    """Index and cell of the code cell tagged ``parameters``.

    ``nb`` is a notebook as :mod:`nbformat` reads it or as plain JSON (the renderer
    validates requests without importing nbformat, which costs ~1.5 s).

    Raises
    ------
    RenderError
        When the template has no such cell.
    """
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            return index, cell
    raise RenderError("Templat tidak memiliki sel bertanda 'parameters'.")


def _comments(source: str) -> dict[int, str]:
    found: dict[int, str] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                found[tok.start[0]] = tok.string.lstrip("#").strip()
    except (tokenize.TokenError, IndentationError):
        pass
    return found


def declared_parameters(nb: dict) -> dict[str, Parameter]:
    """The parameters a template declares, in order.

    Raises
    ------
    RenderError
        When the ``parameters`` cell is not simple typed assignments of literals.
    """
    _, cell = parameters_cell(nb)
    source = source_of(cell)
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise RenderError(f"Sel 'parameters' templat tidak dapat dibaca: {exc.msg} (baris {exc.lineno}).") from None
    comments = _comments(source)
    params: dict[str, Parameter] = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name = node.target.id
            kind = node.annotation.id if isinstance(node.annotation, ast.Name) else ast.unparse(node.annotation)
            value_node = node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            kind = None
            value_node = node.value
        else:
            raise RenderError(f"Sel 'parameters' baris {node.lineno}: hanya penugasan bertipe "
                              "seperti `kab: str = \"64.74\"` yang diperbolehkan.")
        try:
            default = ast.literal_eval(value_node) if value_node is not None else None
        except ValueError:
            raise RenderError(f"Sel 'parameters' baris {node.lineno}: nilai bawaan '{name}' harus "
                              "berupa literal (teks, angka, True/False).") from None
        if kind is None:
            kind = type(default).__name__
        if kind not in TYPES:
            raise RenderError(f"Sel 'parameters': tipe '{kind}' untuk '{name}' tidak didukung "
                              f"(gunakan {', '.join(TYPES)}).")
        params[name] = Parameter(name, kind, default, comments.get(node.lineno, ""))
    return params


def coerce(param: Parameter, value: Any) -> Any:
    """Convert a user value (often text from the command line) to the parameter's type.

    Raises
    ------
    ParameterError
        Naming the parameter and the expected type.
    """
    kind = param.type
    if isinstance(value, str):
        raw = value.strip()
        if kind == "str":
            return raw
        if kind == "int":
            try:
                return int(raw)
            except ValueError:
                pass
        elif kind == "float":
            try:
                return float(raw.replace(",", "."))
            except ValueError:
                pass
        elif kind == "bool":
            if raw.lower() in _TRUE:
                return True
            if raw.lower() in _FALSE:
                return False
    else:
        if kind == "bool" and isinstance(value, bool):
            return value
        if kind == "int" and isinstance(value, int) and not isinstance(value, bool):
            return value
        if kind == "float" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if kind == "str" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
    raise ParameterError(param.name, f"nilai '{value}' bukan {TYPE_WORDS[kind]}.",
                         "true/false (ya/tidak)" if kind == "bool" else None)


def resolve(declared: dict[str, Parameter], given: dict[str, Any]) -> dict[str, Any]:
    """Merge defaults with the given values; reject unknown names; coerce types.

    Parameters
    ----------
    declared : the template's parameters (:func:`declared_parameters`)
    given : values by name (``tuan-rumah`` and ``tuan_rumah`` both accepted)

    Returns
    -------
    dict
        Every declared parameter with its final, typed value.
    """
    values = {name: p.default for name, p in declared.items()}
    for raw_name, value in given.items():
        name = raw_name.lstrip("-").replace("-", "_")
        if name not in declared:
            options = ", ".join(p.option for n, p in declared.items() if n not in INTERNAL)
            raise ParameterError(name, "parameter tidak dikenal oleh templat laporan ini.", options)
        values[name] = coerce(declared[name], value)
    return values


def split_codes(value: str) -> list[str]:
    """``"64.08, 64.74"`` → ``["64.08", "64.74"]`` (empty items dropped)."""
    return [v.strip() for v in str(value).split(",") if v.strip()]


def injection_source(values: dict[str, Any]) -> str:
    """The injected cell: one ``name = <literal>`` line per parameter (``repr``, never concatenation)."""
    lines = ["# Parameter yang disuntikkan oleh konvergensi render"]
    for name, value in values.items():
        if not name.isidentifier():
            raise ParameterError(name, "nama parameter tidak sah.")
        if not isinstance(value, (str, int, float, bool)) or value is None:
            raise ParameterError(name, f"nilai bertipe {type(value).__name__} tidak dapat disuntikkan.")
        literal = repr(value)
        # repr of these types is always a literal; check anyway (defence in depth).
        if ast.literal_eval(literal) != value:
            raise ParameterError(name, "nilai tidak dapat ditulis sebagai literal Python.")
        lines.append(f"{name} = {literal}")
    return "\n".join(lines) + "\n"


def inject(nb: dict, values: dict[str, Any]) -> dict:
    """A copy of ``nb`` (nbformat-4 JSON as a ``dict``) with an ``injected-parameters`` cell after ``parameters``.

    Plain JSON, not :mod:`nbformat`: importing nbformat costs ~1 s (its JSON-schema
    validator builds a grammar at import), more than the rest of a render's set-up.
    """
    nb = copy.deepcopy(nb)
    nb["cells"] = [c for c in nb.get("cells", [])
                   if "injected-parameters" not in c.get("metadata", {}).get("tags", [])]
    index, _ = parameters_cell(nb)
    cell: dict[str, Any] = {"cell_type": "code", "execution_count": None,
                            "metadata": {"tags": ["injected-parameters"]}, "outputs": [],
                            "source": injection_source(values)}
    if (nb.get("nbformat", 4), nb.get("nbformat_minor", 0)) >= (4, 5):
        cell["id"] = uuid.uuid4().hex[:8]  # nbformat >= 4.5 requires a cell id
    nb["cells"].insert(index + 1, cell)
    return nb
