"""Assignment lists (.xlsx, as congress and CPPCC offices send them): parse, check, and apply through services.

Parsing never writes: `parse_workbook` returns a plan with per-row errors (unknown agencies, bad dates,
duplicate numbers) for a dry-run preview; `plan_apply` imports a plan without errors in one transaction.
Agencies are matched by name, short name or alias (`agency_find`) and never created here.
"""

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from . import scoping
from .choices import AssignmentRole
from .dates import DATE_RANGE_MESSAGE, date_in_range
from .models import Agency, AssignmentImport, Proposal, Proposer, Session
from .selectors import agency_find
from .services import proposal_assign, proposal_register, proposer_ensure, proposer_kind_for

MAX_ROWS = 5000
# What a dry run reads of the sheet, blank rows and columns included. openpyxl's read-only sheet pads every row to the
# width its <dimension> declares (up to 16,384 columns) and yields each missing row up to the next one present: a 53 KB
# list declaring A1:XFD1048576 with 20,000 empty rows took 48 s, one cell in row 1,048,576 never ended (session 20).
MAX_COLUMNS = 64
MAX_SHEET_ROWS = MAX_ROWS + 5000
# One cell's text. A shared string is stored once and may be referenced by every cell: a 23 KB list whose 1,000
# titles were one 100,000-character string took 16 s and 1.2 GB to read, and its dry-run page would show them all.
CELL_MAX = 1000
# The zip directory, checked before openpyxl opens it (zipfile never inflates past a declared size): the shared
# strings and styles are read whole into memory.
MAX_PARTS = 1000
MAX_XML_PART_BYTES = 30 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
# Column widths of Proposal.number and Proposer.name (titles are cut to their column on import, as before).
NUMBER_MAX = Proposal._meta.get_field("number").max_length or 32
NAME_MAX = Proposer._meta.get_field("name").max_length or 100

# Header spellings seen in offices' lists, per column; exact matches win over "contains" matches.
HEADERS: dict[str, tuple[str, ...]] = {
    "number": ("编号", "建议编号", "提案编号", "议案编号", "建议号", "提案号", "案号", "议案号", "提案序号"),
    "title": ("标题", "题目", "案由", "建议标题", "提案标题", "建议题目", "提案题目", "名称"),
    "proposers": ("提出人", "领衔代表", "提案人", "提出者", "领衔人", "代表", "委员", "代表姓名", "提案者"),
    "lead": ("主办单位", "主办", "承办单位", "承办", "主办部门", "主办单位名称"),
    "co": ("协办单位", "协办", "会办单位", "会办", "协办部门", "分办单位"),
    "date": ("交办日期", "交办时间", "交办", "日期"),
}
_SPLIT = re.compile(r"[、，,；;／/\n\r\t ]+")
_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


class ImportFileError(Exception):
    """The upload is not a readable .xlsx assignment list."""


@dataclass
class AgencyRef:
    """An agency name as written in the list and the agency it matched (None when unknown)."""

    name: str
    agency_id: int | None
    role: str = AssignmentRole.LEAD
    matched_name: str = ""


@dataclass
class ImportRow:
    """One row of the list, parsed and checked."""

    row: int
    number: str
    title: str
    proposers: list[str] = field(default_factory=list)
    agencies: list[AgencyRef] = field(default_factory=list)
    assigned_on: dt.date | None = None
    errors: list[str] = field(default_factory=list)
    exists: bool = False

    @property
    def lead_names(self) -> list[str]:
        return [a.matched_name or a.name for a in self.agencies if a.role == AssignmentRole.LEAD]

    @property
    def co_names(self) -> list[str]:
        return [a.matched_name or a.name for a in self.agencies if a.role != AssignmentRole.LEAD]


