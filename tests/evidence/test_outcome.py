"""The outcome guess of an evidence link (done / in_progress / delayed / partly) and how the benchmark counts it."""

import datetime as dt
from types import SimpleNamespace

import pytest

from benchmarks import eval_evidence, train_evidence
from evidence import matching, ranker
from evidence.matching import Candidate, Match, Passage


def _match(pk: int, outcome: str, score: float) -> Match:
    return Match(
        candidate_id=pk,
        passage=Passage(0, 4, "某某通车"),
        score=score,
        suggested=False,
        shared=(),
        outcome=outcome,
        features={"specific": True},
        group=pk,
    )


def test_the_benchmark_counts_the_outcome_of_every_ranked_gold_link_and_pools_it():
    a, b, c = (
        SimpleNamespace(pk=pk, text=text)
        for pk, text in ((1, "预计2022年通车"), (2, "计划2023年建成"), (3, "力争年底开工"))
    )
    data = {
        "earlier": {"e1": [a], "e2": [b], "e3": [c]},
        "later": [
            # suggested, its outcome right
            (
                {"file": "l1", "links": [{"earlier": "e1", "commitment": a.text, "outcome": "delayed"}]},
                [(a, _match(1, "delayed", 0.9))],
            ),
            # ranked but below the threshold: counted among ranked links only, and wrong
            (
                {"file": "l2", "links": [{"earlier": "e2", "commitment": b.text, "outcome": "done"}]},
                [(b, _match(2, "unknown", 0.01))],
            ),
            # ranked, not suggested, right
            (
                {"file": "l3", "links": [{"earlier": "e3", "commitment": c.text, "outcome": "in_progress"}]},
                [(c, _match(3, "in_progress", 0.01))],
            ),
        ],
        "distractors": [],
    }
    f = eval_evidence._figures(data, "all", 0.5)
    assert f["outcome"] == "1/1"
    assert f["outcome_ranked"] == "2/3"
    assert (f["n"]["outcome_right"], f["n"]["outcome_total"]) == (1, 1)
    assert (f["n"]["outcome_ranked_right"], f["n"]["outcome_ranked_total"]) == (2, 3)
    pooled = train_evidence.pooled([f, f])
    assert (pooled["outcome_ranked_right"], pooled["outcome_ranked_total"]) == (4, 6)
    line = train_evidence._line("pooled", {"n": pooled})
    assert "outcome 2/2 of suggested, 4/6 of ranked" in line


D = dt.date


@pytest.mark.parametrize(
    ("passage", "deadline", "reported_on", "outcome"),
    [
        # The step reached: when the passage says it was, else when the report is dated.
        ("甲乙大桥于2021年5月正式通车。", D(2020, 12, 31), None, "delayed"),
        ("甲乙大桥于2020年12月26日正式通车。", D(2020, 12, 31), D(2025, 4, 1), "done"),
        (
            "这条线路于2020年底正式开通运营。",
            D(2020, 12, 31),
            D(2025, 4, 1),
            "done",
        ),  # 2020年: 1 January at the earliest
        ("8月31日,甲乙铁路开通运营。", D(2022, 12, 31), D(2023, 8, 31), "delayed"),
        ("8月31日,甲乙铁路开通运营。", D(2023, 12, 31), D(2023, 8, 31), "done"),
        ("甲乙铁路开通运营。", D(2023, 12, 31), None, "done"),  # no missed time shown
        # "同年" and a date without a year take the year given before them.
        ("2018年8月24日试飞成功,已于同年12月26日正式通航。", D(2017, 12, 31), None, "delayed"),
        ("2018年8月24日试飞成功,已于同年12月26日正式通航。", D(2018, 12, 31), None, "done"),
        # A date promised is not a date reached: "原计划2020年…" leaves the report's date.
        ("原计划2020年建成的甲乙大桥,今日正式通车。", D(2020, 12, 31), D(2020, 6, 1), "done"),
        ("原计划2020年建成的甲乙大桥,今日正式通车。", D(2020, 12, 31), D(2022, 6, 1), "delayed"),
        # Not reached: in progress until the deadline, a delay after it (also when the words say nothing).
        ("甲乙机场将于9月16日正式通航。", D(2021, 7, 31), D(2021, 9, 12), "delayed"),
        ("甲乙机场将于6月下旬正式通航。", D(2021, 6, 30), D(2021, 5, 1), "in_progress"),
        ("甲乙水库建设正在紧锣密鼓推进。", D(2023, 12, 31), D(2024, 6, 7), "delayed"),
        ("甲乙图书馆共有藏书45万册。", D(2023, 12, 31), D(2024, 6, 7), "delayed"),
        ("甲乙图书馆共有藏书45万册。", D(2023, 12, 31), D(2023, 6, 7), "unknown"),
        ("甲乙图书馆共有藏书45万册。", None, D(2023, 6, 7), "unknown"),
        # Partly stays partly.
        ("甲乙项目部分建成投用。", D(2020, 12, 31), D(2022, 1, 1), "partly"),
    ],
)
def test_the_outcome_is_measured_against_the_deadline(passage, deadline, reported_on, outcome):
    assert matching.outcome_guess(passage, deadline=deadline, reported_on=reported_on) == outcome


