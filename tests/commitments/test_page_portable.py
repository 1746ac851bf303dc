"""The portable page (SQLite, `make run`) returns exactly what the one-query PostgreSQL page returns."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments.models import Commitment
from commitments.selectors import _commitment_page_portable, commitment_page
from tests import factories

pytestmark = pytest.mark.django_db


def test_portable_page_equals_the_postgresql_page():
    shared = factories.CommitmentFactory(deadline=dt.date(2024, 3, 31))
    shared.agencies.add(factories.AgencyFactory(name="乙局"), factories.AgencyFactory(name="甲局"))
    factories.TargetFactory(commitment=shared, actual_value=12345, actual_recorded_on=dt.date(2025, 1, 2))
    factories.TargetFactory(commitment=shared, text="20 万吨", value=200000, unit="吨")
    factories.CommitmentFactory(deadline=None, precision="none", deadline_text="尽快")
    factories.CommitmentFactory(response=None, document=factories.DocumentFactory(kind="news"))
    queryset = Commitment.objects.order_by("deadline", "pk")
    for offset, limit in ((0, 50), (1, 1), (10, 5)):
        assert _commitment_page_portable(queryset, offset=offset, limit=limit) == commitment_page(
            queryset, offset=offset, limit=limit
        )


def test_a_list_longer_than_the_bound_takes_its_total_from_count_beyond():
    """The page query counts up to `bound` rows; past it the total is `count_beyond()` (the tallies), or a COUNT
    when that is None. A list within the bound is one query and never asks."""
    for day in range(1, 6):
        factories.CommitmentFactory(deadline=dt.date(2024, 3, day))
    queryset = Commitment.objects.order_by("deadline", "pk")
    asked: list[int] = []

    def beyond(value):
        def count():
            asked.append(1)
            return value

        return count

    with CaptureQueriesContext(connection) as captured:
        rows, total = commitment_page(queryset, offset=0, limit=2, count_beyond=beyond(99), bound=10)
    assert (total, len(rows), asked, len(captured.captured_queries)) == (5, 2, [], 1)
    rows, total = commitment_page(queryset, offset=0, limit=2, count_beyond=beyond(99), bound=3)
    assert (total, asked) == (99, [1])  # the tallies' figure, as given
    rows, total = commitment_page(queryset, offset=2, limit=2, count_beyond=beyond(None), bound=3)
    assert (total, [r["deadline"].day for r in rows]) == (5, [3, 4])  # no tally: counted
    assert commitment_page(queryset, offset=10, limit=2, count_beyond=beyond(99), bound=3) == ([], None)
    for page in (commitment_page, _commitment_page_portable):
        assert page(queryset, offset=0, limit=50, count_beyond=beyond(99), bound=10)[1] == 5
