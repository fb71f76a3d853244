"""Reading the facts of a case and the conditions of a 裁量基准 (discretion) tier, and comparing the two.

A tier's conditions come from its 情节 text («整改情况：逾期未改正；配合调查情况：配合调查»,
«涉案面积：5亩以上10亩以下», «垂钓或者其他可能污染饮用水水体的活动») and its 同类违法 text
(«有同类违法行为», «近二年同类违法行为情况（含本次）：2次»). Each condition is a (factor, value);
a fact description either satisfies a value, contradicts it, or does not say (→ a missing fact).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from corpus.numerals import cn_to_int

PRIOR = "近年同类违法行为"
PLAIN = "违法情节"
INF = math.inf

# ---- prior violations (同类违法) ----------------------------------------------------------
_NUM = r"[0-9一二两三四五六七八九十]+"
_PRIOR_NONE = re.compile(r"首次|第一次|初次|头一[次回]|从未|从来没|此前没有|以前没有|之前没有|没有(?:被)?(?:查处|处罚|罚)过"
                         r"|无同类违法|没有同类违法|未曾")
_PRIOR_MANY = re.compile(r"多次|屡次|屡教不改|多回|反复|经常")
_PRIOR_SOME = re.compile(r"再次|又一次|又被|也被|曾被|曾经被|曾经|以前被|之前被|此前被|上次|(?<![没无])有同类违法|被查处过|被处罚过|罚过"
                         r"|(?:去年|前年|上个月|上半年|年初|以前|之前|此前)[^，。；]{0,10}(?:查处|处罚|罚款|罚过|处理)")
_PRIOR_N = re.compile(r"(?:查处|处罚|罚款?|处理|违法)过?(?P<n>" + _NUM + r")次|(?P<m>" + _NUM + r")次(?:被)?(?:查处|处罚|违法)")
_PRIOR_NTH = re.compile(r"第(?P<n>[二两三四五六七八九十2-9]\d*)次")


def _num(text: str) -> int | None:
    return int(text) if text.isdigit() else cn_to_int(text)


def prior_from_facts(facts: str) -> tuple[float, float] | None:
    """Previous same violations stated by the facts, as an interval (lo, hi); None when not stated."""
    m = _PRIOR_NTH.search(facts)
    if m and (n := _num(m.group("n"))):
        return (n - 1, n - 1)
    m = _PRIOR_N.search(facts)
    if m and (n := _num(m.group("n") or m.group("m"))) is not None and _PRIOR_SOME.search(facts):
        return (n, n)
    if _PRIOR_MANY.search(facts):
        return (2, INF)
    if _PRIOR_NONE.search(facts):
        return (0, 0)
    if _PRIOR_SOME.search(facts):
        m = re.search(r"(" + _NUM + r")次", facts)
        n = _num(m.group(1)) if m else None
        return (n, n) if n else (1, INF)
    return None


def prior_from_tier(text: str) -> tuple[float, float] | None:
    """A tier's 同类违法 condition as an interval of previous violations (the current one excluded)."""
    t = (text or "").replace(" ", "")
    if not t:
        return None
    if re.search(r"无同类违法|没有同类违法|首次", t):
        return (0, 0)
    including = "含本次" in t
    lo, hi = 0.0, INF
    m = re.search(r"(" + _NUM + r")次以上(?:(" + _NUM + r")次以下)?", t)
    if m:
        lo = float(_num(m.group(1)) or 0)
        if m.group(2):
            hi = float(_num(m.group(2)) or INF)
    else:
        m = re.search(r"(" + _NUM + r")次以下", t)
        if m:
            hi = float(_num(m.group(1)) or INF)
        else:
            m = re.search(r"(" + _NUM + r")次", t)
            if m:
                lo = hi = float(_num(m.group(1)) or 0)
            elif re.search(r"有同类违法", t):
                lo = 1
            else:
                return None
    if including:
        lo, hi = max(0.0, lo - 1), hi - 1
    return (lo, hi)


# ---- quantities (面积, 吨, 持续时间, 金额 …) ------------------------------------------------------
_UNITS = {"平方米": ("m2", 1), "㎡": ("m2", 1), "亩": ("m2", 666.67), "公顷": ("m2", 10000), "吨": ("t", 1),
          "千克": ("t", 0.001), "公斤": ("t", 0.001), "立方米": ("m3", 1), "方": ("m3", 1), "个月": ("day", 30),
          "月": ("day", 30), "天": ("day", 1), "日": ("day", 1), "年": ("day", 365), "万元": ("yuan", 10000),
          "元": ("yuan", 1), "台": ("unit", 1), "辆": ("unit", 1), "个": ("unit", 1), "件": ("unit", 1),
          "套": ("unit", 1), "只": ("unit", 1), "株": ("unit", 1), "头": ("unit", 1), "艘": ("unit", 1), "户": ("unit", 1),
          "人": ("person", 1), "千瓦": ("kw", 1), "蒸吨": ("steam_t", 1), "米": ("m", 1), "千米": ("m", 1000),
          "公里": ("m", 1000)}
_UNIT_RE = "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True))
_QTY = re.compile(r"(?P<n>\d+(?:\.\d+)?|[一二两三四五六七八九十百千万]+)\s*(?P<u>" + _UNIT_RE + r")")


def _value(n: str, unit: str) -> tuple[str, float] | None:
    number = float(n) if re.fullmatch(r"\d+(?:\.\d+)?", n) else cn_to_int(n)
    if number is None:
        return None
    dim, factor = _UNITS[unit]
    return dim, float(number) * factor


