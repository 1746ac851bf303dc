"""Session 19 (docs/ui.md): a Word 97-2003 letter, an Excel sheet (.xls, .xlsx) and the like were refused “不支持的文件格式
（.doc），请上传 .txt、.docx、.pdf 或 .html 文件”: the clerk was not told what his file is nor what to do with it. The
refusal now names the file and what to upload instead, on the upload page (the page's language) and through the API
(both languages, as every extraction error there); a letter saved as text, HTML or .docx under an Office file's name
is read as what it is. Nothing is stored on a refusal. The tests failed on the code before the fix."""

import io
import struct
import zipfile
from pathlib import Path

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from commitments.models import Commitment
from responses.models import Document, Response
from tests import factories
from tests.api.conftest import assert_error, client_for

pytestmark = pytest.mark.django_db

LETTER = Path(__file__).resolve().parents[2] / "corpus" / "dev" / "r05_yaoan_jiaotong.txt"
WORD_97 = "这是 Word 97-2003（.doc）文件，请在 Word 或 WPS 中另存为 .docx 或 PDF 后上传"
SHEET = "系统不读取表格；请上传函件的 Word（.docx）、PDF 或文本（.txt）文件，或在 Excel 或 WPS 中另存为 PDF 后上传"

FREE, END, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def compound_file(stream: str, body: bytes) -> bytes:
    """An OLE2 compound file (MS-CFB version 3, 512-byte sectors) holding one stream, as Word 97-2003 (WordDocument)
    or Excel 97-2003 (Workbook) write them: header, one FAT sector, one directory sector, the stream's sectors. The
    stream is at least 4,096 bytes, so it lives in regular sectors (no mini stream)."""
    body = body.ljust(4096, b"\0")
    body += b"\0" * (-len(body) % 512)
    n = len(body) // 512
    fat = [FAT_SECTOR, END] + [2 + i + 1 for i in range(n - 1)] + [END]
    fat += [FREE] * (128 - len(fat))
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END, 0, END, 0)
    header += struct.pack("<109I", 0, *([FREE] * 108))

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", NO_STREAM, NO_STREAM, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", start, size)
        )

    directory = entry("Root Entry", 5, 1, END, 0) + entry(stream, 2, NO_STREAM, 2, len(body))
    directory += entry("", 0, NO_STREAM, 0, 0) * 2
    data = header + b"".join(struct.pack("<I", x) for x in fat) + directory + body
    assert len(header) == 512 and len(directory) == 512
    return data


def _word_97() -> bytes:
    return compound_file(
        "WordDocument", b"\xec\xa5\xc1\x00" + "关于市十五届人大三次会议第18号建议的答复".encode("utf-16-le")
    )


def _xls() -> bytes:
    return compound_file("Workbook", b"\x09\x08\x10\x00\x00\x06\x05\x00")


def _xlsx() -> bytes:
    book = Workbook()
    book.active.append(["编号", "标题", "主办单位"])
    book.active.append(["18", "关于加快停车场建设的建议", "市住建局"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _word_letter() -> bytes:
    document = docx.Document()
    for line in LETTER.read_text().splitlines():
        document.add_paragraph(line)
    document.add_paragraph("（Word 文档另存为 .doc 名）")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _rows() -> tuple[int, int, int]:
    return Document.objects.count(), Response.objects.count(), Commitment.objects.count()


def test_an_office_file_is_named_with_what_to_upload_instead(client):
    client.force_login(factories.clerk_of(factories.AgencyFactory(), "clerk_upload_19"))
    url = reverse("commitments:reply_upload")
    before = _rows()

    def refused(name: str, data: bytes) -> str:
        response = client.post(url, {"file": SimpleUploadedFile(name, data)})
        assert response.status_code == 415, name
        page = response.content.decode()
        assert "不支持的文件格式" not in page and "Unsupported file format" not in page, name
        return page

    assert WORD_97 in refused("答复函.doc", _word_97())
    # The bytes decide: the same file renamed .docx (the pipeline's “旧版 Office 文件…与扩展名 .docx 不符”) or .txt.
    assert WORD_97 in refused("答复函.docx", _word_97())
    assert WORD_97 in refused("答复函.txt", _word_97())
    assert "这是 Excel 97-2003 表格（.xls），" + SHEET in refused("交办清单.xls", _xls())
    assert "这是 Excel 表格（.xlsx），" + SHEET in refused("交办清单.xlsx", _xlsx())
    assert "这是 Excel 表格（.xlsx），" + SHEET in refused("交办清单.pdf", _xlsx())  # was “压缩包或 Office 文件”
    assert "这是 RTF 格式文件，请在 Word 或 WPS 中另存为 .docx 或 PDF 后上传" in refused(
        "答复函.doc", b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 SimSun;}} \\f0 reply}"
    )
    assert "这是 WPS 文字（.wps）文件" in refused("答复函.wps", _word_97())
    client.cookies["django_language"] = "en"
    page = refused("reply.doc", _word_97())
    assert "This is a Word 97-2003 (.doc) file; open it in Word or WPS, save it as .docx or PDF and upload that" in page
    assert "这是" not in page
    page = refused("list.xlsx", _xlsx())
    assert "This is an Excel spreadsheet (.xlsx); spreadsheets are not read here; upload the letter as a Word" in page
    assert _rows() == before


