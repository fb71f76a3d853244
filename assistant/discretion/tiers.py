"""One violation's tiers against the facts: which conditions each tier satisfies or contradicts (``judge``), the
value the facts give each text factor (``choose_text_values``), and what would still decide between the tiers left
(``missing_facts``, ``as_question``)."""

from __future__ import annotations

import re
from collections import defaultdict

from assistant.discretion.facts import choose_value, narrow_values
from assistant.discretion.facts import widened as widen
from assistant.discretion.groups import Group, Tier
from assistant.discretion.overdue import ORDER
from assistant.discretion.prior import PRIOR, prior_from_tier
from assistant.discretion.quantities import fact_value, quantity_range, within

FACTOR_HINTS = {PRIOR: "近一两年是否因同类违法行为被查处过，几次"}
UNSTATED = object()  # a factor that only some tiers of a violation have, and the facts do not state


# ---- tiers --------------------------------------------------------------------------------
def judge(tier: Tier, facts: str, prior, qty: dict[str, float], best_text: dict[str, str | None]) -> tuple[int, int]:
    """(satisfied, contradicted) conditions of one tier."""
    sat = con = 0
    for c in tier.conds:
        if c.is_prior:
            want = prior_from_tier(c.value, tier.bounds, tier.counts_current)
            if prior is None or want is None:
                continue
            if prior[0] >= want[0] and prior[1] <= want[1]:
                sat += 1
            elif prior[1] < want[0] or prior[0] > want[1]:
                con += 1
            continue
        rng = quantity_range(c.value)
        value = fact_value(qty, rng[0], c.factor + c.value) if rng else None
        if value is not None:
            inside = within(value, rng, tier.bounds)
            sat, con = (sat + 1, con) if inside else (sat, con + 1)
            continue
        chosen = best_text.get(c.factor, UNSTATED)
        if chosen is UNSTATED:
            # a factor only some tiers have (「造成重大生态环境影响…」): an aggravating circumstance the
            # officer would state; unstated, it does not apply
            con += 1
        elif isinstance(chosen, frozenset):  # narrowed, not decided (facts.narrow_values)
            con += c.value not in chosen
        elif chosen is not None:
            sat, con = (sat + 1, con) if chosen == c.value else (sat, con + 1)
    return sat, con

def choose_text_values(group: Group, facts: str, qty: dict[str, float]) -> dict[str, object]:
    """Per text factor: the value the facts state; a frozenset of the values still possible when they
    decide only part of a value made of clauses (facts.narrow_values); None when they do not say or
    cannot be told apart."""
    # 「已经责令限期拆除」 says what was ordered, not what the party did: the order's words choose no 整改情况
    facts = ORDER.sub("责令", facts)
    widened = widen(facts)  # 过了期限 → 逾期未改正, 没填 → 未填写 (colloquial_terms.tsv); «没超标» widens to nothing
    values: dict[str, dict[str, None]] = defaultdict(dict)
    for t in group.tiers:
        for c in t.conds:
            rng = quantity_range(c.value)
            if not c.is_prior and not (rng and fact_value(qty, rng[0], c.factor + c.value) is not None):
                values[c.factor][c.value] = None
    shared = {f for f in values if all(any(c.factor == f for c in t.conds) for t in group.tiers)}
    out: dict[str, object] = {}
    for factor, vals in values.items():
        value = choose_value(list(vals), widened, act=group.violation)
        if value is None and len(vals) > 2:
            narrowed = narrow_values(list(vals), widened, act=group.violation)
            if narrowed and len(narrowed) < len(vals):
                out[factor] = next(iter(narrowed)) if len(narrowed) == 1 else frozenset(narrowed)
                continue
        out[factor] = value if value is not None or factor in shared or len(vals) > 1 else UNSTATED
    return out

def missing_facts(candidates: list[Tier], prior, qty: dict[str, float], chosen: dict[str, str | None]) -> list[str]:
    """The facts that would decide between the candidate tiers."""
    if len(candidates) < 2:
        return []
    differing: dict[str, dict[str, None]] = defaultdict(dict)  # values in the table's order
    factors = list(dict.fromkeys(c.factor for tier in candidates for c in tier.conds))
    for t in candidates:
        present = {c.factor: c.value for c in t.conds}
        for factor in factors:
            differing[factor][present.get(factor, "（未列明）")] = None
    out = []
    for factor, vals in differing.items():
        if len(vals) < 2:
            continue
        if factor == PRIOR:
            if prior is None:
                out.append(FACTOR_HINTS[PRIOR])
            continue
        rng = next((r for r in map(quantity_range, vals) if r), None)
        decided = chosen.get(factor) is not None and not isinstance(chosen.get(factor), frozenset)
        if (rng and fact_value(qty, rng[0], factor + "".join(vals)) is not None) or decided:
            continue  # decided by the facts, or an aggravating circumstance they do not state
        label = factor if factor != "违法情节" else "具体违法情节"
        out.append(f"{label}：{' / '.join(v for v in vals if v != '（未列明）')[:200]}")
    return out


def as_question(missing: str) -> str:
    """A missing fact as a question: 「整改情况：限期内改正 / 逾期未改正」 → 「整改情况是哪一种：限期内改正，还是逾期未改正？」."""
    if missing == "违法行为":
        return "当事人具体做了什么（违法行为、涉及的物品或设施、地点）？"
    if missing == FACTOR_HINTS[PRIOR]:
        return "近一两年是否因同类违法行为被查处过？如有，共几次（是否含本次）？"
    factor, _, values = missing.partition("：")
    options = [v.strip() for v in values.split(" / ") if v.strip()]
    if len(options) < 2:
        return f"{missing}？"
    return f"{factor}是哪一种：{'、'.join(options[:-1])}，还是{options[-1]}？"
