"""Reading: bytes + filename → decoded text (not yet cleaned).

Contract: ``read_bytes(data, filename, max_bytes) -> (text, fmt)`` where ``fmt`` is one of
txt | docx | pdf | html. Raises ``FileTooLarge`` (over ``max_bytes``), ``UnsupportedFormat``
(.doc, images, spreadsheets, archives …), ``ScannedPDF`` (a PDF without a text layer) and
``EmptyDocument`` (empty, unreadable or binary). The format is decided by the file's magic bytes
first and its extension second. Heavy libraries (python-docx, pdfminer, lxml) are imported lazily.
"""

from __future__ import annotations

import io
import re
import zipfile

from .errors import EmptyDocument, FileTooLarge, ScannedPDF, UnsupportedFormat

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

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


def read_bytes(data: bytes, filename: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str]:
    """Decode one uploaded file; see the module docstring for the contract."""
    if max_bytes and len(data) > max_bytes:
        raise FileTooLarge(len(data), max_bytes)
    if not data or not data.strip():
        raise EmptyDocument()
    ext = _ext(filename)
    kind = _sniff(data)
    if kind in ("ole", "image", "archive") or (ext in _UNSUPPORTED_EXT and kind != "pdf"):
        if ext == "docx" and kind == "zip":
            pass
        else:
            raise UnsupportedFormat(
                f"不支持的文件格式（.{ext or '?'}），请上传 .txt、.docx、.pdf 或 .html 文件",
                f"Unsupported file format (.{ext or '?'}); upload a .txt, .docx, .pdf or .html file",
            )
    if kind == "pdf" or ext == "pdf":
        return read_pdf(data), "pdf"
    if kind == "zip" or ext == "docx":
        if ext not in ("docx", "") and kind == "zip":
            raise UnsupportedFormat()
        return read_docx(data), "docx"
    if ext in _HTML_EXT or kind == "html":
        return read_html(decode_text(data)), "html"
    text = decode_text(data)
    return text, "txt"


_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\ufffd]")
_GOOD_CHARS = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffefA-Za-z0-9]")


def decode_text(data: bytes) -> str:
    """Decode a text file: BOM (UTF-8/UTF-16), UTF-8, UTF-16 without BOM, then GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
            if "\x00" in text[:4096]:
                text = _best_decoding(data)  # UTF-16 of mostly ASCII is valid UTF-8
        except UnicodeDecodeError:
            text = _best_decoding(data)
    _check_text(text)
    return text


_WELL_FORMED = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\x20-\x7e\n\r\t“”‘’—…·]")


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
        score = len(_WELL_FORMED.findall(decoded)) / max(1, len(decoded))
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


def read_docx(data: bytes) -> str:
    """Paragraphs and tables of a .docx in document order (table cells joined by tabs)."""
    try:
        import docx  # python-docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise EmptyDocument(
            "Word 文件已损坏或无法读取", f"The .docx file is damaged or unreadable ({e.__class__.__name__})"
        ) from None
    except Exception as e:  # noqa: BLE001 — python-docx raises its own PackageNotFoundError and friends
        raise EmptyDocument(
            "Word 文件已损坏或无法读取", f"The .docx file is damaged or unreadable ({e.__class__.__name__})"
        ) from None
    parts: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
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
    text = "\n\n".join(p for p in parts if p.strip())
    if not text.strip():
        raise EmptyDocument()
    return text


def read_pdf(data: bytes) -> str:
    """The text layer of a PDF; ``ScannedPDF`` when there is none."""
    try:
        from pdfminer.high_level import extract_text
        from pdfminer.layout import LAParams

        text = extract_text(io.BytesIO(data), laparams=LAParams(line_margin=0.6))
    except Exception as e:  # noqa: BLE001 — pdfminer raises many unrelated types on damaged files
        raise EmptyDocument(
            "PDF 文件已损坏或无法读取", f"The PDF is damaged or unreadable ({e.__class__.__name__})"
        ) from None
    if len(_GOOD_CHARS.findall(text)) < 10:
        raise ScannedPDF()
    # pdfminer marks a paragraph with a blank line and a wrapped line with a single newline.
    return text


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


def read_html(html: str) -> str:
    """The article of an HTML page: <article>/<main>/the densest content block, without chrome."""
    try:
        import lxml.html

        root = lxml.html.document_fromstring(html)
    except Exception:  # noqa: BLE001 — lxml raises ParserError/ValueError on garbage
        raise EmptyDocument() from None
    for el in root.xpath("|".join(f"//{t}" for t in _DROP_TAGS)):
        el.drop_tree()
    for el in root.xpath("//*[@id or @class]"):
        attrs = f"{el.get('id', '')} {el.get('class', '')}"
        if _NAV_HINT.search(attrs) and not _CONTENT_HINT.search(attrs) and el.getparent() is not None:
            el.drop_tree()
    candidates = root.xpath("//article") or root.xpath("//main")
    if not candidates:
        scored = []
        for el in root.xpath("//div|//td|//section"):
            attrs = f"{el.get('id', '')} {el.get('class', '')}"
            if _CONTENT_HINT.search(attrs):
                scored.append((len(el.text_content()), el))
        if scored:
            candidates = [max(scored, key=lambda x: x[0])[1]]
    node = candidates[0] if candidates else (root.find("body") if root.find("body") is not None else root)
    parts: list[str] = []
    _walk(node, parts)
    text = "".join(parts)
    text = re.sub(r"[ \t\u3000\xa0]*\n[ \t\u3000\xa0\n]*", "\n\n", text)
    if not text.strip():
        raise EmptyDocument()
    return text.strip() + "\n"


def _walk(el, parts: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _BLOCK_TAGS:
        parts.append("\n")
    if el.text and tag:
        parts.append(el.text.replace("\n", " ") if tag != "pre" else el.text)
    for child in el:
        _walk(child, parts)
        if child.tail:
            parts.append(child.tail.replace("\n", " "))
    if tag in _BLOCK_TAGS:
        parts.append("\n")
