"""A factor's value chosen by the structure of its alternatives, before any bigram counts: a class the facts name
(Ⅲ类放射源), an 环评 document, a place and its 「以外」 complement, the two duties after an accident, an industry list
(«属于化工、电镀……项目»)."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from assistant.discretion.conduct import compensated, treated_in_time
from assistant.discretion.spoken import deadline_kept
from assistant.discretion.protected import place_denied
from assistant.discretion.wording import normalise_classes

_CLASS_MENTION = re.compile(r"([一二三四五六七])类(放射源|射线装置|放射性物品|放射性废物)")
_NEAR_NEG = re.compile(r"不是|不在|不属|不算|不涉及|并非|非|没有|没在|无")


# officers' short names of a source: «三类废源», «一枚Ⅳ类源», «二类废旧放射源» are sources of that class
_SHORT_SOURCE = re.compile(r"(?<![这那各几])([一二三四五六七])类(?:废旧|废)?(?:放射)?源(?!头|于|自|强|项|区|地|流|汇)")


_RETIRED = re.compile(r"报废|废弃|淘汰")
_NOT_RETIRED = re.compile(r"没有?|未|不")  # «三类源没有报废», «尚未报废»
RETIRED_REACH = 6  # characters either side of a source's short name, within its clause, searched for 报废


def spell_out_sources(text: str) -> str:
    """Officers' short names of a retired source spelt as the tables write them, so that matching and the term list
    read them as any other words: «三类废源», «二类废旧源», «报废了一枚三类源», «三类源已经报废» →
    «三类废旧放射源» (《放射性同位素与射线装置安全和防护条例》 calls them 废旧放射源; dev19). A source not said
    to be retired within ``RETIRED_REACH`` characters of its name in its clause («淘汰的探伤机旁有一枚三类源在用»), or
    said not to be («三类源没有报废»), keeps its short name. Numerals as :func:`normalise_classes` leaves them (一…七).

    Args:
        text: the facts, classes already normalised.

    Returns:
        The text with each retired source's short name spelt out; the same text when none is named."""
    def said_retired(span: str) -> bool:
        return any(not _NOT_RETIRED.search(span[max(0, r.start() - 2):r.start()]) for r in _RETIRED.finditer(span))

    def spelt(m: re.Match) -> str:
        before = re.split(r"[，,。；;！!？?]", text[:m.start()])[-1][-RETIRED_REACH:]
        after = re.split(r"[，,。；;！!？?]", text[m.end():])[0][:RETIRED_REACH]
        retired = "废" in m.group(0) or said_retired(before) or said_retired(after)
        return f"{m.group(1)}类废旧放射源" if retired else m.group(0)

    return _SHORT_SOURCE.sub(spelt, text)


def class_mentions(text: str) -> set[tuple[str, str]]:
    """The (class, kind) pairs a text names, numerals normalised: «涉Ⅲ类放射源或Ⅱ类射线装置» →
    {('三', '放射源'), ('二', '射线装置')}; «三类废源» → {('三', '放射源')}."""
    return set(_CLASS_MENTION.findall(_SHORT_SOURCE.sub(r"\1类放射源", normalise_classes(text))))


def _by_class(values: list[str], facts: str) -> str | None:
    """The one value naming the class the facts name («二类射线装置» → «涉Ⅲ类放射源或Ⅱ类射线装置»)."""
    named = class_mentions(facts)
    if len(named) != 1:  # «使用Ⅰ类、Ⅱ类、Ⅲ类放射源的场所» names the act, not the case's class
        return None
    hits = [v for v in values if class_mentions(v) & named]
    return hits[0] if len(hits) == 1 else None


# the 环评 documents (环境影响评价法 第十六条: 报告书、报告表、登记表); «不是报告书» names none
_DOCUMENT = re.compile(r"(?<![不非]是)(?<!不属于)(报告书|报告表|登记表)")


def _by_document(values: list[str], facts: str) -> str | None:
    """The one value naming the 环评 document the facts name, when the values differ by it («报告表项目，……» /
    «报告书项目，……»): the document is a class, and its clause's polarity («环评报告表还没批下来») is the act's, not
    the document's (dev7 d7-021)."""
    named = set(_DOCUMENT.findall(facts))
    if len(named) != 1:
        return None
    hits = [v for v in values if set(_DOCUMENT.findall(v)) == named]
    return hits[0] if len(hits) == 1 and any(_DOCUMENT.search(v) and v not in hits for v in values) else None


