"""The district tables other than the e-PPGBM export, consistent with the simulated register.

Each function returns one table with exactly the columns of ``docs/architecture.md``:
``profil_desa``, ``cakupan_layanan``, ``anggaran``, ``status_aksi``, ``konvergensi_desa``,
``lokus`` (per year) and ``target_prevalensi`` (per district). Counts come from the
simulation (children living in each desa, those measured, the wasted ones), so the tables
agree with the register: estimated balita exceed the children measured, coverage is lower
where the desa's HAZ component is low, lokus desa get more of the scorecard services and more
desa-located budget lines.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from analysis.demo import geography, settings
from analysis.demo.population import Year

PROFIL_COLUMNS = ["kode_desa", "nama_desa", "jumlah_keluarga", "keluarga_berisiko_stunting",
                  "perkiraan_balita", "perkiraan_baduta"]
CAKUPAN_COLUMNS = ["kode_desa", "kode_indikator", "sasaran", "capaian"]
ANGGARAN_COLUMNS = ["opd", "kode_subkegiatan", "nama_subkegiatan", "kode_indikator", "pagu",
                    "realisasi", "kode_desa"]
AKSI_COLUMNS = ["aksi", "tanggal_target", "tanggal_selesai", "bukti", "status", "penilaian_mandiri"]
KONVERGENSI_COLUMNS = ["kode_desa", "kelompok", "layanan", "jumlah_seharusnya", "jumlah_diterima"]
LOKUS_COLUMNS = ["kode_desa", "nama_desa", "dasar_penetapan"]
TARGET_COLUMNS = ["tahun", "target_pct", "sumber"]


def _improving(d: settings.District, year: int, first: int) -> float:
    """1 where the district's survey prevalence fell since the year before the first, else 0.25."""
    return 1.0 if d.survei[year] < d.survei[first - 1] else 0.25


def profil_desa(d: settings.District, geo: geography.Geography, y: Year, year: int, first: int,
                seed: int) -> pd.DataFrame:
    """Families, families at risk of stunting, estimated balita and baduta per desa.

    ``perkiraan_balita`` is the number of children living in the desa with estimation noise,
    never below the children measured in the August round (coverage stays below 100 %).
    """
    p = settings.params()
    pop, prof = p["populasi"], p["profil"]
    rng = settings.rng_for(d.kab, seed, f"profil-{year}")
    n = len(geo.desa)
    noise = float(pop["galat_estimasi_balita"])
    balita = np.maximum(np.rint(y.balita * (1 + rng.normal(0, noise, n))),
                        np.ceil(y.measured * 1.02) + 1).astype(np.int64)
    baduta = np.maximum(np.rint(y.baduta * (1 + rng.normal(0, noise, n))), 1).astype(np.int64)
    people = balita / float(pop["proporsi_balita"])
    families = np.rint(people / float(pop["anggota_per_keluarga"]) * rng.normal(1.0, 0.04, n)).astype(np.int64)
    layanan = geo.desa["layanan"].to_numpy()
    share = (prof["krs_dasar"] - prof["krs_per_sd_layanan"] * layanan
             + prof["krs_titik_panas"] * geo.desa["titik_panas"].to_numpy()
             - prof["krs_perbaikan_tahunan"] * (year - first) + rng.normal(0, 0.02, n))
    krs = np.rint(families * np.clip(share, 0.04, 0.5)).astype(np.int64)
    return pd.DataFrame({
        "kode_desa": geo.desa["kode_desa"], "nama_desa": geo.desa["nama_desa"],
        "jumlah_keluarga": families, "keluarga_berisiko_stunting": krs,
        "perkiraan_balita": balita, "perkiraan_baduta": baduta,
    }, columns=PROFIL_COLUMNS)


