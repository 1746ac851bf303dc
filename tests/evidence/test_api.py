"""API: scoped list, accept/reject actions (404 outside the scope), ingest, idempotent accept."""

import pytest

from commitments.models import ProgressUpdate
from evidence import services
from evidence.models import EvidenceLink
from tests.api.conftest import client_for
from tests.evidence.conftest import CORPUS

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(hospital):
    name = "l01b_changsha_siyuan_2022.txt"
    [link] = services.evidence_document_ingest(data=(CORPUS / name).read_bytes(), filename=name).links
    return link


def test_list_filters_by_document_and_state(link, boss):
    api = client_for(boss)
    body = api.get(f"/api/v1/evidence-links/?document={link.document_id}&state=suggested").json()
    assert [row["id"] for row in body["results"]] == [link.pk]
    assert body["results"][0]["commitment_text"] == link.commitment.text
    assert api.get("/api/v1/evidence-links/?state=accepted").json()["results"] == []


def test_other_agency_sees_nothing_and_gets_404(link, other_clerk):
    api = client_for(other_clerk)
    assert api.get("/api/v1/evidence-links/").json()["results"] == []
    assert api.get(f"/api/v1/evidence-links/{link.pk}/").status_code == 404
    assert api.post(f"/api/v1/evidence-links/{link.pk}/accept/").status_code == 404
    assert api.post(f"/api/v1/evidence-links/{link.pk}/reject/").status_code == 404
    assert not ProgressUpdate.objects.exists()


def test_accept_twice_one_update(link, hospital_clerk):
    api = client_for(hospital_clerk)
    first = api.post(f"/api/v1/evidence-links/{link.pk}/accept/")
    assert first.status_code == 200, first.content
    assert first.json()["state"] == "accepted"
    assert api.post(f"/api/v1/evidence-links/{link.pk}/accept/").status_code == 200
    assert ProgressUpdate.objects.filter(commitment=link.commitment).count() == 1


def test_reject_then_hidden_from_the_default_list(link, boss):
    api = client_for(boss)
    assert api.post(f"/api/v1/evidence-links/{link.pk}/reject/").json()["state"] == "rejected"
    assert api.get("/api/v1/evidence-links/").json()["results"] == []
    assert len(api.get("/api/v1/evidence-links/?state=rejected").json()["results"]) == 1
    response = api.post(f"/api/v1/evidence-links/{link.pk}/accept/")
    assert response.status_code == 400


def test_read_only_token_cannot_accept(link, boss):
    api = client_for(boss, read_only=True)
    assert api.post(f"/api/v1/evidence-links/{link.pk}/accept/").status_code == 403
    assert EvidenceLink.objects.get().state == "suggested"


def test_ingest_endpoint_suggests(hospital, boss):
    api = client_for(boss)
    with open(CORPUS / "l01b_changsha_siyuan_2022.txt", "rb") as fh:
        response = api.post("/api/v1/evidence-links/ingest/", {"file": fh}, format="multipart")
    assert response.status_code == 201, response.content
    assert [row["commitment"] for row in response.json()["links"]] == [hospital.pk]


def test_ingest_endpoint_bad_file_is_4xx(boss):
    from django.core.files.uploadedfile import SimpleUploadedFile

    api = client_for(boss)
    bad = SimpleUploadedFile("x.pdf", b"%PDF-1.4 broken", content_type="application/pdf")
    response = api.post("/api/v1/evidence-links/ingest/", {"file": bad}, format="multipart")
    assert 400 <= response.status_code < 500
