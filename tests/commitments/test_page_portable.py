"""The portable page (SQLite, `make run`) returns exactly what the one-query PostgreSQL page returns."""

import datetime as dt

import pytest

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
