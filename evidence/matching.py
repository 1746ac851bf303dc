"""Which earlier commitments does a later passage report on? Plain Python (scikit-learn, no ORM), deterministic.

Contract: ``rank(text, candidates, doc_date=…)`` splits ``text`` into passages, scores every
(passage, candidate) pair and returns one ``Match`` per candidate (its best passage), best first.
``Match.suggested`` is True only when the score reaches ``SUGGEST_AT`` *and* the pair passes the
scorer's gate (``ranker.Model.gate``): "specific" — at least one specific piece of evidence (a name,
rare strings, a quantity with its unit) — or, for the learned scorer of session 6, "named" — a shared
name or quantity (rare strings alone do not suggest), which since session 13 does not count when the passage is
behind the step promised or before the promise (``stage_behind``, ``date_before``). Topic words alone ("推进", "建设", "道路") never
make a suggestion.

Features (rules): TF-IDF cosine of character 2–4-grams (IDF fitted on a background of real government
texts plus the candidate pool and the passages, so topic n-grams weigh little), names (XX路/XX医院/《…》/“…”,
matched partially so a renamed project still matches), rare shared strings, shared quantities with the same
unit, a shared agency, the stage, conflicting names. Score: ``rank``'s ``model`` (``evidence/ranker.py``; by
default ``ranker.current_model()``: the logistic regression learned from the evidence pair sets when a model file
is present, else the hand-weighted formula as a logistic).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from evidence import ranker

# Every scorer's intercept carries its threshold: a score of 0.5. For the hand-weighted formula that is its sum's
# 0.30, set on corpus/evidence (tune half); still the lowest threshold with no distractor flagged on corpus/evidence
# and corpus/evidence3 (--sweep; evidence2 keeps one up to 0.35): see docs/evidence.md.
SUGGEST_AT = ranker.SUGGEST_AT
# Per candidate, the passages (by cosine) whose explicit features are computed: the rest cannot win.
_TOP_PASSAGES = 4

_CJK = r"\u4e00-\u9fff"
_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]*")
# Named things: a name core followed by the kind of thing it is. The core is trimmed of verbs below.
_NAME_SUFFIX = (
    "大道|路|街|巷|大桥|桥|隧道|立交|高速|公路|铁路|轨道交通|地铁|线|站|枢纽|机场|港|码头|"
    "人民医院|中医医院|妇幼保健院|保健院|医院|卫生院|卫生服务中心|中学|小学|学校|幼儿园|大学|学院|"
    "院区|总院|校区|分院|分校|公园|湿地|水库|水厂|污水处理厂|河|湖|渠|园区|产业园|开发区|片区|新区|基地|"
    "项目|工程|中心|馆|广场|市场|小区|社区|村|镇|乡|街道|口岸|集团|公司|企业|厂"
)
_NAME_RE = re.compile(rf"[{_CJK}A-Za-z0-9]{{2,14}}?(?:{_NAME_SUFFIX})")
# A road or line named by its ends: "铜梁至资中", "康定至新都桥" (renamed later as 铜资高速).
_ROUTE_RE = re.compile(rf"(?<![{_CJK}])([{_CJK}]{{2,3}})至([{_CJK}]{{2,3}})")
_QUOTED_RE = re.compile(r"[《“「\"]([^《》“”「」\"\n]{2,40})[》”」\"]")
# Words that start a clause, not a name: stripped from the left of a name match.
_LEAD_SPLIT = re.compile(
    r"(?:加快|推进|推动|建设|新建|改建|扩建|改扩建|完成|实施|启动|开展|做好|积极|全力|力争|争取|确保|"
    r"计划|预计|预期|估计|将|的|对|在|和|与|及|以|把|为|是|于|至|从|由|等|个|了|中|上|下|年|月|日|已|正|全面|持续|"
    r"重点|谋划|支持|打造|依托|围绕|位于|落地|开工|投产|建成|目前|其中|同时|今年|明年|全市|全省|全县|全州|全区|建设|年产|总投资|[0-9A-Za-z.]+)"
)
# Generic cores: a "name" made of these alone names nothing ("道路", "学校", "重点项目").
_GENERIC = set(
    "重点 重大 有关 相关 各类 各项 一批 城市 城区 农村 乡村 市级 县级 省级 产业 工业 基础 设施 公共 民生 "
    "市政 交通 配套 服务 建设 项目 工程 新建 续建 道路 医院 学校 示范 试点 综合 管理 发展 这些 该 本 上述 "
    "一期 二期 三期 首期 该项目 新院区 院区 新区 片区 园区 "
    # Who owns or ranks a hospital or school ("市属医院", "三甲医院", "公办学校") names none of them.
    "市属 区属 省属 县属 部属 委属 直属 公立 公办 民办 三甲 三级 二甲 二级 "
    # How much of it ("整体工程", "主体工程", "全线工程"): no name either.
    "整体 主体 全部 部分 全线 本期 配套".split()
)
_QUANTITY_RE = re.compile(r"\d")
# Topic words every letter on a subject shares ("推进", "建设", "道路", "医院"): never specific evidence,
# whatever the background says (a small background may lack a whole field's vocabulary).
_TOPIC_WORDS = re.compile(
    r"推进|推动|加快|尽快|建设|新建|改建|扩建|完成|实施|启动|启用|开工|竣工|建成|投用|投产|使用|运行|运营|通车|开通|开诊|"
    r"道路|公路|高速|桥梁|大桥|妇幼保健院|保健院|妇幼|妇女儿童|儿童医院|人民医院|中医院|卫生院|医院|学校|小学|中学|幼儿园|项目|工程|园区|片区|院区|校区|社区|乡村|农村|城市|"
    r"年底|年内|今年|明年|下半年|上半年|预计|计划|力争|争取|确保|全面|持续|进一步|积极|有序|稳步|重点|"
    r"医疗|教育|交通|卫生|健康|服务|设施|配套|基础|发展|产业|工业|企业|群众|人民|政府|部门|单位|相关|有关|"
    r"综合|提升|改造|提质|规划|设计|投资|资金|亿元|万元|平方米|公里|床位|学位|"
    # The channel a letter came through and its question words: every reply on a message board shares them.
    r"留言板|留言|信箱|热线|问政|网友|网民|市民|回复称|回复|答复|咨询|询问|反映|什么时候|何时|多久|能否|是否"
)
# Kinds too loose to tell two projects apart by a differing name (a village, a company, "项目").
_WEAK_KINDS = {
    "项目",
    "工程",
    "公司",
    "企业",
    "集团",
    "村",
    "镇",
    "乡",
    "社区",
    "街道",
    "中心",
    "基地",
    "厂",
    "市场",
    "线",
}

# Places (a district, a town): where a project is, not which one. Two projects in 香洲区 share "香洲区"; it tells
# them apart no more than a topic word does. Not "花都院区"/"新区"/"城区": a campus or zone is named, not placed.
_PLACE_RE = re.compile(
    rf"[{_CJK}]{{2,4}}?(?:省|自治州|州|高新区|经开区|开发区|(?<![院校园片城社辖地景山小新矿营港街林湾])区|县"
    r"|(?<![城超上门都夜集股])市(?![场民政级委直属])|镇(?![政级])|乡(?![村镇])|街道)"
)
# Kinds that name a place, not a project ("南朗街道", "金马镇").
_PLACE_KINDS = {"街道", "镇", "乡", "社区"}
# Kinds of the same family: "青白" is a road's name in 青白大道 and a district's in 青白江…医院.
_KIND_FAMILIES = (
    set("大道 路 街 巷 大桥 桥 隧道 立交 高速 公路 铁路 轨道交通 地铁 线 站 枢纽 机场 港 码头 互通 通道".split()),
    set("人民医院 中医医院 妇幼保健院 医院 卫生院 卫生服务中心 院区 总院 分院 保健院 医疗中心".split()),
    set("中学 小学 学校 幼儿园 大学 学院 校区 分校".split()),
)

_DONE = re.compile(
    r"已完成|已建成|建成投产|建成投用|建成通车|建成并|已投用|投入使用|投入运营|正式投用|竣工|完工|已通车|正式通车|"
    r"开通运营|已实现|实现了|已投产|顺利投产|交付使用|全面完成|圆满完成|正式运营|正式启用|启用|开诊|开业|揭牌|"
    r"成功点火|点火|成功下线|下线|试运营|开放交通|通车|建成|开放|开园|开馆|开学|投运|"
    # Session 14: a line, a plant, an airport put in use.
    r"正式投产|投产发电|并网发电|通航|通水|开通"
)
# A new promise with a year: "预计将在2024年底投入使用".
_NEW_DATE = re.compile(r"(?:预计|计划|力争|争取|将于|将在|推迟至|延至)[^，。；,;]{0,6}?(20\d\d)年")
_PROGRESS = re.compile(
    r"正在|推进中|加快推进|有序推进|稳步推进|开工|已启动|启动实施|在建|施工|进展顺利|主体结构|封顶|"
    # Session 14: a step short of the promised one, or the last days before it.
    r"主体完工|即将|在即|倒计时|收尾|试运行|联调联试|贯通|合龙|复工|建设中"
)
_DELAYED = re.compile(r"推迟|延期|未能|滞后|暂缓|未按期|放缓|停工|搁置|尚未")
_PARTLY = re.compile(r"部分|初步|基本建成|基本完成|首期|阶段性")
# What stage a text speaks of: a passage that reports a thing in use answers the promise to put it in use
# ("计划于2025年建成投用" ← "将于今年10月正式运行"), not a promise to start it or to make it a platform.
_STAGES = {
    "use": re.compile(
        r"投入使用|投用|投运|运行|运营|启用|开诊|开业|开学|招生|通车|开通|通水|交付使用|开放|开园|开馆|投产"
    ),
    "built": re.compile(r"建成|竣工|完工|封顶|主体完工|完成[^，。；]{0,12}建设"),
    "start": re.compile(r"开工|动工|启动|奠基|开建|进场"),
}
# A "done" word right after one of these speaks of the future ("预计9月建成投产"), not of a result.
_FUTURE = re.compile(r"(?:预计|预期|估计|计划|将|力争|争取|拟|确保|有望|目标|要|期间|年底前|以前)[^，。；]{0,8}$")


@dataclass(frozen=True)
class Candidate:
    """An open commitment as the matcher sees it: its text, context (title, section), agencies, targets, date."""

    id: int
    text: str
    context: str = ""
    agencies: tuple[str, ...] = ()
    targets: tuple[tuple[Decimal, str], ...] = ()
    date: dt.date | None = None
    deadline: dt.date | None = None
    group: int | None = None  # the source document: one suggestion per source document and later document


@dataclass(frozen=True)
class Passage:
    """A sentence of the later document with its character span."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Match:
    """The best passage for one candidate, its score and what the two share."""

    candidate_id: int
    passage: Passage
    score: float
    suggested: bool
    shared: tuple[str, ...]
    outcome: str
    actual: tuple[Decimal, str] | None = None
    features: dict = field(default_factory=dict, compare=False)
    group: int | None = None
    deadline: dt.date | None = None  # the commitment's
    scored: tuple[Match, ...] = field(default=(), compare=False, repr=False)  # every passage scored (training rows)
    outcome_dated: bool = False  # the outcome rests on the dates alone: the passage's words say nothing of it

    @property
    def strength(self) -> float:
        """The score on the hand-weighted sum's scale (``ranker.hand_scale``), which the rules below compare."""
        return ranker.hand_scale(self.score)


