"""The matcher alone (no database): passages, names, outcome guesses, specific evidence over topic words."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from evidence import matching
from evidence.matching import Candidate
from tests.evidence.conftest import read


def test_passages_keep_spans_into_the_text():
    text = read("d02_fuer_zengcheng_2022.txt")
    parts = matching.passages(text)
    assert len(parts) > 4
    for p in parts:
        assert text[p.start : p.end] == p.text
        assert p.text == p.text.strip()


@pytest.mark.parametrize(
    ("passage", "outcome"),
    [
        ("长沙市第四医院滨水新城院区正式运营。", "done"),
        ("该项目已建成投产，实现产值20亿元。", "done"),
        ("该路段已竣工验收并通车。", "done"),
        ("一期项目预计今年9月建成投产。", "in_progress"),  # announced, not yet done
        ("项目正在加快推进，主体结构已封顶。", "in_progress"),
        ("受征地影响，项目推迟至明年开工。", "delayed"),
        ("该工程滞后于计划。", "delayed"),
        ("项目部分建成投用。", "partly"),
        ("项目建设大部分已完成，下一步还需进行设备采购。", "partly"),
        ("今天天气晴朗。", "unknown"),
    ],
)
def test_outcome_guesses(passage, outcome):
    assert matching.outcome_guess(passage) == outcome


def test_a_new_date_after_the_deadline_is_a_delay():
    passage = "花城新区医院项目建设大部分已完成,下一步还需进行医疗设备采购等,预计将在2024年底投入使用。"
    assert matching.outcome_guess(passage, deadline=dt.date(2022, 12, 31)) == "delayed"
    assert matching.outcome_guess(passage, deadline=dt.date(2024, 12, 31)) == "partly"


def test_names_cut_clause_words_and_keep_both_ends_of_a_road():
    assert "昆明市儿童" in matching.names("加快推进昆明市儿童医院新院区建设")
    found = matching.names("建成南充至潼南高速公路")
    assert {"南充", "潼南"} <= set(found)


def _sentence(name: str, quote: str) -> str:
    text = read(name)
    at = text.index(quote)
    return text[max(0, text.rfind("。", 0, at) + 1) : at + len(quote)]


def test_renamed_hospital_matches_on_part_of_its_name():
    # 长沙市四医院 in the reply, 长沙市第四医院 in the news three years later.
    cand = Candidate(
        1, "预计在2020年下半年运行", _sentence("e01_changsha_siyuan_reply_2019.txt", "预计在2020年下半年运行"), group=1
    )
    [match] = matching.rank(read("l01b_changsha_siyuan_2022.txt"), [cand])
    assert match.suggested
    assert any("滨水新城" in s for s in match.shared)


def test_renamed_road_in_traditional_script_matches():
    # 銅梁至資中 (traditional) promised, 铜资高速 reported open.
    quote = "預計今年年底全線建成通車"
    cand = Candidate(1, quote, _sentence("e02_tongzi_gaosu_2025.txt", quote), group=1)
    [match] = matching.rank(read("l02_tongzi_gaosu_tongche.txt"), [cand])
    assert match.suggested
    assert "通车" in match.passage.text


def test_topic_words_alone_make_no_suggestion():
    cand = Candidate(1, "加快推进道路建设和医院建设，确保年内建成投用", "", group=1)
    [match] = matching.rank("我县持续推进道路建设和医院建设，多个项目年内建成投用。", [cand])
    assert not match.suggested


def test_another_campus_of_the_same_hospital_is_a_conflict():
    quote = "计划2023年建成"
    cand = Candidate(1, quote, _sentence("e07_fuer_huadu_2022.txt", quote) + " 广州市妇女儿童医疗中心花都院区开工")
    [match] = matching.rank(read("d02_fuer_zengcheng_2022.txt"), [cand])
    assert not match.suggested
    # The page's headline names the other campus: a conflict, whatever else the two share.
    headline = read("d02_fuer_zengcheng_2022.txt").splitlines()[0]
    [match] = matching.rank(headline, [cand])
    assert match.features["conflicts"] == ["增城院区"]
    assert not match.suggested


def test_unrelated_document_gets_nothing():
    quote = "预计在2020年下半年运行"
    cand = Candidate(1, quote, _sentence("e01_changsha_siyuan_reply_2019.txt", quote), group=1)
    assert not any(m.suggested for m in matching.rank(read("d08_shishi_xinyi_xiaoxue.txt"), [cand]))


def test_commitments_after_the_document_are_not_candidates():
    cand = Candidate(1, "富龙西江特大桥年内通车", "", date=dt.date(2025, 1, 1))
    assert matching.rank(read("l04a_fulong_tongche_xinhua.txt"), [cand], doc_date=dt.date(2024, 11, 22)) == []


def test_one_suggestion_per_source_document():
    text = read("l04b_fulong_tongche_qiyong.txt")
    quote = "爭取年內盡快完工并通車"
    context = _sentence("e05_fulong_xijiang_2024.txt", quote) + " 富龍西江特大橋已完成總投資93%,爭取年內通車"
    cands = [Candidate(1, "爭取年內通車", context, group=7), Candidate(2, quote, context, group=7)]
    matches = matching.rank(text, cands)
    assert len(matches) == 2
    assert sum(m.suggested for m in matches) == 1


def test_actual_value_of_a_target_in_the_same_unit():
    cand = Candidate(1, "富龙西江特大桥全长1770.6米，年内通车", "", targets=((Decimal("1770.6"), "米"),))
    [match] = matching.rank(read("l04a_fulong_tongche_xinhua.txt"), [cand])
    assert match.actual is None or match.actual[1] == "米"


# --- the fresh set (corpus/evidence2): general rules found on it ------------------------------------------

FRESH = Path(__file__).resolve().parents[2] / "corpus" / "evidence2"


def fresh(name: str) -> str:
    return (FRESH / name).read_text(encoding="utf-8")


def test_a_place_is_not_a_name():
    assert ("南朗", "街道") not in matching.named("翠亨新区(南朗街道)第一所国际化寄宿学校")
    assert matching._rarity("香洲区", matching._rareness({}, [])) == 0.0
    quote = "海湾城小学计划2024年完工"
    cand = Candidate(1, quote, "此外,在南朗街道的2022年工作计划以及南朗街道十件民生时事候选中", group=1)
    assert not any(m.suggested for m in matching.rank(fresh("d14_xiwan_waiguoyu_2022.txt"), [cand]))


def test_two_characters_name_a_thing_only_with_its_kind():
    cand = Candidate(1, "預計2020年秋季投入使用", "目前,珠海大道以北沿線尚無一所公辦小學。", group=1)
    [match] = matching.rank("揭牌移交!珠海这所百年老校新学期搬入新校区", [cand])
    assert match.features["name"] == 0.0
    assert not match.suggested


def test_another_number_is_another_thing():
    cand = Candidate(1, "苏大附二院浒关院区二期工程项目预计2024年底建成投入使用", "", group=1)
    [match] = matching.rank("苏大附一院总院二期开启试运行", [cand])
    assert match.features["name"] == 0.0
    assert not match.suggested


def test_the_same_name_of_another_kind_is_a_conflict():
    cand = Candidate(1, "香洲區容國團小學預計2020年秋季投入使用", "", group=1)
    [match] = matching.rank("南屏区域另一所公办学校——容国团中学也将于下月开工建设。", [cand])
    assert "容国团中学" in match.features["conflicts"]
    assert not match.suggested


def test_a_renamed_hospital_is_found_through_its_place_free_name():
    cand = Candidate(1, "苏州市太湖新城医院项目的工程主体结构已完成封顶,力争本年底交付建设单位使用", "", group=1)
    [match] = matching.rank("今天(11月18日),苏州市立医院(太湖总院)正式启用。", [cand])
    assert "太湖" in match.shared


def test_a_short_traditional_clause_meets_the_simplified_news():
    cand = Candidate(1, "爭取年內通車", "富龍西江特大橋已完成總投資93%,爭取年內通車", group=1)
    [match] = matching.rank(read("l04a_fulong_tongche_xinhua.txt"), [cand])
    assert match.features["name"] == 1.0
    assert match.suggested


def test_the_stage_promised_and_the_stage_reported():
    assert matching._same_stage("计划于2025年建成投用", "瑞金医院太仓分院将于今年10月正式运行")
    assert not matching._same_stage("瑞金医院太仓分院签约仪式暨太仓市春季重点项目集中开工开业活动举行", "正式运行")
    assert not matching._same_stage("预计年底开工", "正式运行")
