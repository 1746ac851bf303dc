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
