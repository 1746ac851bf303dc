"""Issue 11: a letter's session and agency are matched before anything is created, nothing is created outside every
supervisor's view, and what is not linked yet belongs to its agency (UI and API)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from proposals.models import Body, Proposal, Session
from responses.models import Document, Response
from tests import factories
from tests.api.conftest import client_for
from tests.ui.helpers import AGENCY, letter, preview_post_data, upload_preview

pytest.importorskip("responses.extraction")
pytestmark = pytest.mark.django_db


def test_session_written_as_shi_matches_the_existing_session_by_the_agencys_city(client, agency, body):
    factories.supervisor_of(body)
    session = factories.SessionFactory(body=body, term=15, meeting=3, name="测试市第十五届人大三次会议")
    client.force_login(factories.clerk_of(agency))
    url, preview = upload_preview(client, letter())
    data = preview_post_data(preview.context)
    assert data["session"] == str(session.pk)
    assert data["proposers"] == "张三、李四"
    assert client.post(url, data).status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.session == session
    assert Body.objects.count() == 1 and Session.objects.count() == 1
    # 提出人: matched by name or created, the first leads.
    links = list(proposal.proposer_links.order_by("position").values_list("proposer__name", "role"))
    assert links == [("张三", "lead"), ("李四", "co")]


def test_existing_proposer_is_matched_by_name(client, agency, body):
    factories.supervisor_of(body)
    factories.SessionFactory(body=body, term=15, meeting=3)
    known = factories.ProposerFactory(name="张三", kind="deputy")
    client.force_login(factories.clerk_of(agency))
    url, preview = upload_preview(client, letter())
    data = preview_post_data(preview.context)
    data["proposers"] = "张三、王五"
    assert client.post(url, data).status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.proposer_links.get(role="lead").proposer == known
    assert proposal.proposers.filter(name="王五").exists()


def test_new_session_of_a_supervised_body_names_its_supervisors(client, agency, body):
    factories.supervisor_of(body, "sup_wang")
    client.force_login(factories.clerk_of(agency))
    url, preview = upload_preview(client, letter())
    choices = dict(preview.context["meta_form"].fields["session"].choices)
    assert "sup_wang" in str(choices["letter"]) and "测试市人大" in str(choices["letter"])
    data = preview_post_data(preview.context)
    assert data["session"] == "letter"
    assert client.post(url, data).status_code == 302
    assert Body.objects.count() == 1
    assert Proposal.objects.get().session.body == body


def _session_field(preview):
    field = preview.context["meta_form"]["session"]
    return dict(field.field.choices), str(field.help_text)


def test_a_session_nobody_would_supervise_is_not_offered_and_the_unchanged_form_saves(client, agency, body):
    """Session 13: “按来函新建” was preselected for a body without supervisors and the unchanged form was refused.
    Now it is not offered; 不对应建议提案 is preselected with the reason under the field; the unchanged form saves."""
    client.force_login(factories.clerk_of(agency))
    url, preview = upload_preview(client, letter())
    choices, note = _session_field(preview)
    assert "letter" not in choices and "尚无督办人员" in note and "如不对应建议提案，可直接登记" in note
    data = preview_post_data(preview.context)
    assert data.get("session", "") == ""
    assert client.post(url, data).status_code == 302
    assert Response.objects.get().proposal is None
    assert not Session.objects.exists() and not Proposal.objects.exists()
    # The service keeps its own rule for a form posted by hand.
    data_forced = {**data, "session": "letter"}
    Response.objects.all().delete()
    refused = client.post(url, data_forced)
    assert refused.status_code == 400 and not Session.objects.exists()


def test_clerk_cannot_create_a_body_from_a_letter(client, agency):
    client.force_login(factories.clerk_of(agency))
    url, preview = upload_preview(client, letter())
    choices, note = _session_field(preview)
    assert "letter" not in choices and "无督办人员可见" in note
    assert client.post(url, preview_post_data(preview.context)).status_code == 302
    assert not Body.objects.exists() and Response.objects.get().proposal is None


def test_a_letter_without_its_item_number_preselects_no_item_and_says_what_to_pick(client, agency, body):
    factories.supervisor_of(body)
    session = factories.SessionFactory(body=body, term=15, meeting=3, name="测试市第十五届人大三次会议")
    client.force_login(factories.clerk_of(agency))
    url, preview = upload_preview(client, letter().replace("第150777号建议".encode(), "建议".encode()))
    choices, note = _session_field(preview)
    assert str(session.pk) in choices and "未写明建议/提案编号" in note
    data = preview_post_data(preview.context)
    assert data.get("session", "") == "" and data["proposal_number"] == ""
    assert client.post(url, data).status_code == 302
    assert Response.objects.get().proposal is None


def test_supervisor_creating_a_body_from_a_letter_supervises_it(client, agency, body):
    supervisor = factories.supervisor_of(body)
    client.force_login(supervisor)
    url, preview = upload_preview(client, letter(session="县十五届人大三次会议", agency="测试县第二局"))
    data = preview_post_data(preview.context)
    assert data["session"] == "letter"
    data["agency"] = str(agency.pk)
    data["agency_confirmed"] = "on"
    assert client.post(url, data).status_code == 302
    created = Body.objects.exclude(pk=body.pk).get()
    assert created.name == "测试县人大" and list(created.supervisors.all()) == [supervisor]
    assert Proposal.objects.visible_to(supervisor).count() == 1


def test_letter_from_another_agency_is_flagged_and_not_preselected(client, agency, body):
    factories.supervisor_of(body)
    factories.SessionFactory(body=body, term=15, meeting=3)
    mine = factories.AgencyFactory(name="测试市第二局", jurisdiction="测试市")
    client.force_login(factories.clerk_of(mine))
    url, preview = upload_preview(client, letter())
    assert "不是您的单位" in preview.content.decode()
    data = preview_post_data(preview.context)
    assert "agency" not in data
    data["agency"] = str(mine.pk)
    refused = client.post(url, data)
    assert refused.status_code == 400 and AGENCY in str(refused.context["meta_form"].errors["agency"])
    assert not Response.objects.exists()
    data["agency_confirmed"] = "on"
    assert client.post(url, data).status_code == 302
    assert Response.objects.get().agency == mine


def test_api_refuses_a_letter_from_another_agency_by_the_same_rule(agency, body):
    factories.supervisor_of(body)
    other = factories.clerk_of(factories.AgencyFactory(name="测试市第二局"))
    response = client_for(other).post(
        "/api/v1/responses/", {"file": SimpleUploadedFile("l.txt", letter())}, format="multipart"
    )
    assert response.status_code == 403 and "不属于您的单位" in response.json()["error"]["message"]
    assert not Response.objects.exists() and not Document.objects.exists()


def test_api_refuses_to_create_a_body_no_supervisor_sees(agency):
    response = client_for(factories.clerk_of(agency)).post(
        "/api/v1/responses/", {"file": SimpleUploadedFile("l.txt", letter())}, format="multipart"
    )
    assert response.status_code == 400 and "无督办人员可见" in str(response.json()["error"])
    assert not Body.objects.exists() and not Response.objects.exists()


def test_api_matches_the_letters_session(agency, body):
    factories.supervisor_of(body)
    session = factories.SessionFactory(body=body, term=15, meeting=3)
    response = client_for(factories.clerk_of(agency)).post(
        "/api/v1/responses/", {"file": SimpleUploadedFile("l.txt", letter())}, format="multipart"
    )
    assert response.status_code == 201, response.content
    assert Proposal.objects.get().session == session and Body.objects.count() == 1
    assert list(Proposal.objects.get().proposers.values_list("name", flat=True).order_by("name")) == ["张三", "李四"]


# ------------------------------------------------------------------------------------------ what is not linked yet


def _setup_two_agencies():
    body_a = factories.BodyFactory()
    body_b = factories.BodyFactory()
    agency_a, agency_b = factories.AgencyFactory(), factories.AgencyFactory()
    factories.AssignmentFactory(
        proposal=factories.ProposalFactory(session=factories.SessionFactory(body=body_a)), agency=agency_a
    )
    factories.AssignmentFactory(
        proposal=factories.ProposalFactory(session=factories.SessionFactory(body=body_b)), agency=agency_b
    )
    clerk_a = factories.clerk_of(agency_a)
    return {
        "clerk_a": clerk_a,
        "colleague_a": factories.clerk_of(agency_a),
        "clerk_b": factories.clerk_of(agency_b),
        "sup_a": factories.supervisor_of(body_a),
        "sup_b": factories.supervisor_of(body_b),
        "agency_a": agency_a,
        "agency_b": agency_b,
        "upload": factories.DocumentFactory(uploaded_by=clerk_a),
    }


def test_unconfirmed_upload_belongs_to_the_uploaders_agency_and_its_supervisors(client):
    s = _setup_two_agencies()
    upload = s["upload"]
    for user, sees in [("clerk_a", True), ("colleague_a", True), ("sup_a", True), ("clerk_b", False), ("sup_b", False)]:
        assert Document.objects.visible_to(s[user]).filter(pk=upload.pk).exists() is sees, user
        api = client_for(s[user]).get(f"/api/v1/documents/{upload.pk}/")
        assert api.status_code == (200 if sees else 404), user
        client.force_login(s[user])
        page = client.get(reverse("commitments:reply_preview", args=[upload.pk]))
        assert page.status_code == (200 if sees else 404), user


def test_unlinked_reply_belongs_to_its_agency(client):
    s = _setup_two_agencies()
    reply = factories.ResponseFactory(agency=s["agency_a"], proposal=None)
    for user, sees in [("clerk_a", True), ("sup_a", True), ("clerk_b", False), ("sup_b", False)]:
        assert Response.objects.visible_to(s[user]).filter(pk=reply.pk).exists() is sees, user
        api = client_for(s[user]).get(f"/api/v1/responses/{reply.pk}/")
        assert api.status_code == (200 if sees else 404), user
        client.force_login(s[user])
        assert client.get(reverse("responses:detail", args=[reply.pk])).status_code == (200 if sees else 404), user


def test_only_the_lead_agency_or_a_supervisor_records_satisfaction(client):
    body = factories.BodyFactory()
    proposal = factories.ProposalFactory(session=factories.SessionFactory(body=body))
    lead, co = factories.AgencyFactory(), factories.AgencyFactory()
    factories.AssignmentFactory(proposal=proposal, agency=lead, role="lead")
    factories.AssignmentFactory(proposal=proposal, agency=co, role="co")
    reply = factories.ResponseFactory(agency=lead, proposal=proposal)
    co_clerk, lead_clerk, supervisor = factories.clerk_of(co), factories.clerk_of(lead), factories.supervisor_of(body)
    payload = {"satisfaction": "satisfied", "channel": "agency"}
    client.force_login(co_clerk)
    page = client.get(reverse("proposals:detail", args=[proposal.pk]))
    assert reverse("responses:satisfaction", args=[reply.pk]) not in page.content.decode()
    assert client.post(reverse("responses:satisfaction", args=[reply.pk]), payload).status_code == 403
    assert client_for(co_clerk).post(f"/api/v1/responses/{reply.pk}/satisfaction/", payload).status_code == 403
    reply.refresh_from_db()
    assert reply.satisfaction == ""
    for user in (lead_clerk, supervisor):
        client.force_login(user)
        page = client.get(reverse("proposals:detail", args=[proposal.pk]))
        assert reverse("responses:satisfaction", args=[reply.pk]) in page.content.decode()
        assert client_for(user).post(f"/api/v1/responses/{reply.pk}/satisfaction/", payload).status_code == 200


def test_api_logs_another_agencys_letter_as_mine_only_when_confirmed(agency, body):
    factories.supervisor_of(body)
    factories.SessionFactory(body=body, term=15, meeting=3)
    mine = factories.AgencyFactory(name="测试市第二局", jurisdiction="测试市")
    api = client_for(factories.clerk_of(mine))
    payload = {"file": SimpleUploadedFile("l.txt", letter()), "agency": mine.pk}
    refused = api.post("/api/v1/responses/", payload, format="multipart")
    assert refused.status_code == 400 and AGENCY in str(refused.json()["error"])
    assert not Response.objects.exists()
    payload = {"file": SimpleUploadedFile("l.txt", letter()), "agency": mine.pk, "agency_confirmed": "true"}
    logged = api.post("/api/v1/responses/", payload, format="multipart")
    assert logged.status_code == 201, logged.content
    assert Response.objects.get().agency == mine


def test_new_item_in_a_session_no_supervisor_sees_is_refused(client, agency, body):
    session = factories.SessionFactory(body=body, term=15, meeting=3)  # the body has no supervisor
    client.force_login(factories.clerk_of(agency))
    url, preview = upload_preview(client, letter())
    data = preview_post_data(preview.context)
    assert data["session"] == str(session.pk)
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "尚无督办人员" in str(refused.context["meta_form"].errors["session"])
    assert not Proposal.objects.exists() and not Response.objects.exists()
