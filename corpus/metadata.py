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
_CN_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_TITLE_NOISE = re.compile(r"[（(][^（）()]*(?:\d{4}年|修订|修正|试行稿)[^（）()]*[)）]")


def title_from_filename(path: Path) -> tuple[str, str]:
    """'行政处罚法(2021-01-22).md' → ('行政处罚法', '2021-01-22')."""
    stem = path.stem
    m = _DATE_IN_NAME.search(stem)
    if m:
        return stem[: m.start()].strip(), m.group(1)
    return stem.strip(), ""


def title_key(title: str) -> str:
    """A normalised title for matching versions and abbreviations across sources."""
    t = re.sub(r"\s+", "", title or "")
    t = _TITLE_NOISE.sub("", t)
    t = t.replace("《", "").replace("》", "")
    if t.startswith("中华人民共和国"):
        t = t[len("中华人民共和国"):]
    return t


def cn_date(text: str) -> str:
    """'2021年7月15日' → '2021-07-15' ('' if none)."""
    m = _CN_DATE.search(text or "")
    if not m:
        return ""
    y, mo, d = m.groups()
    return f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"


def effective_date_from_text(text: str) -> str:
    """The date in 「自2021年7月15日起施行」 or a LawRefBook info line 「2019年3月1日 施行」."""
    for pattern in (r"自(\d{4}年\d{1,2}月\d{1,2}日)起(?:施行|实施|生效)",
                    r"(\d{4}年\d{1,2}月\d{1,2}日)\s*(?:起)?(?:施行|实施)"):
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
    if title.endswith("法") or title.startswith("中华人民共和国") and "法" in title[-4:] or "决定" in title:
        return DocType.LAW
    if title.endswith(("条例", "实施细则")):
        return DocType.REGULATION
    if title.endswith(("办法", "规定", "规则")):
        return DocType.RULE
    return DocType.LAW


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
