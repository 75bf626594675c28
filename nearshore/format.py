"""One way to print a number: every figure nearshore shows (a stats table, a brief, a CLI table) goes through here.

Rounding is half-up on the decimal value people read: the shortest decimal form of the float (`repr`), scaled
exactly, then rounded with halves away from zero. So 15.45 prints as 15.5%, $2.25B as $2.3B (or "$2.3 billion"
in prose), 0.125 as 0.13; a value that rounds to zero never prints as "-0.0".

Two styles share that rounding:
    short  tables and compact text: '$42.0B', '-$3.1M', '45.5%', '+3.2 pp', '#1', '1.83x', '2,150'
    prose  sentences of a brief: '$503.1 billion', '15.4%', '2.1 percentage points', 'second-largest', '2024'

Units
    USD      nominal U.S. dollars (never millions; a scale only changes how it is shown)
    percent  a share or rate, 0-100 (45.5 means 45.5 %)
    pp       a difference between two percents, in percentage points
    ratio    a plain ratio (e.g. 1.83 = 183 %); growth factors
    rank     a position, 1 = largest
    index    an index number or an index such as Herfindahl-Hirschman (0-10,000)
    count    a count of things (rank places moved, products, months)
    year     a calendar year
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Final, Literal, get_args

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

Unit = Literal["USD", "percent", "pp", "ratio", "rank", "index", "count", "year"]
UNITS: Final[tuple[str, ...]] = get_args(Unit)
Scale = Literal["units", "thousands", "millions", "billions", "trillions"]
Style = Literal["short", "prose"]

# scale: (divisor, suffix in short style, word in prose)
SCALES: Final[dict[str, tuple[float, str, str]]] = {
    "units": (1.0, "", ""),
    "thousands": (1e3, "K", "thousand"),
    "millions": (1e6, "M", "million"),
    "billions": (1e9, "B", "billion"),
    "trillions": (1e12, "T", "trillion"),
}
_EXPONENT: Final = {"units": 0, "thousands": 3, "millions": 6, "billions": 9, "trillions": 12}
_ORDINALS: Final = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def decimal(value: float | Decimal) -> Decimal:
    """The decimal people read for a float: its shortest round-tripping form (15.45, not 15.4499999...)."""
    return value if isinstance(value, Decimal) else Decimal(repr(float(value)))


def round_half_up(value: float | Decimal, places: int) -> Decimal:
    """`value` rounded to `places` digits after the point, halves away from zero (15.45 -> 15.5, -0.125 -> -0.13)."""
    exact = decimal(value)
    return abs(exact).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP).copy_sign(exact)


def scaled(value: float | Decimal, scale: Scale) -> Decimal:
    """`value` divided by the scale's divisor, exactly (2.25e9 in billions -> 2.25)."""
    return decimal(value).scaleb(-_EXPONENT[scale])


def number(value: float | Decimal, places: int, *, signed: bool = False) -> str:
    """'1,234.5' with `places` digits after the point; '+1.2' when `signed`; zero is '0.0', never '-0.0'."""
    rounded = round_half_up(value, places)
    if rounded.is_zero():
        rounded = abs(rounded)
    text = f"{rounded:,.{places}f}"
    return f"+{text}" if signed and rounded > 0 else text


def significant(value: float | Decimal, digits: int = 4) -> str:
    """`value` to `digits` significant digits, like format(value, ',.4g') but rounding half-up."""
    exact = decimal(value)
    if exact.is_zero():
        return "0"
    exponent = exact.adjusted() - digits + 1
    rounded = abs(exact).quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP).copy_sign(exact)
    return format(float(rounded), f",.{digits}g")  # `rounded` has `digits` digits: 'g' only lays it out


def cell(value: float) -> str:
    """A number in a table whose precision nobody chose: one decimal from 100 up, else four significant digits."""
    return number(value, 1) if abs(value) >= 100 else significant(value, 4)


def percent(value: float | Decimal, places: int = 1, *, fraction: bool = False, signed: bool = False) -> str:
    """'15.5%' for 15.45; with `fraction` the value is a share of 1 (0.979 -> '97.90%' at 2 places)."""
    exact = decimal(value).scaleb(2) if fraction else decimal(value)
    return f"{number(exact, places, signed=signed)}%"


def numbers(
    values: Sequence[float | None] | npt.NDArray[np.float64], places: int, *, signed: bool = False
) -> list[str]:
    """`number` of every value of a column, worked out for the column at once (a None is '')."""
    return _column(values, places, 0, signed, "", lambda v: number(v, places, signed=signed))


def percents(
    values: Sequence[float | None] | npt.NDArray[np.float64],
    places: int = 1,
    *,
    fraction: bool = False,
    signed: bool = False,
) -> list[str]:
    """`percent` of every value of a column, worked out for the column at once (a None is '')."""
    return _column(
        values,
        places,
        2 if fraction else 0,
        signed,
        "%",
        lambda v: percent(v, places, fraction=fraction, signed=signed),
    )


