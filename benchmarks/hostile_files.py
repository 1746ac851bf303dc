"""Hostile files: small uploads that expand, each run through ``extract_bytes`` in its own process.

Usage: python -m benchmarks.hostile_files [--out DIR] [--only NAME]
Builds the set (a PDF drawing 200,000 glyphs at one spot, scattered glyphs, an inflating stream,
2,000 pages, a .docx with 50 MB of paragraphs, a .docx of 5,000 parts, a 10 MB XML part of varied
text, HTML nested 100,000 deep and with 300,000 elements, texts of 25,000 and 4,900 commitment lines, 950,000 characters of prose, 150,000 years, a
UTF-8 text with NUL bytes) and prints per file: size, outcome (ok with the commitment count, or the
error code and budget), seconds, peak memory of the process (VmHWM) and the size of the JSON
answer. The bar (issue 14): each refused or extracted in ≤ 10 s and ≤ 500 MB, answer under 1 MB.
The builders are also used by tests/extraction/test_budgets.py.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# ----------------------------------------------------------------------------------------------- builders


def pdf_with_content(content: bytes, pages: int = 1) -> bytes:
    """A minimal PDF whose pages all draw one Flate-compressed content stream in Helvetica."""
    stream = zlib.compress(content, 9)
    font = 4 + pages
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (4 + i) for i in range(pages)) + b"] /Count %d >>" % pages,
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R "
        b"/Resources << /Font << /F1 %d 0 R >> >> >>" % font
    )
    objs += [page] * pages
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = b"%PDF-1.4\n"
    offsets = []
    for n, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


def pdf_glyphs_at_one_spot(n: int = 200_000) -> bytes:
    """Thousands of text operators drawn at one spot: ~2 KB."""
    return pdf_with_content(b"BT /F1 12 Tf 100 700 Td " + b"(AB) Tj " * n + b"ET")


def pdf_scattered_glyphs(n: int = 19_000, seed: int = 1) -> bytes:
    """Glyphs each at its own random spot on one page: pdfminer's layout analysis is quadratic in them."""
    rnd = random.Random(seed)
    ops = b"".join(b"1 0 0 1 %d %d Tm (A) Tj " % (rnd.randrange(600), rnd.randrange(780)) for _ in range(n))
    return pdf_with_content(b"BT /F1 12 Tf " + ops + b"ET")


def pdf_inflating_stream(mb: int = 100) -> bytes:
    """A content stream of spaces that inflates a thousandfold (100 MB from ~100 KB)."""
    return pdf_with_content(b"BT /F1 12 Tf 100 700 Td (Hello) Tj ET" + b" " * (mb * 1024 * 1024))


def pdf_many_pages(pages: int = 2000) -> bytes:
    """Thousands of pages sharing one content stream."""
    return pdf_with_content(b"BT /F1 12 Tf 100 700 Td (The same line on every page) Tj ET", pages=pages)


