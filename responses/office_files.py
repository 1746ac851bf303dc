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

Three more cases at this door (session 20's hostile-input sweep), kept out of the pipeline's own modules:

- a UTF-8 text file with some broken byte sequences (a file cut in the middle of a character, a GBK paragraph pasted
  into it) is read as UTF-8, line by line (a line that is mostly not UTF-8 as GB18030): the pipeline decodes anything that is not
  valid UTF-8 as GB18030, and one byte too few at the end turned a whole letter into mojibake (鏄嗘槑甯傚彂…), saved as
  a letter; a Big5 file, read as GB18030 too (“\ue809\ue80bカ?甶㎝э”, no commitment), is read as Big5;
- a PDF with an open password is refused saying so (it was “PDF 文件已损坏或无法读取”);
- a PDF whose text comes out as glyph numbers, “(cid:2448)(cid:2812)…” (a font without a character map; pdfminer
  gives this for a CID font in an encrypted PDF), is refused like a scan, not saved as that text.
"""

from __future__ import annotations

import codecs
import io
import re
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
    "encrypted_pdf": (
        ("设置了打开密码的 PDF 文件", "a password-protected PDF"),
        (
            "请在 PDF 阅读器中输入密码后“打印为 PDF”另存一份不加密的文件，或上传 Word（.docx）或文本文件",
            "open it with its password, print it to a new PDF without one and upload that, or upload a Word (.docx) "
            "or text file",
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
    from responses.extraction import EmptyDocument, UnsupportedFormat, extract_bytes

    data = utf8_repaired(data, filename)
    try:
        extraction = extract_bytes(data, filename, budgets=budgets)
    except UnsupportedFormat as refused:
        kind = office_kind(data, filename)
        if kind in _KINDS:
            raise office_refusal(kind) from None
        if kind is not None:  # "docx", "html" or "txt": the letter under an Office file's name
            return extract_bytes(data, f"{filename.rsplit('.', 1)[0]}.{kind}", budgets=budgets)
        raise refused
    except EmptyDocument:
        if _is_encrypted_pdf(data):
            raise office_refusal("encrypted_pdf") from None
        raise
    if extraction.source_format == "pdf" and _glyph_numbers_share(extraction.text) > 0.5:
        raise _glyph_numbers_refusal()
    return extraction


# A glyph pdfminer could not map to a character: "(cid:2448)".
_CID = re.compile(r"\(cid:\d+\)")
# A file (or a line) with broken UTF-8 sequences is UTF-8 when it holds at least as many well-formed Chinese UTF-8
# characters as broken sequences: GBK or Big5 text read as UTF-8 breaks at nearly every character (some of its pairs
# happen to form UTF-8: 一系统 is D2BB CFB5 CDB3, read “һϵͳ”), a UTF-8 letter cut short breaks once.
_UTF8_GOOD_PER_BAD = 1


_CHINESE = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")


def _utf8_counts(data: bytes) -> tuple[str, int, int]:
    """`data` decoded as UTF-8 with U+FFFD for each broken sequence; the number of Chinese characters and punctuation
    in it (what GBK bytes read as UTF-8 by chance never are: their two-byte accidents are Latin, Greek, Cyrillic
    letters); the number of broken sequences."""
    replaced = data.decode("utf-8", errors="replace")
    return replaced, _CHINESE.subn("", replaced)[1], replaced.count("\ufffd") - data.count(b"\xef\xbf\xbd")


def utf8_repaired(data: bytes, filename: str) -> bytes:
    """`data`, or, for a text file that is UTF-8 but for some broken sequences, the text as UTF-8 bytes: each line
    read as UTF-8 (a broken sequence as U+FFFD: a character cut short) or, when the line is mostly not UTF-8, as
    GB18030 (a pasted GBK paragraph); a Big5 file read as Big5 (module docstring). Files with a BOM or NUL bytes, and
    PDF, Word and other binary files, are left alone; so is anything else (GBK, UTF-16 without a BOM …)."""
    from responses.extraction.reading import _sniff  # the pipeline's own test of a file's kind

    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        return data
    if _sniff(data) not in (None, "html"):
        return data
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError:
        pass
    _, good, bad = _utf8_counts(data)
    if good < _UTF8_GOOD_PER_BAD * bad:
        big5 = _big5_text(data)
        return data if big5 is None else big5.encode("utf-8")
    lines = []
    for line in data.split(b"\n"):
        text, good, bad = _utf8_counts(line)
        if bad and good + 1 < _UTF8_GOOD_PER_BAD * bad:  # + 1: a line whose one character was cut short is UTF-8
            try:
                text = line.decode("gb18030")  # a GBK line
            except UnicodeDecodeError:
                text = line.decode("utf-8", errors=_GB18030_FALLBACK)
        elif bad:
            text = line.decode("utf-8", errors=_GB18030_FALLBACK)
        lines.append(text)
    return "\n".join(lines).encode("utf-8")


def _gb18030_fallback(error: UnicodeError) -> tuple[str, int]:
    """A codecs error handler for a line that is mostly UTF-8: a character cut short (a lead byte and its continuation
    bytes, then another byte or the end) is U+FFFD; another broken byte starts one GB18030 character when it does (a
    few GBK words pasted into the line), else it is U+FFFD."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    if error.reason == "unexpected end of data" or error.end - error.start > 1:
        return "\ufffd", error.end
    raw = bytes(error.object[error.start : error.start + 4])
    for size in (2, 4):
        try:
            char = raw[:size].decode("gb18030")
        except UnicodeDecodeError:
            continue
        if len(char) == 1 and ord(char) > 0x7F:
            return char, error.start + size
    return "\ufffd", error.start + 1


_GB18030_FALLBACK = "luoshi.utf8_gb18030_fallback"
codecs.register_error(_GB18030_FALLBACK, _gb18030_fallback)


def _big5_text(data: bytes) -> str | None:
    """A Big5 (cp950) file's text, else None. Read as GB18030, as the pipeline reads text that is not UTF-8, half the
    characters of a Big5 letter fall in GBK's user-defined area (the Private Use Area: “\ue809\ue80bカ?甶㎝э”), while a GBK
    letter has none there; a Big5 decoding must also read better than UTF-16 without a BOM would."""
    from responses.extraction.reading import _well_formed_share

    try:
        text = data.decode("cp950")
    except UnicodeDecodeError:
        return None
    sample = data[:65536]
    as_gb = [ch for ch in sample.decode("gb18030", errors="replace") if ord(ch) > 0x7F]
    private = sum(1 for ch in as_gb if "\ue000" <= ch <= "\uf8ff")
    if not as_gb or private < 0.05 * len(as_gb):
        return None
    score = _well_formed_share(text[:20000])
    rivals = ("utf-16-le", "utf-16-be") if len(data) % 2 == 0 else ()
    if score < 0.9 or any(_well_formed_share(sample.decode(enc, errors="replace")) >= score for enc in rivals):
        return None
    return text


def _is_encrypted_pdf(data: bytes) -> bool:
    """A PDF whose trailer names an /Encrypt dictionary (what pdfminer could not open was a password-protected file)."""
    from responses.extraction.reading import _sniff

    return (
        _sniff(data) == "pdf" and re.search(rb"/Encrypt\s*(\d+\s+\d+\s+R|<<)", data[-65536:] + data[:4096]) is not None
    )


def _glyph_numbers_share(text: str) -> float:
    """The share of the text's non-space characters that are pdfminer's "(cid:N)" for an unmapped glyph."""
    compact = len(text) - sum(1 for ch in text if ch.isspace())
    return sum(len(m) for m in _CID.findall(text)) / compact if compact else 0.0


def _glyph_numbers_refusal():
    from responses.extraction import ScannedPDF

    return ScannedPDF(
        "该 PDF 的文字无法提取（字体未附带字符编码，读出的只是字形编号）；请在 PDF 阅读器中“打印为 PDF”另存后上传，"
        "或上传 Word（.docx）或文本文件",
        "The text of this PDF cannot be extracted (its fonts carry no character map: only glyph numbers come out); "
        "print it to a new PDF and upload that, or upload a Word (.docx) or text file",
    )


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
