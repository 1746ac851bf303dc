"""The follow-through writes in the API: rounds (open, report, submit, verify), periods, ratings, my items.

Each through the same services as the web pages: happy paths, every role's 403/404, invalid payloads with field
errors in the one error body, 409 for what was already done, and no partial rows when a request fails.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from commitments.choices import CommitmentStatus
from commitments.models import Commitment, ProgressUpdate
from followup import services
from followup.models import CommitmentPeriod, Rating, ReviewItem, ReviewRound
from proposals.choices import ProposalStatus
from tests import factories
from tests.api.conftest import assert_error, client_for
from tests.followup.conftest import at, report_two_lines

D = dt.date
URL = "https://example.gov.cn/evidence"


@pytest.fixture
def round_(world):
    return services.review_rounds_open_due(today=D(2025, 7, 15))[0]


@pytest.fixture
def api():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def clerk(world):
    return client_for(world["clerk"])


@pytest.fixture
def supervisor(world):
    return client_for(world["supervisor"])


@pytest.fixture
def deputy(world):
    return client_for(world["deputy_user"])


@pytest.fixture
def outsiders(world):
    """Another agency's clerk and another body's supervisor: neither sees the world's round or commitments."""
    return {
        "clerk": client_for(factories.clerk_of(factories.AgencyFactory(), "clerk_other")),
        "supervisor": client_for(factories.supervisor_of(factories.BodyFactory(), "sup_other")),
    }


def _items(round_):
    return list(round_.items.order_by("pk"))


def _report(client, round_, item, **data):
    return client.post(f"/api/v1/review-rounds/{round_.pk}/items/{item.pk}/report/", data, format="json")


def _report_all(client, round_):
    for item in _items(round_):
        assert _report(client, round_, item, state="done", evidence_url=URL).status_code == 200


def _submitted(client, round_):
    _report_all(client, round_)
    assert client.post(f"/api/v1/review-rounds/{round_.pk}/submit/").status_code == 200


# ---------------------------------------------------------------------------------------- rounds: reading


def test_the_detail_shows_one_line_per_commitment_with_its_targets(world, round_, supervisor):
    target = factories.TargetFactory(commitment=world["commitments"][0], text="5 所", value=5, unit="所")
    body = supervisor.get(f"/api/v1/review-rounds/{round_.pk}/").json()
    assert (body["id"], body["state"], body["items"]) == (round_.pk, "open", 2)
    lines = body["lines"]
    assert {line["commitment"]["id"] for line in lines} == {c.pk for c in world["commitments"]}
    first = next(line for line in lines if line["commitment"]["id"] == world["commitments"][0].pk)
    assert first["commitment"]["targets"][0]["id"] == target.pk
    assert (first["reported_state"], first["verdict"], first["evidence_file"]) == ("", "", None)


def test_the_detail_does_not_grow_in_queries_with_lines(world, round_, supervisor, django_assert_max_num_queries):
    supervisor.get(f"/api/v1/review-rounds/{round_.pk}/")  # warm the token cache
    with django_assert_max_num_queries(8):
        assert supervisor.get(f"/api/v1/review-rounds/{round_.pk}/").status_code == 200
    for _ in range(5):
        c = factories.CommitmentFactory(response=world["response"])
        factories.TargetFactory(commitment=c)
        ReviewItem.objects.create(round=round_, commitment=c)
    with django_assert_max_num_queries(8):
        assert len(supervisor.get(f"/api/v1/review-rounds/{round_.pk}/").json()["lines"]) == 7


def test_outsiders_and_proposers_do_not_find_the_round(world, round_, deputy, outsiders, api):
    item = _items(round_)[0]
    for client in (deputy, outsiders["clerk"], outsiders["supervisor"]):
        assert_error(client.get(f"/api/v1/review-rounds/{round_.pk}/"), 404, "not_found")
        assert_error(_report(client, round_, item, state="delayed", note="x"), 404, "not_found")
        assert_error(client.post(f"/api/v1/review-rounds/{round_.pk}/submit/"), 404)
    assert_error(_report(api, round_, item, state="delayed", note="x"), 401)
    assert ReviewItem.objects.get(pk=item.pk).reported_state == ""


def test_an_item_of_another_round_is_not_found_under_this_one(world, round_, clerk):
    other = factories.CommitmentFactory(response=factories.ResponseFactory(agency=world["agency"]))
    stray = ReviewRound.objects.create(
        origin="manual", agency=world["agency"], title="x", opened_on=D(2025, 1, 1), due_on=D(2025, 2, 1)
    )
    stray_item = ReviewItem.objects.create(round=stray, commitment=other)
    assert_error(_report(clerk, round_, stray_item, state="delayed", note="x"), 404)
    assert_error(clerk.post(f"/api/v1/review-rounds/{round_.pk}/items/99999999999999999999/report/", {}), 404)


