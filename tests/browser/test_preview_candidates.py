"""The reply preview in a real browser: a candidate is added with one click and saved as a commitment."""

from pathlib import Path

import pytest

from commitments.models import Commitment
from responses.models import ExtractionFeedback
from tests import factories
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "documents" / "000_e488b48de0fcacd5.txt"


def test_candidate_added_with_one_click_is_saved(page, live_server, shot):
    agency = factories.AgencyFactory(name="昆明市发展和改革委员会", jurisdiction="昆明市", aliases=["市发展改革委"])
    factories.supervisor_of(factories.BodyFactory(name="昆明市人大", jurisdiction="昆明市"), "km_supervisor")
    factories.clerk_of(agency, "ndrc")
    login(page, live_server, "ndrc")
    page.goto(f"{live_server.url}/")
    page.click("nav >> text=登记答复")
    page.set_input_files("input[type=file]", str(SEED))
    page.click("main form button[type=submit]")
    page.wait_for_selector("#preview-form")
    forms_before = page.locator("#cforms .cform").count()
    # Proposed commitments are ticked; the reason line names the scope and the score.
    assert page.locator("#cforms .js-keep:checked").count() == forms_before
    assert "评分" in page.locator("#cforms .why").first.inner_text()
    candidate = page.locator("#candidates .cand").first
    text = candidate.locator(".cand-text").inner_text().strip()
    assert not candidate.locator(".js-add-candidate").is_checked()
    candidate.locator(".js-add-candidate").click()  # one click, no reload (the card then leaves the list)
    assert page.locator("#cforms .cform").count() == forms_before + 1
    added = page.locator("#cforms .cform").last
    assert added.locator("textarea").first.input_value() == text
    assert page.input_value("#id_c-TOTAL_FORMS") == str(forms_before + 1)
    # The letter panel stays on screen while the form scrolls.
    page.mouse.wheel(0, 4000)
    box = page.locator("#letter-panel").bounding_box()
    assert box is not None and box["y"] < 100
    shot(page, "06_preview_candidate_added")
    page.click("#confirm")
    page.wait_for_selector("#letter")
    assert "答复已登记" in page.content()
    assert Commitment.objects.filter(text=text).exists()
    assert ExtractionFeedback.objects.filter(action="added", proposed="candidate", final_text=text).exists()