# ---------------------------------------------------------------------------------------------- passages


# Traditional characters the pipeline's table (markers, time words, units, administrative terms) leaves out:
# names of people and places, hospital and building words (兒童醫院, 友誼醫院, 安貞醫院 met 儿童/友谊/安贞 only
# through the cosine). One for one, so spans stay valid; added to the pipeline's table, never overriding it.
_MORE_TRADITIONAL = """
兒儿 誼谊 貞贞 楊杨 趙赵 蕭萧 馮冯 蔣蒋 賈贾 鍾钟 龔龚 錫锡 蕪芜 漣涟 闖闯 闡阐 腫肿 癥症 癒愈 膚肤 腎肾 膽胆 衆众 傷伤 殘残 瘓痪 樑梁 飾饰 綫线 纜缆 裡里 裏里 嗎吗 慶庆 壽寿 買买
債债 積积 啓启 邁迈 揮挥 攝摄 擊击 攬揽 掃扫 揀拣 噸吨 釐厘 倉仓 儲储 備备 帳帐 澤泽 瀏浏 渦涡 漿浆 澗涧 瀾澜 婁娄 媽妈 嬌娇 審审 寵宠 嶼屿 崗岗 巖岩 帥帅 廟庙 彈弹 歸归 恆恒 惱恼
慘惨 戀恋 儀仪 僅仅 優优 倫伦 偽伪 僑侨 儘尽 償偿 兇凶 冊册 凍冻 凱凯 劇剧 劍剑 勁劲 勸劝 匯汇 厲厉 喚唤 喪丧 塗涂 墊垫 夾夹 奬奖 妝妆 宮宫 寢寝 岡冈 嶄崭 幟帜 廂厢 廚厨 廬庐 彌弥
彥彦 恥耻 悅悦 愜惬 慚惭 憐怜 憲宪 懲惩 懶懒 拋抛 撐撑 撲扑 攔拦 攪搅 敵敌 斂敛 斃毙 晝昼 暈晕 曬晒 棧栈 楓枫 槍枪 樸朴 櫻樱 欽钦 殲歼 殺杀 氫氢 洩泄 淪沦 渙涣 湊凑 滄沧 滌涤 滲渗
滷卤 潑泼 澀涩 濁浊 濫滥 瀉泻 瀕濒 灤滦 烏乌 無无 煉炼 煙烟 煩烦 燒烧 燙烫 燦灿 燭烛 爺爷 犧牺 狹狭 獄狱 獸兽 璽玺 瓏珑 瘋疯 癡痴 睜睁 碩硕 禪禅 窮穷 竊窃 籃篮 紐纽 紡纺 絆绊 締缔
緯纬 翹翘 舊旧 艦舰 莖茎 萊莱 蓮莲 蔥葱 蕩荡 蘋苹 蟲虫 蠶蚕 蠻蛮 褲裤 襲袭 討讨 訟讼 註注 詐诈 詩诗 誇夸 誕诞 誠诚 諒谅 諸诸 謂谓 謎谜 豈岂 豬猪 貓猫 貝贝 貢贡 貪贪 貼贴 賜赐 賢贤
賤贱 軒轩 輩辈 轟轰 遲迟 醬酱 銘铭 銜衔 銳锐 鋒锋 鍋锅 鏈链 鑑鉴 鑒鉴 閥阀 雞鸡 韋韦 韌韧 頌颂 頗颇 顏颜 願愿 飄飘 飼饲 飽饱 餅饼 饋馈 馭驭 駛驶 騙骗 驕骄 髒脏 鬧闹 鳴鸣 鴻鸿 鵝鹅
鶴鹤 鷹鹰 龜龟 徠徕 錶表 鎊镑 鎢钨 鐳镭 閨闺 闌阑 陘陉 隸隶 雋隽 靂雳 颳刮 颶飓 餃饺 餵喂 馳驰 駁驳 駱骆 駿骏 驟骤 骯肮 鬍胡 魷鱿 鯉鲤 鰻鳗 鱷鳄 鴨鸭 鴿鸽 鵬鹏 鶯莺 黴霉 鼕冬 齋斋
齜龇 鄒邹 鄲郸 醜丑 醞酝 釀酿 鈣钙 鉤钩 鉗钳 銬铐 鋸锯 錘锤 錨锚 鍛锻 鍍镀 鎂镁 鏟铲 鏽锈 鐮镰 鑰钥 鑽钻 閻阎 闈闱 闕阙 隕陨 雛雏 靚靓 頑顽 頰颊 頹颓 顛颠 飆飙 餡馅 餽馈 饒饶 饞馋
駝驼 騷骚 驢驴 驥骥 髮发 鬱郁 鯽鲫 鱗鳞 鳩鸠 鴉鸦 鵑鹃 鶉鹑 鷗鸥 麩麸 黽黾 鼴鼹 齲龋 紮扎 緞缎 緝缉 緬缅 繞绕 繡绣 繽缤 纖纤 罈坛 羨羡 聳耸 聶聂 膩腻 膿脓 臍脐 蒞莅 蓽荜 薑姜 薩萨
蘊蕴 螢萤 蠅蝇 蠟蜡 裊袅 襪袜 覓觅 覲觐 詠咏 詭诡 誦诵 誣诬 諧谐 諷讽 謁谒 謙谦 譏讥 譴谴 讒谗 谘咨 豎竖 豔艳 貶贬 貽贻 賂赂 賑赈 賞赏 贓赃 贖赎 躊踌 軀躯 輟辍 轅辕 轎轿 辮辫 邇迩
鄺邝
"""


