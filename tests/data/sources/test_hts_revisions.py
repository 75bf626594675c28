"""An HTS load replaces a whole revision: a file that would lose most of the loaded rates is refused unless
`--force`, and a forced load keeps no line of the longer file."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from nearshore.data.sources import hts
from nearshore.data.store import Store
from nearshore.errors import SourceFormatError
from tests.data.sources.conftest import count
from tests.data.sources.fuzzing import HTS_HEADER, HTS_LINES, seeds


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_a_schedule_load_replaces_the_whole_revision(tmp_path: Path, store: Store) -> None:
    def schedule(lines: list[list[str]]) -> bytes:
        out = io.StringIO()
        csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows([HTS_HEADER, *lines])
        return out.getvalue().encode()

    path = tmp_path / "hts_2025_basic_edition.csv"
    hts.load(store, _write(path, schedule(HTS_LINES)))
    short = _write(path, schedule(HTS_LINES[:3]))  # cut at a line end: only 1 of the 3 general rates kept
    with pytest.raises(SourceFormatError, match="the file has 1 general rates where the loaded HTS 2025-basic has 3"):
        hts.load(store, short)
    assert count(store, "hts_schedule") == len(HTS_LINES)
    report = hts.load(store, short, force=True)
    current = store.query(f"SELECT code_display FROM {store.relation('hts_schedule')} ORDER BY position").rows
    assert current == [(line[0],) for line in HTS_LINES[:3]]  # no line of the longer file survives
    assert report.replaced == len(HTS_LINES)
    assert any("covers 1 of the 98 chapters" in w for w in report.warnings)


def test_cli_force_loads_a_schedule_that_loses_most_rates(tmp_path: Path, isolated_env: Path) -> None:
    from typer.testing import CliRunner

    from nearshore.cli.main import app

    seed = next(s for s in seeds() if s.name == "hts_2025_basic_edition.csv")
    path = _write(tmp_path / seed.name, seed.data)
    runner = CliRunner()
    refused = runner.invoke(app, ["data", "load", "hts", str(path)])  # the store is seeded with the 2025 schedule
    assert refused.exit_code == 2
    assert "where the loaded HTS 2025-basic has 13,611" in " ".join(refused.output.split())
    forced = runner.invoke(app, ["data", "load", "hts", str(path), "--force", "-f", "csv"])
    assert forced.exit_code == 0, forced.output
    assert forced.output.strip().splitlines()[-1].split(",")[4:6] == [str(len(HTS_LINES)), "35859"]  # rows, replaced
    wrong = runner.invoke(app, ["data", "load", "census-country", str(path), "--force"])
    assert wrong.exit_code == 2
    assert "--force applies to the hts source only" in wrong.output
