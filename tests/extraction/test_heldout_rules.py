"""General rules added after the held-out set (corpus/heldout/) was first scored.

One table per stage. Every case is a construction that real reply letters and reports use, written
for the test: no phrase, name or number of a held-out, dev or seed document. The set's floor scores
are checked in test_scores.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from responses.extraction.cleaning import clean
from responses.extraction.metadata import extract_metadata, infer_reference_date
from responses.extraction.sections import classify
from responses.extraction.targets import find_targets

from .conftest import commitments_of

HELDOUT = Path(__file__).resolve().parent / "heldout"
MAY = dt.date(2024, 5, 20)


def _commitments(text: str, ref: dt.date = MAY) -> list[tuple[str, dt.date | None]]:
    return commitments_of(text, ref)


# --- commitments -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        # A year range that began before the letter's year reports a past period.
        ("2019-2023年安排专项资金共计300万元。\n", []),
        # "…申报了…，下一步实施动工": the year dates the report, not the next step.
        ("2024年向上申报了照料中心项目，目前正在招标，下一步实施动工。\n", [("下一步实施动工", None)]),
        # A progress note inside a plan that goes on does not end the unit.
        (
            "二期计划投入2亿元，已进场施工，预计2024年10月底前完工。\n",
            [("二期计划投入2亿元，已进场施工，预计2024年10月底前完工", dt.date(2024, 10, 31))],
        ),
        # "届时…将达到": the outcome of the plan before it, not a commitment of its own.
        ("工程预计2024年底完工，届时处理规模将达到5万吨/日。\n", [("工程预计2024年底完工", dt.date(2024, 12, 31))]),
        # "努力营造…氛围" closes an action description as its purpose.
        ("广泛开展交通安全宣传，努力营造文明出行氛围。\n", []),
        # A closing formula after a next-steps sentence.
        ("下一步，我们将加强路面巡查。再次对您的关心表示感谢。\n", [("我们将加强路面巡查", None)]),
        # 计划 + an action verb of the lexicon, dated by 今年.
        ("今年计划安装路灯20处。\n", [("今年计划安装路灯20处", dt.date(2024, 12, 31))]),
    ],
)
def test_commitment_rules(text, expected):
    got = _commitments(text)
    assert [(t, d) for t, d in got] == [(t, d) for t, d in expected] or (
        # the lead word "下一步，" may or may not be kept by the trimmer; compare the action
        len(got) == len(expected) and all(e[0] in g[0] and g[1] == e[1] for g, e in zip(got, expected, strict=True))
    )


def test_a_flattened_list_of_targets_under_a_forward_year_heading():
    text = (
        "一、2024年工作回顾\n\n地区生产总值增长5%\n\n新增就业3000人\n\n"
        "二、2025年经济社会发展总体要求\n\n地区生产总值增长6%左右\n\n城镇新增就业5000人以上\n\n"
        "粮食产量稳定在10万吨\n"
    )
    got = [t for t, _ in _commitments(text, dt.date(2025, 3, 1))]
    assert got == ["地区生产总值增长6%左右", "城镇新增就业5000人以上", "粮食产量稳定在10万吨"]


@pytest.mark.parametrize(
    "heading, kind",
    [
        ("多方沟通形成的共识和拟采取的落实措施情况", "response"),  # a report and a plan
        ("拟采取的办理落实措施情况", "next_steps"),
        ("下一步工作计划和措施", "next_steps"),
    ],
)
def test_mixed_report_and_plan_headings(heading, kind):
    assert classify(heading) == kind


# --- cleaning --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, kept_line",
    [
        ("首页>政务公开>建议提案办理\n某县水利局关于第5号建议的答复\n", "某县水利局关于第5号建议的答复"),
        ("来源：某县水务局 | 发布时间：2025/8/18 10:42\n张三代表:\n\n您好。\n", "张三代表:"),
        ("增收:制定实施增收计划,推出一批举措\n\n消费:安排资金支持以旧换新\n", "消费:安排资金支持以旧换新"),
        ("赤字率按4%左右安排,赤字规模增加2300亿元\n\n支出规模将达到30万亿元\n", "支出规模将达到30万亿元"),
    ],
)
def test_lines_that_start_a_new_paragraph(text, kept_line):
    assert kept_line in clean(text).split("\n")


# --- metadata --------------------------------------------------------------------------------


def _meta(text: str):
    return extract_metadata(text)


def test_a_date_inside_prose_is_not_the_signing_date():
    text = "张三代表:\n您提出的《关于河道治理的建议》收悉。\n2025年4月8日,我局会同代表商讨了治理事宜,并达成共识。\n"
    assert _meta(text).reply_date is None


def test_a_cited_doc_number_is_not_the_letters_own():
    text = "李四委员:\n您提出的“关于文物经费的提案”收悉。\n根据《关于做好办理工作的通知》(某政办发〔2021〕69号)要求,我局召开部署会。\n"
    assert _meta(text).doc_number is None


@pytest.mark.parametrize(
    "text, agency",
    [
        (
            "某市某区水利局关于区十九届人大六次会议第311号代表建议办理情况的答复函\n张三代表:\n正文。\n",
            "某市某区水利局",
        ),
        (
            "来源:某某县公安局发布时间:2025-11-04 15:22\n\n王五代表:\n\n您提出的“关于路灯安装的建议”,现答复如下:\n正文。\n",
            "某某县公安局",
        ),
        (
            "来源:交通局 打印\n\n王五代表:\n\n您提出的“关于路灯安装的建议”,现答复如下:\n正文。\n",
            None,
        ),  # not a full name
    ],
)
def test_agency_from_the_title_line_and_the_source_field(text, agency):
    assert _meta(text).agency == agency


def test_category_letter_before_the_colon_and_phones_without_dashes():
    assert _meta("类别A:\n关于第1号建议的答复\n张三代表：\n正文。\n").category == "A"
    tail = "张三代表:\n您提出的《关于修路的建议》收悉。\n正文。\n联系人:李四 电话:09092288759\n某县财政局\n2021年11月19日\n"
    assert _meta(tail).contact_phones == ("09092288759",)


def test_body_from_the_salutation_and_no_session_for_news():
    m = _meta("张三委员:\n您提出的《关于加强污水治理的建议》收悉。现将办理情况答复如下:\n正文。\n")
    assert (m.body, m.proposal_kind) == ("政协", "提案")
    news = "3月5日,总理向十四届全国人大四次会议作政府工作报告,要点如下:\n\n一、工作回顾\n\n增长5%\n"
    m = _meta(news)
    assert (m.session, m.body, m.proposal_kind) == (None, None, None)


def test_a_page_time_stamp_is_the_reference_date():
    assert infer_reference_date("新闻频道\n\n2026-03-05 10:16 某某客户端\n\n正文2025年。\n") == dt.date(2026, 3, 5)


@pytest.mark.parametrize("phrase, value, unit", [("安装红绿灯15处", 15, "处"), ("产量1.4万亿斤", 1.4e12, "斤")])
def test_more_units(phrase, value, unit):
    assert [(t.value, t.unit) for t in find_targets(phrase)] == [(value, unit)]
