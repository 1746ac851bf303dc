"""Time scope from the document around a clause (issue 10): the received date of a text without a
year, a list head inside a paragraph, a list head whose year is in the line before it, a list head naming
an event's day and the list's year, a programme document's period (a numbered notice's too; a title after page
chrome too), the page date of a corpus document's source, and a letter's own date that scopes nothing.
Constructions, not corpus text; deadlines of proposed candidates (structure and rules: no ranker decision involved)."""

from __future__ import annotations

import datetime as dt

import pytest

from responses.extraction import extract_text
from responses.extraction.candidates import propose
from responses.extraction.metadata import infer_reference_date
from responses.extraction.ranker import is_letter, prepare, received_date
from responses.extraction.structure import read_structure

from .conftest import candidate_deadlines

_deadlines = candidate_deadlines


def test_a_text_without_a_year_takes_the_day_it_was_received():
    text = "记者从市发改委获悉，今年1—9月全市重点项目完成投资724亿元。\n某大桥项目预计明年3月通车。\n"
    assert infer_reference_date(text, dt.date(2024, 10, 26)) == dt.date(2024, 10, 26)
    r = extract_text(text, received=dt.date(2024, 10, 26))
    assert r.reference_date == dt.date(2024, 10, 26)
    got = {c.text: c.deadline for c in r.commitments + r.candidates}
    assert got["某大桥项目预计明年3月通车"] == dt.date(2025, 3, 31)
    # a year in the text wins over the received date
    assert infer_reference_date("2023年全市新建学校5所。", dt.date(2026, 1, 5)).year == 2023


def test_a_list_head_inside_a_paragraph_dates_the_items_after_it():
    text = "2025年全县主要预期目标是：地区生产总值增长5%左右；一般公共预算收入增长3%；城镇新增就业5000人。\n"
    got = _deadlines(text, reference_date=dt.date(2025, 1, 10))
    assert got["一般公共预算收入增长3%"] == dt.date(2025, 12, 31)
    assert got["城镇新增就业5000人"] == dt.date(2025, 12, 31)


def test_a_list_head_takes_its_year_from_the_line_before_it_for_its_own_items_only():
    text = (
        "县人代会票决产生8个项目，确定为2025年民生实事项目。\n"
        "这八件民生实事项目是：\n"
        "完成城镇老旧小区改造项目；\n"
        "启动引水渠更新改造项目。\n"
        "感谢各位代表的关心和支持，我们将认真听取意见。\n"
    )
    got = _deadlines(text, reference_date=dt.date(2025, 2, 21))
    assert got["完成城镇老旧小区改造项目"] == dt.date(2025, 12, 31)
    assert got["启动引水渠更新改造项目"] == dt.date(2025, 12, 31)


def test_a_plan_range_in_a_title_before_a_list_head_does_not_date_the_list():
    text = (
        "我委出台《企业上市倍增工作方案（2022-2025年）》，支持园区企业融资。\n"
        "下一步，我们将重点做好以下工作：\n"
        "（一）优化片区发展布局，探索联动发展的新模式。\n"
    )
    got = _deadlines(text, reference_date=dt.date(2022, 10, 13))
    assert got["优化片区发展布局，探索联动发展的新模式"] is None


def test_a_programme_documents_tasks_are_dated_by_the_period_its_lead_names():
    text = (
        "1月16日，全省水利工作会议召开，部署2025年重点工作。\n"
        "会议指出，全省水利部门将全面推动幸福河湖建设。\n"
        "加快重点水利项目建设，完成年度调水任务。\n"
    )
    got = _deadlines(text, reference_date=dt.date(2025, 1, 16))
    assert got["全省水利部门将全面推动幸福河湖建设"] == dt.date(2025, 12, 31)
    # not in a reply letter: its opening often names a year that is not the period of its answers
    p = prepare(text, reference_date=dt.date(2025, 1, 16))
    s = read_structure(p.work, p.sections, p.ref)
    as_letter = propose(p.work, s, p.ref, is_reply=True)
    assert all(c.deadline is None for c in as_letter if "幸福河湖" in p.work[c.start : c.end])


