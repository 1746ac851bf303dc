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


def test_a_known_count_gives_the_same_page_without_a_count():
    """known_count (the list's size from the tallies) replaces the COUNT; the rows stay the same, on both paths."""
    for deadline in (dt.date(2024, 3, 31), dt.date(2024, 4, 30)):
        factories.CommitmentFactory(deadline=deadline)
    factories.CommitmentFactory(deadline=None, precision="none", deadline_text="尽快")
    queryset = Commitment.objects.order_by("deadline", "pk")

    def without_total(rows):
        return [{k: v for k, v in row.items() if k != "total"} for row in rows]

    for page in (commitment_page, _commitment_page_portable):
        counted_rows, counted = page(queryset, offset=0, limit=2)
        with CaptureQueriesContext(connection) as captured:
            rows, total = page(queryset, offset=0, limit=2, known_count=counted)
        assert (total, without_total(rows)) == (3, without_total(counted_rows))
        assert not any("count(" in q["sql"].lower() for q in captured.captured_queries)
        assert page(queryset, offset=10, limit=2, known_count=3) == ([], None)  # past the last page: a 404
