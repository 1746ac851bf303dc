"""Races end in one success and a clear 409 (or the same result twice), never a 500 or a double history entry.

Each test runs the same state change from several threads at once, each thread with its own database
connection (transactional tests: the rows are really committed), lined up by a barrier. Where the window is
narrow, a second barrier inside the service's permission check holds every thread until all of them have read
the row as it was before anyone wrote, so the lock (not luck) decides the outcome.
"""

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from commitments import services
from commitments.models import ChangeRequest, Commitment, ProgressUpdate
from responses.models import Document, Response
from tests import factories
from tests.api.conftest import client_for
from tests.ui.helpers import preview_post_data

pytestmark = pytest.mark.django_db(transaction=True)

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "documents" / "000_e488b48de0fcacd5.txt"


def run_together(n: int, call: Callable[[int], object]) -> list:
    """Run call(0..n-1) in n threads released at the same moment; returns results (or the exceptions raised)."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def worker(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = call(i)
        except Exception as exc:  # a 500 surfaces here as the view's exception
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def hold_after_check(monkeypatch, n: int, name: str = "can_edit") -> None:
    """Every thread passes services.<name> (having read the row) before any of them goes on to lock and write."""
    original = getattr(services, name)
    barrier = threading.Barrier(n)

    def held(*args, **kwargs):
        allowed = original(*args, **kwargs)
        barrier.wait(timeout=30)
        return allowed

    monkeypatch.setattr(services, name, held)


def statuses(results) -> list:
    for r in results:
        assert not isinstance(r, Exception), repr(r)
    return sorted(r.status_code for r in results)


def test_two_concurrent_closes_one_succeeds_one_409_one_history_entry(monkeypatch):
    commitment = factories.CommitmentFactory()
    clerk = factories.clerk_of(commitment.agency, "race_clerk")
    clients = [client_for(clerk), client_for(clerk)]
    hold_after_check(monkeypatch, 2)
    url = f"/api/v1/commitments/{commitment.pk}/transition/"
    results = run_together(
        2, lambda i: clients[i].post(url, {"status": "fulfilled", "evidence_url": f"https://x.cn/{i}"}, format="json")
    )
    assert statuses(results) == [200, 409]
    loser = next(r for r in results if r.status_code == 409)
    assert loser.json()["error"]["code"] == "conflict" and "已被他人" in loser.json()["error"]["message"]
    assert ProgressUpdate.objects.filter(commitment=commitment, status_to="fulfilled").count() == 1
    assert Commitment.history.filter(id=commitment.pk, status="fulfilled").count() == 1


def test_concurrent_change_requests_one_pending_the_others_409(monkeypatch):
    commitment = factories.CommitmentFactory()
    clerk = factories.clerk_of(commitment.agency, "race_clerk")
    clients = [client_for(clerk) for _ in range(4)]
    hold_after_check(monkeypatch, 4)
    url = f"/api/v1/commitments/{commitment.pk}/change-requests/"
    results = run_together(
        4, lambda i: clients[i].post(url, {"kind": "withdrawal", "reason": f"理由{i}"}, format="json")
    )
    assert statuses(results) == [201, 409, 409, 409]
    assert ChangeRequest.objects.filter(commitment=commitment).count() == 1


def test_concurrent_decisions_one_wins():
    commitment = factories.CommitmentFactory()
    clerk = factories.clerk_of(commitment.agency, "race_clerk")
    supervisor = factories.supervisor_of(commitment.proposal.session.body, "race_sup")
    change = services.change_request_create(commitment=commitment, user=clerk, kind="withdrawal", reason="调整")
    clients = [client_for(supervisor), client_for(supervisor)]
    url = f"/api/v1/change-requests/{change.pk}/decide/"
    results = run_together(2, lambda i: clients[i].post(url, {"approve": True, "note": "同意"}, format="json"))
    assert statuses(results) == [200, 409]
    assert ProgressUpdate.objects.filter(commitment=commitment, status_to="withdrawn").count() == 1


def test_two_identical_concurrent_reply_uploads_201_and_409():
    factories.AgencyFactory(name="昆明市发展和改革委员会", jurisdiction="昆明市", aliases=["市发展改革委"])
    agency = factories.AgencyFactory(name="测试市第一局")
    clerk = factories.clerk_of(agency, "race_clerk")
    from tests.api.test_writes_feeds_extract import upload

    clients = [client_for(clerk), client_for(clerk)]
    results = run_together(2, lambda i: clients[i].post("/api/v1/responses/", {"file": upload()}, format="multipart"))
    assert statuses(results) == [201, 409]
    loser = next(r for r in results if r.status_code == 409)
    assert loser.json()["error"]["code"] in ("duplicate", "conflict")
    assert Response.objects.count() == 1 and Document.objects.count() == 1


def test_two_sessions_confirming_the_same_preview_end_on_the_same_reply(monkeypatch):
    agency = factories.AgencyFactory(name="昆明市发展和改革委员会", jurisdiction="昆明市", aliases=["市发展改革委"])
    clerk = factories.clerk_of(agency, "race_clerk")
    sessions = [Client(), Client()]  # the same clerk in two browsers (or two tabs after signing in twice)
    for client in sessions:
        client.force_login(clerk)
    first = sessions[0].post(
        reverse("commitments:reply_upload"), {"file": SimpleUploadedFile("000.txt", SEED.read_bytes())}
    )
    assert first.status_code == 302
    preview_url = first["Location"]
    previews = [c.get(preview_url) for c in sessions]
    assert [p.status_code for p in previews] == [200, 200]
    data = [preview_post_data(p.context) for p in previews]
    # Both sessions past the preview's "already logged?" check and the extraction before either one writes.
    from commitments.views import reply as reply_views

    confirm, barrier = reply_views._confirm, threading.Barrier(2)

    def held(*args, **kwargs):
        barrier.wait(timeout=30)
        return confirm(*args, **kwargs)

    monkeypatch.setattr(reply_views, "_confirm", held)
    results = run_together(2, lambda i: sessions[i].post(preview_url, data[i]))
    assert statuses(results) == [302, 302]
    reply = Response.objects.get()
    assert {r["Location"] for r in results} == {reverse("responses:detail", args=[reply.pk])}
    assert reply.commitments.count() == int(data[0]["c-TOTAL_FORMS"])
    # The second confirmation wrote nothing: no commitment was deleted and saved again over the first one's.
    assert not Commitment.history.filter(history_type="-").exists()
    assert Commitment.history.filter(history_type="+").count() == reply.commitments.count()


def _reply_with_clerk():
    response = factories.ResponseFactory()
    clerk = factories.clerk_of(response.agency, "race_clerk")
    return response, clerk


def test_the_same_rating_recorded_twice_at_once_is_one_history_entry():
    response, clerk = _reply_with_clerk()
    clients = [client_for(clerk), client_for(clerk)]
    url = f"/api/v1/responses/{response.pk}/satisfaction/"
    body = {"satisfaction": "satisfied", "channel": "body"}
    results = run_together(2, lambda i: clients[i].post(url, body, format="json"))
    assert statuses(results) == [200, 200]  # the same result twice
    assert Response.history.filter(id=response.pk, satisfaction="satisfied").count() == 1


def test_two_different_ratings_at_once_one_wins_one_409(monkeypatch):
    response, clerk = _reply_with_clerk()
    clients = [client_for(clerk), client_for(clerk)]
    url = f"/api/v1/responses/{response.pk}/satisfaction/"
    # Both requests have read the reply (unrated) before either one records.
    from responses.api import views as response_api

    original, barrier = response_api.satisfaction_record, threading.Barrier(2)

    def held(**kwargs):
        barrier.wait(timeout=30)
        return original(**kwargs)

    monkeypatch.setattr(response_api, "satisfaction_record", held)
    choices = ["satisfied", "basically"]
    results = run_together(
        2, lambda i: clients[i].post(url, {"satisfaction": choices[i], "channel": "body"}, format="json")
    )
    assert statuses(results) == [200, 409]
    assert Response.history.filter(id=response.pk).exclude(satisfaction="").count() == 1
