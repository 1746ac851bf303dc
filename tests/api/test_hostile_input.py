"""Hostile and careless input on the API: JSON 404s for any path, strict filters, dates in range, bad stored dates."""

import datetime as dt
import json
from urllib.parse import quote

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.services import calendar_token_create
from commitments.models import Commitment
from tests import factories
from tests.api.conftest import assert_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/commitments/abc/",
        "/api/v1/commitments/1.5/",
        "/api/v1/commitments/1/targets/abc/actual",
        "/api/v1/calendar/agency/abc/lsc_x.ics",
        "/api/v1/no-such-thing/",
        "/api/nope",
        "/api",
    ],
)
def test_every_api_404_is_the_json_error_body(clerk_api, path):
    error = assert_error(clerk_api.get(path), 404, "not_found")
    assert error["fields"] == {}


def test_unknown_api_paths_answer_404_json_to_anyone_and_any_method(api):
    assert_error(api.post("/api/v1/no-such-thing/", {}, format="json"), 404, "not_found")
    assert_error(api.delete("/api/v2/commitments/1/"), 404, "not_found")


def test_a_missing_trailing_slash_still_redirects(clerk_api):
    response = clerk_api.get("/api/v1/commitments?overdue=true")
    assert response.status_code == 301 and response["Location"] == "/api/v1/commitments/?overdue=true"


def test_a_post_without_its_trailing_slash_is_told_the_path_it_meant(clerk_api, commitment):
    """Session 15's walk-through: a POST to .../progress (no slash) answered "No such API endpoint", and the client
    looked for a wrong path; a redirect would lose the body, so the 404 names the path with its slash."""
    path = f"/api/v1/commitments/{commitment.pk}/progress"
    error = assert_error(clerk_api.post(path, {"note": "x"}, format="json"), 404, "not_found")
    assert f"{path}/" in error["message"]
    assert commitment.progress_updates.count() == 0
    # A path that is no route either way points at the list of endpoints.
    error = assert_error(clerk_api.post("/api/v1/no-such-thing", {}, format="json"), 404, "not_found")
    assert "/api/docs/" in error["message"] and "no-such-thing/" not in error["message"]
    assert "/api/docs/" in assert_error(clerk_api.get("/api/v1/nothing/"), 404, "not_found")["message"]


@pytest.mark.parametrize(("path", "q"), [("/api/v1/commitments/", "公交"), ("/api/v1/documents/", "答复函正文")])
def test_page_links_keep_a_chinese_query_sent_unencoded(clerk_api, clerk, path, q):
    """Session 15's walk-through: `curl '…/documents/?q=物流&page_size=1'` (the UTF-8 bytes sent as they are, as the
    examples in docs/api.md read) answered a first page whose `next` was mojibake (`q=%C3%A7%C2%89…`, the bytes read as
    Latin-1 and encoded again), and following it answered 404. The links are built from the decoded parameters."""
    for n in range(3):
        factories.CommitmentFactory(response__agency=clerk.clerk_agencies.get(), text=f"将推进公交线网优化第{n}期")
    encoded = quote(q)
    first = clerk_api.get(f"{path}?q={q}&page_size=1")  # the test client sends the path's UTF-8 bytes as they are
    assert first.status_code == 200 and first.json()["count"] >= 2
    following = first.json()["next"]
    assert f"q={encoded}" in following, following
    second = clerk_api.get(following)
    assert second.status_code == 200 and second.json()["previous"].endswith(f"q={encoded}")


