"""Session 18 (later), docs/ui.md: a text letter renamed .docx (or .pdf) is told what it is, on the upload page and
through the API, instead of “Word 文件已损坏或无法读取”. The test failed on the code before its fix."""

import io
from pathlib import Path

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commitments.models import Commitment
from responses.models import Document, Response
from tests import factories
from tests.api.conftest import assert_error, client_for

pytestmark = pytest.mark.django_db

LETTER = Path(__file__).resolve().parents[2] / "corpus" / "dev" / "r05_yaoan_jiaotong.txt"
TOLD = "文件内容是纯文本，与扩展名 .docx 不符；请将扩展名改为 .txt 后重新上传"


def _rows() -> tuple[int, int, int]:
    return Document.objects.count(), Response.objects.count(), Commitment.objects.count()


def _truncated_word() -> bytes:
    document = docx.Document()
    document.add_paragraph(LETTER.read_text())
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    return data[: len(data) // 2]


def test_a_text_letter_renamed_docx_or_pdf_is_told_what_it_is(client):
    clerk = factories.clerk_of(factories.AgencyFactory(), "clerk_upload_18b")
    client.force_login(clerk)
    url = reverse("commitments:reply_upload")
    before = _rows()
    utf8, gbk = LETTER.read_bytes(), LETTER.read_text().encode("gbk")
    response = client.post(url, {"file": SimpleUploadedFile("答复函.docx", utf8)})
    assert response.status_code == 415
    page = response.content.decode()
    assert TOLD in page and "Word 文件已损坏" not in page
    as_pdf = client.post(url, {"file": SimpleUploadedFile("答复函.pdf", gbk)})
    assert as_pdf.status_code == 415
    assert "文件内容是纯文本，与扩展名 .pdf 不符" in as_pdf.content.decode()
    html = client.post(url, {"file": SimpleUploadedFile("答复函.pdf", b"<html><body>" + utf8 + b"</body></html>")})
    assert "文件内容是网页（HTML），与扩展名 .pdf 不符；请将扩展名改为 .html 后重新上传" in html.content.decode()
    client.cookies["django_language"] = "en"
    page = client.post(url, {"file": SimpleUploadedFile("reply.docx", utf8)}).content.decode()
    assert "The file is plain text, not what its .docx extension says; rename it to .txt" in page
    assert "文件内容" not in page
    # A damaged Word file, or bytes that are no text, are still what they were.
    client.cookies["django_language"] = "zh-hans"
    damaged = client.post(url, {"file": SimpleUploadedFile("答复函.docx", _truncated_word())}).content.decode()
    assert "Word 文件已损坏或无法读取" in damaged and "纯文本" not in damaged
    noise = client.post(url, {"file": SimpleUploadedFile("答复函.docx", bytes(range(1, 256)) * 8)}).content.decode()
    assert "Word 文件已损坏或无法读取" in noise
    assert _rows() == before
    # Through the API: the reply upload and the extraction alike, the same 415 in both languages.
    api = client_for(clerk)
    for path in ("/api/v1/responses/", "/api/v1/extract"):
        upload = SimpleUploadedFile("答复函.docx", utf8, content_type="application/octet-stream")
        error = assert_error(api.post(path, {"file": upload}, format="multipart"), 415, "unsupported_format")
        assert TOLD in error["message"] and "The file is plain text" in error["message"], path
    assert _rows() == before
