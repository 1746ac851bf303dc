"""The search document and the query, in plain Python: no Django, no ORM (like responses/extraction).

Contract:
- ``normalize(text)`` is the text as the index sees it: every traditional character of
  responses/extraction/script.py's table turned into its simplified form, lower case. It has the same length
  as ``text`` (one character for one), so an offset found in it is an offset in ``text`` (snippets).
- ``tokens(text)`` are the lexemes of the row's tsvector: every character (unigram) and every pair of
  adjacent characters (bigram) inside a run of word characters (``\\w``: CJK, letters, digits), no
  positions. Chinese has no spaces, so words cannot be the unit; a 1-character query is one unigram, a
  2-character query one bigram, a longer one the AND of its bigrams.
- ``parse_query(q)`` turns user input into terms (the word-character runs of the normalised query) or raises
  ``QueryError`` (empty, too long, too many terms). A query of punctuation only has no terms: an empty result.
- ``tsquery(terms)`` is the tsquery text that the GIN index answers; the AND of bigrams is a superset of
  the rows holding the term, so the query also checks ``search_text LIKE %term%`` on the candidates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.translation import gettext

from responses.extraction.script import TRADITIONAL_TO_SIMPLIFIED

MAX_QUERY_CHARS = 100
MAX_TERMS = 8
# A long term is checked exactly by LIKE on the candidates; more bigrams than this only make the index read
# more posting lists, not the answer more exact.
MAX_BIGRAMS_PER_TERM = 6

_WORD_RUN = re.compile(r"\w+")


class QueryError(ValueError):
    """A query that cannot be searched: the message is shown to the user (in the request's language)."""


def normalize(text: str) -> str:
    """The text as indexed: simplified script, lower case, same length as the input."""
    out = text.translate(TRADITIONAL_TO_SIMPLIFIED).lower()
    # str.lower() keeps the length except for a handful of characters (İ → i̇); keep offsets valid then.
    return out if len(out) == len(text) else "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def tokens(text: str) -> list[str]:
    """Unigrams and bigrams of every run of word characters of the normalised text, unique, sorted."""
    out: set[str] = set()
    for run in _WORD_RUN.findall(normalize(text)):
        out.update(run)
        out.update(run[i : i + 2] for i in range(len(run) - 1))
    return sorted(out)


def tsvector_literal(lexemes: Iterable[str]) -> str:
    """A tsvector in PostgreSQL's input syntax; lexemes hold only word characters, so quoting is enough."""
    return " ".join(f"'{lexeme}'" for lexeme in lexemes)


def parse_query(q: str | None) -> list[str]:
    """The terms of a user's query (see the module docstring); raises QueryError on unusable input."""
    if q is None or not q.strip():
        raise QueryError(gettext("请输入搜索词"))
    if len(q) > MAX_QUERY_CHARS:
        raise QueryError(gettext("搜索词不能超过 %(n)s 个字符") % {"n": MAX_QUERY_CHARS})
    terms = list(dict.fromkeys(_WORD_RUN.findall(normalize(q))))
    if len(terms) > MAX_TERMS:
        raise QueryError(gettext("搜索词不能超过 %(n)s 个") % {"n": MAX_TERMS})
    return terms


def term_lexemes(term: str) -> list[str]:
    """The lexemes that a row holding ``term`` must have: the term itself if short, else spread bigrams."""
    if len(term) <= 2:
        return [term]
    bigrams = list(dict.fromkeys(term[i : i + 2] for i in range(len(term) - 1)))
    if len(bigrams) > MAX_BIGRAMS_PER_TERM:
        step = (len(bigrams) - 1) / (MAX_BIGRAMS_PER_TERM - 1)
        bigrams = [bigrams[round(k * step)] for k in range(MAX_BIGRAMS_PER_TERM)]
    return bigrams


def tsquery(terms: Iterable[str]) -> str:
    """The tsquery (input syntax, no parser involved) of the AND of every term's lexemes."""
    lexemes = list(dict.fromkeys(lexeme for term in terms for lexeme in term_lexemes(term)))
    return " & ".join(f"'{lexeme}'" for lexeme in lexemes)


def snippet(source: str, terms: list[str], *, width: int = 40) -> tuple[str, str, str] | None:
    """(before, match, after) around the first term found in ``source`` (plain text, not escaped)."""
    if not terms:
        return None
    norm = normalize(source)
    found = [(norm.find(t), t) for t in terms]
    found = [(i, t) for i, t in found if i >= 0]
    if not found:
        return None
    start, term = min(found)
    end = start + len(term)
    lo, hi = max(0, start - width), min(len(source), end + width * 2)
    before = ("…" if lo > 0 else "") + source[lo:start]
    after = source[end:hi] + ("…" if hi < len(source) else "")
    return before, source[start:end], after