@dataclass
class ImportPlan:
    """The parsed list: its rows, the columns recognised, and problems that concern the whole file."""

    rows: list[ImportRow]
    columns: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors and not any(r.errors for r in self.rows)

    @property
    def error_count(self) -> int:
        return sum(1 for r in self.rows if r.errors)

    def to_payload(self) -> list[dict]:
        return [
            {
                "row": r.row,
                "number": r.number,
                "title": r.title,
                "proposers": r.proposers,
                "agencies": [[a.name, a.agency_id, a.role] for a in r.agencies],
                "assigned_on": r.assigned_on.isoformat() if r.assigned_on else None,
                "errors": r.errors,
            }
            for r in self.rows
        ]


def _norm_header(value) -> str:
    return re.sub(r"[\s（）()*:：]", "", str(value or ""))


def _match_columns(header: list) -> dict[str, int]:
    names = [_norm_header(h) for h in header]
    found: dict[str, int] = {}
    for exact in (True, False):
        for key, spellings in HEADERS.items():
            if key in found:
                continue
            for index, name in enumerate(names):
                if not name or index in found.values():
                    continue
                if (name in spellings) if exact else any(s in name for s in spellings if len(s) > 1):
                    found[key] = index
                    break
    return found


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse_date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float):
        # An Excel serial day number that openpyxl did not convert (the cell lacks a date format).
        if 20000 < value < 80000:
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        raise ValueError(str(value))
    match = _DATE.match(str(value))
    if not match:
        raise ValueError(str(value))
    return dt.date(int(match[1]), int(match[2]), int(match[3]))


def _number(value) -> str:
    text = _cell_text(value)
    return re.sub(r"^第|号$", "", text).strip()


def _names(value) -> list[str]:
    return [n for n in (p.strip() for p in _SPLIT.split(_cell_text(value))) if n]


