"""Sections followup adds to pages of lower apps (proposals/panels.py)."""

from django.template.loader import render_to_string

from commitments.views.common import local_today
from proposals import scoping

from . import selectors
from .choices import RoundState

HOME_ROUNDS = 20


def _rounds_panel(request, allowed: bool, state: str, verify: bool = False) -> str:
    """The user's 回头看 rounds in ``state`` on his home (at most HOME_ROUNDS; none or not ``allowed``: nothing)."""
    if not allowed:
        return ""
    rounds = list(selectors.round_list(user=request.user).filter(state=state)[:HOME_ROUNDS])
    if not rounds:
        return ""
    context = {"rounds": rounds, "today": local_today(), "verify": verify}
    return render_to_string("followup/_home_rounds.html", context, request=request)


def rounds_to_report_panel(request, obj=None) -> str:
    """The clerk's home: open 回头看 rounds of his agencies, with how many lines are reported."""
    return _rounds_panel(request, scoping.is_clerk(request.user), RoundState.OPEN)


def rounds_to_verify_panel(request, obj=None) -> str:
    """The supervisor's home: submitted 回头看 rounds in his scope awaiting his verdicts."""
    return _rounds_panel(request, bool(scoping.body_ids(request.user)), RoundState.SUBMITTED, verify=True)
