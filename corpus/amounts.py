"""Penalty amounts in 裁量 tables: 「3万元以上4万元以下」 → (30000, 40000)."""

from __future__ import annotations

import re

from corpus.numerals import CN_NUM_CHARS, number_to_float

_NUM = r"[0-9０-９.．" + CN_NUM_CHARS.replace("万", "").replace("亿", "") + r"]+"
_AMOUNT = re.compile(r"(" + _NUM + r")\s*(万|亿)?\s*元")
# A lower bound written without 元 before the upper one: 「18万以上20万元以下」, 「二百以上五百元以下」.
_BARE_LOWER = re.compile(r"(" + _NUM + r")\s*(万|亿)?\s*(?=以上|至|到|－|-|～|~)")
_OPENERS = ("以上", "至", "到", "－", "-", "～", "~")
_THRESHOLD_BEFORE = ("不足", "超过", "低于", "高于", "达到", "不满")


def _to_yuan(num: str, unit: str | None) -> float | None:
    value = number_to_float(num)
    if value is None:
        return None
    return value * {"万": 10_000, "亿": 100_000_000}.get(unit or "", 1)


def _is_threshold(text: str, start: int, end: int) -> bool:
    """「违法所得不足十万元的」: an amount that is a condition, not a penalty."""
    before = text[max(0, start - 2): start]
    after = text[end: end + 2]
    return before in _THRESHOLD_BEFORE or (after.startswith("的") and not after.startswith("的罚"))


def parse_yuan_range(text: str) -> tuple[float | None, float | None]:
    """Parse the first money range stated in a penalty text.

    「处3万元以上4万元以下罚款」 → (30000, 40000); 「五万元以下」 → (None, 50000);
    「二十万元以上」 → (200000, None); 「罚款1000元」 → (1000, 1000);
    「处18万以上20万元以下」 / 「处二百以上五百元以下」 (first 元 left out) → (180000, 200000) / (200, 500);
    amounts that are conditions (「违法所得不足十万元的，处一万元以上十万元以下」) are skipped;
    amounts relative to something else (百分之一、一倍以上) → (None, None).
    """
    if not text:
        return None, None
    lo = hi = None
    matches = [m for m in _AMOUNT.finditer(text) if not _is_threshold(text, m.start(), m.end())]
    if matches:
        bare = None
        for bare in _BARE_LOWER.finditer(text, 0, matches[0].start()):
            pass
        if bare and 0 < matches[0].start() - bare.end() <= 6 and _to_yuan(bare.group(1), bare.group(2)) is not None:
            lo = _to_yuan(bare.group(1), bare.group(2) or matches[0].group(2))
    for m in matches:
        value = _to_yuan(m.group(1), m.group(2))
        if value is None:
            continue
        after = text[m.end(): m.end() + 3]
        if after.startswith(_OPENERS):
            if lo is None:
                lo = value
            continue
        if after.startswith("以下"):
            hi = value
            break
        if lo is not None:  # 「1万元至3万元」: the second amount closes the range
            hi = value
            break
        lo = hi = value
        break
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    return lo, hi
