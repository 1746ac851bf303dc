"""The OpenAPI schema validates, and a bounded schemathesis run finds no 5xx and no response outside the schema."""

import json

import pytest
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis.errors import Unsatisfiable

from accounts.services import api_token_create
from tests import factories


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
    # s19ui2: the deputy's API carries the reports his page shows, each `verified` or not, and serves their files.
    components = schema["components"]["schemas"]
    assert components["MyCommitment"]["properties"]["reports"]["items"] == {"$ref": "#/components/schemas/MyReport"}
    assert components["MyReport"]["properties"]["verified"]["type"] == "boolean"
    assert "verified" in components["MyReport"]["required"]
    assert "404" in paths["/api/v1/my/items/reports/{report_id}/file/"]["get"]["responses"]
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


# Per role and operation, examples in the schema's bounds; for the clerk also examples outside them (a negative
# case must be a documented 4xx; the validation does not depend on the role). Bounded and derandomised, so
# `make test` runs the same cases every time. The CLI run against a dev server, longer and with every phase, is in
# docs/api.md "Session 13: schema-driven checks".
POSITIVE_EXAMPLES = 2
NEGATIVE_EXAMPLES = 2
ROLES = ("clerk", "supervisor", "admin", "proposer")


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

    ids, users = _world()
    keys = {role: api_token_create(user=user, name="schemathesis", read_only=False)[1] for role, user in users.items()}
    raw = json.loads(client.get("/api/schema/?format=json").content)
    schema = schemathesis.openapi.from_dict(raw)
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    tested = 0
    # Calling the WSGI app directly would close the test's connection at request end, as Django's test client
    # prevents by the same disconnection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        for role in ROLES:
            negative = NEGATIVE_EXAMPLES if role == "clerk" else 0
            tested += _run_operations(schema, application, keys[role], ids, checks, negative=negative)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert tested >= len(ROLES) * 45


def _world() -> tuple[dict, dict]:
    """One of every resource the API names by id, seen by a clerk of its agency, a supervisor of its body, an
    administrator and the item's proposer: the ids in the paths are these (random ids would only meet 404s)."""
    import datetime as dt

    from django.core.files.base import ContentFile

    from evidence.models import EvidenceLink
    from followup.models import CommitmentPeriod, Rating, ReviewItem, ReviewRound
    from followup.services import commitment_periods_sync
    from proposals.models import ProposalProposer
    from proposals.services import proposer_account_create

    commitment = factories.CommitmentFactory(recurrence="quarterly")
    proposal = commitment.proposal
    factories.AssignmentFactory(proposal=proposal, agency=commitment.agency)
    target = factories.TargetFactory(commitment=commitment)
    request = factories.ChangeRequestFactory(commitment=commitment)
    update = factories.ProgressUpdateFactory(commitment=commitment)
    update.evidence_file.save("纪要.txt", ContentFile("会议纪要".encode()), save=True)
    commitment.document.original.save("letter.txt", ContentFile(commitment.document.text.encode()), save=True)
    commitment_periods_sync(commitment=commitment, today=dt.date(2025, 2, 1))
    round_ = ReviewRound.objects.create(
        origin="manual",
        agency=commitment.agency,
        title="回头看",
        opened_on=dt.date(2025, 1, 1),
        due_on=dt.date(2025, 2, 1),
    )
    item = ReviewItem.objects.create(round=round_, commitment=commitment, reported_state="delayed", note="滞后")
    rating = Rating.objects.create(
        response=commitment.response, attitude="satisfied", result="basically", collected_by="agency"
    )
    later = factories.DocumentFactory()
    link = EvidenceLink.objects.create(
        commitment=commitment, document=later, start=0, end=5, evidence_text=later.text[:5], score=0.9
    )
    proposer = factories.ProposerFactory()
    ProposalProposer.objects.create(proposal=proposal, proposer=proposer)
    proposer_user, _ = proposer_account_create(proposer=proposer, username="proposer_st")
    ids = {
        "agencies": commitment.agency_id,
        "bodies": proposal.session.body_id,
        "sessions": proposal.session_id,
        "proposals": proposal.pk,
        "proposers": proposer.pk,
        "documents": commitment.document_id,
        "responses": commitment.response_id,
        "commitments": commitment.pk,
        "change-requests": request.pk,
        "evidence-links": link.pk,
        "review-rounds": round_.pk,
        "periods": CommitmentPeriod.objects.filter(commitment=commitment).order_by("pk").first().pk,
        "ratings": rating.pk,
        "item_id": item.pk,
        "report_id": item.pk,  # my/items/reports/{report_id}/file/ (s19ui2): an open round's line, not listed → 404
        "update_id": update.pk,
        "target_id": target.pk,
    }
    users = {
        "clerk": factories.clerk_of(commitment.agency, "clerk_st"),
        "supervisor": factories.supervisor_of(proposal.session.body, "supervisor_st"),
        "admin": factories.UserFactory(is_superuser=True, is_staff=True),
        "proposer": proposer_user,
    }
    return ids, users


def _path_parameters(path: str, ids: dict) -> dict:
    """`/api/v1/<resource>/{id}/…/{item_id}/…` → the world's ids for the placeholders of the path."""
    resource = path.split("/")[3]
    names = [part[1:-1] for part in path.split("/") if part.startswith("{") and part.endswith("}")]
    return {name: ids[resource if name == "id" else name] for name in names}


def _run_operations(schema, application, key, ids, checks, *, negative: int) -> int:
    from schemathesis import GenerationMode

    tested = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path.startswith("/api/v1/calendar/"):
            continue  # token in the path: covered in test_writes_feeds_extract
        pinned = _path_parameters(operation.path, ids)
        for mode, examples in (
            (GenerationMode.POSITIVE, POSITIVE_EXAMPLES),
            (GenerationMode.NEGATIVE, NEGATIVE_EXAMPLES),
        ):
            if not examples or (mode is GenerationMode.NEGATIVE and operation.method == "get" and pinned):
                # A detail's only inputs are its pinned ids and `format`: hypothesis spends seconds looking for
                # an invalid case it mostly cannot make (the lists and every write keep theirs).
                continue
            strategy = operation.as_strategy(generation_mode=mode, path_parameters=pinned or None)

            @given(case=strategy)
            @hyp_settings(
                max_examples=examples,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            def run(case):
                case.headers = {**(case.headers or {}), "Authorization": f"Token {key}"}
                response = case.call(app=application)
                case.validate_response(response, checks=checks)

            try:
                run()
            except Unsatisfiable:
                # Nothing of this operation can be made invalid once its path is pinned (a detail with no query).
                assert mode is GenerationMode.NEGATIVE, operation.path
        tested += 1
    return tested