def _docx(document_xml: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    ct = (
        b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
        b'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main'
        b'+xml"/></Types>'
    )
    rels = (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", rels)
        z.writestr("word/document.xml", document_xml)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_with_paragraphs(paragraphs: list[str] | None = None, *, body: bytes | None = None) -> bytes:
    """A .docx whose body holds ``paragraphs`` (or the raw ``body`` XML)."""
    if body is None:
        body = b"".join(
            b"<w:p><w:r><w:t>" + p.replace("&", "&amp;").replace("<", "&lt;").encode() + b"</w:t></w:r></w:p>"
            for p in paragraphs or []
        )
    return _docx(
        b'<?xml version="1.0" encoding="UTF-8"?><w:document ' + _W + b"><w:body>" + body + b"</w:body></w:document>"
    )


def docx_paragraph_bomb(mb: int = 50) -> bytes:
    """50 MB of identical paragraphs in ~180 KB."""
    para = "我局将于2026年6月底前完成道路改造工程。".encode()
    one = b"<w:p><w:r><w:t>" + para + b"</w:t></w:r></w:p>"
    return docx_with_paragraphs(body=one * (mb * 1024 * 1024 // len(one)))


def docx_many_parts(parts: int = 5000) -> bytes:
    """A .docx of thousands of tiny parts."""
    return _docx(
        b'<?xml version="1.0" encoding="UTF-8"?><w:document '
        + _W
        + b"><w:body><w:p><w:r><w:t>"
        + "答复".encode()
        + b"</w:t></w:r></w:p>"
        b"</w:body></w:document>",
        {f"word/media/part{i}.xml": b"<x/>" for i in range(parts)},
    )


def docx_large_varied_xml(mb: float = 9.5, seed: int = 2) -> bytes:
    """A document.xml just under the XML budget, of varied text that compresses like prose (ratio ~3)."""
    rnd = random.Random(seed)
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    paras, size = [], 0
    while size < mb * 1024 * 1024:
        p = "".join(rnd.choices(chars, k=200)) + "。"
        paras.append(p)
        size += len(p.encode()) + 32
    return docx_with_paragraphs(paras)


def html_deeply_nested(depth: int = 100_000) -> bytes:
    return b"<html><body>" + b"<div>" * depth + "我局将于年底前完成。".encode() + b"</div>" * depth + b"</body></html>"


def html_many_elements(n: int = 300_000) -> bytes:
    return b"<html><body>" + b"<p>x</p>" * n + b"</body></html>"


def txt_commitment_lines(n: int = 25_000, *, dated: bool = True) -> bytes:
    """Many short commitment-like lines (dated or not): the candidate and commitment budgets."""
    when = "于2026年6月底前" if dated else "继续"
    return "".join(f"{i}. 我局将{when}完成第{i}段道路改造。\n" for i in range(n)).encode()


def txt_long_prose(chars: int = 950_000, seed: int = 3) -> bytes:
    """Just under the text budget: varied prose, every stage runs on it."""
    rnd = random.Random(seed)
    pool = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    out, n = [], 0
    while n < chars:
        sentence = "".join(rnd.choices(pool, k=30)) + ("。\n" if rnd.random() < 0.2 else "。")
        out.append(sentence)
        n += len(sentence)
    return "".join(out).encode()


def txt_date_words(n: int = 150_000) -> bytes:
    """A year on every few characters: the date stage resolves each one."""
    return ("2024年" * n).encode()


def txt_with_nul() -> bytes:
    return "关于市政协十三届二次会议第12号提案的答复\n我局将于年底前完成。\n".encode() + b"\x00\x00garbage\x00"


HOSTILE: dict[str, Callable[[], bytes]] = {
    "glyphs_one_spot.pdf": pdf_glyphs_at_one_spot,
    "scattered_glyphs.pdf": pdf_scattered_glyphs,
    "inflating_stream.pdf": pdf_inflating_stream,
    "many_pages.pdf": pdf_many_pages,
    "paragraph_bomb.docx": docx_paragraph_bomb,
    "many_parts.docx": docx_many_parts,
    "large_varied_xml.docx": docx_large_varied_xml,
    "deeply_nested.html": html_deeply_nested,
    "many_elements.html": html_many_elements,
    "commitment_lines.txt": lambda: txt_commitment_lines(25_000, dated=False),
    "commitment_lines_4900.txt": lambda: txt_commitment_lines(4900),
    "long_prose.txt": txt_long_prose,
    "date_words.txt": txt_date_words,
    "nul_bytes.txt": txt_with_nul,
}


# ----------------------------------------------------------------------------------------------- running

_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from responses.extraction import ExtractionError, extract_bytes
path = sys.argv[1]
data = open(path, "rb").read()
start = time.perf_counter()
try:
    result = extract_bytes(data, path.rsplit("/", 1)[-1])
    body = json.dumps(result.to_prediction(), ensure_ascii=False)
    outcome = {{"ok": True, "commitments": len(result.commitments), "output_bytes": len(body.encode())}}
except ExtractionError as e:
    body = json.dumps(e.as_dict(), ensure_ascii=False)
    outcome = {{"ok": False, "error": type(e).__name__, "code": e.code, "status": e.http_status,
               "limit": getattr(e, "limit", None), "message": str(e), "output_bytes": len(body.encode())}}
outcome["seconds"] = round(time.perf_counter() - start, 2)
# VmHWM starts afresh at exec; ru_maxrss would carry the parent's peak over from the fork.
try:
    hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
    outcome["peak_mb"] = round(int(hwm.split()[1]) / 1024, 1)
except (OSError, StopIteration):
    outcome["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
print(json.dumps(outcome, ensure_ascii=False))
"""


def run_one(path: Path, timeout: float = 120) -> dict:
    """Extract ``path`` in a fresh Python process; its outcome, seconds, peak RSS (MB) and answer size.

    Anything but an ``ExtractionError`` (a traceback) makes the child fail and is returned as
    ``{"crashed": stderr}``.
    """
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD.format(root=str(ROOT)), str(path)],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if proc.returncode != 0:
        return {"crashed": proc.stderr[-2000:], "wall": round(time.perf_counter() - started, 2)}
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["wall"] = round(time.perf_counter() - started, 2)
    return out


def build(folder: Path, only: str | None = None) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, make in HOSTILE.items():
        if only and only != name:
            continue
        path = folder / name
        path.write_bytes(make())
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", help="folder to keep the files in (default: a temporary folder)")
    ap.add_argument("--only", help="one file name of the set")
    args = ap.parse_args(argv)
    folder = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="luoshi-hostile-"))
    paths = build(folder, args.only)
    print(f"{'file':<24} {'bytes':>9}  {'outcome':<44} {'s':>6} {'peak MB':>8} {'answer B':>9}")
    worst = 0.0
    for path in paths:
        r = run_one(path)
        if "crashed" in r:
            print(f"{path.name:<24} {path.stat().st_size:>9}  CRASHED\n{r['crashed']}")
            return 1
        outcome = (
            f"ok, {r['commitments']} commitments" if r["ok"] else f"{r['status']} {r['code']} ({r.get('limit') or '-'})"
        )
        worst = max(worst, r["seconds"])
        print(
            f"{path.name:<24} {path.stat().st_size:>9}  {outcome:<44} {r['seconds']:>6} {r['peak_mb']:>8} {r['output_bytes']:>9}"
        )
    print(f"files in {folder}; slowest {worst} s. Peak MB is the child's VmHWM (about 20 MB of it is Python).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
