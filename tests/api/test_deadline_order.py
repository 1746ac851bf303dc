"""The API's commitment list puts the commitments without a deadline last in both deadline orders (session 18).

PostgreSQL's descending order puts NULLs first: `ordering=-deadline` opened on the undated commitments while
`ordering=deadline` ended with them. Both paths of the list (commitments/page_sql.py and the ORM's page, which a
proposer's scope and the search take) answer the dated rows, then the undated ones, and page across that boundary
with the right count, links and page boundaries.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission

from commitments.models import Commitment
from proposals.models import ProposalProposer

from .conftest import client_for, factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed():
    """4 dated commitments (two on the same day) and 3 undated ones on one item, all matching the search 修建."""
    item = factories.ProposalFactory()
    reply = factories.ResponseFactory(proposal=item)
    days = [dt.date(2025, 3, 1), dt.date(2026, 1, 31), dt.date(2025, 3, 1), dt.date(2024, 12, 31)]
    rows = [factories.CommitmentFactory(response=reply, deadline=d, text=f"修建停车场{i}") for i, d in enumerate(days)]
    for i in range(3):
        rows.append(factories.CommitmentFactory(response=reply, deadline=None, precision="none", text=f"修建公园{i}"))
    staff = factories.UserFactory()
    staff.user_permissions.add(Permission.objects.get(codename="view_all_items", content_type__app_label="proposals"))
    proposer = factories.UserFactory()
    ProposalProposer.objects.create(proposal=item, proposer=factories.ProposerFactory(user=proposer))
    return {"staff": staff, "proposer": proposer}


def _expected(descending: bool) -> list[int]:
    dated = Commitment.objects.filter(deadline__isnull=False)
    undated = Commitment.objects.filter(deadline__isnull=True)
    if descending:
        return [
            *dated.order_by("-deadline", "-id").values_list("id", flat=True),
            *undated.order_by("-id").values_list("id", flat=True),
        ]
    return [
        *dated.order_by("deadline", "id").values_list("id", flat=True),
        *undated.order_by("id").values_list("id", flat=True),
    ]


def _walk(api, query: str, size: int) -> list[int]:
    """Every page from the first by its `next` link, checking count and links; the ids in order."""
    url = f"/api/v1/commitments/?{query}&page_size={size}"
    seen: list[int] = []
    pages = 0
    while url:
        response = api.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        body = response.json()
        assert body["count"] == 7, url
        assert (body["previous"] is None) == (pages == 0), url
        assert len(body["results"]) == min(size, 7 - pages * size), url
        seen += [r["id"] for r in body["results"]]
        pages += 1
        url = body["next"]
    assert pages == -(-7 // size)
    return seen


@pytest.mark.parametrize("sql", [True, False])
@pytest.mark.parametrize("who", ["staff", "proposer"])
def test_commitments_without_a_deadline_come_last_in_both_deadline_orders(listed, who, sql, settings):
    settings.API_LIST_SQL_JSON = sql
    api = client_for(listed[who])
    for ordering, descending in (("deadline", False), ("-deadline", True)):
        for search in ("", "&q=修建"):
            for size in (2, 3, 4, 50):
                assert _walk(api, f"ordering={ordering}{search}", size) == _expected(descending), (ordering, size)
    # Any page asked for directly, the last one too; past the end is the 404 it was.
    ids = _expected(True)
    for size in (2, 3, 4):
        for page in range(1, -(-7 // size) + 1):
            body = api.get(f"/api/v1/commitments/?ordering=-deadline&page_size={size}&page={page}").json()
            assert [r["id"] for r in body["results"]] == ids[(page - 1) * size : page * size], (size, page)
        last = api.get(f"/api/v1/commitments/?ordering=-deadline&page_size={size}&page=last").json()
        assert [r["id"] for r in last["results"]] == ids[(-(-7 // size) - 1) * size :]
        assert api.get(f"/api/v1/commitments/?ordering=-deadline&page_size={size}&page=9").status_code == 404
    # Filters keep working with the two parts: only undated ones, only dated ones, none.
    only_undated = api.get("/api/v1/commitments/?ordering=-deadline&precision=none&page_size=2").json()
    assert only_undated["count"] == 3 and [r["id"] for r in only_undated["results"]] == ids[4:6]
    none = api.get("/api/v1/commitments/?ordering=-deadline&q=没有").json()
    assert none["count"] == 0 and none["results"] == []


@pytest.mark.parametrize("sql", [True, False])
@pytest.mark.parametrize("who", ["staff", "proposer"])
def test_a_secondary_deadline_key_puts_the_undated_last_in_both_directions(listed, who, sql, settings):
    """Session 19 (s18ui2's "left"): `ordering=updated_at,-deadline` put the undated commitments FIRST among rows with
    an equal first key (PostgreSQL's DESC is NULLS FIRST); only a first key of `-deadline` took the two parts. Among
    equal first keys a descending deadline now ends with the undated ones, as the ascending one already did."""
    settings.API_LIST_SQL_JSON = sql
    rows = list(Commitment.objects.order_by("id"))
    early, late = dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    # Two groups of equal updated_at, each holding dated and undated rows.
    groups = {early: [rows[0], rows[1], rows[4]], late: [rows[2], rows[3], rows[5], rows[6]]}
    for stamp, members in groups.items():
        Commitment.objects.filter(pk__in=[c.pk for c in members]).update(updated_at=stamp)

    def expected(first_descending: bool, deadline_descending: bool) -> list[int]:
        ids: list[int] = []
        for stamp in sorted(groups, reverse=first_descending):
            group = Commitment.objects.filter(updated_at=stamp)
            dated = group.filter(deadline__isnull=False)
            undated = group.filter(deadline__isnull=True)
            tie = "-id" if deadline_descending else "id"
            order = "-deadline" if deadline_descending else "deadline"
            ids += dated.order_by(order, tie).values_list("id", flat=True)
            ids += undated.order_by(tie).values_list("id", flat=True)
        return ids

    api = client_for(listed[who])
    for first in ("updated_at", "-updated_at"):
        for second in ("-deadline", "deadline"):
            want = expected(first.startswith("-"), second.startswith("-"))
            for search in ("", "&q=修建"):
                for size in (2, 3, 50):
                    got = _walk(api, f"ordering={first},{second}{search}", size)
                    assert got == want, (first, second, search, size)
