"""Quantities in the facts of a case and the bands of a 裁量基准 tier, compared in one unit per dimension.

Facts state a number and a unit the way an officer types them — Arabic or Chinese numerals (「三吨多」
「一千二百平米」「零点六吨」, converted by ``cn2an``), approximations (约/大概/左右/多: the number itself is
taken), unit variants (公斤 = 千克 = kg, 平米 = ㎡ = 平方米, 亩), halves (「一吨半」), multiples (「超标0.4倍」, and
「超标40%」 as 0.4倍) and money with what it
is (违法所得, 货值, 销售额 …). Bands state ranges (「0.2吨以上1吨以下」「不足0.5倍」「违法所得不超过10万元」
「500头以上1000头以下猪当量」). Every value is converted to the dimension's base unit (m², t, m³, day, yuan, …).
"""

from __future__ import annotations

import math
import re
import warnings
from functools import lru_cache

import cn2an

from corpus.numerals import cn_to_int

INF = math.inf

# unit → (dimension, factor to the dimension's base unit)
# «新污染了大概八十平方»: 平方 as officers say it
UNITS = {"平方米": ("m2", 1), "平米": ("m2", 1), "平方": ("m2", 1), "平方公里": ("m2", 1e6), "㎡": ("m2", 1),
         "个平方": ("m2", 1), "个平方米": ("m2", 1), "个平米": ("m2", 1),  # «八十个平方»
         "m2": ("m2", 1), "m²": ("m2", 1),
         "亩": ("m2", 666.67), "公顷": ("m2", 10000),
         "吨": ("t", 1), "千克": ("t", 0.001), "公斤": ("t", 0.001), "kg": ("t", 0.001), "KG": ("t", 0.001),
         "Kg": ("t", 0.001), "克": ("t", 0.000001), "斤": ("t", 0.0005),
         "立方米": ("m3", 1), "立方": ("m3", 1), "方": ("m3", 1), "m3": ("m3", 1), "m³": ("m3", 1),
         "个月": ("day", 30), "月": ("day", 30), "天": ("day", 1), "日": ("day", 1), "年": ("day", 365),
         "分钟": ("minute", 1), "个小时": ("minute", 60), "小时": ("minute", 60),  # how long a check was held up
         # (「拖了四十来分钟」 against 「超过30分钟」), kept apart from 持续时间 in days («6个月以上»)
         "万元": ("yuan", 10000), "元": ("yuan", 1), "块钱": ("yuan", 1), "块": ("yuan", 1),
         "台": ("unit", 1), "辆": ("unit", 1), "个": ("unit", 1), "件": ("unit", 1), "套": ("unit", 1),
         "只": ("unit", 1), "株": ("unit", 1), "头": ("unit", 1), "艘": ("unit", 1), "户": ("unit", 1),
         "份": ("unit", 1), "项": ("unit", 1), "张": ("unit", 1), "小类": ("subclass", 1), "个小类": ("subclass", 1),
         "人": ("person", 1), "千瓦": ("kw", 1), "蒸吨": ("steam_t", 1), "米": ("m", 1), "千米": ("m", 1000),
         "公里": ("m", 1000), "倍": ("times", 1),
         "林格曼级": ("ringelmann", 1)}  # a grade of smoke blackness, written so by ``_grades``
_UNIT_RE = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))
_QTY = re.compile(r"(?P<n>\d+(?:\.\d+)?|[一二两三四五六七八九十百千万]+)\s*(?P<w>万)?\s*(?P<more>来|多|余)?\s*(?P<u>" + _UNIT_RE
                  + r")(?P<half>半)?")  # 「一吨半」: 1.5吨
