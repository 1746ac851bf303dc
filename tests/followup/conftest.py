import datetime as dt
import zoneinfo

import pytest
import time_machine

from tests import factories

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day: dt.date, hour: int = 9):
    """Freeze the clock at `hour` o'clock Shanghai time on `day`."""
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def world(db):
    """A body with a supervisor, an agency with a clerk, a deputy with an account, and one reply of his item
    (signed 2025-01-15) with two open commitments."""
    body = factories.BodyFactory()
    session = factories.SessionFactory(body=body)
    agency = factories.AgencyFactory()
    clerk = factories.clerk_of(agency, "clerk_f")
    supervisor = factories.supervisor_of(body, "sup_f")
    deputy_user = factories.UserFactory(username="deputy_f")
    deputy = factories.ProposerFactory(name="张代表", user=deputy_user)
    proposal = factories.ProposalFactory(session=session)
    proposal.proposer_links.create(proposer=deputy)
    response = factories.ResponseFactory(
        proposal=proposal, agency=agency, signed_on=dt.date(2025, 1, 15), review_state="confirmed"
    )
    commitments = [
        factories.CommitmentFactory(response=response, deadline=dt.date(2025, 12, 31)),
        factories.CommitmentFactory(response=response, deadline=dt.date(2026, 6, 30), precision="day"),
    ]
    return {
        "body": body,
        "session": session,
        "agency": agency,
        "clerk": clerk,
        "supervisor": supervisor,
        "deputy": deputy,
        "deputy_user": deputy_user,
        "proposal": proposal,
        "response": response,
        "commitments": commitments,
    }
