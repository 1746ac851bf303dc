"""Rules added in session 2 from constructions of real reply letters, one table per stage.

Written before the round-10 held-out sets were scored; none is a phrase from a gold document.
"""

from __future__ import annotations

import datetime as dt

from responses.extraction import extract_text
from responses.extraction.sections import find_sections

MAR = dt.date(2025, 3, 15)


def _commitments(text: str, ref: dt.date) -> list[tuple[str, dt.date | None]]:
    return [(c.text, c.deadline) for c in extract_text(text, reference_date=ref).commitments]


def test_numbered_one_sentence_items_are_items_not_headings():
    text = (
        "二、下一步工作\n"
        "（一）计划于2025年6月底前完成项目可研编制。\n"
        "（二）加强与省厅对接。\n"
        "（三）年底前新增停车位2000个。\n"
        "感谢您对我们工作的关心。\n"
    )
    assert _commitments(text, MAR) == [
        ("计划于2025年6月底前完成项目可研编制", dt.date(2025, 6, 30)),
        ("加强与省厅对接", None),
        ("年底前新增停车位2000个", dt.date(2025, 12, 31)),
    ]


def test_a_heading_with_its_own_text_stays_a_heading():
    text = (
        "二、下一步工作\n"
        "（一）加强统筹协调。我局将于年底前出台实施方案。\n"
        "（二）强化资金保障。\n"
        "积极争取上级资金支持。\n"
    )
    sections = find_sections(text)
    assert [s.heading for s in sections if s.level == 2] == ["加强统筹协调。", "强化资金保障。"]
    assert [c[0] for c in _commitments(text, MAR)] == ["我局将于年底前出台实施方案", "积极争取上级资金支持"]


def test_list_items_take_their_parent_s_class():
    text = "一、办理情况\n（一）已完成改造小区35个。\n（二）已出台管理办法。\n二、下一步打算\n（一）抓好项目建设。\n（二）做好资金保障。\n"
    kinds = [(s.heading, s.kind) for s in find_sections(text)]
    assert kinds == [
        ("办理情况", "response"),
        ("", "response"),
        ("", "response"),
        ("下一步打算", "next_steps"),
        ("", "next_steps"),
        ("", "next_steps"),
    ]


def test_an_opening_quote_closed_inside_the_commitment_is_kept():
    text = "二、下步工作\n“十五五”期间，力争物流总费用与GDP比率下降至13.5%以下。\n“我们将持续跟进。”\n"
    got = _commitments(text, MAR)
    assert got[0] == ("“十五五”期间，力争物流总费用与GDP比率下降至13.5%以下", dt.date(2030, 12, 31))
    assert got[1][0] == "我们将持续跟进"  # a quote around the whole sentence is still trimmed


def test_a_letter_flattened_onto_one_line_gets_its_lines_back():
    from responses.extraction.cleaning import clean

    flat = (
        "对县八届政协一次会议 第134号提案的答复 张阳委员: 您提出的《关于加强公厕建设的建议》收悉,现将办理意见答复如下: "
        "一、工作现状 全镇共有公厕30座,均已完成改造。 二、下一步计划 一是制定详细的建设规划,明确建设时序。"
        "二是加大资金投入,提高覆盖率。\n"
    )
    cleaned = clean(flat)
    assert len(cleaned) == len(flat)  # spaces became line breaks: every offset still points at the source
    assert cleaned.splitlines() == [
        "对县八届政协一次会议 第134号提案的答复",
        "张阳委员:",
        "您提出的《关于加强公厕建设的建议》收悉,现将办理意见答复如下:",
        "一、工作现状",
        "全镇共有公厕30座,均已完成改造。",
        "二、下一步计划",
        "一是制定详细的建设规划,明确建设时序。二是加大资金投入,提高覆盖率。",
    ]
    assert [s.kind for s in find_sections(cleaned)] == ["past", "next_steps"]
    doc = extract_text(flat, reference_date=MAR)
    assert doc.metadata.proposers == ("张阳",)
    assert [c.text for c in doc.commitments] == ["一是制定详细的建设规划,明确建设时序", "二是加大资金投入,提高覆盖率"]


def test_a_short_line_with_spaces_is_left_alone():
    from responses.extraction.cleaning import clean

    line = "对县八届政协一次会议 第134号提案的答复 张阳委员: 您好\n"
    assert clean(line) == line


def test_a_paragraph_opening_with_next_steps_without_a_comma_is_in_scope():
    text = (
        "我局高度重视。\n"
        "下一步我局将完善实施方案,7月底之前完成立项批复。8月份进行招投标工作,同时完成施工图设计,"
        "9月开工建设,计划于2027年全面完成。\n"
    )
    got = _commitments(text, MAR)
    assert got == [
        ("下一步我局将完善实施方案,7月底之前完成立项批复", dt.date(2025, 7, 31)),
        ("8月份进行招投标工作,同时完成施工图设计", dt.date(2025, 8, 31)),
        ("9月开工建设", dt.date(2025, 9, 30)),
        ("计划于2027年全面完成", dt.date(2027, 12, 31)),
    ]


def test_a_step_scheduled_after_a_condition_is_a_commitment():
    text = "目前初步设计已经完成。等市农业农村局批复后,进行造价评审和招标。设计单位、城投等单位参与了评审。\n"
    assert [c[0] for c in _commitments(text, MAR)] == ["等市农业农村局批复后,进行造价评审和招标"]
    text = "待资金下达后,启动二期工程建设。\n"
    assert [c[0] for c in _commitments(text, MAR)] == ["待资金下达后,启动二期工程建设"]


def test_all_year_round_is_not_a_deadline():
    text = "目前,图书馆全年无休对外开放,年均举办读者活动200场次以上,努力满足群众文化需求。\n"
    assert all(d is None for _, d in _commitments(text, MAR))


def test_measure_words_of_things_to_build_are_target_units():
    from responses.extraction.targets import find_targets

    got = [(t.value, t.unit) for t in find_targets("新装路灯30盏，新打机井10眼，购置图书2万册，举办活动200场次")]
    assert got == [(30, "盏"), (10, "眼"), (20000, "册"), (200, "场次")]
