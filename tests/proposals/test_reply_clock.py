import datetime as dt

import pytest

from proposals.dates import add_months
from proposals.services import proposal_assign, reply_due_on
from tests import factories


@pytest.mark.parametrize(
    ("assigned", "months", "due"),
    [
        (dt.date(2023, 5, 31), 3, dt.date(2023, 8, 31)),
        (dt.date(2023, 11, 30), 3, dt.date(2024, 2, 29)),  # leap year
        (dt.date(2022, 11, 30), 3, dt.date(2023, 2, 28)),
        (dt.date(2023, 3, 1), 3, dt.date(2023, 6, 1)),
        (dt.date(2023, 10, 15), 3, dt.date(2024, 1, 15)),  # year boundary
        (dt.date(2023, 12, 31), 2, dt.date(2024, 2, 29)),
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2023, 8, 31), 6, dt.date(2024, 2, 29)),
        (dt.date(2023, 1, 31), 12, dt.date(2024, 1, 31)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(assigned, months, due):
    assert add_months(assigned, months) == due


@pytest.mark.django_db
def test_reply_due_on_uses_the_bodys_months():
    body = factories.BodyFactory(reply_months=2)
    assert reply_due_on(assigned_on=dt.date(2023, 12, 31), body=body) == dt.date(2024, 2, 29)


@pytest.mark.django_db
def test_assigning_starts_the_reply_clock():
    proposal = factories.ProposalFactory()
    assignment = proposal_assign(proposal=proposal, agency=factories.AgencyFactory(), assigned_on=dt.date(2023, 5, 31))
    proposal.refresh_from_db()
    assert assignment.due_on == dt.date(2023, 8, 31)
    assert proposal.reply_due_on == dt.date(2023, 8, 31)
    assert proposal.status == "assigned"


@pytest.mark.django_db
def test_a_clerk_sees_only_their_own_agencys_reply_clocks():
    from proposals.selectors import assignments_awaiting_reply

    lead = factories.AssignmentFactory(due_on=dt.date(2023, 6, 1))
    co = factories.AssignmentFactory(proposal=lead.proposal, role="co")
    clerk = factories.clerk_of(lead.agency)
    supervisor = factories.supervisor_of(lead.proposal.session.body)
    today = dt.date(2023, 5, 1)
    assert list(assignments_awaiting_reply(user=clerk, today=today)) == [lead]
    assert set(assignments_awaiting_reply(user=supervisor, today=today)) == {lead, co}
