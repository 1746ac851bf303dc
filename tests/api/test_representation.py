"""The hand-rendered commitment rows say exactly what DRF's generic rendering of the declared fields says."""

import datetime as dt

from rest_framework import serializers as drf

from commitments.api.serializers import CommitmentSerializer
from tests import factories


def test_fast_rows_equal_the_generic_rendering(db):
    commitment = factories.CommitmentFactory(deadline=dt.date(2020, 1, 1), precision="day")
    commitment.agencies.add(factories.AgencyFactory())
    factories.TargetFactory(commitment=commitment, actual_value="12.5")
    serializer = CommitmentSerializer(context={"today": dt.date(2025, 1, 1)})
    fast = serializer.to_representation(commitment)
    generic = drf.ModelSerializer.to_representation(serializer, commitment)
    assert fast == generic
    assert fast["overdue"] is True
    assert list(fast) == CommitmentSerializer.Meta.fields
