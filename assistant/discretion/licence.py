"""Who lacks the licence: the party itself («老板没有许可证，私下帮人堆放放射性废料» — 未经许可，擅自从事贮存…) or the
one it handed the waste to («把危废交给一家没证的公司处理» — 将危险废物提供或者委托给无许可证的单位…).

The tables hold both acts for 危险废物 and for 放射性固体废物, in nearly the same words; the encoder and the bigrams
cannot tell them apart, the facts' grammar can: a licence denied after a handing-over verb is the recipient's.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.discretion.ranking import moved_ahead

if TYPE_CHECKING:
    from assistant.discretion.groups import Group

OWN, RECIPIENT = "own", "recipient"
LEAD_SHARE = 0.6  # an act of the facts' reading moves ahead only from within this share of the best score

# the act: handing over to a party without a licence / doing the thing without one
_RECIPIENT_ACT = re.compile(r"(?:提供|委托|交付|送交|交给|转移)[^，,；;。]{0,14}(?:无|没有|不具备)[^，,；;。]{0,8}(?:许可证|资质)")
_OWN_ACT = re.compile(r"未经许可|(?:无|未取得)[^，,；;。]{0,10}许可证[^，,；;。]{0,4}(?:从事|擅自)|擅自从事")
# the facts: a licence denied to whom the waste went («交给一家没证的公司», «委托给没有资质的个人»), or denied plainly
_LICENCE = r"(?:许可证|经营证|证照|资质|(?<![保凭论验见])证(?![据明实件]))"  # not 证据, 证明, 保证
_HANDED = re.compile(r"(?:交给|委托|卖给|转给|送给|送到|拉给|给了|让|找了?|请了?)[^，,。；;！？]{0,10}"
                     r"(?:没有|没|无|不具备|没拿|没办)[^，,。；;！？]{0,6}" + _LICENCE
                     # the recipient named in the next clause: «卖给了一个收废品的，对方没有经营许可证»
                     + r"|(?:交给|委托|卖给|转给|送给|拉给|给了)[^。；;！？]{0,16}[，,](?:对方|他们|人家|那家|那人|收的人|此人)"
                     r"(?:也|都)?(?:没有|没|无|不具备)[^，,。；;！？]{0,6}" + _LICENCE)
_UNLICENSED = re.compile(r"(?:没有|没|无|没办|没拿|未取得|未办)[^，,。；;！？]{0,4}" + _LICENCE)


def act_reading(violation: str) -> str | None:
    """Whose licence an act is about: ``RECIPIENT`` («…提供或者委托给无许可证的单位…»), ``OWN`` («未经许可，擅自
    从事…», «无许可证从事…经营活动»), or None (neither, or both)."""
    recipient, own = bool(_RECIPIENT_ACT.search(violation)), bool(_OWN_ACT.search(violation))
    return RECIPIENT if recipient and not own else OWN if own and not recipient else None


def facts_reading(facts: str) -> str | None:
    """Whose licence the facts deny: ``RECIPIENT`` when a handing-over verb comes before the denial («交给一家没证的
    公司»), ``OWN`` when the licence is denied without one («老板没有许可证»), None when they deny none."""
    if _HANDED.search(facts):
        return RECIPIENT
    return OWN if _UNLICENSED.search(facts) else None


def licence_holder_first(ranked: list[tuple[float, float, "Group"]], facts: str
                         ) -> list[tuple[float, float, "Group"]]:
    """``ranked`` (score, coverage, group), best first, with the acts of the facts' reading (``facts_reading``)
    within ``LEAD_SHARE`` of the best moved ahead of the acts of the other reading; the places those acts held keep
    their scores, so the scores stay in descending order. Unchanged when the facts deny no licence or no act of
    their reading is near (dev16 d16-014)."""
    wanted = facts_reading(facts)
    if wanted is None or not ranked:
        return ranked
    best = max(ranked[0][0], 0.0)
    readings = [act_reading(g.violation) for _, _, g in ranked]
    fit = [i for i, r in enumerate(ranked) if readings[i] == wanted and r[0] >= LEAD_SHARE * best]
    if not fit:
        return ranked
    other = [i for i, reading in enumerate(readings) if reading not in (None, wanted) and i < fit[-1]]
    if not other:
        return ranked
    return moved_ahead(ranked, fit, other)
