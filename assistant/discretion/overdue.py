"""Tiers for not complying by the deadline, where a table states them only by repeating its 情节 with a higher range.

Many 罚则 fine an act twice: «责令限期拆除，处十万元以上五十万元以下的罚款；逾期不拆除的，强制拆除……处五十万元以上一百万元
以下的罚款» (水污染防治法 第八十四条 before 生态环境法典; 建设项目环境保护管理条例 第二十二、二十三条 have the same
shape for 改正). The 江门 参照表 lists such a group's 情节 once with 「责令限期拆除，处……」 and then again, the same
情节 with a higher range and without the order — the rows of 逾期不拆除 / 逾期未改正, though no column says so.

``mark_overdue`` gives each repeated row the condition 整改情况 = 逾期不拆除 (or 逾期未改正). The first rows get none:
overdue is an aggravating circumstance the officer states («到期没拆»); unstated, the order's own range applies —
the fine first imposed, before any deadline has passed.
"""

from __future__ import annotations

import re
from typing import Sequence

from assistant.discretion.facts import Condition

FACTOR = "整改情况"
_ORDERED = re.compile(r"^责令(?:限期|立即)?(拆除|改正|整改|治理)")
_NUMBER = re.compile(r"^\s*[\d一二三四五六七八九十]+\s*[：:.、]\s*")
_PERSONS = re.compile(r"^对(?:责任人|直接负责)")  # a third set of rows: the fines of the persons responsible


def _situation(circumstance: str) -> str:
    """A 情节 without its tier number and with the tables' spelling slips evened out (防止 / 防治)."""
    return _NUMBER.sub("", circumstance or "").replace("防止", "防治").strip()


def mark_overdue(tiers: Sequence[tuple[list[Condition], str, str]]) -> list[int]:
    """Adds the overdue condition to the rows that repeat an ordered row's 情节.

    Args:
        tiers: one group's rows in the table's order: (their condition list, 情节, 处罚幅度 text); the lists are
            extended in place.
    Returns:
        The indices of the rows marked (empty when the group is not of this shape).
    """
    ordered: dict[str, str] = {}  # 情节 → the verb of the order before its first range (拆除 / 改正)
    marked: list[int] = []
    for i, (conds, circumstance, range_text) in enumerate(tiers):
        text = (range_text or "").strip()
        situation = _situation(circumstance)
        if not situation:
            continue
        m = _ORDERED.match(text)
        if m:
            ordered.setdefault(situation, m.group(1))
            continue
        verb = ordered.get(situation)
        if verb is None or _PERSONS.match(text) or any(c.factor == FACTOR for c in conds):
            continue
        conds.append(Condition(FACTOR, "逾期不拆除" if verb == "拆除" else "逾期未改正"))
        marked.append(i)
    return marked
