"""No list page makes more queries as its list grows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def _grow(session, agency, n):
    for _ in range(n):
        response = factories.ResponseFactory(proposal=factories.ProposalFactory(session=session), agency=agency)
        factories.AssignmentFactory(proposal=response.proposal, agency=agency, due_on=dt.date(2026, 1, 1))
        commitment = factories.CommitmentFactory(response=response, deadline=dt.date(2024, 1, 1))
        factories.TargetFactory(commitment=commitment)
        factories.ProposalFactory(session=session)


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


PAGES = [
    ("home", {}),
    ("commitments:dashboard", {"tab": "all"}),
    ("commitments:dashboard", {}),
    ("commitments:agency_stats", {}),
    ("proposals:list", {}),
    ("responses:list", {}),
]


@pytest.mark.parametrize(("name", "params"), PAGES)
def test_list_queries_do_not_grow(client, name, params):
    session = factories.SessionFactory()
    agency = factories.AgencyFactory()
    clerk = factories.clerk_of(agency, "qc_clerk")
    session.body.supervisors.add(clerk)  # both roles: every section of every page renders
    client.force_login(clerk)
    url = reverse(name) + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")
    _grow(session, agency, 2)
    small = _count(client, url)
    _grow(session, agency, 8)
    large = _count(client, url)
    assert large == small, f"{name}: {small} → {large} queries"


def test_dashboard_query_budget(client, django_assert_max_num_queries):
    session = factories.SessionFactory()
    agency = factories.AgencyFactory()
    supervisor = factories.supervisor_of(session.body, "qb_sup")
    _grow(session, agency, 10)
    client.force_login(supervisor)
    with django_assert_max_num_queries(16):  # +1: the header's unread-notification count, +1 the inbox count
        client.get(reverse("commitments:dashboard") + "?tab=all")


def test_export_query_budget(client, django_assert_max_num_queries):
    session = factories.SessionFactory()
    agency = factories.AgencyFactory()
    supervisor = factories.supervisor_of(session.body, "qe_sup")
    _grow(session, agency, 10)
    client.force_login(supervisor)
    with django_assert_max_num_queries(10):
        client.get(reverse("commitments:export") + "?tab=all")


def test_detail_pages_query_budget(client, commitment, supervisor, django_assert_max_num_queries):
    for _ in range(5):
        factories.ProgressUpdateFactory(commitment=commitment)
        factories.TargetFactory(commitment=commitment)
    client.force_login(supervisor)
    # +1 on each: the supervisor's inbox count in the header.
    with django_assert_max_num_queries(17):
        client.get(reverse("commitments:detail", args=[commitment.pk]))
    with django_assert_max_num_queries(13):
        client.get(reverse("responses:detail", args=[commitment.response_id]))
    with django_assert_max_num_queries(16):  # +1: the header's unread-notification count
        client.get(reverse("proposals:detail", args=[commitment.proposal_id]))
