"""Scanning: a pattern's ``finditer`` sped up by a cheap search for the characters a match can start with.

Contract: ``Prefiltered(pattern, first).finditer(text, pos, endpos)`` yields exactly the matches of
``pattern.finditer(text, pos, endpos)``, provided ``first`` (a character class) matches every character
a match of ``pattern`` can start with and ``pattern`` never matches the empty string. Python's ``re``
skips ahead in C only for a pattern that opens with a literal or a character class; a pattern that
opens with a lookbehind ("(?<![\\d.第])…") is otherwise tried at every position of the text. Here the
class finds the next possible start in C and the pattern is tried there (``match`` at a position sees
the characters before it, so a lookbehind reads as in ``finditer``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from re import _parser  # type: ignore[attr-defined]


class Prefiltered:
    """A compiled pattern with the character class its matches start with (see module docstring)."""

    def __init__(self, pattern: re.Pattern, first: str):
        self.pattern = pattern
        self._first = re.compile(first)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match]:
        end = len(text) if endpos is None else min(endpos, len(text))
        search, match = self._first.search, self.pattern.match
        while True:
            f = search(text, pos, end)
            if f is None:
                return
            m = match(text, f.start(), end)
            if m is None:
                pos = f.start() + 1
            else:
                yield m
                pos = m.end()

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match | None:
        """``pattern.search``: the first match of ``finditer`` (its loop written out: no generator made)."""
        end = len(text) if endpos is None else min(endpos, len(text))
        search, match = self._first.search, self.pattern.match
        while True:
            f = search(text, pos, end)
            if f is None:
                return None
            m = match(text, f.start(), end)
            if m is not None:
                return m
            pos = f.start() + 1


class LineAnchored:
    """A ``re.MULTILINE`` pattern that opens with ``^``, found from line starts only (see module docstring)."""

    def __init__(self, pattern: re.Pattern):
        parsed = _parser.parse(pattern.pattern, pattern.flags)
        if not (
            pattern.flags & re.MULTILINE
            and pattern.pattern.startswith("^")
            and parsed.data[:1] == [(_parser.AT, _parser.AT_BEGINNING)]
            and parsed.getwidth()[0] > 0
        ):
            raise ValueError(f"not a line-anchored pattern that cannot match empty: {pattern.pattern!r}")
        self.pattern = pattern
        self._after_break = re.compile(r"\n(?:" + pattern.pattern[1:] + ")", pattern.flags)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match]:
        end = len(text) if endpos is None else endpos
        match, search = self.pattern.match, self._after_break.search
        if pos <= 0:
            pos = 0
            m = match(text, 0, end)
            if m is not None:
                yield m
                pos = m.end()
        at = max(0, pos - 1)  # a line that starts at or after pos has its "\n" at or after pos - 1
        while True:
            f = search(text, at, end)
            if f is None:
                return
            m = match(text, f.start() + 1, end)
            if m is None:  # (cannot happen: the rest matched there after the same "\n")
                at = f.start() + 1
                continue
            yield m
            at = m.end() - 1  # not empty: past this line's "\n"

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match | None:
        """The first match of ``finditer`` (its loop written out: no generator made)."""
        end = len(text) if endpos is None else endpos
        match = self.pattern.match
        if pos <= 0:
            pos = 0
            m = match(text, 0, end)
            if m is not None:
                return m
        at = max(0, pos - 1)
        search = self._after_break.search
        while True:
            f = search(text, at, end)
            if f is None:
                return None
            m = match(text, f.start() + 1, end)
            if m is not None:
                return m
            at = f.start() + 1
