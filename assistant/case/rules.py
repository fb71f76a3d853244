"""Time-limit rules as the law words them: 「自立案之日起九十日内」, 「告知后五日内」, 「举行听证的七日前」,
「自收到行政处罚决定书之日起十五日内」, 「自紧急实施之时起二十四小时内」, 「自告知书送达之日起五个工作日内」.

:func:`parse_rule` reads one into a :class:`ParsedRule`; :func:`event_index` maps the event wordings of the data
file (names and aliases) to event names. Numbers may be Chinese or Arabic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.numerals import cn_to_int

from assistant.case.model import EventSpec, Unit

_NUMBER = r"[〇零一二两三四五六七八九十百千\d]+"
_UNIT = r"个工作日|工作日|个月|月|日|天|年|小时"
_FORMS = (
    (re.compile(rf"^自(?P<event>.+?)之(?:日|时)起(?P<n>{_NUMBER})(?P<unit>{_UNIT})内$"), False),
    (re.compile(rf"^(?P<event>.+?)(?:后|起)(?P<n>{_NUMBER})(?P<unit>{_UNIT})内$"), False),
    (re.compile(rf"^(?:在)?(?P<event>.+?)的?(?P<n>{_NUMBER})(?P<unit>个工作日|工作日|日|天)(?:以)?前$"), True),
)
_UNITS: dict[str, Unit] = {"个工作日": "工作日", "工作日": "工作日", "个月": "月", "月": "月", "日": "日", "天": "日",
                           "年": "年", "小时": "小时"}
PERIOD = re.compile(rf"^\s*(?P<n>{_NUMBER})\s*(?P<unit>{_UNIT})?\s*(?:内)?\s*$")


class RuleError(ValueError):
    """A time-limit rule that cannot be read (the message says which and why, in Chinese)."""


@dataclass(frozen=True)
class ParsedRule:
    """``event``: the wording of the starting (or, with ``before``, the later) event as written;
    ``amount`` in ``unit``; ``before``: 「……的七日前」 — the act must be done at least that long before."""

    event: str
    amount: int
    unit: Unit
    before: bool = False


def _number(text: str) -> int:
    value = int(text) if text.isdigit() else cn_to_int(text)
    if not value or value <= 0:
        raise RuleError(f"期限「{text}」不是正整数")
    return value


def parse_rule(rule: str) -> ParsedRule:
    """``rule`` → :class:`ParsedRule`. Raises RuleError for a wording none of the three forms reads."""
    text = "".join(rule.split()).rstrip("。；;")
    for pattern, before in _FORMS:
        m = pattern.match(text)
        if m:
            event = m["event"].removeprefix("在").removeprefix("自")
            return ParsedRule(event, _number(m["n"]), _UNITS[m["unit"]], before)
    raise RuleError(f"无法识别的时限规则「{rule}」（应写作「自……之日起……日内」「……后……日内」或「……的……日前」）")


def parse_period(text: str, default_unit: Unit = "日") -> tuple[int, Unit]:
    """A period an officer states (the 告知书's 「五个工作日」, 「3日」, 「7」) → (amount, unit); a bare number
    takes ``default_unit``. Raises RuleError."""
    m = PERIOD.match(text or "")
    if not m:
        raise RuleError(f"无法识别的期限「{text}」（例如：5个工作日、3日、15日）")
    return _number(m["n"]), _UNITS[m["unit"]] if m["unit"] else default_unit


def event_index(events: dict[str, EventSpec]) -> dict[str, str]:
    """Every wording (name, label, alias; punctuation 、 removed) → event name."""
    index: dict[str, str] = {}
    for name, spec in events.items():
        for wording in (name, spec.label, *spec.aliases):
            if wording:
                index[wording.replace("、", "")] = name
    return index


def resolve_event(wording: str, index: dict[str, str]) -> str | None:
    """The event a rule's wording names (「收到行政处罚决定书」 → 决定书送达), or None."""
    key = wording.replace("、", "")
    return index.get(key) or index.get(key.removeprefix("行政机关").removeprefix("当事人"))