@functools.lru_cache(maxsize=1)
def _simplified_table() -> dict[int, int]:
    from responses.extraction.script import TRADITIONAL_TO_SIMPLIFIED

    more = {ord(pair[0]): ord(pair[1]) for pair in _MORE_TRADITIONAL.split()}
    return {**more, **TRADITIONAL_TO_SIMPLIFIED}


def simplified(text: str) -> str:
    """Every traditional character mapped to its simplified one (one for one: spans stay valid).

    Not the pipeline's ``to_simplified``, which leaves a text with fewer than 8 traditional characters as it is:
    a short clause or title of a traditional page ("富龍西江特大橋") must meet the simplified news about it.
    """
    return text.translate(_simplified_table())


# A reporter's byline ("(福州日报记者 孙漫/文 叶义斌/摄)", "极目新闻记者 宋枕涛", "【编辑:杨亚龙】") is shared by every
# report of the same paper, whatever it is about: blanked (same length) before anything is compared.
_BYLINE = re.compile(
    rf"[(（【][^()（）【】\n]{{0,40}}?(?:记者|通讯员|实习生|编辑|责编|摄影)[^()（）【】\n]{{0,60}}?[)）】]"
    rf"|(?:记者|通讯员|实习生|责任编辑|编辑|责编|摄影|作者)[ \u3000]*[:：]?[ \u3000]+[{_CJK}]{{2,3}}"
    rf"(?:[ \u3000、,，]+(?:(?:见习)?记者|通讯员|实习生)?[ \u3000]*[{_CJK}]{{2,3}}){{0,4}}"
    rf"|[{_CJK}]{{2,3}}[ \u3000]*/[ \u3000]*(?:文|摄|图)"
)


# Pinyin some pages print after a character ("水厂(chǎng)", "南水北调(diào)", "设(shè)站"): it cuts the n-grams
# and names it sits in. A syllable with a tone mark, in parentheses, right after a Chinese character, is dropped.
_PINYIN = re.compile(rf"(?<=[{_CJK}])[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]*[)）]")


def unannotated(text: str) -> str:
    """The text without pinyin annotations (``_PINYIN``); shorter, so only for texts whose spans are not kept."""
    return _PINYIN.sub("", text)


def unbylined(text: str) -> str:
    """The text with reporters' bylines blanked (same length, so spans stay valid)."""
    return _BYLINE.sub(lambda m: " " * len(m.group(0)), text)


# A road or line is also called by the first characters of its ends: 奉新至铜鼓 = 奉铜, 广昌—吉安 = 广吉,
# 遂(川)大(余) = 遂大 (session 8).
_ROUTE_JOIN = "至—–－"
_NOT_ROUTE = ("甚至", "以至", "乃至", "截至", "直至", "至今", "至少", "至于", "至关", "至此", "至多")
_ROAD_KINDS = ("高速公路", "高速", "公路", "铁路", "城际", "快速路", "大桥", "通道", "线", "段")
_PAREN_ROUTE = re.compile(rf"([{_CJK}])[(（]([{_CJK}])[)）]([{_CJK}])[(（]([{_CJK}])[)）]")
_ONE_CJK = re.compile(f"[{_CJK}]")


def route_aliases(text: str) -> list[str]:
    """The short names of the routes a text names ("奉新至铜鼓高速" → 奉铜高速), each with the road kind after it.

    The right end starts right after 至/—; the left end is taken as two characters, and as three too when a
    non-Chinese character comes before those three (良禾口至桃墅店 → 良桃).
    """
    out: list[str] = []

    def kind_at(k: int) -> str:
        return next((kind for kind in _ROAD_KINDS if text.startswith(kind, k)), "")

    for m in _PAREN_ROUTE.finditer(text):
        out.append(m.group(1) + m.group(3) + kind_at(m.end()))
    for i, ch in enumerate(text):
        if ch not in _ROUTE_JOIN or i < 2 or text[i - 1 : i + 1] in _NOT_ROUTE or text[i : i + 2] in _NOT_ROUTE:
            continue
        if not (_ONE_CJK.fullmatch(text[i - 2]) and _ONE_CJK.fullmatch(text[i - 1])):
            continue
        if not (i + 2 < len(text) and _ONE_CJK.fullmatch(text[i + 1]) and _ONE_CJK.fullmatch(text[i + 2])):
            continue
        kind = kind_at(i + 3) or (kind_at(i + 4) if i + 3 < len(text) and _ONE_CJK.fullmatch(text[i + 3]) else "")
        lefts = [text[i - 2]]
        if i >= 3 and _ONE_CJK.fullmatch(text[i - 3]) and (i < 4 or not _ONE_CJK.fullmatch(text[i - 4])):
            lefts.append(text[i - 3])
        out += [left + text[i + 1] + kind for left in lefts]
    return list(dict.fromkeys(out))


def alias_suffix(text: str) -> str:
    """The short names of the text's routes, each after a "。" ("。奉铜高速"): appended, n-grams and names meet them."""
    return "".join(f"。{a}" for a in route_aliases(text))


def with_aliases(text: str) -> str:
    """The text with ``alias_suffix`` appended."""
    return text + alias_suffix(text)


def passages(text: str, *, min_chars: int = 12) -> list[Passage]:
    """Sentences (。！？； or line breaks), a too-short one joined to the next; spans index ``text``."""
    out: list[Passage] = []
    pending: int | None = None
    for m in _SENTENCE.finditer(text):
        begin = pending if pending is not None else m.start()
        if len(text[begin : m.end()].strip()) < min_chars:
            pending = begin
            continue
        pending = None
        out.append(_trimmed(text, begin, m.end()))
    if pending is not None and text[pending:].strip():
        if out:
            last = out.pop()
            out.append(_trimmed(text, last.start, len(text)))
        else:
            out.append(_trimmed(text, pending, len(text)))
    return out


def _trimmed(text: str, start: int, end: int) -> Passage:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Passage(start, end, text[start:end])


# ---------------------------------------------------------------------------------------------- features


def named(text: str) -> list[tuple[str, str]]:
    """(core, kind) of the things a text names: XX路/XX医院/XX院区…, verbs and generic words cut off the core.

    Only the pieces next to the kind, or joined to it by 至/、/和/与/及 ("资中至铜梁、南充至潼南高速"), are of that
    kind: in "太湖总院位于吴中区天鹅荡路" only 吴中区天鹅荡 is a road. A name right after another names a thing
    in it when the first ends as a lake, river or harbour would ("苏州市太湖" + "新城医院"): the two are also taken
    as one name, 苏州市太湖新城 (医院).
    """
    return _named_in(undescribed(text))


def _named_in(text: str) -> list[tuple[str, str]]:
    """``named`` of a text whose design descriptions are blanked already."""
    found: list[tuple[str, str]] = []
    previous: tuple[int, str] | None = None  # (end, text) of the last match
    for m in _NAME_RE.finditer(text):
        kind = re.search(rf"(?:{_NAME_SUFFIX})$", m.group(0))
        kind_text = kind.group(0) if kind else ""
        core = m.group(0)[: kind.start()] if kind else m.group(0)
        hospital = _UNIVERSITY_HOSPITAL.match(text, m.end()) if kind_text in ("大学", "学院") else None
        if hospital:
            # "北京大学人民医院" is a hospital named 北京大学, not a university 北京 followed by a hospital.
            core, kind_text = m.group(0) + (hospital.group(1) or ""), hospital.group(2)
        joined = (
            previous[1] + core
            if previous is not None and previous[0] == m.start() and previous[1][-1] in _WATER_KINDS
            else None
        )
        previous = (m.end(), m.group(0))
        if kind_text in _PLACE_KINDS or _PLACE_RE.fullmatch(m.group(0)):
            continue  # "南朗街道", "东湖高新区": where, not what
        pieces = re.split(f"({_LEAD_SPLIT.pattern})", core)
        # pieces alternate: text, separator, text, …; walk back from the kind while separators coordinate.
        kept: list[str] = []
        for k in range(len(pieces) - 1, -1, -2):
            kept.append(pieces[k])
            if k == 0 or pieces[k - 1] not in _COORDINATORS:
                break
        if joined is not None:
            last = _LEAD_SPLIT.split(joined)[-1]
            if len(last) > len(kept[0]):
                kept.append(last)
        for piece in kept:
            if len(piece) < 2 or piece in _GENERIC:
                continue
            for part in piece.split("、"):
                # "西院区", "该医院": a topic word and one character name nothing in particular.
                if len(part) >= 2 and part not in _GENERIC and len(_TOPIC_WORDS.sub("", part)) >= 2:
                    found.append((part, kind_text))
    return list(dict.fromkeys(found))