def quantities(facts: str) -> dict[str, float]:
    """The quantities the facts state, by dimension (areas in m², durations in days, money in yuan …)."""
    out: dict[str, float] = {}
    for m in _QTY.finditer(facts):
        v = _value(m.group("n"), m.group("u"))
        if v and v[0] not in out:
            out[v[0]] = v[1]
    return out


def quantity_range(value: str) -> tuple[str, float, float] | None:
    """«5亩以上10亩以下» → ('m2', 3333.35, 6666.7); «1吨以下»; «6个月以上»; «不足10万元»."""
    lo = hi = None
    dim = None
    for m in re.finditer(r"(?P<n>\d+(?:\.\d+)?)\s*(?P<u>" + _UNIT_RE + r")\s*(?P<rel>以上|以下|以内|及以上|及以下|至|-|～|~)?",
                         value):
        v = _value(m.group("n"), m.group("u"))
        if v is None:
            continue
        dim = dim or v[0]
        if v[0] != dim:
            continue
        rel = m.group("rel") or ""
        before = value[max(0, m.start() - 2):m.start()]
        if "不足" in before or "低于" in before or rel in ("以下", "以内", "及以下"):
            hi = v[1]
        elif rel in ("以上", "及以上") or "超过" in before:
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


def within(value: float, rng: tuple[str, float, float], bounds: str = "") -> bool:
    """Whether ``value`` lies in ``rng`` (from quantity_range). 以上/以下 include the number itself (刑法 第九十九条's
    reading, which 裁量 tables follow) unless the table's note says otherwise — ``bounds`` is the tier's
    ``extra["以上以下"]`` (「以上包括本数；以下不包括本数」, corpus/chunking/table_notes.py)."""
    def excludes(word: str) -> bool:
        return any(word in part and "不包括本数" in part for part in bounds.split("；"))

    _, lo, hi = rng
    above = value > lo if excludes("以上") else value >= lo
    below = value < hi if excludes("以下") else value <= hi
    return above and below


# ---- text conditions ------------------------------------------------------------------------
_NEG = re.compile(r"(?:未|不|没有|没|拒不|拒绝|无)$")
_STOP = set("的了和或与及等其他者在从进行有关规定按照")


def bigrams(text: str) -> set[str]:
    t = re.sub(r"[^\u4e00-\u9fff0-9A-Za-z]", "", text or "")
    return {t[i:i + 2] for i in range(len(t) - 1) if not (t[i] in _STOP and t[i + 1] in _STOP)}


def _negated_at(text: str, start: int) -> bool:
    return bool(_NEG.search(text[max(0, start - 3):start]))


def _polarity(value: str, facts: str, shared: set[str]) -> int:
    """+1 when the first word both sides share is negated on both or neither, -1 when on one side only
    (未造成 vs 造成, 逾期未改正 vs 当场改正, 不配合 vs 积极配合), 0 when they share nothing."""
    for bg in sorted(shared, key=value.find):
        v_pos, f_pos = value.find(bg), facts.find(bg)
        if v_pos >= 0 and f_pos >= 0:
            return 1 if _negated_at(value, v_pos) == _negated_at(facts, f_pos) else -1
    return 0


def text_match(value: str, facts: str) -> float:
    """How well the facts state ``value`` on its own: the share of its bigrams they contain, less 0.5 when
    a shared word is negated on one side only."""
    vb = bigrams(value)
    if not vb:
        return 0.0
    shared = vb & bigrams(facts)
    return len(shared) / len(vb) - (0.5 if _polarity(value, facts, shared) < 0 else 0.0)


def choose_value(values: list[str], facts: str) -> str | None:
    """Which of a factor's alternative values the facts state, or None when they do not tell.

    Only bigrams that distinguish a value from the others count (1 each), plus ±0.5 for the polarity of
    the words they share; the best must lead by 0.5.
    """
    if len(values) == 1:
        return values[0] if text_match(values[0], facts) >= 0.5 else None
    fb = bigrams(facts)
    sets = [bigrams(v) for v in values]
    literal = [v for v in values if v and v in facts]
    literal = {v for v in literal if not any(v != w and v in w for w in literal)}  # 不敏感 wins over 敏感
    scores = []
    for i, (v, vb) in enumerate(zip(values, sets)):
        others = set().union(*(s for j, s in enumerate(sets) if j != i))
        distinct = (vb - others) & fb
        scores.append((len(distinct) + 0.5 * _polarity(v, facts, vb & fb) + (1.5 if v in literal else 0.0), v))
    scores.sort(key=lambda x: -x[0])
    best, second = scores[0][0], scores[1][0]
    return scores[0][1] if best > 0 and best - second >= 0.5 else None


@dataclass(frozen=True)
class Condition:
    factor: str
    value: str

    @property
    def is_prior(self) -> bool:
        return self.factor == PRIOR


def conditions(circumstance: str, prior_violation: str) -> list[Condition]:
    """The (factor, value) conditions of one tier."""
    out: list[Condition] = []
    for seg in re.split(r"[；;]", circumstance or ""):
        seg = seg.strip(" 。，,")
        if not seg:
            continue
        m = re.match(r"^([^：:]{1,16})[：:](.+)$", seg)
        if m and not re.fullmatch(r"[0-9一二三四五六七八九十（）()]+", m.group(1)):
            factor, value = m.group(1).strip(), m.group(2).strip()
        else:
            factor, value = PLAIN, (m.group(2) if m else seg).strip()
        if re.search(r"同类违法", factor + value) and prior_from_tier(value if factor == PLAIN else seg):
            out.append(Condition(PRIOR, seg))
        else:
            out.append(Condition(factor, value))
    if prior_violation:
        out.append(Condition(PRIOR, prior_violation))
    return out
