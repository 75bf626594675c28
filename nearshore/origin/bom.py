"""The bill of materials: the good, its materials and, for vehicles, labour-value and steel/aluminium data.

Plain frozen dataclasses; `nearshore.origin.bom_io` builds them from YAML, JSON or CSV after validating every
field (docs/origin.md has the schema). Values are in the good's currency (SOR/2020-155 s. 2: convert with the
rate the producer recorded before building the BOM).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal

from nearshore.origin.frozen import filled_at_once

USMCA_COUNTRIES = frozenset({"US", "CA", "MX"})

VehicleClass = Literal["passenger", "light_truck", "heavy_truck"]
VEHICLE_CLASSES: tuple[VehicleClass, ...] = ("passenger", "light_truck", "heavy_truck")
Method = Literal["transaction_value", "net_cost"]
METHODS: tuple[Method, ...] = ("transaction_value", "net_cost")


@dataclass(frozen=True)
class Accumulation:
    """A supplier's signed statement: the material's own VNM (s. 9(2)(a), 9(3)) or an amount of its net
    cost that holds no non-originating value (s. 9(2)(b): VNM = value of the material - amount)."""

    vnm: float | None = None
    amount: float | None = None


@filled_at_once
@dataclass(frozen=True)
class Material:
    """One line of the bill of materials. `originating` is the claimed status; `origin` the country."""

    line: int
    description: str
    hs: str | None
    origin: str | None
    originating: bool
    value: float
    evidence: str = ""
    quantity: float | None = None
    weight: float | None = None
    elastomeric: bool = False
    self_produced: bool = False
    intermediate: bool = False
    non_originating_content: float = 0.0
    indirect: bool = False
    packing: bool = False
    packaging: bool = False
    accessory: bool = False
    component: bool = True
    adjustments: float = 0.0
    accumulation: Accumulation | None = None
    fungible_share: float | None = None  # originating share from an inventory method (s. 8(18), Schedule 8)
    production_vnm: float | None = None  # VNM used in producing this material (s. 20(4)(a)(ii))
    ref: str = ""  # a name other lines' `within` can point to
    within: str = ""  # ref of the self-produced material this one is incorporated into (s. 8(6) nesting)
    rvc_required: bool = False  # a self-produced material subject to an RVC requirement (s. 8(6))
    # provided for as a part of the good under the HS (s. 3(4)(a); 19 U.S.C. 4531(c)(1)(D)(ii)): the producer's
    # statement; the engine checks the subheading provides for the good and its parts (`parts.py`)
    part: bool = False
    # s. 3(8): the self-produced material is the material the tariff shift looks at, not its listed inputs
    shift_as_material: bool = False

    @property
    def vnm(self) -> float:
        """This line's part of the value of non-originating materials (SOR/2020-155 s. 7(4)-(5), 8, 9)."""
        if self.indirect or self.packing or self.within:
            return 0.0  # a nested line is inside the value of the material it is incorporated into
        return self.own_vnm

    @property
    def own_vnm(self) -> float:
        """The line's non-originating value on its own, nested or not: what it weighs when it fails a tariff shift
        (s. 5(1)) as an input listed under another material."""
        if self.accumulation is not None:
            if self.accumulation.vnm is not None:
                return self.accumulation.vnm
            return max(self.value - (self.accumulation.amount or 0.0), 0.0)
        if self.self_produced and not self.intermediate:
            return self.non_originating_content
        if self.fungible_share is not None:
            return max(self.value - self.adjustments, 0.0) * (1.0 - self.fungible_share)
        if self.originating:
            return 0.0
        return max(self.value - self.adjustments, 0.0)

    @property
    def counts_for_shift(self) -> bool:
        """Whether the tariff-shift test looks at this material (s. 8(13), 8(14), 8(17), 8(24)); which lines of a
        nested BOM stand for a material is `nested.shift_materials`'s business."""
        return not (self.originating or self.indirect or self.packing or self.packaging or self.accessory)

    def as_originating(self) -> Material:
        return replace(self, originating=True, non_originating_content=0.0, accumulation=None, fungible_share=None)


_MATERIAL_DEFAULTS: dict[str, Any] = {f.name: f.default for f in fields(Material)}


def checked_material(
    line: int,
    description: str,
    hs: str | None,
    origin: str | None,
    originating: bool,
    value: float,
    extra: Mapping[str, Any] | None = None,
) -> Material:
    """A Material from values a reader has already checked (`extra`: other fields by name): the frozen dataclass
    filled at once. Its __init__ sets each of its 25 fields through object.__setattr__, several times the cost
    when a batch builds hundreds of thousands of materials."""
    values = {**_MATERIAL_DEFAULTS, **extra} if extra else _MATERIAL_DEFAULTS.copy()
    values["line"], values["description"], values["hs"] = line, description, hs
    values["origin"], values["originating"], values["value"] = origin, originating, value
    material = object.__new__(Material)
    object.__setattr__(material, "__dict__", values)
    return material


