"""Reading: bytes + filename → decoded text (not yet cleaned).

Contract: ``read_bytes(data, filename, max_bytes=None, *, budgets=None, deadline=None) -> (text, fmt)``
where ``fmt`` is one of txt | docx | pdf | html. Raises ``FileTooLarge`` (over ``max_bytes``, else
``budgets.max_bytes``), ``UnsupportedFormat`` (.doc, images, spreadsheets, archives …), ``ScannedPDF``
(a PDF without a text layer), ``NulBytes`` (a text file with NUL bytes that is not UTF-16),
``BudgetExceeded`` (a file that expands past one of ``budgets``: checked while each format is read,
not after) and ``EmptyDocument`` (empty, unreadable or binary). The format is decided by the file's
magic bytes first and its extension second; a file whose bytes are another format than its extension names is
``UnsupportedFormat`` saying what it is (an image, an old Office file, an archive; text or HTML that the .docx or
.pdf reader refuses). Heavy libraries (python-docx, pdfminer, lxml) are
imported lazily.
"""

from __future__ import annotations

import contextvars
import io
import logging
import re
import zipfile
import zlib
from itertools import islice

from .budgets import DEFAULT_BUDGETS, Budgets, Deadline, check_text, too_big
from .errors import BudgetExceeded, EmptyDocument, FileTooLarge, NulBytes, ScannedPDF, UnsupportedFormat

DEFAULT_MAX_BYTES = DEFAULT_BUDGETS.max_bytes
log = logging.getLogger(__name__)

