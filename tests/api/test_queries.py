"""The number of queries per list request does not grow with the number of rows on the page."""

import pytest

from proposals.models import ProposalProposer
from tests import factories
from tests.api.conftest import client_for


def _fill(agency, n: int) -> None:
    for _ in range(n):
        commitment = factories.CommitmentFactory(response__agency=agency)
        commitment.agencies.add(factories.AgencyFactory())
        factories.TargetFactory(commitment=commitment)
        factories.ChangeRequestFactory(commitment=commitment)
        factories.AssignmentFactory(proposal=commitment.proposal, agency=agency)
        ProposalProposer.objects.create(proposal=commitment.proposal, proposer=factories.ProposerFactory())


@pytest.mark.parametrize("rows", [2, 25])
def test_list_queries_are_constant(rows, db, django_assert_max_num_queries):
    agency = factories.AgencyFactory()
    _fill(agency, rows)
    clerk = factories.clerk_of(agency)
    client = client_for(clerk)
    # Token (+ last-used stamp), permission lookups, agency and body ids, COUNT, page, prefetches: 12 at most.
    for path in [
        "/api/v1/commitments/?page_size=100",
        "/api/v1/change-requests/?page_size=100",
        "/api/v1/responses/?page_size=100",
        "/api/v1/documents/?page_size=100",
        "/api/v1/proposals/?page_size=100",
        "/api/v1/proposers/?page_size=100",
    ]:
        with django_assert_max_num_queries(12):
            response = client.get(path)
        assert response.status_code == 200, path
        assert response.json()["count"] >= rows, path


def test_commitment_detail_queries_are_constant(db, django_assert_max_num_queries):
    commitment = factories.CommitmentFactory()
    for _ in range(5):
        factories.ProgressUpdateFactory(commitment=commitment, author=factories.UserFactory())
        factories.TargetFactory(commitment=commitment)
    client = client_for(factories.clerk_of(commitment.agency))
    with django_assert_max_num_queries(12):
        response = client.get(f"/api/v1/commitments/{commitment.pk}/")
    assert len(response.json()["progress_updates"]) == 5
