"""Reading district input files: the e-PPGBM export and the other tables of the data package.

- :func:`read_eppgbm` / :mod:`analysis.ingest.eppgbm`: the measurement register, pseudonymised
  at once, with one accounting row per input row;
- :func:`read_table` / :mod:`analysis.ingest.tables`: coverage, budget, 8-aksi status, targets,
  desa profile, scorecard, lokus (:func:`read_table_report` adds what ``validate`` shows);
- :mod:`analysis.ingest.workbook`: an ``.xlsx`` inspected before any reader sees it;
- :mod:`analysis.ingest.screening`: personal data typed into free-text columns, masked;
- :mod:`analysis.ingest.quality`: data-quality signals for ``konvergensi validate``.

Nothing after this package sees NIK, names, parents' names, addresses, RT/RW or phone numbers.
"""

from __future__ import annotations

from analysis.ingest.eppgbm import EppgbmResult, ParsedFile, account, parse_file, read_eppgbm
from analysis.ingest.tables import TableRead, read_table, read_table_report

__all__ = ["EppgbmResult", "ParsedFile", "TableRead", "account", "parse_file", "read_eppgbm", "read_table",
           "read_table_report"]
