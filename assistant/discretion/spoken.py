"""How officers' wording is read before it is matched: the clauses that tell only the officers' own steps, and the
grade of a 突发环境事件 the facts name."""

from __future__ import annotations

import re

# what the officers did, not what the party did: «执法人员制作了现场检查笔录，拍照取证，当事人签字确认» names no act
# (a break test: that sentence moved a 危废标识 case to another table's row); a clause of obstruction stays
_PROCEDURE = re.compile(r"笔录|拍照|取证|录像|执法记录仪|签字确认|签名确认|送达|立案")
_OBSTRUCTION = re.compile(r"拒|不|没|未|躲|拖|阻")


def without_procedure(facts: str) -> str:
    """``facts`` without the clauses that tell only the officers' own steps (``_PROCEDURE``, no refusal in them)."""
    kept = [c for c in re.split(r"(?<=[，,。；;！!？?\n])", facts)
            if not (_PROCEDURE.search(c) and not _OBSTRUCTION.search(c))]
    return "".join(kept).strip() or facts


# the grades of 突发环境事件 (国家突发环境事件应急预案: 一般、较大、重大、特别重大; tables also say 特大 and 污染事故)
_GRADES = ("一般", "较大", "重大", "特别重大")
_GRADE = re.compile(r"(特别重大|特大|较大|重大|一般)(以上)?的?(?:突发)?(?:生态)?(?:环境|污染)?(?:污染)?(?:事件|事故)")


def event_grades(text: str) -> set[str]:
    """The grades of 突发环境事件 a text names, not denied in its clause: «定为较大突发环境事件» → {较大};
    «造成较大以上突发环境事件» → {较大, 重大, 特别重大}; «特大污染事故» → {特别重大}."""
    out: set[str] = set()
    for m in _GRADE.finditer(text):
        clause = re.split(r"[，,。；;！？\s]", text[:m.start()])[-1]
        if re.search(r"没|未|无|不|并非", clause):
            continue
        grade = "特别重大" if m.group(1) == "特大" else m.group(1)
        at = _GRADES.index(grade)
        out |= set(_GRADES[at:] if m.group(2) else _GRADES[at:at + 1])
    return out
