"""The fine a factor-weight table (裁量权重) gives for the facts: 裁量起点 + the weight of each factor's row, times the
base its 备注 states.

The 广东 罚款金额裁量表 (粤环发〔2021〕7号附件1) gives, per violation, a start (「裁量起点：20%」, or one per case:
「限期内改正 25%；逾期未改正 20%」, 「对企业 限期内改正 10%；对企业 逾期未改正 20%；对个人 25%」), one row per value of each
factor (「建设情况：设备安装阶段 — 裁量权重：5%」) and in its 备注 how the amount follows:
「罚款金额＝裁量百分值总和×100万」, 「…×建设项目总投资额×5%」, 「…×所需处置费用×5倍」, or one formula per case
(「（1）限期内改正的罚款金额=限期内改正的裁量百分值总和×20万；（2）逾期未改正的…×100万」).

A factor the facts decide adds its row's weight; a factor they do not adds anything from its smallest to its largest
weight, so the result is a range that narrows as facts are added, and the factors still open are named. A base
that is a sum of the case (总投资额, 处置费用, 违法所得) is taken from the facts when they state it
(assistant/discretion/quantities.py tells the kinds of money apart), else the formula is shown with the sum to find.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.discretion.facts import bigrams, choose_value
from assistant.discretion.party import PERSON, party_of
from assistant.discretion.quantities import fact_value, money_kind, quantity_range, within
from assistant.discretion.types import ComputedFine
from assistant.retrieval.terms import expand

_WEIGHT = re.compile(r"裁量权重[：:]\s*(\d+(?:\.\d+)?)\s*%")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_FORMULA = re.compile(r"(?:(?P<label>[^（）()；;：:=＝]{2,40}?)的)?罚款金额\s*[=＝]\s*[^×=＝]*?裁量百分值总和\s*(?P<base>(?:×[^×；;。（(]+)+)")
_UNIT_WORDS = ("对企业", "对单位", "对个人")


def weight_of(range_text: str) -> float | None:
    """「裁量权重：5%」 → 5.0 (percent); None for a row that gives a range, not a weight."""
    m = _WEIGHT.search(range_text or "")
    return float(m.group(1)) if m else None


@dataclass(frozen=True)
class Option:
    """One case of a start or formula: its words («对企业 限期内改正») and value (percent, or a base text)."""

    label: str
    value: object


def start_options(text: str) -> list[Option]:
    """「20%」 → [Option("", 20.0)]; 「限期内改正 25%；逾期未改正 20%」 → one Option per case."""
    out = []
    for part in re.split(r"[；;]", text or ""):
        m = _PERCENT.search(part)
        if m:
            out.append(Option(part[:m.start()].strip(" ：:"), float(m.group(1))))
    return out


def formula_options(note: str) -> list[Option]:
    """The 备注's 「罚款金额＝裁量百分值总和×…」, one Option per case: label («限期内改正», "" for one formula) and the
    factors after 总和 («×100万» → ["100万"], «×建设项目总投资额×5%» → ["建设项目总投资额", "5%"])."""
    out = []
    for m in _FORMULA.finditer(note or ""):
        label = re.sub(r"^[（(]?\d+[）)]", "", (m.group("label") or "").strip()).strip()
        out.append(Option(label, [f.strip() for f in m.group("base").split("×") if f.strip()]))
    return out


def _constant(factor: str) -> float | None:
    """「100万」 → 1,000,000; 「5%」 → 0.05; 「5倍」 → 5; a sum of the case («所需处置费用») → None."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(万元?|元|%|倍)?", factor)
    if not m:
        return None
    value, unit = float(m.group(1)), m.group(2) or ""
    return value * {"万": 1e4, "万元": 1e4, "元": 1, "%": 0.01, "倍": 1}.get(unit, 1)


