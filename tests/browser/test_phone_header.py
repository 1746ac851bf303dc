"""Session 14 (docs/ui.md, "left"): on a 390x844 phone the deputy's header took three rows (171 px): the nav, then
search with language and notifications, then his name with 退出. Now at most two rows, and no nav link is hidden."""

import pytest

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each item of the header a person uses: the brand, every nav link, search, language, the bells, name, 退出.
ITEMS = (
    ".topbar .brand, .topbar .mainnav a, .topbar .searchbox input, .topbar .langform select, .topbar .bell, "
    ".topbar .who, .topbar form.inline button"
)


def _rows(page) -> tuple[int, list[int], int]:
    """(header height, the distinct rows' tops of the header's items, how many items are not fully on screen)."""
    return page.evaluate(
        """(sel) => {
            const header = document.querySelector('.topbar').getBoundingClientRect();
            const boxes = [...document.querySelectorAll(sel)].map(e => e.getBoundingClientRect());
            const centres = boxes.map(b => Math.round(b.top + b.height / 2)).sort((a, b) => a - b);
            const rows = [];
            for (const c of centres) { if (!rows.length || c - rows[rows.length - 1] > 12) rows.push(c); }
            const off = boxes.filter(b => b.width === 0 || b.height === 0 || b.left < 0 || b.right > innerWidth).length;
            return [Math.round(header.height), rows, off];
        }""",
        ITEMS,
    )


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_the_deputys_phone_header_is_at_most_two_rows(phone, live_server, shot, lang):
    user = factories.UserFactory(username="deputy_header", first_name="张顺奎")
    factories.ProposerFactory(name="张顺奎", user=user)
    phone.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    phone.goto(f"{live_server.url}/login/")
    phone.fill("#id_username", "deputy_header")
    phone.fill("#id_password", "pw-12345678")
    phone.click("main form button[type=submit]")
    phone.wait_for_url(f"{live_server.url}/my/")
    shot(phone, f"phone_header_deputy_{lang}")
    assert phone.locator(".topbar .mainnav a").count() == 3  # 我的建议提案, 建议提案, 答复: all there
    height, rows, off = _rows(phone)
    print(f"header {lang}: {height}px, rows at {rows}")
    assert off == 0, "a header item is hidden or off screen"
    assert len(rows) <= 2, f"the header has {len(rows)} rows ({rows}), {height}px"
    assert height <= 110, f"the header is {height}px"
    assert phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]") == [390, 390]