_UNSUPPORTED_EXT = {
    "doc",
    "wps",
    "xls",
    "xlsx",
    "ppt",
    "pptx",
    "rtf",
    "odt",
    "jpg",
    "jpeg",
    "png",
    "gif",
    "bmp",
    "tif",
    "tiff",
    "webp",
    "heic",
    "zip",
    "rar",
    "7z",
    "gz",
    "ofd",
    "mp3",
    "mp4",
    "exe",
}
_TEXT_EXT = {"txt", "text", "md", "csv", ""}
_HTML_EXT = {"html", "htm", "xhtml", "shtml"}
_MAGIC = (
    (b"%PDF", "pdf"),
    (b"\xd0\xcf\x11\xe0", "ole"),  # .doc / .xls / .wps
    (b"\x89PNG", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF8", "image"),
    (b"II*\x00", "image"),
    (b"MM\x00*", "image"),
    (b"BM", None),  # too weak alone; see _sniff
    (b"Rar!", "archive"),
    (b"7z\xbc\xaf", "archive"),
    (b"\x1f\x8b", "archive"),
)


# What a file's bytes are, when they are no format read here, for a refusal that says so.
_CONTENT = {
    "image": ("图片", "an image"),
    "ole": ("旧版 Office 文件（.doc、.xls 或 .wps）", "an old Office file (.doc, .xls or .wps)"),
    "archive": ("压缩包", "an archive"),
    "zip": ("压缩包或 Office 文件，不是 Word 文档", "an archive or an Office file, not a Word document"),
    "text": ("纯文本", "plain text"),
    "html": ("网页（HTML）", "a web page (HTML)"),
}
# What to upload instead, when the bytes are a format read here under another name.
_RENAME = {"text": "txt", "html": "html"}
_READ_EXT = _TEXT_EXT | _HTML_EXT | {"docx", "pdf"}


def _mismatch(kind: str, ext: str) -> UnsupportedFormat:
    zh, en = _CONTENT[kind]
    if kind in _RENAME:
        right = _RENAME[kind]
        return UnsupportedFormat(
            f"文件内容是{zh}，与扩展名 .{ext} 不符；请将扩展名改为 .{right} 后重新上传",
            f"The file is {en}, not what its .{ext} extension says; rename it to .{right} and upload it again",
        )
    if not ext:
        return UnsupportedFormat(
            f"文件内容是{zh}，请上传 .txt、.docx、.pdf 或 .html 文件",
            f"The file is {en}; upload a .txt, .docx, .pdf or .html file",
        )
    return UnsupportedFormat(
        f"文件内容是{zh}，与扩展名 .{ext} 不符；请上传 .txt、.docx、.pdf 或 .html 文件",
        f"The file is {en}, not what its .{ext} extension says; upload a .txt, .docx, .pdf or .html file",
    )


_DAMAGED = {
    "docx": ("Word 文件已损坏或无法读取", "The .docx file is damaged or unreadable"),
    "pdf": ("PDF 文件已损坏或无法读取", "The PDF is damaged or unreadable"),
}


def _damaged(fmt: str, cause: BaseException) -> EmptyDocument:
    """The refusal of a damaged .docx or PDF; the reader's exception goes to the log, not into the user's message."""
    log.info("unreadable %s: %s", fmt, cause.__class__.__name__)
    return EmptyDocument(*_DAMAGED[fmt])


def _is_word(data: bytes) -> bool:
    """A zip holding a Word document's body part (a .docx, whatever its name says)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return False


def _ext(filename: str) -> str:
    name = (filename or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _sniff(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if kind and data.startswith(magic):
            return kind
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in data[:4096].lower():
        return "html"
    return None


def read_bytes(
    data: bytes,
    filename: str,
    max_bytes: int | None = None,
    *,
    budgets: Budgets | None = None,
    deadline: Deadline | None = None,
) -> tuple[str, str]:
    """Decode one uploaded file within its budgets; see the module docstring for the contract."""
    budgets = budgets or DEFAULT_BUDGETS
    deadline = deadline or budgets.deadline()
    max_bytes = budgets.max_bytes if max_bytes is None else max_bytes
    if max_bytes and len(data) > max_bytes:
        raise FileTooLarge(len(data), max_bytes)
    text, fmt = _read(data, filename, budgets, deadline)
    check_text(text, budgets)
    return text, fmt


def _read(data: bytes, filename: str, budgets: Budgets, deadline: Deadline) -> tuple[str, str]:
    if not data or not data.strip():
        raise EmptyDocument()
    ext = _ext(filename)
    kind = _sniff(data)
    if kind in ("ole", "image", "archive") or (ext in _UNSUPPORTED_EXT and kind != "pdf"):
        if ext == "docx" and kind == "zip":
            pass
        elif kind in _CONTENT and ext not in _UNSUPPORTED_EXT:
            # The extension names a format read here, the bytes another (a photo or an old .doc renamed .txt):
            # “不支持的文件格式（.txt），请上传 .txt…” contradicted itself (session 18's walk-through).
            raise _mismatch(kind, ext)
        else:
            raise UnsupportedFormat(
                f"不支持的文件格式（.{ext or '?'}），请上传 .txt、.docx、.pdf 或 .html 文件",
                f"Unsupported file format (.{ext or '?'}); upload a .txt, .docx, .pdf or .html file",
            )
    # Magic bytes first: a Word file renamed .pdf is read as Word, as a PDF renamed .docx is read as a PDF (it was
    # refused as “PDF 文件已损坏或无法读取”, session 16's walk-through).
    if kind == "pdf" or (ext == "pdf" and kind != "zip"):
        return _as_named(read_pdf, data, kind, ext, budgets, deadline), "pdf"
    if kind == "zip" or ext == "docx":
        if ext not in ("docx", "") and kind == "zip":
            if not _is_word(data):
                raise _mismatch("zip", ext) if ext in _READ_EXT else UnsupportedFormat()
        return _as_named(read_docx, data, kind, ext, budgets, deadline), "docx"
    if ext in _HTML_EXT or kind == "html":
        return read_html(decode_text(data), budgets=budgets, deadline=deadline), "html"
    text = decode_text(data)
    return text, "txt"


def _as_named(reader, data: bytes, kind: str | None, ext: str, budgets: Budgets, deadline: Deadline) -> str:
    """`reader`'s text of a file that its extension (.pdf, .docx) decides. A file without that format's magic bytes
    that it cannot read, but that is text or HTML, is told so: a letter saved as text and renamed .docx was
    “Word 文件已损坏或无法读取” (session 18's walk-through). The reader goes first: a file it reads stays read."""
    try:
        return reader(data, budgets=budgets, deadline=deadline)
    except (EmptyDocument, ScannedPDF):
        if kind == "html":
            raise _mismatch("html", ext) from None
        if kind is None and _is_text(data):
            raise _mismatch("text", ext) from None
        raise


def _is_text(data: bytes) -> bool:
    """Bytes that decode as a text file (decode_text) into well-formed characters, nine in ten at least."""
    try:
        text = decode_text(data)
    except (EmptyDocument, NulBytes):
        return False
    return _well_formed_share(text[:20000]) >= 0.9


_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\ufffd]")
_GOOD_CHARS = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffefA-Za-z0-9]")


