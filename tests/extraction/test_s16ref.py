"""Session 16 (s16ref, behind ``LUOSHI_S16_REF=B`` for the lead's blind judgement): the reference date of a text
without a date line (ANNOTATION.md: "the latest year it speaks of as the present"). Constructions, not corpus text.
Five tests fail with the switch unset; two guard exceptions (a 2035 horizon in a title, a year reported in part) and
pass either way."""

from __future__ import annotations

import datetime as dt

import pytest

from responses.extraction.metadata import infer_reference_date
from responses.extraction.ranker import prepare

TODAY = dt.date(2030, 6, 1)


@pytest.fixture(autouse=True)
def _switch(monkeypatch):
    monkeypatch.setenv("LUOSHI_S16_REF", "B")


def test_a_page_stamp_written_with_nian_yue_ri_and_a_time_is_the_page_date():
    text = "某区发布发展规划\n2019年12月02日 20:16 | 来源：某网\n规划提出，到2025年，区域一体化取得实质性进展。\n"
    assert infer_reference_date(text, TODAY) == dt.date(2019, 12, 2)


def test_a_year_named_only_in_the_title_the_text_issues_is_the_present():
    text = "近日，某市印发《2021年为民办实事实施方案》。\n新建、改扩建学校10所。\n年底前建成小游园20个。\n"
    assert infer_reference_date(text, TODAY).year == 2021


def test_a_horizon_year_inside_a_title_is_not_the_present():
    text = "依据《某省第十四个五年规划和2035年远景目标纲要》，我们将加快建设。\n"
    assert infer_reference_date(text, TODAY) == TODAY


def test_a_year_reviewed_as_done_puts_the_present_in_the_next_year():
    text = "一、2025年工作回顾\n2025年，全市生产总值增长5%。\n二、今年工作安排\n今年将新建学校3所。\n"
    assert infer_reference_date(text, TODAY).year == 2026


def test_a_year_reported_as_done_beside_jinnian_is_the_year_before_the_present():
    text = "今年，全省将新建公路500公里。\n据了解，2024年，全省完成交通投资287亿元、同比增长5%。\n"
    assert infer_reference_date(text, TODAY).year == 2025


def test_the_deadline_of_jinnian_follows_the_reference_year():
    text = "今年，全省将新建公路500公里，年底前完成。\n据了解，2024年，全省完成交通投资287亿元、同比增长5%。\n"
    p = prepare(text, received=TODAY)
    got = {p.work[c.start : c.end]: c.deadline.deadline if c.deadline else None for c in p.candidates}
    [hit] = [v for k, v in got.items() if "新建公路" in k]
    assert hit == dt.date(2025, 12, 31)


def test_a_year_reported_in_part_stays_the_present():
    text = "今年上半年，全省民生实事进展顺利。\n根据2018年民生实事项目表，已新增就业43万人，同比增长3%。\n"
    assert infer_reference_date(text, TODAY).year == 2018
