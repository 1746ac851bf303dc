"""Issue 13, the clerk's counts: ResponsibilityTally (triggers on commitments and on their agencies M2M) gives a
clerk of one agency exactly the counts and list sizes the live queries over their scope give, through every kind of
write, on any day; the clerk's home and dashboard read it instead of counting through the semi-join."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Count, Q, Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commitments import selectors
from commitments.choices import CommitmentStatus as S
from commitments.models import Commitment, ResponsibilityTally
from commitments.services import commitment_tally_pivot_advance, commitment_tally_rebuild
from commitments.views.common import local_today
from proposals.models import ProposalProposer
from tests import factories

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the tally is kept by PostgreSQL triggers"),
]

D = dt.date
TODAYS = [D(2026, 3, 1), D(2026, 3, 17), D(2026, 4, 1), D(2027, 1, 1)]
TABS = [
    {"overdue": True},
    {"due_within": 30},
    {"due_within": 90},
    {"due_within": 0},
    {"status": ["open"]},
    {},
    {"status": ["fulfilled", "missed"]},
    {"overdue": True, "status": ["missed"]},
    {"overdue": True, "due_within": 30},
]


@pytest.fixture
def world():
    body = factories.BodyFactory()
    session = factories.SessionFactory(body=body)
    a, b, c = factories.AgencyFactory(), factories.AgencyFactory(), factories.AgencyFactory()
    deadlines = [None, D(2025, 12, 31), D(2026, 2, 28), D(2026, 3, 1), D(2026, 3, 16), D(2026, 3, 17)]
    deadlines += [D(2026, 3, 31), D(2026, 4, 16), D(2026, 5, 31), D(2026, 6, 15), D(2027, 1, 1)]
    statuses = [S.OPEN, S.OPEN, S.FULFILLED, S.PARTLY_FULFILLED, S.MISSED, S.OPEN, S.WITHDRAWN]
    made = []
    for i, deadline in enumerate(deadlines * 3):
        lead = (a, b, c, None)[i % 4]
        proposal = factories.ProposalFactory(session=session)
        made.append(
            factories.CommitmentFactory(
                response=factories.ResponseFactory(proposal=proposal, agency=lead) if lead else None,
                agency=lead,
                deadline=deadline,
                precision="none" if deadline is None else "day",
                status=statuses[i % len(statuses)],
            )
        )
    # Co-responsible agencies: some led by a are also b's, one without a lead agency is a's and c's.
    for m in made[0:12:4]:
        m.agencies.add(b)
    made[3].agencies.add(a, c)
    clerk_a, clerk_b, clerk_c = factories.clerk_of(a), factories.clerk_of(b), factories.clerk_of(c)
    clerk_ab = factories.clerk_of(a)
    b.clerks.add(clerk_ab)
    clerk_supervisor = factories.clerk_of(b)
    body.supervisors.add(clerk_supervisor)
    clerk_proposer = factories.clerk_of(c)
    ProposalProposer.objects.create(proposal=made[5].proposal, proposer=factories.ProposerFactory(user=clerk_proposer))
    return {
        "made": made,
        "agencies": (a, b, c),
        "clerks": [clerk_a, clerk_b, clerk_c],
        "others": [clerk_ab, clerk_supervisor, clerk_proposer],
    }


def _rows():
    return sorted(
        ResponsibilityTally.objects.filter(n__gt=0).values_list("agency_id", "status", "deadline", "n"), key=str
    )


def _live_list(user, today, tab, agency=None):
    qs = Commitment.objects.visible_to(user)
    if agency is not None:
        qs = qs.filter(agency_id=agency)
    if tab.get("status"):
        qs = qs.filter(status__in=tab["status"])
    if tab.get("overdue"):
        qs = qs.overdue(today)
    if "due_within" in tab:
        qs = qs.filter(status=S.OPEN, deadline__gte=today, deadline__lte=today + dt.timedelta(days=tab["due_within"]))
    return qs.count()


def _assert_exact(world):
    """Every clerk of one agency: the counts and every tab's size equal the live queries on each day; the others
    are counted live; the table equals a recount from scratch."""
    for clerk, own in zip(world["clerks"], world["agencies"], strict=True):
        assert selectors._responsibility(clerk) is not None
        for pivot in (D(2026, 3, 17), D(2026, 12, 31)):  # CommitmentTally's, for the clerk's own primary agency
            commitment_tally_pivot_advance(today=pivot)
            for today in TODAYS:
                counted = selectors.dashboard_counts(user=clerk, today=today)
                assert counted == selectors.dashboard_counts_live(user=clerk, today=today), today
                for tab in TABS:
                    cleaned = {**tab, "ordering": ["deadline"], "q": ""}
                    live = _live_list(clerk, today, tab)
                    assert selectors.list_count(user=clerk, today=today, cleaned=cleaned) == live, (tab, today)
                    if "due_within" not in tab:
                        live = _live_list(clerk, today, tab, agency=own.pk)
                        counted = selectors.list_count(user=clerk, today=today, cleaned={**cleaned, "agency": own.pk})
                        assert counted == live, (tab, today, pivot)
        # Filters no tally holds with the clerk's scope: the list counts itself.
        other_agency = next(a for a in world["agencies"] if a != own)
        for other in ({"agency": other_agency.pk}, {"body": 1}, {"is_key": True}, {"overdue": False}):
            assert selectors.list_count(user=clerk, today=TODAYS[0], cleaned={"overdue": True, **other}) is None
        assert selectors.list_count(user=clerk, today=TODAYS[0], cleaned={"due_within": 30, "agency": own.pk}) is None
    for user in world["others"]:
        assert selectors._responsibility(user) is None
        assert selectors.dashboard_counts(user=user, today=TODAYS[1]) == selectors.dashboard_counts_live(
            user=user, today=TODAYS[1]
        )
    before = _rows()
    commitment_tally_rebuild()
    assert _rows() == before
    links = Commitment.agencies.through.objects.count()
    assert (ResponsibilityTally.objects.aggregate(n=Sum("n"))["n"] or 0) == links


def test_the_clerk_counts_equal_the_live_counts_through_every_kind_of_write(world):
    made, (a, b, c) = world["made"], world["agencies"]
    assert ResponsibilityTally.objects.exists()
    _assert_exact(world)
    # save(): closed, reopened with another deadline, a closed one's deadline (no key change), a text edit.
    made[0].status, made[0].closed_on = S.FULFILLED, D(2026, 2, 1)
    made[0].save()
    made[2].status, made[2].deadline = S.OPEN, D(2026, 3, 20)
    made[2].save()
    made[4].deadline = D(2026, 8, 1)
    made[4].save()
    made[1].deadline = D(2026, 3, 18)
    made[1].save()
    made[6].text = "只改原文"
    made[6].save()
    # The M2M: add, remove, set, clear, and a link's row moved to another agency (the lead agency stays one of the
    # links: visible_to and the lead's CommitmentTally rely on it; check_scope reports a commitment without it).
    made[7].agencies.add(c)
    made[8].agencies.remove(b)
    made[9].agencies.set([made[9].agency_id, c])
    made[4].agencies.set([a])
    made[11].agencies.add(a, b)
    made[15].agencies.add(a, c)
    made[15].agencies.clear()
    assert Commitment.agencies.through.objects.filter(commitment=made[3], agency=a).update(agency=b) == 1
    # queryset.update() and delete() bypass save(); a new commitment with its agencies.
    Commitment.objects.filter(pk__in=[m.pk for m in made[12:18]]).update(status=S.MISSED, closed_on=D(2026, 3, 2))
    Commitment.objects.filter(pk__in=[m.pk for m in made[18:22]]).update(deadline=D(2026, 3, 25), precision="day")
    Commitment.objects.filter(pk__in=[m.pk for m in made[22:25]]).delete()
    fresh = factories.CommitmentFactory(response=None, agency=b, deadline=D(2026, 4, 2), precision="day")
    fresh.agencies.add(b, c)
    _assert_exact(world)
    # A commitment deleted before its links (raw SQL; the foreign key is checked at commit): counted once.
    gone = factories.CommitmentFactory(response=None, agency=a, deadline=D(2026, 3, 5), precision="day")
    gone.agencies.add(b)
    with connection.cursor() as cur:
        cur.execute("DELETE FROM commitments_commitment WHERE id = %s", [gone.pk])
        cur.execute("DELETE FROM commitments_commitment_agencies WHERE commitment_id = %s", [gone.pk])
    _assert_exact(world)


def test_a_truncate_of_the_links_empties_the_tally_and_a_rebuild_refills_it(world):
    expected = _rows()
    ResponsibilityTally.objects.all().delete()  # as after a load without triggers
    commitment_tally_rebuild()
    assert _rows() == expected
    with connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the fixture's deferred foreign-key checks, before TRUNCATE
        cur.execute("TRUNCATE commitments_commitment_agencies")
    assert not ResponsibilityTally.objects.exists()


def test_the_clerk_pages_take_their_counts_from_the_tally(client, world):
    clerk = world["clerks"][1]
    client.force_login(clerk)
    today = local_today()
    live = selectors.dashboard_counts_live(user=clerk, today=today)
    agency = world["agencies"][1]
    # Filtered by a primary agency, the cards count that agency's lists (session 15), still from the tally.
    mine = Commitment.objects.visible_to(clerk).filter(agency=agency)
    is_open = Q(status=S.OPEN)
    agency_live = mine.aggregate(
        overdue=Count("pk", filter=is_open & Q(deadline__lt=today)),
        due30=Count("pk", filter=is_open & Q(deadline__gte=today, deadline__lte=today + dt.timedelta(days=30))),
        due90=Count("pk", filter=is_open & Q(deadline__gte=today, deadline__lte=today + dt.timedelta(days=90))),
        open=Count("pk", filter=is_open),
    )
    assert agency_live != live  # the world's agencies differ, so the filtered cards are told apart
    for url, expected in (
        (reverse("home"), live),
        (reverse("commitments:dashboard") + "?tab=all", live),
        (reverse("commitments:dashboard") + "?tab=overdue", live),
        (reverse("commitments:dashboard") + "?tab=due90", live),
        (reverse("commitments:dashboard") + f"?tab=overdue&agency={agency.pk}", agency_live),
    ):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
        assert page.status_code == 200, url
        assert page.context["counts"] == expected, url
        # No bounded COUNT and no aggregate over the scope: the sizes come from the tally — except, under an agency
        # filter, the 30/90-day cards (OpenDeadlineTally has no agency), which count at most PAGE_COUNT_BOUND + 1 rows.
        sql = [q["sql"] for q in queries]
        bounded = f"LIMIT {selectors.PAGE_COUNT_BOUND + 1}"
        assert not [q for q in sql if "LIMIT 10001" in q], url
        # The home page's 回头看 list counts each listed round's own lines (COUNT over its items, LIMIT 20); since
        # session 20 its visibility asks whether a round holds a commitment the clerk may act on, which names the
        # agencies table: not a count over the scope.
        over_scope = [
            q
            for q in sql
            if "COUNT(" in q.upper()
            and "commitments_commitment_agencies" in q
            and not q.startswith('SELECT "followup_reviewround"')
        ]
        if expected is live:
            assert not over_scope, url
        else:
            assert over_scope and all(bounded in q for q in over_scope), url
            assert len(over_scope) <= 2, url  # the 30- and 90-day cards only
    home = client.get(reverse("home"))
    paginator = home.context["mine"].paginator
    assert paginator.exact_count == paginator.count == live["open"]
