import datetime as dt
import zoneinfo

import pytest
import time_machine

from tests import factories

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def moment(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def at(day: dt.date, hour: int = 9):
    return time_machine.travel(moment(day, hour), tick=False)


@pytest.fixture
def world(db):
    """A body with a supervisor, an agency with two clerks, and helpers to make commitments as of a date."""
    body = factories.BodyFactory()
    session = factories.SessionFactory(body=body)
    agency = factories.AgencyFactory()
    clerks = [factories.clerk_of(agency, "clerk_x"), factories.clerk_of(agency, "clerk_y")]
    supervisor = factories.supervisor_of(body, "sup_x")

    def commitment(deadline, precision="day", created=dt.date(2025, 1, 1), **kw):
        with at(created):
            response = factories.ResponseFactory(proposal=factories.ProposalFactory(session=session), agency=agency)
            return factories.CommitmentFactory(response=response, deadline=deadline, precision=precision, **kw)

    return {
        "body": body,
        "agency": agency,
        "clerks": clerks,
        "supervisor": supervisor,
        "commitment": commitment,
        "session": session,
    }