def test_the_browsable_pages_crumbs_do_not_name_the_catch_all(client, clerk):
    """Session 15's walk-through: DRF's browsable page of a list began its breadcrumbs with “No Such Endpoint” (the
    path without its slash resolves to the catch-all). The crumbs name the list only; unknown paths still 404."""
    client.force_login(clerk)
    page = client.get("/api/v1/commitments/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200 and "Commitment List" in page.content.decode()
    assert "No Such Endpoint" not in page.content.decode()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(clerk)
    assert strict.post("/api/v1/no-such-thing/").status_code == 404  # signed in, no CSRF token: still the JSON 404


@pytest.mark.parametrize(
    "query, field",
    [
        ("overdue=maybe", "overdue"),
        ("is_key=banana", "is_key"),
        ("status=bogus", "status"),
        ("deadline_after=2025-13-01", "deadline_after"),
        ("agency=abc", "agency"),
        ("ordering=password", "ordering"),
        ("page_size=abc", "page_size"),
        ("page_size=-5", "page_size"),
        ("stauts=open", "stauts"),
    ],
)
def test_invalid_filter_values_and_unknown_parameters_are_a_400_naming_the_field(clerk_api, query, field):
    error = assert_error(clerk_api.get(f"/api/v1/commitments/?{query}"), 400, "invalid")
    assert field in error["fields"]


@pytest.mark.parametrize("value", ["true", "True", "1", "yes", "on"])
def test_boolean_spellings_still_work(clerk_api, commitment, value):
    with time_machine.travel(dt.datetime(2026, 3, 1, 4, tzinfo=dt.UTC), tick=False):
        response = clerk_api.get(f"/api/v1/commitments/?overdue={value}&page=1&page_size=5")
    assert response.status_code == 200 and [r["id"] for r in response.json()["results"]] == [commitment.pk]


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"])
def test_a_requested_deadline_out_of_range_is_a_400(clerk_api, commitment, day):
    response = clerk_api.post(
        f"/api/v1/commitments/{commitment.pk}/change-requests/",
        {"kind": "extension", "reason": "延后", "requested_deadline": day},
        format="json",
    )
    error = assert_error(response, 400, "invalid")
    assert "2000-01-01" in error["fields"]["requested_deadline"][0]
    assert not commitment.change_requests.exists()


def test_the_calendar_feed_answers_200_with_deadlines_stored_out_of_range(api, clerk, commitment):
    # Written around the services (a raw update), as an old import or a database edit could have done.
    far = factories.CommitmentFactory(response=commitment.response)
    past = factories.CommitmentFactory(response=commitment.response)
    Commitment.objects.filter(pk=far.pk).update(deadline=dt.date(9999, 12, 31))
    Commitment.objects.filter(pk=past.pk).update(deadline=dt.date(1, 1, 1))
    _token, key = calendar_token_create(user=clerk)
    with time_machine.travel(dt.datetime(2025, 12, 1, 4, tzinfo=dt.UTC), tick=False):
        response = api.get(f"/api/v1/calendar/{key}.ics")
        agency_feed = api.get(f"/api/v1/calendar/agency/{commitment.agency_id}/{key}.ics")
    assert response.status_code == 200 and agency_feed.status_code == 200
    text = response.content.decode().replace("\r\n ", "")
    assert f"UID:commitment-{commitment.pk}@luoshi" in text  # the good row is still there
    assert f"UID:commitment-{far.pk}@luoshi" not in text and f"UID:commitment-{past.pk}@luoshi" not in text


@pytest.mark.parametrize(
    "path", ["progress/", "transition/", "change-requests/"], ids=["progress", "transition", "change-request"]
)
def test_json_nested_deeper_than_the_parser_recurses_is_a_400_not_a_500(clerk_api, commitment, path):
    # Found by benchmarks/sweep_robust.py (payloads): Python's json raised RecursionError, which DRF let through (500).
    body = "[" * 5000 + "]" * 5000
    response = clerk_api.post(f"/api/v1/commitments/{commitment.pk}/{path}", data=body, content_type="application/json")
    assert_error(response, 400, "parse_error")
    assert commitment.progress_updates.count() == 0


@pytest.mark.parametrize(
    "path, payload",
    [
        ("transition/", {"status": "a\ud800b"}),
        ("change-requests/", {"kind": "\udfff", "reason": "延后"}),
        ("progress/", {"note": "进展\ud800"}),
    ],
    ids=["choice", "choice-alone", "text"],
)
def test_json_with_a_lone_surrogate_is_a_400_not_a_500(clerk_api, commitment, path, payload):
    # Found by benchmarks/sweep_robust.py (payloads): "\ud800" is valid JSON but no Unicode text; a choice field echoed
    # it in its error message, which the renderer could not encode (500).
    body = json.dumps(payload)  # ASCII with \u escapes, as any client library writes it
    response = clerk_api.post(f"/api/v1/commitments/{commitment.pk}/{path}", data=body, content_type="application/json")
    assert_error(response, 400)
    assert commitment.progress_updates.count() == 0 and not commitment.change_requests.exists()


@pytest.mark.parametrize("query", ["x=1", "status=bogus", "status=withdrawn", "overdue=maybe", "page_size=0"])
def test_a_detail_ignores_the_lists_filters(clerk_api, commitment, query):
    """A list's query parameters do not apply to a detail route: its schema documents no 400 (session 13's
    schemathesis run: `GET /periods/{id}/file/?À=` answered an undocumented 400 naming the unknown parameter), and
    a filter the object does not match is no 404 either."""
    assert clerk_api.get(f"/api/v1/commitments/{commitment.pk}/?{query}").json()["id"] == commitment.pk
    document = f"/api/v1/documents/{commitment.response.document_id}/"
    assert clerk_api.get(f"{document}?{query}").status_code == 200
    # A detail action that looks its object up (a write) answers as without the parameter.
    response = clerk_api.post(
        f"/api/v1/commitments/{commitment.pk}/progress/?{query}", {"note": "已开工", "percent": 10}, format="json"
    )
    assert response.status_code == 201, response.json()
    # The list still refuses them.
    if query != "status=withdrawn":
        assert_error(clerk_api.get(f"/api/v1/commitments/?{query}"), 400, "invalid")


# ------------------------------------------------------------------------------------- session 20 (s20hostile)


def test_a_body_over_the_bound_is_a_413_json_error_before_it_is_read(clerk_api, commitment, settings):
    """A JSON body over DATA_UPLOAD_MAX_MEMORY_SIZE was Django's bare HTML “Bad Request (400)” page on the JSON API;
    an uploaded file of any size was written to a temporary file before the view refused it. Both are a 413 with the
    error object now, from the declared Content-Length (config/request_limits.py)."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20_000
    settings.UPLOAD_MAX_BYTES = 10_000
    url = f"/api/v1/commitments/{commitment.pk}/progress/"
    body = json.dumps({"note": "长" * 30_000}, ensure_ascii=False)
    error = assert_error(clerk_api.post(url, data=body, content_type="application/json"), 413, "payload_too_large")
    assert "请求过大（上限 0.0190735 MB）；上传的文件不得超过 0.00953674 MB" in error["message"]
    upload = SimpleUploadedFile("big.pdf", b"%PDF-1.4 " + bytes(50_000))
    for path in (url, "/api/v1/responses/", "/api/v1/extract", "/api/v1/evidence-links/ingest/"):
        field = "evidence_file" if path == url else "file"
        upload.seek(0)
        response = clerk_api.post(path, {"note": "x", field: upload}, format="multipart")
        assert_error(response, 413, "payload_too_large")
    assert commitment.progress_updates.count() == 0
    # A small body passes as before.
    assert clerk_api.post(url, {"note": "完成招标"}, format="json").status_code == 201


def test_a_body_over_the_bound_is_a_413_page_in_the_ui(client, commitment, clerk, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20_000
    client.force_login(clerk)
    response = client.post(
        reverse("commitments:progress", args=[commitment.pk]),
        {"note": "x", "evidence_file": SimpleUploadedFile("big.pdf", bytes(50_000))},
    )
    assert response.status_code == 413 and "请求过大" in response.content.decode()
    assert commitment.progress_updates.count() == 0


@pytest.mark.parametrize(
    "name, stored",
    [
        ("a." + "x" * 200, "a"),  # an extension that cannot fit the column: storage refused the name (a bare 400)
        ("答复函.pdf", "答复函.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("a\\..\\b.pdf", "b.pdf"),
        ("😀😀.pdf", "file.pdf"),  # was the dot file “.pdf”
        ("\u202egnp.exe", "gnp.exe"),
        ("..", "file"),
        ("report v2.final.docx", "report_v2.final.docx"),
    ],
)
def test_stored_file_names_always_fit(name, stored):
    from responses.files import storable_name

    assert storable_name(name) == stored


def test_an_evidence_file_with_a_long_extension_is_stored_not_a_bare_400(clerk_api, commitment, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    url = f"/api/v1/commitments/{commitment.pk}/progress/"
    upload = SimpleUploadedFile("证明." + "x" * 200, b"%PDF-1.4 evidence")
    response = clerk_api.post(url, {"note": "x", "evidence_file": upload}, format="multipart")
    assert response.status_code == 201, response.content[:300]
    assert commitment.progress_updates.get().evidence_file.name.startswith(f"evidence/{commitment.pk}/证明")


@pytest.mark.parametrize("length", [101, 5000])
def test_a_reason_longer_than_the_history_column_closes_the_commitment(clerk_api, commitment, length):
    """A reason over 100 characters (the history's change-reason column) was a DataError, a 500, for every close as
    missed, partly fulfilled or withdrawn with a paragraph of explanation; the API takes 5,000 characters."""
    reason = "因" * length
    response = clerk_api.post(
        f"/api/v1/commitments/{commitment.pk}/transition/", {"status": "missed", "reason": reason}, format="json"
    )
    assert response.status_code == 200, response.content[:300]
    assert commitment.progress_updates.get().note == reason  # whole where it is shown
    history = commitment.history.order_by("-history_id").first()
    assert history.status == "missed" and history.history_change_reason == "因" * 99 + "…"
