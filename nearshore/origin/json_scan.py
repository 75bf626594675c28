"""One pass over a JSON object whose long array's elements need their line: a rule file's "rules", a BOM's
"materials". The json module gives no positions; decoding the object member by member (`raw_decode`) and
counting newlines between consecutive elements as the scan goes gives each element's line at linear cost,
without parsing the text twice.
"""

from __future__ import annotations

import json
import re
from typing import Any

_WHITESPACE = re.compile(r"[ \t\n\r]*")  # JSON's insignificant whitespace


def _skip(text: str, position: int) -> int:
    found = _WHITESPACE.match(text, position)
    return found.end() if found else position


def _expect(text: str, position: int, char: str) -> int:
    """The position after `char` (whitespace before it skipped); a JSONDecodeError located in the text if absent."""
    position = _skip(text, position)
    if not text.startswith(char, position):
        raise json.JSONDecodeError(f"Expecting '{char}'", text, position)
    return position + 1


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        raise ValueError("a key is given twice in one object")
    return found


def object_with_lines(
    text: str, key: str, *, strict: bool = False
) -> tuple[dict[str, Any], list[tuple[int, Any]] | None]:
    """The members of the JSON object `text` other than array `key`, and (line, element) for each element of
    `key` (None when there is no such array: when `key` holds something else, it stays among the members).

    Raises json.JSONDecodeError (with the line) on bad JSON; ValueError when the text is not an object or, with
    `strict`, when an object gives a key twice (json would keep the last) or a value is NaN or Infinity."""
    decoder = (
        json.JSONDecoder(object_pairs_hook=_unique, parse_constant=_refuse_constant) if strict else json.JSONDecoder()
    )
    members: dict[str, Any] = {}
    entries: list[tuple[int, Any]] | None = None
    position = _skip(text, 0)
    if not text.startswith("{", position):
        decoder.raw_decode(text, position)  # bad JSON is reported as such, good JSON of the wrong shape below
        raise ValueError("not an object")
    position = _skip(text, position + 1)
    while not text.startswith("}", position):
        if not text.startswith('"', position):
            raise json.JSONDecodeError("Expecting property name enclosed in double quotes", text, position)
        name, position = decoder.raw_decode(text, position)
        if strict and (name in members or (name == key and entries is not None)):
            raise ValueError(f"{name!r} is given twice")
        position = _skip(text, _expect(text, position, ":"))
        if name == key and text.startswith("[", position):
            entries, position = _elements(decoder, text, position + 1)
        else:
            members[name], position = decoder.raw_decode(text, position)
        position = _skip(text, position)
        if not text.startswith("}", position):
            position = _skip(text, _expect(text, position, ","))
    end = _skip(text, position + 1)
    if end < len(text):
        raise json.JSONDecodeError("Extra data", text, end)
    return members, entries


def _elements(decoder: json.JSONDecoder, text: str, position: int) -> tuple[list[tuple[int, Any]], int]:
    """(line, element) for each element of the array whose '[' ends at `position`, and the position after ']'."""
    out: list[tuple[int, Any]] = []
    line, counted = 1 + text.count("\n", 0, position), position
    position = _skip(text, position)
    while not text.startswith("]", position):
        line += text.count("\n", counted, position)
        element, end = decoder.raw_decode(text, position)
        out.append((line, element))
        counted, position = position, _skip(text, end)
        if not text.startswith("]", position):
            position = _skip(text, _expect(text, position, ","))
    return out, position + 1


__all__ = ["object_with_lines"]
