"""What the session 14 browser walk-through found in English, each checked where it was fixed (docs/ui.md,
"Session 14: …")."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def test_the_search_heading_in_english_has_no_full_width_colon(client, clerk):
    """It read “Search：物流”: the full-width colon sat outside the marked string."""
    client.force_login(clerk)
    body = _english(client).get(reverse("search:results") + "?q=物流").content.decode()
    assert "<h1>Search: 物流</h1>" in body
    client.cookies["django_language"] = "zh-hans"
    assert "<h1>搜索：物流</h1>" in client.get(reverse("search:results") + "?q=物流").content.decode()


def test_the_reply_page_names_its_item_through_the_catalog(client, commitment, clerk):
    """The reply page named its item by the model's Chinese string (“第153018号 …”) in English too."""
    reply, item = commitment.response, commitment.proposal
    client.force_login(clerk)
    body = _english(client).get(reverse("responses:detail", args=[reply.pk])).content.decode()
    assert f"No. {item.number} {item.title}" in body and f"第{item.number}号" not in body
    client.cookies["django_language"] = "zh-hans"
    assert (
        f"第{item.number}号 {item.title}" in client.get(reverse("responses:detail", args=[reply.pk])).content.decode()
    )
