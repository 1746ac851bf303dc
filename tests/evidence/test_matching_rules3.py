"""General matcher rules found on the third set (corpus/evidence3), each on small invented sentences."""

import datetime as dt
from types import SimpleNamespace

import pytest

from evidence import matching, ranker, selectors
from evidence.matching import Candidate, Match, Passage


def test_traditional_names_of_people_hospitals_and_places_are_simplified_one_for_one():
    text = "首都兒科研究所、北京友誼醫院、安貞醫院的腫瘤科"
    out = matching.simplified(text)
    assert out == "首都儿科研究所、北京友谊医院、安贞医院的肿瘤科"
    assert len(out) == len(text)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("海峡网5月2日讯 (某某日报记者 王小明/文 李四/摄)记者从市建设局获悉", "记者从市建设局获悉"),
        ("极目新闻记者 张三丰\n8月9日,新院区封顶", "8月9日,新院区封顶"),
        ("【编辑:赵六】", ""),
        ("记者从通州区卫健委了解到", "记者从通州区卫健委了解到"),
    ],
)
def test_bylines_are_blanked_and_spans_kept(text, kept):
    out = matching.unbylined(text)
    assert len(out) == len(text)
    assert kept in out
    assert "王小明" not in out and "张三丰" not in out and "赵六" not in out


def test_two_reports_sharing_only_a_reporter_make_no_suggestion():
    cand = Candidate(1, "甲乙大桥主桥合龙,预计明年初通车", "(某某日报记者 王小明/文 李四/摄)", group=1)
    [match] = matching.rank("(某某日报记者 王小明/文 李四/摄)丙丁隧道今天贯通。", [cand])
    assert not match.suggested


def test_the_channel_of_a_letter_is_no_evidence():
    cand = Candidate(1, "市民在留言板的回复中咨询甲医院什么时候建成", "", group=1)
    [match] = matching.rank("网友在留言板上询问乙公园什么时候建成开园?", [cand])
    assert match.features["rare"] < 1.5
    assert not match.suggested


@pytest.mark.parametrize(
    "text",
    ["北京今年将新开工7个市属医院建设项目", "整体工程预计2023年底完工", "东湖高新区:目前该项目正在建设中"],
)
def test_owners_shares_and_development_zones_name_nothing(text):
    assert matching.names(text) == []


def test_a_city_hospital_by_ownership_is_not_a_name_shared():
    cand = Candidate(1, "北京今年将新开工7个市属医院建设项目", "", group=1)
    [match] = matching.rank("近年来,北京市属医院向东迈出了坚实的脚步。", [cand])
    assert not match.suggested


def test_a_university_hospital_is_one_name_and_its_campus_another():
    found = matching.named("北京大学人民医院通州院区")
    assert ("北京大学", "人民医院") in found
    assert ("通州", "院区") in found


def test_the_same_campus_name_under_another_hospital_is_a_conflict():
    cand = Candidate(1, "预期通州院区将于2018年10月开业", "共同建设北京大学人民医院通州院区", group=1)
    [match] = matching.rank("从甲乙医院通州院区再向东,丙丁医院通州院区正在建设中。", [cand])
    assert "丙丁医院通州院区" in match.features["conflicts"]
    assert not match.suggested
    [match] = matching.rank("北京大学人民医院通州院区正式开诊。", [cand])
    assert match.features["conflicts"] == []


def test_a_document_about_another_campus_conflicts_with_this_campus():
    cand = Candidate(1, "估计最快可在2021年建成", "某某大学人民医院洪山院区即将开建", group=1)
    text = (
        "东院区:打造光谷医疗新高地。某某大学人民医院东院区(光谷院区)开放床位2300张。五年来,某某大学人民医院服务光谷。"
    )
    matches = matching.rank(text, [cand])
    assert "光谷院区" in matches[0].features["conflicts"]
    assert not matches[0].suggested


