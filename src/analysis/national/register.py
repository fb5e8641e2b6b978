"""The synthetic national e-PPGBM register, written as partitioned Parquet in bounded memory.

Layout (Hive-style partitions, one folder per district)::

    <root>/register/tahun=2024/provinsi=64/kab=6474/part-0000.parquet
    <root>/register/tahun=2024/MANIFEST.json

Each district is generated on its own (a worker process per district), so the memory needed
is that of the largest district, whatever the number of districts; a district is written in
parts of at most ``baris_per_bagian`` rows.

The rows are the e-PPGBM fields *already typed and pseudonymised* (what
:func:`analysis.ingest.parse_file` produces from an export): ``sumber_berkas, baris,
child_key, sex, birth_date, measure_date, age_days, weight_kg, height_cm, measure, oedema,
kab_code, kec_code, desa_code, puskesmas, posyandu``. Faults the register really has are
injected at the rates of ``nasional.yaml`` (empty weight and height, missing birth date,
measurement before birth, missing sex, unknown desa, impossible weight, the same child twice on
one day; plus children of 60 months and more), so the ingest rules have work to do.

Growth: per child ``HAZ = district + desa + child + noise``, ``WHZ = district + child + noise``;
length/height and weight are obtained with the WHO LMS inversion of the demo generator
(:mod:`analysis.demo.lms`), rounded to 0.1 cm and 0.1 kg as recorded.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis.national import catalogue
from analysis.national import params as params_mod

MANIFEST = "MANIFEST.json"
DAYS_PER_MONTH = 30.4375
#: Columns of a register partition, in order, with their pandas dtypes.
COLUMNS: dict[str, str] = {
    "sumber_berkas": "string", "baris": "int64", "child_key": "string", "sex": "Int8",
    "birth_date": "datetime64[ms]", "measure_date": "datetime64[ms]", "age_days": "float64",
    "weight_kg": "float64", "height_cm": "float64", "measure": "string", "oedema": "bool",
    "kab_code": "string", "kec_code": "string", "desa_code": "string",
    "puskesmas": "string", "posyandu": "string",
}


def year_dir(root: Path, tahun: int) -> Path:
    """``<root>/register/tahun=<tahun>``."""
    return Path(root) / "register" / f"tahun={int(tahun)}"


def district_dir(root: Path, tahun: int, provinsi: str, kab_nodot: str) -> Path:
    """Folder of one district's partition."""
    return year_dir(root, tahun) / f"provinsi={provinsi}" / f"kab={kab_nodot}"


def _round_dates(rng: np.random.Generator, tahun: int, month: int, n_desa: int) -> np.ndarray:
    """Weighing day of each desa's posyandu in a round (days since 1970-01-01, int64)."""
    first = (np.datetime64(f"{tahun}-{month:02d}-01") - np.datetime64("1970-01-01")).astype(np.int64)
    return first + rng.integers(0, 28, n_desa)


