"""Forms of the proposal pages: list filters and the assignment-list upload."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from search.query import search_filter

from .choices import ProposalKind, ProposalStatus
from .filtersets import SearchQueryField
from .importing import sessions_for
from .models import Session


class ProposalFilterForm(forms.Form):
    """Filters of the proposal list."""

    q = SearchQueryField(
        label=_("搜索"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("编号、标题、摘要或提出人")}),
    )
    session = forms.ModelChoiceField(label=_("会议"), queryset=Session.objects.none(), required=False)
    kind = forms.ChoiceField(label=_("类别"), choices=[("", "—"), *ProposalKind.choices], required=False)
    status = forms.ChoiceField(label=_("状态"), choices=[("", "—"), *ProposalStatus.choices], required=False)
    is_key = forms.BooleanField(label=_("仅重点"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = Session.objects.select_related("body")

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("q"):
            # The one search index (number, title, summary, proposers): search.query.
            queryset = search_filter(queryset, data["q"])
        if data.get("session"):
            queryset = queryset.filter(session=data["session"])
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("is_key"):
            queryset = queryset.filter(is_key=True)
        return queryset


class AssignmentImportForm(forms.Form):
    """An .xlsx assignment list for one session."""

    session = forms.ModelChoiceField(label=_("会议"), queryset=Session.objects.none())
    file = forms.FileField(
        label=_("交办清单（.xlsx）"),
        help_text=_("表头：编号、标题、提出人、主办单位、协办单位、交办日期（写法可不同）"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions_for(user)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 文件"))
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("文件过大"))
        return upload
