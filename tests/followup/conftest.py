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


def remind(day: dt.date, hour: int = 9):
    """Run the one reminder scan as of `day` (`hour` o'clock Shanghai) and return its result, with `.followup`:
    how many new reminder rows are about rounds or periods (the world's commitments get their own too)."""
    from commitments.choices import ReminderSubject
    from commitments.models import Reminder
    from commitments.reminders.scan import reminders_scan

    followup = Reminder.objects.filter(subject_type__in=[ReminderSubject.ROUND, ReminderSubject.PERIOD])
    before = followup.count()
    moment = dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)
    result = reminders_scan(now=moment, enqueue=lambda keys, hooks: None)
    result.followup = followup.count() - before
    return result


def deliver() -> int:
    """Deliver every pending digest once (what the worker does with the scan's keys); return the rows sent."""
    from commitments.choices import ReminderState
    from commitments.models import Reminder
    from commitments.reminders.digest import digest_deliver

    keys = set(Reminder.objects.filter(state=ReminderState.PENDING).values_list("digest_key", flat=True))
    return sum(digest_deliver(key=key) for key in sorted(keys))


def report_two_lines(round_, clerk, *, note: str, evidence_url: str):
    """The agency reports on a round's first two lines (by deadline): the first in progress with `note` and a link,
    the second done with an evidence file. Returns the two lines (the /my/ page's and the API's session-19 tests)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from followup import services

    first, second = round_.items.order_by("commitment__deadline")
    services.review_item_report(item=first, user=clerk, state="in_progress", note=note, evidence_url=evidence_url)
    services.review_item_report(
        item=second,
        user=clerk,
        state="done",
        note="已建成投用",
        evidence_file=SimpleUploadedFile("验收报告.txt", "验收合格".encode()),
    )
    return first, second
