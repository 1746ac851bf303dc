import pytest


@pytest.fixture(autouse=True)
def _no_throttle_state():
    from django.core.cache import cache

    cache.clear()
