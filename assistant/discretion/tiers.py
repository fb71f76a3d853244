"""One violation's tiers against the facts: which conditions each tier satisfies or contradicts (``judge``), the
value the facts give each text factor (``choose_text_values``), and what would still decide between the tiers left
(``missing_facts``, ``as_question``)."""

from __future__ import annotations

import os.path
import re
from collections import defaultdict
from functools import lru_cache

from assistant.discretion.answers import open_questions_dropped, split_open_questions
from assistant.discretion.facts import bigrams, choose_value, value_clauses
from assistant.discretion.narrowing import narrow_values
from assistant.discretion.facts import widened as widen
from assistant.discretion.groups import Group, Tier
from assistant.discretion.overdue import ORDER
from assistant.discretion.prior import PRIOR, prior_from_tier
from assistant.discretion.quantities import fact_value, quantity_range, undecided, within

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
        if rng and any((said := best_text.get((key, c.factor, rng[0]))) and said[1].get(c.value) not in (None, said[0])
                       for key in (BAND_KIND, BAND_CLAUSE)):
            # a band of another material («涉及超标污水2吨以下» when the facts name 危险废物, dev4 d4-031), or with
            # a clause the facts decide otherwise («…200平方米以下，不涉及环境敏感区的» beside a 敏感区, dev4 d4-032)
            con += 1
            continue
        value = fact_value(qty, rng[0], c.factor + c.value) if rng else None
        if value is not None and undecided(qty, rng, value):
            continue  # a guess at the band's bound decides neither side («大概一吨上下»): the officer is asked
        if value is not None:
            inside = within(value, rng, tier.bounds)
            sat, con = (sat + 1, con) if inside else (sat, con + 1)
            continue
        chosen = best_text.get(c.factor, UNSTATED)
        if chosen is UNSTATED:
            # a factor only some tiers have (「造成重大生态环境影响…」): an aggravating circumstance the
            # officer would state; unstated, it does not apply
            con += 1
        elif isinstance(chosen, frozenset):  # narrowed, not decided (narrowing.narrow_values)
            con += c.value not in chosen
        elif chosen is not None:
            sat, con = (sat + 1, con) if chosen == c.value else (sat, con + 1)
    return sat, con

def value_facts(facts: str) -> str:
    """The facts as a tier's text values are chosen on: the order's words reduced to 「责令」 (「已经责令限期拆除」 says
    what was ordered, not what the party did, so it chooses no 整改情况), without the questions they leave open
    (answers.open_questions_dropped: «是不是在限批区，还没核实» states no place), then widened with the colloquial terms
    (过了期限 → 逾期未改正, 没填 → 未填写: colloquial_terms.tsv; «没超标» widens to nothing)."""
    return widen(ORDER.sub("责令", open_questions_dropped(facts)))


def stated_value(values: list[str], facts: str, act: str = "") -> str | None:
    """The one of ``values`` (a text factor's values, 「配合调查」 / 「不配合调查」) the facts state, as the advisor
    chooses it for a tier (``choose_text_values``); None when they do not say or cannot be told apart."""
    return choose_value(values, value_facts(facts), act=act)


def choose_text_values(group: Group, facts: str, qty: dict[str, float],
                       asked: str | None = None) -> dict[str, object]:
    """Per text factor: the value the facts state; a frozenset of the values still possible when they
    decide only part of a value made of clauses (narrowing.narrow_values); None when they do not say, cannot be
    told apart, or leave open a question that names one of them (``asked``: the questions the whole facts leave
    open, answers.split_open_questions; read from ``facts`` when None — the advisor passes them, its ``facts``
    come without them, prior.stated_only)."""
    widened = value_facts(facts)
    values: dict[str, dict[str, None]] = defaultdict(dict)
    for t in group.tiers:
        for c in t.conds:
            rng = quantity_range(c.value)
            if not c.is_prior and not (rng and fact_value(qty, rng[0], c.factor + c.value) is not None):
                values[c.factor][c.value] = None
    shared = {f for f in values if all(any(c.factor == f for c in t.conds) for t in group.tiers)}
    out: dict[object, object] = {}
    asked_words = bigrams(split_open_questions(facts)[1] if asked is None else asked)
    for (factor, dim), kinds in band_kinds(group).items():  # which material the banded rows are about
        if (pick := named_kind(set(kinds.values()), widened)) is not None:
            out[(BAND_KIND, factor, dim)] = (pick, kinds)
    for (factor, dim), said in band_clauses(group).items():
        if (pick := choose_value(sorted(set(said.values())), widened, act=group.violation)) is not None:
            out[(BAND_CLAUSE, factor, dim)] = (pick, said)
    for factor, vals in values.items():
        if asked_words and _asked_about(list(vals), asked_words):
            out[factor] = None  # «是不是在限批区或者敏感区，还没核实»: the officer is asked, no value is guessed
            continue
        value = choose_value(list(vals), widened, act=group.violation)
        if value is None and len(vals) > 2:
            narrowed = narrow_values(list(vals), widened, act=group.violation)
            if narrowed and len(narrowed) < len(vals):
                out[factor] = next(iter(narrowed)) if len(narrowed) == 1 else frozenset(narrowed)
                continue
        out[factor] = value if value is not None or factor in shared or len(vals) > 1 else UNSTATED
    return out


