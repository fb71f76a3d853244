"""Graded attributes: a table row that grades a thing by size or strength («放射性废液量大活度低»,
«放射性固体废物量小活度较高的») and the facts that say the same in an officer's words («量挺大，不过测下来活度很低»,
«量不多就一小箱，但活度偏高»).

A row's grade and the facts' grade are read the same way — an attribute (量, 活度, 浓度), the adverbs an officer
puts between (挺, 很, 比较, 偏), and a grade word (大 / 多 / 高 → high; 小 / 少 / 低 → low), a negator in between
turning it round («量不大», «活度不高»). Character bigrams could not tell «量挺大» from «量小»: they share nothing
with «量大» (dev16 d16-011, d16-012).
"""

from __future__ import annotations

import re

HIGH, LOW = "high", "low"
_ATTRIBUTE = r"活度|浓度|(?<![质测计估考商能力重含剂])量"  # not 质量, 测量, 计量, 剂量 (a dose is no quantity graded)
_GRADE = {"大": HIGH, "多": HIGH, "高": HIGH, "小": LOW, "少": LOW, "低": LOW}
# a row writes the grade right after the attribute («量大», «活度较高»)
_ROW = re.compile(rf"({_ATTRIBUTE})(?:较|偏|很)?([大小高低多少])")
# the facts may put adverbs and a negator between («量挺大», «活度也不算高», «量比较少»); not a clause break, not a
# number («量超过了一吨多» is a quantity, quantities.py reads it)
_SAID = re.compile(rf"({_ATTRIBUTE})([^，,。；;！!？?、\d一二三四五六七八九十两百千万大小高低多少]{{0,4}}?)([大小高低多少])(?![不没]?[大小高低多少]|[概约致体])")
_NEGATOR = re.compile(r"不|没|未|并非")


def row_grades(value: str) -> dict[str, str]:
    """The grades a table value states: «放射性固体废物量小活度较高的» → {"量": "low", "活度": "high"}; {} when none."""
    return {m.group(1): _GRADE[m.group(2)] for m in _ROW.finditer(value)}


def stated_grades(facts: str) -> dict[str, str]:
    """The grades the facts state, the last word on an attribute winning: «量挺大，不过测下来活度很低» →
    {"量": "high", "活度": "low"}; «量不大» → {"量": "low"}; «活度高不高还没测» states none."""
    out: dict[str, str] = {}
    for m in _SAID.finditer(facts):
        grade = _GRADE[m.group(3)]
        if _NEGATOR.search(m.group(2)):
            grade = LOW if grade == HIGH else HIGH
        out[m.group(1)] = grade
    return out


def grade_agreement(value: str, facts: str) -> int:
    """Per attribute a value grades and the facts grade too: +1 when they agree, −1 when not; 0 when they share none.

    Args:
        value: one table value (a 情节 or one of its clauses).
        facts: the officer's facts (widened or not: the legal terms appended say the same grades).

    Returns:
        The sum over the attributes both grade (an int in −2 … 2 for the 量 / 活度 rows).
    """
    row = row_grades(value)
    if not row:
        return 0
    said = stated_grades(facts)
    return sum(1 if said[a] == g else -1 for a, g in row.items() if a in said)
