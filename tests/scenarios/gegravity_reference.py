"""gegravity (Peter Herman, USITC; PyPI `gegravity`, a dev dependency) set up as its example does, for the tests
and the benchmark: the independent reference for nearshore's one-step closure."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from nearshore.scenarios.gravity import SetVariable

# The coefficients of gegravity's example (examples/examples_OneSectorGE.py, estimated there by ppmlhdfe with
# exporter and importer fixed effects on the same sample)
SAMPLE_BETAS = {
    "lndist": -0.3898623,
    "contiguity": 0.891577,
    "common_language": 0.0326249,
    "pta": 0.4711383,
    "international": -3.412584,
    "constant": 16.32434,
}
DEFAULT_TOLERANCE = 1e-8  # gegravity's own solver tolerance (scipy root, 'hybr')


def sample_frame(path: Path) -> Any:
    import pandas as pd

    data = pd.read_csv(path)
    data["constant"] = 1
    return data


def run_gegravity(data: Any, change: SetVariable, tolerance: float = DEFAULT_TOLERANCE) -> Any:
    """gegravity's OneSectorGE on its sample (reference importer DEU, sigma 5) after `change`, solved to
    `tolerance`; the solved model (country_results, bilateral_trade_results, solver_diagnostics)."""
    import pandas as pd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # gegravity and gme use deprecated pandas calls
        import gegravity as ge

        baseline = ge.BaselineData(
            data,
            imp_var_name="importer",
            exp_var_name="exporter",
            year_var_name="year",
            trade_var_name="trade",
            expend_var_name="E",
            output_var_name="Y",
        )
        estimates = pd.DataFrame([(k, v, 0.0) for k, v in SAMPLE_BETAS.items()], columns=["var", "beta", "stderr"])
        costs = ge.CostCoeffs(estimates=estimates, identifier_col="var", coeff_col="beta", stderr_col="stderr")
        model = ge.OneSectorGE(
            baseline=baseline,
            cost_coeff_values=costs,
            cost_variables=list(SAMPLE_BETAS),
            year="2006",
            reference_importer="DEU",
            sigma=5,
            quiet=True,
        )
        model.build_baseline(omr_rescale=1, mr_tolerance=tolerance)
        experiment = model.baseline_data.copy()
        members = experiment.importer.isin(change.countries) & experiment.exporter.isin(change.countries)
        experiment.loc[members & (experiment.importer != experiment.exporter), change.variable] = change.value
        model.define_experiment(experiment)
        model.simulate(ge_tolerance=tolerance)
    return model


def comparisons(model: Any) -> dict[str, Any]:
    """gegravity's country results under nearshore's measure names (welfare as a percent change: gegravity's
    welfare statistic is (E/P) / (E'/P'))."""
    countries = model.country_results
    return {
        "welfare": 100 * (1 / countries["welfare statistic"] - 1),
        "exports": countries["foreign exports change (percent)"],
        "imports": countries["foreign imports change (percent)"],
        "domestic": countries["intranational trade change (percent)"],
        "price": countries["factory gate price change (percent)"],
        "imr": countries["imr change (percent)"],
        "omr": countries["omr change (percent)"],
    }


def largest_difference(result: Any, model: Any) -> float:
    """The largest relative difference between nearshore's `result` and gegravity's `model` over every
    country's measures and every pair's trade change."""
    worst = 0.0
    for measure, expected in comparisons(model).items():
        for country, value in expected.items():
            got = result.figure("countries", measure, country=country).value
            worst = max(worst, abs(got - value) / max(abs(value), 1e-12))
    for (exporter, importer), value in model.bilateral_trade_results["trade change (percent)"].items():
        got = result.figure("pairs", "trade_change", exporter=exporter, importer=importer).value
        worst = max(worst, abs(got - value) / max(abs(value), 1e-12))
    return worst