def district_rows(district: pd.Series | dict, params: dict) -> pd.DataFrame:
    """All register rows of one district for the year (exactly ``district["baris"]`` rows).

    Parameters
    ----------
    district : row of :func:`analysis.national.catalogue.districts`
    params : dict

    Returns
    -------
    DataFrame with :data:`COLUMNS` (dates in ms, ``age_days`` in days, weight in kg, length or
    height in cm as measured, ``measure`` ``"l"``/``"h"``).
    """
    from analysis.demo import lms

    kab = str(district["kab"])
    n = int(district["baris"])
    seed = int(params["seed"])
    tahun = int(params["tahun"])
    g = params["pertumbuhan"]
    geo = catalogue.geography(district, params)
    desa = geo.desa
    n_desa = len(desa)
    rng = catalogue.rng_for(kab, seed, "register")
    months = sorted(int(m) for m in params["putaran_bulan"])
    round_days = {m: _round_dates(rng, tahun, m, n_desa) for m in months}

    # A pool of n children is always enough: each child gives at least one row (last round).
    pool_desa = rng.choice(n_desa, size=n, p=desa["bobot"].to_numpy())
    last = months[-1]
    last_day = round_days[last][pool_desa]
    age_last = rng.integers(0, int(float(params["umur_maks_bulan"]) * DAYS_PER_MONTH), n)
    birth = last_day - age_last
    early = []
    for m in months[:-1]:
        day = round_days[m][pool_desa]
        early.append((m, day, (day >= birth) & (rng.random(n) < float(params["hadir_putaran_awal"]))))
    per_child = 1 + sum(att.astype(np.int64) for _, _, att in early)
    cum = np.cumsum(per_child)
    k = int(np.searchsorted(cum, n)) + 1          # children used
    over = int(cum[k - 1]) - n                     # rows too many (drop that many early visits)
    children = np.arange(k)
    idx_parts, day_parts = [], []
    for m, day, att in early:
        chosen = children[att[:k]]
        if over:
            drop = min(over, int(att[k - 1]))
            if drop:
                chosen = chosen[chosen != k - 1]
                over -= drop
        idx_parts.append(chosen)
        day_parts.append(day[chosen])
    idx_parts.append(children)
    day_parts.append(last_day[:k])
    idx = np.concatenate(idx_parts)
    measure_day = np.concatenate(day_parts)
    assert len(idx) == n, "row count of the district is not exact"

    # Child attributes (pool-indexed), then rows.
    sex_child = np.where(rng.random(n) < 0.49, 2, 1).astype(np.int64)
    keys = rng.integers(0, np.iinfo(np.int64).max, n, dtype=np.int64)
    mu_haz = rng.normal(float(g["haz_rata"]), float(g["haz_sd_kabupaten"]))
    mu_whz = rng.normal(float(g["whz_rata"]), float(g["whz_sd_kabupaten"]))
    desa_eff = rng.normal(0.0, float(g["haz_sd_desa"]), n_desa)
    haz_child = rng.normal(0.0, float(g["haz_sd_anak"]), n)
    whz_child = rng.normal(0.0, float(g["whz_sd_anak"]), n)
    pos_pick = rng.random(n)

    d_idx = pool_desa[idx]
    sex = sex_child[idx]
    age = (measure_day - birth[idx]).astype(np.int64)
    haz = mu_haz + desa_eff[d_idx] + haz_child[idx] + rng.normal(0.0, float(g["sd_putaran"]), n)
    whz = mu_whz + whz_child[idx] + rng.normal(0.0, float(g["sd_putaran"]), n)
    young = age < lms.HEIGHT_FROM_DAY
    lying = young ^ (rng.random(n) < float(g["cara_ukur_salah"]))
    table_h = lms.height_for(haz, sex, age)
    recorded = np.round(table_h - lms.table_height(np.zeros(n), age, lying), 1)
    adjusted = lms.table_height(recorded, age, lying)
    weight = np.round(np.maximum(lms.weight_for(whz, sex, adjusted, age), 1.0), 1)
    oedema = rng.random(n) < float(g["oedema"])
    pos_start = desa["posyandu_awal"].to_numpy()[d_idx]
    pos_n = desa["posyandu_n"].to_numpy()[d_idx]
    posyandu = geo.posyandu[pos_start + (pos_pick[idx] * pos_n).astype(np.int64)]

    key_text = np.array([f"{v:016x}" for v in keys[:k].tolist()], dtype=object)
    birth_day = birth[idx].astype("float64")
    sex_f = sex.astype("float64")
    weight_f, height_f = weight.copy(), recorded.copy()
    desa_code = desa["desa_code"].to_numpy(dtype=object)[d_idx]

    # Faults, each on its own share of rows.
    f = params["kesalahan"]
    u = rng.random((len(f), n))
    names = list(f)
    hit = {name: u[i] < float(f[name]) for i, name in enumerate(names)}
    weight_f[hit["bb_tb_kosong"]] = np.nan
    height_f[hit["bb_tb_kosong"]] = np.nan
    birth_day[hit["tgl_lahir_kosong"]] = np.nan
    after = hit["ukur_sebelum_lahir"]
    birth_day[after] = measure_day[after] + rng.integers(30, 400, int(after.sum()))
    sex_f[hit["jk_kosong"]] = np.nan
    desa_code = np.where(hit["desa_kosong"], None, desa_code)
    weight_f[hit["nilai_tidak_mungkin"]] = 0.0

    frame = pd.DataFrame({
        "sumber_berkas": f"register-nasional-{tahun}-{district['kab_nodot']}",
        "baris": np.arange(2, n + 2, dtype=np.int64),
        "child_key": key_text[idx],
        "sex": sex_f,
        "birth_date": birth_day,
        "measure_date": measure_day.astype("float64"),
        "weight_kg": weight_f,
        "height_cm": height_f,
        "measure": np.where(lying, "l", "h").astype(object),
        "oedema": oedema,
        "kab_code": kab,
        "kec_code": desa["kec_code"].to_numpy(dtype=object)[d_idx],
        "desa_code": desa_code,
        "puskesmas": desa["puskesmas"].to_numpy(dtype=object)[d_idx],
        "posyandu": posyandu,
    })
    # The same child measured twice on one day: a row repeated right after itself.
    dup = np.flatnonzero(hit["duplikat"][1:]) + 1
    if len(dup):
        cols = [c for c in frame.columns if c != "baris"]
        frame.loc[dup, cols] = frame.loc[dup - 1, cols].to_numpy()
    ms_per_day = 86_400_000
    for c in ("birth_date", "measure_date"):
        ms = frame[c].to_numpy(dtype="float64") * ms_per_day
        frame[c] = pd.to_datetime(pd.array(np.where(np.isnan(ms), np.nan, ms)).astype("Int64"), unit="ms")
    frame["age_days"] = (frame["measure_date"] - frame["birth_date"]).dt.days.astype("float64")
    frame["sex"] = frame["sex"].astype("Int8")
    return frame.astype(COLUMNS)[list(COLUMNS)]


