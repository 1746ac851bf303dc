"""The orjson renderer writes exactly what DRF's JSONRenderer writes, and falls back to it where orjson cannot."""

import datetime as dt
import decimal
import json
import uuid
import zoneinfo

import pytest
from django.utils.translation import gettext_lazy
from rest_framework import renderers
from rest_framework.exceptions import ErrorDetail
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from commitments.choices import CommitmentStatus
from config.api import JSONRenderer

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")

CASES = [
    None,
    {"count": 3, "next": None, "results": []},
    {"text": "力争到2026年培育形成300亿元园区", "ok": True, "ratio": 0.25, "n": -7},
    {"at": dt.datetime(2025, 6, 30, 16, 30, tzinfo=dt.UTC)},
    {"at": dt.datetime(2025, 7, 1, 0, 30, 0, 123456, tzinfo=SHANGHAI), "naive": dt.datetime(2025, 1, 1, 8, 0)},
    {"on": dt.date(2025, 12, 31), "time": dt.time(9, 30), "span": dt.timedelta(days=2, seconds=5)},
    {"value": decimal.Decimal("30000000000.00"), "small": decimal.Decimal("0.1")},
    {"label": gettext_lazy("状态"), "status": CommitmentStatus.OPEN},
    {"id": uuid.UUID("12345678-1234-5678-1234-567812345678")},
    ReturnDict({"a": ReturnList([1, 2], serializer=None)}, serializer=None),
    {"error": {"code": "invalid", "fields": {"deadline": [ErrorDetail("日期格式错误", code="invalid")]}}},
    {"line": "a\u2028b\u2029c", "quote": 'say "hi" \\ </script>', "control": "\x00\x1f"},
    {1: "non-string key", "nested": [{"x": [None, True, False]}]},
    {"huge": 2**70},
    ["a", ("tuple", 1), {"set-free": 1.5e300}],
]


@pytest.mark.parametrize("data", CASES)
def test_same_bytes_as_drf(data):
    assert JSONRenderer().render(data) == renderers.JSONRenderer().render(data)


def test_floats_parse_to_the_same_values():
    # The one spelling difference: orjson writes 1e-7 where json writes 1e-07 (same number, valid JSON).
    data = {"f": [1e16, 0.1 + 0.2, 1e-7, 123456789.123, -0.0, 5e-324, 2.5]}
    assert json.loads(JSONRenderer().render(data)) == json.loads(renderers.JSONRenderer().render(data))


def test_indented_output_is_drf_s():
    data = {"a": [1, 2]}
    context = {"indent": 2}
    assert JSONRenderer().render(data, "application/json; indent=2", context) == renderers.JSONRenderer().render(
        data, "application/json; indent=2", context
    )


def test_an_unserialisable_value_is_still_an_error():
    with pytest.raises(TypeError):
        JSONRenderer().render({"x": object()})
