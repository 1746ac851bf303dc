"""OpenAPI examples from the seed data (fixtures/documents/000_e488b48de0fcacd5.txt, abridged)."""

from drf_spectacular.utils import OpenApiExample

# The pipeline's output for seed 000, two of its ten commitments kept.
EXTRACT_SEED_000 = OpenApiExample(
    "昆发改易地函〔2023〕20号",
    summary="种子答复函 000（节选）/ seed reply 000 (abridged)",
    response_only=True,
    status_codes=["200"],
    value={
        "metadata": {
            "doc_number": "昆发改易地函〔2023〕20号",
            "agency": "昆明市发展和改革委员会",
            "body": "人大",
            "proposal_kind": "建议",
            "session": "昆明市第十五届人大三次会议",
            "proposal_number": "153018",
            "proposal_title": "关于支持振兴东川工业经济、助推昆明经济高质量发展建设的建议",
            "proposers": ["张顺奎", "兰亚琼"],
            "lead_agency": None,
            "co_agencies": [],
            "reply_date": "2023-05-30",
            "category": "A",
            "contact_name": "朱勋毕",
            "contact_phones": ["0871—63160115", "13629605626"],
            "cc": ["市委办公室", "市政府办公室", "市人大常委会人事代表工委"],
        },
        "commitments": [
            {
                "text": "昆明市发展改革委、昆明市工业和信息化局将持续加强与东川区的沟通、衔接，共同加快推动东川区建设有色金属资源综合利用基地，同时，在园区基础设施建设、产业招商引资、企业培育扶持、产业链延伸打造等方面协同东川区持续加大工作推进力度，争取在 2025 年内取得实效，帮助重振东川区老工业基地雄风",
                "start": 1533,
                "end": 1675,
                "deadline": "2025-12-31",
                "deadline_text": "2025 年内",
                "precision": "year",
                "recurring": None,
                "targets": [],
                "agencies": ["昆明市发展改革委", "信息化局"],
                "strength": "争取",
            },
            {
                "text": "支持东川产业园区充分利用自身生态资源环境优等优势，进一步完善园区载体建设，对园区内道路、供电、供水、供气、供热、排水、循环化改造等基础设施建设项目，加大招商引资和产业扶持力度，力争到 2026 年培育形成 300 亿元园区",
                "start": 1688,
                "end": 1799,
                "deadline": "2026-12-31",
                "deadline_text": "到 2026 年",
                "precision": "year",
                "recurring": None,
                "targets": [{"text": "300 亿元", "value": 30000000000, "unit": "元"}],
                "agencies": [],
                "strength": "力争",
            },
        ],
    },
)