def decode_text(data: bytes) -> str:
    """Decode a text file: BOM (UTF-8/UTF-16), UTF-16 without BOM, UTF-8, then GB18030.

    NUL bytes occur in UTF-16 (every ASCII character carries one) and in binary files, never in
    UTF-8 or GB18030 text: a file with NULs that does not read as UTF-16 is refused (``NulBytes``)
    rather than decoded as GB18030 garbage.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
        if "\x00" in text:
            raise NulBytes()
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    elif b"\x00" in data:
        found = _utf16_without_bom(data)
        if found is None:
            raise NulBytes()
        text = found
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _best_decoding(data)
    _check_text(text)
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 (LE or BE) without a BOM when it decodes to mostly well-formed text and no NUL."""
    if len(data) % 2:
        return None
    sample = data[:65536]
    for enc in ("utf-16-le", "utf-16-be"):
        decoded = sample.decode(enc, errors="replace")
        if "\x00" in decoded:
            continue
        if _well_formed_share(decoded) >= 0.9:
            text = data.decode(enc, errors="replace")
            return None if "\x00" in text else text
    return None


_WELL_FORMED = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\x20-\x7e\n\r\t“”‘’—…·]")


def _well_formed_share(text: str) -> float:
    """The share of a decoding's characters that a text file holds (CJK, CJK punctuation, full-width, printable
    ASCII, line ends, curly quotes); 1.0 for an empty text."""
    return len(_WELL_FORMED.findall(text)) / len(text) if text else 1.0


def _best_decoding(data: bytes) -> str:
    """GB18030/GBK or UTF-16 without a BOM: the decoding with most well-formed characters."""
    candidates = ["gb18030"]
    if len(data) % 2 == 0:
        candidates += ["utf-16-le", "utf-16-be"]
    best, best_score = None, -1.0
    sample = data[:65536]
    for enc in candidates:
        try:
            decoded = sample.decode(enc, errors="replace")
        except (UnicodeDecodeError, LookupError):
            continue
        score = _well_formed_share(decoded)
        if score > best_score + 0.02:
            best, best_score = enc, score
    return data.decode(best or "gb18030", errors="replace")


