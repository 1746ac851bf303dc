"""Editing a reply to drop a commitment must not delete what a 回头看 or a recurring period recorded on it (session 20):
`commitments.services.has_tracking` counts them through `commitments.tracking`, so the commitment is withdrawn."""

import datetime as dt

import pytest

from commitments.choices import CommitmentStatus
from commitments.models import Commitment
from commitments.reply_logging import ReplyInput, reply_delete, reply_log
from commitments.services import CommitmentInput
from followup.choices import RoundState
from followup.models import CommitmentPeriod, ReviewItem
from followup.services import review_item_report, review_round_open_for_reply, review_rounds_skip_emptied
from followup.tasks import followup_scan

pytestmark = pytest.mark.django_db


def _drop_third(logged_reply):
    """The clerk saves the reply again without its third commitment (as the edit form's 删除 box does)."""
    reply: ReplyInput = logged_reply["reply"]
    kept = [
        CommitmentInput(id=c.pk, text=c.text, deadline=c.deadline)
        for c in (logged_reply["first"], logged_reply["second"])
    ]
    reply_log(
        document=logged_reply["document"],
        reply=ReplyInput(
            agency_name=reply.agency_name, doc_number=reply.doc_number, proposal=reply.proposal, commitments=kept
        ),
        user=logged_reply["clerk"],
    )


def test_a_reported_round_line_survives_the_reply_edit(logged_reply):
    third, clerk = logged_reply["third"], logged_reply["clerk"]
    round_ = review_round_open_for_reply(response=logged_reply["response"], offset_months=6, today=dt.date(2025, 1, 2))
    item = ReviewItem.objects.get(round=round_, commitment=third)
    review_item_report(
        item=item, user=clerk, state="in_progress", note="评估方案已起草", evidence_url="https://example.gov.cn/a"
    )

    _drop_third(logged_reply)

    third.refresh_from_db()  # withdrawn, not deleted: the report and its evidence stay
    assert third.status == CommitmentStatus.WITHDRAWN
    item.refresh_from_db()
    assert (item.reported_state, item.evidence_url) == ("in_progress", "https://example.gov.cn/a")
    # and the reply cannot be deleted while it holds them
    with pytest.raises(Exception, match="不能删除答复"):
        reply_delete(response=logged_reply["response"])


def test_an_unreported_line_does_not_keep_the_commitment(logged_reply):
    third = logged_reply["third"]
    review_round_open_for_reply(response=logged_reply["response"], offset_months=6, today=dt.date(2025, 1, 2))
    _drop_third(logged_reply)
    assert not Commitment.objects.filter(pk=third.pk).exists()


def test_a_reported_period_survives_the_reply_edit(logged_reply):
    third = logged_reply["third"]
    period = CommitmentPeriod.objects.create(
        commitment=third, number=1, starts_on=dt.date(2025, 1, 1), due_on=dt.date(2025, 1, 31), note="一月调度已开"
    )
    _drop_third(logged_reply)
    third.refresh_from_db()
    assert third.status == CommitmentStatus.WITHDRAWN
    assert CommitmentPeriod.objects.filter(pk=period.pk).exists()


def test_a_round_left_without_lines_is_skipped_by_the_beat(logged_reply):
    """Every line dropped before anyone reported: the round stayed 待填报 with nothing to fill in, reminded and
    escalated, and nobody could submit it. The beat (`followup.scan`) records it as 无需填报."""
    round_ = review_round_open_for_reply(response=logged_reply["response"], offset_months=6, today=dt.date(2025, 1, 2))
    other = review_round_open_for_reply(response=logged_reply["response"], offset_months=12, today=dt.date(2025, 7, 2))
    assert review_rounds_skip_emptied() == 0  # rounds with lines stay open
    ReviewItem.objects.filter(round=round_).delete()  # as the commitments' deletion cascades
    followup_scan()
    round_.refresh_from_db()
    other.refresh_from_db()
    assert (round_.state, other.state) == (RoundState.SKIPPED, RoundState.OPEN)
