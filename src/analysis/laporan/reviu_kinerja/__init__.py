"""Aksi 8: the annual performance review (*Dokumen hasil reviu kinerja tahunan*), report
``reviu-kinerja``.

::

    from analysis.laporan import reviu_kinerja as reviu
    rv = reviu.susun(data, tahun)            # DistrictData, year → Reviu
    reviu.tabel.cakupan(rv)                  # reader tables
    reviu.kalimat.putusan_lengkap(rv)        # the verdict; one function per topic
    reviu.kalimat.rekomendasi(rv)            # [Rekomendasi(rekomendasi, alasan, dasar)]

Settings: ``reviu_kinerja.yaml``, ``target.yaml``, ``rubrik_aksi.yaml``
(:class:`~analysis.laporan.reviu_kinerja.hitung.Pengaturan`). Notebook:
``notebooks/reviu_kinerja.ipynb``.
"""

from analysis.laporan.reviu_kinerja import hitung, kalimat, tabel
from analysis.laporan.reviu_kinerja.hitung import Pengaturan, Reviu, susun

__all__ = ["Pengaturan", "Reviu", "hitung", "kalimat", "susun", "tabel"]
