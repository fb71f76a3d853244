"""The facts an answer may take as given: only those the officer stated (issue #19 item 6).

A 1.5B model fills gaps: asked about a first-time street vendor who corrected at once, its 事实对照 said
「没有造成危害后果」, which nobody said. The conditions that decide between 不予处罚, 可以不予处罚 and a penalty
(行政处罚法 第三十三条 and its like) are listed here with the ways officers state them; an answer's 事实对照
may treat one as met only when the question states it, otherwise it must be a condition (「如……」).

``CONDITIONS`` maps a condition to (how a provision writes it, how a question states it). Both patterns are
regular expressions; the provision side is the statutory wording, the question side adds everyday phrasings.
"""

from __future__ import annotations

import re

CONDITIONS: dict[str, tuple[str, str]] = {
    "初次违法": (r"初次违法", r"初次|首次|第一次|头一回|头一次|以前没有|此前没有|从未"),
    "及时改正": (r"及时改正|及时纠正",
             r"(?:及时|当场|立即|马上|主动|当即|随即|已经?|很快|按要求)(?:就)?(?:改正|纠正|整改|拆除|清除|撤离|收摊|停止)|改正了|整改完|拆除了|收摊了"),
    "危害后果轻微": (r"危害后果轻微", r"(?:危害)?后果(?:很|比较|较为|较)?轻微|影响(?:不大|很小|轻微)|损失(?:很小|轻微|不大)"),
    "没有造成危害后果": (r"没有造成危害后果|未造成危害后果",
                 r"(?:没有|没|未|并未|不曾)造成(?:任何)?(?:危害|后果|损失|影响|损害)|没有(?:危害|后果|损失)|无(?:危害)?后果"),
    "违法行为轻微": (r"违法行为轻微|情节轻微", r"(?:违法行为|情节|行为)(?:很|比较|较为|较)?轻微"),
    "没有主观过错": (r"没有主观过错", r"(?:没有|无|不存在)(?:主观)?过错|不知情|并不知道|不知道"),
}
# a clause that states a condition as open, not as a fact: 如/若/如果…, 是否…, 尚不清楚, 需核实 …
HEDGE = re.compile(r"如果|如|若|假如|倘若|是否|尚不清楚|不清楚|不明|未说明|没有说明|未提及|没有提到|需(?:要)?核实|待核实|"
                   r"待查|取决于|需(?:要)?查明|应当查明|前提是|条件是|只要|一旦|能否|规定|要求")
_SECTION = re.compile(r"事实对照[：:](.*?)(?=\n(?:结论|依据|理由|适用条文)[：:]|\Z)", re.S)
_CLAUSE = re.compile(r"[^，,；;。\n]+[，,；;。]?")


def stated(question: str) -> set[str]:
    """The conditions ``question`` states as facts."""
    return {name for name, (_, asked) in CONDITIONS.items() if re.search(asked, question or "")}


def conditions_of(provision_clause: str) -> set[str]:
    """The conditions a provision's clause sets (in its statutory wording)."""
    return {name for name, (written, _) in CONDITIONS.items() if re.search(written, provision_clause or "")}


def _asserted(clause: str) -> set[str]:
    """Conditions a 事实对照 clause asserts (met or not), in either wording, unless the clause hedges them."""
    if HEDGE.search(clause) or clause.rstrip("，,；;。 ").endswith("的"):
        return set()  # an open condition, or the law's own wording (「…没有造成危害后果的，」)
    found = {name for name, (written, asked) in CONDITIONS.items()
             if re.search(written, clause) or re.search(asked, clause)}
    if "危害后果轻微" in found or "没有造成危害后果" in found:
        found.discard("违法行为轻微")  # 「后果轻微」 is about the consequence, not the act
    return found


def assumed_facts(answer: str, question: str) -> list[tuple[str, str]]:
    """(clause, condition) for each clause of the answer's 事实对照 that treats as known a condition the question
    does not state. Empty when the answer has no 事实对照 section."""
    m = _SECTION.search(answer or "")
    if not m:
        return []
    known = stated(question)
    out = []
    for clause in _CLAUSE.findall(m.group(1)):
        for name in sorted(_asserted(clause) - known):
            out.append((clause.strip(), name))
    return out


def flag_assumed(answer: str, question: str) -> tuple[str, list[str]]:
    """The answer with 〔问题未说明，需核实〕 after each 事实对照 clause that assumes an unstated condition, and one
    warning per condition (Chinese)."""
    found = assumed_facts(answer, question)
    if not found:
        return answer, []
    m = _SECTION.search(answer)
    section = m.group(1)
    for clause in dict.fromkeys(c for c, _ in found):
        section = section.replace(clause, f"{clause.rstrip('，,；;。')}〔问题未说明，需核实〕{clause[-1] if clause[-1] in '，,；;。' else ''}", 1)
    text = answer[:m.start(1)] + section + answer[m.end(1):]
    names = list(dict.fromkeys(n for _, n in found))
    warnings = [f"事实对照把「{n}」当作已知，但问题中没有说明；适用前须核实这一事实。" for n in names]
    return text, warnings
