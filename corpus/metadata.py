"""Inferring document metadata (type, region, dates, title key) from titles, paths and text."""

from __future__ import annotations

import re
from pathlib import Path

from corpus.model import DocType

PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西",
    "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)
# Cities that appear in titles without their province (a small, extendable list).
CITY_PROVINCE = {
    "深圳": "广东", "广州": "广东", "江门": "广东", "珠海": "广东", "汕头": "广东", "佛山": "广东",
    "东莞": "广东", "中山": "广东", "惠州": "广东", "济南": "山东", "青岛": "山东", "杭州": "浙江",
    "宁波": "浙江", "温州": "浙江", "郑州": "河南", "安阳": "河南", "洛阳": "河南",
}

_DATE_IN_NAME = re.compile(r"[（(](\d{4}-\d{2}-\d{2})[)）]\s*$")
_Y = r"(?:\d{4}|[〇零一二三四五六七八九]{4})"
_MD = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_CN_DATE = re.compile(rf"({_Y})年({_MD})月({_MD})日")
# a version note in brackets: 「（2021年修订）」, 「(2018年)」 — except after 修正案, where the year names the instrument
_TITLE_NOISE = re.compile(r"(?<!修正案)[（(][^（）()]*(?:\d{4}年|修订|修正|试行稿)[^（）()]*[)）]")


# beside an upload whose name was cut to fit the file system: the full name as the officer's file had it
ORIGINAL_NAME_FILE = ".name"


def title_from_filename(path: Path) -> tuple[str, str]:
    """'行政处罚法(2021-01-22).md' → ('行政处罚法', '2021-01-22'). A name cut to fit the file system is read
    whole from :data:`ORIGINAL_NAME_FILE` beside it."""
    stem = path.stem
    sidecar = path.parent / ORIGINAL_NAME_FILE
    if sidecar.is_file():
        try:
            full = Path(sidecar.read_text(encoding="utf-8").strip()).stem
        except (OSError, UnicodeDecodeError):
            full = ""
        if full.startswith(stem.rstrip("_")[:20]):
            stem = full
    m = _DATE_IN_NAME.search(stem)
    if m:
        return stem[: m.start()].strip(), m.group(1)
    return stem.strip(), ""


# What a document's own title line ends with (after a bracketed qualifier such as （试行） or （2021年修订）).
TITLE_ENDINGS = ("法", "条例", "规定", "办法", "细则", "规则", "决定", "基准", "标准", "清单", "目录", "表", "通知",
                 "意见", "规范", "指南", "指引", "解释", "批复", "公告", "方案", "制度", "准则", "守则", "章程",
                 "规程", "决议", "命令", "通告", "纲要")
_QUALIFIER = re.compile(r"(?:[（(][^（）()]{1,20}[)）])+$")
_NOT_TITLE_START = re.compile(r"^(第[0-9０-９一二三四五六七八九十百千零〇两]+[条款项章节编]|[（(][一二三四五六七八九十\d]+[)）]"
                              r"|[一二三四五六七八九十]+、|\d+[.、．]|附件|附表|附：|注[：:]|备注)")

# a sentence fragment, not a title: 「违反本办法」, 「依照《…法》」
_NOT_TITLE_WORDS = re.compile(r"本(?:法|条例|规定|办法|细则|规则|决定)|^(?:违反|依照|依据|按照|根据|为了|为|对|由|在|有|经|未|不|应当|可以)")


def looks_like_title(line: str) -> bool:
    """Whether one line reads as a document's own title: 4–80 characters without sentence punctuation, not an
    article, 项, 章, list item or 附件 line, ending (before a bracketed qualifier such as （试行）) with a document
    kind — 条例, 办法, 规定, 裁量基准, 清单, 通知 … (:data:`TITLE_ENDINGS`)."""
    s = re.sub(r"^#+\s*", "", (line or "").strip()).replace("\u3000", " ").strip()
    if not 4 <= len(s) <= 80 or _NOT_TITLE_START.match(s) or re.search(r"[。；，：;,:！？!?]", s):
        return False
    if s.count("《") != s.count("》") or s.count("（") != s.count("）") or _NOT_TITLE_WORDS.search(s):
        return False
    core = _QUALIFIER.sub("", s).rstrip("》").strip()
    return core.endswith(TITLE_ENDINGS)


