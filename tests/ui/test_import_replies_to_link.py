"""Session 15 (docs/ui.md, session 14's "left"): an assignment list's import said nothing about the replies logged as
“不对应建议提案” that its items now let link; the supervisor found them on each item's page. The import's result page
lists them (the home's 待关联的答复: `replies_to_link`, the same 关联 POST), and the import links none by itself."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from proposals.models import Proposal
from proposals.services import proposal_assign, proposal_register
from tests import factories
from tests.ui.helpers import AGENCY, another_unlinked, logged_unlinked, xlsx_bytes

pytest.importorskip("responses.extraction")
pytestmark = pytest.mark.django_db


def _import(client, session, rows):
    """Dry run, then 确认导入; the answer to the confirmation."""
    upload = SimpleUploadedFile("list.xlsx", xlsx_bytes([["编号", "标题", "主办单位", "交办日期"], *rows]))
    preview = client.post(reverse("proposals:import"), {"session": session.pk, "file": upload})
    assert preview.status_code == 200 and preview.context["plan"].ok
    return client.post(reverse("proposals:import"), {"plan": preview.context["token"]})


def _panel(page: str) -> str:
    """The 待关联的答复 section, its CSRF tokens left out (a sign-in rotates them)."""
    if 'id="replies-to-link"' not in page:
        return ""
    page = page[page.index('id="replies-to-link"') :]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page[: page.index("</section>")])


def test_the_import_result_lists_the_replies_its_items_let_link_and_links_none(client, agency, body):
    clerk = factories.clerk_of(agency)
    reply = logged_unlinked(client, clerk)
    # Later: the body gets a supervisor and the session; an earlier item of the same session names another letter.
    supervisor = factories.supervisor_of(body, "sup_import")
    session = factories.SessionFactory(body=body, term=15, meeting=3, name="测试市第十五届人大三次会议")
    earlier = proposal_register(session=session, number="150779", title="另一件")
    proposal_assign(proposal=earlier, agency=agency)
    other = another_unlinked(reply, "150779")  # its letter names the earlier item, not one of this import
    client.force_login(supervisor)
    done = _import(
        client,
        session,
        [["150777", "关于加快社区养老服务建设的建议", AGENCY, "2024-03-01"], ["150778", "乙", AGENCY, None]],
    )
    assert done.status_code == 302 and re.fullmatch(r"/proposals/import/\d+/", done["Location"])
    page = client.get(done["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "已导入 2 件建议提案，交办 2 次。" in text and session.name in text
    panel = _panel(text)
    item = Proposal.objects.get(session=session, number="150777")
    assert reverse("commitments:reply_link_item", args=[reply.pk]) in panel
    assert reverse("proposals:detail", args=[item.pk]) in panel and agency.name in panel
    assert reverse("commitments:reply_link_item", args=[other.pk]) not in panel
    assert panel.count("<form") == 1
    # Nothing linked by the import; a reload shows the same result (a GET, the plan is not posted again).
    reply.refresh_from_db()
    assert reply.proposal is None
    assert item.assignments.get(agency=agency).answered_on is None
    assert _panel(client.get(done["Location"]).content.decode()) == panel
    # The same 关联 POST as the home's; then the result page offers it no more.
    linked = client.post(reverse("commitments:reply_link_item", args=[reply.pk]))
    assert linked.status_code == 302 and linked["Location"] == reverse("proposals:detail", args=[item.pk])
    reply.refresh_from_db()
    assert reply.proposal == item
    assert _panel(client.get(done["Location"]).content.decode()) == ""
    # (The other reply is linkable, to the earlier item: the clerk's home offers it.)
    client.force_login(clerk)
    assert reverse("commitments:reply_link_item", args=[other.pk]) in _panel(client.get("/").content.decode())


def test_an_import_naming_no_letters_item_lists_nothing_and_the_page_needs_an_import(client, agency, body):
    logged_unlinked(client, factories.clerk_of(agency))
    supervisor = factories.supervisor_of(body, "sup_import")
    session = factories.SessionFactory(body=body, term=15, meeting=3, name="测试市第十五届人大三次会议")
    client.force_login(supervisor)
    assert client.get(reverse("proposals:import_done"))["Location"] == reverse("proposals:import")
    done = _import(client, session, [["150778", "乙", AGENCY, None]])
    assert client.get(reverse("proposals:import_done"))["Location"] == done["Location"]  # the newest import's
    text = client.get(done["Location"]).content.decode()
    assert "已导入 1 件建议提案，交办 1 次。" in text and 'id="replies-to-link"' not in text
    # A clerk has no import pages.
    client.force_login(factories.clerk_of(agency, "clerk_2"))
    assert client.get(reverse("proposals:import_done")).status_code == 403
    assert client.get(done["Location"]).status_code == 403
