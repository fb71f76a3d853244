"""References without a title — 「本规定第十条」, 「本办法第3条」, 「该条例第十二条第三款」, 「第十条讲什么」 —
resolved to the one document meant, before the search (issue #19 item 2).

The document in scope is, in order:

1. the law the ``law`` filter names (``Filters.law``);
2. the law named last before the reference — earlier in the question itself, then in the conversation,
   latest message first (the officer's questions and the assistant's answers, which cite 《…》);
3. the only document in force on the date asked that has such an article.

The resolved title is written into the query (「本规定第十条」 → 「《某市测试条例》第十条」), so the direct article
lookup finds it and the standalone query in the audit log shows what was understood. When several documents have
the article and nothing says which is meant, nothing is guessed: the officer is asked, with the candidates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.citations import ANAPHOR, find_citations
from corpus.lookup import documents_with_article, find_documents
from corpus.model import DocType
from corpus.store import Store

# a title written without 《》: the shortest run of CJK before a title ending (「噪声法怎么规定的」 → 噪声法)
_BARE_TITLE = re.compile(r"[\u4e00-\u9fff（）]{2,30}?(?:法典|法|条例|规定|办法|细则|规则)")
_BRACKETED = re.compile(r"《([^《》]{2,60})》")
# where the article number starts inside a citation's span (after any title or 「本规定」)
_ARTICLE_START = re.compile(r"的?\s*第?[0-9０-９零〇一二两三四五六七八九十百千]+条")
_TYPE_ORDER = {t: i for i, t in enumerate((DocType.LAW, DocType.REGULATION, DocType.LOCAL_REGULATION, DocType.RULE,
                                           DocType.JUDICIAL_INTERPRETATION, DocType.DISCRETION, DocType.PROCEDURE,
                                           DocType.CASE))}
MAX_CANDIDATES = 5  # titles named in the question back to the officer


@dataclass(frozen=True)
class Resolution:
    """The query with every resolvable reference given its title, and the first one left open.

    ``unresolved``: the article as the officer wrote it (「第十条」), empty when every reference was resolved;
    ``candidates``: titles (at most MAX_CANDIDATES, laws before regulations and rules) that have it.
    """

    query: str
    unresolved: str = ""
    candidates: tuple[str, ...] = field(default_factory=tuple)
    total_candidates: int = 0

    @property
    def message(self) -> str:
        """The question back to the officer (Chinese), empty when nothing is open."""
        if not self.unresolved:
            return ""
        if not self.candidates:
            return (f"问题中的「{self.unresolved}」没有写明是哪部法律、法规或规章，知识库中也没有现行文件有这一条；"
                    "请写明名称，例如「《行政处罚法》第三十三条」。")
        names = "、".join(f"《{t}》" for t in self.candidates)
        more = f"等{self.total_candidates}部" if self.total_candidates > len(self.candidates) else ""
        return (f"问题中的「{self.unresolved}」没有写明是哪部法律、法规或规章：知识库中有这一条的现行文件有{names}{more}。"
                f"请写明名称后再问，例如「《{self.candidates[0]}》{self.unresolved}」。")


def _titles_in(text: str, store: Store) -> list[str]:
    """Titles of documents in the store that ``text`` names, last named first."""
    found: list[tuple[int, str]] = [(m.start(), m.group(1)) for m in _BRACKETED.finditer(text)]
    found += [(c.start, c.title) for c in find_citations(text) if c.title]
    found += [(m.start(), m.group(0)) for m in _BARE_TITLE.finditer(_BRACKETED.sub("", text))
              if not ANAPHOR.search(m.group(0))]
    out: list[str] = []
    for _, name in sorted(found, key=lambda x: -x[0]):
        docs = find_documents(store, name, current_only=False)
        if docs and docs[0].title not in out:
            out.append(docs[0].title)
    return out


def _with_title(span: str, title: str) -> str:
    """A citation's text with 《title》 in place of 「本规定」 and the like (or in front of a bare 第十条)."""
    m = _ARTICLE_START.search(span)
    if m is None:
        return span
    head = ANAPHOR.sub("", span[:m.start()])
    return f"{head}《{title}》{span[m.start():].lstrip('的').lstrip()}"


def resolve_references(question: str, store: Store, history: list[dict[str, str]] | None = None,
                       law: str | None = None, on: str | None = None, prefer: list[str] | None = None) -> Resolution:
    """Give every citation without a title in ``question`` the document it means (see the module docstring).

    Args:
        question: the (standalone) question.
        store: the corpus.
        history: earlier messages, oldest first, as ``{"role": "user"|"assistant", "content": str}``.
        law: the law filter (a title or abbreviation), if any.
        on: the date asked (YYYY-MM-DD; None: today) — which documents count as in force.
        prefer: titles to name first among the candidates (e.g. the documents a search for the question
            ranked highest), best first.

    Returns:
        a Resolution; its ``query`` equals ``question`` when nothing needed resolving.
    """
    open_refs = [c for c in find_citations(question) if c.title is None]
    if not open_refs:
        return Resolution(question)
    scope: str | None = None
    if law:
        docs = find_documents(store, law, current_only=False)
        scope = docs[0].title if docs else None
    if scope is None:
        before = question[:open_refs[0].start]
        earlier = [before] + [m.get("content", "") for m in reversed(history or [])]
        scope = next((t for text in earlier for t in _titles_in(text, store)), None)
    query, first_open, candidates = question, None, []  # first_open: a Citation
    for cite in reversed(open_refs):  # from the end, so earlier offsets stay right
        title = scope
        if title is None:
            docs = documents_with_article(store, cite.article, cite.suffix, on)
            if len(docs) == 1:
                title = docs[0].title
            else:
                first_open, candidates = cite, docs
                continue
        query = query[:cite.start] + _with_title(query[cite.start:cite.end], title) + query[cite.end:]
    if first_open is None:
        return Resolution(query)
    rank = {t: i for i, t in enumerate(dict.fromkeys(prefer or []))}
    ranked = sorted(candidates, key=lambda d: (rank.get(d.title, len(rank)), _TYPE_ORDER.get(d.doc_type, 9),
                                               len(d.title), d.title))
    return Resolution(query, unresolved=first_open.label,
                      candidates=tuple(d.title for d in ranked[:MAX_CANDIDATES]), total_candidates=len(ranked))
