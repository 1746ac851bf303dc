"""Session 17's walk-through as an API client: a write's body with a key that is no field of it was saved without
that value (`{"note": "…", "percnt": 50}` → 201, percent empty), and a body that is not JSON was told so in English
on a Chinese answer (“JSON parse error - Expecting property name enclosed in double quotes: line 1 column 2 (char 1)”).
"""

from commitments.models import ChangeRequest, ProgressUpdate
from tests.api.conftest import assert_error


def test_a_misspelt_field_is_refused_not_dropped(clerk_api, commitment):
    url = f"/api/v1/commitments/{commitment.pk}/progress/"
    error = assert_error(clerk_api.post(url, {"note": "已开工", "percnt": 50}, format="json"), 400, "invalid")
    assert list(error["fields"]) == ["percnt"]
    assert error["fields"]["percnt"] == ["未知字段（可用字段：note, percent, evidence_url, evidence_file）"]
    english = clerk_api.post(
        url, {"note": "x", "evidence": "https://a.example/1"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert assert_error(english, 400)["fields"] == {
        "evidence": ["Unknown field (accepted: note, percent, evidence_url, evidence_file)"]
    }
    assert not ProgressUpdate.objects.filter(commitment=commitment).exists()
    # Multipart and form bodies alike; a form's CSRF token is no field but is not refused.
    assert (
        "percnt" in assert_error(clerk_api.post(url, {"note": "x", "percnt": "5"}, format="multipart"), 400)["fields"]
    )
    ok = clerk_api.post(url, {"note": "已开工", "percent": 50, "csrfmiddlewaretoken": "x"}, format="multipart")
    assert ok.status_code == 201, ok.content
    assert ProgressUpdate.objects.get(commitment=commitment).percent == 50


def test_a_change_request_with_the_deadline_misnamed_is_refused(clerk_api, commitment):
    """`deadline` for `requested_deadline`: refused by the service as “延期须填写新期限”, which hid the real mistake."""
    body = {"kind": "extension", "reason": "用地审批延后", "deadline": "2027-06-30"}
    error = assert_error(
        clerk_api.post(f"/api/v1/commitments/{commitment.pk}/change-requests/", body, format="json"), 400
    )
    assert list(error["fields"]) == ["deadline"]
    assert not ChangeRequest.objects.exists()


def test_a_nested_verdicts_unknown_key_is_named(supervisor_api, supervisor, commitment):
    import datetime as dt

    from followup import services

    round_ = services.review_round_open(
        user=supervisor, session=commitment.proposal.session, due_on=dt.date(2099, 1, 31), title="x"
    )
    error = assert_error(
        supervisor_api.post(
            f"/api/v1/review-rounds/{round_.pk}/verify/",
            {"verdicts": [{"item": 1, "accept": True, "notes": "好"}]},
            format="json",
        ),
        400,
    )
    assert "notes" in str(error["fields"]["verdicts"]), error


def test_a_body_that_is_not_json_is_told_where_in_the_clients_language(clerk_api, commitment):
    url = f"/api/v1/commitments/{commitment.pk}/progress/"
    chinese = assert_error(clerk_api.post(url, '{"note": "x",}', content_type="application/json"), 400, "parse_error")
    assert chinese["message"] == "请求体不是有效的 JSON（第 1 行第 14 列）"
    english = clerk_api.post(url, '{\n"note" "x"}', content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert assert_error(english, 400, "parse_error")["message"] == "The body is not valid JSON (line 2, column 8)."
    latin1 = clerk_api.post(url, '{"note": "\xe9"}'.encode("latin-1"), content_type="application/json")
    assert assert_error(latin1, 400, "parse_error")["message"] == "请求体不是有效的 JSON（须为 UTF-8 编码）"
    assert not ProgressUpdate.objects.filter(commitment=commitment).exists()
