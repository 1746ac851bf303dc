"""Chinese and full-width numerals.

Contract: ``cn_to_int`` turns "十五", "二〇二五", "两千三百", "１２" into an int (None if it cannot);
``to_number`` does the same for Arabic strings with decimals ("15.5", "１，０００").
"""

from __future__ import annotations

_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "Ｏ": 0,
    "O": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG = {"万": 10_000, "亿": 100_000_000}

CN_NUM_CHARS = "〇零○一二两三四五六七八九十百千万亿"


def _small(s: str) -> int | None:
    total = 0
    cur = None
    for ch in s:
        if ch in _DIGITS:
            cur = _DIGITS[ch]
        elif ch in _UNITS:
            total += (1 if cur is None else cur) * _UNITS[ch]
            cur = None
        elif ch.isdigit():
            cur = (cur or 0) * 10 + int(ch) if cur is not None else int(ch)
        else:
            return None
    if cur is not None:
        total += cur
    return total


def cn_to_int(s: str) -> int | None:
    """Parse a Chinese (or Arabic, or full-width) integer numeral; None when it is not one."""
    s = s.strip()
    if not s:
        return None
    if s.isdigit():
        try:
            return int(s)
        except ValueError:
            return None
    # Digit-by-digit form: 二〇二五, 一九九八
    if all(ch in _DIGITS for ch in s) and len(s) > 1:
        return int("".join(str(_DIGITS[ch]) for ch in s))
    total = 0
    rest = s
    for big_ch in ("亿", "万"):
        if big_ch in rest:
            head, rest = rest.split(big_ch, 1)
            v = _small(head) if head else 1
            if v is None:
                return None
            total += v * _BIG[big_ch]
    if rest:
        v = _small(rest)
        if v is None:
            return None
        total += v
    return total


def to_number(s: str) -> int | float | None:
    """Parse "15.5", "1,000", "１２", "十五" into a number; ints stay ints."""
    s = s.strip().replace(",", "").replace("，", "").replace("．", ".")
    if not s:
        return None
    try:
        if "." in s:
            v = float(s)
            return int(v) if v.is_integer() else v
        if s.isdigit():
            return int(s)
    except ValueError:
        return None
    return cn_to_int(s)


def integral(v: float) -> int | float:
    """Return an int when the value is integral (30000000000.0 → 30000000000)."""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, float):
        return round(v, 6)
    return v
