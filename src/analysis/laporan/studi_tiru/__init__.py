"""Studi tiru: the cross-district comparison for study visits and for the province, report
``studi-tiru``.

::

    from analysis.laporan import studi_tiru as studi
    pilihan = studi.hitung.pilih(tuan_rumah, tamu, provinsi, data_dir)   # loads the districts
    st = studi.susun(pilihan, tahun)                                     # → StudiTiru
    studi.tabel.peringkat(st)                # reader tables
    studi.kalimat.pesan_utama(st)            # sentences; studi.kalimat.pertanyaan(st)

Settings: ``studi_tiru.yaml``, ``rubrik_aksi.yaml``
(:class:`~analysis.laporan.studi_tiru.hitung.Pengaturan`). Notebook:
``notebooks/studi_tiru.ipynb``.
"""

from analysis.laporan.studi_tiru import hitung, kalimat, tabel
from analysis.laporan.studi_tiru.hitung import Pengaturan, Pilihan, StudiTiru, daerah_dokumen, susun

__all__ = ["Pengaturan", "Pilihan", "StudiTiru", "daerah_dokumen", "hitung", "kalimat", "susun", "tabel"]
