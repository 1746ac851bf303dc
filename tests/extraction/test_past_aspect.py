"""A perfective 了 in a letter's clause is the signal ``past_aspect`` (session 18, s18letters): done work that
``_PAST_WORDS`` (了 before a stop only) does not read. Constructions, not corpus text; the candidates' signals only
(no ranker decision involved)."""

from __future__ import annotations

import datetime as dt

from responses.extraction.ranker import is_letter, prepare

_LETTER = (
    "关于加快修建东城路的建议的答复\n"
    "王某某代表：\n"
    "您提出的《关于加快修建东城路的建议》收悉，现答复如下：\n"
    "今年6月份，我局组织了3个工作组到现场调研路面情况，并计划年内完成东城路改造。\n"
    "为了方便群众出行，我局将在2025年10月底前完成路面硬化。\n"
    "感谢您对交通工作的关心和支持。\n"
)
_NOTICE = (
    "某县2025年重点工作安排\n"
    "今年6月份，县里组织了3个工作组到现场调研路面情况，并计划年内完成东城路改造。\n"
    "为了方便群众出行，县交通局将在2025年10月底前完成路面硬化。\n"
)


def _signals(text: str) -> tuple[bool, dict[str, tuple[str, ...]]]:
    p = prepare(text, reference_date=dt.date(2025, 3, 1))
    return is_letter(p.metadata), {p.work[c.start : c.end]: c.signals for c in p.candidates}


def test_a_letters_clause_with_a_perfective_le_gets_past_aspect():
    letter, sig = _signals(_LETTER)
    assert letter
    done = [t for t in sig if "组织了" in t]
    assert done and all("past_aspect" in sig[t] for t in done)
    # 为了 is not an aspect: the promise keeps no past_aspect
    promise = [t for t in sig if "路面硬化" in t]
    assert promise and all("past_aspect" not in sig[t] for t in promise)


def test_outside_letters_a_perfective_le_is_no_signal():
    letter, sig = _signals(_NOTICE)
    assert not letter
    done = [t for t in sig if "组织了" in t]
    assert done and all("past_aspect" not in sig[t] for t in done)
