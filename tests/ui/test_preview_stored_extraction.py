"""The preview renders from the extraction stored with the document; it extracts again only when stale.

Stale means another pipeline version: another source of the extraction package, or another ranker
model in use (a retrained shipped model, a model promoted from clerks' corrections).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from responses.models import Document
from tests import factories

pytest.importorskip("responses.extraction")
pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "documents" / "000_e488b48de0fcacd5.txt"


@pytest.fixture
def clerk(db):
    agency = factories.AgencyFactory(name="昆明市发展和改革委员会", jurisdiction="昆明市", aliases=["市发展改革委"])
    return factories.clerk_of(agency, "stored_clerk")


@pytest.fixture
def pipeline_calls(monkeypatch):
    """Counts every call into the pipeline the web code can make (it imports them from the package)."""
    import responses.extraction as package

    calls: list[str] = []
    for name in ("extract_bytes", "extract_text"):
        real = getattr(package, name)

        def counted(*args, _real=real, _name=name, **kwargs):
            calls.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(package, name, counted)
    return calls


def _upload(client) -> str:
    response = client.post(
        reverse("commitments:reply_upload"), {"file": SimpleUploadedFile("000.txt", SEED.read_bytes())}
    )
    assert response.status_code == 302
    return response["Location"]


def test_the_stored_extraction_holds_candidates_with_score_and_signals(client, clerk):
    from responses.extraction.storage import pipeline_version

    client.force_login(clerk)
    _upload(client)
    document = Document.objects.get()
    assert document.extraction_version == pipeline_version()
    stored = document.extraction_detail
    assert stored["commitments"] and stored["candidates"]
    for item in (*stored["commitments"], *stored["candidates"]):
        assert isinstance(item["score"], float) and item["signals"] and item["section_kind"]


def test_the_preview_shows_commitments_and_candidates_without_extracting(client, clerk, pipeline_calls):
    from commitments.views.reply import proposal_reason
    from responses.extraction.storage import extraction_from_json

    client.force_login(clerk)
    location = _upload(client)
    assert pipeline_calls == ["extract_bytes"]  # the upload extracts once
    document = Document.objects.get()
    stored = extraction_from_json(document.extraction_detail, document.text)
    page = client.get(location)
    assert page.status_code == 200
    assert pipeline_calls == ["extract_bytes"]  # the preview did not extract again
    body = page.content.decode()
    assert body.count('<mark class="c"') == len(stored.commitments)
    # Each candidate with why it was proposed (its scope, time words, markers, score), from the stored signals.
    shown = [c for c in stored.candidates if escape(c.text) in body]
    assert shown
    for c in shown:
        assert escape(proposal_reason(c)) in body
    client.get(location)
    assert pipeline_calls == ["extract_bytes"]


def test_the_preview_extracts_again_once_when_another_model_is_in_use(client, clerk, pipeline_calls, monkeypatch):
    from responses.extraction import ranker
    from responses.extraction.storage import pipeline_version

    client.force_login(clerk)
    location = _upload(client)
    before = Document.objects.get().extraction_version
    other = dataclasses.replace(ranker.current_model(), digest="a-promoted-one")
    monkeypatch.setattr(ranker, "current_model", lambda: other)
    assert pipeline_version() != before
    assert client.get(location).status_code == 200
    # Stale: extracted again once (from the stored text here: the file is written on commit) and stored.
    assert len(pipeline_calls) == 2
    document = Document.objects.get()
    assert document.extraction_version == pipeline_version() and document.extraction_detail["commitments"]
    assert client.get(location).status_code == 200
    assert len(pipeline_calls) == 2  # now current: read from the store


def test_the_preview_extracts_again_when_the_source_changed(client, clerk, pipeline_calls, monkeypatch):
    from responses.extraction import storage

    client.force_login(clerk)
    location = _upload(client)
    monkeypatch.setattr(storage, "PIPELINE_VERSION", "0123456789abcdef")
    assert client.get(location).status_code == 200
    assert len(pipeline_calls) == 2
    assert Document.objects.get().extraction_version.startswith("0123456789abcdef-")


def test_a_model_read_from_a_file_carries_the_file_digest(tmp_path):
    from responses.extraction import ranker

    shipped = ranker.read_model(ranker.SHIPPED)
    assert len(shipped.digest) == 16
    copy = tmp_path / "m.json"
    ranker.save_model(dataclasses.replace(shipped, threshold=shipped.threshold + 0.01), copy)
    assert ranker.read_model(copy).digest not in ("", shipped.digest)
