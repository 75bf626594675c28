"""Reading a BOM file into plain data, safely: whatever the file holds, the result is a document or an
`InvalidBOM` naming the file, the line and the fix, in bounded time and memory.

- The file is UTF-8 text of at most `MAX_BYTES` (a byte that is not, or a NUL, is reported on its line).
- JSON is read by the json module, each material with its line (`json_document`); a JSON BOM with any problem
  is read again as YAML, which knows every line, so that its problems are located.
- YAML and JSON may nest at most `MAX_DEPTH` levels, and may
  hold at most `MAX_NODES` values once aliases are expanded: a 'billion laughs' alias bomb is refused before
  anything is built, as is an alias that refers to itself. A key given twice in one mapping is a problem
  (YAML would silently keep the last). Dates stay text, so that a bad one is a located problem.
- CSV: one row per record; column `record` says `good` (one row) or `material`; a header with a column twice,
  or a field over the csv module's limit, is a located problem.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import yaml

from nearshore.data.sources.base import read_text as read_text_checked
from nearshore.errors import InvalidBOM, Problem, SourceFormatError
from nearshore.origin.bom_fields import LINE
from nearshore.origin.json_scan import object_with_lines

MAX_BYTES = 32 << 20  # a BOM of 100,000 lines is about 15 MB
MAX_DEPTH = 32  # a BOM nests about 5 levels
MAX_NODES = 2_000_000  # values, aliases expanded

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed: the same nodes, faster


_TAGS: dict[str, str] = {}  # a plain scalar's text -> the tag the YAML 1.1 resolver gives it
_TAGS_LIMIT = 50_000
_ScalarNode = yaml.ScalarNode


class _LineLoader(_Base):  # type: ignore[misc]  # a class of PyYAML's untyped loaders
    """A safe loader that records each mapping's first line under `__line__`.

    The tag of a plain scalar depends on its text alone (the safe loader has no path resolvers), so the
    resolver's answer is remembered: keys and values such as `hs`, `MX` or `true` recur in every BOM."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is _ScalarNode and implicit[0]:
            tag = _TAGS.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(_TAGS) < _TAGS_LIMIT:
                    _TAGS[value] = tag
            return tag
        return super().resolve(kind, value, implicit)

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """Nothing to do: path resolvers are the only users, and the safe loader has none (asserted below)."""

    def ascend_resolver(self) -> None:
        """As descend_resolver."""


assert not _LineLoader.yaml_path_resolvers  # resolve's answer depends on the scalar alone


def _construct_mapping(loader: Any, node: yaml.Node) -> dict[str, Any]:
    if not isinstance(node, yaml.MappingNode):  # `!!map 3`: PyYAML's own message, not a crash on its value
        raise yaml.constructor.ConstructorError(
            None, None, f"expected a mapping, found a {type(node).__name__}", node.start_mark
        )
    loader.problems += _repeated_keys(node, loader.source)  # before construct_mapping merges '<<' keys in
    mapping = loader.construct_mapping(node, deep=True)
    result: dict[str, Any] = {str(k): v for k, v in mapping.items()}
    result[LINE] = node.start_mark.line + 1
    return result


def _construct_text(loader: Any, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_text)


def _refuse(source: str, line: int | None, field: str | None, value: str | None, what: str, fix: str) -> InvalidBOM:
    return InvalidBOM([Problem(source, line, field, value, what, fix)])


