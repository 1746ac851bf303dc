"""General rules added after the seventh held-out set (corpus/heldout7/) was first scored.

One table per stage. Every case is a construction that real reply letters and 问政 pages use,
written for the test: no phrase, name or number of a held-out, dev or seed document.
"""

from __future__ import annotations

import datetime as dt

import pytest

from responses.extraction.dates import find_time_expressions
from responses.extraction.metadata import extract_metadata

from .conftest import commitments_of

REF = dt.date(2024, 6, 10)


def _commitments(text: str, ref: dt.date | None = REF) -> list[tuple[str, dt.date | None]]:
    return commitments_of(text, ref)


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phrase, expected",
    [
        # "N年之内" like "N年以内" and "N个月内": the reference date plus N years.
        ("两年之内", dt.date(2026, 6, 10)),
        ("近三年之内", dt.date(2027, 6, 10)),
        ("三个月之内", dt.date(2024, 9, 10)),
        ("一年以内", dt.date(2025, 6, 10)),
    ],
)
def test_within_years(phrase, expected):
    found = [t.deadline for t in find_time_expressions(f"我单位将于{phrase}完成路面整治", REF)]
    assert found == [expected]


# --- commitments ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        # A clause that is only a time phrase heading a description is not a commitment…
        (
            "“十五五”期间,全市供水管网改造任务主要是2019年老旧城区管网更新。"
            "下步工作中我局将积极争取把该管网纳入项目库,争取早日实施。",
            [("下步工作中我局将积极争取把该管网纳入项目库,争取早日实施", None)],
        ),
        # …and a unit with its own vague time word is not dated by the paragraph's opening time.
        (
            "2024年，我局将完成泵站主体工程。同时将加快推进配套管网建设，力争尽快发挥效益。",
            [
                ("2024年，我局将完成泵站主体工程", dt.date(2024, 12, 31)),
                ("同时将加快推进配套管网建设，力争尽快发挥效益", None),
            ],
        ),
        # A paragraph-opening time still dates a unit without a time word of its own.
        (
            "2024年，我局将完成泵站主体工程。同时将加快推进配套管网建设。",
            [
                ("2024年，我局将完成泵站主体工程", dt.date(2024, 12, 31)),
                ("同时将加快推进配套管网建设", dt.date(2024, 12, 31)),
            ],
        ),
    ],
)
def test_time_only_clause_and_vague_units(text, expected):
    assert _commitments(text) == expected


# --- metadata ------------------------------------------------------------------------------------

_REPLY = "张某代表：\n您提出的“关于改造某路的建议”收悉，现答复如下：\n我局将尽快安排维修。\n"


@pytest.mark.parametrize(
    "tail, field, expected",
    [
        # A signing date line followed by a table cell divider still ends its line.
        ("某县交通运输局\n2019年4月8日 |\n", "reply_date", dt.date(2019, 4, 8)),
        # A signing date that lost its 日, right under the signature line.
        ("某县住房和城乡建设局\n2019年4月8\n", "reply_date", dt.date(2019, 4, 8)),
        # "人:X" alone on a line: a 联系人 label whose first characters were lost.
        ("联系单位:某县城市管理局\n联系电话:0371-1234567\n人:王某某\n", "contact_name", "王某某"),
    ],
)
def test_tail_fields(tail, field, expected):
    assert getattr(extract_metadata(_REPLY + tail), field) == expected


def test_dayless_date_needs_a_signature_line():
    # A prose line before the date is not a signature: the date is not taken.
    assert extract_metadata(_REPLY + "特此答复。\n2019年4月8\n").reply_date is None


def test_reply_unit_field_gives_the_agency():
    text = (
        "官方回复\n回复单位:某区政务服务管理办来源:问政某省 回复时间:2020-05-06 10:00\n"
        "网友:您好!\n该工程计划于年底前完工。\n"
    )
    assert extract_metadata(text).agency == "某区政务服务管理办"


def test_footer_phone_is_not_the_contact():
    text = _REPLY + "某县交通运输局\n2019年4月8日\n转载事宜请联系某日报 联系电话:0371-7654321\n"
    assert extract_metadata(text).contact_phones == ()


def test_kind_word_before_number():
    text = "关于对某市十一届人大二次会议代表 建议第17号的回复\n\n李某代表：\n您提出的建议收悉。\n"
    assert extract_metadata(text).proposal_number == "17"
