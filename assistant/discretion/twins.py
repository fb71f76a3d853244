"""The same act worded by two tables (广东 罚款金额裁量表 ↔ 江门 参照表): ``twins`` finds, among the violation texts of
the 裁量 tables, those that state one act in nearly the same words, so that the matcher can keep them together
(matching.ViolationMatcher.rank); the advisor reads the same threshold for the place's own wording of an act."""

from __future__ import annotations

import re
from collections import Counter

from assistant.discretion.facts import bigrams
from assistant.discretion.groups import SAME_ACT_TIERS, Group, same_act_overlap

# bigram Jaccard of two violation texts that state one act (广东 «……防治扬尘污染» ↔ 江门 «……防治扬尘污染的»)
TWIN = 0.8
TWIN_SHARE = 0.99  # a twin that joins scores below the candidate it twins (ties sort by text, which would mix them)


# how the tables open and close the same act differently: «未按照规定设置危险废物识别标志» ↔ «不设置危险废物识别标志的»
# (a break test: the 广东 row fell short of a gate while its 江门 twin passed, and was not joined to it)
# The generic subject the 广东 table puts before many acts («企业事业单位和其他生产经营者未按照规定设置标志牌») and the
# forms of the deadline clause («，且逾期未改正» / «，逾期不改正的» / «，经责令逾期不改正的») are no difference either (dev8
# d8-006: the 广东 标志牌 row fell short of a gate while its 江门 twin passed; 7 pairs of the default corpus join, all
# the same act)
_TWIN_FORM = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[）)])?(?:企业事业单位和其他生产经营者)?"
                        r"(?:违反规定|未按照规定|不按照规定|未按规定|不按规定|未依法|未|不)|的$")
_OVERDUE_FORM = re.compile(r"[，,]?(?:且|经责令)?逾期(?:不|未)改正")


def twins(violations: list[str]) -> dict[int, list[int]]:
    """For each violation (by index), the others that state the same act in nearly the same words — in practice
    the other table's row (bigram Jaccard ≥ ``TWIN``); indices without a twin are left out. About 0.1 s for the 509 violations of the default
    corpus."""
    grams = [_twin_grams(v) for v in violations]
    by_gram: dict[str, list[int]] = {}
    for i, g in enumerate(grams):
        for b in g:
            by_gram.setdefault(b, []).append(i)
    out: dict[int, list[int]] = {}
    for i, g in enumerate(grams):
        shared: Counter = Counter(j for b in g for j in by_gram[b] if j != i)
        for j, n in shared.items():
            if n / (len(g | grams[j]) or 1) >= TWIN:
                out.setdefault(i, []).append(j)
    return out


def _twin_grams(violation: str) -> set[str]:
    return bigrams(_TWIN_FORM.sub("", _OVERDUE_FORM.sub("，逾期未改正", violation)))


def twin_overlap(a: str, b: str) -> float:
    """Bigram Jaccard (0–1) of two violation texts as ``twins`` compares them (opening, generic subject and deadline
    wording set aside); ≥ ``TWIN``: one act."""
    x, y = _twin_grams(a), _twin_grams(b)
    return len(x & y) / (len(x | y) or 1)


def ranged_stand_in(picked: list[tuple[float, float, Group]], lapsed: list[tuple[float, float, Group]]
                    ) -> tuple[float, float, Group] | None:
    """The group whose ranged tiers stand in front of a factor table's weight rows (``picked[0]``, a weighted
    group), from the other ``picked`` (``(score, coverage, group)``, best first) that carry ranges and are the place's
    own lapsed table (``lapsed``) or the same act (bigram Jaccard ≥ ``SAME_ACT_TIERS``), in this order: the factor
    table's twin — the same act in the other table's words (``TWIN``); a row of nearly the act (Jaccard ≥
    ``SAME_ACT_TIERS``); then, picked or not, the place's own lapsed row of one of the acts the factor row joins
    (``part_of`` ≥ ``PART_OF``); else the best. None when there is none. (dev2 d2-035: 广东's factor rows for 「未按照
    规定安装水污染物排放自动监测设备…」 put a similar act's ranges, 「未按照排污许可证规定安装、使用…」, before 江门's own
    rows of that very act.)"""
    weighted = picked[0][2].violation
    fitting = [r for r in picked if not r[2].weighted
               and (r in lapsed or same_act_overlap(r[2].violation, weighted) >= SAME_ACT_TIERS)]
    twin = next((r for r in fitting if twin_overlap(r[2].violation, weighted) >= TWIN), None)
    # … else a row of nearly the act, picked (dev2 d2-049: 江门's 工业固体废物 row for 广东's 危险废物 factor row)
    near = twin or next((r for r in fitting if same_act_overlap(r[2].violation, weighted) >= SAME_ACT_TIERS), None)
    if near is not None:
        return near
    # the place's own lapsed row of one of the acts the factor table's row joins («擅自倾倒……，或者未采取相应防范措施，
    # 造成……» ↔ 江门 «未采取相应防范措施，造成……的»), however far the matcher put it, before a merely similar act
    # (dev3 d3-037: 江门's 扬尘 row, lapsed and picked, stood in front of 广东's 固体废物 factor rows)
    parts = [(held, r) for r in lapsed if not r[2].weighted and (held := part_of(r[2].violation, weighted)) >= PART_OF]
    return max(parts, key=lambda p: p[0])[1] if parts else (fitting[0] if fitting else None)


PART_OF = 0.8  # share of a row's bigrams another row's text holds: the one act is part of the other's


def part_of(part: str, whole: str) -> float:
    """The share (0–1) of ``part``'s bigrams that ``whole`` holds."""
    x = bigrams(part)
    return len(x & bigrams(whole)) / (len(x) or 1)
