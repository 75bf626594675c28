"""The brief's disk caches: a brief written again from the cache is byte for byte the brief that computed it,
and neither the composition nor the charts are computed when their key is unchanged; any change to the store
(a load or a write by hand), to a file of the package, or to a chart's data gives another key; a damaged cache
file is computed again."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import Any, cast

import pytest

from nearshore.data.snapshot import seed_from_snapshot
from nearshore.data.store import Store
from nearshore.diskcache import read_pickle, write_pickle
from nearshore.writer import cache, charts
from nearshore.writer.charts import Series, partner_shares
from nearshore.writer.compose import Composition, compose_brief
from tests.writer.snapshot_briefs import write


def files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def boom(*_: Any, **__: Any) -> Any:
    raise AssertionError("computed although the cache holds it")


def brief_process(root: Path, caches: str) -> dict[str, bytes]:
    """`nearshore brief --format md` in a new process on the store in `root`, caches on or off."""
    env = {
        **os.environ,
        "NEARSHORE_DATA_DIR": str(root),
        "NEARSHORE_DB": str(root / "store.duckdb"),
        "NEARSHORE_BRIEF_CACHE": caches,
        "NEARSHORE_CHART_CACHE": caches,
    }
    command = [sys.executable, "-m", "nearshore", "brief", "--quiet", "--format", "md", "--out", str(root / "out")]
    subprocess.run(command, env=env, check=True, capture_output=True)
    return files(root / "out")


def test_a_brief_written_again_comes_from_the_cache_and_is_the_brief_computed_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # two computations of the brief may differ in the last digit of a scenario figure (DuckDB sums doubles in
    # parallel), so the cached brief is compared with the run that computed and kept it
    brief_process(tmp_path, "false")
    assert not (tmp_path / "cache" / "briefs").exists()
    assert not (tmp_path / "cache" / "charts").exists()
    fresh = brief_process(tmp_path, "true")  # computed, and kept
    assert len(list((tmp_path / "cache" / "briefs").glob("*.pickle"))) == 1
    assert len(list((tmp_path / "cache" / "charts").glob("*.svg"))) == 3
    charts.render_svg.cache_clear()
    monkeypatch.setattr("nearshore.writer.compose.compose_brief", boom)
    monkeypatch.setattr("nearshore.writer.charts._figure", boom)
    monkeypatch.setenv("NEARSHORE_BRIEF_CACHE", "true")
    monkeypatch.setenv("NEARSHORE_CHART_CACHE", "true")
    assert files(write(tmp_path, "--format", "md").out) == fresh  # read back: nothing computed or drawn


def comparable(composition: Composition) -> tuple[object, ...]:
    """A composition with each fact's value rounded to 9 significant digits (a scenario figure computed twice
    may differ in its last digit: DuckDB sums doubles in parallel)."""
    facts = tuple(
        tuple(float(f"{f.value:.9g}") if n.name == "value" else getattr(f, n.name) for n in fields(f))
        for f in composition.facts.facts
    )
    return (
        facts,
        composition.facts.meta,
        composition.roles,
        composition.outline,
        composition.charts,
        composition.methodology,
        composition.missing,
    )


def test_a_brief_of_another_day_takes_what_the_store_gives_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = tmp_path / "stored"
    with Store(tmp_path / "store.duckdb") as store:
        seed_from_snapshot(store)
        compose_brief(store, today=date(2026, 12, 3), kept=kept)  # computes what the store gives, and keeps it
        assert len(list(kept.glob("*.pickle"))) == 1
        fresh = {day: compose_brief(store, today=day) for day in (date(2026, 12, 4), date(2027, 3, 1))}
        monkeypatch.setattr("nearshore.writer.compose._from_store", boom)
        for day, composition in fresh.items():
            assert comparable(compose_brief(store, today=day, kept=kept)) == comparable(composition)
    assert comparable(fresh[date(2026, 12, 4)]) != comparable(fresh[date(2027, 3, 1)])  # the day matters


def test_the_store_key_changes_with_a_load_and_with_a_write_by_hand(tmp_path: Path) -> None:
    with Store(tmp_path / "store.duckdb") as store:
        empty = cache.store_key(store)
        assert cache.store_key(store) == empty
        seed_from_snapshot(store)
        seeded = cache.store_key(store)
        assert seeded != empty
        store.con.execute("UPDATE trade_flows SET value_usd = value_usd + 1 WHERE rowid = 0")
        assert cache.store_key(store) != seeded


def small_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    package = tmp_path / "nearshore"
    (package / "tariffs").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "tariffs" / "policy.yaml").write_text("rate: 25\n")
    monkeypatch.setattr(cache, "PACKAGE", package)
    return package


@pytest.mark.parametrize("memo", [False, True])
def test_the_code_key_covers_every_file_of_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, memo: bool
) -> None:
    package = small_package(tmp_path, monkeypatch)
    kept = tmp_path / "cache" / cache.CODE_MEMO if memo else None
    before = cache.code_key.__wrapped__(kept)
    assert cache.code_key.__wrapped__(kept) == before
    (package / "tariffs" / "policy.yaml").write_text("rate: 26\n")  # same size, within the same clock tick
    assert cache.code_key.__wrapped__(kept) != before
    assert cache.code_key.__wrapped__(kept) == cache.code_key.__wrapped__(None)


def test_the_code_key_reuses_kept_digests_of_settled_files_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = small_package(tmp_path, monkeypatch)
    kept = tmp_path / "cache" / cache.CODE_MEMO
    cache.code_key.__wrapped__(kept)
    assert not kept.exists()  # the files were just written: none has settled, so no digest is kept
    monkeypatch.setattr(cache, "SETTLED_NS", -(10**12))  # treat every file as settled
    before = cache.code_key.__wrapped__(kept)
    digests = read_pickle(kept)
    assert sorted(digests) == ["__init__.py", "tariffs/policy.yaml"]
    stamp, _ = digests["tariffs/policy.yaml"]
    write_pickle(kept, {**digests, "tariffs/policy.yaml": (stamp, b"kept")})
    assert cache.code_key.__wrapped__(kept) != before  # the kept digest was used, not the file read again
    time.sleep(0.05)
    (package / "tariffs" / "policy.yaml").write_text("rate: 25\n")  # rewritten: its change time moved
    assert cache.code_key.__wrapped__(kept) == before


def test_a_chart_of_other_data_has_another_key() -> None:
    one = partner_shares([Series("Mexico", (("2023", 15.4), ("2024", 15.5)))], "Census")
    same = partner_shares([Series("Mexico", (("2023", 15.4), ("2024", 15.5)))], "Census")
    other = partner_shares([Series("Mexico", (("2023", 15.4), ("2024", 15.6)))], "Census")
    assert cache.chart_key(one, "svg") == cache.chart_key(same, "svg")
    assert cache.chart_key(one, "svg") != cache.chart_key(other, "svg")
    assert cache.chart_key(one, "svg") != cache.chart_key(one, "png-150")


def test_a_damaged_composition_file_is_computed_again(tmp_path: Path) -> None:
    computed: list[int] = []

    def compute() -> Composition:
        computed.append(1)
        return cast(Composition, ("a composition", len(computed)))

    args: Any = ("us-mexico", None, None, "2026-12-03", ())
    with Store(tmp_path / "store.duckdb") as store:

        def kept(directory: Path | None) -> Any:
            return cache.composition(directory, store, args, compute)

        first = kept(tmp_path / "briefs")
        (path,) = (tmp_path / "briefs").glob("*.pickle")
        assert kept(tmp_path / "briefs") == first
        assert len(computed) == 1
        path.write_bytes(b"not a pickle")
        assert kept(tmp_path / "briefs") == ("a composition", 2)
        assert kept(tmp_path / "briefs") == ("a composition", 2)
        assert len(computed) == 2
        assert kept(None) == ("a composition", 3)  # no directory: computed
