"""Notes on 裁量 tables: rows such as 「备注：…」 or 「注：本表中"以上"包括本数」 are notes of the table, not tiers.

They are attached to every tier of their table (``extra["表注"]``), and what they say about whether 以上/以下 include
the number itself is kept in a form a reader can rely on (``extra["以上以下"]``, e.g. 「以上、以下均包括本数」).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from corpus.model import DiscretionTier

# A row of a table that is a note on the table, not a tier: 「备注：…」, 「注：本表中"以上"包括本数」, 「说明：…」
_NOTE_ROW = re.compile(r"^(?:备\s*注|注|说\s*明)\s*[0-9０-９]*\s*[：:]")
_BOUND_WORD = re.compile(r"[“”\"'‘’「」]?(以上|以下|以内|不满|不足|超过)[“”\"'‘’「」]?")
NOTE_KEY = "表注"
BOUNDS_KEY = "以上以下"


def note_of_row(values: Sequence[str]) -> str | None:
    """The note a table row holds (its one text, repeated over the merged cells, starting 备注：/注：/说明：, or a
    备注 label cell followed by the note), else None."""
    texts = list(dict.fromkeys(v.strip() for v in values if v and v.strip()))
    if len(texts) == 1 and _NOTE_ROW.match(texts[0]):
        return texts[0]
    if len(texts) == 2 and re.fullmatch(r"备\s*注|注|说\s*明", texts[0]) and values[0].strip() == texts[0]:
        return f"{texts[0]}：{texts[1]}"
    return None


def bounds_of(note: str) -> str:
    """What a note says about whether 以上/以下 (以内, 不满, 超过 …) include the number itself: 「以上、以下均包括本数」,
    「以上包括本数；以下不包括本数」 …; "" when it says nothing about it.

    Read clause by clause (「“以下”不包括本数，“以上”包括本数」 says two things); a clause naming no word
    (「“以上”“以下”，均包括本数」) speaks of the words of the clause before it.
    """
    said: dict[str, bool] = {}
    for sentence in re.split(r"[。；;]", note or ""):
        words: list[str] = []
        for clause in re.split(r"[，,]", sentence):
            words = list(dict.fromkeys(_BOUND_WORD.findall(clause))) or words
            if "本数" not in clause or not words:
                continue
            including = not re.search(r"(?:不包括|不包含|不含|不计)本数", clause)
            for word in words:
                said.setdefault(word, including)
            words = []
    out: list[str] = []
    for including in (True, False):
        words = [w for w, inc in said.items() if inc is including]
        if words:
            out.append("、".join(words) + ("均" if len(words) > 1 else "") + ("包括本数" if including else "不包括本数"))
    return "；".join(out)


def with_notes(tiers: list[DiscretionTier], notes: Sequence[str]) -> list[DiscretionTier]:
    """Attach a table's notes to each of its tiers: ``extra["表注"]`` (the text) and, when the notes say whether
    以上/以下 include the number, ``extra["以上以下"]`` (:func:`bounds_of`). Returns ``tiers``."""
    if not notes:
        return tiers
    text = "；".join(dict.fromkeys(notes))
    bounds = bounds_of(text)
    for tier in tiers:
        tier.extra[NOTE_KEY] = text
        if bounds:
            tier.extra[BOUNDS_KEY] = bounds
    return tiers
