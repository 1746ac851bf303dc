"""The commitment page's actions call the services: progress, closing, requests, decisions, actual values."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commitments.choices import ChangeState, CommitmentStatus
from commitments.models import ChangeRequest
from proposals.choices import ProposalStatus
from tests import factories

pytestmark = pytest.mark.django_db


def test_progress_with_evidence_file(client, commitment, clerk):
    client.force_login(clerk)
    response = client.post(
        reverse("commitments:progress", args=[commitment.pk]),
        {"note": "完成可研批复", "percent": "40", "evidence_file": SimpleUploadedFile("批复.pdf", b"%PDF")},
    )
    assert response.status_code == 302
    update = commitment.progress_updates.get()
    assert update.percent == 40 and update.evidence_file.name.endswith(".pdf")
    page = client.get(reverse("commitments:detail", args=[commitment.pk])).content.decode()
    assert "完成可研批复" in page and "40%" in page


def test_fulfilled_needs_evidence(client, commitment, clerk):
    client.force_login(clerk)
    url = reverse("commitments:close", args=[commitment.pk])
    response = client.post(url, {"status": "fulfilled"})
    assert response.status_code == 400 and "佐证材料" in response.content.decode()
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.OPEN
    response = client.post(url, {"status": "fulfilled", "evidence_url": "https://www.km.gov.cn/news/1"})
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.FULFILLED


def test_missed_needs_reason(client, commitment, clerk):
    client.force_login(clerk)
    response = client.post(reverse("commitments:close", args=[commitment.pk]), {"status": "missed"})
    assert response.status_code == 400 and "须说明理由" in response.content.decode()


def test_extension_request_moves_nothing_until_approved(client, commitment, clerk, supervisor):
    client.force_login(clerk)
    response = client.post(
        reverse("commitments:request", args=[commitment.pk]),
        {"kind": "extension", "requested_deadline": "2026-06-30", "reason": "用地审批延后"},
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.deadline == dt.date(2025, 12, 31)
    change = ChangeRequest.objects.get()
    # A clerk cannot decide.
    assert (
        client.post(reverse("commitments:decide", args=[commitment.pk, change.pk]), {"decision": "approve"}).status_code
        == 403
    )
    client.force_login(supervisor)
    page = client.get(reverse("commitments:detail", args=[commitment.pk])).content.decode()
    assert "待审批申请" in page and "用地审批延后" in page
    response = client.post(reverse("commitments:decide", args=[commitment.pk, change.pk]), {"decision": "approve"})
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.deadline == dt.date(2026, 6, 30)
    change.refresh_from_db()
    assert change.state == ChangeState.APPROVED
    timeline = client.get(reverse("commitments:detail", args=[commitment.pk])).content.decode()
    assert "2025-12-31 → <b>2026-06-30</b>" in timeline


def test_refusal_needs_a_note(client, commitment, supervisor):
    change = factories.ChangeRequestFactory(commitment=commitment)
    client.force_login(supervisor)
    response = client.post(reverse("commitments:decide", args=[commitment.pk, change.pk]), {"decision": "refuse"})
    assert response.status_code == 400 and "驳回须说明理由" in response.content.decode()


def test_extension_must_be_later(client, commitment, clerk):
    client.force_login(clerk)
    response = client.post(
        reverse("commitments:request", args=[commitment.pk]),
        {"kind": "extension", "requested_deadline": "2025-01-01", "reason": "x"},
    )
    assert response.status_code == 400 and "新期限须晚于原期限" in response.content.decode()


def test_record_target_actual(client, commitment, clerk):
    target = factories.TargetFactory(commitment=commitment)
    client.force_login(clerk)
    url = reverse("commitments:target_actual", args=[commitment.pk, target.pk])
    assert client.post(url, {"value": "abc"}).status_code == 400
    assert client.post(url, {"value": "31000000000", "note": "统计局数据"}).status_code == 302
    target.refresh_from_db()
    assert target.actual_value == Decimal("31000000000")


def test_satisfaction_unsatisfied_reopens_item(client, commitment, supervisor):
    response_obj = commitment.response
    client.force_login(supervisor)
    url = reverse("responses:satisfaction", args=[response_obj.pk])
    assert client.post(url, {"satisfaction": "bogus", "channel": "body"}).status_code == 400
    result = client.post(url, {"satisfaction": "unsatisfied", "channel": "body"})
    assert result.status_code == 302
    response_obj.refresh_from_db()
    assert response_obj.satisfaction == "unsatisfied"
    assert response_obj.proposal.status == ProposalStatus.REHANDLING


def test_satisfaction_out_of_scope_is_404(client, commitment, other_clerk):
    client.force_login(other_clerk)
    url = reverse("responses:satisfaction", args=[commitment.response_id])
    assert client.post(url, {"satisfaction": "satisfied", "channel": "body"}).status_code == 404