def title_from_text(text: str, max_lines: int = 6) -> str:
    """The document's title line: among the first ``max_lines`` lines that carry text, the first one that
    :func:`looks_like_title` (a Markdown ``#`` is dropped); "" when the text starts with an article, a 款 (a
    sentence) or anything else before such a line. Lines such as 「附件1」, a printed page number or a document
    number (〔2021〕5号) are looked past."""
    seen = 0
    for raw in (text or "").splitlines():
        line = re.sub(r"^#+\s*", "", raw.strip()).strip()
        if not line or line.startswith("<!--") or line.startswith("|"):
            continue
        if looks_like_title(line):
            return re.sub(r"\s+", " ", line)
        if re.fullmatch(r"(附件|附表)\s*[0-9０-９一二三四五六七八九十]*[：:]?|[-—－\s]*\d{1,4}[-—－\s]*"
                        r"|.{0,20}[〔\[［(（]\d{4}[〕\]］)）]\s*\d+\s*号|(?:\S+\s*)?令", line) or len(line) <= 3:
            continue
        seen += 1
        if seen >= max_lines or not _NOT_TITLE_START.match(line) and re.search(r"[。；]$", line):
            return ""
        if _NOT_TITLE_START.match(line):
            return ""
    return ""


def title_key(title: str) -> str:
    """A normalised title for matching versions and abbreviations across sources."""
    t = re.sub(r"\s+", "", title or "")
    t = _TITLE_NOISE.sub("", t)
    t = t.replace("《", "").replace("》", "")
    if t.startswith("中华人民共和国"):
        t = t[len("中华人民共和国"):]
    return t


def cn_date(text: str) -> str:
    """'2021年7月15日' or '二〇二一年七月十五日' → '2021-07-15' ('' if none)."""
    from corpus.numerals import cn_to_int

    m = _CN_DATE.search(text or "")
    if not m:
        return ""
    y, mo, d = (cn_to_int(g) for g in m.groups())
    if not y or not mo or not d or mo > 12 or d > 31:
        return ""
    return f"{y:04d}-{mo:02d}-{d:02d}"


def effective_date_from_text(text: str) -> str:
    """The date in 「自2021年7月15日起施行」 or a LawRefBook info line 「2019年3月1日 施行」."""
    for pattern in (rf"自({_Y}年{_MD}月{_MD}日)起(?:施行|实施|生效)",
                    rf"({_Y}年{_MD}月{_MD}日)\s*(?:起)?(?:施行|实施)"):
        m = re.search(pattern, text or "")
        if m:
            return cn_date(m.group(1))
    return ""


def region_of(title: str, path: Path | None = None) -> str:
    """'全国' for national texts, else the province (or city) the title or folder names."""
    parts = path.parts if path else ()
    for part in parts:
        for p in PROVINCES:
            if part.startswith(p + "地方法规") or part == p:
                return p
    head = title[:8]
    for city, prov in CITY_PROVINCE.items():
        if head.startswith(city) or head.startswith(prov + "省" + city):
            return f"{prov}{city}"
    for p in PROVINCES:
        if head.startswith(p):
            return p
    return "全国"


LAW_BRANCHES = {"宪法", "宪法相关法", "民法典", "民法商法", "行政法", "经济法", "社会法", "刑法", "诉讼与非诉讼程序法"}