_HALF_MONTHS = re.compile(r"(\d+(?:\.\d+)?)\s*个(?:半|0\.5)(?=月|小时)")  # cn2an writes 半小时 as 0.5小时
_PIECE = re.compile(r"[地田区场石砖板牌布肉空林面]|(?:污染)?地块")
# spoken 块 is yuan before no noun («收了五百块», «三千块左右», «五块一斤») or before a sum's name («五百块红包»,
# «八万块编制费»);
# before any other noun it counts pieces («三块铁皮», «两块电路板»)
_PIECE_MONEY = re.compile(r"钱|多|来|左右|上下|一|每|的|红包|好处|回扣|[\u4e00-\u9fff]{0,3}(?:费|款|金|钱|资)|[^\u4e00-\u9fff]|$"
                          r"|给|交|付|赔|打|转|了事|私了")  # «五千块给了中间人», «两万块了事»
_MONEY_VERB = re.compile(r"(?:赔|花|给|付|收|赚|罚|卖|值|拿|送|退|交|塞|挣|要了?)[^，,。；;\d]{0,6}$")  # «花三千块找人»
# a price per unit, not a sum of the case: «每吨处置费3千元», «3000元/吨», «一吨三千块»
_PER_UNIT = (r"(?:吨|公斤|千克|斤|立方米?|方|平方米?|平米|亩|天|日|月|件|只|头|台|辆|个|箱|桶|车|次"
             r"|t|kg|KG|Kg|m³|m3|㎡|m²|m2|L|升)")
_PRICE_BEFORE = re.compile(r"(?:(?:每|一|(?<![\d.])1)" + _PER_UNIT + r"|单价|价格为?)[^，,。；;\d]{0,6}$")  # «单价3500元»
_MONEY_NEXT = re.compile(r"\s*(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千万]+)\s*万?\s*(?:元|块)")
_PRICE_AFTER = re.compile(r"\s*(?:/|每|一|1(?![\d.]))" + _PER_UNIT)
# 「超标40%」「超标百分之四十」 (cn2an writes 40%): the multiple 0.4倍 the tables' 超标倍数 bands speak of; not
# 「超总量20%」, a share of the permitted total that the same bands state apart
_PERCENT_OVER = re.compile(r"超标(?:排放)?(?:了)?\s*(?:约|大概|大约|近|将近)?\s*(?P<n>\d+(?:\.\d+)?)\s*%")
# what a sum of money is (违法所得 and 货值 are different bands of different tables)
MONEY_KINDS = ("违法所得", "货值", "销售额", "营业额", "投资额", "投资", "工程造价", "合同价款", "处置费用", "处置费", "罚款")
_MONEY_KIND = re.compile("|".join(MONEY_KINDS))
# dates and look-back periods are not quantities of the act: 「2025年3月5日」「近2年」「近1个月」
# … nor a calendar month («今年5月被发现», «去年10月被罚过»: a month without 个 is a date, a duration is «5个月»), nor a
# time ago («三年前被罚过一次»; but «两个月前就开始偷排» is how long it lasted) — a break test read them as 持续时间
_NOT_QUANTITIES = re.compile(r"\d{4}\s*年|\d{1,2}\s*月\s*\d{1,2}\s*[日号]|[近前去今这每上]\s*\d+\s*(?:个)?\s*[年月]"
                             r"|(?<![个\d.])\d{1,2}\s*月(?:份|初|中|底|末)?"
                             r"|\d+\s*(?:个)?\s*(?:年|月|天|日|周|星期)(?:之)?前(?!\s*(?:就|便)?\s*(?:开始|起))"
                             # … nor an ordinal: «第三方检测公司» (cn2an: 第3方) is no 3 m³ (dev11 d11-018)
                             r"|第\s*\d+(?:\.\d+)?"
                             # … nor a look-back window: «两年内是头一回», «这三年来» (dev12 d12-035 read 730 days)
                             r"|\d+\s*(?:个)?\s*(?:年|月)(?:之内|以内|内)")  # («两个月来一直偷排» is how long)


# a sum the facts say there is none of: 「没有违法所得」「违法所得为零」 (the band 「没有违法所得或者违法所得不足10万元」)
_NO_MONEY = re.compile(r"(?:没有|没|无|未产生|不存在)(?P<a>违法所得|货值)|(?P<b>违法所得|货值)(?:金额)?(?:为零|为0|是零|是0|没有)")


