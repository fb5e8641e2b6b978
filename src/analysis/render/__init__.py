"""The renderer: parameterized notebooks to report-quality HTML, A4 PDF, JSON and Excel.

A pipeline of small named steps, one module per concept:

- (moved out) the report catalogue is :mod:`analysis.laporan.katalog`; area names, slugs and
  output folders are :mod:`analysis.keluaran` (both shared with the report API).
- :mod:`~analysis.render.parameters`: read the template's typed ``parameters`` cell,
  validate and coerce user values, inject them as Python literals.
- :mod:`~analysis.render.kernel`: execute a notebook in a (possibly warm) kernel.
- :mod:`~analysis.render.html`: assemble the self-contained HTML from the report blocks.
- :mod:`~analysis.render.pdf`: HTML → Typst (pandoc) → A4 PDF (``typst.compile``).
- :mod:`~analysis.render.cache`: cache keys (data checksums + parameters + template + version).
- :mod:`~analysis.render.atomic`: temporary folder, then rename.
- :mod:`~analysis.render.pipeline`: one report, step by step.
- :mod:`~analysis.render.batch`: many reports in parallel with warm workers.
- :mod:`~analysis.render.portal`: ``reports/index.html``.

Importing this package is cheap (the notebook kernel imports
:mod:`analysis.keluaran` through :mod:`analysis.laporan`); heavy libraries
are imported inside the step that needs them.
"""
