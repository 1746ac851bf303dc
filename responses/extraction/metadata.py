"""Metadata: cleaned text → ``Metadata`` (header, opening paragraph, signature, contact, 抄送).

Contract: ``extract_metadata(text) -> Metadata``; every value as written in the text (except
"我委/我局" resolved to the issuing agency, digits-only item numbers, ISO dates), unknown values
None/(); ``spans`` holds the evidence span of each found field. ``infer_reference_date(text, today)``
gives the reference date of an undated document: the latest year it speaks of as the present,
just after the latest period it reports as done ("今年上半年", "1—5月"); a text that names no year
at all takes ``today`` (the day it was received or published; default: today's date).
Each field is one compiled pattern searched in a bounded region (header, opening, tail).
"""

from __future__ import annotations

import datetime as dt
import re

from .dates import FULL_DATE_RE, _int, parse_full_date
from .scan import LineAnchored, Prefiltered
from .types import Metadata, Span

_CJK = r"\u4e00-\u9fff"
_CN_NUM = r"[一二三四五六七八九十百零〇\d]"
_AGENCY_SUFFIX = (
    r"(?:委员会|管理委员会|管委会|人民政府|政府|办公室|办公厅|局|厅|委|办|中心|"
    r"署|院|部|小组|公司|集团|协会|联合会|总工会|团委|党委|委员会办公室|办事处)"
)
AGENCY_LINE_RE = re.compile(rf"^[{_CJK}（）()]{{2,30}}?{_AGENCY_SUFFIX}$")

DOC_NO_RE = re.compile(  # (?<!\d) after the bracket, so that the pattern opens with a class: re skips ahead in C
    r"[〔\[［【(（](?<!\d.)\s*(?:\d{4}|[〇零一二三四五六七八九]{4})\s*[〕\]］】)）]"
    r"\s*第?\s*\d{1,5}\s*号"
)
_DOC_PREFIX_RE = re.compile(rf"[{_CJK}A-Za-z]{{1,16}}\s*$")


def _search_doc_number(text: str, start: int, end: int) -> tuple[int, int] | None:
    """(start, end) of "昆发改易地函〔2023〕20号": the bracketed year and number, found first, then
    the prefix letters right before it (none after a label such as "建议字：")."""
    m = DOC_NO_RE.search(text, start, end)
    if not m:
        return None
    pm = _DOC_PREFIX_RE.search(text, max(start, m.start() - 20), m.start())
    return (pm.start() if pm else m.start()), m.end()


def _own_doc_number(text: str, end: int) -> tuple[int, int] | None:
    """The letter's own 文号, skipping a cited one: "《…的通知》（博市政办发〔2021〕69号）"."""
    pos = 0
    while True:
        dn = _search_doc_number(text, pos, end)
        if dn is None:
            return None
        before = text[max(0, dn[0] - 2) : dn[0]]
        if not (before.endswith(("（", "(")) and before[:1] in '》"”'):
            return dn
        pos = dn[1]


def _search_session(region: str) -> re.Match | None:
    """SESSION_RE, found from its core (届 … 次会议) and extended back over the jurisdiction."""
    core = _SESSION_CORE.search(region)
    if not core:
        return None
    k = p = core.start()
    while k > 0 and p - k < 14 and "\u4e00" <= region[k - 1] <= "\u9fff":
        k -= 1
    return SESSION_RE.match(region, k) or SESSION_RE.search(region, p)


