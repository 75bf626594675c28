"""The counterfactual against independent references: gegravity (USITC) on its own sample, and the Guide's
published NAFTA results (chapter 2, application 2) from its panel."""

from __future__ import annotations

import csv
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from nearshore.scenarios.gravity import (
    Columns,
    GESettings,
    GravitySpec,
    SetVariable,
    given_costs,
    pair_costs,
    read_panel,
    simulate,
)
from tests.scenarios.conftest import DATA, GUIDE_YEARS

pytestmark = pytest.mark.shared

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
RELATIVE = 1e-4  # the bar: every country's welfare and trade change within 1e-4 relative


def gegravity_results(path: Path, change: SetVariable) -> dict[str, Any]:
    """gegravity's OneSectorGE on its sample: reference importer DEU, sigma 5, its default solver with the
    tolerances tightened to 1e-12 (at its default 1e-8 its own changes carry errors near 1e-4 of themselves
    for the smallest ones)."""
    import pandas as pd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # gegravity and gme use deprecated pandas calls
        import gegravity as ge

        data = pd.read_csv(path)
        data["constant"] = 1
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
        model.build_baseline(omr_rescale=1, mr_tolerance=1e-12)
        experiment = model.baseline_data.copy()
        members = experiment.importer.isin(change.countries) & experiment.exporter.isin(change.countries)
        experiment.loc[members & (experiment.importer != experiment.exporter), change.variable] = change.value
        model.define_experiment(experiment)
        model.simulate(ge_tolerance=1e-12)
    return {
        "countries": model.country_results,
        "pairs": model.bilateral_trade_results,
        "converged": all(d.success for d in model.solver_diagnostics.values()),
    }


@pytest.mark.parametrize(
    "change",
    [
        SetVariable("pta", 1.0, ("CAN", "JPN")),  # gegravity's own example
        SetVariable("pta", 0.0, ("USA", "CAN", "MEX")),  # NAFTA removed
    ],
    ids=["CAN-JPN-pta", "no-NAFTA"],
)
def test_one_step_closure_matches_gegravity(sample_path: Path, change: SetVariable) -> None:
    reference = gegravity_results(sample_path, change)
    assert reference["converged"]
    panel = read_panel(sample_path, Columns(), [*list(SAMPLE_BETAS)[:-1], "Y", "E"])
    settings = GESettings(sigma=5, reference="DEU", closure="one-step", output="Y", expenditure="E")
    ours = simulate(panel, given_costs(SAMPLE_BETAS, "gegravity example"), (change,), settings=settings).result
    countries = reference["countries"]
    measures = {
        "welfare": 100 * (1 / countries["welfare statistic"] - 1),  # gegravity: (E/P) / (E'/P')
        "exports": countries["foreign exports change (percent)"],
        "imports": countries["foreign imports change (percent)"],
        "domestic": countries["intranational trade change (percent)"],
        "price": countries["factory gate price change (percent)"],
        "imr": countries["imr change (percent)"],
        "omr": countries["omr change (percent)"],
    }
    for measure, expected in measures.items():
        for country, value in expected.items():
            got = ours.figure("countries", measure, country=country).value
            assert got == pytest.approx(value, rel=RELATIVE, abs=1e-12), (measure, country)
    for (exporter, importer), value in reference["pairs"]["trade change (percent)"].items():
        got = ours.figure("pairs", "trade_change", exporter=exporter, importer=importer).value
        assert got == pytest.approx(value, rel=RELATIVE, abs=1e-12), (exporter, importer)


def guide_nafta() -> dict[str, dict[str, float]]:
    with (DATA / "guide_nafta_1994.csv").open() as handle:
        return {row.pop("country"): {k: float(v) for k, v in row.items()} for row in csv.DictReader(handle)}


def guide_sign(change: float) -> float:
    """nearshore's change after removing NAFTA, (new - old)/old, as the Guide's effect of NAFTA, (old - new)/new."""
    return 100.0 * (1.0 / (1.0 + change / 100.0) - 1.0)


STAGE_TWO_COUNTRIES = {"MMR", "MWI", "NER", "NPL", "PAN"}


def test_nafta_removal_matches_the_guides_results(guide_panel_path: Path) -> None:
    panel = read_panel(guide_panel_path, Columns(pair="pair_id"), ["dist", "cntg", "lang", "clny", "rta"])
    panel = panel.select(np.isin(panel.year, GUIDE_YEARS))
    gravity = GravitySpec("ppml", ("cntg", "lang", "clny"), ("dist",), domestic=True, years=GUIDE_YEARS)
    costs = pair_costs(panel, ["rta"], gravity, 1994)
    assert dict(costs.betas)["rta"] == pytest.approx(0.5571853, abs=5e-8)  # the Guide's Stata log
    nafta = (SetVariable("rta", 0.0, ("USA", "CAN", "MEX")),)
    guide = guide_nafta()
    conditional = simulate(panel, costs, nafta, year=1994, settings=GESettings(closure="conditional")).result
    for country, expected in guide.items():
        # percentage points: the Guide's Stata PPML solutions carry about 1e-6 of noise; the stage-two countries'
        # costs come from a gravity regression whose fit differs slightly between Stata and pyfixest
        tolerance = 2e-4 if country in STAGE_TWO_COUNTRIES else 2e-6
        for ours, theirs in (("exports", "change_Xi_CDL"), ("omr", "change_OMR_CDL"), ("imr", "change_IMR_CDL")):
            got = guide_sign(conditional.figure("countries", ours, country=country).value)
            assert got == pytest.approx(expected[theirs], rel=1e-5, abs=tolerance), (country, ours)
    full = simulate(panel, costs, nafta, year=1994, settings=GESettings()).result
    for country in ("USA", "CAN", "MEX"):
        got = guide_sign(full.figure("countries", "exports", country=country).value)
        assert got == pytest.approx(guide[country]["change_Xi_FULL"], rel=0.025), country
