"""Does the answer's conclusion agree with the legal consequence of the provisions it cites?

A small, explicit check for the failures seen with the bundled 1.5B model: quoting 行政处罚法 第三十三条
correctly and still concluding 「要罚款」, or turning its 「可以不予行政处罚」 into a flat 「不予行政处罚」.

Three outcomes are told apart (issue #19 item 6), in the conclusion and in each clause of the cited provisions:

- ``no_penalty``: 不予（行政）处罚, 不再给予（行政）处罚, 不予追究, 免予处罚 — the law rules a penalty out;
- ``may_no_penalty``: 可以不予（行政）处罚, 可以免予处罚 — the authority may refrain, on conditions;
- ``penalty``: 处……罚款／警告／拘留, 没收, 吊销, 应当给予行政处罚 — a sanction the law prescribes.

An outcome is read clause by clause (。；), 「可以不予」 before 「不予」 (the first contains the second).
"""

from __future__ import annotations

import re

NO_PENALTY, MAY_NO_PENALTY, PENALTY = "no_penalty", "may_no_penalty", "penalty"
OUTCOME_ZH = {NO_PENALTY: "不予处罚", MAY_NO_PENALTY: "可以不予处罚", PENALTY: "处罚"}

_MAY_NO = re.compile(r"可以(?:不予|免予|免除|不再给予|不)(?:以)?(?:行政)?(?:处罚|追究|罚款)|可以不罚")
_NO = re.compile(r"不予(?:以)?(?:行政)?处罚|不再给予(?:行政)?处罚|不予追究|免予(?:行政)?处罚|免除(?:行政)?处罚|"
                 r"不(?:需要?|用|必|应当?|会|能)(?:被|对其)?(?:罚款|处罚|罚|给予(?:行政)?处罚)|无需(?:罚款|处罚)|不罚")
# a sanction in a provision's own words (处…罚款, 处…拘留, 给予警告 …) or a conclusion's (要罚款, 应当给予行政处罚)
_PENALTY = re.compile(r"(?:应当|应|要|需要|必须|会|将|可以|可)(?:被|对其|依法)?(?:处以|处|给予|予以)?(?:罚款|行政处罚|处罚)|"
                      r"处以?[^。；，]{0,24}(?:罚款|拘留|警告)|并处|没收|吊销|给予警告|责令停产停业")
_CLAUSES = re.compile(r"[。；;\n]")


def conclusion_of(answer: str) -> str:
    """The 结论 line of an answer (its first sentence when it has none)."""
    m = re.search(r"结论[：:]\s*(.+)", answer)
    if m:
        return m.group(1).split("\n")[0]
    first = re.split(r"[。\n]", answer.strip(), maxsplit=1)
    return first[0] if first else ""


def outcome(text: str) -> str | None:
    """The outcome a conclusion states — NO_PENALTY, MAY_NO_PENALTY or PENALTY — or None (no penalty outcome
    stated, e.g. a deadline or a procedure question)."""
    if _MAY_NO.search(text):
        return MAY_NO_PENALTY
    if _NO.search(text):
        return NO_PENALTY
    if _PENALTY.search(text):
        return PENALTY
    return None


def polarity(text: str) -> str | None:
    """'no_penalty' (including 可以不予), 'penalty' or None: the coarse direction of a conclusion."""
    found = outcome(text)
    return NO_PENALTY if found == MAY_NO_PENALTY else found


def provision_consequences(texts: list[str]) -> set[str]:
    """The outcomes the provisions ``texts`` prescribe, clause by clause (see the module docstring)."""
    found: set[str] = set()
    for text in texts:
        for clause in _CLAUSES.split(text or ""):
            if _MAY_NO.search(clause):
                found.add(MAY_NO_PENALTY)
            elif _NO.search(clause):
                found.add(NO_PENALTY)
            elif re.search(r"罚款|处以?[^。；]{0,20}(?:拘留|警告|没收)|没收|吊销|给予警告", clause):
                found.add(PENALTY)
    return found


def best_fit(cited_texts: list[str], question: str) -> str | None:
    """Of the clauses of ``cited_texts`` that rule a penalty out (不予) or allow refraining (可以不予), the outcome of
    the one whose conditions (assistant/answer/facts.py) the question states best — a larger share of its
    conditions stated; on a tie the less assertive 可以不予. None when no such clause has a known condition."""
    from assistant.answer.facts import conditions_of, stated

    known = stated(question)
    best: tuple[float, int, str] | None = None
    for text in cited_texts:
        for clause in _CLAUSES.split(text or ""):
            kind = MAY_NO_PENALTY if _MAY_NO.search(clause) else NO_PENALTY if _NO.search(clause) else None
            conds = conditions_of(clause) if kind else set()
            if not conds:
                continue
            score = (len(conds & known) / len(conds), 1 if kind == MAY_NO_PENALTY else 0, kind)
            best = max(best, score) if best else score
    return best[2] if best and best[0] > 0 else None


def is_consistent(answer: str, cited_texts: list[str], question: str = "") -> tuple[bool, str]:
    """(ok, reason in Chinese). Inconsistent when the conclusion states an outcome the cited provisions do not
    prescribe in that direction:

    - 「处罚」 where they only rule a penalty out or allow refraining (不予 / 可以不予);
    - 「不予处罚」 or 「可以不予处罚」 where they only prescribe a sanction;
    - a flat 「不予处罚」 where they only say 「可以不予处罚」 (行政处罚法 第三十三条第一款 second sentence: 初次违法,
      危害后果轻微 and 及时改正 make refraining possible, not mandatory).

    - 「可以不予处罚」 where they say 「不予处罚」 only (行政处罚法 第三十条: 不满十四周岁 → 不予, not 可以不予).

    With the ``question``, where the provisions say both, the conclusion must be that of the clause whose
    conditions the facts stated fit best: the first-time vendor who corrected at once (初次违法 + 及时改正, 危害后果
    not stated) gets 「可以不予」, not a flat 「不予」; an act 轻微 + 及时改正 + 没有造成危害后果 gets 「不予」.
    """
    said = outcome(conclusion_of(answer))
    if said is None or not cited_texts:
        return True, ""
    supported = provision_consequences(cited_texts)
    fit = best_fit(cited_texts, question) if question and {NO_PENALTY, MAY_NO_PENALTY} <= supported else None
    if said == NO_PENALTY and fit == MAY_NO_PENALTY:
        return False, "结论为「不予处罚」，但问题所述事实对应的是「可以不予行政处罚」的条件（有条件，不是一律不予）"
    if said == MAY_NO_PENALTY and fit == NO_PENALTY:
        return False, "结论为「可以不予处罚」，但问题所述事实对应的是「不予行政处罚」的条件（不是“可以”）"
    if not supported or said in supported:
        return True, ""
    if said == MAY_NO_PENALTY and NO_PENALTY in supported:
        return False, "结论为「可以不予处罚」，但所引条文规定的是「不予行政处罚」（不是“可以”）"
    if said == NO_PENALTY and MAY_NO_PENALTY in supported:
        return False, "结论为「不予处罚」，但所引条文规定的是「可以不予行政处罚」（有条件，不是一律不予）"
    want = "、".join(OUTCOME_ZH[o] for o in (NO_PENALTY, MAY_NO_PENALTY, PENALTY) if o in supported)
    return False, f"结论为「{OUTCOME_ZH[said]}」，但所引条文规定的法律后果是「{want}」"
