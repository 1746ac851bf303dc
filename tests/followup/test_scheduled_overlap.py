"""Session 14 (docs/ui.md, session 13's 'left'): the beat opened a reply's 6/12-month round over commitments a
round opened by hand and not yet verified was already asking, so the agency answered the same lines twice.
The scheduled round now leaves those out and opens with the rest; when nothing is left it is recorded as skipped
(无需填报, naming the round that asks), so the beat does not retry it every hour and the board says so."""

import datetime as dt
import re

from followup import services
from followup.choices import RoundOrigin, RoundState
from followup.models import ReviewItem, ReviewRound
from tests import factories
from tests.api.conftest import client_for

from .conftest import at

D = dt.date


def _manual(world):
    """A round opened by hand on 1 July 2025 over the world's session (both commitments), due 31 August."""
    with at(D(2025, 7, 1)):
        return services.review_round_open(
            user=world["supervisor"], session=world["session"], due_on=D(2025, 8, 31), title="七月专项回头看"
        )


def test_a_scheduled_round_over_only_commitments_a_manual_round_asks_is_recorded_as_skipped(world):
    manual = _manual(world)
    with at(D(2025, 7, 15)):
        opened = services.review_rounds_open_due(today=D(2025, 7, 15))
        again = services.review_rounds_open_due(today=D(2025, 7, 16))
    assert opened == [] and again == []  # nothing opened for the agency to fill in, then or the next day
    skipped = ReviewRound.objects.get(origin=RoundOrigin.SCHEDULED)
    assert (skipped.response_id, skipped.offset_months, skipped.state) == (world["response"].pk, 6, RoundState.SKIPPED)
    assert skipped.covered_by == manual
    assert not skipped.items.exists()
    # Every commitment is asked once, in the manual round.
    assert ReviewItem.objects.count() == 2 and set(manual.items.values_list("commitment_id", flat=True)) == {
        c.pk for c in world["commitments"]
    }


def test_a_partly_covered_scheduled_round_opens_with_the_rest(world):
    _manual(world)
    # A commitment added to the reply after the manual round was opened: not on it.
    late = factories.CommitmentFactory(response=world["response"], deadline=D(2026, 3, 31))
    opened = services.review_rounds_open_due(today=D(2025, 7, 15))
    assert [r.offset_months for r in opened] == [6]
    assert opened[0].state == RoundState.OPEN
    assert list(opened[0].items.values_list("commitment_id", flat=True)) == [late.pk]


def test_after_the_manual_round_is_verified_the_next_offset_opens_in_full(world):
    clerk, supervisor = world["clerk"], world["supervisor"]
    manual = _manual(world)
    services.review_rounds_open_due(today=D(2025, 7, 15))  # 6 months: skipped
    with at(D(2025, 7, 20)):
        for item in manual.items.all():
            services.review_item_report(item=item, user=clerk, state="in_progress", note="推进中")
        services.review_round_submit(round_=manual, user=clerk)
        services.review_round_verify(
            round_=manual, user=supervisor, verdicts=[(i.pk, True, "") for i in manual.items.all()]
        )
    opened = services.review_rounds_open_due(today=D(2026, 1, 15))
    assert [(r.offset_months, r.state, r.items.count()) for r in opened] == [(12, RoundState.OPEN, 2)]


def test_a_manual_round_already_verified_or_the_replys_own_earlier_round_does_not_skip_it(world):
    """Only an unfinished round opened by hand is left to ask: the reply's own 6-month round still open does not
    make its 12-month one skipped (each checkpoint asks what is open then; test_rounds.py has that case too)."""
    six = services.review_rounds_open_due(today=D(2025, 7, 15))[0]
    twelve = services.review_rounds_open_due(today=D(2026, 1, 15))
    assert [(r.offset_months, r.state, r.items.count()) for r in twelve] == [(12, RoundState.OPEN, 2)]
    assert six.state == RoundState.OPEN


def test_the_board_the_round_page_and_the_api_say_the_round_was_skipped(client, world):
    _manual(world)
    services.review_rounds_open_due(today=D(2025, 7, 15))
    skipped = ReviewRound.objects.get(origin=RoundOrigin.SCHEDULED)
    client.force_login(world["supervisor"])
    with at(D(2025, 7, 15)):
        board = client.get("/followup/").content.decode()
        page = client.get(f"/followup/rounds/{skipped.pk}/").content.decode()
        api = client_for(world["supervisor"]).get("/api/v1/review-rounds/?state=skipped")
    column = board.split('id="col-skipped"', 1)[1].split("</section>", 1)[0]
    assert skipped.title in column and "七月专项回头看" in column and "无需填报" in column
    # Not among the rounds due: nothing to fill in.
    assert skipped.title not in board.split('id="col-open"', 1)[1].split("</section>", 1)[0]
    assert "七月专项回头看" in page and 'id="skipped-note"' in page and 'id="submit-round"' not in page
    assert api.status_code == 200
    rows = api.json()["results"] if isinstance(api.json(), dict) else api.json()
    assert [(r["id"], r["state"], r["covered_by"]) for r in rows] == [(skipped.pk, "skipped", skipped.covered_by_id)]


def test_the_board_names_a_round_without_an_agency_without_a_stray_separator(client, world):
    """Session 14 walk-through: a session-wide round (no agency) read “· 期限 …” on the board, and the covering
    round's title ran into the sentence (“…回头看昆明市…回头看中”); it is quoted now (「…」)."""
    _manual(world)
    services.review_rounds_open_due(today=D(2025, 7, 15))
    client.force_login(world["supervisor"])
    with at(D(2025, 7, 15)):
        board = client.get("/followup/").content.decode()
        skipped = ReviewRound.objects.get(origin=RoundOrigin.SCHEDULED)
        page = client.get(f"/followup/rounds/{skipped.pk}/").content.decode()
    column = board.split('id="col-open"', 1)[1].split("</section>", 1)[0]
    line = column.split("七月专项回头看</a><br>", 1)[1].split("</p>", 1)[0]
    text = re.sub(r"<[^>]+>", "", line).strip()
    assert text.startswith("期限") and not text.startswith("·"), text
    assert "「<a" in page and "</a>」" in page
