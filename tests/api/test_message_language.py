"""User-facing messages are one language at a time: Chinese by default, English when the client asks for it."""

from tests.api.conftest import client_for


def test_api_error_follows_accept_language(clerk, commitment):
    api = client_for(clerk, read_only=True)
    url = f"/api/v1/commitments/{commitment.pk}/progress/"
    chinese = api.post(url, {"note": "x"}, format="json").json()["error"]["message"]
    english = api.post(url, {"note": "x"}, format="json", HTTP_ACCEPT_LANGUAGE="en").json()["error"]["message"]
    assert chinese == "只读令牌不能写入"
    assert english == "This token is read-only."


def test_service_validation_message_in_english(clerk, commitment):
    api = client_for(clerk)
    url = f"/api/v1/commitments/{commitment.pk}/progress/"
    body = api.post(url, {"note": "x", "percent": 150}, format="json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert " / " not in str(body) and "数" not in str(body)
    assert api.post(url, {"note": "   "}, format="json").json()["error"]["fields"]


# Session 17 (s16ui2's "left"): the API's own messages that were still “中文 / English” whatever the client asked.

BOTH = ("zh-hans", "en")


def _messages(send) -> dict[str, str]:
    """The error message of `send(headers)` for a Chinese and an English client."""
    answers = {}
    for language in BOTH:
        response = send({"HTTP_ACCEPT_LANGUAGE": language})
        answers[language] = response.json()["error"]["message"]
    return answers


def _one_language(answers: dict[str, str], chinese: str, english: str) -> None:
    assert answers == {"zh-hans": chinese, "en": english}
    assert all(" / " not in message.replace("以 / 结尾", "") for message in answers.values()), answers


def test_the_catch_all_404s_speak_the_clients_language(clerk_api, commitment):
    path = f"/api/v1/commitments/{commitment.pk}/progress"
    _one_language(
        _messages(lambda h: clerk_api.post(path, {"note": "x"}, format="json", **h)),
        f"接口地址须以 / 结尾：{path}/",
        f"The endpoint's path ends with a slash: {path}/",
    )
    _one_language(
        _messages(lambda h: clerk_api.get("/api/v1/nothing/", **h)),
        "接口不存在，接口一览见 /api/docs/",
        "No such API endpoint; see /api/docs/.",
    )
    # The cookie the pages' language menu sets chooses too (a signed-in browser reading the API).
    clerk_api.cookies["django_language"] = "en"
    assert clerk_api.get("/api/v1/nothing/").json()["error"]["message"] == "No such API endpoint; see /api/docs/."


def test_unparseable_json_is_refused_in_the_clients_language(clerk_api, commitment):
    url = f"/api/v1/commitments/{commitment.pk}/progress/"
    deep = "[" * 100_000 + "]" * 100_000
    _one_language(
        _messages(lambda h: clerk_api.post(url, deep, content_type="application/json", **h)),
        "JSON 嵌套过深",
        "JSON nested too deeply.",
    )
    _one_language(
        _messages(lambda h: clerk_api.post(url, '{"note": "\\ud800"}', content_type="application/json", **h)),
        "JSON 含无效的 Unicode 字符（孤立代理项）",
        "JSON holds a lone surrogate.",
    )
    assert commitment.progress_updates.count() == 0


def test_a_datetime_filter_out_of_range_is_refused_in_the_clients_language(clerk_api):
    answers = {}
    for language in BOTH:
        response = clerk_api.get(
            "/api/v1/commitments/?updated_since=9999-12-31T23:59:59-23:59", HTTP_ACCEPT_LANGUAGE=language
        )
        assert response.status_code == 400
        answers[language] = response.json()["error"]["fields"]["updated_since"]
    assert answers == {
        "zh-hans": ["时间超出可表示的范围（UTC 1–9999 年）"],
        "en": ["Date and time out of range (years 1–9999 in UTC)."],
    }


def test_the_reply_uploads_refusals_speak_the_clients_language(db, clerk_api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from responses.models import Response
    from tests import factories
    from tests.api.test_writes_feeds_extract import upload

    deputy = factories.UserFactory(username="deputy_api_language")
    _one_language(
        _messages(lambda h: client_for(deputy).post("/api/v1/responses/", {"file": upload()}, format="multipart", **h)),
        "只有办理人员或督办人员可以登记答复",
        "Only clerks and supervisors log replies.",
    )

    def notice():
        return SimpleUploadedFile("notice.txt", "今天下午三点在三楼会议室开会，请准时参加。\n".encode(), "text/plain")

    _one_language(
        _messages(lambda h: clerk_api.post("/api/v1/responses/", {"file": notice()}, format="multipart", **h)),
        "未识别为答复函（无文号、建议编号或标题）",
        "Not recognised as a reply letter (no document number, item number or title).",
    )
    agency = factories.AgencyFactory(name="测试市第一局")
    factories.supervisor_of(factories.BodyFactory(name="测试市人大", jurisdiction="测试市"))
    letter_clerk = client_for(factories.clerk_of(agency, "clerk_api_language"))
    before = Response.objects.count()
    assert letter_clerk.post("/api/v1/responses/", {"file": upload()}, format="multipart").status_code == 201
    _one_language(
        _messages(lambda h: letter_clerk.post("/api/v1/responses/", {"file": upload()}, format="multipart", **h)),
        "该答复函已登记",
        "This reply letter was already logged.",
    )
    assert Response.objects.count() == before + 1


def test_the_webhook_address_is_required_in_the_admins_language(db):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from proposals.choices import WebhookKind
    from tests import factories

    agency = factories.AgencyFactory.build(webhook_kind=next(k for k in WebhookKind if k != WebhookKind.NONE))
    found = {}
    for language in BOTH:
        with translation.override(language):
            try:
                agency.clean()
            except ValidationError as refused:
                found[language] = refused.message_dict
    assert found == {
        "zh-hans": {"webhook_url": ["请填写群机器人地址"]},
        "en": {"webhook_url": ["The webhook URL is required."]},
    }


def test_no_bilingual_message_is_left_in_the_apis_modules():
    """The API modules whose messages were “中文 / English” until session 17 (s16ui2's "left"); the schema's
    descriptions (`summary=`, `description=`, `help_text=`) are bilingual on purpose and not messages."""
    import re
    from pathlib import Path

    from django.conf import settings

    from tests.bilingual import bilingual_lines

    modules = [
        "commitments/api/replies.py",
        "config/api_urls.py",
        "config/api.py",
        "proposals/filtersets.py",
        "proposals/models.py",
    ]
    schema_text = re.compile(r"\b(summary|description|help_text)=")
    found = bilingual_lines(Path(settings.BASE_DIR), modules, allowed=lambda line: bool(schema_text.search(line)))
    assert found == []
