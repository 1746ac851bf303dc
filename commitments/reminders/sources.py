"""Reminder sources: what the one reminder scan looks at, registered by the apps that own the subjects.

A source is a subject type (`ReminderSubject`) with two functions:

- `record(rec, ctx, window)` finds the subjects with a reminder due in the scan's window and hands each one to
  the recorder (`rec.add(recipients, subject_type, subject_id, due)`, `rec.add_webhook(...)`); it returns how
  many candidates it looked at;
- `describe(ids)` gives, for the subjects that still need reminding, the line a digest shows
  (`Described`: title, agency, deadline, link); a subject missing from the answer is dropped from the digest and
  its row marked superseded (closed, answered, submitted or met between recording and delivery).

`commitments` registers its own sources (assignments, commitments, change requests) in its AppConfig.ready;
`followup` registers 回头看 rounds and recurring periods in its own, so this package never imports `followup`.
Everything else — the unique key, ON CONFLICT insertion, superseding, one digest per recipient per scan, the
e-mail / in-app / group-robot delivery and its retries — is shared (scan.py, digest.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from .scan import Context, Recorder


@dataclass(frozen=True)
class Window:
    """The dates one scan works for: `today`, the first day not yet scanned (`since`, None on the first scan)
    and the moment after which changed subjects are looked at whatever their window (`changed_since`)."""

    today: dt.date
    since: dt.date | None
    changed_since: dt.datetime | None


class Described(NamedTuple):
    """A subject as a digest line shows it."""

    title: str
    agency: str
    deadline: dt.date | None
    url: str


@dataclass(frozen=True)
class ReminderSource:
    subject_type: str
    record: Callable[[Recorder, Context, Window], int]
    describe: Callable[[Iterable[int]], dict[int, Described]]


_SOURCES: dict[str, ReminderSource] = {}


def register(source: ReminderSource) -> None:
    """Add a source (idempotent per subject type: AppConfig.ready may run twice in tests)."""
    _SOURCES[source.subject_type] = source


def all_sources() -> list[ReminderSource]:
    return list(_SOURCES.values())


def source_for(subject_type: str) -> ReminderSource | None:
    return _SOURCES.get(subject_type)
