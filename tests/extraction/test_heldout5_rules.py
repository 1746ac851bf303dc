"""General rules added after the fifth held-out set (corpus/heldout5/) was first scored.

One table per stage. Every case is a construction that real reply letters and news reports use,
written for the test: no phrase, name or number of a held-out, dev or seed document.
"""

from __future__ import annotations

import datetime as dt

import pytest

from responses.extraction.dates import find_time_expressions
from responses.extraction.metadata import extract_metadata, infer_reference_date

from .conftest import commitments_of

MARCH = dt.date(2024, 3, 15)


def _commitments(text: str, ref: dt.date | None = MARCH) -> list[tuple[str, dt.date | None]]:
    return commitments_of(text, ref)


# --- commitments ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        # 确保/努力 at the end of a sentence that narrates how work is (being) done: the aim of it.
        ("该局在审查过程中，认真核对材料，努力把问题解决在基层。\n", []),
        ("施工人员正在加紧作业，确保工程质量。\n", []),
        ("我局对此十分重视，组织专班核查，确保数据准确。\n", []),
        # …but a 确保 or 努力 that opens its own sentence or follows an action stays a promise.
        ("确保年底前完成全部改造任务。\n", [("确保年底前完成全部改造任务", dt.date(2024, 12, 31))]),
        ("我局将加强巡查，努力减少安全隐患。\n", [("我局将加强巡查，努力减少安全隐患", None)]),
        # "X，确保Y": X is the action taken to ensure Y and belongs to the unit.
        (
            "市财政统筹安排专项资金2亿元，确保重点项目按期开工。\n",
            [("市财政统筹安排专项资金2亿元，确保重点项目按期开工", None)],
        ),
        ("项目前期经费已全部拨付，确保项目按期开工。\n", [("确保项目按期开工", None)]),
        # A date alone in its clause, followed by a clause that reports it done, is a report.
        ("到5月20日，全部建议已办结。\n", []),
        ("到5月20日，完成全部建议的办理。\n", [("到5月20日，完成全部建议的办理", dt.date(2024, 5, 20))]),
        # 将 + 立足/着眼/锚定/瞄准 (the opening verb of a forward statement).
        ("全市将立足资源优势，加快发展特色产业。\n", [("全市将立足资源优势，加快发展特色产业", None)]),
        # "展望“十四五”，…将…": the look-ahead period dates the sentence.
        (
            "展望“十四五”，全县将着力建设现代产业体系。\n",
            [("展望“十四五”，全县将着力建设现代产业体系", dt.date(2025, 12, 31))],
        ),
    ],
)
def test_commitment_rules(text, expected):
    assert _commitments(text) == expected


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("展望“十四五”，", [("展望“十四五”", dt.date(2025, 12, 31))]),
        ("展望十五五，", [("展望十五五", dt.date(2030, 12, 31))]),
        ("“十四五”以来，", []),  # since: not a deadline
        ("“十四五”规划", []),  # a plan's name: not a deadline
    ],
)
def test_look_ahead_plan_period(text, expected):
    got = [(t.text, t.deadline) for t in find_time_expressions(text, MARCH)]
    assert got == expected


# --- reference date ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        # A measured change up to a year reports that year as over: the text speaks after it.
        ("自2016年以来，全县稳步发展。森林覆盖率由2010年的50%提高到2020年的61.2%。\n", dt.date(2021, 1, 1)),
        # A plan's "由…提高到YYYY年的…" after a marker or an opening time is a target, not a report.
        ("2023年，全县稳步发展。力争森林覆盖率由2020年的50%提高到2025年的55%。\n", dt.date(2023, 1, 1)),
        ("2023年，全县稳步发展。到2025年，森林覆盖率由2020年的50%提高到2025年的55%。\n", dt.date(2023, 1, 1)),
    ],
)
def test_reference_after_measured_year(text, expected):
    assert infer_reference_date(text) == expected


# --- metadata ------------------------------------------------------------------------------------


def test_publisher_in_a_table_row():
    text = (
        "成文日期: | 2023-04-02 | 发布日期: | 2023-04-02 |\n"
        "发布机构: | 某某县交通运输局 |\n"
        "张三代表:\n"
        "您提出的关于改善道路的建议收悉，现答复如下:\n"
        "下一步，我局将尽快组织实施。\n"
        "此复\n"
        "2023年4月10日\n"
    )
    assert extract_metadata(text).agency == "某某县交通运输局"
