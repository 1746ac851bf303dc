"""Forms of the follow-through pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from commitments.choices import NOTE_MAX_LENGTH
from proposals.models import Agency, Session

from .choices import CollectedBy, RatingValue, ReportedState

# A note's length, as the API's input serializers take it.
TEXT_MAX = NOTE_MAX_LENGTH


class RoundOpenForm(forms.Form):
    """A supervisor opens a round by hand: a session, an agency, or both, and a due date."""

    session = forms.ModelChoiceField(label=_("会议"), queryset=Session.objects.none(), required=False)
    agency = forms.ModelChoiceField(label=_("承办单位"), queryset=Agency.objects.none(), required=False)
    due_on = forms.DateField(label=_("填报期限"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    title = forms.CharField(label=_("名称"), max_length=200, required=False)

    def __init__(self, *args, sessions=None, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions if sessions is not None else Session.objects.none()
        self.fields["agency"].queryset = agencies if agencies is not None else Agency.objects.none()


class ItemReportForm(forms.Form):
    """The agency's report on one commitment in a round."""

    state = forms.ChoiceField(label=_("落实情况"), choices=ReportedState.choices)
    note = forms.CharField(
        label=_("情况说明"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence_file = forms.FileField(label=_("佐证材料"), required=False)
    evidence_url = forms.URLField(label=_("佐证链接"), max_length=200, required=False, assume_scheme="https")

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        # One optional field per quantitative target of the line's commitment: the value reached so far.
        for target in targets:
            self.fields[f"actual_{target.pk}"] = forms.DecimalField(
                label=_("实际完成值：%(target)s") % {"target": target.text},
                required=False,
                max_digits=24,
                decimal_places=4,
                initial=target.actual_value,
            )

    def actuals(self) -> dict:
        """{target id: value} for the target fields filled in (services.review_item_report records them)."""
        return {
            int(name.removeprefix("actual_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("actual_") and value is not None
        }


class ItemVerifyForm(forms.Form):
    """A supervisor's verdict on one reported item."""

    accept = forms.TypedChoiceField(
        label=_("核实结论"), choices=[("1", _("核实通过")), ("0", _("退回重报"))], coerce=lambda v: v == "1"
    )
    note = forms.CharField(label=_("核实意见"), max_length=TEXT_MAX, required=False)


class PeriodMetForm(forms.Form):
    """Report one period of a recurring duty as met."""

    note = forms.CharField(label=_("本期完成情况"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}))
    evidence_file = forms.FileField(label=_("佐证材料"), required=False)
    evidence_url = forms.URLField(label=_("佐证链接"), max_length=200, required=False, assume_scheme="https")


class RatingForm(forms.Form):
    """A rating of a reply: attitude and result apart."""

    attitude = forms.ChoiceField(label=_("办理态度"), choices=RatingValue.choices, widget=forms.RadioSelect)
    result = forms.ChoiceField(label=_("办理结果"), choices=RatingValue.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("意见"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class StaffRatingForm(RatingForm):
    """A rating entered by staff on the proposer's behalf: who collected it is recorded and counted apart."""

    collected_by = forms.ChoiceField(
        label=_("录入方"), choices=[c for c in CollectedBy.choices if c[0] != CollectedBy.PROPOSER]
    )
