"""Word automatic numbering (``numbering.xml``) rendered into text: 「第一章」「第一条」「（一）」 that exist only as list
numbering come back as the words Word shows.

The rules followed (ECMA-376 Part 1, 17.9): a paragraph is numbered by its own ``w:numPr`` or its style's (styles
inherit through ``w:basedOn``; a level may name the style with ``w:pStyle``); ``numId`` 0 means no numbering. Counters
belong to the abstract numbering, so lists that use one abstract definition through several ``w:num`` instances
continue one another, unless an instance restarts a level with ``w:lvlOverride/w:startOverride``. A level starts at
its ``w:start``; numbering a level resets the deeper ones unless their ``w:lvlRestart`` says otherwise (0: never).
``w:lvlText`` puts each level's number, in that level's ``w:numFmt`` (decimal with ``w:isLgl``), at %1 … %9;
``w:suff`` (tab by default, space, nothing) separates the number from the text — written as an ideographic space.
Bullets are left out (they carry no number).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docx.oxml.ns import qn

from corpus.numerals import int_to_cn

_TRADITIONAL = "甲乙丙丁戊己庚辛壬癸"
_ZODIAC = "子丑寅卯辰巳午未申酉戌亥"
_LEGAL = dict(zip("零一二三四五六七八九十百千万", "零壹贰叁肆伍陆柒捌玖拾佰仟万"))
_DIGIT_CN = "〇一二三四五六七八九"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letters(n: int) -> str:
    # Word repeats the letter: 27 → aa
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """``n`` in the Word number format ``fmt`` (chineseCounting 十一, chineseCountingThousand 一百零一,
    ideographTraditional 甲, chineseLegalSimplified 壹拾壹, decimalEnclosedCircle ①, lowerLetter, upperRoman …);
    unknown formats are written as decimal."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "koreanCounting"):
        return int_to_cn(n)
    if fmt == "chineseLegalSimplified":
        return "".join(_LEGAL.get(c, c) for c in int_to_cn(n))
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_DIGIT_CN[int(d)] for d in str(n))
    if fmt == "ideographTraditional" and 1 <= n <= 10:
        return _TRADITIONAL[n - 1]
    if fmt == "ideographZodiac" and 1 <= n <= 12:
        return _ZODIAC[n - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalEnclosedParen" and 1 <= n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    return str(n)


def _val(el, tag: str) -> str | None:
    child = el.find(qn(tag)) if el is not None else None
    return child.get(qn("w:val")) if child is not None else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


@dataclass
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # w:lvlRestart; None: after any higher level
    legal: bool = False  # w:isLgl
    suffix: str = "tab"
    style: str | None = None  # w:pStyle: the paragraph style this level belongs to

    @classmethod
    def parse(cls, lvl) -> "Level":
        restart = _val(lvl, "w:lvlRestart")
        return cls(start=_int(_val(lvl, "w:start"), 1), fmt=_val(lvl, "w:numFmt") or "decimal",
                   text=_val(lvl, "w:lvlText") or "", restart=_int(restart, 0) if restart is not None else None,
                   legal=lvl.find(qn("w:isLgl")) is not None, suffix=_val(lvl, "w:suff") or "tab",
                   style=_val(lvl, "w:pStyle"))


@dataclass
class _Num:
    abstract: str
    start_overrides: dict[int, int] = field(default_factory=dict)
    levels: dict[int, Level] = field(default_factory=dict)  # levels an instance redefines


class Numbering:
    """The numbering definitions of one document and the running counters; call :meth:`label` for each
    paragraph in document order."""

    def __init__(self, numbering_el, styles_el) -> None:
        self.abstract: dict[str, dict[int, Level]] = {}
        self.nums: dict[str, _Num] = {}
        self.style_num: dict[str, tuple[str | None, int | None]] = {}  # styleId → (numId, ilvl)
        self.style_parent: dict[str, str] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.started: set[str] = set()
        if numbering_el is not None:
            for a in numbering_el.findall(qn("w:abstractNum")):
                levels = {_int(lvl.get(qn("w:ilvl")), 0): Level.parse(lvl) for lvl in a.findall(qn("w:lvl"))}
                self.abstract[a.get(qn("w:abstractNumId"))] = levels
            for n in numbering_el.findall(qn("w:num")):
                num = _Num(_val(n, "w:abstractNumId") or "")
                for o in n.findall(qn("w:lvlOverride")):
                    ilvl = _int(o.get(qn("w:ilvl")), 0)
                    start = _val(o, "w:startOverride")
                    if start is not None:
                        num.start_overrides[ilvl] = _int(start, 1)
                    lvl = o.find(qn("w:lvl"))
                    if lvl is not None:
                        num.levels[ilvl] = Level.parse(lvl)
                self.nums[n.get(qn("w:numId"))] = num
        if styles_el is not None:
            for s in styles_el.findall(qn("w:style")):
                sid = s.get(qn("w:styleId"))
                parent = _val(s, "w:basedOn")
                if parent:
                    self.style_parent[sid] = parent
                num_pr = s.find(qn("w:pPr") + "/" + qn("w:numPr"))
                if num_pr is not None:
                    self.style_num[sid] = (_val(num_pr, "w:numId"), _int(_val(num_pr, "w:ilvl"), 0)
                                           if _val(num_pr, "w:ilvl") is not None else None)

    def _level(self, num: _Num, ilvl: int) -> Level | None:
        return num.levels.get(ilvl) or self.abstract.get(num.abstract, {}).get(ilvl)

    def _num_of(self, p) -> tuple[str, int] | None:
        num_pr = p.find(qn("w:pPr") + "/" + qn("w:numPr"))
        num_id = _val(num_pr, "w:numId") if num_pr is not None else None
        ilvl = _val(num_pr, "w:ilvl") if num_pr is not None else None
        style = _val(p.find(qn("w:pPr")), "w:pStyle")
        seen = set()
        while num_id is None and style and style not in seen:
            seen.add(style)
            if style in self.style_num:
                num_id, style_lvl = self.style_num[style]
                if ilvl is None:
                    ilvl = style_lvl
                    if ilvl is None and num_id in self.nums:  # the level that names this style
                        levels = self.abstract.get(self.nums[num_id].abstract, {})
                        ilvl = next((i for i, lv in levels.items() if lv.style == style), 0)
                break
            style = self.style_parent.get(style)
        if num_id is None or num_id == "0" or num_id not in self.nums:
            return None
        return num_id, _int(ilvl, 0) if not isinstance(ilvl, int) else ilvl

    def label(self, p) -> str:
        """The number Word shows before paragraph ``p`` (a ``w:p`` element) followed by its separator, advancing
        the counters; "" for an unnumbered paragraph or a bullet."""
        found = self._num_of(p)
        if found is None:
            return ""
        num_id, ilvl = found
        num = self.nums[num_id]
        level = self._level(num, ilvl)
        if level is None:
            return ""
        counts = self.counters.setdefault(num.abstract, [None] * 9)
        if num_id not in self.started:
            self.started.add(num_id)
            for lv, start in num.start_overrides.items():
                if 0 <= lv < 9:
                    counts[lv] = start - 1
                    counts[lv + 1:] = [None] * (8 - lv)
        counts[ilvl] = (counts[ilvl] + 1) if counts[ilvl] is not None else level.start
        for deeper in range(ilvl + 1, 9):
            d = self._level(num, deeper)
            restart = d.restart if d is not None else None
            if restart is None or (restart > 0 and ilvl < restart):
                counts[deeper] = None
        if level.fmt in ("bullet", "none") or not level.text:
            return ""

        def number(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            lv = self._level(num, k) or Level()
            n = counts[k] if counts[k] is not None else lv.start
            return format_number(n, "decimal" if level.legal else lv.fmt)

        text = re.sub(r"%([1-9])", number, level.text)
        return text + ("" if level.suffix == "nothing" else "\u3000")