CATEGORY_RE = re.compile(
    r"[〔\[［【(（]\s*([A-DＡ-Ｄ])\s*类\s*[〕\]］】)）]"
    r"|(?:答复|办理)?类\s*别(?:标识|标志|代码)?\s*[：:]\s*[〔\[［【(（]?\s*([A-DＡ-Ｄ])(?![A-Za-z])"
    r"|办理结果\s*[：:]\s*[〔\[［【(（]?\s*([A-DＡ-Ｄ])(?![A-Za-z])"
    r"|号\s*([A-DＡ-Ｄ])\s*类"
    r"|类\s*别\s*([A-DＡ-Ｄ])(?![A-Za-z])"
)
# CATEGORY_RE from the characters its matches open with (an optional "答复|办理" opens one of its alternatives, so re
# tried the pattern at every position of the header; session 17).
_CATEGORY = Prefiltered(CATEGORY_RE, r"[〔\[［【(（答办号类]")
# "桃发改函〔2021〕15号  B": the category letter alone at the end of the 文号 line.
_CATEGORY_AFTER_NO = LineAnchored(
    re.compile(
        r"^[ \t\u3000]*[\u4e00-\u9fff]{1,12}(?:函|字|发|复|办|建|提)[^\n]{0,4}[〔\[［【(（]\s*\d{4}[^\n]{0,20}?"
        r"[ \t\u3000]+([A-DＡ-Ｄ])[ \t\u3000]*$",
        re.MULTILINE,
    )
)
# "A类" alone on a line of the header (the category under the title).
# "A" alone on a header line (the 类 lost with the page's layout) is the category too.
_CATEGORY_LINE = LineAnchored(re.compile(r"^[ \t\u3000]*([A-DＡ-Ｄ])[ \t\u3000]*类?[ \t\u3000]*$", re.MULTILINE))
DISCLOSURE_RE = re.compile(
    r"[〔\[［【(（]\s*(不予公开|不公开|依申请公开|主动公开|公开)\s*[〕\]］】)）]"
    r"|公开(?:属性|方式|类型|选项)\s*[：:]\s*(不予公开|不公开|依申请公开|主动公开|公开)"
)
SESSION_RE = re.compile(
    rf"(?P<jur>[{_CJK}]{{0,14}}?)"
    rf"(?:(?P<term>第?{_CN_NUM}{{1,4}}届)\s*(?P<org>全国人大|人大常委会|人民代表大会|人大|政协|政治协商会议)"
    rf"|(?P<org2>人大|人民代表大会|政协)\s*(?P<term2>第?{_CN_NUM}{{1,4}}届))"
    rf"\s*(?:常委会)?\s*(?P<meet>第?{_CN_NUM}{{1,3}}次)\s*(?:全体)?会议"
)
# "政协子洲县第十届委员会第二次会议": the 政协 name first, the jurisdiction inside.
SESSION_CPPCC_RE = re.compile(
    rf"(?P<org>政协)(?:(?P<jur>[{_CJK}]{{1,14}}?)(?P<term>第?{_CN_NUM}{{1,4}}届)(?:委员会)?"
    # "政协第十四届昆明市委员会第一次会议": the term first, the jurisdiction before 委员会.
    rf"|(?P<term_b>第?{_CN_NUM}{{1,4}}届)(?P<jur_b>[{_CJK}]{{1,14}}?)委员会)\s*(?P<meet>第?{_CN_NUM}{{1,3}}次)\s*(?:全体)?会议"
)
_SESSION_CORE_RE = re.compile(
    rf"(?:第?{_CN_NUM}{{1,4}}届\s*(?:全国人大|人大常委会|人民代表大会|人大|政协|政治协商会议)"
    rf"|(?:人大|人民代表大会|政协)\s*第?{_CN_NUM}{{1,4}}届)"
    rf"\s*(?:常委会)?\s*第?{_CN_NUM}{{1,3}}次\s*(?:全体)?会议"
)
# The characters a match of _SESSION_CORE_RE can start with, each checked against what must follow it (scan.py).
_SESSION_CORE = Prefiltered(
    _SESSION_CORE_RE,
    rf"[第人政一二三四五六七八九十百零〇\d](?:(?<=第)(?={_CN_NUM}{{1,4}}届)|(?<=[一二三四五六七八九十百零〇\d])(?={_CN_NUM}{{0,3}}届)"
    r"|(?<=人)(?=大|民代表大会)|(?<=政)(?=协))",
)
_JUR_PREFIX = re.compile(r"^(?:.*(?:关于|对|在|于|的|向|就|答复)|年)")  # "关于答复县…", "2022年清原…"
ITEM_NO_RE = re.compile(
    r"(?:第|[“\"])\s*(?:[A-Za-z]{1,4}\s*)?([0-9０-９]{1,14})\s*号[”\"]?\s*(?:[^\s，。、]{0,6}?)(建议|提案|议案)"
)
ITEM_NO_BARE_RE = re.compile(r"会议[^\s，,。、\d第]{0,8}?([0-9０-９]{1,12})\s*号\s*(建议|提案|议案)")
# "…会议代表 建议第60号的回复": the kind word before the number.
ITEM_NO_KIND_FIRST_RE = re.compile(r"会议[^\n，,。]{0,10}?(建议|提案|议案)\s*第\s*([0-9０-９]{1,12})\s*号")
# "人:靳军辉" alone on a line: a 联系人 label whose first characters were lost.
_CUT_CONTACT_RE = LineAnchored(
    re.compile(r"^[ \t\u3000]*人\s*[：:]\s*([\u4e00-\u9fff]{2,4})[ \t\u3000]*$", re.MULTILINE)
)
ITEM_NO_ANY_RE = re.compile(r"[（(]?第\s*([0-9０-９]{3,12})\s*号[）)]?")
TITLE_RE = re.compile(r"《([^《》\n]{4,120}?(?:建议|提案|议案|意见|的建议|批评))》")
# Other ways a reply names the item: 《X》的建议, “关于…的建议”, “X”的建议, 您提出的关于…的提案.
TITLE_ALT_RE = re.compile(
    r"[《“\"]([^《》“”\"\n]{4,120}?)[》”\"]\s*(?:的)?(?:建议|提案|议案)"
    r"|“([^“”\n]{4,120}?(?:建议|提案|议案))”"
    r"|(?:提出|提交|所提)(?:了)?的\s*(关于[^，,。；;“”《》\n]{2,80}?的(?:建议|提案|议案))"
)
_TITLE_ALT = Prefiltered(TITLE_ALT_RE, r"[《“\"提所](?:(?<=[《“\"])|(?<=提)(?=出|交)|(?<=所)(?=提))")
# Up to 200 characters: "黄正德、邵敏、…、李正忠委员：" can name sixteen members.
SALUTATION_RE = LineAnchored(re.compile(r"^[ \t\u3000]*([^\n：:]{2,200})[：:][ \t\u3000]*$", re.MULTILINE))
# "邹朝文代表" on a line of its own (the colon lost), right before "你提出的…".
_SALUTATION_NO_COLON = LineAnchored(
    re.compile(
        r"^[ \t\u3000]*([^\n：:，,。；;]{2,60}?(?:代表|委员)们?|"
        + r"(?:民革|民盟|民建|民进|农工党|致公党|九三学社|台盟|工商联)[^\n：:，,。；;]{0,24})"
        r"[ \t\u3000]*\n(?:[ \t\u3000]*\n)*[ \t\u3000]*(?:您|你|贵|《|“)",
        re.MULTILINE,
    )
)
# The proposing party or federation of a 提案 ("农工党黄石市委员会"): never the replying agency.
_PARTY = re.compile(r"^(?:中国)?(?:民革|民盟|民建|民进|农工党|致公党|九三学社|台盟|工商联|政协)")
# A count is part of the suffix only after 等 or before 位/名: "张三等5位代表", "3名代表", but "王五代表" is 王五.
PERSON_SUFFIX_RE = re.compile(
    r"(?:等\s*(?:\d+|[一二两三四五六七八九十]+)?\s*(?:位|名)?|(?:\d+|[一二两三四五六七八九十]+)\s*(?:位|名))?"
    r"\s*(?:人大)?(?:代表|委员|同志|先生|女士)$"
)
CONTACT_RE = re.compile(r"(?:联\s*系\s*人|承办人)(?:及(?:联系)?电话|和电话|、电话|/电话)?\s*[：:]\s*(?P<rest>[^\n]*)")
PHONE_RE = re.compile(
    r"(?<![\d])(?:[（(]\s*\d{3,4}\s*[）)]\s*|\d{3,4}\s*[-—–－]{1,2}\s*)?\d{7,8}(?![\d])"
    r"|(?<![\d])1[3-9]\d{9}(?![\d])"
    r"|(?<![\d])1[3-9]\d[-—–－]\d{4}[-—–－]\d{4}(?![\d])"  # "137-8903-2345": a mobile written in groups
    r"|(?<![\d])0\d{9,11}(?![\d])"
)
# "联系电话：…", and "联系电话 0722-6232342" in a table-like signature block without the colon.
# (Written "[联电]" first, not "(?:联系)?电": the same matches, and a pattern that opens with a class is searched
# in C from one possible first character to the next; one that opens with an optional group is tried at every position.)
PHONE_LINE_RE = re.compile(r"[联电](?:(?<=联)系电|(?<=电))\s*话(?:\s*[：:]|[ \t\u3000]+(?=[\d(（]))\s*(?P<rest>[^\n]*)")
CC_RE = re.compile(r"抄\s*[送报]\s*[：:]\s*(?P<rest>[^\n]+)")
_DEPT_WORD = re.compile(r"(?:处|科|室|股|办|中心|部|局|委|所|队|站|组)$")
_DEPT_TAIL = re.compile(r"^.*(?:处|科|室|股|办|中心|部|局|委|所)(?=[^处科室股办中心部局委所]{2,4}$)")
ASSIGN_RE = re.compile(r"主办|协办|会办|领办|督办")
_ASSIGN_LABEL_RE = LineAnchored(
    re.compile(
        r"^[ \t\u3000]*(?P<role>主办|协办|会办|分办)(?:单位|部门)[ \t\u3000]*[：:][ \t\u3000]*(?P<who>[^\n]{2,120}?)[ \t\u3000]*$",
        re.MULTILINE,
    )
)
DATE_LINE_RE = LineAnchored(
    re.compile(
        r"^[ \t\u3000]*(?P<d>(?:\d{4}|[〇零○一二三四五六七八九]{4})[ \t\u3000]*年[^\n]{1,12}?[日号])"
        r"[ \t\u3000]*(?:[（(](?:盖章|公章|印章|章)[）)])?[ \t\u3000]*(?P<tail>印发|印制)?[ \t\u3000]*[|｜]?[ \t\u3000]*$",
        re.MULTILINE,
    )
)
# "市住房和城乡建设局\n2012年12月20": a signing date line that lost its 日, right under the signature.
_DAYLESS_SIGN_RE = LineAnchored(
    re.compile(
        r"^[ \t\u3000]*(?P<name>[^\n]{2,40}?)[ \t\u3000]*\n[ \t\u3000]*(?P<d>(?P<y>(?:19|20)\d{2})[ \t\u3000]*年[ \t\u3000]*"
        r"(?P<m>\d{1,2})[ \t\u3000]*月[ \t\u3000]*(?P<dd>\d{1,2}))[ \t\u3000]*$",
        re.MULTILINE,
    )
)
_ISO_DATE_LINE = LineAnchored(
    re.compile(
        r"^[ \t\u3000]*(?P<y>(?:19|20)\d{2})[ \t\u3000]*[-/.－][ \t\u3000]*(?P<m>\d{1,2})[ \t\u3000]*[-/.－]"
        r"[ \t\u3000]*(?P<d>\d{1,2})[ \t\u3000]*$",
        re.MULTILINE,
    )
)
_SELF_REF = re.compile(r"^(?:我委|我局|我厅|我办|我单位|我部|我院|我中心|本委|本局|我们)$")
_COPIES = re.compile(r"[ \t\u3000]*[（(]\s*\d+\s*份\s*[）)][ \t\u3000]*")
_SPLIT_LIST = re.compile(r"[、，,；;](?![^（(]*[）)])")


