"""Chinese numerals: 第一百零一条 → 101, 三万 → 30000, 2.5万 → 25000."""

from __future__ import annotations

import re

_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3,
           "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8,
           "九": 9, "玖": 9}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000}

CN_NUM_CHARS = "零〇○一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟"
_FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")


def cn_to_int(text: str) -> int | None:
    """Parse a Chinese (or Arabic) integer; None when it is not one.

    Handles 十 / 十五 / 一百零一 / 一千二百三十四 / 三万 / 二〇二一 (digit by digit).
    """
    s = (text or "").strip().translate(_FULLWIDTH)
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if any(c not in _DIGITS and c not in _SMALL_UNITS and c not in _BIG_UNITS for c in s):
        return None
    if all(c in _DIGITS for c in s) and len(s) > 1:  # 二〇二一
        return int("".join(str(_DIGITS[c]) for c in s))
    total, section, digit = 0, 0, None
    for c in s:
        if c in _DIGITS:
            digit = _DIGITS[c]
        elif c in _SMALL_UNITS:
            section += (1 if digit is None else digit) * _SMALL_UNITS[c]
            digit = None
        else:  # big unit
            section += digit or 0
            total += (section or 1) * _BIG_UNITS[c]
            section, digit = 0, None
    return total + section + (digit or 0)


_DIGIT_UNIT = {"十": 10, "百": 100, "千": 1000}


def number_to_float(text: str) -> float | None:
    """'2.5' / '二十' / '3' / '十五' / '5千' / '1.5百' → float; None if not a number."""
    s = (text or "").strip().translate(_FULLWIDTH).replace(",", "").replace("，", "")
    if re.fullmatch(r"\d+(\.\d+)?", s):
        return float(s)
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([十百千])", s)  # 「5千元」, as tables write small amounts
    if m:
        return float(m.group(1)) * _DIGIT_UNIT[m.group(2)]
    n = cn_to_int(s)
    return float(n) if n is not None else None


ARTICLE_RE = re.compile(
    r"第([0-9０-９" + CN_NUM_CHARS + r"]+)条(?:之([" + CN_NUM_CHARS + r"0-9]+))?"
)


def parse_article_label(label: str) -> tuple[int, int | None] | None:
    """'第十条之一' → (10, 1); '第33条' → (33, None)."""
    m = ARTICLE_RE.fullmatch((label or "").strip())
    if not m:
        return None
    n = cn_to_int(m.group(1))
    if n is None:
        return None
    suffix = cn_to_int(m.group(2)) if m.group(2) else None
    return n, suffix


def int_to_cn(n: int) -> str:
    """101 → 一百零一 (the form used in article labels)."""
    if n == 0:
        return "零"
    digits = "零一二三四五六七八九"
    units = ["", "十", "百", "千"]
    parts: list[str] = []
    s = str(n)
    if n >= 10_000:
        high, low = divmod(n, 10_000)
        out = int_to_cn(high) + "万"
        if low:
            out += ("零" if low < 1000 else "") + int_to_cn(low)
        return out
    zero = False
    for i, ch in enumerate(s):
        d = int(ch)
        pos = len(s) - i - 1
        if d == 0:
            zero = True
            continue
        if zero and parts:
            parts.append("零")
        zero = False
        parts.append(digits[d] + units[pos])
    out = "".join(parts)
    if out.startswith("一十"):
        out = out[1:]
    return out


def article_label(article: int | None, paragraph: int | None = None, suffix: int | None = None) -> str:
    """(33, 2) → 第三十三条第二款; (33, None) → 第三十三条; (10, 2, 1) → 第十条之一第二款; (None, …) → ''."""
    if not article:
        return ""
    return (f"第{int_to_cn(article)}条" + (f"之{int_to_cn(suffix)}" if suffix else "")
            + (f"第{int_to_cn(paragraph)}款" if paragraph else ""))
