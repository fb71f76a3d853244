"""Acts that hold only on a premise the facts must state: «发现个人剂量监测结果异常，未进行核实与调查……» is a
duty once an anomaly was found; facts that name no anomaly («探伤工一直没戴个人剂量计») are the plain duty
«未按规定开展个人剂量监测», however close the encoder puts the two (dev20 d20-016). The other way round, an accident
whose grade the facts state as determined («事故定级报的是较大那一级») is the premise of the acts «……造成……事故», and
those come first (dev22 d22-006)."""

from __future__ import annotations

import re

from assistant.discretion.ranking import moved_ahead
from assistant.discretion.spoken import event_grades

# an act opening with what was found: «发现X，未…», «发现X不报告»
_FOUND = re.compile(r"^发现(.+?)(?:，|,|未|不(?:及时)?(?:报告|整改|处理))")
# what a premise is about, and the words facts use for it
_PREMISE_WORDS = (
    (re.compile(r"异常"), re.compile(r"异常|不正常|反常|偏高|偏大|超标|超出|超过|明显高|突然高|报警")),
    (re.compile(r"隐患"), re.compile(r"隐患|问题|风险|缺陷|故障|坏了|损坏|老化")),
    (re.compile(r"超过|超标"), re.compile(r"超标|超过|超出|超了")),
)
PREMISE_SHARE = 0.85  # how near the best the act behind must score to be put ahead (dev20 d20-016: 0.872 v 0.953)


def premise_unstated(violation: str, facts: str) -> bool:
    """Whether ``violation`` opens with a premise («发现…异常») the facts do not state in any of its words.

    Args:
        violation: an act of a 裁量 table.
        facts: the case as the officer states it.

    Returns:
        True only for an act opening with «发现» whose premise is of a known kind (异常, 隐患, 超标) and facts
        without a word of that kind; False otherwise."""
    m = _FOUND.match(violation or "")
    if not m:
        return False
    kinds = [said for marker, said in _PREMISE_WORDS if marker.search(m.group(1))]
    return bool(kinds) and not any(said.search(facts or "") for said in kinds)


def premised_acts_behind(ranked: list[tuple], facts: str, share: float = PREMISE_SHARE) -> list[tuple]:
    """``ranked`` (score, coverage, group), best first, with a leading act whose premise the facts leave unstated
    (:func:`premise_unstated`) put behind the next act that needs none, if that one scores at least ``share`` of it;
    the places keep their scores. Unchanged otherwise."""
    if not ranked or not premise_unstated(ranked[0][2].violation, facts):
        return ranked
    best = max(ranked[0][0], 0.0)
    nxt = next((i for i, r in enumerate(ranked[1:], 1) if not premise_unstated(r[2].violation, facts)), None)
    if nxt is None or ranked[nxt][0] < share * best:
        return ranked
    return moved_ahead(ranked, [nxt], list(range(nxt)))


# an act that is the consequence itself («违反……规定，造成辐射事故», «造成大气污染事故的»)
_CONSEQUENCE = re.compile(r"造成[^，,；;]{0,14}?(?:事故|事件)")
# facts that say the event was not (or late, or falsely) reported: the act may be the failure to report it
# («丢了一枚源，一直没按规定上报……事件等级最多算一般», dev6 d6-022, dev13 d13-019)
_REPORT_LACKING = re.compile(r"(?:没有?|未|不|迟|晚|瞒|漏|谎)(?:按规定|及时|如实|向上|往上)?(?:上报|报告|报送|报)|隐瞒")


def graded_consequence_first(ranked: list[tuple], facts: str) -> list[tuple]:
    """``ranked`` (score, coverage, group), best first, with the acts that are a consequence («……造成……事故») moved
    ahead of the acts above them when ``facts`` state the event's grade as determined (spoken.event_grades) and do
    not say it went unreported (``_REPORT_LACKING``); the places keep their scores. Over the non-test cases of the
    officer sets, 12 of the 14 whose facts state a grade have the consequence act as gold; the other two say the loss
    was not reported. Unchanged otherwise."""
    if not ranked or not event_grades(facts) or _REPORT_LACKING.search(facts):
        return ranked
    fit = [i for i, r in enumerate(ranked) if not r[2].no_penalty and _CONSEQUENCE.search(r[2].violation)]
    if not fit or fit[0] == 0:
        return ranked
    other = [i for i in range(fit[-1]) if i not in fit]
    return moved_ahead(ranked, fit, other)
