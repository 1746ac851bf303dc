"""Scope: every endpoint and method for anonymous callers, clerks of another agency, and read-only tokens."""

import pytest

from tests import factories
from tests.api.conftest import assert_error, client_for


@pytest.fixture
def world(commitment):
    """One commitment with a target, a progress note and a pending change request, and the objects around it."""
    target = factories.TargetFactory(commitment=commitment)
    change = factories.ChangeRequestFactory(commitment=commitment)
    factories.ProgressUpdateFactory(commitment=commitment)
    factories.AssignmentFactory(proposal=commitment.proposal, agency=commitment.agency)
    return {
        "commitment": commitment,
        "target": target,
        "change": change,
        "response": commitment.response,
        "document": commitment.document,
        "proposal": commitment.proposal,
    }


def detail_paths(w) -> list[str]:
    return [
        f"/api/v1/commitments/{w['commitment'].pk}/",
        f"/api/v1/change-requests/{w['change'].pk}/",
        f"/api/v1/responses/{w['response'].pk}/",
        f"/api/v1/documents/{w['document'].pk}/",
        f"/api/v1/proposals/{w['proposal'].pk}/",
    ]


def write_calls(w) -> list[tuple[str, dict]]:
    c = w["commitment"].pk
    return [
        (f"/api/v1/commitments/{c}/progress/", {"note": "已完成选址"}),
        (f"/api/v1/commitments/{c}/transition/", {"status": "missed", "reason": "资金未到位"}),
        (f"/api/v1/commitments/{c}/change-requests/", {"kind": "withdrawal", "reason": "政策调整"}),
        (f"/api/v1/commitments/{c}/targets/{w['target'].pk}/actual/", {"value": "12"}),
        (f"/api/v1/change-requests/{w['change'].pk}/decide/", {"approve": True}),
        (f"/api/v1/responses/{w['response'].pk}/satisfaction/", {"satisfaction": "satisfied", "channel": "body"}),
    ]


LISTS = [
    "/api/v1/commitments/",
    "/api/v1/change-requests/",
    "/api/v1/responses/",
    "/api/v1/documents/",
    "/api/v1/proposals/",
    "/api/v1/proposers/",
    "/api/v1/bodies/",
    "/api/v1/sessions/",
    "/api/v1/agencies/",
]


def test_anonymous_gets_401_everywhere(api, world):
    for path in LISTS + detail_paths(world):
        assert_error(api.get(path), 401, "not_authenticated")
    for path, data in write_calls(world):
        assert_error(api.post(path, data, format="json"), 401, "not_authenticated")
    assert_error(api.post("/api/v1/responses/", {}), 401)
    assert_error(api.post("/api/v1/extract", {}), 401)


def test_bad_or_revoked_token_gets_401(world, clerk):
    from accounts.models import ApiToken
    from accounts.services import api_token_revoke

    client = client_for(clerk)
    assert client.get("/api/v1/commitments/").status_code == 200
    api_token_revoke(token=ApiToken.objects.get(user=clerk))
    assert_error(client.get("/api/v1/commitments/"), 401, "authentication_failed")
    client.credentials(HTTP_AUTHORIZATION="Token lsk_not-a-real-key")
    assert_error(client.get("/api/v1/commitments/"), 401, "authentication_failed")
    client.credentials(HTTP_AUTHORIZATION="Bearer")
    assert_error(client.get("/api/v1/commitments/"), 401)


def test_clerk_sees_own_items_on_every_detail(clerk_api, world):
    for path in detail_paths(world):
        assert clerk_api.get(path).status_code == 200, path


def test_bearer_keyword_is_accepted(clerk, world):
    from rest_framework.test import APIClient

    from accounts.services import api_token_create

    _, key = api_token_create(user=clerk, name="bearer")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get(f"/api/v1/commitments/{world['commitment'].pk}/").status_code == 200


def test_clerk_of_another_agency_gets_404_on_details_and_actions(other_api, world):
    for path in detail_paths(world):
        assert_error(other_api.get(path), 404, "not_found")
    for path, data in write_calls(world):
        assert_error(other_api.post(path, data, format="json"), 404, "not_found")


def test_clerk_of_another_agency_sees_empty_lists(other_api, world):
    for path in LISTS[:6]:
        response = other_api.get(path)
        assert response.status_code == 200, path
        assert response.json()["count"] == 0, path


def test_reference_data_is_visible_to_every_signed_in_user(other_api, world):
    assert other_api.get("/api/v1/agencies/").json()["count"] >= 2
    assert other_api.get(f"/api/v1/bodies/{world['proposal'].session.body_id}/").status_code == 200
    assert "webhook_url" not in other_api.get("/api/v1/agencies/").json()["results"][0]


def test_read_only_token_gets_403_on_every_write(readonly_api, world):
    for path, data in write_calls(world):
        assert_error(readonly_api.post(path, data, format="json"), 403, "permission_denied")
    assert_error(readonly_api.post("/api/v1/responses/", {}), 403, "permission_denied")
    assert readonly_api.get(f"/api/v1/commitments/{world['commitment'].pk}/").status_code == 200
    world["commitment"].refresh_from_db()
    assert world["commitment"].status == "open"
    assert world["commitment"].progress_updates.count() == 1


def test_clerk_cannot_decide_change_requests(clerk_api, world):
    error = assert_error(
        clerk_api.post(f"/api/v1/change-requests/{world['change'].pk}/decide/", {"approve": True}, format="json"),
        403,
        "permission_denied",
    )
    assert "督办" in error["message"]
    world["change"].refresh_from_db()
    assert world["change"].state == "pending"


def test_supervisor_sees_the_body_and_decides(supervisor_api, world):
    response = supervisor_api.post(
        f"/api/v1/change-requests/{world['change'].pk}/decide/", {"approve": True, "note": "同意"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "approved"
    world["commitment"].refresh_from_db()
    assert str(world["commitment"].deadline) == "2026-06-30"


def test_supervisor_of_another_body_gets_404(world):
    stranger = factories.supervisor_of(factories.BodyFactory())
    client = client_for(stranger)
    assert_error(client.get(f"/api/v1/commitments/{world['commitment'].pk}/"), 404)
    assert_error(
        client.post(f"/api/v1/change-requests/{world['change'].pk}/decide/", {"approve": True}, format="json"), 404
    )


def test_co_responsible_agency_clerk_sees_the_commitment(world):
    co_agency = factories.AgencyFactory()
    world["commitment"].agencies.add(co_agency)
    client = client_for(factories.clerk_of(co_agency))
    assert client.get(f"/api/v1/commitments/{world['commitment'].pk}/").status_code == 200


def test_session_auth_works_for_the_browser(client, clerk, world):
    client.force_login(clerk)
    assert client.get(f"/api/v1/commitments/{world['commitment'].pk}/").status_code == 200