# ---------------------------------------------------------------------------------------- rounds: reporting


def test_the_clerk_reports_a_line_with_a_note_and_a_target_value(world, round_, clerk):
    item = _items(round_)[0]
    target = factories.TargetFactory(commitment=item.commitment, text="5 所", value=5, unit="所")
    response = _report(clerk, round_, item, state="partly", note="已建成 3 所", actuals={str(target.pk): "3"})
    assert response.status_code == 200, response.content
    line = response.json()
    assert (line["id"], line["reported_state"], line["note"], line["reported_by"]) == (
        item.pk,
        "partly",
        "已建成 3 所",
        "clerk_f",
    )
    target.refresh_from_db()
    assert target.actual_value == Decimal("3") and "回头看" in target.actual_note


def test_the_clerk_reports_done_with_an_evidence_file_as_multipart(world, round_, clerk):
    item = _items(round_)[0]
    upload = SimpleUploadedFile("验收.txt", "竣工验收合格".encode(), content_type="text/plain")
    response = clerk.post(
        f"/api/v1/review-rounds/{round_.pk}/items/{item.pk}/report/",
        {"state": "done", "evidence_file": upload},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    url = response.json()["evidence_file"]
    assert url.endswith(f"/api/v1/review-rounds/{round_.pk}/items/{item.pk}/file/")
    got = clerk.get(url)
    assert got.status_code == 200 and b"".join(got.streaming_content) == "竣工验收合格".encode()
    other = _items(round_)[1]
    assert_error(clerk.get(f"/api/v1/review-rounds/{round_.pk}/items/{other.pk}/file/"), 404)  # no file


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"state": "bogus", "note": "x"}, "state"),
        ({"note": "x"}, "state"),
        ({"state": "delayed"}, "note"),
        ({"state": "delayed", "note": "   "}, "note"),
        ({"state": "done"}, "evidence"),
        ({"state": "done", "evidence_url": "not a url"}, "evidence_url"),
        ({"state": "partly", "note": "x", "actuals": {"abc": "1"}}, "actuals"),
        ({"state": "partly", "note": "x", "actuals": {"1": "many"}}, "actuals"),
        ({"state": "partly", "note": "x", "actuals": [1, 2]}, "actuals"),
    ],
)
def test_bad_reports_are_400s_naming_the_field_and_write_nothing(world, round_, clerk, data, field):
    item = _items(round_)[0]
    error = assert_error(_report(clerk, round_, item, **data), 400, "invalid")
    assert field in error["fields"], error
    assert ReviewItem.objects.get(pk=item.pk).reported_state == ""


def test_a_target_of_another_commitment_is_refused_and_nothing_is_written(world, round_, clerk):
    item, other = _items(round_)
    mine = factories.TargetFactory(commitment=item.commitment)
    foreign = factories.TargetFactory(commitment=other.commitment)
    actuals = {str(mine.pk): "1", str(foreign.pk): "2"}
    error = assert_error(_report(clerk, round_, item, state="partly", note="x", actuals=actuals), 400)
    assert str(foreign.pk) in error["fields"]["actuals"][0]
    mine.refresh_from_db()
    assert mine.actual_value is None and ReviewItem.objects.get(pk=item.pk).reported_state == ""


def test_a_read_only_token_and_a_proposer_cannot_report(world, round_):
    item = _items(round_)[0]
    readonly = client_for(world["clerk"], read_only=True)
    assert_error(_report(readonly, round_, item, state="delayed", note="x"), 403, "permission_denied")


def test_a_supervisor_of_the_body_may_report_like_the_ui(world, round_, supervisor):
    item = _items(round_)[0]
    assert _report(supervisor, round_, item, state="delayed", note="督办代填").status_code == 200


# ---------------------------------------------------------------------------------------- rounds: submitting


def test_submitting_needs_every_line_and_happens_once(world, round_, clerk):
    first, second = _items(round_)
    assert _report(clerk, round_, first, state="delayed", note="征地未完成").status_code == 200
    error = assert_error(clerk.post(f"/api/v1/review-rounds/{round_.pk}/submit/"), 400, "invalid")
    assert "items" in error["fields"]
    assert _report(clerk, round_, second, state="done", evidence_url=URL).status_code == 200
    body = clerk.post(f"/api/v1/review-rounds/{round_.pk}/submit/").json()
    assert body["state"] == "submitted" and body["reported"] == 2 and body["submitted_at"]
    again = assert_error(clerk.post(f"/api/v1/review-rounds/{round_.pk}/submit/"), 409, "conflict")
    assert again["existing"] == {"id": round_.pk} if "existing" in again else True
    assert_error(_report(clerk, round_, first, state="done", evidence_url=URL), 409, "conflict")
    assert ReviewItem.objects.get(pk=first.pk).reported_state == "delayed"


