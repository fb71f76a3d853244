"""One 情节 written twice in a table, once with its list of kinds cut short: the 江门 参照表 lists 「应编制环境影响报告书
项目，属于化工、电镀、……、炼油、危险废物处置和利用项目的」 for the order's range and 「……、炼油项目的」 for the range after
the deadline. Read as two values, they split the facts' support between them (neither is chosen; dev14 d14-020 got
the 报告表 row) and the second row is not seen as the first one's overdue stage (overdue.mark_overdue)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.discretion.facts import Condition

_TAIL = re.compile(r"(?:项目|企业|行业|单位)?的?$")


def cut_short(short: str, full: str) -> bool:
    """Whether ``short`` is ``full`` with its closing list of kinds cut short: without a closing 项目/企业/行业/单位
    and 的, ``short`` is the start of ``full`` and ``full`` goes on with another item of the list («、…»).
    «……炼焦、炼油项目的» is «……炼焦、炼油、危险废物处置和利用项目的» cut short; «不属于化工……» is not «属于化工……»."""
    a, b = _TAIL.sub("", short), _TAIL.sub("", full)
    return len(a) >= 8 and len(b) > len(a) and b.startswith(a) and b[len(a)] == "、"


def same_situation(a: str, b: str) -> bool:
    """Whether two 情节 texts are one: equal, or one is the other cut short (:func:`cut_short`)."""
    return a == b or cut_short(a, b) or cut_short(b, a)


def unify_cut_lists(rows: Sequence[list["Condition"]]) -> int:
    """In one group's rows (their condition lists, changed in place), each value that is another value of the same
    factor cut short (:func:`cut_short`) becomes that fuller value. Returns how many conditions were changed."""
    values: dict[str, set[str]] = {}
    for conds in rows:
        for c in conds:
            values.setdefault(c.factor, set()).add(c.value)
    changed = 0
    for conds in rows:
        for i, c in enumerate(conds):
            full = next((v for v in sorted(values[c.factor], key=lambda v: (-len(v), v)) if cut_short(c.value, v)), None)
            if full is not None:
                conds[i] = replace(c, value=full)
                changed += 1
    return changed
