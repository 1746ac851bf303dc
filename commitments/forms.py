"""Forms of the commitment pages: the reply upload and preview, and the actions on one commitment."""

from decimal import Decimal, InvalidOperation
from typing import cast

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from proposals.dates import date_validate
from proposals.models import Agency
from responses import files
from responses.choices import Disclosure, ReplyCategory
from responses.extraction.budgets import Budgets

from .choices import NOTE_MAX_LENGTH, ChangeKind, CommitmentStatus, Precision, Recurrence, SectionKind, Strength
from .services import TargetInput

# A note's or a reason's length, as the API's input serializers take it: the forms took any length, and their evidence
# links any length too, for a varchar(200) column (a 500, session 20).
TEXT_MAX = NOTE_MAX_LENGTH

ACCEPTED = ".txt,.docx,.pdf,.html,.htm"


class ReplyUploadForm(forms.Form):
    """The reply letter file."""

    file = forms.FileField(
        label=_("答复函文件"),
        help_text=_("支持 .txt、.docx、.pdf（含文字层）、.html"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED}),
    )


class ReplyMetaForm(forms.Form):
    """The reply's header as the clerk confirms it, and the item it answers."""

    agency = forms.ModelChoiceField(label=_("答复单位"), queryset=Agency.objects.none())
    agency_confirmed = forms.BooleanField(
        label=_("来函单位与所选单位不同时，确认以所选单位登记"),
        required=False,
        help_text=_("仅当抽取的来函单位有误时勾选"),
    )
    doc_number = forms.CharField(label=_("文号"), max_length=100, required=False)
    signed_on = forms.DateField(
        label=_("签发日期"),
        required=False,
        validators=[date_validate],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    category = forms.ChoiceField(label=_("答复类别"), choices=[("", "—"), *ReplyCategory.choices], required=False)
    disclosure = forms.ChoiceField(label=_("公开属性"), choices=Disclosure.choices, initial=Disclosure.UNKNOWN)
    is_draft = forms.BooleanField(label=_("送审稿"), required=False)
    session = forms.ChoiceField(label=_("会议"), required=False)
    proposal_number = forms.CharField(label=_("建议/提案编号"), max_length=32, required=False)
    proposal_title = forms.CharField(
        label=_("建议/提案标题"), max_length=300, required=False, help_text=_("编号在该会议中不存在时，用于登记新件")
    )
    proposers = forms.CharField(
        label=_("提出人"),
        max_length=500,
        required=False,
        help_text=_("多个用顿号分隔，第一位为领衔；按姓名对应已有提出人，没有则新建"),
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phones = forms.CharField(label=_("联系电话"), required=False, help_text=_("多个用逗号分隔"))
    cc = forms.CharField(label=_("抄送"), required=False, help_text=_("多个用顿号或逗号分隔"))

    def __init__(self, *args, agencies=None, session_choices=(), session_note="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies if agencies is not None else Agency.objects.all()
        self.fields["session"].choices = [("", _("（不对应建议提案，如新闻报道）")), *session_choices]
        # Why the letter's session is not preselected and what to pick (the review form, session 13).
        self.fields["session"].help_text = session_note

    def clean(self):
        data = super().clean()
        if data.get("session") and not (data.get("proposal_number") or "").strip():
            self.add_error("proposal_number", _("选择了会议时须填写编号"))
        return data


def split_list(value: str) -> list[str]:
    import re

    return [p.strip() for p in re.split(r"[、，,；;\n]+", value or "") if p.strip()]


def parse_targets(value: str) -> list[TargetInput]:
    """Lines of "words|value|unit" (e.g. "300 亿元|30000000000|元") → targets; raises ValidationError."""
    targets = []
    for number, line in enumerate((value or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 3 or not parts[0] or not parts[2]:
            raise forms.ValidationError(_("第 %(n)d 行应为“原文|数值|单位”"), params={"n": number})
        try:
            amount = Decimal(parts[1])
        except InvalidOperation:
            raise forms.ValidationError(_("第 %(n)d 行的数值无法识别"), params={"n": number})
        if not amount.is_finite() or abs(amount) >= Decimal(10) ** 20:
            raise forms.ValidationError(_("第 %(n)d 行的数值超出范围"), params={"n": number})
        targets.append(TargetInput(parts[0][:100], amount, parts[2][:20]))
    return targets


def format_targets(targets) -> str:
    lines = []
    for t in targets:
        value = Decimal(str(t.value))
        value = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
        lines.append(f"{t.text}|{value}|{t.unit}")
    return "\n".join(lines)


class CommitmentForm(forms.Form):
    """One commitment in the preview formset."""

    text = forms.CharField(label=_("承诺原文"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(
        label=_("期限"),
        required=False,
        validators=[date_validate],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    deadline_text = forms.CharField(label=_("期限原文"), max_length=100, required=False)
    precision = forms.ChoiceField(label=_("期限精度"), choices=Precision.choices, initial=Precision.NONE)
    strength = forms.ChoiceField(label=_("承诺强度"), choices=Strength.choices, initial=Strength.OTHER)
    recurrence = forms.ChoiceField(label=_("周期"), choices=[("", "—"), *Recurrence.choices], required=False)
    targets = forms.CharField(
        label=_("量化目标"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("每行：原文|数值|单位，如 300 亿元|30000000000|元"),
    )
    agency_names = forms.CharField(label=_("责任单位"), required=False, help_text=_("多个用顿号分隔"))
    owner = forms.TypedChoiceField(label=_("责任人"), required=False, coerce=int, empty_value=None)
    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    section_kind = forms.ChoiceField(required=False, choices=SectionKind.choices, widget=forms.HiddenInput)
    # The stored commitment this row edits (editing a logged reply), so it is changed in place, not recreated.
    id = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, owner_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "—"), *owner_choices]

    def clean_targets(self):
        return parse_targets(self.cleaned_data.get("targets", ""))

    def clean_agency_names(self):
        return split_list(self.cleaned_data.get("agency_names", ""))


# As many forms as one extraction may give (a whole 政府工作报告: 600–750).
CommitmentFormSet = forms.formset_factory(
    CommitmentForm, extra=0, can_delete=True, max_num=Budgets().max_commitments, validate_max=True
)


class ProgressForm(forms.Form):
    """A progress note with optional percentage and evidence."""

    note = forms.CharField(label=_("进展说明"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    percent = forms.IntegerField(label=_("完成比例（%）"), required=False, min_value=0, max_value=100)
    evidence_file = forms.FileField(label=_("佐证材料"), required=False)
    evidence_url = forms.URLField(label=_("佐证链接"), max_length=200, required=False, assume_scheme="https")


class CloseForm(forms.Form):
    """Close a commitment: fulfilled (evidence required), partly fulfilled, missed or withdrawn (reason required)."""

    status = forms.ChoiceField(
        label=_("结果"), choices=[(s.value, s.label) for s in CommitmentStatus if s != CommitmentStatus.OPEN]
    )
    reason = forms.CharField(
        label=_("说明/理由"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence_file = forms.FileField(label=_("佐证材料"), required=False)
    evidence_url = forms.URLField(label=_("佐证链接"), max_length=200, required=False, assume_scheme="https")

    def __init__(self, *args, allow_open: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if allow_open:  # a supervisor reopening a closed commitment
            cast(forms.ChoiceField, self.fields["status"]).choices = CommitmentStatus.choices


class ChangeRequestForm(forms.Form):
    """A clerk's request to extend (with the new date) or withdraw (with the reason)."""

    kind = forms.ChoiceField(label=_("申请类别"), choices=ChangeKind.choices)
    requested_deadline = forms.DateField(
        label=_("申请延期至"),
        required=False,
        validators=[date_validate],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.CharField(label=_("理由"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}))


class DecideForm(forms.Form):
    """A supervisor's decision on a pending request."""

    decision = forms.ChoiceField(choices=[("approve", _("批准")), ("refuse", _("驳回"))], widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("审批意见"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TargetActualForm(forms.Form):
    """The value actually reached for one target."""

    value = forms.DecimalField(label=_("实际值"), max_digits=24, decimal_places=4)
    note = forms.CharField(label=_("说明"), max_length=500, required=False)


def upload_too_large(upload) -> bool:
    """Over the one upload limit (responses.files.upload_limit), for letters and evidence alike."""
    return files.upload_too_large(upload)


def upload_refusal(exc) -> str:
    """A refused file's reason (an ExtractionError's `message_zh` / `message_en`) in the page's language: the upload
    pages showed both halves, “文件为空或不含可识别的文字 / The file is empty…”, on a Chinese page (session 16). The
    API keeps the pipeline's bilingual text (docs/api.md "Errors")."""
    return exc.message_en if (get_language() or "").startswith("en") else exc.message_zh
