"""Refusing or obstructing an inspection (拒绝、阻挠监督检查, 拒不配合检查, 在接受检查时弄虚作假) is an act every
environmental law punishes in its own words (水污染防治法, 大气污染防治法, 固体废物污染环境防治法, 土壤污染防治法,
放射性污染防治法 …), and both Guangdong tables list each law's row. Which law applies is the one for what was being
inspected (特别法: a 探伤 company's inspection is 放射性污染防治法's, a 污水排放口's 水污染防治法's), not the wording
of the refusal, which the rows share («拖了四十分钟才开门» fits them all). When the facts' best act is an
obstruction (or they tell one) and they name what was inspected
(media.fact_media), the obstruction rows of that medium's law — in every table, ranked or not — move up
(:func:`inspected_medium_first` says how far)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.discretion.media import fact_media, law_medium

if TYPE_CHECKING:
    from assistant.discretion.groups import Group

_OBSTRUCTION = re.compile(r"(?:拒绝|阻挠|拒不配合|拒不接受)[^，,。；;]{0,40}?检查")
LEAD = 1.01  # the medium's rows are scored just above (or below) the act they are placed before (or after)


def is_obstruction(violation: str) -> bool:
    """Whether a violation is refusing or obstructing an inspection («被检查者拒不配合检查…», «拒绝现场检查…»)."""
    return bool(_OBSTRUCTION.search(violation or ""))


def group_medium(group: "Group") -> str | None:
    """The medium of the law a group's rows cite (media.law_medium), None when they cite no one medium's law."""
    if not group.tiers:
        return None
    r = group.tiers[0].chunk.record
    return law_medium(r.penalty_basis, r.violated_provision, r.category)


def same_inspection(a: "Group", b: "Group") -> bool:
    """Whether two groups are the obstruction of an inspection under the same medium's law (another table's row)."""
    return (is_obstruction(a.violation) and is_obstruction(b.violation)
            and (m := group_medium(a)) is not None and m == group_medium(b))


def inspected_medium_first(ranked: list[tuple[float, float, "Group"]], facts: str, obstructions: list["Group"],
                           obstructed: bool = False) -> list[tuple[float, float, "Group"]]:
    """``ranked`` (score, coverage, group), best first, with the obstruction rows of the law of the one medium the
    facts name moved up; those ranked keep their order, the others of that law (from ``obstructions``, every table's
    obstruction groups) follow them. Unchanged when the facts name no medium or more than one, or when the best is
    another act and the facts tell no obstruction (``obstructed``, spoken.obstructed).

    - The best is an obstruction: that law's rows first, the rest after them.
    - The best is another act and an obstruction is told: when the act's table grades it by 配合调查, the obstruction
      is that 情节 (dev13 d13-017: «复查时拖着不开门，记录也不给» of a 消毒 duty) and its rows come after the act; else
      the first of them leads, the act second and the other rows after it — the act stays among the two the advisor
      reports («锁门不让进，废水直排河涌»), and the facts that only say what was inspected («查隐患排查情况…拖了四十来分钟
      才让我们进去», dev4 d4-033) get the obstruction first.

    Scores stay in descending order (the advisor cuts at a share of the best)."""
    if not ranked or not (obstructed or is_obstruction(ranked[0][2].violation)):
        return ranked
    media = fact_media(facts)
    if len(media) != 1:
        return ranked
    fits = [r for r in ranked if is_obstruction(r[2].violation) and group_medium(r[2]) in media]
    have = {r[2].key for r in fits}
    fits += [(0.0, 0.0, g) for g in obstructions if g.key not in have and group_medium(g) in media]
    if not fits:
        return ranked
    keys = {g.key for _, _, g in fits}
    rest = [r for r in ranked if r[2].key not in keys]
    best = max(ranked[0][0], 0.0)

    def below(score: float, rows: list[tuple[float, float, "Group"]]) -> list[tuple[float, float, "Group"]]:
        return [(score * LEAD ** -(k + 1), c, g) for k, (_, c, g) in enumerate(rows)]

    if is_obstruction(ranked[0][2].violation):
        out = [(best * LEAD ** (len(fits) - k), c, g) for k, (_, c, g) in enumerate(fits)] + rest
    elif _graded_by_cooperation(ranked[0][2]):
        out = [ranked[0]] + below(best, fits) + rest[1:]
    else:
        out = [(best * LEAD, fits[0][1], fits[0][2]), ranked[0]] + below(best, fits[1:]) + rest[1:]
    return sorted(out, key=lambda r: -r[0])


def _graded_by_cooperation(group: "Group") -> bool:
    """Whether a group's rows are graded by the party's cooperation with the investigation (配合调查情况)."""
    return any("配合" in c.factor for t in group.tiers for c in t.conds)
