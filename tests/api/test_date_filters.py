"""Date and datetime filters: values that cannot be parsed or stored are a 400 with the one error body, never a 500."""

import pytest

from .conftest import assert_error, client_for, factories

# Unparseable, or an instant outside years 1–9999 once converted to UTC.
BAD_DATETIMES = [
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+23:59",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00",  # Asia/Shanghai local time: before year 1 in UTC
    "2025-13-01",
    "2025-02-30T00:00:00Z",
    "99999-01-01",
    "2025-01-01T25:00:00",
    "2025-01-01T00:00:00+99:00",
    "0000-01-01",
    "not-a-date",
]
# Extreme but convertible: PostgreSQL refuses offsets beyond ±15:59, so these reached it unconverted as a 500.
EXTREME_DATETIMES = ["9999-12-31T23:59:59+23:59", "0001-01-01T00:00:00-23:59", "2025-06-01T00:00:00-16:00"]
BAD_DATES = ["2025-13-01", "2025-02-30", "99999-01-01", "0000-01-01", "9999-12-31T23:59:59+23:59", "not-a-date"]

DATETIME_FILTERS = [
    ("/api/v1/commitments/", "updated_since"),
    ("/api/v1/proposals/", "updated_since"),
    ("/api/v1/responses/", "updated_since"),
    ("/api/v1/documents/", "created_since"),
]
DATE_FILTERS = [
    ("/api/v1/commitments/", "deadline_after"),
    ("/api/v1/commitments/", "deadline_before"),
    ("/api/v1/proposals/", "reply_due_after"),
    ("/api/v1/proposals/", "reply_due_before"),
    ("/api/v1/responses/", "signed_after"),
    ("/api/v1/responses/", "signed_before"),
]


@pytest.fixture
def admin_api(db):
    return client_for(factories.UserFactory(is_superuser=True))


@pytest.mark.parametrize("value", BAD_DATETIMES)
@pytest.mark.parametrize(("path", "name"), DATETIME_FILTERS)
def test_unusable_datetime_filter_values_are_a_400(admin_api, path, name, value):
    error = assert_error(admin_api.get(path, {name: value}), 400, "invalid")
    assert name in error["fields"], error


@pytest.mark.parametrize("value", EXTREME_DATETIMES)
@pytest.mark.parametrize(("path", "name"), DATETIME_FILTERS)
def test_extreme_offsets_are_converted_not_a_500(admin_api, path, name, value):
    response = admin_api.get(path, {name: value})
    assert response.status_code == 200, response.content[:300]


@pytest.mark.parametrize("value", BAD_DATES)
@pytest.mark.parametrize(("path", "name"), DATE_FILTERS)
def test_unusable_date_filter_values_are_a_400(admin_api, path, name, value):
    error = assert_error(admin_api.get(path, {name: value}), 400, "invalid")
    assert name in error["fields"], error


def test_offsets_are_honoured_after_conversion_to_utc(db):
    import datetime as dt

    from commitments.models import Commitment

    commitment = factories.CommitmentFactory()
    stamp = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)
    Commitment.objects.filter(pk=commitment.pk).update(updated_at=stamp)
    api = client_for(factories.UserFactory(is_superuser=True))
    # 2025-03-01T23:59+12:00 is 11:59 UTC, before the stamp; +11:58 makes it 12:01 UTC, after it.
    found = api.get("/api/v1/commitments/", {"updated_since": "2025-03-01T23:59:00+12:00"}).json()
    assert [r["id"] for r in found["results"]] == [commitment.pk]
    missed = api.get("/api/v1/commitments/", {"updated_since": "2025-03-01T23:59:00+11:58"}).json()
    assert missed["results"] == []


def test_huge_ids_in_change_request_filter_are_not_a_500(db):
    api = client_for(factories.UserFactory(is_superuser=True))
    response = api.get("/api/v1/change-requests/", {"commitment": str(2**70)})
    assert response.status_code in (200, 400), response.content[:300]
