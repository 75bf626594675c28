"""The frozen dataclasses filled at once (`frozen.filled_at_once`: results, goods, materials, BOMs, batch rows)
take the parameters dataclasses gives them and build the same objects: equal, with the same fields, still frozen
and hashable, and refusing what the generated __init__ refuses."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import pytest

from nearshore.origin.bom import BOM, Good, Material, NetCost, Parties
from nearshore.origin.frozen import DATACLASS_INITS, filled_at_once
from nearshore.origin.report import BatchRow
from nearshore.origin.result import AlternativeResult, Determination
from nearshore.origin.result import Test as OriginTest

CLASSES = sorted(DATACLASS_INITS, key=lambda c: c.__name__)


def arguments(cls: type) -> tuple[list[Any], dict[str, Any]]:
    """A distinct value for every field without a default (positional) and for the last field (by keyword)."""
    every = dataclasses.fields(cls)
    positional = [f"{f.name} value" for f in every if f.default is dataclasses.MISSING]
    keywords = {every[-1].name: f"{every[-1].name} given"} if len(positional) < len(every) else {}
    return positional, keywords


def test_the_result_and_bom_classes_are_filled_at_once() -> None:
    assert {OriginTest, AlternativeResult, Determination, Material, NetCost, Good, Parties, BOM, BatchRow} <= set(
        CLASSES
    )


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_the_parameters_are_those_dataclasses_gives(cls: type) -> None:
    assert inspect.signature(cls.__init__) == inspect.signature(DATACLASS_INITS[cls])  # type: ignore[misc]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_the_objects_are_those_the_dataclass_init_builds(cls: type) -> None:
    positional, keywords = arguments(cls)
    fast = cls(*positional, **keywords)
    made: Any = object.__new__(cls)
    DATACLASS_INITS[cls](made, *positional, **keywords)
    assert fast == made
    assert vars(fast) == vars(made)
    assert list(vars(fast)) == [f.name for f in dataclasses.fields(cls)]
    assert repr(fast) == repr(made)
    assert hash(fast) == hash(made)
    assert dataclasses.replace(fast) == fast
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.anything = None
    if positional:
        with pytest.raises(TypeError):
            cls(*positional[:-1])
    with pytest.raises(TypeError):
        cls(*positional, unknown=1)


def test_a_field_with_a_factory_is_refused() -> None:
    @dataclasses.dataclass(frozen=True)
    class WithFactory:
        items: list[int] = dataclasses.field(default_factory=list)

    with pytest.raises(TypeError, match="only plain fields"):
        filled_at_once(WithFactory)


def test_a_class_with_a_post_init_is_refused() -> None:
    @dataclasses.dataclass(frozen=True)
    class Checked:
        value: int

        def __post_init__(self) -> None:
            if self.value < 0:
                raise ValueError("negative")

    with pytest.raises(TypeError, match="__post_init__"):
        filled_at_once(Checked)
