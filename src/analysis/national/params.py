"""Parameters of the synthetic national register (``nasional.yaml``), with overrides.

The values are data (``src/analysis/national/nasional.yaml``); the command line overrides the
sizes and the partitioning (``--baris``, ``--kabupaten``, ``--baris-per-bagian``, ``--tahun``,
``--seed``). :class:`Params` is a plain, picklable mapping so that it travels to worker
processes and Dask workers unchanged.
"""

from __future__ import annotations

import copy
import hashlib
import json
from functools import cache
from importlib import resources

import yaml


@cache
def _defaults() -> dict:
    with resources.files("analysis.national").joinpath("nasional.yaml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def load(**overrides) -> dict:
    """The register parameters with ``overrides`` applied (``None`` values are ignored).

    Parameters
    ----------
    **overrides
        Top-level keys of ``nasional.yaml`` (``baris``, ``kabupaten``, ``baris_per_bagian``,
        ``tahun``, ``seed``, ...).

    Returns
    -------
    dict
        A deep copy; changing it does not change the defaults.

    Raises
    ------
    analysis.errors.ParameterError
        An unknown key, or a size that is not a positive integer.
    """
    from analysis.errors import ParameterError

    params = copy.deepcopy(_defaults())
    for key, value in overrides.items():
        if value is None:
            continue
        if key not in params:
            raise ParameterError(key, "parameter register nasional tidak dikenal.", sorted(params))
        params[key] = value
    for key in ("baris", "kabupaten", "baris_per_bagian"):
        if int(params[key]) < 1:
            raise ParameterError(key, f"harus bilangan bulat positif, bukan {params[key]}.")
        params[key] = int(params[key])
    params["tahun"] = int(params["tahun"])
    params["seed"] = int(params["seed"])
    return params


def checksum(params: dict) -> str:
    """SHA-256 of the parameters (canonical JSON), recorded in the register's manifest."""
    text = json.dumps(params, sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()
