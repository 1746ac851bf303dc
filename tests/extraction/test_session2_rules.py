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


# --- round 11 (heldout10 replies, heldout11 news) -----------------------------------------------


def test_jiang_before_verbs_of_government_plans():
    ref = dt.date(2025, 1, 15)
    got = [c.text for c in extract_text("我省将贯彻落实交通强国五年行动计划。\n", reference_date=ref).commitments]
    assert got == ["我省将贯彻落实交通强国五年行动计划"]
    # 将 as 把 stays out: the handling of the item itself, a past inclusion in a plan
    text = "我委将您的建议转交市财政局研究办理。我区已将该路纳入农村公路网规划。\n"
    assert extract_text(text, reference_date=ref).commitments == ()


def test_a_paragraph_that_opens_with_a_year_ahead_and_a_promise_is_a_plan():
    ref = dt.date(2025, 1, 15)
    text = (
        "2025年,我省将贯彻落实交通强国五年行动计划,积极争取新的试点任务。"
        "围绕建设国家战略性基础设施,提前谋划一批重点项目。加强川藏铁路配套公路保通保畅。\n"
    )
    got = _commitments(text, ref)
    assert [d for _, d in got] == [dt.date(2025, 12, 31)] * len(got)
    assert [t for t, _ in got][-2:] == [
        "围绕建设国家战略性基础设施,提前谋划一批重点项目",
        "加强川藏铁路配套公路保通保畅",
    ]
    # a paragraph about a year gone by is not a plan
    past = "2024年,我省将试点任务全部验收。围绕重点项目,开展专项督查。\n"
    assert all("开展专项督查" not in c.text for c in extract_text(past, reference_date=ref).commitments)


def test_a_paragraph_naming_the_year_ahead_as_its_subject_dates_its_plan():
    ref = dt.date(2025, 1, 20)
    text = "2025年是“十四五”规划收官之年。全省水利部门将全面推动幸福河湖建设。大力推进水旱灾害防御体系建设。\n"
    got = _commitments(text, ref)
    assert got == [
        ("全省水利部门将全面推动幸福河湖建设", dt.date(2025, 12, 31)),
        ("大力推进水旱灾害防御体系建设", dt.date(2025, 12, 31)),
    ]


def test_semicolon_items_with_quantities_continue_a_plan_and_keep_its_opening_year():
    ref = dt.date(2024, 3, 21)
    text = "据了解,今年我县计划播种粮食面积68万亩;新建高标准农田4万亩;加强技术指导。\n"
    got = _commitments(text, ref)
    assert got == [
        ("今年我县计划播种粮食面积68万亩", dt.date(2024, 12, 31)),
        ("新建高标准农田4万亩", dt.date(2024, 12, 31)),
    ]


def test_a_page_field_table_row_is_not_joined_to_the_next_and_names_the_publisher():
    from responses.extraction.cleaning import clean

    page = (
        " 索 引 号  1585729837/xxhwyh/2021-0000041  发布机构  临沂市工业和信息化局\n"
        " 成文日期  2021-10-22  发布日期  2021-10-22\n"
        "市十九届人大六次会议第60号关于加快5G产业融合发展的建议的答复\n\n"
        "刘志军代表:\n\n您提出的建议收悉,现答复如下:我局将加快5G基站建设。\n"
    )
    assert clean(page).splitlines()[0].endswith("临沂市工业和信息化局")
    assert extract_text(page).metadata.agency == "临沂市工业和信息化局"


# --- round 12 (heldout12: Yunnan replies) --------------------------------------------------------


def test_an_undated_letter_whose_only_year_is_promised_is_dated_before_it():
    from responses.extraction.metadata import infer_reference_date

    text = "桂花镇代表团:\n你们提出的建议已交由我单位办理。目前,计划为卫生院配置1辆,预计2019年底到位投入使用。\n"
    assert infer_reference_date(text) == dt.date(2019, 1, 1)
    got = [(c.text, c.deadline) for c in extract_text(text).commitments]
    assert ("预计2019年底到位投入使用", dt.date(2019, 12, 31)) in got