_COORDINATORS = {"至", "和", "与", "及"}
_UNIVERSITY_HOSPITAL = re.compile(r"(附属(?:第[一二三四五六七八九十]+)?)?(人民医院|中医医院|医院)")
# Parts of a hospital or school: a campus names one place of its parent, and two campuses of one hospital are two
# things (北京大学人民医院通州院区 is not its 雄安院区; 友谊医院通州院区 is not 友谊医院顺义院区).
_PART_KINDS = {"院区", "校区", "分院", "分校"}
# A lake, river or harbour whose name goes on into the next name: 苏州市太湖|新城医院, 太仓市港|区医院.
_WATER_KINDS = set("湖河渠港")


# A design's description (session 9): its speed, width, lanes, the kind and count of its stations ("设计速度100公里/
# 小时", "路基宽26米", "双向四车道", "高架站9座", "设站10座"). Every road or line of its kind has one: such words make
# no name and such numbers no shared quantity.
_COUNT = "[0-9一二两三四五六七八九十百]+"
_DESCRIPTOR = re.compile(
    r"(?:设计|最高|运行|行车|最大)?(?:时速|速度)[为达约是:：]{0,3}[0-9.]+[ ]*(?:公里|千米|km|KM)"
    r"(?:[ ]*(?:/|每)[ ]*(?:小时|h|H))?"
    r"|[0-9.]+[ ]*(?:公里|千米|km|KM)[ ]*(?:/|每)[ ]*(?:小时|h|H)"
    r"|(?:路基|路面|桥面|红线)宽(?:度)?[为达约是:：]{0,3}[0-9.]+[ ]*(?:米|m)"
    rf"|(?:双向|单向)?{_COUNT}车道"
    rf"|(?:高架|地下|地面|半地下|换乘)(?:车)?站(?:{_COUNT}座)?"
    rf"|(?:设|设置)?(?:车)?站{_COUNT}座"
    rf"|{_COUNT}座(?:高架|地下|地面|换乘)?(?:车)?站"
)


def undescribed(text: str) -> str:
    """The text with a design's descriptions blanked (same length)."""
    return _DESCRIPTOR.sub(lambda m: " " * len(m.group(0)), text)


def names(text: str) -> list[str]:
    """Name cores of the things a text names: 《…》/“…”, XX路/XX医院/XX项目…, and both ends of "A至B" routes."""
    text = undescribed(text)
    found = [m.group(1).strip() for m in _QUOTED_RE.finditer(text)]
    found += [end for m in _ROUTE_RE.finditer(text) for end in m.groups() if end not in _GENERIC]
    found += [core for core, _ in _named_in(text)]
    return list(dict.fromkeys(found))


def _conflicts(
    cand_named: list[tuple[str, str]],
    passage: str,
    document: str = "",
    document_named: Sequence[tuple[str, str]] = (),
) -> list[str]:
    """Names of the same kind in the passage that the commitment does not share (增城院区 against 花都院区).

    A passage about the same kind of thing with another name, while the commitment's own name of that kind is
    absent, is about another project: the distractor that topic words alone cannot tell apart.
    """
    out = []
    passage_named = named(passage)
    present = {
        _family(kind)
        for core, kind in cand_named
        if kind and kind not in _PART_KINDS and len(_longest_common(core, passage)) >= min(3, len(core))
    }
    for core, kind in cand_named:
        if kind in _PART_KINDS:
            common = _longest_common(core, passage)
            if _unplaced(core) in passage or len(common) >= 3:
                present.add(kind)
            if len(core) >= 4 and len(common) >= 3:
                # "首都儿科研究所通州院区" names its hospital too, here "首都儿科研究所附属儿童医院".
                present.add(_family(kind))
    # 宜遂高速 in the passage, 宜遂大高速 in the commitment: a passage's name inside the commitment's name of the
    # same family is the same thing (or a part of it), not another one (session 8, kept in session 9).
    for other, other_kind in passage_named:
        if (
            other_kind
            and len(other) >= 2
            and any(k and _family(k) == _family(other_kind) and other in _unplaced(c) for c, k in cand_named)
        ):
            present.add(_family(other_kind))
    parents = [c for c, k in cand_named if k]
    for core, kind in cand_named:
        # "安贞医院通州院区" against 北京大学人民医院通州院区: the same campus name under another parent.
        for m in re.finditer(re.escape(core + kind), passage) if kind in _PART_KINDS and len(core) >= 2 else ():
            before = named(passage[max(0, m.start() - 16) : m.start()])
            if before and before[-1][1] and passage[: m.start()].endswith(before[-1][1]):
                parent = before[-1][0]
                if parents and all(len(_longest_common(parent, p)) < min(3, len(parent), len(p)) for p in parents):
                    out.append(parent + before[-1][1] + core + kind)
        # The document is about another campus of the hospital: it names that campus and never this one.
        if kind in _PART_KINDS and len(core) >= 2 and core not in document and kind not in present:
            out += [o + k for o, k in document_named if k == kind and len(_longest_common(o, core)) < 2]
    for core, kind in cand_named:
        # "容国团中学" against the commitment's 容国团小学: the same name, another thing of the family.
        bare = _unplaced(core)
        for m in re.finditer(re.escape(bare), passage) if kind and len(bare) >= 2 else ():
            other = next((k for k in _KIND_FAMILIES_FLAT if passage.startswith(k, m.end())), "")
            if other and other != kind and _family(other) == _family(kind) and kind not in passage[m.end() :][:4]:
                out.append(bare + other)
        here = kind in present if kind in _PART_KINDS else _family(kind) in present
        if not kind or kind in _WEAK_KINDS or core in passage or here:
            # A commitment that names the thing twice (苏州市立医院总院, i.e. 太湖新城医院) and one of the names
            # is in the passage: the passage's other name is the same thing's.
            continue
        for other, other_kind in passage_named:
            if other_kind == kind and len(_longest_common(other, core)) < 2:
                out.append(other + other_kind)
    return list(dict.fromkeys(out))


_KIND_FAMILIES_FLAT = sorted({k for f in _KIND_FAMILIES for k in f}, key=len, reverse=True)


def _family(kind: str) -> str:
    """A representative of the kind's family (医院 for 院区, 总院…; the kind itself outside the families)."""
    for family in _KIND_FAMILIES:
        if kind in family:
            return min(family)
    return kind


def _longest_common(a: str, b: str) -> str:
    """Longest common substring (short strings: names against a sentence)."""
    best = ""
    for i in range(len(a)):
        for j in range(i + len(best) + 1, len(a) + 1):
            if a[i:j] in b:
                best = a[i:j]
            else:
                break
    return best


def quantities(text: str) -> list[tuple[Decimal, str, str]]:
    """(value, unit, words) of every quantity with a unit (the extraction pipeline's target finder)."""
    text = undescribed(text)
    if not _QUANTITY_RE.search(text) and not re.search("[一二三四五六七八九十百千万亿]", text):
        return []
    from responses.extraction.targets import find_targets

    return [(Decimal(str(t.value)), t.unit, t.text) for t in find_targets(text)]


def outcome_guess(
    passage: str, *, deadline: dt.date | None = None, promise: str = "", reported_on: dt.date | None = None
) -> str:
    """done / in_progress / delayed / partly / unknown from the passage's words (future "将建成" is not done).

    A passage that promises the thing again for a year after the commitment's deadline reports a delay. A done
    word in a question ("古田公园什么时候建成开园?") reports nothing. Measured against ``promise`` (the
    commitment's text): a promise to start work ("力争实现年底开工") is kept by a report of work under way.
    Session 14, against the deadline (the annotators' rule): a step reached after the deadline — the date the passage
    gives it, else the date of the report (``reported_on``) — is a delay; so is a step not reached (or not said to
    be) when the report is dated after the deadline; a "done" whose steps all come before the promised step
    (主体完工 against a promise to put it in use) is in progress.
    """
    return _outcome(passage, deadline=deadline, promise=promise, reported_on=reported_on)[0]


