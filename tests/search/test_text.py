"""search.text: the n-grams, the query parsing and the snippet (pure Python)."""

import pytest

from search.text import QueryError, normalize, parse_query, snippet, term_lexemes, tokens, tsquery


def test_tokens_are_unigrams_and_bigrams_within_word_runs():
    assert tokens("停车场，A1") == sorted({"停", "车", "场", "停车", "车场", "a", "1", "a1"})


def test_traditional_text_is_indexed_simplified_with_the_same_length():
    assert normalize("將於年內建成停車場") == "将于年内建成停车场"
    assert "停车" in tokens("停車場")


def test_query_terms_and_tsquery():
    assert parse_query(" 停車，宇泽 ") == ["停车", "宇泽"]
    assert tsquery(["停车场"]) == "'停车' & '车场'"
    assert tsquery(["路"]) == "'路'"
    assert len(term_lexemes("一二三四五六七八九十甲乙丙丁")) == 6


@pytest.mark.parametrize("q", ["", "   ", "停" * 101, " ".join(f"停{i}" for i in range(9))])
def test_bad_queries_raise_a_clear_error(q):
    from django.utils import translation

    with pytest.raises(QueryError) as chinese:
        parse_query(q)
    with translation.override("en"), pytest.raises(QueryError) as english:
        parse_query(q)
    # One language each (session 16: both halves, “中文 / English”, until then).
    assert "搜索词" in str(chinese.value) and "search term" in str(english.value)
    assert " / " not in str(chinese.value) and " / " not in str(english.value)


def test_punctuation_only_has_no_terms():
    assert parse_query("，。！？…—") == []


def test_snippet_keeps_the_original_script():
    before, matched, after = snippet("今年將建成停車場。", ["停车"])
    assert (before, matched, after) == ("今年將建成", "停車", "場。")
