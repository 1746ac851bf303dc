"""Reads for the matcher: the later document's date and the words that name a commitment's project."""

import datetime as dt
from pathlib import Path

from evidence import selectors
from tests import factories

FRESH = Path(__file__).resolve().parents[2] / "corpus" / "evidence2"


def test_a_later_document_is_dated_only_by_a_date_it_states(db):
    body = factories.DocumentFactory(text="今天(11月18日),苏州市立医院(太湖总院)正式启用。医院自2005年挂牌以来…")
    assert selectors.document_date(body, stated_only=True) is None
    assert selectors.document_date(body) == dt.date(2005, 1, 1)  # the years of its body: a lower bound only
    header = factories.DocumentFactory(
        text="苏州这家大医院10月启用!\n2025-08-15 17:12:00\n瑞金医院太仓分院将于今年10月正式运行"
    )
    assert selectors.document_date(header, stated_only=True) == dt.date(2025, 8, 15)


def test_a_clause_that_names_nothing_brings_the_sentence_that_does(db):
    text = (FRESH / "e01_xinglian_reply_2025.txt").read_text(encoding="utf-8")
    quote = "項目預計在2025年5月左右達到通車條件"
    start = text.index(quote)
    document = factories.DocumentFactory(text=text, title=text.splitlines()[0])
    commitment = factories.CommitmentFactory(
        response=factories.ResponseFactory(document=document), text=quote, start=start, end=start + len(quote)
    )
    candidate = selectors._candidate(commitment, {})
    assert "興聯路大通道" in candidate.context


def test_a_clause_under_a_heading_brings_the_heading(db):
    text = (FRESH / "e06_suzhou_yiyuan_shangxin_2023.txt").read_text(encoding="utf-8")
    quote = "二期项目总体预计2024年投用"
    start = text.index(quote)
    document = factories.DocumentFactory(text=text, title=text.splitlines()[0])
    commitment = factories.CommitmentFactory(
        response=factories.ResponseFactory(document=document), text=quote, start=start, end=start + len(quote)
    )
    assert "苏大附一院总院二期" in selectors._candidate(commitment, {}).context
