"""The medium (环境要素) of a row's law and of a case's facts (assistant/discretion/media.py), and the matcher's
preference for the row of the law for the medium the facts name when one act stands in several laws."""

import pytest

from assistant.discretion.media import fact_media, law_medium


@pytest.mark.parametrize("basis, medium", [
    ("《中华人民共和国水污染防治法》第八十一条 以拖延、围堵、滞留执法人员等方式……", "water"),
    ("《中华人民共和国大气污染防治法》第九十八条 违反本法规定，以拒绝进入现场等方式……", "air"),
    ("《中华人民共和国放射性污染防治法》第四十九条第二项", "radiation"),
    ("《放射性同位素与射线装置安全和防护条例》第五十八条", "radiation"),
    ("《医疗废物管理条例》第四十六条", "waste"),
    ("《中华人民共和国土壤污染防治法》第九十三条", "soil"),
    ("《中华人民共和国环境影响评价法》第三十一条", None),  # no one medium
    ("《排污许可管理条例》第三十九条", None),
    ("", None),
])
def test_the_medium_of_a_rows_law(basis, medium):
    assert law_medium(basis) == medium


def test_the_chapter_stands_in_when_no_title_is_cited():
    assert law_medium("", "", "第二章 水污染防治类") == "water"


@pytest.mark.parametrize("facts, media", [
    ("台山一家电镀厂，我们到场查污水排放口，门卫拖了四十分钟才开门", {"water"}),
    ("恩平一家探伤公司，执法人员去查辐射安全，老板锁门不让进", {"radiation"}),
    ("一家医院装了台DSA，环评还没批就用上了", {"radiation"}),
    ("废砂堆在厂里没盖，一下雨冲进水沟", {"waste", "water"}),
    ("台山某厂，负责人拖了四十多分钟才开门", set()),
])
def test_the_media_the_facts_name(facts, media):
    assert fact_media(facts) == media


def test_the_row_of_the_law_for_the_named_medium_comes_first():
    from types import SimpleNamespace

    from assistant.discretion.facts import bigrams
    from assistant.discretion.matching import ViolationMatcher
    from tests.fakes import FakeGroup, HashingEmbedder

    def group(violation: str, law: str) -> FakeGroup:
        record = SimpleNamespace(penalty_basis=f"《{law}》第八十一条", violated_provision="", category="", circumstance="",
                                 range_text="")
        return FakeGroup(violation, bigrams(violation), tiers=[SimpleNamespace(chunk=SimpleNamespace(id=f"{law}{violation}", record=record))])

    act = "以拖延、围堵、滞留执法人员等方式拒绝、阻挠监督检查"
    groups = [group(act, "中华人民共和国大气污染防治法"), group(act + "的", "中华人民共和国水污染防治法"),
              group("在人口集中地区焚烧秸秆", "中华人民共和国大气污染防治法")]
    ranked = ViolationMatcher(groups, embedder=HashingEmbedder()).rank("查污水排放口时，门卫拖延执法人员，阻挠监督检查四十分钟")
    assert ranked[0].group is groups[1]
    ranked = ViolationMatcher(groups, embedder=HashingEmbedder()).rank("查锅炉废气时，门卫拖延执法人员，阻挠监督检查四十分钟")
    assert ranked[0].group is groups[0]
