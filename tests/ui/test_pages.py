"""Every page renders for the roles that may see it, and answers 404 outside the user's scope."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from commitments.choices import CommitmentStatus
from tests import factories

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@time_machine.travel(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC))
def test_clerk_home_shows_reply_clock_and_commitments(client, commitment, clerk):
    proposal = commitment.proposal
    factories.AssignmentFactory(proposal=proposal, agency=commitment.agency, due_on=dt.date(2026, 2, 20))
    client.force_login(clerk)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert proposal.number in body
    assert "逾期 9 天" in body  # 2026-02-20 → 2026-03-01
    assert commitment.text[:20] in body


def test_main_pages_render_for_supervisor(client, commitment, supervisor):
    client.force_login(supervisor)
    urls = [
        reverse("home"),
        reverse("commitments:dashboard"),
        reverse("commitments:dashboard") + "?tab=all",
        reverse("commitments:agency_stats"),
        reverse("commitments:detail", args=[commitment.pk]),
        reverse("proposals:list"),
        reverse("proposals:detail", args=[commitment.proposal_id]),
        reverse("responses:list"),
        reverse("responses:detail", args=[commitment.response_id]),
        reverse("commitments:reply_upload"),
        reverse("proposals:import"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url


def test_other_agency_clerk_gets_404_everywhere(client, commitment, other_clerk):
    client.force_login(other_clerk)
    for url in (
        reverse("commitments:detail", args=[commitment.pk]),
        reverse("responses:detail", args=[commitment.response_id]),
        reverse("proposals:detail", args=[commitment.proposal_id]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("commitments:close", args=[commitment.pk]),
        {"status": "fulfilled", "evidence_url": "https://example.gov.cn/x"},
    )
    assert response.status_code == 404
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.OPEN


def test_other_clerk_lists_do_not_show_foreign_items(client, commitment, other_clerk):
    client.force_login(other_clerk)
    response = client.get(reverse("commitments:dashboard") + "?tab=all")
    assert commitment.text[:20] not in response.content.decode()
    response = client.get(reverse("proposals:list"))
    assert commitment.proposal.title not in response.content.decode()


def test_clerk_cannot_open_import(client, commitment, clerk):
    client.force_login(clerk)
    assert client.get(reverse("proposals:import")).status_code == 403


def test_reply_page_highlights_focused_commitment(client, commitment, clerk):
    document = commitment.document
    document.text = "前言。" + commitment.text + "。结尾。"
    document.save()
    commitment.start, commitment.end = 3, 3 + len(commitment.text)
    commitment.save()
    factories.TargetFactory(commitment=commitment, text="2025")
    client.force_login(clerk)
    response = client.get(reverse("responses:detail", args=[commitment.response_id]) + f"?c={commitment.pk}")
    body = response.content.decode()
    assert f'<mark class="c focus" id="c-{commitment.pk}">' in body
    assert '<span class="dl">到2025年</span>' in body


def test_the_browsers_favicon_request_is_no_error(client):
    """Session 15's walk-through: every admin page (which has no <link rel="icon"> of ours) made the browser ask for
    /favicon.ico, a 404 in its console. It is answered with nothing, signed in or not."""
    response = client.get("/favicon.ico")
    assert response.status_code == 204 and response.content == b""
