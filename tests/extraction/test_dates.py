"""Table-driven tests of the deadline normaliser (rules of ANNOTATION.md)."""

from __future__ import annotations

import datetime as dt

import pytest

from responses.extraction.dates import (
    add_months,
    find_time_expressions,
    normalize_deadline,
    parse_full_date,
)

D = dt.date
REF = D(2023, 5, 30)
DEC = D(2023, 12, 15)
LEAP = D(2024, 1, 31)

# (phrase, reference date, expected deadline, precision, recurring, expected deadline_text)
CASES = [
    # years
    ("争取在 2025 年内取得实效", REF, D(2025, 12, 31), "year", None, "2025 年内"),
    ("力争到 2026 年培育形成", REF, D(2026, 12, 31), "year", None, "到 2026 年"),
    ("力争到2026年", REF, D(2026, 12, 31), "year", None, "到2026年"),
    ("至2025年常住人口达1000万", REF, D(2025, 12, 31), "year", None, "至2025年"),
    ("力争2023年实现农业综合产值", REF, D(2023, 12, 31), "year", None, "2023年"),
    ("2026年底前完成", REF, D(2026, 12, 31), "year", None, "2026年底前"),
    ("2026年底", REF, D(2026, 12, 31), "year", None, "2026年底"),
    ("2024年末", REF, D(2024, 12, 31), "year", None, "2024年末"),
    ("2025年前建成", REF, D(2025, 12, 31), "year", None, "2025年前"),
    ("截至2025年", REF, D(2025, 12, 31), "year", None, "截至2025年"),
    ("年内新建投产纳规", REF, D(2023, 12, 31), "year", None, "年内"),
    ("今年计划新开工", REF, D(2023, 12, 31), "year", None, "今年"),
    ("本年可形成产值", REF, D(2023, 12, 31), "year", None, "本年"),
    ("本年度完成", REF, D(2023, 12, 31), "year", None, "本年度"),
    ("年底前完成", REF, D(2023, 12, 31), "year", None, "年底前"),
    ("年末", REF, D(2023, 12, 31), "year", None, "年末"),
    ("今年底", REF, D(2023, 12, 31), "year", None, "今年底"),
    ("明年", REF, D(2024, 12, 31), "year", None, "明年"),
    ("明年底前", REF, D(2024, 12, 31), "year", None, "明年底前"),
    ("后年", REF, D(2025, 12, 31), "year", None, "后年"),
    ("二〇二五年", REF, D(2025, 12, 31), "year", None, "二〇二五年"),
    ("二〇二五年底", REF, D(2025, 12, 31), "year", None, "二〇二五年底"),
    ("２０２５年", REF, D(2025, 12, 31), "year", None, "２０２５年"),
    ("２０２５ 年内", REF, D(2025, 12, 31), "year", None, "２０２５ 年内"),
    ("2025\u3000年内", REF, D(2025, 12, 31), "year", None, "2025\u3000年内"),
    # December reference date and year boundaries
    ("年内完成", DEC, D(2023, 12, 31), "year", None, "年内"),
    ("明年", DEC, D(2024, 12, 31), "year", None, "明年"),
    ("明年上半年", DEC, D(2024, 6, 30), "half", None, "明年上半年"),
    ("明年一季度", DEC, D(2024, 3, 31), "quarter", None, "明年一季度"),
    ("12月底", DEC, D(2023, 12, 31), "month", None, "12月底"),
    ("2024年1月", DEC, D(2024, 1, 31), "month", None, "2024年1月"),
    ("一季度", DEC, D(2023, 3, 31), "quarter", None, "一季度"),
    ("三个月内", DEC, D(2024, 3, 15), "day", None, "三个月内"),
    # halves
    ("下半年投产", REF, D(2023, 12, 31), "half", None, "下半年"),
    ("上半年", REF, D(2023, 6, 30), "half", None, "上半年"),
    ("今年下半年", REF, D(2023, 12, 31), "half", None, "今年下半年"),
    ("2024年上半年", REF, D(2024, 6, 30), "half", None, "2024年上半年"),
    ("2024 年 下半年", REF, D(2024, 12, 31), "half", None, "2024 年 下半年"),
    ("年中", REF, D(2023, 6, 30), "half", None, "年中"),
    # quarters
    ("一季度", REF, D(2023, 3, 31), "quarter", None, "一季度"),
    ("二季度", REF, D(2023, 6, 30), "quarter", None, "二季度"),
    ("第三季度", REF, D(2023, 9, 30), "quarter", None, "第三季度"),
    ("四季度末", REF, D(2023, 12, 31), "quarter", None, "四季度末"),
    ("2024年第一季度", REF, D(2024, 3, 31), "quarter", None, "2024年第一季度"),
    ("2024年3季度", REF, D(2024, 9, 30), "quarter", None, "2024年3季度"),
    ("第４季度", REF, D(2023, 12, 31), "quarter", None, "第４季度"),
    # months
    ("9月底", REF, D(2023, 9, 30), "month", None, "9月底"),
    ("9 月", REF, D(2023, 9, 30), "month", None, "9 月"),
    ("9月份前", REF, D(2023, 9, 30), "month", None, "9月份前"),
    ("11月底前", REF, D(2023, 11, 30), "month", None, "11月底前"),
    ("九月底", REF, D(2023, 9, 30), "month", None, "九月底"),
    ("十二月", REF, D(2023, 12, 31), "month", None, "十二月"),
    ("10月上旬", REF, D(2023, 10, 10), "month", None, "10月上旬"),
    ("10月中旬", REF, D(2023, 10, 20), "month", None, "10月中旬"),
    ("10月下旬", REF, D(2023, 10, 31), "month", None, "10月下旬"),
    ("11月下旬", REF, D(2023, 11, 30), "month", None, "11月下旬"),
    ("8月初", REF, D(2023, 8, 10), "month", None, "8月初"),
    ("2024年2月底", REF, D(2024, 2, 29), "month", None, "2024年2月底"),
    ("2023年2月底", REF, D(2023, 2, 28), "month", None, "2023年2月底"),
    ("2025 年 6 月", REF, D(2025, 6, 30), "month", None, "2025 年 6 月"),
    ("２０２４年６月底", REF, D(2024, 6, 30), "month", None, "２０２４年６月底"),
    ("2024年2月下旬", REF, D(2024, 2, 29), "month", None, "2024年2月下旬"),
    # full dates
    ("2023 年 9 月 30 日建成投产", REF, D(2023, 9, 30), "day", None, "2023 年 9 月 30 日"),
    ("2023年9月30日前", REF, D(2023, 9, 30), "day", None, "2023年9月30日前"),
    ("二〇二三年十二月三十一日", REF, D(2023, 12, 31), "day", None, "二〇二三年十二月三十一日"),
    ("２０２３年１０月１日", REF, D(2023, 10, 1), "day", None, "２０２３年１０月１日"),
    ("2024年2月29日", REF, D(2024, 2, 29), "day", None, "2024年2月29日"),
    ("6月30日前", REF, D(2023, 6, 30), "day", None, "6月30日前"),
    ("12月31日", REF, D(2023, 12, 31), "day", None, "12月31日"),
    # ranges and five-year plans
    ("《行动》（2023—2025年）", REF, D(2025, 12, 31), "year", None, "2023—2025年"),
    ("（2023-2025年）", REF, D(2025, 12, 31), "year", None, "2023-2025年"),
    ("（2023～2025年）", REF, D(2025, 12, 31), "year", None, "2023～2025年"),
    ("（2023 — 2025 年）", REF, D(2025, 12, 31), "year", None, "2023 — 2025 年"),
    ("“十四五”期间", REF, D(2025, 12, 31), "year", None, "“十四五”期间"),
    ("“十四五”末", REF, D(2025, 12, 31), "year", None, "“十四五”末"),
    ("十四五时期", REF, D(2025, 12, 31), "year", None, "十四五时期"),
    ("“十五五”期间", REF, D(2030, 12, 31), "year", None, "“十五五”期间"),
    ("“十三五”末", REF, D(2020, 12, 31), "year", None, "“十三五”末"),
    # relative spans
    ("三个月内", REF, D(2023, 8, 30), "day", None, "三个月内"),
    ("3个月内", REF, D(2023, 8, 30), "day", None, "3个月内"),
    ("三个月内", D(2023, 11, 30), D(2024, 2, 29), "day", None, "三个月内"),
    ("三个月内", D(2022, 11, 30), D(2023, 2, 28), "day", None, "三个月内"),
    ("一个月内", LEAP, D(2024, 2, 29), "day", None, "一个月内"),
    ("30天内", REF, D(2023, 6, 29), "day", None, "30天内"),
    ("15日内", REF, D(2023, 6, 14), "day", None, "15日内"),
    ("两年内", REF, D(2025, 5, 30), "day", None, "两年内"),
    ("5个工作日内", D(2023, 6, 2), D(2023, 6, 9), "day", None, "5个工作日内"),
    # recurring
    ("每季度召开工作推进协调会", REF, None, "none", "quarterly", "每季度"),
    ("每半年通报工作情况", REF, None, "none", "half-yearly", "每半年"),
    ("每月调度", REF, None, "none", "monthly", "每月"),
    ("每个月", REF, None, "none", "monthly", "每个月"),
    ("每年开展一次", REF, None, "none", "yearly", "每年"),
    ("坚持“一月一调度”", REF, None, "none", "monthly", "一月一调度"),
    ("一季一通报", REF, None, "none", "quarterly", "一季一通报"),
    # months relative to the letter: this month, next month
    ("本月底前完成方案报批", REF, D(2023, 5, 31), "month", None, "本月底前"),
    ("本月内完成", DEC, D(2023, 12, 31), "month", None, "本月内"),
    ("下月启动招标工作", REF, D(2023, 6, 30), "month", None, "下月"),
    ("下个月中旬召开", REF, D(2023, 6, 20), "month", None, "下个月中旬"),
    ("下月初开工", DEC, D(2024, 1, 10), "month", None, "下月初"),
    ("下月底前", LEAP, D(2024, 2, 29), "month", None, "下月底前"),
    # festivals: the day itself (春节 from a table), of the year given, else the next one
    ("2025年春节前完成全部施工内容", D(2024, 10, 8), D(2025, 1, 29), "day", None, "2025年春节前"),
    ("春节前完成站台改造", DEC, D(2024, 2, 10), "day", None, "春节前"),
    ("春节前完成", REF, D(2024, 2, 10), "day", None, "春节前"),
    ("明年元旦前投入使用", REF, D(2024, 1, 1), "day", None, "明年元旦前"),
    ("国庆节前建成通车", REF, D(2023, 10, 1), "day", None, "国庆节前"),
    # vague
    ("近期印发实施", REF, None, "none", None, "近期"),
    ("尽快出台", REF, None, "none", None, "尽快"),
    ("适时召开", REF, None, "none", None, "适时"),
    ("尽早完成", REF, None, "none", None, "尽早"),
    ("下一步将加强沟通", REF, None, "none", None, ""),
    ("持续推进招商引资工作", REF, None, "none", None, ""),
]