def test_a_step_before_the_promised_one_is_in_progress_and_a_start_promise_is_kept_by_a_start():
    assert matching.outcome_guess("甲乙医院主体完工。", promise="预计2024年建成投用") == "in_progress"
    assert matching.outcome_guess("甲乙医院已建成投用。", promise="预计2024年建成投用") == "done"
    start = "力争2016年开工建设"
    assert matching.outcome_guess("12月22日,甲乙电站工程正式开工。", promise=start, deadline=D(2016, 12, 31)) == "done"
    late = matching.outcome_guess(
        "12月22日,甲乙电站工程正式开工。", promise=start, deadline=D(2016, 12, 31), reported_on=D(2017, 12, 22)
    )
    assert late == "delayed"


def test_new_completion_and_progress_words():
    assert matching.outcome_guess("甲乙机场正式通航。") == "done"
    assert matching.outcome_guess("甲乙电站首台机组正式并网发电。") == "done"
    assert matching.outcome_guess("甲乙高速建设进入收尾阶段。") == "in_progress"
    assert matching.outcome_guess("甲乙铁路进入联调联试阶段。") == "in_progress"


def test_rank_compares_the_report_date_with_the_deadline_and_prefers_a_passage_that_says_what_happened():
    cand = Candidate(1, "甲乙大桥预计2020年底建成通车", deadline=D(2020, 12, 31))
    text = "甲乙大桥位于丙丁河上。甲乙大桥正式通车。"
    [on_time] = matching.rank(text, [cand], reported_on=D(2020, 11, 1), model=ranker.HAND)
    [late] = matching.rank(text, [cand], reported_on=D(2021, 5, 1), model=ranker.HAND)
    assert (on_time.outcome, late.outcome) == ("done", "delayed")
    # Without a report date, the passage's words alone.
    [undated] = matching.rank(text, [cand], model=ranker.HAND)
    assert undated.outcome == "done"
    # A delay read off the dates alone does not keep a passage that says what happened from being used.
    [silent] = matching.rank("甲乙大桥位于丙丁河上。", [cand], reported_on=D(2021, 5, 1), model=ranker.HAND)
    assert (silent.outcome, silent.outcome_dated) == ("delayed", True)


def test_a_done_word_about_to_happen_is_not_done():
    # Session 15: "通车在即" (about to open) and "投用倒计时" report the step as coming, not reached.
    assert matching.outcome_guess("甲乙大桥通车在即。") == "in_progress"
    assert matching.outcome_guess("甲乙医院投用倒计时。") == "in_progress"
    assert matching.outcome_guess("甲乙大桥通车后交通更便利。") != "done"


def test_a_promised_year_lends_no_year_to_a_later_date():
    # Session 15: "12月26日" after "原计划2024年…" is in the report's year (2025), not in the promised 2024.
    passage = "甲乙大桥原计划2024年建成,12月26日正式通车。"
    assert matching.outcome_guess(passage, deadline=D(2024, 12, 31), reported_on=D(2025, 12, 31)) == "delayed"
    # A year actually reached still dates the later month ("2024年…同年12月" style).
    reached = "甲乙大桥2024年5月合龙,12月26日正式通车。"
    assert matching.outcome_guess(reached, deadline=D(2024, 12, 31), reported_on=D(2025, 12, 31)) == "done"