# "桂花镇代表团：" (a delegation's suggestion) salutes like "张三代表：".
_SALUTE_ROLE = LineAnchored(
    re.compile(r"^[ \t\u3000]*(?:尊敬的)?(?!各位)[^\n：:]{1,200}?(委员|代表)(?:团|组)?[：:][ \t\u3000]*$", re.MULTILINE)
)
_SOURCE_RE = re.compile(
    rf"来\s*源\s*[：:]\s*([{_CJK}（）()]{{2,30}}?{_AGENCY_SUFFIX})(?=[ \t\u3000|｜]|发布|时间|\n|$)"
)
_TITLE_AGENCY_RE = LineAnchored(
    re.compile(
        rf"^[ \t\u3000]*([{_CJK}（）()]{{2,30}}?{_AGENCY_SUFFIX})关于[^\n]{{4,120}}(?:答复|复函|的函)[^\n]{{0,6}}$",
        re.MULTILINE,
    )
)
# "回复单位:新都区政务服务管理和网络理政办来源:问政四川 回复时间:…": the unit that answered a 问政 letter.
_REPLY_UNIT_RE = re.compile(
    rf"回复(?:单位|部门)\s*[：:][ \t\u3000|｜]*([{_CJK}（）()]{{2,30}}?{_AGENCY_SUFFIX})(?=来源|回复时间|[ \t\u3000|｜]|\n|$)"
)
# A site footer's "转载事宜请联系… 联系电话:…" is not the letter's contact.
_FOOTER_LINE_RE = re.compile(r"转载|版权|ICP|备案|举报|网站|技术支持|主办单位|承办单位")
_UNIT_LINE_RE = re.compile(r"(?:联系|答复|办理|承办)单位(?:及(?:联系)?电话)?\s*[：:]\s*([^\s，,。；;]{2,40})")
_PUBLISHER_RE = re.compile(
    rf"发布机构(?:\s*[：:]|[ \t\u3000]+)[ \t\u3000|｜]*([{_CJK}]{{2,30}}?{_AGENCY_SUFFIX}(?:[（(][{_CJK}]{{2,20}}[）)])?)(?=[ \t\u3000|｜]|\n|$)"
)
_FIELD_LABEL = re.compile(
    r"今天|时间|日期|内\s*容|来源|类\s*别|签发|承办|办理|单位|编号|号$|标\s*题|索引|主题|发布|反馈|领导|文\s*号|提案人|建议人"
    r"|次数|浏览|访问|点击|阅读|字体|字号|分享|打印|收藏|关闭|有效性|时效|公开方式|组配|分类|成文"
)


_FW_TABLE = str.maketrans("０１２３４５６７８９ＡＢＣＤ", "0123456789ABCD")
_FW_CHARS = re.compile("[０-９ＡＢＣＤ]")


def _fw(s: str) -> str:
    """Full-width digits and A–D as ASCII. ``translate`` looks every character of a Chinese text up in the table
    (~80 ns each: 49 µs for a 600-character lead, once or twice a document), so a text without any is returned as it
    is (session 18: the scan is 4 µs; the same string)."""
    return s.translate(_FW_TABLE) if _FW_CHARS.search(s) else s


def _strip_punct(s: str) -> str:
    return s.strip(" \t\u3000。；;，,：:．.")


