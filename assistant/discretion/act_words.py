"""What the facts' words share with a violation's text, clause by clause: the bigrams of each clause with its
colloquial → legal expansion, the words (runs of shared bigrams) a violation holds, and whether only the place a
violation opens with is shared. Used by the matcher's gates (matching.py)."""

from __future__ import annotations

import re

from assistant.discretion.facts import bigrams, normalise_classes
from assistant.retrieval.terms import expand

_FUNCTION_CHARS = set("的了和或与及等其他者在从进行有关规定按照把被将对")
_CLAUSE = re.compile(r"[，,。；;！!？?\n]")


# 「在……区域内，建设……」: where the act is forbidden, then the act
_PLACE = re.compile(r"^[（(]?[一二三四五六七八九十]?[）)]?在([^，,；;]{2,40}?)(?:内|中|里|范围内|区域内)[，,]?")


def _deed(violation: str) -> str:
    """The act of a violation that opens with the place it is forbidden in («在饮用水水源保护区内，建设……» →
    «建设……»); "" when it does not open with a place or nothing of substance follows it."""
    m = _PLACE.match(violation)
    rest = violation[m.end():] if m else ""
    return rest if len(rest) >= 4 else ""


_WEAK_CHARS = _FUNCTION_CHARS | set("未不没无内外上下中之所以为是")


def _chars(text: str) -> set[str]:
    """The content characters of ``text`` (CJK, without function characters and negations)."""
    return {c for c in text if "\u4e00" <= c <= "\u9fff"} - _WEAK_CHARS


def only_the_place_shared(violation: str, texts: list[str]) -> bool:
    """Whether the facts (``texts`` from :func:`word_texts`) share nothing with the act of a violation that opens
    with the place it is forbidden in — not one content character of «建设……填埋场» for «基本农田挖成了鱼塘» — so
    that only the place names it. A shared character is enough to keep a row («拆旧船» ↔ «拆解作业», «停用» ↔
    «停止燃用»): on the officer dev sets a shared word was too strict (two ambiguous cases lost)."""
    deed = _deed(violation)
    return bool(deed) and not (_chars(deed) & _chars(" ".join(texts)))


def word_texts(facts: str) -> list[str]:
    """The clauses of ``facts`` and their expansions, normalised for :func:`shared_words` (once per query)."""
    out = []
    for part in _CLAUSE.split(facts):
        for text in (part, expand(part)):
            if text:
                out.append(re.sub(r"[^\u4e00-\u9fff0-9A-Za-z]", " ", normalise_classes(text)))
    return out


def shared_words(texts: list[str], have: set[str]) -> tuple[int, int]:
    """The words of the facts (``texts`` from :func:`word_texts`) a violation's bigrams ``have`` hold, as runs of
    consecutive shared bigrams without function characters: (how many runs, the longest run in bigrams).
    «机动车道» ↔ «机动车维修» is one run of two (机动车); «没做土壤污染状况调查» ↔ «未按照规定进行土壤污染状况调查»
    one run of seven."""
    runs, longest = 0, 0
    for t in texts:
        length = 0
        for i in range(len(t) - 1):
            pair = t[i:i + 2]
            if pair in have and not (set(pair) & _FUNCTION_CHARS):  # «和机» joins no word
                runs += length == 0
                length += 1
                longest = max(longest, length)
            else:
                length = 0
    return runs, longest


def _clause_bigrams(facts: str) -> list[set[str]]:
    """Per clause of the facts, its bigrams and those of its colloquial → legal expansion (empty clauses out)."""
    return [c for c in (bigrams(p + " " + expand(p)) for p in _CLAUSE.split(facts)) if c]


def legal_bigrams(facts: str) -> list[set[str]]:
    """Per clause of the facts, the bigrams of the legal words the colloquial → legal term list gives it, all its
    lines together (term by term: no bigram across two terms); clauses the list says nothing of are left out.

    All lines together, not line by line: one line alone names a manner the act shares with others («没盖» → 覆盖措施,
    and a 渣土车 is no 堆放 of 物料 — officer dev o112 got a range line by line)."""
    return [b for b in (set().union(*(bigrams(t) for t in expand(p).split())) for p in _CLAUSE.split(facts)) if b]
