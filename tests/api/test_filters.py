"""Commitment, proposal and reply filters; pagination with a capped page size and a stable order."""

import datetime as dt

import pytest
import time_machine

from commitments.filtersets import CommitmentFilterSet
from tests import factories
from tests.api.conftest import assert_error, client_for

# 2025-06-30 16:30 UTC is already 2025-07-01 in Asia/Shanghai.
SHANGHAI_NEW_DAY = dt.datetime(2025, 6, 30, 16, 30, tzinfo=dt.UTC)


@pytest.fixture
def admin_api(db):
    return client_for(factories.UserFactory(is_superuser=True, is_staff=True))


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content[:300]
    return [row["id"] for row in response.json()["results"]]


def test_overdue_uses_the_shanghai_date(admin_api):
    due_yesterday_there = factories.CommitmentFactory(deadline=dt.date(2025, 6, 30), precision="day")
    factories.CommitmentFactory(deadline=dt.date(2025, 7, 1), precision="day")
    factories.CommitmentFactory(deadline=dt.date(2025, 6, 1), precision="day", status="fulfilled")
    with time_machine.travel(SHANGHAI_NEW_DAY, tick=False):
        assert ids(admin_api.get("/api/v1/commitments/?overdue=true")) == [due_yesterday_there.pk]
        assert due_yesterday_there.pk not in ids(admin_api.get("/api/v1/commitments/?overdue=false"))
        row = admin_api.get(f"/api/v1/commitments/{due_yesterday_there.pk}/").json()
        assert row["overdue"] is True
    with time_machine.travel(SHANGHAI_NEW_DAY - dt.timedelta(hours=1), tick=False):
        assert ids(admin_api.get("/api/v1/commitments/?overdue=true")) == []


def test_due_within_and_deadline_range(admin_api):
    soon = factories.CommitmentFactory(deadline=dt.date(2025, 7, 10), precision="day")
    later = factories.CommitmentFactory(deadline=dt.date(2025, 9, 1), precision="day")
    factories.CommitmentFactory(deadline=dt.date(2025, 7, 5), precision="day", status="fulfilled")
    with time_machine.travel(dt.datetime(2025, 7, 1, 4, tzinfo=dt.UTC), tick=False):
        assert ids(admin_api.get("/api/v1/commitments/?due_within=30")) == [soon.pk]
        assert ids(admin_api.get("/api/v1/commitments/?due_within=90")) == [soon.pk, later.pk]
    assert ids(admin_api.get("/api/v1/commitments/?deadline_after=2025-08-01&deadline_before=2025-12-31")) == [later.pk]
    assert_error(admin_api.get("/api/v1/commitments/?deadline_after=not-a-date"), 400, "invalid")
    assert_error(admin_api.get("/api/v1/commitments/?due_within=-3"), 400)


def test_agency_is_the_primary_agency_and_agencies_includes_co_responsible(admin_api):
    agency = factories.AgencyFactory()
    primary = factories.CommitmentFactory(response__agency=agency)
    co = factories.CommitmentFactory()
    co.agencies.add(agency)
    factories.CommitmentFactory()
    assert ids(admin_api.get(f"/api/v1/commitments/?agency={agency.pk}")) == [primary.pk]
    assert sorted(ids(admin_api.get(f"/api/v1/commitments/?agencies={agency.pk}"))) == sorted([primary.pk, co.pk])
    assert ids(admin_api.get("/api/v1/commitments/?agency=999999")) == []
    assert_error(admin_api.get("/api/v1/commitments/?agency=1.5"), 400, "invalid")


def test_own_agency_list_keeps_the_scope(db):
    # The selector's shortcut (the clerk's own agency is the scope) must not widen what a clerk sees.
    agency, foreign = factories.AgencyFactory(), factories.AgencyFactory()
    mine = factories.CommitmentFactory(response__agency=agency)
    factories.CommitmentFactory(response__agency=foreign)
    client = client_for(factories.clerk_of(agency))
    assert ids(client.get(f"/api/v1/commitments/?agency={agency.pk}")) == [mine.pk]
    assert ids(client.get(f"/api/v1/commitments/?agency={foreign.pk}")) == []