def to_arabic(text: str) -> str:
    """Chinese numerals as Arabic ones (「一千二百平米」 → 「1200平米」, 「零点六吨」 → 「0.6吨」), via ``cn2an``;
    the text unchanged when ``cn2an`` cannot read it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # cn2an warns of every numeral it cannot read, and leaves it as typed
            return cn2an.transform(text, "cn2an")
    except Exception:  # noqa: BLE001 - cn2an raises bare ValueErrors on odd mixes; the numbers then stay as typed
        return text


# the Ringelmann grade of smoke (林格曼黑度, GB/T 5468 / HJ/T 398: grades 0–5) as a quantity: «林格曼黑度1级» and the
# 江门 air bands «林格曼二级以下» / «林格曼超过二级» (dev2 d2-043: «林格曼黑度1级» had the 「超过二级」 band); written
# «1林格曼级» so that the number comes before its unit as every other quantity's does
_RINGELMANN = re.compile(r"林格曼(?:黑度)?(?:级数|等级)?\s*(?:为|是|达到|达|在|约|有)?\s*(超过|高于|低于|不足|不超过|小于|大于)?"
                         r"\s*(\d+(?:\.\d+)?)\s*级")


def _grades(text: str) -> str:
    """«林格曼黑度1级» → «1林格曼级», «林格曼超过2级» → «超过2林格曼级» (after ``to_arabic``)."""
    return _RINGELMANN.sub(lambda m: f"{m.group(1) or ''}{m.group(2)}林格曼级", text)


def _value(n: str, unit: str, wan: bool = False) -> tuple[str, float] | None:
    number = float(n) if re.fullmatch(r"\d+(?:\.\d+)?", n) else cn_to_int(n)
    if number is None:
        return None
    dim, factor = UNITS[unit]
    return dim, float(number) * factor * (10000 if wan else 1)


def money_kind(text: str) -> str | None:
    """What a sum is by the words before it: 「违法所得」「货值」 …; None when not said."""
    found = _MONEY_KIND.findall(text or "")
    if not found:
        return None
    return {"投资额": "投资", "处置费": "处置费用"}.get(found[-1], found[-1])  # «处置费12万元» is the tables' 处置费用


# a sum without a unit: 「两百万」 (cn2an gives 2000000), 「12万」; not a year or a date (those are removed before);
# not 「2000万元」 read as 「2000」 before 「万元」
_BARE_WAN = re.compile(r"(\d+(?:\.\d+)?)\s*(万)?(?![\d.万元块吨平亩头只羽人台辆件株方立公千米斤克倍户艘套个蒸次年月日天号份项张])")
_MONEY_CONTEXT = re.compile("|".join(MONEY_KINDS) + r"|费|钱|收了|赚了|罚了")


def _bare_wan(text: str) -> str:
    """「货值大概两百万」「违法所得十二万」: 万 without a unit is 万元 when its clause speaks of money."""
    def fix(m: re.Match) -> str:
        clause = re.split(r"[，,。；;]", text[:m.start()])[-1]
        if not _MONEY_CONTEXT.search(clause) or (not m.group(2) and float(m.group(1)) < 1000):
            return m.group(0)  # a bare number is money only when large (「两百万」) and its clause speaks of money
        return f"{m.group(1)}{m.group(2) or ''}元"

    return _BARE_WAN.sub(fix, text)


# 「2,000万元」「12,500元」: a thousands separator between digits (ASCII comma only: 「，」 separates clauses)
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_LARGE = re.compile(r"(\d+(?:\.\d+)?)\s*(亿|千万)")
_THOUSAND = re.compile(r"(\d+(?:\.\d+)?)\s*千(?:(\d)(?!\d))?(?![克米瓦万\d])")  # «3千5» is 3500
# spoken numerals cn2an does not read («俩月», «仨人») and «两个多月» (多 inside the unit 个月)
_SPOKEN = ((re.compile(r"俩(?=[个月天年周小次])"), "两个"), (re.compile(r"仨(?=[个月天年周小次])"), "三个"),
           (re.compile("个多月"), "多个月"), (re.compile("个多小时"), "多个小时"),  # not «他俩», «哥俩»
           # idioms of frequency hold no quantity: «三天两头停机» is «often», not 3 days and 2 head of livestock
           # (dev2 d2-035 read {"day": 3, "unit": 2})
           (re.compile("三天两头|隔三差五|三番五次|三番两次|一天到晚|一年到头|三天打鱼两天晒网"), "经常"))


def _large_units(text: str) -> str:
    """「1.5亿元」 → 「150000000元」, 「3千万」 → 「30000000」, 「4千元」 → 「4000元」 (cn2an leaves them as typed; 千克,
    千米, 千瓦 are units)."""
    text = _LARGE.sub(lambda m: f"{float(m.group(1)) * (1e8 if m.group(2) == '亿' else 1e7):.0f}", text)
    return _THOUSAND.sub(lambda m: f"{float(m.group(1)) * 1000 + 100 * int(m.group(2) or 0):g}", text)


def quantities(facts: str) -> dict[str, float]:
    """The quantities the facts state, by dimension in base units (m², t, day, yuan, times …).

    Args:
        facts: the facts as the officer typed them.

    Returns:
        ``{"m2": 170.0, "t": 0.003, "yuan": 60000.0, "yuan:违法所得": 60000.0}`` — the first value of each
        dimension, and each sum of money also under ``yuan:<kind>`` when the words before it say what it is;
        ``"≈t": 1.0`` when the first value of a dimension is a guess («约», «左右»: see ``undecided``).
    """
    spoken = facts or ""
    for said, meant in _SPOKEN:
        spoken = said.sub(meant, spoken)
    text = _bare_wan(_NOT_QUANTITIES.sub("　", _large_units(_grades(to_arabic(_THOUSANDS.sub("", spoken))))))
    text = _HALF_MONTHS.sub(lambda m: f"{float(m.group(1)) + 0.5:g}个", text)  # 「两个半月」 → 2.5个月
    out: dict[str, float] = {}
    for m in _NO_MONEY.finditer(text):  # 「没有违法所得」: a sum of that kind, and it is nil
        out.setdefault(f"yuan:{m.group('a') or m.group('b')}", 0.0)
    for clause in re.split(r"[，,。；;]", text):  # a band stated as a fact («超标1倍以上5倍以下»): a value inside it
        if re.search(r"\d\s*\D{0,4}?(?:以上|以下|不足|至)", clause) and (band := quantity_range(clause)):
            dim, lo, hi = band
            if not (math.isinf(lo) and math.isinf(hi)) and lo != hi:
                out.setdefault(dim, (lo + hi) / 2 if not (math.isinf(lo) or math.isinf(hi))
                               else hi * 0.99 if math.isinf(lo) else lo * 1.01)
    for m in _PERCENT_OVER.finditer(text):
        out.setdefault("times", float(m.group("n")) / 100)
    for m in _QTY.finditer(text):
        v = _value(m.group("n"), m.group("u"), bool(m.group("w")))
        if not v or (m.group("u") == "个" and v[1] == 1):  # 「一个养殖场」: an article, not a count
            continue
        if m.group("u") == "块" and (v[1] == 1 or _PIECE.match(text, m.end()) or not (
                _PIECE_MONEY.match(text, m.end()) or _MONEY_VERB.search(text[max(0, m.start() - 8):m.start()]))):
            continue  # 「一块污染地块」「三块牌子」「三块铁皮」: pieces, not yuan
        if v[0] != "yuan" and m.group("n") in ("1", "一") and (
                _MONEY_NEXT.match(text, m.end()) or re.search(r"(?:元|块钱?)\s*$", text[max(0, m.start() - 3):m.start()])):
            continue  # «一吨三千块», «五块一斤»: the unit a price is for
        if v[0] == "yuan" and (_PRICE_BEFORE.search(text[max(0, m.start() - 10):m.start()])
                               or _PRICE_AFTER.match(text, m.end())):
            continue  # «每吨处置费3千元»: a unit price
        if m.group("half"):
            v = (v[0], v[1] + 0.5 * UNITS[m.group("u")][1])
        if v[0] not in out and (_ABOUT_BEFORE.search(text[max(0, m.start() - 5):m.start()])
                                or _ABOUT_AFTER.match(text, m.end()) or m.group("more") == "来"):
            out[APPROX + v[0]] = 1.0  # «大概一吨上下», «十来吨»: the value is a guess (see ``undecided``)
        if m.group("more") in ("多", "余") or re.match(r"多|余", text[m.end():m.end() + 1]) or _ABOVE.search(
                text[max(0, m.start() - 3):m.start()]):
            v = (v[0], v[1] * (1 + PAST_BOUND))  # «一吨多», «超过1吨»: past the number, not on it
        elif _BELOW.search(text[max(0, m.start() - 3):m.start()]):
            v = (v[0], v[1] * (1 - PAST_BOUND))  # «不到1吨»
        out.setdefault(v[0], v[1])
        if v[0] == "yuan":
            kind = money_kind(re.split(r"[，,。；;]", text[max(0, m.start() - 12):m.start()])[-1])
            if kind:
                out.setdefault(f"yuan:{kind}", v[1])
    return out


# a guess at a value: «约1吨», «大概一吨上下», «估计两百平方米左右» (not «三吨多»: more than three is no guess at three)
_ABOUT_BEFORE = re.compile(r"(?:约|大约|大概|差不多|估计|估算|目测|看着|大致|将近|接近|近)(?:有|为|是)?\s*$")  # «估计有一吨»
# «一吨多», «超过1吨» lie past the number and «不到1吨» short of it: against a band's bound («1吨以下», «1吨以上») they
# fall on the side the words say (a thousandth moves them off the bound; the phrase set's tolerance is 1 %)
_ABOVE = re.compile(r"(?:超过|超出|多于|高于|大于|逾)\s*$")
_BELOW = re.compile(r"(?:不到|不足|少于|低于|小于|未满|不满|未达到?)\s*$")
PAST_BOUND = 0.001
_ABOUT_AFTER = re.compile(r"\s*(?:左右|上下|出头)")
APPROX = "≈"  # ``quantities`` marks a dimension whose value is a guess with this prefix (value 1.0)
# a guess this close to a band's bound (relative) decides neither band: «大概一吨上下» against 「1吨以下」 and 「超过1吨」
# (dev13 d13-027) is asked, while «约0.6吨» still falls in 「0.2吨以上1吨以下」 and «存栏900头左右» in 「500头以上1000头以下」
APPROX_MARGIN = 0.05


def undecided(qty: dict[str, float], rng: tuple[str, float, float], value: float) -> bool:
    """Whether ``value`` (the facts' value of ``rng``'s dimension) is a guess within ``APPROX_MARGIN`` of one of the
    band's finite bounds, so that the facts decide neither side of it."""
    if not qty.get(APPROX + rng[0]):
        return False
    return any(math.isfinite(b) and abs(value - b) <= APPROX_MARGIN * abs(b) for b in rng[1:])


