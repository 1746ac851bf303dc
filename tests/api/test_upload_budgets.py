"""Upload paths of the API under hostile input: budgets answer 413/422 in JSON, nothing is stored,
no file is left by a rejected upload, one size limit for letters and evidence, duplicates by text."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from benchmarks import hostile_files as hostile
from commitments.models import ProgressUpdate
from responses.models import Document, Response
from tests import factories
from tests.api.conftest import assert_error, client_for
from tests.api.test_writes_feeds_extract import LETTER, upload

pytest.importorskip("responses.extraction")
pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


def _files(media: Path) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


def _file(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("name", "make", "status", "limit"),
    [
        ("bomb.docx", hostile.docx_paragraph_bomb, 413, "docx_xml_bytes"),
        ("spot.pdf", hostile.pdf_glyphs_at_one_spot, 413, "pdf_chars_per_page"),
        ("deep.html", lambda: hostile.html_deeply_nested(5000), 413, "html_depth"),
        ("lines.txt", lambda: hostile.txt_commitment_lines(2500), 422, "commitments"),
    ],
)
def test_extract_endpoint_refuses_expanding_files(clerk_api, name, make, status, limit):
    response = clerk_api.post("/api/v1/extract", {"file": _file(name, make())}, format="multipart")
    error = assert_error(response, status, "budget_exceeded")
    assert error["limit"] == limit
    assert " / " in error["message"] and error["message"].index(" / ") > 5  # 中文 first
    assert len(response.content) < 2000


def test_reply_upload_of_a_bomb_stores_nothing(db, media, django_capture_on_commit_callbacks):
    agency = factories.AgencyFactory(name="测试市第一局")
    client = client_for(factories.clerk_of(agency))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/responses/", {"file": _file("bomb.docx", hostile.docx_paragraph_bomb())}, format="multipart"
        )
    assert_error(response, 413, "budget_exceeded")
    assert not Document.objects.exists() and not Response.objects.exists()
    assert _files(media) == []


def test_rejected_uploads_leave_no_file_and_an_accepted_one_writes_it(db, media, django_capture_on_commit_callbacks):
    agency = factories.AgencyFactory(name="测试市第一局")
    # The letter's body is supervised: a clerk may not create one no supervisor would see (issue 11).
    factories.supervisor_of(factories.BodyFactory(name="测试市人大", jurisdiction="测试市"))
    other = client_for(factories.clerk_of(factories.AgencyFactory(name="别的局"), "other_clerk_files"))
    with django_capture_on_commit_callbacks(execute=True):
        assert_error(other.post("/api/v1/responses/", {"file": upload()}, format="multipart"), 403)
    assert not Document.objects.exists() and _files(media) == []
    client = client_for(factories.clerk_of(agency))
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post("/api/v1/responses/", {"file": upload()}, format="multipart")
    assert created.status_code == 201, created.content
    document = Document.objects.get()
    assert _files(media) == [document.original.name]
    assert (media / document.original.name).read_bytes() == LETTER.encode()
    # The same letter in GB18030 is the same document: 409, and still one file.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post("/api/v1/responses/", {"file": _gb18030()}, format="multipart")
    assert_error(again, 409, "duplicate")
    assert Document.objects.count() == 1 and Response.objects.count() == 1 and len(_files(media)) == 1


def _gb18030() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "letter-gbk.txt", LETTER.replace("\n", "\r\n").encode("gb18030"), content_type="text/plain"
    )


def test_stored_extraction_is_written_with_the_document(db, media):
    from responses.extraction.storage import extraction_from_json, pipeline_version

    agency = factories.AgencyFactory(name="测试市第一局")
    factories.supervisor_of(factories.BodyFactory(name="测试市人大", jurisdiction="测试市"))  # issue 11
    client = client_for(factories.clerk_of(agency))
    assert client.post("/api/v1/responses/", {"file": upload()}, format="multipart").status_code == 201
    document = Document.objects.get()
    assert document.extraction_version == pipeline_version() and document.text_hash
    stored = extraction_from_json(document.extraction_detail, document.text)
    assert {c.deadline.isoformat() for c in stored.commitments} == {"2025-12-31", "2026-06-30"}


def test_nul_bytes_are_a_422(clerk_api):
    data = LETTER.encode() + b"\x00\x00"
    error = assert_error(clerk_api.post("/api/v1/extract", {"file": _file("a.txt", data)}, format="multipart"), 422)
    assert error["code"] == "nul_bytes" and error["message"].startswith("文件含有空字符（NUL）")


def test_evidence_over_the_upload_limit_is_refused_like_in_the_ui(clerk_api, commitment, settings, media):
    settings.UPLOAD_MAX_BYTES = 1000
    big = SimpleUploadedFile("scan.pdf", b"%PDF" + b"0" * 2000, content_type="application/pdf")
    error = assert_error(
        clerk_api.post(
            f"/api/v1/commitments/{commitment.pk}/progress/", {"note": "佐证", "evidence_file": big}, format="multipart"
        ),
        413,
        "file_too_large",
    )
    assert "MB" in error["message"]
    assert not ProgressUpdate.objects.exists() and _files(media) == []
    big.seek(0)
    assert_error(
        clerk_api.post(
            f"/api/v1/commitments/{commitment.pk}/transition/",
            {"status": "fulfilled", "evidence_file": big},
            format="multipart",
        ),
        413,
        "file_too_large",
    )


def test_evidence_is_written_on_commit(clerk_api, commitment, media, django_capture_on_commit_callbacks):
    small = SimpleUploadedFile("photo.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = clerk_api.post(
            f"/api/v1/commitments/{commitment.pk}/progress/",
            {"note": "佐证", "evidence_file": small},
            format="multipart",
        )
    assert response.status_code == 201, response.content
    update = ProgressUpdate.objects.get()
    assert update.evidence_file.name.endswith("photo.pdf")
    assert not os.path.exists(media / update.evidence_file.name)  # not before the commit
    for callback in callbacks:
        callback()
    assert (media / update.evidence_file.name).read_bytes() == b"%PDF-1.4 evidence"


def test_a_reply_with_a_weekly_schedule_is_logged_with_it_in_words(db, media, django_capture_on_commit_callbacks):
    from commitments.models import Commitment

    agency = factories.AgencyFactory(name="测试市第一局")
    factories.supervisor_of(factories.BodyFactory(name="测试市人大", jurisdiction="测试市"))  # issue 11
    client = client_for(factories.clerk_of(agency))
    letter = LETTER.replace("我局将于2025年底前", "我局将每周开展一次养老机构安全巡查，于2025年底前")
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post("/api/v1/responses/", {"file": upload(letter)}, format="multipart")
    assert created.status_code == 201, created.content  # was a 500: "weekly" broke the recurrence constraint
    weekly = Commitment.objects.get(text__contains="每周")
    assert weekly.recurrence == "" and weekly.deadline_text == "每周"
