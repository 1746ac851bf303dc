"""Staff pages on a phone (390x844), found in the session 12 walk-through: the page itself never scrolls sideways
(wide tables scroll inside their .tablewrap) and a table's text column stays readable."""

import datetime as dt

import pytest

from tests import factories
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _widths(page) -> tuple[int, int]:
    # On a mobile viewport a too-wide page widens the layout viewport itself (innerWidth > 390), so both count.
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def test_commitment_page_with_targets_fits_a_phone(phone, live_server, shot):
    commitment = factories.CommitmentFactory(
        text="支持园区充分利用自身生态资源环境优势，力争到 2026 年培育形成 300 亿元园区", deadline=dt.date(2026, 12, 31)
    )
    factories.TargetFactory(commitment=commitment)
    factories.supervisor_of(commitment.proposal.session.body, "sup_phone")
    login(phone, live_server, "sup_phone")
    phone.goto(f"{live_server.url}/commitments/{commitment.pk}/")
    phone.wait_for_selector("form[action*='/actual/']")
    shot(phone, "phone_commitment_targets")
    scroll, inner = _widths(phone)
    assert [scroll, inner] == [390, 390], f"the page is {scroll}px wide on a 390px phone"


def test_table_text_columns_stay_readable_on_a_phone(phone, live_server, shot):
    agency = factories.AgencyFactory(name="昆明市发展和改革委员会")
    response = factories.ResponseFactory(agency=agency)
    for n in range(3):
        factories.CommitmentFactory(
            response=response,
            text=f"第{n}项：支持园区完善道路、供电、供水、供气、供热、排水、循环化改造等基础设施建设项目",
            deadline=dt.date(2030, 12, 31),
        )
    factories.clerk_of(agency, "clerk_phone")
    factories.supervisor_of(response.proposal.session.body, "sup_phone")
    login(phone, live_server, "clerk_phone")
    shot(phone, "phone_home_table")
    cells = phone.locator("main table td.text")
    assert cells.count() == 3
    # Before: the other columns took the width and the text got ~70px (four characters a line).
    assert cells.first.bounding_box()["width"] >= 150
    assert _widths(phone) == [390, 390]  # the table scrolls in its wrapper, not the page
    phone.context.clear_cookies()
    login(phone, live_server, "sup_phone")
    phone.goto(f"{live_server.url}/dashboard/?tab=all")
    assert phone.locator("#commitments td.text").first.bounding_box()["width"] >= 150
    phone.goto(f"{live_server.url}/dashboard/agencies/")
    shot(phone, "phone_agency_table")
    assert phone.locator("#agency-table td.text").first.bounding_box()["width"] >= 150
    assert _widths(phone) == [390, 390]


def test_rating_choices_are_touch_targets_on_a_phone(phone, live_server):
    """Session 14 walk-through: on the deputy's phone each rating choice (满意 / 基本满意 / 不满意) was a 24 px row,
    stacked without a gap: below the 40 px the stylesheet gives every other control."""
    user = factories.UserFactory(username="deputy_touch")
    deputy = factories.ProposerFactory(name="王代表", user=user)
    proposal = factories.ProposalFactory()
    proposal.proposer_links.create(proposer=deputy)
    factories.ResponseFactory(proposal=proposal, signed_on=dt.date(2025, 1, 15))
    phone.goto(f"{live_server.url}/login/")
    phone.fill("#id_username", "deputy_touch")
    phone.fill("#id_password", "pw-12345678")
    phone.click("main form button[type=submit]")
    phone.wait_for_url(f"{live_server.url}/my/")
    heights = phone.evaluate(
        """() => [...document.querySelectorAll('form.rate input[type=radio]')].map(i =>
            Math.round(document.querySelector('label[for="' + i.id + '"]').getBoundingClientRect().height))"""
    )
    assert len(heights) == 6 and min(heights) >= 40, heights


def test_the_item_page_fits_a_phone(phone, live_server, shot):
    """Session 15's walk-through: the item page's 交办 table was not in a .tablewrap, so on a 390px phone the page was
    395px wide with the walk-through's data (an agency of 11 characters and an answered date); longer names, wider."""
    agency = factories.AgencyFactory(name="昆明市发展和改革委员会")
    co = factories.AgencyFactory(name="昆明市工业和信息化局（昆明市国防科技工业办公室）")
    proposal = factories.ProposalFactory()
    for a, role in ((agency, "lead"), (co, "joint")):
        factories.AssignmentFactory(proposal=proposal, agency=a, role=role, answered_on=dt.date(2024, 6, 20))
    factories.supervisor_of(proposal.session.body, "sup_phone")
    login(phone, live_server, "sup_phone")
    phone.goto(f"{live_server.url}/proposals/{proposal.pk}/")
    phone.wait_for_selector("main table")
    shot(phone, "phone_item_page")
    assert _widths(phone) == [390, 390]


def test_the_reply_page_fits_a_phone_in_english(phone, live_server, shot):
    """Session 16's walk-through: in English the reply page was 434px wide on a 390px phone — its details (`dl.meta`)
    gave the labels their full width (“Suggestion/proposal”, “Original file”) and the values a column that could not
    shrink below the letter's file name (“001_94bcc602ee59ae8d.txt”, no break opportunity)."""
    agency = factories.AgencyFactory(name="昆明市发展和改革委员会")
    response = factories.ResponseFactory(agency=agency, doc_number="昆发改地区函〔2023〕45号")
    response.document.original = "documents/94/94bcc602ee59ae8d/001_94bcc602ee59ae8d.txt"
    response.document.original_name = "001_94bcc602ee59ae8d.txt"
    response.document.save()
    factories.supervisor_of(response.proposal.session.body, "sup_phone")
    phone.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    login(phone, live_server, "sup_phone")
    phone.goto(f"{live_server.url}/replies/{response.pk}/")
    phone.wait_for_selector("dl.meta")
    assert "Original file" in phone.inner_text("dl.meta")
    shot(phone, "phone_reply_page_en")
    assert _widths(phone) == [390, 390]