def test_the_conflict_body_names_the_round(world, round_, clerk):
    _submitted(clerk, round_)
    response = clerk.post(f"/api/v1/review-rounds/{round_.pk}/submit/")
    assert response.status_code == 409 and response.json()["error"]["existing"] == {"id": round_.pk}


def test_a_supervisor_of_another_body_cannot_submit_an_agency_round(world, outsiders):
    """An agency-only round asks only about commitments of its opener's bodies: another body's supervisor neither
    sees nor acts on it (until session 20 every supervisor saw it, and got a 403 acting on it)."""
    with at(D(2025, 3, 1)):
        round_ = services.review_round_open(user=world["supervisor"], agency=world["agency"], due_on=D(2025, 4, 1))
    assert_error(outsiders["supervisor"].get(f"/api/v1/review-rounds/{round_.pk}/"), 404)
    assert_error(outsiders["supervisor"].post(f"/api/v1/review-rounds/{round_.pk}/submit/"), 404)


# ---------------------------------------------------------------------------------------- rounds: verifying


def test_the_supervisor_verifies_a_round_and_done_closes_the_commitments(world, round_, clerk, supervisor):
    _submitted(clerk, round_)
    verdicts = [{"item": i.pk, "accept": True} for i in _items(round_)]
    assert_error(clerk.post(f"/api/v1/review-rounds/{round_.pk}/verify/", {"verdicts": verdicts}, format="json"), 403)
    response = supervisor.post(f"/api/v1/review-rounds/{round_.pk}/verify/", {"verdicts": verdicts}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["state"], body["accepted"], body["done"]) == ("verified", 2, 2)
    assert {line["verdict"] for line in body["lines"]} == {"accepted"}
    assert set(Commitment.objects.filter(response=world["response"]).values_list("status", flat=True)) == {
        CommitmentStatus.FULFILLED
    }
    again = supervisor.post(f"/api/v1/review-rounds/{round_.pk}/verify/", {"verdicts": verdicts}, format="json")
    assert_error(again, 409, "conflict")
    assert ProgressUpdate.objects.filter(commitment__response=world["response"]).count() == 2  # one history entry each


def test_accepting_lines_reported_with_an_evidence_file_keeps_the_file(
    world, round_, clerk, supervisor, django_capture_on_commit_callbacks
):
    """Session 15's walk-through: accepting a line the agency reported with an uploaded evidence file was a 500 (the
    stored file's name was handed to the commitment's services as if it were the upload), in the API and on the
    round page alike. The commitment closes (done) or records progress (partly) with a copy of the file."""
    first, second = _items(round_)
    for item, state, data in ((first, "done", "竣工验收合格"), (second, "partly", "已完成一半")):
        upload = SimpleUploadedFile("验收.txt", data.encode(), content_type="text/plain")
        payload = {"state": state, "note": "见附件", "evidence_file": upload}
        report = clerk.post(f"/api/v1/review-rounds/{round_.pk}/items/{item.pk}/report/", payload, format="multipart")
        assert report.status_code == 200, report.content
    assert clerk.post(f"/api/v1/review-rounds/{round_.pk}/submit/").status_code == 200
    for item in (first, second):
        with django_capture_on_commit_callbacks(execute=True):  # the files are written when the request commits
            verify = f"/api/v1/review-rounds/{round_.pk}/items/{item.pk}/verify/"
            response = supervisor.post(verify, {"accept": True}, format="json")
        assert response.status_code == 200, response.content
    for item, status, data in (
        (first, CommitmentStatus.FULFILLED, "竣工验收合格"),
        (second, CommitmentStatus.OPEN, "已完成一半"),
    ):
        item.commitment.refresh_from_db()
        assert item.commitment.status == status
        update = ProgressUpdate.objects.filter(commitment=item.commitment).latest("pk")
        assert update.evidence_file.name.endswith(".txt")
        file = supervisor.get(f"/api/v1/commitments/{item.commitment_id}/progress/{update.pk}/file/")
        assert file.status_code == 200 and b"".join(file.streaming_content) == data.encode()


