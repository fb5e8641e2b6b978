"""Build and write the publication site of a district, and the portal of a province.

Steps of :func:`bangun_situs`: read the district (:func:`analysis.publikasi.data.muat`) →
apply the small-count rule (:func:`analysis.publikasi.terbitan.terbitkan`) → make every file in
memory (pages, map data, downloads, assets) → write them into a staging folder next to the
destination, set the modes (files 0644, folders 0755: a web server must read them whatever the
umask), then swap the folder into place with two renames. A reader sees the old site or the new
one, never half of one; on any failure the old site stays.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from analysis import text
from analysis.errors import InputFileError, KonvergensiError, ParameterError
from analysis.publikasi import data as data_mod
from analysis.publikasi import halaman, jalur, peta, unduhan
from analysis.publikasi.pengaturan import Pengaturan, pengaturan
from analysis.publikasi.terbitan import Terbitan, terbitkan
from analysis.render import atomic

ASET_DIR = Path(__file__).parent / "aset"
#: Assets copied into every site (relative to ``aset/``).
ASET = ("situs.css", "situs.js", "peta.js", "leaflet/leaflet.js", "leaflet/leaflet.css",
        "leaflet/LICENSE.txt", "leaflet/README.md")
FILE_MODE = 0o644
DIR_MODE = 0o755

_IMAGE_MAGIC = {".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",)}


def _lambang(path: Path) -> tuple[str, bytes]:
    """The emblem's site path and bytes, after checking it is the image its name says."""
    content = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".svg":
        ok = b"<svg" in content[:4000].lower()
    else:
        ok = content.startswith(_IMAGE_MAGIC.get(suffix, (b"\x00\x00",)))
    if not ok:
        raise InputFileError(path, f"bukan gambar {suffix.lstrip('.').upper()} yang sah; lambang harus berupa "
                                   "berkas PNG, JPEG atau SVG.")
    return f"aset/lambang{suffix}", content


def susun_berkas(tb: Terbitan, p: Pengaturan, *, folder_laporan: Path, dibuat: _dt.date) -> dict[str, bytes]:
    """Every file of the site: path relative to the site folder → content.

    Parameters
    ----------
    folder_laporan : Path
        The district's output folder (``<out>/<tahun>/<kab>-<slug>/``): reports found there are linked.
    dibuat : date
        Date printed as the build date.
    """
    ds = tb.sumber
    files: dict[str, bytes] = {f"aset/{name}": (ASET_DIR / name).read_bytes() for name in ASET}
    lambang = None
    if ds.lambang is not None:
        lambang, content = _lambang(ds.lambang)
        files[lambang] = content
    map_data = peta.data_peta(tb, p)
    files["data/peta.js"] = peta.skrip(map_data).encode("utf-8")
    downloads = unduhan.berkas_unduhan(tb, p, dibuat.isoformat())
    files.update({f"unduh/{name}": content for name, content in downloads.items()})

    labels = {
        "prevalensi.xlsx": ("Semua tabel (Excel)", "lembar Keterangan, kabupaten/kota, kecamatan, puskesmas, "
                            "desa/kelurahan, akuntansi baris, survei, register per tahun"),
        unduhan.JSON_NAME: ("Semua tabel (JSON)", f"sesuai skema {unduhan.SCHEMA_NAME}"),
        unduhan.SCHEMA_NAME: ("Skema JSON", "JSON Schema 2020-12 dari berkas JSON, dengan arti setiap kolom"),
        "prevalensi-kabupaten.csv": ("Seluruh kabupaten/kota (CSV)", ""),
        "prevalensi-kecamatan.csv": ("Per kecamatan (CSV)", ""),
        "prevalensi-puskesmas.csv": ("Per puskesmas (CSV)", ""),
        "prevalensi-desa.csv": ("Per desa/kelurahan (CSV)", "semua desa/kelurahan, juga yang tanpa data"),
        "akuntansi-baris.csv": ("Akuntansi baris e-PPGBM (CSV)", "baris dibaca, dianalisis, dikeluarkan per alasan"),
        "survei.csv": ("Angka survei SSGI/SKI (CSV)", "dengan keandalan dan sumbernya"),
    }
    links = [halaman.Tautan(f"unduh/{name}", label, halaman.ukuran(len(downloads[name])), note)
             for name, (label, note) in labels.items() if name in downloads]
    reports = [halaman.Tautan(f"../{name}", label, halaman.ukuran((folder_laporan / name).stat().st_size))
               for name, label in p.laporan.items() if (folder_laporan / name).is_file()]
    env = halaman.lingkungan()
    has_map = {lv: lv in map_data["lapisan"] for lv in ("desa", "kecamatan")}
    for page in halaman.HALAMAN:
        ctx = halaman.konteks(page, tb, p, dibuat=text.tanggal(dibuat), lambang=lambang, unduhan=links,
                              laporan=reports, sumber_batas=map_data["sumber_batas"], ada_peta=has_map)
        files[page] = halaman.render(page, ctx, env).encode("utf-8")
    return files


