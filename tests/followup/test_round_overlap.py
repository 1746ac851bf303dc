"""Session 13 (the session 12 walk-through's 'left'): a second 回头看 could be opened over the commitments of a
round still open, so the agency was asked the same lines twice. A commitment on a round not yet verified is not
asked again; a round that would ask nothing new is refused, naming the open round, and writes nothing."""

import datetime as dt

import pytest

from followup import services
from followup.models import ReviewItem, ReviewRound
from proposals.errors import Conflict
from tests import factories
from tests.api.conftest import assert_error, client_for

from .conftest import at

D = dt.date


def test_a_second_round_over_the_same_session_is_refused_naming_the_open_one(world):
    with at(D(2025, 3, 1)):
        first = services.review_round_open(
            user=world["supervisor"], session=world["session"], due_on=D(2025, 4, 1), title="一季度回头看"
        )
        with pytest.raises(Conflict, match="一季度回头看") as refused:
            services.review_round_open(user=world["supervisor"], session=world["session"], due_on=D(2025, 5, 1))
        # The agency within the session: the same two commitments.
        with pytest.raises(Conflict, match="一季度回头看"):
            services.review_round_open(user=world["supervisor"], agency=world["agency"], due_on=D(2025, 5, 1))
    assert refused.value.existing == first
    assert (ReviewRound.objects.count(), ReviewItem.objects.count()) == (1, 2)


def test_a_submitted_round_still_counts_and_a_verified_one_no_longer(world):
    clerk, supervisor = world["clerk"], world["supervisor"]
    with at(D(2025, 3, 1)):
        first = services.review_round_open(user=supervisor, session=world["session"], due_on=D(2025, 4, 1))
        for item in first.items.all():
            services.review_item_report(item=item, user=clerk, state="delayed", note="资金未到位")
        services.review_round_submit(round_=first, user=clerk)
        with pytest.raises(Conflict):
            services.review_round_open(user=supervisor, session=world["session"], due_on=D(2025, 5, 1))
        services.review_round_verify(
            round_=first, user=supervisor, verdicts=[(i.pk, True, "") for i in first.items.all()]
        )
        again = services.review_round_open(user=supervisor, session=world["session"], due_on=D(2025, 5, 1))
    assert again.items.count() == 2


def test_only_the_commitments_not_yet_asked_go_into_an_overlapping_round(world):
    other_agency = factories.AgencyFactory()
    proposal = factories.ProposalFactory(session=world["session"])
    reply = factories.ResponseFactory(proposal=proposal, agency=other_agency, review_state="confirmed")
    newcomer = factories.CommitmentFactory(response=reply, deadline=D(2025, 12, 31))
    with at(D(2025, 3, 1)):
        services.review_round_open(user=world["supervisor"], agency=world["agency"], due_on=D(2025, 4, 1))
        session_round = services.review_round_open(
            user=world["supervisor"], session=world["session"], due_on=D(2025, 4, 1)
        )
    assert list(session_round.items.values_list("commitment_id", flat=True)) == [newcomer.pk]
    assert session_round.already_asked == 2


def test_the_board_and_the_api_refuse_a_second_round_with_a_409_and_write_nothing(client, world):
    with at(D(2025, 3, 1)):
        services.review_round_open(
            user=world["supervisor"], session=world["session"], due_on=D(2025, 4, 1), title="一季度回头看"
        )
        client.force_login(world["supervisor"])
        page = client.post(
            "/followup/rounds/open/", {"session": world["session"].pk, "due_on": "2025-05-01", "title": "再看一次"}
        )
        api = client_for(world["supervisor"]).post(
            "/api/v1/review-rounds/", {"session": world["session"].pk, "due_on": "2025-05-01"}, format="json"
        )
    assert page.status_code == 409
    html = page.content.decode()
    assert 'id="board"' in html and "一季度回头看" in html and "尚未核实" in html
    assert 'name="title" value="再看一次"' in html
    assert "一季度回头看" in str(assert_error(api, 409))
    assert ReviewRound.objects.count() == 1 and ReviewItem.objects.count() == 2
