"""The fast ways of reading a YAML BOM give what the full ways give: the document built from libyaml's nodes
(`_plain_document`) equals PyYAML's constructor's, repeated keys included, on ordinary and unusual YAML; a plain
material built at once (`_plain_material`) equals the one checked field by field, and a material that is not
plain gets the same problems (file, line, field, value) as before."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
import yaml

from nearshore.errors import InvalidBOM
from nearshore.origin import bom_io, bom_io_read
from nearshore.origin.bom_io import bom_from_mapping
from nearshore.origin.bom_io_read import yaml_document

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "tests" / "data" / "origin").glob("*.yaml")) + sorted(
    (ROOT / "docs" / "examples").glob("*.yaml")
)

UNUSUAL = {
    "repeated keys": "good:\n  hs: '8708.30'\n  hs: '8708.99'\nmaterials:\n- {value: 1, value: 2}\n",
    "merge key": "base: &b {origin: CN}\ngood: {hs: '8708.30'}\nmaterials:\n- <<: *b\n  value: 3\n",
    "merge key without alias": "good:\n  <<: {hs: '8708.30'}\n  country: MX\n",
    "keys of every scalar kind": "1: a\ntrue: b\n~: c\n1.5: d\n2026-03-01: e\n0x1f: f\n'q': g\n",
    "YAML 1.1 scalars": "a: [yes, No, on, OFF, ~, null, 0o17, 017, 0x1F, 1_000, 1:30, .inf, -.Inf, .NaN, 6.8e+3]\n",
    "dates stay text": "good: {period: {start: 2026-01-01, end: 2026-12-31 10:00:00}}\n",
    "explicit tags": "a: !!str 12\nb: !!int '7'\nc: !!float '1.5'\nd: !!bool 'yes'\ne: !!null ''\n",
    "binary": "a: !!binary aGVsbG8=\n",
    "set": "a: !!set {x, y}\n",
    "omap": "a: !!omap [{x: 1}, {y: 2}]\n",
    "unknown tag": "a: !thing 3\n",
    "map tag on a scalar": "a: !!map 3\n",
    "map tag on a sequence": "a: !!map [1]\n",
    "str tag on a mapping": "a: !!str {b: 1}\n",
    "sequence key": "? [a, b]\n: c\n",
    "mapping key": "? {a: 1}\n: c\n",
    "value key": "a: {=: 3}\n",
    "empty document": "",
    "scalar document": "just text\n",
    "list document": "- 1\n- two\n",
}


def full(text: str, source: str) -> tuple[Any, list[Any]]:
    """The document as PyYAML's constructor builds it through the project's loader, and the problems found."""
    loader = bom_io_read._LineLoader(text)
    loader.source, loader.problems = source, []
    try:
        node = loader.get_single_node()
        return (None if node is None else loader.construct_document(node)), loader.problems
    finally:
        loader.dispose()


def fast(text: str, source: str) -> tuple[Any, list[Any]]:
    loader = bom_io_read._LineLoader(text)
    loader.source, loader.problems = source, []
    try:
        node = loader.get_single_node()
        return (None if node is None else bom_io_read._plain_document(loader, node)), loader.problems
    finally:
        loader.dispose()


def outcome(read: Any, text: str) -> Any:
    try:
        return read(text, "bom.yaml")
    except yaml.YAMLError as exc:  # the reader turns these into a located problem
        return type(exc).__name__, str(exc)


def same(a: Any, b: Any) -> bool:
    """Equal, NaN included (NaN != NaN)."""
    return repr(a) == repr(b)


@pytest.mark.parametrize("name", UNUSUAL)
def test_the_node_builder_gives_the_constructor_s_document(name: str) -> None:
    assert same(outcome(fast, UNUSUAL[name]), outcome(full, UNUSUAL[name]))


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_shipped_and_test_bom_is_built_the_same(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert same(fast(text, str(path)), full(text, str(path)))


def test_a_repeated_key_is_still_a_located_problem() -> None:
    with pytest.raises(InvalidBOM) as caught:
        yaml_document(UNUSUAL["repeated keys"], "bom.yaml")
    lines = [(p.row, p.field, p.message) for p in caught.value.problems]
    assert lines == [(3, "hs", "is given twice (lines 2 and 3)"), (5, "value", "is given twice (lines 5 and 5)")]


@pytest.mark.parametrize("text", ["a: !!map 3\n", "a: !!map [1, 2]\n", "!!map x\n"])
def test_a_map_tag_on_what_is_not_a_mapping_is_a_located_problem(text: str) -> None:
    with pytest.raises(InvalidBOM) as caught:
        yaml_document(text, "bom.yaml")
    assert "cannot be parsed" in caught.value.problems[0].message
    assert "expected a mapping" in caught.value.problems[0].message


def test_a_plain_scalar_keeps_its_resolved_tag_when_remembered() -> None:
    """The resolver's memo: the same text gives the same type the second time, in another document."""
    for _ in range(2):
        assert yaml_document("a: [1, 1.5, yes, '1', ~, 2026-01-01, 8708.30]\n", "x")["a"] == [
            1,
            1.5,
            True,
            "1",
            None,
            "2026-01-01",
            8708.3,
        ]


