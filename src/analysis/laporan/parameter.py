"""The typed check of a notebook's parameters: one call at the top of every report notebook.

A report notebook declares its parameters in the cell tagged ``parameters`` as typed
assignments (``kab: str = "64.74"``, ``tahun: int = 2024``). ``konvergensi render`` checks
values before it runs anything; a notebook run any other way (papermill ``-p``, JupyterLab)
gets the same care from its first code cell::

    from analysis.laporan import periksa_parameter
    prm = periksa_parameter(globals())      # prm.kab, prm.tahun, prm.data_dir, ...

The declared types come from the notebook itself (the ``__annotations__`` its parameters cell
leaves in the namespace). Values are coerced where the intent is unambiguous and refused with
an Indonesian message otherwise:

- papermill's ``-p kab 64.08`` injects the *number* 64.08; a district code is always
  ``NN.NN``, so it becomes ``"64.08"`` (``-p kab 64.10`` → 64.1 → ``"64.10"``). A province
  code given as ``64`` becomes ``"64"``. Other text parameters given a number are refused.
- ``tahun: int`` accepts ``2024``, ``2024.0`` and ``"2024"``; ``2024.5`` or ``"dua ribu"`` are
  refused.
- area codes (``kab``, ``tuan_rumah``, ``provinsi`` and every code in ``tamu``) must be known
  Kemendagri codes (:func:`analysis.keluaran.check_area`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, cast

from analysis import keluaran
from analysis.errors import ParameterError

#: Parameters holding one area code (district ``NN.NN`` or province ``NN``).
KODE_WILAYAH = ("kab", "tuan_rumah", "provinsi")
#: Parameters holding a comma-separated list of district codes.
DAFTAR_KODE = ("tamu",)
TYPES: dict[str, type] = {"str": str, "int": int, "float": float, "bool": bool}
_WORDS = {str: "teks", int: "bilangan bulat", float: "angka", bool: "ya/tidak"}
_TRUE = {"1", "true", "ya", "y", "yes", "benar"}
_FALSE = {"0", "false", "tidak", "t", "no", "salah"}


class Parameter(Mapping[str, Any]):
    """Checked parameter values: ``prm.kab`` or ``prm["kab"]`` (read-only)."""

    def __init__(self, values: Mapping[str, Any]):
        self._values = dict(values)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"parameter '{name}' tidak dideklarasikan di sel parameters") from None

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return "Parameter(" + ", ".join(f"{k}={v!r}" for k, v in self._values.items()) + ")"


def _declared(annotation: Any) -> type:
    if isinstance(annotation, str):
        annotation = TYPES.get(annotation, annotation)
    if annotation not in _WORDS:
        raise ParameterError("parameters", f"tipe parameter {annotation!r} tidak didukung.",
                             ", ".join(TYPES))
    return cast(type, annotation)


def _code_text(name: str, value: int | float) -> str:
    """A code injected as a number: ``64.08`` → ``"64.08"``, ``64`` → ``"64"``."""
    if isinstance(value, int):
        return f"{value:02d}"
    return f"{value:.2f}"


def _as_str(name: str, value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool) \
            and (name in KODE_WILAYAH or name in DAFTAR_KODE):
        return _code_text(name, value)
    raise ParameterError(name, f"harus berupa teks, bukan {type(value).__name__} {value!r}. "
                               f"Dengan papermill tulis nilainya sebagai teks: -r {name} NILAI.")


def _as_int(name: str, value: Any) -> int:
    if isinstance(value, bool):
        raise ParameterError(name, f"harus bilangan bulat, bukan {value!r}.")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    raise ParameterError(name, f"harus bilangan bulat, bukan {value!r}.")


def _as_float(name: str, value: Any) -> float:
    if isinstance(value, bool):
        raise ParameterError(name, f"harus angka, bukan {value!r}.")
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).strip().replace(",", "."))
    except ValueError:
        raise ParameterError(name, f"harus angka, bukan {value!r}.") from None


def _as_bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in _TRUE or word in _FALSE:
        return word in _TRUE
    raise ParameterError(name, f"harus ya/tidak, bukan {value!r}.", "ya, tidak, true, false, 1, 0")


_COERCE = {str: _as_str, int: _as_int, float: _as_float, bool: _as_bool}


def periksa(namespace: Mapping[str, Any]) -> Parameter:
    """Check and coerce the parameters a notebook declared; return them.

    Parameters
    ----------
    namespace : mapping
        The notebook's ``globals()``: its ``__annotations__`` give the declared parameters and
        types, its variables the values (defaults, or those injected by papermill or the
        renderer).

    Returns
    -------
    Parameter
        The values with their declared types; area codes are known Kemendagri codes.

    Raises
    ------
    ParameterError
        Naming the parameter, the value and what is expected.
    """
    declared = dict(namespace.get("__annotations__", {}))
    if not declared:
        raise ParameterError("parameters", "sel parameters tidak mendeklarasikan parameter bertipe "
                                           "(mis. kab: str = \"64.74\").")
    values: dict[str, Any] = {}
    for name, annotation in declared.items():
        if name not in namespace:
            raise ParameterError(name, "dideklarasikan tetapi tidak diberi nilai.")
        kind = _declared(annotation)
        values[name] = _COERCE[kind](name, namespace[name])
    for name in KODE_WILAYAH:
        if values.get(name):
            values[name] = keluaran.check_area(values[name], name)
    for name in DAFTAR_KODE:
        if name in values:
            codes = [c.strip() for c in str(values[name]).split(",") if c.strip()]
            values[name] = ",".join(keluaran.check_area(c, name) for c in codes)
    return Parameter(values)
