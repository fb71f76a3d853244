"""When no 裁量基准 covers the facts: the statutes' 罚则 nearest to them, found by the project's search.

Grassroots officers enforce many matters no table here refines (小广告, 占道经营, 渣土车 …). «未找到适用的裁量基准» alone
leaves them empty-handed; the articles that punish the act are in the corpus. The search (BM25 + dense + the
duty → 罚则 links of corpus/references.py) is asked over the statutes in force on the day of the act, and the hits
whose text fines or punishes («罚款», «处罚», «没收», «警告») are returned as they are — the officer applies the
article's own range; nothing here invents one.
"""

from __future__ import annotations

import re

from assistant.discretion.types import RelatedArticle
from assistant.retrieval.base import Filters, QueryError, Retriever
from corpus.model import DocType

PENALTY = re.compile(r"罚款|处罚|没收|警告|吊销|责令停(?:产|业)")
SEARCHED = 10  # hits read (the search's first ten: a 罚则 partner follows its duty article)
MAX_TEXT = 400  # characters of an article shown
_STATUTES = frozenset(t.value for t in DocType if t.is_statute)


def nearest_penalty_articles(retriever: Retriever, facts: str, region: str | None = None,
                             as_of: str | None = None, limit: int = 3) -> list[RelatedArticle]:
    """Up to ``limit`` articles that punish something, nearest to ``facts`` first.

    Args:
        retriever: the project's retriever.
        facts: the facts of the case (searched by their opening, as much as a query may hold).
        region: the region whose local statutes count besides the national ones (None: all).
        as_of: the day (YYYY-MM-DD) whose versions in force are searched; None: today.
    Returns:
        The articles (empty when the search finds none or refuses the text). Never raises.
    """
    filters = Filters(doc_types=_STATUTES, region=region, as_of=as_of)
    try:
        hits = retriever.search(facts[:getattr(retriever, "max_query_chars", 500)], k=SEARCHED, filters=filters)
    except QueryError:
        return []
    out: list[RelatedArticle] = []
    seen: set[str] = set()
    for hit in hits:
        chunk, doc = hit.chunk, hit.document
        if chunk.id in seen or not chunk.article or not PENALTY.search(chunk.text):
            continue
        seen.add(chunk.id)
        text = chunk.text.strip()
        out.append(RelatedArticle(title=doc.title, label=f"《{doc.title}》{chunk.label_cn}",
                                  text=text[:MAX_TEXT] + ("……" if len(text) > MAX_TEXT else ""), chunk_id=chunk.id,
                                  status=doc.status_on(as_of).value, relation=hit.relation))
        if len(out) >= limit:
            break
    return out
