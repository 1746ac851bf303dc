"""Helpers of the UI tests: turn a rendered unbound form (its initial values) into POST data, as a browser would
submit it; the test letter of 测试市第一局 and the steps of the “logged as 不对应建议提案, its item registered later”
story (the fixtures `agency` and `body` are in tests/ui/conftest.py); an assignment list as .xlsx bytes."""

import copy
import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

AGENCY = "测试市第一局"


def form_data(form, data: dict | None = None) -> dict:
    data = {} if data is None else data
    for bound in form:
        value = bound.value()
        if value is None or value is False:
            continue
        if value is True:
            value = "on"
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif hasattr(value, "pk"):
            value = value.pk
        data[bound.html_name] = str(value)
    return data


def preview_post_data(context) -> dict:
    data = form_data(context["meta_form"])
    formset = context["formset"]
    management = formset.management_form
    for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
        data[management[name].html_name] = str(management[name].value())
    for form in formset.forms:
        form_data(form, data)
    return data


def letter(session: str = "市十五届人大三次会议", agency: str = AGENCY, doc: str = "测一函〔2024〕7号") -> bytes:
    return f"""{agency}文件

{doc}

{agency} 关于{session} 第150777号建议答复的函

张三、李四代表：

您在{session}上提出的《关于加快社区养老服务建设的建议》收悉，已交由我局负责主办。经认真研究，现答复如下：

一、工作开展情况

近年来，我局持续推进社区养老服务设施建设。

二、下一步工作

我局将于2025年底前建成10个社区养老服务中心。

{agency}
2024年5月20日
""".encode()


def upload_preview(client, data: bytes, name: str = "letter.txt"):
    """Upload a letter as the signed-in user; (the preview's URL, the preview page)."""
    upload = client.post(reverse("commitments:reply_upload"), {"file": SimpleUploadedFile(name, data)})
    assert upload.status_code == 302, upload.content.decode()[:2000]
    preview = client.get(upload["Location"])
    assert preview.status_code == 200
    return upload["Location"], preview


def logged_unlinked(client, clerk, data: bytes | None = None):
    """The clerk logs the letter while its body has no supervisor: 不对应建议提案 is preselected and saved."""
    from responses.models import Response

    client.force_login(clerk)
    url, preview = upload_preview(client, data or letter())
    post = preview_post_data(preview.context)
    assert post.get("session", "") == ""
    assert client.post(url, post).status_code == 302
    reply = Response.objects.get()
    assert reply.proposal is None
    return reply


def item_later(body, agency, number="150777"):
    """Later a supervisor is named, the session exists, and the item is registered and assigned (the import's calls)."""
    from proposals.services import proposal_assign, proposal_register
    from tests import factories

    supervisor = factories.supervisor_of(body, "sup_later")
    session = factories.SessionFactory(body=body, term=15, meeting=3, name="测试市第十五届人大三次会议")
    item = proposal_register(session=session, number=number, title="关于加快社区养老服务建设的建议")
    proposal_assign(proposal=item, agency=agency)
    return supervisor, item


def another_unlinked(reply, number: str):
    """A second reply of the same agency saved without its item, whose letter names item `number`."""
    from responses.models import Document, Response

    source = reply.document
    detail = copy.deepcopy(source.extraction_detail)
    detail["metadata"]["proposal_number"] = number
    prediction = copy.deepcopy(source.extraction)
    prediction["metadata"]["proposal_number"] = number
    document = Document.objects.create(
        kind=source.kind,
        title=f"{source.title} {number}",
        text=source.text.replace("150777", number),
        content_hash=f"{number:0>64}",
        extraction=prediction,
        extraction_detail=detail,
        extraction_version=source.extraction_version,
        uploaded_by=source.uploaded_by,
    )
    return Response.objects.create(
        document=document, agency=reply.agency, doc_number=f"测一函〔2024〕{number}号", signed_on=reply.signed_on
    )


def xlsx_bytes(rows) -> bytes:
    """The rows as one sheet of an .xlsx file."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SHARED_STRINGS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def xlsx_edited(rows, *, sheet=None, shared: str | None = None, extra: dict[str, bytes] | None = None) -> bytes:
    """`xlsx_bytes(rows)` with its sheet part edited (`sheet`: a function of the XML text), every cell holding
    "SHARED" made a reference to one shared string `shared`, and parts added (`extra`): the hostile lists openpyxl does
    not write itself."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes(rows)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                text = data.decode()
                if shared is not None:
                    text = text.replace('t="inlineStr"><is><t>SHARED</t></is>', 't="s"><v>0</v>')
                data = (sheet(text) if sheet else text).encode()
            elif shared is not None and name == "[Content_Types].xml":
                override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED_STRINGS_TYPE}"/>'
                data = data.replace(b"</Types>", override.encode() + b"</Types>")
            elif shared is not None and name == "xl/_rels/workbook.xml.rels":
                rel = f'<Relationship Id="rIdS" Type="{SHARED_STRINGS_REL}" Target="sharedStrings.xml"/>'
                data = data.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            archive.writestr(name, data)
        if shared is not None:
            main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
            archive.writestr(
                "xl/sharedStrings.xml", f'<sst xmlns="{main}" count="1" uniqueCount="1"><si><t>{shared}</t></si></sst>'
            )
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()
