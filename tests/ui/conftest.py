"""Fixtures of the tests/ui letters (`tests.ui.helpers.letter`): the replying agency of 测试市 and its city's
congress, which the letter's “市十五届人大三次会议” is matched to. They override the root conftest's plain
`agency` in this directory (session 15: test_reply_scope, test_reply_link_later and test_home_replies_to_link each
defined or imported them)."""

import pytest

from tests import factories
from tests.ui.helpers import AGENCY


@pytest.fixture
def agency(db):
    """测试市第一局, the agency the test letter is written by (jurisdiction 测试市)."""
    return factories.AgencyFactory(name=AGENCY, jurisdiction="测试市")


@pytest.fixture
def body(db):
    """测试市人大: the body the letter's “市十五届人大三次会议” belongs to (no supervisor, no session yet)."""
    return factories.BodyFactory(name="测试市人大", jurisdiction="测试市")