def guess_doc_type(title: str, path: Path | None = None) -> DocType:
    """Infer the doc_type from the folder (LawRefBook layout) and the title."""
    parts = "/".join(path.parts) if path else ""
    if "案例" in parts or "/cases/" in parts or re.search(r"(纠纷|诉|案)$", title) and "诉" in title:
        return DocType.CASE
    if "司法解释" in parts or title.startswith(("最高人民法院", "最高人民检察院")):
        return DocType.JUDICIAL_INTERPRETATION
    if "裁量" in title or "不予行政处罚" in title or "不予处罚" in title:
        return DocType.DISCRETION
    if "DLC" in parts or "地方法规" in parts or "地方性法规" in parts:
        return DocType.LOCAL_REGULATION
    if "部门规章" in parts:
        return DocType.RULE
    if "行政法规" in parts:
        return DocType.REGULATION
    if region_of(title) != "全国":
        return DocType.LOCAL_REGULATION if title.endswith("条例") else DocType.RULE
    core = _QUALIFIER.sub("", title)
    if core.endswith(("条例", "实施细则")):
        return DocType.REGULATION
    if core.endswith(("办法", "规定", "规则", "细则")):  # before 法: 「…管理办法」 is no law …
        if any(part in LAW_BRANCHES for part in (path.parts if path else ())):
            return DocType.LAW  # … unless the NPC passed it: the national laws' folders of the LawRefBook layout
        return DocType.RULE
    if title.endswith("法") or title.startswith("中华人民共和国") and "法" in title[-4:] or "决定" in title:
        return DocType.LAW
    return DocType.LAW


# 「某市人民政府令第12号」, 「经某市人民政府第8次常务会议通过」, 「某市城市管理局关于印发…的通知」
_ISSUER_IN_TEXT = re.compile(
    r"(?<![\u4e00-\u9fff])(?:[0-9一二三四五六七八九十〇零]+年[0-9一二三四五六七八九十]+月[0-9一二三四五六七八九十]+日)?"
    r"\s*(?:经|由)?([\u4e00-\u9fff]{2,24}?(?:人民政府|人民代表大会常务委员会|委员会|厅|局|部|署|办公室|办公厅))"
    r"(?:令|第[0-9一二三四五六七八九十百]+次(?:常务|主任|局务|厅务|部务)?会议|关于印发)")


def issuer_from_text(text: str) -> str:
    """The issuer a document's opening names (「某市人民政府令」, 「经某市人民政府第8次常务会议通过」), or ""."""
    m = _ISSUER_IN_TEXT.search(text or "")
    if not m:
        return ""
    return m.group(1)


def level_of(doc_type: DocType, issuer: str = "", region: str = "全国") -> str:
    """The level (效力级别) of a document of ``doc_type``: a rule (办法/规定/细则) is 部门规章 from a ministry, 地方政府
    规章 from a 人民政府 below the State Council, 规范性文件 from a local department (局, 委员会, 办公室 …), and
    「规章」 when the issuer is unknown; other types take :data:`LEVEL_BY_TYPE`."""
    if doc_type != DocType.RULE:
        return LEVEL_BY_TYPE[doc_type]
    issuer = issuer or ""
    if not issuer:
        return "规章"
    if issuer.endswith(("办公厅", "办公室")):
        return "规范性文件"
    if "人民政府" in issuer:
        return "地方政府规章"
    local = region_of(issuer) != "全国" or re.search(r"[省市县区州盟旗]", issuer[:6])
    if local:
        return "规范性文件"
    return "部门规章"


LEVEL_BY_TYPE = {
    DocType.LAW: "法律",
    DocType.REGULATION: "行政法规",
    DocType.RULE: "部门规章",
    DocType.JUDICIAL_INTERPRETATION: "司法解释",
    DocType.LOCAL_REGULATION: "地方性法规",
    DocType.DISCRETION: "规范性文件",
    DocType.CASE: "案例",
    DocType.PROCEDURE: "工作规范",
}


def region_applies(doc_region: str, region: str | None) -> bool:
    """Whether a text of ``doc_region`` applies in ``region``: national texts everywhere, a province's in all its
    cities («广东» in «广东江门»), a city's only there; everything when the region is not known."""
    if not region or doc_region in ("", "全国"):
        return True
    return region.startswith(doc_region) or doc_region.startswith(region)