def test_a_campus_written_under_its_hospital_is_a_name_even_when_its_place_is_common():
    # Five letters about 洪山 make the two characters common in the pool; hospital and campus together are not.
    context = "某某大学人民医院洪山院区即将开建"
    cands = [Candidate(i, f"洪山区第{i}号道路预计年底完工", "洪山区", group=10 + i) for i in range(5)]
    cands.append(Candidate(99, "估计最快可在2021年建成", context, group=1))
    matches = {m.candidate_id: m for m in matching.rank("某某大学人民医院洪山院区20日正式启用。", cands)}
    assert "洪山" in matches[99].shared
    assert matches[99].suggested


def test_part_of_a_name_cut_inside_a_word_is_not_the_name():
    cand = Candidate(1, "预计2025年建成投入使用", "甲乙市第三医院武汉新城院区正式开工", group=1)
    [match] = matching.rank("武汉新添一家儿童医院,预计明年10月启用。", [cand])
    assert "武汉新" not in match.shared or match.features["name"] == 0.0


def test_a_clause_answering_a_question_takes_the_question_as_context():
    text = "问:甲乙路旁的丙丁公园何时完工?\n答:经核实,该项目已于今年5月开工,将于2023年6月完工。"
    clause = "将于2023年6月完工"
    start = text.index(clause)
    commitment = SimpleNamespace(document=SimpleNamespace(text=text), text=clause, start=start, end=start + len(clause))
    assert "丙丁公园" in selectors._sentence_around(commitment)


def _match(cid: int, hand_sum: float, deadline: dt.date | None, group: int = 1) -> Match:
    """A match whose score is the hand-weighted scorer's for that sum (the margin is in the sum's units)."""
    return Match(
        cid,
        Passage(0, 1, "甲"),
        ranker.HAND.score({"cosine": hand_sum}),
        False,
        (),
        "unknown",
        features={"specific": True},
        group=group,
        deadline=deadline,
    )


def test_of_two_close_clauses_of_one_letter_the_later_promise_is_shown():
    near = [_match(1, 0.62, dt.date(2023, 7, 31)), _match(2, 0.60, dt.date(2024, 12, 31)), _match(3, 0.59, None)]
    assert [m.suggested for m in matching.one_per_group(near, matching.SUGGEST_AT)] == [False, True, False]
    # Far below the letter's best: the best stays.
    far = [_match(1, 0.62, dt.date(2023, 7, 31)), _match(2, 0.40, dt.date(2024, 12, 31))]
    assert [m.suggested for m in matching.one_per_group(far, matching.SUGGEST_AT)] == [True, False]
    # A dated clause before a wish without a date.
    wish = [_match(1, 0.61, None), _match(2, 0.60, dt.date(2021, 12, 31))]
    assert [m.suggested for m in matching.one_per_group(wish, matching.SUGGEST_AT)] == [False, True]


@pytest.mark.parametrize(
    ("passage", "promise", "outcome"),
    [
        ("在城市留言板上,网友询问丙丁公园什么时候建成开园?", "", "unknown"),
        ("南海公园一期项目于2020年9月30日向市民开放。", "", "done"),
        ("甲乙医院通州院区基础工程正式开工。", "力争实现年底开工", "done"),
        ("甲乙医院通州院区基础工程正式开工。", "预计2024年建成投用", "in_progress"),
        ("首儿所通州院区主体结构工程日前顺利封顶。", "计划开工建设5家医疗机构", "done"),
        ("丙丁医院计划于今年11月中旬开诊。", "", "in_progress"),
        ("大桥主线将于春节前通车。", "", "in_progress"),
        ("估计年内建成", "", "in_progress"),
    ],
)
def test_outcomes_measured_against_the_promise(passage, promise, outcome):
    assert matching.outcome_guess(passage, promise=promise) == outcome


def test_expected_and_estimated_are_future_words():
    assert ("通州", "院区") in matching.named("预期通州院区将于2018年10月开业")
    assert matching._promised_stage("估计最快可在2021年建成") == "built"
    assert matching._promised_stage("预期通州院区将于2018年10月开业") == "use"
    assert matching.outcome_guess("预期年底建成") == "in_progress"
