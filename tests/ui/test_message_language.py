"""Session 16 (later), s16ui's "left": the messages still written “中文 / English” outside follow-through, the uploads
and the import showed both halves on Chinese pages and in every API answer. Like the rest of the UI each comes in one
language: Chinese by default (the msgid), English from the catalog for an English page or `Accept-Language: en`."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from commitments.models import ChangeRequest
from tests import factories
from tests.api.conftest import client_for
from tests.ui.helpers import letter, preview_post_data, upload_preview

pytestmark = pytest.mark.django_db


def _english(client):
    client.cookies["django_language"] = "en"


def test_logging_a_reply_for_another_agencys_item_is_refused_in_the_pages_language(client, agency):
    session = factories.SessionFactory()
    foreign = factories.AssignmentFactory(proposal__session=session).proposal
    client.force_login(factories.clerk_of(agency, "clerk_t"))
    pages = []
    for language in ("zh-hans", "en"):
        client.cookies["django_language"] = language
        url, preview = upload_preview(client, letter())
        data = preview_post_data(preview.context)
        data["session"] = str(session.pk)
        data["proposal_number"] = foreign.number
        response = client.post(url, data)
        assert response.status_code == 400
        pages.append(response.content.decode())
    chinese, english = pages
    assert "该编号的建议提案未交办给本单位" in chinese and "not assigned to you" not in chinese
    assert "This item is not assigned to you." in english and "未交办给本单位" not in english


def test_a_taken_username_is_refused_in_the_admins_language(client):
    admin = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    proposer = factories.ProposerFactory(name="张三")
    factories.UserFactory(username=f"proposer{proposer.pk}")
    client.force_login(admin)
    url = reverse("admin:proposals_proposer_changelist")
    form = {"action": "create_accounts", "_selected_action": [proposer.pk]}
    chinese = client.post(url, form, follow=True).content.decode()
    assert f"用户名已被使用：proposer{proposer.pk}" in chinese and "username is taken" not in chinese
    _english(client)
    english = client.post(url, form, follow=True).content.decode()
    assert f"The username is taken: proposer{proposer.pk}" in english and "用户名已被使用" not in english


def test_a_date_out_of_range_is_refused_in_the_asked_language(client, commitment, clerk):
    url = reverse("commitments:request", args=[commitment.pk])
    form = {"kind": "extension", "requested_deadline": "9999-12-31", "reason": "延后"}
    client.force_login(clerk)
    chinese = client.post(url, form).content.decode()
    assert "日期须在 2000-01-01 至 2100-12-31 之间" in chinese and "must be between" not in chinese
    _english(client)
    english = client.post(url, form).content.decode()
    assert "The date must be between 2000-01-01 and 2100-12-31." in english and "日期须在" not in english
    api = client_for(clerk)
    path = f"/api/v1/commitments/{commitment.pk}/change-requests/"
    for language, expected in (
        ("zh-hans", "日期须在 2000-01-01 至 2100-12-31 之间"),
        ("en", "The date must be between"),
    ):
        error = api.post(path, form, format="json", HTTP_ACCEPT_LANGUAGE=language).json()["error"]
        assert error["fields"]["requested_deadline"][0].startswith(expected), error
        assert " / " not in error["fields"]["requested_deadline"][0]
    assert not commitment.change_requests.exists()


def test_a_concurrent_write_is_reported_in_the_asked_language(client, commitment, clerk, monkeypatch):
    """The database's unique constraint caught a second pending request (a write past the row lock)."""

    def create(**kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(ChangeRequest.objects, "create", create)
    url = reverse("commitments:request", args=[commitment.pk])
    form = {"kind": "withdrawal", "reason": "不再实施"}
    client.force_login(clerk)
    chinese = client.post(url, form)
    assert chinese.status_code == 409
    assert "操作与他人同时提交" in chinese.content.decode() and "concurrent" not in chinese.content.decode()
    _english(client)
    english = client.post(url, form).content.decode()
    assert "A concurrent request changed this first; reload and check." in english and "同时提交" not in english
    api = client_for(clerk)
    path = f"/api/v1/commitments/{commitment.pk}/change-requests/"
    answer = api.post(path, form, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 409
    assert answer.json()["error"]["message"] == "A concurrent request changed this first; reload and check."
    answer = api.post(path, form, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.json()["error"]["message"] == "操作与他人同时提交，已有一方成功，请刷新后查看"


def _link(commitment, state):
    from evidence.models import EvidenceLink

    later = factories.DocumentFactory()
    return EvidenceLink.objects.create(
        commitment=commitment, document=later, start=0, end=5, evidence_text=later.text[:5], score=0.9, state=state
    )


def test_a_decided_evidence_suggestion_is_refused_in_the_asked_language(client, commitment, clerk):
    rejected, accepted = _link(commitment, "rejected"), _link(commitment, "accepted")
    client.force_login(clerk)
    cases = (
        ("accept", rejected, "该建议已驳回", "This suggestion was rejected."),
        ("reject", accepted, "该建议已采纳", "This suggestion was already accepted."),
    )
    for action, link, chinese, english in cases:
        url = reverse(f"evidence:{action}", args=[link.pk])
        client.cookies["django_language"] = "zh-hans"
        page = client.post(url, follow=True).content.decode()
        assert chinese in page and english not in page
        _english(client)
        page = client.post(url, follow=True).content.decode()
        assert english in page and chinese not in page
        api = client_for(clerk)
        path = f"/api/v1/evidence-links/{link.pk}/{action}/"
        for language, expected in (("zh-hans", chinese), ("en", english)):
            answer = api.post(path, format="json", HTTP_ACCEPT_LANGUAGE=language)
            assert answer.json()["error"]["fields"] == {"state": [expected]}, answer.json()


def test_an_evidence_link_out_of_scope_is_refused_in_one_language(commitment, other_clerk):
    """The pages and the API answer 404 before the service's own scope check; called directly, it is one language."""
    from django.core.exceptions import PermissionDenied
    from django.utils import translation

    from evidence import services

    link = _link(commitment, "suggested")
    for language, expected in (("zh-hans", "无权操作该佐证"), ("en", "Not allowed to act on this evidence link.")):
        with translation.override(language), pytest.raises(PermissionDenied) as refused:
            services.evidence_link_reject(link=link, user=other_clerk)
        assert str(refused.value) == expected


def test_a_rating_recorded_meanwhile_is_reported_in_the_pages_language(client, commitment, supervisor, monkeypatch):
    """Another session recorded a different rating between the page's read and the service's lock."""
    from commitments.views import pages
    from responses.models import Response

    recorded = pages.reply_rate

    def meanwhile(*, response, **kwargs):
        Response.objects.filter(pk=response.pk).update(satisfaction="satisfied", satisfaction_channel="body")
        return recorded(response=response, **kwargs)

    monkeypatch.setattr(pages, "reply_rate", meanwhile)
    url = reverse("responses:satisfaction", args=[commitment.response_id])
    client.force_login(supervisor)
    shown = []
    for language in ("zh-hans", "en"):
        client.cookies["django_language"] = language
        Response.objects.filter(pk=commitment.response_id).update(satisfaction="", satisfaction_channel="")
        shown.append(client.post(url, {"satisfaction": "basically", "channel": "agency"}, follow=True).content.decode())
    chinese, english = shown
    assert "满意度刚被他人登记，请刷新后查看" in chinese and "meanwhile" not in chinese
    assert "The rating was recorded meanwhile; reload." in english and "刚被他人登记" not in english


def test_a_letter_logged_in_another_tab_is_refused_in_one_language(agency):
    """response_claim's conflict (the second of two confirmations of one preview): each language alone."""
    from django.utils import translation

    from proposals.errors import Conflict
    from responses.services import response_claim

    reply = factories.ResponseFactory()
    for language, expected in (("zh-hans", "该答复函已登记"), ("en", "This reply letter was already logged.")):
        with translation.override(language), pytest.raises(Conflict) as refused:
            response_claim(document=reply.document)
        assert refused.value.messages == [expected]


def test_the_commitment_services_guards_speak_one_language(commitment, clerk):
    """Three guards the forms and the API's serializers reach first (a required text, a choice of status and of kind):
    called directly, each message is one language."""
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from commitments import services

    item = services.CommitmentInput(text="  ")
    calls = (
        (lambda: services.commitment_revise(commitment=commitment, item=item), "text"),
        (lambda: services.commitment_transition(commitment=commitment, status="paused", user=clerk), "status"),
        (lambda: services.change_request_create(commitment=commitment, user=clerk, kind="pause", reason="x"), "kind"),
    )
    expected = {
        "zh-hans": {"text": "承诺原文不能为空", "status": "未知状态：paused", "kind": "未知申请类别：pause"},
        "en": {
            "text": "The commitment text is required.",
            "status": "Unknown status: paused",
            "kind": "Unknown kind: pause",
        },
    }
    for language, messages in expected.items():
        for call, field in calls:
            with translation.override(language), pytest.raises(ValidationError) as refused:
                call()
            assert refused.value.message_dict == {field: [messages[field]]}


def test_no_bilingual_message_is_left_in_these_modules():
    """The modules whose messages were “中文 / English” until session 16 (s16ui's "left"): a new bilingual literal
    fails here, as followup's do in tests/followup/test_message_language.py."""
    from pathlib import Path

    from django.conf import settings

    from tests.bilingual import bilingual_lines

    modules = [
        "proposals/services.py",
        "proposals/dates.py",
        "proposals/errors.py",
        "proposals/importing.py",
        "evidence/services.py",
        "commitments/services.py",
        "responses/services.py",
    ]
    found = bilingual_lines(Path(settings.BASE_DIR), modules, allowed=lambda line: "ValueError(" in line)
    assert found == []


def test_a_search_refused_or_timed_out_is_reported_in_the_asked_language(client, clerk, monkeypatch):
    """The search page, the item list's text filter and the search API: both halves (“搜索词不能超过 100 个字符 / The
    search term may not exceed…”) until session 16 (later)."""
    from django.db import OperationalError

    from search import views

    client.force_login(clerk)
    long = "养老" * 51
    chinese = client.get(reverse("search:results"), {"q": long}).content.decode()
    assert "搜索词不能超过 100 个字符" in chinese and "may not exceed" not in chinese
    _english(client)
    english = client.get(reverse("search:results"), {"q": long}).content.decode()
    assert "The search term may not exceed 100 characters." in english and "搜索词不能超过" not in english
    api = client_for(clerk)
    many = " ".join(f"词{n}" for n in range(9))
    for language, expected in (("zh-hans", "搜索词不能超过 8 个"), ("en", "At most 8 search terms.")):
        error = api.get("/api/v1/search/", {"q": many}, HTTP_ACCEPT_LANGUAGE=language).json()["error"]
        assert error["fields"] == {"q": [expected]}
        error = api.get("/api/v1/search/", {"q": "养老", "kind": "x"}, HTTP_ACCEPT_LANGUAGE=language).json()["error"]
        assert " / " not in error["fields"]["kind"][0]

    def timeout(**kwargs):
        raise OperationalError("canceling statement due to statement timeout")

    monkeypatch.setattr(views, "search", timeout)
    english = client.get(reverse("search:results"), {"q": "养老"}).content.decode()
    assert "The search took too long: use a more specific term." in english and "搜索超时" not in english
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get(reverse("search:results"), {"q": "养老"}).content.decode()
    assert "搜索超时，请使用更具体的搜索词" in chinese and "took too long" not in chinese
