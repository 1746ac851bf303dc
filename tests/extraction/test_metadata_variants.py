"""Metadata format variants of full reply letters, table-driven.

A small realistic letter (header, salutation, opening, one section, signature, contact, 抄送) is
filled with one variant of one part at a time; each row asserts the exact value that
ANNOTATION.md asks for (as written; proposers without 代表/委员; reply_date = the signing date,
not 印发; lead/co agencies only when stated; 我委 resolved; a 政协 item is a 提案).
The variants follow the ways real letters write these parts (seeds, held-out letters, and the
formats set by 建议提案办理 rules: "关于省政协××届×次会议第×××号提案的答复", 〔A类〕 in the corner,
"联系人：×××" / "联系电话：×××" lines under the signature).
"""

from __future__ import annotations

import pytest

from responses.extraction import extract_text

BASE = {
    "head": "昆明市发展和改革委员会文件",
    "cat": "〔A类〕",
    "docno": "昆发改函〔2023〕20号",
    "title": "昆明市发展和改革委员会关于昆明市第十五届人大三次会议第153018号建议答复的函",
    "sal": "张顺奎、兰亚琼代表：",
    "open": "您提出的《关于支持振兴东川工业经济发展的建议》（第153018号）收悉，我委高度重视，经认真研究，现答复如下：",
    "body": "一、工作开展情况\n\n近年来，我委会同有关部门积极推进相关工作，取得了明显成效。\n\n二、下一步工作\n\n我委将继续加大支持力度，力争2024年底前完成项目建设。\n\n感谢您对我市发展改革工作的关心和支持。",
    "sign": "昆明市发展和改革委员会",
    "date": "2023年5月30日",
    "contact": "（联系人：朱勋毕，电话：0871-63160115）",
    "cc": "抄送：市委办公室、市政府办公室、市人大常委会人事代表工委。",
    "issue": "昆明市发展和改革委员会办公室          2023年6月2日印发",
}
ORDER = ("head", "cat", "docno", "title", "sal", "open", "body", "sign", "date", "contact", "cc", "issue")


def letter(**parts: str) -> str:
    p = {**BASE, **parts}
    return "\n\n".join(p[k] for k in ORDER if p[k]) + "\n"