def _outcome(
    passage: str, *, deadline: dt.date | None = None, promise: str = "", reported_on: dt.date | None = None
) -> tuple[str, bool]:
    """The outcome guess and whether it rests on the dates alone (the passage's words say nothing of it)."""
    if _DELAYED.search(passage):
        return "delayed", False
    if deadline is not None:
        for m in _NEW_DATE.finditer(passage):
            if int(m.group(1)) > deadline.year:
                return "delayed", False
    state, at = _said(passage, promise)
    if deadline is None or state == "partly":
        return state, False
    if state == "done":
        when = _reached_on(passage[:at], reported_on) or reported_on
        return ("delayed" if when is not None and when > deadline else "done"), False
    if reported_on is not None and reported_on > deadline:
        # Not reached, or not said to be, when the report is dated after the deadline.
        return "delayed", state == "unknown"
    return state, False


def _said(passage: str, promise: str) -> tuple[str, int]:
    """done / partly / in_progress / unknown from the passage's words alone, and where the word that says it starts."""
    done = [
        m
        for m in _DONE.finditer(passage)
        if not _FUTURE.search(passage[: m.start()])
        and not passage[m.end() : m.end() + 3].startswith(("后", "达产后", "在即", "倒计时"))  # 通车在即: about to
        and not _asked(passage, m.start(), m.end())
        and not passage[: m.start()].endswith(("主体", "主体工程"))  # the main works done: a step before use
    ]
    if done and _PARTLY.search(passage):
        return "partly", done[0].start()
    if done and not (promise and stage_behind(promise, passage)):
        return "done", done[0].start()
    if _PARTLY.search(passage) and re.search(r"完成|建成|实现|投用|投产", passage):
        return "partly", 0
    progress = [m for m in _PROGRESS.finditer(passage) if not _FUTURE.search(passage[: m.start()])]
    if progress and _promised_stage(promise) == "start":
        return "done", progress[0].start()
    # The result announced for a date to come ("将于11月中旬开诊", "即将通车", "春节前通车后"): not yet, on its way.
    # A "done" behind the promised step (主体完工 for a promise to open) is on its way too.
    announced = [m for m in _DONE.finditer(passage) if not _asked(passage, m.start(), m.end())]
    if progress or announced:
        return "in_progress", 0
    return "unknown", 0


# A date in a passage: "2021年1月2日", "2019年", "12月26日" (its year from an earlier date of the passage, "同年", or
# the report's). A date right after a promise word is the date promised, not the date something happened.
_WHEN = re.compile(
    r"(?<![0-9])(?:(?P<y>(?:19|20)[0-9]{2})\s*年\s*(?:(?P<m>[0-9]{1,2})\s*月\s*(?:(?P<d>[0-9]{1,2})\s*[日号])?)?"
    r"|(?P<m2>[0-9]{1,2})\s*月\s*(?:(?P<d2>[0-9]{1,2})\s*[日号])?)"
)
_PROMISED_WHEN = re.compile(r"(?:预计|预期|计划|力争|争取|将于|将在|目标|原定|有望|确保|拟|到)[^，。；,;]{0,3}$")


def _reached_on(before: str, reported_on: dt.date | None) -> dt.date | None:
    """The earliest day the last date given before the done word can be ("2019年" → 1 January 2019), or None."""
    year = None
    found = None
    for m in _WHEN.finditer(before):
        if _PROMISED_WHEN.search(before[: m.start()]):
            continue  # a date promised lends no year to the dates after it (session 15)
        if m["y"]:
            year = int(m["y"])
            y, month, day = year, m["m"], m["d"]
        else:
            guess = year if year is not None else (reported_on.year if reported_on else None)
            if guess is None:
                continue
            y, month, day = guess, m["m2"], m["d2"]
        try:
            when = dt.date(y, int(month or 1), int(day or 1))
        except ValueError:
            continue
        if year is None and reported_on is not None and when > reported_on:
            when = when.replace(year=when.year - 1)  # "12月26日" in a January report
        found = when
    return found


_QUESTION = re.compile(r"什么时候|何时|是否|能否|多久|吗|[?？]")
_CLAUSE_EDGE = re.compile(r"[，,；;。！？!?\n]")


def _asked(text: str, start: int, end: int) -> bool:
    """Whether the words at start:end sit in a question ("…什么时候建成开园?")."""
    left = max((m.end() for m in _CLAUSE_EDGE.finditer(text, 0, start)), default=0)
    right = _CLAUSE_EDGE.search(text, end)
    clause = text[left : right.end() if right else len(text)]
    return bool(_QUESTION.search(clause))


def _promised_stage(commitment: str) -> str | None:
    """The stage a commitment promises after its last future word: "use", "built" or "start" (None: no promise)."""
    marks = list(_PROMISE.finditer(commitment))
    if not marks:
        return None
    promise = commitment[marks[-1].end() :]
    return next((stage for stage, rx in _STAGES.items() if rx.search(promise)), None)


# ---------------------------------------------------------------------------------------------- scoring


def _background_df() -> tuple[dict[str, int], int]:
    """Document frequency of every character 2–4-gram of the background of real government texts, and how many.

    A fixed file shipped with the scorer (``evidence/background.py``: generated from a named list of texts, versioned
    by its hash, read once per process), not the corpus/ folders: a new corpus set changes no feature until the file
    is regenerated.
    """
    from evidence import background

    shipped = background.current()
    return shipped.df, shipped.n


def _tfidf(docs: Sequence[str]):
    """TF-IDF rows (sublinear tf, L2) for ``docs`` with IDF over background + ``docs``; and the IDF by n-gram.

    Same formula as scikit-learn's TfidfVectorizer(smooth_idf=True), but the background's counts are
    computed once per process instead of re-fitting ~100 k characters on every call.
    """
    import numpy as np
    from scipy.sparse import diags
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.preprocessing import normalize

    bg_df, bg_n = _background_df()
    counter = CountVectorizer(analyzer="char", ngram_range=(2, 4), dtype=np.float64)
    counts = counter.fit_transform(docs)
    local_df = np.asarray((counts > 0).sum(axis=0)).ravel()
    grams = counter.get_feature_names_out()
    df = local_df + np.array([bg_df.get(g, 0) for g in grams], dtype=np.float64)
    n = bg_n + len(docs)
    idf = np.log((1 + n) / (1 + df)) + 1
    counts.data = 1 + np.log(counts.data)
    rows = normalize(counts @ diags(idf), norm="l2")
    return rows.tocsr(), dict(zip(grams, idf.tolist(), strict=True)), n


def _rare_shared(a: str, b: str, weight: _Rareness) -> list[tuple[str, float]]:
    """Maximal substrings (>= 2 chars) of ``a`` found in ``b``, each weighted by how rare its bigrams are.

    "单晶硅拉棒" weighs about 3, "项目建设" about 0: topic words are common in the background.
    """
    out: list[tuple[str, float]] = []
    i = 0
    while i < len(a) - 1:
        j = i + 2
        if a[i:j] not in b or not re.search(f"[{_CJK}A-Za-z]", a[i:j]):
            i += 1
            continue
        while j < len(a) and a[i : j + 1] in b:
            j += 1
        piece = a[i:j]
        masked = _masked(piece)
        total = sum(
            weight(masked[k : k + 2])
            for k in range(len(masked) - 1)
            if re.fullmatch(f"[{_CJK}A-Za-z]{{2}}", masked[k : k + 2])
        )
        if total >= 0.8:
            out.append((piece, total))
        i = j
    return out


@dataclass(frozen=True)
class _Rareness:
    """How rare a bigram is among the background of government texts plus the candidates' source documents.

    Each source document counts once (its commitments repeat its title) and the later document not at all
    (it repeats its own subject's name in every sentence). 0 when in >= 5 % of those texts, 1 when in one.
    """

    background: dict[str, int]
    df: dict[str, int]
    n: int

    def __call__(self, gram: str) -> float:
        common = max(3.0, 0.05 * self.n)
        seen = self.background.get(gram, 0) + self.df.get(gram, 0)
        return min(1.0, max(0.0, 1.0 - math.log1p(max(seen - 1, 0)) / math.log1p(common)))