def test_a_letter_under_an_office_files_name_is_read_as_what_it_is(client):
    """A text letter named .doc (GBK, as many office systems save them) or .xlsx, an HTML page named .doc (Word's
    “save as web page”) and a .docx named .doc go to their preview with the letter's text."""
    client.force_login(factories.clerk_of(factories.AgencyFactory(), "clerk_upload_19"))
    url = reverse("commitments:reply_upload")
    text = LETTER.read_text()
    uploads = [  # each its own text: the same letter twice would be one document
        ("答复函.doc", text.encode("gbk")),
        ("答复函.xlsx", (text + "\n（文本另存为表格名）").encode()),
        ("答复函.doc", f"<html><body><p>{text}</p><p>网页另存</p></body></html>".encode()),
        ("答复函.doc", _word_letter()),
    ]
    for n, (name, data) in enumerate(uploads, start=1):
        response = client.post(url, {"file": SimpleUploadedFile(name, data)})
        assert response.status_code == 302, (name, response.content.decode()[:3000])
        document = Document.objects.order_by("-pk").first()
        assert Document.objects.count() == n and response["Location"] == reverse(
            "commitments:reply_preview", args=[document.pk]
        )
        assert "姚安县" in document.text and document.original_name == name
        assert client.get(response["Location"]).status_code == 200
    # Noise named .doc is no text: the refusal names the extension, as before.
    noise = client.post(url, {"file": SimpleUploadedFile("答复函.doc", bytes(range(1, 256)) * 8)})
    assert noise.status_code == 415 and "不支持的文件格式（.doc）" in noise.content.decode()
    assert Document.objects.count() == len(uploads)


def test_the_api_names_an_office_file_too(client):
    clerk = factories.clerk_of(factories.AgencyFactory(), "clerk_upload_19")
    api = client_for(clerk)
    before = _rows()
    for path in ("/api/v1/responses/", "/api/v1/extract"):
        for name, data, zh, en in (
            ("答复函.doc", _word_97(), WORD_97, "This is a Word 97-2003 (.doc) file"),
            ("清单.xls", _xls(), "这是 Excel 97-2003 表格（.xls）", "This is an Excel 97-2003 spreadsheet (.xls)"),
            ("清单.xlsx", _xlsx(), "这是 Excel 表格（.xlsx）", "This is an Excel spreadsheet (.xlsx)"),
        ):
            upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
            error = assert_error(api.post(path, {"file": upload}, format="multipart"), 415, "unsupported_format")
            assert zh in error["message"] and en in error["message"], (path, name)
    assert _rows() == before
    upload = SimpleUploadedFile("答复函.doc", LETTER.read_text().encode("gbk"), content_type="application/msword")
    response = api.post("/api/v1/extract", {"file": upload}, format="multipart")
    assert response.status_code == 200, response.content[:500]
    assert _rows() == before  # the extraction saves nothing


def test_the_compound_file_is_one(tmp_path):
    """The test's Word 97-2003 and Excel 97-2003 files are well-formed compound files: `file` (libmagic) reads their
    directories and names the application."""
    import shutil
    import subprocess

    if not shutil.which("file"):
        pytest.skip("no file(1)")
    path = tmp_path / "letter.doc"
    path.write_bytes(_word_97())
    out = subprocess.run(["file", "-b", str(path)], capture_output=True, text=True, check=True).stdout
    assert "CDFV2 Microsoft Word" in out, out
    path.write_bytes(_xls())
    out = subprocess.run(["file", "-b", str(path)], capture_output=True, text=True, check=True).stdout
    assert "CDFV2 Microsoft Excel" in out, out
    with zipfile.ZipFile(io.BytesIO(_xlsx())) as book:
        assert "xl/workbook.xml" in book.namelist()
