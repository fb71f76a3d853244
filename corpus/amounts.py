"""Penalty amounts in 裁量 tables: 「3万元以上4万元以下」 → (30000, 40000)."""

from __future__ import annotations

import re

from corpus.numerals import CN_NUM_CHARS, number_to_float

_NUM = r"[0-9０-９.．" + CN_NUM_CHARS.replace("万", "").replace("亿", "") + r"]+"
_AMOUNT = re.compile(r"(" + _NUM + r")\s*(万|亿)?\s*元")
_LOWER = ("以上", "以下")  # markers following an amount


def _to_yuan(num: str, unit: str | None) -> float | None:
    value = number_to_float(num)
    if value is None:
        return None
    return value * {"万": 10_000, "亿": 100_000_000}.get(unit or "", 1)


def parse_yuan_range(text: str) -> tuple[float | None, float | None]:
    """Parse the first money range stated in a penalty text.

    「处3万元以上4万元以下罚款」 → (30000, 40000); 「五万元以下」 → (None, 50000);
    「二十万元以上」 → (200000, None); 「罚款1000元」 → (1000, 1000);
    amounts relative to something else (百分之一、一倍以上) → (None, None).
    """
    if not text:
        return None, None
    lo = hi = None
    for m in _AMOUNT.finditer(text):
        value = _to_yuan(m.group(1), m.group(2))
        if value is None:
            continue
        after = text[m.end(): m.end() + 3]
        if after.startswith("以上") or after.startswith("至") or after.startswith("-") or after.startswith("～"):
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
