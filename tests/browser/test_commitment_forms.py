"""Session 17's walk-through: the commitment page's forms answer where they are. A refused 办结 (已兑现 without
evidence) re-rendered the page at its top, the reason 1,200 px below on a desktop and further on a phone; each form now
posts to an address naming its section, and a saved one comes back to the page's top, on its message."""

import datetime as dt

import pytest

from commitments.models import ProgressUpdate
from tests import factories
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _top(locator) -> float:
    return locator.evaluate("e => e.getBoundingClientRect().top")


def test_a_refused_closure_lands_on_its_reason_and_a_saved_note_on_the_message(phone, live_server, shot):
    commitment = factories.CommitmentFactory(
        text="支持园区充分利用自身生态资源环境优势，力争到 2026 年培育形成 300 亿元园区", deadline=dt.date(2026, 12, 31)
    )
    factories.TargetFactory(commitment=commitment)
    factories.clerk_of(commitment.response.agency, "clerk_forms")
    login(phone, live_server, "clerk_forms")
    phone.goto(f"{live_server.url}/commitments/{commitment.pk}/")
    close = phone.locator("#close form")
    assert _top(close) > 844  # below the phone's first screen
    close.locator("select[name=status]").select_option("fulfilled")  # fulfilled needs evidence: refused
    close.locator("[name=reason]").fill("项目已建成")
    with phone.expect_navigation() as answered:
        close.locator("button[type=submit]").click()
    assert answered.value is not None and answered.value.status == 400
    reason = phone.locator("#close .form-error, #close .errorlist").first
    assert reason.inner_text().strip()
    assert 0 <= _top(reason) < 844, _top(reason)  # the reason is on the screen
    shot(phone, "phone_commitment_refused_close")
    commitment.refresh_from_db()
    assert commitment.status == "open"
    # A progress note saved: the page comes back at its top, on the message (not on the emptied form).
    progress = phone.locator("#progress form")
    progress.locator("[name=note]").fill("已完成园区道路一期")
    progress.locator("button[type=submit]").click()
    phone.wait_for_url(f"{live_server.url}/commitments/{commitment.pk}/#top")
    message = phone.locator(".msg.success")
    assert "进展已记录" in message.inner_text() and 0 <= _top(message) < 844
    assert ProgressUpdate.objects.filter(commitment=commitment, note="已完成园区道路一期").exists()