def read_text(path: Path) -> str:
    """The file as UTF-8 text (a byte-order mark dropped)."""
    source = str(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        fix = "split it into several BOMs, or give the BOM file itself"
        raise _refuse(source, None, None, f"{size:,} bytes", f"is larger than {MAX_BYTES:,} bytes", fix)
    try:
        return read_text_checked(path)
    except SourceFormatError as exc:  # not UTF-8 (on its line), or a NUL byte
        raise InvalidBOM([exc.problem]) from None


def yaml_document(text: str, source: str) -> Any:
    """The YAML (or JSON) document: checked for depth, size, self-reference and repeated keys, then built."""
    if _may_nest_deeply(text):
        _check_depth(text, source)
    loader = _LineLoader(text)
    loader.source, loader.problems = source, []
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _may_expand(text):
            _check_nodes(node, source)
            document = loader.construct_document(node)
        else:
            document = _plain_document(loader, node)
        if loader.problems:
            raise InvalidBOM(loader.problems)
        return document
    except yaml.YAMLError as exc:
        raise _refuse(
            source, _line(getattr(exc, "problem_mark", None)), None, None, f"cannot be parsed: {exc}", "fix the syntax"
        ) from None
    finally:
        loader.dispose()


_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_TIMESTAMP, _NULL, _BOOL = "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool"
_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"


class _Unusual(Exception):
    """A node `_plain_value` leaves to PyYAML's constructor: a merge key, a key that is not a scalar, an explicit
    tag other than the core ones."""


def _plain_document(loader: Any, node: yaml.Node) -> Any:
    """The document built from its nodes (composed by libyaml, tagged by the YAML 1.1 resolver) as
    `loader.construct_document` builds it, without PyYAML's Python constructor for the shapes a BOM has: mappings
    with scalar keys, sequences and scalars of the core tags. Anything else (and any document with an alias: it is
    read by the constructor) is built by the constructor. The repeated keys are found in the same order."""
    try:
        return _plain_value(loader, node)
    except _Unusual:
        loader.problems = []
        return loader.construct_document(node)


def _plain_value(loader: Any, node: yaml.Node) -> Any:
    tag = node.tag
    if isinstance(node, yaml.ScalarNode):
        return node.value if tag == _STR else _plain_scalar(loader, node, tag)
    if tag == _MAP and isinstance(node, yaml.MappingNode):
        loader.problems += _repeated_keys(node, loader.source)
        result: dict[Any, Any] = {}
        texts = True
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.tag not in _SCALAR:
                raise _Unusual
            if key.tag == _STR:  # a text value taken at once: most of a BOM
                is_text = value.tag == _STR and isinstance(value, yaml.ScalarNode)
                result[key.value] = value.value if is_text else _plain_value(loader, value)
            else:  # 1 and true are one key to the constructor (1 == True): the same here, then made text
                result[_plain_scalar(loader, key, key.tag)] = _plain_value(loader, value)
                texts = False
        if not texts:
            result = {str(k): v for k, v in result.items()}
        result[LINE] = node.start_mark.line + 1
        return result
    if tag == _SEQ and isinstance(node, yaml.SequenceNode):
        return [_plain_value(loader, item) for item in node.value]
    raise _Unusual


def _plain_scalar(loader: Any, node: yaml.ScalarNode, tag: str) -> Any:
    if tag == _FLOAT:
        return loader.construct_yaml_float(node)
    if tag == _BOOL:
        return loader.bool_values[node.value.lower()]
    if tag == _NULL:
        return None
    if tag == _TIMESTAMP:
        return str(node.value)  # dates stay text (_construct_text)
    if tag == _INT:
        return loader.construct_yaml_int(node)
    raise _Unusual


_SCALAR = frozenset((_STR, _TIMESTAMP, _NULL, _BOOL, _INT, _FLOAT))


def json_document(text: str) -> dict[str, Any] | None:
    """A JSON BOM read by the json module, each material with its line; None when it has to be read by
    `yaml_document`, which locates every problem: bad JSON, not an object, a key given twice, NaN, nesting deeper
    than MAX_DEPTH; and a `vehicle:` section, whose purchases and parts keep their lines too.
    (JSON has no aliases, so its size is bounded by MAX_BYTES.)"""
    try:
        members, materials = object_with_lines(text, "materials", strict=True)
    except (ValueError, RecursionError):
        return None
    if "vehicle" in members or _deeper_than([members, *(m for _, m in materials or ())], MAX_DEPTH - 2):
        return None
    if materials is not None:
        for line, material in materials:
            if isinstance(material, dict):
                material[LINE] = line
        members["materials"] = [material for _, material in materials]
    return members


def _deeper_than(values: list[Any], depth: int) -> bool:
    """Whether any of `values` nests lists and objects more than `depth` levels deep."""
    level = [v for v in values if isinstance(v, (dict, list))]
    for _ in range(depth):
        level = [c for v in level for c in (v.values() if isinstance(v, dict) else v) if isinstance(c, (dict, list))]
        if not level:
            return False
    return bool(level)


_BLOCK_START = re.compile(r"^[ \t]*(?:[-?:][ \t]+)*", re.MULTILINE)


def _may_nest_deeply(text: str) -> bool:
    """Whether the text could nest more than MAX_DEPTH levels (then `_check_depth` walks the parser's events,
    before libyaml's recursive composer sees it). A bound read from the text alone: a block collection starts at
    a line's indentation plus its compact '- ' / '? ' / ': ' indicators, a nested one starts further right except a
    sequence in a mapping (same column), so block nesting is at most twice the widest such start plus one; each
    flow collection opens with its own '[' or '{'."""
    widest = max(map(len, _BLOCK_START.findall(text)), default=0)  # the pattern has no group: whole matches
    return 2 * (widest + 1) + text.count("[") + text.count("{") > MAX_DEPTH


def _check_depth(text: str, source: str) -> None:
    """Nesting deeper than MAX_DEPTH, found from the parser's events (no recursion, nothing built)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_LineLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    line = _line(event.start_mark)
                    fix = f"a BOM nests a few levels (good, materials, vehicle); at most {MAX_DEPTH} are read"
                    raise _refuse(source, line, None, None, f"nests more than {MAX_DEPTH} levels deep", fix)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError as exc:
        raise _refuse(
            source, _line(getattr(exc, "problem_mark", None)), None, None, f"cannot be parsed: {exc}", "fix the syntax"
        ) from None


def _line(mark: Any) -> int | None:
    """The line (from 1) of a parser mark, None when there is none."""
    return int(mark.line) + 1 if mark is not None else None


def _may_expand(text: str) -> bool:
    """Whether the document could refer to itself or hold more than MAX_NODES values: only through an alias
    (`*name`), or when the text is long enough to write that many values out (each takes at least half a
    character: `{a,b}` is four values in five characters)."""
    return "*" in text or 2 * len(text) + 1 > MAX_NODES


def _check_nodes(root: yaml.Node, source: str) -> None:
    """Every node once (aliases share nodes): the expanded size and self-reference."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if not children_done:
            if id(node) in open_nodes:
                line = _line(node.start_mark)
                fix = "write the values out instead of an alias (*name) inside its own anchor (&name)"
                raise _refuse(source, line, None, None, "refers to itself through an alias", fix)
            open_nodes.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        open_nodes.discard(id(node))
        size = 1 + sum(sizes[id(child)] for child in children)
        if size > MAX_NODES:
            line = _line(node.start_mark)
            fix = "write the values out; aliases (*name) that repeat each other expand beyond any BOM"
            raise _refuse(source, line, None, f"over {MAX_NODES:,}", "expands to too many values", fix)
        sizes[id(node)] = size


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _repeated_keys(node: yaml.MappingNode, source: str) -> list[Problem]:
    texts = [key.value for key, _ in node.value if isinstance(key, yaml.ScalarNode)]
    if len(set(texts)) == len(texts):
        return []  # the common case, without a line for every key
    seen: dict[str, int] = {}
    problems = []
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.value == "<<":
            continue  # a merge key ('<<: *base') overrides on purpose
        line = _line(key.start_mark) or 0
        if key.value in seen:
            what = f"is given twice (lines {seen[key.value]} and {line})"
            problems.append(Problem(source, line, key.value, None, what, "keep one; YAML would silently use the last"))
        else:
            seen[key.value] = line
    return problems


def csv_document(text: str, source: str) -> dict[str, Any]:
    """CSV: one row per record; column `record` is `good` (one row) or `material`; others are fields."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader, [])]
        rows = [(reader.line_num, cells) for cells in reader if "".join(cells).strip()]
    except csv.Error as exc:
        fix = "fix the quoting, or shorten the field (at most 131,072 characters)"
        raise _refuse(source, reader.line_num, None, None, f"is not a readable CSV file: {exc}", fix) from None
    fix = "each row's column record says good (one row) or material; see docs/origin.md"
    if "record" not in header:
        raise _refuse(source, 1, "record", None, "is not a column of the CSV", f"add it: {fix}")
    twice = sorted({h for h in header if h and header.count(h) > 1})
    if twice:
        raise _refuse(source, 1, twice[0], None, "is a column twice", "keep one column of each name")
    good: dict[str, Any] = {}
    materials: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for line, cells in rows:
        if len(cells) > len(header):
            what = f"has {len(cells)} cells for {len(header)} columns"
            problems.append(Problem(source, line, None, None, what, "quote cells that hold commas"))
            continue
        row = dict(zip(header, cells, strict=False))
        kind = (row.pop("record", "") or "").strip().lower()
        fields: dict[str, Any] = {k: v for k, v in row.items() if k and v not in (None, "")}
        fields[LINE] = line
        if kind == "good" and not good:
            good = fields
        elif kind == "material":
            materials.append(fields)
        elif kind == "good":
            problems.append(Problem(source, line, "record", kind, "is a second good row", "one good per BOM"))
        else:
            problems.append(Problem(source, line, "record", kind, "is neither good nor material", fix))
    if problems:
        raise InvalidBOM(problems)
    return {"good": good or None, "materials": materials}


__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "csv_document", "json_document", "read_text", "yaml_document"]
