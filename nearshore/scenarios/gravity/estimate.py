"""Structural gravity estimation: PPML (or log-linear OLS) with exporter-year, importer-year and pair fixed effects.

The specifications are those of Yotov, Piermartini, Monteiro & Larch (2016), "An Advanced Guide to Trade Policy
Analysis: The Structural Gravity Model" (WTO/UNCTAD), chapter 1:

    X_ij,t = exp(pi_i,t + chi_j,t [+ mu_ij] + b'x_ij,t [+ sum_y c_y BRDR_ij x 1{t=y}]) + e_ij,t

estimated by Poisson pseudo-maximum likelihood (Santos Silva & Tenreyro 2006) through pyfixest's `fepois`, or by
OLS on log X_ij,t (zero flows dropped) through `feols`. Standard errors are clustered by country pair. Small-sample
corrections follow the Guide's Stata code: OLS (`regress ..., cluster()`) scales by G/(G-1) x (N-1)/(N-K) with K
counting the fixed effects; PPML (`ppml ..., cluster()`, a maximum-likelihood estimator) by G/(G-1) only, and
without clustering (`ppml`'s robust errors) by N/(N-1).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal, get_args

import numpy as np
import numpy.typing as npt

from nearshore.analytics.result import Figure, FigureRow, FigureTable, Period, Provenance, choose
from nearshore.errors import InputError
from nearshore.scenarios.gravity.fixest import pyfixest, quietly
from nearshore.scenarios.gravity.panel import FloatArray, Panel
from nearshore.scenarios.result import Assumption, ScenarioResult

Method = Literal["ppml", "ols"]
Cluster = Literal["pair", "none"]
METHODS: Final = get_args(Method)
CLUSTERS: Final = get_args(Cluster)
GUIDE: Final = "Yotov, Piermartini, Monteiro & Larch (2016), An Advanced Guide to Trade Policy Analysis, ch. 1"


@dataclass(frozen=True)
class GravitySpec:
    """What to estimate.

    covariates      panel columns entered as they are (e.g. rta, cntg)
    log_covariates  panel columns entered in logs (e.g. dist: enters as ln_dist); values must be > 0
    pair_fe         country-pair fixed effects (the Guide's eq. 1-36; absorb every time-invariant pair variable)
    intra_fe        one intra-national dummy per country (the Guide's Table 3 column 3); needs domestic flows
    domestic        keep intra-national (domestic) flows; international flows only otherwise
    border_years    international-border x year dummies, the last year being the reference (eq. 1-39)
    years           keep these years only (e.g. every fourth year); None keeps every year
    cluster         'pair': standard errors clustered by country pair; 'none': heteroskedasticity-robust
    total           report the sum of these coefficients with its delta-method standard error (e.g. RTA lags)
    """

    method: Method = "ppml"
    covariates: tuple[str, ...] = ()
    log_covariates: tuple[str, ...] = ()
    pair_fe: bool = False
    intra_fe: bool = False
    domestic: bool = False
    border_years: bool = False
    years: tuple[int, ...] | None = None
    cluster: Cluster = "pair"
    total: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        choose(self.method, METHODS, "method")
        choose(self.cluster, CLUSTERS, "cluster")
        if (self.border_years or self.intra_fe) and not self.domestic:
            what = "international-border x year dummies" if self.border_years else "intra-national dummies"
            raise InputError(f"{what} need the intra-national (domestic) flows: add --domestic")
        if not self.regressors and not self.border_years:
            raise InputError("no regressor to estimate: name at least one with --x or --log-x, or add --border-years")

    @property
    def regressors(self) -> tuple[str, ...]:
        """Names of the estimated coefficients (border dummies are added per year when estimating)."""
        return (*(f"ln_{name}" for name in self.log_covariates), *self.covariates)

    @property
    def fixed_effects(self) -> tuple[str, ...]:
        return ("exporter-year", "importer-year", *(("pair",) if self.pair_fe else ()), *(("intra",) * self.intra_fe))


@dataclass(frozen=True)
class GravityEstimate:
    """Coefficients, their covariance and the sample of one estimation, and the figures to print."""

    spec: GravitySpec
    terms: tuple[str, ...]
    coef: FloatArray
    vcov: FloatArray
    nobs: int
    fit: float
    result: ScenarioResult
    notes: tuple[str, ...] = field(default=())

    def beta(self, term: str) -> float:
        if term not in self.terms:
            raise KeyError(f"no coefficient {term!r}; estimated: {', '.join(self.terms)}")
        return float(self.coef[self.terms.index(term)])

    def coefficients(self) -> dict[str, float]:
        return {t: float(b) for t, b in zip(self.terms, self.coef, strict=True)}


def estimate(panel: Panel, spec: GravitySpec) -> GravityEstimate:
    """Estimate `spec` on `panel` and return coefficients, clustered standard errors and figures."""
    frame, names, sample_notes = model_frame(panel, spec)
    fit, fit_notes = quietly(lambda: _run(frame, names, spec))
    terms = tuple(names[str(c)] for c in fit._coefnames)
    coef = np.asarray(fit.coef(), dtype=np.float64)
    vcov = np.asarray(fit._vcov, dtype=np.float64)
    statistic = np.asarray(fit.tstat(), dtype=np.float64)
    pvalue = np.asarray(fit.pvalue(), dtype=np.float64)
    goodness = float(fit._pseudo_r2 if spec.method == "ppml" else fit._r2)
    notes = (*sample_notes, *fit_notes)
    result = _result(panel, spec, terms, coef, vcov, statistic, pvalue, int(fit._N), goodness, notes)
    return GravityEstimate(spec, terms, coef, vcov, int(fit._N), goodness, result, notes)


def model_frame(panel: Panel, spec: GravitySpec) -> tuple[Any, dict[str, str], list[str]]:
    """The pandas frame pyfixest reads (safe column names x0, x1, ...), the map back to term names, and notes
    on the rows left out."""
    import pandas as pd

    pyfixest()  # a clear error before any work if the extra is missing
    data, notes = sample_of(panel, spec)
    columns: dict[str, Any] = {"y": data.trade if spec.method == "ppml" else np.log(data.trade)}
    names: dict[str, str] = {}
    for k, (term, values) in enumerate(_regressors(data, spec)):
        columns[f"x{k}"] = values
        names[f"x{k}"] = term
    columns.update(_fixed_effects(data, spec))
    return pd.DataFrame(columns), names, notes


def sample_of(panel: Panel, spec: GravitySpec) -> tuple[Panel, list[str]]:
    """The rows `spec` estimates on (years, flows, positive trade for OLS) and notes on what was left out."""
    keep = np.ones(len(panel), dtype=bool)
    notes: list[str] = []
    if spec.years is not None:
        missing = sorted(set(spec.years) - set(panel.years))
        if missing:
            raise InputError(f"{panel.origin}: no flows for year(s) {missing}; the panel has {_span(panel.years)}")
        keep &= np.isin(panel.year, spec.years)
    if not spec.domestic:
        keep &= panel.exporter != panel.importer
    if spec.method == "ols":
        zeros = int((keep & (panel.trade <= 0)).sum())
        keep &= panel.trade > 0
        if zeros:
            notes.append(f"{zeros:,} zero flows left out: OLS on log trade cannot use them (PPML can)")
    data = panel.select(keep)
    for name in spec.log_covariates:
        values = data.variable(name)
        if (values <= 0).any():
            row = int(np.flatnonzero(values <= 0)[0])
            raise InputError(
                f"{panel.origin}: column {name!r} has {values[row]:g} for {data.exporter[row]}->"
                f"{data.importer[row]} {data.year[row]}; a variable entered in logs must be > 0 (use --x instead)"
            )
    return data, notes


def _regressors(data: Panel, spec: GravitySpec) -> list[tuple[str, FloatArray]]:
    out = [(f"ln_{name}", np.log(data.variable(name))) for name in spec.log_covariates]
    out += [(name, data.variable(name)) for name in spec.covariates]
    if spec.border_years:
        international = data.exporter != data.importer
        for year in sorted(set(data.year.tolist()))[:-1]:
            out.append((f"border_{year}", (international & (data.year == year)).astype(np.float64)))
    return out


def _fixed_effects(data: Panel, spec: GravitySpec) -> dict[str, npt.NDArray[np.int64]]:
    countries, codes = np.unique(np.concatenate([data.exporter, data.importer]), return_inverse=True)
    n = len(data)
    exporter, importer = codes[:n], codes[n:]
    _, year = np.unique(data.year, return_inverse=True)
    effects = {
        "exp_year": exporter * (year.max() + 1) + year,
        "imp_year": importer * (year.max() + 1) + year,
        "pair": np.unique(data.pair, return_inverse=True)[1],
    }
    if spec.intra_fe:
        effects["intra"] = np.where(exporter == importer, exporter, len(countries))
    return {k: v.astype(np.int64) for k, v in effects.items()}


def _run(frame: Any, names: dict[str, str], spec: GravitySpec) -> Any:
    pf = pyfixest()
    effects = ["exp_year", "imp_year", *(["pair"] if spec.pair_fe else []), *(["intra"] if spec.intra_fe else [])]
    formula = f"y ~ {' + '.join(names)} | {' + '.join(effects)}"
    if spec.method == "ols":
        return pf.feols(formula, data=frame, vcov={"CRV1": "pair"} if spec.cluster == "pair" else "hetero")
    if spec.cluster == "pair":  # Stata's ppml, cluster(): G/(G-1)
        return pf.fepois(formula, data=frame, vcov={"CRV1": "pair"}, ssc=pf.ssc(k_adj=False, G_adj=True))
    # Stata's ppml (robust): N/(N-1), the fixed effects not counted
    return pf.fepois(formula, data=frame, vcov="hetero", ssc=pf.ssc(k_adj=True, k_fixef="none"))


def _result(
    panel: Panel,
    spec: GravitySpec,
    terms: tuple[str, ...],
    coef: FloatArray,
    vcov: FloatArray,
    statistic: FloatArray,
    pvalue: FloatArray,
    nobs: int,
    goodness: float,
    notes: Sequence[str],
) -> ScenarioResult:
    years = sorted(set(spec.years or panel.years))
    period = Period.years(years[0], years[-1])
    provenance = panel.provenance.with_note(*notes)
    se = np.sqrt(np.diag(vcov))
    rows = [
        _row((term,), (coef[k], se[k], statistic[k], pvalue[k]), period, provenance, term)
        for k, term in enumerate(terms)
    ]
    if spec.total:
        rows.append(_total(spec.total, terms, coef, vcov, period, provenance))
    label = "pseudo R-squared" if spec.method == "ppml" else "R-squared"
    table = FigureTable(
        title=f"{spec.method.upper()} gravity estimates, {period.words} "
        f"({nobs:,} observations, {label} {goodness:.3f})",
        key_columns=("term",),
        measures=("estimate", "std_error", "statistic", "p_value", "effect"),
        rows=tuple(rows),
        provenance=provenance,
    )
    return ScenarioResult(
        engine="gravity-estimate",
        title=table.title,
        tables=(("coefficients", table),),
        assumptions=_assumptions(spec, years, nobs),
        provenance=provenance,
    )


def _row(keys: tuple[str, ...], values: Sequence[float], period: Period, prov: Provenance, term: str) -> FigureRow:
    estimate, se, statistic, pvalue = (float(v) for v in values)
    subject = (("term", term),)

    def make(value: float, label: str, decimals: int) -> Figure:
        return Figure(value, "index", f"{label} of {term}", period, prov, decimals=decimals, subject=subject)

    effect = Figure(
        100.0 * (np.exp(estimate) - 1.0),
        "percent",
        f"trade change for a one-unit rise in {term}, 100 x (exp(b) - 1)",
        period,
        prov,
        decimals=1,
        subject=subject,
    )
    figures = (
        make(estimate, "coefficient", 3),
        make(se, "standard error", 3),
        make(statistic, "z statistic", 2),
        make(pvalue, "p-value", 3),
        effect,
    )
    return FigureRow(keys, figures)


def _total(
    names: Sequence[str], terms: Sequence[str], coef: FloatArray, vcov: FloatArray, period: Period, prov: Provenance
) -> FigureRow:
    unknown = [n for n in names if n not in terms]
    if unknown:
        raise InputError(f"--total names {unknown}, which were not estimated; estimated: {', '.join(terms)}")
    weights = np.array([1.0 if t in names else 0.0 for t in terms])
    value = float(weights @ coef)
    se = float(np.sqrt(weights @ vcov @ weights))
    z = value / se
    label = "total(" + "+".join(names) + ")"
    return _row((label,), (value, se, z, math.erfc(abs(z) / math.sqrt(2.0))), period, prov, label)


def _assumptions(spec: GravitySpec, years: Sequence[int], nobs: int) -> tuple[Assumption, ...]:
    method = (
        "Poisson pseudo-maximum likelihood (Santos Silva & Tenreyro 2006), pyfixest fepois"
        if spec.method == "ppml"
        else "OLS on log trade, zero flows dropped, pyfixest feols"
    )
    flows = "international and intra-national" if spec.domestic else "international only"
    cluster = (
        "clustered by country pair"
        + (", G/(G-1) correction" if spec.method == "ppml" else ", Stata regress correction")
        if spec.cluster == "pair"
        else "heteroskedasticity-robust"
    )
    return (
        Assumption("method", spec.method, method, GUIDE),
        Assumption("fixed_effects", " + ".join(spec.fixed_effects), "fixed effects absorbed", GUIDE),
        Assumption("flows", flows, "which flows enter the sample", GUIDE),
        Assumption("years", _span(years), f"sample years ({nobs:,} observations used)", "option --years"),
        Assumption("standard_errors", spec.cluster, cluster, GUIDE),
    )


def _span(years: Sequence[int]) -> str:
    years = sorted(years)
    if len(years) > 2:
        steps = {b - a for a, b in itertools.pairwise(years)}
        if len(steps) == 1:
            step = steps.pop()
            return f"{years[0]}-{years[-1]}" + (f" every {step} years" if step > 1 else "")
    return ", ".join(str(y) for y in years)


__all__ = [
    "CLUSTERS",
    "METHODS",
    "Cluster",
    "GravityEstimate",
    "GravitySpec",
    "Method",
    "estimate",
    "model_frame",
    "sample_of",
]
