"""One BOM of a portfolio with its annual volume and unit value, and the plant labour data a wage change needs."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from nearshore.origin.bom import BOM, LabourValue


@dataclass(frozen=True)
class Plant:
    """One assembly plant's high-wage labour inputs (U.S. dollars) and the hourly wage it pays."""

    KEYS: ClassVar[tuple[str, ...]] = ("wage_usd", "high_wage_labour", "high_wage_materials", "high_wage_transport")

    wage_usd: float
    high_wage_labour: float
    high_wage_materials: float
    high_wage_transport: float


@dataclass(frozen=True)
class Holding:
    """One BOM of the portfolio: how many a year, at what unit value (USD), under which HTS line; `plants` the
    plant labour data when given (`vehicle.labour.plants`, for a wage-rate change)."""

    bom: BOM
    annual_volume: float
    unit_value: float
    hts: str | None
    plants: tuple[Plant, ...] = ()

    @property
    def annual_value(self) -> float:
        return self.annual_volume * self.unit_value

    def at_wage(self, wage: float) -> BOM:
        """The BOM with its high-wage labour figures summed over the plants paying at least `wage` an hour
        (SOR/2020-155 s. 12: the high-wage rate; US$16 in the law)."""
        vehicle = self.bom.vehicle
        if not self.plants or vehicle is None:
            return self.bom
        kept = [p for p in self.plants if p.wage_usd >= wage]
        labour = replace(
            vehicle.labour or LabourValue(0.0, 0.0),
            high_wage_labour=sum(p.high_wage_labour for p in kept),
            high_wage_materials=sum(p.high_wage_materials for p in kept),
            high_wage_transport=sum(p.high_wage_transport for p in kept),
        )
        return replace(self.bom, vehicle=replace(vehicle, labour=labour))


__all__ = ["Holding", "Plant"]