def _column(
    values: Sequence[float | None] | npt.NDArray[np.float64],
    places: int,
    shift: int,
    signed: bool,
    suffix: str,
    one: Callable[[float], str],
) -> list[str]:
    """The texts of `one` for a column: each |value| x 10^(places + shift) rounded half-up to a whole number in
    numpy, then laid out with the point `places` digits from the right. The scaled float differs from the scaled
    decimal people read (the repr) by at most 2 x 2^-53 of its size, so both round the same way unless the
    fraction is within 1e-12 x size of a half (so every value of 5e11 and more once scaled) or the value is not
    finite: those few go through `one` itself."""
    import numpy as np

    if isinstance(values, np.ndarray):
        missing: list[int] = []
        x = values.astype(np.float64, copy=False)
    else:
        missing = [i for i, v in enumerate(values) if v is None]
        x = np.array([0.0 if v is None else v for v in values], dtype=np.float64)
    size = np.abs(x) * float(10 ** (places + shift))
    with np.errstate(invalid="ignore"):
        whole = np.floor(size)
        part = size - whole
        exact = np.abs(part - 0.5) > 1e-12 * np.maximum(size, 1.0)
        units = np.where(exact, whole + (part > 0.5), 0.0).astype(np.int64)
    sign = np.full(len(x), "", dtype=object)
    sign[(units > 0) & (x < 0)] = "-"
    if signed:
        sign[(units > 0) & (x > 0)] = "+"
    if places:
        step = 10**places
        texts = [f"{s}{n // step:,}.{n % step:0{places}d}{suffix}" for s, n in zip(sign, units.tolist(), strict=True)]
    else:
        texts = [f"{s}{n:,}{suffix}" for s, n in zip(sign, units.tolist(), strict=True)]
    for i in np.flatnonzero(~exact).tolist():
        texts[i] = one(float(x[i]))
    for i in missing:
        texts[i] = ""
    return texts


def auto_scale(value: float) -> Scale:
    """The scale for a dollar amount: the largest whose divisor is at most |value| (units below 1,000)."""
    for scale in ("trillions", "billions", "millions", "thousands"):
        if abs(value) >= SCALES[scale][0]:
            return scale
    return "units"


def rate(fraction: float) -> str:
    """A rate as a law states it, from a fraction: 0.025 -> '2.5%', 0.25 -> '25%', 0.003464 -> '0.3464%'
    (to six places of percent, no trailing zeros)."""
    rounded = round_half_up(decimal(fraction).scaleb(2), 6)
    return "0%" if rounded.is_zero() else f"{rounded.normalize():f}%"


def money_scale(value: float) -> tuple[str, float]:
    """The word and divisor prose uses for a dollar amount: ('billion', 1e9) for 503.1e9; ('', 1.0) below 1,000."""
    divisor, _, word = SCALES[auto_scale(value)]
    return word, divisor


def money(
    value: float, places: int = 1, *, scale: Scale | None = None, style: Style = "short", signed: bool = False
) -> str:
    """'$2.3B' (short) or '$2.3 billion' (prose) for 2.25e9; scale None picks it from the size of the value.

    Short style keeps the sign in front ('-$3.1M', '+$1.0K' when `signed`); prose shows the amount only, since the
    sentence carries the direction (rose/fell, surplus/deficit).
    """
    chosen = auto_scale(value) if scale is None else scale
    _, suffix, word = SCALES[chosen]
    if style == "prose":
        return f"${number(abs(scaled(value, chosen)), places)}" + (f" {word}" if word else "")
    rounded = round_half_up(scaled(value, chosen), places)
    sign = "-" if rounded < 0 else ("+" if signed and rounded > 0 else "")
    return f"{sign}${number(abs(rounded), places)}{suffix}"


def ordinal(rank: int, adjective: str = "largest") -> str:
    """1 -> 'largest', 2 -> 'second-largest', 12 -> '12th-largest'."""
    if rank == 1:
        return adjective
    if 2 <= rank <= len(_ORDINALS):
        return f"{_ORDINALS[rank - 1]}-{adjective}"
    suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    return f"{rank}{suffix}-{adjective}"


def short(value: float, unit: Unit, places: int, *, scale: Scale = "units", signed: bool = False) -> str:
    """A figure in a table or compact text: '$42.0B', '-$3.1M', '45.5%', '+3.2 pp', '#1', '1.83x', '2,150'."""
    if unit == "USD":
        return money(value, places, scale=scale, signed=signed)
    if unit == "percent":
        return percent(value, places, signed=signed)
    if unit == "pp":
        return f"{number(value, places, signed=signed)} pp"
    if unit == "rank":
        return f"#{int(value)}"
    if unit == "year":
        return str(int(value))
    if unit == "ratio":
        return f"{number(value, places, signed=signed)}x"
    return number(value, places, signed=signed)


# digits after the point in prose when the figure does not say
PROSE_PLACES: Final[dict[str, int]] = {"USD": 1, "percent": 1, "pp": 1, "count": 0, "ratio": 2, "index": 1}


def prose(value: float, unit: Unit, places: int | None = None) -> str:
    """A figure in a sentence, without sign: '$503.1 billion', '15.4%', '2.1 percentage points', 'second-largest'."""
    if unit == "rank":
        return ordinal(int(abs(value)))
    if unit == "year":
        return str(int(value))
    chosen = PROSE_PLACES[unit] if places is None else places
    if unit == "USD":
        return money(value, chosen, style="prose")
    shown = number(abs(value), chosen)
    if unit == "percent":
        return f"{shown}%"
    if unit == "pp":
        return f"{shown} percentage point" + ("" if shown in ("1", "1.0") else "s")
    return shown


__all__ = [
    "PROSE_PLACES",
    "SCALES",
    "UNITS",
    "Scale",
    "Style",
    "Unit",
    "auto_scale",
    "cell",
    "decimal",
    "money",
    "money_scale",
    "number",
    "numbers",
    "ordinal",
    "percent",
    "percents",
    "prose",
    "rate",
    "round_half_up",
    "scaled",
    "short",
    "significant",
]
