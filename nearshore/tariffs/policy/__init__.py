"""The tariff policy file: dated measures on top of the HTS, their product scopes, exemptions and stacking rules.

`load_policy()` reads the YAML shipped in this folder (or a given path), resolves country groups and product
lists, and returns a frozen `Policy`. The engine asks it which measures apply to a line, an origin and a date.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

from nearshore.errors import ConfigError, PolicyCoverageError
from nearshore.tariffs.policy.derive import PRODUCTS_DIR, read_product_list

POLICY_FILE = Path(__file__).parent / "us-2025-2026.yaml"

Basis = Literal["value", "metal", "non_us_content"]
StackMode = Literal["full", "on_remainder"]
BASES: tuple[Basis, ...] = ("value", "metal", "non_us_content")
STACK_MODES: tuple[StackMode, ...] = ("full", "on_remainder")


@dataclass(frozen=True)
class Products:
    """A product scope: every product, or HTS prefixes (chapters, headings, 8- or 10-digit codes)."""

    spec: str
    prefixes: tuple[str, ...] | None  # None = all products
    negate: bool = False  # "not:...": every product except these

    lookup: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    sizes: tuple[int, ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lookup", frozenset(self.prefixes or ()))
        object.__setattr__(self, "sizes", tuple(sorted({len(p) for p in self.prefixes or ()})))

    def covers(self, code: str) -> bool:
        if self.prefixes is None:
            return True
        lookup = self.lookup
        return self.negate != any(code[:size] in lookup for size in self.sizes if size <= len(code))


@dataclass(frozen=True)
class RatePeriod:
    rate: float
    start: date
    end: date | None
    citation: str
    heading: str = ""
    countries: frozenset[str] | None = None  # None: every country the measure covers
    except_countries: frozenset[str] = frozenset()
    floor: bool = False  # the rate is a floor inclusive of the general rate: max(rate - general, 0)

    def active(self, on: date) -> bool:
        return self.start <= on and (self.end is None or on <= self.end)


@dataclass(frozen=True)
class Exemption:
    id: str
    citation: str
    heading: str = ""
    products: Products | None = None  # None: every product of the measure
    usmca: bool = False  # applies only when the goods qualify for (and claim) USMCA treatment
    us_content: bool = False  # the measure applies to the non-U.S. content only
    rate: float | None = None  # replacement rate; 0 = exempt; None with us_content
    start: date | None = None
    end: date | None = None
    countries: frozenset[str] | None = None  # None: every country the measure covers
    claim: str = ""  # applies only when the entry claims this Chapter 99 heading (a fact only the importer knows)
    zero_metal: bool = False  # applies when the entry declares no steel, aluminum or copper (metal value 0)
    floor: bool = False  # the replacement rate is a floor inclusive of the general rate

    def active(self, on: date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)

    def matches(self, code: str, origin: str, on: date, usmca: bool, claims: frozenset[str], zero_metal: bool) -> bool:
        """Whether the exemption applies to this line, origin, date and entry (claims, USMCA, metal)."""
        if not self.active(on) or (self.products is not None and not self.products.covers(code)):
            return False
        if self.countries is not None and origin not in self.countries:
            return False
        if (self.usmca and not usmca) or (self.claim and self.claim not in claims):
            return False
        return not self.zero_metal or zero_metal


@dataclass(frozen=True)
class Measure:
    id: str
    authority: str
    heading: str
    countries: frozenset[str] | None  # None = all countries
    except_countries: frozenset[str]
    products: Products
    basis: Basis
    rates: tuple[RatePeriod, ...]
    exemptions: tuple[Exemption, ...]
    citation: str
    # A measure on goods for one end use (auto parts): it applies when the entry says the goods have that use;
    # when the entry does not say, only to the lines of `end_use_default` (e.g. chapter 87, parts by nature).
    end_use: str = ""
    end_use_default: Products | None = None
    metal: str = ""  # steel, aluminum or copper: the content a metal-basis duty is charged on
    # Chapter 99 headings one of which the entry must claim for the measure to apply (facts only the importer
    # knows, e.g. a chip meeting note 39(b)'s parameters); empty: applies without a claim
    requires: tuple[str, ...] = ()
    requires_note: str = ""

    def covers_country(self, iso3: str) -> bool:
        if iso3 in self.except_countries:
            return False
        return self.countries is None or iso3 in self.countries

    def period(self, iso3: str, on: date) -> RatePeriod | None:
        """The rate period for a country on a date: country-specific periods win over general ones."""
        general = None
        for period in self.rates:
            if not period.active(on) or iso3 in period.except_countries:
                continue
            if period.countries is not None:
                if iso3 in period.countries:
                    return period
            elif general is None:
                general = period
        return general


@dataclass(frozen=True)
class StackRule:
    id: str
    when: frozenset[str]
    excludes: frozenset[str]
    mode: StackMode
    start: date
    citation: str


@dataclass(frozen=True)
class FeePeriod:
    start: date
    end: date
    minimum: float
    maximum: float
    citation: str


@dataclass(frozen=True)
class Program:
    """A special programme (General Note 3(c)(i)): who may claim it and until when."""

    code: str
    name: str
    countries: frozenset[str] | None
    end: date | None
    citation: str


@dataclass(frozen=True)
class Policy:
    version: str
    published: str
    start: date
    end: date
    path: str
    groups: dict[str, frozenset[str]]
    column2: frozenset[str]
    column2_citation: str
    measures: tuple[Measure, ...]
    stacking: tuple[StackRule, ...]
    de_minimis_threshold: float
    de_minimis_citation: str
    de_minimis_suspended: tuple[tuple[frozenset[str] | None, date, str], ...]
    mpf_rate: float
    mpf_citation: str
    mpf_usmca_citation: str
    mpf_periods: tuple[FeePeriod, ...]
    hmf_rate: float
    hmf_citation: str
    programs: dict[str, Program] = field(default_factory=dict)
    hts_revision: str = ""  # the last HTS revision whose actions the file records
    last_action: str = ""

    @property
    def recorded_to(self) -> date:
        """The date of the last recorded action: later dates use the measures then in force."""
        return self.end

    def change_days(self) -> set[date]:
        """The policy's start and every day on which a rate period, exemption or stacking rule starts, or the day
        after one ends (the panel's effective dates and the batch's regimes are built from these)."""
        found = {self.start}
        for measure in self.measures:
            for period in measure.rates:
                found.add(period.start)
                if period.end is not None:
                    found.add(period.end + timedelta(days=1))
            for exemption in measure.exemptions:
                if exemption.start is not None:
                    found.add(exemption.start)
                if exemption.end is not None:
                    found.add(exemption.end + timedelta(days=1))
        found.update(rule.start for rule in self.stacking)
        return found

    def check_date(self, on: date) -> None:
        if on < self.start:
            raise PolicyCoverageError(
                f"date {on.isoformat()} is outside the tariff policy's coverage, which starts on "
                f"{self.start.isoformat()} (policy version {self.version}); give a date on or after it",
                field="date",
                value=on.isoformat(),
            )

    def currency_note(self, on: date) -> str:
        """What a result for a date after the last recorded action must say ('' up to that date)."""
        if on <= self.end:
            return ""
        return f"policy current to {self.end.isoformat()}, {self.hts_revision}; later actions are not recorded"

    def known_claims(self) -> dict[str, str]:
        """Chapter 99 headings an entry may claim, with what each is for."""
        out: dict[str, str] = {}
        for m in self.measures:
            for heading in m.requires:
                out.setdefault(heading, f"{m.id}: {m.requires_note or 'claimed to apply the measure'}")
            for ex in m.exemptions:
                if ex.claim:
                    out.setdefault(ex.claim, f"{m.id} {ex.id}: {ex.citation}")
        return out

    def metal_estimate(self, code: str) -> tuple[float, str] | None:
        """(share of value, metals) estimated for a derivative line outside chapters 72, 73 and 76 from the BEA
        metal shares, or None (full value) when the line is a primary metal article or not tabulated."""
        from nearshore.tariffs.policy.metal import FULL_VALUE_CHAPTERS, metal_share

        if code.startswith(FULL_VALUE_CHAPTERS):
            return None
        metals = frozenset(m.metal for m in self.measures if m.basis == "metal" and m.metal and m.products.covers(code))
        share = metal_share(code, metals) if metals else None
        return None if share is None else (share, "+".join(sorted(metals)))

    def scheduled(self) -> list[tuple[date, str, str]]:
        """(date, what, citation) of every change after the last recorded action that the recorded measures
        already set (statutory ends, scheduled steps), in date order."""
        out = []
        for m in self.measures:
            for p in m.rates:
                who = f" ({', '.join(sorted(p.countries))})" if p.countries and len(p.countries) < 6 else ""
                rate = f"{round(p.rate * 100, 4):g}%" + (" floor" if p.floor else "")
                heading = p.heading or m.heading
                if p.start > self.end:
                    out.append((p.start, f"{m.id}{who}: {rate} from this date ({heading})", p.citation))
                if p.end is not None and p.end >= self.end:
                    after = p.end + timedelta(days=1)
                    out.append((after, f"{m.id}{who}: {rate} ({heading}) ends after {p.end}", p.citation))
        return sorted(out)

    def measure(self, measure_id: str) -> Measure:
        for m in self.measures:
            if m.id == measure_id:
                return m
        raise KeyError(measure_id)

    def mpf_period(self, on: date) -> FeePeriod:
        for period in self.mpf_periods:
            if period.start <= on <= period.end:
                return period
        raise PolicyCoverageError(
            f"no merchandise processing fee rates for {on.isoformat()} in policy {self.version}",
            field="date",
            value=on.isoformat(),
        )


def _date(value: Any, where: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"policy {where}: {value!r} is not a date (YYYY-MM-DD)") from None


def _countries(value: Any, groups: dict[str, frozenset[str]], where: str) -> frozenset[str] | None:
    if value is None or value == "all":
        return None
    items = [value] if isinstance(value, str) else list(value)
    out: set[str] = set()
    for item in items:
        if str(item).startswith("group:"):
            name = str(item)[6:]
            if name not in groups:
                raise ConfigError(f"policy {where}: unknown country group {name!r}; groups: {', '.join(groups)}")
            out |= groups[name]
        else:
            out.add(str(item))
    return frozenset(out)


def _products(value: Any, where: str, products_dir: Path) -> Products:
    spec = str(value)
    if spec == "all":
        return Products(spec, None)
    if spec.startswith("not:"):
        inner = _products(spec[4:], where, products_dir)
        return Products(spec, inner.prefixes or (), negate=True)
    kind, _, rest = spec.partition(":")
    if kind == "chapters" or kind == "codes":
        return Products(spec, tuple(c.strip() for c in rest.split(",") if c.strip()))
    if kind == "list":  # one list or several: list:NAME or list:NAME1,NAME2
        try:
            return Products(spec, tuple(c for name in rest.split(",") for c in read_product_list(name, products_dir)))
        except FileNotFoundError:
            raise ConfigError(
                f"policy {where}: product list {rest!r} not found in {products_dir}; "
                "rebuild the lists with `nearshore tariff policy build`"
            ) from None
    raise ConfigError(f"policy {where}: products {spec!r} must be all, chapters:.., codes:.. or list:NAME")


def _choice(value: Any, allowed: tuple[str, ...], where: str) -> Any:
    if value not in allowed:
        raise ConfigError(f"policy {where}: {value!r} is not one of {', '.join(allowed)}")
    return value


def _measure(raw: dict[str, Any], groups: dict[str, frozenset[str]], products_dir: Path) -> Measure:
    where = f"measure {raw.get('id')!r}"
    periods = []
    for entry in [*raw.get("rates", []), *raw.get("country_rates", [])]:
        periods.append(
            RatePeriod(
                rate=float(entry["rate"]),
                start=_date(entry["start"], where),
                end=None if entry.get("end") is None else _date(entry["end"], where),
                citation=str(entry.get("citation", "")),
                heading=str(entry.get("heading", "")),
                countries=_countries(entry.get("countries"), groups, where),
                except_countries=_countries(entry.get("except_countries", []), groups, where) or frozenset(),
                floor=bool(entry.get("floor", False)),
            )
        )
    exemptions = []
    for entry in raw.get("exemptions", []):
        exemptions.append(
            Exemption(
                id=str(entry["id"]),
                citation=str(entry.get("citation", "")),
                heading=str(entry.get("heading", "")),
                products=_products(entry["products"], where, products_dir) if "products" in entry else None,
                usmca=bool(entry.get("usmca", False)),
                us_content=bool(entry.get("us_content", False)),
                rate=None if entry.get("rate") is None else float(entry["rate"]),
                start=_date(entry["start"], where) if entry.get("start") else None,
                end=_date(entry["end"], where) if entry.get("end") else None,
                countries=_countries(entry.get("countries"), groups, where),
                claim=str(entry.get("claim", "")),
                zero_metal=bool(entry.get("zero_metal", False)),
                floor=bool(entry.get("floor", False)),
            )
        )
    return Measure(
        id=str(raw["id"]),
        authority=str(raw["authority"]),
        heading=str(raw["heading"]),
        countries=_countries(raw.get("countries", "all"), groups, where),
        except_countries=_countries(raw.get("except_countries", []), groups, where) or frozenset(),
        products=_products(raw.get("products", "all"), where, products_dir),
        basis=_choice(raw.get("basis", "value"), BASES, f"{where} basis"),
        rates=tuple(periods),
        exemptions=tuple(exemptions),
        citation=str(raw.get("citation", "")),
        end_use=str(raw.get("end_use", "")),
        end_use_default=_products(raw["end_use_default"], where, products_dir) if "end_use_default" in raw else None,
        metal=_choice(raw.get("metal", ""), ("", "steel", "aluminum", "copper"), f"{where} metal"),
        requires=tuple(str(h) for h in raw.get("requires", [])),
        requires_note=str(raw.get("requires_note", "")),
    )


def parse_policy(data: dict[str, Any], path: str = "", products_dir: Path = PRODUCTS_DIR) -> Policy:
    groups = {name: frozenset(values) for name, values in data.get("groups", {}).items()}
    measures = tuple(_measure(m, groups, products_dir) for m in data["measures"])
    ids = {m.id for m in measures}
    rules = [_stack_rule(raw, ids) for raw in data.get("stacking", [])]
    fees = data["fees"]
    de_min = data["de_minimis"]
    return Policy(
        version=str(data["version"]),
        published=str(data["published"]),
        start=_date(data["coverage"]["start"], "coverage"),
        end=_date(data["coverage"]["recorded_to"], "coverage"),
        hts_revision=str(data["coverage"].get("hts_revision", "")),
        last_action=str(data["coverage"].get("last_action", "")),
        path=path,
        groups=groups,
        column2=frozenset(data["column2"]["countries"]),
        column2_citation=str(data["column2"]["citation"]),
        measures=measures,
        stacking=tuple(rules),
        de_minimis_threshold=float(de_min["threshold_usd"]),
        de_minimis_citation=str(de_min["citation"]),
        de_minimis_suspended=tuple(
            (_countries(s["countries"], groups, "de_minimis"), _date(s["start"], "de_minimis"), str(s["citation"]))
            for s in de_min.get("suspended", [])
        ),
        mpf_rate=float(fees["mpf"]["rate"]),
        mpf_citation=str(fees["mpf"]["citation"]),
        mpf_usmca_citation=str(fees["mpf"]["usmca_citation"]),
        mpf_periods=tuple(_fee_period(p) for p in fees["mpf"]["periods"]),
        hmf_rate=float(fees["hmf"]["rate"]),
        hmf_citation=str(fees["hmf"]["citation"]),
        programs={str(code): _program(str(code), raw, groups) for code, raw in data.get("programs", {}).items()},
    )


def _stack_rule(raw: dict[str, Any], ids: set[str]) -> StackRule:
    where = f"stacking rule {raw.get('id')!r}"
    unknown = (set(raw["when"]) | set(raw["excludes"])) - ids
    if unknown:
        raise ConfigError(f"policy {where}: unknown measures {sorted(unknown)}")
    return StackRule(
        str(raw["id"]),
        frozenset(raw["when"]),
        frozenset(raw["excludes"]),
        _choice(raw["mode"], STACK_MODES, f"{where} mode"),
        _date(raw["start"], where),
        str(raw["citation"]),
    )


def _fee_period(raw: dict[str, Any]) -> FeePeriod:
    start, end = _date(raw["start"], "fees"), _date(raw["end"], "fees")
    return FeePeriod(start, end, float(raw["minimum"]), float(raw["maximum"]), str(raw["citation"]))


def _program(code: str, raw: dict[str, Any], groups: dict[str, frozenset[str]]) -> Program:
    end = _date(raw["end"], "programs") if raw.get("end") else None
    return Program(
        code, str(raw["name"]), _countries(raw.get("countries"), groups, "programs"), end, str(raw["citation"])
    )


@functools.lru_cache(maxsize=4)
def load_policy(path: str | None = None) -> Policy:
    """The policy file shipped with nearshore, or the one at `path`."""
    import yaml  # on use: a cached policy (tariffs.compiled) needs no YAML

    file = Path(path) if path else POLICY_FILE
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when installed: the file is large
    try:
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read the tariff policy file {file}: {exc}") from None
    return parse_policy(data, str(file))


__all__ = [
    "POLICY_FILE",
    "Exemption",
    "FeePeriod",
    "Measure",
    "Policy",
    "Products",
    "Program",
    "RatePeriod",
    "StackRule",
    "load_policy",
    "parse_policy",
]
