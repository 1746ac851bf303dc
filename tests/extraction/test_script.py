"""A compatibility form of a punctuation mark is read as the mark (script.py, session 13, s13cut).

Invented sentences. Pages converted by some editors write a small semicolon "﹔" (U+FE54) where others write "；";
the stages read the work copy, where it is the mark its NFKC form names, and quotes are taken as written.
"""

from __future__ import annotations

import datetime as dt

import pytest

from responses.extraction import extract_text
from responses.extraction.ranker import prepare
from responses.extraction.script import as_written, to_simplified
from responses.extraction.structure import read_structure

REF = dt.date(2025, 2, 1)
TEXT = "2025年重点工作：\n全年新建中小学校3所﹔新增公共停车泊位2000个﹔完成老旧小区改造50个。\n"


@pytest.fixture(autouse=True)
def _switch(monkeypatch):
    monkeypatch.setenv("LUOSHI_S13_CUT", "1")


def test_small_and_vertical_forms_are_read_as_their_marks_one_for_one():
    text = "甲﹔乙﹐丙﹑丁︔戊｡己､庚"
    work = to_simplified(text)
    assert work == "甲;乙,丙、丁;戊。己、庚"
    assert len(work) == len(text)
    assert to_simplified("甲；乙") == "甲；乙"  # nothing to read: the text itself


def test_a_small_semicolon_ends_a_clause():
    p = prepare(TEXT, reference_date=REF)
    clauses = [p.work[c.start : c.end] for c in read_structure(p.work, p.sections, p.ref).clauses]
    assert "全年新建中小学校3所;" in clauses
    assert "新增公共停车泊位2000个;" in clauses
    assert "完成老旧小区改造50个。" in clauses


def test_quotes_keep_the_small_form_as_written():
    ex = extract_text(TEXT, reference_date=REF)
    assert "﹔" in ex.text
    for c in (*ex.commitments, *ex.candidates):
        assert ex.text[c.start : c.end] == c.text
        assert ";" not in c.text
    assert as_written("乙;", "甲乙;", "甲乙﹔") == "乙﹔"