def write_district(district: pd.Series | dict, params: dict, root: Path) -> dict:
    """Generate one district and write its partition (parts of ``baris_per_bagian`` rows).

    The folder is written under a temporary name and renamed when complete.

    Returns
    -------
    dict
        ``kab``, ``provinsi``, ``baris``, ``bagian`` (files), ``detik`` (seconds).
    """
    t0 = time.perf_counter()
    frame = district_rows(district, params)
    folder = district_dir(root, params["tahun"], district["provinsi"], district["kab_nodot"])
    tmp = folder.with_name(folder.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    step = int(params["baris_per_bagian"])
    parts = 0
    for start in range(0, max(len(frame), 1), step):
        table = pa.Table.from_pandas(frame.iloc[start:start + step], preserve_index=False)
        pq.write_table(table, tmp / f"part-{parts:04d}.parquet", compression="zstd")
        parts += 1
    if folder.exists():
        shutil.rmtree(folder)
    os.replace(tmp, folder)
    return {"kab": str(district["kab"]), "provinsi": str(district["provinsi"]),
            "baris": int(len(frame)), "bagian": parts, "detik": time.perf_counter() - t0}


def _write_one(args: tuple[dict, dict, str]) -> dict:
    district, params, root = args
    return write_district(district, params, Path(root))


def manifest(root: Path, tahun: int) -> dict | None:
    """The manifest of a generated register year, or None."""
    path = year_dir(root, tahun) / MANIFEST
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def generate(root: Path, params: dict, *, workers: int = 1, force: bool = False,
             progress=None) -> dict:
    """Write the whole national register for ``params["tahun"]``.

    Parameters
    ----------
    root : Path
        Output root (default of the command: ``data/national``).
    params : dict
        :func:`analysis.national.params.load`.
    workers : int
        Worker processes (each holds one district at a time: peak memory is about
        ``workers`` × the largest district).
    force : bool
        Regenerate even when a manifest with the same parameters exists.
    progress : callable, optional
        Called with each district's result dict as it completes.

    Returns
    -------
    dict
        The manifest: ``parameter``, ``sha256_parameter``, ``baris``, ``kabupaten``,
        ``bagian``, ``detik`` and per district ``kab, provinsi, baris, bagian``.
    """
    from concurrent.futures import ProcessPoolExecutor
    import multiprocessing

    root = Path(root)
    digest = params_mod.checksum(params)
    old = manifest(root, params["tahun"])
    if old is not None and old.get("sha256_parameter") == digest and not force:
        return old
    t0 = time.perf_counter()
    ydir = year_dir(root, params["tahun"])
    if ydir.exists():
        shutil.rmtree(ydir)
    ydir.mkdir(parents=True)
    table = catalogue.districts(params)
    order = table.sort_values("baris", ascending=False, kind="stable")
    jobs = [(row, params, str(root)) for row in order.to_dict("records")]
    results = []
    if workers <= 1:
        for job in jobs:
            results.append(_write_one(job))
            if progress:
                progress(results[-1])
    else:
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            for res in pool.map(_write_one, jobs, chunksize=1):
                results.append(res)
                if progress:
                    progress(res)
    results.sort(key=lambda r: r["kab"])
    out = {
        "versi_skema": params.get("versi_skema", 1),
        "parameter": params,
        "sha256_parameter": digest,
        "tahun": int(params["tahun"]),
        "baris": int(sum(r["baris"] for r in results)),
        "kabupaten": len(results),
        "bagian": int(sum(r["bagian"] for r in results)),
        "detik": round(time.perf_counter() - t0, 3),
        "daftar": [{k: r[k] for k in ("kab", "provinsi", "baris", "bagian")} for r in results],
        "nama": dict(zip(table["kab"], table["nama"])),
    }
    (ydir / MANIFEST).write_text(json.dumps(out, indent=1, ensure_ascii=False), encoding="utf-8")
    return out
