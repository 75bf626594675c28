"""`nearshore stats`: trade analytics over the store, each figure printed with its source and vintage."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from nearshore.cli.commands import command
from nearshore.cli.output import FORMAT_OPTION, Format, show
from nearshore.services import stats

if TYPE_CHECKING:
    from nearshore.services.base import Result

app = typer.Typer(
    help="Trade analytics: shares, ranks, growth, balances, sectors, USMCA utilisation, "
    "tariff-event windows, duty rates.\n\nExample: nearshore stats share --partner MEX --year 2024",
    no_args_is_help=True,
)


@command(app, "share", stats.share)
def share_cmd(result: Result[Any], fmt: Format = FORMAT_OPTION) -> None:
    """A partner's share of U.S. imports, exports or two-way trade, and its rank among countries.

    Without --year: every year held (a rank history). Every stats command reading the store runs on Spark over an
    export too: nearshore stats share --partner MEX --year 2024 --engine spark --dataset ./export (docs/scale.md).

    Example: nearshore stats share --partner MEX --flow imports --year 2024
    """
    show(result, fmt)


@command(app, "top", stats.top)
def top_cmd(result: Result[Any], fmt: Format = FORMAT_OPTION) -> None:
    """The top-N partner countries with shares, ranks and the change in rank from a year earlier.

    Example: nearshore stats top --flow imports --year 2023 -n 5
    """
    show(result, fmt)


@command(app, "growth", stats.growth)
def growth_cmd(result: Result[Any], fmt: Format = FORMAT_OPTION) -> None:
    """Year-on-year, year-to-date or compound annual growth of a flow with a partner (or the world).

    Example: nearshore stats growth --partner MEX --kind ytd --year 2025 --month 6
    """
    show(result, fmt)


@command(app, "path", stats.path)
def path_cmd(result: Result[Any], fmt: Format = FORMAT_OPTION) -> None:
    """The arithmetic of a stated growth path: the CAGR two values imply, or the value a rate reaches.

    Values are U.S. dollars unless --in says otherwise: --start-value 53.2 --in billions is $53.2B.

    Example: nearshore stats path --start-value 53.2 --end-value 97.4 --in billions --start-year 2025 --end-year 2031
    """
    show(result, fmt)


@command(app, "balance", stats.balance)
def balance_cmd(result: Result[Any], fmt: Format = FORMAT_OPTION) -> None:
    """U.S. goods exports, imports and balance (exports - imports; negative = U.S. deficit) with a partner.

    Example: nearshore stats balance --partner MEX --year 2025
    """
    show(result, fmt)


@command(app, "sectors", stats.sectors)
def sectors_cmd(result: Result[Any], fmt: Format = FORMAT_OPTION) -> None:
    """Composition of U.S. imports from a partner by named sector, HS chapter or HS section (HS-level data).

    Example: nearshore stats sectors --partner MEX --year 2025 --by sector
    """
    show(result, fmt)


@command(app, "concentration", stats.concentration)
def concentration_cmd(result: Result[Any], fmt: Format = FORMAT_OPTION) -> None:
    """Top-N products of U.S. imports from a partner, their cumulative share and the Herfindahl index.

    Example: nearshore stats concentration --partner MEX --year 2025 --level 4 -n 10
    """
    show(result, fmt)


@command(app, "utilisation", stats.utilisation)
def utilisation_cmd(result: Result[Any], fmt: Format = FORMAT_OPTION) -> None:
    """Share of U.S. imports from Mexico or Canada claimed under USMCA (S/S+), and the unclaimed value.

    Example: nearshore stats utilisation --partner MEX --year 2025 --by month
    """
    show(result, fmt)


@command(app, "unclaimed", stats.unclaimed)
def unclaimed_cmd(result: Result[Any], fmt: Format = FORMAT_OPTION) -> None:
    """HTS10 products from Mexico or Canada with the largest value not claimed under USMCA.

    Example: nearshore stats unclaimed --partner CAN --year 2025 --month 12 -n 10
    """
    show(result, fmt)


@command(app, "event", stats.event)
def event_cmd(result: Result[Any], fmt: Format = FORMAT_OPTION) -> None:
    """A flow from a tariff event's month on, against the same months a year earlier.

    Example: nearshore stats event ieepa-ca-mx-effective --partner CAN --partner MEX --flow total
    """
    show(result, fmt)


@command(app, "events", stats.events)
def events_cmd(result: Result[Any], fmt: Format = FORMAT_OPTION) -> None:
    """The dated, cited tariff events that `stats event` accepts.

    Example: nearshore stats events --format json
    """
    show(result, fmt)


@command(app, "duty-rate", stats.duty_rate)
def duty_rate_cmd(result: Result[Any], fmt: Format = FORMAT_OPTION) -> None:
    """Collected duty rate: calculated duties / imports for consumption, by partner and period.

    Example: nearshore stats duty-rate --partner MEX --year 2025
    """
    show(result, fmt)
