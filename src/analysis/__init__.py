"""konvergensi: analysis helpers behind the stunting convergence reports.

Imports are kept lazy on purpose: every report runs in a fresh kernel, and
importing statsmodels or geopandas eagerly costs about 1.5 s per report.
Import the submodule you need (``from analysis import growth``).
"""

__version__ = "0.1.0"