def test_a_numbered_notice_issuing_a_programme_dates_its_items_by_its_title_year():
    # A document number alone does not make a letter (is_letter): the notice's period dates its list items.
    text = (
        "某区人民政府关于印发2026年为民办实事项目的通知\n某府发〔2026〕3号\n各镇（街道）、区政府各部门：\n"
        "现将项目印发给你们，请认真组织实施。\n一、新建幼儿园3所。\n二、改造老旧小区10个。\n"
    )
    got = _deadlines(text, reference_date=dt.date(2026, 3, 1))
    assert got["新建幼儿园3所"] == dt.date(2026, 12, 31)
    assert got["改造老旧小区10个"] == dt.date(2026, 12, 31)


def test_a_page_stamp_and_a_source_line_before_the_title_do_not_push_it_out_of_the_lead():
    # Session 9: the lead is the first two lines that carry text; a time stamp, an image line or "来源：" is chrome.
    text = (
        "2025 01/24 16:18:06\n![]()\n来源：某市委宣传部\n某市公布2025年度十大民生实事项目\n"
        "会议票决产生了十件民生实事。\n新增公办普通高中学位2000个，新建托育机构20家。\n"
    )
    got = _deadlines(text, reference_date=dt.date(2025, 1, 24))
    assert got["新增公办普通高中学位2000个"] == dt.date(2025, 12, 31)


def _item_scopes(text: str, ref: dt.date) -> list:
    p = prepare(text, reference_date=ref)
    s = read_structure(p.work, p.sections, p.ref)
    items = [u for u in s.units if p.work[u.start : u.end].lstrip().startswith(("一、", "二、"))]
    return [(u.scope.deadline if u.scope else None, u.scope_source) for u in items]


def test_a_list_head_with_a_passed_event_day_and_the_lists_year_is_scoped_by_the_year():
    lead = "区人大常委会召开第十次会议。\n会议听取并审议了有关报告。\n"
    head = "会议于2026年1月21日表决通过区本级2026年民生实事项目：\n"
    items = "一、新建幼儿园3所。\n二、改造老旧小区10个。\n"
    year = (dt.date(2026, 12, 31), "list_head")
    assert _item_scopes(lead + head + items, dt.date(2026, 3, 1)) == [year, year]
    # a day date followed by 前 is a deadline and stays the list's scope
    due = "区政府要求于2026年6月30日前完成2026年以下项目：\n"
    assert _item_scopes(lead + due + items, dt.date(2026, 3, 1)) == [(dt.date(2026, 6, 30), "list_head")] * 2


@pytest.mark.parametrize(
    "source, expected",
    [
        ("real page, http://fj.news.cn/20241026/b37aafbc/c.html (news)", dt.date(2024, 10, 26)),
        ("real page, http://x.gov.cn/202504/t20250428_1.html", dt.date(2025, 4, 28)),
        ("real page, http://m.example.cn/news/2023/0806/1.html (repost, page date 2023-08-06)", dt.date(2023, 8, 6)),
        ("real page, http://news.example.com/2026-03/05/content_1.htm", dt.date(2026, 3, 5)),
        ("real page, https://m.example.net/tianshui/201208/3928962.html", dt.date(2012, 8, 15)),
        ("written for the dev set (no date)", None),
    ],
)
def test_received_date_of_a_corpus_document(source, expected):
    assert received_date({"source": source}) == expected


# Session 10 (docs/extraction.md): heading scope in whole work reports. Constructions.
_WHOLE_REPORT = (
    "某县2026年政府工作报告\n"
    "一、2025年和“十四五”时期工作回顾\n"
    "过去一年，我们着力稳定就业，全年城镇新增就业3.2万人。\n"
    "加快建设城西污水处理厂，年内建成投用。\n"
    "二、“十四五”时期发展成就和“十五五”时期主要目标任务\n"
    "推动城乡融合发展，新建农村公路500公里。\n"
    "三、2026年重点工作\n"
    "新建幼儿园4所。\n"
)


def test_a_heading_naming_a_past_and_a_coming_period_is_scoped_by_the_coming_one():
    got = _deadlines(_WHOLE_REPORT, reference_date=dt.date(2026, 1, 20))
    assert got["新建农村公路500公里"] == dt.date(2030, 12, 31)
    assert got["新建幼儿园4所"] == dt.date(2026, 12, 31)


