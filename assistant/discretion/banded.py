"""Acts graded by what the facts count: an officer who writes «一共4项不合规» or «大概拉了30吨» states the number
because it grades the act; among acts that fit the words about as well, one whose tiers are banded by that number
(«违反相关排放标准、技术规范类别的项数：3项以上5项以上») comes before one whose tiers ignore it (dev16 d16-002:
the 密闭 act, with no count in its rows, ranked first).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from assistant.discretion.quantities import fact_value, quantity_range, within
from assistant.discretion.ranking import moved_ahead

if TYPE_CHECKING:
    from assistant.discretion.groups import Group

BANDED_SHARE = 0.85  # an act banded by the facts' number moves ahead only from within this share of the best score
_INCIDENTAL = {"day"}  # durations: «给了半个月整改», «停用两年多了» date the case more often than they grade it


def _bands(group: "Group") -> list[tuple[object, tuple[str, float, float], str]]:
    """(tier, band, band text) of every quantity condition of the group's tiers."""
    return [(t, rng, c.factor + c.value) for t in group.tiers for c in t.conds
            if not c.is_prior and (rng := quantity_range(c.value)) is not None]


_COUNTER = re.compile(r"\d+(?:\.\d+)?\s*([\u4e00-\u9fff])")  # the counter word of a band («3项以上» → 项)


def _counted_alike(band_text: str, facts: str) -> bool:
    """For a band of things counted (quantities' "unit": 项, 台, 个, 套 …), whether the facts count in the band's own
    counter word: «3台设备没有密闭» is no «3项以上5项以下» (a review, 2026-12-05)."""
    m = _COUNTER.search(band_text)
    return m is None or re.search(r"[\d一二两三四五六七八九十几]\s*" + re.escape(m.group(1)), facts) is not None


def graded_by(group: "Group", qty: dict[str, float], facts: str = "") -> bool:
    """Whether one of the group's bands is in a dimension the facts state (durations aside) and holds their value
    (a count in the band's own counter word)."""
    return any(rng[0] not in _INCIDENTAL and (v := fact_value(qty, rng[0], text)) is not None
               and within(v, rng, t.bounds) and (rng[0] != "unit" or _counted_alike(text, facts))
               for t, rng, text in _bands(group))


def speaks_of(group: "Group", qty: dict[str, float]) -> bool:
    """Whether one of the group's bands is in a dimension the facts state, whatever the value: an act banded by 吨
    says nothing of «一百五十平方» (dev19 d19-022: 向农用地排放 … 污泥, banded by 吨, before the 复垦 act banded by
    涉案面积). Durations count here (an act banded by 违法行为持续时间 keeps its place when the facts date the case),
    though they move no act ahead (``graded_by``; a review, 2026-12-05)."""
    return any(fact_value(qty, rng[0], text) is not None for _, rng, text in _bands(group))


def banded_first(ranked: list[tuple[float, float, "Group"]], qty: dict[str, float], facts: str = "",
                 twins_of: Callable[["Group"], Iterable["Group"]] | None = None) -> list[tuple[float, float, "Group"]]:
    """``ranked`` (score, coverage, group), best first, with the acts graded by a number the facts state
    (``graded_by``; the act as another table grades it counts too) within ``BANDED_SHARE`` of the best moved ahead
    of the acts above them with no band in a dimension the facts state (``speaks_of``); the places keep their
    scores (descending).
    Unchanged when the best is graded by it, the facts state no number, or no such act is near.

    Args:
        ranked: the matcher's candidates as (score, coverage, group).
        qty: quantities.quantities of the facts (base units).
        facts: the facts as read for conditions (their counter words).
        twins_of: the same act in the other tables (twins.py), when the caller knows them: 广东's 「钢铁、建材……等
            企业，未采取……措施」 grades by the region, 江门's same act by the 堆场's area (dev18 d18-023, «砂石料堆
            大概七百平方»).
    """
    def same_act(g: "Group") -> list["Group"]:  # the act in its own table and in the others
        return [g, *(twins_of(g) if twins_of else ())]

    def graded(g: "Group") -> bool:
        return any(graded_by(t, qty, facts) for t in same_act(g))

    if not ranked or not qty or graded(ranked[0][2]):
        return ranked
    best = max(ranked[0][0], 0.0)
    fit = [i for i, (score, _, g) in enumerate(ranked) if score >= BANDED_SHARE * best and graded(g)]
    if not fit:
        return ranked
    fits = set(fit)
    other = [i for i in range(fit[-1]) if i not in fits and not any(speaks_of(t, qty) for t in same_act(ranked[i][2]))]
    if not other or other[0] > fit[0]:
        return ranked
    return moved_ahead(ranked, fit, other)
