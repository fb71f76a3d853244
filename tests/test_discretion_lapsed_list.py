"""The place's own lapsed 不予处罚 list (江门's, 有效期三年) is shown with its status when the current lists hold
nothing nearer: its first two items when the current lists give none — dev9 d9-023 («环评后评价…一直拖着没做», a 江门
item ranked second behind another item of the same lapsed list, was left out when only its first item was shown) —
and never more than three items in all."""

from pathlib import Path

import pytest

from assistant.discretion.advisor import DiscretionAdvisor
from assistant.discretion.groups import same_act_overlap
from assistant.discretion.matching import Candidate
from corpus.sqlite_store import SQLiteStore
from tests.builders import GD_NO_PENALTY, GD_STANDARD, JM_NO_PENALTY

FACTS = "江海区一家公司，环评报告表的编制信息一直没向社会公开。两年内第一次，限期内已改正，没造成影响"


@pytest.fixture(scope="module")
def advisor(discretion_data: Path) -> DiscretionAdvisor:
    return DiscretionAdvisor(SQLiteStore(discretion_data / "corpus.db"))


def _ranked(advisor, monkeypatch, *lists: str) -> None:
    """The matcher's candidates: the 不予处罚 items of ``lists``, best first in list order, then a current table's act
    (something current is near, so the lapsed list is the place's own beside it)."""
    groups = [g for title in lists for g in advisor.groups if g.no_penalty and g.doc.title == title]
    items = [g.violation for g in advisor.groups if g.no_penalty]
    groups.append(min((g for g in advisor.groups if not g.no_penalty and g.doc.title == GD_STANDARD),
                      key=lambda g: max(same_act_overlap(g.violation, v) for v in items)))  # an act no list has
    ranked = [Candidate(1.0 - 0.01 * n, 0.5, 0.5, g) for n, g in enumerate(groups)]
    monkeypatch.setattr(advisor.matcher, "rank", lambda facts: ranked)


def test_two_items_of_the_places_lapsed_list_when_no_current_list_has_one(advisor, monkeypatch):
    _ranked(advisor, monkeypatch, JM_NO_PENALTY)
    advice = advisor.advise(FACTS)
    lapsed = [i for i in advice.no_penalty if i.document == JM_NO_PENALTY]
    assert len(lapsed) == 2 and all(i.status == "已失效" for i in lapsed)


def test_never_more_than_three_items(advisor, monkeypatch):
    _ranked(advisor, monkeypatch, JM_NO_PENALTY, GD_NO_PENALTY)  # the lapsed list's items nearer than the current's
    advice = advisor.advise(FACTS)
    assert len(advice.no_penalty) <= 3
    assert any(i.document == JM_NO_PENALTY for i in advice.no_penalty)
    assert any(i.document == GD_NO_PENALTY for i in advice.no_penalty)