def said_apart(value: str, others: list[str], facts: str, act: str = "") -> bool:
    """Whether ``facts`` name what sets ``value`` apart from a factor's ``others``: a bigram of the value that no
    other value and not the violation ``act`` holds («不配合调查» ↔ «配合调查»: 不配), or the value itself, not negated. A value whose words all recur in
    the others («饮用水水源保护区…» inside «限批区或环境敏感区（除饮用水水源保护区…）») is never said apart: its factor stays
    open, and the fine a range, rather than a guess."""
    plain = value.strip("的。；; ")
    if len(plain) >= 2 and any(not re.search(r"[不未没无非]$", facts[:m.start()]) for m in re.finditer(re.escape(plain), facts)):
        return True  # the value itself, not negated: «配合调查» (and not inside «不配合调查»)
    apart = bigrams(value) - set().union(*(bigrams(o) for o in others)) - bigrams(act)
    said = bigrams(facts)
    return any(g in said for g in apart)


@dataclass(frozen=True)
class FactorRow:
    """One row of a weighted group as the advisor judged it: factor, value, weight (percent), whether the facts
    support it (``said``) and whether they contradict it (``ruled_out``)."""

    factor: str
    value: str
    weight: float
    said: bool
    ruled_out: bool


def _decide(options: list[Option], facts: str, qty: dict[str, float],
            choose: Callable[[list[str], str], str | None]) -> list[Option]:
    """The cases the facts leave open (all of them when they say nothing that tells)."""
    if len(options) < 2:
        return options
    left = options
    party = party_of(facts)
    if party is not None and any(w in o.label for o in options for w in _UNIT_WORDS):
        keep = [o for o in left if ("对个人" in o.label) == (party == PERSON)]
        left = keep or left
    # the other words of the labels: 限期内改正 / 逾期未改正, 没有违法所得… / 违法所得10万元以上, 未造成… / 已造成…
    rest = {o.label: re.sub("|".join(_UNIT_WORDS), "", o.label).strip() for o in left}
    values = list(dict.fromkeys(v for v in rest.values() if v))
    if len(values) > 1:
        banded = [v for v in values if (rng := quantity_range(v)) and
                  (x := fact_value(qty, rng[0], v)) is not None and within(x, rng)]
        picked = banded[0] if len(banded) == 1 else choose(values, facts)
        if picked is not None:
            left = [o for o in left if rest[o.label] in ("", picked)] or left
    return left


@dataclass(frozen=True)
class Computed:
    """The 裁量百分值总和 and fine the facts give, as ranges while facts are open."""

    percent: tuple[float, float]  # 裁量百分值总和, percent
    start: tuple[float, float]  # 裁量起点 of the cases the facts leave open, percent
    yuan: tuple[float, float] | None  # the fine in yuan; None while a sum of the case is unknown
    formula: str  # «裁量百分值总和 × 100万»
    open_factors: list[str]  # factors the facts do not decide
    needs: list[str]  # sums of the case the formula needs and the facts do not state («建设项目总投资额»)


