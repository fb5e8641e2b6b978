"""The children of a demo district and their measurements, round by round.

A district's children are born over the whole period (so that every round holds children of
0–59 months), live in one desa and attend one posyandu, and come to weighing rounds with a
personal propensity (some nearly always, some rarely), so the same NIK appears in many rounds
and leaves the register at 60 months. New births enter every round.

Growth model, per child and round::

    HAZ = mu(round) + desa(year) + child + age_drop(age) + noise
    WHZ = mu_w + desa_w + child_w + noise_w

``child`` persists over the child's life (a stunted child stays stunted, with small noise);
``age_drop`` lowers HAZ over the first 24 months as in real data; ``desa(year)`` carries
hotspots and the improvement of lokus desa; ``mu`` is calibrated at every August round so
that the share of measured children with HAZ < −2 is the register prevalence wanted for that
year (survey figure × ``rasio_register``); February rounds lie halfway between. Length/height
and weight are then obtained by inverting the WHO LMS formula (:mod:`analysis.demo.lms`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.demo import geography, lms, lokus, names, settings

EPOCH = dt.date(1970, 1, 1)
_THREE_DIGITS = np.array([f"{i:03d}" for i in range(1000)], dtype=object)


def day_number(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01."""
    return (dt.date(year, month, day) - EPOCH).days


def _days_in_month(year: int, month: int) -> int:
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return (nxt - dt.date(year, month, 1)).days


@dataclass
class Children:
    """Every child living in the district at some time of the period, as arrays by child.

    Attributes
    ----------
    sex : numpy.ndarray of int8
        1 boy, 2 girl.
    birth, leave : numpy.ndarray of int64
        Day numbers (since 1970-01-01) of birth and of moving away.
    desa, posyandu : numpy.ndarray of int64
        Indices into :class:`analysis.demo.geography.Geography` tables.
    propensity : numpy.ndarray of float
        Probability of coming to a weighing round (before the desa's coverage factor).
    haz_child, whz_child : numpy.ndarray of float
        Persistent child components of HAZ and WHZ.
    nik, nama, ortu, rt, rw, alamat : numpy.ndarray of object
        Synthetic personal data as written in the export (``nik`` '' when missing).
    bb_lahir, tb_lahir : numpy.ndarray of float
        Birth weight (kg) and length (cm).
    """

    sex: np.ndarray
    birth: np.ndarray
    leave: np.ndarray
    desa: np.ndarray
    posyandu: np.ndarray
    propensity: np.ndarray
    haz_child: np.ndarray
    whz_child: np.ndarray
    nik: np.ndarray
    nama: np.ndarray
    ortu: np.ndarray
    rt: np.ndarray
    rw: np.ndarray
    alamat: np.ndarray
    bb_lahir: np.ndarray
    tb_lahir: np.ndarray


@dataclass
class Year:
    """What one year of the simulation produced.

    Attributes
    ----------
    rows : pandas.DataFrame
        The measurements of the year's rounds (internal column names, see :func:`simulate`).
    balita, baduta : numpy.ndarray of int
        Children 0–59 and 0–23 months living in each desa on the August round's first day.
    measured, stunted : numpy.ndarray of int
        Per desa, children measured in the August round and those with intended HAZ < −2.
    lokus : numpy.ndarray of int
        Desa indices decreed lokus for this year.
    target_pct, achieved_pct : float
        Wanted and obtained register prevalence (intended z-scores, August round).
    """

    rows: pd.DataFrame
    balita: np.ndarray
    baduta: np.ndarray
    measured: np.ndarray
    stunted: np.ndarray
    lokus: np.ndarray
    target_pct: float
    achieved_pct: float


