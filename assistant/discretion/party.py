"""Who the party is — a natural person (个人) or a unit (企业、单位、组织者) — when the tables fine the two apart.

The 广东 表 has «个人在饮用水水源一级保护区内游泳、垂钓……» (200元以下 / 200元以上500元以下) beside «在饮用水水源一级保护区
内……组织进行旅游、垂钓……» (3万元以上4万元以下): the same act, fines 150 times apart, told apart only by who did it
(水污染防治法 第九十一条第二款 then, 生态环境法典 第一千一百四十五条 now: 个人 … 处五百元以下). When the facts say who,
the rows for that party come first; when they do not, the table's best fit stays first and the officer is warned
that the fines differ by party.
"""

from __future__ import annotations

import re

PERSON, UNIT = "person", "unit"

_PERSON_ROW = re.compile(r"^[（(]?[一二三四五六七八九十\d]*[）)]?\s*(?:个人|自然人)")
_PERSON = re.compile(r"个人|自然人|钓鱼佬|钓友|村民|市民|居民|游客|男子|女子|老人|小孩|学生|某人|一人|几个人|有人|私家车主|车主"
                     r"|摊主|小贩|大爷|大妈|阿姨|老汉|钓鱼的")
_UNIT = re.compile(r"企业|公司|单位|工厂|厂(?:家|里|区|方)?|经营者|养殖场|合作社|酒店|饭店|宾馆|医院|学校|工地|集团|旅行社"
                   r"|景区|组织|老板|农家乐|度假村|俱乐部"
                   # a business run («新开了个洗车场», dev8 d8-011); a place named only says where («男子在码头附近游泳»)
                   r"|(?:开|办|搞)了?(?:个|一个|家|一家)[^，,。；;在到去旁边]{0,4}(?:场|店|厂|站)")


def is_person_row(violation: str) -> bool:
    """Whether a table row's act is one of a natural person («个人在……垂钓»)."""
    return bool(_PERSON_ROW.match(violation or ""))


def party_of(facts: str) -> str | None:
    """``PERSON`` or ``UNIT`` when the facts say who acted (one kind of word only), else None («有人组织游客垂钓»
    names both: the organiser is asked about)."""
    person, unit = bool(_PERSON.search(facts or "")), bool(_UNIT.search(facts or ""))
    if person == unit:
        return None
    return PERSON if person else UNIT
