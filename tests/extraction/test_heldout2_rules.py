"""General rules added after the second held-out set (corpus/heldout2/) was first scored.

One table per stage. Every case is a construction that real reply letters and reports use, written
for the test: no phrase, name or number of a held-out, dev or seed document. The set's floor scores
are checked in test_scores.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from responses.extraction.cleaning import clean
from responses.extraction.metadata import extract_metadata

from .conftest import commitments_of

HELDOUT2 = Path(__file__).resolve().parent / "heldout2"
APRIL = dt.date(2024, 4, 10)
Y24 = dt.date(2024, 12, 31)


def _commitments(text: str, ref: dt.date = APRIL) -> list[tuple[str, dt.date | None]]:
    return commitments_of(text, ref)


# --- commitments -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        # 计划 inside a relative clause ("计划开工的…") or after a classifier ("36个计划新建项目")
        # qualifies a noun: the sentence reports, it does not promise.
        ("今年全县计划开工的52个项目已全部完成立项。\n", []),
        ("2024年36个计划新建项目，总投资80亿元。\n", []),
        # … while 计划 + verb stays a marker.
        ("我局计划新建停车场3处。\n", [("我局计划新建停车场3处", None)]),
        # In a plan section, a target list after "…目标为：" is split on ；, and the year of the
        # intro dates every item.
        (
            "二、2024年工作安排\n建议2024年全区发展的主要目标为：地区生产总值增长6%；"
            "城镇新增就业3000人以上；居民收入与经济增长同步。\n",
            [("地区生产总值增长6%", Y24), ("城镇新增就业3000人以上", Y24), ("居民收入与经济增长同步", Y24)],
        ),
        # A count intro ("重点做好两个“提升”。") and an "一要…" label head the items that follow.
        (
            "下一步，我局将持续优化服务。重点做好两个“提升”。一要提升审批效率。压缩办理时限，推行网上办理。\n",
            [("我局将持续优化服务", None), ("压缩办理时限，推行网上办理", None)],
        ),
        # A past day opening the sentence dates an event; the promise after it stays (undated).
        (
            "2024年3月5日，项目已通过初审，我局将跟踪评审进度，确保如期获批。\n",
            [("我局将跟踪评审进度，确保如期获批", None)],
        ),
        # Two time phrases in one piece are two promises, even when they end on the same day.
        (
            "下一步，我局将抢抓二季度施工时机，加快在建项目进度，力争上半年完成投资8亿元。\n",
            [
                ("我局将抢抓二季度施工时机，加快在建项目进度", dt.date(2024, 6, 30)),
                ("力争上半年完成投资8亿元", dt.date(2024, 6, 30)),
            ],
        ),
    ],
)
def test_commitment_rules(text, expected):
    got = _commitments(text)
    norm = [(t.removeprefix("下一步，"), d) for t, d in got]
    assert norm == expected


# --- cleaning --------------------------------------------------------------------------------


def test_bulleted_field_lines_are_not_joined():
    text = "- 发布日期:2024-03-01\n- 发布机构:某某县发展和改革局\n关于县人大某次会议第5号建议的答复\n"
    assert clean(text).splitlines()[:3] == [
        "- 发布日期:2024-03-01",
        "- 发布机构:某某县发展和改革局",
        "关于县人大某次会议第5号建议的答复",
    ]


# --- metadata --------------------------------------------------------------------------------


def _meta(text: str):
    return extract_metadata(clean(text))


@pytest.mark.parametrize(
    "text, field, value",
    [
        # The page's publisher field names the agency of an unsigned letter.
        (
            "发布机构: 区发改局(区粮食局) 主题分类: 综合政务\n关于区二届人大三次会议第8号建议的答复函\n张三代表：\n"
            "您提出的关于加快充电桩建设的建议收悉。现答复如下：\n下一步，我们将加快建设。\n",
            "agency",
            "区发改局(区粮食局)",
        ),
        # "承办单位：X" at the end of an unsigned letter.
        (
            "关于县十届人大二次会议第12号建议的答复\n李四代表：\n你提出的《关于修缮村道的建议》收悉。\n"
            "下一步，我们将积极争取资金。\n2024年5月6日\n承办单位:县交通局\n",
            "agency",
            "县交通局",
        ),
        # The signature after a salutation, in a letter without 文号 or session.
        (
            "王五委员：\n您提出的关于“关于完善社区养老服务”的提案收悉。现答复如下：\n"
            + "目前全县已建成社区养老服务站点若干处，服务覆盖面逐步扩大。" * 30
            + "\n感谢您的关心。\n某某县民政局\n2024年6月1日\n",
            "agency",
            "某某县民政局",
        ),
        # A number without 第 after the session.
        ("关于对市五届人大二次会议城关镇7号建议答复的函\n赵代表：\n您的建议收悉。\n", "proposal_number", "7"),
        # A page counter line is not the salutation; a one-character surname is a proposer.
        ("关于对市五届人大二次会议第7号建议答复的函\n浏览次数:\n\n赵代表：\n您的建议收悉。\n", "proposers", ("赵",)),
        # The category letter alone at the end of the 文号 line.
        ("某发改函〔2024〕9号  C\n关于县政协二届三次会议第4号提案的答复\n钱六委员：\n", "category", "C"),
    ],
)
def test_metadata_rules(text, field, value):
    assert getattr(_meta(text), field) == value