# A page's own date in its header: "发布时间：2024-05-20 09:12", "日期：2024/5/20".
# "2026-03-05 10:16 人民日报客户端": a page's time stamp in its header.
HEADER_STAMP_RE = re.compile(
    r"^[ \t\u3000]*(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})[ \t\u3000]+\d{1,2}:\d{2}"
    # "31.05.2016  23:37": day.month.year with a time
    r"|^[ \t\u3000]*(?P<d2>\d{1,2})\.(?P<m2>\d{1,2})\.(?P<y2>\d{4})[ \t\u3000]+\d{1,2}:\d{2}"
    # "城市镜像.新闻汇总 2020-05-09": an ISO date ending a header line; "2018-02-27 645 0": an ISO date opening a
    # line of counters only (views, comments)
    r"|(?:[ \t\u3000]|^)(?P<y3>\d{4})-(?P<m3>\d{1,2})-(?P<d3>\d{1,2})(?:[ \t\u3000]+\d{1,6})*[ \t\u3000]*$"
    # "2025 01/24 16:18:06": year, then month/day and a time
    r"|^[ \t\u3000]*(?P<y4>\d{4})[ \t\u3000]+(?P<m4>\d{1,2})/(?P<d4>\d{1,2})[ \t\u3000]+\d{1,2}:\d{2}",
    re.MULTILINE,
)
HEADER_DATE_RE = re.compile(
    r"(?:发布|发表|更新|成文|印发|来源[^\n]{0,30}?)?(?:时间|日期)\s*[：:]\s*"
    r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})"
)


# A speech's or report's date line in the lead (a line starting within the first 300 characters), "——2026年1月27日在…会议上" or "（2026年1月27日在…第…次会议上）", is the document's own date.
_SPEECH_DATE = re.compile(
    r"^[ \t\u3000]*(?:——|—|－－|--)?[ \t\u3000]*[（(]?[ \t\u3000]*"
    r"(?P<y>\d{4})[ \t\u3000]*年[ \t\u3000]*(?P<m>\d{1,2})[ \t\u3000]*月[ \t\u3000]*(?P<d>\d{1,2})[ \t\u3000]*日"
    r"[ \t\u3000]*在[^\n]{1,80}?上[ \t\u3000]*[）)]?[ \t\u3000]*$"
    r"|[（(][ \t\u3000]*(?P<y2>\d{4})[ \t\u3000]*年[ \t\u3000]*(?P<m2>\d{1,2})[ \t\u3000]*月[ \t\u3000]*(?P<d2>\d{1,2})"
    r"[ \t\u3000]*日[ \t\u3000]*在[^\n（）()]{1,80}?上[ \t\u3000]*[）)]",
    re.MULTILINE,
)
# HEADER_STAMP_RE and HEADER_DATE_RE are tried at every position of the header (their alternatives open with "^" or an
# optional group, which re does not skip to): searched from the characters their matches open with (session 18;
# scan.Prefiltered, the same matches; 29 → 22 and 12 → 5 µs a document over a header's 600 characters). The same for
# _SPEECH_DATE above was 2× slower (a lead holds many digits and spaces), so it is searched as it is.
_HEADER_STAMP = Prefiltered(HEADER_STAMP_RE, r"[ \t\u3000\d]")
_HEADER_DATE = Prefiltered(HEADER_DATE_RE, r"[发更成印来时日]")


def _speech_date(text: str) -> tuple[str, str, str] | None:
    lead = _fw(text[:600])
    for m in _SPEECH_DATE.finditer(lead):
        line_start = lead.rfind("\n", 0, m.start()) + 1
        if line_start >= 300:
            break
        return (m["y"], m["m"], m["d"]) if m["y"] else (m["y2"], m["m2"], m["d2"])
    return None


# A future marker earlier in the same clause (no clause stop between it and the year).
_FUTURE_CLAUSE = re.compile(r"(?:争取|力争|预计|计划|确保|拟|目标)[^，,。；;！？!?：:\n]*$")


def header_date(text: str) -> dt.date | None:
    """A page's own date in its header (发布时间/日期, else a speech's date line "——2026年1月27日在…会议上" starting
    within the first 300 characters, else a time stamp in the first 600 characters, at a line's start or, on a short
    line, after an outlet's name: "NBD图数馆 2018-03-20 10:33:06"), else None."""
    ymd: tuple[str, str, str] | None = None
    m = _HEADER_DATE.search(text, 0, 600)
    if m:
        ymd = (m["y"], m["m"], m["d"])
    else:
        ymd = _speech_date(text)
    if ymd is None:
        m = _HEADER_STAMP.search(text, 0, 600)
        if m:
            ymd = next(
                g
                for g in (
                    (m["y"], m["m"], m["d"]),
                    (m["y2"], m["m2"], m["d2"]),
                    (m["y3"], m["m3"], m["d3"]),
                    (m["y4"], m["m4"], m["d4"]),
                )
                if g[0]
            )
    if ymd is None:
        ymd = _stamp_after_text(text)
    if ymd is not None:
        try:
            return dt.date(int(ymd[0]), int(ymd[1]), int(ymd[2]))
        except ValueError:
            pass
    return None


# "NBD圖數館 2018-03-20 10:33:06", "白银日报 2019-06-20 01:00 大字": a page's time stamp after an outlet's name, on a
# short line (session 15).
_STAMP_AFTER_TEXT = re.compile(
    r"(?<=[ \t\u3000])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})[ \t\u3000]+\d{1,2}:\d{2}(?::\d{2})?(?!\d)"
)
_STAMP_LINE_MAX = 40


def _stamp_after_text(text: str) -> tuple[str, str, str] | None:
    """The date of a short line (≤ 40 characters) starting in the first 600 characters that holds an ISO date after a
    space, followed by a time (a page's stamp after the outlet's name), else None."""
    pos = 0
    while pos < 600:
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        line = text[pos:end]
        if len(line.strip(" \t\u3000")) <= _STAMP_LINE_MAX:
            m = _STAMP_AFTER_TEXT.search(line)
            if m:
                return (m["y"], m["m"], m["d"])
        if end >= len(text):
            break
        pos = end + 1
    return None


# A year not inside a longer number: (?<!\d)\d{4}, written to open with a digit so that re skips ahead in C.
_YEAR_IN_TEXT = re.compile(r"(\d(?<!\d\d)\d{3})\s*年(?!\s*[—\-－~～至])")