def _mkdirs(path: Path) -> None:
    """Create ``path`` and missing parents, each 0755 (the parents a web server walks through)."""
    missing = []
    p = path
    while not p.exists():
        missing.append(p)
        p = p.parent
    path.mkdir(parents=True, exist_ok=True)
    for d in missing:
        os.chmod(d, DIR_MODE)


def tulis_atomik(site: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` as the folder ``site``: staged, modes set, swapped in with renames."""
    _mkdirs(site.parent)
    with atomic.staging(site.parent, jalur.SITUS) as tmp:
        stage = tmp / jalur.SITUS
        for rel, content in files.items():
            target = stage / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            os.chmod(target, FILE_MODE)
        for folder in [stage, *(d for d in stage.rglob("*") if d.is_dir())]:
            os.chmod(folder, DIR_MODE)
        old = tmp / "lama"
        had_old = site.exists()
        if had_old:
            os.rename(site, old)
        try:
            os.rename(stage, site)
        except OSError:
            if had_old:
                os.rename(old, site)
            raise
    atomic.tidy([site.parent])


def bangun_situs(kab: str, tahun: int, data_root: Path | None = None, out_dir: Path | None = None,
                 *, dibuat: _dt.date | None = None) -> Path:
    """Build the publication site of one district and year; return its ``index.html``.

    Parameters
    ----------
    kab : str
        Kemendagri district code (``"64.74"``).
    tahun : int
    data_root : Path, optional
        Data root holding ``<kab>/`` (default: the demo data).
    out_dir : Path, optional
        Output root (default ``reports/``); the site goes to ``<out>/<tahun>/<kab>-<slug>/publikasi/``.
    dibuat : date, optional
        Build date printed on the pages (default today).

    Raises
    ------
    ParameterError, DataUnavailableError, InputFileError
        Unknown code, no data for the year, an unusable input file (clear Indonesian message).
    """
    kab = jalur.check_area(str(kab), "kab")
    if jalur.is_province(kab):
        raise ParameterError("kab", f"'{kab}' adalah kode provinsi; gunakan --provinsi untuk portal provinsi.")
    p = pengaturan()
    tb = terbitkan(data_mod.muat(kab, int(tahun), Path(data_root) if data_root else None), p)
    site = jalur.folder_situs(kab, int(tahun), out_dir)
    files = susun_berkas(tb, p, folder_laporan=site.parent, dibuat=dibuat or _dt.date.today())
    tulis_atomik(site, files)
    portal = jalur.folder_situs(kab.split(".")[0], int(tahun), out_dir)
    if (portal / "index.html").is_file():
        bangun_portal(kab.split(".")[0], int(tahun), out_dir, dibuat=dibuat)
    return site / "index.html"


# ------------------------------------------------------------------ province portal ----

@dataclass
class EntriPortal:
    """One district site as the province portal lists it (numbers from the site's published JSON)."""

    nama: str
    kab: str
    href: str
    periode: str
    register: str
    ci: str
    diukur: str
    survei: str
    survei_peringatan: bool
    cakupan: str


def _entri(site: Path, base: Path, p: Pengaturan) -> EntriPortal | None:
    path = site / "unduh" / unduhan.JSON_NAME
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        row = doc["kabupaten"][0]
    except (OSError, ValueError, KeyError, IndexError):
        return None
    survei = doc.get("survei") or []
    last = survei[-1] if survei else None
    rel = p.keandalan_survei.get(last["keandalan"]) if last else None
    pct = row.get("stunting_pct")
    return EntriPortal(
        nama=str(doc["nama"]), kab=str(doc["kab"]),
        href=os.path.relpath(site / "index.html", base).replace(os.sep, "/"),
        periode=data_mod.nama_periode(str(doc["periode"])),
        register=text.persen(pct) if pct is not None else "ditutup",
        ci=text.rentang(row.get("stunting_ci_bawah"), row.get("stunting_ci_atas")),
        diukur=text.angka(row["diukur"]) if row.get("diukur") is not None else "ditutup",
        survei=f"{text.persen(last['prevalensi_pct'])} ({last['survei']} {last['tahun']})" if last else text.MISSING,
        survei_peringatan=bool(rel.peringatan) if rel else bool(last),
        cakupan=text.persen(row["cakupan_pengukuran_pct"], 0) if row.get("cakupan_pengukuran_pct") is not None
        else text.MISSING)


def bangun_portal(prov: str, tahun: int, out_dir: Path | None = None, *, dibuat: _dt.date | None = None) -> Path:
    """Write the province portal listing the district sites of ``tahun`` that exist; return its index.

    Raises
    ------
    ParameterError
        ``prov`` is not a province code.
    """
    prov = jalur.check_area(str(prov), "provinsi")
    if not jalur.is_province(prov):
        raise ParameterError("provinsi", f"'{prov}' bukan kode provinsi (dua angka, mis. 64).")
    p = pengaturan()
    site = jalur.folder_situs(prov, int(tahun), out_dir)
    entries = []
    for kab, row in sorted(jalur.districts().items()):
        if row["province_code"] != prov:
            continue
        district_site = jalur.folder_situs(kab, int(tahun), out_dir)
        if (district_site / "index.html").is_file():
            e = _entri(district_site, site, p)
            if e is not None:
                entries.append(e)
    env = halaman.lingkungan()
    page = env.get_template("portal.html.j2").render(
        nama=jalur.area_name(prov), tahun=int(tahun), entri=entries, k=p.k,
        dibuat=text.tanggal(dibuat or _dt.date.today()))
    files = {"index.html": page.encode("utf-8"), "aset/situs.css": (ASET_DIR / "situs.css").read_bytes()}
    tulis_atomik(site, files)
    return site / "index.html"


@dataclass
class HasilSitus:
    """Outcome of one site in :func:`bangun_semua`: ``index`` on success, ``galat`` (message) on failure."""

    kode: str
    index: Path | None = None
    galat: str | None = None


def bangun_semua(kabs: list[str], tahun: int, data_root: Path | None = None,
                 out_dir: Path | None = None) -> list[HasilSitus]:
    """Build the sites of several districts, then the portals of their provinces.

    One district that fails (bad input, no data that year, even a bug) does not stop the others:
    its message is in the result. This is the call for ``render-all``::

        from analysis.publikasi import bangun_semua
        for r in bangun_semua(codes, tahun, data_root if data else None, Path(out) if out else None):
            ...  # r.kode, r.index (Path) or r.galat (message)
    """
    results = []
    for kab in kabs:
        try:
            results.append(HasilSitus(kab, index=bangun_situs(kab, tahun, data_root, out_dir)))
        except KonvergensiError as exc:
            results.append(HasilSitus(kab, galat=str(exc)))
        except Exception as exc:  # a bug for one district must not stop the others (render-all's rule)
            results.append(HasilSitus(kab, galat=f"galat internal ({type(exc).__name__}): {exc}"))
    for prov in sorted({k.split(".")[0] for k in kabs}):
        results.append(HasilSitus(prov, index=bangun_portal(prov, tahun, out_dir)))
    return results
