"""Forms of the reply pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from proposals.filtersets import SearchQueryField

from .choices import Satisfaction, SatisfactionChannel


class SatisfactionForm(forms.Form):
    """The proposer's rating of a reply and who collected it."""

    satisfaction = forms.ChoiceField(label=_("满意度"), choices=Satisfaction.choices)
    channel = forms.ChoiceField(
        label=_("征询方"), choices=SatisfactionChannel.choices, initial=SatisfactionChannel.BODY
    )


class ReplyFilterForm(forms.Form):
    """Filters of the reply list."""

    q = SearchQueryField(
        label=_("搜索"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("答复全文（含文号）")}),
    )
    satisfaction = forms.ChoiceField(
        label=_("满意度"), required=False, choices=[("", "—"), ("none", _("未登记")), *Satisfaction.choices]
    )
