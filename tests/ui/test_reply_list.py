"""The reply list: newest first from its index, counted up to a bound, the letter's title without its text."""

import pytest
from django.urls import reverse

from responses import views
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def replies(db):
    agency = factories.AgencyFactory()
    rows = [factories.ResponseFactory(agency=agency, document__title=f"答复函第{i}号") for i in range(5)]
    return factories.clerk_of(agency, "reply_clerk"), rows


def test_reply_list_is_newest_first_across_pages(client, replies, settings):
    clerk, rows = replies
    settings.UI_PAGE_SIZE = 2
    client.force_login(clerk)
    seen = []
    for page in (1, 2, 3):
        response = client.get(reverse("responses:list"), {"page": page})
        assert response.status_code == 200
        seen += [r.pk for r in response.context["page"]]
        assert f"第 {page} / 3 页" in response.content.decode()
    assert seen == [r.pk for r in reversed(rows)]


def test_reply_list_past_its_bound_says_more_pages(client, replies, settings, monkeypatch):
    clerk, rows = replies
    settings.UI_PAGE_SIZE = 2
    monkeypatch.setattr(views, "LIST_BOUND", 3)
    client.force_login(clerk)
    response = client.get(reverse("responses:list"))
    paginator = response.context["page"].paginator
    assert paginator.capped and paginator.count == 3
    assert "第 1 / 2+ 页" in response.content.decode()
    # Within the bound the count is exact.
    monkeypatch.setattr(views, "LIST_BOUND", 5)
    response = client.get(reverse("responses:list"))
    assert not response.context["page"].paginator.capped and "第 1 / 3 页" in response.content.decode()


def test_reply_list_shows_the_title_without_loading_the_letter(client, replies):
    clerk, rows = replies
    client.force_login(clerk)
    response = client.get(reverse("responses:list"))
    assert "答复函第4号" in response.content.decode()
    deferred = response.context["page"][0].document.get_deferred_fields()
    assert {"text", "extraction", "extraction_detail"} <= deferred
