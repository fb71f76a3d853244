"""The place's own lapsed 不予处罚 list (江门's, 有效期三年) is shown with its status when the current lists hold
nothing nearer: its first two items, as for a current list — dev9 d9-023 («环评后评价…一直拖着没做», a 江门 item
ranked second behind another item of the same lapsed list, was left out when only its first item was shown)."""

from pathlib import Path

import pytest

from assistant.discretion.advisor import DiscretionAdvisor
from corpus.sqlite_store import SQLiteStore
from tests.builders import JM_NO_PENALTY


@pytest.fixture(scope="module")
def advisor(discretion_data: Path) -> DiscretionAdvisor:
    return DiscretionAdvisor(SQLiteStore(discretion_data / "corpus.db"))


def test_two_items_of_the_places_lapsed_list_are_shown(advisor):
    facts = "江海区一家公司，环评报告表的编制信息一直没向社会公开，登记表也没去备案。两年内第一次，限期内已改正，没造成影响"
    advice = advisor.advise(facts)
    lapsed = [i for i in advice.no_penalty if i.document == JM_NO_PENALTY]
    assert len(lapsed) == 2 and all(i.status == "已失效" for i in lapsed)
    assert any("公开" in i.violation for i in lapsed)
