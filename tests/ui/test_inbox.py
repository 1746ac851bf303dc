"""Issue 11: the supervisor's inbox — pending requests, closures to verify, 不满意 items — with a header count and an
in-app notification when one arrives."""

import datetime as dt

import pytest
from django.urls import reverse

from commitments.models import Notification
from commitments.selectors import inbox_count
from commitments.services import change_request_create, commitment_transition
from tests import factories
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    body = factories.BodyFactory()
    proposal = factories.ProposalFactory(session=factories.SessionFactory(body=body), status="replied")
    agency = factories.AgencyFactory()
    factories.AssignmentFactory(proposal=proposal, agency=agency, role="lead")
    reply = factories.ResponseFactory(proposal=proposal, agency=agency)
    commitment = factories.CommitmentFactory(response=reply)
    return {
        "supervisor": factories.supervisor_of(body, "inbox_sup"),
        "stranger": factories.supervisor_of(factories.BodyFactory(), "other_sup"),
        "clerk": factories.clerk_of(agency, "inbox_clerk"),
        "commitment": commitment,
        "reply": reply,
        "proposal": proposal,
    }


def test_extension_request_reaches_the_supervisors_inbox_and_notifications(client, world):
    sup, commitment = world["supervisor"], world["commitment"]
    change_request_create(
        commitment=commitment,
        user=world["clerk"],
        kind="extension",
        requested_deadline=dt.date(2027, 1, 1),
        reason="审批延后",
    )
    note = Notification.objects.get(recipient=sup)
    assert "延期" in note.title and note.url == reverse("commitments:detail", args=[commitment.pk])
    assert not Notification.objects.filter(recipient=world["stranger"]).exists()
    assert inbox_count(user=sup) == 1 and inbox_count(user=world["stranger"]) == 0
    client.force_login(sup)
    home = client.get(reverse("home"))
    body = home.content.decode()
    pending = commitment.change_requests.get()
    assert reverse("commitments:decide", args=[commitment.pk, pending.pk]) in body
    assert 'id="inbox"' in body and home.context["inbox_count"] == 1
    # The approve button works from the home page and empties the inbox.
    client.post(reverse("commitments:decide", args=[commitment.pk, pending.pk]), {"decision": "approve", "note": ""})
    commitment.refresh_from_db()
    assert commitment.deadline == dt.date(2027, 1, 1) and inbox_count(user=sup) == 0


def test_a_clerks_closure_waits_for_verification(client, world):
    sup, commitment = world["supervisor"], world["commitment"]
    commitment_transition(
        commitment=commitment, status="fulfilled", user=world["clerk"], evidence_url="https://x.gov.cn/a"
    )
    assert Notification.objects.filter(recipient=sup, title__startswith="待核实办结").exists()
    client.force_login(sup)
    home = client.get(reverse("home"))
    assert reverse("commitments:verify", args=[commitment.pk]) in home.content.decode()
    assert client.post(reverse("commitments:verify", args=[commitment.pk])).status_code == 302
    commitment.refresh_from_db()
    assert commitment.closure_verified_by == sup and inbox_count(user=sup) == 0
    assert commitment.history.first().history_change_reason == "督办核实办结"
    # A clerk cannot verify.
    client.force_login(world["clerk"])
    other = factories.CommitmentFactory(response=world["reply"])
    commitment_transition(commitment=other, status="missed", user=world["clerk"], reason="资金未到位")
    client.post(reverse("commitments:verify", args=[other.pk]))
    other.refresh_from_db()
    assert other.closure_verified_at is None


def test_a_supervisors_own_closure_needs_no_verification(world):
    commitment_transition(
        commitment=world["commitment"], status="fulfilled", user=world["supervisor"], evidence_url="https://x.gov.cn/b"
    )
    assert inbox_count(user=world["supervisor"]) == 0
    assert not Notification.objects.exists()


def test_unsatisfied_reaches_the_inbox_from_ui_and_api(client, world):
    sup, reply = world["supervisor"], world["reply"]
    client.force_login(world["clerk"])
    answer = client.post(
        reverse("responses:satisfaction", args=[reply.pk]), {"satisfaction": "unsatisfied", "channel": "agency"}
    )
    assert answer.status_code == 302
    assert Notification.objects.filter(recipient=sup, title__startswith="不满意").count() == 1
    assert inbox_count(user=sup) == 1
    client.force_login(sup)
    home = client.get(reverse("home")).content.decode()
    assert reverse("proposals:detail", args=[world["proposal"].pk]) in home
    # The API records it through the same service, with the same notification.
    api = client_for(world["clerk"]).post(
        f"/api/v1/responses/{reply.pk}/satisfaction/", {"satisfaction": "unsatisfied", "channel": "agency"}
    )
    assert api.status_code == 200
    assert Notification.objects.filter(recipient=sup, title__startswith="不满意").count() == 2


def test_clerks_have_no_inbox(client, world):
    client.force_login(world["clerk"])
    home = client.get(reverse("home"))
    assert 'id="inbox"' not in home.content.decode() and inbox_count(user=world["clerk"]) == 0
