"""Session 20 (s20ui), docs/ui.md: what the walk-through found, each test failing on the code before its fix."""

import datetime as dt
import html
import re
from collections import defaultdict

import pytest
import time_machine
from django.urls import reverse

from benchmarks.sweep_robust import browser_form
from commitments.models import Commitment
from commitments.selectors import agency_performance
from commitments.services import progress_record
from followup.choices import CollectedBy
from followup.models import Rating
from followup.selectors import _rating_tally, rating_rates_by_agency, rating_rates_by_agency_live
from tests import factories

pytestmark = pytest.mark.django_db


def _submitted(html: str) -> dict[str, list[str]]:
    """The edit form's fields as a browser submits them (no script: what the page itself holds)."""
    data: dict[str, list[str]] = defaultdict(list)
    for name, value in browser_form(html).fields:
        data[name].append(value)
    return dict(data)


def test_the_reply_edit_page_shows_its_commitments_and_saves_as_the_browser_submits_it(client, logged_reply):
    """修改答复 listed none of the reply's commitments (the template reads `rows`, which only the preview passed)
    while its management form counted them: the clerk saw an empty list, and saving the page unchanged — or with a
    corrected 文号 — was a 400 with no message anywhere on it."""
    response, clerk = logged_reply["response"], logged_reply["clerk"]
    first, second, third = response.commitments.order_by("pk")
    progress_record(commitment=first, user=clerk, note="已建成3个")
    client.force_login(clerk)
    url = reverse("commitments:reply_edit", args=[response.pk])

    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    for c in (first, second, third):
        assert c.text in html
    data = _submitted(html)
    assert sorted(v for k, vs in data.items() if k.endswith("-id") for v in vs) == sorted(
        str(c.pk) for c in (first, second, third)
    )

    # The clerk corrects the 文号 and removes the third commitment (its 删除 box), nothing else.
    data["doc_number"] = ["测函〔2024〕2号"]
    index = next(k.split("-")[1] for k, vs in data.items() if k.endswith("-id") and vs == [str(third.pk)])
    data[f"c-{index}-DELETE"] = ["on"]
    answer = client.post(url, data)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    response.refresh_from_db()
    assert response.doc_number == "测函〔2024〕2号"
    assert set(response.commitments.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert not Commitment.objects.filter(pk=third.pk).exists()
    first.refresh_from_db()
    assert first.deadline == dt.date(2025, 12, 31) and first.text == "力争2025年底前建成10个中心"
    assert first.progress_updates.count() == 1 and first.targets.get().value == 10


NOW = dt.datetime(2026, 3, 1, 2, tzinfo=dt.UTC)  # 10:00 in Shanghai


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("query", ["session", "body", "is_key", "kind"])
def test_an_agencys_links_on_the_filtered_table_list_what_its_row_counts(client, query):
    """单位统计 filtered by a session (or a body, 重点, a kind): an agency's 已逾期 read 3 and its link opened the
    dashboard on that agency's overdue commitments of every session (6), and its name on all of them."""
    body, other_body = factories.BodyFactory(), factories.BodyFactory()
    first, second = factories.SessionFactory(body=body), factories.SessionFactory(body=other_body)
    agency = factories.AgencyFactory(name="甲局")
    supervisor = factories.supervisor_of(body, "stats_sup")
    other_body.supervisors.add(supervisor)
    key = {"is_key": True, "kind": "suggestion"}
    for session, n, item in ((first, 3, key), (second, 2, {"is_key": False, "kind": "proposal"})):
        for i in range(n):
            proposal = factories.ProposalFactory(session=session, **item)
            response = factories.ResponseFactory(proposal=proposal, agency=agency)
            factories.CommitmentFactory(response=response, deadline=dt.date(2026, 1, 10 + i), text=f"逾期{i}")
            factories.CommitmentFactory(response=response, deadline=dt.date(2026, 6, 1), text=f"进行中{i}")
    value = {"session": first.pk, "body": body.pk, "is_key": "true", "kind": "suggestion"}[query]
    client.force_login(supervisor)
    page = client.get(reverse("commitments:agency_stats"), {query: value})
    row = next(r for r in page.context["rows"] if r["agency_id"] == agency.pk)
    assert (row["total"], row["overdue"]) == (6, 3)
    links = dict(
        (html.unescape(m.group(2)), html.unescape(m.group(1)))
        for m in re.finditer(r'<a (?:class="late" )?href="([^"]+)">([^<]+)</a>', page.content.decode())
        if "agency=" in m.group(1)
    )
    overdue = client.get(links["3"])
    assert len(overdue.context["page"]) == 3 and overdue.context["counts"]["overdue"] == 3
    listed = client.get(links["甲局"])
    assert len(listed.context["page"]) == 6


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("query", ["session", "body", "is_key", "kind"])
def test_the_satisfaction_rates_on_the_filtered_table_are_of_the_filtered_items(client, query):
    """单位统计 filtered by a session: the agency's counts were that session's, its 满意率 (and the proposers' own and
    the staff-entered ones beside it) every session's — 50% (2) where the session's one rated reply was 满意. The tally
    holds body and session (supervisors read it); 重点 and the kind are counted live."""
    body, other_body = factories.BodyFactory(), factories.BodyFactory()
    first, second = factories.SessionFactory(body=body), factories.SessionFactory(body=other_body)
    agency = factories.AgencyFactory(name="甲局")
    supervisor = factories.supervisor_of(body, "rates_sup")
    other_body.supervisors.add(supervisor)
    replies = {}
    for session, satisfaction, item in (
        (first, "satisfied", {"is_key": True, "kind": "suggestion"}),
        (second, "unsatisfied", {"is_key": False, "kind": "proposal"}),
    ):
        proposal = factories.ProposalFactory(session=session, **item)
        reply = factories.ResponseFactory(
            proposal=proposal, agency=agency, satisfaction=satisfaction, satisfaction_channel="body"
        )
        factories.CommitmentFactory(response=reply, deadline=dt.date(2026, 1, 10))
        replies[session.pk] = reply
    # The proposer's own rating of the second session's reply: 不满意.
    Rating.objects.create(
        response=replies[second.pk],
        proposer=factories.ProposerFactory(),
        attitude="unsatisfied",
        result="unsatisfied",
        collected_by=CollectedBy.PROPOSER,
    )
    value = {"session": first.pk, "body": body.pk, "is_key": "true", "kind": "suggestion"}[query]
    client.force_login(supervisor)

    whole = next(
        r for r in client.get(reverse("commitments:agency_stats")).context["rows"] if r["agency_id"] == agency.pk
    )
    assert (whole["rated"], whole["satisfaction_rate"]) == (2, 0.5)
    page = client.get(reverse("commitments:agency_stats"), {query: value})
    row = next(r for r in page.context["rows"] if r["agency_id"] == agency.pk)
    assert row["total"] == 1
    assert (row["rated"], row["satisfaction_rate"]) == (1, 1.0)
    assert (row["ratings"]["own_rated"], row["ratings"]["staff_rated"], row["ratings"]["staff_rate"]) == (0, 1, 1.0)
    # The commitments app's own count (without followup's) follows the filters too.
    filters = {"session": first.pk, "body": body.pk, "is_key": True, "kind": "suggestion"}
    own = agency_performance(user=supervisor, today=dt.date(2026, 3, 1), filters={query: filters[query]})
    assert [(r["rated"], r["satisfaction_rate"]) for r in own if r["agency_id"] == agency.pk] == [(1, 1.0)]
    # Read from the tally where it holds the filter (body, session), and the same as counted live.
    tallied = rating_rates_by_agency(user=supervisor, filters={query: filters[query]})
    assert (_rating_tally(supervisor, {query: filters[query]}) is not None) == (query in ("session", "body"))
    assert tallied == rating_rates_by_agency_live(user=supervisor, filters={query: filters[query]})


def test_the_edit_page_is_titled_as_an_edit(client):
    """修改答复's browser title was the preview's 核对答复 (its heading said 修改答复)."""
    agency = factories.AgencyFactory()
    clerk = factories.clerk_of(agency)
    response = factories.ResponseFactory(agency=agency, document=factories.DocumentFactory(uploaded_by=clerk))
    client.force_login(clerk)
    page = client.get(reverse("commitments:reply_edit", args=[response.pk])).content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "修改答复" in title and "核对答复" not in title


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("fast", [True, False])
def test_the_unassigned_row_links_to_the_commitments_it_counts(client, fast):
    """单位统计's （未指定责任单位） row (news and reports that name no agency) had no link and its 已逾期 was plain
    text: a supervisor saw "2 overdue" and could not list them anywhere. It now links to the dashboard filtered by
    `unassigned=true` (both list paths: page_sql's and the ORM's, which a search `q` takes)."""
    body = factories.BodyFactory()
    session = factories.SessionFactory(body=body)
    supervisor = factories.supervisor_of(body, "unassigned_sup")
    agency = factories.AgencyFactory(name="乙局")
    for i, (with_agency, deadline) in enumerate(
        [
            (False, dt.date(2026, 1, 5)),
            (False, dt.date(2026, 2, 5)),
            (False, dt.date(2026, 9, 1)),
            (True, dt.date(2026, 1, 9)),
        ]
    ):
        response = factories.ResponseFactory(proposal=factories.ProposalFactory(session=session), agency=agency)
        factories.CommitmentFactory(
            response=response, agency=agency if with_agency else None, deadline=deadline, text=f"承诺甲{i}"
        )
    client.force_login(supervisor)
    page = client.get(reverse("commitments:agency_stats"), {"session": session.pk})
    row = next(r for r in page.context["rows"] if r["agency_id"] is None)
    assert (row["total"], row["overdue"]) == (3, 2)
    links = {
        html.unescape(m.group(2)): html.unescape(m.group(1))
        for m in re.finditer(r'<a (?:class="late" )?href="([^"]+)">([^<]+)</a>', page.content.decode())
        if "unassigned=true" in m.group(1)
    }
    assert set(links) == {"（未指定责任单位）", "2"}
    extra = "" if fast else "&q=承诺甲"
    overdue = client.get(links["2"] + extra)
    assert len(overdue.context["page"]) == 2
    listed = client.get(links["（未指定责任单位）"] + extra)
    assert len(listed.context["page"]) == 3
    api = client.get("/api/v1/commitments/", {"unassigned": "true", "session": session.pk})
    assert api.status_code == 200 and api.json()["count"] == 3
    assert client.get("/api/v1/commitments/", {"unassigned": "false", "session": session.pk}).json()["count"] == 1
    assert client.get("/api/v1/commitments/", {"unassigned": "maybe"}).status_code == 400
