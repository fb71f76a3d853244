"""Text repairs applied to every source before 条/款 are found.

Characters (:func:`normalize_chars`, applied by every loader to the text it stores, the national-law DB included):

* Kangxi radicals (U+2F00–U+2FDF) and CJK Radicals Supplement characters (U+2E80–U+2EFF) that PDF text extraction
  produces instead of the ordinary ideographs (「第⼗条　违法⾏为」, 「⻓期」) become those ideographs: the first block
  by NFKC, the second by Unicode's EquivalentUnifiedIdeograph table. Only these blocks are mapped — NFKC over the
  whole text would turn the full-width ，（）： the corpus keeps into ASCII.
* Spaces inside an article, 款, 项, 章, 节 or 编 number (「第 二 条」, full-width and no-break spaces, tabs) are removed.
* Line ends become ``\\n``.

Lines (:func:`join_wrapped_lines`, applied by the statute chunker and to the national-law DB's articles): a line break
inside a sentence (「…由城市管理部门责令改⏎正，处五十元罚款。」) is layout, not a new 款: it is joined when the line
before does not end a sentence and the line after does not start an article, a 项 or a heading.

This module is imported by the chunkers and imports their line recognisers (corpus.chunking.structure) inside
the functions that need them.
"""

from __future__ import annotations

import re
import unicodedata

from corpus.numerals import CN_NUM_CHARS

# what ends a sentence (or a clause that is followed by a list): a line ending so keeps its break
SENTENCE_END = "。；：！？!?;:…"
_CLOSERS = "」』”’）)】"
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_PUNCT = r"，。、；：？！「」『』“”‘’（）《》【】…—"
_BLANK = r"[ \t\u00a0\u3000]"
_SPACE_BETWEEN = re.compile(rf"(?<=[{_CJK}{_CJK_PUNCT}]){_BLANK}+(?=[{_CJK}{_CJK_PUNCT}])")

# CJK Radicals Supplement → the unified ideograph Unicode names as equivalent (EquivalentUnifiedIdeograph.txt);
# U+2E80–U+2EF3 have no NFKC decomposition except ⺟ and ⻳.
_SUPPLEMENT = ("⺀⺁⺂⺃⺄⺅⺆⺉⺊⺋⺎⺏⺐⺒⺓⺔⺕⺖⺗⺘⺙⺛⺝⺞⺟⺠⺡⺢⺣⺥⺦⺨⺫⺬⺭⺯⺰⺱⺳⺴⺹⺺⺼⺽⺾⺿⻀⻁⻂⻃⻄⻅⻈⻉⻋⻍⻏⻐⻑⻒⻓⻖⻘⻙⻚⻛⻜⻝⻟⻠⻢⻣"
               "⻤⻥⻦⻧⻨⻩⻪⻫⻬⻭⻮⻯⻰⻱⻲⻳",
               "冫厂乛乚乙亻冂刂卜㔾兀尣尢巳幺彑彐忄㣺扌攵旡月歺母民氵氺灬爫丬犭罒示礻糹纟罓㓁㓁耂肀月臼艹艹艹虎衤覀西见讠贝车辶阝钅長镸长阝青韦页风飞食飠饣"
               "马骨鬼鱼鸟卤麦黄黾斉齐歯齿竜龙龜亀龟")
_RADICALS = {ord(a): b for a, b in zip(*_SUPPLEMENT)}
for _cp in range(0x2F00, 0x2FE0):  # Kangxi Radicals: NFKC gives the unified ideograph
    _nfkc = unicodedata.normalize("NFKC", chr(_cp))
    if _nfkc != chr(_cp):
        _RADICALS[_cp] = _nfkc
_HAS_RADICAL = re.compile(r"[\u2e80-\u2eff\u2f00-\u2fdf]")

_NUM = rf"[0-9０-９{CN_NUM_CHARS}]"
# 「第 二 条」「第\t十\u3000一\u00a0条」: at least one blank between 第 and the unit, only numerals and blanks inside
_SPACED_NUMBER = re.compile(rf"第(?={_BLANK}|{_NUM}+{_BLANK})({_BLANK}*{_NUM}(?:{_BLANK}*{_NUM})*){_BLANK}*"
                            r"(条|款|项|分编|编|章|节)")


def map_radicals(text: str) -> str:
    """Kangxi radicals and CJK Radicals Supplement characters replaced by their unified ideographs
    (「⾏」 U+2F8F → 「行」, 「⻓」 U+2ED3 → 「长」); every other character is left as it is."""
    if not text or not _HAS_RADICAL.search(text):
        return text
    return text.translate(_RADICALS)


def join_spaced_numbers(text: str) -> str:
    """「第 二 条」 → 「第二条」 (ASCII, full-width and no-break spaces and tabs between 第, the numerals and
    条/款/项/章/节/编); the blank after the unit, which separates an article's number from its text, is kept."""
    if not text or "第" not in text:
        return text
    return _SPACED_NUMBER.sub(lambda m: "第" + re.sub(_BLANK, "", m.group(1)) + m.group(2), text)