def _check_text(text: str) -> None:
    sample = text[:20000]
    if not sample.strip():
        raise EmptyDocument()
    bad = len(_BAD_CHARS.findall(sample))
    if bad > max(8, len(sample) // 20) or not _GOOD_CHARS.search(sample):
        raise EmptyDocument("文件为空或不是文本文件", "The file is empty or is not a text file")


def read_docx(data: bytes, *, budgets: Budgets = DEFAULT_BUDGETS, deadline: Deadline | None = None) -> str:
    """Paragraphs and tables of a .docx in document order (table cells joined by tabs)."""
    deadline = deadline or budgets.deadline()
    _check_zip(data, budgets)
    try:
        import docx  # python-docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
        text = _docx_text(document, Paragraph, Table, budgets, deadline)
    except BudgetExceeded:
        raise
    except Exception as e:  # noqa: BLE001 — zipfile's and lxml's errors, python-docx's own PackageNotFoundError, and
        # a part that parses as other XML fails later with AttributeError/TypeError
        raise _damaged("docx", e) from None
    if not text.strip():
        raise EmptyDocument()
    return text


def _docx_text(document, Paragraph, Table, budgets: Budgets, deadline: Deadline) -> str:  # noqa: N803 — classes
    deadline.check()
    parts: list[str] = []
    size = 0
    cap = budgets.max_text_chars
    body = document.element.body
    for n, child in enumerate(body.iterchildren()):
        if n % 256 == 0:
            deadline.check()
        tag = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
        if tag == "p":
            parts.append(Paragraph(child, document).text)
        elif tag == "tbl":
            table = Table(child, document)
            for row in table.rows:
                cells: list[str] = []
                for cell in row.cells:
                    t = cell.text.strip()
                    if t and (not cells or cells[-1] != t):
                        cells.append(t)
                parts.append("\t".join(cells))
                deadline.check()
        else:
            continue
        size += len(parts[-1]) + 2
        if cap and size > cap:
            raise too_big("text_chars", "文件解码后的文字", "The decoded text", size, cap, "字", "characters")
    return "\n\n".join(p for p in parts if p.strip())


def _check_zip(data: bytes, budgets: Budgets) -> None:
    """Refuse a zip bomb from its directory, before anything is decompressed.

    zipfile never inflates an entry past the size its directory declares (it stops there and the
    CRC check fails), so the declared sizes are a bound on what python-docx will read.
    """
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as e:
        raise _damaged("docx", e) from None
    if budgets.max_docx_entries and len(infos) > budgets.max_docx_entries:
        raise too_big(
            "docx_entries",
            "Word 文件内的部件数",
            "The number of parts in the .docx",
            len(infos),
            budgets.max_docx_entries,
            "个",
            "parts",
        )
    total = sum(info.file_size for info in infos)
    if budgets.max_docx_uncompressed and total > budgets.max_docx_uncompressed:
        raise too_big(
            "docx_uncompressed",
            "Word 文件解压后的大小",
            "The .docx uncompressed",
            total,
            budgets.max_docx_uncompressed,
            "字节",
            "bytes",
        )
    for info in infos:
        name = info.filename.lower()
        if (
            budgets.max_docx_xml_bytes
            and name.endswith((".xml", ".rels"))
            and info.file_size > budgets.max_docx_xml_bytes
        ):
            raise too_big(
                "docx_xml_bytes",
                f"Word 文件的 {info.filename[:60]} 解压后",
                f"{info.filename[:60]} uncompressed",
                info.file_size,
                budgets.max_docx_xml_bytes,
                "字节",
                "bytes",
            )
        ratio = info.file_size / max(1, info.compress_size)
        if budgets.max_docx_ratio and info.file_size > 1024 * 1024 and ratio > budgets.max_docx_ratio:
            raise too_big(
                "docx_ratio",
                f"Word 文件的 {info.filename[:60]} 压缩比",
                f"The compression ratio of {info.filename[:60]}",
                ratio,
                budgets.max_docx_ratio,
                "倍",
                "x",
            )


# pdfminer inflates a /FlateDecode stream with one unbounded zlib.decompress(); a 20 MB file can hold
# a stream that inflates a thousandfold. Its module sees this bounded stand-in instead (installed
# once, process-wide); the bound of the extraction running in this thread/task is a ContextVar.
_PDF_STREAM_CAP: contextvars.ContextVar[int] = contextvars.ContextVar(
    "pdf_stream_cap", default=DEFAULT_BUDGETS.max_pdf_stream_bytes
)


class _BoundedZlib:
    """The ``zlib`` module as pdfminer's stream decoder sees it: ``decompress`` stops at the cap.

    A damaged or truncated stream is recovered here, in linear time, the way pdfminer's own
    ``decompress_corrupted`` would (everything inflated before the damage; nothing if the damage is
    before the last 3 bytes): that fallback inflates byte by byte into a growing ``bytes``, which is
    quadratic (24 s for a truncated 15 MB stream), so it is never reached.
    """

    error = zlib.error

    @staticmethod
    def decompress(data: bytes, *args, **kwargs) -> bytes:
        cap = _PDF_STREAM_CAP.get()
        inflater = zlib.decompressobj()
        try:
            out = inflater.decompress(data, cap + 1) if cap else inflater.decompress(data)
        except zlib.error:
            return _inflate_damaged(data, cap)
        _check_inflated(len(out), cap)
        return out  # a truncated stream (not eof) gives what it holds, as decompress_corrupted does

    def __getattr__(self, name: str):
        return getattr(zlib, name)


def _check_inflated(size: int, cap: int) -> None:
    if cap and size > cap:
        raise too_big(
            "pdf_stream_bytes",
            "PDF 内容流解压后的大小",
            "A PDF content stream uncompressed",
            size,
            cap,
            "字节",
            "bytes",
        )


def _inflate_damaged(data: bytes, cap: int, chunk: int = 4096) -> bytes:
    """What inflates before the first error, in linear time (``decompressobj.copy`` before each chunk)."""
    inflater = zlib.decompressobj()
    parts: list[bytes] = []
    size = 0
    for start in range(0, len(data), chunk):
        piece = data[start : start + chunk]
        saved = inflater.copy()
        try:
            out = inflater.decompress(piece)
        except zlib.error:
            inflater = saved
            for offset in range(len(piece)):
                try:
                    out = inflater.decompress(piece[offset : offset + 1])
                except zlib.error:
                    if start + offset < len(data) - 3:
                        return b""
                    return b"".join(parts)
                parts.append(out)
                size += len(out)
                _check_inflated(size, cap)
            return b"".join(parts)  # pragma: no cover — the chunk failed as a whole but no byte did
        parts.append(out)
        size += len(out)
        _check_inflated(size, cap)
    return b"".join(parts)


# pdfminer's layout analysis (lines → boxes → groups) searches a spatial index (``Plane.find``) in
# loops that are quadratic on hostile pages and offer no hook; the index it builds is this subclass,
# whose ``find`` calls the check of the extraction running in this thread/task (None elsewhere).
_LAYOUT_CHECK: contextvars.ContextVar = contextvars.ContextVar("pdf_layout_check", default=None)
_PDF_PATCHED = False


class _FlowTimeout(Exception):
    """Hierarchical grouping of one page ran past its share of searches."""


def _patch_pdfminer() -> None:
    """Install the bounded inflater and the checked spatial index in pdfminer (once per process)."""
    global _PDF_PATCHED
    from pdfminer import layout, pdftypes

    if not _PDF_PATCHED:

        class CheckedPlane(layout.Plane):
            def find(self, bbox):
                check = _LAYOUT_CHECK.get()
                if check is not None:
                    check()
                return super().find(bbox)

        pdftypes.zlib = _BoundedZlib()  # type: ignore[assignment]
        layout.Plane = CheckedPlane  # type: ignore[misc]
        _PDF_PATCHED = True


def read_pdf(data: bytes, *, budgets: Budgets = DEFAULT_BUDGETS, deadline: Deadline | None = None) -> str:
    """The text layer of a PDF; ``ScannedPDF`` when there is none."""
    deadline = deadline or budgets.deadline()
    token = _PDF_STREAM_CAP.set(budgets.max_pdf_stream_bytes)
    layout_token = _LAYOUT_CHECK.set(deadline.check)
    try:
        text = _pdf_text(data, budgets, deadline)
    except BudgetExceeded:
        raise
    except RecursionError:
        raise EmptyDocument(
            "PDF 文件结构嵌套过深，无法读取", "The PDF's structure is nested too deeply to read"
        ) from None
    except Exception as e:  # noqa: BLE001 — pdfminer raises many unrelated types on damaged files
        raise _damaged("pdf", e) from None
    finally:
        _PDF_STREAM_CAP.reset(token)
        _LAYOUT_CHECK.reset(layout_token)
    if len(_GOOD_CHARS.findall(text)) < 10:
        raise ScannedPDF()
    # pdfminer marks a paragraph with a blank line and a wrapped line with a single newline.
    return text


def _pdf_text(data: bytes, budgets: Budgets, deadline: Deadline) -> str:
    from pdfminer.converter import TextConverter
    from pdfminer.layout import LAParams, LTPage, LTTextGroupLRTB
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    _patch_pdfminer()
    max_pages = budgets.max_pdf_pages
    per_page = budgets.max_pdf_chars_per_page
    flow_cap = _FLOW_BOXES

    class BoundedPage(LTPage):
        """A page laid out like pdfminer's, but by position once it holds too many text boxes.

        pdfminer groups text boxes pairwise (quadratic: 2,000 scattered glyphs take 6 s, 3,000
        glyphs in 220 overlapping boxes 24 s); past ``_FLOW_BOXES`` boxes, or past
        ``_FLOW_SEARCHES`` spatial-index searches while grouping, the boxes go into one group
        ordered top to bottom instead.
        """

        def group_textboxes(self, laparams, boxes):
            deadline.check()
            if len(boxes) > flow_cap:
                return [LTTextGroupLRTB(boxes)]
            searches = 0

            def check() -> None:
                # A count, not a clock: the same file reads the same on a busy machine.
                nonlocal searches
                searches += 1
                if searches > _FLOW_SEARCHES:
                    raise _FlowTimeout
                deadline.check()

            token = _LAYOUT_CHECK.set(check)
            try:
                return super().group_textboxes(laparams, boxes)
            except _FlowTimeout:
                return [LTTextGroupLRTB(boxes)]
            finally:
                _LAYOUT_CHECK.reset(token)

    class BoundedText(TextConverter):
        """pdfminer's text device counting what each page draws, against the budgets and the deadline."""

        chars = 0
        ops = 0

        def begin_page(self, page, ctm):
            super().begin_page(page, ctm)
            self.cur_item = BoundedPage(self.cur_item.pageid, self.cur_item.bbox)
            self.chars = self.ops = 0
            deadline.check()

        def _over(self, count: int) -> None:
            raise too_big(
                "pdf_chars_per_page",
                f"PDF 第 {self.pageno} 页绘制的文字",
                f"The text drawn on PDF page {self.pageno}",
                count,
                per_page,
                "个字符",
                "characters",
            )

        def render_string(self, textstate, seq, ncs, graphicstate):
            self.ops += 1
            if per_page and self.ops > per_page:
                self._over(self.ops)
            if self.ops % 512 == 0:
                deadline.check()
            return super().render_string(textstate, seq, ncs, graphicstate)

        def render_char(self, *args, **kwargs):
            self.chars += 1
            if per_page and self.chars > per_page:
                self._over(self.chars)
            if self.chars % 1024 == 0:
                deadline.check()
            return super().render_char(*args, **kwargs)

        def paint_path(self, *args, **kwargs):
            self.ops += 1
            if self.ops % 512 == 0:
                deadline.check()

    output = io.StringIO()
    document = PDFDocument(PDFParser(io.BytesIO(data)))
    pages = list(islice(PDFPage.create_pages(document), max_pages + 1 if max_pages else None))
    if max_pages and len(pages) > max_pages:
        raise too_big("pdf_pages", "PDF 页数", "The PDF's page count", len(pages), max_pages, "页", "pages")
    manager = PDFResourceManager(caching=True)
    device = BoundedText(manager, output, laparams=LAParams(line_margin=0.6))
    interpreter = PDFPageInterpreter(manager, device)
    cap = budgets.max_text_chars
    for page in pages:
        deadline.check()
        interpreter.process_page(page)
        if cap and output.tell() > cap:
            raise too_big("text_chars", "文件解码后的文字", "The decoded text", output.tell(), cap, "字", "characters")
    return output.getvalue()


# Beyond this many text boxes on one page, they are ordered by position (see BoundedPage); a letter's
# page has 5–60.
_FLOW_BOXES = 300
# A letter's page needs a few hundred searches to group its boxes; 220 overlapping boxes need ~50,000.
_FLOW_SEARCHES = 5_000


_DROP_TAGS = (
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "noscript",
    "iframe",
    "button",
    "select",
    "svg",
    "template",
)
_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "section",
    "article",
    "ul",
    "ol",
    "blockquote",
    "pre",
    "hr",
    "dd",
    "dt",
    "td",
    "th",
    "main",
    "center",
}
_CONTENT_HINT = re.compile(r"article|content|main|zoom|TRS_Editor|detail|text|zw|body", re.IGNORECASE)
_NAV_HINT = re.compile(
    r"nav|menu|header|footer|breadcrumb|crumb|share|toolbar|sidebar|copyright|"
    r"position|location|wza|aged|topbar",
    re.IGNORECASE,
)


