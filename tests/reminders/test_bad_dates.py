"""Stored dates out of range (written around the services) never stop the scan: the row is skipped and counted."""

import datetime as dt

import pytest

from commitments.models import Commitment, Reminder
from commitments.reminders import scan
from commitments.reminders.scan import reminders_scan
from proposals.models import Assignment
from tests import factories
from tests.reminders.conftest import moment

D = dt.date

pytestmark = pytest.mark.django_db


def test_the_scan_completes_with_deadlines_at_0001_01_01_and_9999_12_31(world, monkeypatch):
    good = world["commitment"](D(2025, 12, 31), "year")
    early = world["commitment"](D(2025, 12, 31))
    late = world["commitment"](D(2025, 12, 31))
    # A raw update, as an old import or a hand edit in the database could have left them.
    Commitment.objects.filter(pk=early.pk).update(deadline=D(1, 1, 1))
    Commitment.objects.filter(pk=late.pk).update(deadline=D(9999, 12, 31))
    warnings: list[str] = []
    monkeypatch.setattr(scan.log, "warning", lambda message, *args: warnings.append(message % args))
    result = reminders_scan(now=moment(D(2025, 12, 24)), enqueue=lambda keys, hooks: None)
    assert result.scan_id is not None and not result.skipped
    assert result.bad_rows >= 1  # 0001-01-01 has no date 90 days before it
    assert Reminder.objects.filter(subject_id=good.pk).count() == 2  # everybody else is still reminded
    assert not Reminder.objects.filter(subject_id__in=[early.pk, late.pk]).exists()
    assert any(f"skipped commitment {early.pk}," in w for w in warnings)


def test_an_assignment_due_at_0001_01_01_is_skipped_too(world):
    proposal = factories.ProposalFactory(session=world["session"])
    assignment = Assignment.objects.create(proposal=proposal, agency=world["agency"], due_on=D(2025, 12, 30))
    Assignment.objects.filter(pk=assignment.pk).update(due_on=D(1, 1, 1))
    result = reminders_scan(now=moment(D(2025, 12, 24)), enqueue=lambda keys, hooks: None)
    assert result.bad_rows == 1 and not result.skipped
