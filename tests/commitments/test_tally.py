"""Issue 13 at scale: the commitment tally (triggers) counts exactly what the live queries count, the clerk scope's
semi-join admits exactly the rows of the former OR form for every role, and the lists count at most a bound."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Q, Sum
from django.urls import reverse

from commitments import selectors
from commitments.choices import CommitmentStatus as S
from commitments.models import Commitment, CommitmentTally, OpenDeadlineTally, TallyPivot
from commitments.services import commitment_tally_pivot_advance, commitment_tally_rebuild
from commitments.views.common import local_today
from proposals import scoping
from proposals.models import ProposalProposer
from proposals.pagination import BoundedPaginator
from tests import factories

pytestmark = pytest.mark.django_db

D = dt.date
TODAYS = [D(2026, 3, 1), D(2026, 3, 17), D(2026, 3, 31), D(2026, 12, 31)]


@pytest.fixture
def world():
    body, other_body = factories.BodyFactory(), factories.BodyFactory()
    sessions = [factories.SessionFactory(body=body), factories.SessionFactory(body=other_body)]
    a, b, c = factories.AgencyFactory(), factories.AgencyFactory(), factories.AgencyFactory()
    deadlines = [None, D(2025, 12, 31), D(2026, 2, 28), D(2026, 3, 1), D(2026, 3, 16), D(2026, 3, 17), D(2026, 3, 31)]
    deadlines += [D(2026, 4, 1), D(2026, 4, 30), D(2026, 6, 2), D(2026, 6, 29), D(2027, 1, 1), D(2027, 3, 1)]
    statuses = [S.OPEN, S.OPEN, S.FULFILLED, S.PARTLY_FULFILLED, S.MISSED, S.WITHDRAWN]
    made = []
    for i, deadline in enumerate(deadlines * 3):
        agency = (a, b, c)[i % 3]
        proposal = factories.ProposalFactory(session=sessions[i % 2])
        response = factories.ResponseFactory(proposal=proposal, agency=agency) if i % 5 else None
        status = statuses[i % len(statuses)]
        closed = None
        if status != S.OPEN and i % 4:
            closed = (deadline or D(2026, 1, 1)) + dt.timedelta(days=(i % 3) * 20 - 20)
        precision = "none" if deadline is None else "day"
        made.append(
            factories.CommitmentFactory(
                response=response,
                agency=agency if response or i % 2 else None,
                deadline=deadline,
                precision=precision,
                status=status,
                closed_on=closed,
            )
        )
    # Shared: led by a, also the responsibility of b (b's clerk sees it; it is counted once, under a); and one
    # with no lead agency that b shares.
    shared = made[3]
    assert shared.agency_id == a.pk
    shared.agencies.add(b)
    made[0].agencies.add(b)
    supervisor = factories.supervisor_of(body)
    clerk_a, clerk_b = factories.clerk_of(a), factories.clerk_of(b)
    clerk_ab = factories.clerk_of(a)
    b.clerks.add(clerk_ab)
    both = factories.supervisor_of(other_body)
    c.clerks.add(both)
    proposer_user = factories.UserFactory()
    proposer = factories.ProposerFactory(user=proposer_user)
    ProposalProposer.objects.create(proposal=made[1].proposal, proposer=proposer)
    proposer_clerk = factories.clerk_of(c)
    ProposalProposer.objects.create(proposal=made[2].proposal, proposer=factories.ProposerFactory(user=proposer_clerk))
    superuser = factories.UserFactory(is_superuser=True)
    stranger = factories.UserFactory()
    users = [supervisor, clerk_a, clerk_b, clerk_ab, both, proposer_user, proposer_clerk, superuser, stranger]
    return {
        "users": users,
        "supervisor": supervisor,
        "superuser": superuser,
        "body": body,
        "sessions": sessions,
        "made": made,
        "clerk_b": clerk_b,
        "shared": shared,
        "a": a,
        "b": b,
    }


def _former_scope(user):
    """visible_to as it was before the semi-join: lead agency OR the M2M, OR the bodies, OR own items."""
    if scoping.sees_everything(user):
        return set(Commitment.objects.values_list("pk", flat=True))
    agencies, bodies, proposers = scoping.agency_ids(user), scoping.body_ids(user), scoping.proposer_ids(user)
    scope = Q(pk__in=[])
    if agencies:
        through = Commitment.agencies.through.objects.filter(agency_id__in=agencies).values("commitment_id")
        scope |= Q(agency_id__in=agencies) | Q(pk__in=through)
    if bodies:
        scope |= Q(proposal__session__body_id__in=bodies) | Q(proposal__isnull=True)
    if proposers:
        scope |= Q(proposal__proposer_links__proposer_id__in=proposers)
    return set(Commitment.objects.filter(scope).values_list("pk", flat=True))


def test_the_clerk_scope_is_unchanged_for_every_role(world):
    for user in world["users"]:
        assert set(Commitment.objects.visible_to(user).values_list("pk", flat=True)) == _former_scope(user), user
    assert world["shared"] in Commitment.objects.visible_to(world["clerk_b"])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the clerk's plan is PostgreSQL's")
def test_the_clerk_scope_is_a_semi_join_without_an_id_array(world):
    sql = str(Commitment.objects.visible_to(world["clerk_b"]).order_by().query)
    assert "commitments_commitment_agencies" in sql and "ARRAY" not in sql and " OR " not in sql


def _tally_rows():
    rows = CommitmentTally.objects.filter(n__gt=0).values_list(
        "agency_id", "session_id", "status", "on_time", "late", "overdue", "n"
    )
    days = OpenDeadlineTally.objects.filter(n__gt=0).values_list("session_id", "deadline", "n")
    return sorted(rows, key=str), sorted(days, key=str)


def _pivot_set(day):
    """Moves the pivot as the beat does (the counts of the open commitments due in between move with it)."""
    commitment_tally_pivot_advance(today=day)
    assert TallyPivot.objects.get().day == day


def _assert_tally_equals_live(world):
    # Every reader's today against every pivot: before it, on it, after it (the live correction in between).
    for pivot in (D(2026, 3, 17), D(2026, 1, 10), D(2026, 12, 31)):
        _pivot_set(pivot)
        for user in (world["supervisor"], world["superuser"]):
            assert selectors._tally(user, None) is not None
            for today in TODAYS:
                assert selectors.dashboard_counts(user=user, today=today) == selectors.dashboard_counts_live(
                    user=user, today=today
                ), (user, today, pivot)
                for filters in (None, {"body": world["body"].pk}, {"session": world["sessions"][1].pk}):
                    counted = selectors.agency_performance(user=user, today=today, filters=filters)
                    live = selectors.agency_performance_rows_live(user=user, today=today, filters=filters)
                    keys = ("agency_id", *selectors._PERFORMANCE_COLUMNS)
                    assert [tuple(r[k] for k in keys) for r in counted] == [tuple(r[k] for k in keys) for r in live]
                    months = selectors.deadlines_by_month(user=user, today=today, filters=filters)
                    live_months = _live_months(user, today, filters)
                    assert months == live_months, (today, filters)
                _assert_list_counts(world, user, today)
        # And the tables themselves equal a recount from scratch at that pivot.
        before = _tally_rows()
        commitment_tally_rebuild(today=pivot)
        assert _tally_rows() == before


def _assert_list_counts(world, user, today):
    """list_count, where the tallies hold a dashboard list's filters, equals the list's own COUNT."""
    body, session, a = world["body"].pk, world["sessions"][1].pk, world["a"].pk
    held = [{}, {"body": body}, {"session": session}, {"agency": a}, {"agency": a, "body": body}]
    tabs = [{"overdue": True}, {"due_within": 30}, {"due_within": 90}, {"status": ["open"]}, {}]
    tabs += [{"status": ["fulfilled", "missed"]}, {"overdue": True, "status": ["missed"]}]
    for filters in held:
        for tab in tabs:
            cleaned = {**filters, **tab, "ordering": ["deadline"], "q": ""}
            counted = selectors.list_count(user=user, today=today, cleaned=cleaned)
            if "due_within" in tab and "agency" in filters:
                assert counted is None  # the day tally has no agency
                continue
            assert counted == _live_list(user, today, {**filters, **tab}), (cleaned, today)
    # Filters the tallies do not hold: the list counts itself.
    for other in ({"is_key": False}, {"strength": ["ensure"]}, {"overdue": False}, {"agencies": a}):
        assert selectors.list_count(user=user, today=today, cleaned={"overdue": True, **other}) is None


def _live_list(user, today, filters):
    qs = Commitment.objects.visible_to(user)
    if filters.get("overdue"):
        qs = qs.filter(status=S.OPEN, deadline__lt=today)
    if "due_within" in filters:
        qs = qs.filter(
            status=S.OPEN, deadline__gte=today, deadline__lte=today + dt.timedelta(days=filters["due_within"])
        )
    if filters.get("status"):
        qs = qs.filter(status__in=filters["status"])
    for key, lookup in (
        ("body", "proposal__session__body_id"),
        ("session", "proposal__session_id"),
        ("agency", "agency_id"),
    ):
        if key in filters:
            qs = qs.filter(**{lookup: filters[key]})
    return qs.count()


def _live_months(user, today, filters):
    original = selectors._tally
    try:
        selectors._tally = lambda *args, **kwargs: None
        return selectors.deadlines_by_month(user=user, today=today, filters=filters)
    finally:
        selectors._tally = original


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the tally is kept by PostgreSQL triggers")
def test_tally_counts_equal_the_live_counts_through_every_kind_of_write(world):
    assert sum(CommitmentTally.objects.values_list("n", flat=True)) == len(world["made"])
    _assert_tally_equals_live(world)
    made = world["made"]
    # save(): a status change, a new deadline, another lead agency; save() of an unchanged key changes nothing.
    made[3].status, made[3].closed_on = S.FULFILLED, D(2026, 2, 1)
    made[3].save()
    made[4].deadline, made[4].precision = D(2026, 3, 20), "day"
    made[4].save()
    made[5].agency = world["b"]
    made[5].save()
    made[6].text = "只改原文"
    made[6].save()
    # queryset.update() and delete() bypass save(): the triggers still see them.
    Commitment.objects.filter(pk__in=[m.pk for m in made[7:12]]).update(status=S.MISSED, closed_on=D(2026, 3, 2))
    Commitment.objects.filter(pk__in=[m.pk for m in made[12:15]]).delete()
    # An item moved to another session moves its commitments.
    moved = made[16].proposal
    moved.session = world["sessions"][0] if moved.session_id == world["sessions"][1].pk else world["sessions"][1]
    moved.save()
    _assert_tally_equals_live(world)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the tally is kept by PostgreSQL triggers")
def test_the_pages_show_the_tally_counts_and_they_add_up(client, world):
    supervisor = world["supervisor"]
    client.force_login(supervisor)
    dashboard = client.get(reverse("commitments:dashboard") + "?tab=open")
    stats = client.get(reverse("commitments:agency_stats"))
    assert dashboard.status_code == stats.status_code == 200
    counts = dashboard.context["counts"]
    assert counts == selectors.dashboard_counts_live(user=supervisor, today=local_today())
    assert counts["open"] == sum(r["open"] for r in stats.context["rows"]) == dashboard.context["page"].paginator.count
    assert counts["overdue"] == sum(r["overdue"] for r in stats.context["rows"])
    # A filter the tally does not hold (is_key) is counted live, with the same result as the tally would give.
    keyed = client.get(reverse("commitments:agency_stats") + "?is_key=false")
    live = selectors.agency_performance_rows_live(user=supervisor, today=local_today(), filters={"is_key": False})
    assert [(r["agency_id"], r["open"]) for r in keyed.context["rows"]] == [(r["agency_id"], r["open"]) for r in live]


def test_tally_rebuild_recounts_after_a_load_without_triggers(world):
    if connection.vendor != "postgresql":
        assert commitment_tally_rebuild() == 0
        return
    expected = _tally_rows()
    CommitmentTally.objects.all().delete()
    OpenDeadlineTally.objects.all().delete()
    commitment_tally_rebuild(today=TallyPivot.objects.get().day)
    assert _tally_rows() == expected
    assert CommitmentTally.objects.aggregate(n=Sum("n"))["n"] == Commitment.objects.count()
    dated_open = Commitment.objects.filter(status=S.OPEN, deadline__isnull=False).count()
    assert OpenDeadlineTally.objects.aggregate(n=Sum("n"))["n"] == dated_open


def test_bounded_paginator_counts_at_most_its_bound(world):
    rows = Commitment.objects.order_by("pk")
    total = rows.count()
    small = BoundedPaginator(rows, 5, bound=10)
    assert small.count == 10 and small.capped and small.num_pages == 2 and small.pages_label == "2+"
    assert len(small.page(2)) == 5
    exact = BoundedPaginator(rows, 5, bound=total)
    assert exact.count == total and not exact.capped and exact.pages_label == str(exact.num_pages)


def test_inbox_count_is_bounded(world):
    supervisor = world["supervisor"]
    unbounded = selectors.inbox_count(user=supervisor, bound=None)
    assert unbounded >= 3
    assert selectors.inbox_count(user=supervisor, bound=2) == 3
    assert selectors.inbox_count(user=supervisor) == unbounded


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the tally is kept by PostgreSQL triggers")
def test_the_beat_moves_the_pivot_to_today_once(world):
    from commitments import tasks

    _pivot_set(D(2026, 1, 10))
    assert tasks.tally_pivot_advance() is True
    assert TallyPivot.objects.get().day == local_today()
    assert tasks.tally_pivot_advance() is False
    for user in (world["supervisor"], world["superuser"]):
        counted = selectors.dashboard_counts(user=user, today=local_today())
        assert counted == selectors.dashboard_counts_live(user=user, today=local_today())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the tally is kept by PostgreSQL triggers")
def test_the_dashboard_tabs_take_their_size_from_the_tally(client, world):
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    client.force_login(world["supervisor"])
    url = reverse("commitments:dashboard")
    for query in ("?tab=overdue", "?tab=due30", f"?tab=all&agency={world['a'].pk}"):
        with CaptureQueriesContext(conn) as queries:
            page = client.get(url + query)
        assert page.status_code == 200
        bounded = [q["sql"] for q in queries if "LIMIT 10001" in q["sql"]]
        assert not bounded, query
        paginator = page.context["page"].paginator
        assert paginator.exact_count == paginator.count == len(page.context["page"].object_list), query
    # A filter the tallies do not hold: the list counts itself, bounded.
    with CaptureQueriesContext(conn) as queries:
        page = client.get(url + "?tab=overdue&strength=ensure")
    assert page.status_code == 200 and any("LIMIT 10001" in q["sql"] for q in queries)
