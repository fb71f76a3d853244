"""The term a text sets for itself (有效期): 规范性文件 such as 裁量基准 are issued for a fixed period.

「本规定自2022年1月1日起施行，有效期五年」 (广东省生态环境行政处罚自由裁量权规定 第二十五条) puts the text out of force
on 2027-01-01; 「有效期至2026年12月31日」 on the day after. Evidence, strongest first:

1. the text's own article (found in its chunks);
2. the source's label recorded in the document's note («来源网站标注有效期至2026-12-31»);
3. the term of the text it belongs to: an attachment or companion table whose note names another document's
   文号 («与江环〔2020〕10号《裁量标准规定（试行）》配套的裁量表») shares that document's term when it states none.

A term ends the text like a dated repeal does (corpus/currency.py writes it as ``repealed_on``); a repeal clause
that takes effect earlier wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from corpus.model import Document, normalise_date
from corpus.numerals import CN_NUM_CHARS
from corpus.store import Store
from corpus.validity import cn_date, start_date

_NUM = r"\d{1,4}|[" + CN_NUM_CHARS + r"〇零两]{1,4}"
# 「2020年3月1月」 (江门 规定 第十八条 as published) is read as the 1st of March
_DATE = rf"(?:{_NUM})\s*年\s*(?:{_NUM})\s*月\s*(?:{_NUM})\s*[日月号]|\d{{4}}-\d{{1,2}}-\d{{1,2}}"
_YEARS = re.compile(rf"(?:自\s*(?P<start>{_DATE})\s*起)?\s*(?:试行|施行|实施|执行)[^。；]{{0,8}}?"
                    rf"(?:试行期|有效期)(?:为|暂定为?)?\s*(?P<n>[0-9一二三四五六七八九十两]{{1,3}})\s*年")
_UNTIL = re.compile(rf"有效期(?:至|到|截至)\s*(?P<end>{_DATE})")
# the text speaks of itself («本规定», «本清单»): a licence's 有效期 in a law is no term of the law
_SELF = re.compile(r"本(?:规定|办法|细则|清单|目录|标准|意见|通知|决定|规则|方案|裁量表|参照表|基准|指引|制度)")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}〔\d{4}〕\d{1,4}号")
_CN = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}


@dataclass(frozen=True)
class Term:
    """When a text's own term ends and where that is said."""

    ends_on: str  # YYYY-MM-DD: the first day the text is out of force
    basis: str  # shown to the user: «依据《X》第二十五条「有效期五年」，自2027年1月1日起失效»


def _years(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN.get(tens, 1) if tens else 1) * 10 + (_CN.get(ones, 0) if ones else 0)
    return _CN.get(text)


def _day(text: str) -> str:
    return normalise_date(re.sub(r"[月号]$", "日", text.strip()))


def _add_years(day: str, years: int) -> str:
    d = date.fromisoformat(day)
    try:
        return d.replace(year=d.year + years).isoformat()
    except ValueError:  # 29 February → 1 March
        return (d.replace(year=d.year + years, day=28) + timedelta(days=1)).isoformat()


def term_in(text: str, start: str = "") -> tuple[str, str] | None:
    """The term a sentence states: (first day out of force YYYY-MM-DD, the words that say so), or None.

    ``start`` (YYYY-MM-DD) is the text's own 施行 date, used when the sentence gives a length but no start.
    """
    m = _UNTIL.search(text)
    if m and (end := _day(m.group("end"))):
        return (date.fromisoformat(end) + timedelta(days=1)).isoformat(), m.group(0)
    m = _YEARS.search(text)
    if m and (m.group("start") or _SELF.search(text)):
        begin = _day(m.group("start")) if m.group("start") else start
        years = _years(m.group("n"))
        if begin and years and 0 < years <= 30:
            return _add_years(begin, years), m.group(0).strip()
    return None


def document_terms(store: Store, docs: list[Document]) -> dict[str, Term]:
    """doc id → its Term, for the documents among ``docs`` that state one (own article, note, or the 文号 they
    belong to, in that order)."""
    by_id = {d.id: d for d in docs}
    out: dict[str, Term] = {}
    for chunk in store.chunks_containing("有效期"):
        doc = by_id.get(chunk.doc_id)
        if doc is None or doc.id in out:
            continue
        for sentence in re.split(r"(?<=[。；])", chunk.text):
            found = term_in(sentence, start_date(doc))
            if found:
                where = f"《{doc.title}》{chunk.label_cn if chunk.article is not None else ''}"
                out[doc.id] = Term(found[0], f"依据{where}「{found[1]}」，自{cn_date(found[0])}起失效")
                break
    for doc in docs:
        if doc.id not in out and (found := term_in(doc.note or "", start_date(doc))):
            out[doc.id] = Term(found[0], f"来源标注「{found[1]}」，自{cn_date(found[0])}起失效")
    own_number = {}
    for doc in docs:
        m = _DOC_NUMBER.match((doc.note or "").strip())
        if m and doc.id in out:
            own_number.setdefault(m.group(0), doc)
    for doc in docs:
        if doc.id in out:
            continue
        number = next((n for m in _DOC_NUMBER.finditer(doc.note or "") for n in _suffixes(m.group(0))
                       if n in own_number), None)
        parent = own_number.get(number) if number else None
        if parent is not None and parent.id != doc.id:
            out[doc.id] = Term(out[parent.id].ends_on, f"与《{parent.title}》（{number}）配套，"
                                                       f"随其于{cn_date(out[parent.id].ends_on)}失效")
    return out


def _suffixes(number: str) -> list[str]:
    """「与江环〔2020〕10号」 → 与江环〔2020〕10号, 江环〔2020〕10号, 环〔2020〕10号: the words before a 文号 run into its
    prefix, so each shorter reading is tried, longest first."""
    head, _, rest = number.partition("〔")
    return [head[i:] + "〔" + rest for i in range(len(head))]