def _rareness(groups: dict, pool: Sequence[Candidate]) -> _Rareness:
    """Bigram document frequencies over the background plus one text per source document of the pool."""
    bg_df, bg_n = _background_df()
    texts: dict = {}
    for c in pool:
        key = c.group if c.group is not None else -c.id
        texts.setdefault(key, []).append(f"{c.text} {c.context}")
    df: dict[str, int] = {}
    for parts in texts.values():
        joined = " ".join(parts)
        for gram in {joined[k : k + 2] for k in range(len(joined) - 1)}:
            df[gram] = df.get(gram, 0) + 1
    return _Rareness(bg_df, df, bg_n + len(texts))


def _rarity(piece: str, weight: _Rareness) -> float:
    """Mean rareness of a string's bigrams; those of a place ("香洲区") count as common."""
    masked = _PLACE_RE.sub(lambda m: " " * len(m.group(0)), piece)
    grams = [masked[k : k + 2] for k in range(len(masked) - 1)]
    return sum(0.0 if " " in g else weight(g) for g in grams) / len(grams) if grams else 0.0


def _masked(piece: str) -> str:
    """The string with its topic words and places blanked: what is left can be specific."""
    masked = _TOPIC_WORDS.sub(lambda m: " " * len(m.group(0)), piece)
    return _PLACE_RE.sub(lambda m: " " * len(m.group(0)), masked)


# What marks a promise: a future word, or a date ("2017年底开通", "2016年开工": a commitment's date is the one promised).
_PROMISE = re.compile(
    r"预计|预期|估计|计划|将|力争|争取|确保|拟|有望|年底前|年内"
    r"|20\d\d年(?:年底|底|初|内|前|上半年|下半年|[0-9一二三四五六七八九十]{1,2}月(?:底|份|中旬|下旬|上旬)?)?"
)


def _unplaced(name: str) -> str:
    """The name without the place it starts with (香洲区容国团 → 容国团), unless nothing would be left."""
    m = _PLACE_RE.match(name)
    return name[m.end() :] if m and m.end() < len(name) - 1 else name


_NUMBER = "一二三四五六七八九十0123456789"


def _other_number(name: str, common: str, passage: str) -> bool:
    """Whether the name goes on with a number where the passage, at every place it has ``common``, has another."""
    i = name.find(common)
    after = name[i + len(common) : i + len(common) + 1]
    if not common or after not in _NUMBER or not after:
        return False
    found = [passage[m.end() : m.end() + 1] for m in re.finditer(re.escape(common), passage)]
    return bool(found) and all(x in _NUMBER and x and x != after for x in found)


# Numbered things of one series: metro lines (5号线), buildings (3号楼), phases (二期), works sections (三标段), a city's
# n-th plant or school (第二水厂, 第十五中学). A passage whose numbers of a series are all others than the commitment's
# is about other things of that series (7号线 against the promised 5号线; 第一水厂 against 第二水厂).
_ORDINAL_RE = re.compile(
    r"(第)?([0-9]{1,3}|[一二三四五六七八九十]{1,3})(号线|号楼|期|标段|水厂|污水处理厂|中学|小学|人民医院|医院)"
)
_ORDINAL_NEEDS_DI = {"水厂", "污水处理厂", "中学", "小学", "人民医院", "医院"}  # "两个水厂" counts nothing
# 1–99 as written ("五", "十五", "二十一", or digits); not "十四五" (of 十四五期间), a plan's name that cn_to_int would read.
_WELL_FORMED = re.compile(r"[0-9]{1,3}|[一二三四五六七八九]|[一二三四五六七八九]?十[一二三四五六七八九]?")


def ordinals(text: str) -> dict[str, set[int]]:
    """The numbers the text gives each series (_ORDINAL_RE): {"号线": {5, 16}, "期": {2}}."""
    from responses.extraction.numerals import cn_to_int

    out: dict[str, set[int]] = {}
    for m in _ORDINAL_RE.finditer(text):
        kind = m.group(3)
        number = cn_to_int(m.group(2)) if _WELL_FORMED.fullmatch(m.group(2)) else None
        if number is None or (kind in _ORDINAL_NEEDS_DI and not m.group(1)):
            continue
        out.setdefault(kind, set()).add(number)
    return out


def _disjoint_classes(mine: Mapping[str, AbstractSet[Any]], theirs: Mapping[str, AbstractSet[Any]]) -> list[str]:
    """The classes both sides name with no member in common, as "class theirs≠mine"."""
    return [
        f"{kind} {'/'.join(map(str, sorted(theirs[kind])))}≠{'/'.join(map(str, sorted(mine[kind])))}"
        for kind in sorted(mine.keys() & theirs.keys())
        if not mine[kind] & theirs[kind]
    ]


def ordinal_conflicts(commitment: str, passage: str) -> list[str]:
    """The series the commitment and the passage both number, with no number in common ("号线 7≠5")."""
    return _disjoint_classes(ordinals(commitment), ordinals(passage))


def _same_stage(commitment: str, passage: str) -> bool:
    """Whether the passage reports the stage the commitment promises (in use, built, started).

    The promise is what follows the commitment's last future word ("计划于2025年建成投用"); a clause without
    one ("…签约仪式暨…开工开业活动举行") promises no stage.
    """
    marks = list(_PROMISE.finditer(commitment))
    if not marks:
        return False
    promise = commitment[marks[-1].end() :]
    return any(rx.search(promise) and rx.search(passage) for rx in _STAGES.values())


# Session 13: the steps a project goes through, in order (a closed list of domain words, no names): approved (核准,
# 批复, 可研), work started, the main works done, in use (投产/并网/通车/开通…, 建成/竣工/验收). A passage whose furthest
# step is before the first step the commitment promises (a 核准 against a promise to start work; a start of works
# against a promise to put it in use is still a step towards it only when the commitment names the start too) speaks
# of another moment of the thing, or of another thing of the same kind.
_LADDER = (
    re.compile(r"核准|批复|获批|批准|可研|可行性研究|立项|路条|审批|前期工作|选址|环评"),
    re.compile(r"开工|动工|开建|进场|奠基|筹建|施工|开挖"),
    re.compile(r"封顶|主体完工|主体工程完工|贯通|合龙|截流|蓄水"),
    re.compile(
        r"投产|并网|发电|投用|投运|投入使用|投入运营|运行|运营|启用|开诊|开业|开学|通车|开通|通水|交付|开放|开园|"
        r"开馆|建成|竣工|完工|验收"
    ),
)
_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?=年|[-—–~至到][0-9]{4}年)")


def _steps(text: str) -> set[int]:
    """The steps (indices of ``_LADDER``) the text names."""
    return {k for k, rx in enumerate(_LADDER) if rx.search(text)}


def stage_behind(commitment: str, passage: str) -> bool:
    """Whether every step the passage names comes before every step the commitment promises (after its first
    future word or date: "计划于今年6月开工,2024年底投产发电" promises the start and the operation). False when
    either names none."""
    first = _PROMISE.search(commitment)
    promised = _steps(commitment[first.end() :]) if first else set()
    reported = _steps(passage)
    return bool(promised) and bool(reported) and max(reported) < min(promised)


def date_before(promised_on: dt.date | None, passage: str) -> bool:
    """Whether every year the passage gives is before the year the commitment was made (``promised_on``, its
    document's date): what happened before a promise does not report on it. False without a date or a year."""
    years = {int(y) for y in _YEAR.findall(passage)}
    return promised_on is not None and bool(years) and max(years) < promised_on.year


def _kind_follows(common: str, kinds: set[str], passage: str, reach: int = 8) -> bool:
    """Whether ``common`` is followed in the passage, within ``reach`` characters, by a kind of the same family."""
    family: set[str] = set()
    for kind in kinds:
        family |= next((f for f in _KIND_FAMILIES if kind in f), {kind})
    family.discard("")
    for m in re.finditer(re.escape(common), passage):
        after = passage[m.end() : m.end() + reach]
        if after.startswith(("街道", "镇", "乡", "区", "县", "市", "省")):
            continue  # "南朗街道": the place, not 南朗快线
        if any(k in after for k in family):
            return True
    return False