def cakupan_layanan(d: settings.District, geo: geography.Geography, profil: pd.DataFrame,
                    counts: dict[str, np.ndarray], year: int, first: int, seed: int) -> pd.DataFrame:
    """Sasaran and capaian per desa × indicator of the catalogue.

    Parameters
    ----------
    counts : dict of str to numpy.ndarray
        Per desa from the register's August round: ``diukur`` (children measured),
        ``gizi_buruk`` (WHZ < −3), ``gizi_kurang`` (−3 ≤ WHZ < −2).
    """
    c = settings.params()["cakupan"]
    rng = settings.rng_for(d.kab, seed, f"cakupan-{year}")
    rng_desa = settings.rng_for(d.kab, seed, "cakupan-desa")  # persistent desa differences
    catalogue = settings.indicators()
    n = len(geo.desa)
    balita = profil["perkiraan_balita"].to_numpy()
    bases = {
        "penduduk": balita / float(settings.params()["populasi"]["proporsi_balita"]),
        "keluarga": profil["jumlah_keluarga"].to_numpy(),
        "krs": profil["keluarga_berisiko_stunting"].to_numpy(),
        "ibu_hamil": balita * float(c["ibu_hamil_per_balita"]),
        "baduta": profil["perkiraan_baduta"].to_numpy(),
        "balita": balita,
        "gizi_buruk": counts["gizi_buruk"],
        "gizi_kurang": counts["gizi_kurang"],
        "desa": np.ones(n),
    }
    layanan = geo.desa["layanan"].to_numpy()
    gain = float(c["perbaikan_tahunan"]) * (year - first) * _improving(d, year, first)
    frames = []
    for code, arah in zip(catalogue["kode_indikator"], catalogue["arah"]):
        basis, mult = c["sasaran"][code]
        sasaran = np.rint(np.asarray(bases[basis], dtype=float) * float(mult)).astype(np.int64)
        persistent = rng_desa.normal(0.0, float(c["sd_desa"]), n)
        if code == "TUMBUH_KEMBANG" or c["dasar"].get(code) is None:
            capaian = np.minimum(counts["diukur"], sasaran)
        else:
            sign = -1.0 if arah == "turun" else 1.0
            rate = (float(c["dasar"][code]) + sign * (gain + float(c["kaitan_prevalensi"]) * layanan)
                    + persistent + rng.normal(0.0, 0.02, n))
            capaian = rng.binomial(sasaran, np.clip(rate, 0.01, 0.99))
        frames.append(pd.DataFrame({"kode_desa": geo.desa["kode_desa"], "kode_indikator": code,
                                    "sasaran": sasaran, "capaian": capaian}))
    return pd.concat(frames, ignore_index=True)[CAKUPAN_COLUMNS]


def konvergensi_desa(d: settings.District, geo: geography.Geography, profil: pd.DataFrame,
                     at_risk_baduta: np.ndarray, lokus_idx: np.ndarray, year: int, first: int,
                     seed: int) -> pd.DataFrame:
    """Desa convergence scorecard: services due and received per desa × service.

    ``at_risk_baduta`` counts measured children under 24 months with HAZ or WHZ below −2 (those
    due a home visit). Lokus desa receive ``bonus_lokus`` more of every service.
    """
    k = settings.params()["konvergensi"]
    c = settings.params()["cakupan"]
    rng = settings.rng_for(d.kab, seed, f"konvergensi-{year}")
    services = settings.services()
    n = len(geo.desa)
    is_lokus = np.zeros(n, dtype=bool)
    is_lokus[lokus_idx] = True
    balita = profil["perkiraan_balita"].to_numpy()
    baduta = profil["perkiraan_baduta"].to_numpy()
    ibu_hamil = np.rint(balita * float(c["ibu_hamil_per_balita"]))
    gain = float(k["perbaikan_tahunan"]) * (year - first) * _improving(d, year, first)
    layanan = geo.desa["layanan"].to_numpy()
    frames = []
    for kelompok, kode in zip(services["kelompok"], services["kode_layanan"]):
        if kelompok == "ibu_hamil":
            due = ibu_hamil * (float(k["proporsi_kunjungan_rumah_ibu"]) if kode == "KUNJUNGAN_RUMAH" else 1.0)
        elif kelompok == "anak_0_23":
            due = at_risk_baduta if kode == "KUNJUNGAN_RUMAH" else baduta
        else:
            due = (balita - baduta) * 1.25
        due = np.rint(np.asarray(due, dtype=float)).astype(np.int64)
        rate = (float(k["dasar"][kode]) + gain + float(k["bonus_lokus"]) * is_lokus
                + 0.05 * layanan + rng.normal(0.0, 0.06, n))
        frames.append(pd.DataFrame({
            "kode_desa": geo.desa["kode_desa"], "kelompok": kelompok, "layanan": kode,
            "jumlah_seharusnya": due, "jumlah_diterima": rng.binomial(due, np.clip(rate, 0.02, 0.99)),
        }))
    return pd.concat(frames, ignore_index=True)[KONVERGENSI_COLUMNS]


