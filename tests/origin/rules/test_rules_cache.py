"""The shipped rule book's on-disk cache: the same book as reading the shipped file, rebuilt when damaged or
when the file changes, skipped when turned off."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nearshore.origin.rules import index
from nearshore.origin.rules.build import SHIPPED
from nearshore.origin.rules.cached import cache_folder, cache_key, cached_book

FILES = (SHIPPED, Path(index.__file__).with_name("model.py"), Path(index.__file__))


class Counting:
    """Reads the shipped file as the index does, counting the reads."""

    def __init__(self) -> None:
        self.reads = 0

    def __call__(self) -> index.RuleBook:
        self.reads += 1
        return index._read_shipped()


def test_a_cached_book_equals_the_book_read_from_the_shipped_file(tmp_path: Path) -> None:
    build = Counting()
    first = cached_book(FILES, build, tmp_path)
    second = cached_book(FILES, build, tmp_path)
    assert build.reads == 1  # the second came from the file
    assert [p.name for p in tmp_path.iterdir()] == [f"rules-{cache_key(FILES)}.pickle"]
    assert second.rules == index._read_shipped().rules
    assert second.provenance == first.provenance
    assert second.rules_for("8708.99") == first.rules_for("8708.99")


def test_a_damaged_cache_is_rebuilt_not_trusted(tmp_path: Path) -> None:
    build = Counting()
    cached_book(FILES, build, tmp_path)
    (cache,) = tmp_path.iterdir()
    cache.write_bytes(b"not a pickle")
    book = cached_book(FILES, build, tmp_path)
    assert build.reads == 2
    assert len(book.rules) == len(index._read_shipped().rules)
    assert cached_book(FILES, build, tmp_path).rules == book.rules
    assert build.reads == 2


def test_an_edited_rule_file_gets_another_cache(tmp_path: Path) -> None:
    copy = tmp_path / "gn11_rules.json"
    shutil.copyfile(SHIPPED, copy)
    before = cache_key((copy, *FILES[1:]))
    copy.write_text(copy.read_text(encoding="utf-8").replace("Chapter", "chapter", 1), encoding="utf-8")
    assert cache_key((copy, *FILES[1:])) != before
    assert cache_key(FILES) == before


def test_no_folder_means_no_cache(tmp_path: Path) -> None:
    build = Counting()
    cached_book(FILES, build, None)
    cached_book(FILES, build, None)
    assert build.reads == 2


def test_the_cache_lives_in_the_data_dir_and_goes_with_the_compiled_caches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEARSHORE_DATA_DIR", str(tmp_path))
    assert cache_folder() == tmp_path / "cache" / "origin"
    monkeypatch.setenv("NEARSHORE_TARIFF_CACHE", "false")
    assert cache_folder() is None
