"""Session 20's hostile-input sweep (docs/architecture.md "Session 20 (s20hostile)"): files that were saved as the
wrong text or refused with the wrong message, now read or refused at the upload door (responses/office_files.py).

- A UTF-8 letter with a broken byte sequence (cut in the middle of its last character; a GBK paragraph pasted in) was
  decoded whole as GB18030 by the pipeline: mojibake (鏄嗘槑甯傚彂…) saved as the letter, no commitment found.
- A Big5 page was decoded as GB18030 too (“\\ue809\\ue80bカ?甶㎝э…”).
- A PDF with an open password was “PDF 文件已损坏或无法读取”.
- A PDF whose font has no character map was saved as “(cid:1000)(cid:1037)…”.

Each test failed on the code before the fix."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from benchmarks.sweep_robust import cut_mid_character, encrypted_pdf, glyph_number_pdf
from commitments.models import Commitment
from responses.extraction import extract_bytes
from responses.models import Document, Response
from tests import factories
from tests.api.conftest import assert_error, client_for

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
LETTER = ROOT / "corpus" / "dev" / "r05_yaoan_jiaotong.txt"
TRADITIONAL = ROOT / "corpus" / "evidence" / "e05_fulong_xijiang_2024.txt"  # a mirror site's page, Big5-encodable


def _rows() -> tuple[int, int, int]:
    return Document.objects.count(), Response.objects.count(), Commitment.objects.count()


def _uploaded_text(client, name: str, data: bytes) -> str:
    response = client.post(reverse("commitments:reply_upload"), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Document.objects.order_by("-pk").first().text


@pytest.fixture
def clerk_client(client):
    client.force_login(factories.clerk_of(factories.AgencyFactory(), "clerk_upload_20"))
    return client


def test_a_utf8_letter_with_broken_bytes_is_read_as_utf8_not_mojibake(clerk_client):
    text = LETTER.read_text()
    read = extract_bytes(text.encode(), "letter.txt").text
    # Cut in the middle of its last character (a download or copy that stopped one byte short).
    cut = _uploaded_text(clerk_client, "cut.txt", cut_mid_character(text.encode()))
    assert "姚安县" in cut and "鏄" not in cut and cut.rstrip("\ufffd\n") in read
    # A paragraph saved in GBK pasted into the UTF-8 letter (its own text: the same letter twice is one document).
    head, tail = text[:600], text[600:]
    pasted = head.encode() + "（此段由另一系统以 GBK 保存）\n".encode("gbk") + tail.encode()
    mixed = _uploaded_text(clerk_client, "pasted.txt", pasted)
    assert mixed == extract_bytes((head + "（此段由另一系统以 GBK 保存）\n" + tail).encode(), "x.txt").text


def test_a_big5_page_is_read_as_big5(clerk_client):
    text = TRADITIONAL.read_text()
    assert _uploaded_text(clerk_client, "page.txt", text.encode("big5")) == extract_bytes(text.encode(), "x.txt").text


def test_gbk_and_utf16_without_a_bom_are_read_as_before():
    from responses.office_files import utf8_repaired

    text = LETTER.read_text()
    for data in (text.encode("gbk"), text.encode("gb18030"), text.encode("utf-16-le"), text.encode("utf-16-be")):
        assert utf8_repaired(data, "letter.txt") is data


ENCRYPTED = ("这是设置了打开密码的 PDF 文件", "This is a password-protected PDF")
GLYPHS = ("该 PDF 的文字无法提取（字体未附带字符编码", "The text of this PDF cannot be extracted")


@pytest.mark.parametrize(
    "build, status, code, words",
    [(encrypted_pdf, 415, "unsupported_format", ENCRYPTED), (glyph_number_pdf, 422, "scanned_pdf", GLYPHS)],
)
def test_a_locked_or_unmapped_pdf_is_refused_saying_so(clerk_client, build, status, code, words):
    before = _rows()
    data = build()
    page = clerk_client.post(reverse("commitments:reply_upload"), {"file": SimpleUploadedFile("答复函.pdf", data)})
    assert page.status_code == status and words[0] in page.content.decode()
    api = client_for(factories.clerk_of(factories.AgencyFactory(), "clerk_api_20"))
    for path in ("/api/v1/responses/", "/api/v1/extract", "/api/v1/evidence-links/ingest/"):
        upload = SimpleUploadedFile("答复函.pdf", data, content_type="application/pdf")
        error = assert_error(api.post(path, {"file": upload}, format="multipart"), status, code)
        assert words[0] in error["message"] and words[1] in error["message"], path
    assert _rows() == before