def _children(d: settings.District, geo: geography.Geography, years: tuple[int, ...],
              seed: int) -> Children:
    p = settings.params()
    pop, growth = p["populasi"], p["pertumbuhan"]
    rng = settings.rng_for(d.kab, seed, "anak")
    first = min(years) - 1
    start = day_number(first, 8, 1) - 1830
    end = day_number(max(years), 8, 31)
    days = np.arange(start, end + 1)
    ref = day_number(2024, 8, 1)
    per_day = d.penduduk * pop["proporsi_balita"] / 1826.0
    rate = per_day * np.power(1.0 + pop["tren_kelahiran_tahunan"], (days - ref) / 365.25)
    n = int(rng.poisson(rate.sum()))
    birth = np.sort(rng.choice(days, size=n, p=rate / rate.sum()))
    sex = np.where(rng.random(n) < 0.51, 1, 2).astype(np.int8)
    desa_w = geo.desa["bobot"].to_numpy()
    desa = rng.choice(len(desa_w), size=n, p=desa_w)
    counts = np.bincount(geo.posyandu["desa"].to_numpy(), minlength=len(desa_w))
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
    posyandu = offsets[desa] + np.floor(rng.random(n) * counts[desa]).astype(np.int64)
    m = d.cakupan_register
    k = float(pop["konsentrasi_kehadiran"])
    propensity = rng.beta(m * k, (1 - m) * k, n)
    leave = birth + np.rint(rng.exponential(365.25 / pop["keluar_per_tahun"], n)).astype(np.int64)
    haz_child = rng.normal(0.0, growth["sd_anak_haz"], n)
    whz_child = rng.normal(0.0, growth["sd_anak_whz"], n)

    # NIK: 6-digit kecamatan code, birth date (day + 40 for girls), 4-digit serial.
    kec6 = geo.desa["kode_kec"].str.replace(".", "", regex=False).astype(np.int64).to_numpy()[desa]
    bdates = pd.to_datetime(birth, unit="D")
    dd = bdates.day.to_numpy() + np.where(sex == 2, 40, 0)
    key = pd.DataFrame({"k": kec6, "b": birth, "s": sex})
    serial = key.groupby(["k", "b", "s"], sort=False).cumcount().to_numpy() + 1  # unique per key
    nik_num = (kec6 * 10**10 + dd * 10**8 + bdates.month.to_numpy() * 10**6
               + (bdates.year.to_numpy() % 100) * 10**4 + serial)
    nik = nik_num.astype(str).astype(object)
    nik[rng.random(n) < pop["nik_kosong"]] = ""

    mother = rng.random(n) < 0.85
    ortu = names.person_names(rng, np.where(mother, 2, 1))
    z_birth = 0.35 * haz_child / growth["sd_anak_haz"] + rng.normal(0, 0.94, n)
    bb = np.round(growth["bb_lahir_rata"] + growth["bb_lahir_sd"] * z_birth, 1)
    tb = np.round(growth["tb_lahir_rata"] + growth["tb_lahir_sd"] * (0.7 * z_birth + rng.normal(0, 0.7, n)), 1)
    return Children(
        sex=sex, birth=birth, leave=leave, desa=desa, posyandu=posyandu, propensity=propensity,
        haz_child=haz_child, whz_child=whz_child, nik=nik, nama=names.person_names(rng, sex),
        ortu=ortu, rt=_THREE_DIGITS[rng.integers(1, 25, n)], rw=_THREE_DIGITS[rng.integers(1, 9, n)],
        alamat=names.addresses(rng, n), bb_lahir=np.clip(bb, 1.2, 5.2), tb_lahir=np.clip(tb, 40.0, 56.0),
    )


