"""Evidence services: scope, idempotent accept, rejected not suggested again, unrelated documents, actual values."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commitments.models import ProgressUpdate
from evidence import selectors, services
from evidence.choices import LinkState
from evidence.models import EvidenceLink
from tests import factories
from tests.evidence.conftest import CORPUS, earlier_commitment

pytestmark = pytest.mark.django_db


def _ingest(name: str, user=None):
    return services.evidence_document_ingest(data=(CORPUS / name).read_bytes(), filename=name, user=user)


def test_later_news_is_suggested_for_the_renamed_hospital(hospital):
    result = _ingest("l01b_changsha_siyuan_2022.txt")
    [link] = result.links
    assert link.commitment == hospital
    assert link.state == LinkState.SUGGESTED
    assert link.outcome == "done"
    assert result.document.text[link.start : link.end] == link.evidence_text
    assert any("滨水新城" in s for s in link.shared)


def test_unrelated_document_gets_no_suggestion(hospital, bridge):
    for name in ("d08_shishi_xinyi_xiaoxue.txt", "d03_jiangshun_daqiao.txt", "d07_liangzihu_yiyuan_2021.txt"):
        assert _ingest(name).links == []
    assert not EvidenceLink.objects.exists()


def test_accepting_twice_records_one_update(hospital, boss):
    [link] = _ingest("l01b_changsha_siyuan_2022.txt").links
    services.evidence_link_accept(link=link, user=boss)
    again = services.evidence_link_accept(link=link, user=boss)
    assert again.state == LinkState.ACCEPTED
    [update] = ProgressUpdate.objects.filter(commitment=hospital)
    assert again.progress_update == update
    assert update.note.startswith("【已完成】") and "滨水新城院区" in update.note
    assert update.author == boss


def test_rejected_suggestion_is_not_suggested_again(hospital, boss):
    result = _ingest("l01b_changsha_siyuan_2022.txt", user=boss)
    [link] = result.links
    services.evidence_link_reject(link=link, user=boss)
    assert services.evidence_suggest(document=result.document, user=boss) == []
    assert _ingest("l01b_changsha_siyuan_2022.txt").links == []  # the same file again: found by hash
    assert list(selectors.evidence_links(user=boss, document=result.document)) == []
    assert EvidenceLink.objects.get().state == LinkState.REJECTED
    with pytest.raises(ValidationError):
        services.evidence_link_accept(link=link, user=boss)
    assert not ProgressUpdate.objects.exists()


def test_accepted_cannot_be_rejected(hospital, boss):
    [link] = _ingest("l01b_changsha_siyuan_2022.txt").links
    services.evidence_link_accept(link=link, user=boss)
    with pytest.raises(ValidationError):
        services.evidence_link_reject(link=link, user=boss)


def test_suggestions_only_within_the_users_scope(hospital, other_clerk, hospital_clerk):
    # The other agency's clerk uploads the news: the hospital commitment is not theirs, nothing is suggested.
    result = _ingest("l01b_changsha_siyuan_2022.txt", user=other_clerk)
    assert result.links == []
    # The responsible clerk's copy of the same document: the link is suggested for them.
    document = result.document
    document.uploaded_by = hospital_clerk
    document.save()
    [link] = services.evidence_suggest(document=document, user=hospital_clerk)
    with pytest.raises(PermissionDenied):
        services.evidence_link_accept(link=link, user=other_clerk)
    with pytest.raises(PermissionDenied):
        services.evidence_link_reject(link=link, user=other_clerk)
    assert link.state == LinkState.SUGGESTED
    assert not ProgressUpdate.objects.exists()


def test_accept_records_the_actual_value_of_a_target(db):
    commitment = earlier_commitment(
        "e05_fulong_xijiang_2024.txt",
        "爭取年內盡快完工并通車",
        text="富龙西江特大桥全长1770.6米，爭取年內盡快完工并通車",
    )
    target = factories.TargetFactory(commitment=commitment, text="1770.6米", value=1770, unit="米")
    [link] = _ingest("l04a_fulong_tongche_xinhua.txt").links
    assert link.target == target
    assert float(link.actual_value) == 1770.6
    services.evidence_link_accept(link=link, user=factories.supervisor_of(commitment.proposal.session.body))
    target.refresh_from_db()
    assert float(target.actual_value) == 1770.6


def test_closed_commitments_are_not_candidates(hospital):
    hospital.status = "fulfilled"
    hospital.save()
    assert _ingest("l01b_changsha_siyuan_2022.txt").links == []


def test_bad_file_raises_the_pipelines_error_and_stores_nothing(hospital):
    from responses.extraction import ExtractionError
    from responses.models import Document

    before = Document.objects.count()
    with pytest.raises(ExtractionError):
        services.evidence_document_ingest(data=b"%PDF-1.4 not really", filename="broken.pdf")
    assert Document.objects.count() == before