def anggaran(d: settings.District, geo: geography.Geography, lokus_idx: np.ndarray, year: int,
             seed: int) -> pd.DataFrame:
    """Budget lines per OPD and sub-activity, some located in a desa (more in lokus desa)."""
    a = settings.params()["anggaran"]
    rng = settings.rng_for(d.kab, seed, f"anggaran-{year}")
    total = d.anggaran_2024 * (1.0 + float(a["pertumbuhan_tahunan"])) ** (year - 2024)
    lines = [(o["opd"], *sub) for o in a["opd"] for sub in o["subkegiatan"]]
    shares = np.array([float(line[4]) for line in lines])
    weights = shares / shares.sum() * rng.lognormal(0.0, float(a["sd_pagu"]), len(lines))
    pagu_line = total * weights / weights.sum()
    n = len(geo.desa)
    is_lokus = np.zeros(n, dtype=bool)
    is_lokus[lokus_idx] = True
    rows = []
    for (opd, kode, nama, indikator, _share, per_desa), pagu in zip(lines, pagu_line):
        if per_desa:
            k = int(np.clip(round(n * float(a["proporsi_desa_per_baris"])), a["baris_desa_min"], a["baris_desa_maks"]))
            k = min(k, n)
            prob = np.where(is_lokus, float(a["proporsi_lokus_per_desa"]) / max(is_lokus.sum(), 1),
                            (1 - float(a["proporsi_lokus_per_desa"])) / max((~is_lokus).sum(), 1))
            if not is_lokus.any() or is_lokus.all():
                prob = np.full(n, 1.0 / n)
            where = rng.choice(n, size=k, replace=False, p=prob / prob.sum())
            located = float(a["proporsi_pagu_di_desa"])
            rows.append((opd, kode, nama, indikator, pagu * (1 - located), ""))
            parts = pagu * located * rng.dirichlet(np.full(k, 3.0))
            for desa_i, part in zip(np.sort(where), parts):
                rows.append((opd, kode, nama, indikator, part, geo.desa["kode_desa"].iat[desa_i]))
        else:
            rows.append((opd, kode, nama, indikator, pagu, ""))
    frame = pd.DataFrame(rows, columns=["opd", "kode_subkegiatan", "nama_subkegiatan", "kode_indikator",
                                        "pagu", "kode_desa"])
    frame["kode_indikator"] = frame["kode_indikator"].fillna("")
    pagu = (np.rint(frame["pagu"].to_numpy() / 1000.0) * 1000).astype(np.int64)
    absorption = rng.uniform(float(a["serapan_min"]), float(a["serapan_maks"]), len(frame))
    frame["pagu"] = pagu
    frame["realisasi"] = np.rint(pagu * absorption).astype(np.int64)
    return frame[ANGGARAN_COLUMNS]


def status_aksi(d: settings.District, year: int, seed: int) -> pd.DataFrame:
    """Status of the 8 aksi: target and completion dates, evidence, self-assessment."""
    s = settings.params()["aksi"]
    rng = settings.rng_for(d.kab, seed, f"aksi-{year}")
    rows = []
    for aksi, month, day, doc in s["jadwal"]:
        target = dt.date(year, int(month), int(day))
        u = rng.random()
        if u < float(s["proporsi_belum_selesai"]):
            status = "belum" if aksi == 8 or rng.random() < 0.3 else "proses"
            done, grade = "", ("D" if status == "belum" else rng.choice(["C", "D"]))
            bukti = "" if status == "belum" else "Draf " + doc
        elif u < float(s["proporsi_belum_selesai"]) + float(s["proporsi_terlambat"]):
            status = "selesai"
            done = (target + dt.timedelta(days=int(rng.integers(3, int(s["terlambat_hari_maks"]))))).isoformat()
            grade = rng.choice(["B", "C"], p=[0.4, 0.6])
            bukti = doc
        else:
            status = "selesai"
            done = (target - dt.timedelta(days=int(rng.integers(0, 25)))).isoformat()
            grade = rng.choice(["A", "B"], p=[0.6, 0.4])
            bukti = doc
        bukti = bukti.format(tahun=year, regulasi=d.regulasi)
        rows.append((int(aksi), target.isoformat(), done, bukti, status, str(grade)))
    return pd.DataFrame(rows, columns=AKSI_COLUMNS)


def lokus(d: settings.District, geo: geography.Geography, lokus_idx: np.ndarray, year: int,
          seed: int) -> pd.DataFrame:
    """The decreed lokus desa of the year, with the decree as ``dasar_penetapan``."""
    p = settings.params()["lokus"]
    rng = settings.rng_for(d.kab, seed, f"sk-lokus-{year}")
    nomor = p["nomor"].format(n=int(rng.integers(100, 999)), tahun=year - 1)
    dasar = p["dasar"].format(kepala=d.kepala, nama=d.nama.replace("Kabupaten ", "").replace("Kota ", ""),
                              nomor=nomor, tahun=year - 1)
    chosen = geo.desa.iloc[np.sort(lokus_idx)]
    return pd.DataFrame({"kode_desa": chosen["kode_desa"].to_numpy(),
                         "nama_desa": chosen["nama_desa"].to_numpy(), "dasar_penetapan": dasar},
                        columns=LOKUS_COLUMNS)


def target_prevalensi(d: settings.District, years: tuple[int, ...]) -> pd.DataFrame:
    """Annual targets on a straight path from the year-before-first survey to the 2024 target
    (the province's of ``target.yaml``, else the national one)."""
    t = settings.params()["target"]
    first = min(years)
    goal = settings.target_2024(d.kode_provinsi)
    base = d.survei[first - 1]
    span = 2024 - (first - 1)
    rows = []
    for year in years:
        if year in d.target_prevalensi:
            value = d.target_prevalensi[year]
        elif base > goal:
            value = base + (goal - base) * (year - (first - 1)) / span
        else:
            value = base - 0.5 * (year - (first - 1))
        rows.append((year, round(float(value), 1), t["sumber"].format(nama=d.nama)))
    return pd.DataFrame(rows, columns=TARGET_COLUMNS)
