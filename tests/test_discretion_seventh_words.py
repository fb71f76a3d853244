"""Colloquial words of the fourteenth dev sets' misses (2026-12-04) that the term list now gives their legal words,
and one it must not: «没…防渗» gave 防范措施 to every 防渗池 case (five dev cases lost) and was left out."""

import pytest


@pytest.mark.parametrize("said, legal, not_legal", [
    ("一整年都没对外公开排放数据", "不公布", None),  # the table's 「不公布」 row, not 「已公布……但不符合规定」 (dev14 d14-024)
    ("拿出一套假记录来应付检查", "弄虚作假", None),
    ("责令其补编突发环境事件应急预案", None, "弄虚作假"),  # drawing up a missing plan late is a remedy, not fraud
    ("把废水抽进隔壁村的菜地", "农用地", None),
    ("放源的库房没有双人双锁", "安全保卫制度", None),
    ("企业保卫科人员在门口拦着", None, "安全保卫制度"),
    ("危废仓库没有围堰，油桶漏了", "防范措施", None),
    ("地下油罐没建防渗池", None, "防范措施"),  # a 防渗池 is no spill the party failed to contain (o007, d4-022)
])
def test_the_seventh_sessions_words(said, legal, not_legal):
    from assistant.retrieval.terms import expand
    if legal:
        assert legal in expand(said)
    if not_legal:
        assert not_legal not in expand(said)
