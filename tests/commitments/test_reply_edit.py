"""Issue 11: editing a logged_reply reply changes its commitments in place; deleting a reply is refused while it has
tracked commitments, and its item follows."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commitments.models import Commitment
from commitments.reply_logging import ReplyInput, reply_delete, reply_log
from commitments.services import CommitmentInput, TargetInput, change_request_create, progress_record
from responses.models import Response
from tests import factories
from tests.ui.helpers import preview_post_data

pytestmark = pytest.mark.django_db


def _edit(logged_reply, commitments):
    reply = logged_reply["reply"]
    return reply_log(
        document=logged_reply["document"],
        reply=ReplyInput(
            agency_name=reply.agency_name, doc_number=reply.doc_number, proposal=reply.proposal, commitments=commitments
        ),
        user=logged_reply["clerk"],
    )


def test_editing_changes_commitments_in_place_and_keeps_their_history(logged_reply):
    first, second, third, clerk = (
        logged_reply["first"],
        logged_reply["second"],
        logged_reply["third"],
        logged_reply["clerk"],
    )
    progress_record(commitment=first, user=clerk, note="已建成3个")
    target = first.targets.get()
    target.actual_value = 3
    target.save()
    change_request_create(
        commitment=third, user=clerk, kind="extension", requested_deadline=dt.date(2028, 1, 1), reason="延后"
    )
    _edit(
        logged_reply,
        [
            CommitmentInput(
                id=first.pk,
                text="力争2025年底前建成12个中心",
                deadline=dt.date(2025, 10, 31),
                targets=[TargetInput("12个", 12, "个")],
            ),
            CommitmentInput(text="新增：2026年培训100人", deadline=dt.date(2026, 12, 31)),
        ],
    )
    first.refresh_from_db()
    assert first.text == "力争2025年底前建成12个中心" and first.deadline == dt.date(2025, 10, 31)
    assert first.progress_updates.filter(note="已建成3个").exists()
    kept = first.targets.get()
    assert kept.pk == target.pk and kept.value == 12 and kept.actual_value == 3
    assert first.history.first().history_change_reason == "修改答复"
    assert first.history.filter(deadline=dt.date(2025, 12, 31)).exists()
    # Untracked and removed: deleted. Tracked (a pending request) and removed: withdrawn, request kept.
    assert not Commitment.objects.filter(pk=second.pk).exists()
    third.refresh_from_db()
    assert third.status == "withdrawn" and third.change_requests.exists()
    assert "撤回" in third.history.first().history_change_reason
    assert logged_reply["response"].commitments.filter(text__startswith="新增").exists()
    assert logged_reply["response"].commitments.count() == 3


def test_an_id_of_another_replys_commitment_is_refused(logged_reply):
    foreign = factories.CommitmentFactory()
    with pytest.raises(ValidationError):
        _edit(logged_reply, [CommitmentInput(id=foreign.pk, text="改写别人的承诺")])
    foreign.refresh_from_db()
    assert foreign.text != "改写别人的承诺"
    assert logged_reply["response"].commitments.count() == 3


def test_deleting_a_reply_is_refused_while_a_commitment_has_progress(logged_reply):
    progress_record(commitment=logged_reply["first"], user=logged_reply["clerk"], note="进展")
    with pytest.raises(ValidationError, match="不能删除答复"):
        reply_delete(response=logged_reply["response"])
    assert Response.objects.filter(pk=logged_reply["response"].pk).exists()
    assert Commitment.objects.count() == 3


def test_deleting_a_reply_puts_its_item_back(logged_reply):
    proposal = logged_reply["proposal"]
    proposal.refresh_from_db()
    assert proposal.status == "replied"
    reply_delete(response=logged_reply["response"])
    proposal.refresh_from_db()
    assert proposal.status == "assigned"
    assert proposal.assignments.get().answered_on is None
    assert not Commitment.objects.exists() and not Response.objects.exists()


def test_admin_delete_is_refused_with_progress_and_follows_the_item_otherwise(client, logged_reply):
    admin_user = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    url = reverse("admin:responses_response_delete", args=[logged_reply["response"].pk])
    progress_record(commitment=logged_reply["first"], user=logged_reply["clerk"], note="进展")
    page = client.get(url)
    assert "已有进展、佐证或申请" in page.content.decode()
    client.post(url, {"post": "yes"})
    assert Response.objects.filter(pk=logged_reply["response"].pk).exists()
    logged_reply["first"].progress_updates.all().delete()
    client.post(url, {"post": "yes"})
    assert not Response.objects.exists()
    logged_reply["proposal"].refresh_from_db()
    assert logged_reply["proposal"].status == "assigned"


def test_ui_edit_keeps_ids_and_progress(client, logged_reply):
    first, clerk = logged_reply["first"], logged_reply["clerk"]
    progress_record(commitment=first, user=clerk, note="已建成3个")
    client.force_login(clerk)
    detail = client.get(reverse("responses:detail", args=[logged_reply["response"].pk]))
    edit_url = reverse("commitments:reply_edit", args=[logged_reply["response"].pk])
    assert edit_url in detail.content.decode()
    page = client.get(edit_url)
    assert page.status_code == 200
    data = preview_post_data(page.context)
    index = next(i for i in range(3) if data.get(f"c-{i}-id") == str(first.pk))
    data[f"c-{index}-deadline"] = "2025-09-30"
    answer = client.post(edit_url, data)
    assert answer.status_code == 302, answer.context and answer.context["meta_form"].errors
    first.refresh_from_db()
    assert first.deadline == dt.date(2025, 9, 30) and first.progress_updates.exists()
    assert set(logged_reply["response"].commitments.values_list("pk", flat=True)) == {
        logged_reply["first"].pk,
        logged_reply["second"].pk,
        logged_reply["third"].pk,
    }
    # Another agency's clerk cannot edit it.
    client.force_login(factories.clerk_of(factories.AgencyFactory()))
    assert client.get(edit_url).status_code == 404