def specific_bigrams(text: str, *, limit: int = 12) -> list[str]:
    """The text's rarest bigrams outside topic words (rare in the background), rarest first."""
    masked = _TOPIC_WORDS.sub(lambda m: " " * len(m.group(0)), simplified(text))
    weight = _Rareness(_background_df()[0], {}, _background_df()[1])
    grams = {masked[k : k + 2] for k in range(len(masked) - 1)}
    scored = [(weight(g), g) for g in grams if re.fullmatch(f"[{_CJK}A-Za-z0-9]{{2}}", g)]
    return [g for w, g in sorted(scored, key=lambda x: (-x[0], x[1])) if w >= 0.5][:limit]


def _scanned(c: Candidate) -> Candidate:
    """A commitment as ``rank`` reads it: simplified, bylines and annotations blanked, and its context followed by
    the short names of the routes in its text and context."""
    text = unannotated(unbylined(simplified(c.text)))
    context = unannotated(unbylined(simplified(c.context)))
    return replace(c, text=text, context=context + alias_suffix(f"{text}。{context}"))


def rank(
    text: str,
    candidates: Sequence[Candidate],
    *,
    doc_date: dt.date | None = None,
    agencies: Iterable[str] = (),
    suggest_at: float = SUGGEST_AT,
    shortlist: int = 200,
    model: ranker.Model | None = None,
    reported_on: dt.date | None = None,
) -> list[Match]:
    """One Match per shortlisted candidate (its best passage of ``text``), best first.

    Candidates dated after the document drop; of the rest, the ``shortlist`` closest by cosine are scored, by
    ``model`` (default: ``ranker.current_model()``). ``reported_on``: the document's date or the earliest it can be
    (default ``doc_date``), which the outcome guess compares with each commitment's deadline.
    """
    model = model or ranker.current_model()
    pool = [c for c in candidates if doc_date is None or c.date is None or c.date <= doc_date]
    # Mirror sites republish pages in traditional script: compare simplified copies (same length, same spans).
    later = simplified(text)
    shown = passages(later)
    if not pool or not shown:
        return []
    # Scored without bylines; the passage shown is the page's own sentence.
    scanned = unbylined(later)
    parts = [replace(p, text=with_aliases(unannotated(scanned[p.start : p.end]))) for p in shown]
    length = len(scanned)
    later = with_aliases(unannotated(scanned))
    pool = [_scanned(c) for c in pool]
    cand_docs = [f"{c.text} {c.context}" for c in pool]
    matrix, idf, total = _tfidf([*cand_docs, *(p.text for p in parts)])
    cand_m, pass_m = matrix[: len(pool)], matrix[len(pool) :]
    cosine = (pass_m @ cand_m.T).toarray()  # passages × candidates, rows L2-normalised already
    if len(pool) > shortlist:
        # Only the candidates closest by cosine get the (slower) explicit features: a shared name or number
        # is a shared n-gram too, so a candidate that has them is not far down this list.
        keep = sorted(range(len(pool)), key=lambda ci: (-float(cosine[:, ci].max()), ci))[:shortlist]
        keep.sort()
        pool = [pool[ci] for ci in keep]
        cosine = cosine[:, keep]
    # "Common" (weight 0): in ~5 % of the texts the IDF counts; "rare" (weight 1): in one.
    floor = math.log((1 + total) / (1 + max(2.0, 0.05 * total))) + 1
    top = math.log((1 + total) / 2) + 1
    doc_agencies = tuple(agencies)
    weight = _rareness({}, pool)
    doc_named = named(later)
    matches: list[Match] = []
    for ci, cand in enumerate(pool):
        order = sorted(range(len(parts)), key=lambda pi: (-cosine[pi, ci], pi))[:_TOP_PASSAGES]
        scored: list[Match] = []
        cand_names = names(f"{cand.text} {cand.context}")
        cand_named = named(f"{cand.text} {cand.context}")
        for pi in order:
            scored.append(
                _score(
                    cand,
                    cand_names,
                    cand_named,
                    parts[pi],
                    float(cosine[pi, ci]),
                    idf,
                    (floor, top),
                    weight,
                    doc_agencies,
                    suggest_at,
                    later,
                    doc_named,
                    {
                        "position": round(parts[pi].start / length, 4),
                    },
                    model,
                    reported_on or doc_date,
                )
            )
        if not scored:
            continue
        scored = [replace(m, passage=shown[parts.index(m.passage)]) for m in scored]
        scored.sort(key=lambda m: (-m.strength, m.passage.start))
        best = scored[0]
        if _silent(best):
            # The best passage names the project; the verb may sit in another sentence about it.
            told = next((m for m in scored[1:] if not _silent(m) and m.features.get(model.gate)), None)
            if told is not None:
                # A sentence nearly as close that says what happened is the better evidence to show.
                best = (
                    replace(told, score=best.score, suggested=best.suggested, actual=told.actual or best.actual)
                    if told.strength >= 0.75 * best.strength
                    else replace(best, outcome=told.outcome, outcome_dated=False)
                )
        matches.append(replace(best, scored=tuple(scored)))
    matches.sort(key=lambda m: (-m.strength, m.candidate_id))
    return one_per_group(matches, suggest_at, gate=model.gate)


def _silent(m: Match) -> bool:
    """Whether the passage's words say nothing of what happened (its outcome is unknown, or a delay read off the
    dates alone): another passage about the same project may say it."""
    return m.outcome == "unknown" or m.outcome_dated


def one_per_group(matches: list[Match], suggest_at: float, *, gate: str = "specific") -> list[Match]:
    """Mark as suggested the best match per source document that passes ``gate`` and reaches ``suggest_at``.

    ``gate`` names the flag in the features a pair needs (``ranker.GATES``): "specific" (a name, rare strings
    weighing >= 1.5, or a quantity) or "named" (a name or a quantity). A letter's other commitments on the same
    project rank below its best one and are not shown.
    """
    at = ranker.hand_scale(suggest_at)
    eligible = [m for m in matches if m.features.get(gate) and m.strength >= at]
    groups: dict[int, list[Match]] = {}
    for m in eligible:
        if m.group is not None:
            groups.setdefault(m.group, []).append(m)
    keep = {id(m) for m in eligible if m.group is None}
    for members in groups.values():
        # Clauses of one letter nearly as close as its best: the one with the latest date promised is the letter's
        # last word on the project ("二期总体预计2024年投用" after "急诊楼预计本月启用"), a dated one before a wish.
        top = max(m.strength for m in members)
        close = [m for m in members if m.strength >= top - _SAME_LETTER_MARGIN]
        keep.add(id(max(close, key=lambda m: (m.deadline or dt.date.min, m.strength))))
    return [replace(m, suggested=id(m) in keep) if (id(m) in keep) != m.suggested else m for m in matches]


# How close (on the hand-weighted sum's scale, `Match.strength`) another clause of the same letter must be to be preferred for its later promised date.
_SAME_LETTER_MARGIN = 0.05


# A conflict's "name" that is a place or a pronoun with one (江西省高速, 我省高速) or a verb phrase (实现县县通高速)
# names no other project (session 8).
_PRONOUN_PLACE = re.compile(r"^(?:我|本|全|该|外|各|两|多)(?:省|市|区|县|镇|乡|国)")
_VERB_IN_NAME = re.compile(r"实现|通达|连通|打通|建成|开通|通车|完成|达到|突破|别名|又称|简称|称为")


def _names_a_thing(conflict: str, weight: _Rareness) -> bool:
    """Whether a conflicting name (core and kind) names a thing by the standard a shared name meets to count."""
    if conflict.endswith(tuple(_PART_KINDS)):
        # A campus (增城院区 against 花都院区; 丙丁医院通州院区, the campus under another parent): the campus rules
        # name it, and "通州" read as a 州 would mask it as a place (session 9).
        return True
    core = re.sub(rf"(?:{_NAME_SUFFIX})$", "", conflict)
    if core == conflict or len(core) < 2:
        return True  # no kind parsed (an ordinal "7号线"): keep
    if _PRONOUN_PLACE.match(core) or _VERB_IN_NAME.search(core) or _PLACE_RE.fullmatch(core):
        return False
    bare = _unplaced(core)
    return len(bare) >= 2 and _rarity(bare, weight) >= 0.3


