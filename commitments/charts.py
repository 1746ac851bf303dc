"""Server-drawn SVG charts for the dashboard: no JavaScript, no external network."""

import datetime as dt

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def hbar_chart(
    rows: list[tuple[str, list[tuple[int, str, str]]]],
    *,
    width: int = 720,
    bar: int = 18,
    label_width: int = 190,
    title: str = "",
) -> SafeString:
    """Horizontal stacked bars: rows of (label, [(value, colour, legend)]); one row per agency."""
    gap = 8
    legends: dict[str, str] = {}
    for _, parts in rows:
        for _, colour, legend in parts:
            legends.setdefault(legend, colour)
    # The legend wraps at the chart's width (English names are longer than Chinese: "Fulfilled late" was cut at the
    # SVG's edge, session 20); each item is a swatch, its text and a gap.
    places, lx, line = [], label_width, 0
    for legend in legends:
        item = 16 + _text_width(legend, 12) + 20
        if lx > label_width and lx + item - 20 > width:
            lx, line = label_width, line + 1
        places.append((lx, line))
        lx += item
    height = len(rows) * (bar + gap) + 40 + 20 * line
    largest = max((sum(v for v, _, _ in parts) for _, parts in rows), default=0) or 1
    scale = (width - label_width - 60) / largest
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
        f' role="img" aria-label="{escape(title)}">'
    ]
    y = 10
    for label, parts in rows:
        short = label if len(label) <= 12 else label[:11] + "…"
        out.append(
            f'<text x="{label_width - 6}" y="{y + bar - 5}" text-anchor="end" font-size="12" fill="#1f2933">'
            f"<title>{escape(label)}</title>{escape(short)}</text>"
        )
        x: float = label_width
        total = 0
        for value, colour, legend in parts:
            w = value * scale
            if value:
                out.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar}" fill="{colour}">'
                    f"<title>{escape(legend)}: {value}</title></rect>"
                )
            x += w
            total += value
        out.append(f'<text x="{x + 4:.1f}" y="{y + bar - 5}" font-size="11" fill="#616e7c">{total}</text>')
        y += bar + gap
    for (legend, colour), (lx, line) in zip(legends.items(), places, strict=True):
        ly = y + 20 * line
        out.append(
            f'<rect x="{lx}" y="{ly + 6}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{lx + 16}" y="{ly + 16}" font-size="12" fill="#1f2933">{escape(legend)}</text>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))


def _text_width(text: str, size: int) -> int:
    """An upper estimate of `text`'s width at font `size`: a CJK character is a square, a Latin one ~0.6 of it."""
    return sum(size if ord(ch) >= 0x2E80 else round(size * 0.6) for ch in text)


def month_chart(
    points: list[tuple[dt.date, int]], *, width: int = 720, height: int = 220, title: str = ""
) -> SafeString:
    """Vertical bars: open commitments falling due in each month ahead."""
    left, bottom, top = 36, 30, 14
    largest = max((n for _, n in points), default=0) or 1
    slot = (width - left - 10) / max(len(points), 1)
    usable = height - bottom - top
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
        f' role="img" aria-label="{escape(title)}">',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 5}" y2="{height - bottom}" stroke="#bcccdc"/>',
    ]
    for i, (month, n) in enumerate(points):
        h = n / largest * usable
        x = left + i * slot + slot * 0.15
        w = slot * 0.7
        y = height - bottom - h
        out.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="#1d4ed8">'
            f"<title>{month:%Y-%m}: {n}</title></rect>"
        )
        out.append(
            f'<text x="{x + w / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" font-size="11" fill="#1f2933">{n}</text>'
        )
        out.append(
            f'<text x="{x + w / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" font-size="11"'
            f' fill="#616e7c">{month:%y-%m}</text>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))
