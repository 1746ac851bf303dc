"""Session 16, s16date2 (RHW, kept): three dating readings, deadline only. R: a plan's range of years in
its title dates its tasks; H: a year opening the sentence after a short inline heading dates the paragraph's later
clauses; W: "目前" inside "项目前期" and "现有" do not stop the document period. Constructions, not corpus text; each
test fails on the code before it (the switch unset); that the signals stay the start's was checked over the corpus
(docs/extraction.md)."""

from __future__ import annotations

import datetime as dt

from responses.extraction.ranker import prepare

from .conftest import ByText


def _read(text: str, ref: dt.date) -> ByText:
    p = prepare(text, reference_date=ref)
    return ByText(
        {p.work[c.start : c.end]: (c.deadline.deadline if c.deadline else None, c.signals) for c in p.candidates}
    )


def test_r_a_plans_range_in_its_title_dates_its_tasks():
    text = (
        "某县农村人居环境整治三年行动计划（2025—2027年）\n为持续改善农村人居环境，制定本计划。\n一、重点任务\n"
        "推进农村厕所改造，完成改造3000户。\n建设村级污水处理设施50处。\n"
    )
    got = _read(text, dt.date(2025, 3, 1))
    assert got["推进农村厕所改造"][0] == dt.date(2027, 12, 31)
    assert got["建设村级污水处理设施"][0] == dt.date(2027, 12, 31)
    # a horizon longer than five years dates nothing
    long = _read(text.replace("三年行动计划（2025—2027年）", "发展规划（2021—2035年）"), dt.date(2025, 3, 1))
    assert long["建设村级污水处理设施"][0] is None


def test_h_a_year_after_an_inline_heading_dates_the_paragraph():
    text = (
        "某县生态环境保护工作方案\n为改善生态环境，制定本方案。\n"
        "（一）污水处理能力持续提升。到2027年，全县建成污水处理厂3座。新增配套管网50公里，实现乡镇全覆盖。\n"
    )
    got = _read(text, dt.date(2025, 3, 1))
    assert got["新增配套管网50公里"][0] == dt.date(2027, 12, 31)
    # a first sentence with a comma is not an inline heading
    plain = text.replace("（一）污水处理能力持续提升。", "（一）我县污水处理能力，近年持续提升。")
    assert _read(plain, dt.date(2025, 3, 1))["新增配套管网50公里"][0] is None


def test_w_past_words_read_as_words_do_not_stop_the_document_period():
    text = (
        "某县2026年重点项目建设工作方案\n为加快项目建设，制定本方案。\n一、重点任务\n"
        "加快推进项目前期工作，落实建设条件。\n改造现有污水管网20公里。\n目前已完成投资10亿元，继续推进主体施工。\n"
    )
    got = _read(text, dt.date(2026, 3, 1))
    assert got["加快推进项目前期工作"][0] == dt.date(2026, 12, 31)
    assert got["改造现有污水管网"][0] == dt.date(2026, 12, 31)
    assert got["目前已完成投资"][0] is None  # 目前 and 已: past words, never dated by a period
    sig = got["改造现有污水管网"][1]
    assert "past_words" in sig and not any(s.startswith("dated_by:") for s in sig)  # the signals are the start's
