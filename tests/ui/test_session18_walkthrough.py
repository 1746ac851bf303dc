"""Session 18's walk-through (docs/ui.md): a clerk uploading files whose extension says one format and whose bytes
another. Each test failed on the code before its fix."""

import io
import zipfile
from pathlib import Path

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commitments.models import Commitment
from responses.models import Document, Response
from tests import factories

pytestmark = pytest.mark.django_db

LETTER = Path(__file__).resolve().parents[2] / "corpus" / "dev" / "r05_yaoan_jiaotong.txt"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(200)


def _rows() -> tuple[int, int, int]:
    return Document.objects.count(), Response.objects.count(), Commitment.objects.count()


def _word_letter() -> bytes:
    document = docx.Document()
    for line in LETTER.read_text().splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_file_whose_bytes_are_not_what_its_name_says_is_told_so(client):
    """A photo renamed .txt read “不支持的文件格式（.txt），请上传 .txt、.docx、.pdf 或 .html 文件”: the page refused
    the very format it then asked for. It now says what the file is, in the page's language, and stores nothing."""
    client.force_login(factories.clerk_of(factories.AgencyFactory(), "clerk_upload_18"))
    url = reverse("commitments:reply_upload")
    before = _rows()
    response = client.post(url, {"file": SimpleUploadedFile("回复函.txt", PNG)})
    assert response.status_code == 415
    page = response.content.decode()
    assert "文件内容是图片，与扩展名 .txt 不符；请上传 .txt、.docx、.pdf 或 .html 文件" in page
    assert "不支持的文件格式（.txt）" not in page
    old_word = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    assert "文件内容是旧版 Office 文件（.doc、.xls 或 .wps），与扩展名 .docx 不符" in (
        client.post(url, {"file": SimpleUploadedFile("回复函.docx", old_word)}).content.decode()
    )
    client.cookies["django_language"] = "en"
    page = client.post(url, {"file": SimpleUploadedFile("reply.txt", PNG)}).content.decode()
    assert "The file is an image, not what its .txt extension says" in page and "文件内容" not in page
    assert _rows() == before


def test_a_word_letter_renamed_pdf_is_read_as_word(client):
    """A .docx renamed .pdf was refused as “PDF 文件已损坏或无法读取” while a PDF renamed .docx was read (the bytes
    decide, docs: reading.py's contract). It goes to its preview now; a zip that is no Word file is told so."""
    clerk = factories.clerk_of(factories.AgencyFactory(), "clerk_upload_18")
    client.force_login(clerk)
    url = reverse("commitments:reply_upload")
    response = client.post(url, {"file": SimpleUploadedFile("答复函.pdf", _word_letter())})
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get()
    assert response["Location"] == reverse("commitments:reply_preview", args=[document.pk])
    assert "姚安县" in document.text
    buffer = io.BytesIO()

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "hello")
    refused = client.post(url, {"file": SimpleUploadedFile("答复函.pdf", buffer.getvalue())})
    assert refused.status_code == 415
    assert "文件内容是压缩包或 Office 文件，不是 Word 文档，与扩展名 .pdf 不符" in refused.content.decode()
    assert Document.objects.count() == 1


def _scan() -> bytes:
    """A "scanned" letter: a picture as the PDF's only content, no text layer."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(buffer, "PDF", resolution=72)
    return buffer.getvalue()


def test_a_scan_and_a_damaged_file_say_what_to_do_without_jargon(client):
    """A scanned PDF said OCR is not supported but not what to upload instead; a truncated .docx read “The .docx
    file is damaged or unreadable (BadZipFile)” on the English page — a Python exception's name in a clerk's
    message. Nothing is stored."""
    client.force_login(factories.clerk_of(factories.AgencyFactory(), "clerk_upload_18"))
    url = reverse("commitments:reply_upload")
    before = _rows()
    scan = client.post(url, {"file": SimpleUploadedFile("扫描件.pdf", _scan())})
    assert scan.status_code == 422
    assert "暂不支持 OCR 识别；请上传可复制文字的 PDF、Word（.docx）或文本文件" in scan.content.decode()
    word = _word_letter()
    client.cookies["django_language"] = "en"
    damaged = client.post(url, {"file": SimpleUploadedFile("reply.docx", word[: len(word) // 2])}).content.decode()
    assert "The .docx file is damaged or unreadable<" in damaged and "BadZipFile" not in damaged
    scan = client.post(url, {"file": SimpleUploadedFile("scan.pdf", _scan())}).content.decode()
    assert "upload a PDF whose text can be copied, a Word (.docx) or a text file" in scan
    assert _rows() == before