def compute(rows: Sequence[FactorRow], start_text: str, note: str, facts: str, qty: dict[str, float],
            choose: Callable[[list[str], str], str | None]) -> Computed | None:
    """The fine of one weighted group for the facts, or None when the table states no start or no formula.

    Args:
        rows: every row of the group, judged against the facts.
        start_text: the group's 裁量起点 («20%», «限期内改正 25%；逾期未改正 20%»).
        note: the table's 备注 with the formula.
        facts: the facts as stated; qty: their quantities (quantities.quantities).
        choose: picks the value the facts state among alternatives (facts.choose_value), or None.
    Returns:
        Computed with percent and yuan ranges (low, high); when cases of the start differ (限期内改正 25% vs
        逾期未改正 20%, each with its own base), the range spans the cases the facts leave open.
    """
    starts, formulas = start_options(start_text), formula_options(note)
    if not starts or not formulas:
        return None
    by_factor: dict[str, list[FactorRow]] = {}
    for r in rows:
        by_factor.setdefault(r.factor, []).append(r)
    low = high = 0.0
    open_factors = []
    for factor, options in by_factor.items():
        possible = [r for r in options if not r.ruled_out] or options
        said = [r for r in possible if r.said]
        chosen = said if len(said) == 1 else possible
        low += min(r.weight for r in chosen)
        high += max(r.weight for r in chosen)
        if len(chosen) > 1 and min(r.weight for r in chosen) != max(r.weight for r in chosen):
            open_factors.append(factor)
    cases = _decide(starts, facts, qty, choose)
    pct_lo = min(c.value for c in cases) + low
    pct_hi = max(c.value for c in cases) + high
    yuan_lo = yuan_hi = None
    needs: list[str] = []
    shown = []
    for case in cases:
        formula = next((f for f in formulas if f.label and (f.label.rstrip("的") in case.label or case.label
                                                            and case.label.rstrip("的") in f.label)), None)
        formula = formula or (formulas[0] if len(formulas) == 1 or not case.label else None)
        if formula is None:
            continue
        base = 1.0
        for factor in formula.value:
            const = _constant(factor)
            if const is None:
                kind = money_kind(factor)
                value = fact_value(qty, "yuan", factor) if kind else None
                if not value:  # not stated, or a nil sum (no base a fine can be a share of)
                    needs.append(factor)
                    base = None
                    break
                const = value
            base *= const
        shown.append(("（" + case.label + "）" if case.label and len(cases) > 1 else "")
                     + "裁量百分值总和 × " + " × ".join(formula.value))
        if base is not None:
            lo, hi = (case.value + low) / 100 * base, (case.value + high) / 100 * base
            yuan_lo = lo if yuan_lo is None else min(yuan_lo, lo)
            yuan_hi = hi if yuan_hi is None else max(yuan_hi, hi)
    if not shown:
        return None
    yuan = (round(yuan_lo, 2), round(yuan_hi, 2)) if yuan_lo is not None and not needs else None
    starts_open = (min(c.value for c in cases), max(c.value for c in cases))
    return Computed((round(pct_lo, 2), round(pct_hi, 2)), starts_open, yuan, "；".join(dict.fromkeys(shown)),
                    open_factors, list(dict.fromkeys(needs)))


def fine_of(group, judged: list, facts: str, qty: dict[str, float]) -> ComputedFine | None:
    """The fine a weighted group's 备注 formula gives for the facts, or None when its table states no start or
    formula.

    Args:
        group: the advisor's Group (its ``violation``, ``doc`` and ``tiers``, each tier's ``conds`` and record).
        judged: ((support, contradictions), tier) per tier, as the advisor judged them against the facts.
        facts: the facts as stated; qty: their quantities (quantities.quantities).
    A count or a quantity decides its factor as the advisor judged it; a text value only when ``said_apart``.
    """
    weighted = [((s, c), t) for (s, c), t in judged if t.conds and weight_of(t.chunk.record.range_text) is not None]
    values: dict[str, list[str]] = defaultdict(list)
    for _, t in weighted:
        values[t.conds[0].factor].append(t.conds[0].value)
    widened = f"{facts} {expand(facts)}"
    rows = []
    for (s, c), t in weighted:
        cond = t.conds[0]
        counted = cond.is_prior or ((rng := quantity_range(cond.value)) is not None
                                    and fact_value(qty, rng[0], cond.factor + cond.value) is not None)
        # a count or a quantity is read reliably; a text value counts only when the facts name what sets it
        # apart from the factor's other values (not the act's own words: «开工建设» names no 基础建设阶段)
        said, out = (s > 0, c > 0) if counted else (
            said_apart(cond.value, [v for v in values[cond.factor] if v != cond.value], widened, group.violation),
            False)
        rows.append(FactorRow(cond.factor, cond.value, weight_of(t.chunk.record.range_text), said, out))
    first = group.tiers[0].chunk.record
    computed = compute(rows, first.extra.get("裁量起点", ""), first.extra.get("备注", ""), facts, qty,
                       lambda options, said: choose_value(options, said, act=group.violation))
    if computed is None:
        return None
    return ComputedFine(document=group.doc.title, violation=group.violation, percent_min=computed.percent[0],
                        percent_max=computed.percent[1], start_min=computed.start[0], start_max=computed.start[1],
                        yuan_min=computed.yuan[0] if computed.yuan else None,
                        yuan_max=computed.yuan[1] if computed.yuan else None, formula=computed.formula,
                        open_factors=computed.open_factors, needs=computed.needs)
