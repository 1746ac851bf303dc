"""The per-agency page's two 满意率 (the proposers' own vs staff-entered) counted in SQL equal the rule they state:
each visible reply once per side with its latest rating of that side; a reply with no rating at all counts its
legacy `satisfaction` on the side its channel says (issue 13: a province's million replies are not loaded)."""

import datetime as dt
from collections import defaultdict

import pytest
from django.db import connection
from django.utils import timezone

from followup.choices import CollectedBy
from followup.models import Rating, ReplyRatingTally
from followup.selectors import SATISFIED, _rating_tally, rating_rates_by_agency, rating_rates_by_agency_live
from followup.services import rating_tally_rebuild
from responses.models import Response
from tests import factories

pytestmark = pytest.mark.django_db


def _reference(user) -> dict[int, tuple[int, int, int, int]]:
    """The rule in plain Python (as the selector did before it counted in SQL)."""
    visible = {r.pk: r for r in Response.objects.visible_to(user)}
    latest: dict[tuple[int, str], str] = {}
    for rating in Rating.objects.filter(response_id__in=visible).order_by("created_at", "pk"):
        latest[(rating.response_id, "own" if rating.collected_by == CollectedBy.PROPOSER else "staff")] = rating.result
    for pk, reply in visible.items():
        if reply.satisfaction and not Rating.objects.filter(response_id=pk).exists():
            latest[(pk, "own" if reply.satisfaction_channel == CollectedBy.PROPOSER else "staff")] = reply.satisfaction
    out: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for (pk, side), result in latest.items():
        row = out[visible[pk].agency_id]
        row[0 if side == "own" else 2] += 1
        row[1 if side == "own" else 3] += result in SATISFIED
    return {k: tuple(v) for k, v in out.items()}


def _legacy_reference(user) -> dict[int, tuple[int, int]]:
    out: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for reply in Response.objects.visible_to(user).exclude(satisfaction=""):
        out[reply.agency_id][0] += 1
        out[reply.agency_id][1] += reply.satisfaction in SATISFIED
    return {k: tuple(v) for k, v in out.items()}


def _counted(rates) -> tuple[dict, dict]:
    sides = {k: (v["own_rated"], v["own_ok"], v["staff_rated"], v["staff_ok"]) for k, v in rates.items()}
    sides = {k: v for k, v in sides.items() if any(v)}
    legacy = {k: (v["rated"], v["satisfied"]) for k, v in rates.items() if v["rated"]}
    return sides, legacy


def _assert_rates(users):
    for user in users:
        expected = (_reference(user), _legacy_reference(user))
        assert _counted(rating_rates_by_agency_live(user=user)) == expected, user
        if connection.vendor == "postgresql" and user.is_superuser:
            assert _rating_tally(user) is not None
        assert _counted(rating_rates_by_agency(user=user)) == expected, user


def test_rating_rates_counted_in_sql_follow_the_rule():
    body, other_body = factories.BodyFactory(), factories.BodyFactory()
    session, other_session = factories.SessionFactory(body=body), factories.SessionFactory(body=other_body)
    agencies = [factories.AgencyFactory() for _ in range(3)]
    proposers = [factories.ProposerFactory() for _ in range(3)]
    results = ["satisfied", "basically", "unsatisfied"]
    channels = ["", "agency", "body", "proposer"]
    moment = timezone.now() - dt.timedelta(days=10)
    for i in range(24):
        proposal = factories.ProposalFactory(session=session if i % 4 else other_session)
        reply = factories.ResponseFactory(
            proposal=proposal,
            agency=agencies[i % 3],
            satisfaction=results[i % 3] if i % 5 else "",
            satisfaction_channel=channels[i % 4] if i % 5 else "",
        )
        for j in range(i % 4):  # 0–3 ratings, both sides, some at the same moment (the later id wins)
            side = CollectedBy.PROPOSER if (i + j) % 2 else (CollectedBy.AGENCY, CollectedBy.BODY)[j % 2]
            rating = Rating.objects.create(
                response=reply,
                proposer=proposers[j] if side == CollectedBy.PROPOSER else None,
                attitude="satisfied",
                result=results[(i + j) % 3],
                collected_by=side,
            )
            Rating.objects.filter(pk=rating.pk).update(created_at=moment + dt.timedelta(hours=(i * j) % 3))
    supervisor, superuser = factories.supervisor_of(body), factories.UserFactory(is_superuser=True)
    clerk = factories.clerk_of(agencies[1])
    # A reply without an item, of an agency the body assigns to (its supervisor sees it), and one of an agency it
    # does not (he does not).
    factories.AssignmentFactory(proposal=factories.ProposalFactory(session=session), agency=agencies[2])
    loose = factories.ResponseFactory(proposal=None, agency=agencies[2], satisfaction="satisfied")
    factories.ResponseFactory(proposal=None, agency=factories.AgencyFactory(), satisfaction="basically")
    users = (supervisor, superuser, clerk)
    _assert_rates(users)
    assert sum(v[0] + v[2] for v in _reference(superuser).values()) > 0
    # Every kind of write moves the tally: a new rating (the latest of its side), a changed and a deleted one, a
    # reply's satisfaction, agency and item, an item moved to another body's session, a deleted reply.
    replies = list(Response.objects.order_by("pk"))
    Rating.objects.create(
        response=replies[0], proposer=proposers[2], attitude="satisfied", result="unsatisfied", collected_by="proposer"
    )
    Rating.objects.create(response=replies[1], attitude="satisfied", result="satisfied", collected_by="agency")
    first = Rating.objects.order_by("pk").first()
    first.result = "unsatisfied" if first.result != "unsatisfied" else "satisfied"
    first.save()
    Rating.objects.filter(response=replies[3]).order_by("-pk").first().delete()
    Response.objects.filter(pk=replies[4].pk).update(satisfaction="unsatisfied", satisfaction_channel="proposer")
    Response.objects.filter(pk=replies[5].pk).update(agency=agencies[0])
    Response.objects.filter(pk=loose.pk).update(proposal=replies[6].proposal)
    moved = replies[7].proposal
    moved.session = other_session if moved.session_id == session.pk else session
    moved.save()
    Rating.objects.filter(response=replies[8]).delete()
    replies[8].delete()
    _assert_rates(users)
    if connection.vendor == "postgresql":
        before = sorted(ReplyRatingTally.objects.filter(n__gt=0).values_list("agency_id", "session_id", "sat", "n"))
        ReplyRatingTally.objects.all().delete()
        assert rating_tally_rebuild() > 0
        after = sorted(ReplyRatingTally.objects.filter(n__gt=0).values_list("agency_id", "session_id", "sat", "n"))
        assert after == before
