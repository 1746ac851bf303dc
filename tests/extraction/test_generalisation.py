"""Constructions real letters use, one table per stage (dates, structure and candidates, metadata).

Every case is a construction that real reply letters use; none is a phrase from a seed or dev
document. Whether a proposed clause is a commitment is the ranker's decision: where a case depends on
its score rather than on structure, the test asks for the clause among commitments and candidates
(``_proposed``). The floors and leave-one-set-out scores are checked in test_scores.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from responses.extraction import extract_text
from responses.extraction.dates import find_time_expressions, roll_forward
from responses.extraction.metadata import extract_metadata, infer_reference_date
from responses.extraction.structure import read_structure

DEV = Path(__file__).resolve().parent / "dev"
DEC = dt.date(2024, 12, 10)
JUN = dt.date(2024, 6, 20)


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phrase, ref, expected",
    [
        ("全年主要预期目标是", JUN, [("全年", dt.date(2024, 12, 31))]),
        ("2023年全年完成", JUN, [("2023年", dt.date(2023, 12, 31))]),
        ("审批时限压缩至15个工作日以内", JUN, []),  # a service standard, not a deadline
        ("办结时限缩短到3个工作日内", JUN, []),
        ("三个月内形成方案", JUN, [("三个月内", dt.date(2024, 9, 20))]),
        ("当年见效", JUN, [("当年", dt.date(2024, 12, 31))]),
    ],
)
def test_time_expressions(phrase, ref, expected):
    assert [(t.text, t.deadline) for t in find_time_expressions(phrase, ref)] == expected


@pytest.mark.parametrize(
    "phrase, ref, rolled",
    [
        ("一季度", DEC, dt.date(2025, 3, 31)),  # a December letter means next year's
        ("3月底前", DEC, dt.date(2025, 3, 31)),
        ("2月底前", dt.date(2023, 11, 1), dt.date(2024, 2, 29)),  # month end kept in a leap year
        ("上半年", DEC, dt.date(2025, 6, 30)),
        ("6月底前", dt.date(2024, 7, 5), None),  # only days past: simply due, dropped
        ("2024年3月底前", DEC, None),  # a year is written: never rolled
        ("今年一季度", DEC, None),
    ],
)
def test_bare_periods_roll_forward(phrase, ref, rolled):
    t = find_time_expressions(phrase, ref)[0]
    r = roll_forward(t, ref)
    assert (r.deadline if r else None) == rolled


@pytest.mark.parametrize(
    "text, expected",
    [
        ("来源：日报　发布时间：2024-05-20 09:12\n\n今年1—4月，全县完成插秧。\n", dt.date(2024, 5, 20)),
        ("发表日期：2023/7/1\n正文。\n", dt.date(2023, 7, 1)),
        # a page stamp followed by its counters (views, comments), and a year then month/day and a time
        ("扬州今年将实施429项城建项目\n\n2018-02-27 645 0\n\n记者获悉，今年将实施…\n", dt.date(2018, 2, 27)),
        ("2025 01/24 16:18:06\n来源:市委宣传部\n\n公布2025年度十大民生实事项目\n", dt.date(2025, 1, 24)),
        # a stamp after an outlet's name on a short line, with or without words after it (session 15)
        ("某某数据馆 2018-03-20 10:33:06\n2月25日上午，市长作报告，今年全市将新建学校5所。\n", dt.date(2018, 3, 20)),
        ("某县新闻\n\n某某日报 2019-06-20 01:00 大字\n\n今年全县计划实施重点项目80项。\n", dt.date(2019, 6, 20)),
        # a date inside a sentence is no stamp: the text's own years decide
        ("会议于2019-03-05 召开，2020年将完成改造。\n", dt.date(2020, 1, 1)),
        (
            "据介绍，本次会议在 2019-03-05 09:30 召开，与会代表讨论了全年的工作安排，2020年将完成改造。\n",
            dt.date(2020, 1, 1),
        ),
    ],
)
def test_header_date_is_the_reference_of_an_undated_page(text, expected):
    assert infer_reference_date(text) == expected


# --- commitments -----------------------------------------------------------------------------


def _commitments(text: str, ref: dt.date) -> list[tuple[str, dt.date | None, str | None]]:
    return [(c.text, c.deadline, c.recurring) for c in extract_text(text, reference_date=ref).commitments]


def _proposed(text: str, ref: dt.date) -> list[tuple[str, dt.date | None, str | None]]:
    """Commitments and candidates, in document order."""
    r = extract_text(text, reference_date=ref)
    return [(c.text, c.deadline, c.recurring) for c in sorted(r.commitments + r.candidates, key=lambda c: c.start)]


def test_list_items_after_an_intro_are_in_scope_and_december_quarters_roll():
    text = (
        "针对您提出的建议，我局将重点做好以下工作：\n"
        "1.明年3月底前完成全区摸底，形成问题清单。\n"
        "2.会同区财政局在一季度启动补助发放，力争8月底前完成全部补助。\n"
        "3.推动街道在高峰时段安排人员值守，每月开展一次专项检查。\n"
        "感谢您的关心。\n"
    )
    got = [g for g in _proposed(text, DEC) if not g[0].startswith("针对")]
    assert got == [
        ("明年3月底前完成全区摸底，形成问题清单", dt.date(2025, 3, 31), None),
        ("会同区财政局在一季度启动补助发放", dt.date(2025, 3, 31), None),
        ("力争8月底前完成全部补助", dt.date(2025, 8, 31), None),
        ("推动街道在高峰时段安排人员值守", None, None),
        ("每月开展一次专项检查", None, "monthly"),
    ]


def test_list_scope_ends_at_the_first_paragraph_that_is_not_a_list_item():
    text = "我局将做好以下工作：\n1.加强日常巡查，及时处置问题。\n目前各项工作进展顺利，群众反映良好。\n"
    r = extract_text(text, reference_date=JUN)
    assert "加强日常巡查，及时处置问题" in [c.text for c in r.commitments + r.candidates]
    assert [u.kind for u in read_structure(r.text, list(r.sections), JUN).units] == [
        "paragraph",
        "list_item",
        "paragraph",
    ]


def test_table_rows_in_a_plan_section_are_dated_commitments():
    text = (
        "一、今后工作打算\n\n我局将继续推进改造工作。\n\n重点项目计划表\n\n"
        "序号\t项目名称\t完成时限\n1\t东区老旧小区改造\t2024年10月底\n2\t西区老旧小区改造\t2024年12月底\n\n"
        "感谢你们的支持。\n"
    )
    got = _commitments(text, JUN)
    assert ("东区老旧小区改造\t2024年10月底", dt.date(2024, 10, 31), None) in got
    assert ("西区老旧小区改造\t2024年12月底", dt.date(2024, 12, 31), None) in got
    assert not any("序号" in c[0] for c in got)


@pytest.mark.parametrize(
    "sentence, kept",
    [
        ("我市园区的主导产业是装备制造，辅助产业是物流。", False),  # a description
        ("2025年是规划的收官之年，任务艰巨。", False),
        ("总体要求是:坚持稳中求进，推动高质量发展。", False),
        ("全年主要目标是:地区生产总值增长6%，财政收入增长5%。", True),  # goals introduced by 目标是：
        ("我局将牵头推进，责任主体是各街道。", True),  # a marker keeps it
    ],
)
def test_descriptions_in_a_next_steps_section(sentence, kept):
    text = f"三、下一步工作\n\n{sentence}\n\n感谢您的支持。\n"
    if kept:
        assert _proposed(text, JUN)
    else:
        assert not _commitments(text, JUN)


@pytest.mark.xfail(
    strict=True,
    reason="session 17: the model trained on the re-cut corpus (s17recut) cuts this sentence at its comma; the seeds' "
    "gold keeps such a sentence whole (docs/extraction.md, session 17: the known regression)",
)
def test_a_short_run_in_label_heads_its_paragraph():
    text = "二、下一步工作\n\n推动产业发展壮大。积极培育生物医药产业集群，加快园区配套建设。\n\n感谢您的支持。\n"
    assert [c[0] for c in _commitments(text, JUN)] == ["积极培育生物医药产业集群，加快园区配套建设"]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("您村道路拓宽，我局今年已经准备进行实施。", "您村道路拓宽，我局今年已经准备进行实施"),  # 准备 + verb
        ("县财政安排500万元用于补贴，6月底前全部兑付到户。", "县财政安排500万元用于补贴，6月底前全部兑付到户"),
        ("我局将推行一窗受理，并联审批。", "我局将推行一窗受理，并联审批"),  # 将 + a verb of the lexicon
    ],
)
def test_markers_and_lead_in_clauses(sentence, expected):
    # Proposed whole (commitment or candidate): whether a context-free one-line text is a commitment
    # is the ranker's call (the retrained model of session 4 puts two of these just under its threshold).
    assert [c[0] for c in _proposed(sentence + "\n", dt.date(2024, 5, 20))] == [expected]


@pytest.mark.parametrize(
    "sentence",
    [
        "2023年，我局已将该路段纳入改造项目。",  # past disposal
        "市委决定将产业园区纳入竞赛活动。",  # 将 + noun object outside a plan
        "目前，正在进行管网铺设施工。",
        "会议要求，各乡镇要压实责任。",
    ],
)
def test_not_commitments(sentence):
    assert _commitments(sentence + "\n", dt.date(2024, 5, 20)) == []


def test_a_schedule_clause_of_its_own_splits_the_unit():
    got = _proposed("为此，该县将实行包片责任制，每月通报一次生产进度。\n", dt.date(2024, 5, 20))
    assert got == [("为此，该县将实行包片责任制", None, None), ("每月通报一次生产进度", None, "monthly")]


def test_a_semicolon_list_item_does_not_inherit_an_earlier_items_deadline():
    text = "二、下一步工作\n\n推动厂房上半年投用；力促项目年内投产；跟踪服务企业开展试验。\n\n感谢您的支持。\n"
    got = _proposed(text, dt.date(2025, 1, 1))
    assert got[-1] == ("跟踪服务企业开展试验", None, None)
    assert ("力促项目年内投产", dt.date(2025, 12, 31), None) in got


# --- metadata --------------------------------------------------------------------------------


def _meta(text: str):
    return extract_metadata(text)


@pytest.mark.parametrize(
    "header, session, body",
    [
        ("关于对政协某某县第十届委员会第二次会议第14号提案的复函\n", "政协某某县第十届委员会第二次会议", "政协"),
        (
            "关于对某某县第十七届人民代表大会第一次会议第48号建议的答复\n",
            "某某县第十七届人民代表大会第一次会议",
            "人大",
        ),
        ("对县十七届人大二次会议第183号建议的回复\n", "县十七届人大二次会议", "人大"),
    ],
)
def test_sessions(header, session, body):
    m = _meta(header + "\n张三代表：\n\n正文。\n")
    assert (m.session, m.body) == (session, body)


@pytest.mark.parametrize(
    "line, category",
    [("类 别:B", "B"), ("类别：C", "C"), ("办理结果:(C)", "C"), ("某交复函[2017]19号B类", "B"), ("（A类）", "A")],
)
def test_categories(line, category):
    assert _meta(f"{line}\n\n关于第1号建议的答复\n\n张三代表：\n\n正文。\n").category == category


@pytest.mark.parametrize(
    "opening, title",
    [
        ("您提出的《关于加快道路建设的建议》收悉。", "关于加快道路建设的建议"),
        ("你们提出了《村内水泥路硬化工程》的建议，现答复如下：", "村内水泥路硬化工程"),
        ("你提出的“关于对某段柏油路维修的建议”，已交我局研究办理。", "关于对某段柏油路维修的建议"),
        ("您提出的关于“关于老路改造”的建议收悉。", "关于老路改造"),
        ("现将您提出的关于加快乡村道路维修的提案办理情况答复如下：", "关于加快乡村道路维修的提案"),
    ],
)
def test_titles(opening, title):
    assert _meta(f"张三代表：\n\n{opening}\n\n正文。\n").proposal_title == title


def test_page_fields_are_not_salutations_and_labels_do_not_start_a_doc_number():
    text = "今天是:\n归档时间:\n建议字:〔2023〕8号\n\n对某市第九届人民代表大会第三次会议第31号建议的答复\n\n李四等3名代表:\n\n正文。\n"
    m = _meta(text)
    assert m.proposers == ("李四",)
    assert m.doc_number == "〔2023〕8号"


@pytest.mark.parametrize(
    "tail, name, phones, cc",
    [
        (
            "联 系 人:张 雷 联系电话:56196632\n抄 报:市督查局 市人大常委会代表工委\n",
            "张 雷",
            ("56196632",),
            ("市督查局", "市人大常委会代表工委"),
        ),
        ("承办人及联系电话:王五    13575075258\n", "王五", ("13575075258",), ()),
        ("联系人：基层卫生处 沈丽\n联系电话：0512-68661234\n", "沈丽", ("0512-68661234",), ()),
        (
            "联系人：王芳；联系电话：028-85551234\n抄送：区政协提案委，区政府督查室\n",
            "王芳",
            ("028-85551234",),
            ("区政协提案委", "区政府督查室"),
        ),
    ],
)
def test_contact_and_cc(tail, name, phones, cc):
    m = _meta("关于第1号建议的答复\n\n张三代表：\n\n正文。\n\n某某局\n2024年6月20日\n\n" + tail)
    assert (m.contact_name, m.contact_phones, m.cc) == (name, phones, cc)


def test_lead_agency_from_this_item_and_from_a_handling_unit_field():
    m = _meta("某市卫生健康委员会\n\n关于第1号建议的答复\n\n张三代表：\n\n本件由我委主办，市财政局协办。\n")
    assert (m.lead_agency, m.co_agencies) == ("某市卫生健康委员会", ("市财政局",))
    m = _meta("承办单位:教育局\n某县教育局关于第2号建议的答复函\n李四代表:\n正文。\n")
    assert m.lead_agency == "教育局"


def test_agency_from_the_contact_unit_of_an_unsigned_letter():
    text = "张三代表:\n您提出的关于修路的建议已收悉。\n正文。\n2022年9月23日\n联系单位:某市住房和城乡建设局\n"
    assert _meta(text).agency == "某市住房和城乡建设局"


def test_jianyian_is_a_suggestion():
    m = _meta("某县交通运输局关于对某县第十七届人民代表大会第一次会议第48号建议案的答复\n\n张三代表：\n\n正文。\n")
    assert m.proposal_kind == "建议"


# Session 10 (later, docs/extraction.md): a speech's date line in the lead is the document's own date. Synthetic
# constructions, not corpus text.
@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "某某市政府工作报告\n——2030年2月3日在某某市第一届人民代表大会第一次会议上\n到2035年建成新区。\n",
            dt.date(2030, 2, 3),
        ),
        ("某某工作报告（２０３０年１月９日在某某会议上）\n2033年完成。\n", dt.date(2030, 1, 9)),
        # a date in a sentence, or a date line after the lead, is not the document's date
        ("会议于2030年1月9日在市里召开，2033年完成。\n", dt.date(2033, 1, 1)),
        ("某" * 310 + "\n2030年2月3日在某某会议上\n2033年完成。\n", dt.date(2033, 1, 1)),
    ],
)
def test_a_speech_date_line_is_the_reference_date(text, expected):
    assert infer_reference_date(text) == expected
