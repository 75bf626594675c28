"""What a reader asks for, without SQL: which trade_flows rows (`Scope`), which periods (`When`) and which
columns to group by (`Dim`). The builders in this package turn them into SQL for an engine."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Final, Literal, get_args

from nearshore.errors import InputError

Dim = Literal["partner", "commodity", "month", "hs2", "hs4", "hs6", "hs8", "hs10"]
DIMS: Final[tuple[str, ...]] = get_args(Dim)
# The basis each flow is published on in the Census country file (the default source of partner totals).
DEFAULT_BASIS: Final = {"imports": "general", "exports": "total"}


def check_dims(group: tuple[str, ...]) -> tuple[str, ...]:
    """`group` validated against the closed list of dimensions (hsN = the commodity cut to N digits)."""
    unknown = [d for d in group if d not in DIMS]
    if unknown:
        raise InputError(f"unknown dimension {unknown}; allowed: {', '.join(DIMS)}")
    return group


@dataclass(frozen=True)
class Scope:
    """Which trade_flows rows a figure reads. `partners` None means every partner of `partner_kinds`.

    `programs`, when given, selects rows of any of those programmes (overriding `program`); `commodities` keeps
    rows whose commodity code starts with one of the prefixes (HS digits); `level` keeps codes of that many
    digits; `with_duty` keeps rows that carry a calculated duty.
    """

    flow: str
    basis: str
    program: str = "ALL"
    classification: str = "TOTAL"
    source: str | None = None
    partners: tuple[str, ...] | None = None
    partner_kinds: tuple[str, ...] = ("country",)
    programs: tuple[str, ...] = ()
    commodities: tuple[str, ...] | None = None
    level: int | None = None
    with_duty: bool = False

    def __post_init__(self) -> None:
        bad = [p for p in self.commodities or () if not p.isdigit()]
        if bad:
            raise InputError(f"commodity prefixes are HS digits, not {bad}")

    @classmethod
    def for_flow(cls, flow: str, **kw: Any) -> Scope:
        """The Census partner-total scope for imports (general) or exports (total)."""
        return cls(flow=flow, basis=DEFAULT_BASIS[flow], **kw)

    def with_partners(self, *ids: str) -> Scope:
        return replace(self, partners=tuple(ids))

    def describe(self) -> str:
        kinds = "/".join(self.partner_kinds)
        who = ", ".join(self.partners) if self.partners is not None else f"every partner of kind {kinds}"
        program = "/".join(self.programs) if self.programs else self.program
        text = f"{self.flow} ({self.basis}, program {program}, {self.classification}) for {who}"
        return text + (f" from source {self.source}" if self.source else "")


@dataclass(frozen=True)
class When:
    """Which periods: `years` (None: every year), only monthly rows (`monthly`, implied by `month`), one `month`
    of those years, or the months from `start` to `end` inclusive, each (year, month)."""

    years: tuple[int, ...] | None = None
    month: int | None = None
    monthly: bool = False
    start: tuple[int, int] | None = None
    end: tuple[int, int] | None = None

    @classmethod
    def year(cls, year: int | None, month: int | None = None, *, monthly: bool = False) -> When:
        """One year (None: every year), optionally one month of it or only its monthly rows."""
        return cls(None if year is None else (int(year),), month, monthly)

    @classmethod
    def span(cls, start: tuple[int, int], end: tuple[int, int]) -> When:
        return cls(start=start, end=end, monthly=True)


EVERY_PERIOD: Final = When()

__all__ = ["DEFAULT_BASIS", "DIMS", "EVERY_PERIOD", "Dim", "Scope", "When", "check_dims"]