def normalize_chars(text: str) -> str:
    """The character repairs every loader applies to the text it stores (see the module docstring): line ends,
    radicals, spaced numbers. Idempotent; the length may shrink."""
    if not text:
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return join_spaced_numbers(map_radicals(text))


def squash_cjk_spaces(text: str) -> str:
    """Remove spaces (ASCII, tab, NBSP, ideographic) between two Chinese characters or Chinese punctuation
    marks — PDF and web extraction leave them (「时段、 音量」, 「本法自 2026年」 keeps the one before a digit)."""
    return _SPACE_BETWEEN.sub("", text)


def ends_sentence(line: str) -> bool:
    """Whether the line ends a sentence (closing quotes and brackets after the mark are looked through)."""
    s = line.rstrip().rstrip(_CLOSERS)
    return bool(s) and s[-1] in SENTENCE_END


_NUMBERED = re.compile(r"^[一二三四五六七八九十]+、")  # 「二、《海牙公约》」, 「一、总体要求」
_NUMBERED_HEADING = re.compile(r"^[一二三四五六七八九十]+、[^，。；：,;:]{1,30}$")


def starts_unit(line: str) -> bool:
    """Whether the line starts an article, a 项, a numbered part (一、) or a structural heading (编/章/节); a line that starts by citing
    an article (「第三十三条规定的…」, no blank after 条) continues a sentence."""
    from corpus.chunking.structure import ARTICLE_START, ITEM_START, STRUCT_HEADING, article_of

    s = line.lstrip()
    if ARTICLE_START.match(s):
        return article_of(s) is not None
    return bool(ITEM_START.match(s) or STRUCT_HEADING.match(s) or _NUMBERED.match(s))


def join_wrapped_lines(lines: list[str]) -> list[str]:
    """The lines with hard wraps inside sentences joined (no space is inserted between Chinese text)."""
    out: list[str] = []
    for line in lines:
        if out and not ends_sentence(out[-1]) and not starts_unit(line):
            out[-1] = out[-1].rstrip() + line.lstrip()
        else:
            out.append(line)
    return out


_MARKDOWN_BLOCK = re.compile(r"^(#{1,6}\s|\||>|[-*+]\s|```|<!--)")
_BRACKETED = re.compile(r"^[（(][^（）()]*(?:[（(][^（）()]*[)）][^（）()]*)*[)）]$")  # 「（2019年…通过）」
_DATE_LINE = re.compile(rf"^[0-9０-９{CN_NUM_CHARS}]{{2,4}}年[0-9０-９{CN_NUM_CHARS}]{{1,2}}月[0-9０-９{CN_NUM_CHARS}]{{1,3}}日$")


def _standalone(line: str) -> bool:
    """A line that is never joined to its neighbours: markup, a heading (also 「一、总体要求」), a bracketed note, a
    date."""
    from corpus.chunking.structure import BRACKET_HEADING, heading_of

    return bool(_MARKDOWN_BLOCK.match(line) or _BRACKETED.match(line) or _DATE_LINE.match(line)
                or _NUMBERED_HEADING.match(line) or BRACKET_HEADING.match(line) or heading_of(line) is not None)


def joined_text_lines(body: str):
    """Like :func:`corpus.chunking.structure.text_lines` — (clean line, PDF page) for every line that carries
    text — with hard wraps inside sentences joined (:func:`join_wrapped_lines`'s rule). A blank line ends a
    paragraph; the blank lines around a page marker do not, so a sentence cut by a page break is joined too (the
    joined line keeps the page it started on). Markup, headings, bracketed notes and dates are never joined to
    their neighbours, and a first line that reads as a title (「某市户外广告设置管理办法」) takes no next line."""
    from corpus.chunking.structure import clean_line, is_markup, page_of
    from corpus.metadata import looks_like_title

    page: int | None = None
    pending: tuple[str, int | None] | None = None
    open_end = False  # the pending line may take the next one
    blank = beside_marker = False
    for raw in body.splitlines():
        line = clean_line(raw)
        if not line:
            blank = blank or not beside_marker
            continue
        p = page_of(line)
        if p is not None:
            page, blank, beside_marker = p, False, True
            continue
        beside_marker = False
        if is_markup(line):
            open_end = False
            continue
        standalone = _standalone(line)
        if pending is not None and open_end and not blank and not standalone and not starts_unit(line):
            pending = (pending[0] + line, pending[1])
            open_end = not ends_sentence(pending[0])
        else:
            first = pending is None
            if pending is not None:
                yield pending
            pending = (line, page)
            open_end = not standalone and not ends_sentence(line) and not (first and looks_like_title(line))
        blank = False
    if pending is not None:
        yield pending
