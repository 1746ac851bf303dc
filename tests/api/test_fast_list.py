"""The commitment list's one-query path: same rows as the generic rendering, same pagination, links and 404s."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from rest_framework import serializers as drf

from commitments.api.serializers import CommitmentSerializer
from commitments.models import Commitment

from .conftest import assert_error, client_for, factories


@pytest.fixture
def admin_api(db):
    return client_for(factories.UserFactory(is_superuser=True))


def _generic(commitment: Commitment, today: dt.date) -> dict:
    serializer = CommitmentSerializer(context={"today": today})
    return drf.ModelSerializer.to_representation(serializer, commitment)


def test_list_rows_equal_the_generic_rendering(admin_api):
    first = factories.CommitmentFactory(deadline=dt.date(2020, 1, 1), precision="day")
    first.agencies.add(factories.AgencyFactory(name="乙局"), factories.AgencyFactory(name="甲局"))
    factories.TargetFactory(commitment=first, value=Decimal("123456789012345678.1234"), actual_value=None)
    factories.TargetFactory(
        commitment=first,
        value=Decimal("2.5"),
        actual_value=Decimal("12.5"),
        actual_recorded_on=dt.date(2024, 3, 1),
        actual_note="已完成",
    )
    bare = factories.CommitmentFactory(deadline=None, precision="none", agency=None)
    today = dt.date(2025, 1, 1)
    with time_machine.travel(dt.datetime(2025, 1, 1, 4, 0, tzinfo=dt.UTC), tick=False):
        results = admin_api.get("/api/v1/commitments/?ordering=id").json()["results"]
    expected = [
        _generic(Commitment.objects.prefetch_related("agencies", "targets").get(pk=c.pk), today) for c in (first, bare)
    ]
    assert results == expected
    assert results[0]["targets"][0]["value"] == "123456789012345678.1234"
    assert [a["name"] for a in results[0]["agencies"]] == sorted(a["name"] for a in results[0]["agencies"])
    assert results[1]["agency"] is None and results[1]["targets"] == []


def test_pages_links_and_last(admin_api):
    factories.CommitmentFactory.create_batch(5)
    first = admin_api.get("/api/v1/commitments/?page_size=2").json()
    assert first["count"] == 5 and first["previous"] is None
    assert first["next"].endswith("/api/v1/commitments/?page=2&page_size=2")
    second = admin_api.get(first["next"]).json()
    assert second["previous"].endswith("/api/v1/commitments/?page_size=2")
    last = admin_api.get("/api/v1/commitments/?page_size=2&page=last").json()
    assert last["next"] is None and len(last["results"]) == 1 and last["count"] == 5
    ids = [r["id"] for page in (first, second, last) for r in page["results"]]
    assert len(set(ids)) == 5


@pytest.mark.parametrize("page", ["0", "-1", "4", "abc", "1.0", str(10**30)])
def test_pages_that_do_not_exist_are_a_404(admin_api, page):
    factories.CommitmentFactory.create_batch(5)
    assert_error(admin_api.get("/api/v1/commitments/", {"page_size": 2, "page": page}), 404, "not_found")


def test_an_empty_list_is_an_empty_first_page(admin_api):
    body = admin_api.get("/api/v1/commitments/?page=last").json()
    assert body == {"count": 0, "next": None, "previous": None, "results": []}
    assert admin_api.get("/api/v1/commitments/").json()["count"] == 0
    assert_error(admin_api.get("/api/v1/commitments/?page=2"), 404)


def test_the_total_counts_every_filtered_row_not_the_page(admin_api):
    agency = factories.AgencyFactory()
    factories.CommitmentFactory.create_batch(3, agency=agency, status="open", deadline=dt.date(2020, 1, 1))
    factories.CommitmentFactory(agency=agency, status="fulfilled", deadline=dt.date(2020, 1, 1))
    factories.CommitmentFactory(status="open", deadline=dt.date(2020, 1, 1))
    body = admin_api.get(f"/api/v1/commitments/?overdue=true&agency={agency.pk}&page_size=2").json()
    assert body["count"] == 3 and len(body["results"]) == 2
    assert all(r["overdue"] for r in body["results"])
    body = admin_api.get(f"/api/v1/commitments/?agencies={agency.pk}&page_size=1&page=2").json()
    assert body["count"] == 4 and len(body["results"]) == 1
