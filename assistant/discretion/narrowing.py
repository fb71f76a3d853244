"""Values of one factor that are conjunctions of clauses («环境影响报告表项目，未在密闭空间……，但按照规定安装……»):
the facts decide them clause by clause (``narrow_values``)."""

from __future__ import annotations

import re

from assistant.discretion.facts import _by_complement, choose_value, text_match, value_clauses


_AND = re.compile(r"(?<![并而尚，,；;])且")  # «编制环境影响报告表的建设项目且已投入运行……»: two clauses joined


def narrow_values(values: list[str], facts: str, act: str = "") -> set[str] | None:
    """The values still possible (see :func:`_narrow`): first split at commas and semicolons; when that decides
    nothing, at a joining 「且」 as well — 「编制环境影响报告表的建设项目且已投入运行……」 is 报告表 / 报告书 × 未投入 /
    已投入 (dev4 d4-035), while splitting there always would change the shape of rows read well as they are
    («已安装且按规定使用污染防治设施», dev o055)."""
    narrowed = _narrow(values, facts, act, value_clauses)
    if narrowed is None and any(_AND.search(v) for v in values):
        narrowed = _narrow(values, facts, act, lambda v: tuple(
            c.strip().removesuffix("的") for part in value_clauses(v) for c in _AND.split(part) if c.strip()))
    return narrowed


def _narrow(values: list[str], facts: str, act: str, split) -> set[str] | None:
    """The values still possible: pairs of a place and its complement («环境敏感区» / «环境敏感区以外的区域»,
    «环境敏感区或限批区» / «……以外的区域»), each read by ``_by_complement``; or values that are conjunctions of
    clauses: «环境影响报告表项目，未在密闭空间……，
    但按照规定安装……» against «环境影响报告书项目，……». Values with the same number of clauses are compared
    clause by clause; a clause the facts decide (``choose_value``) keeps the values that have it. A value of
    another shape («造成较大以上突发环境事件……») stays only when the facts state it.

    ``split``: a value → its clauses (``value_clauses``, or that and each joining 「且」).

    Returns:
        The compatible values, or None when no clause is decided (or the values are not of that shape).
    """
    pairs = [(b, o) for b in values for o in values
             if o != b and o.startswith(b) and re.search(r"以外|之外", o[len(b):])]
    if pairs and len({v for p in pairs for v in p}) == len(values):  # 敏感区 / 以外, 敏感区或限批区 / 以外
        picks = [_by_complement(list(p), facts) for p in pairs]
        return None if None in picks else set(picks)
    shapes: dict[int, list[str]] = {}
    for v in values:
        shapes.setdefault(len(split(v)), []).append(v)
    compatible: set[str] = set()
    decided = False
    shaped: set[str] = set()
    leads: dict[str, bool] = {}  # a decided lead clause → whether the facts decide every further clause too
    for k, multi in shapes.items():  # each shape by itself: «非重点行业…，初犯…» / «重点行业…，初犯…» beside 3-clause rows
        if k < 2 or len(multi) < 2:
            continue
        shaped |= set(multi)
        kept = set(multi)
        picks: list[str | None] = []
        for i in range(k):
            alternatives = list(dict.fromkeys(split(v)[i] for v in multi))
            pick = alternatives[0] if len(alternatives) < 2 else choose_value(alternatives, facts, act)
            picks.append(pick)
            if len(alternatives) > 1 and pick is not None:
                decided = True
                kept &= {v for v in multi if split(v)[i] == pick}
        compatible |= kept
        if picks[0] is not None and len({split(v)[0] for v in multi}) > 1:
            leads[picks[0]] = leads.get(picks[0], False) or None not in picks
    if not decided:
        return None
    for v in values:  # a one-clause value that is another shape's lead clause: «属于排污许可证重点管理行业的»
        if v in shaped:
            continue
        lead = split(v)[0] if split(v) else ""
        other_leads = {c for k, multi in shapes.items() if k > 1 for c in (split(m)[0] for m in multi)}
        if lead in other_leads and leads:
            # kept only when it is the lead the facts state and they leave a further clause open: «重点管理，
            # 检测总铬超标» is the 「重点管理行业，重金属…排放超标」 row, not the bare 「重点管理行业」 (o074)
            if lead in leads and not leads[lead]:
                compatible.add(v)
        elif text_match(v, facts) >= 0.5:
            compatible.add(v)
    return compatible
