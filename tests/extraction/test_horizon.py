"""Session 16 (s16hzn, kept): a 未来N年 / 今后N年 horizon dates, for the deadline only, its own
clause and the clauses it governs (ANNOTATION.md: the last day of the year N years after the reference date).
Constructions, not corpus text; deadlines of proposed candidates (no ranker decision). Every test here fails on the code
before it (the switch unset); that only deadlines moved was checked over the corpus (docs/extraction.md)."""

from __future__ import annotations

import datetime as dt

from .conftest import candidate_deadlines

_deadlines = candidate_deadlines


REF = dt.date(2025, 1, 20)


def test_a_heading_horizon_dates_the_units_under_it_up_to_a_heading_with_a_year():
    text = (
        "某市召开人代会，市长作政府工作报告。\n今后五年的主要目标\n地区生产总值突破1000亿元。\n城乡居民收入年均增长7%。\n"
        "2025年主要工作\n新建学校5所。\n"
    )
    got = _deadlines(text, reference_date=REF)
    assert got["地区生产总值突破1000亿元"] == dt.date(2030, 12, 31)
    assert got["城乡居民收入年均增长7%"] == dt.date(2030, 12, 31)
    assert got["新建学校5所"] == dt.date(2025, 12, 31)  # the later heading's year ends the horizon's reach


def test_an_inline_list_head_dates_its_pieces_until_a_later_head():
    text = (
        "某市人代会开幕\n市长在报告中说，今后五年政府工作的主要目标是：地区生产总值年均增长6%；"
        "城乡居民收入年均增长7%；建成区域中心城市。今年主要预期目标是：新增就业3万人；粮食产量稳定在100万吨。\n"
    )
    got = _deadlines(text, reference_date=REF)
    assert got["城乡居民收入年均增长7%"] == dt.date(2030, 12, 31)
    assert got["建成区域中心城市"] == dt.date(2030, 12, 31)
    assert got["粮食产量稳定"] == dt.date(2025, 12, 31)  # a later inline head: the year's list


def test_a_paragraph_opening_with_a_horizon_and_a_year_joined_to_it():
    text = "某县民生实事\n2026年及未来五年，我县将办好以下实事：\n1.新建养老服务中心3个。\n2.改造农村公路200公里。\n"
    got = _deadlines(text, reference_date=dt.date(2026, 1, 5))
    # "2026年及未来五年": 2026 is the first of the five years (not 2026 + 5)
    assert got["新建养老服务中心3个"] == dt.date(2030, 12, 31)
    assert got["改造农村公路200公里"] == dt.date(2030, 12, 31)
    text2 = "某县工作报告\n未来五年，我们将坚持工业强县。加快建设产业园区。推进城乡融合发展。\n"
    got2 = _deadlines(text2, reference_date=REF)
    assert got2["加快建设产业园区"] == dt.date(2030, 12, 31)
    assert got2["推进城乡融合发展"] == dt.date(2030, 12, 31)


def test_a_text_whose_only_years_are_promised_ends_the_horizon_on_that_year():
    # no date, no year named as the present: the reference year is read from "到2028年"; it closes the horizon
    text = (
        "某县政府工作报告（摘要）\n未来五年的主要目标是：\n全县地区生产总值达300亿元以上；\n城镇居民人均可支配收入年均增长8%以上。\n"
        "到2028年，力争新培育龙头企业20户。\n"
    )
    got = _deadlines(text)
    assert got["城镇居民人均可支配收入年均增长8%以上"] == dt.date(2028, 12, 31)
