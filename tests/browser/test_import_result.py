"""Session 15: the assignment import's result page, in a real browser — the supervisor imports a list, the page lists
the reply logged as “不对应建议提案” whose letter names one of the imported items, and its 关联 links it."""

import io
import re

import pytest
from django.test import Client
from openpyxl import Workbook

from responses.models import Response
from tests import factories
from tests.browser.conftest import login
from tests.ui.helpers import AGENCY, logged_unlinked

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _list(path) -> str:
    workbook = Workbook()
    workbook.active.append(["建议编号", "案由", "领衔代表", "承办单位", "交办时间"])
    workbook.active.append(["150777", "关于加快社区养老服务建设的建议", "张三、李四", AGENCY, "2024-03-01"])
    workbook.active.append(["150778", "关于另一件事的建议", "王五", AGENCY, "2024-03-01"])
    out = path / "交办清单.xlsx"
    buffer = io.BytesIO()
    workbook.save(buffer)
    out.write_bytes(buffer.getvalue())
    return str(out)


def test_the_import_result_offers_the_waiting_reply_and_links_it(page, live_server, shot, tmp_path):
    agency = factories.AgencyFactory(name=AGENCY, jurisdiction="测试市")
    body = factories.BodyFactory(name="测试市人大", jurisdiction="测试市")
    reply = logged_unlinked(Client(), factories.clerk_of(agency))  # its body had no supervisor: saved unlinked
    factories.supervisor_of(body, "sup_import")
    session = factories.SessionFactory(body=body, term=15, meeting=3, name="测试市第十五届人大三次会议")
    login(page, live_server, "sup_import")
    page.goto(f"{live_server.url}/proposals/import/")
    page.select_option("select[name=session]", str(session.pk))
    page.set_input_files("input[type=file]", _list(tmp_path))
    page.click("main form button[type=submit]")
    page.click("text=确认导入")
    page.wait_for_url(re.compile(r"/proposals/import/\d+/$"))
    result_url = page.url
    assert "已导入 2 件建议提案，交办 2 次。" in page.inner_text("#import-result")
    panel = page.locator("#replies-to-link")
    assert panel.locator("form").count() == 1
    assert "第150777号《关于加快社区养老服务建设的建议》" in panel.inner_text()
    shot(page, "import_result_replies_to_link")
    reply.refresh_from_db()
    assert reply.proposal is None  # nothing linked by the import
    panel.locator("button", has_text="关联").click()
    page.wait_for_selector("text=答复已关联到建议提案")
    assert Response.objects.get(pk=reply.pk).proposal.number == "150777"
    page.goto(result_url)
    assert page.locator("#replies-to-link").count() == 0
