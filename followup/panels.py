"""Sections followup adds to pages of lower apps (proposals/panels.py)."""

from django.template.loader import render_to_string

from commitments.views.common import local_today
from proposals import scoping

from . import selectors
from .choices import RoundState

HOME_ROUNDS = 20


def rounds_to_report_panel(request, obj=None) -> str:
    """The clerk's home: open 回头看 rounds of his agencies, with how many lines are reported (none: nothing)."""
    user = request.user
    if not scoping.is_clerk(user):
        return ""
    rounds = list(selectors.round_list(user=user).filter(state=RoundState.OPEN)[:HOME_ROUNDS])
    if not rounds:
        return ""
    return render_to_string("followup/_home_rounds.html", {"rounds": rounds, "today": local_today()}, request=request)


def rounds_to_verify_panel(request, obj=None) -> str:
    """The supervisor's home: submitted 回头看 rounds in his scope awaiting his verdicts (none: nothing)."""
    user = request.user
    if not scoping.body_ids(user):
        return ""
    rounds = list(selectors.round_list(user=user).filter(state=RoundState.SUBMITTED)[:HOME_ROUNDS])
    if not rounds:
        return ""
    return render_to_string(
        "followup/_home_rounds.html", {"rounds": rounds, "today": local_today(), "verify": True}, request=request
    )
