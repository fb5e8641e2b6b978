"""National scale: every district of Indonesia on one machine, or on a Dask cluster.

- :mod:`.params` — parameters of the synthetic register (``nasional.yaml``) with overrides;
- :mod:`.catalogue` — the 514 kab/kota (11 real from ``analysis/data/reference/wilayah``, the rest
  synthetic), their kecamatan, desa and posyandu;
- :mod:`.register` — the deterministic synthetic register (~20 M rows a year), generated
  district by district and written as partitioned Parquet
  (``register/tahun=Y/provinsi=P/kab=K/part-*.parquet``);
- :mod:`.pipeline` — the data path of one partition: ingest row checks and accounting
  (:mod:`analysis.ingest`) → z-scores (:mod:`analysis.growth`) → counts per desa
  (:mod:`analysis.prevalence`), written as Parquet;
- :mod:`.rollup` — DuckDB roll-up desa → kecamatan → kab/kota → province → Indonesia;
- :mod:`.runner` — local processes or Dask (``--scheduler tcp://host:8786``);
- :mod:`.reports` — ``render-all`` jobs on Dask.

Peak memory is bounded by the largest district partition (per worker), not by the number of
districts; see ``docs``/README section "Skala nasional" and ``benchmarks/bench_national.py``.
"""

from __future__ import annotations

__all__ = ["generate", "run"]


def generate(root, params: dict, **kwargs) -> dict:
    """Write the synthetic national register (see :func:`analysis.national.register.generate`)."""
    from analysis.national.register import generate as _generate

    return _generate(root, params, **kwargs)


def run(register_root, out_root, tahun: int, **kwargs) -> dict:
    """Run the national data path (see :func:`analysis.national.runner.run`)."""
    from analysis.national.runner import run as _run

    return _run(register_root, out_root, tahun, **kwargs)
