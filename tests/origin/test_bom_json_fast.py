"""JSON BOMs are read by the json module (`json_document`), not the YAML parser: the same BOM, material lines
included, as the YAML reader gives for the same file; a JSON BOM with problems is read again as YAML so that its
problems keep their lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from nearshore.errors import InvalidBOM
from nearshore.origin import bom_io
from nearshore.origin.bom_io import bom_from_mapping, load_bom
from nearshore.origin.bom_io_read import json_document, yaml_document

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "tests" / "data" / "origin").glob("*.yaml")) + sorted(
    (ROOT / "docs" / "examples").glob("*.yaml")
)


def as_json(path: Path, tmp_path: Path, indent: int | None) -> Path:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))  # PyYAML itself, not the project's reader
    target = tmp_path / (path.stem + ".json")
    target.write_text(json.dumps(data, indent=indent, default=str), encoding="utf-8")
    return target


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
@pytest.mark.parametrize("indent", [None, 2])
def test_json_reader_gives_the_yaml_reader_s_bom(path: Path, indent: int | None, tmp_path: Path) -> None:
    target = as_json(path, tmp_path, indent)
    text = target.read_text(encoding="utf-8")
    fast = json_document(text)
    assert (fast is None) == ("vehicle" in json.loads(text))  # a vehicle section is read as YAML, with its lines
    try:
        slow = bom_from_mapping(yaml_document(text, str(target)), str(target))
    except InvalidBOM as exc:
        expected = exc.problems
    else:
        expected = []
    if expected:
        with pytest.raises(InvalidBOM) as info:
            load_bom(target)
        assert info.value.problems == expected  # located as the YAML reader locates them
        return
    if fast is not None:
        assert bom_from_mapping(fast, str(target)) == slow
    assert load_bom(target) == slow
    if indent is not None and slow.materials:
        assert [m.line for m in slow.materials] != list(range(1, len(slow.materials) + 1))  # real file lines


@pytest.mark.parametrize(
    "text",
    [
        '{"good": {"hs": "8708.99"}, "good": {}}',  # a key twice: json would keep the last
        '{"good": {"value": NaN}}',
        '{"materials": [' * 40 + "]" * 40 + "}",
        "[1, 2]",
        '{"good": 1',
    ],
)
def test_json_the_json_module_should_not_decide_goes_to_the_yaml_reader(text: str) -> None:
    assert json_document(text) is None


def test_a_json_bom_with_a_problem_is_located_by_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    good = {"description": "x", "hs": "9401.71", "country": "MX", "currency": "USD", "transaction_value": 10}
    materials = [{"description": "a", "hs": "9401.99", "origin": "CN", "value": 1}, {"description": "b", "value": -1}]
    path.write_text(json.dumps({"good": good, "materials": materials}, indent=2))
    with pytest.raises(InvalidBOM) as info:
        bom_io.load_bom(path)
    lines = path.read_text().splitlines()
    (problem,) = [p for p in info.value.problems if p.field == "materials[1].value"]
    assert problem.row is not None
    assert '"description": "b"' in lines[problem.row]  # the line after its '{'


def nested(depth: int, kinds: str) -> object:
    value: object = "x"
    for level in range(depth):
        value = {"k": value} if kinds[level % len(kinds)] == "m" else [value]
    return value


@pytest.mark.parametrize("kinds", ["m", "s", "ms", "sm", "mss"])
@pytest.mark.parametrize("flow", [False, None])
def test_deep_documents_are_never_let_past_the_depth_check(kinds: str, flow: bool | None) -> None:
    """The text-only bound (`_may_nest_deeply`) never lets a document deeper than MAX_DEPTH skip the event walk:
    block style with the least indentation PyYAML writes, compact sequences, and flow style."""
    from nearshore.origin.bom_io_read import MAX_DEPTH, _may_nest_deeply

    for depth in (MAX_DEPTH - 2, MAX_DEPTH + 1, MAX_DEPTH + 10):
        for indent in (2, 4):
            text = yaml.safe_dump(nested(depth, kinds), default_flow_style=flow, indent=indent)
            assert _may_nest_deeply(text) or depth <= MAX_DEPTH, text
    compact = "- " * (MAX_DEPTH + 1) + "x\n"
    assert _may_nest_deeply(compact)
    with pytest.raises(InvalidBOM, match="nests more than"):
        yaml_document(compact, "deep.yaml")