def test_overdue_agency_page_walks_the_agency_status_deadline_index(db):
    # The benchmarked request: an index scan in deadline order, so a page needs no sort of the agency's rows.
    from django.db import connection

    agency = factories.AgencyFactory()
    user = factories.clerk_of(agency)
    from commitments.selectors import commitment_list

    # Rows and statistics, as at scale: on an empty table every index costs the same and the planner's pick among
    # the agency's two ordered indexes (this one, and (agency, deadline, id) for the 全部 tab) means nothing.
    for i in range(60):
        factories.CommitmentFactory(
            agency=agency, status=("open", "fulfilled", "missed")[i % 3], deadline=dt.date(2024, 1, 1 + i % 28)
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE commitments_commitment")
    qs = CommitmentFilterSet(
        {"agency": agency.pk, "overdue": "true"}, queryset=commitment_list(user=user, lead_agency_id=agency.pk)
    ).qs
    sql, params = qs[:50].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")  # 60 rows sort cheaply; at scale the index order is the plan
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "commitment_agency_status_idx" in plan, plan
    assert "SubPlan" not in plan and "EXISTS" not in sql.upper(), plan


def test_scope_body_session_kind_key_strength_precision_and_text(admin_api):
    key_item = factories.CommitmentFactory(
        response__proposal__is_key=True,
        response__proposal__kind="proposal",
        strength="ensure",
        precision="month",
        text="确保年底前完成老旧小区改造",
    )
    other = factories.CommitmentFactory(text="将推进公交线网优化")
    proposal = key_item.proposal
    assert ids(admin_api.get(f"/api/v1/commitments/?body={proposal.session.body_id}")) == [key_item.pk]
    assert ids(admin_api.get(f"/api/v1/commitments/?session={proposal.session_id}")) == [key_item.pk]
    assert ids(admin_api.get(f"/api/v1/commitments/?proposal={proposal.pk}")) == [key_item.pk]
    assert ids(admin_api.get("/api/v1/commitments/?kind=proposal")) == [key_item.pk]
    assert ids(admin_api.get("/api/v1/commitments/?is_key=true")) == [key_item.pk]
    assert ids(admin_api.get("/api/v1/commitments/?strength=ensure")) == [key_item.pk]
    assert ids(admin_api.get("/api/v1/commitments/?precision=month")) == [key_item.pk]
    assert ids(admin_api.get("/api/v1/commitments/?q=公交")) == [other.pk]
    # `q` is the commitment's own text (issue 13: only matching commitments); items are found by /search/.
    assert ids(admin_api.get("/api/v1/commitments/?q=老旧小区")) == [key_item.pk]
    assert sorted(ids(admin_api.get("/api/v1/commitments/?status=open&status=missed"))) == sorted(
        [key_item.pk, other.pk]
    )
    assert_error(admin_api.get("/api/v1/commitments/?status=bogus"), 400, "invalid")


def test_updated_since_for_incremental_sync(admin_api):
    with time_machine.travel(dt.datetime(2025, 1, 1, tzinfo=dt.UTC), tick=False):
        factories.CommitmentFactory()
    with time_machine.travel(dt.datetime(2025, 3, 1, tzinfo=dt.UTC), tick=False):
        recent = factories.CommitmentFactory()
    assert ids(admin_api.get("/api/v1/commitments/?updated_since=2025-02-01T00:00:00Z")) == [recent.pk]


def test_pagination_caps_page_size_and_orders_stably(admin_api, settings):
    same_day = [factories.CommitmentFactory(deadline=dt.date(2026, 1, 1), precision="day") for _ in range(5)]
    response = admin_api.get("/api/v1/commitments/?page_size=2")
    body = response.json()
    assert body["count"] == 5 and len(body["results"]) == 2 and body["next"]
    seen = (
        ids(response)
        + ids(admin_api.get("/api/v1/commitments/?page_size=2&page=2"))
        + ids(admin_api.get("/api/v1/commitments/?page_size=2&page=3"))
    )
    # Equal deadlines: the primary key breaks the tie, so pages neither repeat nor skip rows.
    assert seen == sorted(c.pk for c in same_day)
    big = admin_api.get("/api/v1/commitments/?page_size=100000").json()
    assert len(big["results"]) == 5
    from config.api import Pagination

    assert Pagination().max_page_size == settings.API_MAX_PAGE_SIZE == 100
    assert_error(admin_api.get("/api/v1/commitments/?page=99"), 404)
    assert ids(admin_api.get("/api/v1/commitments/?ordering=-deadline&page_size=1")) == [max(c.pk for c in same_day)]


def test_page_size_is_capped(admin_api, settings):
    for _ in range(3):
        factories.CommitmentFactory()
    from config.api import Pagination

    paginator = Pagination()
    paginator.max_page_size = 2
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    request = Request(APIRequestFactory().get("/", {"page_size": "50"}))
    assert paginator.get_page_size(request) == 2


def test_proposal_and_response_filters(admin_api):
    assignment = factories.AssignmentFactory(proposal__is_key=True, proposal__title="关于加快养老服务的建议")
    other = factories.ProposalFactory()
    assert ids(admin_api.get(f"/api/v1/proposals/?agency={assignment.agency_id}")) == [assignment.proposal_id]
    assert ids(admin_api.get("/api/v1/proposals/?is_key=true")) == [assignment.proposal_id]
    assert ids(admin_api.get("/api/v1/proposals/?q=养老")) == [assignment.proposal_id]
    assert other.pk in ids(admin_api.get(f"/api/v1/proposals/?session={other.session_id}"))
    reply = factories.ResponseFactory(category="a", doc_number="昆发改函〔2024〕3号")
    factories.ResponseFactory(category="c")
    assert ids(admin_api.get("/api/v1/responses/?category=a")) == [reply.pk]
    assert ids(admin_api.get("/api/v1/responses/?q=昆发改")) == [reply.pk]
    assert ids(admin_api.get(f"/api/v1/responses/?agency={reply.agency_id}")) == [reply.pk]


def test_filter_forms_share_choices_but_not_what_a_form_changes():
    """The shared form class copies fields one level deep: per-form changes stay in that form."""
    first = CommitmentFilterSet({"status": ["open"]}).form
    second = CommitmentFilterSet({"status": ["bogus"]}).form
    a, b = first.fields["status"], second.fields["status"]
    assert a is not b and a.widget is not b.widget
    a.widget.attrs["class"] = "only-here"
    a.error_messages["invalid_choice"] = "changed"
    a.validators.append(lambda value: None)
    a.choices = [("open", "open")]
    assert "class" not in b.widget.attrs
    assert b.error_messages["invalid_choice"] != "changed"
    assert b.validators == []
    assert len(b.choices) > 1 and len(CommitmentFilterSet().form.fields["status"].choices) > 1
    assert first.is_valid() and not second.is_valid()
    assert "status" in second.errors
