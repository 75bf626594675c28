"""How a service's context opens the store: read-only for readers (so API workers and CLI runs share the file),
read-write only for services that load; and a request that cannot run fails before the store is touched."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from nearshore.cli.main import app
from nearshore.errors import StoreError
from nearshore.services import REGISTRY, InfoRequest, LoadsRequest, open_context
from nearshore.services.base import Context


@pytest.mark.usefixtures("isolated_env")
def test_readers_open_the_store_read_only_and_loaders_read_write() -> None:
    with open_context("write") as ctx:  # a fresh store file is seeded from the embedded snapshot first
        assert ctx.db.read_only is False
    with open_context("read") as first, open_context("read") as second:
        assert (first.db.read_only, second.db.read_only) == (True, True)
        assert REGISTRY["data.info"](first, InfoRequest()).rows  # two readers at once, as API workers
        assert REGISTRY["data.loads"](second, LoadsRequest()).rows  # (the store refusing writes: data/test_store_open)
    assert [REGISTRY[name].access(REGISTRY[name].request()) for name in ("data.info", "stats.events")] == [
        "read",
        "none",
    ]


def test_an_unknown_source_fails_before_the_store_is_opened(isolated_env: Path) -> None:
    result = CliRunner().invoke(app, ["data", "load", "nope", "x.csv"])
    assert result.exit_code == 2
    assert "unknown source 'nope'; known sources: census-country, census-duties, census-hs2" in result.output
    assert not (isolated_env / "store.duckdb").exists()


def test_a_context_without_a_store_says_which_access_to_ask_for() -> None:
    from nearshore.settings import Settings

    with pytest.raises(StoreError, match="open the context with store access 'read'"):
        Context(Settings.load()).db  # noqa: B018


def test_origin_check_on_a_store_without_the_hts_says_why_there_is_no_duty(isolated_env: Path) -> None:
    from nearshore.data.store import Store
    from nearshore.services import OriginCheckRequest

    Store(isolated_env / "store.duckdb").close()  # an existing, empty store: opened read-only, never seeded
    request = OriginCheckRequest(bom=Path(__file__).parents[2] / "docs" / "examples" / "bom.yaml", date="2026-03-01")
    with open_context(REGISTRY["origin.check"].access(request)) as ctx:
        duty = REGISTRY["origin.check"](ctx, request).payload.duty
    assert (duty.available, duty.error_code) == (False, "data_not_found")
    assert duty.reason.startswith("the store holds no HTS schedule")
