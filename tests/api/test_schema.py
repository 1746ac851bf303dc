"""The OpenAPI schema validates, and a bounded schemathesis run finds no 5xx and no response outside the schema."""

import json

import pytest
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings

from accounts.services import api_token_create
from tests import factories

MAX_EXAMPLES = 20


def test_schema_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.json"
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", str(out))
    schema = json.loads(out.read_text())
    paths = schema["paths"]
    assert "/api/v1/commitments/{id}/transition/" in paths
    assert "/api/v1/extract" in paths and "/api/v1/extract/" not in paths
    for path in ("/api/v1/review-rounds/{id}/verify/", "/api/v1/periods/{id}/met/", "/api/v1/ratings/"):
        assert paths[path]["post"]["description"] and "409" in paths[path]["post"]["responses"]
    assert "/api/v1/my/items/" in paths
    listing = paths["/api/v1/commitments/"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert {"overdue", "agency", "due_within", "updated_since", "page_size", "q", "ordering"} <= names
    assert {"400", "401", "429"} <= set(listing["responses"])
    assert schema["components"]["securitySchemes"]["tokenAuth"]["in"] == "header"


def test_every_paginated_list_documents_its_400(tmp_path):
    """A `page_size` that is not a positive integer is a 400 on every list (config.api.Pagination), so every
    operation that takes one documents it (session 13's schemathesis run: `GET /my/items/?page_size=-3` answered a
    400 its schema did not list)."""
    out = tmp_path / "schema.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(out))
    paths = json.loads(out.read_text())["paths"]
    paginated = [
        (path, method, operation)
        for path, methods in paths.items()
        for method, operation in methods.items()
        if any(p["name"] == "page_size" for p in operation.get("parameters", []))
    ]
    assert len(paginated) >= 15 and "/api/v1/my/items/" in {path for path, _, _ in paginated}
    for path, method, operation in paginated:
        assert "400" in operation["responses"], (method, path)


def test_docs_page_uses_bundled_assets(client):
    page = client.get("/api/docs/").content.decode()
    assert "cdn" not in page.lower() and "/static/drf_spectacular_sidecar/" in page


@pytest.mark.slow
def test_schemathesis_finds_no_server_errors_and_no_schema_violations(db, client):
    schemathesis = pytest.importorskip("schemathesis")
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    from config.wsgi import application

    commitment = factories.CommitmentFactory()
    factories.TargetFactory(commitment=commitment)
    factories.ChangeRequestFactory(commitment=commitment)
    _followup_rows(commitment)
    admin = factories.UserFactory(is_superuser=True, is_staff=True)
    _, key = api_token_create(user=admin, name="schemathesis", read_only=False)
    raw = json.loads(client.get("/api/schema/?format=json").content)
    schema = schemathesis.openapi.from_dict(raw)
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    tested = 0
    # Calling the WSGI app directly would close the test's connection at request end, as Django's test client
    # prevents by the same disconnection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        tested = _run_operations(schema, application, key, checks)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert tested >= 15


def _followup_rows(commitment) -> None:
    """A round with a reported line, periods of a recurring duty and a rating: the follow-through lists have rows
    to render, so their responses are checked against the schema too."""
    import datetime as dt

    from followup.models import Rating, ReviewItem, ReviewRound
    from followup.services import commitment_periods_sync

    commitment.recurrence = "quarterly"
    commitment.save()
    commitment_periods_sync(commitment=commitment, today=dt.date(2025, 2, 1))
    round_ = ReviewRound.objects.create(
        origin="manual",
        agency=commitment.agency,
        title="回头看",
        opened_on=dt.date(2025, 1, 1),
        due_on=dt.date(2025, 2, 1),
    )
    ReviewItem.objects.create(round=round_, commitment=commitment, reported_state="delayed", note="滞后")
    Rating.objects.create(response=commitment.response, attitude="satisfied", result="basically", collected_by="agency")


def _run_operations(schema, application, key, checks) -> int:
    tested = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path.startswith("/api/v1/calendar/"):
            continue  # token in the path: covered in test_writes_feeds_extract

        @given(case=operation.as_strategy())
        @hyp_settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def run(case):
            case.headers = {**(case.headers or {}), "Authorization": f"Token {key}"}
            response = case.call(app=application)
            case.validate_response(response, checks=checks)

        run()
        tested += 1
    return tested
