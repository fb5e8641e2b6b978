"""Aksi 1: the situation analysis (*Dokumen hasil analisis situasi*), report ``analisis-situasi``.

::

    from analysis.laporan import analisis_situasi as situasi
    s = situasi.susun(data, tahun)          # DistrictData, year → Situasi (computed once)
    situasi.tabel.kecamatan(s)              # reader tables (Indonesian headers)
    situasi.kalimat.prevalensi(s)           # sentences (Markdown), recommendations
    situasi.hitung.lokus_terpilih(s)        # derived frames

Settings: ``analisis_situasi.yaml``, ``lokus.yaml``, ``kualitas_data.yaml``
(:class:`~analysis.laporan.analisis_situasi.hitung.Pengaturan`). Notebook:
``notebooks/analisis_situasi.ipynb``.
"""

from analysis.laporan.analisis_situasi import hitung, kalimat, tabel
from analysis.laporan.analisis_situasi.hitung import Pengaturan, Situasi, susun

__all__ = ["Pengaturan", "Situasi", "hitung", "kalimat", "susun", "tabel"]
