"""Robustness sweep (issue 10's bar): every document through every save path, re-encoded and hostile files, bad payloads.

Usage: DATABASE_URL=postgres://…/luoshi_sweep python -m benchmarks.sweep_robust [--phase docs,variants,payloads]
       [--files 'corpus/*/*.txt'] [--seeds DIR] [--limit N] [--json OUT] [-v]

Runs the real stack (PostgreSQL, the Django test client, the whole middleware) in the database of DATABASE_URL
(migrated first); every document is handled inside a savepoint that is rolled back, so documents never see each
other and the database stays empty. Phases:

- ``docs``: each document (corpus/*/*.txt and the seeds) through (a) the API's reply upload (POST
  /api/v1/responses/), (b) the clerk's upload → review form → save, the form posted as a browser posts the
  rendered page (textarea newlines as CRLF, the first newline after <textarea> dropped, <template> fields left
  out) unchanged and with one edit each: the first commitment removed, its deadline changed, the first candidate
  added as preview.js adds it; (c) ``manage.py ingest --confirm``. Checked: no 5xx, no exception, saved
  commitments equal to the extraction's (count, text, deadline), nothing written on a 4xx.
- ``variants``: each document re-encoded (GB18030, UTF-16 with BOM), as .docx (python-docx), as a text PDF
  (reportlab, STSong-Light; every 10th document: slow) through the API upload, compared with the UTF-8 file's
  commitments (PDF: only no 5xx and nothing half-saved, its line breaks differ); plus hostile files (truncated
  .docx/.pdf, a .docx zip bomb, 0 bytes, binary named .txt, a 5 MB single line, NUL bytes, an image-only PDF)
  through the API upload, the clerk's upload and ingest: a 4xx (exit 2 / an error line) and no row.
- ``payloads``: every write endpoint of docs/api.md with wrong types, missing fields, too-long strings, dates out
  of range, other agencies' ids and repeated submits: a 4xx with a specific ``error`` body, never a 5xx, and no
  row written by a refused request.

Prints counts per path and outcome and every finding; exit 1 when there is a finding. Slow (the corpus: ~1 h on a
shared 2-core machine): a fast subset runs in tests/api/test_sweep_subset.py.
"""

from __future__ import annotations

import argparse
import glob
import io
import json
import os
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class _Rollback(Exception):
    pass


# ----------------------------------------------------------------------------------------------- browser form


class BrowserForm(HTMLParser):
    """The fields of one <form> as a browser without scripts submits it, and the fields of its <template>s.

    Text inputs lose their newlines, a date or number input with an invalid value is empty, a textarea loses the
    newline right after its start tag and submits CRLF line breaks, a select submits its selected (or first)
    option, checkboxes only when checked; fields inside <template> are not submitted (kept in ``templates``).
    """

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.template_depth = 0
        self.fields: list[tuple[str, str]] = []
        self.templates: list[tuple[str, str, dict]] = []  # (name, value, meta) of fields inside <template>
        self._textarea: tuple[str, list[str]] | None = None
        self._select: tuple[str, list[tuple[str, bool]]] | None = None
        self._option: list | None = None
        self.candidates: list[str] = []  # data-values of the candidate checkboxes

    def _emit(self, name: str, value: str, meta: dict | None = None) -> None:
        if self.template_depth:
            self.templates.append((name, value, meta or {}))
        else:
            self.fields.append((name, value))

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.in_form = True
        if not self.in_form:
            return
        if tag == "template":
            self.template_depth += 1
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if "js-add-candidate" in (a.get("class") or ""):
                self.candidates.append(a.get("data-values") or "{}")
            name = a.get("name")
            if not name or "disabled" in a or kind in {"submit", "button", "file", "image", "reset"}:
                return
            value = a.get("value") or ""
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self._emit(name, value or "on", {"type": kind})
                elif self.template_depth:
                    self.templates.append((name, "", {"type": kind, "unchecked": True}))
                return
            if kind != "hidden":
                value = value.replace("\r", "").replace("\n", "")
            if kind == "date" and not _valid_date(value):
                value = ""
            if kind == "number" and not _valid_number(value):
                value = ""
            self._emit(name, value, {"type": kind})
        elif tag == "textarea" and a.get("name") and "disabled" not in a:
            self._textarea = (a["name"], [])
        elif tag == "select" and a.get("name") and "disabled" not in a:
            self._select = (a["name"], [])
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, []]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)
        if self._option is not None:
            self._option[2].append(data)

    def handle_endtag(self, tag):
        if not self.in_form:
            return
        if tag == "form":
            self.in_form = False
        elif tag == "template":
            self.template_depth -= 1
        elif tag == "textarea" and self._textarea is not None:
            name, parts = self._textarea
            value = "".join(parts)
            if value.startswith("\r\n"):
                value = value[2:]
            elif value.startswith("\n"):
                value = value[1:]
            self._emit(name, _crlf(value), {"type": "textarea"})
            self._textarea = None
        elif tag == "option" and self._option is not None and self._select is not None:
            value, selected, text = self._option
            self._select[1].append((text and "".join(text).strip() if value is None else value, selected))
            self._option = None
        elif tag == "select" and self._select is not None:
            name, options = self._select
            chosen = [v for v, s in options if s] or [v for v, _ in options[:1]]
            for v in chosen[-1:]:
                self._emit(name, v, {"type": "select", "options": [v for v, _ in options]})
            if not chosen and self.template_depth:
                self.templates.append((name, "", {"type": "select", "options": []}))
            self._select = None


