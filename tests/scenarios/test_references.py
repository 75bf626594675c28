"""The counterfactual against independent references: gegravity (USITC) on its own sample, and the Guide's
published NAFTA results (chapter 2, application 2) from its panel."""

from __future__ import annotations

import csv
from pathlib import Path

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
    variable_costs,
)
from tests.scenarios.conftest import DATA, GUIDE_YEARS
from tests.scenarios.gegravity_reference import (
    SAMPLE_BETAS,
    comparisons,
    largest_difference,
    run_gegravity,
    sample_frame,
)

pytestmark = pytest.mark.shared

RELATIVE = 1e-4  # the bar: every country's welfare and trade change within 1e-4 relative
TIGHT = 1e-12  # gegravity's solver tightened: at its default 1e-8 its smallest changes are only ~1e-4 precise


@pytest.mark.parametrize(
    "change",
    [
        SetVariable("pta", 1.0, ("CAN", "JPN")),  # gegravity's own example
        SetVariable("pta", 0.0, ("USA", "CAN", "MEX")),  # NAFTA removed
    ],
    ids=["CAN-JPN-pta", "no-NAFTA"],
)
def test_one_step_closure_matches_gegravity(sample_path: Path, change: SetVariable) -> None:
    reference = run_gegravity(sample_frame(sample_path), change, TIGHT)
    assert all(d.success for d in reference.solver_diagnostics.values())
    panel = read_panel(sample_path, Columns(), [*list(SAMPLE_BETAS)[:-1], "Y", "E"])
    settings = GESettings(sigma=5, reference="DEU", closure="one-step", output="Y", expenditure="E")
    ours = simulate(panel, given_costs(SAMPLE_BETAS, "gegravity example"), (change,), settings=settings).result
    for measure, expected in comparisons(reference).items():
        for country, value in expected.items():
            got = ours.figure("countries", measure, country=country).value
            assert got == pytest.approx(value, rel=RELATIVE, abs=1e-12), (measure, country)
    for (exporter, importer), value in reference.bilateral_trade_results["trade change (percent)"].items():
        got = ours.figure("pairs", "trade_change", exporter=exporter, importer=importer).value
        assert got == pytest.approx(value, rel=RELATIVE, abs=1e-12), (exporter, importer)
    assert largest_difference(ours, reference) < RELATIVE


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


def test_estimated_costs_reproduce_gegravitys_stata_coefficients(sample_path: Path) -> None:
    """gegravity's example coefficients come from Stata's ppmlhdfe (exporter and importer fixed effects, every
    flow of the 2006 sample); nearshore's PPML on the same cross-section gives them to their 7 printed digits."""
    variables = [name for name in SAMPLE_BETAS if name != "constant"]
    costs = variable_costs(read_panel(sample_path, Columns(), variables), variables)
    for name, beta in costs.betas:
        assert beta == pytest.approx(SAMPLE_BETAS[name], rel=5e-6), name