def _check_zip(data: bytes) -> None:
    """Refuse a list whose zip directory declares more than a list holds (a zip bomb), before anything is inflated."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
        raise ImportFileError(_("无法读取该文件，请上传 .xlsx 格式的交办清单")) from exc
    if len(infos) > MAX_PARTS:
        raise ImportFileError(
            _("文件内的部件过多（%(n)s 个，上限 %(max)s 个），不像是交办清单；请另存为新的 .xlsx 后重新上传")
            % {"n": len(infos), "max": MAX_PARTS}
        )
    too_big = _("文件解压后过大（%(what)s），不像是交办清单；请删去无关内容或另存为新的 .xlsx 后重新上传")
    if sum(info.file_size for info in infos) > MAX_UNCOMPRESSED_BYTES:
        raise ImportFileError(too_big % {"what": f"{sum(info.file_size for info in infos) // (1024 * 1024)} MB"})
    for info in infos:
        if info.filename.lower().endswith((".xml", ".rels")) and info.file_size > MAX_XML_PART_BYTES:
            raise ImportFileError(too_big % {"what": f"{info.filename[:60]}: {info.file_size // (1024 * 1024)} MB"})


def parse_workbook(data: bytes, *, session: Session | None = None) -> ImportPlan:
    """Read the first sheet: find the header row, map columns by their spellings, check every row.

    Bounded whatever the file declares: its zip directory (`_check_zip`), the first MAX_COLUMNS columns and
    MAX_SHEET_ROWS rows (blank ones included), and CELL_MAX characters per cell (a longer cell is a row error)."""
    from openpyxl import load_workbook

    _check_zip(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as exc:  # openpyxl raises many types (zipfile, KeyError, InvalidFileException…)
        raise ImportFileError(_("无法读取该文件，请上传 .xlsx 格式的交办清单")) from exc
    try:
        return _parse_sheet(workbook, sheet, session)
    except ImportFileError:
        raise
    except Exception as exc:  # a damaged sheet part fails while it is streamed (lxml, zipfile, openpyxl's types)
        raise ImportFileError(_("无法读取该文件，请上传 .xlsx 格式的交办清单")) from exc
    finally:
        workbook.close()


def _parse_sheet(workbook, sheet, session: Session | None) -> ImportPlan:
    rows_iter = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
    columns: dict[str, int] = {}
    header: list = []
    header_row = 0
    for index, values in enumerate(rows_iter, start=1):
        columns = _match_columns(list(values))
        if "number" in columns and "title" in columns:
            header, header_row = list(values), index
            break
        if index >= 10:
            break
    if not header_row:
        raise ImportFileError(_("未找到表头：需要“编号”“标题”两列（可写作 建议编号/提案号/案号、题目/案由）"))
    co_roles = {}
    if "co" in columns:
        co_roles["co"] = AssignmentRole.JOINT if "会办" in _norm_header(header[columns["co"]]) else AssignmentRole.CO
    plan = ImportPlan(rows=[], columns={k: _cell_text(header[i]) for k, i in columns.items()})
    if "lead" not in columns:
        plan.errors.append(_("未找到“主办单位”列"))
    seen: dict[str, int] = {}
    agency_cache: dict[str, Agency | None] = {}
    for index, values in enumerate(rows_iter, start=header_row + 1):
        if index > MAX_SHEET_ROWS:
            plan.errors.append(_("清单超过 %(n)s 行（含空行），请删去多余的行后重新上传") % {"n": MAX_SHEET_ROWS})
            break
        values = list(values)
        if not any(v is not None and v != "" for v in values) or not any(_cell_text(v) for v in values):
            continue
        long_cells = [(i, _cell_text(v)) for i, v in enumerate(values) if isinstance(v, str) and len(v) > CELL_MAX]
        if long_cells:
            values = [v[:CELL_MAX] if isinstance(v, str) else v for v in values]
        if len(plan.rows) >= MAX_ROWS:
            plan.errors.append(_("清单超过 %(n)s 行") % {"n": MAX_ROWS})
            break

        def cell(key, values=values):
            i = columns.get(key)
            return values[i] if i is not None and i < len(values) else None

        row = ImportRow(
            row=index,
            number=_number(cell("number")),
            title=_cell_text(cell("title")),
            proposers=_names(cell("proposers")),
        )
        if not row.number:
            row.errors.append(_("缺少编号"))
        elif row.number in seen:
            row.errors.append(_("编号与第 %(n)s 行重复") % {"n": seen[row.number]})
        else:
            seen[row.number] = index
        if not row.title:
            row.errors.append(_("缺少标题"))
        for i, text in long_cells:
            heading = _cell_text(header[i]) if i < len(header) else ""
            row.errors.append(
                _("“%(column)s”一格超过 %(n)s 字（%(length)s 字）")
                % {"column": heading[:20] or i + 1, "n": CELL_MAX, "length": len(text)}
            )
        for key, role in (("lead", AssignmentRole.LEAD), ("co", co_roles.get("co", AssignmentRole.CO))):
            for name in _names(cell(key)):
                if name not in agency_cache:
                    agency_cache[name] = agency_find(name)
                agency = agency_cache[name]
                row.agencies.append(AgencyRef(name, agency.pk if agency else None, role, agency.name if agency else ""))
                if agency is None:
                    row.errors.append(_("未知单位：%(name)s") % {"name": name})
        if "lead" in columns and not any(a.role == AssignmentRole.LEAD for a in row.agencies):
            row.errors.append(_("缺少主办单位"))
        try:
            row.assigned_on = _parse_date(cell("date"))
        except (ValueError, OverflowError):
            row.errors.append(_("日期无法识别：%(value)s") % {"value": _cell_text(cell("date"))})
        if not date_in_range(row.assigned_on):
            row.errors.append(
                _("交办日期超出范围：%(day)s（%(range)s）") % {"day": row.assigned_on, "range": DATE_RANGE_MESSAGE}
            )
            row.assigned_on = None
        # The lengths the columns hold: a longer value is a row error here, not a database error on import.
        if len(row.number) > NUMBER_MAX:
            row.errors.append(_("编号超过 %(n)s 字") % {"n": NUMBER_MAX})
        for name in row.proposers:
            if len(name) > NAME_MAX:
                row.errors.append(_("提出人超过 %(n)s 字：%(name)s…") % {"n": NAME_MAX, "name": name[:20]})
        plan.rows.append(row)
    if not plan.rows and not plan.errors:
        plan.errors.append(_("清单没有数据行"))
    if session is not None:
        plan_mark_existing(plan, session)
    return plan


def plan_mark_existing(plan: ImportPlan, session: Session) -> None:
    """Flag rows whose number already exists in the session (they are updated, not duplicated)."""
    numbers = [r.number for r in plan.rows if r.number]
    existing = set(Proposal.objects.filter(session=session, number__in=numbers).values_list("number", flat=True))
    for row in plan.rows:
        row.exists = row.number in existing


def plan_from_payload(rows: list[dict]) -> ImportPlan:
    """Rebuild a plan from its signed payload, re-checking that every matched agency still exists."""
    ids = {a[1] for r in rows for a in r["agencies"] if a[1]}
    names = dict(Agency.objects.filter(pk__in=ids).values_list("pk", "name"))
    plan = ImportPlan(rows=[])
    for r in rows:
        row = ImportRow(
            row=r["row"],
            number=r["number"],
            title=r["title"],
            proposers=list(r["proposers"]),
            assigned_on=dt.date.fromisoformat(r["assigned_on"]) if r["assigned_on"] else None,
            errors=list(r["errors"]),
        )
        for name, agency_id, role in r["agencies"]:
            if agency_id and agency_id not in names:
                row.errors.append(_("单位已不存在：%(name)s") % {"name": name})
                agency_id = None
            row.agencies.append(AgencyRef(name, agency_id, role, names.get(agency_id, "")))
        plan.rows.append(row)
    return plan


def sessions_for(user) -> QuerySet[Session]:
    """Sessions a user may import into: those of the bodies they supervise (every one for administrators)."""
    queryset = Session.objects.select_related("body")
    if scoping.sees_everything(user):
        return queryset
    return queryset.filter(body_id__in=scoping.body_ids(user))


@dataclass(frozen=True)
class ImportResult:
    """What `plan_apply` did: the items' pks in the list's order, how many of them were new, the assignments made, and
    the import's record (its result page, `proposals:import_result`)."""

    items: list[int]
    created: int
    assignments: int
    record: AssignmentImport


