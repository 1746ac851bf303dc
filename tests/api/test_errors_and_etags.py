"""The one error body for every error status, throttling, and conditional GET (ETag, Last-Modified, 304)."""

import datetime as dt

from django.utils.http import http_date

from tests import factories
from tests.api.conftest import assert_error, client_for


def test_validation_error_lists_fields(clerk_api, commitment):
    error = assert_error(
        clerk_api.post(f"/api/v1/commitments/{commitment.pk}/progress/", {"percent": 140}, format="json"),
        400,
        "invalid",
    )
    assert set(error["fields"]) == {"note", "percent"}


def test_service_validation_error_becomes_400_with_fields(clerk_api, commitment):
    error = assert_error(
        clerk_api.post(f"/api/v1/commitments/{commitment.pk}/transition/", {"status": "fulfilled"}, format="json"),
        400,
        "invalid",
    )
    assert "evidence" in error["fields"]
    assert "佐证" in error["fields"]["evidence"][0]
    commitment.refresh_from_db()
    assert commitment.status == "open"


def test_extension_must_move_the_deadline_later(clerk_api, commitment):
    error = assert_error(
        clerk_api.post(
            f"/api/v1/commitments/{commitment.pk}/change-requests/",
            {"kind": "extension", "reason": "延后", "requested_deadline": "2024-01-01"},
            format="json",
        ),
        400,
    )
    assert "requested_deadline" in error["fields"]
    assert not commitment.change_requests.exists()


def test_malformed_json_is_a_400(clerk_api, commitment):
    response = clerk_api.post(
        f"/api/v1/commitments/{commitment.pk}/progress/", "{not json", content_type="application/json"
    )
    assert_error(response, 400, "parse_error")


def test_unsupported_media_type_is_a_415(clerk_api, commitment):
    response = clerk_api.post(f"/api/v1/commitments/{commitment.pk}/progress/", "note", content_type="text/csv")
    assert_error(response, 415, "unsupported_media_type")


def test_method_not_allowed_keeps_the_shape(clerk_api, commitment):
    assert_error(clerk_api.delete(f"/api/v1/commitments/{commitment.pk}/"), 405, "method_not_allowed")


def test_throttle_answers_429(clerk, commitment, settings):
    from rest_framework.settings import api_settings

    from config.api import TokenRateThrottle

    old = TokenRateThrottle.THROTTLE_RATES
    TokenRateThrottle.THROTTLE_RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "token": "3/minute"}
    try:
        client = client_for(clerk)
        for _ in range(3):
            assert client.get("/api/v1/commitments/").status_code == 200
        error = assert_error(client.get("/api/v1/commitments/"), 429, "throttled")
        assert error["message"]
        # Per token: another token of another user is not affected.
        assert client_for(factories.UserFactory()).get("/api/v1/commitments/").status_code == 200
    finally:
        TokenRateThrottle.THROTTLE_RATES = old


def test_etag_and_304_on_detail_and_list(clerk_api, commitment):
    for path in (f"/api/v1/commitments/{commitment.pk}/", "/api/v1/commitments/"):
        first = clerk_api.get(path)
        etag = first["ETag"]
        assert etag.startswith('W/"')
        again = clerk_api.get(path, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304 and again.content == b""
        assert again["ETag"] == etag
    commitment.text = "力争到2026年完成改造"
    commitment.save()
    changed = clerk_api.get(f"/api/v1/commitments/{commitment.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200


def test_last_modified_on_detail(clerk_api, commitment):
    response = clerk_api.get(f"/api/v1/commitments/{commitment.pk}/")
    assert response["Last-Modified"] == http_date(commitment.updated_at.timestamp())
    later = http_date((commitment.updated_at + dt.timedelta(minutes=5)).timestamp())
    assert clerk_api.get(f"/api/v1/commitments/{commitment.pk}/", HTTP_IF_MODIFIED_SINCE=later).status_code == 304
    earlier = http_date((commitment.updated_at - dt.timedelta(minutes=5)).timestamp())
    assert clerk_api.get(f"/api/v1/commitments/{commitment.pk}/", HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200


def test_progress_changes_the_etag(clerk_api, commitment):
    before = clerk_api.get(f"/api/v1/commitments/{commitment.pk}/")["ETag"]
    assert (
        clerk_api.post(
            f"/api/v1/commitments/{commitment.pk}/progress/", {"note": "完成招标", "percent": 30}, format="json"
        ).status_code
        == 201
    )
    after = clerk_api.get(f"/api/v1/commitments/{commitment.pk}/", HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200
    assert after.json()["progress_updates"][0]["note"] == "完成招标"
