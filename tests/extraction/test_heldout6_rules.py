"""General rules added after the sixth held-out set (corpus/heldout6/) was first scored.

One table per stage. Every case is a construction that real reply letters and news reports use,
written for the test: no phrase, name or number of a held-out, dev or seed document.
"""

from __future__ import annotations

import datetime as dt

import pytest

from responses.extraction.dates import find_time_expressions
from responses.extraction.metadata import extract_metadata

from .conftest import commitments_of

MARCH = dt.date(2024, 3, 15)


def _commitments(text: str, ref: dt.date | None = MARCH) -> list[tuple[str, dt.date | None]]:
    return commitments_of(text, ref)


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        # 全年 qualifying a plan or goal names whose plan it is, not a deadline.
        ("提前编排好全年重点工程计划", []),
        ("紧扣全年发展目标推进工作", []),
        ("为完成全年预期目标打下基础", []),
        # …but 全年 heading the year's targets, or dating an amount of work, stays a deadline.
        ("全年主要预期目标是：", ["全年"]),
        ("确保全年新增就业3000人", ["全年"]),
    ],
)
def test_full_year_rule(text, expected):
    found = [t.text for t in find_time_expressions(text, MARCH) if t.deadline is not None]
    assert found == expected


# --- commitments ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        # A sentence that opens with a past day date narrates that day's event; a quarter or year
        # inside it is not a schedule.
        ("3月8日，区住建局在各街道举行二季度民生工程集中开工仪式，推动项目建设。\n", []),
        # …a future date in a sentence without that opening still schedules the work.
        ("二季度民生工程集中开工，推动项目建设。\n", [("二季度民生工程集中开工，推动项目建设", dt.date(2024, 6, 30))]),
        # A bare heading "…主要目标" (no colon) heads the paragraph of targets below it.
        (
            "“十五五”时期主要目标\n\n全县生产总值年均增长6%左右，城镇新增就业2万人。\n",
            [("全县生产总值年均增长6%左右，城镇新增就业2万人", None)],
        ),
        # A review heading ("…工作回顾") opens past work: its 预计 figures estimate the year gone.
        (
            "2023年工作回顾\n\n预计全年新开工亿元以上项目30个。\n\n2024年主要目标\n\n生产总值增长6%。\n",
            [("生产总值增长6%", None)],
        ),
    ],
)
def test_commitment_rules(text, expected):
    assert _commitments(text) == expected


# --- metadata ------------------------------------------------------------------------------------

LETTER = "张三代表：\n\n您提出的《关于修建道路的建议》收悉，现答复如下：\n\n我局将加快建设。\n\n{tail}\n"


@pytest.mark.parametrize(
    "tail, field, expected",
    [
        # A mobile number written in groups.
        ("承办人及联系电话：王五  138-1234-5678", "contact_phones", ("138-1234-5678",)),
        # "联系电话 0371-1234567" with no colon, no 联系人 line.
        ("主管领导 李四    联系电话 0371-1234567", "contact_phones", ("0371-1234567",)),
        # a footer's bare "电话：" with no 联系人 line is the site's, not the letter's.
        ("地址：某市某路1号 电话：0371-7654321", "contact_phones", ()),
        # the number of copies ends a 抄送 item and is not part of it.
        ("抄送：市政协提案委员会（2份）、市政府督查室（2份）", "cc", ("市政协提案委员会", "市政府督查室")),
        ("抄送：市人大选工委(2份)市政府督查局(2份)", "cc", ("市人大选工委", "市政府督查局")),
        # "联系单位及电话：X 1234567" names the replying unit.
        ("联系单位及电话：某市城市管理局 1234567 联系人：赵六", "agency", "某市城市管理局"),
    ],
)
def test_metadata_rules(tail, field, expected):
    meta = extract_metadata(LETTER.format(tail=tail))
    assert getattr(meta, field) == expected