# A thing's phase or section (session 9): an extension (北延, 南延线), a section named by its head (葛店段 against
# 武昌段). Numbered phases (一期/二期) are compared by ordinal_conflicts already, whatever the thing.
_EXTENSION_RE = re.compile(r"([东南西北])延(?!期|误|迟|缓|续)")
_SECTION_RE = re.compile(rf"([{_CJK}])([{_CJK}])段")
# Not a section's name: 路段, 标段 (numbered: ordinal_conflicts), 阶段, a stretch in general.
_NOT_SECTION = set(
    "路段 标段 区段 地段 阶段 手段 时段 全段 分段 该段 此段 本段 片段 河段 江段 桥段 线段 一段 两段 各段 首段 后段 前段 号段".split()
)
# A direction right after a thing's kind or phase ("11号线东段", "二期西段") names the section by it alone.
_KIND_END = set("线路桥道速期")


def phases(text: str) -> dict[str, set[str]]:
    """The phases a text names, by class: {"延": {"北"}, "段": {"葛店"}} (11号线东段: {"段": {"东"}})."""
    out: dict[str, set[str]] = {}
    for m in _EXTENSION_RE.finditer(text):
        out.setdefault("延", set()).add(m.group(1))
    for m in _SECTION_RE.finditer(text):
        first, second = m.group(1), m.group(2)
        if m.group(0)[1:] in _NOT_SECTION or second in "延期号" or first + second in ("所在", "中间"):
            continue
        head = second if second in "东南西北中" and first in _KIND_END else first + second
        out.setdefault("段", set()).add(head)
    return out


def phase_conflicts(commitment: str, passage: str) -> list[str]:
    """The phase classes both name with no phase in common (北延 against 南延; 葛店段 against 武昌段)."""
    return _disjoint_classes(phases(commitment), phases(passage))


def _score(
    cand: Candidate,
    cand_names: list[str],
    cand_named: list[tuple[str, str]],
    passage: Passage,
    cosine: float,
    idf: dict[str, float],
    bounds: tuple[float, float],
    weight: _Rareness,
    doc_agencies: tuple[str, ...],
    suggest_at: float,
    whole_text: str = "",
    doc_named: Sequence[tuple[str, str]] = (),
    extra: dict | None = None,
    model: ranker.Model = ranker.HAND,
    reported_on: dt.date | None = None,
) -> Match:
    ptext = passage.text
    floor, top = bounds
    # Names, partially: the longest piece of the name core found in the passage (a renamed road keeps part of it).
    name_score, shared_names = 0.0, []
    kinds: dict[str, set[str]] = {}
    for core, kind in cand_named:
        kinds.setdefault(core, set()).add(kind)
    for name in cand_names:
        common = _longest_common(name, ptext)
        # Two characters say which thing only with the kind of thing after them: "珠海" of 珠海大道 is not
        # 珠海这所…老校, "青白" of 青白大道 is not 青白江…医院.
        if len(common) == 2 and kinds.get(name) and not _kind_follows(common, kinds[name], ptext):
            continue
        # Part of a name cut off inside a word ("武汉新" of 武汉新城 in "武汉新添一家…医院") says which thing only
        # when the name goes on as written or the kind follows it (长沙市四医院 in 长沙市第四医院).
        cut = 3 <= len(common) < len(_unplaced(name)) and not _unplaced(name).endswith(common)
        if cut and kinds.get(name) and not _kind_follows(common, kinds[name], ptext, reach=4):
            continue
        # A name that starts right after the commitment's place must start the passage's too: 港区医院 of
        # 太仓市港区医院 is not 泉港区医院 ("第" may come between: 长沙市四医院 is 长沙市第四医院).
        starts = common and _unplaced(name) != name and _unplaced(name).startswith(common)
        if starts and not re.search(rf"(?:^|[^{_CJK}]|[市区县省镇的在是与和及至第]){re.escape(common)}", ptext):
            continue
        # 苏大附一院 is not 苏大附二院: the same name with another number is another thing.
        if _other_number(name, common, ptext):
            continue
        # Three characters at least, or the two rare characters a name starts with ("旗滨" of 旗滨光伏):
        # "绕城" from the middle of 广安绕城西 names no particular road.
        rarity = _rarity(common, weight)
        # "太湖" of 苏州市太湖新城 (医院) leads the name once the place before it is set aside.
        unplaced = _unplaced(name)
        lead = len(common) == 2 and unplaced.startswith(common) and rarity >= 0.5
        # A campus under its hospital, as the commitment writes them ("武汉大学人民医院洪山院区"): the campus's
        # own name is a district's (洪山), common in the pool, but hospital and campus together name one thing.
        verbatim = common == name and any(
            f"{parent}{parent_kind}{name}{kind}" in ptext
            for kind in kinds.get(name, set()) & _PART_KINDS
            for parent, parent_kind in cand_named
            if parent_kind and parent_kind not in _PART_KINDS
        )
        # A slogan in quotes ("大抓产业、主攻工业") is shared by every letter of a province: rare names only.
        if (len(common) >= 3 or lead or verbatim) and common not in _GENERIC and (rarity >= 0.3 or verbatim):
            # The place before a name (香洲区 of 香洲区容国团) is not part of what has to match.
            whole = unplaced if common in unplaced else name
            name_score = max(name_score, len(common) / max(len(whole), 2))
            shared_names.append(common)
    rare_pieces = _rare_shared(f"{cand.text}。{cand.context}", ptext, weight)
    rare = [piece for piece, _ in rare_pieces]
    rare_weight = sum(w for _, w in rare_pieces)
    # Quantities with the same unit and value (the promised 20 GW reported as 20 GW).
    cand_q = quantities(cand.text)
    pass_q = quantities(ptext)
    shared_q = [w for v, u, w in cand_q if any(v == pv and u == pu for pv, pu, _ in pass_q)]
    agency = any(a and (a in ptext) for a in (*cand.agencies, *doc_agencies) if len(a) >= 3 and a in ptext)
    conflicts = _conflicts(cand_named, ptext, whole_text, doc_named) + ordinal_conflicts(cand.text, ptext)
    # A "name" that is a place, a pronoun with one or a verb phrase, or common in the pool, names no other thing.
    conflicts = [c for c in conflicts if _names_a_thing(c, weight)]
    if shared_names:
        # The same thing named on both sides, another extension or section of it: another phase (session 9).
        conflicts += phase_conflicts(cand.text, ptext)
    stage = _same_stage(cand.text, whole_text)
    # Session 13: the passage's step or years against the promise's (the learned scorer's gate, "named", reads them).
    behind = stage_behind(cand.text, ptext)
    before = date_before(cand.date, ptext)
    specific = bool(shared_names) or rare_weight >= 1.5 or bool(shared_q)
    # The narrower gate (session 6): rare strings alone (a page's boilerplate, a shared phrase) name no project.
    # Session 13 (G): a name or a figure shared with a passage that is behind the promised step or before the promise
    # speaks of another moment of the thing, or of another thing of the same kind: it does not count.
    named_or_counted = (bool(shared_names) or bool(shared_q)) and not (behind or before)
    features = {
        "cosine": cosine,
        "name": name_score,
        "rare": rare_weight,
        "quantities": len(shared_q),
        "agency": agency,
        "specific": specific,
        "named": named_or_counted,
        "conflicts": conflicts,
        "stage": stage,
        "behind": behind,
        "before": before,
        **(extra or {}),
    }
    score = model.score(features)
    actual = None
    for _value, unit in cand.targets:
        same = [pv for pv, pu, _ in pass_q if pu == unit]
        if same:
            actual = (same[0], unit)
            break
    shared = tuple(dict.fromkeys([*shared_names, *rare, *shared_q]))
    outcome, dated = _outcome(ptext, deadline=cand.deadline, promise=cand.text, reported_on=reported_on)
    return Match(
        candidate_id=cand.id,
        passage=passage,
        score=score,
        suggested=bool(features.get(model.gate)) and ranker.hand_scale(score) >= ranker.hand_scale(suggest_at),
        shared=shared,
        outcome=outcome,
        outcome_dated=dated,
        actual=actual,
        group=cand.group,
        deadline=cand.deadline,
        features={**features, "cosine": round(cosine, 4), "name": round(name_score, 3), "rare": round(rare_weight, 2)},
    )
