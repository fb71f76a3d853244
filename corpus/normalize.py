"""Text repairs applied before 条/款 are found: hard-wrapped lines joined, stray spaces between Chinese
characters removed.

A line break inside a sentence (「…由公安机关对其直接负责的主管人员⏎和其他直接责任人员…」) is layout, not a
new 款: it is joined when the line before does not end a sentence and the line after does not start an
article, a 项 or a heading.
"""

from __future__ import annotations

import re

from corpus.chunking.structure import ARTICLE_START, ITEM_START, STRUCT_HEADING

# what ends a sentence (or a clause that is followed by a list): a line ending so keeps its break
SENTENCE_END = "。；：！？!?;:…"
_CLOSERS = "」』”’）)】"
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_PUNCT = r"，。、；：？！「」『』“”‘’（）《》【】…—"
_SPACE_BETWEEN = re.compile(rf"(?<=[{_CJK}{_CJK_PUNCT}])[ \t\u00a0\u3000]+(?=[{_CJK}{_CJK_PUNCT}])")


def squash_cjk_spaces(text: str) -> str:
    """Remove spaces (ASCII, tab, NBSP, ideographic) between two Chinese characters or Chinese punctuation
    marks — PDF and web extraction leave them (「时段、 音量」, 「本法自 2026年」 keeps the one before a digit)."""
    return _SPACE_BETWEEN.sub("", text)


def ends_sentence(line: str) -> bool:
    """Whether the line ends a sentence (closing quotes and brackets after the mark are looked through)."""
    s = line.rstrip().rstrip(_CLOSERS)
    return bool(s) and s[-1] in SENTENCE_END


def starts_unit(line: str) -> bool:
    """Whether the line starts an article, a 项 or a structural heading (编/章/节)."""
    s = line.lstrip()
    return bool(ARTICLE_START.match(s) or ITEM_START.match(s) or STRUCT_HEADING.match(s))


def join_wrapped_lines(lines: list[str]) -> list[str]:
    """The lines with hard wraps inside sentences joined (no space is inserted between Chinese text)."""
    out: list[str] = []
    for line in lines:
        if out and not ends_sentence(out[-1]) and not starts_unit(line):
            out[-1] = out[-1].rstrip() + line.lstrip()
        else:
            out.append(line)
    return out