def read_html(html: str, *, budgets: Budgets = DEFAULT_BUDGETS, deadline: Deadline | None = None) -> str:
    """The article of an HTML page: <article>/<main>/the densest content block, without chrome."""
    deadline = deadline or budgets.deadline()
    if budgets.max_html_chars and len(html) > budgets.max_html_chars:
        raise too_big(
            "html_chars",
            "网页解码后的大小",
            "The HTML page decoded",
            len(html),
            budgets.max_html_chars,
            "字符",
            "characters",
        )
    try:
        import lxml.html

        root = lxml.html.document_fromstring(html)
    except Exception:  # noqa: BLE001 — lxml raises ParserError/ValueError on garbage
        raise EmptyDocument() from None
    _check_tree(root, budgets, deadline)
    for el in root.xpath("|".join(f"//{t}" for t in _DROP_TAGS)):
        el.drop_tree()
    deadline.check()
    for el in root.xpath("//*[@id or @class]"):
        attrs = f"{el.get('id', '')} {el.get('class', '')}"
        if _NAV_HINT.search(attrs) and not _CONTENT_HINT.search(attrs) and el.getparent() is not None:
            el.drop_tree()
    deadline.check()
    candidates = root.xpath("//article") or root.xpath("//main")
    if not candidates:
        scored = []
        lengths = None
        for el in root.xpath("//div|//td|//section"):
            attrs = f"{el.get('id', '')} {el.get('class', '')}"
            if _CONTENT_HINT.search(attrs):
                lengths = lengths if lengths is not None else _text_lengths(root)
                scored.append((lengths.get(el, 0), el))
        if scored:
            candidates = [max(scored, key=lambda x: x[0])[1]]
    deadline.check()
    node = candidates[0] if candidates else (root.find("body") if root.find("body") is not None else root)
    text = "".join(_walk(node))
    text = re.sub(r"[ \t\u3000\xa0]*\n[ \t\u3000\xa0\n]*", "\n\n", text)
    if not text.strip():
        raise EmptyDocument()
    return text.strip() + "\n"


