"""Staff pages on a phone (390x844), found in the session 12 walk-through: the page itself never scrolls sideways
(wide tables scroll inside their .tablewrap) and a table's text column stays readable."""

import datetime as dt

import pytest

from tests import factories
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


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
    phone.wait_for_selector("form[action$='/actual/']")
    shot(phone, "phone_commitment_targets")
    scroll, inner = _widths(phone)
    assert (scroll, inner) == (390, 390), f"the page is {scroll}px wide on a 390px phone"
