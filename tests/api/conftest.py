import pytest
from rest_framework.test import APIClient

from accounts.services import api_token_create
from tests import factories


@pytest.fixture(autouse=True)
def _no_throttle_state():
    # Throttle counters live in the cache; a fresh cache per test keeps tests independent.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def api():
    return APIClient()


def client_for(user, *, read_only: bool = False) -> APIClient:
    """An API client authenticating with a fresh token of `user`."""
    _, key = api_token_create(user=user, name="test", read_only=read_only)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def clerk_api(clerk):
    return client_for(clerk)


@pytest.fixture
def other_api(other_clerk):
    return client_for(other_clerk)


@pytest.fixture
def supervisor_api(supervisor):
    return client_for(supervisor)


@pytest.fixture
def readonly_api(clerk):
    return client_for(clerk, read_only=True)


def assert_error(response, status: int, code: str | None = None) -> dict:
    """The one error body: {"error": {"code", "message", "fields"}}."""
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert {"code", "message", "fields"} <= set(error), error
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], dict)
    if code is not None:
        assert error["code"] == code, error
    return error


__all__ = ["assert_error", "client_for", "factories"]
