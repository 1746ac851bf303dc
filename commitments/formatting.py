"""How numbers read to people: one place for every page, the e-mails and the .xlsx export."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# Chinese large-number units, largest first: 亿 = 10^8, 万 = 10^4.
SCALES = ((Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万"))
NO_SCALE_UNITS = {"%", "％", "‰"}


def _plain(number: Decimal, places: int) -> str:
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{rounded:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def amount(value, unit: str = "") -> str:
    """A target's value with its unit: 2000000000 元 → "20 亿元", 3554000 元 → "355.4 万元", 12.5 % → "12.5 %".

    Values of 10,000 and more are written in 万 or 亿 (two decimals at most), as Chinese documents do; the
    stored value stays in the base unit. A value that is not a number is returned as it came.
    """
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return f"{value} {unit}".strip()
    if not number.is_finite():
        return f"{value} {unit}".strip()
    if unit not in NO_SCALE_UNITS:
        for size, word in SCALES:
            if abs(number) >= size:
                return f"{_plain(number / size, 2)} {word}{unit}".strip()
    return f"{_plain(number, 4)} {unit}".strip()


def days_left(deadline: dt.date | None, today: dt.date) -> int | None:
    """Whole days from `today` to `deadline` (negative: overdue); None without a deadline."""
    if deadline is None:
        return None
    return (deadline - today).days