@pytest.mark.parametrize(
    ("phrase", "ref", "deadline", "precision", "recurring", "dtext"),
    CASES,
    ids=[f"{i}-{c[0]}" for i, c in enumerate(CASES)],
)
def test_normalize_deadline(phrase, ref, deadline, precision, recurring, dtext):
    got = normalize_deadline(phrase, ref)
    assert got.deadline == deadline
    assert got.precision == precision
    assert got.recurring == recurring
    assert got.text == dtext
    if dtext:
        assert dtext in phrase


def test_table_is_large_enough():
    assert len(CASES) >= 80


@pytest.mark.parametrize(
    "phrase",
    [
        "《昆明市国土空间总体规划（2021-2035年）》",  # a plan horizon, not a deadline
        "（2021—2035 年）",
        "每万人发明专利拥有量",
        "年产 25GW 单晶硅",
        "2月30日",  # no such day
        "13月底",
        "第十五届人大三次会议",
        "上下月持平",  # not "下月"
        "当月办结",  # relative to an event, not to the letter
        "中秋节前",  # moves with the moon, not tabulated
        "春节期间坚持值班",  # during, not before
    ],
)
def test_not_a_deadline(phrase):
    assert normalize_deadline(phrase, REF).deadline is None


def test_two_expressions_in_one_sentence():
    text = "力争2023年实现农业综合产值95亿元,到2025年新增国家级农业龙头企业2户"
    found = find_time_expressions(text, REF)
    assert [(t.text, t.deadline) for t in found] == [("2023年", D(2023, 12, 31)), ("到2025年", D(2025, 12, 31))]
    assert all(text[t.start : t.end] == t.text for t in found)


def test_parse_full_date_and_add_months():
    assert parse_full_date("2023年5月30日印发") == D(2023, 5, 30)
    assert parse_full_date("二〇二三年五月三十日") == D(2023, 5, 30)
    assert parse_full_date("2023年2月30日") is None
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2023, 12, 31), 2) == D(2024, 2, 29)