def test_nested_errors_read_as_text_naming_where_they_are(world, round_, clerk, supervisor):
    """Session 15's walk-through: a wrong item inside `verdicts` or `actuals` answered the Python repr of DRF's nested
    errors (“{0: {'item': [ErrorDetail(string='请填写合法的整数值。', code='invalid')]}}”)."""
    first = _items(round_)[0]
    bad = _report(clerk, round_, first, state="partly", note="x", actuals={"7": "many"})
    assert assert_error(bad, 400, "invalid")["fields"]["actuals"] == ["7: 请填写合法的数字。"]
    _submitted(clerk, round_)
    url = f"/api/v1/review-rounds/{round_.pk}/verify/"
    cases = [
        ({"verdicts": [{"item": "x", "accept": True}]}, "verdicts", "0.item: "),
        ({"verdicts": [{"item": first.pk, "accept": True}, {"item": first.pk}]}, "verdicts", "1.accept: "),
        ({"verdicts": {"item": first.pk}}, "verdicts", ""),
    ]
    for payload, field, where in cases:
        error = assert_error(supervisor.post(url, payload, format="json"), 400, "invalid")
        (message,) = error["fields"][field]
        assert message.startswith(where) and "ErrorDetail" not in message and "{" not in message, message


@pytest.mark.parametrize(
    ("verdicts", "field"),
    [
        ([], "verdicts"),
        ("all", "verdicts"),
        ([{"item": "x", "accept": True}], "verdicts"),
        ([{"item": 1}], "verdicts"),
        ("return-without-reason", "verdicts"),
        ("duplicate", "verdicts"),
        ("unknown", "verdicts"),
    ],
)
def test_bad_verdicts_are_400s_and_nothing_is_applied(world, round_, clerk, supervisor, verdicts, field):
    _submitted(clerk, round_)
    first, second = _items(round_)
    verdicts = (
        {
            "return-without-reason": [{"item": first.pk, "accept": True}, {"item": second.pk, "accept": False}],
            "duplicate": [{"item": first.pk, "accept": True}, {"item": first.pk, "accept": True}],
            "unknown": [{"item": first.pk, "accept": True}, {"item": 10**9, "accept": True}],
        }.get(verdicts, verdicts)
        if isinstance(verdicts, str)
        else verdicts
    )
    response = supervisor.post(f"/api/v1/review-rounds/{round_.pk}/verify/", {"verdicts": verdicts}, format="json")
    error = assert_error(response, 400, "invalid")
    assert field in error["fields"], error
    assert not ReviewItem.objects.filter(round=round_).exclude(verdict="").exists()
    assert ReviewRound.objects.get(pk=round_.pk).state == "submitted"
    assert not Commitment.objects.filter(response=world["response"]).exclude(status=CommitmentStatus.OPEN).exists()


def test_a_return_reopens_the_round_for_that_line_and_accepted_lines_stay(world, round_, clerk, supervisor):
    _submitted(clerk, round_)
    first, second = _items(round_)
    verdicts = [{"item": first.pk, "accept": True}, {"item": second.pk, "accept": False, "note": "佐证不足"}]
    body = supervisor.post(f"/api/v1/review-rounds/{round_.pk}/verify/", {"verdicts": verdicts}, format="json").json()
    assert body["state"] == "open" and body["accepted"] == 1
    assert Commitment.objects.get(pk=first.commitment_id).status == CommitmentStatus.FULFILLED
    assert _report(clerk, round_, second, state="done", evidence_url=URL + "/2").status_code == 200
    assert clerk.post(f"/api/v1/review-rounds/{round_.pk}/submit/").status_code == 200
    one = supervisor.post(
        f"/api/v1/review-rounds/{round_.pk}/items/{second.pk}/verify/", {"accept": True}, format="json"
    )
    assert one.status_code == 200 and one.json()["verdict"] == "accepted"
    assert ReviewRound.objects.get(pk=round_.pk).state == "verified"
    again = supervisor.post(
        f"/api/v1/review-rounds/{round_.pk}/items/{second.pk}/verify/", {"accept": True}, format="json"
    )
    assert_error(again, 409)


def test_one_line_returned_without_a_reason_is_a_400(world, round_, clerk, supervisor):
    _submitted(clerk, round_)
    item = _items(round_)[0]
    response = supervisor.post(
        f"/api/v1/review-rounds/{round_.pk}/items/{item.pk}/verify/", {"accept": False}, format="json"
    )
    assert "note" in assert_error(response, 400)["fields"]
    assert_error(supervisor.post(f"/api/v1/review-rounds/{round_.pk}/items/{item.pk}/verify/", {}, format="json"), 400)
    assert ReviewItem.objects.get(pk=item.pk).verdict == ""


