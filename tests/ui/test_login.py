"""Sign-in protection (django-axes, accounts/login_protection.py) on /login/ and /admin/login/.

Policy (docs/ui.md "Sign-in protection"): 5 failures on one account from one address lock that pair, 30 failures
from one address lock the address, 20 failures on one account from all addresses lock the account, each for the
cool-off (15 minutes); a success forgets that account's failures from that address.
"""

import datetime as dt

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

WRONG = {"username": "alice", "password": "wrong"}
RIGHT = {"username": "alice", "password": "pw-12345678"}


def _client(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


@pytest.fixture
def alice():
    return factories.UserFactory(username="alice")


def test_login_works_and_lands_on_home(client, alice):
    response = client.post(reverse("login"), RIGHT)
    assert response.status_code == 302 and response["Location"] == "/"


def test_sixth_attempt_is_refused_even_with_the_right_password(client, alice):
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC), tick=False):
        for _ in range(4):
            assert client.post(reverse("login"), WRONG).status_code == 200
        assert client.post(reverse("login"), WRONG).status_code == 429  # the fifth failure locks
        response = client.post(reverse("login"), RIGHT)
    assert response.status_code == 429
    body = response.content.decode()
    assert body.index("登录失败次数过多") < body.index("Too many failed sign-in attempts")
    assert "15 分钟" in body
    assert "_auth_user_id" not in client.session


def test_the_lock_ends_after_the_cool_off_even_if_tried_meanwhile(client, alice):
    start = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            client.post(reverse("login"), WRONG)
        assert client.post(reverse("login"), RIGHT).status_code == 429
    with time_machine.travel(start + dt.timedelta(minutes=10), tick=False):
        assert client.post(reverse("login"), WRONG).status_code == 429  # refused, not counted
    with time_machine.travel(start + dt.timedelta(minutes=16), tick=False):
        assert client.post(reverse("login"), RIGHT).status_code == 302


def test_admin_login_is_protected_too():
    factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    client = _client("203.0.113.7")
    url = reverse("admin:login")
    for _ in range(12):
        client.post(url, {"username": "root", "password": "wrong", "next": "/admin/"})
    response = client.post(url, {"username": "root", "password": "pw-12345678", "next": "/admin/"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_another_address_is_not_locked_by_failures_below_the_account_limit(alice):
    attacker, owner = _client("198.51.100.1"), _client("198.51.100.2")
    for _ in range(12):
        attacker.post(reverse("login"), WRONG)
    assert attacker.post(reverse("login"), RIGHT).status_code == 429
    # 12 failures < LOGIN_ACCOUNT_FAILURE_LIMIT (20): alice signs in from her own address.
    assert owner.post(reverse("login"), RIGHT).status_code == 302


def test_the_account_locks_after_failures_from_many_addresses(alice):
    for i in range(20):  # 4 addresses × 5 failures: each pair locks, and the account reaches 20
        _client(f"198.51.100.{10 + i // 5}").post(reverse("login"), WRONG)
    assert _client("198.51.100.99").post(reverse("login"), RIGHT).status_code == 429


def test_one_address_trying_many_accounts_is_locked_but_others_are_not():
    factories.UserFactory(username="bob")
    sprayer = _client("192.0.2.1")
    for i in range(30):
        sprayer.post(reverse("login"), {"username": f"user{i}", "password": "wrong"})
    assert sprayer.post(reverse("login"), {"username": "bob", "password": "pw-12345678"}).status_code == 429
    assert (
        _client("192.0.2.2").post(reverse("login"), {"username": "bob", "password": "pw-12345678"}).status_code == 302
    )


def test_limit_is_per_username(client, alice):
    factories.UserFactory(username="bob")
    for _ in range(5):
        client.post(reverse("login"), WRONG)
    response = client.post(reverse("login"), {"username": "bob", "password": "pw-12345678"})
    assert response.status_code == 302


def test_success_resets_the_count(client, alice):
    for _ in range(4):
        client.post(reverse("login"), WRONG)
    assert client.post(reverse("login"), RIGHT).status_code == 302
    client.logout()
    for _ in range(4):
        client.post(reverse("login"), WRONG)
    assert client.post(reverse("login"), RIGHT).status_code == 302


@override_settings(AXES_IPWARE_PROXY_COUNT=1, AXES_IPWARE_META_PRECEDENCE_ORDER=("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"))
def test_behind_a_trusted_proxy_the_forwarded_address_counts_and_cannot_be_chosen(alice):
    # Every request comes from the proxy (10.0.0.1); the proxy appends the real client to X-Forwarded-For.
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    for n in range(5):
        # The attacker sends its own X-Forwarded-For each time; the proxy appends the real address.
        proxy.post(reverse("login"), WRONG, HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 203.0.113.50")
    locked = proxy.post(reverse("login"), RIGHT, HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.50")
    assert locked.status_code == 429
    # Another client behind the same proxy is not locked out.
    assert proxy.post(reverse("login"), RIGHT, HTTP_X_FORWARDED_FOR="203.0.113.51").status_code == 302
