"""The Aksi 7 publication site: prevalence down to the desa, public, offline, small counts protected.

``konvergensi publikasi --kab K --tahun T`` writes ``<out>/<tahun>/<kab>-<slug>/publikasi/``:

* ``index.html``: headline figures ("dua angka": register and survey, with the survey's
  reliability), weighing round, measurement coverage, TPPS contact, emblem;
* ``tabel.html``: prevalence of the five statuses per kecamatan, puskesmas and desa/kelurahan
  (sortable, searchable);
* ``peta.html``: interactive map (vendored Leaflet, shipped boundaries, WHO classes);
* ``unduh.html`` and ``unduh/``: the same tables as CSV, XLSX and JSON with its JSON Schema, and
  links to the year's rendered reports;
* ``penjelasan.html``: what the numbers mean, how they are computed, the row accounting and the
  small-count rule.

Modules, in the order data flows: :mod:`~analysis.publikasi.data` (numbers, from the indicator
layer only) → :mod:`~analysis.publikasi.kerahasiaan` / :mod:`~analysis.publikasi.terbitan` (the
small-count rule) → :mod:`~analysis.publikasi.tampilan`, :mod:`~analysis.publikasi.peta`,
:mod:`~analysis.publikasi.unduhan`, :mod:`~analysis.publikasi.halaman` (what is shown) →
:mod:`~analysis.publikasi.situs` (files, atomic write, province portal).
"""

from analysis.publikasi.situs import HasilSitus, bangun_portal, bangun_semua, bangun_situs

__all__ = ["HasilSitus", "bangun_portal", "bangun_semua", "bangun_situs"]