def test_verifying_an_open_round_is_a_409(world, round_, supervisor):
    item = _items(round_)[0]
    response = supervisor.post(
        f"/api/v1/review-rounds/{round_.pk}/items/{item.pk}/verify/", {"accept": True}, format="json"
    )
    assert_error(response, 409, "conflict")


# ---------------------------------------------------------------------------------------- rounds: opening


def test_a_supervisor_opens_a_round_for_his_session(world, supervisor):
    with at(D(2025, 3, 1)):
        response = supervisor.post(
            "/api/v1/review-rounds/",
            {"session": world["session"].pk, "due_on": "2025-04-01", "title": "年中回头看"},
            format="json",
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["title"], body["origin"], body["state"], body["items"]) == ("年中回头看", "manual", "open", 2)
    assert len(body["lines"]) == 2


def test_a_clerk_sees_and_reports_a_session_wide_round_that_asks_about_his_agency(world, clerk, outsiders):
    with at(D(2025, 3, 1)):
        round_ = services.review_round_open(user=world["supervisor"], session=world["session"], due_on=D(2025, 4, 1))
    assert round_.agency_id is None
    assert clerk.get(f"/api/v1/review-rounds/{round_.pk}/").status_code == 200
    assert _report(clerk, round_, _items(round_)[0], state="delayed", note="资金未到位").status_code == 200
    assert_error(outsiders["clerk"].get(f"/api/v1/review-rounds/{round_.pk}/"), 404)


@pytest.mark.parametrize(
    ("who", "data", "status", "field"),
    [
        ("clerk", {"agency": "own", "due_on": "2025-04-01"}, 403, None),
        ("deputy", {"agency": "own", "due_on": "2025-04-01"}, 403, None),
        ("supervisor", {"due_on": "2025-04-01"}, 400, "session"),
        ("supervisor", {"session": "own", "due_on": "2025-02-01"}, 400, "due_on"),
        ("supervisor", {"session": "own", "due_on": "1899-01-01"}, 400, "due_on"),
        ("supervisor", {"session": "own", "due_on": "soon"}, 400, "due_on"),
        ("supervisor", {"session": 10**9, "due_on": "2025-04-01"}, 400, "session"),
        ("supervisor", {"session": "own", "due_on": "2025-04-01", "title": "x" * 201}, 400, "title"),
        ("supervisor", {"session": "foreign", "due_on": "2025-04-01"}, 403, None),
        ("supervisor", {"agency": "empty", "due_on": "2025-04-01"}, 400, "scope"),
    ],
)
def test_opening_bad_rounds(world, who, data, status, field):
    ids = {
        "own": world["session"].pk if "session" in data else world["agency"].pk,
        "foreign": factories.SessionFactory().pk,
        "empty": factories.AgencyFactory().pk,
    }
    data = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in data.items()}
    client = client_for(
        {"clerk": world["clerk"], "deputy": world["deputy_user"], "supervisor": world["supervisor"]}[who]
    )
    with at(D(2025, 3, 1)):
        error = assert_error(client.post("/api/v1/review-rounds/", data, format="json"), status)
    if field:
        assert field in error["fields"], error
    assert not ReviewRound.objects.exists()


# ---------------------------------------------------------------------------------------- periods


@pytest.fixture
def periods(world):
    duty = world["commitments"][0]
    duty.recurrence = "quarterly"
    duty.save()
    return services.commitment_periods_sync(commitment=duty, today=D(2025, 2, 1))


def test_periods_of_a_commitment_are_listed_in_order_and_paginated(world, periods, clerk, deputy):
    duty = periods[0].commitment
    with at(D(2025, 5, 1)):
        body = clerk.get(f"/api/v1/periods/?commitment={duty.pk}&page_size=2").json()
    assert body["count"] == 4 and [p["number"] for p in body["results"]] == [1, 2]
    assert body["results"][0]["overdue"] is True and body["results"][1]["overdue"] is False
    assert deputy.get(f"/api/v1/periods/?commitment={duty.pk}").json()["count"] == 4  # his own item's duty
    assert_error(clerk.get("/api/v1/periods/?met=maybe"), 400)
    assert_error(clerk.get("/api/v1/periods/?commitmnt=1"), 400)