def infer_reference_date(text: str, today: dt.date | None = None) -> dt.date:
    """Reference date of an undated text (see module docstring); ``today`` when the text has no year.

    A date labelled 发布时间/日期 in the first 600 characters (a news page's header) is the
    document's own date and wins.
    """
    found = header_date(text)
    if found is not None:
        return found
    years, future_years, target_years = _text_years(text)
    years = years or future_years
    if not years and target_years:
        # Only promised years ("预计2019年底到位"): the letter was written before the earliest of them.
        return dt.date(min(target_years), 1, 1)
    if not years:
        return today or dt.date.today()
    year = max(years)
    month = 1
    # "森林覆盖率由1956年的23%提高到2020年的70.01%": a measured change up to a year reports that
    # year as over (a plan's "由…提高到2025年的…" has a marker or opens with its time in the sentence).
    for m in _MEASURED_TO.finditer(text):
        sent = text[max(text.rfind(ch, 0, m.start()) for ch in "。；;\n") + 1 : m.start()]
        if not _FUTURE_CLAUSE.search(sent) and not re.match(r"[ \t\u3000]*(?:到|至|预计|力争)", sent):
            y = int(m.group(1))
            if y >= year and y <= dt.date.today().year:
                year, month = y + 1, 1
    if year > max(years):
        return dt.date(year, 1, 1)
    if re.search(r"(?:今年|本年)\s*上半年|上半年[，,]", text):
        month = 7
    for m in re.finditer(r"1\s*[—\-－~～至到]\s*(\d{1,2})\s*月", text):
        n = int(m.group(1))
        if 1 <= n <= 11:
            month = max(month, n + 1)
    return dt.date(year, month, 1)


def promised_reference(text: str) -> int | None:
    """The year ``infer_reference_date`` reads from promised years only (no stated date, no year named as the present:
    "到2026年…" alone), else None (session 16, s16hzn)."""
    if header_date(text) is not None:
        return None
    years, future_years, target_years = _text_years(text)
    return min(target_years) if target_years and not years and not future_years else None


def _text_years(text: str) -> tuple[list[int], list[int], list[int]]:
    """The years a text names: as the present, as a promise in their clause, and after 到/至/争/保/计 (a target)."""
    years: list[int] = []
    future_years: list[int] = []
    target_years: list[int] = []
    for m in _YEAR_IN_TEXT.finditer(text):
        before = text[max(0, m.start() - 4) : m.start()].rstrip(" \t\u3000")
        if before.endswith(("到", "至", "争", "保", "计", "前", "—", "-", "－", "~", "～")):
            if before.endswith(("到", "至", "争", "保", "计")) and 1990 <= int(m.group(1)) <= 2100:
                target_years.append(int(m.group(1)))  # "预计2019年底到位": the only year may be the promised one
            continue
        y = int(m.group(1))
        if 1990 <= y <= 2100 and not _inside_title(text, m.start()):
            # "争取国家2015年底核准…、2016年开工": a year promised in its clause is not the present
            # (used only when the text speaks of no other year).
            promised = _FUTURE_CLAUSE.search(text[max(0, m.start() - 40) : m.start()]) or _BY_YEAR_END.match(
                text, m.end()
            )  # "如期实现2030年前碳达峰": a year something is due by is not the present either
            (future_years if promised else years).append(y)
    return years, future_years, target_years


_BY_YEAR_END = re.compile(r"[ \t\u3000]*(?:前|以前|之前|底前|年底前)")
_MEASURED_TO = re.compile(
    r"由[^，,。；;\n]{0,20}?\d{4}[ \t\u3000]*年(?:底|末)?的[^，,。；;\n]{0,12}?"
    r"(?:提高|提升|增加|增长|上升|下降|降低|减少|扩大|缩小|跃升)(?:到|至)[ \t\u3000]*(\d{4})[ \t\u3000]*年(?:底|末)?的"
)


def _inside_title(text: str, pos: int) -> bool:
    left = text.rfind("《", max(0, pos - 120), pos)
    if left < 0:
        return False
    right = text.find("》", left, pos)
    return right < 0


# Line-anchored patterns (scan.LineAnchored: found from line starts only; the same matches as re.search/finditer).
# The 联系人 line's name (compiled once; they were written inline).
_CONTACT_CLOSE = re.compile(r"[）)](?=\s*$)|[）)]\s*[。]?$")
_CONTACT_NAME = re.compile(rf"[{_CJK}](?:[ \u3000]?[{_CJK}]){{1,14}}")
_CONTACT_NOT_NAME = re.compile(r"电话|手机|座机|传真")
_CONTACT_NAME_END = re.compile(r"[ \u3000]*(?:电话|手机|联系|座机|传真)")
_SPACES = re.compile(r"[ \u3000]+")
_FIRST_SECTION = LineAnchored(re.compile(r"^[ \t\u3000]*(?:[一二三四五六七八九十]+、|[（(]一[）)])", re.MULTILINE))
_TITLE_LINE = LineAnchored(re.compile(r"^[^\n]*(?:答复|复函|的函|关于)[^\n]*$", re.MULTILINE))
_HOST_LINE = LineAnchored(
    re.compile(r"^[ \t\u3000]*承办单位\s*[：:]\s*([^\s，,。；;、]{2,30})[ \t\u3000]*$", re.MULTILINE)
)


