"""Priority desa (desa lokus): a transparent composite score, its sensitivity, and the
comparison with the lokus already decreed.

Method (weights and limits in ``analysis/data/config/lokus.yaml``, model
:class:`analysis.pengaturan.Lokus`, passed in by the caller; printed in the report):

1. **Prevalence without the noise.** A desa with 8 children measured and 4 stunted has a
   raw prevalence of 50 % that means little. Each desa's prevalence is shrunk toward the
   district prevalence p₀ by empirical Bayes (beta-binomial, method of moments):
   p̂ᵢ = (xᵢ + m·p₀) / (nᵢ + m), where the prior strength m = p₀(1 − p₀)/τ² − 1 and τ² is the
   between-desa variance left after removing the binomial noise, τ² = var(pᵢ) − mean(p₀(1 −
   p₀)/nᵢ). When the desa differ no more than chance would make them (τ² ≤ 0), every desa is
   shrunk to p₀ and prevalence cannot reorder them. Small desa move most, large desa least.
2. **Components**: shrunk prevalence, number of stunted children, mean coverage gap to the
   2024 targets, rise of shrunk prevalence since last year (a fall counts as 0). Each is
   scaled 0–1 across the
   desa (min–max); a desa without a value gets the component's median (neutral).
3. **Score** = 100 · Σ wₖ·sₖ / Σ wₖ. Desa with fewer than ``min_anak`` children measured are
   marked and are not recommended automatically (their numbers need checking first).
4. **Sensitivity**: the top list under every alternative weight set of the config.
5. **Funnel**: each desa's raw prevalence against the district's 95 % and 99.8 % limits
   (:func:`analysis.stats.funnel_position`), so a real hotspot (above 99.8 %) stands apart
   from small-number noise.

Statuses are codes (:class:`analysis.kode.PosisiCorong`, :class:`analysis.kode.StatusLokus`);
their words are added at display.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from analysis.kode import StatusLokus
from analysis.pengaturan import KOMPONEN_LOKUS, Bobot, Lokus
from analysis.stats import FUNNEL_Z, funnel_position

COMPONENTS = KOMPONEN_LOKUS


def normalised_weights(weights: Bobot) -> dict[str, float]:
    """Weights of the four components, normalised to sum to 1 (the model ensures sum > 0)."""
    w = weights.sebagai_dict()
    total = sum(w.values())
    return {k: v / total for k, v in w.items()}


def shrink(x: ArrayLike, n: ArrayLike,
           p0: float | None = None) -> tuple[NDArray[np.float64], float]:
    """Empirical-Bayes (beta-binomial) shrinkage of proportions toward ``p0``.

    Parameters
    ----------
    x, n : array-like
        Stunted children and children with a usable HAZ per desa.
    p0 : float, optional
        District proportion (fraction); default pooled x / n.

    Returns
    -------
    (p_shrunk, m) : array of fractions, prior strength (children-equivalents; ``inf`` when
        the desa differ no more than chance).
    """
    x = np.asarray(x, dtype=float)
    n = np.asarray(n, dtype=float)
    ok = n > 0
    if p0 is None:
        p0 = x[ok].sum() / n[ok].sum() if ok.any() else float("nan")
    if not ok.any():
        return np.full(len(x), np.nan), float("inf")
    if not (0 < p0 < 1):  # nobody (or everybody) stunted: nothing to shrink
        return np.full(len(x), float(p0)), float("inf")
    p = x[ok] / n[ok]
    noise = np.mean(p0 * (1 - p0) / n[ok])
    tau2 = np.var(p, ddof=1) - noise if ok.sum() > 1 else 0.0
    if tau2 <= 0:
        m = float("inf")
        est = np.full(len(x), p0)
    else:
        m = max(p0 * (1 - p0) / tau2 - 1, 0.0)
        est = (x + m * p0) / (n + m)
    est = np.where(ok, est, p0)
    return est, m


def funnel(x: ArrayLike, n: ArrayLike, p0: float) -> pd.DataFrame:
    """Position of each desa on the funnel plot around ``p0``.

    Returns
    -------
    DataFrame
        ``z_funnel`` ((p − p₀)/sqrt(p₀(1−p₀)/n), for ordering), ``posisi_funnel``: a
        :class:`~analysis.kode.PosisiCorong` code (``tanpa_data`` for a desa nobody was
        measured in).
    """
    x = np.asarray(x, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        zz = (x / n - p0) / np.sqrt(p0 * (1 - p0) / n)
    return pd.DataFrame({"z_funnel": zz, "posisi_funnel": funnel_position(x, n, p0, FUNNEL_Z)})


def desa_inputs(now: pd.DataFrame, previous: pd.DataFrame | None = None,
                coverage_desa: pd.DataFrame | None = None) -> pd.DataFrame:
    """Assemble the per-desa inputs of the score.

    Parameters
    ----------
    now : DataFrame
        ``analysis.prevalence.status_counts(..., by="desa_code")`` of the report year:
        ``desa_code, anak, n_stunting, jumlah_stunting``.
    previous : DataFrame, optional
        The same for the previous year (for the change component).
    coverage_desa : DataFrame, optional
        ``analysis.coverage.desa_summary``: ``kode_desa, kesenjangan_rata_pp``.

    Returns
    -------
    DataFrame
        ``desa_code, anak, n_stunting, jumlah_stunting, pct_stunting`` (raw, percent),
        ``pct_disesuaikan`` (shrunk, percent), ``pct_lalu_disesuaikan`` (previous year,
        shrunk, percent), ``perubahan_pp``, ``kesenjangan_rata_pp``, ``z_funnel``,
        ``posisi_funnel``; attribute ``attrs["p0"]`` (district fraction) and ``attrs["m"]``
        (prior strength).
    """
    out = now[["desa_code", "anak", "n_stunting", "jumlah_stunting"]].copy()
    x, n = out["jumlah_stunting"].to_numpy(float), out["n_stunting"].to_numpy(float)
    p0 = x.sum() / n.sum() if n.sum() > 0 else float("nan")
    with np.errstate(invalid="ignore", divide="ignore"):
        out["pct_stunting"] = np.where(n > 0, x / n * 100, np.nan)
    est, m = shrink(x, n, p0)
    out["pct_disesuaikan"] = est * 100
    if previous is not None and len(previous):
        px = previous["jumlah_stunting"].to_numpy(float)
        pn = previous["n_stunting"].to_numpy(float)
        pest, _ = shrink(px, pn)
        prev = pd.Series(pest * 100, index=previous["desa_code"].to_numpy())
        prev[pn <= 0] = np.nan
        out["pct_lalu_disesuaikan"] = out["desa_code"].map(prev)
    else:
        out["pct_lalu_disesuaikan"] = np.nan
    out["perubahan_pp"] = out["pct_disesuaikan"] - out["pct_lalu_disesuaikan"]
    if coverage_desa is not None and len(coverage_desa):
        gap = coverage_desa.set_index("kode_desa")["kesenjangan_rata_pp"]
        out["kesenjangan_rata_pp"] = out["desa_code"].map(gap)
    else:
        out["kesenjangan_rata_pp"] = np.nan
    f = funnel(x, n, p0)
    out["z_funnel"] = f["z_funnel"].to_numpy()
    out["posisi_funnel"] = f["posisi_funnel"].to_numpy()
    out.attrs["p0"] = p0
    out.attrs["m"] = m
    return out


def _scaled(values: pd.Series) -> pd.Series:
    """Min–max scaling to 0–1; missing → median; constant → 0 (cannot discriminate).

    Non-negative components (all of them here) are scaled from 0 when their minimum is 0,
    so a component that is 0 for every desa adds nothing.
    """
    v = values.astype(float)
    if v.notna().sum() == 0:
        return pd.Series(0.0, index=v.index)
    v = v.fillna(v.median())
    lo, hi = v.min(), v.max()
    if hi - lo <= 1e-12:
        return pd.Series(0.0, index=v.index)
    return (v - lo) / (hi - lo)


def components(inputs: pd.DataFrame) -> pd.DataFrame:
    """The four components scaled 0–1 (``s_prevalensi`` …), index aligned with ``inputs``."""
    raw = {
        "prevalensi": inputs["pct_disesuaikan"],
        "jumlah_stunting": inputs["jumlah_stunting"],
        "kesenjangan_cakupan": inputs["kesenjangan_rata_pp"],
        # only a rise counts: a desa whose prevalence fell gets 0, not a share of the weight
        "perubahan": inputs["perubahan_pp"].clip(lower=0),
    }
    return pd.DataFrame({f"s_{k}": _scaled(v) for k, v in raw.items()})


def available(inputs: pd.DataFrame) -> dict[str, bool]:
    """Which components have data at all (a component without data gets no weight)."""
    return {
        "prevalensi": bool(inputs["pct_disesuaikan"].notna().any()),
        "jumlah_stunting": bool(inputs["jumlah_stunting"].notna().any()),
        "kesenjangan_cakupan": bool(inputs["kesenjangan_rata_pp"].notna().any()),
        "perubahan": bool(inputs["perubahan_pp"].notna().any()),
    }


def effective_weights(weights: Bobot, inputs: pd.DataFrame) -> dict[str, float]:
    """Weights normalised over the components that have data."""
    have = available(inputs)
    w = {k: (v if have[k] else 0.0) for k, v in normalised_weights(weights).items()}
    total = sum(w.values())
    return {k: (v / total if total > 0 else 0.0) for k, v in w.items()}


def number_of_lokus(n_desa: int, cfg: Lokus) -> int:
    """How many desa to recommend: ceil(share · desa), within [min, max], ≤ desa."""
    k = math.ceil(cfg.proporsi_lokus * n_desa)
    k = max(cfg.min_lokus, min(cfg.maks_lokus, k))
    return min(k, n_desa)


def score(inputs: pd.DataFrame, cfg: Lokus, weights: Bobot | None = None) -> pd.DataFrame:
    """Composite priority score and rank per desa.

    Parameters
    ----------
    inputs : DataFrame
        Output of :func:`desa_inputs`.
    cfg : analysis.pengaturan.Lokus
        The settings (``min_anak``, the number of lokus, the main weights).
    weights : Bobot, optional
        Weights to use instead of ``cfg.bobot`` (the sensitivity check).

    Returns
    -------
    DataFrame
        ``inputs`` plus ``s_<component>`` (0–1), ``kontribusi_<component>`` (points of the
        score), ``skor`` (0–100), ``data_sedikit`` (bool: fewer than ``min_anak`` children),
        ``peringkat`` (1 = highest priority; desa with little data ranked after the rest),
        ``direkomendasikan`` (bool: in the top ``number_of_lokus`` among desa with enough
        data). Sorted by rank.
    """
    w = effective_weights(weights or cfg.bobot, inputs)
    comp = components(inputs)
    out = pd.concat([inputs.reset_index(drop=True), comp.reset_index(drop=True)], axis=1)
    total = pd.Series(0.0, index=out.index)
    for k in COMPONENTS:
        out[f"kontribusi_{k}"] = 100 * w[k] * out[f"s_{k}"]
        total += out[f"kontribusi_{k}"]
    out["skor"] = total
    out["data_sedikit"] = out["anak"] < cfg.min_anak
    out = out.sort_values(["data_sedikit", "skor", "jumlah_stunting"],
                          ascending=[True, False, False], kind="stable").reset_index(drop=True)
    out["peringkat"] = np.arange(1, len(out) + 1)
    n_lokus = number_of_lokus(len(out), cfg)
    out["direkomendasikan"] = (~out["data_sedikit"]) & (out["peringkat"] <= n_lokus)
    out.attrs.update(inputs.attrs)
    out.attrs["bobot"] = w
    return out


def sensitivity(inputs: pd.DataFrame, cfg: Lokus) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Top lists under the main and every alternative weight set of the config.

    Returns
    -------
    (per_set, per_desa)
        ``per_set``: one row per weight set: ``bobot`` (key), ``label``, ``sama_dengan_utama``
        (desa of the main top list also in this set's top list), ``jumlah_lokus``.
        ``per_desa``: ``desa_code`` and, per set, the rank (``peringkat_<set>``), plus
        ``masuk_daftar`` (in how many sets' top list the desa is) and ``jumlah_set``.
    """
    sets = {"utama": cfg.bobot, **cfg.bobot_alternatif}
    labels = cfg.label_bobot
    main = score(inputs, cfg, sets["utama"])
    top_main = set(main.loc[main["direkomendasikan"], "desa_code"])
    ranks = pd.DataFrame({"desa_code": main["desa_code"]})
    count = pd.Series(0, index=main["desa_code"].to_numpy())
    rows = []
    for key, w in sets.items():
        s = score(inputs, cfg, w)
        top = set(s.loc[s["direkomendasikan"], "desa_code"])
        ranks[f"peringkat_{key}"] = ranks["desa_code"].map(s.set_index("desa_code")["peringkat"])
        count[list(top)] += 1
        rows.append({"bobot": key, "label": labels[key],
                     "sama_dengan_utama": len(top & top_main), "jumlah_lokus": len(top)})
    ranks["masuk_daftar"] = ranks["desa_code"].map(count)
    ranks["jumlah_set"] = len(sets)
    return pd.DataFrame(rows), ranks


