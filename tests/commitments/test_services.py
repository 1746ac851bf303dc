import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commitments.choices import CommitmentStatus
from commitments.models import Commitment, Notification
from commitments.services import (
    change_request_create,
    commitment_transition,
    extension_decide,
    progress_record,
)
from tests import factories

pytestmark = pytest.mark.django_db


def test_fulfilled_needs_evidence_and_records_history(commitment, clerk):
    with pytest.raises(ValidationError):
        commitment_transition(commitment=commitment, status="fulfilled", user=clerk)
    commitment_transition(commitment=commitment, status="fulfilled", user=clerk, evidence_url="https://gov.cn/x")
    commitment.refresh_from_db()
    assert commitment.status == "fulfilled"
    last = commitment.history.first()
    assert last.status == "fulfilled" and last.history_user == clerk
    assert commitment.progress_updates.get().status_to == "fulfilled"


def test_missed_and_withdrawn_need_a_reason(commitment, clerk):
    for status in ("missed", "withdrawn", "partly_fulfilled"):
        with pytest.raises(ValidationError):
            commitment_transition(commitment=commitment, status=status, user=clerk)
    commitment_transition(commitment=commitment, status="missed", user=clerk, reason="资金未到位")
    assert commitment.history.first().history_change_reason == "资金未到位"


def test_a_clerk_of_another_agency_may_not_act(commitment, other_clerk):
    with pytest.raises(PermissionDenied):
        progress_record(commitment=commitment, user=other_clerk, note="x")


def test_extension_moves_the_deadline_only_when_a_supervisor_approves(commitment, clerk, supervisor):
    request = change_request_create(
        commitment=commitment, user=clerk, kind="extension", reason="审批延后", requested_deadline=dt.date(2026, 6, 30)
    )
    commitment.refresh_from_db()
    assert commitment.deadline == dt.date(2025, 12, 31)
    with pytest.raises(PermissionDenied):
        extension_decide(change_request=request, user=clerk, approve=True)
    extension_decide(change_request=request, user=supervisor, approve=True, note="同意")
    commitment.refresh_from_db()
    assert commitment.deadline == dt.date(2026, 6, 30)
    assert commitment.status == CommitmentStatus.OPEN
    assert "审批延后" in commitment.history.first().history_change_reason
    with pytest.raises(ValidationError):
        extension_decide(change_request=request, user=supervisor, approve=False, note="again")


def test_refusal_needs_a_reason_and_changes_nothing(commitment, clerk, supervisor):
    request = change_request_create(commitment=commitment, user=clerk, kind="withdrawal", reason="政策调整")
    with pytest.raises(ValidationError):
        extension_decide(change_request=request, user=supervisor, approve=False)
    extension_decide(change_request=request, user=supervisor, approve=False, note="仍需落实")
    commitment.refresh_from_db()
    assert commitment.status == "open"


def test_approved_withdrawal_closes_the_commitment(commitment, clerk, supervisor):
    request = change_request_create(commitment=commitment, user=clerk, kind="withdrawal", reason="政策调整")
    extension_decide(change_request=request, user=supervisor, approve=True)
    commitment.refresh_from_db()
    assert commitment.status == "withdrawn"


def test_the_requester_hears_the_decision(commitment, clerk, supervisor):
    """Session 12 walk-through: the clerk who asked for an extension was never told it was approved or refused."""
    request = change_request_create(
        commitment=commitment, user=clerk, kind="extension", reason="审批延后", requested_deadline=dt.date(2026, 6, 30)
    )
    assert not Notification.objects.filter(recipient=clerk).exists()
    extension_decide(change_request=request, user=supervisor, approve=True, note="同意延期")
    note = Notification.objects.get(recipient=clerk)
    assert note.title.startswith("延期申请已批准：") and commitment.text[:10] in note.title
    assert note.body == "同意延期" and note.url == f"/commitments/{commitment.pk}/"
    refused = change_request_create(commitment=commitment, user=clerk, kind="withdrawal", reason="政策调整")
    extension_decide(change_request=refused, user=supervisor, approve=False, note="仍需落实")
    assert Notification.objects.filter(recipient=clerk, title__startswith="撤回申请已驳回：").count() == 1
    assert not Notification.objects.filter(recipient=supervisor, title__contains="申请已").exists()


