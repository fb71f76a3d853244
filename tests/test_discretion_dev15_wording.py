"""What the fifteenth blind set (dev15, 2026-12-04) showed: earlier violations told as «查到过三回», and rows shown
when the first act is decided — the next acts the matcher ranked fill the three rows the officer sees first."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.discretion.advisor import MORE_ACTS, ROWS_SHOWN, DiscretionAdvisor
from assistant.discretion.matching import Candidate
from assistant.discretion.prior import prior_from_facts
from corpus.sqlite_store import SQLiteStore


@pytest.mark.parametrize("facts, count", [
    ("近两年查到过三回了，这次倒是挺配合", (3, 3)),
    ("近两年被查到过两次", (2, 2)),
    ("之前查到过一回", (1, 1)),
    ("以前被抓到过两次偷排", (2, 2)),
    ("这次查到三次超标", None),  # the present inspection, not an earlier one
    ("现场查到了三桶危废", None),
    ("没查到过三次", None),
])
def test_earlier_violations_found_before(facts, count):
    assert prior_from_facts(facts) == count


class _Order:
    """A matcher stand-in that ranks the groups it is given, with their scores."""

    def __init__(self, ranked):
        self.ranked = ranked

    def rank(self, facts):
        return [Candidate(score, 0.5, 0.0, group) for score, group in self.ranked]


@pytest.fixture(scope="module")
def advisor(discretion_data: Path) -> DiscretionAdvisor:
    return DiscretionAdvisor(SQLiteStore(discretion_data / "corpus.db"))


def _group(advisor, start: str):
    return next(g for g in advisor.groups if g.doc.region == "广东" and not g.no_penalty and g.violation.startswith(start))


def test_a_decided_act_is_followed_by_the_next_acts_best_rows(advisor, monkeypatch):
    fishing, monitoring, labels = (_group(advisor, "在饮用水水源一级"), _group(advisor, "擅自撤销"),
                                   _group(advisor, "未按照规定设置危险废物"))
    far = 0.6 * MORE_ACTS - 0.01
    monkeypatch.setattr(advisor, "matcher", _Order([(0.6, fishing), (0.4, monitoring), (far, labels)]))
    advice = advisor.advise("在饮用水水源一级保护区内垂钓，去年也被查处过一次", region="广东")
    assert advice.decision == "matched"  # the first act decides; the rows after it are for checking
    first, *rest = advice.matches
    assert first.violation == fishing.violation and first.range_text == "3万元以上4万元以下"
    assert rest and len(advice.matches) <= ROWS_SHOWN
    assert {m.violation for m in rest} == {monitoring.violation}  # the act below MORE_ACTS × the best is not shown
    assert any("相似度较低" in w and monitoring.violation[:20] in w for w in advice.warnings)
    assert not first.related and all(m.related for m in rest)  # marked for the UI, the API and the drafts

    from assistant.case.drafts import usable_tier
    from web.ui import advice_markdown
    assert "〔相近违法行为，仅供核对〕" in advice_markdown(advice)
    only_related = advice.model_copy(update={"matches": rest})
    assert usable_tier(only_related)[0] is None  # a draft never rests on a row shown for checking


def test_no_act_close_enough_adds_no_rows(advisor, monkeypatch):
    fishing, monitoring = _group(advisor, "在饮用水水源一级"), _group(advisor, "擅自撤销")
    monkeypatch.setattr(advisor, "matcher", _Order([(0.6, fishing), (0.6 * MORE_ACTS - 0.01, monitoring)]))
    advice = advisor.advise("在饮用水水源一级保护区内垂钓，去年也被查处过一次", region="广东")
    assert [m.violation for m in advice.matches] == [fishing.violation]
    assert not any("相似度较低" in w for w in advice.warnings)


@pytest.mark.parametrize("violation, said, unsaid", [
    ("在饮用水水源保护区内设置排污口的", "有家电镀厂的排污口一直没立牌子", True),
    ("在饮用水水源保护区内设置排污口的", "在水源保护区里偷偷开了个排污口", False),
    ("在饮用水水源一级保护区内从事网箱养殖或者组织进行旅游、垂钓", "一级保护区里有人钓鱼", False),
    ("在风景名胜区内建设工业固体废物集中贮存设施", "风景区边上堆了一片工业废渣", False),  # 风景 + 景区: named
    ("未按照规定设置标志牌，逾期不改正的", "排污口没立牌子", False),  # no place in the act
])
def test_an_act_of_a_protected_place_needs_the_place_named(violation, said, unsaid):
    from assistant.discretion.scope import place_unsaid
    assert place_unsaid(violation, said) is unsaid


@pytest.mark.parametrize("facts", ["出的报告数据是编的", "监测记录都是瞎编的"])
def test_made_up_in_everyday_words_is_false(facts):
    from assistant.retrieval.terms import expand
    assert "虚假" in expand(facts) and "弄虚作假" in expand(facts)