GOOD: dict[str, Any] = {
    "description": "pump",
    "hs": "8413.70",
    "country": "MX",
    "currency": "USD",
    "transaction_value": 500,
}
VARIANTS: dict[str, list[Any]] = {
    "description": ["part", "  padded  ", 12, None, "", "_"],
    "hs": ["7318.15", "731815", " 7318.15 ", "7318.15.50", 7318.15, "9999.99", "7318", "", None, "_"],
    "origin": ["CN", "MX", "mex", " us ", "ZZ", "", None, 7, "_"],
    "originating": [True, False, "yes", "no", None, 1, "_"],
    "value": [12.5, 0, 3, -1, 0.0, -0.0, 1e16, float("nan"), float("inf"), "7.5", "1_000", True, None, "_"],
    "currency": ["USD", "EUR", "_"],
    "indirect": [True, "_"],
}

SOUND: dict[str, list[Any]] = {  # variants that read without a problem whatever else the material holds
    "description": ["part", "  padded  ", 12, None, "_"],
    "hs": ["7318.15", "731815", " 7318.15 ", "7318.15.50", 7318.15],
    "origin": ["CN", "MX", "mex", " us "],
    "originating": [True, False, "yes", None, "_"],
    "value": [12.5, 0, 3, 0.0, "7.5"],
    "currency": ["USD", "_"],
    "indirect": [True, "_"],
}


def materials(seed: int, count: int) -> list[dict[str, Any]]:
    """Materials drawn from every variant of every field ('_': the field left out), every other one from the
    sound variants only."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        item = {key: rng.choice(options) for key, options in (VARIANTS if n % 8 < 4 else SOUND).items()}
        out.append({k: v for k, v in item.items() if not (isinstance(v, str) and v == "_")})
    return out


def read(document: dict[str, Any]) -> Any:
    try:
        return bom_from_mapping(document, "bom.yaml")
    except InvalidBOM as exc:
        return [(p.file, p.row, p.field, p.value, p.message, p.fix) for p in exc.problems]


@pytest.mark.parametrize("seed", range(6))
def test_plain_materials_built_at_once_equal_those_checked_field_by_field(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents: list[dict[str, Any]] = []
    for k, chunk in enumerate(batch[i : i + 4] for batch in [materials(seed, 240)] for i in range(0, 240, 4)):
        lines = [{**m, "__line__": 10 + i} for i, m in enumerate(chunk)] if k % 2 else list(chunk)
        documents.append({"good": {**GOOD, "__line__": 2}, "materials": lines})
    fast_once = [read(d) for d in documents]  # the caches of codes and countries fill as it goes
    fast_warm = [read(d) for d in documents]
    monkeypatch.setattr(bom_io, "_plain_material", lambda raw, index: None)
    slow = [read(d) for d in documents]
    assert same(fast_once, slow)
    assert same(fast_warm, slow)
    assert any(not isinstance(x, list) for x in slow)  # some BOMs read, others have problems
    assert any(isinstance(x, list) for x in slow)


def test_the_fast_path_is_taken_for_a_plain_material() -> None:
    """Not a test that cannot fail: a plain material, once its code and country are known, is built at once."""
    document: dict[str, Any] = {
        "good": GOOD,
        "materials": [{"description": "bolt", "hs": "7318.15", "origin": "CN", "value": 2.0}],
    }
    expected = bom_from_mapping(document, "bom.yaml").materials[0]  # the full checks, which fill the caches
    built = bom_io._plain_material(document["materials"][0], 0)
    assert built == expected
    assert built is not None
    assert built.hs == "731815"
    assert not built.originating
