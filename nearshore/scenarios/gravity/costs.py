"""Bilateral trade costs for the general-equilibrium model, t_ij^(1-sigma) = exp(fixed_ij + sum_k b_k x_ij,k).

Two ways to get them, as in the literature:

- from variables (`variable_costs`): coefficients b_k on trade-cost variables (distance, contiguity, an RTA
  dummy, a border dummy...), given or estimated by PPML on the cross-section with exporter and importer fixed
  effects; `fixed` is zero. This is how gegravity builds its costs (exp(X b), a constant included or not: a
  common factor changes no result).
- from pair fixed effects (`pair_costs`): the two-stage procedure of Anderson & Yotov (2016) used in the
  Guide's chapter 2 applications. Stage 1 estimates the panel with exporter-year, importer-year and pair fixed
  effects and the policy variables (e.g. rta); the pair effects, normalised so that a country's domestic cost
  is 1, are `fixed`. Stage 2 fills the pairs that never trade (no pair effect) with a PPML of exp(pair effect)
  on gravity variables with exporter and importer fixed effects. The policy coefficients are the b_k.

Only the b_k x_ij,k part moves in a counterfactual; `fixed` stays as it is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from nearshore.errors import InputError
from nearshore.scenarios.gravity.estimate import GravitySpec, model_frame, sample_of
from nearshore.scenarios.gravity.fixest import pyfixest, quietly
from nearshore.scenarios.gravity.panel import FloatArray, Panel

FIXEF_TOLERANCE: Final = 1e-10  # pyfixest recovers fixed effects with lsqr; its default 1e-6 shows in the costs


@dataclass(frozen=True)
class TradeCosts:
    """b_k per panel variable, the fixed part (log, exporters x importers in `countries` order) or None,
    and a sentence saying where they come from."""

    betas: tuple[tuple[str, float], ...]
    source: str
    fixed: FloatArray | None = None
    countries: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def variables(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.betas)

    def describe(self) -> str:
        return ", ".join(f"{name} {beta:+.4g}" for name, beta in self.betas)


def given_costs(betas: Mapping[str, float], source: str) -> TradeCosts:
    if not betas:
        raise InputError("no trade-cost coefficient given: name at least one variable and its coefficient")
    return TradeCosts(tuple((k, float(v)) for k, v in betas.items()), source)


def variable_costs(cross_section: Panel, variables: Sequence[str], log_variables: Sequence[str] = ()) -> TradeCosts:
    """Coefficients estimated by PPML on one year's flows (domestic included) with exporter and importer
    fixed effects; `log_variables` enter as ln(x) (their coefficient is keyed 'ln_<name>')."""
    from nearshore.scenarios.gravity.estimate import estimate

    if len(cross_section.years) != 1:
        raise InputError(f"estimate trade costs on one year; got {cross_section.years}")
    spec = GravitySpec("ppml", tuple(variables), tuple(log_variables), domestic=True, cluster="none")
    fit = estimate(cross_section, spec)
    year = cross_section.years[0]
    return TradeCosts(
        tuple(fit.coefficients().items()),
        f"PPML on {year} flows (domestic included) with exporter and importer fixed effects, {fit.nobs:,} observations",
        notes=fit.notes,
    )


def pair_costs(panel: Panel, policy: Sequence[str], gravity: GravitySpec, year: int) -> TradeCosts:
    """Anderson & Yotov (2016) two-stage trade costs for `year` from the whole `panel`: policy coefficients
    and pair fixed effects (stage 1), gravity predictions for pairs without one (stage 2, `gravity` names
    the variables: e.g. log distance, contiguity, language, colony)."""
    if year not in panel.years:
        raise InputError(f"{panel.origin}: no flows for {year}; the panel has {panel.years[0]}-{panel.years[-1]}")
    stage1 = GravitySpec("ppml", tuple(policy), pair_fe=True, domestic=True, years=gravity.years, cluster="none")
    frame, names, notes = model_frame(panel, stage1)
    pf = pyfixest()
    formula = f"y ~ {' + '.join(names)} | exp_year + imp_year + pair"
    fit, fit_notes = quietly(lambda: pf.fepois(formula, data=frame, vcov="hetero"))
    betas = tuple((names[str(c)], float(b)) for c, b in zip(fit._coefnames, fit.coef(), strict=True))
    effects, _ = quietly(lambda: fit.fixef(atol=FIXEF_TOLERANCE, btol=FIXEF_TOLERANCE)["C(pair)"])
    kept = {int(code) for code in np.unique(np.asarray(fit._data["pair"]))}
    # pyfixest reports no value for the reference level of a fixed effect (it is 0); pairs it dropped
    # (no trade in any year: PPML estimates would not exist) have none and get one in stage 2
    pair_effect = {code: float(effects.get(str(code), 0.0)) for code in kept}
    sample, _ = sample_of(panel, stage1)
    codes = np.unique(sample.pair, return_inverse=True)[1]
    lookup = dict(zip(sample.pair.tolist(), codes.tolist(), strict=True))
    year_rows = panel.select(panel.year == year)
    gamma = np.array([pair_effect.get(lookup.get(p, -1), np.nan) for p in year_rows.pair.tolist()])
    countries, fixed = _normalise(year_rows, gamma)
    fixed, filled = _fill(year_rows, countries, fixed, gravity)
    source = (
        f"pair fixed effects and {', '.join(policy)} coefficients from PPML on {panel.origin} "
        f"({len(frame):,} rows; Anderson & Yotov 2016 two-stage procedure); {filled} pairs without trade "
        "filled by a gravity regression"
    )
    return TradeCosts(betas, source, fixed, countries, tuple(dict.fromkeys((*notes, *fit_notes))))


def _normalise(rows: Panel, gamma: FloatArray) -> tuple[tuple[str, ...], FloatArray]:
    """The pair effects as an exporters x importers matrix with every domestic entry 0 (exporter i's effects
    shifted by -gamma_ii: a country-specific shift the resistances absorb, so no result depends on it)."""
    countries = rows.countries
    index = {c: k for k, c in enumerate(countries)}
    i = np.array([index[c] for c in rows.exporter.tolist()])
    j = np.array([index[c] for c in rows.importer.tolist()])
    fixed = np.full((len(countries), len(countries)), np.nan)
    fixed[i, j] = gamma
    domestic = np.diag(fixed).copy()
    if np.isnan(domestic).any():
        missing = [countries[k] for k in np.flatnonzero(np.isnan(domestic))]
        raise InputError(f"no domestic flow (or only zeros) for {', '.join(missing)}: the pair procedure needs them")
    fixed -= domestic[:, None]
    return countries, fixed


def _fill(rows: Panel, countries: tuple[str, ...], fixed: FloatArray, gravity: GravitySpec) -> tuple[FloatArray, int]:
    """Stage 2: PPML of exp(pair effect) on the gravity variables with exporter and importer effects,
    international pairs; its predictions fill the pairs that have no effect."""
    missing = np.isnan(fixed)
    if not missing.any():
        return fixed, 0
    import pandas as pd

    index = {c: k for k, c in enumerate(countries)}
    i = np.array([index[c] for c in rows.exporter.tolist()])
    j = np.array([index[c] for c in rows.importer.tolist()])
    columns: dict[str, object] = {"y": np.exp(fixed[i, j]), "exporter": i, "importer": j}
    terms = [*(f"ln_{v}" for v in gravity.log_covariates), *gravity.covariates]
    for k, name in enumerate(gravity.log_covariates):
        columns[f"x{k}"] = np.log(rows.variable(name))
    for k, name in enumerate(gravity.covariates, start=len(gravity.log_covariates)):
        columns[f"x{k}"] = rows.variable(name)
    if not terms:
        raise InputError("pairs without trade need gravity variables to fill their costs: name them with --x/--log-x")
    frame = pd.DataFrame(columns)
    known = frame[(frame.exporter != frame.importer) & frame.y.notna()]
    formula = f"y ~ {' + '.join(f'x{k}' for k in range(len(terms)))} | exporter + importer"
    pf = pyfixest()
    fit, _ = quietly(lambda: pf.fepois(formula, data=known, vcov="hetero"))
    unknown = frame[frame.y.isna()]
    predicted, _ = quietly(lambda: np.asarray(fit.predict(newdata=unknown, type="link"), dtype=np.float64))
    filled = fixed.copy()
    filled[unknown.exporter.to_numpy(), unknown.importer.to_numpy()] = predicted
    return filled, len(unknown)


__all__ = ["TradeCosts", "given_costs", "pair_costs", "variable_costs"]
