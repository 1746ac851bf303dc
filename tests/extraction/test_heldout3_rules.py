"""General rules added after the third held-out set (corpus/heldout3/) was first scored.

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

HELDOUT3 = Path(__file__).resolve().parent / "heldout3"
APRIL = dt.date(2024, 4, 10)
Y24 = dt.date(2024, 12, 31)


def _commitments(text: str, ref: dt.date = APRIL) -> list[tuple[str, dt.date | None]]:
    return commitments_of(text, ref)


# --- commitments and dates -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        # 争取到 + a noun reports what was obtained; 争取到 + a time still promises.
        ("2023年，我局争取到省级资金500万元用于道路维修。\n", []),
        ("我局争取到2025年完成全部改造。\n", [("我局争取到2025年完成全部改造", dt.date(2025, 12, 31))]),
        # 季度计划 / 月度计划 is a noun ("the quarterly plan"), not 计划 + verb.
        ("围绕季度计划开工项目，我局已落实用地。\n", []),
        # "2024年前期工作经费" is not "before 2024".
        ("在2024年前期工作经费中安排20万元。\n", []),
        # 将 right after a clause that is only a past date narrates the dated event.
        ("2024年3月2日，某县将修编初稿报送市级部门，但未获通过。\n", []),
        # A schedule and the goal it serves (确保…) are two units.
        (
            "我县坚持每月调度，协调解决用地问题，确保项目按期开工。\n",
            [("我县坚持每月调度，协调解决用地问题", None), ("确保项目按期开工", None)],
        ),
        # "…，正是…": the actions before the copula are its subject, a description.
        ("全县努力打造三个百亿级产业，正是转型发展的生动写照。\n", []),
        # A headline that ends in a closing quote is not prose.
        ("某市力争用两年时间建成“三个中心”\n\n2024-04-01 10:00 来源:某某网\n全市已经完成了改造。\n", []),
        # A goal intro with this year's targets outside a plan section dates the targets after the colon.
        (
            "会议指出，2024年全县主要预期目标建议为：生产总值增长6%左右，城镇新增就业2000人。\n",
            [("生产总值增长6%左右，城镇新增就业2000人", Y24)],
        ),
        # "要重点做好以下…工作：" before numbered sections: the sections are the announced work
        # (the short first sentence is a run-in label, the numbered line a heading).
        (
            "会议强调，要重点做好以下三个方面的工作：\n一、扩大有效投资,稳住经济大盘\n加快交通项目建设。推进城区道路改造，完善停车设施。\n",
            [("推进城区道路改造，完善停车设施", None)],
        ),
        # … while "答复如下：" announces nothing of the kind.
        ("现将办理情况答复如下：\n一、关于道路问题\n我局推进了城区道路改造，完善了停车设施。\n", []),
        # Speech quoted after "…负责人表示：" is the quoted body's own promise (a proposal quoted
        # without a speech verb stays excluded).
        (
            "某县交通运输局负责人表示：“下一步，我们将加快农村公路建设，补齐交通短板。”\n",
            [("我们将加快农村公路建设，补齐交通短板", None)],
        ),
        ("您提出的“建议县交通局将加快农村公路建设，补齐交通短板”收悉。\n", []),
        # 将 + 交由 is a future hand-over.
        ("会后，各项建议将交由有关部门办理。\n", [("各项建议将交由有关部门办理", None)]),
    ],
)
def test_commitment_rules(text, expected):
    assert _commitments(text) == expected


# --- cleaning --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, lines",
    [
        # Page-field rows with | and the category / disclosure lines under a title stay apart.
        (
            "文 号: | 主题分类: | 建议、提案办理 |\n关于某届人大某次会议第3号建议的答复\nB类\n公开\n",
            ["文 号: | 主题分类: | 建议、提案办理 |", "关于某届人大某次会议第3号建议的答复", "B类", "公开"],
        ),
        # The attachment line is not continued by the signature.
        (
            "附件:代表建议、批评和意见办理情况反馈表\n某某县交通运输局\n",
            ["附件:代表建议、批评和意见办理情况反馈表", "某某县交通运输局"],
        ),
    ],
)
def test_cleaning_rules(text, lines):
    assert clean(text).splitlines() == lines


# --- metadata --------------------------------------------------------------------------------


def _meta(text: str):
    return extract_metadata(clean(text))


_SIGNED = "\n下步，我局将继续跟踪推进。\n某某县交通运输局\n2024年5月6日\n"


@pytest.mark.parametrize(
    "text, field, value",
    [
        (
            "关于某县第九届人大第二次会议第12号建议的答复\nB类\n公开\n张三代表:\n您的建议收悉。" + _SIGNED,
            "category",
            "B",
        ),
        (
            "关于某县第九届人大第二次会议第12号建议的答复\nB类\n公开\n张三代表:\n您的建议收悉。" + _SIGNED,
            "agency",
            "某某县交通运输局",
        ),
        (
            "对政协某某州十三届二次会议第47号提案的答复\n李四委员：\n您的提案收悉。\n",
            "session",
            "政协某某州十三届二次会议",
        ),
        ("对某省第十二届人大第五次会议第 AB1234567号建议的答复\n王五代表：\n", "proposal_number", "1234567"),
        (
            "对政协某省十二届二次会议第88号提案的答复\n赵六委员：\n你们提出的《关于保护湿地的提案》，省政协交由某某州人民政府主办，"
            "省林草局会办，现答复如下：\n",
            "lead_agency",
            "某某州人民政府",
        ),
        # "各位代表：" addresses an assembly: a report, not a reply to a proposal.
        (
            "某市第十届人民代表大会第五次会议代表建议办理情况报告\n各位代表：\n现将办理工作情况报告如下：\n",
            "proposers",
            (),
        ),
        (
            "某市第十届人民代表大会第五次会议代表建议办理情况报告\n各位代表：\n现将办理工作情况报告如下：\n",
            "session",
            None,
        ),
    ],
)
def test_metadata_rules(text, field, value):
    assert getattr(_meta(text), field) == value