@transaction.atomic
def plan_apply(*, plan: ImportPlan, session: Session, user=None) -> ImportResult:
    """Register every row's item and assign it (交办), all or nothing, and record the import (`AssignmentImport`)."""
    if not plan.ok:
        raise ValueError("plan has errors")
    agencies = Agency.objects.in_bulk({a.agency_id for r in plan.rows for a in r.agencies})
    numbers = [row.number for row in plan.rows]
    existing = set(Proposal.objects.filter(session=session, number__in=numbers).values_list("number", flat=True))
    items: list[int] = []
    assignments = 0
    for row in plan.rows:
        proposers = [
            proposer_ensure(name=n, kind=proposer_kind_for(name=n, body_kind=session.body.kind)) for n in row.proposers
        ]
        proposal = proposal_register(session=session, number=row.number, title=row.title[:300], proposers=proposers)
        items.append(proposal.pk)
        for ref in row.agencies:
            proposal_assign(
                proposal=proposal, agency=agencies[ref.agency_id], role=ref.role, assigned_on=row.assigned_on
            )
            assignments += 1
    created = len(set(numbers) - existing)
    record = AssignmentImport.objects.create(
        session=session,
        imported_by=user if user is not None and user.is_authenticated else None,
        item_count=len(items),
        created_count=created,
        assignment_count=assignments,
    )
    record.items.set(items)
    return ImportResult(items=items, created=created, assignments=assignments, record=record)
