"""A gravity panel from the store's Comtrade loads; the shared ScenarioResult."""

from __future__ import annotations

from pathlib import Path

import pytest

from nearshore.analytics.result import Figure, FigureRow, FigureTable, Period, Provenance
from nearshore.data.sources.comtrade import from_records
from nearshore.data.store import Store
from nearshore.errors import DataNotFound, InputError
from nearshore.scenarios import Assumption, ScenarioResult
from nearshore.scenarios.gravity import Columns, store_panel


def record(reporter: str, partner: str, year: int, code: str, value: float) -> dict[str, object]:
    return {
        "reporterISO": reporter,
        "partnerCode": partner,
        "flowCode": "M",
        "refYear": year,
        "classificationCode": "H6",
        "cmdCode": code,
        "primaryValue": value,
    }


def test_store_panel_sums_the_coarsest_level_and_joins_costs(store: Store, tmp_path: Path) -> None:
    rows = [
        record("MEX", "842", 2020, "TOTAL", 100.0),  # imports of MEX from USA, all goods
        record("MEX", "842", 2020, "8703", 60.0),  # a detail of the same flow: not counted again
        record("MEX", "124", 2020, "8703", 7.0),
        record("MEX", "124", 2020, "8708", 3.0),  # no TOTAL row for CAN: its detail rows are the flow
    ]
    store.load(from_records(enumerate(rows, 1), origin="test.json", checksum="x", vintage="2024-01"))
    costs = tmp_path / "costs.csv"
    costs.write_text("exporter,importer,dist,rta\nUSA,MEX,1500,1\nCAN,MEX,3000,1\n")
    panel = store_panel(store, costs, ["dist", "rta"], columns=Columns())
    flows = dict(
        zip(zip(panel.exporter.tolist(), panel.importer.tolist(), strict=True), panel.trade.tolist(), strict=True)
    )
    assert flows == {("CAN", "MEX"): 10.0, ("USA", "MEX"): 100.0}
    assert panel.variable("dist").tolist() == [3000.0, 1500.0]
    assert panel.provenance.vintages == ("2024-01",)
    assert "comtrade" in panel.provenance.sources


def test_store_panel_names_what_is_missing(store: Store, tmp_path: Path) -> None:
    costs = tmp_path / "costs.csv"
    costs.write_text("exporter,importer,dist\nUSA,MEX,1500\n")
    with pytest.raises(DataNotFound, match="no annual Comtrade import records by partner country"):
        store_panel(store, costs, ["dist"])
    store.load(
        from_records(
            enumerate([record("MEX", "124", 2020, "TOTAL", 5.0)], 1), origin="t", checksum="y", vintage="2024-01"
        )
    )
    with pytest.raises(InputError, match=r"costs.csv: no trade-cost row for CAN->MEX \(1 store flows have none\)"):
        store_panel(store, costs, ["dist"])


def test_scenario_result_tables_assumptions_and_files(tmp_path: Path) -> None:
    period = Period.year(2006)
    provenance = Provenance(sources=("test",), notes=("a note",))
    figure = Figure(1.5, "percent", "CAN: change in welfare", period, provenance, subject=(("country", "CAN"),))
    table = FigureTable("t", ("country",), ("welfare",), (FigureRow(("CAN",), (figure,)),), provenance)
    result = ScenarioResult(
        "test", "a test", (("countries", table),), (Assumption("sigma", 7, "elasticity", "Guide"),), provenance
    )
    assert result.figure("countries", "welfare", country="CAN").display() == "1.5%"
    assert result.footer() == [
        "assumption: sigma = 7 (elasticity; Guide)",
        "source: test; vintage: none",
        "note: a note",
    ]
    with pytest.raises(KeyError, match="no table 'pairs' in 'a test'; tables: countries"):
        result.table("pairs")
    written = result.write(tmp_path / "out")
    assert [p.name for p in written] == ["countries.csv", "result.json"]
    assert (tmp_path / "out" / "countries.csv").read_text() == "country,welfare (%)\nCAN,1.5\n"
    assert not list((tmp_path / "out").glob(".*"))  # no temporary file left behind
