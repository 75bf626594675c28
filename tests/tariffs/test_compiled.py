"""The compiled schedule/policy cache (nearshore.tariffs.compiled): a hit prices every line exactly as a cold
build from the store does, a load or a policy change invalidates it, and a damaged file is rebuilt."""

from __future__ import annotations

import os
import pickle
import random
import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from nearshore.data.sources import hts
from nearshore.data.store import Store
from nearshore.errors import NearshoreError
from nearshore.settings import Settings
from nearshore.tariffs import compiled
from nearshore.tariffs.duty import Entry, calculate
from nearshore.tariffs.policy import load_policy
from nearshore.tariffs.schedule import load_schedule
from tests.tariffs.conftest import HTS_2025

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not HTS_2025.exists():
        pytest.skip(f"official HTS file not found at {HTS_2025} (set NEARSHORE_SHARED_DIR)")
    path = tmp_path_factory.mktemp("compiled") / "store.duckdb"
    with Store(path) as store:
        hts.load(store, HTS_2025)
    return path


class Opener:
    """Opens the store read-only when the cache asks for it, and counts how often it asked."""

    def __init__(self, path: Path, stack: ExitStack) -> None:
        self.path, self.stack, self.calls = path, stack, 0

    def __call__(self) -> Store:
        self.calls += 1
        return self.stack.enter_context(Store(self.path, read_only=True))


@pytest.fixture
def copy(store_file: Path, tmp_path: Path) -> Iterator[tuple[Settings, Path, ExitStack]]:
    """A private copy of the store, with its own data dir (so its own cache)."""
    path = tmp_path / "store.duckdb"
    shutil.copy(store_file, path)
    settings = Settings.load(db_path=str(path), data_dir=str(tmp_path / "data"), tariff_cache="true")
    with ExitStack() as stack:
        compiled._LOADED.clear()  # each test starts as a new process would
        compiled._BATCH.clear()
        compiled._AHEAD.clear()
        yield settings, path, stack


def _price(schedule, policy, code: str) -> object:
    """The duty on one entry of `code`, or the error's class and message (what a user sees either way)."""
    try:
        return calculate(Entry(code, "CN", 10_000.0, date(2025, 9, 1), quantity=100.0), schedule, policy)
    except NearshoreError as exc:
        return (type(exc).__name__, str(exc))


def test_a_hit_prices_every_sampled_line_as_a_cold_build(copy, store_file) -> None:
    settings, path, stack = copy
    with Store(store_file, read_only=True) as store:
        cold = load_schedule(store)
    policy = load_policy()
    codes = [*random.Random(12).sample(sorted(c for c in cold.lines if len(c) >= 8), 300), "8708.99.81", "0406.90.94"]
    odd = ["8708", "8708.99.99", "9999.99.99", "87A8.99.81", "9903.01.01", ""]  # errors, with their suggestions
    first = Opener(path, stack)
    compiled.tariff_inputs(settings, first, None, codes[0])
    assert first.calls == 1  # built from the store
    again = Opener(path, stack)
    for code in codes:
        schedule, cached_policy = compiled.tariff_inputs(settings, again, None, code)
        assert _price(schedule, cached_policy, code) == _price(cold, policy, code), code
    assert again.calls == 0  # every line from its heading in the cache, no store opened
    for code in odd:
        schedule, cached_policy = compiled.tariff_inputs(settings, again, None, code)
        assert _price(schedule, cached_policy, code) == _price(cold, policy, code), code


