"""Session 14 (docs/ui.md, the session 12 walk-through's 'left'): at 1366 px in English the header's nav was squeezed
into a narrow column (five to eight rows, a header 229–358 px tall) because the tools kept their width and the nav
took what was left; and the reply list's 登记答复 button sat inside its <h1>, at the heading's font size."""

import datetime as dt

import pytest

from tests import factories
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page(browser, live_server, lang: str, width: int):
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def _header(page) -> dict:
    return page.evaluate(
        """() => {
        const links = [...document.querySelectorAll('.mainnav a')];
        return {
            height: Math.round(document.querySelector('.topbar').getBoundingClientRect().height),
            rows: new Set(links.map(a => Math.round(a.getBoundingClientRect().top))).size,
            links: links.length,
            scroll: document.documentElement.scrollWidth,
        };
    }"""
    )


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
@pytest.mark.parametrize("width", [1366, 1280])
def test_the_supervisors_nav_keeps_one_row_at_laptop_widths(browser, live_server, shot, lang, width):
    # A supervisor who is also a clerk and a deputy: every link of the nav.
    body = factories.BodyFactory()
    user = factories.supervisor_of(body, "sup_wide")
    factories.AgencyFactory().clerks.add(user)
    factories.ProposerFactory(name="张代表", user=user)
    page = _page(browser, live_server, lang, width)
    try:
        login(page, live_server, "sup_wide")
        page.goto(f"{live_server.url}/replies/")
        shot(page, f"header_{lang}_{width}")
        header = _header(page)
        assert header["links"] == 10
        assert header["rows"] == 1, header
        assert header["height"] <= 130, header  # the nav's row and the tools' row at most
        assert header["scroll"] == width
    finally:
        page.context.close()


def test_the_reply_lists_button_is_beside_the_heading_not_in_it(browser, live_server):
    agency = factories.AgencyFactory()
    factories.clerk_of(agency, "clerk_list")
    page = _page(browser, live_server, "zh-hans", 1366)
    try:
        login(page, live_server, "clerk_list")
        page.goto(f"{live_server.url}/replies/")
        assert page.locator("h1 a, h1 button").count() == 0
        button = page.locator("main .pagehead a.button", has_text="登记答复")
        assert button.is_visible()
        heading, box = page.locator("main h1").bounding_box(), button.bounding_box()
        # Beside the heading (the same band), at a button's size rather than the heading's.
        assert abs((heading["y"] + heading["height"] / 2) - (box["y"] + box["height"] / 2)) < 12
        size = page.evaluate("(el) => getComputedStyle(el).fontSize", button.element_handle())
        assert size == page.evaluate("getComputedStyle(document.body).fontSize")
    finally:
        page.context.close()


def test_the_boards_agency_column_stays_readable_in_english(browser, live_server):
    """Session 14 walk-through: in English at 1366 px the 回头看 board's findings table kept its long numeric headers
    on one line each, so the agency's name got two characters a line (and the last column was cut off)."""
    from followup import services

    body = factories.BodyFactory()
    session = factories.SessionFactory(body=body)
    agency = factories.AgencyFactory(name="昆明市发展和改革委员会")
    reply = factories.ResponseFactory(
        proposal=factories.ProposalFactory(session=session), agency=agency, review_state="confirmed"
    )
    factories.CommitmentFactory(response=reply)
    user = factories.supervisor_of(body, "sup_board")
    services.review_round_open(user=user, session=session, due_on=dt.date(2099, 1, 1))
    page = _page(browser, live_server, "en", 1366)
    try:
        login(page, live_server, "sup_board")
        page.goto(f"{live_server.url}/followup/")
        name = page.locator("#findings-agency td.text").first
        assert name.inner_text() == "昆明市发展和改革委员会"
        assert name.bounding_box()["width"] >= 150
        wrap = page.evaluate("(t) => [t.scrollWidth, t.clientWidth]", page.locator("#findings-agency").element_handle())
        assert wrap[0] <= page.locator("#findings-agency").evaluate("t => t.parentElement.clientWidth")
    finally:
        page.context.close()
