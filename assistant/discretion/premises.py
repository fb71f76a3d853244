"""Acts that hold only on a premise the facts must state: «发现个人剂量监测结果异常，未进行核实与调查……» is a
duty once an anomaly was found; facts that name no anomaly («探伤工一直没戴个人剂量计») are the plain duty
«未按规定开展个人剂量监测», however close the encoder puts the two (dev20 d20-016)."""

from __future__ import annotations

import re

from assistant.discretion.ranking import moved_ahead

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