def _check_tree(root, budgets: Budgets, deadline: Deadline) -> None:
    """Element count and nesting depth against the budgets (iteratively: no recursion on a deep page)."""
    count = 0
    stack = [(root, 1)]
    while stack:
        el, depth = stack.pop()
        count += 1
        if budgets.max_html_elements and count > budgets.max_html_elements:
            raise too_big(
                "html_elements",
                "网页的元素数",
                "The HTML page's element count",
                count,
                budgets.max_html_elements,
                "个",
                "elements",
            )
        if budgets.max_html_depth and depth > budgets.max_html_depth:
            raise too_big(
                "html_depth",
                "网页的嵌套层数",
                "The HTML page's nesting depth",
                depth,
                budgets.max_html_depth,
                "层",
                "levels",
            )
        if count % 4096 == 0:
            deadline.check()
        stack.extend((child, depth + 1) for child in el)


def _text_lengths(root) -> dict:
    """len(el.text_content()) of every element in one pass (calling text_content per element is quadratic)."""
    lengths: dict = {}
    for el in reversed(list(root.iter())):  # children before parents
        own = len(el.text or "") if isinstance(el.tag, str) else 0
        lengths[el] = own + sum(lengths[c] + len(c.tail or "") for c in el)
    return lengths


def _walk(root) -> list[str]:
    """Block-separated text of ``root`` in document order (iterative, so nesting depth costs no stack)."""
    parts: list[str] = []
    stack: list[tuple[int, object]] = [(0, root)]
    while stack:
        step, el = stack.pop()
        tag = el.tag if isinstance(el.tag, str) else ""  # type: ignore[attr-defined]
        if step == 0:  # enter
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if el.text and tag:  # type: ignore[attr-defined]
                parts.append(el.text.replace("\n", " ") if tag != "pre" else el.text)  # type: ignore[attr-defined]
            stack.append((1, el))
            for child in reversed(list(el)):  # type: ignore[call-overload]
                stack.append((2, child))
                stack.append((0, child))
        elif step == 1:  # leave
            if tag in _BLOCK_TAGS:
                parts.append("\n")
        elif el.tail:  # type: ignore[attr-defined]  # after a child: its tail
            parts.append(el.tail.replace("\n", " "))  # type: ignore[attr-defined]
    return parts
