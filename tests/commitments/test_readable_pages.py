"""Small things people read: amounts in 万/亿, days left on the item page, the clerk's home in pages."""

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from commitments.formatting import amount
from tests import factories

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (Decimal("2000000000"), "元", "20 亿元"),
        (Decimal("3554000"), "元", "355.4 万元"),
        (Decimal("30000000000.0000"), "元", "300 亿元"),
        (Decimal("12345678"), "元", "1234.57 万元"),
        (Decimal("-50000"), "元", "-5 万元"),
        (Decimal("9999"), "亩", "9999 亩"),
        (Decimal("1200000"), "平方米", "120 万平方米"),
        (Decimal("12.5000"), "%", "12.5 %"),
        (Decimal("25000"), "%", "25000 %"),
        (Decimal("0.25"), "个", "0.25 个"),
        (None, "元", ""),
    ],
)
def test_amount(value, unit, text):
    assert amount(value, unit) == text


def test_commitment_page_and_export_show_readable_amounts(client, commitment, clerk, supervisor):
    factories.TargetFactory(commitment=commitment, text="20亿元", value=Decimal("2000000000"), unit="元")
    client.force_login(clerk)
    page = client.get(reverse("commitments:detail", args=[commitment.pk])).content.decode()
    assert "20 亿元" in page and "2000000000" not in page
    client.force_login(supervisor)
    response = client.get(reverse("commitments:export"), {"tab": "all"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert any(cell == "20亿元（20 亿元）" for row in rows[1:] for cell in row), rows


@time_machine.travel(NOW, tick=False)
def test_proposal_page_shows_remaining_days(client, commitment, supervisor):
    later = factories.CommitmentFactory(response=commitment.response, deadline=dt.date(2026, 3, 11), text="十天后")
    late = factories.CommitmentFactory(response=commitment.response, deadline=dt.date(2026, 2, 24), text="五天前")
    client.force_login(supervisor)
    body = client.get(reverse("proposals:detail", args=[commitment.proposal_id])).content.decode()
    row = lambda text: body[body.index(text) : body.index("</tr>", body.index(text))]  # noqa: E731
    assert '<td class="num"><span class="soon">10</span></td>' in row(later.text)
    assert '<span class="late">逾期 5 天</span>' in row(late.text)


@time_machine.travel(NOW, tick=False)
def test_clerk_home_is_paginated(client, commitment, clerk, settings):
    settings.UI_PAGE_SIZE = 5
    for n in range(11):
        factories.CommitmentFactory(
            response=commitment.response, text=f"分页承诺{n:02d}", deadline=dt.date(2026, 4, n + 1)
        )
    client.force_login(clerk)
    first = client.get(reverse("home")).content.decode()
    # 12 open commitments by deadline: the fixture's (2025-12-31) first, then 分页承诺00…10.
    assert first.count("分页承诺") == 4 and commitment.text in first
    assert "第 1 / 3 页" in first and "page=2" in first
    last = client.get(reverse("home"), {"page": 3}).content.decode()
    assert last.count("分页承诺") == 2 and "分页承诺10" in last and commitment.text not in last
