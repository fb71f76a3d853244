"""Tiers for not complying by the deadline, where a table states them only by repeating its 情节 with a higher range.

Many 罚则 fine an act twice: «责令限期拆除，处十万元以上五十万元以下的罚款；逾期不拆除的，强制拆除……处五十万元以上一百万元
以下的罚款» (水污染防治法 第八十四条 before 生态环境法典; 建设项目环境保护管理条例 第二十二、二十三条 have the same
shape for 改正). The 江门 参照表 lists such a group's 情节 once with 「责令限期拆除，处……」 and then again, the same
情节 with a higher range and without the order — the rows of 逾期不拆除 / 逾期未改正, though no column says so.

``mark_overdue`` gives each repeated row (the same 情节, or it with its list of kinds cut short: lists.py) the
condition 整改情况 = 逾期不拆除 (or 逾期未改正). The first rows get none: overdue is an aggravating circumstance the officer states («到期没拆»); unstated, the order's own range applies —
the fine first imposed, before any deadline has passed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Sequence

from assistant.discretion.facts import Condition
from assistant.discretion.lists import same_situation

if TYPE_CHECKING:
    from assistant.discretion.groups import Group

FACTOR = "整改情况"
# what the officer ordered, not what the party did: «已经责令限期拆除» chooses no 整改情况 («叫他们限期修好», dev6 d6-002;
# «已经下了限期整改通知», dev10 d10-026)
ORDER = re.compile(r"(?:责令(?:其|他们|对方|企业|当事人)?(?:限期|立即)?|(?:下令|要求|让|叫|通知|命令|督促|下(?:了|达了?)|发了|开了|开出)"
                   r"(?:其|他|她|他们|对方|企业|当事人|厂里|厂方|公司|单位|老板)?(?:限期|立即))"
                   r"(?:改正|整改|拆除|停止(?:违法行为|建设|生产|排放)?|补办|修好|修复|补齐|补上|落实|完成|清理|清运)")
# a violation whose own text ends with the stage after the order: «……，逾期未改正», «……，拒不改正», «……逾期不改正的»
_STAGE = re.compile(r"[，,]?\s*(?:且|经责令)?(?:逾期(?:仍然?)?(?:未|不)(?:改正|整改|拆除|补办手续)|拒不(?:改正|停止违法行为))的?$")
_ORDERED = re.compile(r"^责令(?:限期|立即)?(拆除|改正|整改|治理)")
_NUMBER = re.compile(r"^\s*[\d一二三四五六七八九十]+\s*[：:.、]\s*")
_PERSONS = re.compile(r"^对(?:责任人|直接负责)")  # a third set of rows: the fines of the persons responsible


def situation(circumstance: str) -> str:
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
        said = situation(circumstance)
        if not said:
            continue
        m = _ORDERED.match(text)
        if m:
            ordered.setdefault(said, m.group(1))
            continue
        verb = ordered.get(said) or next((v for k, v in ordered.items() if same_situation(k, said)), None)
        if verb is None or _PERSONS.match(text) or any(c.factor == FACTOR for c in conds):
            continue
        conds.append(Condition(FACTOR, "逾期不拆除" if verb == "拆除" else "逾期未改正"))
        marked.append(i)
    return marked


def stage_pairs(groups: "Sequence[Group]") -> dict[tuple[str, str], tuple["Group", "Group"]]:
    """The acts a table lists twice: as the act («对医疗废物的处置不符合……规范») and as the act not corrected after
    the order («……，逾期未改正», 医疗废物管理条例 第四十六条's two fines). Returns {group key: (the act's group, the
    overdue group)} for both keys of each pair in the same document."""
    by_key = {g.key: g for g in groups if not g.no_penalty}
    out: dict[tuple[str, str], tuple[Group, Group]] = {}
    for (doc_id, violation), variant in by_key.items():
        base_text = _STAGE.sub("", violation)
        if base_text == violation:
            continue
        base = by_key.get((doc_id, base_text)) or by_key.get((doc_id, base_text + "的"))
        if base is not None:
            out[base.key] = out[variant.key] = (base, variant)
    return out


def order_stages(ranked: list[tuple[float, float, "Group"]], pairs: dict[tuple[str, str], tuple["Group", "Group"]],
                 kept: bool | None) -> list[tuple[float, float, "Group"]]:
    """``ranked`` (score, coverage, group), best first, with each pair of ``stage_pairs`` side by side in the order
    the facts decide: the overdue group first when they say the order was not carried out by its deadline (``kept``
    False, spoken.deadline_kept), the act's own group first otherwise — overdue is the aggravating stage the officer
    states; unstated, the fine for the act applies. The partner joins when only one of the two was ranked."""
    out: list[tuple[float, float, Group]] = []
    done: set[tuple[str, str]] = set()
    for score, coverage, group in ranked:
        pair = pairs.get(group.key)
        if pair is None:
            out.append((score, coverage, group))
            continue
        if group.key in done:
            continue
        base, variant = pair
        first, second = (variant, base) if kept is False else (base, variant)
        out.append((score, coverage, first))
        out.append((score * 0.99, coverage, second))
        done.update({base.key, variant.key})
    return out
