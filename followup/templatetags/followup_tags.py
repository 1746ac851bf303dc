"""Template tags that let a commitments page show follow-through data without commitments importing followup."""

from django import template
from django.utils import timezone

from commitments.services import can_edit

from ..forms import PeriodMetForm
from ..selectors import periods_of

register = template.Library()


@register.inclusion_tag("followup/_periods.html", takes_context=True)
def commitment_periods(context, commitment):
    """The periods of a recurring duty, which were met, and the form to report the next one (editors only)."""
    request = context.get("request")
    periods = periods_of(commitment=commitment) if commitment.recurrence else []
    editable = bool(request and periods and can_edit(request.user, commitment))
    today = context.get("today") or timezone.localdate()
    # A refused report of one period comes back bound with what was typed (followup.views.period_met).
    bound_pk = context.get("period_pk")
    for p in periods if editable else ():
        p.bound = p.pk == bound_pk
        p.form = context["period_form"] if p.bound else PeriodMetForm(auto_id=f"id_p{p.pk}_%s")
    return {
        "c": commitment,
        "periods": periods,
        "editable": editable,
        "today": today,
        "csrf_token": context.get("csrf_token"),
    }