def _round_frame(c: Children, geo: geography.Geography, year: int, month: int,
                 rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Who is measured in a round and on which day: (child indices, measurement day numbers)."""
    p = settings.params()
    n_pos = len(geo.posyandu)
    last = _days_in_month(year, month)
    pos_day = rng.integers(1, min(last, 28) + 1, n_pos)
    first_day = day_number(year, month, 1)
    md = first_day - 1 + pos_day[c.posyandu]
    sweep = rng.random(len(c.sex)) < p["proporsi_sweeping"]
    md = np.where(sweep, np.minimum(md + rng.integers(2, 12, len(md)), first_day + last - 1), md)
    age = md - c.birth
    factor = geo.desa["faktor_cakupan"].to_numpy()[c.desa]
    # Older balita come less often to the posyandu than babies do.
    older = np.clip((age - 730) / (lms.MAX_DAY - 730), 0.0, 1.0)
    factor = factor * (1.0 - (1.0 - float(p["populasi"]["kehadiran_usia_59_bulan"])) * older)
    attend = rng.random(len(c.sex)) < np.clip(c.propensity * factor, 0.0, 0.99)
    chosen = np.flatnonzero((age >= 0) & (age <= lms.MAX_DAY - 1) & (c.leave > md) & attend)
    return chosen, md[chosen]


def _present(c: Children, geo: geography.Geography, day: int) -> tuple[np.ndarray, np.ndarray]:
    """Children 0–59 and 0–23 months living in each desa on ``day``."""
    age = day - c.birth
    here = (age >= 0) & (c.leave > day)
    n = len(geo.desa)
    balita = np.bincount(c.desa[here & (age < lms.MAX_DAY)], minlength=n)
    baduta = np.bincount(c.desa[here & (age < lms.HEIGHT_FROM_DAY)], minlength=n)
    return balita, baduta


def simulate(d: settings.District, geo: geography.Geography, years: tuple[int, ...],
             seed: int) -> dict[int, Year]:
    """Run the district's rounds and return each requested year.

    Parameters
    ----------
    d : settings.District
    geo : geography.Geography
    years : tuple of int
        Years to produce; the August round of the year before the first is simulated too (it
        decides the first year's lokus) but not returned.
    seed : int

    Returns
    -------
    dict of int to Year
        ``Year.rows`` columns: ``anak`` (child index), ``periode`` (``"2024-08"``), ``nik``,
        ``nama``, ``jk`` (1/2), ``lahir`` and ``ukur`` (day numbers), ``bb_lahir``, ``tb_lahir``,
        ``ortu``, ``desa``, ``posyandu``, ``rt``, ``rw``, ``alamat``, ``umur_hari``, ``berat``,
        ``tinggi`` (recorded, cm), ``terlentang`` (bool), ``haz``, ``whz`` (intended),
        ``lila``, ``naik``, ``pmt``, ``vit_a``, ``kpsp``, ``kia``.
    """
    p = settings.params()
    growth = p["pertumbuhan"]
    c = _children(d, geo, years, seed)
    rng = settings.rng_for(d.kab, seed, "putaran")
    rng_lokus = settings.rng_for(d.kab, seed, "lokus")
    n_desa = len(geo.desa)
    lokus_years = np.zeros(n_desa)
    months = sorted(int(m) for m in p["putaran_bulan"])
    last_month = months[-1]
    last_weight = np.full(len(c.sex), np.nan)
    seen_prev: np.ndarray = np.zeros(len(c.sex), dtype=bool)
    mu_prev: float | None = None
    out: dict[int, Year] = {}
    first = min(years) - 1

    def desa_effect() -> np.ndarray:
        return geo.desa["efek_haz"].to_numpy() + growth["perbaikan_lokus_per_tahun"] * lokus_years

    def intended(idx, md, mu, eff):
        age = md - c.birth[idx]
        drop = growth["penurunan_haz_24_bulan"] * np.minimum(age, 730) / 730.0
        noise = rng.normal(0.0, growth["sd_putaran_haz"], len(idx))
        rest = eff[c.desa[idx]] + c.haz_child[idx] - drop + noise
        return rest if mu is None else rest + mu

    for year in range(first, max(years) + 1):
        if year == first:
            lok = np.array([], dtype=np.int64)
            round_months = [last_month]
        else:
            prev = out_stats
            n_lok = lokus.count_for(d, year, n_desa)
            lok = lokus.select(prev["measured"], prev["stunted"], n_lok, rng_lokus)
            lokus_years[lok] += 1
            round_months = months
        eff = desa_effect()
        target = d.survei[year] * d.rasio_register
        # Calibrate the August round first, then place earlier rounds between the two Augusts.
        aug_idx, aug_md = _round_frame(c, geo, year, last_month, rng)
        rest = intended(aug_idx, aug_md, None, eff)
        mu_aug = -2.0 - float(np.quantile(rest, target / 100.0))
        frames = []
        for month in round_months:
            if month == last_month:
                idx, md, haz = aug_idx, aug_md, rest + mu_aug
            else:
                idx, md = _round_frame(c, geo, year, month, rng)
                mu = mu_aug if mu_prev is None else 0.5 * (mu_prev + mu_aug)
                haz = intended(idx, md, mu, eff)
            frame = _measure(c, geo, idx, md, haz, year, month, rng, last_weight, seen_prev)
            seen_prev = np.zeros(len(c.sex), dtype=bool)
            seen_prev[idx] = True
            frames.append(frame)
        mu_prev = mu_aug
        stunted_mask = (rest + mu_aug) < -2.0
        out_stats = {
            "measured": np.bincount(c.desa[aug_idx], minlength=n_desa),
            "stunted": np.bincount(c.desa[aug_idx][stunted_mask], minlength=n_desa),
        }
        if year in years:
            balita, baduta = _present(c, geo, day_number(year, last_month, 1))
            rows = pd.concat(frames, ignore_index=True)
            out[year] = Year(
                rows=rows, balita=balita, baduta=baduta, measured=out_stats["measured"],
                stunted=out_stats["stunted"], lokus=lok, target_pct=target,
                achieved_pct=float(100.0 * stunted_mask.mean()),
            )
    return out


def _measure(c: Children, geo: geography.Geography, idx: np.ndarray, md: np.ndarray,
             haz: np.ndarray, year: int, month: int, rng: np.random.Generator,
             last_weight: np.ndarray, seen_prev: np.ndarray) -> pd.DataFrame:
    """Turn intended z-scores into recorded measurements and the export's other fields."""
    growth = settings.params()["pertumbuhan"]
    n = len(idx)
    sex = c.sex[idx].astype(np.int64)
    age = (md - c.birth[idx]).astype(np.int64)
    desa_w = geo.desa["efek_whz"].to_numpy()[c.desa[idx]]
    whz = growth["whz_rata"] + desa_w + c.whz_child[idx] + rng.normal(0.0, growth["sd_putaran_whz"], n)
    young = age < lms.HEIGHT_FROM_DAY
    lying = young ^ (rng.random(n) < growth["cara_ukur_salah"])
    table_h = lms.height_for(haz, sex, age)
    offset = lms.table_height(np.zeros(n), age, lying)
    recorded = np.round(table_h - offset, 1)
    adjusted = lms.table_height(recorded, age, lying)
    weight = np.round(np.maximum(lms.weight_for(whz, sex, adjusted, age), 1.0), 1)

    months_age = age / 30.4375
    lila = np.round(12.6 + 0.045 * np.minimum(months_age, 60) + 0.75 * whz + rng.normal(0, 0.45, n), 1)
    lila = np.where((months_age >= 6) & (rng.random(n) < growth["lila_terisi"]), lila, np.nan)
    prev_w = last_weight[idx]
    first_time = np.isnan(prev_w)
    naik = np.where(first_time, "B", np.where(~seen_prev[idx], "O", np.where(weight > prev_w, "N", "T")))
    last_weight[idx] = weight
    waz, _, _ = lms.zscores(sex, age, weight, recorded, lying)
    thin = (whz < -2) | (waz < -2)
    pmt = np.where(thin & (rng.random(n) < 0.45), np.round(rng.uniform(1.5, 9.0, n), 1), np.nan)
    vit_a = np.where(months_age >= 6, np.where(rng.random(n) < 0.86, 1, 0), 0)
    kpsp_choice = np.array(["Sesuai", "Sesuai", "Sesuai", "Sesuai", "Sesuai", "Meragukan", "Penyimpangan"],
                           dtype=object)
    kpsp = np.where(rng.random(n) < growth["kpsp_terisi"], kpsp_choice[rng.integers(0, 7, n)], "")
    kia = np.where(rng.random(n) < growth["kia_ya"], "Ya", "Tidak")
    text = {  # object columns: pandas would otherwise convert every string to Arrow and back
        "periode": np.full(n, f"{year}-{month:02d}", dtype=object), "nik": c.nik[idx], "nama": c.nama[idx],
        "ortu": c.ortu[idx], "rt": c.rt[idx], "rw": c.rw[idx], "alamat": c.alamat[idx],
        "naik": naik.astype(object), "kpsp": kpsp.astype(object), "kia": kia.astype(object),
    }
    frame = pd.DataFrame({
        "anak": idx, "jk": sex.astype(np.int8), "lahir": c.birth[idx], "ukur": md,
        "bb_lahir": c.bb_lahir[idx], "tb_lahir": c.tb_lahir[idx], "desa": c.desa[idx],
        "posyandu": c.posyandu[idx], "umur_hari": age, "berat": weight, "tinggi": recorded,
        "terlentang": lying, "haz": haz, "whz": whz, "lila": lila, "pmt": pmt, "vit_a": vit_a,
    })
    for name, values in text.items():
        frame[name] = pd.Series(values, dtype=object)
    return frame
