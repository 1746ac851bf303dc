"""Supervisor dashboard: overdue and upcoming tabs, filters, the .xlsx export of exactly the list, statistics."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from commitments.choices import CommitmentStatus, Precision, Strength
from commitments.models import Commitment
from commitments.selectors import agency_performance
from responses.choices import Satisfaction
from tests import factories

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 1, 2, tzinfo=dt.UTC)  # 10:00 in Shanghai


@pytest.fixture
def world(db):
    """One body, two agencies: A has an overdue and a due-soon commitment; B has one overdue."""
    session = factories.SessionFactory()
    a, b = factories.AgencyFactory(name="甲局"), factories.AgencyFactory(name="乙局")

    def make(agency, deadline, **kw):
        response = factories.ResponseFactory(proposal=factories.ProposalFactory(session=session), agency=agency)
        return factories.CommitmentFactory(response=response, deadline=deadline, **kw)

    overdue_a = make(a, dt.date(2026, 2, 1), text="甲局逾期承诺")
    soon_a = make(a, dt.date(2026, 3, 20), text="甲局近期承诺", strength=Strength.ENSURE)
    overdue_b = make(b, dt.date(2026, 1, 15), text="乙局逾期承诺")
    later_b = make(b, dt.date(2026, 5, 20), text="乙局九十天内承诺", precision=Precision.MONTH)
    supervisor = factories.supervisor_of(session.body, "dash_sup")
    return {
        "session": session,
        "a": a,
        "b": b,
        "overdue_a": overdue_a,
        "soon_a": soon_a,
        "overdue_b": overdue_b,
        "later_b": later_b,
        "supervisor": supervisor,
    }


def _texts(response) -> list[str]:
    return [c.text for c in response.context["page"]]


@time_machine.travel(NOW, tick=False)
def test_tabs(client, world):
    client.force_login(world["supervisor"])
    url = reverse("commitments:dashboard")
    assert set(_texts(client.get(url))) == {"甲局逾期承诺", "乙局逾期承诺"}
    assert _texts(client.get(url + "?tab=due30")) == ["甲局近期承诺"]
    assert set(_texts(client.get(url + "?tab=due90"))) == {"甲局近期承诺", "乙局九十天内承诺"}
    assert len(_texts(client.get(url + "?tab=all"))) == 4


@time_machine.travel(NOW, tick=False)
def test_filters_and_sorting(client, world):
    client.force_login(world["supervisor"])
    url = reverse("commitments:dashboard")
    assert _texts(client.get(url, {"tab": "overdue", "agency": world["a"].pk})) == ["甲局逾期承诺"]
    assert _texts(client.get(url, {"tab": "all", "strength": "ensure"})) == ["甲局近期承诺"]
    assert _texts(client.get(url, {"tab": "all", "precision": "month"})) == ["乙局九十天内承诺"]
    ordered = _texts(client.get(url, {"tab": "all", "ordering": "-deadline"}))
    assert ordered[0] == "乙局九十天内承诺" and ordered[-1] == "乙局逾期承诺"
    assert client.get(url, {"tab": "all", "due_within": "-4"}).status_code == 400


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("page_size", [2, 3, 50])
def test_commitments_without_a_deadline_come_last_in_both_deadline_orders(client, world, settings, page_size):
    """Session 18 (session 17's walk-through): “期限由远到近” (`-deadline`) opened on the commitments without a deadline
    (PostgreSQL's NULLS FIRST); they come after the dated ones in both orders, on every page and in both exports."""
    settings.UI_PAGE_SIZE = page_size
    response = factories.ResponseFactory(
        proposal=factories.ProposalFactory(session=world["session"]), agency=world["a"]
    )
    undated = [
        factories.CommitmentFactory(response=response, deadline=None, precision=Precision.NONE, text=f"无期限承诺{n}")
        for n in range(3)
    ]
    client.force_login(world["supervisor"])
    url = reverse("commitments:dashboard")
    dated_latest_first = ["乙局九十天内承诺", "甲局近期承诺", "甲局逾期承诺", "乙局逾期承诺"]
    expected = {
        "-deadline": dated_latest_first + [c.text for c in reversed(undated)],
        "deadline": dated_latest_first[::-1] + [c.text for c in undated],
    }
    for ordering, texts in expected.items():
        listed, number = [], 1
        while True:
            page = client.get(url, {"tab": "all", "ordering": ordering, "page": number}).context["page"]
            listed += [c.text for c in page]
            if not page.has_next():
                break
            number += 1
        assert listed == texts, (ordering, page_size)
        assert number == -(-7 // page_size)
        query = {"tab": "all", "ordering": ordering}
        book = load_workbook(io.BytesIO(b"".join(client.get(reverse("commitments:export"), query).streaming_content)))
        assert [r[1] for r in list(book.active.iter_rows(values_only=True))[1:]] == texts
        text = client.get(reverse("commitments:export_csv"), query).content.decode("utf-8-sig")
        assert [r[1] for r in list(csv.reader(io.StringIO(text)))[1:]] == texts
    # Filtered to the overdue tab (no undated commitment there) the order is the dated one alone.
    assert (
        _texts(client.get(url, {"tab": "overdue", "ordering": "-deadline"}))
        == ["甲局逾期承诺", "乙局逾期承诺"][:page_size]
    )


@time_machine.travel(NOW, tick=False)
def test_export_is_exactly_the_filtered_list(client, world):
    client.force_login(world["supervisor"])
    response = client.get(reverse("commitments:export"), {"tab": "overdue", "agency": world["b"].pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "承诺原文", "期限")
    assert [r[1] for r in rows[1:]] == ["乙局逾期承诺"]
    assert rows[1][7] == 45  # days overdue: 2026-01-15 → 2026-03-01
    assert rows[1][8] == "乙局"


@time_machine.travel(NOW, tick=False)
def test_csv_export_is_the_same_filtered_list(client, world):
    """Session 12 walk-through: the dashboard offered Excel only; the CSV has the same rows, with a BOM for Excel."""
    client.force_login(world["supervisor"])
    page = client.get(reverse("commitments:dashboard"), {"tab": "overdue", "agency": world["b"].pk}).content.decode()
    assert f'href="{reverse("commitments:export_csv")}?tab=overdue' in page
    Commitment.objects.filter(pk=world["overdue_b"].pk).update(deadline_text="=1+1")
    response = client.get(reverse("commitments:export_csv"), {"tab": "overdue", "agency": world["b"].pk})
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="luoshi-commitments-overdue-20260301.csv"'
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["编号", "承诺原文", "期限"]
    assert [r[1] for r in rows[1:]] == ["乙局逾期承诺"]
    assert rows[1][2:4] == ["2026-01-15", "'=1+1"]  # formula-like text quoted (csv_cell)
    assert rows[1][7:9] == ["45", "乙局"]
    client.force_login(factories.clerk_of(factories.AgencyFactory(), "csv_outsider"))
    outside = client.get(reverse("commitments:export_csv"), {"tab": "all"}).content.decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(outside)))) == 1  # the header only: scoped like the list


@time_machine.travel(NOW, tick=False)
def test_export_is_scoped(client, world, other_clerk):
    client.force_login(other_clerk)
    response = client.get(reverse("commitments:export"), {"tab": "all"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert len(list(sheet.iter_rows(values_only=True))) == 1  # the header only


@time_machine.travel(NOW, tick=False)
def test_agency_performance_rates(world):
    a = world["a"]
    # One fulfilled on time, one late, and a satisfied rating for agency A.
    on_time = factories.CommitmentFactory(
        response=world["overdue_a"].response,
        deadline=dt.date(2026, 2, 1),
        status=CommitmentStatus.FULFILLED,
        closed_on=dt.date(2026, 1, 20),
    )
    factories.CommitmentFactory(
        response=world["overdue_a"].response,
        deadline=dt.date(2026, 1, 1),
        status=CommitmentStatus.FULFILLED,
        closed_on=dt.date(2026, 2, 20),
    )
    on_time.response.satisfaction = Satisfaction.SATISFIED
    on_time.response.save()
    rows = {r["agency_id"]: r for r in agency_performance(user=world["supervisor"], today=dt.date(2026, 3, 1))}
    row = rows[a.pk]
    assert (row["open"], row["overdue"], row["on_time"], row["late"]) == (2, 1, 1, 1)
    assert row["on_time_rate"] == pytest.approx(1 / 3)  # on time ÷ (on time + late + overdue)
    assert row["satisfaction_rate"] == 1.0
    assert rows[world["b"].pk]["satisfaction_rate"] is None


@time_machine.travel(NOW, tick=False)
def test_agency_stats_page_draws_svg(client, world):
    client.force_login(world["supervisor"])
    response = client.get(reverse("commitments:agency_stats"))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<svg") == 2 and "甲局" in body and "办成率" in body and "满意率" in body


@time_machine.travel(NOW, tick=False)
def test_the_cards_count_the_filtered_list(client, world):
    """Session 15's walk-through: filtered by a session or an agency, the cards kept the whole scope's figures (已逾期
    14 above a list of 4). Filtered, each card counts what its tab lists with the same filters; unfiltered, the scope."""
    client.force_login(world["supervisor"])
    url = reverse("commitments:dashboard")
    other = factories.SessionFactory(body=world["session"].body)
    factories.CommitmentFactory(
        response=factories.ResponseFactory(proposal=factories.ProposalFactory(session=other), agency=world["a"]),
        deadline=dt.date(2026, 2, 2),
        text="另一会议的逾期承诺",
    )
    whole = client.get(url)
    assert whole.context["counts"] == {"overdue": 3, "due30": 1, "due90": 2, "open": 5}
    assert 'id="counts-filtered"' not in whole.content.decode()
    for query, cards in (
        (f"session={world['session'].pk}", {"overdue": 2, "due30": 1, "due90": 2, "open": 4}),
        (f"agency={world['a'].pk}", {"overdue": 2, "due30": 1, "due90": 1, "open": 3}),
        (f"agency={world['b'].pk}&q=逾期", {"overdue": 1, "due30": 0, "due90": 0, "open": 1}),
    ):
        page = client.get(f"{url}?tab=overdue&{query}")
        assert page.context["counts"] == cards, query
        assert len(_texts(page)) == cards["overdue"], query
        assert 'id="counts-filtered"' in page.content.decode()
        for tab in ("due30", "due90", "open"):
            assert len(_texts(client.get(f"{url}?tab={tab}&{query}"))) == cards[tab], (query, tab)


@time_machine.travel(NOW, tick=False)
def test_a_secondary_deadline_key_puts_the_undated_last(client, world, settings):
    """Session 19: `?ordering=updated_at,-deadline` (the dashboard reads the API's CommitmentFilterSet) listed the
    undated commitments first among rows with the same first key; they come after the dated ones, in the page and in
    both exports."""
    settings.UI_PAGE_SIZE = 2
    response = factories.ResponseFactory(
        proposal=factories.ProposalFactory(session=world["session"]), agency=world["a"]
    )
    for n in range(2):
        factories.CommitmentFactory(response=response, deadline=None, precision=Precision.NONE, text=f"无期限承诺{n}")
    Commitment.objects.update(updated_at=NOW)
    client.force_login(world["supervisor"])
    url = reverse("commitments:dashboard")
    texts = ["乙局九十天内承诺", "甲局近期承诺", "甲局逾期承诺", "乙局逾期承诺", "无期限承诺1", "无期限承诺0"]
    query = {"tab": "all", "ordering": "updated_at,-deadline"}
    listed = []
    for number in (1, 2, 3):
        listed += _texts(client.get(url, {**query, "page": number}))
    assert listed == texts
    book = load_workbook(io.BytesIO(b"".join(client.get(reverse("commitments:export"), query).streaming_content)))
    assert [r[1] for r in list(book.active.iter_rows(values_only=True))[1:]] == texts
    text = client.get(reverse("commitments:export_csv"), query).content.decode("utf-8-sig")
    assert [r[1] for r in list(csv.reader(io.StringIO(text)))[1:]] == texts
