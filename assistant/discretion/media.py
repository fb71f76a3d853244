"""The environmental medium (环境要素) an act of the 裁量 tables is about, read from the law its row cites, and the
media a case's facts name: the same act stands in several laws («拒绝、阻挠监督检查» in 水污染防治法, 大气污染防治法,
土壤污染防治法, 放射性污染防治法 …; «未批先建» in 环境影响评价法 and 放射性污染防治法), and which law applies is the
one for the medium the facts are about (特别法: a 探伤 company's 环评 is 放射性污染防治法's; a 污水排放口 check is
水污染防治法's). Laws for no one medium (环境保护法, 环境影响评价法, 排污许可管理条例, 广东省环境保护条例 …) give None."""

from __future__ import annotations

import os
import re

from assistant.discretion.ranking import moved_ahead

# the medium of a law, by the words of its title (the first 《…》 of the row's 处罚依据, else its 违反条款 or chapter)
_LAW_MEDIA = (("radiation", re.compile(r"放射|核安全|射线|辐射")), ("water", re.compile(r"水污染|饮用水")),
              ("air", re.compile(r"大气")), ("soil", re.compile(r"土壤")), ("noise", re.compile(r"噪声")),
              ("waste", re.compile(r"固体废物|医疗废物|危险废物|电子废物|废弃电器")))
_TITLE = re.compile(r"《([^》]+)》")

# the words of the facts that name a medium (things, places, pollutants officers name)
_FACT_MEDIA = {
    "water": re.compile(r"废水|污水|排水|水体|河涌|河道|河里|江里|湖|水库|水渠|灌溉渠|水沟|水源|雨水|渗滤液|COD|化学需氧量|氨氮"
                        r"|总磷|水样|出水|进水|水质"),
    "air": re.compile(r"废气|烟气|烟囱|排气筒|扬尘|粉尘|灰尘|油烟|恶臭|臭味|异味|VOC|挥发性有机|喷漆|锅炉|尾气|颗粒物|二氧化硫"
                      r"|氮氧化物|黑烟|气味|熔炉"),
    "waste": re.compile(r"固废|固体废物|危废|危险废物|废物|废渣|炉渣|污泥|废砂|瓷渣|边角料|废油|废机油|废矿物油|医废|废包装"
                        r"|废料|尾矿|矿渣"),
    "soil": re.compile(r"土壤|地块|农用地|风险管控"),
    "radiation": re.compile(r"辐射|放射|射线|探伤|放射源|[一二三四五]类源|CT|DSA|X光|伽马|γ|核技术|同位素|加速器|测井"),
    "noise": re.compile(r"噪声|噪音|分贝"),
}


def law_medium(penalty_basis: str, violated_provision: str = "", category: str = "") -> str | None:
    """The medium of the law a row cites: «《中华人民共和国水污染防治法》第八十一条 …» → "water"; None for a law of no
    one medium or when no title is given."""
    cited = _TITLE.search(penalty_basis or "") or _TITLE.search(violated_provision or "")
    title = cited.group(1) if cited else (category or "")  # «第二章 水污染防治类» when no law is cited
    return next((medium for medium, words in _LAW_MEDIA if words.search(title)), None)


def fact_media(facts: str) -> frozenset[str]:
    """The media the facts name by their things and places («查污水排放口» → {"water"}; «探伤公司» → {"radiation"})."""
    return frozenset(medium for medium, words in _FACT_MEDIA.items() if words.search(facts or ""))


# substances some acts are written for (《水污染防治法》 第三十三、三十四条 forbid 放射性固体废物, 剧毒废液, 含病原体的污水
# beside the general 工业废渣 of 第三十七条): facts naming one are about that act rather than the general one
_SPECIAL_SUBSTANCE = re.compile(r"放射性|剧毒|病原体")
_DENIED_BEFORE = re.compile(r"(?:不含|不是|不属于|不涉及|没有|没|无|并非)(?:任何|什么)?$")  # right before: «非法倾倒放射性» names it
SAME_DEED_CHARS = 4  # «向水体排放» (5) opens the general and the special acts of 水污染防治法 第三十三、三十七条
SUBSTANCE_SHARE = 0.9  # how near the best an act naming the substance must score to go first (dev20 d20-021: 0.642 v 0.645)


def named_substances(facts: str) -> frozenset[str]:
    """The special substances the facts name and do not deny: «带放射性的固体废渣» → {"放射性"}; «不含放射性» → {}."""
    return frozenset(m.group(0) for m in _SPECIAL_SUBSTANCE.finditer(facts or "")
                     if not _DENIED_BEFORE.search(facts[:m.start()]))


def substance_act_first(ranked: list[tuple], facts: str, share: float = SUBSTANCE_SHARE) -> list[tuple]:
    """``ranked`` (score, coverage, group), best first, with the acts whose violation names a substance the facts
    name (``named_substances``) and that score at least ``share`` of the best moved ahead of the acts above them that
    name none and open with the same deed (``_same_deed``; the special act before the general: 「倾倒放射性固体废物」
    before 「倾倒工业废渣」 for «带放射性的废渣倒进河里»); the places keep their scores. Unchanged when the facts name
    none or the best names one."""
    named = named_substances(facts)
    if not ranked or not named:
        return ranked

    def names(entry: tuple) -> bool:
        return any(w in entry[2].violation for w in named)

    if names(ranked[0]):
        return ranked
    best = max(ranked[0][0], 0.0)
    fit = [i for i, r in enumerate(ranked) if r[0] >= share * best and names(r)]
    if not fit:
        return ranked
    other = [i for i in range(fit[-1]) if i not in fit and not names(ranked[i])
             and any(_same_deed(ranked[i][2].violation, ranked[j][2].violation) for j in fit)]
    return moved_ahead(ranked, fit, other) if other else ranked


def _same_deed(a: str, b: str) -> bool:
    """Whether two acts open with the same deed («向水体排放、倾倒…»): the general and the special act of one
    article. Acts that only speak of the same substance («托运人未……放射性物品运输……» beside «出具虚假辐射监测报告»,
    dev4 d4-047) are different deeds, and their order stays the words'."""
    return len(os.path.commonprefix([a, b])) >= SAME_DEED_CHARS
