"""Errors raised by the extraction pipeline.

Contract: every failure the pipeline reports on bad input is an ``ExtractionError`` subclass with
``code`` (short ASCII slug), ``message_zh``, ``message_en`` and ``http_status``; ``str(e)`` gives
"中文 / English". Anything else escaping the pipeline is a bug.
"""

from __future__ import annotations


class ExtractionError(Exception):
    """Base class: bad input that the pipeline cannot turn into an extraction."""

    code = "extraction_error"
    http_status = 422
    default_zh = "无法处理该文件"
    default_en = "The file cannot be processed"

    def __init__(self, message_zh: str | None = None, message_en: str | None = None) -> None:
        self.message_zh = message_zh or self.default_zh
        self.message_en = message_en or self.default_en
        super().__init__(f"{self.message_zh} / {self.message_en}")

    def __str__(self) -> str:
        return f"{self.message_zh} / {self.message_en}"

    def as_dict(self) -> dict:
        return {"code": self.code, "message_zh": self.message_zh, "message_en": self.message_en}


class UnsupportedFormat(ExtractionError):
    """The file type is not one we read (.doc, images, spreadsheets …)."""

    code = "unsupported_format"
    http_status = 415
    default_zh = "不支持的文件格式，请上传 .txt、.docx、.pdf 或 .html 文件"
    default_en = "Unsupported file format; upload a .txt, .docx, .pdf or .html file"


class ScannedPDF(ExtractionError):
    """A PDF without a text layer: a scan. OCR is not supported."""

    code = "scanned_pdf"
    http_status = 422
    default_zh = "该 PDF 没有文字层（扫描件），暂不支持 OCR 识别；请上传可复制文字的 PDF、Word（.docx）或文本文件"
    default_en = (
        "This PDF has no text layer (scanned); OCR is not supported — upload a PDF whose text can be copied, "
        "a Word (.docx) or a text file"
    )


class EmptyDocument(ExtractionError):
    """The file is empty, unreadable, or holds no text."""

    code = "empty_document"
    http_status = 422
    default_zh = "文件为空或不含可识别的文字"
    default_en = "The file is empty or contains no readable text"


class FileTooLarge(ExtractionError):
    """The file exceeds the configured size limit."""

    code = "file_too_large"
    http_status = 413
    default_zh = "文件过大"
    default_en = "The file is too large"

    def __init__(self, size: int = 0, limit: int = 0) -> None:
        self.size = size
        self.limit = limit
        mb = limit / (1024 * 1024) if limit else 0
        super().__init__(
            f"文件过大（{size} 字节），上限为 {mb:g} MB",
            f"File too large ({size} bytes); the limit is {mb:g} MB",
        )


class BudgetExceeded(ExtractionError):
    """A file that expands past one of the extraction budgets (``budgets.Budgets``): refused, not read on.

    ``limit`` names the budget (``text_chars``, ``pdf_pages``, ``seconds`` …); size-like budgets answer
    413, the others (time, commitment count) 422.
    """

    code = "budget_exceeded"
    http_status = 413
    default_zh = "文件内容超出处理上限"
    default_en = "The file's content exceeds a processing limit"

    def __init__(self, limit: str, message_zh: str, message_en: str, *, http_status: int = 413) -> None:
        self.limit = limit
        self.http_status = http_status
        super().__init__(message_zh, message_en)

    def as_dict(self) -> dict:
        return {**super().as_dict(), "limit": self.limit}


class NulBytes(EmptyDocument):
    """A text file holding NUL bytes that is not UTF-16: a binary file or a damaged export (an EmptyDocument)."""

    code = "nul_bytes"
    http_status = 422
    default_zh = "文件含有空字符（NUL），不是纯文本，请另存为 UTF-8 文本或 .docx 后上传"
    default_en = "The file contains NUL bytes and is not plain text; save it as UTF-8 text or .docx and upload again"
