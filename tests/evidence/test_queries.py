"""Queries per evidence list request and per document page do not grow with the number of links."""

import pytest
from django.test import Client

from evidence.models import EvidenceLink
from tests import factories
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


def _links(agency, document, n: int) -> None:
    for i in range(n):
        commitment = factories.CommitmentFactory(response__agency=agency)
        EvidenceLink.objects.create(
            commitment=commitment, document=document, start=i, end=i + 1, evidence_text="x", shared=["x"], score=0.5
        )


@pytest.mark.parametrize("rows", [2, 25])
def test_api_list_queries_are_constant(rows, django_assert_max_num_queries):
    agency = factories.AgencyFactory()
    document = factories.DocumentFactory(kind="news")
    _links(agency, document, rows)
    client = client_for(factories.clerk_of(agency))
    with django_assert_max_num_queries(12):
        response = client.get(f"/api/v1/evidence-links/?document={document.pk}&page_size=100")
    assert response.status_code == 200
    assert response.json()["count"] == rows


@pytest.mark.parametrize("rows", [2, 25])
def test_document_page_queries_are_constant(rows, django_assert_max_num_queries):
    agency = factories.AgencyFactory()
    document = factories.DocumentFactory(kind="news")
    _links(agency, document, rows)
    client = Client()
    client.force_login(factories.clerk_of(agency))
    with django_assert_max_num_queries(20):
        response = client.get(f"/evidence/documents/{document.pk}/")
    assert response.status_code == 200
    assert response.content.decode().count('class="card evidence-link"') == rows
