"""OpenAPI examples from the seed data (fixtures/documents/000_e488b48de0fcacd5.txt)."""

from drf_spectacular.utils import OpenApiExample

_PARK = {
    "id": 6,
    "text": "支持东川产业园区充分利用自身生态资源环境优等优势，进一步完善园区载体建设，"
    "对园区内道路、供电、供水、供气、供热、排水、循环化改造等基础设施建设项目，"
    "加大招商引资和产业扶持力度，力争到 2026 年培育形成 300 亿元园区",
    "status": "open",
    "overdue": False,
    "strength": "strive",
    "deadline": "2026-12-31",
    "deadline_text": "到 2026 年",
    "precision": "year",
    "is_vague": False,
    "recurrence": "",
    "agency": {"id": 1, "name": "昆明市发展和改革委员会"},
    "agencies": [{"id": 1, "name": "昆明市发展和改革委员会"}],
    "agency_names": [],
    "proposal": 1,
    "session": 1,
    "response": 1,
    "document": 1,
    "section": "（二）园区建设方面。",
    "section_kind": "next",
    "start": 1688,
    "end": 1799,
    "targets": [
        {
            "id": 4,
            "text": "300 亿元",
            "value": "30000000000.0000",
            "unit": "元",
            "actual_value": None,
            "actual_recorded_on": None,
            "actual_note": "",
        }
    ],
    "owner": None,
    "closed_on": None,
    "created_at": "2023-06-01T09:30:00+08:00",
    "updated_at": "2023-06-01T09:30:00+08:00",
}

COMMITMENT_PARK = OpenApiExample(
    "力争到 2026 年培育形成 300 亿元园区",
    summary="种子答复函 000 的一项承诺 / a commitment of seed reply 000",
    response_only=True,
    status_codes=["200"],
    value=_PARK,
)

PROGRESS_INPUT = OpenApiExample(
    "填报进展 / record progress",
    request_only=True,
    value={
        "note": "园区供水、供电改造已完成招标，年内开工",
        "percent": 30,
        "evidence_url": "https://example.gov.cn/notice/1",
    },
)

EXTENSION_INPUT = OpenApiExample(
    "申请延期 / request an extension",
    request_only=True,
    value={"kind": "extension", "requested_deadline": "2027-06-30", "reason": "园区规划调整，需重新报批"},
)