def test_a_review_heading_dates_its_current_year_words_in_its_own_year():
    text = "市水务局2026年工作报告\n一、2025年工作回顾\n推进管网改造，全年完成改造80公里。\n二、下步打算\n今年将完成管网改造60公里。\n"
    p = prepare(text, reference_date=dt.date(2026, 1, 15))
    by = {p.work[c.start : c.end]: c for c in p.candidates}
    review = next(c for t, c in by.items() if "全年完成改造80公里" in t)
    assert review.deadline is None
    assert "scope:past" in review.signals
    plan = next(c for t, c in by.items() if "今年将完成管网改造60公里" in t)
    assert plan.deadline is not None and plan.deadline.deadline == dt.date(2026, 12, 31)


@pytest.mark.parametrize(
    "head",
    ["发布日期:\n2024年09月02日\n", "来源:市交通局 发布时间:2024年09月02日 分享到:\n"],
)
def test_a_letters_own_date_line_scopes_nothing(head):
    # A day on the reference date (a date line, a page's publication line) is the document's own date, not a
    # period ahead: the clauses after it keep no deadline from it (session 11).
    text = head + "王代表:\n您提出的建议已收悉,现将办理情况答复如下:\n下一步,我局将对村组道路分批次进行修缮。\n"
    p = prepare(text, reference_date=dt.date(2024, 9, 2))
    [plan] = [c for c in p.candidates if "分批次进行修缮" in p.work[c.start : c.end]]
    assert plan.deadline is None
    assert not any(s.startswith(("scope:", "dated_by:")) for s in plan.signals)
    # another day still scopes the list under it
    later = text.replace("现将办理情况答复如下:", "2024年12月31日前完成以下工作:")
    p = prepare(later, reference_date=dt.date(2024, 9, 2))
    [plan] = [c for c in p.candidates if "分批次进行修缮" in p.work[c.start : c.end]]
    assert plan.deadline is not None and plan.deadline.deadline == dt.date(2024, 12, 31)


def test_a_closing_word_followed_by_a_long_paragraph_does_not_end_the_body():
    from responses.extraction.sections import find_body_end

    tail = "\n".join(["某某局", "2025年6月1日", "联系人：张三 电话：12345678"])
    letter = (
        "关于某事的答复\n" + "我局高度重视，认真研究了您的建议。" * 8 + "\n以上答复，如有不妥，请批评指正。\n" + tail
    )
    assert letter[find_body_end(letter) :].startswith("以上答复")  # a real closing: only short lines follow
    paragraph = "深入实施提振消费专项行动，扩大优质商品和服务供给，推进消费新业态新模式新场景试点建设。" * 2
    report = "二、2026年主要目标任务\n" + "今年经济社会发展的主要预期目标是：地区生产总值增长5%左右。" * 6
    report += "\n以上这些目标，考虑了推动高质量发展的需要和现实可能。\n" + paragraph + "\n"
    assert find_body_end(report) == len(report)  # "以上这些目标" is followed by the plan's next paragraph
    r = extract_text(report)
    assert any("提振消费" in c.text for c in r.commitments + r.candidates)


# Session 14 (s14date): three dating readings that change deadlines only, never a candidate's signals.


def _signals(text: str, **kw) -> dict[str, tuple[str, ...]]:
    p = prepare(text, **kw)
    return {p.work[c.start : c.end]: c.signals for c in p.candidates}


def test_a_year_opening_a_paragraph_dates_its_later_sentences_though_its_first_clause_goes_on():
    text = (
        "某市重点项目建设情况\n二、2025年工作安排\n综合考虑各方面因素。\n"
        "2026年将新开工重点项目16个，完成投资100亿元。儿童医院改扩建等民生项目即将开工建设。\n"
        "2024年全市完成投资90亿元。道路改造工程持续推进。\n"
    )
    got = _deadlines(text, reference_date=dt.date(2025, 1, 10))
    assert got["儿童医院改扩建等民生项目即将开工建设"] == dt.date(2026, 12, 31)  # not the heading's 2025
    assert got["道路改造工程持续推进"] is None  # a past year opening its paragraph leaves it undated
    sig = _signals(text, reference_date=dt.date(2025, 1, 10))["儿童医院改扩建等民生项目即将开工建设"]
    # the signals are the start's (the heading's scope): the ranker sees no change
    assert "dated_by:heading" in sig and "scope:heading" in sig
    assert not any(s in sig for s in ("dated_by:paragraph", "scope:paragraph"))


