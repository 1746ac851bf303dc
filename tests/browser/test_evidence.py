"""Evidence suggestions in a real browser: upload later news, see both passages side by side, accept, reject."""

import pytest

from commitments.models import ProgressUpdate
from evidence.models import EvidenceLink
from tests import factories
from tests.browser.conftest import login
from tests.evidence.conftest import CORPUS, earlier_commitment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisor_accepts_one_suggestion_and_rejects_another(page, live_server, shot, tmp_path):
    hospital = earlier_commitment("e01_changsha_siyuan_reply_2019.txt", "预计在2020年下半年运行")
    bridge = earlier_commitment("e05_fulong_xijiang_2024.txt", "爭取年內盡快完工并通車")
    user = factories.supervisor_of(hospital.proposal.session.body, "boss")
    bridge.proposal.session.body.supervisors.add(user)
    login(page, live_server, "boss")
    page.click("nav >> text=落实佐证")
    page.set_input_files("input[type=file]", str(CORPUS / "l01b_changsha_siyuan_2022.txt"))
    page.click("main form button[type=submit]")
    page.wait_for_selector("#suggestions .evidence-link")
    card = page.locator(".evidence-link").first
    assert card.locator(".commitment-text").inner_text().startswith("预计在2020年下半年运行")
    assert card.locator(".evidence-text mark.shared").count() >= 1
    shot(page, "evidence_01_suggestion")
    card.locator("button[name=accept]").click()
    page.wait_for_selector(".msg")
    assert EvidenceLink.objects.get(commitment=hospital).state == "accepted"
    assert ProgressUpdate.objects.filter(commitment=hospital).count() == 1
    assert page.locator(".evidence-link button[name=accept]").count() == 0

    # The bridge news: reject the suggestion; it is gone from the page and stays gone.
    page.click("nav >> text=落实佐证")
    page.set_input_files("input[type=file]", str(CORPUS / "l04a_fulong_tongche_xinhua.txt"))
    page.click("main form button[type=submit]")
    page.wait_for_selector("#suggestions .evidence-link")
    page.locator(".evidence-link button[name=reject]").first.click()
    page.wait_for_selector("#no-suggestions")
    assert EvidenceLink.objects.get(commitment=bridge).state == "rejected"
    page.reload()
    assert page.locator(".evidence-link").count() == 0
    shot(page, "evidence_02_rejected")
    assert not ProgressUpdate.objects.filter(commitment=bridge).exists()
