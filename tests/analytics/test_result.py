from __future__ import annotations

from typing import Any

import pytest

from nearshore.analytics.result import Figure, FigureRow, FigureTable, Period, Provenance
from nearshore.errors import InputError
from nearshore.format import Unit

PROV = Provenance(("census-country",), ("2026-07",), "SELECT 1", ("world = sum over countries",))


def fig(value: float, unit: Unit = "USD", **kw: Any) -> Figure:
    return Figure(value, unit, "x", Period.year(2024), PROV, **kw)


@pytest.mark.parametrize(
    ("value", "unit", "kw", "text"),
    [
        (42_012_000_000.0, "USD", {"scale": "billions"}, "$42.0B"),
        (-3_149_000.0, "USD", {"scale": "millions"}, "-$3.1M"),
        (45.54, "percent", {}, "45.5%"),
        (3.21, "pp", {}, "3.2 pp"),
        (1.0, "rank", {}, "#1"),
        (1.834, "ratio", {"decimals": 2}, "1.83x"),
        (2150.0, "index", {"decimals": 0}, "2,150"),
    ],
)
def test_display(value, unit, kw, text):
    assert fig(value, unit, **kw).display() == text


def test_signed_display_and_scaled_value():
    f = fig(3.21, "pp")
    assert f.display(signed=True) == "+3.2 pp"
    assert fig(2_500_000_000.0, scale="billions").scaled == pytest.approx(2.5)


def test_bad_unit_lists_allowed():
    with pytest.raises(InputError, match=r"unit 'dollars' is not one of: USD, percent, pp, ratio, rank"):
        fig(1.0, "dollars")  # type: ignore[arg-type]  # a unit that does not exist, on purpose


@pytest.mark.parametrize(
    ("period", "label", "words"),
    [
        (Period.year(2024), "2024", "2024"),
        (Period.month(2025, 3), "2025-03", "Mar 2025"),
        (Period.span(2025, 3, 2025, 12), "2025-03..2025-12", "Mar-Dec 2025"),
        (Period.span(2024, 11, 2025, 2), "2024-11..2025-02", "Nov 2024-Feb 2025"),
        (Period.years(2019, 2024), "2019..2024", "2019-2024"),
    ],
)
def test_period_labels(period, label, words):
    assert period.label == label
    assert period.words == words


def test_provenance_merge_and_footer():
    other = Provenance(("dataweb",), ("2026-04", "2026-07"), "SELECT 2", ("n2",))
    merged = PROV.merge(other)
    assert merged.sources == ("census-country", "dataweb")
    assert merged.vintages == ("2026-04", "2026-07")
    assert merged.query == "SELECT 1;\nSELECT 2"
    assert merged.footer() == [
        "source: census-country, dataweb; vintage: 2026-04, 2026-07",
        "note: world = sum over countries",
        "note: n2",
    ]


def test_table_lookup_headers_and_json():
    table = FigureTable(
        "t",
        ("partner",),
        ("imports", "share"),
        (
            FigureRow(("MEX",), (fig(5e11, scale="billions"), fig(15.5, "percent"))),
            FigureRow(("CAN",), (fig(4e11, scale="billions"), None)),
        ),
        PROV,
    )
    assert table.figure("share", partner="MEX").value == 15.5
    with pytest.raises(KeyError):
        table.figure("share", partner="CAN")
    assert table.headers() == ["partner", "imports ($B)", "share (%)"]
    assert table.plain_rows() == [["MEX", 500.0, 15.5], ["CAN", 400.0, None]]
    data = table.to_dict()
    assert data["rows"][0]["share"]["display"] == "15.5%"
    assert data["rows"][1]["share"] is None
    assert data["provenance"]["vintages"] == ["2026-07"]
