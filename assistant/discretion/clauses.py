"""Clause polarity: what the facts affirm and what they deny, clause by clause.

Officers state a 情节 as a contrast — 「监测报告是有的，但一直没有公开」, 「喷漆房是封闭的，但治理设备根本没装」,
「设备装了，但一直没联网」 — and a table's values are built the same way («已安装，但未按规定使用或未联网»). Matching
bigrams over the whole text cannot tell which half is denied. Here each side is cut into clauses (at punctuation
and at 但/不过/可是/却), each clause gets a polarity (a negator in it: 没/未/不/无/拒/缺), and a value's clauses are
compared with the facts' clauses that speak of the same thing (shared bigrams, negators left out): agreeing
polarity supports the value, opposite polarity counts against it.
"""

from __future__ import annotations

import re

_SPLIT = re.compile(r"[，。；;,:：！？!?\s]+|(?:但是|但|不过|可是|然而|却|就是)")
# 非重点行业 denies 重点行业, 非法 is a word of its own; 别 denies («别动»), 类别/级别/特别/识别 do not (dev6 d6-006:
# «按类别要做报告书的» read as a denial of 报告书)
_NEGATOR = re.compile(r"没|未|不|无|拒|缺|(?<![类级特区分个识鉴性差辨告派组])别|非(?!法)")
_DROP = re.compile(r"[^\u4e00-\u9fff0-9A-Za-z]")
_NOISE = set("的了和或与及等其他者在从进行有关规定按照是都也还一直")


def clauses(text: str) -> list[str]:
    """The clauses of ``text`` (empty ones dropped)."""
    return [c for c in _SPLIT.split(text or "") if c]


def negated(clause: str) -> bool:
    """Whether a clause denies what it speaks of (a negator anywhere in it: 「一次都没做过」, 「未按规定」)."""
    return bool(_NEGATOR.search(clause))


_SAME = (("导致", "造成"), ("引起", "造成"), ("封闭", "密闭"))  # words officers use for the tables' own


def topic(clause: str) -> set[str]:
    """What a clause speaks of: its character bigrams with the negators and function characters left out."""
    for said, written in _SAME:
        clause = clause.replace(said, written)
    t = _DROP.sub("", _NEGATOR.sub("", clause))
    t = "".join(ch for ch in t if ch not in _NOISE)
    return {t[i:i + 2] for i in range(len(t) - 1)}


ACT_SHARE = 0.5  # a facts clause this much made of the act's own words restates the act (「没采取防土壤污染的措施」)


# a clause that asks rather than states («出了水污染事故怎么应急»: what the plan is for) votes on no polarity (dev20 d20-011)
_ASKS = re.compile(r"(?:怎么|怎样|如何)(?![也都])")  # «怎么也不采取措施» states, emphatically


def agreement(value: str, facts: str, act: str = "", min_shared: int = 2,
              common: frozenset[str] = frozenset()) -> float:
    """How the facts' clauses agree with ``value``'s, in [-1, 1]: for each clause of the value, the facts' clause
    sharing most of its topic (at least ``min_shared`` bigrams) votes +1 (same polarity) or -1 (opposite),
    weighted by the share of the value clause's topic it holds; the mean over the value's clauses that found
    one. 0 when no clause of the facts speaks of the value; a clause that asks (怎么, 如何) is no statement. Clauses
    of the facts that restate ``act`` (the violation's text: at least ``ACT_SHARE`` of their topic is the act's)
    vote only on a value that is itself one
    of the act's alternatives — elsewhere they say what was done, and their negation is the violation's, not
    the 情节's. ``common``: bigrams every alternative value holds (choose_value passes them); between facts clauses
    sharing a value clause's topic, the one sharing more of what is not common answers it («监测设备正常运行» is
    answered by «没法正常运行», not by «自动监测设备», which every row names — dev2 d2-029, d2-035).

    Returns 0.0 for an empty value or facts; never raises."""
    act_topic = topic(act)

    def of_act(t: set[str]) -> bool:
        return bool(act_topic) and len(t & act_topic) >= ACT_SHARE * len(t)

    facts_clauses = [(ct, negated(c), of_act(ct)) for c in clauses(facts) if (ct := topic(c))
                     and not (_ASKS.search(c) and not negated(c))]
    votes, weights = 0.0, 0.0
    for vc in clauses(value):
        vt = topic(vc)
        if not vt:
            continue
        alternative = of_act(vt)  # a value that is one of the act's own alternatives («或者未进行防渗漏监测»)
        best, best_key, best_shared = None, (0, 0, 0.0), 0
        for ft, fneg, restates in facts_clauses:
            if restates and not alternative or len(vt & ft) < min_shared:
                continue
            # most shared bigrams that not every value holds, then most shared; between equals, the clause less
            # made of the act's words
            key = (len(vt & ft - common), len(vt & ft), -len(ft & act_topic) / len(ft))
            if best is None or key > best_key:
                best, best_key, best_shared = fneg, key, len(vt & ft)
        if best is None:
            continue
        w = min(1.0, best_shared / len(vt))
        votes += w if best == negated(vc) else -w
        weights += 1.0
    return votes / weights if weights else 0.0
