"""Places of special protection as the facts and the 裁量 rows name them: a row set in one (环境敏感区, 饮用水水源保护区,
禁止建设的区域 …) applies only when the facts name the place, and is closed when they name it only to deny it."""

from __future__ import annotations

import re

# a row that adds a protected place to the act («……，且排放去向涉及环境敏感区的») is an aggravating
# circumstance the officer would state, like 造成重大影响 (a row that *is* a place or its complement is read by
# facts._by_complement)
PROTECTED = re.compile(r"敏感|保护区|水源|风景名胜|限批区|自然保护地|生态保护红线|饮用水|禁止建设|禁建区")  # 禁建区: dev17 d17-003


_PARENTHESES = re.compile(r"（[^（）]*）|\([^()]*\)")
# (not the question words «是不是», «在不在», «有没有»: dev14 d14-031)
PLACE_DENIAL = re.compile(r"不涉及|不含|以外|之外|(?<!在)不在|(?<!属)不属于?|(?<!是)不是|不算|并非|非(?!法)|没在|没被|(?<!有)没有"
                          r"|无(?![证照环])|离|距离?")  # only near it: «离水源地很远», «距离保护区3公里»
# said after it in its clause: outside it, or no longer one («保护区外», «限批已经解除», «离……很远»)
_NOT_IN_AFTER = re.compile(r"解除|取消|撤销|不再|已不|很远|较远|\d+\s*(?:公里|千米|米)")
PLACE_REACH = 8  # characters before a place name (or before the list it is in) in which a denial denies it


def place_denied(facts: str, m: re.Match) -> bool:
    """Whether the protected place ``m`` found in ``facts`` is denied: a denial in the ``PLACE_REACH`` characters
    before it, or before the 、-list it is in («附近没有水源保护区、自然保护区、风景区», dev2 d2-038), within its
    clause (or only a distance from it: 离, 距离); or 以外/之外/外 right after it («敏感区以外的区域»), or lifted or
    far in its clause («限批已经解除», «很远», «3公里»)."""
    if re.match(r"[区域地线]?(?:以外|之外|外)", facts[m.end():m.end() + 4]):
        return True
    after = re.split(r"[，,。；;]", facts[m.end():])[0]  # «水源地、自然保护区、风景区都不沾边» (dev2 d2-037)
    if _NOT_IN_AFTER.search(after) or re.search(r"(?:都|均|全都|也都|全)(?:不沾边|不涉及|没有|不在|不挨着|不靠)", after):
        return True
    before = re.split(r"[，,。；;]", facts[:m.start()])[-1]
    items = before.split("、")
    head = "、".join(items[:1])[-PLACE_REACH:] if len(items) > 1 and all(
        PROTECTED.search(i) for i in items[1:-1]) else before[-PLACE_REACH:]
    return bool(PLACE_DENIAL.search(head))


def places_denied(facts: str) -> bool:
    """Whether the facts name protected places (``PROTECTED``) only to deny them (``place_denied``: «不在环境敏感区»,
    «不属于水源保护区», «附近没有水源保护区、自然保护区»)."""
    found = list(PROTECTED.finditer(facts))
    return bool(found) and all(place_denied(facts, m) for m in found)


def aggravating_place(value: str) -> bool:
    """Whether ``value`` joins a clause naming a protected place (``PROTECTED``, not negated: «不涉及自然保护区»
    is the plain case) to other clauses."""
    parts = [c for c in re.split(r"[，,；;]", value) if c.strip()]
    return len(parts) >= 2 and any(PROTECTED.search(c) and not PLACE_DENIAL.search(_PARENTHESES.sub("", c))
                                   for c in parts)


def closed_by_place(values: list[str], facts: str) -> set[str]:
    """The values of one factor that the facts' places close: with no protected place named, the values that add one
    to other clauses (``aggravating_place``: «超标，且排放去向涉及环境敏感区»); with places named only to deny them
    (``places_denied``: «不在环境敏感区»), every value set in one (dev5 d5-031) — «涉及地下水保护区（不含水源涵养区）»
    is set in one: the parenthesis only narrows it (dev2 d2-039)."""
    if not PROTECTED.search(facts):
        return {v for v in values if aggravating_place(v)}
    if places_denied(facts):
        return {v for v in values if PROTECTED.search(v) and not PLACE_DENIAL.search(_PARENTHESES.sub("", v))}
    return set()
