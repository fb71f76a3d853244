"""Whether a tier's fine still lies within the statute: the 罚款 range of the article that now stands in place of the
one the table cites.

A 裁量基准 subdivides the range of a 罚则 («处二万元以上二十万元以下的罚款»). When 生态环境法典 (in force 2026-08-15)
replaced the cited law, the table was not re-issued: its tiers may now lie below the code's minimum or above its
maximum, and a fine outside the statutory range is unlawful (行政处罚法 第三十八条: 没有依据 … 的行政处罚无效; the
code's own ranges bind from the day it took effect, 从旧兼从轻 for acts before it). This module reads the ranges an
article states and tells when a tier's range leaves their envelope.

Conservative by design: an article may fine several acts or parties (单位 / 个人, 拒不改正 …) with different ranges,
and which clause is the tier's cannot always be told — so only a tier outside *every* range the article states
(below the lowest minimum, above the highest maximum) is flagged.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from corpus.amounts import parse_yuan_range

_CLAUSE = re.compile(r"[；;。\n]")
# fines relative to 违法所得 / 货值 / 直接损失, or per unit and per day («对所有人处每辆五千元», «按日连续处罚»): no
# yuan envelope a tier's total could be compared with
_RELATIVE = re.compile(r"倍|百分之|%|％|每")


@dataclass(frozen=True)
class Envelope:
    """The lowest minimum and the highest maximum (yuan) of the 罚款 ranges an article states; ``high`` is
    ``math.inf`` when some range is open above («处二十万元以上的罚款»)."""

    low: float
    high: float


def fine_envelope(article_text: str) -> Envelope | None:
    """The envelope of the yuan ranges of 罚款 in ``article_text`` (an article of a law), or None when it states none.

    Each clause (cut at 。；) that speaks of 罚款 and states an amount counts; a clause whose amount is relative
    (倍, 百分之) is left out. «处五万元以下» has minimum 0; «处二十万元以上» maximum ∞.
    """
    lows: list[float] = []
    highs: list[float] = []
    for clause in _CLAUSE.split(article_text or ""):
        if "罚款" not in clause or _RELATIVE.search(clause):
            continue
        lo, hi = parse_yuan_range(clause)
        if lo is None and hi is None:
            continue
        lows.append(lo or 0.0)
        highs.append(hi if hi is not None else math.inf)
    if not lows:
        return None
    return Envelope(min(lows), max(highs))


def outside(min_yuan: float | None, max_yuan: float | None, envelope: Envelope) -> str | None:
    """How a tier's range (yuan) leaves the envelope: 「高于」 / 「部分高于」 (all of it, or its upper part, above the
    statute's highest maximum), 「低于」 / 「部分低于」 (all of it, or its lower part, under the lowest minimum); None
    when it lies within or the tier states no yuan range («5万元以下» is 0–50,000)."""
    if min_yuan is None and max_yuan is None:
        return None
    lo = min_yuan if min_yuan is not None else 0.0
    hi = max_yuan if max_yuan is not None else lo
    if hi > envelope.high:
        return "高于" if lo > envelope.high else "部分高于"
    if lo < envelope.low:
        return "低于" if hi < envelope.low else "部分低于"
    return None


def range_warning(min_yuan: float | None, max_yuan: float | None, article_label: str, article_text: str) -> str | None:
    """A Chinese warning when a tier's range (yuan) leaves the envelope of ``article_text`` (the article in force,
    named ``article_label``, e.g. 「《中华人民共和国生态环境法典》第一千一百九十八条」); None when it does not."""
    envelope = fine_envelope(article_text)
    if envelope is None:
        return None
    how = outside(min_yuan, max_yuan, envelope)
    if how is None:
        return None
    if how.endswith("低于"):
        bound, rule = f"罚款下限（{_yuan(envelope.low)}元）", "不得低于法定最低额"
    else:
        bound, rule = f"罚款上限（{_yuan(envelope.high)}元）", "不得超过法定最高额"
    return (f"这一档的罚款幅度{how}现行{article_label}规定的{bound}：该裁量基准尚未按新法修订，对新法施行后的行为，"
            f"罚款{rule}；对此前的行为，依从旧兼从轻。")


def _yuan(amount: float) -> str:
    return f"{amount:,.0f}"
