"""Document page (side by side, scoped, POST accept/reject with CSRF) and the similar-items panel on proposals."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from commitments.models import ProgressUpdate
from evidence import services
from evidence.models import EvidenceLink
from tests import factories
from tests.evidence.conftest import CORPUS

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(hospital):
    name = "l01b_changsha_siyuan_2022.txt"
    [link] = services.evidence_document_ingest(data=(CORPUS / name).read_bytes(), filename=name).links
    return link


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_document_page_shows_both_passages_with_shared_names(link, boss):
    html = _client(boss).get(f"/evidence/documents/{link.document_id}/").content.decode()
    assert 'class="commitment-text"' in html and 'class="evidence-text"' in html
    assert '<mark class="shared">' in html
    assert "预计在2020年下半年运行" in html
    assert f"/evidence/links/{link.pk}/accept/" in html


def test_page_and_actions_are_scoped(link, other_clerk):
    client = _client(other_clerk)
    assert client.get(f"/evidence/documents/{link.document_id}/").status_code == 404
    assert client.post(f"/evidence/links/{link.pk}/accept/").status_code == 404
    assert not ProgressUpdate.objects.exists()


def test_accept_needs_post_and_csrf(link, boss):
    client = Client(enforce_csrf_checks=True)
    client.force_login(boss)
    assert client.get(f"/evidence/links/{link.pk}/accept/").status_code == 405
    assert client.post(f"/evidence/links/{link.pk}/accept/").status_code == 403
    assert EvidenceLink.objects.get().state == "suggested"


def test_responsible_clerk_sees_the_news_that_reports_on_their_commitment(link, hospital_clerk):
    html = _client(hospital_clerk).get(f"/evidence/documents/{link.document_id}/").content.decode()
    assert f"/evidence/links/{link.pk}/accept/" in html


def test_accept_and_reject_from_the_page(link, boss):
    client = _client(boss)
    response = client.post(f"/evidence/links/{link.pk}/accept/", follow=True)
    assert response.status_code == 200
    assert EvidenceLink.objects.get().state == "accepted"
    assert ProgressUpdate.objects.count() == 1


def test_upload_page_bad_file_is_a_clear_4xx(boss):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = _client(boss).post("/evidence/upload/", {"file": SimpleUploadedFile("x.pdf", b"%PDF-1.4 broken")})
    assert 400 <= response.status_code < 500
    # The extractor's reason, in the page's language only (session 16: both halves, “中文 / English”, before).
    errors = response.content.decode().split('id="upload-error"', 1)[1].split("</div>", 1)[0]
    assert "PDF" in errors and " / " not in errors


def test_upload_then_suggestions(hospital, boss):
    from django.core.files.uploadedfile import SimpleUploadedFile

    name = "l01b_changsha_siyuan_2022.txt"
    upload = SimpleUploadedFile(name, (CORPUS / name).read_bytes())
    response = _client(boss).post("/evidence/upload/", {"file": upload}, follow=True)
    assert response.status_code == 200
    assert "预计在2020年下半年运行" in response.content.decode()


@time_machine.travel(dt.datetime(2026, 3, 1, 9, 0), tick=False)
def test_proposal_page_shows_earlier_items_on_the_same_subject():
    old_session = factories.SessionFactory(year=2023)
    old = factories.ProposalFactory(session=old_session, title="关于加快长沙市第四医院滨水新城院区建设的建议")
    reply = factories.ResponseFactory(proposal=old, signed_on=dt.date(2023, 5, 30))
    factories.CommitmentFactory(response=reply, text="力争2024年底前建成滨水新城院区", deadline=dt.date(2024, 12, 31))
    factories.ProposalFactory(session=old_session, title="关于完善农村客运班线的建议")
    new = factories.ProposalFactory(
        session=factories.SessionFactory(body=old_session.body, year=2025, term=old_session.term, meeting=9),
        title="关于尽快启用滨水新城院区的建议",
    )
    user = factories.supervisor_of(old_session.body)
    html = _client(user).get(f"/proposals/{new.pk}/").content.decode()
    assert 'id="similar-items"' in html
    assert "关于加快长沙市第四医院" in html and '<mark class="shared">滨水新城院区</mark>' in html
    assert "2023年承诺，已逾期" in html
    assert "农村客运班线" not in html


def test_match_button_finds_suggestions_for_a_document_logged_elsewhere(hospital, boss):
    from responses.services import document_ingest

    name = "l01b_changsha_siyuan_2022.txt"
    document = document_ingest(data=(CORPUS / name).read_bytes(), filename=name).document
    client = _client(boss)
    assert 'class="card evidence-link"' not in client.get(f"/evidence/documents/{document.pk}/").content.decode()
    assert not EvidenceLink.objects.exists()  # a GET writes nothing
    client.post(f"/evidence/documents/{document.pk}/match/")
    assert EvidenceLink.objects.get().commitment == hospital


def test_reply_page_links_to_its_evidence_page(boss):
    reply = factories.ResponseFactory(proposal=factories.ProposalFactory(session__body=boss.supervised_bodies.first()))
    html = _client(boss).get(f"/replies/{reply.pk}/").content.decode()
    assert f'href="/evidence/documents/{reply.document_id}/"' in html


def test_similar_items_pool_is_read_newest_first_through_an_index_and_stops_at_100():
    """The pool query is served by proposal_created_idx in its own order (no Sort of every match) under a LIMIT.

    Fails if the index, the order that matches it, or the bound is lost: the 5M figures are in docs/evidence.md.
    """
    from django.db import connection

    from evidence import matching, selectors

    session = factories.SessionFactory(year=2025)
    proposal = factories.ProposalFactory(session=session, title="关于加快轨道交通11号线建设的建议")
    user = factories.supervisor_of(session.body)
    words = matching.specific_bigrams(proposal.title)
    pool = selectors.similar_pool(proposal=proposal, user=user, words=words)
    assert pool.query.high_mark == 100
    with connection.cursor() as cursor:
        # The test tables are tiny (any plan is cheap): ask whether an index can give the order without a sort.
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = pool.explain()
    assert "proposal_created_idx" in plan and "Backward" in plan
    assert "Sort" not in plan
    assert plan.lstrip().startswith("Limit")
