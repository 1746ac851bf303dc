"""Session 16 (session 15's "left"): `/api/v1/` answered 404 (“接口不存在，接口一览见 /api/docs/”), so a client that
starts from the API's root — as DRF's, GitHub's and most APIs' roots allow — found nothing. The root names every
endpoint, the schema and the docs, each an absolute URL that resolves to a route of its own."""

from urllib.parse import urlsplit

import pytest
from django.urls import resolve

from config.api_urls import no_such_endpoint
from tests.api.conftest import assert_error

pytestmark = pytest.mark.django_db

LISTS = [
    "bodies", "sessions", "agencies", "proposers", "proposals", "documents", "responses", "commitments",
    "change-requests", "review-rounds", "periods", "ratings", "my/items", "evidence-links",
]  # fmt: skip


def test_the_root_names_every_endpoint_the_schema_and_the_docs(api, clerk_api):
    response = api.get("/api/v1/")  # no token needed: the names are the schema's, which is public too
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    root = response.json()
    assert set(LISTS) <= set(root) and {"search", "extract", "schema", "docs"} <= set(root)
    assert root["docs"] == "http://testserver/api/docs/" and root["schema"] == "http://testserver/api/schema/"
    assert root["commitments"] == "http://testserver/api/v1/commitments/"
    for name, url in root.items():
        parts = urlsplit(url)
        assert parts.scheme == "http" and parts.netloc == "testserver", name
        assert resolve(parts.path).func is not no_such_endpoint, name
    # Each list named answers a clerk's token (my/items is the proposers' own list: 403 to a clerk, not a 404).
    for name in LISTS:
        assert clerk_api.get(root[name]).status_code == (403 if name == "my/items" else 200), name
    # The same names to a signed-in token, and only GET.
    assert clerk_api.get("/api/v1/").json() == root
    assert_error(clerk_api.post("/api/v1/", {}, format="json"), 405, "method_not_allowed")
