"""Commitments: cleaned text + sections + metadata + reference date → commitments and declined points.

Contract: ``extract_commitments(text, sections, meta, ref) -> (commitments, declined)``.

Rules (general, see docs/extraction.md):
- The body is split into paragraphs, sentences (。！？), pieces (；) and clauses (，：).
- In a next-steps section (and after an intro such as "将从以下几方面推进：") every action
  sentence is a commitment, except headings, "一是…。" labels, intros ending in "：", closings and
  sentences about a plan's contents ("《行动》对…").
- Elsewhere a piece counts only from its first trigger clause to its end: a marker of future or
  commitment (确保 at the start of a clause, 力争, 争取 + time/result, 将 + verb, 计划/拟 + verb,
  预计, 努力 + verb, 下一步 at the start of a clause), a future-type time expression (到 2025 年,
  年内, 下半年, "十四五"期间, 本年可…) or a recurring schedule (每季度, 一月一调度). Markers inside
  《》 titles and long quotations do not count; "为确保" (purpose), "计划投资" (a project's size),
  "…后将成为" (a projected outcome) and statistics (同比) do not count.
- One piece with two deadlines gives two commitments, split at the clause with the second one.
- A unit's deadline is its own time expression, else one earlier in its sentence, else one that
  opens its paragraph. A unit whose deadline is already past at the reference date is dropped.
- "建议不再…", "暂不…" are declined points; suggestions addressed to others ("建议东川区…") are
  not commitments.
All patterns are compiled once and run over the whole text; units look up their expressions with
bisect, so time is linear in the text size.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import re

from .dates import find_time_expressions, find_vague, roll_forward
from .metadata import AGENCY_LINE_RE
from .sections import CLOSING_RE
from .targets import TARGET_RE, find_targets
from .types import Commitment, Declined, Metadata, Section, TimeExpr

_JIANG_NEXT = (
    "于|在|进一步|持续|继续|积极|加快|加大|加强|全力|着力|不断|重点|从|会|要|按照|根据|结合|围绕|"
    "给予|适时|尽快|争取|力争|努力|坚持|推动|推进|组织|开展|启动|实施|出台|印发|完成|建成|实现|"
    "达到|认真|主动|首次|大力|切实|逐步|及时|统筹|配合|联合|会同|牵头|协调|指导|支持|做好|抓好|"
    "研究|制定|编制|进行|加以|予以|不再|建立|健全|完善|优化|提升|提高|深入|深化|广泛|全面|做到|"
    "确保|督促|落实|严格|通过|依托|针对|聚焦|陆续|同步|另行|视情|择机|及早|尽早|专题|定期|共同|"
    "适度|充分|立即|迅速|抓紧|更加|一如既往|一并|再|向|对|以|把|为|按|新建|建设|投入|安排|申报|"
    "探索|谋划|启用|开工|投产|召开|举办|提请|报请|修订|修改|起草|印制|上报|报送|开通|改造|"
    "推行|推广|增设|设立|设置|回访|走访|扩大|简化|压缩|减少|降低|鼓励|引导|规范|整合|保障|创建|打造|"
    "培育|引进|增加|扩容|新增|加装|维修|修缮|修建|兴建|扩建|整治|治理|清理|排查|检查|督查|考核|评估|"
    "调研|征求|听取|邀请|公布|公开|发布|宣传|培训|配备|购置|采购|搭建|布局|跟踪|帮助|协助|解决|处理|"
    "组建|成立|筹建|筹集|申请|用好|发挥|强化|夯实|拓展|拓宽|畅通|打通|补齐|筑牢|坚决|力促|促进|带动|"
    "助力|保持|巩固|明确|细化|压实|优先|分批|分步|逐一|逐项|加速|提速|升级|延伸|覆盖|实行|执行|复制|"
    "总结|梳理|下达|拨付|兑付|签订|对接|衔接|沟通|反映|汇报|提交|报批|协商|会商|研判|监测|防范|化解|"
    "保护|修复|改善|补助|补贴|奖励|扶持|资助|减免|联系|邀|优化|分类|动态|着手|千方百计|想方设法|多措并举|"
    "交由|密切|关注|持续|立足|着眼|锚定|瞄准|"
    # manner adverbs and verbs of government work plans (round 10: "我省将贯彻落实…" was missed)
    "贯彻|高质量|高标准|高水平|全方位|多渠道|扎实|稳步|有序|采取|构建|加紧|紧盯|紧扣|紧紧|牢牢|始终|着重|"
    "依法|依规|按期|按时|如期|部署|调度|开发|争创|吸引|招引|招商|考虑|重新|尽力|尽最大|坚定|深度|集中|"
    "分期|逐年|适当|参照|遵循|依照|对标|大幅|抓住|抓实|做实|做细|做优|做强|做大|建好|管好|办好|跟进|"
    "督导|推出|投放|上线|运行|运营|投运|交付|竣工|完工|验收|分阶段|力求|全速|全力以赴|主抓|狠抓|紧抓"
)
_PLAN_NEXT = (
    "新开工|开工|建设|实施|开展|推进|于|在|到|与|用|完成|投入|启动|建成|出台|组织|举办|召开|新建|"
    "改造|争取|实现|对|将|从|安排|下达|通过|引进|培育|打造|新增|使用|筹措|申请|申报|修订|制定|编制|"
    "安装|铺设|硬化|修建|维修|修缮|购置|采购|配备|增设|设置|扩建|改建|整治|治理|发行|开通|上线|招聘|招录|"
    "培训|举行|筹建|组建|成立|推出|布设|更换|提升|提高|扩大|增加|发放|拨付|兑付|落实|作为|列为|纳入|报请|"
    "播种|种植|栽种|造林|植树|养殖|出栏|生产|接待|招引|兴建|达到|创建|"
    # a time right after the plan word: "计划近期开工", "计划今年完成", "拟2025年启动"
    r"\d|近期|尽快|年内|年底|今年|本年|明年|后年|下半年|上半年|[一二三四]季度|本月|下月"
)
MARKER_RE = re.compile(
    r"(?P<qb>确保)"
    r"|(?P<lz>力争)"
    r"|(?P<zq>争取)(?=[ \t\u3000]*(?:在|到[ \t\u3000]*(?:\d|[〇一二三四五六七八九十]|今年|明年|年底|年内|本年|“|\")|于|\d|[一二三四五六七八九十两]|今年|明年|年内|年底|本年|"
    r"实现|达到|完成|建成|早日|尽快|全面|全年|提前|把|使))"
    rf"|(?P<j>将)(?=[ \t\u3000]*(?:{_JIANG_NEXT}))"
    rf"|(?P<zb>准备)(?=[ \t\u3000]*(?:{_PLAN_NEXT}|进行))"
    rf"|(?P<jh>计划|拟)(?=[ \t\u3000]*(?:{_PLAN_NEXT}))"
    r"|(?P<yj>预计)"
    r"|(?P<nl>努力)(?![下，。,、的]|营造)"
    r"|(?P<xb>下一步|下步|下阶段|下一阶段|今后)"
    # "待项目批复后，…", "等市农业农村局批复后,进行…": the next step, scheduled after a condition.
    r"|(?P<dh>待|等)(?=[^，,。；;！？!?\n]{2,30}?后[ \t\u3000]*[，,])"
)
_STRENGTH = {
    "qb": "确保",
    "lz": "力争",
    "zq": "争取",
    "j": "将",
    "zb": "other",
    "jh": "计划",
    "yj": "预计",
    "nl": "other",
    "xb": "other",
    "dh": "other",
}
# "计划实施的…", "拟新建的…": a plan word inside a relative clause before a noun.
_ATTRIBUTIVE_PLAN = re.compile(r"[ \t\u3000]*[\u4e00-\u9fff]{1,3}的")
_STRENGTH_RANK = {"确保": 0, "力争": 1, "争取": 2, "将": 3, "计划": 4, "预计": 5, "other": 9}

TITLE_SPAN_RE = re.compile(r"《[^《》\n]{0,150}》")
QUOTE_SPAN_RE = re.compile(r"“[^“”\n]{12,400}”|「[^「」\n]{12,400}」")
_SPEECH_BEFORE = re.compile(r"(?:表示|说|指出|介绍|强调)[：:]$")
PARA_RE = re.compile(r"[^\n]+")
SENT_RE = re.compile(r"[^。！？!?\n]+[。！？!?]*")
PIECE_RE = re.compile(r"[^；;]+[；;]?")
CLAUSE_RE = re.compile(r"[^，,：:]+[，,：:]?")
DECLINED_RE = re.compile(r"建议不再|不再单独|暂不予|不予采纳|暂不具备|无法采纳|难以采纳|暂无法|不宜再")
_SENT_STOPS = "。；;\n！？!?"
# A paragraph that opens with "下一步，" or "今后，" is a next-steps paragraph.
# A paragraph that opens with its next-steps word: "下一步，…", and without the comma "下一步我局将…".
_NEXT_PARA = re.compile(
    r"[ \t\u3000]*(?:(?:下一步|下步|今后|下阶段|下一阶段)(?:工作中)?[，,：:]"
    r"|(?:下一步|下步|今后|下阶段|下一阶段)(?=[ \t\u3000]*(?:我|将|本|该|还|要|继续|各)))"
)
_STAT = re.compile(r"同比|比上年|较上年|环比|增速|增幅")
_TALLY = re.compile(r"[共计]\d+[个项家件座所条]")
_LABEL = re.compile(
    r"^[ \t\u3000*#—\-]*(?:[一二三四五六七八九十]+[是要]|其[一二三四五六七八九十]|第[一二三四五六七八九十]+)"
)
_LEAD_JUNK = re.compile(r"[ \t\u3000*#—\-–“\"]+|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[.．、](?!\d)")
_CLAUSE_LEAD = re.compile(
    r"^[ \t\u3000*—\-]*(?:同时|并且|并|还|要|将|此外|另外|以及|也|从而|切实|全力|努力)?[ \t\u3000]*$"
)
_PAST_CLAUSE = re.compile(r"^[ \t\u3000]*(?:现已|已经|已|目前已|截至|截止|累计|其中)")
_SUGGEST = re.compile(r"^[ \t\u3000]*(?:同时，)?建议")
_CONTINUE_PIECE = re.compile(r"^[ \t\u3000]*(?:同时|并|此外|另外|还)")
_SELF = re.compile(r"^(?:我委|我局|我厅|我办|我单位|我部|我院|本委|本局)$")
_AGENCY_WORD = re.compile(r"^(?:[市省州县区]级|各级|各[\u4e00-\u9fff]{1,8}(?:部门|单位))$")
_ADVERBS = re.compile(r"(?:原则上|要|也|还|均|都|将|正在|已|积极|继续|进一步|持续|共同)+$")

# Time expressions that trigger a commitment without a marker word.
_FUTURE_TYPE = re.compile(r"^(?:到|至)|(?:底|末|内|前|半年|季度|期间|时期|上旬|中旬|下旬)$|^(?:明年|次年)|年$")


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_SPACE_DIGITS = re.compile(r"[ \t\u3000\d]")
_FUTURE_END = re.compile(r"(?:底|末|内|前|半年|季度|期间|时期|期末|上旬|中旬|下旬)$")
_RANGE_DASH = re.compile(r"[—–\-－~～]")
_FIRST_YEAR = re.compile(r"\d{4}")
_ALONE_DONE = re.compile(r"[ \t\u3000]*[，,][^，,。；;！？\n]{0,30}?(?:已经|已|均已)(?![于在将有])")
_MODAL_AFTER = re.compile(r"[ \t\u3000]*(?:可|能|要|将|有望)")
_DATED_MILESTONE = re.compile(
    r"[ \t\u3000]*\d{4}[ \t\u3000]*年[底内]?[ \t\u3000]*(?:开工|建成|完工|竣工|投产|投运|投用|通车|交付)[ \t\u3000]*"
)
_MILESTONE_AFTER = re.compile(r"[ \t\u3000]*(?:开工|建成|完工|竣工|投产|投运|投用|通车|试运行|交付)(?![了的过])")


_NOT_WORD = re.compile(r"[^\u4e00-\u9fff\w]")
_CJK4 = re.compile(r"[\u4e00-\u9fff](?:[^\u4e00-\u9fff]*[\u4e00-\u9fff]){3}")  # four CJK letters


def _cjk_count(s: str) -> int:
    return sum(len(m) for m in _CJK_RUN.findall(s))


class _Index:
    """Sorted positions for bisect lookups."""

    def __init__(self, items, key):
        self.items = items
        self.keys = [key(x) for x in items]

    def within(self, start: int, end: int):
        i = bisect.bisect_left(self.keys, start)
        j = bisect.bisect_left(self.keys, end)
        return self.items[i:j]


def _spans(regex: re.Pattern, text: str) -> tuple[list[int], list[int]]:
    starts, ends = [], []
    for m in regex.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
    return starts, ends


def _inside(pos: int, starts: list[int], ends: list[int]) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and starts[i] < pos < ends[i]


def _section_kinds(paras: list[tuple[int, int]], sections: list[Section]) -> list[str]:
    """Section kind per paragraph, by a linear sweep."""
    out = []
    active: dict[int, Section] = {}
    si = 0
    for ps, _pe in paras:
        while si < len(sections) and sections[si].start <= ps:
            s = sections[si]
            active[s.level] = s
            for lv in list(active):
                if lv > s.level:
                    del active[lv]
            si += 1
        kind = "other"
        for lv in sorted(active, reverse=True):
            s = active[lv]
            if s.start <= ps < s.end:
                kind = s.kind
                break
        out.append(kind)
    return out


# Every marker starts with one of these characters: find them first (fast), then try the full
# pattern only there, left to right without overlaps like finditer.
_MARKER_FIRST = re.compile(r"[确力争将准计拟预努下今待等]")


def _markers(text: str):
    last = 0
    match = MARKER_RE.match
    for c in _MARKER_FIRST.finditer(text):
        pos = c.start()
        if pos < last:
            continue
        m = match(text, pos)
        if m:
            last = m.end()
            yield m


class _Ctx:
    def __init__(self, text: str, ref: dt.date, meta: Metadata, sections: list[Section]):
        self.text = text
        self.ref = ref
        self.meta = meta
        times = [t for t in find_time_expressions(text, ref)]
        self.title_s, self.title_e = _spans(TITLE_SPAN_RE, text)
        self.quote_s, self.quote_e = _spans(QUOTE_SPAN_RE, text)
        # Speech quoted after "…负责人表示：" is the quoted body's own statement, not a proposal's text.
        keep = [i for i, qs in enumerate(self.quote_s) if not _SPEECH_BEFORE.search(text, max(0, qs - 3), qs)]
        self.quote_s = [self.quote_s[i] for i in keep]
        self.quote_e = [self.quote_e[i] for i in keep]
        times = [t for t in times if not _inside(t.start, self.title_s, self.title_e)]
        self.times = _Index(times, lambda t: t.start)
        self.vague = _Index(find_vague(text), lambda t: t.start)
        markers = []
        for m in _markers(text):
            if _inside(m.start(), self.title_s, self.title_e) or _inside(m.start(), self.quote_s, self.quote_e):
                continue
            markers.append((m.start(), m.end(), m.lastgroup))
        self.markers = _Index(markers, lambda x: x[0])
        self.heading_s = sorted((s.heading_start, s.heading_end) for s in sections if s.heading_end > s.heading_start)
        self.heading_starts = [h[0] for h in self.heading_s]

    def in_heading(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.heading_starts, end) - 1
        while i >= 0:
            hs, he = self.heading_s[i]
            if he <= start:
                return False
            if hs < end and start < he:
                return True
            i -= 1
        return False


_HEADING_YEAR = re.compile(r"(?<!\d)(20\d\d)\s*年")
_HEADING_REPORTS = re.compile(r"情况|成效|回顾|完成|进展|成绩|总结|以来")


def _forward_year_sections(sections: list[Section], ref: dt.date) -> list[Section]:
    """A heading about a year not yet over ("2026年经济社会发展总体要求") plans; its section and
    its unclassified sub-sections are next steps."""
    out = []
    spans: list[tuple[int, int]] = []
    for s in sections:
        m = _HEADING_YEAR.search(s.heading)
        inside = any(a <= s.start < b for a, b in spans)
        if (m and int(m.group(1)) >= ref.year and not _HEADING_REPORTS.search(s.heading)) or (
            inside and s.kind == "other"
        ):
            if s.kind != "next_steps":
                s = dataclasses.replace(s, kind="next_steps")
            spans.append((s.start, s.end))
        out.append(s)
    return out


def _valid_marker(ctx: _Ctx, pos: int, end: int, group: str, clause_start: int) -> bool:
    text = ctx.text
    before = text[clause_start:pos]
    prev = text[pos - 1] if pos > 0 else ""
    if group in ("qb", "nl") and _NARRATIVE_FRAME.search(text, _sentence_start(text, clause_start), clause_start):
        return False  # "在办理过程中，主动听取…，努力把建议落到实处": the manner of work being described
    if group == "qb":
        return bool(_CLAUSE_LEAD.match(before))
    if group == "zq" and _DONE_BEFORE.search(before):
        return False  # "先后争取2400万元项目资金…", "已争取…": funds already obtained
    if group == "xb":
        return bool(_CLAUSE_LEAD.match(before)) or before.endswith(("，", ","))
    if group == "dh":
        if not _CLAUSE_LEAD.match(before):
            return False  # only where the clause opens: "…、城投等单位" is a list
        # "待上级下达计划后，将及时组织实施": the action clause has its own marker and starts the commitment.
        m = _NEXT_CLAUSE.match(text, end)
        return not (m and MARKER_RE.search(m.group(1)))
    if group == "j":
        # "项目建成投产后将成为…" projects an outcome; "审议通过后将于近期印发" schedules an action.
        if text[max(0, clause_start - 4) : clause_start].rstrip("，, \t\u3000").endswith("届时") or before.lstrip(
            " \t\u3000"
        ).startswith("届时"):
            return False  # "届时，…规模将达到9.5万吨/日": the outcome of a plan stated before
        if _after_past_date(ctx, clause_start):
            return False  # "2022年1月30日，泸西县将…初稿提交至弥勒市": 将 narrates a dated event
        if not before.strip(" \t\u3000") and _OUTCOME_AFTER.search(text, max(0, clause_start - 30), clause_start):
            return text[end : end + 1] in "于在"  # "项目建成后，将扩大…": the outcome, not a promise
        return prev not in "后施即" or text[end : end + 1] in "于在"
    if group == "jh":
        if text[pos:end] == "拟" and prev in "草模虚比":
            return False
        if prev in "个项批座家条所" or _ATTRIBUTIVE_PLAN.match(text, end):
            return False  # "142个计划实施项目", "计划实施的108个项目": 计划 qualifies a noun
        return not before.endswith(
            ("投资", "工作", "行动", "项目", "发展", "实施", "年度", "季度", "月度", "生产", "建设")
        )
    return True


_DONE_BEFORE = re.compile(r"(?:先后|累计|共|已经|已|曾|均)[ \t\u3000]*$")
_NEXT_CLAUSE = re.compile(r"[^，,。；;！？!?\n]*?后[ \t\u3000]*[，,]([^，,。；;！？!?\n]*)")


# A sentence that narrates how work is being or was done: a 确保/努力 tail later in it states the
# aim of that work, not a promise ("在办理过程中，…，努力把代表建议落到实处", "工人们正在紧张作业，确保…").
_NARRATIVE_FRAME = re.compile(r"过程中|十分重视|高度重视|正在")


def _sentence_start(text: str, pos: int) -> int:
    return max(text.rfind(ch, 0, pos) for ch in _SENT_STOPS + "\n") + 1


def _after_past_date(ctx: _Ctx, clause_start: int) -> bool:
    """Whether the clause before ``clause_start`` is only a past date of day or month precision."""
    text = ctx.text
    if clause_start < 2 or text[clause_start - 1] not in "，,":
        return False
    lo = max(text.rfind(ch, 0, clause_start - 1) for ch in _SENT_STOPS + "，,") + 1
    seg = text[lo : clause_start - 1].strip(" \t\u3000")
    if not seg:
        return False
    for t in ctx.times.within(lo, clause_start):
        if t.deadline is not None and t.precision in ("day", "month") and t.deadline < ctx.ref:
            return seg.replace(t.text, "").strip(" \t\u3000") in ("", "于", "在")
    return False


def _opens_with_past_day(ctx: _Ctx, pos: int) -> bool:
    """Whether the sentence holding ``pos`` opens with a past date of day precision and a comma."""
    text = ctx.text
    ss = _sentence_start(text, pos)
    while ss < pos and text[ss] in " \t\u3000":
        ss += 1
    for t in ctx.times.within(ss, pos):
        if t.start != ss:
            return False
        return (
            t.precision == "day"
            and t.deadline is not None
            and t.deadline < ctx.ref
            and text[t.end : t.end + 1] in "，,"
        )
    return False


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(start + m.start(), start + m.end()) for m in CLAUSE_RE.finditer(text[start:end])]


def _first_deadline(ctx: _Ctx, start: int, end: int) -> TimeExpr | None:
    for t in ctx.times.within(start, end):
        if t.deadline is not None:
            return t
    return None


def _first_recurring(ctx: _Ctx, start: int, end: int) -> TimeExpr | None:
    for t in ctx.times.within(start, end):
        if t.recurring:
            return t
    return None


def _is_trigger_time(ctx: _Ctx, t: TimeExpr) -> bool:
    if t.recurring:
        return t.recurring in ("quarterly", "half-yearly", "monthly")
    if t.deadline is None or t.deadline < ctx.ref:
        return False
    if _ALONE_DONE.match(ctx.text, t.end):
        return False  # "到7月10日，13件主办件已办结": a date alone in its clause, then a report of it done
    if _opens_with_past_day(ctx, t.start):
        return False  # "2月27日，…举行一季度重点项目集中动工活动": the report of a dated event
    words = _SPACE_DIGITS.sub("", t.text)
    if _FUTURE_END.search(words) or words.startswith(("到", "至", "明年", "次年", "展望")):
        return True
    if _RANGE_DASH.search(t.text):
        # "（2023—2025年）" names a plan's period; a bare "2017-2021年安排…" that began before
        # the letter's year reports a past period.
        m = _FIRST_YEAR.search(t.text)
        opened = ctx.text[t.start - 1 : t.start] in "（(" if t.start else False
        return opened or m is None or int(m.group()) >= ctx.ref.year
    # A plain year (今年, 本年, 2023年) with a modal right after: "本年可形成…".
    after = ctx.text[t.end : t.end + 2]
    if _MODAL_AFTER.match(after):
        return True
    # A future year or month right before a project milestone: "10月开工建设", "2016年开工".
    return bool(_MILESTONE_AFTER.match(ctx.text, t.end, t.end + 8))


def extract_commitments(
    text: str, sections: list[Section], meta: Metadata, ref: dt.date
) -> tuple[list[Commitment], list[Declined]]:
    """See module docstring."""
    sections = _forward_year_sections(sections, ref)
    ctx = _Ctx(text, ref, meta, sections)
    declined = []
    last_end = -1
    for m in DECLINED_RE.finditer(text):
        if m.start() < last_end:
            continue
        s, e = _sentence_around(text, m.start(), m.end())
        last_end = e
        s, e = _trim(text, s, e)
        if e > s:
            declined.append(Declined(text[s:e], s, e))
    dec_s = [d.start for d in declined]
    dec_e = [d.end for d in declined]

    body_end = len(text)
    closing = None
    for m in CLOSING_RE.finditer(text):
        closing = m.start()
    if closing is not None and closing > len(text) // 3:
        body_end = closing
    sign = meta.span("reply_date")
    if sign is not None and len(text) // 3 < sign.start < body_end:
        body_end = sign.start

    paras = [(m.start(), m.end()) for m in PARA_RE.finditer(text, 0, body_end)]
    kinds = _section_kinds(paras, sections)
    out: list[Commitment] = []
    section_strength: dict[str, str] = {}
    # An intro paragraph ending in "…做好以下工作：" carries its scope into the list items below it.
    carry: str | None = None
    plan_tail = False
    # A bare heading "“十五五”时期主要目标" (no colon) heads the paragraph of targets right below it.
    goal_head = False
    review = False
    for pi, ((ps, pe), kind) in enumerate(zip(paras, kinds, strict=True)):
        listed = carry is not None and bool(_LIST_ITEM.match(text, ps, pe))
        carried = carry if listed else None
        carry = carried
        after_goal_head, goal_head = goal_head, pe - ps <= 30 and bool(_GOAL_HEAD.search(text, ps, pe))
        if pe - ps <= 40 and not re.search(r"[，,。；;]", text[ps:pe]):
            # "2025年及“十四五”工作回顾" opens a review: its 预计 figures estimate the year just past.
            review = bool(_REVIEW_HEAD.search(text, ps, pe))
        if review:
            continue
        if (
            (ctx.in_heading(ps, min(pe, ps + 1)) or _NUMBERED_HEAD.match(text, ps, pe))
            and pe - ps <= 60
            and not re.search(r"[。]", text[ps:pe][:-1])
        ):
            continue  # a heading line
        ptxt = text[ps:pe].rstrip(" \t\u3000*")
        if "\t" in ptxt and (kind == "next_steps" or listed):
            # A table row in a plan ("1\t天元区…\t80\t2024年10月底") is a dated commitment.
            c = _table_row(ctx, ps, pe, kind)
            if c is not None:
                out.append(c)
            continue
        core = ptxt.rstrip('”"）)') if not re.search(r"[。！？!?]", ptxt) else ptxt
        if core and core[-1] not in "。！？!?；;：:…”）)" and not re.search(r"[，,]", ptxt):
            if not (kind == "next_steps" and _in_flat_list(text, paras, pi)):
                continue  # a title or headline, not prose
            # else: one line of a flattened list of targets ("城镇新增就业1200万人以上")
        para_time = _para_opening_time(ctx, ps, pe) if ctx.times.within(ps, pe) else None
        scope = kind == "next_steps" or bool(_NEXT_PARA.match(text, ps, pe)) or listed or after_goal_head
        scope = scope or (plan_tail and kind == "other")
        if not scope and para_time is not None and _plan_paragraph(ctx, para_time, ps, pe):
            scope = True  # "2025年，我省将贯彻…。围绕…，提前谋划…。加强…": the year's plan, sentence by sentence
        scope_strength = section_strength.get("ns") if kind == "next_steps" else carried
        first_sentence = True
        for sm in SENT_RE.finditer(text, ps, pe):
            ss, se = sm.start(), sm.end()
            is_first, first_sentence = first_sentence, False
            if ctx.in_heading(ss, se) and se - ss <= 60:
                continue
            if _CLOSING_SENT.match(text, ss, se):
                continue  # "再次对您…表示感谢": a closing formula
            prev_committed = False
            prev_strength = None
            for pm in PIECE_RE.finditer(text, ss, se):
                qs, qe = pm.start(), pm.end()
                piece = text[qs:qe]
                stripped = piece.strip(" \t\u3000*")
                if not stripped or not _CJK4.search(stripped):
                    continue
                if _inside_any(qs, qe, dec_s, dec_e):
                    continue
                ends_colon = stripped.rstrip("*").endswith(("：", ":"))
                markers = [(p, e, g) for p, e, g in ctx.markers.within(qs, qe)]
                if ends_colon:
                    # An intro: "下一步计划聚焦以下几个方面：" sets the scope for what follows.
                    valid = [g for p, e, g in markers if _valid_marker(ctx, p, e, g, _clause_start(ctx, qs, p))]
                    if (
                        _PLAN_INTRO.search(stripped)
                        and not text[qe:pe].strip(" \t\u3000*")
                        and pi + 1 < len(paras)
                        and _NUMBERED_HEAD.match(text, *paras[pi + 1])
                    ):
                        plan_tail = True  # the numbered sections that follow are the announced work
                    if valid or _GOAL_INTRO.search(stripped):
                        scope = True
                        scope_strength = _best_strength(valid)
                        if kind == "next_steps":
                            section_strength["ns"] = scope_strength
                        if qe >= pe - 1 or not text[qe:pe].strip(" \t\u3000*"):
                            carry = scope_strength
                    continue
                if scope:
                    clauses = _clauses(text, qs, qe)
                    lead = _scope_intro(ctx, clauses)
                    if lead is not None:
                        # "具体工作中，要把握好3方面：一要…", "建议2025年…努力目标为：全县生产总值增长7%":
                        # the intro heads the list; the item after its colon is what is promised.
                        qs = lead
                        stripped = text[qs:qe].strip(" \t\u3000*")
                        if not stripped or not _CJK4.search(stripped):
                            continue
                    elif stripped.startswith("《") or _SUGGEST.match(stripped):
                        continue
                    if _COUNT_INTRO.match(stripped) and text[qe:pe].strip(" \t\u3000*"):
                        continue  # "重点做好三个“加强”。" announces the items that follow
                    if is_first and _is_run_in_label(ctx, stripped, qs, qe, pe):
                        continue  # "推动主导产业发展壮大。" heads the sentences that follow
                    if _is_description(ctx, qs, qe):
                        continue  # "…主导产业是…", "2025年是…之年": a description, not an action
                    if (
                        _is_label(stripped)
                        and stripped.rstrip("*").endswith(("。", "."))
                        and text[qe:pe].strip(" \t\u3000*")
                        and _first_deadline(ctx, qs, qe) is None
                    ):
                        continue  # "一是推动权限下放工作。" labels the sentences that follow
                    units = _split_units(ctx, _clauses(text, qs, qe))
                    base_strength = None
                    for us, ue in units:
                        c = _make(ctx, us, ue, ss, para_time, kind, scope_strength or base_strength)
                        if c is not None:
                            out.append(c)
                            base_strength = base_strength or (c.strength if c.strength != "other" else None)
                    continue
                # Marker mode. Most pieces hold no marker and no time expression: skip them cheaply.
                if not markers and not ctx.times.within(qs, qe):
                    if not (prev_committed and _continues_list(text, qs, qe, stripped)):
                        prev_committed = False
                        continue
                clauses = _clauses(text, qs, qe)
                intro = _colon_intro(ctx, clauses)
                if intro is not None:
                    scope = True
                    scope_strength = intro[1]
                    rest = [c for c in clauses if c[0] >= intro[0]]
                    piece_rest = text[rest[0][0] : qe] if rest else ""
                    # "…：一是推动权限下放工作。" labels the sentences after it; "…：一是…；二是…" is a list item.
                    label = _is_label(piece_rest) and not piece_rest.rstrip(" \t\u3000").endswith(("；", ";"))
                    if rest and not (label and text[qe:pe].strip(" \t\u3000*")) and not _SUGGEST.match(piece_rest):
                        for us, ue in _split_units(ctx, rest):
                            c = _make(ctx, us, ue, ss, para_time, kind, scope_strength)
                            if c is not None:
                                out.append(c)
                    continue
                trig = None
                for ci, (cs, ce) in enumerate(clauses):
                    if _SUGGEST.match(text[cs:ce]):
                        continue
                    if any(_valid_marker(ctx, p, e, g, cs) for p, e, g in ctx.markers.within(cs, ce)):
                        trig = ci
                        break
                    if any(_is_trigger_time(ctx, t) for t in ctx.times.within(cs, ce)):
                        trig = ci
                        break
                continued = False
                if trig is None:
                    if prev_committed and _continues_list(text, qs, qe, stripped):
                        trig, continued = 0, True
                    else:
                        prev_committed = False
                        continue
                if trig > 0 and _lead_in(ctx, clauses[:trig], clauses[trig]):
                    trig = 0  # "县财政安排1500万元…，6月底前全部兑付到户": the schedule's subject
                sel = clauses[trig:]
                for k in range(1, len(sel)):
                    cs, ce = sel[k]
                    if _PAST_CLAUSE.match(text[cs:ce]) and not ctx.markers.within(cs, ce):
                        # "…，已进场施工，预计6月底前可完工": a progress note inside a plan that goes on.
                        if not any(
                            _valid_marker(ctx, p, e, g, cs2)
                            for cs2, ce2 in sel[k + 1 :]
                            for p, e, g in ctx.markers.within(cs2, ce2)
                        ):
                            sel = sel[:k]
                        break
                if any(_COPULA_CLAUSE.match(text, cs, ce) for cs, ce in sel[1:]):
                    prev_committed = False
                    continue  # "努力打造…五个千亿元级产业，正是…的生动实践": the actions are a subject
                units = _split_units(ctx, sel)
                made = False
                for us, ue in units:
                    if _STAT.search(text[us:ue]):
                        continue
                    if _TALLY.search(text, us, ue) and not ctx.markers.within(us, ue):
                        continue  # "一季度开工项目共56个": a tally dated by its period, no promise
                    # A continued list item keeps a time phrase that opens its sentence ("今年我县计划…；新建…").
                    unit_time = para_time or (_sentence_opening_time(ctx, ss, qs) if continued else None)
                    c = _make(ctx, us, ue, ss, unit_time, kind, prev_strength)
                    if c is not None:
                        out.append(c)
                        made = True
                        prev_strength = c.strength if c.strength != "other" else prev_strength
                prev_committed = made
    return out, declined


_ATTRIBUTION = re.compile(r"[ \t\u3000]*(?:据了解|据悉|据介绍|记者了解到|记者获悉|会议明确|会议提出)[，,]")


def _sentence_opening_time(ctx: _Ctx, ss: int, limit: int) -> TimeExpr | None:
    """The time phrase a sentence opens with (after "据了解，" and the like), if it lies before ``limit``."""
    m = _ATTRIBUTION.match(ctx.text, ss)
    start = m.end() if m else ss
    for t in ctx.times.within(start, limit):
        if t.deadline is not None and not ctx.text[start : t.start].strip(" \t\u3000"):
            return t
        break
    return None


def _continues_list(text: str, qs: int, qe: int, stripped: str) -> bool:
    """A piece that carries on the commitment before it: "同时…/并…/还…", or, after a semicolon, another
    quantity of the same plan ("今年计划播种粮食68万亩…；新建高标准农田4万亩；…")."""
    if _CONTINUE_PIECE.match(stripped):
        return True
    return qs > 0 and text[qs - 1] in "；;" and TARGET_RE.search(text, qs, qe) is not None


_LIST_ITEM = re.compile(
    r"[ \t\u3000*]*(?:\d{1,2}[.．、)）](?!\d)|[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]+是|"
    r"其[一二三四五六七八九十]|第[一二三四五六七八九十]+[，、,]|[-•·●▪]|\d{1,2}\t)"
)
# "全年主要预期目标是：" introduces a list of targets.
_REVIEW_HEAD = re.compile(r"回顾[ \t\u3000*]*$")
_GOAL_HEAD = re.compile(r"(?:主要|预期|发展)目标(?:任务)?[ \t\u3000*]*$")
_GOAL_INTRO = re.compile(r"(?:目标|任务|指标)(?:任务)?(?:建议)?(?:是|为|有)?[：:]$")
# "为此，要重点做好以下八个方面的工作：": the author announces the work it will do, section by section.
_NUMBERED_HEAD = re.compile(r"[ \t\u3000]*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])[^。\n]*$")
_PLAN_INTRO = re.compile(r"(?:做好|抓好|抓实|抓紧|推进|落实)以下[^，,。：:了已]{0,10}(?:工作|任务|措施|事项)[：:]$")
# A copula "X是Y" (not 一是/还是/就是/但是…, not "目标是：") describes rather than promises.
_COPULA = re.compile(r"(?<![一二三四五六七八九十还就但而或总凡于只若要更正也倒都即便可像算不])是(?!否)")


_ENSURE_LEAD = re.compile(r"[ \t\u3000]*确保")
_SELF_SUBJECT = re.compile(r"[ \t\u3000]*(?:我局|我委|我厅|我办|我们|我单位|我部|本局|本委)")
# Clauses that report the present or the past do not lead into a promise.
_NOT_LEAD = re.compile(r"已|曾|截至|截止|累计|(?<!项)目前(?!期)|现有|正在|同比|比上年|了[，,]|了$")


def _lead_in(ctx: _Ctx, before: list[tuple[int, int]], trig: tuple[int, int]) -> bool:
    """Clauses before a time-triggered clause that state its subject (no marker, no past)."""
    own = ctx.markers.within(trig[0], trig[1])
    if (
        own
        and not _SELF_SUBJECT.match(ctx.text, trig[0], trig[1])
        and not _ENSURE_LEAD.match(ctx.text, trig[0], trig[1])
    ):
        # the trigger clause has its own marker word (unless it is "topic，我局…", or "X，确保Y":
        # X is the action done to ensure Y, "省财政新增筹措…3亿元，确保一批重大工程项目开工建设")
        return False
    s, e = before[0][0], before[-1][1]
    if e - s > 60 or _NOT_LEAD.search(ctx.text, s, e) or _SUGGEST.match(ctx.text, s, e):
        return False
    return not ctx.markers.within(s, e)


def _is_run_in_label(ctx: _Ctx, stripped: str, qs: int, qe: int, pe: int) -> bool:
    """A short first sentence without commas, followed by more text, that heads a paragraph."""
    core = stripped.rstrip("*")
    if not core.endswith(("。", ".")) or re.search(r"[，,、；;：:]", core):
        return False
    if _cjk_count(core) > 14 or not ctx.text[qe:pe].strip(" \t\u3000*"):
        return False
    return _first_deadline(ctx, qs, qe) is None and not ctx.markers.within(qs, qe)


def _is_description(ctx: _Ctx, qs: int, qe: int) -> bool:
    """A piece with a copula and neither a valid marker nor a future-type time expression."""
    for m in _COPULA.finditer(ctx.text, qs, qe):
        if ctx.text[m.end() : m.end() + 1] not in "：:" or not _GOAL_INTRO.search(ctx.text, qs, m.end() + 1):
            break
    else:
        return False
    for p, e, g in ctx.markers.within(qs, qe):
        if _valid_marker(ctx, p, e, g, _clause_start(ctx, qs, p)):
            return False
    return not any(_is_trigger_time(ctx, t) for t in ctx.times.within(qs, qe))


def _table_row(ctx: _Ctx, ps: int, pe: int, kind: str) -> Commitment | None:
    """A tab-separated row with a future deadline, without its leading index cell."""
    text = ctx.text
    times = [t for t in ctx.times.within(ps, pe) if t.deadline is not None and t.deadline >= ctx.ref]
    if not times:
        return None
    m = re.match(r"[ \t\u3000]*\d{1,3}[ \t\u3000]*\t", text[ps:pe])
    s = ps + (m.end() if m else 0)
    e = pe
    while e > s and text[e - 1] in " \t\u3000":
        e -= 1
    if _cjk_count(text[s:e]) < 4:
        return None
    t = times[0]
    return Commitment(
        text=text[s:e],
        start=s,
        end=e,
        deadline=t.deadline,
        deadline_text=t.text,
        precision=t.precision,
        recurring=None,
        targets=tuple(find_targets(ctx.text, s, e)),
        agencies=(),
        strength="other",
        section_kind=kind,
    )


def _sentence_around(text: str, s: int, e: int) -> tuple[int, int]:
    """The 。/；-delimited sentence around [s, e), found with rfind/find (linear)."""
    lo = max(text.rfind(ch, 0, s) for ch in _SENT_STOPS) + 1
    hi = min((k for k in (text.find(ch, e) for ch in _SENT_STOPS) if k >= 0), default=len(text))
    return lo, hi


def _colon_intro(ctx: _Ctx, clauses: list[tuple[int, int]]) -> tuple[int, str] | None:
    """(offset after the colon, strength) when a clause "将从以下几方面推进：" opens a list."""
    for cs, ce in clauses[:-1]:
        if ctx.text[ce - 1] not in "：:":
            continue
        groups = [g for p, e, g in ctx.markers.within(cs, ce) if _valid_marker(ctx, p, e, g, cs)]
        if groups:
            return ce, _best_strength(groups)
        head = ctx.text[clauses[0][0] : ce].strip(" \t\u3000*")
        listed = _LIST_INTRO.search(head) and not _DESCRIBED_LIST.search(head)
        if (_GOAL_INTRO.search(head) or listed) and any(
            t.deadline is not None and t.deadline >= ctx.ref and not t.recurring
            for t in ctx.times.within(clauses[0][0], ce)
        ):
            # "2025年全市…主要预期目标建议为：地区生产总值增长5%左右…": this year's targets;
            # "2015年，…工作重点突出抓好8个方面：一是…；二是…": this year's work, item by item.
            return ce, "other"
        return None
    return None


# "…做好以下工作：", "…把握好3方面：", "…努力目标为：": a clause that announces a list.
_LIST_INTRO = re.compile(
    r"(?:以下|如下|[一二三四五六七八九十两\d]+(?:个|项|大)?方面|几个?方面|几点)[^，,。：:]{0,6}[：:]$"
)
# "…呈现出两个方面的特点：", "…存在以下问题：": a list that describes, not one of work to do.
_DESCRIBED_LIST = re.compile(r"特点|特征|问题|困难|不足|原因|成效|成绩|亮点|经验|优势|情况|变化")
# "重点做好三个“加强”。": a short sentence that only counts the items to come.
_COUNT_INTRO = re.compile(
    r"^(?:重点|主要|着力|要|还要|将)?(?:做好|抓好|抓实|突出|把握好|推进|实施|落实|开展|强化)?"
    r"[一二三四五六七八九十两\d]+(?:个|项|大|方面)[^，,；;。：:]{0,10}[。.]?$"
)


def _scope_intro(ctx: _Ctx, clauses: list[tuple[int, int]]) -> int | None:
    """The offset after an intro clause ending in a colon inside a piece, or None."""
    text = ctx.text
    for _cs, ce in clauses[:-1]:
        if text[ce - 1] not in "：:":
            continue
        head = text[clauses[0][0] : ce].strip(" \t\u3000*")
        if _GOAL_INTRO.search(head) or _LIST_INTRO.search(head):
            return ce
        return None
    return None


def _colon_intro_time(ctx: _Ctx, sent_start: int, s: int) -> TimeExpr | None:
    """The deadline in an intro that ends in a colon earlier in the sentence ("2025年…目标为：a；b")."""
    text = ctx.text
    k = max(text.rfind("：", sent_start, s), text.rfind(":", sent_start, s))
    if k < 0:
        return None
    head = text[sent_start : k + 1].strip(" \t\u3000*")
    if not (_GOAL_INTRO.search(head) or _LIST_INTRO.search(head)):
        return None
    return _first_deadline(ctx, sent_start, k)


def _clause_start(ctx: _Ctx, qs: int, pos: int) -> int:
    seg = ctx.text[qs:pos]
    k = max(seg.rfind("，"), seg.rfind(","), seg.rfind("："), seg.rfind(":"))
    return qs + k + 1 if k >= 0 else qs


def _inside_any(s: int, e: int, starts: list[int], ends: list[int]) -> bool:
    i = bisect.bisect_right(starts, e) - 1
    return i >= 0 and starts[i] < e and s < ends[i]


def _is_label(s: str) -> bool:
    core = s.strip(" \t\u3000*。.")
    return bool(_LABEL.match(core)) and len(core) <= 24 and not re.search(r"[，,；]", core)


def _best_strength(groups: list[str]) -> str:
    best = "other"
    for g in groups:
        s = _STRENGTH[g]
        if _STRENGTH_RANK[s] < _STRENGTH_RANK[best]:
            best = s
    return best


def _split_units(ctx: _Ctx, clauses: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Split a run of clauses where a second, different deadline (or schedule) begins."""
    if not clauses:
        return []
    clauses = _split_dated_enumeration(ctx, clauses)
    units = []
    cur_start = clauses[0][0]
    cur_dl = None
    cur_rec = None
    for i, (cs, ce) in enumerate(clauses):
        dl = _first_deadline(ctx, cs, ce)
        rec = _first_recurring(ctx, cs, ce)
        new = False
        if (
            i > 0
            and dl is not None
            and cur_dl is not None
            and (dl.deadline != cur_dl.deadline or _SPACE_DIGITS.sub("", dl.text) != _SPACE_DIGITS.sub("", cur_dl.text))
        ):
            new = True  # "抢抓二季度…，力争上半年完成…": two time phrases, two promises
        # A clause that opens with its schedule ("每月通报一次…") is an action of its own;
        # "坚持“一月一调度”" only qualifies the clause before it.
        opens = rec is not None and not ctx.text[cs : rec.start].strip(" \t\u3000，,")
        if i > 0 and rec is not None and (cur_rec is not None or cur_dl is not None or opens):
            new = True
        if i > 0 and dl is not None and cur_rec is not None and cur_dl is None:
            new = True
        if i > 0 and cur_rec is not None and cur_dl is None and _ENSURE_CLAUSE.match(ctx.text, cs, ce):
            new = True  # "坚持一月一调度，…，确保重大项目顺利实施": the schedule, then the goal it serves
        if new:
            units.append((cur_start, cs))
            cur_start, cur_dl, cur_rec = cs, None, None
        cur_dl = cur_dl or dl
        cur_rec = cur_rec or rec
    units.append((cur_start, clauses[-1][1]))
    # "预计2025年建成，届时每年…将超过…": a split-off clause opening with 届时 is the projected
    # outcome of the unit before it, not a promise of its own.
    return [units[0]] + [u for u in units[1:] if not _THEN_CLAUSE.match(ctx.text, u[0], u[1])]