def test_a_paragraph_before_a_numbered_list_heads_it_without_a_colon():
    text = (
        "《政府工作报告》解读：十件实事\n发布时间：2017-03-17 来源：某市新闻网\n“十件实事”\n"
        "今年，我市将办好事关人民群众切身利益的“十件实事”\n"
        "1.实施118条市政道路建设。\n2.开工建设第六水厂，解决贫困村安全饮水问题。\n"
    )
    got = _deadlines(text, reference_date=dt.date(2017, 3, 17))
    assert got["实施118条市政道路建设"] == dt.date(2017, 12, 31)
    assert got["开工建设第六水厂"] == dt.date(2017, 12, 31)
    sig = _signals(text, reference_date=dt.date(2017, 3, 17))["实施118条市政道路建设"]
    assert not any(s.startswith(("dated_by:", "scope:")) for s in sig)


def test_a_list_of_years_runs_to_its_last_year():
    got = _deadlines(
        "关于某村道路硬化的答复\n该路段已列入计划，力争在2019年、2020年进行硬化。\n",
        reference_date=dt.date(2018, 7, 30),
    )
    assert got["力争在2019年、2020年进行硬化"] == dt.date(2020, 12, 31)
    got = _deadlines("将全区老旧小区改造项目在2020年、2021年分批次实施改造。\n", reference_date=dt.date(2021, 1, 1))
    assert got["分批次实施改造"] == dt.date(2021, 12, 31)  # the first year is over, the last is not


def test_a_report_without_a_period_in_its_lead_is_dated_by_the_year_its_text_writes():
    # session 15: the lead names a 工作报告 but no year; the text writes 2019 further down
    text = (
        "政府工作报告解读：民生账本\n视频：两会直播间\n我们来看看2019年，身边将有哪些变化？\n"
        "交通格局——\n加快建设某某通用机场。启动市民中心建设。新建公共停车场12个。\n去年已建成绿道30公里。\n"
    )
    got = _deadlines(text)
    assert got["启动市民中心建设"] == dt.date(2019, 12, 31)
    assert got["新建公共停车场12个"] == dt.date(2019, 12, 31)
    assert got["去年已建成绿道30公里"] is None  # past words: never dated by a period
    sig = _signals(text)["启动市民中心建设"]
    assert not any(s.startswith(("dated_by:", "scope:")) for s in sig)  # dating only: the ranker sees no change
    # a report whose text writes no year is not dated by the day it was received
    bare = text.replace("2019年", "今年")
    assert _deadlines(bare, received=dt.date(2019, 3, 1))["启动市民中心建设"] is None


def test_a_notice_issuing_a_plan_is_dated_by_its_period_though_it_has_addressees():
    text = (
        "某市人民政府关于印发《某市2023年国民经济和社会发展计划》的通知\n某政发〔2023〕8号\n"
        "各县区人民政府，市人民政府各工作部门：\n《某市2023年国民经济和社会发展计划》已经市十届人大二次会议审议通过，现印发给你们，请认真组织实施。\n"
        "某市人民政府\n2023年2月21日\n"
        "主要预期目标是：生产总值增长6%左右，粮食产量保持在100万吨以上。\n"
    )
    p = prepare(text)
    assert is_letter(
        p.metadata
    )  # its header reads as a letter's (人大): no genre and no document period in the signals
    got = _deadlines(text)
    assert got["主要预期目标是"] == dt.date(2023, 12, 31)
    # a reply letter with addressees and no 印发 stays undated by its title's year
    reply = text.replace("关于印发《某市2023年国民经济和社会发展计划》的通知", "关于2023年计划有关问题的复函").replace(
        "现印发给你们，请认真组织实施", "现函复如下"
    )
    assert _deadlines(reply)["主要预期目标是"] is None