@lru_cache(maxsize=8192)  # a tier's band text is read on every advice: parse it once
def quantity_range(value: str) -> tuple[str, float, float] | None:
    """A band as (dimension, low, high) in base units, ±inf when open; None when the text has no quantity.

    «5亩以上10亩以下» → ('m2', 3333.35, 6666.7); «1吨以下»; «6个月以上»; «不足10万元»; «违法所得不超过10万元»;
    «超标倍数0.5倍以下» → ('times', -inf, 0.5); «林格曼二级以下» → ('ringelmann', -inf, 2). A band listing several
    kinds («1000头以上1500头以下猪（羊）、60000羽以上鸡（鸭）或200头以上牛») is read for its first kind: the tables write
    猪 (猪当量) first. 超过 bounds a band from below as 以上 does (the fact on the bound fits both: «林格曼黑度2级»
    against 「林格曼二级以下」 and 「林格曼超过二级」, «拖了30分钟» against 「超过30分钟」 — the officer is asked).
    """
    for segment in re.split(r"[、；;]|或", _grades(to_arabic(value))):
        band = _band(segment)
        if band is not None:
            return band
    return None


def _band(text: str) -> tuple[str, float, float] | None:
    """One band of one kind («1000头以上1500头以下猪（羊）»); None without a quantity. Signs bound it as they say:
    «500平方米≤非密闭式堆场＜1000平方米» (江门 table) → [500, 1000); a strict bound (＜, ＞) is moved off the number by
    the least float step, so that ``within`` leaves the number itself out whatever the table's note says."""
    lo = hi = None
    dim = None
    for m in re.finditer(r"(?P<n>\d+(?:\.\d+)?)\s*(?P<w>万)?\s*(?P<u>" + _UNIT_RE + r")\s*(?:[（(][^）)]{1,4}[）)])?\s*(?:猪当量)?\s*"
                         r"(?P<rel>及以上|及以下|以上|以下|以内|至|-|～|~|[≤<＜≦⩽≥>＞≧⩾])?", text):
        v = _value(m.group("n"), m.group("u"), bool(m.group("w")))
        if v is None:
            continue
        dim = dim or v[0]
        if v[0] != dim:
            continue
        rel = m.group("rel") or ""
        before = text[max(0, m.start() - 3):m.start()]
        sign = re.search(r"[≤<＜≦⩽≥>＞≧⩾]\s*$", before)
        if sign or rel in _SIGNS:  # the thing is under / over the number: «X＜1000» or «1000＞X»; «500≤X» or «X≥5000»
            mark = sign.group(0).strip() if sign else rel
            under = (mark in "≤<＜≦⩽") == bool(sign)
            strict = mark in "<＜>＞"
            if under:
                hi = math.nextafter(v[1], -INF) if strict else v[1]
            else:
                lo = math.nextafter(v[1], INF) if strict else v[1]
        elif re.search(r"不足|(?<!不)低于|(?<!不)少于|不超过|不高于|未超过|不到", before) or rel in ("以下", "以内", "及以下"):
            hi = v[1]
        elif rel in ("以上", "及以上") or re.search(r"超过|高于|大于|多于|不低于|不少于", before):
            if lo is not None and hi is None and v[1] > lo:  # «3项以上5项以上» (广东 table, a slip): 3 to 5
                hi = v[1]
            else:
                lo = v[1]
        elif rel in ("至", "-", "～", "~"):
            lo = v[1]
        elif lo is not None and hi is None:
            hi = v[1]
        else:
            lo = hi = v[1]
    if dim is None:
        return None
    return dim, lo if lo is not None else -INF, hi if hi is not None else INF