def _asked_about(values: list[str], asked: set[str]) -> bool:
    """Whether a question the facts leave open (``asked``: its bigrams) names what tells one of ``values`` from the
    others («…是一级还是二级…» names 一级 of 「饮用水水源一级保护区」)."""
    sets = [bigrams(v) for v in values]
    return any((s - set().union(*(o for j, o in enumerate(sets) if j != i))) & asked for i, s in enumerate(sets))


BAND_KIND = "band kind"  # key of ``choose_text_values``' entry for the material of banded rows
_NUMBER = re.compile(r"[\d０-９]|[一二三四五六七八九十两百千]+(?=[\d一二三四五六七八九十两百千万吨千公斤亩个天日月年头只羽人次倍平])")
_BAND_WORDS = re.compile(r"超过|不足|小于|大于|低于|不超过|为|在|＜|＞|[，,（）()的]")


def _band_values(group: Group) -> tuple[tuple[str, str], ...]:
    """The (factor, value) of the group's quantity conditions: what ``band_kinds`` and ``band_clauses`` read; their
    readings are cached by these values (a group's rows do not change, and every advice reads its picked groups)."""
    return tuple((c.factor, c.value) for t in group.tiers for c in t.conds if not c.is_prior and quantity_range(c.value))


def band_kinds(group: Group) -> dict[tuple[str, str], dict[str, str]]:
    """Per (factor, dimension of quantity_range), the material each quantity band of the group is about, when the
    bands name two or more: 江门's 「向农用地排放…」 rows read «涉及超标污水2吨以下» / «涉及一般固体废物10吨以下» / «涉及危险废物1吨以下»
    → {(违法情节, t): {band value: 超标污水 / 一般固体废物 / 危险废物}}. The kind is the text before the number, less
    what all the group's bands share and the words of a band (超过, 不足, 的); factors whose bands differ only in
    those words («以拖延等方式…超过» / «…的（») have no kinds."""
    return _kinds_of(_band_values(group))


@lru_cache(maxsize=2048)
def _kinds_of(bands: tuple[tuple[str, str], ...]) -> dict[tuple[str, str], dict[str, str]]:
    heads: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for factor, value in bands:
        if m := _NUMBER.search(value):
            heads[(factor, quantity_range(value)[0])][value] = value[:m.start()]
    out: dict[tuple[str, str], dict[str, str]] = {}
    for key, by_value in heads.items():
        common = len(os.path.commonprefix(list(by_value.values())))
        kinds = {v: _BAND_WORDS.sub("", h[common:]) for v, h in by_value.items()}
        if len({k for k in kinds.values() if k}) >= 2:
            out[key] = {v: k for v, k in kinds.items() if k}
    return out


BAND_CLAUSE = "band clause"  # … and for the clauses beside the band


def band_clauses(group: Group) -> dict[tuple[str, str], dict[str, str]]:
    """Per (factor, dimension), the clauses without a number that a band row adds, when the group's bands add two
    or more: 江门's 「实施风险管控、修复活动…」 rows «污染物迁移扩散造成周边土壤污染面积100平方米以上200平方米以下，
    涉及环境敏感区的» / «…，不涉及环境敏感区的» → {band value: 涉及环境敏感区 / 不涉及环境敏感区}; the facts choose
    one as any text value (facts.choose_value)."""
    return _clauses_of(_band_values(group))


