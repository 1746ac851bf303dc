"""Writes through the services, the reply upload (409 on duplicates), the extract endpoint, tokens, .ics feeds."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from accounts.models import ApiToken
from accounts.services import calendar_token_create, calendar_token_revoke, key_hash
from commitments.api import ical
from responses.models import Document, Response
from tests import factories
from tests.api.conftest import assert_error, client_for

LETTER = """测试市第一局文件

〔B类〕

〔公开〕

测一函〔2024〕7号

测试市第一局 关于测试市第十五届人大三次会议 第150777号建议答复的函

张三代表：

您在测试市第十五届人大三次会议上提出的《关于加快社区养老服务建设的建议》收悉，已交由我局负责主办。经认真研究，现答复如下：

一、工作开展情况

近年来，我局持续推进社区养老服务设施建设。

二、下一步工作

我局将于2025年底前建成10个社区养老服务中心，力争到2026年6月底前实现街道全覆盖。

测试市第一局
2024年5月20日
"""


def upload(text: str = LETTER, name: str = "letter.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/plain")


def test_progress_transition_and_change_request(clerk_api, commitment):
    response = clerk_api.post(
        f"/api/v1/commitments/{commitment.pk}/progress/", {"note": "完成招标", "percent": 40}, format="json"
    )
    assert response.status_code == 201 and response.json()["percent"] == 40
    response = clerk_api.post(
        f"/api/v1/commitments/{commitment.pk}/change-requests/",
        {"kind": "extension", "reason": "审批延后", "requested_deadline": "2026-12-31"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["state"] == "pending"
    again = clerk_api.post(
        f"/api/v1/commitments/{commitment.pk}/change-requests/",
        {"kind": "withdrawal", "reason": "再次申请"},
        format="json",
    )
    # A second request while one is pending is a conflict with the current state (409), naming the pending one.
    assert assert_error(again, 409, "conflict")["existing"]["id"] == response.json()["id"]
    closed = clerk_api.post(
        f"/api/v1/commitments/{commitment.pk}/transition/",
        {"status": "fulfilled", "evidence_url": "https://example.gov.cn/done"},
        format="json",
    )
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == "fulfilled" and closed.json()["progress_updates"][0]["status_to"] == "fulfilled"


def test_reply_upload_creates_the_reply_and_commitments_then_409(db):
    agency = factories.AgencyFactory(name="测试市第一局")
    client = client_for(factories.clerk_of(agency))
    response = client.post("/api/v1/responses/", {"file": upload()}, format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["doc_number"] == "测一函〔2024〕7号" and body["agency"]["id"] == agency.pk
    assert body["commitment_count"] == 2
    duplicate = client.post("/api/v1/responses/", {"file": upload()}, format="multipart")
    error = assert_error(duplicate, 409, "duplicate")
    assert error["existing"]["id"] == body["id"]
    assert error["existing"]["url"].endswith(f"/api/v1/responses/{body['id']}/")
    assert Response.objects.count() == 1


def test_reply_upload_for_another_agency_is_refused_and_nothing_saved(other_api, db):
    factories.AgencyFactory(name="测试市第一局")
    assert_error(other_api.post("/api/v1/responses/", {"file": upload()}, format="multipart"), 403)
    assert not Document.objects.exists() and not Response.objects.exists()


def test_extract_returns_the_prediction_and_saves_nothing(clerk_api):
    pytest.importorskip("responses.extraction")
    documents = Document.objects.count()
    response = clerk_api.post("/api/v1/extract", {"file": upload()}, format="multipart")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["metadata"]["doc_number"] == "测一函〔2024〕7号"
    assert {c["deadline"] for c in body["commitments"]} == {"2025-12-31", "2026-06-30"}
    assert Document.objects.count() == documents


def test_extract_errors_carry_the_extractors_status_and_message(clerk_api, settings):
    pytest.importorskip("responses.extraction")
    bad = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, content_type="image/png")
    error = assert_error(clerk_api.post("/api/v1/extract", {"file": bad}, format="multipart"), 415)
    assert "不支持" in error["message"]
    empty = SimpleUploadedFile("empty.txt", b"   ", content_type="text/plain")
    assert_error(clerk_api.post("/api/v1/extract", {"file": empty}, format="multipart"), 422)
    settings.UPLOAD_MAX_BYTES = 10
    error = assert_error(
        clerk_api.post("/api/v1/extract", {"file": upload()}, format="multipart"), 413, "file_too_large"
    )
    assert "MB" in error["message"]
    assert "file" in assert_error(clerk_api.post("/api/v1/extract", {}, format="multipart"), 400)["fields"]


def test_tokens_store_only_a_hash_and_the_command_prints_the_key_once(db):
    user = factories.UserFactory(username="sync")
    out = StringIO()
    call_command("create_api_token", "sync", "--read-only", stdout=out, stderr=StringIO())
    key = out.getvalue().strip()
    token = ApiToken.objects.get(user=user)
    assert token.read_only and token.key_hash == key_hash(key) and key not in (token.prefix + token.key_hash)
    client = client_for(user)  # another, read-write token
    assert client.get("/api/v1/agencies/").status_code == 200
    assert ApiToken.objects.filter(user=user).count() == 2


def test_ical_folding_and_escaping():
    line = "SUMMARY:" + "承诺" * 40
    folded = ical.fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line
    assert ical.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


@time_machine.travel(dt.datetime(2025, 6, 1, 4, tzinfo=dt.UTC), tick=False)
def test_calendar_feed_lists_visible_open_deadlines_and_revokes(api, clerk, commitment):
    hidden = factories.CommitmentFactory(deadline=dt.date(2025, 9, 1), precision="day")
    closed = factories.CommitmentFactory(response=commitment.response, status="fulfilled")
    commitment.text = "确保年底前完成,并做好验收;逐步推广"
    commitment.save()
    token, key = calendar_token_create(user=clerk)
    response = api.get(f"/api/v1/calendar/{key}.ics", HTTP_ACCEPT="text/calendar")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    unfolded = text.replace("\r\n ", "")
    assert f"UID:commitment-{commitment.pk}@luoshi" in unfolded
    assert "DTSTART;VALUE=DATE:20251231" in unfolded
    assert "完成\\,并做好验收\\;逐步推广" in unfolded
    assert f"commitment-{hidden.pk}@" not in unfolded and f"commitment-{closed.pk}@" not in unfolded
    agency_feed = api.get(f"/api/v1/calendar/agency/{commitment.agency_id}/{key}.ics")
    assert f"commitment-{commitment.pk}@" in agency_feed.content.decode().replace("\r\n ", "")
    other_agency_feed = api.get(f"/api/v1/calendar/agency/{hidden.agency_id}/{key}.ics")
    assert f"commitment-{hidden.pk}@" not in other_agency_feed.content.decode()
    calendar_token_revoke(token=token)
    assert_error(api.get(f"/api/v1/calendar/{key}.ics"), 404, "not_found")
    assert_error(api.get("/api/v1/calendar/lsc_guess.ics"), 404)