def test_overdue_is_derived_from_deadline_and_status():
    late = factories.CommitmentFactory(deadline=dt.date(2024, 12, 31))
    factories.CommitmentFactory(deadline=dt.date(2024, 12, 31), status="fulfilled")
    factories.CommitmentFactory(deadline=dt.date(2026, 12, 31))
    assert list(Commitment.objects.overdue(dt.date(2025, 1, 1))) == [late]


def test_visible_to_scopes_by_agency_and_body(commitment, clerk, supervisor, other_clerk):
    factories.CommitmentFactory()  # someone else's
    assert list(Commitment.objects.visible_to(clerk)) == [commitment]
    assert list(Commitment.objects.visible_to(supervisor)) == [commitment]
    assert list(Commitment.objects.visible_to(other_clerk)) == []
    admin = factories.UserFactory(is_superuser=True)
    assert Commitment.objects.visible_to(admin).count() == 2


@pytest.mark.parametrize("day", [dt.date(1, 1, 1), dt.date(1999, 12, 31), dt.date(2101, 1, 1), dt.date(9999, 12, 31)])
def test_services_refuse_dates_out_of_range(commitment, clerk, day):
    from commitments.services import CommitmentInput, commitment_create

    with pytest.raises(ValidationError) as exc:
        change_request_create(commitment=commitment, user=clerk, kind="extension", reason="x", requested_deadline=day)
    assert "requested_deadline" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        commitment_create(document=commitment.document, item=CommitmentInput(text="x", deadline=day))
    assert "deadline" in exc.value.message_dict
    assert not commitment.change_requests.exists()


def test_extracted_dates_out_of_range_are_dropped_but_their_words_kept():
    from types import SimpleNamespace

    from commitments.reply_logging import commitment_inputs_from_extraction

    clause = SimpleNamespace(
        text="于9025年底前完成",
        deadline=dt.date(9025, 12, 31),
        deadline_text="9025年底前",
        precision="year",
        recurring=None,
        strength="力争",
        start=0,
        end=9,
        section_kind="next_steps",
        agencies=[],
        targets=[],
    )
    extraction = SimpleNamespace(commitments=[clause], sections=[], text=clause.text)
    (item,) = commitment_inputs_from_extraction(extraction)
    assert item.deadline is None and item.deadline_text == "9025年底前"


@pytest.mark.parametrize(
    ("pipeline_kind", "stored"),
    [("review", "past"), ("response", "response"), ("next_steps", "next"), ("programme", "other"), ("other", "other")],
)
def test_every_pipeline_section_kind_is_stored_as_its_kind(pipeline_kind, stored):
    """A clause of a review section (回顾) is stored as 已开展工作, not 其他 (the pipeline names it "review")."""
    from types import SimpleNamespace

    from commitments.reply_logging import commitment_inputs_from_extraction
    from responses.extraction.structure import SECTION_KINDS

    assert pipeline_kind in SECTION_KINDS
    clause = SimpleNamespace(
        text="将于年内完成改造",
        deadline=None,
        deadline_text=None,
        precision="none",
        recurring=None,
        strength="将",
        start=0,
        end=8,
        section_kind=pipeline_kind,
        agencies=[],
        targets=[],
    )
    extraction = SimpleNamespace(commitments=[clause], sections=[], text=clause.text)
    (item,) = commitment_inputs_from_extraction(extraction)
    assert item.section_kind == stored


def test_closing_twice_is_a_conflict_not_a_second_history_entry(commitment, clerk):
    from proposals.errors import Conflict

    commitment_transition(commitment=commitment, status="missed", user=clerk, reason="资金未到位")
    stale = Commitment.objects.get(pk=commitment.pk)
    stale.status = "open"  # what a second session loaded before the first one closed it
    with pytest.raises(Conflict):
        commitment_transition(commitment=stale, status="withdrawn", user=clerk, reason="再关一次")
    assert commitment.progress_updates.count() == 1
