"""Office files the pipeline does not read, told apart for the refusal, and letters under an Office file's name.

The pipeline (responses/extraction/reading.py) reads .txt, .docx, PDF and HTML and refuses the rest with
“不支持的文件格式（.doc），请上传 .txt、.docx、.pdf 或 .html 文件”: a clerk holding a Word 97-2003 letter or an Excel
sheet is not told what his file is nor what to do with it (session 19). `upload_extract` asks the pipeline first and,
only when it refuses the format (UnsupportedFormat), looks at the bytes:

- a Word 97-2003, Excel (.xls, .xlsx), PowerPoint, WPS, RTF or password-protected Office file: UnsupportedFormat (415)
  naming it and what to upload instead (“这是 Word 97-2003（.doc）文件，请在 Word 或 WPS 中另存为 .docx 或 PDF 后上传”);
- a Word document (.docx) named .doc (or .xlsx …): read as the .docx it is, as the pipeline reads one named .pdf;
- text or HTML named .doc, .xlsx …: read as text or HTML (session 18 read a Word file named .pdf by its bytes; text
  named .docx it refuses naming the extension to use, because the .docx reader answers first).

A file that is none of these keeps the pipeline's refusal. Every refusal happens before anything is stored.
"""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from responses.extraction import Budgets, Extraction, UnsupportedFormat

# Extensions of Office formats under which a letter saved as text, HTML or .docx is read by its bytes.
_OFFICE_EXT = {"doc", "wps", "rtf", "odt", "xls", "xlsx", "et", "ppt", "pptx"}

_SAVE_AS_WORD = (
    "请在 Word 或 WPS 中另存为 .docx 或 PDF 后上传",
    "open it in Word or WPS, save it as .docx or PDF and upload that",
)
_SHEET = (
    "系统不读取表格；请上传函件的 Word（.docx）、PDF 或文本（.txt）文件，或在 Excel 或 WPS 中另存为 PDF 后上传",
    "spreadsheets are not read here; upload the letter as a Word (.docx), PDF or text (.txt) file, or save the "
    "sheet as PDF in Excel or WPS and upload that",
)
_SLIDES = (
    "系统不读取演示文稿；请在 PowerPoint 或 WPS 中另存为 PDF 后上传",
    "presentations are not read here; save it as PDF in PowerPoint or WPS and upload that",
)
# What the file is (zh, en) and what to do (zh, en).
_KINDS = {
    "doc": (("Word 97-2003（.doc）文件", "a Word 97-2003 (.doc) file"), _SAVE_AS_WORD),
    "wps": (("WPS 文字（.wps）文件", "a WPS Writer (.wps) file"), _SAVE_AS_WORD),
    "xls": (("Excel 97-2003 表格（.xls）", "an Excel 97-2003 spreadsheet (.xls)"), _SHEET),
    "xlsx": (("Excel 表格（.xlsx）", "an Excel spreadsheet (.xlsx)"), _SHEET),
    "ppt": (("PowerPoint 97-2003 演示文稿（.ppt）", "a PowerPoint 97-2003 presentation (.ppt)"), _SLIDES),
    "pptx": (("PowerPoint 演示文稿（.pptx）", "a PowerPoint presentation (.pptx)"), _SLIDES),
    "rtf": (("RTF 格式文件", "a Rich Text Format (.rtf) file"), _SAVE_AS_WORD),
    "odt": (("OpenDocument 文本（.odt）", "an OpenDocument text (.odt)"), _SAVE_AS_WORD),
    "encrypted": (
        ("设置了打开密码的 Office 文件", "a password-protected Office file"),
        (
            "请在 Word 或 WPS 中取消密码（或另存为 PDF）后上传",
            "remove the password in Word or WPS (or save it as PDF) and upload that",
        ),
    ),
}
# Streams of an OLE2 compound file (MS-CFB) by which its application is known, first match wins: a Word file always
# has WordDocument, so text in another stream's name never makes a Word file a sheet.
_OLE_STREAMS = (
    ("EncryptedPackage", "encrypted"),  # an OOXML file with an open password is an OLE2 file holding it
    ("WordDocument", "doc"),
    ("Workbook", "xls"),
    ("Book", "xls"),  # Excel 5.0/95
    ("PowerPoint Document", "ppt"),
)


def upload_extract(data: bytes, filename: str, *, budgets: Budgets | None = None) -> Extraction:
    """`extract_bytes(data, filename)`, with an Office file's refusal saying what it is and what to upload instead,
    and a letter saved as text, HTML or .docx under an Office file's name read as what it is (module docstring)."""
    from responses.extraction import UnsupportedFormat, extract_bytes

    try:
        return extract_bytes(data, filename, budgets=budgets)
    except UnsupportedFormat as refused:
        kind = office_kind(data, filename)
        if kind in _KINDS:
            raise office_refusal(kind) from None
        if kind is not None:  # "docx", "html" or "txt": the letter under an Office file's name
            return extract_bytes(data, f"{filename.rsplit('.', 1)[0]}.{kind}", budgets=budgets)
        raise refused


def office_kind(data: bytes, filename: str) -> str | None:
    """What a file the pipeline refused is: a key of _KINDS (refused with advice), "docx" / "html" / "txt" (a letter
    under an Office file's name, to read as that), or None (the pipeline's refusal stands)."""
    from responses.extraction.reading import _ext, _is_text, _sniff  # the pipeline's own tests of a file's kind

    ext = _ext(filename)
    sniffed = _sniff(data)
    if sniffed == "ole":
        return _ole_kind(data, ext)
    if sniffed == "zip":
        return _zip_kind(data, ext)
    if data.lstrip()[:5] == b"{\\rtf":
        return "rtf"
    if ext not in _OFFICE_EXT:
        return None
    if sniffed == "html":
        return "html"
    if sniffed is None and _is_text(data):
        return "txt"
    return None


def office_refusal(kind: str) -> UnsupportedFormat:
    """The 415 for an Office file of `kind` (a key of _KINDS): what it is and what to upload instead."""
    from responses.extraction import UnsupportedFormat

    (what_zh, what_en), (todo_zh, todo_en) = _KINDS[kind]
    space = " " if what_zh[0].isascii() else ""  # 这是 Word …, 这是设置了…
    return UnsupportedFormat(f"这是{space}{what_zh}，{todo_zh}", f"This is {what_en}; {todo_en}")


def _ole_kind(data: bytes, ext: str) -> str | None:
    """An OLE2 compound file's application, from the names of its directory entries (UTF-16LE, NUL-terminated, at
    the start of a 128-byte entry: every directory sector starts at a multiple of 512 bytes), else from its
    extension; None when neither says (the pipeline's “文件内容是旧版 Office 文件…” stands)."""
    for stream, kind in _OLE_STREAMS:
        name = (stream + "\0").encode("utf-16-le")
        at = data.find(name)
        while at != -1:
            if at % 128 == 0:
                return "wps" if kind == "doc" and ext == "wps" else kind
            at = data.find(name, at + 1)
    return {"doc": "doc", "wps": "wps", "xls": "xls", "et": "xls", "ppt": "ppt"}.get(ext)


def _zip_kind(data: bytes, ext: str) -> str | None:
    """An Office Open XML or OpenDocument file's application from its parts; "docx" for a Word document."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = b""
            if "mimetype" in names:
                with archive.open("mimetype") as part:
                    mimetype = part.read(100)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, KeyError, RuntimeError):
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
        return "odt"
    return None
