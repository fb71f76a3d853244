"""The region of a case from the place names in its facts (「台山一企业」 → 广东江门), for choosing local 裁量基准.

The administrative divisions come from ``cpca`` (a maintained dataset of China's provinces, cities and counties,
offline). ``cpca.transform`` reads full and most short names; it misses some county short names in running text
(「新会一家工厂」, 「佛山南海一家厂」), so those are completed from the same dataset's county names without their
suffix (新会区 → 新会), where the short name is unique in the country and not a generic word (城区, 新区).

Regions are written as the corpus writes them: province without 省/自治区, then city without 市 (「广东江门」).
"""

from __future__ import annotations

import re
import threading
import warnings
from functools import lru_cache

from corpus.metadata import region_applies

_GENERIC = {"城区", "郊区", "新区", "矿区", "市辖", "东区", "西区", "南区", "北区", "中区", "高新", "开发", "经济", "新城",
            "河口", "城关", "市中", "白云", "和平", "长安", "平安", "安定", "永安", "新华", "人民", "解放", "城中", "金山"}
_SUFFIX = re.compile(r"(?:维吾尔|壮族|回族)?自治[区县州旗]$|特别行政区$|[省市区县旗州盟]$")
_lock = threading.Lock()


def _short(name: str) -> str:
    return _SUFFIX.sub("", name) or name


@lru_cache(maxsize=1)
def _divisions() -> tuple[dict[str, str], dict[str, str]]:
    """(adcode → name of every division, county short name → adcode of the county) from cpca's dataset."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cpca imports pkg_resources, which warns of its own deprecation
        import cpca
    names = {code[:6]: info.name for code, info in cpca.ad_2_addr_dict.items()}
    counts: dict[str, list[str]] = {}
    for code, name in names.items():
        if code.endswith("00"):
            continue  # provinces and cities: cpca reads those itself
        short = _short(name)
        if len(short) >= 2 and short != name and short not in _GENERIC:
            counts.setdefault(short, []).append(code)
    return names, {short: codes[0] for short, codes in counts.items() if len(codes) == 1}


def _region(names: dict[str, str], adcode: str) -> str | None:
    province = names.get(adcode[:2] + "0000")
    city = names.get(adcode[:4] + "00")
    if not province:
        return None
    if not city or city == "市辖区" or adcode[:4] + "00" == adcode[:2] + "0000":
        return _short(province)
    return _short(province) + _short(city)


@lru_cache(maxsize=2048)
def region_of(text: str) -> str | None:
    """The region the facts place the case in, or None when they name no place.

    Args:
        text: the facts as typed («台山一家电镀厂没有环评就开工了»).

    Returns:
        «广东江门» (province and city, suffixes dropped), «广东» when only a province is named, or None.
    """
    text = (text or "")[:500]
    if not text.strip():
        return None
    names, counties = _divisions()
    with warnings.catch_warnings(), _lock:
        warnings.simplefilter("ignore")
        import cpca
        row = cpca.transform([text]).iloc[0]
    adcode = row.get("adcode")
    if isinstance(adcode, str) and adcode:
        return _region(names, adcode[:6])
    found = [(at, -len(s), code) for s, code in counties.items() if (at := text.find(s)) >= 0
             and _reads_as_place(s, text[at + len(s):at + len(s) + 2])]
    if found:
        return _region(names, min(found)[2])
    return None


def regions_named(text: str, first: str | None = None) -> set[str]:
    """Every region (province and city, as ``region_of``) whose counties the facts name by their short names, with the
    one ``region_of`` reads: «从开平拉来的危废倒在佛山顺德» → {广东江门, 广东佛山}; an advisor narrows a requested
    province to a city only when the facts name one.

    Args:
        text: the facts as typed (the first 500 characters are read).
        first: ``region_of(text)`` when the caller has it already (saves a second cpca pass); None reads it here.
    """
    text = (text or "")[:500]
    names, counties = _divisions()
    out = {r for s, code in counties.items() if (at := text.find(s)) >= 0
           and _reads_as_place(s, text[at + len(s):at + len(s) + 2]) and (r := _region(names, code))}
    first = first or region_of(text)
    return out | {first} if first else out


# what follows a place name in officers' facts: 「台山一企业」「鹤山的猪场」「开平某厂」「蓬江区」「新会，一家…」
_PLACE_CUE = re.compile(r"^(?:[区县市镇乡街村一的某有这那家个，。、,.\s]|$)")
# a county short name this common as an ordinary word (jieba's dictionary frequency; 新建 1000, 开平 253, 江海 270;
# 台山 86, 新会 77, 蓬江 2) is read as a place only before such a cue: 「新建排污口」 is no 南昌市新建区
COMMON_WORD_FREQ = 200


def _reads_as_place(short: str, after: str) -> bool:
    if _PLACE_CUE.match(after):
        return True
    import jieba

    if not jieba.dt.initialized:
        jieba.initialize()  # the dictionary BM25 loads anyway (indexing/bm25.py)
    return jieba.dt.FREQ.get(short, 0) < COMMON_WORD_FREQ


def normalise_region(region: str | None) -> str | None:
    """An officer's region as the corpus writes it: 「台山」「江门」「江门市」 → 「广东江门」, 「广东省」 → 「广东」; None for
    nothing or 「全国」 (national and provincial standards only).

    Raises:
        ValueError: (message in Chinese) for a name that is no province, city or county («火星»).
    """
    text = (region or "").strip()
    if not text or text == "全国":
        return None
    found = region_of(text[:40])
    if found is None:
        raise ValueError(f"无法识别的地区「{text[:40]}」：请写省、市或区县名，如「广东江门」「台山」「佛山南海」。")
    return found


def region_matches(doc_region: str, region: str | None) -> bool:
    """Whether a standard of ``doc_region`` applies in ``region`` (corpus.metadata.region_applies)."""
    return region_applies(doc_region, region)