# "项目建成后，" closing the clause before 将 (not a condition on our own action: "待…后，将…").
_OUTCOME_AFTER = re.compile(
    r"(?:^|[，,。；;！？\n])(?![ \t\u3000]*(?:待|等|经|在|收到|接到))[^，,。；;！？\n]*后[，,][ \t\u3000]*$"
)
_THEN_CLAUSE = re.compile(r"[ \t\u3000]*届时")


def _split_dated_enumeration(ctx: _Ctx, clauses: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Cut a clause at each 、 that opens a differently dated item of an enumeration.

    "争取2015年底核准…、2016年开工、2020年底…试运行" lists three promises with three deadlines.
    """
    out = []
    for cs, ce in clauses:
        times = [t for t in ctx.times.within(cs, ce) if t.deadline is not None]
        if len(times) < 2:
            out.append((cs, ce))
            continue
        cur, last = cs, times[0].deadline
        for t in times[1:]:
            if t.deadline != last and t.start > cur and ctx.text[t.start - 1] == "、":
                out.append((cur, t.start))
                cur = t.start
            last = t.deadline
        out.append((cur, ce))
    return out


_ENSURE_CLAUSE = re.compile(r"[ \t\u3000]*确保")


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    m = _LEAD_JUNK.match(text, s, e)
    while m and m.end() > s:
        s = m.end()
        m = _LEAD_JUNK.match(text, s, e)
    while s < e and text[s] in " \t\u3000*#，,；;：:":
        s += 1
    # "“十五五”期间，力争…": an opening quote whose closing one follows inside the span belongs to it.
    if s > 0 and text[s - 1] == "“":
        close, reopen = text.find("”", s, e), text.find("“", s, e)
        if close >= 0 and (reopen < 0 or close < reopen):
            s -= 1
    while e > s and text[e - 1] in " \t\u3000*，,；;：:。！？!?、":
        e -= 1
    return s, e


def _plan_paragraph(ctx: _Ctx, para_time: TimeExpr, ps: int, pe: int) -> bool:
    """A paragraph that opens with a time still ahead ("2025年，…") and whose first sentence (or, in a
    one-sentence paragraph, its first "；" piece) promises with a marker ("我省将…") is a plan: its later
    action sentences and pieces carry the plan without markers."""
    if para_time.deadline is None or para_time.deadline < ctx.ref:
        return False
    first = SENT_RE.search(ctx.text, ps, pe)
    if first is not None and _YEAR_IS.match(ctx.text, para_time.end) and para_time.end < first.end():
        first = SENT_RE.search(ctx.text, first.end(), pe)  # "2025年是…之年。全省水利部门将…": the next one
    if first is not None and first.end() >= pe - 1:
        first = PIECE_RE.match(ctx.text, first.start(), first.end())  # one sentence: its first "；" piece
    if first is None or first.end() >= pe - 1:
        return False  # nothing after it to carry
    fs, fe = first.start(), first.end()
    return any(_valid_marker(ctx, p, e, g, _clause_start(ctx, fs, p)) for p, e, g in ctx.markers.within(fs, fe))


def _para_opening_time(ctx: _Ctx, ps: int, pe: int) -> TimeExpr | None:
    attribution = _ATTRIBUTION.match(ctx.text, ps, pe)  # "据悉，2022年，红河州将…": the time after 据悉
    if attribution:
        ps = attribution.end()
    m = CLAUSE_RE.match(ctx.text, ps, pe)
    if not m:
        return None
    first = ctx.text[m.start() : m.end()]
    t = _first_deadline(ctx, m.start(), m.end())
    if t is None:
        return None
    rest = first.replace(t.text, "")
    rest = re.sub(r"[ \t\u3000，,：:]|预计|力争|到|至|在", "", rest)
    if len(rest) <= 2:
        return t
    # "2025年是“十四五”规划收官之年，…": a paragraph that names the year ahead as its subject is that year's plan.
    if t.start == m.start() and t.deadline is not None and t.deadline >= ctx.ref and _YEAR_IS.match(ctx.text, t.end):
        return t
    return None


_YEAR_IS = re.compile(r"[ \t\u3000]*(?:是|为)[^，,。；;]{2,40}?(?:之年|一年|年份)")


_COPULA_CLAUSE = re.compile(r"[ \t\u3000]*(?:正是|就是|这是|这就是|便是|即是)")
_CLOSING_SENT = re.compile(r"[ \t\u3000]*(?:再次(?:对|向|感谢|表示)|衷心感谢|感谢您|谢谢)")
_DONE_CLAUSE = re.compile(r"了|已|截至|截止|累计")


def _reported_done(ctx: _Ctx, t: TimeExpr, limit: int) -> bool:
    """Whether the clause holding ``t`` (before ``limit``) reports something done."""
    text = ctx.text
    ce = min((k for k in (text.find("，", t.end, limit), text.find(",", t.end, limit)) if k >= 0), default=limit)
    return bool(_DONE_CLAUSE.search(text, t.end, ce))


def _bare_line(text: str, ps: int, pe: int) -> bool:
    line = text[ps:pe].strip(" \t\u3000*")
    return (
        "\t" not in line
        and 4 <= len(line) <= 60
        and line[-1] not in "。！？!?；;：:…”）)"
        and not re.search(r"[，,]", line)
    )


def _in_flat_list(text: str, paras: list[tuple[int, int]], pi: int) -> bool:
    """A short unpunctuated line with another such line next to it: a list flattened to lines."""
    if not _bare_line(text, *paras[pi]):
        return False
    return any(0 <= j < len(paras) and _bare_line(text, *paras[j]) for j in (pi - 1, pi + 1))


def _make(
    ctx: _Ctx, us: int, ue: int, sent_start: int, para_time: TimeExpr | None, kind: str, inherited_strength: str | None
) -> Commitment | None:
    text = ctx.text
    s, e = _trim(text, us, ue)
    if e - s < 4 or not (_CJK4.search(text, s, e) or _DATED_MILESTONE.fullmatch(text, s, e)):
        return None  # too short to be an action, unless a dated milestone ("2026年开工")
    dl = _first_deadline(ctx, s, e)
    if dl is None:
        # An earlier expression of the same ；-piece (a list item of its own starts after ；).
        piece_start = max(sent_start, text.rfind("；", sent_start, s) + 1, text.rfind(";", sent_start, s) + 1)
        dl = _first_deadline(ctx, piece_start, s)
        if dl is not None and _reported_done(ctx, dl, s):
            dl = None  # "2024年申报了…，下一步实施动工": the year dates the report, not the next step
        if dl is None:
            dl = _colon_intro_time(ctx, sent_start, s)  # a ；-list under "2025年…目标为："
        if dl is None and para_time is not None and para_time.start < s and not ctx.vague.within(s, e):
            dl = para_time  # a unit with its own vague time ("争取早日解决") is not governed by the paragraph's
        if (
            dl is not None
            and dl.precision == "day"
            and dl.deadline is not None
            and dl.deadline < ctx.ref
            and not _FUTURE_END.search(_SPACE_DIGITS.sub("", dl.text))
        ):
            dl = None  # "2025年7月17日，…复核，我镇将…": a past day dates an event, not the promise
    if dl is not None and dl.start < e and dl.end > s:
        if len(_NOT_WORD.sub("", text[s : max(s, dl.start)] + text[min(e, dl.end) : e])) < 2:
            return None  # "“十三五”期间" alone: a time phrase heading a clause, no action
    rec = _first_recurring(ctx, s, e)
    if dl is not None and dl.deadline is not None and dl.deadline < ctx.ref:
        # A bare "一季度"/"3月底前" long past in a forward-looking unit means next year's.
        dl = roll_forward(dl, ctx.ref)
        if dl is None:
            return None
    dtext: str | None
    if dl is not None and rec is None:
        deadline, precision, dtext = dl.deadline, dl.precision, dl.text
    else:
        deadline, precision = None, "none"
        dtext = rec.text if rec else None
        if dtext is None:
            v = ctx.vague.within(s, e)
            dtext = v[0].text if v else None
    groups = [g for p, pe, g in ctx.markers.within(s, e) if _valid_marker(ctx, p, pe, g, _clause_start(ctx, s, p))]
    strength = _best_strength(groups)
    if strength == "other" and inherited_strength:
        strength = inherited_strength
    targets = tuple(find_targets(text, s, e))  # only inside commitments: most numbers are not
    agencies = _agencies(ctx, s, e, sent_start)
    return Commitment(
        text=text[s:e],
        start=s,
        end=e,
        deadline=deadline,
        deadline_text=dtext,
        precision=precision,
        recurring=rec.recurring if rec else None,
        targets=targets,
        agencies=agencies,
        strength=strength,
        section_kind=kind,
    )


def _agencies(ctx: _Ctx, s: int, e: int, sent_start: int) -> tuple[str, ...]:
    """Units named as the subject of the clause: the words before its marker word."""
    text = ctx.text
    m = re.search(r"将|计划|拟|预计|力争|争取|确保|每季度|每半年|每月|负责|牵头", text[s:e])
    if not m:
        return ()
    subject = text[s : s + m.start()]
    subject = subject.split("，")[-1].split(",")[-1]
    subject = re.sub(r"^(?:同时|并|此外|另外|待[^，]*后)", "", subject)
    subject = _ADVERBS.sub("", subject).strip()
    if not subject or len(subject) > 40:
        return ()
    out = []
    for part in re.split(r"[、和及与]", subject):
        part = part.strip()
        if _SELF.match(part) and ctx.meta.agency:
            out.append(ctx.meta.agency)
        elif AGENCY_LINE_RE.match(part) or _AGENCY_WORD.match(part):
            out.append(part)
    return tuple(dict.fromkeys(out))
