"""Parts of a commitment (commitments.py: ``comma_pieces``, ``target_pieces``, ``target_list``).

Invented sentences. A clause is the ranker's grain; the gold of a programme gives each target an entry
and a reply letter's sentence may hold two actions. In a programme's scope (outside reply letters) a clause
that lists targets from its start is emitted as its targets; other parts fill the candidate slots left free.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from responses.extraction import extract_text
from responses.extraction.commitments import (
    MAX_CANDIDATES,
    comma_pieces,
    list_pieces,
    parts_of,
    target_list,
    target_pieces,
)
from responses.extraction.ranker import load_model, prepare

REF = dt.date(2025, 2, 1)


def _parts(fn, text: str) -> list[list[str]]:
    p = prepare(text, reference_date=REF)
    return [[p.work[x.start : x.end] for x in fn(p.work, c)] for c in p.candidates]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # each "，"-part with a quantity opens a part; one without stays with the part before it
            "2025年主要目标是：地区生产总值增长6%左右，规上工业增加值增长7%，城镇新增就业3万人以上，居民收入与经济增长同步。\n",
            [
                [
                    "2025年主要目标是：地区生产总值增长6%左右",
                    "规上工业增加值增长7%",
                    "城镇新增就业3万人以上，居民收入与经济增长同步",
                ]
            ],
        ),
        (  # a part before the first quantity stays with it
            "今年将新建公办幼儿园5所，改造老旧小区12个。\n",
            [["今年将新建公办幼儿园5所", "改造老旧小区12个"]],
        ),
        ("今年将新建公办幼儿园5所，进一步提升学前教育普惠水平。\n", [[]]),  # one quantity: no parts
        ("今年将加快推进城市更新，进一步提升城市品质。\n", [[]]),  # none
    ],
)
def test_target_pieces(text, expected):
    assert _parts(target_pieces, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a list of targets from its start: its targets
            "2025年主要目标是：地区生产总值增长6%左右，规上工业增加值增长7%，城镇新增就业3万人以上。\n",
            [["2025年主要目标是：地区生产总值增长6%左右", "规上工业增加值增长7%", "城镇新增就业3万人以上"]],
        ),
        (  # the same when each target has its own verb
            "今年将新建公办幼儿园5所，改造老旧小区12个。\n",
            [["今年将新建公办幼儿园5所", "改造老旧小区12个"]],
        ),
        (  # a part with no head of its own in the unit of the part before: a breakdown, kept with it
            "今年创建市级示范社区3个，县级8个、乡级20个，社区服务覆盖率达95%。\n",
            [["今年创建市级示范社区3个，县级8个、乡级20个", "社区服务覆盖率达95%"]],
        ),
        ("今年将加快推进城市更新，新建公办幼儿园5所，改造老旧小区12个。\n", [[]]),  # a task, then its figures
        ("今年将新建公办幼儿园5所，进一步提升学前教育普惠水平。\n", [[]]),  # one quantity
    ],
)
def test_target_list(text, expected):
    assert _parts(target_list, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "下一步，我局将把情况反馈至市住建局，尽早启动项目前期工作，我局积极配合。\n",
            [["我局将把情况反馈至市住建局", "尽早启动项目前期工作", "我局积极配合"]],  # "下一步": under six
        ),
        ("我局将积极争取上级资金支持，尽快争取立项建设。\n", [[]]),  # two parts: the clause is enough
        ("我局将会同镇政府，认真研究，尽快解决。\n", [["我局将会同镇政府"]]),  # parts under six characters dropped
    ],
)
def test_comma_pieces(text, expected):
    assert _parts(comma_pieces, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "今年10项重点工程为：城东污水处理厂扩建工程、滨江大道改造工程、体育中心建设工程。\n",
            [["城东污水处理厂扩建工程", "滨江大道改造工程", "体育中心建设工程"]],
        ),
        ("今年重点工程为：城东污水处理厂扩建工程、滨江大道改造工程。\n", [[]]),  # two items: the clause is enough
        ("今年将建设污水处理厂、滨江大道、体育中心。\n", [[]]),  # no colon: one task naming three things
    ],
)
def test_list_pieces(text, expected):
    assert _parts(list_pieces, text) == expected


def test_parts_of_a_letter_are_its_comma_parts_and_of_a_programme_its_targets_then_its_items():
    text = "2025年主要目标是：地区生产总值增长6%左右，城镇新增就业3万人以上，居民收入与经济增长同步。\n"
    p = prepare(text, reference_date=REF)
    [c] = p.candidates
    assert [[p.work[x.start : x.end] for x in g] for g in parts_of(p.work, [c], reply=True)] == [
        ["2025年主要目标是：地区生产总值增长6%左右", "城镇新增就业3万人以上", "居民收入与经济增长同步"]
    ]
    assert [[p.work[x.start : x.end] for x in g] for g in parts_of(p.work, [c], reply=False)] == [
        ["2025年主要目标是：地区生产总值增长6%左右", "城镇新增就业3万人以上，居民收入与经济增长同步"],
        [],
    ]


LETTER = (
    "关于加快滨河路改造的建议的答复\n"
    "张明代表：\n"
    "您提出的《关于加快滨河路改造的建议》收悉，现答复如下：\n"
    "下一步，我局将把该路段改造需求反馈至市住房和城乡建设局，尽早启动项目前期工作，我局积极配合做好实施。\n"
    "感谢您对我市城市建设工作的关心和支持。\n"
    "市重点工程建设管理处\n"
    "2024年4月24日\n"
)

REPORT = (
    "2025年政府工作安排\n"
    "2025年全县经济社会发展的主要预期目标是：地区生产总值增长6%左右，一般公共预算收入增长5%，"
    "城镇新增就业2000人以上，粮食产量稳定在30万吨以上。\n"
)

PROGRAMME = (
    "2025年政府工作安排\n"
    "2025年，全县将加快补齐民生短板，新建公办幼儿园5所，改造老旧小区12个，新增城镇就业2000人以上。\n"
)


@pytest.mark.parametrize("text", [LETTER, PROGRAMME])
def test_parts_of_a_commitment_fill_the_free_candidate_slots_and_are_never_commitments(text):
    # The boundary model is switched off (a threshold above 1 cuts nothing): whether the shipped one cuts this clause
    # depends on its training data (the session-8 model cuts PROGRAMME's into its three targets); what is tested here
    # is what happens to a clause that stays whole.
    r = extract_text(text, model=dataclasses.replace(load_model(), split_threshold=2.0))
    assert len(r.candidates) <= MAX_CANDIDATES
    parent = [c for c in r.commitments if "，" in c.text]
    assert parent, [c.text for c in r.commitments]  # the long clause is a commitment (a clear case)
    inside = [x for x in r.candidates if any(c.start <= x.start and x.end <= c.end for c in parent)]
    assert inside and all(x.deadline == next(c for c in parent if c.start <= x.start).deadline for x in inside)
    spans = {(c.start, c.end) for c in r.commitments}
    assert not any((x.start, x.end) in spans for x in r.candidates)
    # the parts come after every candidate that is a clause of its own
    kinds = [any(c.start <= x.start and x.end <= c.end for c in parent) for x in r.candidates]
    assert kinds == sorted(kinds)


def test_a_report_s_list_of_targets_gives_one_commitment_per_target():
    r = extract_text(REPORT)
    texts = [x.text for x in r.commitments]
    assert "一般公共预算收入增长5%" in texts and "粮食产量稳定在30万吨以上" in texts
    assert not any("，" in x for x in texts)
    assert all(x.deadline == dt.date(2025, 12, 31) for x in r.commitments if "增长" in x.text)
    spans = {(c.start, c.end) for c in r.commitments}
    assert not any((x.start, x.end) in spans for x in r.candidates)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # under a heading that names the coming period: a programme, each target an entry
            REPORT,
            [
                "2025年全县经济社会发展的主要预期目标是：地区生产总值增长6%左右",
                "一般公共预算收入增长5%",
                "城镇新增就业2000人以上",
                "粮食产量稳定在30万吨以上",
            ],
        ),
        (  # the items under a list head that names the programme: cut as well
            "今年将重点办好以下民生实事：\n一、新建公办幼儿园5所，改造老旧小区12个。\n",
            ["一、新建公办幼儿园5所", "改造老旧小区12个"],
        ),
        pytest.param(  # a report: its plan for the coming year is cut, a figure quoted in its review stays whole
            "一、工作成效\n近年来全县农业产业发展成效明显。"
            "到2027年新增国家级龙头企业2户，省级龙头企业5户，农业综合产值达到60亿元。\n"
            "二、2025年工作安排\n2025年新建公办幼儿园5所，改造老旧小区12个。\n",
            [
                "到2027年新增国家级龙头企业2户，省级龙头企业5户，农业综合产值达到60亿元",
                "2025年新建公办幼儿园5所",
                "改造老旧小区12个",
            ],
            marks=pytest.mark.xfail(
                strict=True,
                reason="session 17: the model trained on the re-cut corpus (s17recut) cuts outside a programme's "
                "scope; seed 004's gold keeps such a sentence whole (docs/extraction.md: the known regression)",
            ),
        ),
        pytest.param(  # a news feature quoting a plan: no programme scope, the clause stays whole
            "记者从县农业农村局获悉，近年来该县大力发展特色产业。\n"
            "据介绍，到2026年新增国家级农业龙头企业2户，省级龙头企业5户，农业综合产值达到118亿元。\n",
            ["据介绍，到2026年新增国家级农业龙头企业2户，省级龙头企业5户，农业综合产值达到118亿元"],
            marks=pytest.mark.xfail(
                strict=True,
                reason="session 17: the model trained on the re-cut corpus (s17recut) cuts outside a programme's "
                "scope; seed 004's gold keeps such a sentence whole (docs/extraction.md: the known regression)",
            ),
        ),
    ],
)
def test_a_list_of_targets_is_cut_only_in_a_programme_s_scope(text, expected):
    assert [x.text for x in extract_text(text, reference_date=REF).commitments] == expected


def test_a_reply_letter_s_list_of_targets_stays_one_commitment():
    letter = LETTER.replace(
        "下一步，我局将把该路段改造需求反馈至市住房和城乡建设局，尽早启动项目前期工作，我局积极配合做好实施。",
        "我局将于2024年改造滨河路3公里，新建停车位200个。",
    )
    r = extract_text(letter)
    assert "我局将于2024年改造滨河路3公里，新建停车位200个" in [x.text for x in r.commitments]


# ---------------------------------------------------------------- a heading run into its paragraph

PARAGRAPH = (
    "推动产业提质增效。培育壮大龙头企业。深入实施制造业技改三年行动，新增规上工业企业30家以上。"
    "完善企业服务机制。加快建设物流园区，年内建成冷链中心一座。\n"
)


@pytest.mark.parametrize(
    ("sentence", "signal"),
    [
        ("推动产业提质增效", True),  # opens its paragraph, more sentences follow
        ("培育壮大龙头企业", True),  # follows a short sentence that opens the paragraph
        ("深入实施制造业技改三年行动", False),  # has a comma: a task
        ("完善企业服务机制", False),  # follows a long sentence: read as a task
    ],
)
def test_a_short_sentence_opening_its_paragraph_is_marked_as_an_inline_heading(sentence, signal):
    p = prepare(PARAGRAPH, reference_date=REF)
    [c] = [c for c in p.candidates if p.work[c.start : c.end].startswith(sentence)]
    assert ("inline_heading" in c.signals) is signal


def test_a_short_last_sentence_or_one_with_a_comma_is_no_inline_heading():
    p = prepare("推动产业提质增效。\n今年，推动产业提质增效。\n", reference_date=REF)
    assert all("inline_heading" not in c.signals for c in p.candidates)
