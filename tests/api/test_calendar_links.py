"""Calendar events link to the commitment's page in the web UI on the real site, not to the JSON API."""

from django.test import override_settings

from accounts.services import calendar_token_create


def _unfolded(response) -> str:
    return response.content.decode().replace("\r\n ", "")


@override_settings(SITE_URL="https://luoshi.example.gov.cn/")
def test_event_links_to_the_ui_page_on_site_url(api, clerk, commitment):
    _, key = calendar_token_create(user=clerk)
    body = _unfolded(api.get(f"/api/v1/calendar/{key}.ics", HTTP_ACCEPT="text/calendar"))
    assert f"URL:https://luoshi.example.gov.cn/commitments/{commitment.pk}/\r\n" in body
    assert "/api/v1/" not in body


@override_settings(SITE_URL="")
def test_without_site_url_the_request_host_is_used(api, clerk, commitment):
    _, key = calendar_token_create(user=clerk)
    body = _unfolded(api.get(f"/api/v1/calendar/{key}.ics", HTTP_HOST="localhost"))
    assert f"URL:http://localhost/commitments/{commitment.pk}/\r\n" in body
