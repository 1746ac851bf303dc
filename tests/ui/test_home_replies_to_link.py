"""Session 14 (docs/ui.md, "left"): a reply saved as “不对应建议提案” whose letter's item was registered later was
offered only on its own page and the item's. The clerk's home now lists such replies of his agencies (待关联的答复),
each with its 关联 button, in a bounded number of queries however many there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from proposals.services import proposal_assign, proposal_register
from tests import factories
from tests.ui.helpers import another_unlinked, item_later, logged_unlinked

pytest.importorskip("responses.extraction")
pytestmark = pytest.mark.django_db


def _panel(client) -> str:
    page = client.get("/").content.decode()
    if 'id="replies-to-link"' not in page:
        return ""
    page = page[page.index('id="replies-to-link"') :]
    return page[: page.index("</section>")]


def test_the_clerks_home_lists_the_replies_to_link_and_links_one(client, agency, body):
    clerk = factories.clerk_of(agency)
    reply = logged_unlinked(client, clerk)
    assert _panel(client) == ""  # the letter's item is not registered yet
    _, item = item_later(body, agency)
    client.force_login(clerk)
    panel = _panel(client)
    assert "150777" in panel and "关于加快社区养老服务建设的建议" in panel
    assert reverse("commitments:reply_link_item", args=[reply.pk]) in panel
    assert reverse("responses:detail", args=[reply.pk]) in panel
    client.cookies["django_language"] = "en"
    english = _panel(client)
    assert "Replies to link" in english and "No. 150777 “关于加快社区养老服务建设的建议”" in english
    del client.cookies["django_language"]
    # Another agency's clerk is not offered it.
    other = factories.clerk_of(factories.AgencyFactory(name="测试市第二局", jurisdiction="测试市"), "clerk_other")
    client.force_login(other)
    assert _panel(client) == ""
    # Linking from the home page; the reply is offered no more.
    client.force_login(clerk)
    done = client.post(reverse("commitments:reply_link_item", args=[reply.pk]))
    assert done.status_code == 302
    reply.refresh_from_db()
    assert reply.proposal == item
    assert _panel(client) == ""


def test_the_home_panel_takes_the_same_queries_for_one_reply_or_three(client, agency, body):
    clerk = factories.clerk_of(agency)
    reply = logged_unlinked(client, clerk)
    _, item = item_later(body, agency)
    client.force_login(clerk)
    client.get("/")  # warm caches (the pipeline version, the user's memberships come per request anyway)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/").status_code == 200
    assert _panel(client).count("<form") == 1
    for number in ("150778", "150779"):
        another_unlinked(reply, number)
        proposal_assign(
            proposal=proposal_register(session=item.session, number=number, title=f"建议{number}"), agency=agency
        )
    # A fourth unlinked reply whose item is not registered: not listed, and no query of its own either.
    another_unlinked(reply, "150780")
    panel = _panel(client)
    assert panel.count("<form") == 3 and "150778" in panel and "150779" in panel and "150780" not in panel
    with CaptureQueriesContext(connection) as three:
        assert client.get("/").status_code == 200
    assert len(three) == len(one), [q["sql"][:120] for q in three.captured_queries]
