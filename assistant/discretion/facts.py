"""Reading the facts of a case and the conditions of a 裁量基准 (discretion) tier, and comparing the two.

A tier's conditions come from its 情节 text («整改情况：逾期未改正；配合调查情况：配合调查»,
«涉案面积：5亩以上10亩以下», «垂钓或者其他可能污染饮用水水体的活动») and its 同类违法 text
(«有同类违法行为», «近二年同类违法行为情况（含本次）：2次»). Each condition is a (factor, value);
a fact description either satisfies a value, contradicts it, or does not say (→ a missing fact).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from dataclasses import dataclass

from assistant.discretion.clauses import agreement, clauses, negated, topic
from assistant.discretion.conduct import cooperated, made_up, remedied
from assistant.discretion.grades import grade_agreement
from assistant.discretion.spoken import clause_before, deadline_kept, event_grades
from assistant.discretion.structure import (_about_duties, _by_class, _by_complement, _by_document,  # noqa: F401
                                            _by_duties, _listed_kinds, class_mentions)
from assistant.discretion.wording import (_denied, _negated_at, _polarity, bigrams,  # noqa: F401 (re-exported)
                                          normalise_classes, text_match)
from assistant.retrieval.terms import key_start, matched_terms
from assistant.discretion.quantities import quantities, quantity_range, within  # noqa: F401 (re-exported)
from assistant.discretion.prior import NUMERAL, PRIOR, prior_from_tier
from assistant.discretion.protected import PROTECTED, closed_by_place, place_denied

PLAIN = "违法情节"

GRADE_WEIGHT = 1.5  # per attribute graded alike (grades.py): more than a bigram, «量挺大» is the row's «量大» (dev16 d16-011)
CLAUSE_WEIGHT = 1.0  # dev3 top-1 0.605 → 0.658 (2.0: 0.684 but officer dev 0.862 → 0.845, record-text 0.916 → 0.908)
ACT_WORD_WEIGHT = 0.5  # record-text dev top-1 0.894 at 0.5; 0 (dropping them) loses 情节 that split the act (隐瞒 / 伪造、篡改)


def choose_value(values: list[str], facts: str, act: str = "") -> str | None:
    """Which of a factor's alternative values the facts state, or None when they do not tell (the lead of
    :func:`value_scores`' best is under 0.5, or nothing supports it).

    First the structure: a class the facts name (``class_mentions``) or a value and its 「以外」 complement;
    then bigrams: only bigrams that distinguish a value from the others count (1 each), plus ±0.5 for the
    polarity of the words they share; the best must lead by 0.5. Bigrams of ``act`` (the violation's own text)
    count ``ACT_WORD_WEIGHT``: they mostly say what was done, not which 情节 («自动监测设备» is the act's
    subject, yet only «未保证自动监测设备正常运行» repeats it, not «已安装，但未联网»).
    """
    if len(values) == 1:
        return values[0] if text_match(values[0], facts) >= 0.5 else None
    if _about_duties(values):  # the duties after an accident: the table's words, both duties read, or not told
        literal = [v for v in values if v in facts]
        return max(literal, key=len) if literal else _by_duties(values, facts)
    picked = _by_class(values, facts) or _by_document(values, facts) or _by_complement(values, facts)
    if picked is not None:
        return picked
    scores = sorted(value_scores(values, facts, act).items(), key=lambda x: -x[1])
    (value, best), (_, second) = scores[0], scores[1]
    return value if best > 0 and best - second >= 0.5 else None


def value_scores(values: list[str], facts: str, act: str = "") -> dict[str, float]:
    """How much the facts support each of a factor's alternative values (≥ 2 values; comparable within one call):
    rows the facts close (an excluded item named, an aggravating row without a consequence, a hazard row without
    a hazard, an exceedance row when the limits were kept) score 10 less; the others score their distinguishing
    bigrams, polarity, clause agreement, a literal mention and a named hazard (see :func:`choose_value`). A
    distinguishing bigram of a value's negated clause that the facts hold in a clause saying plainly the thing was
    done (``_DONE``: «监测报告是有的», «监测倒是做了», with that clause's legal terms) counts −1 instead of +1 (dev3
    d3-002, dev9 d9-018, dev10 d10-007; no dev case lost)."""
    excluded = _excluded_items(values)
    closed = {v for v in values if excluded and _contradicted(v, facts, excluded)}
    graded = event_grades(facts)
    if graded:  # «定为较大突发环境事件»: the rows of the other grades are closed, the named grade's stays open
        closed |= {v for v in values if (g := event_grades(v)) and not g & graded}
    closed |= {v for v in values if _aggravates(v) and not _consequence_stated(facts)
               and not event_grades(v) & graded}
    closed |= closed_by_place(values, facts)
    if not _warned(facts):
        closed |= {v for v in values if _WARNED_ROW.match(v)}
    closed |= {v for v in values if (kinds := _listed_kinds(v)) and not any(k in facts for k in kinds)}
    if any(any(k in facts for k in _listed_kinds(v)) for v in values):  # «电镀项目»: not «重点行业以外的生产型»
        closed |= {v for v in values if _OUTSIDE_LIST.search(v) and not _listed_kinds(v)}
    hazard = _hazard_stated(facts)
    marked = {v for v in values if _marks_hazard(v)}
    if any(v not in marked for v in values) and not hazard:  # none named, or named only as absent («不涉及重金属和一类污染物»)
        # … unless the act is about the hazard that marks the row: every case of 「排放放射性废液」 is radioactive, and
        # «中放废液» need not say 放射 again (dev18 d18-027: its three 放射性 rows were closed beside 「造成重大……影响」).
        # Only 放射性: an act's 「工业废气和有毒有害大气污染物」 lists the hazard as one alternative (o053)
        closed |= {v for v in marked if "放射性" not in act or set(_MARKED.findall(v)) != {"放射性"}}
    marked |= {v for v in values if _A_CLASS.search(v)}
    if _WITHIN_LIMITS.search(facts) and not _EXCEEDED.search(facts):  # 「监测都达标」 (and nothing 超标): no value
        # that says the limits were exceeded — 「颗粒物超标0.6倍，其他指标都达标」 still exceeds them
        closed |= {v for v in values if _EXCEEDED.search(v)}
    fb = bigrams(facts)
    # (with the legal terms of its own words: «排口监测倒是按要求做了» also says 排污口)
    done = set().union(*(bigrams(widened(c)) for c in clauses(facts) if _DONE.search(c) and not negated(c)))
    act_words = bigrams(act)
    sets = [bigrams(v) for v in values]
    literal = [v for v in values if v and v in facts]
    literal = {v for v in literal if not any(v != w and v in w for w in literal)}  # 不敏感 wins over 敏感
    # what every value still open holds: a closed row («造成重大生态环境影响的») is no alternative, and its words
    # would leave «监测设备» uncommon, so «设备倒是装了» rather than «做不到实时监测» answered «实时监测…» (dev19 d19-007)
    open_values = list(dict.fromkeys(v for v in values if v not in closed))
    open_values = open_values if len(open_values) >= 2 else values
    common = frozenset(set.intersection(*(topic(v) for v in open_values))) if open_values else frozenset()
    agree = [agreement(v, facts, act, common=common) for v in values]
    agree = [a - min(agree) for a in agree]  # what all values share (「空间、设备未密闭」) decides nothing
    scores: dict[str, float] = {}
    for i, (v, vb) in enumerate(zip(values, sets)):
        others = set().union(*(s for j, s in enumerate(sets) if j != i and values[j] not in closed))  # a closed
        # value tells no bigram apart: «重点管理» decides between 简化 and 重点 once 「重点管理…超标」 is closed
        distinct = (vb - others) & fb
        # «监测报告是有的，但没公开»: what the facts say was done counts against a row saying it was not
        against = distinct & done & set().union(*(bigrams(c) for c in clauses(v) if negated(c)))  # «已安装，但未联网»:
        # only what the row says was not done
        distinct -= against
        polarity = _polarity(v, facts, vb & fb)
        support = sum(ACT_WORD_WEIGHT if b in act_words else 1.0 for b in distinct)
        if _denied(v, facts, distinct):  # «没有重大活动»: its words count against 「特殊或重大活动期间」
            support = -support
        support -= sum(ACT_WORD_WEIGHT if b in act_words else 1.0 for b in against)
        score = (support + 0.5 * polarity
                 + CLAUSE_WEIGHT * agree[i] + GRADE_WEIGHT * grade_agreement(v, facts)
                 + (1.5 if v in literal else 0.0) + (2.0 if hazard and v in marked else 0.0))
        scores[v] = max(scores.get(v, -math.inf), score - (10.0 if v in closed else 0.0))
    if len(values) - len(closed) == 1:  # one value left open: it is stated, whatever its words
        scores = {v: 1.0 if v not in closed else -10.0 for v in scores}
    return scores


# the row for the industries a listed row leaves out («报告书类（重点行业以外的生产型）» beside «（化工、电镀、……等重点项目）»)
_OUTSIDE_LIST = re.compile(r"(?:重点|上述|以上|前述)(?:行业|项目|企业)(?:以外|之外)")


# a clause that says plainly a thing was done or exists: «监测报告是有的», «排口监测倒是按要求做了», «台账也有»
_DONE = re.compile(r"是有的|倒是|确实有|都有|也有|有做|做了|装了|建了|编了|办了|报了|交了")


# a value marked by a hazard («有毒有害大气污染物», «涉及重金属») applies only when the facts name one: officers
# say 「含铬」「有毒」, and 「废气」 alone is the plain class («工业废气»)
_MARKED = re.compile(r"有毒有害|有毒|重金属|剧毒|一类污染物|持久性有机|放射性")
# 「A类」 污染物 are such a class by the 广东 裁量权规定 第十八条 (第一类污染物, 有毒有害名录, 铊锑镍铜锌钒锰钴): a hazard
# named chooses them; none named leaves A类 / B类 open (closing A类 made B类 «stated» and put it before a stated
# aggravation, «…，造成重大生态环境影响…», on the record-text set)
_A_CLASS = re.compile(r"A类(?:水|大气)?污染物")
_TOXIC = re.compile(r"有毒|有害|毒性|重金属|剧毒|一类污染物|持久性|放射|[铬镉汞砷铅镍铊锑铍钡钒钴铜锌]|氰|苯|二噁英|酸雾|A类")


# the facts say the limits were kept («监测都达标», «没超标», «排放浓度合格»), so no value of exceeding them applies
# («没造成超标», «未导致超标»: dev13 d13-026 read the row «造成超标排放的»)
_NOT_EXCEEDED = r"(?:没有?|未|不|无)(?:造成|导致|出现|发现|存在)?超标"  # «监测无超标», «不存在超标情况»
_WITHIN_LIMITS = re.compile(r"(?<![不未没])(?:都|均|全部|全都|基本)?达标|" + _NOT_EXCEEDED
                            + r"|(?:检测|监测|排放)[^，,。；;]{0,6}(?<![不未])合格")
_EXCEEDED = re.compile(r"(?<![不未没无])(?<!没造成|未造成|没导致|未导致|没出现|未出现|没发现|未发现|不存在)超标"
                       r"|(?<![不未没])超过[^，,。；;]{0,12}(?:排放)?标准")  # «不超过排放标准» is within (dev5 d5-019)


@lru_cache(maxsize=256)  # one advice reads each picked group's values against the same facts
def widened(facts: str) -> str:
    """``facts`` and, after them, the legal terms of the colloquial → legal list (``assistant/retrieval/terms.py``:
    过了期限 → 逾期未改正, 没填 → 未填写) for each clause — except a clause that denies what it names when its
    terms do not carry the denial themselves: «检测没超标» would add 「超过 排放标准」 and «不涉及危废» 「危险废物」,
    naming the very rows the facts rule out (dev5 d5-023, dev o076/o077)."""
    extra: list[str] = []
    # «量不大、活度也低»: a denial in one item of a list does not deny the next
    for clause in (part for c in clauses(_WITHIN_LIMITS.sub("，", facts)) for part in c.split("、") if part):
        said = matched_terms(clause)
        for spoken, legal in said:  # a key that holds the denial («不在…敏感区») keeps its terms
            if any(spoken != longer and spoken in longer for longer, _ in said):
                continue  # the longer key says more: «环评报告书» → 报告书 only, not «环评»'s 报告书 and 报告表
            if not _denied_before(clause, spoken) or negated(spoken) or negated(legal):
                # a thing the rest of its clause denies is said denied: «废气治理设备根本没装» → 「未污染防治设施」,
                # so a row «已密闭，但未按规定安装使用污染防治设施» agrees with it (dev3 d3-008)
                at = key_start(spoken, clause)
                denied_after = (at is not None and not negated(spoken) and not negated(legal)
                                and bool(_ABSENT_AFTER.search(clause[at + len(spoken):])))
                extra.extend(w for t in legal.split() if t not in clause
                             and (w := f"未{t}" if denied_after else t) not in extra)
    kept = deadline_kept(facts)  # «到期去复查还是没修»: the order's outcome, read across the sentence
    if kept is not None and (term := "限期内改正" if kept else "逾期未改正") not in extra:
        extra.append(term)
    helped = cooperated(facts)  # «要消毒记录也不给»: the party's part in the investigation, read across the sentence
    if helped is not None and (term := "配合调查" if helped else "不配合调查") not in extra:
        extra.append(term)
    if made_up(facts) and "弄虚作假" not in extra and "弄虚作假" not in facts:  # «伪造了几个月的运行记录»
        extra.append("弄虚作假")
    if (acted := remedied(facts)) is not None:  # «啥补救都没做» / «马上把排口堵了»
        term = "已采取措施消除或减轻违法后果" if acted else "未采取措施消除或减轻违法后果"
        if term not in extra:
            extra.append(term)
    return f"{facts} {' '.join(extra)}"


# what the rest of a clause says to deny a thing's presence or use («根本没装», «一直没开», «没有»); not a quality
# («排口设得不规范» has an 排口, dev4 d4-024)
_ABSENT_AFTER = re.compile(r"(?:没|未|不)(?:有|装|安装|建|设|做|开|启|用|使用|运行|配)|没有")
DENIAL_REACH = 4  # characters before a key in which a negator denies it («检测没超标», «不涉及危废»; «铁桶没清洗» does not)


def _denied_before(clause: str, spoken: str) -> bool:
    """Whether a negator stands in the ``DENIAL_REACH`` characters before the key ``spoken`` in ``clause``."""
    at = key_start(spoken, clause)
    return at is not None and negated(clause[max(0, at - DENIAL_REACH):at])


def _marks_hazard(value: str) -> bool:
    """Whether a value is marked by a hazard it affirms: «涉及重金属的» is, «不涉及一类污染物、重金属……，有超标情形的»
    (the row for the plain case) is not — with no hazard named, a break test's «私设暗管偷排废水，超标3倍» had the
    不涉及 rows closed with the hazard rows."""
    for m in _MARKED.finditer(value):
        clause = re.split(r"[，,。；;！!？?]", value[:m.start()])[-1]
        if _INDUSTRIES.match(value, m.end()) and "、" in value[max(0, m.start() - 1):m.end() + 1]:
            continue  # «报告书类（化工、电镀、……、放射性、……等重点项目）»: an industry in a list (dev8 d8-021)
        if not _FACT_NEGATION.search(clause) and "属于" not in clause:  # «属于化工、电镀、……、放射性……项目»: a list
            return True  # of industries, no hazard (dev14 d14-020: an 电镀 project's row was closed for want of one)
    return False


_INDUSTRIES = re.compile(r"[^，,。；;]*?(?:项目|行业)")  # what a list of industries ends with


def _hazard_stated(facts: str) -> bool | None:
    """Whether the facts name a hazard (True: 「含铬废水」; False: none named; None: named only as absent, 「不涉及
    重金属」 — left to the rows' own 不含 reading)."""
    found = [m for m in _TOXIC.finditer(facts)]
    if not found:
        return False
    def denied(m: re.Match) -> bool:  # a negator just before it, or before a list it ends: 「不涉及重金属、酸雾、有毒物」
        clause = re.split(r"[，,。；;！!？?]", facts[:m.start()])[-1]  # denies all three; «没做防渗的土沟把含苯废水» not 苯
        negators = list(_FACT_NEGATION.finditer(clause))
        if not negators:
            return False
        gap = _TOXIC.sub("", clause[negators[-1].end():])
        return len(re.sub(r"[、和及与或跟等类的含]|污染物|物质|涉及", "", gap)) <= 2

    return True if any(not denied(m) for m in found) else None


# «不属于化工、电镀、鞣革……项目的» rules out the industries it lists as «不含重金属» rules out its pollutants (dev14
# d14-020: an 电镀 project got the 不属于 row)
_EXCLUSION = re.compile(r"(?:不含|不涉及|不包括|不属于)([^，,；;（）()]{2,40})")
_FACT_NEGATION = re.compile(r"没有|没|不含|不涉及|不是|不算|并非|无|未检出|不属于")  # «屠宰不算化工、造纸» (dev20 d20-017)


# an aggravating 情节 («造成重大生态环境影响或者不良社会影响的») applies only when the facts state a consequence:
# a shared word («向社会公开» → 社会) is not enough
_AGGRAVATING = re.compile(r"(?:造成|导致|引起)(?:了)?(?:重大|较大|严重|特别重大|较大以上)")


def _aggravates(value: str) -> bool:
    """Whether a value is an aggravating 情节: it opens with one («造成重大生态环境影响…»), or its own clause names
    one after the stage it applies to («主体工程建设期间或投入使用后造成较大以上突发环境事件…», dev7 d7-021) — not
    «未造成重大影响的»."""
    first = value_clauses(value)[0] if value_clauses(value) else ""
    m = _AGGRAVATING.search(first)
    return bool(m) and not re.search(r"[未没不无]$", first[:m.start()])
# a row for a party that kept on after a warning («经提醒不改正，2次以上以拖延等方式拒绝、阻挠现场检查的») applies only when
# the facts say it was warned or urged; unstated, the row of the act itself is the one (dev12 d12-014: «拖了四十分钟» left
# the 「超过30分钟」 row tied with it)
_WARNED_ROW = re.compile(r"^(?:经|被)(?:提醒|劝阻|劝告|警告|催促)")
_WARNED = re.compile(r"提醒|劝阻|劝告|劝说|警告|喊话|喊了|催促|催了|催过|一再催|再三要求|多次要求|反复要求")


def _warned(facts: str) -> bool:
    """Whether the facts say the party was warned or urged (``_WARNED``, not denied in its clause: «没有人提醒过他»)."""
    return any(not re.search(r"没|未|无|不曾|从未", clause_before(facts, m.start()))
               for m in _WARNED.finditer(facts))



_CONSEQUENCE = re.compile(r"(?:造成|导致|引起|引发)[^，,。；;]{0,14}(?:影响|后果|事件|事故|污染|损害|损失|死亡|中毒)")


def _consequence_stated(facts: str) -> bool:
    for m in _CONSEQUENCE.finditer(facts):
        clause = clause_before(facts, m.start())
        if not re.search(r"没|未|无|不|并非", clause + facts[m.start():m.start() + 2]):
            return True
    return False


def _excluded_items(values: list[str]) -> set[str]:
    """The things a value rules out («不含重金属、有毒、持久性有机物» → 重金属, 有毒, 持久性有机物)."""
    items: set[str] = set()
    for v in values:
        for m in _EXCLUSION.finditer(v):
            items.update(i for i in re.split(r"[、和及或与]", m.group(1).removesuffix("的")) if len(i) >= 2)
    return items


def _contradicted(value: str, facts: str, items: set[str]) -> bool:
    """Whether the facts state one of ``items`` the other way round from ``value``: the value rules it out
    and the facts name it («检测总铬超标» → 重金属), or the value requires it and the facts deny it
    («废气里没有重金属»)."""
    ruled_out = {i for m in _EXCLUSION.finditer(value) for i in items if i in m.group(1)}
    for item in items:
        at = facts.find(item)
        if at < 0:
            continue
        clause = clause_before(facts, at)  # the item's clause up to it
        # a place is denied as places are («也不在地下水保护区、保留区里», «…这些都不沾边», dev2 d2-039)
        denied = bool(_FACT_NEGATION.search(clause)) or bool(
            PROTECTED.search(item) and place_denied(facts, re.compile(re.escape(item)).search(facts, at)))
        if item in ruled_out and not denied:
            return True
        if item in value and item not in ruled_out and denied:
            return True
    return False


def value_clauses(value: str) -> tuple[str, ...]:
    """The clauses of a table's value, split at commas and semicolons, each without its closing 「的」."""
    return tuple(c.strip().removesuffix("的") for c in re.split(r"[，,；;]", value) if c.strip())


@dataclass(frozen=True)
class Condition:
    factor: str
    value: str

    @property
    def is_prior(self) -> bool:
        return self.factor == PRIOR


# a 情节 that is a count within a period (江门: 「两年内第2次」「两年内超过4次的」)
_PRIOR_TIER = re.compile(r"(?:近?[一二两三1-3]年内?)?(?:第" + NUMERAL + r"次|(?:超过|多于)" + NUMERAL + r"次)的?"
                         r"|近?[一二两三1-3]年内?" + NUMERAL + r"次(?:以上)?的?|初犯的?|(?:再犯|累犯)(?:或以上|及以上|以上)?的?")


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
        counted = re.search(r"同类违法", factor + value) or _PRIOR_TIER.fullmatch(value)
        if counted and prior_from_tier(value if factor == PLAIN else seg):
            out.append(Condition(PRIOR, seg))
        else:
            out.append(Condition(factor, value))
    if prior_violation:
        out.append(Condition(PRIOR, prior_violation))
    return out