@lru_cache(maxsize=2048)
def _clauses_of(bands: tuple[tuple[str, str], ...]) -> dict[tuple[str, str], dict[str, str]]:
    out: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for factor, value in bands:
        # a clause that is a band itself («林格曼二级以下»: its number is a grade) is no clause beside the band
        if extra := [p for p in value_clauses(value) if not _NUMBER.search(p) and quantity_range(p) is None]:
            out[(factor, quantity_range(value)[0])][value] = "，".join(dict.fromkeys(extra))
    return {k: v for k, v in out.items() if len(set(v.values())) >= 2}


def named_kind(kinds: set[str], widened: str) -> str | None:
    """The one kind of ``band_kinds`` the facts name (``widened``: facts.widened, so 「危废」 is 危险废物 and «不涉及
    危废» names none); None when none or several are named, or when the named one is part of another kind
    («表土» / «表土不符合土壤环境质量标准», «违法所得» / «没有违法所得或者违法所得»: the words cannot tell)."""
    def parts(kind: str) -> list[str]:
        return [p for p in re.split(r"或者|或|、", kind.removeprefix("涉及")) if len(p) >= 2]

    named = [k for k in kinds if any(p in widened for p in parts(k))]
    if len(named) != 1:
        return None
    core = named[0].removeprefix("涉及")
    return None if any(k != named[0] and core in k for k in kinds) else named[0]


def missing_facts(candidates: list[Tier], prior, qty: dict[str, float], chosen: dict[str, str | None],
                  facts: str = "") -> list[str]:
    """The facts that would decide between the candidate tiers, as 「factor：value / value」 labels: per factor whose
    values differ, unless the facts decide it (a count, a number in one band, a text value chosen). When the number
    falls in a band two rows share and a clause tells them apart («涉及面积1000平方米以上10000平方米以下的» / «…，拒不
    改正的»), that clause is asked unless ``facts`` (the facts as stated) choose it."""
    if len(candidates) < 2:
        return []
    differing: dict[str, dict[str, None]] = defaultdict(dict)  # values in the table's order
    factors = list(dict.fromkeys(c.factor for tier in candidates for c in tier.conds))
    present = []  # per tier, per factor, its values: a 情节 of clauses has several of the plain factor
    shared: dict[str, set[str]] = {}
    for t in candidates:
        said: dict[str, list[str]] = defaultdict(list)
        for c in t.conds:
            said[c.factor].append(c.value)
        present.append(said)
    for factor in factors:
        # a value every candidate has decides nothing («未造成重大生态环境影响…» beside «违法所得10万元以上» and
        # «没有违法所得或者违法所得不足十万元», dev16 d16-028: the amount was not asked)
        shared[factor] = set.intersection(*(set(p.get(factor, ())) for p in present))
        for p in present:
            for v in [v for v in p.get(factor, ()) if v not in shared[factor]] or ["（未列明）"]:
                differing[factor][v] = None
    out = []
    for factor, vals in differing.items():
        if len(vals) < 2:
            continue
        if factor == PRIOR:
            if prior is None:
                out.append(FACTOR_HINTS[PRIOR])
            continue
        rng = next((r for r in map(quantity_range, vals) if r), None)
        decided = (chosen.get(factor) is not None and not isinstance(chosen.get(factor), frozenset)
                   and chosen.get(factor) not in shared[factor])  # a value they all share decides nothing
        value = fact_value(qty, rng[0], factor + "".join(vals)) if rng else None
        if value is not None and not any(undecided(qty, r, value) for r in map(quantity_range, vals) if r):
            holding = [v for v in vals if (r := quantity_range(v)) and r[0] == rng[0] and within(value, r)]
            if len(holding) < 2 or (facts and choose_value(holding, value_facts(facts)) is not None):
                continue  # decided by the facts: the number, or the number and a clause they state
            # the band the facts' number falls in, told apart by a clause («涉及面积1000平方米以上10000平方米以下的»
            # / «…，拒不改正的», dev13 d13-033): the question is between those values only
            vals = dict.fromkeys(holding)
        if decided and value is None:
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
