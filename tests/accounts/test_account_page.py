"""My account page: API tokens and calendar feeds created in the UI, shown once, revocable, scoped to the user."""

import pytest

from accounts.models import ApiToken, CalendarToken
from commitments.models import Notification

pytestmark = pytest.mark.django_db


def test_a_token_created_in_the_ui_is_shown_once_and_works(client, commitment, clerk):
    client.force_login(clerk)
    response = client.post("/account/tokens/", {"name": "督办大屏"}, follow=True)
    key = response.context["fresh"]["key"]
    assert key in response.content.decode()
    token = ApiToken.objects.get(user=clerk)
    assert token.read_only and token.name == "督办大屏"
    assert key not in client.get("/account/").content.decode()  # shown once
    api = client.get("/api/v1/commitments/", HTTP_AUTHORIZATION=f"Token {key}")
    assert api.status_code == 200 and api.json()["count"] == 1


def test_revoking_a_token_stops_it_and_other_users_tokens_are_404(client, commitment, clerk, other_clerk):
    client.force_login(clerk)
    client.post("/account/tokens/", {"name": "同步", "read_write": "on"})
    token = ApiToken.objects.get(user=clerk)
    assert not token.read_only
    client.force_login(other_clerk)
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    client.force_login(clerk)
    client.post(f"/account/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_token_needs_a_name(client, clerk):
    client.force_login(clerk)
    client.post("/account/tokens/", {"name": "  "})
    assert not ApiToken.objects.exists()


def test_calendar_feed_urls_are_shown_once_and_serve_the_deadlines(client, commitment, clerk):
    client.force_login(clerk)
    response = client.post("/account/calendar/", follow=True)
    feeds = response.context["feeds"]
    assert len(feeds["agency_feeds"]) == 1
    ics = client.get(feeds["user_feed"].replace("http://testserver", ""))
    assert ics.status_code == 200 and b"BEGIN:VCALENDAR" in ics.content
    assert commitment.text[:10].encode() in ics.content
    token = CalendarToken.objects.get(user=clerk)
    client.post(f"/account/calendar/{token.pk}/revoke/")
    assert client.get(feeds["user_feed"].replace("http://testserver", "")).status_code == 404


def test_the_header_shows_the_unread_notification_count(client, clerk):
    Notification.objects.create(recipient=clerk, title="承诺即将到期")
    Notification.objects.create(recipient=clerk, title="承诺已逾期")
    client.force_login(clerk)
    page = client.get("/account/").content.decode()
    assert 'class="badge key">2</span>' in page