def test_funds_already_obtained_are_not_a_promise():
    text = "我局先后争取2400万元项目资金建设卫生院5个。下步,我局将继续积极争取各级项目资金支持。\n"
    assert [c[0] for c in _commitments(text, MAR)] == ["下步,我局将继续积极争取各级项目资金支持"]


def test_a_delegation_salutes_like_a_deputy():
    text = (
        "桂花镇代表团:\n你们在大姚县第十七届人民代表大会第三次会议上提出的《关于配置救护车辆的建议》,"
        "已交由我单位办理,经研究答复如下:\n我局将积极争取资金。\n"
    )
    meta = extract_text(text).metadata
    assert (meta.body, meta.proposal_kind, meta.proposers) == ("人大", "建议", ("桂花镇代表团",))
    assert meta.session == "大姚县第十七届人民代表大会第三次会议"


# --- round 13 (heldout13: dated-rich replies, two of them traditional-script mirrors) --------------


def test_a_traditional_script_page_is_read_and_quoted_as_written():
    from responses.extraction.script import to_simplified

    page = (
        "關于縣十九屆人大三次會議第120號建議的答復\n\n鄭清炎代表:\n\n您提出的《關于修復防火線的建議》收悉,現答復如下:\n\n"
        "下一步,我局將計劃在10月份清理整地,11月份開始定植,力爭2024年底前全面完成。\n\n通山縣林業局\n\n2024年9月20日\n"
    )
    simplified = to_simplified(page)
    assert len(simplified) == len(page) and "将计划" in simplified
    doc = extract_text(page)
    assert doc.text == page  # offsets and text are the page's own
    assert doc.metadata.session == "縣十九屆人大三次會議"
    assert doc.metadata.proposers == ("鄭清炎",)
    assert doc.metadata.agency == "通山縣林業局"
    got = [(c.text, c.deadline) for c in doc.commitments]
    assert ("力爭2024年底前全面完成", dt.date(2024, 12, 31)) in got
    assert all(c.text == page[c.start : c.end] for c in doc.commitments)


def test_a_simplified_letter_with_a_stray_traditional_name_is_left_alone():
    from responses.extraction.script import to_simplified

    text = "於娟代表：您提出的建议收悉。我局将于年底前完成。\n"
    assert to_simplified(text) is text


# --- round 14 (heldout14: Yunnan news) ----------------------------------------------------------


def test_a_years_work_announced_item_by_item_after_a_colon():
    ref = dt.date(2015, 3, 2)
    text = "2015年,云南“三农”工作重点突出抓好3个方面:一是推动高原特色农业提质增效;二是加大扶贫攻坚力度;三是全面深化农村改革。\n"
    got = _commitments(text, ref)
    assert got == [
        ("一是推动高原特色农业提质增效", dt.date(2015, 12, 31)),
        ("二是加大扶贫攻坚力度", dt.date(2015, 12, 31)),
        ("三是全面深化农村改革", dt.date(2015, 12, 31)),
    ]
    described = "今年的提案呈现出两个方面的特点:一是内容丰富,二是针对性强。\n"
    assert extract_text(described, reference_date=ref).commitments == ()


def test_a_one_sentence_plan_paragraph_after_jusi_carries_its_pieces():
    ref = dt.date(2022, 1, 20)
    text = "据悉,2022年,红河州将着力扛实粮食安全责任,新建20万亩高标准农田;着力巩固拓展脱贫攻坚成果;着力推进农业产业化发展。\n"
    got = _commitments(text, ref)
    assert [d for _, d in got] == [dt.date(2022, 12, 31)] * 3
    assert [t for t, _ in got][1:] == ["着力巩固拓展脱贫攻坚成果", "着力推进农业产业化发展"]