_SIGNS = frozenset("≤<＜≦⩽≥>＞≧⩾")


def fact_value(qty: dict[str, float], dim: str, band_text: str) -> float | None:
    """The value of the facts that a band is about: for money, the sum of the kind the band names (违法所得 is
    not 货值); a sum whose kind the facts name differently does not count. None when the facts do not say."""
    if dim == "steam_t":  # 「6吨的锅炉」: officers give a boiler's 蒸吨 in 吨
        return qty.get(dim, qty.get("t") if "锅炉" in band_text or "蒸吨" in band_text else None)
    if dim != "yuan":
        return qty.get(dim)
    kind = money_kind(band_text)
    if kind:
        if f"yuan:{kind}" in qty:
            return qty[f"yuan:{kind}"]
        if any(k.startswith("yuan:") for k in qty):
            return None
    return qty.get("yuan")


def within(value: float, rng: tuple[str, float, float], bounds: str = "") -> bool:
    """Whether ``value`` lies in ``rng`` (from quantity_range). 以上/以下 include the number itself (刑法 第九十九条's
    reading, which 裁量 tables follow) unless the table's note says otherwise — ``bounds`` is the tier's
    ``extra["以上以下"]`` (「以上包括本数；以下不包括本数」, corpus/chunking/table_notes.py). 不足/低于 exclude it."""
    def excludes(word: str) -> bool:
        return any(word in part and "不包括本数" in part for part in bounds.split("；"))

    _, lo, hi = rng
    above = value > lo if excludes("以上") else value >= lo
    below = value < hi if excludes("以下") else value <= hi
    return above and below
