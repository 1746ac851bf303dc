"""Matcher inputs of session 13: the step and the year a passage reports, against the promise's (invented sentences)."""

import datetime as dt

from evidence import matching, ranker
from evidence.matching import Candidate

# --- behind: every step the passage names comes before every step promised --------------------------------------


def test_an_approval_is_behind_a_promise_to_start_work():
    assert matching.stage_behind("青石电站力争明年开工建设", "青石电站项目获得核准")
    assert matching.stage_behind("青石电站预计2026年首台机组投产发电", "青石电站主体工程正式开工")


def test_the_promised_step_or_a_later_one_is_not_behind():
    assert not matching.stage_behind("青石电站力争明年开工建设", "青石电站正式开工")
    assert not matching.stage_behind("青石电站力争明年开工建设", "青石电站首台机组并网发电")
    assert not matching.stage_behind("青石电站预计2026年首台机组投产发电", "青石电站首台机组投产")


def test_every_step_after_the_first_promise_word_counts():
    # "计划…开工,…投产": the start is promised too, so a start reported answers it.
    assert not matching.stage_behind("计划于今年6月开工,2028年底投产发电", "青石电站正式开工建设")


def test_no_step_on_either_side_is_not_behind():
    assert not matching.stage_behind("推进青石电站建设", "青石电站获得核准")  # no promise word
    assert not matching.stage_behind("力争明年开工", "青石电站召开协调会")  # the passage names no step


# --- before: every year the passage gives is before the promise's --------------------------------------------------


def test_years_before_the_promise_are_before():
    assert matching.date_before(dt.date(2021, 3, 1), "为实现2016年1月首台机组发电奠定了基础")
    assert matching.date_before(dt.date(2021, 3, 1), "2015-2020年共建成三座")


def test_a_year_at_or_after_the_promise_is_not_before():
    assert not matching.date_before(dt.date(2021, 3, 1), "2016年开工,2022年全部投产")
    assert not matching.date_before(dt.date(2021, 3, 1), "2021年底首台机组发电")
    assert not matching.date_before(None, "2016年开工")
    assert not matching.date_before(dt.date(2021, 3, 1), "今年首台机组发电")


# --- G: a shared name does not count when the passage is behind or before ----------------------------------------


def test_a_name_shared_with_a_passage_behind_or_before_does_not_open_the_gate():
    cand = Candidate(
        1, "青石抽水蓄能电站力争明年开工建设", "关于青石抽水蓄能电站的答复", date=dt.date(2021, 5, 1), group=1
    )
    [match] = matching.rank("青石抽水蓄能电站获得核准。", [cand], model=ranker.HAND)
    assert match.features["behind"] is True and match.features["name"] > 0
    assert match.features["named"] is False
    [match] = matching.rank("2019年,青石抽水蓄能电站正式开工。", [cand], model=ranker.HAND)
    assert match.features["before"] is True and match.features["named"] is False
    [match] = matching.rank("2022年3月,青石抽水蓄能电站正式开工。", [cand], model=ranker.HAND)
    assert match.features["behind"] is False and match.features["before"] is False
    assert match.features["named"] is True


def test_a_pair_behind_is_not_suggested_under_the_named_gate():
    cand = Candidate(
        1, "青石抽水蓄能电站力争明年开工建设", "关于青石抽水蓄能电站的答复", date=dt.date(2021, 5, 1), group=1
    )
    named = ranker.Model(dict(ranker.HAND.weights), ranker.HAND.intercept, meta={"gate": "named"})
    [behind] = matching.rank("青石抽水蓄能电站获得核准,青石抽水蓄能电站前期工作就绪。", [cand], model=named)
    [reached] = matching.rank("青石抽水蓄能电站正式开工,青石抽水蓄能电站开工仪式举行。", [cand], model=named)
    assert reached.suggested
    assert not behind.suggested
    # The gate moves no score: the scorer's inputs are those of session 12.
    assert "behind" not in ranker.FEATURES and "before" not in ranker.FEATURES