def test_the_clerk_marks_a_period_met_once(world, periods, clerk):
    period = periods[0]
    upload = SimpleUploadedFile("q1.txt", b"Q1 done", content_type="text/plain")
    response = clerk.post(
        f"/api/v1/periods/{period.pk}/met/", {"note": "一季度调度会已召开", "evidence_file": upload}, format="multipart"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["met"] is True and body["met_by"] == "clerk_f" and body["evidence_file"]
    assert b"".join(clerk.get(body["evidence_file"]).streaming_content) == b"Q1 done"
    assert_error(clerk.post(f"/api/v1/periods/{period.pk}/met/", {"note": "再次"}, format="json"), 409, "conflict")
    assert clerk.get("/api/v1/periods/?met=true").json()["count"] == 1


def test_marking_a_period_met_refuses_bad_input_and_other_roles(world, periods, deputy, outsiders):
    period = periods[0]
    clerk = client_for(world["clerk"])
    assert "note" in assert_error(clerk.post(f"/api/v1/periods/{period.pk}/met/", {}, format="json"), 400)["fields"]
    bad_url = {"note": "x", "evidence_url": "javascript:alert(1)"}
    assert "evidence_url" in assert_error(clerk.post(f"/api/v1/periods/{period.pk}/met/", bad_url), 400)["fields"]
    assert_error(deputy.post(f"/api/v1/periods/{period.pk}/met/", {"note": "我来登记"}, format="json"), 403)
    assert_error(outsiders["clerk"].post(f"/api/v1/periods/{period.pk}/met/", {"note": "x"}, format="json"), 404)
    assert_error(
        client_for(world["clerk"], read_only=True).post(f"/api/v1/periods/{period.pk}/met/", {"note": "x"}), 403
    )
    assert not CommitmentPeriod.objects.filter(met_at__isnull=False).exists()


# ---------------------------------------------------------------------------------------- ratings


def _rate(client, response, **data):
    payload = {"response": response.pk, "attitude": "satisfied", "result": "basically", **data}
    return client.post("/api/v1/ratings/", payload, format="json")


def test_the_proposer_rates_once_per_round_and_again_after_a_round(world, deputy, clerk):
    response = world["response"]
    first = _rate(deputy, response)
    assert first.status_code == 201, first.content
    body = first.json()
    assert (body["collected_by"], body["entered_by_staff"], body["round"], body["proposer"]["id"]) == (
        "proposer",
        False,
        None,
        world["deputy"].pk,
    )
    assert_error(_rate(deputy, response, result="satisfied"), 409, "conflict")
    assert Rating.objects.count() == 1
    round_ = services.review_rounds_open_due(today=D(2025, 7, 15))[0]
    _submitted(clerk, round_)
    again = _rate(deputy, response, result="satisfied")
    assert again.status_code == 201 and again.json()["round"] == round_.pk
    assert_error(_rate(deputy, response), 409)
    assert Rating.objects.count() == 2


def test_unsatisfied_on_the_result_reopens_the_item(world, deputy):
    assert _rate(deputy, world["response"], result="unsatisfied").status_code == 201
    world["proposal"].refresh_from_db()
    assert world["proposal"].status == ProposalStatus.REHANDLING


def test_staff_enter_ratings_marked_as_theirs(world, clerk, supervisor):
    assert_error(_rate(clerk, world["response"]), 403)  # a clerk is not the proposer
    by_agency = _rate(clerk, world["response"], collected_by="agency")
    assert by_agency.status_code == 201 and by_agency.json()["entered_by_staff"] is True
    assert by_agency.json()["proposer"] is None
    by_body = _rate(supervisor, world["response"], collected_by="body")
    assert by_body.status_code == 201 and by_body.json()["collected_by"] == "body"
    assert_error(_rate(supervisor, world["response"], collected_by="agency"), 403)
    assert_error(_rate(clerk, world["response"], collected_by="agency", proposer=world["deputy"].pk), 400)


def test_ratings_are_scoped_and_validated(world, deputy, outsiders):
    other = factories.ResponseFactory(agency=world["agency"])
    assert_error(_rate(deputy, other), 404)
    assert_error(_rate(outsiders["clerk"], world["response"], collected_by="agency"), 404)
    for bad, field in [
        ({"attitude": "great"}, "attitude"),
        ({"result": ""}, "result"),
        ({"collected_by": "nobody"}, "collected_by"),
        ({"response": "x"}, "response"),
        ({"proposer": 10**9}, "proposer"),
        ({"comment": "x" * 5001}, "comment"),
    ]:
        payload = {"response": world["response"].pk, "attitude": "satisfied", "result": "basically", **bad}
        error = assert_error(deputy.post("/api/v1/ratings/", payload, format="json"), 400)
        assert field in error["fields"], (bad, error)
    stranger = factories.ProposerFactory(name="王委员")
    assert_error(_rate(deputy, world["response"], proposer=stranger.pk), 403)
    assert not Rating.objects.exists()


def test_rating_lists_show_the_replies_in_scope(world, deputy, clerk, outsiders):
    _rate(deputy, world["response"])
    _rate(clerk, world["response"], collected_by="agency")
    assert deputy.get("/api/v1/ratings/").json()["count"] == 2
    listed = clerk.get(f"/api/v1/ratings/?response={world['response'].pk}&collected_by=agency").json()
    assert listed["count"] == 1 and listed["results"][0]["entered_by_staff"] is True
    assert outsiders["clerk"].get("/api/v1/ratings/").json()["count"] == 0
    assert_error(clerk.get("/api/v1/ratings/?collected_by=nobody"), 400)


# ---------------------------------------------------------------------------------------- my items


def test_my_items_show_replies_commitments_progress_and_whether_to_rate(world, deputy, clerk):
    other = factories.ProposerFactory(name="李代表")
    stranger = factories.ProposalFactory(session=world["session"])
    stranger.proposer_links.create(proposer=other)
    commitment = world["commitments"][0]
    factories.ProgressUpdateFactory(commitment=commitment, note="已开工")
    body = deputy.get("/api/v1/my/items/").json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item["id"] == world["proposal"].pk and item["proposers"][0]["name"] == "张代表"
    reply = item["replies"][0]
    assert reply["id"] == world["response"].pk and reply["may_rate"] is True and reply["rating_round"] is None
    assert reply["document_file"].endswith(f"/api/v1/documents/{world['response'].document_id}/file/")
    lines = {c["id"]: c for c in reply["commitments"]}
    assert set(lines) == {c.pk for c in world["commitments"]}
    assert lines[commitment.pk]["progress_updates"][0]["note"] == "已开工"
    _rate(deputy, world["response"])
    reply = deputy.get("/api/v1/my/items/").json()["results"][0]["replies"][0]
    assert reply["may_rate"] is False and len(reply["ratings"]) == 1
    assert_error(clerk.get("/api/v1/my/items/"), 403)


def _rounds_submitted(world):
    """Open the rounds due on 2025-07-15 and submit each with every line reported."""
    for round_ in services.review_rounds_open_due(today=D(2025, 7, 15)):
        for item in round_.items.all():
            services.review_item_report(item=item, user=world["clerk"], state="in_progress", note="推进中")
        services.review_round_submit(round_=round_, user=world["clerk"])


def test_my_items_queries_do_not_grow_with_items(world, deputy, django_assert_max_num_queries):
    # The reports of a submitted round (s19ui2) are in the count from the start.
    _rounds_submitted(world)
    deputy.get("/api/v1/my/items/")
    with django_assert_max_num_queries(16) as before:
        deputy.get("/api/v1/my/items/")
    for _ in range(3):
        proposal = factories.ProposalFactory(session=world["session"])
        proposal.proposer_links.create(proposer=world["deputy"])
        reply = factories.ResponseFactory(
            proposal=proposal, agency=world["agency"], signed_on=D(2025, 1, 15), review_state="confirmed"
        )
        c = factories.CommitmentFactory(response=reply, recurrence="yearly", deadline=D(2025, 12, 31))
        factories.ProgressUpdateFactory(commitment=c)
        services.commitment_periods_sync(commitment=c, today=D(2025, 2, 1))
    _rounds_submitted(world)
    with django_assert_max_num_queries(len(before.captured_queries)):
        body = deputy.get("/api/v1/my/items/").json()
    assert body["count"] == 4
    reports = [r for i in body["results"] for reply in i["replies"] for c in reply["commitments"] for r in c["reports"]]
    assert len(reports) == 5 and not any(r["verified"] for r in reports)


def test_target_values_in_a_multipart_report(world, round_, clerk):
    item = _items(round_)[0]
    target = factories.TargetFactory(commitment=item.commitment, text="10 公里", value=10, unit="公里")
    response = clerk.post(
        f"/api/v1/review-rounds/{round_.pk}/items/{item.pk}/report/",
        {"state": "in_progress", "note": "已完成 4.5 公里", f"actuals.{target.pk}": "4.5"},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    target.refresh_from_db()
    assert target.actual_value == Decimal("4.5")
    too_big = {"state": "in_progress", "note": "x", "actuals": {str(target.pk): "1e30"}}
    assert "actuals" in assert_error(_report(clerk, round_, item, **too_big), 400)["fields"]
    assert_error(clerk.post(f"/api/v1/review-rounds/{round_.pk}/items/{item.pk}/report/", [1], format="json"), 400)


def _reports(client) -> dict[int, list[dict]]:
    """The `reports` of every commitment in the proposer's list, by commitment id."""
    body = client.get("/api/v1/my/items/").json()
    return {
        c["id"]: c["reports"] for item in body["results"] for reply in item["replies"] for c in reply["commitments"]
    }


def test_my_items_carry_a_submitted_rounds_reports_as_the_page_does_verified_or_not(world, deputy, round_):
    """s19ui2 (s19ui's "left"): /my/ shows a submitted round's reports marked 待督办核实; the API showed none. Each
    commitment's `reports` lists them (followup.selectors.round_reports, the page's query) with `verified: false`,
    only to the item's proposer; an unsubmitted round's and a round sent back to open show none; verified, `true`."""
    first, second = report_two_lines(round_, world["clerk"], note="已完成年度计划的八成", evidence_url=URL)
    # Reported, not submitted: the agency may still change it; nothing is listed, the file is not served.
    assert _reports(deputy) == {c.pk: [] for c in world["commitments"]}
    assert_error(deputy.get(f"/api/v1/my/items/reports/{second.pk}/file/"), 404)

    services.review_round_submit(round_=round_, user=world["clerk"])
    reports = _reports(deputy)
    [one] = reports[first.commitment_id]
    assert one["id"] == first.pk and one["verified"] is False and one["verified_at"] is None
    assert (one["round"], one["round_title"], one["round_state"]) == (round_.pk, round_.title, "submitted")
    assert one["reported_state"] == "in_progress" and one["note"] == "已完成年度计划的八成"
    assert one["evidence_url"] == URL and one["evidence_file"] is None and one["reported_at"]
    [two] = reports[second.commitment_id]
    assert two["verified"] is False and two["reported_state"] == "done"
    assert two["evidence_file"].endswith(f"/api/v1/my/items/reports/{second.pk}/file/")
    download = deputy.get(two["evidence_file"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == "验收合格".encode()
    # The page lists the same lines (one selector): two 待督办核实 marks.
    from django.test import Client

    page = Client()
    page.force_login(world["deputy_user"])
    assert page.get("/my/").content.decode().count('<span class="badge unverified">') == 2

    # Another proposer's account: not his item, none of it.
    other_user = factories.UserFactory(username="deputy_other")
    other = factories.ProposerFactory(name="李代表", user=other_user)
    theirs = factories.ProposalFactory(session=world["session"])
    theirs.proposer_links.create(proposer=other)
    their_reply = factories.ResponseFactory(proposal=theirs, agency=world["agency"], signed_on=D(2025, 1, 15))
    mine = factories.CommitmentFactory(response=their_reply, deadline=D(2025, 12, 31))
    stranger = client_for(other_user)
    assert _reports(stranger) == {mine.pk: []}
    assert_error(stranger.get(f"/api/v1/my/items/reports/{second.pk}/file/"), 404)
    assert_error(client_for(world["clerk"]).get(f"/api/v1/my/items/reports/{second.pk}/file/"), 403)

    # One accepted, one returned: the round is open again, none of its lines is listed (the returned one is reported
    # again), the file is not served.
    services.review_round_verify(
        round_=round_, user=world["supervisor"], verdicts=[(first.pk, True, ""), (second.pk, False, "验收报告未盖章")]
    )
    assert _reports(deputy) == {c.pk: [] for c in world["commitments"]}
    assert_error(deputy.get(f"/api/v1/my/items/reports/{second.pk}/file/"), 404)

    # Reported again and submitted: the accepted line verified, the other not yet.
    second.refresh_from_db()
    services.review_item_report(item=second, user=world["clerk"], state="done", note="已建成投用，报告已盖章")
    services.review_round_submit(round_=round_, user=world["clerk"])
    reports = _reports(deputy)
    assert [(r["id"], r["verified"]) for r in reports[first.commitment_id]] == [(first.pk, True)]
    assert reports[first.commitment_id][0]["verified_at"]
    assert [(r["id"], r["verified"], r["note"]) for r in reports[second.commitment_id]] == [
        (second.pk, False, "已建成投用，报告已盖章")
    ]

    # Verified: every report shows as verified, and is the commitments' progress as before.
    services.review_round_verify(round_=round_, user=world["supervisor"], verdicts=[(second.pk, True, "")])
    reports = _reports(deputy)
    assert [(r["id"], r["verified"], r["round_state"]) for r in reports[first.commitment_id]] == [
        (first.pk, True, "verified")
    ]
    assert [(r["id"], r["verified"]) for r in reports[second.commitment_id]] == [(second.pk, True)]
    assert deputy.get(reports[second.commitment_id][0]["evidence_file"]).status_code == 200
    assert "待督办核实" not in page.get("/my/").content.decode()
