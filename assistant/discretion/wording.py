"""The words of officers' facts and of the 裁量 tables at their smallest: class numerals in one form, character
bigrams, and whether a word is negated where it stands (in a value and in the facts)."""

from __future__ import annotations

import re
import unicodedata

# a negator, softened or not: «不太配合», «不怎么配合», «不是很配合» deny as «不配合» does (dev20 d20-020)
_NEG = re.compile(r"(?:未|不|没有|没|拒不|拒绝|无)(?:太|怎么|是很|够)?$")  # not 大, 很: «厂子不大配合得很好»
# a finding denied in the facts: «也没发现渗漏扬散» denies the row 「违法行为造成有毒有害物质渗漏」 (dev17 d17-022);
# read on the facts' side of a denial only («未造成土壤环境污染» is a row's own words, and its polarity stays the word's)
_FINDING_DENIED = re.compile(r"(?:没有?|未)(?:发现|出现|检出)(?:有|明显|任何|什么)?$")  # «未发现明显渗漏»
FINDING_REACH = 6  # characters before a word searched for a denied finding («没有发现明显» is 6)
_STOP = set("的了和或与及等其他者在从进行有关规定按照")


_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}
_CN_DIGIT = "零一二三四五六七八九十"
_CLASS = re.compile(r"(?<![A-Za-z0-9])(X|IX|VI{0,3}|IV|I{1,3}|10|[1-9])\s*(?=类|级)")


def normalise_classes(text: str) -> str:
    """Class numerals in one form: Ⅱ类 (U+2160 block), II类, 2类 → 二类 (放射源, 放射性物品, 水体功能区 …).

    The U+2160–U+217F Roman numerals go through NFKC (Ⅱ → II), the other characters stay as they are.
    """
    text = re.sub(r"[\u2160-\u217f]", lambda m: unicodedata.normalize("NFKC", m.group()).upper(), text or "")
    return _CLASS.sub(lambda m: _CN_DIGIT[_ROMAN.get(m.group(1)) or int(m.group(1))], text)


def bigrams(text: str) -> set[str]:
    """The character bigrams of ``text`` (class numerals normalised, punctuation dropped, pairs of stop
    characters left out)."""
    t = re.sub(r"[^\u4e00-\u9fff0-9A-Za-z]", "", normalise_classes(text))
    return {t[i:i + 2] for i in range(len(t) - 1) if not (t[i] in _STOP and t[i + 1] in _STOP)}


# the statute's negation of a manner: «未按照规定安装» does not install (dev2 d2-045); the negator stands five
# characters before the verb, past the 3-character window of ``_NEG``
_NEG_MANNER = re.compile(r"(?:未|不)(?:按照|按|依照|依)(?:规定|要求|法)?$|未依法$")


def _negated_at(text: str, start: int) -> bool:
    return bool(_NEG.search(text[max(0, start - 3):start]) or _NEG_MANNER.search(text[max(0, start - 6):start]))


def _polarity(value: str, facts: str, shared: set[str]) -> int:
    """+1 when the value's first word both sides share is negated on both or neither — read in the facts where they
    last say it (the duty comes first, what happened after) — -1 when on one side only (未造成 vs 造成, 逾期未改正 vs
    当场改正, 不配合 vs 积极配合), 0 when they share nothing."""
    for bg in sorted(shared, key=value.find):
        v_pos, f_pos = value.find(bg), facts.rfind(bg)
        if v_pos >= 0 and f_pos >= 0:
            return 1 if _negated_at(value, v_pos) == _negated_at(facts, f_pos) else -1
    return 0


def _denied(value: str, facts: str, words: set[str]) -> bool:
    """Whether the facts deny what ``value`` states: its first word of ``words`` (bigrams it shares with the
    facts) is negated where the facts last say it and not in the value («没预警也没有重大活动» against
    「特殊或重大活动期间」). A value that negates a word the facts state plainly («未申报» against «申报数据造假»)
    is no denial: the facts may say the same thing in other words."""
    for bg in sorted(words, key=value.find):
        v_pos, f_pos = value.find(bg), facts.rfind(bg)
        if v_pos >= 0 and f_pos >= 0:
            said_not = _negated_at(facts, f_pos) or bool(_FINDING_DENIED.search(facts[max(0, f_pos - FINDING_REACH):f_pos]))
            return said_not and not _negated_at(value, v_pos) and not _clause_denies(value, v_pos)
    return False


_CLAUSE_START = re.compile(r"[，,；;。、]")
_DENYING_CLAUSE = re.compile(r"(?:未|没有?|不(?!正常|规范|符合|达标)|无(?!组织))")  # «无组织排放造成…» states a deed


def _clause_denies(value: str, pos: int) -> bool:
    """Whether the clause of ``value`` holding ``pos`` opens with a negator that reaches the word there:
    «未按照规定对……排污口和周边环境进行监测» denies the 监测 of its 排污口 as much as «排口和周边的监测一直没做»
    (dev20 d20-024)."""
    start = max((m.end() for m in _CLAUSE_START.finditer(value, 0, pos)), default=0)
    return bool(_DENYING_CLAUSE.match(value, start))


def text_match(value: str, facts: str) -> float:
    """How well the facts state ``value`` on its own: the share of its bigrams they contain, less 0.5 when
    a shared word is negated on one side only."""
    vb = bigrams(value)
    if not vb:
        return 0.0
    shared = vb & bigrams(facts)
    return len(shared) / len(vb) - (0.5 if _polarity(value, facts, shared) < 0 else 0.0)
