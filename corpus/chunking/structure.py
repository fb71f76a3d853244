"""Line-level recognisers shared by the chunkers: headings, articles, 项 items, page markers."""

from __future__ import annotations

import re
from collections.abc import Iterator

from corpus.numerals import CN_NUM_CHARS, cn_to_int

_N = r"[0-9０-９" + CN_NUM_CHARS + r"]+"
MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
STRUCT_HEADING = re.compile(r"^第(" + _N + r")(编|分编|章|节)(?:[\s　]+\S.*|$)")
ARTICLE_START = re.compile(r"^第(" + _N + r")条(?:之(" + _N + r"))?(?P<sep>[\s　]*)(?P<rest>.*)$")
ITEM_START = re.compile(r"^[（(][一二三四五六七八九十百]+[)）]|^[0-9]{1,2}[.、．]\D|^[①-⑳]")
PAGE_MARKER = re.compile(r"^<!--\s*PDF\s*第(\d+)页\s*-->$")
COMMENT = re.compile(r"^<!--.*-->$")
BRACKET_HEADING = re.compile(r"^【([^【】]{1,30})】[。.]?$")
STRUCT_LEVEL = {"编": 1, "分编": 2, "章": 3, "节": 4}


_EMPHASIS = re.compile(r"\*\*|__")
INLINE_TAG = re.compile(r"</?(?:a|b|i|p|span|strong|em|br|font|sup|sub|u)\b[^>]*>", re.I)


def clean_line(raw: str) -> str:
    """Strip layout: ideographic spaces, blockquote markers, Markdown bold."""
    line = raw.replace("\u3000", " ").strip()
    if line.startswith(">"):
        line = line.lstrip(">").strip()
    if "<" in line:
        line = INLINE_TAG.sub("", line).strip()
    if "**" in line or "__" in line:
        line = _EMPHASIS.sub("", line).strip()
    return line


def text_lines(body: str) -> "Iterator[tuple[str, int | None]]":
    """(clean line, current PDF page) for every line that carries text; page markers and markup are consumed."""
    page: int | None = None
    for raw in body.splitlines():
        line = clean_line(raw)
        if not line:
            continue
        p = page_of(line)
        if p is not None:
            page = p
            continue
        if is_markup(line):
            continue
        yield line, page


def heading_of(line: str) -> tuple[int, str] | None:
    """(level, heading text) when the line is a structural heading, else None.

    Levels: 编 1, 分编 2, 章 3, 节 4; other Markdown headings map to 3 + depth
    below ``##`` so they nest under chapters. ``#`` (the title line) is level 0.
    """
    m = MD_HEADING.match(line)
    if m:
        text = m.group(2).strip()
        s = STRUCT_HEADING.match(text)
        if s:
            return STRUCT_LEVEL[s.group(2)], text
        depth = len(m.group(1))
        return (0 if depth == 1 else 2 + depth), text
    if len(line) <= 40 and "。" not in line:
        s = STRUCT_HEADING.match(line)
        if s:
            return STRUCT_LEVEL[s.group(2)], line.strip()
    return None


def article_of(line: str) -> tuple[int, int | None, str, bool] | None:
    """(number, suffix, rest of line, has_separator) when the line starts a 第…条."""
    m = ARTICLE_START.match(line)
    if not m:
        return None
    n = cn_to_int(m.group(1))
    if n is None:
        return None
    suffix = cn_to_int(m.group(2)) if m.group(2) else None
    rest = m.group("rest")
    has_sep = bool(m.group("sep"))
    cites = rest.startswith(("规定", "的规定", "所称", "第", "、", "和", "至", "或", "，", "中"))
    if cites and not has_sep:
        return None  # a sentence that starts by citing an article (第一条规定的…, 第三条中…), not a new article
    # After a separator it may be an article whose text starts so (第二条 中华人民共和国…), or a wrapped
    # citation (…依照\n第三十三条 的规定): reported without separator, the chunker takes it only in sequence.
    return n, suffix, rest, (has_sep and not cites) or not rest


def is_item(line: str) -> bool:
    return bool(ITEM_START.match(line))


def page_of(line: str) -> int | None:
    m = PAGE_MARKER.match(line)
    return int(m.group(1)) if m else None


def is_markup(line: str) -> bool:
    """Lines that carry no legal text: HTML comments such as <!-- INFO END --> or page markers."""
    return bool(COMMENT.match(line))
