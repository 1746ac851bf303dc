"""Sign-in is rate-limited per username and IP; a success clears the count."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_login_works_and_lands_on_home(client):
    factories.UserFactory(username="alice")
    response = client.post(reverse("login"), {"username": "alice", "password": "pw-12345678"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_sixth_attempt_is_refused_even_with_the_right_password(client):
    factories.UserFactory(username="alice")
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC), tick=False):
        for _ in range(5):
            assert client.post(reverse("login"), {"username": "alice", "password": "wrong"}).status_code == 200
        response = client.post(reverse("login"), {"username": "alice", "password": "pw-12345678"})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_limit_is_per_username(client):
    factories.UserFactory(username="alice")
    factories.UserFactory(username="bob")
    for _ in range(5):
        client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "bob", "password": "pw-12345678"})
    assert response.status_code == 302


def test_success_resets_the_count(client):
    factories.UserFactory(username="alice")
    for _ in range(4):
        client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert client.post(reverse("login"), {"username": "alice", "password": "pw-12345678"}).status_code == 302
    client.logout()
    for _ in range(4):
        client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert client.post(reverse("login"), {"username": "alice", "password": "pw-12345678"}).status_code == 302
