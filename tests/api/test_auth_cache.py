"""Token authentication is cached (no query per request) and every change that matters takes effect at once."""

import datetime as dt

import time_machine
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import AUTH_CACHE_PREFIX, api_token_revoke

from .conftest import assert_error, client_for, factories


def _detail(commitment) -> str:
    return f"/api/v1/commitments/{commitment.pk}/"


def test_a_known_token_costs_no_query(clerk, commitment, django_assert_num_queries):
    api = client_for(clerk)
    assert api.get(_detail(commitment)).status_code == 200
    # The overdue page of the clerk's own agency: the page with its total, agencies and targets in one query
    # (a list this short is counted in it; a longer one takes its total from the tallies); nothing for the token.
    with django_assert_num_queries(1):
        response = api.get(f"/api/v1/commitments/?overdue=true&agency={commitment.agency_id}")
    assert response.status_code == 200


def test_revocation_takes_effect_immediately(clerk, commitment):
    api = client_for(clerk)
    assert api.get(_detail(commitment)).status_code == 200
    api_token_revoke(token=ApiToken.objects.get(user=clerk))
    assert_error(api.get(_detail(commitment)), 401, "authentication_failed")


def test_deleting_a_token_or_deactivating_its_user_takes_effect_immediately(clerk, commitment):
    api = client_for(clerk)
    assert api.get(_detail(commitment)).status_code == 200
    ApiToken.objects.get(user=clerk).delete()
    assert_error(api.get(_detail(commitment)), 401)

    api = client_for(clerk)
    assert api.get(_detail(commitment)).status_code == 200
    clerk.is_active = False
    clerk.save()
    assert_error(api.get(_detail(commitment)), 401)


def test_memberships_take_effect_immediately_from_either_side(clerk, commitment):
    api = client_for(clerk)
    assert api.get(_detail(commitment)).status_code == 200
    commitment.agency.clerks.remove(clerk)
    assert_error(api.get(_detail(commitment)), 404)
    clerk.clerk_agencies.add(commitment.agency)
    assert api.get(_detail(commitment)).status_code == 200
    clerk.clerk_agencies.clear()
    assert_error(api.get(_detail(commitment)), 404)
    commitment.agency.clerks.add(clerk)
    assert api.get(_detail(commitment)).status_code == 200
    commitment.agency.clerks.clear()
    assert_error(api.get(_detail(commitment)), 404)


def test_supervision_takes_effect_immediately(supervisor, commitment):
    api = client_for(supervisor)
    body = commitment.proposal.session.body
    assert api.get(_detail(commitment)).status_code == 200
    body.supervisors.remove(supervisor)
    assert_error(api.get(_detail(commitment)), 404)
    supervisor.supervised_bodies.add(body)
    assert api.get(_detail(commitment)).status_code == 200


def test_permissions_through_groups_take_effect_immediately(other_clerk, commitment):
    api = client_for(other_clerk)
    assert_error(api.get(_detail(commitment)), 404)
    group = Group.objects.create(name="督查室")
    other_clerk.groups.add(group)
    assert_error(api.get(_detail(commitment)), 404)
    view_all = Permission.objects.get(codename="view_all_items", content_type__app_label="proposals")
    group.permissions.add(view_all)
    assert api.get(_detail(commitment)).status_code == 200
    group.permissions.remove(view_all)
    assert_error(api.get(_detail(commitment)), 404)
    other_clerk.user_permissions.add(view_all)
    assert api.get(_detail(commitment)).status_code == 200
    view_all.user_set.remove(other_clerk)
    assert_error(api.get(_detail(commitment)), 404)


def test_deleting_the_agency_takes_effect_immediately(db):
    agency = factories.AgencyFactory()
    clerk = factories.clerk_of(agency)
    api = client_for(clerk)
    assert api.get("/api/v1/commitments/").status_code == 200
    token = ApiToken.objects.get(user=clerk)
    assert cache.get(AUTH_CACHE_PREFIX + token.key_hash) is not None
    agency.delete()
    assert cache.get(AUTH_CACHE_PREFIX + token.key_hash) is None


def test_writes_that_bypass_signals_expire_with_the_cache_entry(clerk, commitment, settings):
    settings.API_AUTH_CACHE_SECONDS = 30
    with time_machine.travel(dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC), tick=False) as traveller:
        api = client_for(clerk)
        assert api.get(_detail(commitment)).status_code == 200
        # A bulk delete sends no m2m_changed: the cached scope survives until the entry expires.
        type(commitment.agency).clerks.through.objects.filter(user=clerk).delete()
        assert api.get(_detail(commitment)).status_code == 200
        traveller.shift(dt.timedelta(seconds=31))
        assert_error(api.get(_detail(commitment)), 404)


def test_last_used_is_still_recorded_to_the_minute(clerk, commitment):
    with time_machine.travel(dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC), tick=False) as traveller:
        api = client_for(clerk)
        api.get(_detail(commitment))
        token = ApiToken.objects.get(user=clerk)
        assert token.last_used_at == timezone.now()
        traveller.shift(dt.timedelta(seconds=30))
        api.get(_detail(commitment))
        token.refresh_from_db()
        assert token.last_used_at == dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC)
        traveller.shift(dt.timedelta(minutes=2))
        api.get(_detail(commitment))
        token.refresh_from_db()
        assert token.last_used_at == dt.datetime(2025, 6, 1, 9, 2, 30, tzinfo=dt.UTC)
