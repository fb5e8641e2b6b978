"""Reading district input files: the e-PPGBM export and the other tables of the data package.

- :func:`read_eppgbm` / :mod:`analysis.ingest.eppgbm`: the measurement register, pseudonymised
  at once, with one accounting row per input row;
- :func:`read_table` / :mod:`analysis.ingest.tables`: coverage, budget, 8-aksi status, targets,
  desa profile, scorecard, lokus;
- :mod:`analysis.ingest.quality`: data-quality signals for ``konvergensi validate``.

Nothing after this package sees NIK, names, parents' names, addresses, RT/RW or phone numbers.
"""

from __future__ import annotations

from analysis.ingest.eppgbm import EppgbmResult, ParsedFile, account, parse_file, read_eppgbm

__all__ = ["EppgbmResult", "ParsedFile", "account", "parse_file", "read_eppgbm", "read_table"]


def read_table(name, path, **kwargs):
    """Read one of the other tables of the data package (see :mod:`analysis.ingest.tables`)."""
    from analysis.ingest.tables import read_table as _read

    return _read(name, path, **kwargs)
