"""Session 13: a refused 回头看 report comes back on the round page, in the browser, with the note as typed and
the line's form open (it was a separate error page whose back link lost a long note)."""

import datetime as dt

import pytest

from followup import services
from followup.models import Rating, ReviewItem
from tests import factories

from .conftest import login, submit_unvalidated

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "截至目前已完成征地拆迁工作的八成，剩余两户正在协商补偿方案，预计下月签订协议后即可全面开工建设。"


def _reply_of_twelve():
    """A body's session, an agency and its reply holding twelve dated commitments: a round page a dozen lines long."""
    body = factories.BodyFactory()
    session = factories.SessionFactory(body=body)
    agency = factories.AgencyFactory()
    response = factories.ResponseFactory(proposal=factories.ProposalFactory(session=session), agency=agency)
    for n in range(12):
        factories.CommitmentFactory(
            response=response,
            text=f"第{n + 1}项：2027年底前完成老旧管网改造{n + 5}公里",
            deadline=dt.date(2027, 12, 31),
        )
    return body, session, agency, response


def test_a_refused_report_keeps_the_note_on_the_round_page(page, live_server):
    body = factories.BodyFactory()
    session = factories.SessionFactory(body=body)
    agency = factories.AgencyFactory()
    factories.clerk_of(agency, "round_clerk")
    supervisor = factories.supervisor_of(body, "round_sup")
    response = factories.ResponseFactory(proposal=factories.ProposalFactory(session=session), agency=agency)
    factories.CommitmentFactory(
        response=response, text="2027年底前建成城市综合管廊10公里", deadline=dt.date(2027, 12, 31)
    )
    round_ = services.review_round_open(
        user=supervisor, session=session, due_on=dt.date(2099, 1, 31), title="年中回头看"
    )
    item = round_.items.get()
    login(page, live_server, "round_clerk")
    page.goto(f"{live_server.url}/followup/rounds/{round_.pk}/")
    form = page.locator(f"#item-{item.pk} form")
    form.locator("select[name=state]").select_option("done")  # done needs evidence: refused
    form.locator("textarea[name=note]").fill(NOTE)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    section = page.locator(f"#item-{item.pk}")
    assert "已完成须提供佐证材料" in section.inner_text()
    assert section.locator("details").get_attribute("open") is not None
    assert section.locator("textarea[name=note]").input_value() == NOTE
    assert section.locator("select[name=state]").input_value() == "done"
    # Corrected on the same page: saved.
    section.locator("select[name=state]").select_option("in_progress")
    section.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/followup/rounds/{round_.pk}/#item-{item.pk}")
    assert "已填报" in page.locator(".messages").inner_text()
    item.refresh_from_db()
    assert (item.reported_state, item.note) == ("in_progress", NOTE)
    assert ReviewItem.objects.count() == 1


def _top(locator) -> float:
    return locator.evaluate("e => e.getBoundingClientRect().top")


