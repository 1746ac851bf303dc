"""The UI upload and preview under hostile input, the stored extraction, and the commands on bad files."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from benchmarks import hostile_files as hostile
from responses.models import Document
from tests import factories

pytest.importorskip("responses.extraction")
pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "documents" / "000_e488b48de0fcacd5.txt"
AGENCY = "昆明市发展和改革委员会"


@pytest.fixture
def ndrc_clerk(db):
    agency = factories.AgencyFactory(name=AGENCY, jurisdiction="昆明市", aliases=["市发展改革委"])
    return factories.clerk_of(agency, "ndrc_clerk")


def _upload(client, data: bytes, name: str):
    return client.post(reverse("commitments:reply_upload"), {"file": SimpleUploadedFile(name, data)})


@pytest.mark.parametrize(
    ("name", "make", "status"),
    [
        ("bomb.docx", hostile.docx_paragraph_bomb, 413),
        ("spot.pdf", hostile.pdf_glyphs_at_one_spot, 413),
        ("lines.txt", lambda: hostile.txt_commitment_lines(2500), 422),
    ],
)
def test_ui_upload_of_an_expanding_file_says_which_limit(client, ndrc_clerk, name, make, status):
    client.force_login(ndrc_clerk)
    response = _upload(client, make(), name)
    assert response.status_code == status
    body = response.content.decode()
    assert 'id="upload-error"' in body and "请拆分" in body
    assert len(body) < 100_000 and not Document.objects.exists()


def test_preview_reads_the_stored_extraction(client, ndrc_clerk, monkeypatch):
    client.force_login(ndrc_clerk)
    first = _upload(client, SEED.read_bytes(), "000.txt")
    document = Document.objects.get()
    assert document.extraction_detail["commitments"]

    def no_extraction(*args, **kwargs):
        raise AssertionError("the preview extracted again")

    monkeypatch.setattr("responses.extraction.extract_bytes", no_extraction)
    monkeypatch.setattr("responses.extraction.extract_text", no_extraction)
    preview = client.get(first["Location"])
    assert preview.status_code == 200 and '<mark class="c"' in preview.content.decode()


def test_preview_extracts_again_when_the_pipeline_changed(client, ndrc_clerk):
    from responses.extraction.storage import pipeline_version

    client.force_login(ndrc_clerk)
    first = _upload(client, SEED.read_bytes(), "000.txt")
    Document.objects.update(extraction_version="older", extraction_detail={})
    preview = client.get(first["Location"])
    assert preview.status_code == 200 and '<mark class="c"' in preview.content.decode()
    document = Document.objects.get()
    assert document.extraction_version == pipeline_version() and document.extraction_detail["commitments"]


def test_same_letter_in_gb18030_is_the_same_document(client, ndrc_clerk):
    client.force_login(ndrc_clerk)
    text = SEED.read_text(encoding="utf-8")
    first = _upload(client, text.encode("utf-8"), "000.txt")
    again = _upload(client, text.replace("\n", "\r\n").encode("gb18030"), "000-gbk.txt")
    assert Document.objects.count() == 1
    assert first.status_code == again.status_code == 302 and "/replies/new/" in again["Location"]


def test_nul_bytes_are_refused_in_the_ui(client, ndrc_clerk):
    client.force_login(ndrc_clerk)
    response = _upload(client, SEED.read_bytes() + b"\x00\x00", "000.txt")
    assert response.status_code == 422 and "空字符（NUL）" in response.content.decode()
    assert not Document.objects.exists()


def test_extract_command_exits_2_on_a_bomb(tmp_path):
    path = tmp_path / "bomb.docx"
    path.write_bytes(hostile.docx_paragraph_bomb())
    err = StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("extract", str(path), stdout=StringIO(), stderr=err)
    assert exc.value.code == 2
    assert "budget_exceeded" in err.getvalue() and "Traceback" not in err.getvalue()


def test_load_seed_fixtures_reports_a_bad_file_loads_the_rest_and_exits_2(tmp_path, db):
    (tmp_path / "000.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "001_bomb.docx").write_bytes(hostile.docx_paragraph_bomb())
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("load_seed_fixtures", "--dir", str(tmp_path), stdout=out, stderr=err)
    assert exc.value.code == 2
    assert "001_bomb.docx" in err.getvalue() and "budget_exceeded" in err.getvalue()
    assert Document.objects.count() == 1


def test_purge_orphan_files(tmp_path, settings, db, django_capture_on_commit_callbacks):
    from responses.services import document_ingest

    settings.MEDIA_ROOT = str(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        kept = document_ingest(data=SEED.read_bytes(), filename="000.txt").document
    orphan = tmp_path / "documents" / "ab" / ("ab" + "0" * 62) / "left.txt"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"left behind")
    evidence = tmp_path / "evidence" / "9" / "photo.pdf"
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"%PDF")
    unrelated = tmp_path / "exports" / "keep.csv"
    unrelated.parent.mkdir(parents=True)
    unrelated.write_bytes(b"a,b")
    out = StringIO()
    call_command("purge_orphan_files", "--dry-run", stdout=out)
    assert "would remove documents/ab/" in out.getvalue() and "evidence/9/photo.pdf" in out.getvalue()
    assert orphan.exists() and evidence.exists()
    out = StringIO()
    call_command("purge_orphan_files", stdout=out)
    assert "removed" in out.getvalue()
    assert not orphan.exists() and not evidence.exists() and not orphan.parent.exists()
    assert (tmp_path / kept.original.name).exists() and unrelated.exists()
