"""The payload part of the robustness sweep (benchmarks/sweep_robust.py ``--phase payloads``).

Every write endpoint of docs/api.md gets its valid payload with each field missing, null, of the wrong type, too
long, out of range (dates, numbers), with NUL bytes and lone surrogates, a body that is no JSON object, the ids of
another agency's objects (a clerk of another agency: 404/403), and the valid payload twice. Each case runs in a
savepoint of its own (rolled back by the caller). Expected: never a 5xx; a 4xx has the error body (``error.code``)
and writes no row (row counts and history tables compared).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

BAD_VALUES: list[tuple[str, object]] = [
    ("null", None),
    ("empty", ""),
    ("blank", "   "),
    ("list", [1, 2]),
    ("object", {"a": 1}),
    ("zero", 0),
    ("negative", -1),
    ("float", 1.5),
    ("true", True),
    ("word", "abc"),
    ("long", "长" * 10_001),
    # session 20: within every serializer's limit but over a narrower column behind it (a reason over 100 characters
    # was a 500: the history's change reason)
    ("long-valid", "长" * 4_999),
    ("huge-int", 10**30),
    ("bigint+1", 2**63),
    ("nul", "a\x00b"),
    ("surrogate", "a\ud800b"),
    ("date-min", "0001-01-01"),
    ("date-max", "9999-12-31"),
    ("date-bad", "2025-02-30"),
    ("nan", "NaN"),
    ("inf", "Infinity"),
    ("exp", "1e400"),
    ("decimal-long", "1" * 30 + ".5"),
]

WHOLE_BODIES: list[tuple[str, str, str]] = [
    ("no-body", "", "application/json"),
    ("json-list", "[1, 2]", "application/json"),
    ("json-string", '"x"', "application/json"),
    ("json-null", "null", "application/json"),
    ("bad-json", '{"a": ', "application/json"),
    ("deep-json", "[" * 5000 + "]" * 5000, "application/json"),
    ("text-plain", "note=x", "text/plain"),
]


def _tables() -> dict[str, int]:
    from django.apps import apps

    out = {}
    for model in apps.get_models():
        if model._meta.app_label in {"commitments", "responses", "followup", "evidence", "proposals"}:
            out[model._meta.label] = model._default_manager.count()
    return out


def world() -> dict:
    """A body with a supervisor, agency A with a clerk and a reply with two commitments (targets, a pending change
    request, an evidence link, periods, a submitted-able review round), agency B with a clerk, a deputy."""
    from commitments.models import ChangeRequest, Target
    from evidence.models import EvidenceLink
    from followup import services as followup
    from tests import factories

    body = factories.BodyFactory(name="扫描人大", jurisdiction="扫描市")
    session = factories.SessionFactory(body=body)
    a = factories.AgencyFactory(name="扫描市甲局")
    b = factories.AgencyFactory(name="扫描市乙局")
    clerk_a = factories.clerk_of(a, "sweep_clerk_a")
    clerk_b = factories.clerk_of(b, "sweep_clerk_b")
    supervisor = factories.supervisor_of(body, "sweep_sup")
    other_sup = factories.supervisor_of(factories.BodyFactory(name="他处人大", jurisdiction="他处市"), "sweep_sup2")
    deputy_user = factories.UserFactory(username="sweep_deputy")
    deputy = factories.ProposerFactory(name="扫描代表", user=deputy_user)
    proposal = factories.ProposalFactory(session=session)
    proposal.proposer_links.create(proposer=deputy)
    factories.AssignmentFactory(proposal=proposal, agency=a)
    response = factories.ResponseFactory(
        proposal=proposal, agency=a, signed_on=dt.date(2025, 1, 15), review_state="confirmed"
    )
    c1 = factories.CommitmentFactory(response=response, deadline=dt.date.today() + dt.timedelta(days=400))
    c2 = factories.CommitmentFactory(response=response, deadline=dt.date(2026, 6, 30), recurrence="quarterly")
    t1 = Target.objects.create(commitment=c1, text="300 亿元", value=30_000_000_000, unit="元")
    pending = ChangeRequest.objects.create(
        commitment=c2,
        kind="extension",
        requested_deadline=dt.date(2027, 6, 30),
        reason="审批延后",
        requested_by=clerk_a,
    )
    news = factories.DocumentFactory(kind="news")
    link = EvidenceLink.objects.create(
        commitment=c1, document=news, start=0, end=1, evidence_text="x", shared=["x"], score=0.5
    )
    periods = followup.commitment_periods_sync(commitment=c2, today=dt.date(2025, 2, 1))
    due = dt.date.today() + dt.timedelta(days=90)
    round_ = followup.review_round_open(user=supervisor, agency=a, due_on=due, title="扫描回头看")
    item = round_.items.order_by("pk").first()
    return {
        "body": body,
        "session": session,
        "a": a,
        "b": b,
        "clerk_a": clerk_a,
        "clerk_b": clerk_b,
        "supervisor": supervisor,
        "other_sup": other_sup,
        "deputy_user": deputy_user,
        "deputy": deputy,
        "response": response,
        "c1": c1,
        "c2": c2,
        "t1": t1,
        "pending": pending,
        "link": link,
        "period": periods[0],
        "round": round_,
        "item": item,
    }


def _client(user):
    from rest_framework.test import APIClient

    from accounts.services import api_token_create

    _, key = api_token_create(user=user, name="sweep", read_only=False)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def endpoints(w: dict) -> list[tuple[str, str, str, dict]]:
    """(name, actor, url, valid payload) of every JSON write endpoint (uploads: sweep_robust's document phases)."""
    r, c1, t1 = w["response"], w["c1"], w["t1"]
    rnd, item = w["round"], w["item"]
    return [
        ("satisfaction", "clerk_a", f"/api/v1/responses/{r.pk}/satisfaction/", {"satisfaction": "satisfied", "channel": "phone"}),
        ("progress", "clerk_a", f"/api/v1/commitments/{c1.pk}/progress/", {"note": "完成招标", "percent": 40, "evidence_url": "https://example.gov.cn/a"}),
        ("transition", "clerk_a", f"/api/v1/commitments/{c1.pk}/transition/", {"status": "missed", "reason": "资金未到位"}),
        ("change-request", "clerk_a", f"/api/v1/commitments/{c1.pk}/change-requests/", {"kind": "extension", "reason": "审批延后", "requested_deadline": "2027-12-31"}),
        ("target-actual", "clerk_a", f"/api/v1/commitments/{c1.pk}/targets/{t1.pk}/actual/", {"value": "123.5", "note": "年底统计"}),
        ("decide", "supervisor", f"/api/v1/change-requests/{w['pending'].pk}/decide/", {"approve": False, "note": "理由不足"}),
        ("link-accept", "clerk_a", f"/api/v1/evidence-links/{w['link'].pk}/accept/", {}),
        ("link-reject", "clerk_a", f"/api/v1/evidence-links/{w['link'].pk}/reject/", {}),
        ("round-open", "supervisor", "/api/v1/review-rounds/", {"session": w["session"].pk, "due_on": (dt.date.today() + dt.timedelta(days=120)).isoformat(), "title": "再看"}),
        ("round-report", "clerk_a", f"/api/v1/review-rounds/{rnd.pk}/items/{item.pk}/report/", {"state": "in_progress", "note": "推进中", "actuals": {str(t1.pk): "10"}}),
        ("round-submit", "clerk_a", f"/api/v1/review-rounds/{rnd.pk}/submit/", {}),
        ("round-verify", "supervisor", f"/api/v1/review-rounds/{rnd.pk}/verify/", {"verdicts": [{"item": item.pk, "accept": True, "note": ""}]}),
        ("item-verify", "supervisor", f"/api/v1/review-rounds/{rnd.pk}/items/{item.pk}/verify/", {"accept": False, "note": "再核"}),
        ("period-met", "clerk_a", f"/api/v1/periods/{w['period'].pk}/met/", {"note": "按期报送", "evidence_url": "https://example.gov.cn/p"}),
        ("rating", "deputy_user", "/api/v1/ratings/", {"response": r.pk, "attitude": "satisfied", "result": "basically", "comment": "好"}),
        ("rating-staff", "clerk_a", "/api/v1/ratings/", {"response": r.pk, "attitude": "satisfied", "result": "satisfied", "collected_by": "agency"}),
    ]  # fmt: skip


def payload_cases() -> list[tuple[str, Callable[[], list[tuple[str, str]]]]]:
    """Each case builds its world inside the caller's savepoint and returns its findings: [(kind, detail)]."""
    probe = [
        (name, actor, payload)
        for name, actor, _url, payload in endpoints(_FakeWorld())  # names and payload keys only
    ]
    cases: list[tuple[str, Callable[[], list[tuple[str, str]]]]] = []
    for name, actor, payload in probe:
        for field in payload:
            for label, value in [("missing", _MISSING), *BAD_VALUES]:
                cases.append((f"{name} {field}={label}", _case(name, actor, field=field, value=value)))
        for label, body, content_type in WHOLE_BODIES:
            cases.append((f"{name} body={label}", _case(name, actor, raw=(body, content_type))))
        cases.append((f"{name} extra-field", _case(name, actor, field="unexpected_field", value="x")))
        cases.append((f"{name} other-agency", _case(name, "clerk_b", expect_refused=True)))
        cases.append((f"{name} other-body", _case(name, "other_sup", expect_refused=True)))
        cases.append((f"{name} twice", _case(name, actor, twice=True)))
    cases += upload_cases()
    return cases


SEED = "fixtures/documents/000_e488b48de0fcacd5.txt"
UPLOADS = [
    ("reply-upload", "/api/v1/responses/", "file"),
    ("evidence-ingest", "/api/v1/evidence-links/ingest/", "file"),
    ("extract", "/api/v1/extract", "file"),
]
UPLOAD_FIELDS: list[tuple[str, dict]] = [
    ("agency=word", {"agency": "abc"}),
    ("agency=huge-int", {"agency": str(10**30)}),
    ("agency=negative", {"agency": "-1"}),
    ("agency=other", {"agency": "<b>"}),
    ("agency_confirmed=word", {"agency_confirmed": "maybe"}),
    ("source=long", {"source": "长" * 600}),
    ("source=nul", {"source": "a\x00b"}),
    ("file=text", {"file": "not a file"}),
    ("file=missing", {"file": None}),
]


def upload_cases() -> list[tuple[str, Callable[[], list[tuple[str, str]]]]]:
    """The multipart writes: a letter with bad companion fields, another agency named, no file, a file name with
    NUL bytes or 300 characters; clerk A, except where another agency's clerk is the point."""
    cases: list[tuple[str, Callable[[], list[tuple[str, str]]]]] = []
    for name, url, _field in UPLOADS:
        for label, extra in UPLOAD_FIELDS:
            cases.append((f"{name} {label}", _upload_case(url, extra)))
        cases.append((f"{name} name=nul", _upload_case(url, {}, filename="a\x00b.txt")))
        cases.append((f"{name} name=long", _upload_case(url, {}, filename="长" * 300 + ".txt")))
        cases.append((f"{name} name=long-ext", _upload_case(url, {}, filename="答复函." + "x" * 200)))
        cases.append((f"{name} twice", _upload_case(url, {}, twice=True)))
    cases.append(("progress evidence_file=text", _upload_case("progress", {"note": "x", "evidence_file": "abc"})))
    cases.append(("progress evidence_file=empty", _upload_case("progress", {"note": "x"}, filename="e.pdf", data=b"")))
    cases.append(
        ("progress evidence_file=long-ext", _upload_case("progress", {"note": "x"}, filename="证明." + "x" * 200))
    )
    return cases


def _upload_case(url: str, extra: dict, *, filename: str = "letter.txt", data: bytes | None = None, twice=False):
    def run() -> list[tuple[str, str]]:
        from pathlib import Path

        from django.core.files.uploadedfile import SimpleUploadedFile

        w = world()
        target = f"/api/v1/commitments/{w['c1'].pk}/progress/" if url == "progress" else url
        content = Path(__file__).resolve().parent.parent.joinpath(SEED).read_bytes() if data is None else data
        payload: dict = {"evidence_file" if url == "progress" else "file": SimpleUploadedFile(filename, content)}
        for key, value in extra.items():
            if value is None:
                payload.pop(key, None)
            elif value == "<b>":
                payload[key] = str(w["b"].pk)  # another agency: clerk A may not log as it
            else:
                payload[key] = value
        client = _client(w["clerk_a"])
        before = _tables()
        reply = client.post(target, payload, format="multipart")
        problems = _check(reply, before, False)
        if twice and reply.status_code < 300:
            payload["file"] = SimpleUploadedFile(filename, content)
            middle = _tables()
            again = client.post(target, payload, format="multipart")
            problems += [(k, f"second submit: {d}") for k, d in _check(again, middle, False)]
        return problems

    return run


_MISSING = object()


class _FakeWorld(dict):
    """Stands in for the world when only the endpoints' names and payload keys are needed."""

    class _Obj:
        pk = 1

    def __missing__(self, key):
        return self._Obj()


def _case(name: str, actor: str, *, field=None, value=None, raw=None, expect_refused=False, twice=False):
    def run() -> list[tuple[str, str]]:
        w = world()
        url, payload = next((u, p) for n, _a, u, p in endpoints(w) if n == name)
        if name == "round-verify" or name == "item-verify":
            _submit_round(w)
        client = _client(w[actor])
        if raw is not None:
            body, content_type = raw
        else:
            data = dict(payload)
            if field is not None:
                if value is _MISSING:
                    data.pop(field, None)
                else:
                    data[field] = value
            body, content_type = json.dumps(data), "application/json"
        problems = []
        before = _tables()
        reply = client.post(url, data=body, content_type=content_type)
        problems += _check(reply, before, expect_refused)
        if twice and reply.status_code < 300:
            middle = _tables()
            again = client.post(url, data=body, content_type=content_type)
            problems += [(k, f"second submit: {d}") for k, d in _check(again, middle, False)]
        return problems

    return run


def _submit_round(w: dict) -> None:
    from followup import services as followup

    for item in w["round"].items.all():
        followup.review_item_report(
            user=w["clerk_a"], item=item, state="done", note="", evidence_url="https://example.gov.cn/x"
        )
    followup.review_round_submit(user=w["clerk_a"], round_=w["round"])


def _check(reply, before: dict, expect_refused: bool) -> list[tuple[str, str]]:
    status = reply.status_code
    text = reply.content[:300].decode("utf-8", "replace")
    if status >= 500:
        return [("5xx", f"{status} {text}")]
    if expect_refused and status < 400:
        return [("scope", f"{status} for another agency's or body's user: {text}")]
    if status >= 400:
        problems = []
        try:
            error = reply.json().get("error", {})
        except ValueError:
            error = {}
        if not error.get("code") or not error.get("message"):
            problems.append(("error-body", f"{status} without the error body: {text}"))
        after = _tables()
        if after != before:
            changed = {k: (before.get(k), v) for k, v in after.items() if before.get(k) != v}
            problems.append(("partial", f"{status} {error.get('code')} but rows changed: {changed}"))
        return problems
    return []
