"""Which line breaks the cleaner removes: wraps and page breaks inside a sentence, not the ends of list items."""

from __future__ import annotations

from responses.extraction import extract_text
from responses.extraction.cleaning import _Layout, clean


def _lines(text: str) -> list[str]:
    return [ln for ln in clean(text).split("\n") if ln]


def test_numbered_items_one_per_line_stay_apart():
    text = (
        "2023年重点民生事项\n"
        "  01 新改扩建公办幼儿园11所,新增公办园学位2550个\n"
        "  02 新改建中小学12所,新增义务教育学位1.2万个\n"
        "  03 推动公共体育场馆免费或低收费,推进学校、机关、企事业单位体育场地设施向公众开放\n"
        "  04 建设职业教育大型智能仿真公共实训基地,确保2个市级基地投入使用\n"
    )
    lines = _lines(text)
    assert len(lines) == 5
    assert [ln.strip()[:2] for ln in lines[1:]] == ["01", "02", "03", "04"]


def test_consecutive_numbers_without_a_leading_zero_are_items():
    text = "1 新建公办幼儿园11所,新增学位2550个，全面完成\n2 新改建中小学12所,新增义务教育学位1.2万个。\n"
    assert len(_lines(text)) == 2


def test_one_item_paragraphs_stay_apart():
    items = ["新建托幼一体化幼儿园50所,新增托位1.6万个", "新增基础教育学位20万个", "新组建25个公办中小学教育集团"]
    items += [
        "开工建设深圳创新创意设计学院、电子科技大学(深圳)高等研究院",
        "一体规划建设深圳海洋大学、深海科考中心、海洋博物馆",
    ]
    lines = _lines("\n\n".join(items) + "\n")
    assert lines == items
    assert len(extract_text("2023年，深圳将：\n\n" + "\n\n".join(items) + "\n").text.split("\n\n")) == len(items) + 1


def test_page_break_inside_a_long_paragraph_is_joined():
    head = "（四）服务重大工业企业和项目方面。指导云南中利铝业有限公司、云南衡润环保科技有限公司、铂亚贵金属再生利用有限公司年内新"
    text = head + "\n\n建投产纳规，强化市场主体培育，尽快形成经济支撑。\n"
    assert clean(text) == head + "建投产纳规，强化市场主体培育，尽快形成经济支撑。\n"


def test_a_long_unterminated_paragraph_before_an_unterminated_line_is_an_end():
    first = "今年将新改建非机动车道400公里，新增停车位20万个，新推广新能源汽车12万辆以上，打通断头路20条"
    text = first + "\n\n新增社康机构35家，构建15分钟社康圈\n"
    assert _lines(text) == [first, "新增社康机构35家，构建15分钟社康圈"]


def test_a_short_line_before_a_sentence_is_an_end():
    text = "扎实做好“产、城、人”三篇文章\n\n近年来，彝良县准确把握发展面临的形势任务，充分发挥优势。\n"
    assert len(_lines(text)) == 2


def _wrapped(paragraphs: list[str], width: int) -> str:
    out = []
    for p in paragraphs:
        out.append("\n".join(p[i : i + width] for i in range(0, len(p), width)))
    return "\n\n".join(out) + "\n"


_PARAS = [
    "我局高度重视代表提出的建议，组织专门力量进行了认真研究，现将办理情况答复如下。",
    "一是加快推进城区道路改造工程建设进度确保年内完工通车并同步完善沿线排水照明绿化等配套设施建设"
    "，二是新增公共停车泊位二千个以上，三是优化公交线路十条，方便群众出行。",
    "二是持续推进老旧小区改造工作按照统一规划分步实施的原则力争在二〇二五年底前完成全部改造任务。",
    "感谢您对我局工作的关心和支持。",
]


def test_hard_wrapped_text_joins_full_lines_only():
    text = _wrapped(_PARAS, 28)
    assert _Layout(text.split("\n")).width == 28
    assert [ln for ln in clean(text).split("\n") if ln] == _PARAS  # full lines without any punctuation too


def test_hard_wrapped_page_break_after_a_full_line_is_joined():
    text = _wrapped(_PARAS, 28)
    broken = text.replace(_PARAS[2][27] + "\n", _PARAS[2][27] + "\n\n", 1)  # a page ends after the first line
    assert broken != text
    assert [ln for ln in clean(broken).split("\n") if ln] == _PARAS


def test_hard_wrapped_short_last_line_is_an_end():
    paras = [*_PARAS[:2], "三是推进学校建设工作，新建中小学三所", *_PARAS[2:]]  # no terminal punctuation, short
    text = _wrapped(paras, 28)
    assert [ln for ln in clean(text).split("\n") if ln] == paras


def test_a_wrapped_line_opening_with_a_number_is_not_an_item():
    para = (
        "加快推进金水铜技术提升改造项目建设，力争年内形成阴极铜产能"
        + "20 万吨，带动上下游企业新增产值三十亿元以上，并同步推进配套项目建设。"
    )
    text = _wrapped([_PARAS[0], para, _PARAS[2], _PARAS[3]], 29)
    assert "\n20 万吨" in text
    assert para in clean(text)


def test_web_text_is_not_hard_wrapped():
    items = [
        "新建托幼一体化幼儿园50所,新增托位1.6万个",
        "新增基础教育学位20万个",
        "新组建25个公办中小学教育集团",
        "打造10所以上国内一流特色高中",
        "建成深汕高中园",
        "开工建设深圳创新创意设计学院、电子科技大学(深圳)高等研究院",
        "一体规划建设深圳海洋大学、深海科考中心、海洋博物馆",
        "新增首店、旗舰店、新概念店1000家以上",
        "新增公共文化设施面积20万平方米",
        "新建180个都市型、楼宇型体育场地",
        "新增体育场地面积150万平方米",
        "打通断头路20条",
        "新改建非机动车道400公里",
        "新增停车位20万个",
    ]
    assert _Layout(items).width == 0
    assert _Layout(_wrapped(_PARAS, 28).split("\n")).width == 28


def test_the_cleaner_only_removes_breaks():
    for text in (
        _wrapped(_PARAS, 28),
        "新增基础教育学位20万个\n\n新组建25个公办中小学教育集团\n" + _PARAS[1] + "\n\n" + _PARAS[2] + "\n",
    ):
        assert clean(text).replace("\n", "") == text.replace("\n", "")
