"""Requests are typed and checked when made, with messages that list the allowed values; each field is written
once (its help and spellings in its annotation) and read by the CLI and by pydantic (an HTTP API)."""

from __future__ import annotations

import pytest

from nearshore.errors import InputError
from nearshore.services import REGISTRY, BriefRequest, EventRequest, GrowthRequest, ShareRequest, TopRequest, specs


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: ShareRequest(partner="MEX", flow="both"), "flow 'both' is not one of: imports, exports, total"),
        (lambda: GrowthRequest(year=2025, kind="qoq"), "kind 'qoq' is not one of: yoy, ytd, cagr"),
        (lambda: ShareRequest(partner="MEX", month=13), "month 13 is out of range: give a number from 1 to 12"),
        (lambda: TopRequest(year=2024, n=0), "n 0 is out of range: give a number at least 1"),
        (lambda: EventRequest(event="x", end="2025-13"), "--end '2025-13': the month must be 01-12"),
        (
            lambda: BriefRequest(formats=("html,docx",)),
            "brief format 'docx' is not one of: html, md, pdf (repeat --format or give a comma list",
        ),
    ],
)
def test_bad_values_are_input_errors_listing_what_is_allowed(make, message) -> None:
    with pytest.raises(InputError) as caught:
        make()
    assert str(caught.value).startswith(message)


def test_values_are_normalised_once() -> None:
    assert EventRequest(event="x", partners=["MEX"]).partners == ("MEX",)  # type: ignore[arg-type]
    assert BriefRequest(formats=("html,md", "pdf", "md")).formats == ("html", "md", "pdf")
    assert BriefRequest().formats == ("html", "md")
    with pytest.raises(TypeError):
        ShareRequest()  # type: ignore[call-arg]  # partner is required


def test_every_field_of_every_service_has_help_and_spellings() -> None:
    for name, service in REGISTRY.items():
        for spec in specs(service.request):
            assert spec.param.help.endswith((".", ")")), (name, spec.name)
            assert spec.param.argument or all(f.startswith("-") for f in spec.flags), (name, spec.name)


def test_pydantic_reads_the_same_request_types() -> None:
    """What an HTTP API (FastAPI) needs: validation and a schema with each field's help as its description."""
    from pydantic import TypeAdapter, ValidationError

    adapter = TypeAdapter(ShareRequest)
    assert adapter.validate_python({"partner": "MEX", "year": "2024"}) == ShareRequest(partner="MEX", year=2024)
    with pytest.raises(ValidationError):
        adapter.validate_python({"partner": "MEX", "flow": "both"})
    flow = adapter.json_schema()["properties"]["flow"]
    assert flow["enum"] == ["imports", "exports", "total"]
    assert flow["description"] == "imports, exports or total (two-way trade)."
    with pytest.raises(InputError, match="the month must be 01-12"):
        TypeAdapter(EventRequest).validate_python({"event": "x", "end": "2025-13"})
