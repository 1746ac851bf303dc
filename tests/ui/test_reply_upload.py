"""Logging a reply: upload → preview → confirm; duplicates lead to the existing reply; bad files say why."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commitments.models import Commitment
from proposals.models import Proposal, Session
from responses.models import Document, Response
from tests import factories
from tests.ui.helpers import preview_post_data

pytest.importorskip("responses.extraction")
pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "documents" / "000_e488b48de0fcacd5.txt"
AGENCY = "昆明市发展和改革委员会"


@pytest.fixture
def ndrc_clerk(db):
    agency = factories.AgencyFactory(name=AGENCY, jurisdiction="昆明市", aliases=["市发展改革委"])
    # The letter's body exists and is supervised; its session (第十五届三次会议) is created from the letter.
    factories.supervisor_of(factories.BodyFactory(name="昆明市人大", jurisdiction="昆明市"), "km_supervisor")
    return factories.clerk_of(agency, "ndrc_clerk")


def _upload(client, data: bytes, name: str):
    return client.post(reverse("commitments:reply_upload"), {"file": SimpleUploadedFile(name, data)})


def test_upload_preview_confirm_saves_reply_and_commitments(client, ndrc_clerk):
    client.force_login(ndrc_clerk)
    response = _upload(client, SEED.read_bytes(), "000.txt")
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    body = preview.content.decode()
    assert '<mark class="c"' in body and '<span class="dl">' in body and '<span class="tg">300 亿元</span>' in body
    data = preview_post_data(preview.context)
    assert data["session"] == "letter" and data["proposal_number"] == "153018"
    # The clerk corrects the first commitment's deadline and removes the second one.
    data["c-0-deadline"] = "2023-10-31"
    data["c-1-DELETE"] = "on"
    total = int(data["c-TOTAL_FORMS"])
    confirm = client.post(preview.request["PATH_INFO"] + "?" + preview.request["QUERY_STRING"], data)
    assert confirm.status_code == 302, confirm.context and confirm.context["meta_form"].errors
    reply = Response.objects.get()
    assert reply.doc_number == "昆发改易地函〔2023〕20号"
    assert reply.proposal.number == "153018" and reply.proposal.session.term == 15
    assert reply.commitments.count() == total - 1
    first = reply.commitments.order_by("start").first()
    assert first.deadline == dt.date(2023, 10, 31)
    assert first.start is not None and reply.document.text[first.start : first.end] == first.text
    assert reply.proposal.assignments.filter(agency__name=AGENCY, answered_on__isnull=False).exists()


def test_reupload_same_file_leads_to_existing_reply(client, ndrc_clerk):
    client.force_login(ndrc_clerk)
    first = _upload(client, SEED.read_bytes(), "000.txt")
    preview = client.get(first["Location"])
    client.post(first["Location"], preview_post_data(preview.context))
    reply = Response.objects.get()
    again = _upload(client, SEED.read_bytes(), "000-again.txt")
    assert again.status_code == 302 and again["Location"] == reverse("responses:detail", args=[reply.pk])
    assert Document.objects.count() == 1 and Response.objects.count() == 1


def test_same_doc_number_and_agency_leads_to_existing_reply(client, ndrc_clerk):
    client.force_login(ndrc_clerk)
    first = _upload(client, SEED.read_bytes(), "000.txt")
    client.post(first["Location"], preview_post_data(client.get(first["Location"]).context))
    reply = Response.objects.get()
    changed = SEED.read_bytes() + "\n（另一版本）\n".encode()
    again = _upload(client, changed, "000-v2.txt")
    assert again["Location"] == reverse("responses:detail", args=[reply.pk])
    assert Response.objects.count() == 1


def test_reupload_before_confirmation_returns_to_preview(client, ndrc_clerk):
    client.force_login(ndrc_clerk)
    first = _upload(client, SEED.read_bytes(), "000.txt")
    again = _upload(client, SEED.read_bytes(), "000.txt")
    assert again.status_code == 302 and "/replies/new/" in again["Location"]
    assert client.get(again["Location"]).status_code == 200
    # A clerk of another agency uploading the same bytes is not sent to this agency's preview, and cannot open it.
    other = factories.clerk_of(factories.AgencyFactory(), "other_uploader")
    client.force_login(other)
    third = _upload(client, SEED.read_bytes(), "000.txt")
    assert third.status_code == 409 and "已由其他单位上传" in third.content.decode()
    assert AGENCY not in third.content.decode() and "153018" not in third.content.decode()
    assert client.get(first["Location"]).status_code == 404
    # A second clerk of the same agency gets the preview (the upload belongs to the agency).
    colleague = factories.clerk_of(ndrc_clerk.clerk_agencies.get(), "colleague")
    client.force_login(colleague)
    fourth = _upload(client, SEED.read_bytes(), "000.txt")
    assert fourth.status_code == 302 and fourth["Location"] == first["Location"]
    assert client.get(fourth["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("name", "data", "status", "words"),
    [
        ("letter.doc", b"\xd0\xcf\x11\xe0 old word", 415, "这是 Word 97-2003（.doc）文件"),  # session 19
        ("empty.txt", b"   \n  ", 422, "文件为空"),
        ("scan.pdf", b"%PDF-1.4\n%%EOF\n", 422, ""),
    ],
)
def test_bad_files_show_the_extractor_message_and_save_nothing(client, ndrc_clerk, name, data, status, words):
    client.force_login(ndrc_clerk)
    response = _upload(client, data, name)
    assert response.status_code in (status, 422, 415)
    assert 'id="upload-error"' in response.content.decode()
    if words:
        assert words in response.content.decode()
    assert Document.objects.count() == 0


def test_too_large_file_is_refused_with_413(client, ndrc_clerk, settings):
    settings.UPLOAD_MAX_BYTES = 100
    client.force_login(ndrc_clerk)
    response = _upload(client, "答复".encode() * 100, "big.txt")
    assert response.status_code == 413
    assert "文件过大" in response.content.decode()
    assert Document.objects.count() == 0


def test_bad_target_line_keeps_everything_unsaved(client, ndrc_clerk):
    client.force_login(ndrc_clerk)
    first = _upload(client, SEED.read_bytes(), "000.txt")
    data = preview_post_data(client.get(first["Location"]).context)
    data["c-0-targets"] = "三百亿|abc|元"
    response = client.post(first["Location"], data)
    assert response.status_code == 400
    assert "数值无法识别" in response.content.decode()
    assert Response.objects.count() == 0 and Commitment.objects.count() == 0 and Proposal.objects.count() == 0


def test_clerk_cannot_attach_reply_to_an_item_of_another_agency(client, ndrc_clerk):
    session = factories.SessionFactory()
    foreign = factories.AssignmentFactory(proposal__session=session).proposal
    client.force_login(ndrc_clerk)
    first = _upload(client, SEED.read_bytes(), "000.txt")
    data = preview_post_data(client.get(first["Location"]).context)
    data["session"] = str(session.pk)
    data["proposal_number"] = foreign.number
    response = client.post(first["Location"], data)
    assert response.status_code == 400
    assert "未交办给本单位" in response.content.decode()
    assert (
        Response.objects.count() == 0
        and Session.objects.filter(term=15, meeting=3, body__jurisdiction="昆明市").count() == 0
    )


@pytest.mark.parametrize("route", ["commitments:reply_upload", "evidence:upload"])
def test_an_account_without_agency_or_body_may_not_upload(client, route):
    # Signed in, but neither a clerk nor a supervisor (e.g. a deputy's account or a new user): no upload form,
    # no document stored, a 403 page that says why.
    user = factories.UserFactory(username="no_role")
    client.force_login(user)
    assert client.get(reverse(route)).status_code == 403
    response = client.post(reverse(route), {"file": SimpleUploadedFile("letter.txt", SEED.read_bytes())})
    assert response.status_code == 403
    assert "办理人员或督办人员" in response.content.decode()
    assert not Document.objects.exists()


def test_a_letter_with_a_hundred_commitments_is_confirmed_unchanged(client, ndrc_clerk):
    # Found by benchmarks/sweep_robust.py: the preview posts ~13 fields per commitment, and Django's default
    # DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000) refused any letter with more than ~75 (a 政府工作报告 has up to 174;
    # the formset and the extraction allow 500) with a bare 400 page: the reply could not be logged at all.
    lines = "\n".join(f"{n}. 我委将于2025年{n % 12 + 1}月底前完成第{n}项重点项目前期工作。" for n in range(1, 101))
    text = SEED.read_text(encoding="utf-8").replace("二、有关办理意见\n", f"二、有关办理意见\n\n{lines}\n", 1)
    client.force_login(ndrc_clerk)
    preview = client.get(_upload(client, text.encode(), "long.txt")["Location"])
    data = preview_post_data(preview.context)
    total = int(data["c-TOTAL_FORMS"])
    assert total > 100 and len(data) > 1000
    confirm = client.post(preview.request["PATH_INFO"], data)
    assert confirm.status_code == 302, confirm.content[:300]
    assert Response.objects.get().commitments.count() == total


def test_the_post_field_limit_holds_the_largest_preview_the_formset_allows(settings):
    from commitments.forms import CommitmentFormSet, ReplyMetaForm

    per_form = len(CommitmentFormSet.form.base_fields) + 1  # + DELETE
    largest = CommitmentFormSet.max_num * per_form + len(ReplyMetaForm.base_fields) + 5  # management form, CSRF
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS >= largest


def test_a_seed_loaded_letter_whose_reply_was_deleted_is_taken_over_by_the_clerk_who_uploads_it(client, ndrc_clerk):
    """Session 12 walk-through: after an administrator deleted the reply of a letter loaded by the system, the clerk
    uploading it got 409 “该文件已由其他单位上传” and no way on. Nobody owns it: his upload takes it over."""
    from commitments.reply_logging import reply_delete
    from responses.services import document_ingest

    loaded = document_ingest(data=SEED.read_bytes(), filename="000.txt", user=None).document  # as the seed loader
    reply = factories.ResponseFactory(document=loaded, agency=ndrc_clerk.clerk_agencies.get())
    factories.CommitmentFactory(response=reply, document=loaded)
    reply_delete(response=reply)
    client.force_login(ndrc_clerk)
    response = _upload(client, SEED.read_bytes(), "000.txt")
    assert response.status_code == 302 and response["Location"] == reverse(
        "commitments:reply_preview", args=[loaded.pk]
    )
    assert client.get(response["Location"]).status_code == 200
    loaded.refresh_from_db()
    assert loaded.uploaded_by == ndrc_clerk and Document.objects.count() == 1
    # Now his agency's upload: another agency's clerk is refused as before.
    client.force_login(factories.clerk_of(factories.AgencyFactory(), "late_uploader"))
    refused = _upload(client, SEED.read_bytes(), "000.txt")
    assert refused.status_code == 409 and "已由其他单位上传" in refused.content.decode()


def test_a_system_loaded_document_that_carries_commitments_is_not_taken_over(client, ndrc_clerk):
    from responses.services import document_ingest

    loaded = document_ingest(data=SEED.read_bytes(), filename="000.txt", user=None).document
    factories.CommitmentFactory(document=loaded, response=None)
    client.force_login(ndrc_clerk)
    refused = _upload(client, SEED.read_bytes(), "000.txt")
    assert refused.status_code == 409
    assert "已由系统导入" in refused.content.decode() and "其他单位" not in refused.content.decode()
    loaded.refresh_from_db()
    assert loaded.uploaded_by is None