def test_a_new_load_invalidates_it(copy, tmp_path) -> None:
    settings, path, stack = copy
    with ExitStack() as first:  # closed before the load, which needs the store to itself
        schedule, policy = compiled.tariff_inputs(settings, Opener(path, first), None, "8708.99.81")
    assert calculate(Entry("8708.99.81", "JP", 10_000.0, date(2025, 1, 2)), schedule, policy).total == 250.0
    changed = tmp_path / HTS_2025.name
    text = HTS_2025.read_text(encoding="utf-8-sig")
    old = '"8708.99.81","6","Other","","2.5%"'
    assert text.count(old) == 1
    changed.write_text(text.replace(old, '"8708.99.81","6","Other","","3.1%"'), encoding="utf-8")
    with Store(path) as store:
        hts.load(store, changed)
    opener = Opener(path, stack)
    schedule, policy = compiled.tariff_inputs(settings, opener, None, "8708.99.81")
    assert opener.calls == 1
    assert calculate(Entry("8708.99.81", "JP", 10_000.0, date(2025, 1, 2)), schedule, policy).total == 310.0


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05garbage", "truncated", "other format"])
def test_a_damaged_cache_is_rebuilt(copy, damage) -> None:
    settings, path, stack = copy
    compiled.tariff_inputs(settings, Opener(path, stack), None, "8708.99.81")
    cache = compiled.cache_file(settings, str(path), None)
    good = cache.read_bytes()
    if damage == "truncated":
        cache.write_bytes(good[: len(good) // 2])
    elif damage == "other format":
        cache.write_bytes(pickle.dumps({**pickle.loads(good), "format": compiled.FORMAT + 1}))
    else:
        cache.write_bytes(damage)
    compiled._LOADED.clear()  # a new process: the damaged file is what it finds
    opener = Opener(path, stack)
    schedule, policy = compiled.tariff_inputs(settings, opener, None, "8708.99.81")
    assert opener.calls == 1
    assert calculate(Entry("8708.99.81", "MX", 10_000.0, date(2025, 6, 1)), schedule, policy).total == 2750.0
    assert pickle.loads(cache.read_bytes())["format"] == compiled.FORMAT  # written again, whole
    hit = Opener(path, stack)
    compiled.tariff_inputs(settings, hit, None, "8708.99.81")
    assert hit.calls == 0


def test_another_policy_or_a_touched_store_is_checked(copy, monkeypatch) -> None:
    settings, path, stack = copy
    compiled.tariff_inputs(settings, Opener(path, stack), None, "8708.99.81")
    builds: list[int] = []
    real_build = compiled._build

    def counted(*a: Any) -> Any:
        builds.append(1)
        return real_build(*a)

    monkeypatch.setattr(compiled, "_build", counted)
    stat = os.stat(path)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # written without a load: loads compared
    opener = Opener(path, stack)
    compiled.tariff_inputs(settings, opener, None, "8708.99.81")
    assert (opener.calls, builds) == (1, [])
    monkeypatch.setattr(compiled, "policy_hash", lambda: "another policy file")
    compiled._LOADED.clear()
    opener = Opener(path, stack)
    compiled.tariff_inputs(settings, opener, None, "8708.99.81")
    assert (opener.calls, builds) == (1, [1])
    monkeypatch.setattr(compiled, "code_hash", lambda: "other tariff code")  # an upgrade that kept FORMAT
    compiled._LOADED.clear()
    opener = Opener(path, stack)
    compiled.tariff_inputs(settings, opener, None, "8708.99.81")
    assert (opener.calls, builds) == (1, [1, 1])


def _batch(schedule, policy, codes: list[str]) -> tuple[list[float], list[str]]:
    """Duty and layers text of the vectorised batch on each code from four origins (Canada claiming USMCA)."""
    from nearshore.tariffs.batch import duty_vectorised, entries_from_columns

    origins = ["MEX", "CAN", "CHN", "DEU"]
    n = len(codes) * len(origins)
    columns = {
        "hts": [c for c in codes for _ in origins],
        "origin": origins * len(codes),
        "value": [1000.0 + 17 * i for i in range(n)],
        "date": [f"2025-{1 + i % 12:02d}-15" for i in range(n)],
        "quantity": [100.0] * n,
        "usmca": ["1" if i % 4 == 1 else "" for i in range(n)],
    }
    result = duty_vectorised(entries_from_columns(columns), schedule, policy)  # type: ignore[arg-type]
    texts, of_group = result.text_index()
    return result.duty.tolist(), [texts[k] for k in of_group[result.group]]


def test_the_batch_cache_rates_as_a_cold_build_and_a_load_invalidates_it(copy, store_file, tmp_path) -> None:
    settings, path, stack = copy
    with Store(store_file, read_only=True) as store:
        cold = load_schedule(store)
    ad_valorem = [x.display for x in cold.statistical_lines() if x.general is not None and "%" in x.general.text]
    codes = [*random.Random(5).sample(sorted(ad_valorem), 400), "8708.99.81.80"]
    expected = _batch(cold, load_policy(), codes)
    with ExitStack() as first:  # closed before the load below
        opener = Opener(path, first)
        built = compiled.batch_inputs(settings, opener, None)
        assert opener.calls == 1
        assert compiled.cache_file(settings, str(path), None, "batch").exists()
    assert compiled.batch_inputs(settings, Opener(path, stack), None)[0] is built[0]  # once a process
    compiled._BATCH.clear()  # a new process
    hit = Opener(path, stack)
    schedule, policy = compiled.batch_inputs(settings, hit, None)
    assert hit.calls == 0  # neither DuckDB nor the YAML: the schedule, its arrays and the policy from the file
    assert schedule is not built[0]
    assert len(schedule.cache) == 1
    assert set(next(iter(schedule.cache.values())).specific) == {"general", "usmca", "column2"}  # per-unit rates
    assert _batch(schedule, policy, codes) == expected
    changed = tmp_path / HTS_2025.name
    text = HTS_2025.read_text(encoding="utf-8-sig")
    changed.write_text(text.replace('"8708.99.81","6","Other","","2.5%"', '"8708.99.81","6","Other","","3.1%"'))
    with Store(path) as store:
        hts.load(store, changed)
    opener = Opener(path, stack)
    schedule, policy = compiled.batch_inputs(settings, opener, None)
    assert opener.calls == 1
    got = _batch(schedule, policy, ["8708.99.81.80"])
    with Store(path, read_only=True) as store:
        assert got == _batch(load_schedule(store), load_policy(), ["8708.99.81.80"])
    assert got[1][3].startswith("base 3.1%")  # Germany


def test_off_or_in_memory_it_builds_every_time(copy) -> None:
    settings, path, stack = copy
    off = Settings.load(db_path=str(path), data_dir=settings.data_dir(), tariff_cache="false")
    for _ in range(2):
        opener = Opener(path, stack)
        compiled.tariff_inputs(off, opener, None, "8708.99.81")
        compiled.batch_inputs(off, opener, None)
        assert opener.calls == 2
        assert not compiled._BATCH
    assert not compiled.cache_file(off, str(path), None).exists()
    assert not compiled.cache_file(off, str(path), None, "batch").exists()


def test_the_batch_cache_is_read_ahead_only_when_valid_as_it_stands(copy, monkeypatch) -> None:
    # read_batch_cache runs on a thread while the entries are read: it never opens the store, so it takes the
    # file only when its key and the store file's stat match; anything else is left to batch_inputs
    settings, path, stack = copy
    assert not compiled.read_batch_cache(settings, None)  # no cache file yet
    compiled.batch_inputs(settings, Opener(path, stack), None)
    compiled._BATCH.clear()  # a new process
    assert compiled.read_batch_cache(settings, None)
    hit = Opener(path, stack)
    read = compiled._BATCH[compiled.cache_file(settings, str(path), None, "batch")]
    assert compiled.batch_inputs(settings, hit, None)[0] is read["schedule"]
    assert hit.calls == 0
    compiled._BATCH.clear()
    os.utime(path, ns=(1, 1))  # the store file touched: the loads must be checked against the store
    assert not compiled.read_batch_cache(settings, None)
    assert not compiled._BATCH
    ahead = compiled._AHEAD[compiled.cache_file(settings, str(path), None, "batch")]
    reads = []
    monkeypatch.setattr(compiled, "_read", lambda p: reads.append(p))  # the file is not read a second time
    checked = Opener(path, stack)
    assert compiled.batch_inputs(settings, checked, None)[0] is ahead["schedule"]  # the loads unchanged: kept
    assert checked.calls == 1
    assert not reads
    assert not compiled._AHEAD
    off = Settings.load(db_path=str(path), data_dir=settings.data_dir(), tariff_cache="false")
    assert not compiled.read_batch_cache(off, None)