# the words that name an 环境敏感区 or a 限批区 as a place («那个镇是区域限批的», dev21 d21-012; «排口就在饮用水源保护区范围
# 里», d21-014: 建设项目环境影响评价分类管理名录 第三条 lists 饮用水水源保护区, 自然保护区, 风景名胜区 … as 环境敏感区)
_SENSITIVE_PLACE = re.compile(r"敏感(?:区|区域|点|目标|地)|限批|保护区|水源地|风景名胜区|风景区|自然保护地|生态保护红线|生态红线"
                              r"|禁建区|禁止建设区")


def _place_said(facts: str, outside: str, inside: str) -> str | None:
    """``inside`` when the facts put the case in an 环境敏感区 or 限批区 (any mention not denied), ``outside`` when
    every mention is denied, None when they name none (``_SENSITIVE_PLACE``)."""
    said = [not place_denied(facts, m) for m in _SENSITIVE_PLACE.finditer(facts)]  # (protected.place_denied)
    if not said:
        return None
    return inside if any(said) else outside


def _by_complement(values: list[str], facts: str) -> str | None:
    """A value and its complement («环境敏感区或限批区» / «环境敏感区或限批区以外的区域»): the facts name the
    place; negated nearby («不在敏感区», «不是什么敏感区域») → the complement, else the value itself."""
    if len(values) != 2:
        return None
    base, other = sorted(values, key=len)
    if not (other.startswith(base) and re.search(r"以外|之外", other[len(base):])):
        return None
    if other in facts or base in facts:
        return other if other in facts else base
    if re.search(r"一般区域|普通区域|一般地区", facts):  # the tables' own name for what lies outside (广东 表: 所在区域 一般区域)
        return other
    if any(k in base for k in ("限批", "敏感")) and (said := _place_said(facts, other, base)) is not None:
        return said  # every mention read, not the first only («不是限批区，但在饮用水源保护区内»)
    common = SequenceMatcher(None, facts, base, autojunk=False).find_longest_match(0, len(facts), 0, len(base))
    at, size = common.a, common.size
    if size < 3:  # «敏感区» at least; a shared 「区域」 says nothing (an 环境敏感区's place words were read above)
        return None
    before, after = facts[max(0, at - 6):at], facts[at:at + size + 4]
    return other if _NEAR_NEG.search(before) or re.search(r"以外|之外", after) else base


# the two duties after a pollution accident (大气污染防治法 第一百二十二条 and the 广东 表's 整改情况 of its 事故 rows):
# to compensate of one's own accord (conduct.compensated) and to take remedial measures by the deadline — both, one
# of them, or neither


def _about_duties(values: list[str]) -> bool:
    """Whether ``values`` are the duties' alternatives, one each (a value that names a grade as well, «造成较大……事故；
    整改情况：主动承担……», is read by its other words)."""
    if len(values) < 2 or not all("赔偿" in v and "治理" in v for v in values):
        return False
    return len({_duty_kind(v) for v in values}) == len(values)


def _duty_kind(value: str) -> str:
    return "neither" if re.search(r"既未|也未", value) else "one" if re.search(r"或者|之一", value) else "both"


def _by_duties(values: list[str], facts: str) -> str | None:
    """Among values that each speak of both duties after an accident («主动承担赔偿责任，且限期采取治理措施» / «未……
    或者……未……» / «既未……也未……»), the one the facts fit: compensation said or denied, and the order's deadline
    kept or missed (spoken.deadline_kept); None when either is not said or no single value fits («主动赔了周边村民，
    但限期治理到期了还没动», dev12 d12-008: one of the two)."""
    if not _about_duties(values):
        return None
    paid = compensated(facts)
    treated = treated_in_time(facts)
    treated = deadline_kept(facts) if treated is None else treated
    if paid is None or treated is None:
        return None
    want = "both" if paid and treated else "neither" if not (paid or treated) else "one"
    fits = [v for v in values if _duty_kind(v) == want]
    return fits[0] if len(fits) == 1 else None


# «属于化工、电镀、鞣革……项目的»: a row for the industries it lists applies only when the facts name one, as a hazard
# row only when they name a hazard (dev14 d14-020 «电镀项目», dev5 d5-032 «食品加工» the row 「不属于……」)
# … and «报告书类（化工、电镀、……、炼油等重点项目）», the 广东 table's way of saying it (dev2 d2-033, dev8 d8-021)
_BELONGS = re.compile(r"(?:(?<!不)属于|[（(])((?:[\u4e00-\u9fff]{2,8}、){2,}[\u4e00-\u9fff]{2,12}?)等?(?:重点)?(?:项目|行业|企业)")


def _listed_kinds(value: str) -> list[str]:
    """The kinds a value's «属于A、B、C……项目» lists (each split at 和/及 too: «危险废物处置和利用» → 危险废物处置,
    利用), [] when it lists none."""
    m = _BELONGS.search(value)
    return [k for k in re.split(r"[、和及与或]", m.group(1)) if len(k) >= 2] if m else []
