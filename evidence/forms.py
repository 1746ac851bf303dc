from django import forms
from django.utils.translation import gettext_lazy as _

from commitments.forms import ACCEPTED


class EvidenceUploadForm(forms.Form):
    """A later document (news, work report, 完成情况 report, next year's reply) to match against open commitments."""

    file = forms.FileField(
        label=_("文档文件"),
        help_text=_("新闻报道、工作报告、完成情况报告或答复函：.txt、.docx、.pdf（含文字层）、.html"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED}),
    )
