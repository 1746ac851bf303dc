"""Session 16's walk-through (docs/ui.md): a deputy on a phone and a clerk uploading every kind of file. Each test
failed on the code before its fix."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from responses.models import Response
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def deputy_item(db):
    """A deputy with an account, his item with a reply and one open commitment with a target, the agency's clerk."""
    commitment = factories.CommitmentFactory()
    factories.TargetFactory(commitment=commitment)
    user = factories.UserFactory(username="deputy_16")
    deputy = factories.ProposerFactory(name="李代表", user=user)
    commitment.proposal.proposer_links.create(proposer=deputy)
    return user, commitment, factories.clerk_of(commitment.agency, "clerk_16")


def _forms(html: str) -> list[str]:
    """The actions of the page's POST forms (the header's language menu and sign-out left out), without the
    `#section` the commitment page's forms carry since session 17."""
    actions = [a.split("#")[0] for a in re.findall(r'<form[^>]*method="post"[^>]*action="([^"]*)"', html)]
    return [a for a in actions if a not in (reverse("set_language"), reverse("logout"))]


def test_a_deputy_is_offered_no_staff_form_on_the_commitment_page(client, deputy_item):
    """The deputy's commitment page offered 登记 (actual values), 保存进展, 办结 and 提交申请; each answered 403
    “无权操作该承诺” after he had typed his note."""
    user, commitment, clerk = deputy_item
    client.force_login(clerk)
    page = client.get(reverse("commitments:detail", args=[commitment.pk])).content.decode()
    staff = _forms(page)
    assert reverse("commitments:progress", args=[commitment.pk]) in staff and len(staff) >= 4
    client.force_login(user)
    page = client.get(reverse("commitments:detail", args=[commitment.pk]))
    assert page.status_code == 200 and _forms(page.content.decode()) == []
    assert client.post(reverse("commitments:progress", args=[commitment.pk]), {"note": "x"}).status_code == 403


def test_a_deputy_rates_on_his_own_page_not_through_the_staff_form(client, deputy_item):
    """The item page offered the deputy the staff's 登记满意度 form (with 征询方: 承办单位征询 …), and it saved: a
    deputy could record a rating as collected by the agency, outside his own page's once-per-round rule. The API
    already refused him (“提出人请在“我的建议提案”页面评价”); the page now does too and links his page."""
    user, commitment, clerk = deputy_item
    reply = commitment.response
    url = reverse("responses:satisfaction", args=[reply.pk])
    client.force_login(user)
    page = client.get(reverse("proposals:detail", args=[commitment.proposal_id])).content.decode()
    assert url not in page and f'href="{reverse("followup:mine")}"' in page
    refused = client.post(url, {"satisfaction": "satisfied", "channel": "agency"})
    assert refused.status_code == 403
    assert Response.objects.get(pk=reply.pk).satisfaction == ""
    # Staff (here the body's supervisor) still record one.
    client.force_login(factories.supervisor_of(commitment.proposal.session.body, "sup_16"))
    assert url in client.get(reverse("proposals:detail", args=[commitment.proposal_id])).content.decode()
    assert client.post(url, {"satisfaction": "satisfied", "channel": "agency"}).status_code == 302
    assert Response.objects.get(pk=reply.pk).satisfaction == "satisfied"


SEED = Path(__file__).resolve().parents[2] / "fixtures" / "documents" / "000_e488b48de0fcacd5.txt"


def test_the_upload_page_says_why_in_the_pages_language_only(client):
    """The clerk's refused uploads read “该 PDF 没有文字层（扫描件），暂不支持 OCR 识别 / This PDF has no text layer
    (scanned)…”, “文件为空或不含可识别的文字 / The file is empty…”, “不支持的文件格式（.doc）… / Unsupported file
    format…”, and a second upload of a letter “该文件此前已上传但尚未确认，请核对后确认。/ Uploaded before but not
    confirmed yet.”: both languages on a Chinese page. One language, as every other message."""
    client.force_login(factories.clerk_of(factories.AgencyFactory(), "clerk_upload_16"))
    url = reverse("commitments:reply_upload")

    def refused(name: str, data: bytes) -> str:
        response = client.post(url, {"file": SimpleUploadedFile(name, data)})
        assert response.status_code in (415, 422)
        return response.content.decode()

    page = refused("blank.txt", b"  \n\n ")
    assert "文件为空或不含可识别的文字" in page and "The file is empty" not in page
    assert "Unsupported file format" not in refused("old.doc", b"\xd0\xcf\x11\xe0" + bytes(100))
    client.cookies["django_language"] = "en"
    page = refused("blank.txt", b"  \n\n ")
    assert "The file is empty or contains no readable text" in page and "文件为空" not in page
    page = refused("old.doc", b"\xd0\xcf\x11\xe0" + bytes(100))
    # Session 19: an old Office file says what it is and what to do (was “Unsupported file format (.doc)”).
    assert "This is a Word 97-2003 (.doc) file" in page and "这是" not in page
    client.cookies["django_language"] = "zh-hans"
    # The same letter twice: its preview again, with one note in one language.
    for _ in range(2):
        again = client.post(url, {"file": SimpleUploadedFile("letter.txt", SEED.read_bytes())}, follow=True)
    notes = [str(m) for m in again.context["messages"]]
    assert notes == ["该文件此前已上传但尚未确认，请核对后确认。"]


def test_a_deputy_may_read_the_evidence_page_but_not_work_on_it(client, deputy_item):
    """The deputy's reply page links the letter's evidence page (落实佐证), which offered him 重新查找佐证建议 — and his
    POST ran the matcher and stored suggestions, a write by a read-only account — and a breadcrumb to the evidence
    upload (403). Staff work only for clerks and supervisors, the upload's rule."""
    from evidence.models import EvidenceLink

    user, commitment, clerk = deputy_item
    document = commitment.response.document
    page_url = reverse("evidence:document", args=[document.pk])
    match = reverse("evidence:match", args=[document.pk])
    client.force_login(clerk)
    assert match in _forms(client.get(page_url).content.decode())
    client.force_login(user)
    page = client.get(page_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert _forms(html) == [] and f'href="{reverse("evidence:upload")}"' not in html
    assert client.post(match).status_code == 403
    assert not EvidenceLink.objects.exists()