def _crlf(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")


def _valid_date(value: str) -> bool:
    import datetime as dt

    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _valid_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def browser_form(html: str, form_id: str = "preview-form") -> BrowserForm:
    parser = BrowserForm(form_id)
    parser.feed(html)
    parser.close()
    return parser


def add_candidate(form: BrowserForm, data: dict[str, str], values: dict[str, str]) -> dict[str, str]:
    """What preview.js does when a candidate is ticked: a copy of the empty form, its fields set to the values."""
    index = int(data["c-TOTAL_FORMS"])
    out = dict(data)
    for name, value, meta in form.templates:
        name = name.replace("__prefix__", str(index))
        key = name.split("-", 2)[2]
        if key in values:
            value = values[key]
            if meta.get("type") == "select" and value not in meta.get("options", []):
                continue  # a select set to a value it does not offer has nothing selected: nothing is submitted
            if meta.get("type") == "textarea":
                value = _crlf(value)
            elif meta.get("type") not in {"hidden", "textarea"}:
                value = value.replace("\r", "").replace("\n", "")
        elif meta.get("unchecked"):
            continue
        out[name] = value
    out["c-TOTAL_FORMS"] = str(index + 1)
    return out


# ----------------------------------------------------------------------------------------------- bookkeeping


@dataclass
class Sweep:
    verbose: bool = False
    outcomes: Counter = field(default_factory=Counter)
    findings: list[dict] = field(default_factory=list)

    def count(self, path: str, outcome: str) -> None:
        self.outcomes[(path, outcome)] += 1

    def find(self, kind: str, path: str, name: str, detail: str) -> None:
        self.findings.append({"kind": kind, "path": path, "file": name, "detail": detail[:2000]})
        if self.verbose:
            print(f"FINDING {kind} {path} {name}: {detail[:500]}", flush=True)


def _counts() -> dict[str, int]:
    from commitments.models import ChangeRequest, Commitment, ProgressUpdate
    from followup.models import Rating
    from responses.models import Document, Response

    return {
        "documents": Document.objects.count(),
        "responses": Response.objects.count(),
        "commitments": Commitment.objects.count(),
        "progress": ProgressUpdate.objects.count(),
        "change_requests": ChangeRequest.objects.count(),
        "ratings": Rating.objects.count(),
    }


def _expected(document, drop_first=False, deadline=None, extra=None) -> list[tuple[str, str | None]]:
    from commitments.reply_logging import commitment_inputs_from_extraction
    from responses.services import document_extraction

    items = commitment_inputs_from_extraction(document_extraction(document=document))
    rows = [(i.text.strip(), i.deadline.isoformat() if i.deadline else None) for i in items]
    if drop_first and rows:
        rows = rows[1:]
    if deadline and rows:
        rows[0] = (rows[0][0], deadline)
    if extra is not None:
        rows.append(extra)
    return rows


def _saved(document) -> list[tuple[str, str | None]]:
    from commitments.models import Commitment

    return [
        (c.text, c.deadline.isoformat() if c.deadline else None)
        for c in Commitment.objects.filter(document=document).order_by("pk")
    ]


def _diff(expected, saved) -> str:
    if expected == saved:
        return ""
    if len(expected) != len(saved):
        return f"count {len(saved)} saved, {len(expected)} extracted"
    for e, s in zip(expected, saved, strict=True):
        if e != s:
            return f"first difference: extracted {e!r}, saved {s!r}"
    return "differs"


def _in_savepoint(fn):
    """Run fn() in a savepoint that is always rolled back; an exception is returned, not raised."""
    from django.db import transaction

    result = {}
    try:
        with transaction.atomic():
            result["value"] = fn()
            raise _Rollback
    except _Rollback:
        return result.get("value"), None
    except Exception as exc:  # noqa: BLE001 - the sweep reports every exception
        return None, exc


# ----------------------------------------------------------------------------------------------- the actors


def actors():
    """A superuser who is also the clerk of one agency (the preview's agency is preset), and API clients."""
    from django.contrib.auth import get_user_model
    from rest_framework.test import APIClient

    from accounts.services import api_token_create
    from proposals.models import Agency

    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(username="sweep-admin", defaults={"is_superuser": True})
    agency, _ = Agency.objects.get_or_create(name="扫描测试市办公室", defaults={"jurisdiction": "扫描测试市"})
    agency.clerks.add(user)
    _, key = api_token_create(user=user, name="sweep", read_only=False)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return user, api


# ----------------------------------------------------------------------------------------------- (a) API upload


def api_upload(sweep: Sweep, api, name: str, data: bytes, label: str = "api", expect=None) -> dict | None:
    """POST the file to /api/v1/responses/; returns the saved (text, deadline) rows, or None."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from responses.models import Document

    def run():
        before = _counts()
        reply = api.post("/api/v1/responses/", {"file": SimpleUploadedFile(name, data)}, format="multipart")
        status = reply.status_code
        if status >= 500:
            sweep.find("5xx", label, name, f"{status} {reply.content[:300]!r}")
            return None
        if status != 201:
            body = reply.json()
            code = body.get("error", {}).get("code", "?")
            sweep.count(label, f"{status} {code}")
            after = _counts()
            if after != before:
                sweep.find("partial", label, name, f"{status} {code} wrote rows: {before} → {after}")
            return {"status": status, "code": code}
        sweep.count(label, "201")
        document = Document.objects.get(pk=reply.json()["document"])
        saved = _saved(document)
        wanted = _expected(document) if expect is None else expect
        problem = _diff(wanted, saved)
        if problem:
            sweep.find("mismatch", label, name, problem)
        return {"status": 201, "saved": saved}

    value, exc = _in_savepoint(run)
    if exc is not None:
        sweep.find("exception", label, name, "".join(traceback.format_exception(exc))[-1500:])
        return None
    return value


# ----------------------------------------------------------------------------------------------- (b) the form


EDITS = ("unchanged", "remove", "deadline", "candidate")


def form_path(sweep: Sweep, client, name: str, data: bytes, edits=EDITS) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.urls import reverse

    from responses.models import Document, Response

    def run():
        before = _counts()
        up = client.post(reverse("commitments:reply_upload"), {"file": SimpleUploadedFile(name, data)})
        if up.status_code >= 500:
            sweep.find("5xx", "form-upload", name, f"{up.status_code}")
            return
        if up.status_code != 302:
            sweep.count("form-upload", str(up.status_code))
            if _counts() != before:
                sweep.find("partial", "form-upload", name, f"{up.status_code} wrote rows")
            return
        sweep.count("form-upload", "302")
        preview_url = up["Location"]
        page = client.get(preview_url)
        if page.status_code != 200:
            sweep.find("5xx" if page.status_code >= 500 else "preview", "form-preview", name, str(page.status_code))
            return
        html = page.content.decode()
        form = browser_form(html)
        base = dict(form.fields)
        document = Document.objects.get(pk=int(preview_url.rstrip("/").split("/")[-1]))
        for edit in edits:
            post = dict(base)
            expect_args: dict = {}
            n = int(post.get("c-TOTAL_FORMS", 0))
            if edit == "remove":
                if not n:
                    continue
                post["c-0-DELETE"] = "on"
                expect_args["drop_first"] = True
            elif edit == "deadline":
                if not n:
                    continue
                post["c-0-deadline"] = "2027-06-30"
                expect_args["deadline"] = "2027-06-30"
            elif edit == "candidate":
                if not form.candidates:
                    continue
                values = json.loads(form.candidates[0])
                post = add_candidate(form, post, values)
                text = values.get("text", "").replace("\r\n", "\n").strip()
                expect_args["extra"] = (_crlf(text).strip(), values.get("deadline") or None)
            sid = transaction.savepoint()
            try:
                counts = _counts()
                reply = client.post(preview_url, post)
                label = f"form-{edit}"
                if reply.status_code >= 500:
                    sweep.find("5xx", label, name, str(reply.status_code))
                elif (
                    reply.status_code == 302
                    and "/replies/" in reply["Location"]
                    and Response.objects.filter(document=document).exists()
                ):
                    sweep.count(label, "saved")
                    wanted = _expected(document, **expect_args)
                    problem = _diff(wanted, _saved(document))
                    if problem:
                        sweep.find("mismatch", label, name, problem)
                else:
                    errors = {}
                    if reply.context is not None and "meta_form" in reply.context:
                        errors = {
                            "meta": reply.context["meta_form"].errors.get_json_data(),
                            "forms": [f.errors.get_json_data() for f in reply.context["formset"].forms if f.errors],
                            "formset": list(reply.context["formset"].non_form_errors()),
                        }
                    sweep.count(label, f"{reply.status_code} refused")
                    if _counts() != counts:
                        sweep.find("partial", label, name, f"{reply.status_code} wrote rows")
                    # A refusal without the form (Django's bare 400 page: TooManyFieldsSent) says nothing useful.
                    kind = "refused" if errors else "bare-400"
                    sweep.find(kind, label, name, json.dumps(errors, ensure_ascii=False) or str(reply.status_code))
            finally:
                transaction.savepoint_rollback(sid)

    _, exc = _in_savepoint(run)
    if exc is not None:
        sweep.find("exception", "form", name, "".join(traceback.format_exception(exc))[-1500:])


# ----------------------------------------------------------------------------------------------- (c) ingest


def ingest_path(sweep: Sweep, path: Path, data: bytes | None = None) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from responses.models import Document

    def run():
        before = _counts()
        out, err = io.StringIO(), io.StringIO()
        target = path
        if data is not None:
            target = Path(os.environ.get("TMPDIR", "/tmp")) / f"sweep-{os.getpid()}-{path.name}"
            target.write_bytes(data)
        try:
            call_command("ingest", str(target), "--confirm", stdout=out, stderr=err)
            failed = False
        except CommandError:
            failed = True
        finally:
            if data is not None:
                target.unlink()
        if failed or err.getvalue():
            sweep.count("ingest", "refused")
            if _counts() != before:
                sweep.find("partial", "ingest", path.name, f"refused but wrote rows: {err.getvalue()[:200]}")
            return
        sweep.count("ingest", "ok")
        document = Document.objects.order_by("-pk").first()
        if document is None:
            sweep.find("mismatch", "ingest", path.name, "no document stored")
            return
        problem = _diff(_expected(document), _saved(document))
        if problem:
            sweep.find("mismatch", "ingest", path.name, problem)

    _, exc = _in_savepoint(run)
    if exc is not None:
        sweep.find("exception", "ingest", path.name, "".join(traceback.format_exception(exc))[-1500:])


# ----------------------------------------------------------------------------------------------- variants


def as_docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def as_pdf(text: str) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=10.5, leading=16, wordWrap="CJK", spaceAfter=8)
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build([Paragraph(escape(p), style) for p in text.split("\n") if p.strip()])
    return buf.getvalue()


def encrypted_pdf() -> bytes:
    """A PDF with an open password (reportlab's RC4 encryption)."""
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, encrypt=pdfencrypt.StandardEncryption("secret", ownerPassword="owner"))
    pdf.drawString(40, 800, "Reply letter 2025")
    pdf.save()
    return buffer.getvalue()


def glyph_number_pdf() -> bytes:
    """A PDF whose only font is a Type0 font (Identity-H) without a ToUnicode map: pdfminer reads “(cid:1000)…”."""
    import zlib

    line = b"".join(b"<%04x>" % (1000 + (i * 37) % 3000) for i in range(40))
    content = b"BT /F1 12 Tf 40 780 Td " + b" ".join(b"[" + line + b"] TJ 0 -16 Td" for _ in range(10)) + b" ET"
    stream = zlib.compress(content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) "
        b"/Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def cut_mid_character(data: bytes) -> bytes:
    """UTF-8 `data` without the last byte of its last multi-byte character (and what follows it)."""
    end = len(data) - 1
    while not 0x80 <= data[end] <= 0xBF:
        end -= 1
    return data[:end]


def hostile_files(bomb: bool = True) -> list[tuple[str, bytes]]:
    """Small hostile uploads not already in benchmarks/hostile_files.py, plus two of its builders."""
    import zipfile

    from benchmarks import hostile_files as hostile

    seed = (ROOT / "fixtures" / "documents" / "000_e488b48de0fcacd5.txt").read_text(encoding="utf-8")
    docx = as_docx(seed)
    zipped = io.BytesIO()
    if bomb:  # 200 MB of spaces inflating from ~200 KB (building it takes seconds)
        with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("word/document.xml", "<w:document>" + " " * (200 * 1024 * 1024) + "</w:document>")
    image_pdf = hostile.pdf_with_content(b"q 100 0 0 100 0 0 cm BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI Q")
    return [
        ("truncated.docx", docx[: len(docx) // 2]),
        ("truncated.pdf", as_pdf(seed)[:1500]),
        *([("bomb.docx", zipped.getvalue())] if bomb else []),
        ("empty.txt", b""),
        ("empty.docx", b""),
        ("binary.txt", bytes(range(256)) * 64),
        ("elf.txt", b"\x7fELF\x02\x01\x01" + bytes(4000)),
        ("oneline.txt", ("我局将于2025年底前完成。" * 400_000).encode()[: 5 * 1024 * 1024]),
        ("nul.txt", seed.replace("。", "。\x00", 3).encode()),
        ("utf16-nul.txt", b"\xff\xfe" + "答复\x00函".encode("utf-16-le")),
        ("image-only.pdf", image_pdf),
        ("png-named.pdf", b"\x89PNG\r\n\x1a\n" + bytes(2000)),
        ("pdf-named.docx", as_pdf(seed)),
        ("docx-named.txt", docx),
        ("bad-utf8.txt", b"\xe6\x88\x91\xe5\xb1\x80" + b"\xff\xfe\xfd" * 100 + seed.encode()),
        ("long-name-" + "长" * 300 + ".txt", seed.encode()),
        # session 20
        ("cut-utf8.txt", cut_mid_character(seed.encode())),
        ("pasted-gbk.txt", seed[:300].encode() + "（另一系统以 GBK 保存的一段）\n".encode("gbk") + seed[300:].encode()),
        ("big5.txt", seed.encode("big5", errors="replace")),
        ("encrypted.pdf", encrypted_pdf()),
        ("glyph-numbers.pdf", glyph_number_pdf()),
        ("long-ext." + "x" * 200, seed.encode()),
    ]


# ----------------------------------------------------------------------------------------------- payloads


def payload_phase(sweep: Sweep, cases=None) -> None:
    from benchmarks.sweep_payloads import payload_cases

    for label, run in payload_cases() if cases is None else cases:

        def one(run=run, label=label):
            before = _counts()
            problems = run()
            for kind, detail in problems:
                sweep.find(kind, "payload", label, detail)
            sweep.count("payload", "ok" if not problems else "finding")
            return before

        _, exc = _in_savepoint(one)
        if exc is not None:
            sweep.find("exception", "payload", label, "".join(traceback.format_exception(exc))[-1500:])


# ----------------------------------------------------------------------------------------------- main


def setup(database: str | None) -> None:
    if database:
        base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/luoshi").rsplit("/", 1)[0]
        os.environ["DATABASE_URL"] = f"{base}/{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's response.context (the form's errors)
    import logging

    logging.getLogger("django.request").setLevel(logging.ERROR)  # every 4xx is counted, not logged
    logging.getLogger("axes").setLevel(logging.WARNING)

    call_command("migrate", verbosity=0)


def document_files(pattern: str, seeds: str | None, limit: int | None) -> list[Path]:
    files = [Path(p) for p in sorted(glob.glob(str(ROOT / pattern)))]
    if seeds:
        files += sorted(Path(seeds).glob("*.txt"))
    return files[:limit] if limit else files


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--phase", default="docs,variants,payloads")
    parser.add_argument("--files", default="corpus/*/*.txt")
    parser.add_argument("--seeds", default=os.path.join(os.environ.get("LUOSHI_SHARED", "/work/shared"), "seeds"))
    parser.add_argument("--database", help="a database name on the server of DATABASE_URL")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--pdf-every", type=int, default=10, help="make a PDF of every Nth document (slow)")
    parser.add_argument("--json", help="write the findings here")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    setup(args.database)
    from django.db import transaction
    from django.test import Client

    phases = set(args.phase.split(","))
    sweep = Sweep(verbose=args.verbose)
    files = document_files(args.files, args.seeds if os.path.isdir(args.seeds or "") else None, args.limit)
    started = time.monotonic()
    with transaction.atomic():
        user, api = actors()
        client = Client()
        client.force_login(user)
        if "docs" in phases or "variants" in phases:
            for n, path in enumerate(files, 1):
                data = path.read_bytes()
                name = f"{path.parent.name}/{path.name}"
                if "docs" in phases:
                    first = api_upload(sweep, api, path.name, data)
                    form_path(sweep, client, path.name, data)
                    ingest_path(sweep, path)
                else:
                    first = None
                if "variants" in phases:
                    text = data.decode("utf-8")
                    expect = first.get("saved") if first and first.get("status") == 201 else None
                    for encoding, suffix in (("gb18030", "gb18030.txt"), ("utf-16", "utf16.txt")):
                        api_upload(
                            sweep, api, f"{path.stem}.{suffix}", text.encode(encoding), f"api-{encoding}", expect
                        )
                    api_upload(sweep, api, f"{path.stem}.docx", as_docx(text), "api-docx", expect)
                    if args.pdf_every and (n - 1) % args.pdf_every == 0:
                        api_upload(sweep, api, f"{path.stem}.pdf", as_pdf(text), "api-pdf")
                if n % 50 == 0:
                    print(f"{n}/{len(files)} documents, {time.monotonic() - started:.0f} s", flush=True)
                del name
            if "variants" in phases:
                for hname, hdata in hostile_files():
                    api_upload(sweep, api, hname, hdata, "hostile-api")
                    form_path(sweep, client, hname, hdata, edits=("unchanged",))
                    ingest_path(sweep, Path(hname[-80:]), hdata)
        if "payloads" in phases:
            payload_phase(sweep)
        transaction.set_rollback(True)
    print(f"\n{len(files)} documents, {time.monotonic() - started:.0f} s")
    for (path, outcome), n in sorted(sweep.outcomes.items()):
        print(f"  {path:14} {outcome:28} {n}")
    kinds = Counter((f["kind"], f["path"]) for f in sweep.findings)
    print(f"findings: {len(sweep.findings)}")
    for (kind, path), n in sorted(kinds.items()):
        print(f"  {kind:10} {path:14} {n}")
    for f in sweep.findings[:60]:
        print(f"- {f['kind']} {f['path']} {f['file']}: {f['detail'][:300]}")
    if args.json:
        Path(args.json).write_text(json.dumps(sweep.findings, ensure_ascii=False, indent=1))
    return 1 if sweep.findings else 0


if __name__ == "__main__":
    sys.exit(main())