@filled_at_once
@dataclass(frozen=True)
class NetCost:
    """Net cost and its parts (s. 7(11)): total cost minus excluded costs."""

    total_cost: float
    excluded_costs: float = 0.0

    @property
    def value(self) -> float:
        return self.total_cost - self.excluded_costs


@filled_at_once
@dataclass(frozen=True)
class Good:
    description: str
    hs: str
    country: str
    currency: str
    transaction_value: float | None = None
    net_cost: NetCost | None = None
    international_shipping: float = 0.0
    weight: float | None = None
    wholly_obtained: bool = False
    is_set: bool = False
    unassembled: bool = False  # imported unassembled, classified as assembled under GRI 2(a) (s. 3(4)(b))
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    for_vehicle: VehicleClass | None = None
    original_equipment: bool = True
    # alternatives ('A', 'B'... or '*') whose text conditions (processes, goods) the producer attests
    conditions_met: tuple[str, ...] = ()
    export_to: str | None = None  # importing USMCA country: picks trade-direction rule variants
    other_vehicle: str | None = None  # s. 20 kind of the vehicle (the good, or the vehicle it is for)
    chassis: bool = False  # a chassis of 8708.99 (s. 15(4)), told apart from other 8708.99 parts
    staging_until: dt.date | None = None  # a Table A.1 part for an eligible vehicle of s. 19: end of the regime
    table_2_10_1: bool = False  # claimed as a good of Table 2.10.1 imported from a USMCA country (s. 3(7))

    @property
    def tv(self) -> float | None:
        """Transaction value adjusted to exclude international shipment costs (s. 7(2))."""
        if self.transaction_value is None:
            return None
        return self.transaction_value - self.international_shipping


@dataclass(frozen=True)
class CorePart:
    """A Table A.2 core part used in a vehicle (s. 14(4)-(10)): its net cost and VNM."""

    line: int
    name: str
    hs: str
    net_cost: float
    vnm: float


@dataclass(frozen=True)
class Purchase:
    """Steel or aluminium bought for vehicle production (s. 17(1)), with its originating status."""

    line: int
    metal: Literal["steel", "aluminum"]
    value: float
    originating: bool


@dataclass(frozen=True)
class LabourValue:
    """Labour value content data (s. 18): high-wage labour and material amounts and the two credits."""

    high_wage_labour: float
    high_wage_materials: float
    high_wage_transport: float = 0.0
    rd_it_wages: float = 0.0
    production_wages: float = 0.0
    high_wage_assembly_plant: bool = False
    annual_purchase_value: float | None = None  # APV of high-wage materials (s. 18(6)(b))
    total_annual_purchase_value: float | None = None  # TAPV of all parts and materials (s. 18(6)(b))


@dataclass(frozen=True)
class Vehicle:
    vehicle_class: VehicleClass
    labour: LabourValue | None = None
    core_parts: tuple[CorePart, ...] = ()
    purchases: tuple[Purchase, ...] = ()
    alternative_staging: AlternativeStaging | None = None


@dataclass(frozen=True)
class AlternativeStaging:
    """An alternative staging regime approved by the CUSMA countries for this vehicle (s. 19(1)-(2))."""

    until: dt.date = dt.date(2025, 6, 30)
    steel_aluminum_exempt: bool = False  # s. 19(4)(c)


@filled_at_once
@dataclass(frozen=True)
class Parties:
    """Who is who on a certification of origin (Article 5.2, Annex 5-A)."""

    exporter: str = ""
    producer: str = ""
    importer: str = ""


@dataclass(frozen=True)
class RuleOverride:
    """A product-specific rule written in the BOM itself (used instead of the shipped rules for its HS)."""

    shift: Literal["chapter", "heading", "subheading", "none"] = "none"
    except_from: tuple[str, ...] = ()
    rvc: dict[Method, float] = field(default_factory=dict)
    text: str = ""


@filled_at_once
@dataclass(frozen=True)
class BOM:
    source: str
    good: Good
    materials: tuple[Material, ...]
    vehicle: Vehicle | None = None
    parties: Parties = Parties()
    rule: RuleOverride | None = None

    def with_materials(self, materials: tuple[Material, ...]) -> BOM:
        return replace(self, materials=materials)