def extract_metadata(text: str) -> Metadata:
    """See module docstring."""
    spans: list[Span] = []
    f: dict = {}

    # The header: everything before the first numbered section or the salutation's paragraph.
    first_section = _FIRST_SECTION.search(text)
    header_end = first_section.start() if first_section else min(len(text), 1500)
    header_end = min(header_end, 3000)
    header = text[:header_end]

    dn = _own_doc_number(text, header_end) or _own_doc_number(text, min(len(text), 5000))
    if dn:
        f["doc_number"] = text[dn[0] : dn[1]].strip()
        spans.append(Span("doc_number", *dn))

    m = _CATEGORY.search(header) or _CATEGORY_AFTER_NO.search(header) or _CATEGORY_LINE.search(header)
    if m:
        f["category"] = _fw(next(g for g in m.groups() if g))
        spans.append(Span("category", m.start(), m.end()))
    m = DISCLOSURE_RE.search(header)
    if m:
        word = m.group(1) or m.group(2)
        f["disclosure"] = "不公开" if "不" in word else "公开"
        spans.append(Span("disclosure", m.start(), m.end()))

    # Session, body, kind, item number: prefer the title line (the line with 答复/函/关于…).
    title_line = None
    for lm in _TITLE_LINE.finditer(header):
        if _search_session(lm.group()) or ITEM_NO_RE.search(lm.group()):
            title_line = lm
            break
    search_regions = [(title_line.start(), title_line.group())] if title_line else []
    search_regions.append((0, text[: min(len(text), header_end + 1500)]))
    for off, region in search_regions:
        mc = SESSION_CPPCC_RE.search(region)
        m = _search_session(region)
        if mc and (m is None or mc.start() <= m.start()):
            f["session"] = mc.group()
            f["session_jurisdiction"] = mc["jur"] or mc["jur_b"]
            f["session_term"] = _int((mc["term"] or mc["term_b"]).strip("第届"))
            f["session_meeting"] = _int(mc["meet"].strip("第次"))
            f["body"] = "政协"
            spans.append(Span("session", off + mc.start(), off + mc.end()))
            break
        if m:
            jur = _JUR_PREFIX.sub("", m["jur"]) if m["jur"] else ""
            jur = re.sub(r"^(?:您|你们|你|贵)?(?:在|于)?", "", jur)
            jur = re.sub(r"^(?:关于|对|就|向|在)+", "", jur)
            start = off + m.start("jur") + (len(m["jur"]) - len(jur))
            session = text[start : off + m.end()]
            f["session"] = session
            f["session_jurisdiction"] = jur or None
            f["session_term"] = _int((m["term"] or m["term2"] or "").strip("第届"))
            f["session_meeting"] = _int(m["meet"].strip("第次"))
            org = m["org"] or m["org2"]
            f["body"] = "政协" if "政协" in org or "政治协商" in org else "人大"
            spans.append(Span("session", start, off + m.end()))
            break
    for off, region in search_regions:
        m = ITEM_NO_RE.search(region)
        if m:
            f["proposal_number"] = _fw(m.group(1))
            spans.append(Span("proposal_number", off + m.start(1), off + m.end(1)))
            kind_word = m.group(2)
            f.setdefault("_kind_word", kind_word)
            break
    if "proposal_number" not in f:
        # "关于对市十六届人大三次会议苏溪镇13号建议答复的函": a number without 第 after the session.
        for off, region in search_regions:
            m = ITEM_NO_BARE_RE.search(region)
            if m:
                f["proposal_number"] = _fw(m.group(1))
                spans.append(Span("proposal_number", off + m.start(1), off + m.end(1)))
                f.setdefault("_kind_word", m.group(2))
                break
    if "proposal_number" not in f:
        for off, region in search_regions:
            m = ITEM_NO_KIND_FIRST_RE.search(region)
            if m:
                f["proposal_number"] = _fw(m.group(2))
                spans.append(Span("proposal_number", off + m.start(2), off + m.end(2)))
                f.setdefault("_kind_word", m.group(1))
                break
    title_text = title_line.group() if title_line else header[:600]
    if "送审稿" in title_text or "征求意见稿" in title_text:
        f["is_draft"] = True

    opening_end = min(len(text), header_end + 2500)
    m = TITLE_RE.search(text, 0, opening_end)
    early_reply = bool(f.get("session") or f.get("doc_number") or f.get("proposal_number"))
    if m and not early_reply and m.group(1).endswith("意见"):
        m = None
    if m is None:
        m = _TITLE_ALT.search(text, 0, opening_end)
    if m:
        g = next(i for i in (1, 2, 3) if i <= (m.re.groups or 1) and m.group(i))
        f["proposal_title"] = m.group(g)
        spans.append(Span("proposal_title", m.start(g), m.end(g)))
        if "proposal_number" not in f:
            m2 = ITEM_NO_ANY_RE.search(text, m.end(), min(len(text), m.end() + 20))
            if m2:
                f["proposal_number"] = _fw(m2.group(1))
                spans.append(Span("proposal_number", m2.start(1), m2.end(1)))

    looks_like_reply = bool(
        f.get("session") or f.get("doc_number") or f.get("proposal_number") or f.get("proposal_title")
    )
    # Body and kind: a 政协 item is a 提案, a 人大 item a 建议 (议案 when the text says so).
    kind_word = f.pop("_kind_word", None)
    sal = _SALUTE_ROLE.search(text, 0, min(len(text), header_end + 300))
    if "body" not in f and looks_like_reply and sal:
        f["body"] = "政协" if sal.group(1) == "委员" else "人大"  # "陈文生委员：" answers a 提案
    # A title counts as the reply's own only with a signing date line: a news item that reports on
    # "《关于…的建议》" handled at "区十七届人大七次会议" has neither salutation nor signature.
    tail_start = max(0, len(text) - 3000)
    date_lines = list(DATE_LINE_RE.finditer(text, tail_start))
    signed = bool(date_lines)
    if f.get("session") and not (
        sal or f.get("doc_number") or f.get("proposal_number") or (f.get("proposal_title") and signed)
    ):
        # A news item that mentions "十四届全国人大四次会议" is not a reply to an item of it.
        for k in ("session", "session_jurisdiction", "session_term", "session_meeting", "body", "proposal_title"):
            f.pop(k, None)
        spans = [sp for sp in spans if sp.name != "session"]
        looks_like_reply = False
    if "body" not in f and looks_like_reply:
        probe = (title_text or "") + (kind_word or "")
        if "提案" in probe or "政协" in probe:
            f["body"] = "政协"
        elif "建议" in probe or "议案" in probe or "人大" in probe or "代表" in header:
            f["body"] = "人大"
    if f.get("body") == "政协":
        f["proposal_kind"] = "提案"
    elif f.get("body") == "人大":
        f["proposal_kind"] = "议案" if (kind_word == "议案" or re.search(r"(?<!建)议案", title_text)) else "建议"

    # Issuing agency.
    agency, a_span = _find_agency(text, header)
    if agency:
        f["agency"] = agency
        spans.append(Span("agency", *a_span))

    # Proposers: the salutation line of a reply.
    if looks_like_reply:
        for m in SALUTATION_RE.finditer(text, 0, min(len(text), header_end + 200)):
            raw = m.group(1).strip()
            if re.search(r"关于|答复|附件|抄送|联系|如下|主送|现将|^[一二三四五六七八九十]+、|^各位", raw):
                continue
            if _FIELD_LABEL.search(raw) or len(re.sub(r"\s", "", raw)) < 2:
                continue  # "今天是：", "归档时间：", "内 容：" are page fields, not a salutation
            names = _split_names(raw)
            if names:
                f["proposers"] = tuple(names)
                spans.append(Span("proposers", m.start(1), m.end(1)))
                break
        else:
            m = _SALUTATION_NO_COLON.search(text, 0, min(len(text), header_end + 200))
            names = _split_names(m.group(1).strip()) if m else []
            if m and names:
                f["proposers"] = tuple(names)
                spans.append(Span("proposers", m.start(1), m.end(1)))

    # Assignment: "主办单位：X" / "协办单位：X、Y" lines, else 主办 / 协办 / 会办 / 领办 / 督办 in
    # the opening paragraphs.
    for m in _ASSIGN_LABEL_RE.finditer(text, 0, opening_end if looks_like_reply else 0):
        who = _strip_punct(m["who"])
        if re.search(r"[：:]|网站|维护|版权", who):
            continue  # "主办单位:福建省发展和改革委员会维护单位:…": a web page's footer
        if m["role"] == "主办" and "lead_agency" not in f:
            f["lead_agency"] = who
            spans.append(Span("lead_agency", m.start("who"), m.start("who") + len(who)))
        elif m["role"] != "主办":
            items = [x for x in (_strip_punct(y) for y in _SPLIT_LIST.split(who)) if x]
            f["co_agencies"] = tuple(f.get("co_agencies", ())) + tuple(items)
            spans.append(Span("co_agencies", m.start("who"), m.start("who") + len(who)))
    m = None if ("lead_agency" in f or "co_agencies" in f) else ASSIGN_RE.search(text, 0, opening_end)
    if m:
        lo = max(text.rfind("。", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
        hi = min((k for k in (text.find("。", m.end()), text.find("\n", m.end())) if k >= 0), default=len(text))
        _assignment(text[lo:hi], lo, f, spans)

    # Tail: signing date, issue date, contact, 抄送.
    sign = None
    for m in date_lines:
        d = parse_full_date(m["d"])
        if d is None:
            continue
        if m["tail"]:
            f["issued_date"] = d
            spans.append(Span("issued_date", m.start("d"), m.end("d")))
        else:
            sign = (d, m.start("d"), m.end("d"))
    if sign is None:
        # A signing date written inline at the end ("…单位 2023年5月30日").
        for m in FULL_DATE_RE.finditer(text, max(0, len(text) - 400)):
            rest = text[m.end() : m.end() + 4]
            nl = text.find("\n", m.end())
            if text[m.end() : nl if nl >= 0 else len(text)].strip(" \t\u3000|｜"):
                continue  # "2025年4月8日，我局会同…": a date inside prose, not a signature
            if "印发" not in rest and looks_like_reply:
                d = parse_full_date(m.group())
                if d:
                    sign = (d, m.start(), m.end())
    if sign is None:
        for m in _DAYLESS_SIGN_RE.finditer(text, tail_start):
            if not AGENCY_LINE_RE.match(m["name"]):
                continue
            try:
                sign = (dt.date(int(m["y"]), int(m["m"]), int(m["dd"])), m.start("d"), m.end("d"))
            except ValueError:
                continue
    if sign is None and looks_like_reply:
        # "2023-05-30" alone on a line at the end: a signing date written with dashes.
        for m in _ISO_DATE_LINE.finditer(text, max(0, len(text) - 600)):
            try:
                sign = (dt.date(int(m["y"]), int(m["m"]), int(m["d"])), m.start("y"), m.end("d"))
            except ValueError:
                continue
    if sign:
        f["reply_date"] = sign[0]
        spans.append(Span("reply_date", sign[1], sign[2]))

    m = CONTACT_RE.search(text, tail_start)
    if m:
        rest = m.group("rest")
        rest = _CONTACT_CLOSE.split(rest)[0]
        nm = _CONTACT_NAME.search(rest)
        if nm and not _CONTACT_NOT_NAME.match(nm.group()):
            name = nm.group()
            name = _CONTACT_NAME_END.split(name)[0].strip(" \u3000")
            parts = _SPACES.split(name)
            if len(parts) > 1 and len(parts[0]) > 2 and _DEPT_WORD.search(parts[0]):
                name = "".join(parts[1:])  # "基层卫生处 沈丽": the department, then the person
            if len(name) > 4 and " " not in name:
                name = _DEPT_TAIL.sub("", name)
            if len(name) >= 2:
                f["contact_name"] = name
                s = m.start("rest") + rest.find(name)
                spans.append(Span("contact_name", s, s + len(name)))
    if m is None:
        mc = _CUT_CONTACT_RE.search(text, tail_start)
        if mc:
            f["contact_name"] = mc.group(1)
            spans.append(Span("contact_name", mc.start(1), mc.end(1)))
    phones = [p.group() for p in PHONE_RE.finditer(m.group("rest"))] if m else []
    if not phones:
        # No 联系人 line with a number: the letter's "联系电话：…" line.
        m2 = PHONE_LINE_RE.search(text, tail_start)
        if m2:
            ls = text.rfind("\n", 0, m2.start()) + 1
            le = text.find("\n", m2.start())
            if _FOOTER_LINE_RE.search(text[ls : le if le >= 0 else len(text)]):
                m2 = None
        if m2 and (m is not None or m2.group().startswith("联系")):  # a page footer's "电话：" is not the letter's
            phones = [p.group() for p in PHONE_RE.finditer(m2.group("rest"))]
    if phones:
        f["contact_phones"] = tuple(dict.fromkeys(phones))
    m = CC_RE.search(text, tail_start)
    if m:
        # "市政协提案委员会(2份)、市政府督查室(2份)": the number of copies ends an item and is not part of it.
        # "…、县政府办公室 |": a page's table border ends the line.
        rest = _COPIES.sub("、", m.group("rest")).strip(" \t\u3000、|｜")
        splitter = _SPLIT_LIST if _SPLIT_LIST.search(rest) else re.compile(r"[ \u3000]+")
        items = [_strip_punct(x) for x in splitter.split(rest)]
        items = [x for x in items if x]
        if items:
            f["cc"] = tuple(items)
            spans.append(Span("cc", m.start("rest"), m.end("rest")))

    if "lead_agency" not in f:
        m = _HOST_LINE.search(text[:opening_end])
        if m:
            f["lead_agency"] = m.group(1)
            spans.append(Span("lead_agency", m.start(1), m.end(1)))
    if "agency" not in f and looks_like_reply:
        # "发布机构：楚雄州发展和改革委员会" / "发布机构: 市发改委(市粮储局) 主题分类…": the page's publisher.
        m = _PUBLISHER_RE.search(text, 0, min(len(text), 1500))
        if m:
            f["agency"] = m.group(1)
            spans.append(Span("agency", m.start(1), m.end(1)))
    if "agency" not in f:
        # "来源：濉溪县公安局 发布时间：…" on a page whose letter is unsigned.
        m = _SOURCE_RE.search(text, 0, min(len(text), 600))
        if m and looks_like_reply and re.search(r"[省市县区州旗盟]", m.group(1)[:-1]):
            f["agency"] = m.group(1)
            spans.append(Span("agency", m.start(1), m.end(1)))
    if "agency" not in f:
        m = _REPLY_UNIT_RE.search(text)
        if m:
            f["agency"] = m.group(1)
            spans.append(Span("agency", m.start(1), m.end(1)))
    if "agency" not in f:
        # "联系单位：新密市住房和城乡建设局" at the end of an unsigned letter.
        m = _UNIT_LINE_RE.search(text, tail_start)
        if m and AGENCY_LINE_RE.match(m.group(1)):
            f["agency"] = m.group(1)
            spans.append(Span("agency", m.start(1), m.end(1)))
    # Resolve 我委 in lead agency.
    if f.get("lead_agency") and _SELF_REF.match(f["lead_agency"]):
        f["lead_agency"] = f.get("agency")
    return Metadata(**f, spans=tuple(spans))


_FILE_LINE = LineAnchored(
    re.compile(rf"^[ \t\u3000#]*([{_CJK}（）()]{{2,40}}?)[ \t\u3000]*文件[ \t\u3000]*$", re.MULTILINE)
)
_AGENCY_ABOUT_LINE = LineAnchored(
    re.compile(rf"^[ \t\u3000]*([{_CJK}（）()]{{2,30}}?{_AGENCY_SUFFIX})[ \t\u3000]+关于", re.MULTILINE)
)
_SHORT_LINE = LineAnchored(re.compile(r"^[ \t\u3000]*([^\n]{2,40}?)[ \t\u3000]*$", re.MULTILINE))
# "鲁桥镇人民政府 2025年6月2日 |": the date may follow the signature on its line.
_SIGNATURE_LINE = LineAnchored(
    re.compile(
        rf"^[ \t\u3000]*([{_CJK}（）()]{{2,40}}?)(?:[ \t\u3000]*\n+[ \t\u3000]*|[ \t\u3000]+)"
        rf"(?:\d{{4}}|[〇零○一二三四五六七八九]{{4}})[ \t\u3000]*年",
        re.MULTILINE,
    )
)


def _find_agency(text: str, header: str) -> tuple[str | None, tuple[int, int]]:
    m = _FILE_LINE.search(header)
    if m and AGENCY_LINE_RE.match(m.group(1)):
        return m.group(1), (m.start(1), m.end(1))
    m = _AGENCY_ABOUT_LINE.search(header)
    if m:
        return m.group(1), (m.start(1), m.end(1))
    m = _TITLE_AGENCY_RE.search(header, 0, 800)
    if m:
        return m.group(1), (m.start(1), m.end(1))
    for lm in _SHORT_LINE.finditer(header[:600]):
        name = lm.group(1)
        if AGENCY_LINE_RE.match(name) and not _PARTY.match(name):
            return name, (lm.start(1), lm.end(1))
    # The signature: an agency line right before the last date line.
    tail_start = max(0, len(text) - 2500)
    last = None
    for m in _SIGNATURE_LINE.finditer(text[tail_start:]):
        if AGENCY_LINE_RE.match(_SEAL.sub("", m.group(1))):
            last = m
            break
    if last and (DOC_NO_RE.search(header) or _search_session(header) or _SALUTE_ROLE.search(text, 0, 1500)):
        name = _SEAL.sub("", last.group(1))
        return name, (tail_start + last.start(1), tail_start + last.start(1) + len(name))
    return None, (0, 0)


# "株洲市住房和城乡建设局（盖章）": the seal mark after a signature is not part of the name.
_SEAL = re.compile(r"[ \t\u3000]*[（(](?:盖章|公章|印章|签章|章)[）)]$")


def _split_names(raw: str) -> list[str]:
    raw = re.sub(r"^(?:尊敬的|亲爱的)", "", raw.strip())
    raw = PERSON_SUFFIX_RE.sub("", raw).strip()
    parts = [_strip_punct(PERSON_SUFFIX_RE.sub("", p)) for p in re.split(r"[、，,和及与]", raw)]
    # "兰陵县代表团刘志军": the delegation a deputy sits in is not part of the name; "XXX" is a redaction.
    parts = [re.sub(r"^[\u4e00-\u9fff]{1,12}代表团(?=[\u4e00-\u9fff]{2,4}$)", "", p) for p in parts if p]
    parts = [p for p in parts if p and not re.fullmatch(r"[XＸx×*＊某]+", p)]
    if not parts or any(len(p) > 30 for p in parts):
        return []
    return parts


def _assignment(sentence: str, base: int, f: dict, spans: list[Span]) -> None:
    for cm in re.finditer(r"[^，,；;：:]+", sentence):
        clause = cm.group().strip()
        m = re.match(
            r"^(?:并|同时|经研究|(?:该|本|此)(?:件|建议|提案)(?:被确定为[^，]*)?)?(?:已)?(?:交由|交|由|确定由)?"
            r"(?P<who>.+?)(?:负责)?(?P<role>主办|协办|会办|领办|督办|分办)(?:单位)?(?:[。]|$)",
            clause,
        )
        if not m:
            continue
        who = m["who"].strip()
        who = re.sub(r"^(?:由|交由|已交由|交)", "", who)
        who = re.sub(r"^[^，,]{1,12}?(?:已)?交由", "", who)  # "省政协交由楚雄州人民政府主办"
        # "您提出的《…》由我委主办": the unit follows the item's title.
        # "《…》（第45号）由我局主办": the item's number in brackets may sit between the two.
        who = re.sub(r"^.*[》”](?:[（(][^（()）]{1,20}[）)])?(?:收悉)?(?:已)?(?:确定由|交由|由|交)", "", who)
        if not who or len(who) > 60:
            continue
        role = m["role"]
        s = base + cm.start() + cm.group().find(who)
        if role == "主办" and "lead_agency" not in f:
            f["lead_agency"] = who
            spans.append(Span("lead_agency", s, s + len(who)))
        elif role in ("协办", "会办", "分办"):
            items = [re.sub(r"^(?:经|由|请|并)", "", x.strip()) for x in re.split(r"[、]", who) if x.strip()]
            f["co_agencies"] = tuple(f.get("co_agencies", ())) + tuple(items)
            spans.append(Span("co_agencies", s, s + len(who)))
        elif role == "领办" and "lead_official" not in f:
            f["lead_official"] = who
            spans.append(Span("lead_official", s, s + len(who)))
        elif role == "督办" and "supervising_official" not in f:
            f["supervising_official"] = who
            spans.append(Span("supervising_official", s, s + len(who)))
