"""Session 13: a refused 回头看 report comes back on the round page, in the browser, with the note as typed and
the line's form open (it was a separate error page whose back link lost a long note)."""

import datetime as dt

import pytest

from followup import services
from followup.models import ReviewItem
from tests import factories

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "截至目前已完成征地拆迁工作的八成，剩余两户正在协商补偿方案，预计下月签订协议后即可全面开工建设。"


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
    page.wait_for_url(f"{live_server.url}/followup/rounds/{round_.pk}/")
    assert "已填报" in page.locator(".messages").inner_text()
    item.refresh_from_db()
    assert (item.reported_state, item.note) == ("in_progress", NOTE)
    assert ReviewItem.objects.count() == 1
