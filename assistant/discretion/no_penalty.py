"""Whether a 不予处罚 item's conditions are contradicted by the stated facts.

A 不予处罚 (or 首违不罚) list item is offered beside the tiers of the matched act; its conditions are almost always
«首次违法» and «在责令改正期限内改正» (行政处罚法 第三十三条第一款). When the officer's facts already say the party
was penalised for the same act before, or did not correct in time, the item cannot apply: it is kept in the
answer (the officer sees why not) but marked and listed last.
"""

from __future__ import annotations

import math
import re

from assistant.discretion.quantities import fact_value, quantity_range, within

# a look-back window for counting earlier violations (a break test: «持续了10天» and «今年3月» were read against
# «近一年内属于首次违法» as if a year were the act's limit), or the time allowed for a step («24小时内及时报告»: not how
# long the act lasted — dev22 d22-039, «风机停了两个多小时» was read against it as exactly 24 hours)
_WINDOW = re.compile(r"近[一二两三四五六七八九十\d]+个?(?:年|月)|[一二两三四五\d]+个?(?:年|月)内|(?:年|月)以来|以内"
                     r"|[一二两三四五六七八九十\d]+个?(?:小时|天|日|工作日)内")
_FIRST_TIME = re.compile(r"首次|初次|第一次|首违")
_CORRECTED = re.compile(r"(?:期限|期)内(?:改正|整改|纠正)|及时(?:改正|整改|纠正)|主动(?:改正|整改|纠正)|当场(?:改正|整改|纠正)")
_NOT_CORRECTED = re.compile(r"拒不(?:改正|整改|停止|纠正)|逾期(?:未|没有?|还没有?|也没有?|仍未|仍然没有?)(?:改正|整改|纠正|改)"
                            r"|(?:期限|限期)(?:内|到了|过了)[^。；]{0,6}(?:没|未|仍未|还没)(?:改|整改)|不(?:肯|愿意?)(?:改正|整改)")


def contradiction(conditions: str, facts: str, prior: tuple[float, float] | None,
                  qty: dict[str, float] | None = None, item: str = "") -> str:
    """The reason the facts rule out a 不予处罚 item, or ``""`` when nothing stated rules it out.

    ``conditions``: the item's 适用条件 text; ``facts``: the officer's facts; ``prior``: earlier same violations as
    (lo, hi) counts from prior.prior_from_facts (None: not stated); ``qty``: the facts' quantities
    (quantities.quantities) checked against the bands the item and its conditions state (``item``: the item's
    own text, e.g. «超标排放的倍数在0.1倍以下» against «超标0.4倍»). Source of the conditions: 行政处罚法 第三十三条
    第一款 (初次违法且危害后果轻微并及时改正的，可以不予行政处罚) as the lists restate it.
    """
    reasons = []
    for clause in re.split(r"[，,。；;、]", f"{item}；{conditions}"):
        band = quantity_range(clause) if qty else None
        if band is None or (math.isinf(band[1]) and math.isinf(band[2])):
            continue
        if band[0] in ("day", "minute") and _WINDOW.search(clause):
            continue  # a look-back window or a time allowed for a step (_WINDOW), not a duration of the act
        value = fact_value(qty, band[0], clause)
        if value is not None and not within(value, band):
            reasons.append(f"事实所述数量超出该项的条件「{clause.strip()}」")
            break
    if _FIRST_TIME.search(conditions) and prior is not None and prior[0] >= 1:
        count = f"{int(prior[0])}次" if prior[0] == prior[1] else f"至少{int(prior[0])}次"
        reasons.append(f"事实表明此前已有同类违法（{count}），不属于「首次违法」")
    if _CORRECTED.search(conditions) and _NOT_CORRECTED.search(facts):
        reasons.append("事实表明当事人未在期限内改正")
    return "；".join(reasons)


# the facts say it was put right, in the words officers use («当天就补上了», «限期内已整改到位», «马上停了»)
_FIXED = re.compile(r"(?:期限|期)内[^，。；]{0,6}(?:改|整改|纠正|修好|补)|(?:及时|主动|当场|当天|立即|马上|随即|很快)[^，。；]{0,6}"
                    r"(?:改|整改|纠正|补上|补办|补齐|停|拆|清理|修好)|整改(?:完毕|到位|好了)|已经?(?:改正|整改|补上|补办)|按期[^，。；]{0,4}(?:改|补)")


def conditions_stated(conditions: str, facts: str, prior: tuple[float, float] | None) -> bool:
    """Whether the facts state the two conditions every 不予处罚 item rests on, where the item names them: a first
    offence (``prior``, an earlier count of nil: «首次», «头一回», «从没有过») and a correction in time (``_FIXED``). Source:
    行政处罚法 第三十三条第一款 (初次违法且危害后果轻微并及时改正的，可以不予行政处罚)."""
    first = not _FIRST_TIME.search(conditions) or (prior is not None and prior[1] == 0)  # prior.prior_from_facts
    fixed = not _CORRECTED.search(conditions) or bool(_FIXED.search(facts))
    return first and fixed and not _NOT_CORRECTED.search(facts)