# (id, overrides, field, expected)
ROWS: list[tuple[str, dict, str, object]] = [
    # --- the base letter itself
    ("base-docno", {}, "doc_number", "昆发改函〔2023〕20号"),
    ("base-agency", {}, "agency", "昆明市发展和改革委员会"),
    ("base-body", {}, "body", "人大"),
    ("base-kind", {}, "proposal_kind", "建议"),
    ("base-session", {}, "session", "昆明市第十五届人大三次会议"),
    ("base-number", {}, "proposal_number", "153018"),
    ("base-title", {}, "proposal_title", "关于支持振兴东川工业经济发展的建议"),
    ("base-proposers", {}, "proposers", ["张顺奎", "兰亚琼"]),
    ("base-lead", {}, "lead_agency", None),
    ("base-co", {}, "co_agencies", []),
    ("base-date", {}, "reply_date", "2023-05-30"),
    ("base-cat", {}, "category", "A"),
    ("base-contact", {}, "contact_name", "朱勋毕"),
    ("base-phones", {}, "contact_phones", ["0871-63160115"]),
    ("base-cc", {}, "cc", ["市委办公室", "市政府办公室", "市人大常委会人事代表工委"]),
    # --- 文号
    ("docno-square", {"docno": "平交复函[2017]19号"}, "doc_number", "平交复函[2017]19号"),
    ("docno-paren", {"docno": "武教函（2024）87号"}, "doc_number", "武教函（2024）87号"),
    ("docno-lenticular", {"docno": "潼民发【2024】275号"}, "doc_number", "潼民发【2024】275号"),
    ("docno-label", {"docno": "文号：楚发改函〔2024〕26号"}, "doc_number", "楚发改函〔2024〕26号"),
    (
        "docno-under-title",
        {"docno": "", "title": BASE["title"] + "\n昆发改函〔2023〕20号"},
        "doc_number",
        "昆发改函〔2023〕20号",
    ),
    ("docno-none", {"docno": ""}, "doc_number", None),
    ("docno-cat-same-line", {"docno": "昆发改函〔2023〕20号          B", "cat": ""}, "category", "B"),
    # --- agency
    ("agency-no-wenjian", {"head": "昆明市发展和改革委员会"}, "agency", "昆明市发展和改革委员会"),
    ("agency-only-title", {"head": ""}, "agency", "昆明市发展和改革委员会"),
    (
        "agency-only-signature",
        {"head": "", "title": "关于昆明市第十五届人大三次会议第153018号建议的答复"},
        "agency",
        "昆明市发展和改革委员会",
    ),
    (
        "agency-bureau",
        {"head": "", "title": "关于市十六届人大三次会议第164号建议的答复", "sign": "株洲市住房和城乡建设局"},
        "agency",
        "株洲市住房和城乡建设局",
    ),
    (
        "agency-sign-seal",
        {"head": "", "title": "关于市十六届人大三次会议第164号建议的答复", "sign": "株洲市住房和城乡建设局（盖章）"},
        "agency",
        "株洲市住房和城乡建设局",
    ),
    # --- title / session / number / kind
    ("title-de-dafu", {"title": "关于昆明市第十五届人大三次会议第153018号建议的答复"}, "proposal_number", "153018"),
    ("title-dui", {"title": "对市十六届人大二次会议第88号建议的答复"}, "session", "市十六届人大二次会议"),
    (
        "title-renmin",
        {"title": "关于株洲市第十六届人民代表大会第三次会议第164号建议的答复"},
        "session",
        "株洲市第十六届人民代表大会第三次会议",
    ),
    ("title-quoted-no", {"title": "关于省十四届人大一次会议“1023号”建议的答复"}, "proposal_number", "1023"),
    (
        "title-cppcc-first",
        {"title": "关于政协荆州市第六届委员会第二次会议第2023178号提案的答复"},
        "session",
        "政协荆州市第六届委员会第二次会议",
    ),
    ("title-cppcc-kind", {"title": "关于市政协十一届三次会议第245号提案的答复"}, "proposal_kind", "提案"),
    ("title-cppcc-body", {"title": "关于市政协十一届三次会议第245号提案的答复"}, "body", "政协"),
    ("title-cppcc-session", {"title": "关于市政协十一届三次会议第245号提案的答复"}, "session", "市政协十一届三次会议"),
    ("title-huiban", {"title": "关于市十六届人大三次会议第52号建议的会办意见"}, "proposal_number", "52"),
    ("title-yian", {"title": "关于市十六届人大三次会议第3号议案的答复"}, "proposal_kind", "议案"),
    ("title-no-di", {"title": "关于对市十六届人大三次会议苏溪镇13号建议答复的函"}, "proposal_number", "13"),
    ("title-letter-no", {"title": "关于区十九届人大六次会议第B0311号建议的答复"}, "proposal_number", "0311"),
    (
        "title-open-number",
        {
            "title": "关于市十六届人大三次会议建议的答复",
            "open": "您提出的《关于加快老旧小区加装电梯的建议》（第164号）收悉，现答复如下：",
        },
        "proposal_number",
        "164",
    ),
    # --- proposal title in the opening
    (
        "open-quote-marks",
        {"open": "您提出的“关于加快老旧小区加装电梯的建议”收悉，现答复如下："},
        "proposal_title",
        "关于加快老旧小区加装电梯的建议",
    ),
    (
        "open-no-brackets",
        {"open": "您提出的关于加快老旧小区加装电梯的建议收悉，现答复如下："},
        "proposal_title",
        "关于加快老旧小区加装电梯的建议",
    ),
    (
        "open-tian",
        {
            "title": "关于市政协十一届三次会议第245号提案的答复",
            "sal": "李晓梅委员：",
            "open": "您提出的《关于缓解中小学校门口交通拥堵的提案》收悉，现答复如下：",
        },
        "proposal_title",
        "关于缓解中小学校门口交通拥堵的提案",
    ),
    (
        "open-cppcc-jianyi-kind",
        {
            "title": "关于市政协十一届三次会议第245号提案的答复",
            "sal": "李晓梅委员：",
            "open": "您提出的《关于缓解中小学校门口交通拥堵的建议》收悉，现答复如下：",
        },
        "proposal_kind",
        "提案",
    ),
    # --- salutations
    ("sal-single", {"sal": "张顺奎代表："}, "proposers", ["张顺奎"]),
    ("sal-count", {"sal": "张顺奎、兰亚琼2位代表："}, "proposers", ["张顺奎", "兰亚琼"]),
    ("sal-cn-count", {"sal": "张顺奎、兰亚琼、王蓉等三位代表："}, "proposers", ["张顺奎", "兰亚琼", "王蓉"]),
    ("sal-numeral-name", {"sal": "王五代表："}, "proposers", ["王五"]),  # a numeral in a name is not a count
    (
        "sal-long-list",
        {"sal": "黄正德、邵敏、张权发、李天军、张继军、李涌杰、伏召勇、李春忠、李皓瀚、杨松先、何靖宇、杨发彬委员："},
        "proposers",
        [
            "黄正德",
            "邵敏",
            "张权发",
            "李天军",
            "张继军",
            "李涌杰",
            "伏召勇",
            "李春忠",
            "李皓瀚",
            "杨松先",
            "何靖宇",
            "杨发彬",
        ],
    ),
    ("sal-no-colon", {"sal": "张顺奎代表"}, "proposers", ["张顺奎"]),
    ("sal-after-share", {"head": BASE["head"] + "\n\n分享:", "sal": "张顺奎代表"}, "proposers", ["张顺奎"]),
    ("sal-numeral-name-team", {"sal": "刘一、陈三等代表："}, "proposers", ["刘一", "陈三"]),
    ("sal-respect", {"sal": "尊敬的张顺奎代表："}, "proposers", ["张顺奎"]),
    ("sal-renda", {"sal": "张顺奎人大代表："}, "proposers", ["张顺奎"]),
    (
        "sal-weiyuan",
        {"title": "关于市政协十一届三次会议第245号提案的答复", "sal": "尊敬的李晓梅委员："},
        "proposers",
        ["李晓梅"],
    ),
    (
        "sal-org",
        {
            "title": "关于市政协十一届三次会议第245号提案的答复",
            "sal": "九三学社荆州市委员会：",
            "open": "贵委提出的《关于加快城区公交线网优化的提案》收悉，现答复如下：",
        },
        "proposers",
        ["九三学社荆州市委员会"],
    ),
    ("sal-halfwidth-colon", {"sal": "张顺奎代表:"}, "proposers", ["张顺奎"]),
    ("sal-comma-list", {"sal": "张顺奎，兰亚琼代表："}, "proposers", ["张顺奎", "兰亚琼"]),
    ("sal-2name", {"sal": "王伟代表："}, "proposers", ["王伟"]),
    # --- assignment (主办 / 协办 / 会办)
    (
        "assign-we-lead",
        {
            "open": "您提出的《关于支持振兴东川工业经济发展的建议》收悉，已交由我委负责主办，市工业和信息化局协办。经认真研究，现答复如下："
        },
        "lead_agency",
        "昆明市发展和改革委员会",
    ),
    (
        "assign-we-co",
        {
            "open": "您提出的《关于支持振兴东川工业经济发展的建议》收悉，已交由我委负责主办，市工业和信息化局协办。经认真研究，现答复如下："
        },
        "co_agencies",
        ["市工业和信息化局"],
    ),
    (
        "assign-by-lead",
        {
            "open": "您提出的《关于支持振兴东川工业经济发展的建议》收悉。该建议由市发展改革委主办，市财政局、市自然资源和规划局会办。现答复如下："
        },
        "lead_agency",
        "市发展改革委",
    ),
    (
        "assign-by-co",
        {
            "open": "您提出的《关于支持振兴东川工业经济发展的建议》收悉。该建议由市发展改革委主办，市财政局、市自然资源和规划局会办。现答复如下："
        },
        "co_agencies",
        ["市财政局", "市自然资源和规划局"],
    ),
    (
        "assign-youju",
        {"open": "您提出的《关于支持振兴东川工业经济发展的建议》由我委主办，市财政局协办，现将办理情况答复如下："},
        "lead_agency",
        "昆明市发展和改革委员会",
    ),
    (
        "assign-youju-co",
        {"open": "您提出的《关于支持振兴东川工业经济发展的建议》由我委主办，市财政局协办，现将办理情况答复如下："},
        "co_agencies",
        ["市财政局"],
    ),
    (
        "assign-label",
        {
            "open": "您提出的《关于支持振兴东川工业经济发展的建议》收悉，现答复如下：",
            "body": "主办单位：市发展改革委\n\n协办单位：市财政局、市商务局\n\n" + BASE["body"],
        },
        "co_agencies",
        ["市财政局", "市商务局"],
    ),
    (
        "assign-none-lead",
        {"open": "您提出的《关于支持振兴东川工业经济发展的建议》收悉，我委会同市财政局进行了认真研究，现答复如下："},
        "lead_agency",
        None,
    ),
    (
        "assign-number-between",
        {"open": "您提出的《关于支持振兴东川工业经济发展的建议》（第153018号）由我委主办，市财政局协办，现答复如下："},
        "lead_agency",
        "昆明市发展和改革委员会",
    ),
    # --- flattened web pages and other page layouts (round 10)
    (
        "session-dafu",
        {"title": "昆明市发展和改革委员会关于答复市十五届人大三次会议第153018号代表建议的函"},
        "session",
        "市十五届人大三次会议",
    ),
    (
        "session-after-year",
        {"title": "2023年昆明市第十五届人大三次会议《关于支持振兴东川工业经济发展的建议》(153018号)的答复"},
        "session",
        "昆明市第十五届人大三次会议",
    ),
    (
        "sign-same-line-date",
        {
            "head": "",
            "title": "关于市十五届人大三次会议第153018号建议的答复",
            "sign": "鲁桥镇人民政府 2023年5月30日 |",
            "date": "",
            "issue": "",
        },
        "reply_date",
        "2023-05-30",
    ),
    (
        "sign-same-line-agency",
        {
            "head": "",
            "title": "关于市十五届人大三次会议第153018号建议的答复",
            "sign": "鲁桥镇人民政府 2023年5月30日 |",
            "date": "",
            "issue": "",
        },
        "agency",
        "鲁桥镇人民政府",
    ),
    (
        "agency-subdistrict-office",
        {"head": "", "title": "关于市十五届人大三次会议第153018号建议的答复", "sign": "安宁市人民政府禄脿街道办事处"},
        "agency",
        "安宁市人民政府禄脿街道办事处",
    ),
    (
        "sal-party-no-colon",
        {
            "sal": "农工党黄石市委员会",
            "open": "《关于大力发展我市夜经济的提案》已收悉，感谢贵单位的关心和支持。现答复如下：",
        },
        "proposers",
        ["农工党黄石市委员会"],
    ),
    (
        "agency-not-the-party",
        {
            "head": "",
            "title": "关于《关于大力发展我市夜经济的提案》的答复",
            "sal": "农工党黄石市委员会",
            "open": "《关于大力发展我市夜经济的提案》已收悉，感谢贵单位的关心和支持。现答复如下：",
        },
        "agency",
        "昆明市发展和改革委员会",
    ),
    ("sal-delegation", {"sal": "兰陵县代表团刘志军代表："}, "proposers", ["刘志军"]),
    ("sal-redacted", {"sal": "XXX代表："}, "proposers", []),
    ("sal-not-a-field", {"head": BASE["head"] + "\n\n有效性:", "sal": "张顺奎代表"}, "proposers", ["张顺奎"]),
    (
        "assign-jing-co",
        {
            "open": "您提出的《关于支持振兴东川工业经济发展的建议》由我委主办，经市财政局、市自然资源规划局协办，现答复如下："
        },
        "co_agencies",
        ["市财政局", "市自然资源规划局"],
    ),
    (
        "cc-table-border",
        {"cc": "抄送:县政协提案与人口环境委、县政府办公室 |", "issue": ""},
        "cc",
        ["县政协提案与人口环境委", "县政府办公室"],
    ),
    # --- category
    ("cat-plain", {"cat": "A类"}, "category", "A"),
    ("cat-label-mark", {"cat": "类别标识：B类"}, "category", "B"),
    ("cat-letter-alone", {"cat": "A   "}, "category", "A"),  # the 类 lost with the page layout
    ("cat-B", {"cat": "〔B类〕"}, "category", "B"),
    ("cat-label", {"cat": "类别：C"}, "category", "C"),
    ("cat-label-cat", {"cat": "答复类别：B类"}, "category", "B"),
    ("cat-result", {"cat": "办理结果：B"}, "category", "B"),
    ("cat-paren", {"cat": "（A类）"}, "category", "A"),
    ("cat-fullwidth", {"cat": "〔Ｂ类〕"}, "category", "B"),
    ("cat-with-public", {"cat": "〔B类〕    〔不公开〕"}, "category", "B"),
    ("cat-none", {"cat": ""}, "category", None),
    # --- signing date
    ("date-cn-numerals", {"date": "二〇二三年五月三十日"}, "reply_date", "2023-05-30"),
    ("date-cn-o", {"date": "二○二三年五月三十日"}, "reply_date", "2023-05-30"),
    ("date-spaced", {"date": "2023 年 5 月 30 日"}, "reply_date", "2023-05-30"),
    ("date-inline", {"sign": "", "date": "昆明市发展和改革委员会    2023年5月30日"}, "reply_date", "2023-05-30"),
    ("date-iso", {"date": "2023-05-30"}, "reply_date", "2023-05-30"),
    ("date-issue-not-sign", {}, "reply_date", "2023-05-30"),
    ("date-no-contact", {"contact": "", "cc": "", "issue": ""}, "reply_date", "2023-05-30"),
    # --- contact
    ("contact-and-phone", {"contact": "（联系人及电话：谢静思 0871-63137768 13708726405）"}, "contact_name", "谢静思"),
    (
        "contact-and-phone-ph",
        {"contact": "（联系人及电话：谢静思 0871-63137768 13708726405）"},
        "contact_phones",
        ["0871-63137768", "13708726405"],
    ),
    ("contact-two-lines", {"contact": "联系人：周振华\n联系电话：0731-28681234"}, "contact_name", "周振华"),
    (
        "contact-two-lines-ph",
        {"contact": "联系人：周振华\n联系电话：0731-28681234"},
        "contact_phones",
        ["0731-28681234"],
    ),
    ("contact-one-line", {"contact": "联系人：周振华    联系电话：0731-28681234"}, "contact_phones", ["0731-28681234"]),
    ("contact-one-line-name", {"contact": "联系人：周振华    联系电话：0731-28681234"}, "contact_name", "周振华"),
    ("contact-chengban", {"contact": "承办人：李伟    电话：8788586"}, "contact_name", "李伟"),
    ("contact-dept", {"contact": "(联系人及电话：地区处商婷婷 63137768, 18669012855)"}, "contact_name", "商婷婷"),
    ("contact-mobile", {"contact": "联系人：杨谦堂，联系电话：15126801666"}, "contact_phones", ["15126801666"]),
    ("contact-paren-area", {"contact": "联系人：魏冬，电话：（0871）63512057"}, "contact_phones", ["（0871）63512057"]),
    (
        "contact-unit-line",
        {"contact": "联系单位：市发展改革委地区处\n联系人：王芳\n联系电话：0871-63137768"},
        "contact_name",
        "王芳",
    ),
    (
        "contact-unit-line-ph",
        {"contact": "联系单位：市发展改革委地区处\n联系人：王芳\n联系电话：0871-63137768"},
        "contact_phones",
        ["0871-63137768"],
    ),
    ("contact-halfwidth", {"contact": "(联系人:陈芳,电话:3369072)"}, "contact_name", "陈芳"),
    (
        "contact-before-sign",
        {"contact": "", "body": BASE["body"] + "\n\n联系人：朱勋毕，电话：0871-63160115"},
        "contact_name",
        "朱勋毕",
    ),
    # --- 抄送
    ("cc-one", {"cc": "抄送：市人大常委会代表工委。"}, "cc", ["市人大常委会代表工委"]),
    (
        "cc-paren",
        {"cc": "抄送：市委办公室（市政府办公室）、市政协提案委。"},
        "cc",
        ["市委办公室（市政府办公室）", "市政协提案委"],
    ),
    ("cc-halfwidth", {"cc": "抄送:市督查局、市人大常委会代表工委"}, "cc", ["市督查局", "市人大常委会代表工委"]),
    ("cc-spaced-label", {"cc": "抄 送：市督查局，市人大常委会代表工委。"}, "cc", ["市督查局", "市人大常委会代表工委"]),
    ("cc-none", {"cc": ""}, "cc", []),
    # --- second batch: more real-world forms
    ("sal-deng-count", {"sal": "张顺奎等5位代表："}, "proposers", ["张顺奎"]),
    (
        "title-two-lines",
        {"title": "昆明市发展和改革委员会\n关于昆明市第十五届人大三次会议\n第153018号建议答复的函"},
        "proposal_number",
        "153018",
    ),
    (
        "title-two-lines-session",
        {"title": "昆明市发展和改革委员会\n关于昆明市第十五届人大三次会议\n第153018号建议答复的函"},
        "session",
        "昆明市第十五届人大三次会议",
    ),
    (
        "session-cppcc-term-first",
        {"title": "关于政协第十四届昆明市委员会第一次会议第141040号提案的答复", "sal": "李晓梅委员："},
        "session",
        "政协第十四届昆明市委员会第一次会议",
    ),
    (
        "session-cppcc-full",
        {"title": "关于中国人民政治协商会议昆明市第十四届委员会第一次会议第141040号提案的答复", "sal": "李晓梅委员："},
        "proposal_kind",
        "提案",
    ),
    (
        "session-cppcc-full-no",
        {"title": "关于中国人民政治协商会议昆明市第十四届委员会第一次会议第141040号提案的答复", "sal": "李晓梅委员："},
        "proposal_number",
        "141040",
    ),
    ("date-zero-pad", {"date": "2023年05月30日"}, "reply_date", "2023-05-30"),
    ("date-seal", {"date": "2023年5月30日（盖章）"}, "reply_date", "2023-05-30"),
    ("date-public-note", {"date": "2023年5月30日\n\n（此件公开发布）"}, "reply_date", "2023-05-30"),
    (
        "contact-unit-paren",
        {"contact": "联系人：朱勋毕（市发展改革委地区处）  联系电话：63160115"},
        "contact_name",
        "朱勋毕",
    ),
    (
        "contact-unit-paren-ph",
        {"contact": "联系人：朱勋毕（市发展改革委地区处）  联系电话：63160115"},
        "contact_phones",
        ["63160115"],
    ),
    (
        "contact-phone-label-tel",
        {"contact": "联系人：朱勋毕    电话：0871-63160115、13629605626"},
        "contact_phones",
        ["0871-63160115", "13629605626"],
    ),
    (
        "cc-comma",
        {"cc": "抄送：市人大常委会选举任免代表工作委员会，市政府督查室。"},
        "cc",
        ["市人大常委会选举任免代表工作委员会", "市政府督查室"],
    ),
    (
        "cc-chaobao",
        {"cc": "抄报：市人大常委会代表工委、市政府办公室。"},
        "cc",
        ["市人大常委会代表工委", "市政府办公室"],
    ),
    ("header-public-line", {"cat": "A类\n\n公开方式：主动公开"}, "category", "A"),
    ("header-signer", {"docno": "昆发改函〔2023〕20号          签发人：张三"}, "doc_number", "昆发改函〔2023〕20号"),
    ("header-signer-sal", {"docno": "昆发改函〔2023〕20号          签发人：张三"}, "proposers", ["张顺奎", "兰亚琼"]),
    (
        "agency-juxian",
        {"head": "", "title": "关于县十八届人大四次会议第42号建议的答复", "sign": "姚安县水务局"},
        "agency",
        "姚安县水务局",
    ),
    (
        "open-renda-number",
        {
            "title": "关于建议的答复",
            "open": "您在市十六届人大三次会议上提出的第164号建议《关于加快老旧小区加装电梯的建议》收悉，现答复如下：",
        },
        "proposal_number",
        "164",
    ),
    (
        "open-renda-session",
        {
            "title": "关于建议的答复",
            "open": "您在市十六届人大三次会议上提出的第164号建议《关于加快老旧小区加装电梯的建议》收悉，现答复如下：",
        },
        "session",
        "市十六届人大三次会议",
    ),
]


def _norm(v):
    if isinstance(v, (list, tuple)):
        return sorted("".join(str(x).split()) for x in v)
    return "".join(v.split()) if isinstance(v, str) else v


@pytest.mark.parametrize(("overrides", "field", "expected"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_metadata_variant(overrides, field, expected):
    got = extract_text(letter(**overrides)).to_prediction()["metadata"][field]
    assert _norm(got) == _norm(expected)
