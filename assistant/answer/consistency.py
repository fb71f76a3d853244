"""Does the answer's conclusion agree with the legal consequence of the provisions it cites?

A small, explicit check for the failure seen with the bundled 1.5B model: quoting
行政处罚法 第三十三条 (不予行政处罚) correctly and still concluding 「要罚款」.
The conclusion's polarity (no penalty / penalty) is compared with the
consequences stated in the cited provisions; when the cited provisions only
support the opposite outcome, the answer is inconsistent.
"""

from __future__ import annotations

import re

NO_PENALTY = re.compile(r"不予(?:以)?(?:行政)?处罚|免予(?:行政)?处罚|不(?:需要?|用|必|应当?|会)(?:被)?(?:罚款|处罚|罚)|无需(?:罚款|处罚)|不罚")
PENALTY = re.compile(r"(?:应当|应|要|需要|必须|会|将)(?:被|对其|依法)?(?:处以|处|给予)?(?:罚款|行政处罚|处罚)|处以?[^。；，]{0,16}罚款")


def conclusion_of(answer: str) -> str:
    m = re.search(r"结论[：:]\s*(.+)", answer)
    if m:
        return m.group(1).split("\n")[0]
    first = re.split(r"[。\n]", answer.strip(), maxsplit=1)
    return first[0] if first else ""


def polarity(text: str) -> str | None:
    """'no_penalty', 'penalty' or None (not a penalty question / undecided)."""
    if NO_PENALTY.search(text):
        return "no_penalty"
    if PENALTY.search(text):
        return "penalty"
    return None


def provision_consequences(texts: list[str]) -> set[str]:
    found = set()
    for t in texts:
        if NO_PENALTY.search(t):
            found.add("no_penalty")
        if re.search(r"罚款|处以?[^。；]{0,20}(?:拘留|警告|没收)", t):
            found.add("penalty")
    return found


def is_consistent(answer: str, cited_texts: list[str]) -> tuple[bool, str]:
    """(ok, reason). Inconsistent only when the cited provisions support just the opposite outcome."""
    said = polarity(conclusion_of(answer))
    if said is None or not cited_texts:
        return True, ""
    supported = provision_consequences(cited_texts)
    if supported and said not in supported:
        want = "不予处罚" if "no_penalty" in supported else "处罚"
        got = "不予处罚" if said == "no_penalty" else "处罚"
        return False, f"结论为「{got}」，但所引条文规定的法律后果是「{want}」"
    return True, ""