def test_a_long_rounds_forms_land_on_their_line(page, live_server):
    """Session 17's walk-through (a round of 21 lines over 1366x900): saving the 15th line's report reloaded the round
    page at its top, the line 8,500 px below; a refused one (已完成 without evidence) put its reason there too, under
    a page showing nothing wrong. Each line's forms now post to an address naming the line (`#item-<id>`) and a saved
    report or verdict comes back to it: the reasons, or the line's new state, are on the screen."""
    body, session, agency, response = _reply_of_twelve()
    clerk = factories.clerk_of(agency, "round_clerk")
    supervisor = factories.supervisor_of(body, "round_sup")
    round_ = services.review_round_open(
        user=supervisor, session=session, due_on=dt.date(2099, 1, 31), title="年末回头看"
    )
    items = list(round_.items.order_by("pk"))
    line = items[10]
    login(page, live_server, "round_clerk")
    page.goto(f"{live_server.url}/followup/rounds/{round_.pk}/")
    section = page.locator(f"#item-{line.pk}")
    assert _top(section) > 2 * 900  # far below the first screen
    section.scroll_into_view_if_needed()
    section.locator("select[name=state]").select_option("done")  # done needs evidence: refused
    section.locator("textarea[name=note]").fill("管网改造已完工")
    with page.expect_navigation() as answered:
        section.locator("button[type=submit]").click()
    assert answered.value is not None and answered.value.status == 400
    reason = page.locator(f"#item-{line.pk} .errorlist").first
    assert "已完成须提供佐证材料" in reason.inner_text()
    assert 0 <= _top(reason) < 900, _top(reason)  # the reason is on the screen
    section = page.locator(f"#item-{line.pk}")
    section.locator("select[name=state]").select_option("in_progress")
    section.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/followup/rounds/{round_.pk}/#item-{line.pk}")
    assert "推进中" in section.locator("p b").first.inner_text()
    assert -2 <= _top(section) < 900, _top(section)  # back on the line just saved
    for item in items:
        if item.pk != line.pk:
            services.review_item_report(item=item, user=clerk, state="in_progress", note="推进")
    page.goto(f"{live_server.url}/followup/rounds/{round_.pk}/")
    page.click("#submit-round")
    page.wait_for_selector(".msg.success")
    # The supervisor returns the line without a reason (refused), then with one.
    page.context.clear_cookies()
    login(page, live_server, "round_sup")
    page.goto(f"{live_server.url}/followup/rounds/{round_.pk}/")
    form = page.locator(f"#item-{line.pk} form")
    form.locator("select[name=accept]").select_option("0")
    assert submit_unvalidated(page, form) == 400
    reason = page.locator(f"#item-{line.pk} .errorlist").first
    assert 0 <= _top(reason) < 900, _top(reason)
    form = page.locator(f"#item-{line.pk} form")
    form.locator("[name=note]").fill("请补充施工照片")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/followup/rounds/{round_.pk}/#item-{line.pk}")
    section = page.locator(f"#item-{line.pk}")
    assert "请补充施工照片" in section.inner_text() and -2 <= _top(section) < 900
    line.refresh_from_db()
    assert line.verdict == "returned"


def test_the_staff_rating_form_answers_where_it_is(page, live_server):
    """Session 18 (session 17's "left"): the staff's rating form at the foot of a round page posted to an address
    without a fragment, so a refused rating (the result left unchosen in a browser that does not validate it)
    re-rendered the page at its top, the reasons under a dozen lines far below. It posts to `#staff-rating` now, and a
    saved rating goes back to the round page's top, where “评价已提交。” is."""
    _, _, agency, response = _reply_of_twelve()
    factories.clerk_of(agency, "round_clerk")
    round_ = services.review_round_open_for_reply(response=response, offset_months=6, today=dt.date(2025, 7, 15))
    assert round_ is not None and round_.items.count() == 12
    login(page, live_server, "round_clerk")
    page.goto(f"{live_server.url}/followup/rounds/{round_.pk}/")
    staff = page.locator("#staff-rating")
    assert _top(staff) > 2 * 900  # far below the first screen
    staff.scroll_into_view_if_needed()
    form = staff.locator("form")
    form.locator("input[name=attitude][value=satisfied]").check()
    form.locator("textarea[name=comment]").fill("电话回访，代表表示认可")
    assert submit_unvalidated(page, form) == 400
    reason = page.locator("#staff-rating .errorlist").first
    assert reason.inner_text()
    assert 0 <= _top(reason) < 900, _top(reason)  # the reason is on the screen
    assert page.locator("#staff-rating textarea[name=comment]").input_value() == "电话回访，代表表示认可"
    page.locator("#staff-rating input[name=result][value=basically]").check()
    page.locator("#staff-rating button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/followup/rounds/{round_.pk}/#top")
    message = page.locator(".messages")
    assert "评价已提交" in message.inner_text() and 0 <= _top(message) < 900, _top(message)
    assert Rating.objects.filter(response=response, collected_by="agency", result="basically").count() == 1
