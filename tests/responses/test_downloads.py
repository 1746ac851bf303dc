"""Files leave the server only through the scoped downloads: letters and evidence, UI and API, DEBUG off."""

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests import factories
from tests.api.conftest import client_for

# An HTML upload: served as an opaque attachment, never rendered by the browser.
HTML = "<html><script>alert(1)</script>答复函</html>".encode()
PDF = b"%PDF-1.4\n% letter bytes \xe4\xb8\xad\n"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def stored(commitment):
    """The commitment's letter with a stored original, and a progress update with an evidence file."""
    document = commitment.document
    document.original_name = "答复函 <1>.html"
    document.original.save("letter.html", ContentFile(HTML), save=True)
    update = factories.ProgressUpdateFactory(commitment=commitment)
    update.evidence_file.save("会议纪要.pdf", ContentFile(PDF), save=True)
    return document, update


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_settings_are_production_like():
    assert settings.DEBUG is False


def test_api_document_file_returns_the_original_bytes_to_its_agency(stored, clerk):
    document, _ = stored
    response = client_for(clerk).get(f"/api/v1/documents/{document.pk}/file/")
    assert response.status_code == 200
    assert _body(response) == HTML
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_api_download_answers_any_accept_header(stored, clerk):
    document, _ = stored
    response = client_for(clerk).get(f"/api/v1/documents/{document.pk}/file/", HTTP_ACCEPT="application/octet-stream")
    assert response.status_code == 200 and _body(response) == HTML


def test_api_document_file_is_refused_to_others(stored, other_clerk, api):
    document, _ = stored
    assert api.get(f"/api/v1/documents/{document.pk}/file/").status_code == 401
    assert client_for(other_clerk).get(f"/api/v1/documents/{document.pk}/file/").status_code == 404
    assert client_for(other_clerk).get("/api/v1/documents/x/file/").status_code == 404


def test_api_document_without_a_file_is_404(commitment, clerk):
    assert client_for(clerk).get(f"/api/v1/documents/{commitment.document_id}/file/").status_code == 404


def test_api_gives_absolute_download_urls(stored, clerk):
    document, update = stored
    api = client_for(clerk)
    listed = api.get("/api/v1/documents/").json()["results"]
    assert listed[0]["file"] == f"http://testserver/api/v1/documents/{document.pk}/file/"
    detail = api.get(f"/api/v1/commitments/{update.commitment_id}/").json()
    url = f"http://testserver/api/v1/commitments/{update.commitment_id}/progress/{update.pk}/file/"
    assert [p["evidence_file"] for p in detail["progress_updates"]] == [url]
    assert _body(api.get(url)) == PDF


def test_api_evidence_file(stored, clerk, supervisor, other_clerk, api):
    _, update = stored
    url = f"/api/v1/commitments/{update.commitment_id}/progress/{update.pk}/file/"
    response = client_for(supervisor).get(url)
    assert response.status_code == 200 and _body(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert api.get(url).status_code == 401
    assert client_for(other_clerk).get(url).status_code == 404
    # The update must belong to the commitment in the URL.
    other = factories.CommitmentFactory(response=update.commitment.response)
    assert client_for(clerk).get(f"/api/v1/commitments/{other.pk}/progress/{update.pk}/file/").status_code == 404


def test_ui_downloads_are_scoped(stored, clerk, other_clerk):
    document, update = stored
    letter = reverse("responses:document_file", args=[document.pk])
    evidence = reverse("commitments:evidence_file", args=[update.pk])
    anonymous = Client()
    assert anonymous.get(letter).status_code == 302  # to the login page
    assert anonymous.get(evidence).status_code == 302
    mine, theirs = Client(), Client()
    mine.force_login(clerk)
    theirs.force_login(other_clerk)
    response = mine.get(letter)
    assert response.status_code == 200 and _body(response) == HTML
    assert response["Content-Type"] == "application/octet-stream"
    assert _body(mine.get(evidence)) == PDF
    assert theirs.get(letter).status_code == 404
    assert theirs.get(evidence).status_code == 404


def test_pages_link_to_the_downloads(stored, clerk):
    document, update = stored
    client = Client()
    client.force_login(clerk)
    page = client.get(reverse("commitments:detail", args=[update.commitment_id])).content.decode()
    assert reverse("commitments:evidence_file", args=[update.pk]) in page
    assert "/media/" not in page
    reply = client.get(reverse("responses:detail", args=[update.commitment.response_id])).content.decode()
    assert reverse("responses:document_file", args=[document.pk]) in reply


def test_media_is_not_served(stored, clerk):
    document, update = stored
    for path in (document.original.name, update.evidence_file.name):
        assert Client().get(f"/{settings.MEDIA_URL}{path}").status_code == 404
        client = Client()
        client.force_login(clerk)
        assert client.get(f"/{settings.MEDIA_URL}{path}").status_code == 404


def test_every_type_a_download_announces_is_in_the_schema(stored, supervisor):
    """A client checking content types against the published schema accepts every download (session 13's
    schemathesis run: a .txt letter came as text/plain where the schema documented application/octet-stream only)."""
    from responses.files import OPAQUE, SAFE_CONTENT_TYPES

    schema = client_for(supervisor).get("/api/schema/?format=json").json()
    downloads = [path for path in schema["paths"] if path.endswith("/file/")]
    assert len(downloads) == 5, downloads  # the deputy's report file (session 19, s19ui2) is the fifth
    for path in downloads:
        documented = set(schema["paths"][path]["get"]["responses"]["200"]["content"])
        assert documented == set(SAFE_CONTENT_TYPES.values()) | {OPAQUE}, path
    _, update = stored
    response = client_for(supervisor).get(f"/api/v1/commitments/{update.commitment_id}/progress/{update.pk}/file/")
    assert response["Content-Type"] in documented
