"""General rules added after the fourth held-out set (corpus/heldout4/) was first scored.

One table per stage. Every case is a construction that real reply letters and news reports use,
written for the test: no phrase, name or number of a held-out, dev or seed document.
"""

from __future__ import annotations

import datetime as dt

import pytest

from responses.extraction.cleaning import clean
from responses.extraction.metadata import extract_metadata, infer_reference_date

from .conftest import commitments_of

MARCH = dt.date(2024, 3, 15)


def _commitments(text: str, ref: dt.date | None = MARCH) -> list[tuple[str, dt.date | None]]:
    return commitments_of(text, ref)


# --- commitments ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        # 拟/计划 + 作为/列为/纳入/报请: a plan of the author.
        ("我局拟作为重点项目报请县政府审定。\n", [("我局拟作为重点项目报请县政府审定", None)]),
        ("该路段计划列为明年维修项目。\n", [("该路段计划列为明年维修项目", dt.date(2025, 12, 31))]),
        # An enumeration of differently dated items joined by 、 gives one unit per item.
        (
            "力争2025年底完成立项、2026年开工、2028年底建成通车。\n",
            [
                ("力争2025年底完成立项", dt.date(2025, 12, 31)),
                ("2026年开工", dt.date(2026, 12, 31)),
                ("2028年底建成通车", dt.date(2028, 12, 31)),
            ],
        ),
        # Items of an enumeration with the same deadline stay together.
        ("力争年底前完成设计、招标。\n", [("力争年底前完成设计、招标", dt.date(2024, 12, 31))]),
        # A future month or year right before a project milestone is a plan without a marker word.
        ("该项目可研已获批复，10月开工建设。\n", [("10月开工建设", dt.date(2024, 10, 31))]),
        ("该项目可研已获批复，5月开工的工程已完工。\n", []),
        ("该项目2月开工建设。\n", []),  # already due at the reference date
        # "X后，将…" after a clause that closes on 后 projects the outcome of a finished project.
        ("项目建成后，将提高城区防洪标准。\n", []),
        ("待上级下达计划后，将及时组织实施。\n", [("将及时组织实施", None)]),
        ("方案批准后，将于6月底前开工。\n", [("将于6月底前开工", dt.date(2024, 6, 30))]),
        # A clause split off after a promise and opening with 届时 is the projected outcome.
        ("新站预计2026年建成，届时每年客流将超过500万人次。\n", [("新站预计2026年建成", dt.date(2026, 12, 31))]),
        # A tally dated by its period ("一季度开工项目共30个") is not a promise.
        ("今年一季度开工项目共30个，总投资80亿元。\n", []),
        ("力争一季度开工项目共30个。\n", [("力争一季度开工项目共30个", dt.date(2024, 3, 31))]),
    ],
)
def test_commitment_rules(text, expected):
    assert _commitments(text) == expected


# --- reference date ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, date",
    [
        # "31.05.2016  23:37": a day.month.year time stamp in the header.
        ("某区召开督办会\n\n15.06.2019  10:20\n\n会议要求加快进度。\n", dt.date(2019, 6, 15)),
        # An ISO date ending a header line.
        ("某某网.新闻汇总 2021-04-08\n今年将开工建设10个项目。\n", dt.date(2021, 4, 8)),
        # Years promised in their clause are not the present: 2019 is.
        ("2019年共承办建议30件。争取2021年底核准、2022年开工、2025年底投产。\n", dt.date(2019, 1, 1)),
    ],
)
def test_reference_date_rules(text, date):
    assert infer_reference_date(clean(text)) == date


# --- metadata ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, field, value",
    [
        # A news item reporting on "《关于…的建议》" of a session, without salutation or signature,
        # is not a reply: no session, body, kind or title.
        (
            "5月20日，区人大常委会召开督办会。区人大代表王某在区十八届人大二次会议期间提出了《关于改造某路口的建议》。"
            "承办单位计划今年开工。\n",
            "session",
            None,
        ),
        (
            "5月20日，区人大常委会召开督办会。区人大代表王某在区十八届人大二次会议期间提出了《关于改造某路口的建议》。"
            "承办单位计划今年开工。\n",
            "proposal_title",
            None,
        ),
        # With a signing date line the title is the reply's own.
        (
            "你在区十八届人大二次会议期间提出的《关于改造某路口的建议》收悉，现答复如下：\n我局将于年内开工。\n"
            "某区交通运输局\n2024年6月1日\n",
            "proposal_title",
            "关于改造某路口的建议",
        ),
    ],
)
def test_metadata_rules(text, field, value):
    assert getattr(extract_metadata(clean(text)), field) == value
