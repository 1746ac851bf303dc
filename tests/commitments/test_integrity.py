"""Issue 11: what escapes supervision is listed (manage.py check_scope, admin page), and the per-agency table adds up
to the dashboard."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from commitments.integrity import scope_gaps
from commitments.models import Commitment
from commitments.selectors import agency_performance, dashboard_counts
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    supervised = factories.BodyFactory()
    supervisor = factories.supervisor_of(supervised)
    agency = factories.AgencyFactory()
    clerk = factories.clerk_of(agency)
    proposal = factories.ProposalFactory(session=factories.SessionFactory(body=supervised))
    factories.AssignmentFactory(proposal=proposal, agency=agency)
    seen = factories.CommitmentFactory(response=factories.ResponseFactory(proposal=proposal, agency=agency))
    # An item of a body nobody supervises, with its reply and commitment.
    orphan_proposal = factories.ProposalFactory(session=factories.SessionFactory(body=factories.BodyFactory()))
    factories.AssignmentFactory(proposal=orphan_proposal, agency=agency)
    orphan_reply = factories.ResponseFactory(proposal=orphan_proposal, agency=agency)
    orphan = factories.CommitmentFactory(response=orphan_reply)
    # A commitment whose agency has no clerk and which has no owner: nobody is reminded of it.
    silent_agency = factories.AgencyFactory()
    factories.AssignmentFactory(proposal=proposal, agency=silent_agency, role="co")
    silent = factories.CommitmentFactory(response=factories.ResponseFactory(proposal=proposal, agency=silent_agency))
    # A news commitment naming no agency, overdue.
    news = factories.CommitmentFactory(response=None, deadline=dt.date(2024, 1, 31))
    unassigned = factories.ProposalFactory(session=factories.SessionFactory(body=supervised))
    return locals()


def _gaps():
    return {g.key: set(g.rows.values_list("pk", flat=True)) for g in scope_gaps()}


def test_scope_gaps_find_each_escape(world):
    gaps = _gaps()
    assert gaps["items_no_supervisor"] == {world["orphan_proposal"].pk}
    assert gaps["items_no_agency"] == {world["unassigned"].pk}
    assert gaps["replies_no_supervisor"] == {world["orphan_reply"].pk}
    assert world["silent"].response_id in gaps["replies_no_agency"]
    assert gaps["commitments_no_supervisor"] == {world["orphan"].pk}
    assert gaps["commitments_no_agency"] == {world["news"].pk}
    assert gaps["commitments_no_reminder"] == {world["silent"].pk, world["news"].pk}
    # Only the commitment gaps: the other gaps hold ids of other tables, which can equal this commitment's id.
    assert world["seen"].pk not in set().union(*(v for k, v in gaps.items() if k.startswith("commitments_")))
    # An owner with an active account is reminded: the commitment leaves the list.
    world["silent"].owner = factories.UserFactory()
    world["silent"].save()
    assert world["silent"].pk not in _gaps()["commitments_no_reminder"]


def test_check_scope_command_lists_and_fails_on_request(world):
    out = StringIO()
    call_command("check_scope", stdout=out)
    text = out.getvalue()
    assert "无督办人员可见的建议提案: 1" in text
    assert f"#{world['orphan'].pk}" in text
    with pytest.raises(CommandError):
        call_command("check_scope", "--fail", stdout=StringIO())


def test_check_scope_command_is_quiet_when_all_is_seen(db):
    body = factories.BodyFactory()
    factories.supervisor_of(body)
    agency = factories.AgencyFactory()
    factories.clerk_of(agency)
    proposal = factories.ProposalFactory(session=factories.SessionFactory(body=body))
    factories.AssignmentFactory(proposal=proposal, agency=agency)
    factories.CommitmentFactory(response=factories.ResponseFactory(proposal=proposal, agency=agency))
    call_command("check_scope", "--fail", stdout=StringIO())


def test_admin_integrity_page_is_linked_from_the_index(client, world):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    index = client.get(reverse("admin:index"))
    assert reverse("admin-check-scope") in index.content.decode()
    page = client.get(reverse("admin-check-scope"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "无督办人员可见的承诺: 1" in body
    assert reverse("admin:commitments_commitment_change", args=[world["orphan"].pk]) in body
    client.force_login(factories.UserFactory(is_staff=True))
    assert client.get(reverse("admin-check-scope")).status_code == 403


def test_per_agency_table_and_dashboard_count_the_same_set(client, world):
    today = dt.date(2026, 3, 1)
    supervisor = world["supervisor"]
    counts = dashboard_counts(user=supervisor, today=today)
    rows = agency_performance(user=supervisor, today=today)
    assert counts["overdue"] == sum(r["overdue"] for r in rows) and counts["overdue"] >= 3
    assert counts["open"] == sum(r["open"] for r in rows)
    assert any(r["agency_id"] is None and r["overdue"] == 1 for r in rows)
    # The same through the pages.
    client.force_login(supervisor)
    dashboard = client.get(reverse("commitments:dashboard"))
    stats = client.get(reverse("commitments:agency_stats"))
    assert dashboard.context["counts"]["overdue"] == sum(r["overdue"] for r in stats.context["rows"])


@pytest.mark.skipif(
    not __import__("importlib").util.find_spec("responses.extraction"), reason="extraction pipeline missing"
)
def test_seeds_as_installed_leave_nothing_outside_every_supervisors_view(db):
    """As a new user would: load the seeds, create the demo accounts, and nothing escapes the supervisors."""
    call_command("load_seed_fixtures", verbosity=0)
    call_command("create_demo_users", verbosity=0, stdout=StringIO())
    gaps = _gaps()
    for key in ("items_no_supervisor", "replies_no_supervisor", "commitments_no_supervisor"):
        assert gaps[key] == set(), key
    # Every reply's commitments have a responsible agency: the letter's or, failing that, the reply's.
    assert not Commitment.objects.filter(response__isnull=False, agency__isnull=True).exists()