def compare_decreed(scored: pd.DataFrame, decreed: pd.DataFrame) -> pd.DataFrame:
    """Recommended lokus against a decreed list (the ``lokus`` table of one year).

    Parameters
    ----------
    scored : DataFrame
        Output of :func:`score`.
    decreed : DataFrame
        ``kode_desa`` (and ``nama_desa``) of the lokus decreed.

    Returns
    -------
    DataFrame
        One row per desa that is recommended or decreed: ``desa_code``, ``peringkat``,
        ``skor``, ``direkomendasikan``, ``ditetapkan`` (bool) and ``status``, a
        :class:`~analysis.kode.StatusLokus` code: ``tetap`` (both), ``baru`` (recommended,
        not decreed), ``tidak_lagi`` (decreed, not recommended), ``tanpa_data`` (decreed, no
        measurements this year). Sorted by rank.
    """
    dec = set(decreed["kode_desa"].astype(str)) if len(decreed) else set()
    t = scored[["desa_code", "peringkat", "skor", "direkomendasikan", "data_sedikit",
                "jumlah_stunting", "pct_disesuaikan"]].copy()
    t["ditetapkan"] = t["desa_code"].astype(str).isin(dec)
    t = t[t["direkomendasikan"] | t["ditetapkan"]].copy()
    t["status"] = np.select(
        [t["direkomendasikan"] & t["ditetapkan"], t["direkomendasikan"]],
        [StatusLokus.TETAP.value, StatusLokus.BARU.value], default=StatusLokus.TIDAK_LAGI.value)
    missing = dec - set(t["desa_code"].astype(str))
    if missing:  # decreed desa with no measurements this year
        extra = pd.DataFrame({"desa_code": sorted(missing), "ditetapkan": True,
                              "direkomendasikan": False, "status": StatusLokus.TANPA_DATA.value})
        t = pd.concat([t, extra], ignore_index=True)
    return t.sort_values("peringkat", na_position="last").reset_index(drop=True)


def decreed_share_high_burden(scored: pd.DataFrame, decreed: pd.DataFrame) -> float:
    """Percent of decreed lokus that are in the upper half by stunted count or by shrunk
    prevalence (the province's rubric: A = 100 % of lokus have high cases or prevalence).
    NaN without decreed lokus."""
    if not len(decreed):
        return float("nan")
    t = scored.set_index("desa_code")
    high = (t["jumlah_stunting"] >= t["jumlah_stunting"].median()) | (
        t["pct_disesuaikan"] >= t["pct_disesuaikan"].median())
    codes = [c for c in decreed["kode_desa"].astype(str) if c in high.index]
    if not codes:
        return float("nan")
    return float(high.loc[codes].mean() * 100)
